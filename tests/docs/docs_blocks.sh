#!/bin/sh
# The guides' convention (docs/hacking.md, "Guides that run"), checked over
# README and docs/*.md: every fence opens with a known info string, every
# "sh skip:" says why, every shell block parses (sh -n), every guide with
# blocks to run is run by a tests/docs/docs_*.sh, every guide is in the README's
# table, every relative link has a target; the README stays at most 300
# lines, and install.md names every build dependency of debian/control.
: "${top_srcdir:?run through make check}"
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/docs_lib.sh"

cd "$top_srcdir" || exit 1
docs="README $(ls docs/*.md)"

for doc in $docs; do
	bad=0
	count=$(doc_blocks "$doc")
	# An unclosed fence leaves its block without its end: the count of fence
	# lines must be even.
	[ $(($(grep -c '^```' "$doc") % 2)) -eq 0 ] || { echo "# $doc: a fence is not closed"; bad=1; }
	grep -n '^[[:space:]]\{1,\}```' "$doc" | sed "s|^|# $doc: an indented fence (fences start a line): |" | grep . && bad=1
	i=0
	while [ "$i" -lt "$count" ]; do
		i=$((i + 1))
		info=$(cat "$DOC_DIR/$i.info")
		line=$(cat "$DOC_DIR/$i.line")
		case $info in
		sh | 'sh user') sh -n "$DOC_DIR/$i.body" 2>"$T/err" || { echo "# $doc:$line: $(cat "$T/err")"; bad=1; } ;;
		'sh skip: '?*) sh -n "$DOC_DIR/$i.body" 2>"$T/err" || { echo "# $doc:$line: $(cat "$T/err")"; bad=1; } ;;
		text | pam | json | conf | sudoers) ;;
		*) echo "# $doc:$line: unknown info string \"$info\" (sh, sh user, sh skip: WHY, text, pam, json, conf, sudoers)"; bad=1 ;;
		esac
	done
	ok $bad "$doc: $count blocks, each with a known info string, skips with a reason, shell that parses"

	if grep -q '^```sh\( user\)\{0,1\}$' "$doc"; then
		grep -lE "doc_run $doc( |\"|$)" tests/docs/docs_*.sh >"$T/runners"
		[ -s "$T/runners" ]
		ok $? "$doc: its blocks are run by $(tr '\n' ' ' <"$T/runners")"
	fi

	# Relative links ](path) and ](path#anchor) name files that exist.
	dir=$(dirname "$doc")
	grep -o '](\([^)#:]*\)\(#[^)]*\)\{0,1\})' "$doc" | sed 's/^](//; s/)$//; s/#.*//' | grep -v '^$' |
		sort -u | while read -r target; do
			[ -e "$dir/$target" ] || echo "$target"
		done >"$T/missing"
	[ ! -s "$T/missing" ]
	ok $? "$doc: every relative link has a target$(sed 's/^/ (missing: /; s/$/)/' "$T/missing" | tr '\n' ' ')"
done

for guide in docs/*.md; do
	grep -q "(${guide})" README
	ok $? "README's guide table links $guide"
done

n=$(wc -l <README)
[ "$n" -le 300 ]
ok $? "README is at most 300 lines ($n)"

# The build dependencies: each of debian/control's, and the compiler.
sed -n '/^Build-Depends:/,/^[A-Z]/p' debian/control | sed '$d' | sed 's/^Build-Depends://' | tr ',' '\n' |
	sed 's/(.*//; s/[[:space:]]//g' | grep -v '^$' | sed 's/^debhelper-compat$/debhelper/' >"$T/deps"
echo build-essential >>"$T/deps"
missing=
for p in $(cat "$T/deps"); do
	grep -Eq "apt install( .*)? $p( |$)" docs/install.md || missing="$missing $p"
done
[ -z "$missing" ]
ok $? "docs/install.md's package build installs every build dependency of debian/control${missing:+ (missing:$missing)}"

done_testing
