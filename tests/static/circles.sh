#!/bin/sh
# No circle between the source files of src/ and src/cli/: a file depends on
# another when it includes its header (#include "x.h" is x.c's) or when its
# object uses a symbol the other's object defines (nm). A circle would make
# two files one unit in all but name (OpenSSH's sshkey.c and ssh-ecdsa.c keep
# what both use in a third file instead).
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"
need nm tsort
top_builddir=${top_builddir:-$top_srcdir}

# The file a path names, as the graph names it: src/jwt_sig.c and src/jwt_sig.h
# are jwt_sig, src/cli/main.c is cli/main.
node() { echo "$1" | sed -e 's|^.*/src/||' -e 's|\.[ch]$||'; }

# include_edges DIR: "FROM TO include" for each #include "x.h" of DIR's sources
# that names a header of DIR or of src/.
include_edges() {
	for f in "$1"/*.[ch]; do
		from=$(node "$f")
		sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$f" | while read -r h; do
			if [ -f "$1/$h" ]; then
				to=$(node "$1/$h")
			elif [ -f "$top_srcdir/src/$h" ]; then
				to=$(node "$top_srcdir/src/$h")
			else
				continue
			fi
			[ "$from" = "$to" ] || echo "$from $to include"
		done
	done
}

# The object of each source file: src/x.c is built as src/.libs/x.o (libtool)
# or src/x.o, src/cli/x.c as src/cli/pam_jwt-x.o (per-program flags).
object_of() { # SRC.c
	rel=${1#"$top_srcdir"/}
	dir=$top_builddir/$(dirname "$rel")
	base=$(basename "$rel" .c)
	for o in "$dir/.libs/$base.o" "$dir/$base.o" "$dir"/*-"$base.o"; do
		[ -f "$o" ] && { echo "$o"; return 0; }
	done
	return 1
}

# symbol_edges: "FROM TO SYMBOL" for each symbol one object uses and another defines.
symbol_edges() {
	for f in "$top_srcdir"/src/*.c "$top_srcdir"/src/cli/*.c; do
		o=$(object_of "$f") || { echo "# no object for $f: build first" >&2; return 1; }
		n=$(node "$f")
		nm --defined-only --extern-only "$o" | awk -v n="$n" 'NF == 3 { print "D", n, $3 }'
		nm --undefined-only "$o" | awk -v n="$n" '{ print "U", n, $NF }'
	done | awk '$1 == "D" { def[$3] = $2; next }
		{ use[++k] = $2 " " $3 }
		END { for (i = 1; i <= k; i++) { split(use[i], u, " ");
			if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]], u[2] } }'
}

# circles EDGES: the files of each circle, as tsort finds them; empty when none.
circles() {
	awk '{ print $1, $2 }' "$1" | tsort 2>&1 >/dev/null | sed -n 's/^tsort: \([^ :]*\)$/\1/p'
}

# The check on samples: a circle of two files through a symbol and an include,
# and a chain of three (the control).
printf 'a b include\nb c sym\nc a sym\n' >"$T/loop"
[ -n "$(circles "$T/loop")" ]
ok $? "the check finds a circle in a sample (a includes b, b calls c, c calls a)"
printf 'a b include\nb c sym\na c sym\n' >"$T/chain"
[ -z "$(circles "$T/chain")" ]
ok $? "control: the check passes a chain without a circle"

{ include_edges "$top_srcdir/src"; include_edges "$top_srcdir/src/cli"; } >"$T/edges"
symbol_edges >>"$T/edges"
ok $? "every source file of src/ and src/cli/ has its object"
grep -q ' jwt_sig_pk jwt_sig_pk_verify$' "$T/edges"
ok $? "control: the graph holds the calls between objects (jwt_sig_rsa uses jwt_sig_pk)"
grep -q '^cli/check jwt_config include$' "$T/edges"
ok $? "control: the graph holds the includes of src/cli (check.c includes jwt_config.h)"
circles "$T/edges" | sort -u >"$T/in_circle"
if [ -s "$T/in_circle" ]; then
	# The edges between files of a circle, with the include or symbol behind each.
	awk 'NR == FNR { in_c[$1] = 1; next } ($1 in in_c) && ($2 in in_c)' \
		"$T/in_circle" "$T/edges" | sort -u | sed 's/^/#   /'
fi
[ ! -s "$T/in_circle" ]
ok $? "no circle between the files of src/ and src/cli/"
done_testing
