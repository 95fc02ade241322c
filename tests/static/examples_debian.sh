#!/bin/sh
# The pam.d examples keep Debian's stacks: each is Debian 12's stock file with
# its "@include common-auth" line replaced by a snippet and nothing else
# changed. Checked against the stock files kept in tests/data/debian12/ and, when
# they are installed and unmodified, against the system's own /etc/pam.d files
# (openssh-server, sudo, util-linux, login). Also: every example scopes its
# tokens, and the README and the guides (docs/) mint tokens for exactly the
# examples' audiences.
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"
EX=$top_srcdir/pam.d-examples
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

# The same sed as the guides' install commands (docs/stacks.md).
apply_snippet() { # SNIPPET STOCK
	sed -e '/^@include common-auth$/{' -e "r $1" -e 'd' -e '}' "$2"
}
# The stack: lines that are not comments or blank, blanks squeezed.
stack() { grep -Ev '^[[:space:]]*(#|$)' "$1" | tr -s ' \t' '  '; }

# keeps_stack STOCK EXAMPLE SNIPPET: EXAMPLE's stack is STOCK's with the one
# @include common-auth line replaced by SNIPPET's line(s), in place.
keeps_stack() {
	[ "$(grep -c '^@include common-auth$' "$1")" -eq 1 ] || return 1
	stack "$1" | sed -n '/^@include common-auth$/q;p' >"$T/before"
	stack "$1" | sed '0,/^@include common-auth$/d' >"$T/after"
	{ cat "$T/before"; stack "$3"; cat "$T/after"; } >"$T/want"
	stack "$2" >"$T/got"
	cmp -s "$T/want" "$T/got"
}

