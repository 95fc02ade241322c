# The guides' commands, run as written. Sourced after tests/lib/tap.sh (through
# tests/lib/lib.sh or tests/lib/real.sh) by the tests/docs/docs_*.sh that run a guide.
#
# The convention, in README and docs/*.md (docs/hacking.md, "Guides that
# run"): a fenced block's info string says what the block is.
#   ```sh             commands a test runs as root, in the order of the file;
#                     what a block sets (NAME=..., a one-line function, cd)
#                     carries over to the next, as in one terminal
#   ```sh user        commands a test runs as the guide's user
#   ```sh skip: WHY   commands no test runs (installing a package, systemd,
#                     another machine); WHY says so. Checked for syntax only
#   ```text, ```pam, ```json, ```conf, ```sudoers   files and output: not run
# Each guide with blocks to run names the test that runs them (doc_run), and
# tests/docs/docs_blocks.sh checks that every such guide has one.
#
# A test runs a guide with:
#   doc_sub 'SED EXPRESSION'   applied to each block before it runs: the
#                              test's own paths, names, ports (as many as needed)
#   doc_run DOC [USER]         runs the blocks of DOC (relative to
#                              $top_srcdir), "sh user" blocks as USER: one TAP
#                              line each, "DOC:LINE: its first line"
# and, if it defines them, hooks given the block's number and its file (the
# text after doc_sub):
#   doc_before N FILE          before the block runs
#   doc_exec N FILE            runs the block in the runner's place (its
#                              status is the block's); doc_exec_default N FILE
#                              is the runner's own way
#   doc_check N FILE STATUS    after it: returns the status to report
# A block's output is in $T/doc/N.out (doc_out N PATTERN greps it). Root
# blocks find $T/docbin first in PATH (the test's stand-ins for sudo,
# systemctl, ...: doc_bin NAME SCRIPT); the user's blocks run as $DOC_USER
# with HOME=$DOC_HOME, PATH=$DOC_USER_PATH and $DOC_USER_ENV (NAME=VALUE
# words). $DOC_WRAP, if set, is a command prefix for the block's shell (a
# terminal: expect -f tests/lib/pty.exp); $DOC_OUTER one for the user's whole
# command, before it becomes the user (a private mount namespace).

DOC_DIR=$T/doc
mkdir -p "$DOC_DIR" "$T/docbin" "$T/docwork"
chmod 755 "$T" "$DOC_DIR" "$T/docbin"
: >"$T/doc.sed"
DOC_USER_PATH=${DOC_USER_PATH:-/usr/local/bin:/usr/bin:/bin}

doc_sub() { # SED EXPRESSION
	printf '%s\n' "$1" >>"$T/doc.sed"
}
doc_sub_clear() { # forgets the substitutions given so far
	: >"$T/doc.sed"
}

doc_bin() { # NAME SCRIPT: $T/docbin/NAME, a /bin/sh script, for root blocks
	printf '#!/bin/sh\n%s\n' "$2" >"$T/docbin/$1"
	chmod 755 "$T/docbin/$1"
}
# sudo as root runs the command, as sudo would: the guides say "sudo" for an
# administrator who is not root. Its own options (sudo -l) go to sudo.
doc_bin sudo 'case $1 in -*) exec /usr/bin/sudo "$@" ;; esac
exec "$@"'

# doc_examples [SED]: $T/examples laid out as the package's examples
# directory (debian/libpam-jwt.examples), its files edited by SED (the built
# module, the test's key paths), and /usr/share/doc/libpam-jwt/examples in the
# guides made it.
doc_examples() {
	mkdir -p "$T/examples"
	grep -v '^#' "$top_srcdir/debian/libpam-jwt.examples" | while read -r f; do
		cp -R "$top_srcdir/$f" "$T/examples/"
	done
	[ -z "$1" ] || find "$T/examples" -type f -exec sed -i "$1" {} +
	chmod -R go+rX "$T/examples"
	doc_sub "s|/usr/share/doc/libpam-jwt/examples|$T/examples|g"
}

