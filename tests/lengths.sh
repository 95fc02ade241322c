#!/bin/sh
# How long a token pamtester carries (libpam_misc's misc_conv reads at most
# 4095 bytes and drops the rest), and the module's hint when a token of
# exactly such a length fails: it was probably cut off on the way.
. "$top_srcdir/tests/lib.sh"

service jwt "$(jwt_line)"

# longest LO HI: the longest token length in [LO, HI) that pamtester logs in
# with, by bisection (LO must pass, HI must fail).
longest() {
	lo=$1 hi=$2
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		if pam jwt alice "$(mint --length $mid)" && grep -qF "pamtester: $ACCEPT" "$T/out"; then
			lo=$mid
		else
			hi=$mid
		fi
	done
	echo "$lo"
}

expect "a 4095-byte token passes misc_conv" jwt alice "$(mint --length 4095)" "$ACCEPT"
expect "a 4096-byte token is cut to 4095 and refused" jwt alice "$(mint --length 4096)" "$AUTH_ERR" \
	"the token is 4095 bytes, where a common password buffer ends: probably cut off"
n=$(longest 200 8192)
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
