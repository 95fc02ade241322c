#!/bin/sh
# Who may log in as whom, through the real pamtester with tokens from PyJWT:
# groups=, require_claim=, allow_root, %h and %s, several issuers, policy_file=,
# the identity transforms, and tokens shaped like glewlwyd's. Each refusal sits
# beside an accepted control. The examples of docs/authorization.md ("Who may
# log in as whom") are taken from the guide itself and run here.
. "$top_srcdir/tests/lib/lib.sh"

# More accounts: toor is root under another name (uid 0), deploy a shared account.
cat >>"$T/passwd" <<EOP
toor:x:0:0:root under another name:/root:/bin/sh
deploy:x:1003:1003:Deploy:/home/deploy:/bin/sh
EOP

# --- groups= and groups_claim= ------------------------------------------------
service groups "$(jwt_line groups=wheel)"
expect "groups=wheel: an array holding wheel logs in" groups alice "$(mint --set groups='["staff","wheel"]')" "$ACCEPT"
expect "groups=wheel: an array without wheel is refused, naming the groups" groups alice \
	"$(mint --set groups='["staff"]')" "$AUTH_ERR" "none of the groups groups= requires (wheel)"
expect "groups=wheel: the one string wheel logs in" groups alice "$(mint --set groups='"wheel"')" "$ACCEPT"
expect "groups=wheel: a comma-joined string holding wheel logs in" groups alice "$(mint --set groups='"staff,wheel"')" "$ACCEPT"
expect "groups=wheel: a comma-joined string holding wheels is refused" groups alice \
	"$(mint --set groups='"staff,wheels"')" "$AUTH_ERR" "none of the groups"
expect "groups=wheel: whee (a prefix) is refused" groups alice "$(mint --set groups='["whee"]')" "$AUTH_ERR" "none of the groups"
expect "groups=wheel: no groups claim is refused" groups alice "$(mint)" "$AUTH_ERR" 'no "groups" claim'
expect "groups=wheel: a number is refused" groups alice "$(mint --set groups=7)" "$AUTH_ERR" "neither a string nor an array"
expect "groups=wheel: a non-string member is refused" groups alice "$(mint --set groups='["wheel",7]')" \
	"$AUTH_ERR" "not a string"
service keycloak "$(jwt_line groups=wheel groups_claim=realm_access.roles)"
expect "groups_claim=realm_access.roles: the nested roles hold wheel" keycloak alice \
	"$(mint --set realm_access='{"roles":["wheel"]}')" "$ACCEPT"
expect "groups_claim=realm_access.roles: the nested roles lack wheel" keycloak alice \
	"$(mint --set realm_access='{"roles":["user"]}' --set groups='["wheel"]')" "$AUTH_ERR" "none of the groups"

# --- require_claim= -----------------------------------------------------------
service req "$(jwt_line require_claim=email_verified=true,azp=ssh-client)"
expect "require_claim=: both claims as required log in" req alice \
	"$(mint --set email_verified=true --set azp='"ssh-client"')" "$ACCEPT"
expect "require_claim=: email_verified false is refused" req alice \
	"$(mint --set email_verified=false --set azp='"ssh-client"')" "$AUTH_ERR" '"email_verified" is not what require_claim= needs'
expect "require_claim=: azp ssh-client2 (an extension) is refused" req alice \
	"$(mint --set email_verified=true --set azp='"ssh-client2"')" "$AUTH_ERR" '"azp" is not what'
expect "require_claim=: a missing azp is refused" req alice \
	"$(mint --set email_verified=true)" "$AUTH_ERR" 'no "azp" claim'

# --- allow_root ---------------------------------------------------------------
service noroot "$(jwt_line)"
service withroot "$(jwt_line allow_root)"
expect "no allow_root: a token for root is refused, logged as such" noroot root "$(mint --sub root)" \
	"$AUTH_ERR" 'account "root" has uid 0 and allow_root is not set'
