# A real OpenID Connect provider for the tests: glewlwyd (Debian's package) on
# 127.0.0.1 with a random port, SQLite, and TLS from a test CA made here with
# openssl. Sourced after tests/lib/lib.sh (and tests/lib/real.sh, when used). It
# installs nothing: when glewlwyd is not installed the test skips. Heavy: it
# skips under the sanitizer (PAM_JWT_TEST_PRELOAD) and valgrind
# (PAM_JWT_TEST_WRAPPER) runs too.
#
#   idp_start ALG   starts glewlwyd signing with ALG (RS256, ES256 or EdDSA) and
#                   provisions: a scope "pam", the user $IDP_USER (password
#                   $IDP_PASSWORD, groups wheel and pam-users, sub = user name),
#                   a public client $IDP_CLIENT and a confidential one
#                   $IDP_CCLIENT (secret in $IDP_DIR/client.secret), both for
#                   the device flow, password and refresh grants, and the oidc
#                   plugin whose issuer is $IDP_ISS.
#   idp_serve [SQL] a fresh glewlwyd with Debian's schema (and SQL), and
#                   nothing else: no scope, user, client or plugin of ours;
#                   the admin (admin, password) logged in for idp_api.
#   idp_rotate ALG  gives the provider a new signing key (the old one is gone
#                   from its key set at once).
#   idp_approve USER_CODE   approves a device code as the user would in a
#                   browser: log in to glewlwyd, grant the client, open the
#                   verification URL.
#   idp_stop        stops it (also done at exit).
# $IDP_CA is the test CA's certificate; $IDP_BASE the server's https URL.

[ -z "${PAM_JWT_TEST_PRELOAD:-}" ] || skip_all "glewlwyd tests do not run under the sanitizer (PAM_JWT_TEST_PRELOAD)"
[ -z "${PAM_JWT_TEST_WRAPPER:-}" ] || skip_all "glewlwyd tests do not run under valgrind (PAM_JWT_TEST_WRAPPER)"
command -v glewlwyd >/dev/null 2>&1 || skip_all "glewlwyd is not installed (Debian: glewlwyd)"
need sqlite3 curl jq openssl
IDP_SCHEMA=/usr/share/dbconfig-common/data/glewlwyd/install/sqlite3
[ -f "$IDP_SCHEMA" ] || skip_all "glewlwyd's SQLite schema is missing: $IDP_SCHEMA"

IDP_DIR=$T/idp
IDP_USER=${IDP_USER:-alice}
IDP_PASSWORD=alice-password-$$
IDP_CLIENT=pam-cli
IDP_CCLIENT=pam-cli-conf
IDP_CA=$IDP_DIR/ca.pem
IDP_PID=
mkdir -p "$IDP_DIR"

idp_stop() {
	[ -n "$IDP_PID" ] || return 0
	kill "$IDP_PID" 2>/dev/null
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$IDP_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$IDP_PID" 2>/dev/null
	wait "$IDP_PID" 2>/dev/null
	IDP_PID=
}
# Stop it at exit whoever owns the trap: tests/lib/real.sh has at_exit, lib.sh a
# plain trap.
if command -v at_exit >/dev/null 2>&1; then
	at_exit idp_stop
else
	trap 'idp_stop; rm -rf "$T"' EXIT
fi

# The test CA and the server's certificate (SAN IP:127.0.0.1).
idp_ca() {
	(
		cd "$IDP_DIR" &&
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
			-subj "/CN=pam_jwt test CA" -keyout ca.key -out ca.pem &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-subj "/CN=127.0.0.1" -keyout tls.key -out tls.csr &&
		printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >tls.ext &&
		openssl x509 -req -in tls.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
			-extfile tls.ext -out tls.pem
	) >"$IDP_DIR/openssl.log" 2>&1 || bail_idp "openssl could not make the test CA"
}

bail_idp() {
	echo "Bail out! $*"
	[ -f "$IDP_DIR/glewlwyd.log" ] && tail -n 20 "$IDP_DIR/glewlwyd.log" | sed 's/^/# /'
	exit 1
}