# doc_tool [CACERT [PREFIX]]: pam-jwt, as the guides call it, is the built one
# (run behind PREFIX, e.g. nss_wrapper's environment), in $T/docbin for root
# and $T/userbin for the user ($DOC_USER_PATH), with pam-jwt-askpass beside
# it; /usr/bin/pam-jwt-askpass in the guides is the user's. jwks-sync and
# login get --cacert CACERT; revoke without --file or --redis gets the test's
# revoked_file= ($T/etc/security/pam_jwt.revoked).
doc_tool() {
	mkdir -p "$T/userbin"
	chmod 755 "$T/userbin"
	{
		echo '#!/bin/sh'
		echo 'sub=$1; [ $# -gt 0 ] && shift'
		echo 'case $sub in'
		[ -n "${1:-}" ] && echo "jwks-sync|login) set -- \"\$sub\" --cacert '$1' \"\$@\" ;;"
		echo "revoke) case \" \$* \" in *' --file '*|*' --redis'*) set -- revoke \"\$@\" ;;"
		echo "	*) set -- revoke --file '$T/etc/security/pam_jwt.revoked' \"\$@\" ;; esac ;;"
		echo '*) set -- "$sub" "$@" ;;'
		echo 'esac'
		echo "exec ${2:-} '$top_builddir/pam-jwt' \"\$@\""
	} >"$T/docbin/pam-jwt"
	chmod 755 "$T/docbin/pam-jwt"
	cp "$T/docbin/pam-jwt" "$T/userbin/pam-jwt"
	chmod 755 "$T/userbin/pam-jwt"
	ln -sf "$top_builddir/pam-jwt" "$T/docbin/pam-jwt-askpass"
	ln -sf "$top_builddir/pam-jwt" "$T/userbin/pam-jwt-askpass"
	DOC_USER_PATH=$T/userbin:$DOC_USER_PATH
	doc_sub "s|/usr/bin/pam-jwt-askpass|$T/userbin/pam-jwt-askpass|g"
}

# doc_blocks DOC: DOC's fenced blocks as $DOC_DIR/N.body, N.info, N.line
# (N from 1); prints their count. Only fences at the start of a line count.
doc_blocks() {
	rm -f "$DOC_DIR"/*.body "$DOC_DIR"/*.info "$DOC_DIR"/*.line
	awk -v dir="$DOC_DIR" '
		/^```/ {
			if (!inb) {
				n++; inb = 1
				info = substr($0, 4)
				print info >(dir "/" n ".info"); close(dir "/" n ".info")
				print NR >(dir "/" n ".line"); close(dir "/" n ".line")
				printf "" >(dir "/" n ".body")
			} else {
				inb = 0; close(dir "/" n ".body")
			}
			next
		}
		inb { print >>(dir "/" n ".body") }
		END { print n + 0 }' "$1"
}

# The block runner, a process of its own: ENV.vars and ENV.funcs (what the
# blocks before set), then the block under set -e, then the variables NAMES
# and the directory saved for the next.
cat >"$DOC_DIR/run.sh" <<'EOF'
env=$1 block=$2 names=$3
[ -f "$env.vars" ] && . "$env.vars"
[ -f "$env.funcs" ] && . "$env.funcs"
set -e
. "$block"
set +e
q() { printf "'%s'" "$(printf %s "$1" | sed "s/'/'\\\\''/g")"; }
for v in $names; do
	eval "set=\${$v+x}"
	[ "$set" = x ] || continue
	eval "val=\$$v"
	printf '%s=%s; export %s\n' "$v" "$(q "$val")" "$v"
done >"$env.vars.new"
printf 'cd %s\n' "$(q "$PWD")" >>"$env.vars.new"
mv -f "$env.vars.new" "$env.vars"
EOF
chmod 644 "$DOC_DIR/run.sh"

# The names a block assigns at the start of a line (NAME=, export NAME=).
doc_names() {
	sed -n 's/^[[:space:]]*\(export[[:space:]][[:space:]]*\)\{0,1\}\([A-Za-z_][A-Za-z0-9_]*\)=.*/\2/p' "$@" |
		sort -u | tr '\n' ' '
}

