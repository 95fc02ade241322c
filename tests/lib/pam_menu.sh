# pam-auth-update's interactive menu, as debconf shows it: sourced by
# tests/real/pam_auth_update.sh and .ci/deb.sh. pam-auth-update fills its
# multiselect (libpam-runtime/profiles) with the profiles' Name: fields
# joined by ", " (Choices) and their file names likewise (Choices-C); debconf
# splits both at a comma and a space, and a menu entry maps to the profile of
# the same position. The functions read the question as pam-auth-update last
# filled it, so they run where it ran (the same /var/cache/debconf).

# pam_menu_choices: one line per menu entry, "N<TAB>profile<TAB>shown name",
# by debconf's own split (Debconf::Question::choices_split); "-" where one
# list is longer than the other.
pam_menu_choices() {
	perl -MDebconf::Db -MDebconf::Question -e '
		Debconf::Db->load(readonly => "true");
		my $q = Debconf::Question->get("libpam-runtime/profiles")
			or die "pam-auth-update has not filled libpam-runtime/profiles\n";
		my @shown = $q->choices_split;
		$q->template->i18n("");		# Choices-C, as Element::Multiselect reads it
		my @c = $q->choices_split;
		$q->template->i18n(1);
		my $n = @shown > @c ? @shown : @c;
		printf "%d\t%s\t%s\n", $_ + 1, $c[$_] // "-", $shown[$_] // "-" for 0 .. $n - 1;
	'
}

# pam_menu_name DIR PROFILE: the Name: of DIR/PROFILE, as pam-auth-update reads it.
pam_menu_name() {
	sed -n 's/^Name:[[:space:]]\{1,\}\(.*\)$/\1/p' "$1/$2" | sed 's/[[:space:]]*$//'
}

# pam_menu_consistent MENU DIR: 0 when the menu has one entry per profile in
# DIR and each entry shows the Name: of the profile it selects; else says why.
pam_menu_consistent() {
	pm_st=0
	pm_profiles=$(find "$2" -mindepth 1 -maxdepth 1 ! -name '*~' ! -name '#*#' | wc -l)
	pm_entries=$(wc -l <"$1")
	if [ "$pm_entries" -ne "$pm_profiles" ]; then
		echo "the menu shows $pm_entries entries for $pm_profiles profiles"
		pm_st=1
	fi
	while IFS='	' read -r n prof shown; do
		if [ "$prof" = - ]; then
			echo "entry $n ($shown) selects no profile"
			pm_st=1
		elif [ "$shown" != "$(pam_menu_name "$2" "$prof")" ]; then
			echo "entry $n shows \"$shown\" and selects $prof ($(pam_menu_name "$2" "$prof"))"
			pm_st=1
		fi
	done <"$1"
	return "$pm_st"
}

# pam_menu_numbers MENU DIR PROFILE...: the numbers an administrator types to
# tick each PROFILE present in DIR: the first entry that shows its Name:, or
# the beginning of it.
pam_menu_numbers() {
	pm_menu=$1 pm_dir=$2
	shift 2
	for prof; do
		[ -f "$pm_dir/$prof" ] || continue
		name=$(pam_menu_name "$pm_dir" "$prof")
		awk -F '\t' -v name="$name" \
			'$3 != "-" && index(name, $3) == 1 { print $1; exit }' "$pm_menu"
	done | tr '\n' ' '
}

# pam_menu_tick OUT PROFILES [OPTION...]: pam-auth-update [OPTION...] through
# debconf's teletype frontend, answered with the numbers of the entries that
# show each of PROFILES (a list) present in /usr/share/pam-configs, as the
# menu of the last run of pam-auth-update shows them. Leaves the menu in
# OUT.menu, what was typed in OUT.typed, the dialogue in OUT.log and the
# profiles enabled ("a, b") in OUT.value. Runs where pam-auth-update may
# change the system: in a private mount namespace.
pam_menu_tick() {
	pm_out=$1 pm_profiles=$2
	shift 2
	pam_menu_choices >"$pm_out.menu"
	# shellcheck disable=SC2086
	pam_menu_numbers "$pm_out.menu" /usr/share/pam-configs $pm_profiles >"$pm_out.typed"
	echo >>"$pm_out.typed"
	env -u LINES DEBIAN_FRONTEND=teletype DEBIAN_PRIORITY=high pam-auth-update "$@" \
		<"$pm_out.typed" >"$pm_out.log" 2>&1 || return 1
	perl -MDebconf::Db -MDebconf::Question -e '
		Debconf::Db->load(readonly => "true");
		print Debconf::Question->get("libpam-runtime/profiles")->value, "\n";
	' >"$pm_out.value"
}

# pam_menu_stacks DIR: 0 when DIR's common-auth has pam_jwt ahead of
# pam_unix, and its common-account and common-password have pam_unix.
pam_menu_stacks() {
	pm_jwt=$(grep -n '^[^#]*pam_jwt\.so' "$1/common-auth" | cut -d: -f1 | head -n 1)
	pm_unix=$(grep -n '^[^#]*pam_unix\.so' "$1/common-auth" | cut -d: -f1 | head -n 1)
	[ -n "$pm_jwt" ] && [ -n "$pm_unix" ] && [ "$pm_jwt" -lt "$pm_unix" ] &&
		grep -q '^[^#]*pam_unix\.so' "$1/common-account" &&
		grep -q '^[^#]*pam_unix\.so' "$1/common-password"
}
