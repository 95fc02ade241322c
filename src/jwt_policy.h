/*
 * policy_file=: which accounts a token may log in as. One rule a line:
 *
 *   # who                accounts        [only for]
 *   alice@example.com    alice,deploy
 *   group:ops            deploy
 *   bob@example.com      bob             issuer=https://idp-b.example
 *
 * "who" is an identity (the user claim after user_domain= and
 * user_lowercase; compared exactly, or in any ASCII case with user_nocase) or
 * group:NAME (a group of groups_claim=, exactly). "accounts" is a
 * comma-separated list of local user names. An optional issuer=ISS limits the
 * rule to tokens whose "iss" is exactly ISS. Blank lines and lines starting
 * with '#' are ignored; every line ends with a newline; a malformed line
 * anywhere refuses every token.
 */
#ifndef PAM_JWT_POLICY_H
#define PAM_JWT_POLICY_H

#include <stddef.h>
#include <json-c/json.h>

#include "jwt_config.h"
#include "jwt_err.h"

/* Largest policy file read, in bytes. */
#define JWT_POLICY_MAX ((size_t)1024 * 1024)

/*
 * Every rule that matches the token adds its accounts. With expected (the PAM
 * user) set, the token is admitted when one of them is expected; without it,
 * when they are exactly one account, which *local becomes (a fresh copy). No
 * match, or several accounts and no expected, is JWT_E_USER; a file that is
 * unsafe, unreadable or malformed is JWT_E_KEY. The deciding rule goes to tr.
 */
enum jwt_status jwt_policy_resolve(const struct jwt_config *cfg, json_object *claims,
				   const char *identity, size_t id_len, const char *expected,
				   const struct jwt_trace *tr, char **local, struct jwt_err *err);

/*
 * jwt_policy_resolve() on the rules' text (size bytes; what names it in
 * reasons) instead of the file, read by jwt_text_lines(): a malformed line is
 * JWT_E_KEY.
 */
enum jwt_status jwt_policy_resolve_text(const struct jwt_config *cfg, json_object *claims,
					const char *identity, size_t id_len, const char *expected,
					const struct jwt_trace *tr, const char *what, const char *text,
					size_t size, char **local, struct jwt_err *err);

/*
 * Reads policy_file= path with the module's file rules and checks that every
 * line is a rule: JWT_OK, or JWT_E_KEY with the reason the module would give.
 */
enum jwt_status jwt_policy_check(const char *path, struct jwt_err *err);

#endif