expect "no allow_root: toor, uid 0 under another name, is refused" noroot toor "$(mint --sub toor)" \
	"$AUTH_ERR" 'account "toor" has uid 0'
expect "no allow_root: no PAM user, a token for root is refused" noroot "" "$(mint --sub root)" "$AUTH_ERR" "uid 0"
expect "no allow_root: alice logs in" noroot alice "$(mint)" "$ACCEPT"
expect "allow_root: a token for root logs in" withroot root "$(mint --sub root)" "$ACCEPT"
printf 'admin@example.com  root\n' >"$T/root.policy"
service polroot "$(jwt_line policy_file=$T/root.policy)"
service polroot_allow "$(jwt_line policy_file=$T/root.policy allow_root)"
expect "a policy naming root, no allow_root: refused" polroot root "$(mint --sub admin@example.com)" "$AUTH_ERR" "uid 0"
expect "a policy naming root, allow_root: logs in" polroot_allow root "$(mint --sub admin@example.com)" "$ACCEPT"

# pam.d-examples/su as written: a token never makes its holder root there.
example su
as_su_caller
AS_USER=$SU_CALLER expect "su example: su to root with a token for root is refused (no allow_root)" \
	su root "$(mint --set aud='"su"' --sub root)" "$AUTH_ERR" "allow_root is not set"
AS_USER=$SU_CALLER expect "su example: su to alice with a token for alice works" \
	su alice "$(mint --set aud='"su"')" "$ACCEPT"
su_caller_done

# --- %h and %s ----------------------------------------------------------------
host=$("$PYTHON3" -c 'import socket; print(socket.gethostname())')
service hostbound "$(jwt_line audience=ssh:%h)"
expect "audience=ssh:%h: a token for this host logs in" hostbound alice "$(mint --set aud="\"ssh:$host\"")" "$ACCEPT"
expect "audience=ssh:%h: a token for another host is refused" hostbound alice \
	"$(mint --set aud="\"ssh:other-$host\"")" "$AUTH_ERR" "does not include"
expect "audience=ssh:%h: a token for this host's name extended is refused" hostbound alice \
	"$(mint --set aud="\"ssh:$host.example\"")" "$AUTH_ERR" "does not include"
service login-a "$(jwt_line audience=pam:%s)"
service login-b "$(jwt_line audience=pam:%s)"
expect "audience=pam:%s: the service's own token logs in" login-a alice "$(mint --set aud='"pam:login-a"')" "$ACCEPT"
expect "audience=pam:%s: another service's token is refused" login-b alice \
	"$(mint --set aud='"pam:login-a"')" "$AUTH_ERR" "does not include"

# --- several issuers ----------------------------------------------------------
newkey 32 "$T/a.key"
newkey 32 "$T/b.key"
jwks() { # KEYFILE ISSUER KID: a JWK Set of one oct key bound to ISSUER
	"$PYTHON3" -c 'import base64, json, sys
k = base64.urlsafe_b64encode(open(sys.argv[1], "rb").read()).rstrip(b"=").decode()
print(json.dumps({"issuer": sys.argv[2], "keys": [{"kty": "oct", "kid": sys.argv[3], "k": k}]}))' "$@"
}
jwks "$T/a.key" https://a.example a >"$T/a.jwks"
jwks "$T/b.key" https://b.example b >"$T/b.jwks"
service issuers "auth required pam_jwt.so jwks_file=$T/a.jwks,$T/b.jwks issuer=https://a.example,https://b.example"
signed() { # KEY KID ISS: a token for alice signed with KEY under KID, claiming ISS
	mint --raw --key "$1" --header-json "{\"alg\":\"HS256\",\"kid\":\"$2\"}" --set iss="\"$3\""
}
expect "two issuers: A's key claiming A logs in" issuers alice "$(signed "$T/a.key" a https://a.example)" "$ACCEPT"
expect "two issuers: B's key claiming B logs in" issuers alice "$(signed "$T/b.key" b https://b.example)" "$ACCEPT"
expect "two issuers: A's key claiming B is refused" issuers alice "$(signed "$T/a.key" a https://b.example)" \
	"$AUTH_ERR" "not the issuer the verifying key belongs to"
