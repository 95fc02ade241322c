#!/bin/sh
# pam_jwt quick start, on Debian 12 (or a derivative):
#   ./quickstart.sh demo    install what is missing of DEMO_PACKAGES, build, and log
#                           in with a fresh token through pamtester
#   ./quickstart.sh check   install what is missing of PACKAGES (the test suite's:
#                           openssh-server, sudo, ... too), build, run the tests
# Installing packages needs root (sudo is used when available). Nothing else is
# installed into the system.
set -eu
cd "$(dirname "$0")"

# The demo: a compiler and autotools, the libraries (libcurl for the pam-jwt
# tool's HTTP client only), pamtester and pam_wrapper (the demo's service
# file lives in a scratch directory). No server, no daemon.
DEMO_PACKAGES="build-essential autoconf automake libtool pkg-config libpam0g-dev libgcrypt20-dev
libjson-c-dev libcurl4-gnutls-dev libhiredis-dev pamtester libpam-wrapper"

# The whole test suite: the real programs it logs in to as well.
PACKAGES="build-essential autoconf automake libtool pkg-config libpam0g-dev libgcrypt20-dev
libjson-c-dev libhiredis-dev pamtester libpam-wrapper libnss-wrapper python3-jwt openssl util-linux
python3-jwcrypto python3-cryptography jose
openssh-server openssh-client sshpass python3-paramiko sudo expect login passwd
libcurl4-gnutls-dev sqlite3 curl jq redis-server redis-sentinel"

install_missing() { # PACKAGE...
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "Installing:$missing"
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
}

build() {
	[ -x configure ] || ./bootstrap
	[ -f Makefile ] || ./configure --enable-werror ${CONFIGURE_FLAGS:-}
	make -j"$(nproc)"
}

check() {
	status=0
	make -j"$(nproc)" check || status=$?
	if [ "$status" -eq 0 ]; then
		make -j"$(nproc)" distcheck || status=$?
	fi
	[ -f test-suite.log ] && grep -E '^(FAIL|ERROR|XPASS):' -A30 test-suite.log | head -200 || true
	sed -n '/^# TOTAL/,/^# ERROR/p' test-suite.log 2>/dev/null || true
	.ci/summary.sh test-suite.log
	return "$status"
}

demo() {
	d=$(mktemp -d)
	trap 'rm -rf "$d"' EXIT
	user=$(id -un)
	mkdir "$d/pam.d"
	./pam-jwt keygen --out "$d/jwt.key"
	args="secret_file=$d/jwt.key"
	# No token opens an account of uid 0 unless allow_root says so.
	[ "$(id -u)" -ne 0 ] || args="$args allow_root"
	echo "auth required $PWD/.libs/pam_jwt.so $args" >"$d/pam.d/demo"
	echo "auth required pam_deny.so" >"$d/pam.d/other"
	echo "== service file: auth required pam_jwt.so $args"
	token=$(./pam-jwt mint --key "$d/jwt.key" --sub "$user" --ttl 5m)
	echo "== a token for $user, valid 5 minutes: $(printf %s "$token" | cut -c1-40)..."
	pamtester() {
		printf '%s\n' "$1" | env LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 \
			PAM_WRAPPER_SERVICE_DIR="$d/pam.d" pamtester demo "$user" authenticate
	}
	echo "== pamtester demo $user authenticate, with the token as the password:"
	pamtester "$token"
	echo "== the same token with one character of the signature changed:"
	last=$(printf %s "$token" | tail -c 2 | head -c 1)
	case $last in A) repl=B ;; *) repl=A ;; esac
	forged=$(printf %s "$token" | sed "s/.\(.\)\$/$repl\1/")
	if pamtester "$forged"; then
		echo "!! a forged token was accepted" >&2
		exit 1
	fi
	echo "== pam-jwt verify explains why (the module's own checks):"
	printf '%s\n' "$forged" | ./pam-jwt verify --user "$user" $args | tail -n 6
}

case "${1:-}" in
# shellcheck disable=SC2086
demo) install_missing $DEMO_PACKAGES && build && demo ;;
# shellcheck disable=SC2086
check) install_missing $PACKAGES && build && check ;;
*) echo "usage: $0 demo|check" >&2; exit 2 ;;
esac
