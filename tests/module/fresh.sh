#!/bin/sh
# Fresh authentication through the real pamtester: max_auth_age= (auth_time),
# acr=, and the groups overage of groups=. Each refusal sits beside an
# accepted control, and the log line says why. The sudo example of
# docs/authorization.md is taken from the guide and run.
. "$top_srcdir/tests/lib/lib.sh"

now=$(date +%s)

# --- max_auth_age= --------------------------------------------------------------
service age "$(jwt_line max_auth_age=300)"
expect "max_auth_age=300: an authentication 60 s ago logs in" age alice \
	"$(mint --set auth_time=$((now - 60)))" "$ACCEPT"
expect "max_auth_age=300: an authentication 1000 s ago is refused, saying how to get a fresh one" age alice \
	"$(mint --set auth_time=$((now - 1000)))" "$AUTH_ERR" "beyond max_auth_age=300 (get a fresh token with pam-jwt login --max-age 300)"
expect "max_auth_age=300: a token without auth_time is refused, saying how to get one" age alice \
	"$(mint)" "$AUTH_ERR" 'token has no "auth_time"; max_auth_age=300 requires one (get a fresh token with pam-jwt login --max-age 300)'
expect "max_auth_age=300: a fractional auth_time is refused" age alice \
	"$(mint --set auth_time=$((now - 60)).5)" "$AUTH_ERR" '"auth_time" is not an integer'
expect "max_auth_age=300: auth_time as a string is refused" age alice \
	"$(mint --set auth_time="\"$((now - 60))\"")" "$AUTH_ERR" '"auth_time" is not an integer'
expect "max_auth_age=300: auth_time an hour ahead is refused" age alice \
	"$(mint --set auth_time=$((now + 3600)))" "$AUTH_ERR" '"auth_time" lies'
service noage "$(jwt_line)"
expect "control: without max_auth_age= the old authentication logs in" noage alice \
	"$(mint --set auth_time=$((now - 1000)))" "$ACCEPT"
service badage "$(jwt_line max_auth_age=5m)"
expect "max_auth_age=5m (a unit) is a configuration error" badage alice \
	"$(mint --set auth_time=$((now - 60)))" "$SERVICE_ERR" "max_auth_age= wants a number of seconds"
service zeroage "$(jwt_line max_auth_age=0)"
expect "max_auth_age=0 is a configuration error" zeroage alice \
	"$(mint --set auth_time=$((now - 60)))" "$SERVICE_ERR" "max_auth_age= wants a number of seconds"

# --- acr= -------------------------------------------------------------------------
service acr "$(jwt_line acr=phr,phrh)"
expect "acr=phr,phrh: acr phrh logs in" acr alice "$(mint --set acr='"phrh"')" "$ACCEPT"
expect "acr=phr,phrh: acr pwd is refused, naming the accepted values" acr alice \
	"$(mint --set acr='"pwd"')" "$AUTH_ERR" '"acr" is none of the values acr= accepts (phr,phrh)'
expect "acr=phr,phrh: acr ph (a prefix) is refused" acr alice \
	"$(mint --set acr='"ph"')" "$AUTH_ERR" '"acr" is none of the values'
expect "acr=phr,phrh: no acr is refused" acr alice "$(mint)" "$AUTH_ERR" 'token has no "acr"; acr= requires one of phr,phrh'
expect "acr=phr,phrh: a number acr is refused" acr alice "$(mint --set acr=1)" "$AUTH_ERR" '"acr" is not a string'
service emptyacr "$(jwt_line acr=)"
expect "an empty acr= is a configuration error" emptyacr alice "$(mint --set acr='"phr"')" "$SERVICE_ERR" "acr= is empty"

# --- groups overage ---------------------------------------------------------------
service groups "$(jwt_line groups=wheel)"
overage='{"groups":"src1"}'
sources='{"src1":{"endpoint":"https://graph.microsoft.com/v1.0/users/x/getMemberObjects"}}'
expect "groups=wheel: an overage token is refused as an overage" groups alice \
	"$(mint --set _claim_names="$overage" --set _claim_sources="$sources")" "$AUTH_ERR" "groups overage: "
expect "control: groups=wheel: groups holding wheel log in" groups alice \
	"$(mint --set groups='["wheel"]')" "$ACCEPT"
expect "groups=wheel: no groups and no overage is refused as before" groups alice \
	"$(mint)" "$AUTH_ERR" 'no "groups" claim'
expect "control: without groups= the overage token logs in" noage alice \
	"$(mint --set _claim_names="$overage" --set _claim_sources="$sources")" "$ACCEPT"

# --- the guide's sudo example, taken from docs/authorization.md -------------------
line=$(awk 'index($0, "# /etc/pam.d/sudo: a login at the provider in the last 5 minutes") == 1 {g = 1; next}
	g && /^auth/ {print; exit}' "$top_srcdir/docs/authorization.md" |
	sed -e "s|jwks_file=/etc/security/idp\.jwks|secret_file=$T/key|")
[ -n "$line" ]
ok $? "docs/authorization.md sudo example is there"
service rd_sudo "$line"
host=$("$PYTHON3" -c 'import socket; print(socket.gethostname())')
sudo_tok() { mint --set iss='"https://idp.example"' --set aud="\"sudo:$host\"" --set acr='"phr"' "$@"; }
expect "guide sudo example: a login 60 s ago with acr phr is accepted" rd_sudo alice \
	"$(sudo_tok --set auth_time=$((now - 60)))" "$ACCEPT"
expect "guide sudo example: a login 10 minutes ago is refused" rd_sudo alice \
	"$(sudo_tok --set auth_time=$((now - 600)))" "$AUTH_ERR" "beyond max_auth_age=300"
expect "guide sudo example: acr pwd is refused" rd_sudo alice \
	"$(sudo_tok --set auth_time=$((now - 60)) --set acr='"pwd"')" "$AUTH_ERR" '"acr" is none of the values'

# --- pam-jwt verify says the same --------------------------------------------------
cli() { nss_wrapped "$top_builddir/pam-jwt" verify "$@" >"$T/out" 2>&1; }
mint --set auth_time=$((now - 1000)) >"$T/tok"
! cli secret_file="$T/key" max_auth_age=300 --user alice <"$T/tok" &&
	grep -qF "auth_time: authentication was" "$T/out" &&
	grep -qF "pam-jwt login --max-age 300" "$T/out"
ok $? "pam-jwt verify max_auth_age=300: an old authentication is refused, saying how to get a fresh one"
cli secret_file="$T/key" max_auth_age=3000 --user alice <"$T/tok"
ok $? "control: pam-jwt verify max_auth_age=3000: the same token is accepted"
mint --set acr='"pwd"' >"$T/tok"
! cli secret_file="$T/key" acr=phr --user alice <"$T/tok" && grep -qF '"acr" is none of the values' "$T/out"
ok $? "pam-jwt verify acr=phr: acr pwd is refused"
cli secret_file="$T/key" acr=pwd --user alice <"$T/tok"
ok $? "control: pam-jwt verify acr=pwd: the same token is accepted"
mint --set _claim_names='{"groups":"src1"}' >"$T/tok"
! cli secret_file="$T/key" groups=wheel --user alice <"$T/tok" && grep -qF "groups overage: " "$T/out"
ok $? "pam-jwt verify groups=wheel: an overage token is refused as an overage"

done_testing
