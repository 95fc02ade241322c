#!/bin/sh
# Mutation testing of the security checks: tests/static/mutants.sh [--sample N] [TAG...]
#
# Applies each mutant of tests/static/mutants.list, one at a time, to a scratch copy
# of the tree (build/mutants), rebuilds incrementally and runs the tests the
# list names for it, fastest first, stopping at the first that fails. A mutant
# is killed when a test fails, survived when all pass. Prints one line per
# mutant and a score; exits 1 when a mutant survives that the list does not
# mark as equivalent, or when a mutant no longer applies (its text is not
# found exactly once) or does not build.
#
#   --sample N   N mutants spread evenly over the list, equivalents left out
#                (what CI runs)
#   TAG...       only these mutants
#   --list       print the tags and exit
#   --check      build and run nothing: check that every mutant still applies
#                to the tree and every test it names exists (tests/static/mutants_apply.sh)
#
# The copy is configured without --enable-werror: a mutant that leaves a
# variable unused is still a program to test. MUTANTS_DIR overrides the
# scratch directory; MUTANTS_TIMEOUT (seconds, default 300) bounds each test;
# MUTANTS_LIST the list.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
list=${MUTANTS_LIST:-$top/tests/static/mutants.list}
work=${MUTANTS_DIR:-$top/build/mutants}
timeout=${MUTANTS_TIMEOUT:-300}
sample=0
us=$(printf '\037')
list_only=0
check_only=0
tags=
while [ $# -gt 0 ]; do
	case $1 in
	--sample) sample=$2; shift ;;
	--list) list_only=1 ;;
	--check) check_only=1 ;;
	-h | --help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "mutants.sh: unknown option $1" >&2; exit 2 ;;
	*) tags="$tags $1" ;;
	esac
	shift
done

# The list as one record a line, fields separated by US (\037, never empty
# fields collapsed as tabs would be): TAG KIND FILE TESTS WHY N,
# and each substitution as FROM/TO files under $work/subst/TAG.N.
parse() {
	rm -rf "$work/subst"
	mkdir -p "$work/subst"
	awk -v dir="$work/subst" '
		function flush() {
			if (tag != "") {
				if (n == 0) { print "mutants.list: " tag " has no substitution" > "/dev/stderr"; exit 2 }
				printf "%s\037%s\037%s\037%s\037%s\037%d\n", tag, kind, file, tests, why, n
			}
			tag = ""
		}
		/^[ \t]*(#|$)/ { next }
		$1 == "file" { flush(); file = $2; next }
		$1 == "tests" { flush(); $1 = ""; tests = substr($0, 2); next }
		$1 == "mutant" || $1 == "equivalent" {
			flush()
			kind = $1; tag = $2; n = 0; why = ""
			if (seen[tag]++) { print "mutants.list: tag " tag " twice" > "/dev/stderr"; exit 2 }
			if (kind == "equivalent") { $1 = ""; $2 = ""; why = substr($0, 3) }
			next
		}
		/^- / { n++; f = dir "/" tag "." n; printf "%s", substr($0, 3) > (f ".from"); close(f ".from"); next }
		/^\+( |$)/ { f = dir "/" tag "." n; printf "%s", substr($0, 3) > (f ".to"); close(f ".to"); next }
		{ print "mutants.list:" NR ": cannot read: " $0 > "/dev/stderr"; exit 2 }
		END { flush() }
	' "$list" >"$work/records"
}

mkdir -p "$work"
parse
if [ "$list_only" -eq 1 ]; then
	cut -d "$us" -f1,2,3 --output-delimiter='	' "$work/records"
	exit 0
fi
# apply FILE N FROM-PREFIX: applies the N substitutions FROM-PREFIX.i.from ->
# .to to FILE in place, each found exactly once; 1 (naming the text) when one
# is not.
apply() {
	i=1
	while [ "$i" -le "$2" ]; do
		[ -f "$3.$i.to" ] || : >"$3.$i.to"
		"${PYTHON3:-python3}" -c '
import sys
path, old, new = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read()
text = open(path).read()
if text.count(old) != 1:
    sys.exit(1)
open(path, "w").write(text.replace(old, new))' "$1" "$3.$i.from" "$3.$i.to" || {
			stale_text=$(cat "$3.$i.from")
			return 1
		}
		i=$((i + 1))
	done
}
if [ "$check_only" -eq 1 ]; then
	bad=0
	while IFS=$us read -r tag kind file tests why count; do
		if [ ! -f "$top/$file" ]; then
			echo "$tag: $file does not exist"
			bad=1
			continue
		fi
		cp "$top/$file" "$work/check.copy"
		if ! apply "$work/check.copy" "$count" "$work/subst/$tag"; then
			echo "$tag: STALE: \"$stale_text\" is not found exactly once in $file"
			bad=1
		fi
		for t in $tests; do
			case $t in
			*.sh | *.py) [ -f "$top/$t" ] ;;
			*) [ -f "$top/$t.c" ] ;;
			esac || { echo "$tag: no test $t"; bad=1; }
		done
	done <"$work/records"
	rm -f "$work/check.copy"
	echo "mutants: $(wc -l <"$work/records") mutants checked"
	exit "$bad"
fi
total=$(wc -l <"$work/records")
if [ -n "$tags" ]; then
	for t in $tags; do
		grep -q "^$t$us" "$work/records" || { echo "mutants.sh: no mutant $t" >&2; exit 2; }
	done
	awk -v tags="$tags" 'BEGIN { n = split(tags, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1 }
		want[$1]' FS="$us" "$work/records" >"$work/selected"
