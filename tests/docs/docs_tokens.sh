#!/bin/sh
# The guides about keys and tokens, run as written (tests/lib/docs_lib.sh):
# docs/keys.md, docs/stacks.md, docs/long-tokens.md,
# docs/one-time-and-revocation.md, docs/audit-and-troubleshooting.md and
# docs/bound-tokens.md,
# in that order, as the test's user (root or not). The built pam-jwt stands
# for the installed one, with alice and bob from nss_wrapper (tests/lib/lib.sh);
# /etc/security and /etc/pam.d are directories of the test's own, the latter
# holding Debian 12's stock files (tests/data/debian12/); the package's examples
# are the tree's. Beside the blocks' own exit status, what a block shows is
# checked where the guide says what it shows.
. "$top_srcdir/tests/lib/lib.sh"
. "$top_srcdir/tests/lib/docs_lib.sh"
need jq openssl

E=$T/etc
mkdir -p "$E/security" "$E/pam.d" "$T/replay.d"
chmod 755 "$E" "$E/security" "$E/pam.d"
cp "$top_srcdir"/tests/data/debian12/* "$E/pam.d/"
chmod 644 "$E/pam.d"/*
chmod 644 "$T/passwd" "$T/group"

# nss_wrapped's environment (tests/lib/lib.sh), the sanitizer's runtime first when set.
doc_tool "" "env 'LD_PRELOAD=${PAM_JWT_TEST_PRELOAD:+$PAM_JWT_TEST_PRELOAD }libnss_wrapper.so' NSS_WRAPPER_PASSWD=$T/passwd NSS_WRAPPER_GROUP=$T/group"
doc_examples "s|/etc/security/|$E/security/|g"
doc_sub "s|/etc/security|$E/security|g"
doc_sub "s|/etc/pam\\.d|$E/pam.d|g"
# The replay store of the test's own (the default is /var/lib/pam_jwt/replay).
doc_sub "s|replay=local |replay=local replay_dir=$T/replay.d/replay |g"
# install -o root needs root; as another user the file is the user's.
[ "$(id -u)" -eq 0 ] || doc_sub "s| -o root -g root | |"

doc_check() { # N FILE STATUS
	[ "$3" -eq 0 ] || return "$3"
	case $(cat "$2") in
	*'pam-jwt verify --user alice'*'audience=sudo'*'|| echo refused'*)
		doc_out "$1" '✗ aud: "aud" does not include the configured audience' && doc_out "$1" '^refused$' ;;
	*'pam-jwt verify --user alice --token-file bound.jwt'*'|| echo refused'*)
		doc_out "$1" '✗ pop: the token is bound to key [A-Za-z0-9_-]{43} \(cnf\) and needs a DPoP proof' &&
			doc_out "$1" '^refused$' ;;
	*'pam-jwt decode <bound.jwt'*)
		doc_out "$1" '^binding: bound to key [A-Za-z0-9_-]{43} \(cnf\)' ;;
	*'pam-jwt verify --user alice'*'revoked_file='*'|| echo refused'*)
		doc_out "$1" "✗ revocation: token revoked by $E/security/pam_jwt.revoked line [0-9]+ \(sub issued before" &&
			doc_out "$1" '^refused$' ;;
	*'pam-jwt verify --user alice'*revoked_file=*)
		doc_out "$1" '✓ replay: not used yet' && doc_out "$1" '✓ accepted for user alice' ;;
	*'pam-jwt verify --user alice'*)
		doc_out "$1" '✓ accepted for user alice' ;;
	*'pam-jwt split'*)
		doc_out "$1" '^1/2:' && doc_out "$1" '^2/2:' && [ "$(grep -c '^[12]/2:' "$DOC_DIR/$1.out")" -eq 4 ] ;;
	*'sha256sum | cut -c1-16'*)
		doc_out "$1" '^[0-9a-f]{16}$' ;;
	*"grep -n 'pam_jwt"*)
		doc_out "$1" "auth +required +pam_jwt.so secret_file=$E/security/pam_jwt.key audience=ssh" &&
			! doc_out "$1" ':@include common-auth' ;;
	*"grep -n 'token-or-password'"*)
		doc_out "$1" ':@include token-or-password$' && [ -f "$E/pam.d/token-or-password" ] ;;
	*) return 0 ;;
	esac
}
# Revocations with --before now: a token minted in the same second as the
# revocation (iat = before) is not covered; the guide's token is older.
doc_before() { # N FILE
	! grep -q 'revoke --sub alice --before now' "$2" || sleep 1
}

doc_run docs/keys.md
doc_run docs/stacks.md
doc_run docs/long-tokens.md
doc_run docs/one-time-and-revocation.md
doc_run docs/audit-and-troubleshooting.md
doc_run docs/bound-tokens.md

# What the guides made, as they say it would be.
[ "$(stat -c %a "$E/security/pam_jwt.key")" = 600 ] && [ "$(stat -c %a "$E/security/pam_jwt.jwks")" = 644 ] &&
	[ "$(jq '.keys | length' "$E/security/pam_jwt.jwks")" -eq 1 ] &&
	[ "$(jq -r '.keys[0].kid' "$E/security/pam_jwt.jwks")" = "$(jq -r .kid "$T/docwork/issuer-2.jwk")" ]
ok $? "keys.md: the key 0600, the key set 0644 holding issuer-2.jwk's key alone after the rotation"
printf 'alice@example.com alice\ncarol@example.com carolyn\n' | cmp -s - "$E/security/users.map" &&
	[ ! -e "$E/security/users.map.new" ]
ok $? "keys.md: the user map replaced whole, nothing left beside it"
grep -q '^sub alice before=' "$E/security/pam_jwt.revoked" && grep -q '^jti 5d1c0e3a-77f2 until=' "$E/security/pam_jwt.revoked"
ok $? "one-time-and-revocation.md: the revocations are in the file pam-jwt revoke wrote"
done_testing