# idp_keypair ALG NAME: a signing key pair, NAME.key and NAME.pub (PEM).
idp_keypair() {
	case $1 in
	RS256) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$IDP_DIR/$2.key" ;;
	ES256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$IDP_DIR/$2.key" ;;
	EdDSA) openssl genpkey -algorithm ED25519 -out "$IDP_DIR/$2.key" ;;
	*) bail_idp "no key type for $1" ;;
	esac 2>/dev/null || bail_idp "openssl could not make a $1 key"
	openssl pkey -in "$IDP_DIR/$2.key" -pubout -out "$IDP_DIR/$2.pub" 2>/dev/null
}

# idp_api METHOD PATH [JSON]: the admin REST API; prints the body, fails on
# an HTTP status other than 200.
idp_api() {
	code=$(curl -sS --cacert "$IDP_CA" -b "$IDP_DIR/admin.jar" -c "$IDP_DIR/admin.jar" \
		-o "$IDP_DIR/api.out" -w '%{http_code}' -X "$1" \
		${3:+-H 'Content-Type: application/json' --data-binary "$3"} "$IDP_BASE/api$2") || return 1
	cat "$IDP_DIR/api.out"
	[ "$code" = 200 ] || { echo "# $1 $2: HTTP $code $(head -c 300 "$IDP_DIR/api.out")" >&2; return 1; }
}

# The oidc plugin's settings for ALG with key pair NAME.
idp_plugin_json() {
	case $1 in
	RS256) type=rsa ;;
	ES256) type=ecdsa ;;
	EdDSA) type=eddsa ;;
	esac
	jq -n --arg iss "$IDP_ISS" --arg type "$type" --rawfile key "$IDP_DIR/$2.key" \
		--rawfile cert "$IDP_DIR/$2.pub" --argjson exp "${IDP_DEVICE_EXPIRATION:-600}" \
		--argjson dpop "$(idp_dpop_json)" '{
		module: "oidc", name: "oidc", display_name: "OpenID Connect", enabled: true,
		parameters: ({
			iss: $iss, "jwt-type": $type, "jwt-key-size": "256", key: $key, cert: $cert,
			"access-token-duration": 3600, "refresh-token-duration": 86400,
			"code-duration": 600, "refresh-token-rolling": true,
			"allow-non-oidc": true,
			"auth-type-code-enabled": true, "auth-type-token-enabled": false,
			"auth-type-id-token-enabled": true, "auth-type-none-enabled": false,
			"auth-type-password-enabled": true, "auth-type-client-enabled": false,
			"auth-type-refresh-enabled": true, "auth-type-device-enabled": true,
			"device-authorization-expiration": $exp, "device-authorization-interval": 1,
			"subject-type": "public", "scope": [], "service-documentation": "",
			claims: [ { name: "groups", "user-property": "groups", type: "string",
				   "mandatory": true, "on-demand": false, "scope": [] } ],
			"additional-parameters": [ { "user-parameter": "groups", "token-parameter": "groups" } ],
			"name-claim": "on-demand", "email-claim": "no"
		} + $dpop)
	}'
}

# The oidc plugin's DPoP settings (../shared/IDP.md) when IDP_DPOP=1, else none.
idp_dpop_json() {
	if [ "${IDP_DPOP:-0}" = 1 ]; then
		echo '{"oauth-dpop-allowed": true, "oauth-dpop-iat-duration": 60,
		"oauth-dpop-iat-gap-duration": 5, "oauth-dpop-nonce-mandatory": false,
		"oauth-dpop-nonce-counter": 10,
		"oauth-dpop-dpop_bound_access_tokens-property": "dpop_bound_access_tokens"}'
	else
		echo '{}'
	fi
}

