#!/bin/sh
# docs/fleet-redis.md, run as written (tests/lib/docs_lib.sh), against a
# redis-server of the test's own on 127.0.0.1 (tests/lib/redis_lib.sh) where the
# guide says 10.0.0.5:6379: it starts with the ACL file the guide fills in,
# and the guide's password files, key set and one-time line are used against
# it. The built pam-jwt stands for the installed one, with alice from
# nss_wrapper (tests/lib/lib.sh); /etc/security is a directory of the test's.
# Then what the guide says of a revocation in Redis: the token is refused,
# and the module's ACL user may read the revocation but not lift it.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/redis_lib.sh"
. "$top_srcdir/tests/lib/docs_lib.sh"
need openssl sha256sum

E=$T/etc
mkdir -p "$E/security" && chmod 755 "$E" "$E/security"
chmod 644 "$T/passwd" "$T/group"
port=$(free_port)
# nss_wrapped's environment (tests/lib/lib.sh), the sanitizer's runtime first when set.
doc_tool "" "env 'LD_PRELOAD=${PAM_JWT_TEST_PRELOAD:+$PAM_JWT_TEST_PRELOAD }libnss_wrapper.so' NSS_WRAPPER_PASSWD=$T/passwd NSS_WRAPPER_GROUP=$T/group"
doc_examples
doc_sub "s|10\\.0\\.0\\.5:6379|127.0.0.1:$port|g"
doc_sub "s|/etc/security|$E/security|g"

# The guide's ACL file, once filled in, is the server's.
doc_check() { # N FILE STATUS
	[ "$3" -eq 0 ] || return "$3"
	case $(cat "$2") in
	*'SHA256-OF-THE'*)
		[ -s "$T/docwork/pamjwt.password" ] && [ "$(stat -c %a "$T/docwork/pamjwt.password")" = 600 ] &&
			start_redis redis "$port" --aclfile "$T/docwork/users.acl" ;;
	*'pam-jwt verify'*) doc_out "$1" '✓ replay: not used yet' && doc_out "$1" '✓ accepted for user alice' ;;
	*'revoke --redis'*'--list') doc_out "$1" 'sub alice' ;;
	*) return 0 ;;
	esac
}

# A revocation --before now covers tokens issued before that second: the
# guide's token is older.
doc_before() { # N FILE
	! grep -q 'revoke --redis .*--before now' "$2" || sleep 1
}

doc_run docs/fleet-redis.md

# The revocation the guide made in Redis refuses the token it minted.
nss_wrapped "$top_builddir/pam-jwt" verify --user alice jwks_file="$E/security/pam_jwt.jwks" audience=ssh \
	max_lifetime=3600 replay=redis redis="127.0.0.1:$port" redis_password_file="$E/security/pam_jwt.redis" \
	<"$T/docwork/alice.token" >"$T/out" 2>&1
[ $? -eq 1 ] && grep -q 'token revoked in Redis (sub issued before' "$T/out"
ok $? "the guide's revocation in Redis refuses alice's token"
REDISCLI_AUTH=$(cut -d' ' -f2- "$T/docwork/pamjwt.password") redis-cli --no-auth-warning --user pamjwt \
	-h 127.0.0.1 -p "$port" DEL pam_jwt:revoked:sub:alice >"$T/out" 2>&1
grep -q NOPERM "$T/out"
ok $? "the module's user (pamjwt, the guide's password) may not lift it: $(head -c 80 "$T/out")"
done_testing