expect "two issuers: A's key under B's kid is refused" issuers alice "$(signed "$T/a.key" b https://b.example)" \
	"$AUTH_ERR" "signature"
service secret_a "auth required pam_jwt.so secret_file=$T/a.key secret_issuer=https://a.example jwks_file=$T/b.jwks issuer=https://a.example,https://b.example"
expect "secret_issuer=A beside B's key set: A's secret claiming A logs in" secret_a alice \
	"$(mint --key "$T/a.key" --set iss='"https://a.example"')" "$ACCEPT"
expect "secret_issuer=A beside B's key set: A's secret claiming B is refused" secret_a alice \
	"$(mint --key "$T/a.key" --set iss='"https://b.example"')" "$AUTH_ERR" "not the issuer the verifying key"

# --- one identity, two accounts -----------------------------------------------
printf '# who               accounts\nalice@example.com   alice,deploy\n' >"$T/two.policy"
service two "$(jwt_line policy_file=$T/two.policy)"
expect "policy: alice@example.com logs in as alice" two alice "$(mint --sub alice@example.com)" "$ACCEPT"
expect "policy: alice@example.com logs in as deploy" two deploy "$(mint --sub alice@example.com)" "$ACCEPT"
expect "policy: alice@example.com, no PAM user: refused, not guessed" two "" "$(mint --sub alice@example.com)" \
	"$AUTH_ERR" "several accounts"
expect "policy: alice@example.com cannot log in as bob" two bob "$(mint --sub alice@example.com)" "$AUTH_ERR" "no rule"

# --- identity transforms ------------------------------------------------------
service dom "$(jwt_line user_domain=example.com)"
expect "user_domain=example.com: alice@example.com logs in as alice" dom alice "$(mint --sub alice@example.com)" "$ACCEPT"
expect "user_domain=example.com: alice@evil.example is refused" dom alice "$(mint --sub alice@evil.example)" \
	"$AUTH_ERR" "not of the form name@example.com"
expect "user_domain=example.com: alice@example.com.evil is refused" dom alice "$(mint --sub alice@example.com.evil)" \
	"$AUTH_ERR" "not of the form"
expect "without user_domain=: alice@example.com is not alice" noroot alice "$(mint --sub alice@example.com)" \
	"$AUTH_ERR" 'token is for user "alice@example.com"'
service lower "$(jwt_line user_lowercase)"
expect "user_lowercase: ALICE logs in as alice" lower alice "$(mint --sub ALICE)" "$ACCEPT"
expect "without user_lowercase: ALICE is not alice" noroot alice "$(mint --sub ALICE)" "$AUTH_ERR" 'token is for user "ALICE"'
printf 'Alice@Example.COM alice\n' >"$T/nocase.map"
service nocase "$(jwt_line user_map=$T/nocase.map user_nocase)"
service case "$(jwt_line user_map=$T/nocase.map)"
expect "user_nocase: alice@example.com matches Alice@Example.COM" nocase alice "$(mint --sub alice@example.com)" "$ACCEPT"
expect "without user_nocase: alice@example.com has no entry" case alice "$(mint --sub alice@example.com)" "$AUTH_ERR" "no entry"

# --- tokens shaped like glewlwyd's --------------------------------------------
# ID token: groups as an array, aud the client id. Access token: groups as a
# comma-joined string, aud the scope string (a pam.d argument with a space goes
# in square brackets).
glew=https://glewlwyd.example/api/oidc/
service glew_id "$(jwt_line groups=wheel audience=pam-client issuer=$glew)"
service glew_at "$(jwt_line groups=wheel "[audience=openid pam]")"
expect "glewlwyd ID token with wheel logs in" glew_id alice \
	"$(mint --set iss="\"$glew\"" --set aud='"pam-client"' --set groups='["users","wheel"]')" "$ACCEPT"
