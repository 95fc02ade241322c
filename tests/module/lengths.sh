#!/bin/sh
# How long a token pamtester carries (libpam_misc's misc_conv reads at most
# 4095 bytes and drops the rest), and the module's hint when a token of
# exactly such a length fails: it was probably cut off on the way.
. "$top_srcdir/tests/lib/lib.sh"

service jwt "$(jwt_line)"

logs_in() { # LENGTH: pamtester logs alice in with a token of LENGTH bytes
	pam jwt alice "$(mint --length "$1")" && grep -qF "pamtester: $ACCEPT" "$T/out"
}

expect "a 4095-byte token passes misc_conv" jwt alice "$(mint --length 4095)" "$ACCEPT"
expect "a 4096-byte token is cut to 4095 and refused" jwt alice "$(mint --length 4096)" "$AUTH_ERR" \
	"the token is 4095 bytes, where a common password buffer ends: probably cut off"
n=$(longest 200 8192 logs_in)
echo "# pamtester (misc_conv): the longest token that logs in is $n bytes"
[ "$n" -eq 4095 ]
ok $? "pamtester's longest token is 4095 bytes (measured: $n)"

# The hint is for the lengths where buffers end, and only for tokens that do
# not verify.
expect "a forged 1023-byte token: refused with the hint" jwt alice "$(mint --length 1023 --key "$T/other.key")" "$AUTH_ERR" \
	"the token is 1023 bytes, where a common password buffer ends"
pam jwt alice "$(mint --length 1022 --key "$T/other.key")"
grep -qF "pamtester: $AUTH_ERR" "$T/out" && ! grep -q "buffer ends" "$T/out"
ok $? "a forged 1022-byte token: refused without the hint"
pam jwt alice "$(mint --length 1023)"
grep -qF "pamtester: $ACCEPT" "$T/out" && ! grep -q "buffer ends" "$T/out"
ok $? "a valid 1023-byte token: accepted without the hint"
pam jwt alice "$(mint --length 1023 --ttl -3600)"
grep -qF "token expired" "$T/out" && ! grep -q "buffer ends" "$T/out"
ok $? "an expired 1023-byte token: refused as expired, without the hint"

done_testing