# idp_serve [SQL]: a fresh glewlwyd, Debian's schema and SQL loaded, started,
# and the admin logged in.
idp_serve() {
	idp_stop
	[ -f "$IDP_CA" ] || idp_ca
	rm -f "$IDP_DIR/glewlwyd.db" "$IDP_DIR/glewlwyd.db-wal" "$IDP_DIR/glewlwyd.db-shm" "$IDP_DIR/admin.jar"
	# The schema and SQL in one transaction (statement by statement it takes
	# seconds).
	{
		echo "PRAGMA journal_mode=WAL; BEGIN;"
		cat "$IDP_SCHEMA"
		printf '%s\n' "${1:-}"
		echo "COMMIT;"
	} | sqlite3 "$IDP_DIR/glewlwyd.db" >/dev/null || bail_idp "cannot load glewlwyd's schema"

	for try in 1 2 3; do
		IDP_PORT=$(free_port)
		IDP_BASE=https://127.0.0.1:$IDP_PORT
		IDP_ISS=$IDP_BASE/api/oidc
		cat >"$IDP_DIR/glewlwyd.conf" <<EOC
port=$IDP_PORT
bind_address="127.0.0.1"
external_url="$IDP_BASE"
login_url="login.html"
api_prefix="api"
log_mode="file"
log_level="${IDP_LOG_LEVEL:-WARNING}"
log_file="$IDP_DIR/glewlwyd.log"
cookie_secure=0
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
login_api_enabled=true
admin_scope="g_admin"
profile_scope="g_profile"
hash_algorithm="SHA512"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
use_secure_connection=true
secure_connection_key_file="$IDP_DIR/tls.key"
secure_connection_pem_file="$IDP_DIR/tls.pem"
database = { type = "sqlite3"; path = "$IDP_DIR/glewlwyd.db"; };
EOC
		: >"$IDP_DIR/glewlwyd.log"
		glewlwyd --config-file="$IDP_DIR/glewlwyd.conf" >>"$IDP_DIR/glewlwyd.log" 2>&1 &
		IDP_PID=$!
		for i in $(seq 1 50); do
			curl -sf --cacert "$IDP_CA" -o /dev/null "$IDP_BASE/config" 2>/dev/null && break
			kill -0 "$IDP_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$IDP_PID" 2>/dev/null && break
		IDP_PID=
	done
	[ -n "$IDP_PID" ] || bail_idp "glewlwyd did not start"

	idp_api POST /auth/ '{"username":"admin","password":"password"}' >/dev/null ||
		bail_idp "cannot log in as glewlwyd's admin"
}

# idp_start ALG: a fresh provider signing with ALG, provisioned for the tests:
# the scope "pam" without a password step of its own, "groups" a
# multi-valued user property, the subject equal to the user name, the user,
# the clients and the oidc plugin.
idp_start() {
	idp_serve "$(cat <<EOS
INSERT INTO g_scope (gs_name, gs_display_name, gs_description, gs_password_required, gs_password_max_age)
  VALUES ('pam', 'pam_jwt', 'Log in to hosts with pam_jwt', 0, 0);
UPDATE g_user_module_instance SET gumi_parameters = json_set(gumi_parameters, '\$."data-format".groups',
  json('{"multiple":true,"read":true,"write":true,"profile-read":true,"profile-write":false}'))
  WHERE gumi_name = 'database';
INSERT INTO gpo_subject_identifier (gposi_plugin_name, gposi_username, gposi_sub)
  VALUES ('oidc', '$IDP_USER', '$IDP_USER');
EOS
)"
	idp_api POST /user/ "$(jq -n --arg u "$IDP_USER" --arg p "$IDP_PASSWORD" '{
		username: $u, password: $p, name: "Alice Test", email: "alice@example.test",
		enabled: true, scope: ["openid", "pam", "g_profile"], groups: ["wheel", "pam-users"] }')" \
		>/dev/null || bail_idp "cannot add the user"
	idp_api POST /client/ "$(jq -n --arg c "$IDP_CLIENT" '{
		client_id: $c, name: "pam-jwt login", enabled: true, confidential: false,
		authorization_type: ["device_authorization", "password", "refresh_token"],
		redirect_uri: [], scope: [] }')" >/dev/null || bail_idp "cannot add the client"
	# The password grant wants a confidential client (a public one is refused,
	# and without any client the ID token has no audience).
	head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$IDP_DIR/client.secret"
	idp_api POST /client/ "$(jq -n --arg c "$IDP_CCLIENT" --rawfile s "$IDP_DIR/client.secret" '{
		client_id: $c, name: "pam-jwt login (confidential)", enabled: true, confidential: true,
		password: ($s | rtrimstr("\n")),
		token_endpoint_auth_method: ["client_secret_basic", "client_secret_post"],
		authorization_type: ["device_authorization", "password", "refresh_token"],
		redirect_uri: [], scope: [] }')" >/dev/null || bail_idp "cannot add the confidential client"
	idp_keypair "$1" sign
	idp_api POST /mod/plugin/ "$(idp_plugin_json "$1" sign)" >/dev/null ||
		bail_idp "cannot add the oidc plugin"
	IDP_ALG=$1
}