expect "glewlwyd ID token without wheel is refused" glew_id alice \
	"$(mint --set iss="\"$glew\"" --set aud='"pam-client"' --set groups='["users"]')" "$AUTH_ERR" "none of the groups"
expect "glewlwyd access token with wheel logs in" glew_at alice \
	"$(mint --set aud='"openid pam"' --set scope='"openid pam"' --set groups='"users,wheel"')" "$ACCEPT"
expect "glewlwyd access token without wheel is refused" glew_at alice \
	"$(mint --set aud='"openid pam"' --set groups='"users,wheelie"')" "$AUTH_ERR" "none of the groups"
expect "glewlwyd access token for another scope is refused" glew_at alice \
	"$(mint --set aud='"openid"' --set groups='"users,wheel"')" "$AUTH_ERR" "does not include"

# --- the guide's examples, taken from docs/authorization.md --------------------
cp "$top_srcdir/docs/authorization.md" "$T/readme"
readme_line() { # COMMENT: the auth line after "# COMMENT..." in the guide, paths made ours
	awk -v c="# $1" 'index($0, c) == 1 {g = 1; next} g && /^auth/ {print; exit}' "$T/readme" |
		sed -e "s|/etc/security/pam_jwt\.key|$T/key|" -e "s|/etc/security/pam_jwt\.policy|$T/readme.policy|" \
		    -e "s|/etc/security/idp-a\.jwks|$T/idp-a.jwks|" -e "s|/etc/security/idp-b\.jwks|$T/idp-b.jwks|"
}
readme_service() { # NAME COMMENT
	line=$(readme_line "$2")
	[ -n "$line" ]
	ok $? "docs/authorization.md example \"$2\" is there"
	service "$1" "$line"
}
echo "carol:x:1004:1004:Carol:/home/carol:/bin/sh" >>"$T/passwd"

readme_service rd_host "/etc/pam.d/sshd: tokens for this host only"
hostok() { mint --set aud="\"ssh:$host\"" --set groups='["ssh-users"]' --set amr='["pwd","mfa"]' "$@"; }
expect "guide host/group/MFA example: the token it describes logs in" rd_host alice "$(hostok)" "$ACCEPT"
expect "guide host/group/MFA example: another host's token is refused" rd_host alice \
	"$(hostok --set aud='"ssh:otherhost"')" "$AUTH_ERR" "does not include"
expect "guide host/group/MFA example: without mfa refused" rd_host alice \
	"$(hostok --set amr='["pwd"]')" "$AUTH_ERR" '"amr" is not what'
expect "guide host/group/MFA example: group ssh-users2 refused" rd_host alice \
	"$(hostok --set groups='["ssh-users2"]')" "$AUTH_ERR" "none of the groups"

readme_service rd_su "/etc/pam.d/su: a token of group wheel may become root"
expect "guide su example: a token of group wheel becomes root" rd_su root \
	"$(mint --sub root --set aud='"su"' --set groups='["wheel"]')" "$ACCEPT"
expect "guide su example: a token for root without wheel is refused" rd_su root \
	"$(mint --sub root --set aud='"su"' --set groups='["users"]')" "$AUTH_ERR" "none of the groups"

readme_service rd_entra "/etc/pam.d/sshd: Entra ID tokens"
expect "guide Entra example: upn Alice@Contoso.example logs in as alice" rd_entra alice \
	"$(mint --sub x --set upn='"Alice@Contoso.example"')" "$ACCEPT"
expect "guide Entra example: upn alice@evil.example is refused" rd_entra alice \
	"$(mint --sub x --set upn='"alice@evil.example"')" "$AUTH_ERR" "not of the form"

