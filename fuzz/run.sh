#!/bin/sh
# Builds the libFuzzer harnesses through the build system (./configure
# --enable-fuzzing CC=clang: ASan, UBSan, libFuzzer) in a build of its own,
# apart from the normal gcc build, and runs each for a bounded time on its
# seed corpus (fuzz/corpus/NAME) with fuzz/jwt.dict.
#   fuzz/run.sh [SECONDS]      default 60 s per harness; 0 only builds
# Fails on any crash, leak, timeout or out-of-memory. Environment: FUZZ_CC
# (default clang), FUZZ_BUILD_DIR (default build/fuzz), FUZZ_HARNESSES (a subset).
#
# The build is made from a copy of the tree (tests/lib/copy_tree.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
cc=${FUZZ_CC:-clang}
out=${FUZZ_BUILD_DIR:-$top/build/fuzz}
harnesses=${FUZZ_HARNESSES:-token claims verify jwks config usermap policy revoke proof session}

command -v "$cc" >/dev/null || { echo "fuzz/run.sh: $cc is not installed (Debian: clang libclang-rt-14-dev)" >&2; exit 1; }
rm -rf "$out/obj"
mkdir -p "$out/obj"
. "$top/tests/lib/copy_tree.sh"
copy_tree "$top" "$out/tree"
(cd "$out/tree" && ./bootstrap >/dev/null 2>&1)
targets=
for h in $harnesses; do
	targets="$targets fuzz/fuzz_$h"
done
(
	cd "$out/obj"
	../tree/configure -q --enable-fuzzing --enable-werror CC="$cc"
	# shellcheck disable=SC2086
	make -j"$(nproc)" $targets >make.log 2>&1 || { tail -n 40 make.log; exit 1; }
)
[ "$seconds" -gt 0 ] || exit 0

status=0
for h in $harnesses; do
	echo "== fuzz_$h: $seconds s"
	# New inputs go to a scratch corpus; the committed seeds are only read.
	mkdir -p "$out/corpus/$h" "$out/artifacts"
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1 \
	"$out/obj/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len=17000 -print_final_stats=1 -dict="$top/fuzz/jwt.dict" \
		-artifact_prefix="$out/artifacts/$h-" \
		"$out/corpus/$h" "$top/fuzz/corpus/$h" >"$out/fuzz_$h.log" 2>&1 || {
		status=1
		echo "!! fuzz_$h failed; the input is in $out/artifacts/. The end of its log:"
		tail -n 60 "$out/fuzz_$h.log"
		continue
	}
	grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$out/fuzz_$h.log"
done
exit "$status"