# doc_exec_default N FILE: root blocks in the test's environment with
# $T/docbin first in PATH, starting in $T/docwork; "sh user" blocks as
# $DOC_USER in a clean environment, starting in $DOC_HOME.
doc_exec_default() {
	case $(cat "$DOC_DIR/$1.info") in
	'sh user'*)
		[ -d "$DOC_HOME/.docenv" ] || {
			mkdir -p "$DOC_HOME/.docenv" && chown "$DOC_USER" "$DOC_HOME/.docenv"
		}
		(cd "$DOC_HOME" && ${DOC_OUTER:-} setpriv --reuid="$DOC_USER" --regid="$DOC_USER" --init-groups \
			env -i HOME="$DOC_HOME" USER="$DOC_USER" LOGNAME="$DOC_USER" PATH="$DOC_USER_PATH" \
			${DOC_USER_ENV:-} ${DOC_WRAP:-} sh "$DOC_DIR/run.sh" "$DOC_HOME/.docenv/env" "$2" "$DOC_USER_NAMES")
		;;
	*)
		[ -f "$DOC_DIR/env.vars" ] || printf 'cd %s\n' "$T/docwork" >"$DOC_DIR/env.vars"
		PATH="$T/docbin:$PATH" ${DOC_WRAP:-} sh "$DOC_DIR/run.sh" "$DOC_DIR/env" "$2" "$DOC_ROOT_NAMES"
		;;
	esac
}

# doc_run DOC [USER]: DOC's blocks, each a TAP line.
doc_run() {
	doc_doc=$1
	DOC_USER=${2:-}
	DOC_ROOT_NAMES=
	DOC_USER_NAMES=
	doc_count=$(doc_blocks "$top_srcdir/$doc_doc")
	rm -f "$DOC_DIR/env.vars" "$DOC_DIR/env.funcs"
	[ -z "${DOC_HOME:-}" ] || rm -rf "$DOC_HOME/.docenv"
	doc_i=0
	while [ "$doc_i" -lt "$doc_count" ]; do
		doc_i=$((doc_i + 1))
		doc_info=$(cat "$DOC_DIR/$doc_i.info")
		case $doc_info in
		sh | 'sh user') ;;
		*) continue ;;
		esac
		doc_f=$DOC_DIR/$doc_i.sh
		sed -f "$T/doc.sed" "$DOC_DIR/$doc_i.body" >"$doc_f"
		chmod 644 "$doc_f"
		if [ "$doc_info" = sh ]; then
			DOC_ROOT_NAMES="$DOC_ROOT_NAMES $(doc_names "$doc_f")"
		else
			[ -n "$DOC_USER" ] || { ok 1 "$doc_doc: a \"sh user\" block, and no user given to doc_run"; continue; }
			DOC_USER_NAMES="$DOC_USER_NAMES $(doc_names "$doc_f")"
		fi
		! command -v doc_before >/dev/null 2>&1 || doc_before "$doc_i" "$doc_f"
		doc_st=0
		if command -v doc_exec >/dev/null 2>&1; then
			doc_exec "$doc_i" "$doc_f" >"$DOC_DIR/$doc_i.out" 2>&1 || doc_st=$?
		else
			doc_exec_default "$doc_i" "$doc_f" >"$DOC_DIR/$doc_i.out" 2>&1 || doc_st=$?
		fi
		# One-line functions carry over as they are written.
		if [ "$doc_info" = sh ]; then doc_funcs=$DOC_DIR/env.funcs; else doc_funcs=$DOC_HOME/.docenv/env.funcs; fi
		grep -E '^[A-Za-z_][A-Za-z0-9_]*\(\) *\{.*\}$' "$doc_f" >>"$doc_funcs" 2>/dev/null
		[ ! -f "$doc_funcs" ] || chmod 644 "$doc_funcs"
		if command -v doc_check >/dev/null 2>&1; then
			doc_check "$doc_i" "$doc_f" "$doc_st"
			doc_st=$?
		fi
		cp "$DOC_DIR/$doc_i.out" "$T/out"
		ok "$doc_st" "$doc_doc:$(cat "$DOC_DIR/$doc_i.line"): $(grep -v '^[[:space:]]*\(#\|$\)' "$DOC_DIR/$doc_i.body" | head -n 1 | cut -c1-70)"
	done
}

doc_out() { # N PATTERN: block N's output has PATTERN (grep -E)
	grep -Eq -- "$2" "$DOC_DIR/$1.out"
}
