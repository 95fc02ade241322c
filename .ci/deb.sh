#!/bin/sh
# The Debian package, end to end, as root on a Debian 12 machine:
#  1. dpkg-buildpackage -us -uc -b in a copy of the tree (build/deb, made a
#     git repository of its own), which must leave no file that git does not
#     know or ignore; then lintian, which must report no error and no warning;
#  2. apt-get install of the .deb: pam_jwt.so and pam-jwt in place, and
#     /etc/pam.d unchanged (the profile is off by default);
#  3. in a private mount namespace, over copies of /etc/pam.d, /var/lib/pam,
#     /var/cache/debconf and /etc/security: pam-auth-update --enable pam-jwt
#     puts the line into common-auth ahead of pam_unix, keeps an
#     administrator's own options, and a token logs in through it (pamtester);
#     then pam-auth-update's interactive menu (debconf's teletype frontend)
#     answered by the names it shows keeps pam_unix; nobody else sees any of it;
#  4. remove and purge, without a warning from dpkg: no file of the package
#     left, no directory it made, /etc/pam.d and /var/lib/pam as before.
# The package is purged at exit, after a failure too.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build/deb
[ "$(id -u)" -eq 0 ] || { echo "deb.sh: run as root (it installs the package)" >&2; exit 1; }
for p in dpkg-buildpackage lintian apt-get pam-auth-update unshare pamtester; do
	command -v "$p" >/dev/null || { echo "deb.sh: $p is not installed" >&2; exit 1; }
done
# known: dpkg holds some state of the package (installed, unpacked,
# config-files, ...), not merely its name.
known() {
	case $(dpkg-query -W -f='${db:Status-Status}' libpam-jwt 2>/dev/null) in
	'' | not-installed) return 1 ;;
	*) return 0 ;;
	esac
}
if known; then
	echo "deb.sh: libpam-jwt is installed already; not touching it" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
start=$(date +%s)

failed=0
step() { echo "== $*"; }
check() { # STATUS DESCRIPTION
	if [ "$1" -eq 0 ]; then echo "ok - $2"; else echo "FAILED - $2"; failed=1; fi
}
purge() {
	if known; then
		dpkg --purge libpam-jwt >/dev/null 2>&1 || echo "deb.sh: could not purge libpam-jwt" >&2
	fi
}
trap purge EXIT
trap 'exit 1' HUP INT TERM

step "build (dpkg-buildpackage -us -uc -b) in $build"
rm -rf "$build"
mkdir -p "$build/tree"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf -) | tar -xf - -C "$build/tree"
# The copy as git sees it, to find what the build leaves behind.
git -C "$build/tree" init -q &&
	git -C "$build/tree" add -A &&
	git -C "$build/tree" -c user.name=deb.sh -c user.email=deb.sh@localhost commit -qm tree ||
	{ echo "deb.sh: cannot make build/deb/tree a git repository" >&2; exit 1; }
if ! (cd "$build/tree" && dpkg-buildpackage -us -uc -b) >"$build/build.log" 2>&1; then
	tail -n 40 "$build/build.log"
	echo "deb.sh: the package did not build (build/deb/build.log)" >&2
	exit 1
fi
deb=$(ls "$build"/libpam-jwt_*.deb)
echo "built $(basename "$deb") in $(($(date +%s) - start)) s"
# From here on each check reports its own failure, and the run goes on.
set +e

git -C "$build/tree" status --porcelain --untracked-files=all >"$build/left"
[ ! -s "$build/left" ]
check $? "the build leaves no file that git neither tracks nor ignores, and changes none"
sed 's/^/  /' "$build/left"

step "lintian"
lintian --fail-on error,warning --info "$deb" "$build"/libpam-jwt_*.changes >"$build/lintian.log" 2>&1
st=$?
sed 's/^/  /' "$build/lintian.log"
check $st "lintian: no errors, no warnings"

# What the package holds, and whether each of its paths exists now.
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./|/|; s|/$||' | grep -v '^/\?$' | sort >"$build/paths"
exists() { while read -r p; do [ -e "$p" ] || [ -L "$p" ] && echo "$p"; done <"$build/paths"; }
# /etc/pam.d and pam-auth-update's state. The test suite's throwaway
# service files (pjt-XXXXXXXX) may come and go meanwhile: left out.
pamstate() {
	find /etc/pam.d /var/lib/pam -type f ! -name '*pjt-*' -exec sha256sum {} + | sort -k 2
}
exists >"$build/exists.before"
pamstate >"$build/pam.before"

