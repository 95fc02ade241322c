#!/bin/sh
# The pam-auth-update profile in pam-auth-update's interactive menu, without
# the package: in a private mount namespace over copies of /etc/pam.d,
# /var/lib/pam, /var/cache/debconf and /usr/share/pam-configs (the system's
# profiles plus debian/pam-configs/pam-jwt), pam-auth-update fills its debconf
# multiselect, and an administrator ticks entries by the names shown through
# debconf's teletype frontend. A comma in a Name: splits an entry in two and
# shifts every later entry onto the wrong profile: ticking "Unix
# authentication" then dropped pam_unix. .ci/deb.sh does the same round with
# the package installed.

. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pam_menu.sh"
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

# debconf splits a multiselect's choices at a comma and a space; a comma
# alone is no better for the reader of the menu: none at all.
bad=
for p in "$top_srcdir"/debian/pam-configs/*; do
	name=$(pam_menu_name "$(dirname "$p")" "$(basename "$p")")
	case $name in '' | *,*) bad="$bad $(basename "$p"): \"$name\"" ;; esac
done
[ -z "$bad" ]
ok $? "debian/pam-configs: each profile has a Name: without a comma${bad:+ (not:$bad)}"

if [ "$(id -u)" -ne 0 ]; then
	skip "the menu round needs root (a private mount namespace)"
	done_testing
fi
for p in pam-auth-update unshare perl; do
	command -v "$p" >/dev/null 2>&1 || { skip "the menu round needs $p"; done_testing; }
done
perl -MDebconf::Db -e 1 2>/dev/null || { skip "the menu round needs debconf's Perl modules"; done_testing; }

ns=$T/ns
mkdir -p "$ns"
cp -a /etc/pam.d "$ns/pam.d"
cp -a /var/lib/pam "$ns/varlibpam"
cp -a /var/cache/debconf "$ns/debconf"
cp -a /usr/share/pam-configs "$ns/configs"
cp "$top_srcdir/debian/pam-configs/pam-jwt" "$ns/configs/pam-jwt"
# --force: these are copies, and the host's own edits to common-* must not
# stop the round (pam-auth-update would ask whether to override them).
unshare --mount --propagation private sh -eu -c '
	ns=$1
	. "$2"
	mount --bind "$ns/pam.d" /etc/pam.d
	mount --bind "$ns/varlibpam" /var/lib/pam
	mount --bind "$ns/debconf" /var/cache/debconf
	mount --bind "$ns/configs" /usr/share/pam-configs
	DEBIAN_FRONTEND=noninteractive pam-auth-update --force >"$ns/fill.log" 2>&1
	# The administrator ticks token or password, Unix, and what Debian
	# enables by default beside it.
	pam_menu_tick "$ns/tick" "pam-jwt unix systemd capability" --force
	mkdir "$ns/stacks"
	for f in auth account password; do cp "/etc/pam.d/common-$f" "$ns/stacks/"; done
' sh "$ns" "$top_srcdir/tests/lib/pam_menu.sh" >"$T/out" 2>&1
ok $? "pam-auth-update ran in a private mount namespace"

sed 's/^/# menu: /' "$ns/tick.menu"
pam_menu_consistent "$ns/tick.menu" "$ns/configs" >"$T/out"
ok $? "the menu has one entry per profile ($(wc -l <"$ns/tick.menu") entries), each showing the Name: of the profile it selects"

: >"$T/out"
cut -f 2- "$ns/tick.menu" | grep -qxF "pam-jwt	$(pam_menu_name "$ns/configs" pam-jwt)"
ok $? "pam-jwt is one entry, its whole Name: shown"

# What the administrator typed is what pam-auth-update enabled, and Unix
# authentication is still in every stack that it builds.
cp "$ns/tick.log" "$T/out"
echo "# typed: $(cat "$ns/tick.typed"); enabled: $(cat "$ns/tick.value")"
want=$(for p in pam-jwt unix systemd capability; do [ -f "$ns/configs/$p" ] && echo "$p"; done | sort | tr '\n' ' ')
got=$(sed 's/, /\n/g' "$ns/tick.value" | sort | tr '\n' ' ')
[ -n "$want" ] && [ "$got" = "$want" ]
ok $? "the entries ticked by name enable exactly those profiles (${want% })"
pam_menu_stacks "$ns/stacks"
ok $? "common-auth has pam_jwt ahead of pam_unix; common-account and common-password keep pam_unix"

done_testing
