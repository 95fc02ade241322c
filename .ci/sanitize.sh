#!/bin/sh
# make check with AddressSanitizer and UndefinedBehaviorSanitizer (gcc), in a
# build of its own under build/sanitize (a copy of the tree: the tree itself may
# be configured in place, which rules out a second, VPATH build from it).
#
# The C tests are sanitized programs. The shell tests run the distribution's
# pamtester, which is not: a sanitized pam_jwt.so loaded into it needs the ASan
# runtime loaded first, so tests/lib/lib.sh puts PAM_JWT_TEST_PRELOAD ahead of the
# wrappers in LD_PRELOAD. pam_wrapper and nss_wrapper load libraries with
# RTLD_DEEPBIND, which ASan cannot intercept through: the *_DISABLE_DEEPBIND
# variables turn that off. LeakSanitizer runs in every process, pamtester
# included (libpam, pamtester and the wrappers leak nothing it reports). Any
# report exits with 99, which fails the test (see pam() in tests/lib/lib.sh); a
# failed UBSan check aborts (-fno-sanitize-recover) the same way. The real
# sshd/sudo/su logins skip: those programs cannot preload the runtime.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build/sanitize
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

rm -rf "$build"
mkdir -p "$build/obj"
. "$top/tests/lib/copy_tree.sh"
copy_tree "$top" "$build/tree"
(cd "$build/tree" && ./bootstrap >/dev/null 2>&1)
cd "$build/obj"
../tree/configure -q --enable-werror CFLAGS="-g -O1 $san" LDFLAGS="$san"
make -j"$(nproc)" >/dev/null

asan_runtime=$(gcc -print-file-name=libasan.so)
ubsan_runtime=$(gcc -print-file-name=libubsan.so)
[ -f "$asan_runtime" ] || { echo "sanitize.sh: no ASan runtime at $asan_runtime" >&2; exit 1; }
status=0
PAM_JWT_TEST_PRELOAD="$asan_runtime $ubsan_runtime" \
PAM_WRAPPER_DISABLE_DEEPBIND=1 NSS_WRAPPER_DISABLE_DEEPBIND=1 \
ASAN_OPTIONS=exitcode=99:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
UBSAN_OPTIONS=exitcode=99:print_stacktrace=1:halt_on_error=1 \
	make -j"$(nproc)" check >check.out 2>&1 || status=$?
grep -E '^(FAIL|ERROR|XPASS):' -A30 test-suite.log | head -100 || true
sed -n '/^# TOTAL/,/^# ERROR/p' check.out
exit "$status"