step "install (apt-get install ./$(basename "$deb"))"
(cd "$build" && apt-get install -y -q -o DPkg::Lock::Timeout=120 "./$(basename "$deb")") \
	>"$build/install.log" 2>&1
check $? "apt-get install ./$(basename "$deb")"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
# Where Debian 12's libpam-modules puts pam_unix.so: dpkg knows the directory
# as shared, so purge does not try to remove it.
secdir=/lib/$multiarch/security
dpkg -L libpam-jwt | grep -qx "$secdir/pam_jwt.so" && dpkg -S "$secdir/pam_unix.so" >/dev/null
check $? "pam_jwt.so is in $secdir, the directory of libpam-modules' pam_unix.so"
[ -f "$secdir/pam_jwt.so" ] && [ ! -e "$secdir/pam_jwt.la" ] && [ -x /usr/bin/pam-jwt ] &&
	[ -L /usr/bin/pam-jwt-askpass ] && dpkg -L libpam-jwt | grep -q "/systemd/system/pam-jwt-jwks-sync@.timer$" &&
	dpkg -L libpam-jwt | grep -q "/systemd/system/pam-jwt-sessions.timer$" &&
	dpkg -L libpam-jwt | grep -q "/systemd/system/pam-jwt-sessions.service$" &&
	ls /usr/share/doc/libpam-jwt/docs/provider.md* >/dev/null 2>&1 &&
	[ -f /usr/share/man/man8/pam_jwt.8.gz ] && [ -f /usr/share/man/man1/pam-jwt.1.gz ] &&
	[ -f /usr/share/pam-configs/pam-jwt ] &&
	[ -f /usr/share/doc/libpam-jwt/examples/snippets/sshd ] &&
	[ -f /usr/share/doc/libpam-jwt/examples/token-or-password ]
check $? "pam_jwt.so in $secdir (no .la), pam-jwt and pam-jwt-askpass, the timers, man pages, profile, examples and guides in place"
find /etc/pam.d -type f ! -name '*pjt-*' -exec sha256sum {} + | sort -k 2 >"$build/pamd.installed"
grep ' /etc/pam.d/' "$build/pam.before" | cmp -s - "$build/pamd.installed"
check $? "installing changed nothing in /etc/pam.d"
! grep -rq pam_jwt /etc/pam.d/common-auth
check $? "common-auth does not name pam_jwt (the profile is off by default)"

step "pam-auth-update --enable pam-jwt, in a private mount namespace"
ns=$build/ns
mkdir -p "$ns"
cp -a /etc/pam.d "$ns/pam.d"
cp -a /var/lib/pam "$ns/varlibpam"
cp -a /var/cache/debconf "$ns/debconf"
cp -a /etc/security "$ns/security"
pam-jwt keygen --out "$ns/security/pam_jwt.key" >/dev/null
unshare --mount --propagation private sh -eu -c '
	ns=$1
	mount --bind "$ns/pam.d" /etc/pam.d
	mount --bind "$ns/varlibpam" /var/lib/pam
	mount --bind "$ns/debconf" /var/cache/debconf
	mount --bind "$ns/security" /etc/security
	pam-auth-update --enable pam-jwt >"$ns/enable.log" 2>&1
	cp /etc/pam.d/common-auth "$ns/common-auth.enabled"
	key=/etc/security/pam_jwt.key
	# daemon: an account that exists on every Debian system and is not uid 0
	# (the profile has no allow_root, so a token never opens root).
	login() { printf "%s\n" "$1" | timeout 20 pamtester login daemon authenticate >>"$ns/login.log" 2>&1; }
	login "$(pam-jwt mint --key $key --sub daemon --aud login)" && echo token-ok >>"$ns/results"
	login "$(pam-jwt mint --key $key --sub daemon --aud ssh)" || echo ssh-token-refused >>"$ns/results"
	# The administrator picks the audience: options edited in common-auth
	# stay when pam-auth-update runs again.
	sed -i "s/audience=login/audience=host-a/" /etc/pam.d/common-auth
	pam-auth-update --package >>"$ns/enable.log" 2>&1
	cp /etc/pam.d/common-auth "$ns/common-auth.edited"
	login "$(pam-jwt mint --key $key --sub daemon --aud host-a)" && echo host-a-ok >>"$ns/results"
	pam-auth-update --disable pam-jwt >>"$ns/enable.log" 2>&1
	cp /etc/pam.d/common-auth "$ns/common-auth.disabled"
	# The interactive menu (tests/lib/pam_menu.sh): the administrator ticks the
	# entries shown as the token profile, Unix authentication, systemd and
	# capabilities, through debconf'"'"'s teletype frontend.
	. "$2/tests/lib/pam_menu.sh"
	pam_menu_tick "$ns/tick" "pam-jwt unix systemd capability"
	mkdir "$ns/stacks"
	for f in auth account password; do cp "/etc/pam.d/common-$f" "$ns/stacks/"; done
	login "$(pam-jwt mint --key $key --sub daemon --aud login)" && echo menu-token-ok >>"$ns/results"