# idp_rotate ALG: a new signing key; the provider's key set then holds it alone.
idp_rotate() {
	idp_keypair "$1" sign2
	idp_api PUT /mod/plugin/oidc "$(idp_plugin_json "$1" sign2)" >/dev/null &&
		idp_api PUT /mod/plugin/oidc/reset >/dev/null ||
		bail_idp "cannot change the signing key"
}

# idp_approve USER_CODE: the user's side of the device flow, as the browser
# does it: log in with the password, grant the client the scopes
# ($IDP_SCOPE, default "openid pam"), and open the verification URL with the
# code. Fails unless glewlwyd says complete.
idp_approve() {
	jar=$IDP_DIR/user.jar
	rm -f "$jar"
	curl -sSf --cacert "$IDP_CA" -c "$jar" -b "$jar" -o /dev/null -H 'Content-Type: application/json' \
		--data-binary "$(jq -n --arg u "$IDP_USER" --arg p "$IDP_PASSWORD" '{username: $u, password: $p}')" \
		"$IDP_BASE/api/auth/" || return 1
	curl -sSf --cacert "$IDP_CA" -c "$jar" -b "$jar" -o /dev/null -X PUT -H 'Content-Type: application/json' \
		--data-binary "{\"scope\":\"${IDP_SCOPE:-openid pam}\"}" "$IDP_BASE/api/auth/grant/$IDP_CLIENT" || return 1
	loc=$(curl -sS --cacert "$IDP_CA" -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' \
		"$IDP_BASE/api/oidc/device?code=$1&g_continue")
	case $loc in
	*prompt=deviceComplete*) return 0 ;;
	*) echo "# glewlwyd did not complete the device approval: $loc" >&2; return 1 ;;
	esac
}

# idp_device_login APPROVE COMMAND...: COMMAND (a pam-jwt login) in the
# background; once it shows the device code, APPROVE (a command given the
# code, idp_approve or one that does nothing) plays the user's part. What
# COMMAND wrote goes to $T/out; its exit status is returned.
idp_device_login() {
	approve=$1
	shift
	rm -f "$T/login.err"
	"$@" >"$T/login.out" 2>"$T/login.err" &
	lp=$!
	for i in $(seq 1 100); do
		grep -q "enter the code" "$T/login.err" 2>/dev/null && break
		sleep 0.05
	done
	$approve "$(sed -n 's/^and enter the code //p' "$T/login.err")"
	wait $lp
	login_status=$?
	cat "$T/login.out" "$T/login.err" >"$T/out"
	return $login_status
}

# idp_login APPROVE ARGS...: pam-jwt login --issuer --client-id --cacert of the
# test provider, with ARGS, through idp_device_login.
idp_login() {
	approve=$1
	shift
	idp_device_login "$approve" "$PAM_JWT" login --issuer "$IDP_ISS" --client-id "$IDP_CLIENT" \
		--cacert "$IDP_CA" "$@"
}

# idp_password_token KIND: a token by password grant straight from glewlwyd
# (curl), KIND id_token or access_token.
idp_password_token() {
	curl -sSf --cacert "$IDP_CA" -u "$IDP_CCLIENT:$(cat "$IDP_DIR/client.secret")" -d grant_type=password \
		-d username="$IDP_USER" -d password="$IDP_PASSWORD" -d scope="openid pam" \
		"$IDP_ISS/token" | jq -r ".$1"
}
