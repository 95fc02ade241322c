#!/bin/sh
# The mutants of tests/static/mutants.list follow the code: each one's text
# is still found exactly once in its file (a moved or rewritten check would
# leave its mutants testing nothing), and each test it names exists. Runs
# tests/static/mutants.sh --check, which builds and runs nothing.
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"
MUTANTS=$top_srcdir/tests/static/mutants.sh

check() { # LIST: mutants.sh --check on LIST, its output in $T/out
	MUTANTS_DIR=$T/work MUTANTS_LIST=$1 sh "$MUTANTS" --check >"$T/out" 2>&1
}

cat >"$T/stale.list" <<'EOL'
file src/jwt_alg.c
tests tests/unit/test_core
mutant gone
- a line no file of pam_jwt holds
+ x
EOL
check "$T/stale.list"
[ $? -eq 1 ] && grep -q "gone: STALE" "$T/out"
ok $? "the check finds a mutant whose text is gone (a sample list)"
cat >"$T/notest.list" <<'EOL'
file src/jwt_alg.c
tests tests/unit/test_nothing
mutant alg-name
- if (strlen(algs[i].name) == len && memcmp(algs[i].name, name, len) == 0) {
+ if (memcmp(algs[i].name, name, len) == 0) {
EOL
check "$T/notest.list"
[ $? -eq 1 ] && grep -q "no test tests/unit/test_nothing" "$T/out"
ok $? "the check finds a test that does not exist (a sample list)"
sed 's|tests/unit/test_nothing|tests/unit/test_core|' "$T/notest.list" >"$T/good.list"
check "$T/good.list"
ok $? "control: a mutant that applies, with a test that exists, passes"

check "$top_srcdir/tests/static/mutants.list"
st=$?
grep -v '^mutants:' "$T/out" | sed 's/^/# /'
ok $st "every mutant of tests/static/mutants.list applies, and its tests exist"
done_testing