' sh "$ns" "$top"
check $? "the namespace ran"
sed 's/^/  /' "$ns/enable.log"
grep -A1 'pam_jwt' "$ns/common-auth.enabled" | sed 's/^/  common-auth: /'
line=$(grep -n 'pam_jwt\.so' "$ns/common-auth.enabled" | cut -d: -f1)
unix=$(grep -n 'pam_unix\.so' "$ns/common-auth.enabled" | cut -d: -f1)
[ -n "$line" ] && [ -n "$unix" ] && [ "$line" -lt "$unix" ] &&
	grep -q 'pam_jwt\.so secret_file=/etc/security/pam_jwt\.key audience=login max_lifetime=3600$' \
		"$ns/common-auth.enabled" &&
	grep -q 'pam_unix\.so .*try_first_pass' "$ns/common-auth.enabled"
check $? "enabled: common-auth has the pam_jwt line ahead of pam_unix (try_first_pass)"
grep -qx token-ok "$ns/results" 2>/dev/null
check $? "enabled: a token (aud login) logs in through common-auth (pamtester login)"
grep -qx ssh-token-refused "$ns/results" 2>/dev/null
check $? "enabled: a token for ssh is refused"
grep -q 'audience=host-a' "$ns/common-auth.edited" && grep -qx host-a-ok "$ns/results" 2>/dev/null
check $? "an administrator's audience= in common-auth stays through pam-auth-update"
! grep -q pam_jwt "$ns/common-auth.disabled"
check $? "pam-auth-update --disable pam-jwt takes the line out"
. "$top/tests/lib/pam_menu.sh"
sed 's/^/  menu: /' "$ns/tick.menu"
echo "  typed: $(cat "$ns/tick.typed"); enabled: $(cat "$ns/tick.value")"
pam_menu_consistent "$ns/tick.menu" /usr/share/pam-configs >"$ns/menu.problems"
st=$?
sed 's/^/  /' "$ns/menu.problems"
check $st "the menu shows one entry per profile, each with the Name: of the profile it selects"
pam_menu_stacks "$ns/stacks"
check $? "menu: the entries ticked by name keep pam_unix (common-auth, -account, -password), pam_jwt ahead of it"
grep -qx menu-token-ok "$ns/results" 2>/dev/null
check $? "menu: a token logs in through the common-auth it built"
find /etc/pam.d -type f ! -name '*pjt-*' -exec sha256sum {} + | sort -k 2 | cmp -s - "$build/pamd.installed"
check $? "outside the namespace, /etc/pam.d was not changed"

step "remove, purge"
apt-get remove -y -q -o DPkg::Lock::Timeout=120 libpam-jwt >"$build/remove.log" 2>&1
check $? "apt-get remove libpam-jwt"
[ ! -e "$secdir/pam_jwt.so" ] && [ ! -e /usr/bin/pam-jwt ] && [ ! -e /usr/share/pam-configs/pam-jwt ]
check $? "removed: module, tool and profile gone"
dpkg --purge libpam-jwt >"$build/purge.log" 2>&1
check $? "dpkg --purge libpam-jwt"
# (A package without conffiles is gone after remove: purge then warns that it
# "isn't installed", which says nothing of the package.)
! grep -i 'warning' "$build/remove.log" "$build/purge.log" | grep -v "which isn't installed"
check $? "remove and purge: no warning from dpkg (such as a directory \"not empty so not removed\")"
! known
check $? "purged: dpkg knows no libpam-jwt"
exists | cmp -s - "$build/exists.before"
check $? "purged: no path of the package left that was not there before"
exists | diff "$build/exists.before" - | sed 's/^/  /'
pamstate | cmp -s - "$build/pam.before"
check $? "purged: /etc/pam.d and /var/lib/pam as before the install"
pamstate | diff "$build/pam.before" - | sed 's/^/  /'
rm -rf "$ns"

echo "== deb.sh: $(($(date +%s) - start)) s"
[ "$failed" -eq 0 ] || { echo "deb.sh: FAILED" >&2; exit 1; }
echo "deb.sh: all passed"
