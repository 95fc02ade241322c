#!/bin/sh
# Adds up automake's test-suite logs into one closing line:
# "N passed, N failed, N skipped". A missing log counts as one failure.
missing=0
for f in "$@"; do
	[ -f "$f" ] || missing=$((missing + 1))
done
for f in "$@"; do
	[ -f "$f" ] && cat "$f"
done | awk -v missing="$missing" '
	/^# (PASS|FAIL|ERROR|XPASS|SKIP):/ { n[$2] += $3 }
	END {
		printf "%d passed, %d failed, %d skipped\n", n["PASS:"],
		       n["FAIL:"] + n["ERROR:"] + n["XPASS:"] + missing, n["SKIP:"]
	}'