elif [ "$sample" -gt 0 ]; then
	# Equivalent mutants left out: they can only pass.
	awk -F "$us" '$2 == "mutant"' "$work/records" >"$work/candidates"
	awk -v n="$sample" -v total="$(wc -l <"$work/candidates")" \
		'BEGIN { for (i = 0; i < n && i < total; i++) pick[int(i * total / n) + 1] = 1 }
		pick[NR]' "$work/candidates" >"$work/selected"
else
	cp "$work/records" "$work/selected"
fi

# The tree as git sees it (tracked and new files, as .ci/sanitize.sh copies it).
start=$(date +%s)
. "$top/tests/lib/copy_tree.sh"
copy_tree "$top" "$work/tree"
cd "$work/tree"
echo "mutants: building the copy in $work/tree"
./bootstrap >"$work/build.log" 2>&1 && ./configure -q >>"$work/build.log" 2>&1 &&
	make -j2 >>"$work/build.log" 2>&1 && make -j2 check TESTS= >>"$work/build.log" 2>&1 ||
	{ tail -n 30 "$work/build.log"; echo "mutants: the unmutated tree does not build" >&2; exit 1; }

# What make check gives the tests (AM_TESTS_ENVIRONMENT), to run them directly:
# going through the harness for each would cost more than most tests take.
setting() { sed -n "s/^$1 = //p" Makefile; }
pamtester=$(setting PAMTESTER) python=$(setting PYTHON3)
# run_test TEST: 0 when its TAP has a plan and no "not ok" and it exits 0 (a
# skip is not a pass: it would hide every mutant). Its output in $work/test.out.
run_test() {
	case $1 in
	*.sh) set -- sh "$1" ;;
	*.py) set -- "$python" "$1" ;;
	*) set -- "./$1" ;;
	esac
	top_srcdir=$work/tree top_builddir=$work/tree PAM_JWT_MODULE=$work/tree/.libs/pam_jwt.so \
	PAMTESTER=$pamtester PYTHON3=$python \
		timeout "$timeout" "$@" >"$work/test.out" 2>&1 </dev/null || return 1
	grep -q '^1\.\.[1-9]' "$work/test.out" && ! grep -q '^not ok' "$work/test.out"
}
# failure: what run_test saw go wrong.
failure() {
	grep -m1 '^not ok' "$work/test.out" || grep -m1 '^1\.\.0' "$work/test.out" ||
		echo "no plan or a non-zero exit: $(tail -n 1 "$work/test.out")"
}

# The tests the selected mutants use must pass on the unmutated tree.
cut -d "$us" -f4 "$work/selected" | tr ' ' '\n' | sort -u | sed '/^$/d' >"$work/tests"
while read -r t; do
	run_test "$t" || { failure; echo "mutants: $t does not pass (or skips) without mutants" >&2;
		exit 1; }
done <"$work/tests"
echo "mutants: baseline passes ($(wc -l <"$work/tests") tests, $(($(date +%s) - start)) s)"

killed=0 survived=0 equiv=0 broken=0 n=0 bad=
while IFS=$us read -r tag kind file tests why count; do
	n=$((n + 1))
	t0=$(date +%s)
	cp -p "$file" "$work/orig"
	verdict=
	# Exactly one occurrence of each text, replaced literally.
	apply "$file" "$count" "$work/subst/$tag" ||
		verdict="STALE: \"$stale_text\" is not found exactly once in $file"
	# The module, pam-jwt and the mutant's C tests: relinking every program costs more.
	programs=$(for t in $tests; do case $t in *.sh | *.py) ;; *) echo "$t" ;; esac; done)
	# shellcheck disable=SC2086
	if [ -z "$verdict" ] && ! { make -j2 && make -j2 $programs; } >"$work/check.out" 2>&1 </dev/null; then
		verdict="DOES NOT BUILD: $(grep -m1 'error' "$work/check.out" || true)"
	fi
	if [ -z "$verdict" ]; then
		caught=
		for t in $tests; do
			if ! run_test "$t"; then
				caught="$t: $(failure)"
				break
			fi
		done
		if [ -n "$caught" ]; then
			verdict="killed by $caught"
			[ "$kind" = equivalent ] && verdict="$verdict (listed as equivalent: remove it from the equivalents)"
			killed=$((killed + 1))
		elif [ "$kind" = equivalent ]; then
			verdict="equivalent: $why"
			equiv=$((equiv + 1))
		else
			verdict="SURVIVED ($tests)"
			survived=$((survived + 1))
			bad="$bad $tag"
		fi
	else
		broken=$((broken + 1))
		bad="$bad $tag"
	fi
	cp -p "$work/orig" "$file"
	touch "$file"	# newer than the mutant's objects: the next build recompiles it
	printf '%3d %-28s %3ss  %s\n' "$n" "$tag" $(($(date +%s) - t0)) "$verdict"
done <"$work/selected"
make -j2 check TESTS= >/dev/null 2>&1 || true

echo "mutants: $killed killed, $survived survived, $equiv equivalent, $broken stale or not building;" \
	"$n of $total mutants run in $(($(date +%s) - start)) s"
echo "mutants: score $killed/$((n - equiv)) (equivalent mutants left out)"
if [ -n "$bad" ]; then
	echo "mutants: FAILED:$bad" >&2
	exit 1
fi