awk 'index($0, "# /etc/security/pam_jwt.policy") == 1 {g = 1; next} g && /^(```)?$/ {exit} g' \
	"$T/readme" >"$T/readme.policy"
grep -q '^group:ops' "$T/readme.policy"
ok $? "docs/authorization.md policy file example is there"
readme_service rd_policy "/etc/security/pam_jwt.policy"
expect "guide policy: alice@example.com as alice" rd_policy alice "$(mint --sub alice@example.com)" "$ACCEPT"
expect "guide policy: alice@example.com as deploy" rd_policy deploy "$(mint --sub alice@example.com)" "$ACCEPT"
expect "guide policy: alice@example.com with no PAM user is refused" rd_policy "" \
	"$(mint --sub alice@example.com)" "$AUTH_ERR" "several accounts"
expect "guide policy: bob@example.com as bob, no PAM user needed" rd_policy "" "$(mint --sub bob@example.com)" \
	"$ACCEPT" "token accepted for user bob"
expect "guide policy: bob@example.com (not in ops) as deploy is refused" rd_policy deploy \
	"$(mint --sub bob@example.com)" "$AUTH_ERR" "no rule"
expect "guide policy: anyone in ops as deploy" rd_policy deploy \
	"$(mint --sub dave@example.com --set groups='["ops"]')" "$ACCEPT"
expect "guide policy: carol with the partner's iss" rd_policy carol \
	"$(mint --sub carol@partner.example --set iss='"https://idp.partner.example"')" "$ACCEPT"
expect "guide policy: carol with another iss is refused" rd_policy carol \
	"$(mint --sub carol@partner.example --set iss='"https://idp.example"')" "$AUTH_ERR" "no rule"

cp "$T/a.key" "$T/ra.key"
jwks "$T/a.key" https://idp-a.example a >"$T/idp-a.jwks"
jwks "$T/b.key" https://idp-b.example b >"$T/idp-b.jwks"
readme_service rd_issuers "/etc/security/idp-b.jwks"
expect "guide issuers: A's key claiming A logs in" rd_issuers alice "$(signed "$T/a.key" a https://idp-a.example)" "$ACCEPT"
expect "guide issuers: A's key claiming B is refused" rd_issuers alice "$(signed "$T/a.key" a https://idp-b.example)" \
	"$AUTH_ERR" "not the issuer the verifying key belongs to"

# pam-jwt verify explains the rules as the module decides them.
cli() { nss_wrapped "$top_builddir/pam-jwt" verify "$@" >"$T/out" 2>&1; }
mint --sub dave@example.com --set groups='["ops"]' >"$T/tok"
cli secret_file="$T/key" policy_file="$T/readme.policy" --user deploy <"$T/tok" &&
	grep -qF "policy: $T/readme.policy:4 admits account deploy" "$T/out"
ok $? "pam-jwt verify names the policy line that admitted the account"
mint --sub root >"$T/tok"
! cli secret_file="$T/key" --user root <"$T/tok" && grep -q "root: account \"root\" has uid 0" "$T/out"
ok $? "pam-jwt verify shows the root guard refusing"
mint --set aud='"ssh:hostA"' >"$T/tok"
cli secret_file="$T/key" audience=ssh:%h --host hostA --user alice <"$T/tok"
ok $? "pam-jwt verify --host hostA: a token for ssh:hostA is accepted"
! cli secret_file="$T/key" audience=ssh:%h --host hostB --user alice <"$T/tok"
ok $? "pam-jwt verify --host hostB: the same token is refused"
mint --set aud='"pam:sshd"' >"$T/tok"
cli secret_file="$T/key" audience=pam:%s --service sshd --user alice <"$T/tok"
ok $? "pam-jwt verify --service sshd: a token for pam:sshd is accepted"
! cli secret_file="$T/key" audience=pam:%s --user alice <"$T/tok" && grep -q "PAM service is not known" "$T/out"
ok $? "pam-jwt verify without --service: %s cannot be decided, refused"

done_testing