for s in sshd:sshd:openssh-server sudo:sudo:sudo su:su:util-linux login:token-or-password:login; do
	svc=${s%%:*} rest=${s#*:}
	snip=$EX/snippets/${rest%%:*} pkg=${rest#*:}
	stock=$top_srcdir/tests/data/debian12/$svc

	lines=$(stack "$snip" | wc -l)
	[ "$lines" -eq 1 ] && stack "$snip" | grep -Eq '^(auth |@include token-or-password$)'
	ok $? "snippets/${rest%%:*}: exactly one line, an auth line"
	apply_snippet "$snip" "$stock" | cmp -s - "$EX/debian12/$svc"
	ok $? "debian12/$svc is Debian 12's stock $svc with snippets/${rest%%:*} in place of @include common-auth"
	keeps_stack "$stock" "$EX/debian12/$svc" "$snip"
	ok $? "debian12/$svc holds every line of the stock file but @include common-auth, in order"

	sys=/etc/pam.d/$svc
	if [ ! -f "$sys" ]; then
		skip "$sys is not installed ($pkg)"
	elif ! dpkg-query -S "$sys" >/dev/null 2>&1 || dpkg --verify "$pkg" 2>/dev/null | grep -q " $sys\$"; then
		skip "$sys is not $pkg's stock file (modified, or not from the package)"
	else
		apply_snippet "$snip" "$sys" >"$T/installed"
		keeps_stack "$sys" "$T/installed" "$snip"
		ok $? "the system's $sys with snippets/${rest%%:*}: every other line kept"
		cmp -s "$sys" "$stock" || echo "# $sys differs from tests/data/debian12/$svc (another Debian release?)"
	fi
done

# Includable files are auth-only.
stack "$EX/token-or-password" | grep -v '^auth ' >"$T/out"
[ ! -s "$T/out" ]
ok $? "token-or-password holds auth lines only (no @include, no account or session)"

# Every pam_jwt line scopes its tokens: audience=, and a max_lifetime= that an
# identity provider's one-hour tokens pass.
profile=$top_srcdir/debian/pam-configs/pam-jwt
grep -h 'pam_jwt\.so' "$EX/token-or-password" "$EX"/snippets/* "$profile" | grep -v '^#' >"$T/lines"
bad=0
while read -r line; do
	case " $line " in *" audience="*) ;; *) bad=1 ;; esac
	ml=$(printf '%s\n' "$line" | sed -n 's/.* max_lifetime=\([0-9]*\).*/\1/p')
	[ -n "$ml" ] && [ "$ml" -ge 3600 ] || bad=1
done <"$T/lines"
[ -s "$T/lines" ] && [ "$bad" -eq 0 ]
ok $? "every example's pam_jwt line (and the pam-auth-update profile's) has audience= and max_lifetime= of at least 3600"

# The pam-auth-update profile: off by default, ahead of pam_unix (priority
# above its 256), taking the password typed for an earlier module when it is
# not the first (try_first_pass on Auth:, not on Auth-Initial:).
prio=$(sed -n 's/^Priority: *//p' "$profile")
grep -qx 'Default: no' "$profile" && grep -qx 'Auth-Type: Primary' "$profile" && [ "$prio" -gt 256 ] &&
	sed -n '/^Auth:/{n;p}' "$profile" | grep -q ' try_first_pass$' &&
	! sed -n '/^Auth-Initial:/{n;p}' "$profile" | grep -q 'first_pass'
ok $? "debian/pam-configs/pam-jwt: Default: no, a primary auth profile ahead of pam_unix"

# The README and the guides mint tokens for the examples' audiences, and for no other.
sed -n 's/.* audience=\([^ ]*\).*/\1/p' "$T/lines" | sort -u >"$T/aud.examples"
grep -ho 'pam-jwt mint [^<>|]*--aud [a-z]*' "$top_srcdir/README" "$top_srcdir"/docs/*.md | sed 's/.*--aud //' |
	sort -u >"$T/aud.readme"
cmp -s "$T/aud.examples" "$T/aud.readme"
ok $? "README and docs/ mint for the examples' audiences: $(tr '\n' ' ' <"$T/aud.examples")(guides: $(tr '\n' ' ' <"$T/aud.readme"))"

# The second sshd's sample config and systemd unit (examples/): sshd -t reads
# the config as shipped (it needs the host keys: root, openssh-server);
# systemd-analyze checks the unit with the symlink's path as /usr/sbin/sshd.
if [ "$(id -u)" -ne 0 ] || [ ! -x /usr/sbin/sshd ] || [ ! -f /etc/ssh/ssh_host_ed25519_key ]; then
	skip "sshd -t needs root, /usr/sbin/sshd and the host keys (openssh-server)"
else
	# sshd -t wants its privilege separation directory, which only a started
	# sshd (systemd's tmpfiles, the init script) makes.
	[ -d /run/sshd ] || mkdir -m 755 /run/sshd
	/usr/sbin/sshd -t -f "$top_srcdir/examples/sshd-jwt_config" >"$T/out" 2>&1
	ok $? "examples/sshd-jwt_config passes sshd -t"
fi
grep -q '^#PubkeyAuthentication no$' "$top_srcdir/examples/sshd-jwt_config" &&
	! grep -q '^PubkeyAuthentication' "$top_srcdir/examples/sshd-jwt_config"
ok $? "examples/sshd-jwt_config leaves PubkeyAuthentication at its default, and shows how to turn it off"
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir "$T/unit"
	sed 's|/usr/local/sbin/sshd-jwt|/usr/sbin/sshd|' "$top_srcdir/examples/sshd-jwt.service" >"$T/unit/sshd-jwt.service"
	systemd-analyze verify --man=no "$T/unit/sshd-jwt.service" >"$T/out" 2>&1 && [ ! -s "$T/out" ]
	ok $? "examples/sshd-jwt.service passes systemd-analyze verify"
	sed 's/^/# /' "$T/out"
else
	skip "systemd-analyze is not installed"
fi

# The sudoers drop-in parses and asks for a token at every sudo.
if command -v visudo >/dev/null 2>&1; then
	visudo -cqf "$top_srcdir/examples/sudoers-jwt" >"$T/out" 2>&1 &&
		grep -q '^Defaults:%tokenusers timestamp_timeout=0$' "$top_srcdir/examples/sudoers-jwt"
	ok $? "examples/sudoers-jwt parses (visudo -c) and sets timestamp_timeout=0"
else
	skip "visudo is not installed (sudo)"
fi

done_testing
