#!/bin/sh
# Builds the libFuzzer harnesses (clang, ASan + UBSan) apart from the normal
# gcc build, and runs each for a bounded time on its seed corpus.
#   fuzz/run.sh [SECONDS]      default 60 s per harness; 0 only builds
# Fails on any crash, leak, timeout or out-of-memory. Environment: FUZZ_CC
# (default clang), FUZZ_BUILD_DIR (default build/fuzz), FUZZ_HARNESSES (a subset).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
cc=${FUZZ_CC:-clang}
out=${FUZZ_BUILD_DIR:-$top/build/fuzz}
harnesses=${FUZZ_HARNESSES:-token claims verify jwks config usermap policy revoke}
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cflags="-g -O1 -Wall -Wextra -Werror $san -I$out -I$top/src $(pkg-config --cflags libgcrypt json-c hiredis)"
libs="$(pkg-config --libs libgcrypt json-c hiredis) -lm -lpthread"

command -v "$cc" >/dev/null || { echo "fuzz/run.sh: $cc is not installed (Debian: clang libclang-rt-14-dev)" >&2; exit 1; }
mkdir -p "$out/obj"
# The core is built from the sources of libjwtcore.la, without configure: the
# only thing config.h provides to them is the GNU feature set.
echo '#define _GNU_SOURCE 1' >"$out/config.h"
# Its source list is libjwtcore_la_SOURCES in Makefile.am.
sources=$(awk '/^libjwtcore_la_SOURCES[ \t]*\+?=/ { on = 1 } on { print } on && !/\\$/ { on = 0 }' \
	"$top/Makefile.am" | tr ' \t\\' '\n\n\n' | grep '\.c$')
objs=
for src in $sources; do
	obj="$out/obj/$(basename "$src" .c).o"
	# shellcheck disable=SC2086
	"$cc" $cflags -fsanitize=fuzzer-no-link -c "$top/$src" -o "$obj"
	objs="$objs $obj"
done
for h in $harnesses; do
	# shellcheck disable=SC2086
	"$cc" $cflags -I"$top/fuzz" -fsanitize=fuzzer "$top/fuzz/fuzz_$h.c" $objs $libs \
		-o "$out/fuzz_$h"
done
[ "$seconds" -gt 0 ] || exit 0

status=0
for h in $harnesses; do
	echo "== fuzz_$h: $seconds s"
	# New inputs go to a scratch corpus; the committed seeds are only read.
	mkdir -p "$out/corpus/$h" "$out/artifacts"
	ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1 \
	"$out/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
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
