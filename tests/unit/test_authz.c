/*
 * Who may log in as which account, through jwt_verify() with a fixed clock:
 * require_claim=, groups= (every form of the groups claim), allow_root,
 * issuer=/audience= lists with %h and %s, key sets bound to an issuer,
 * policy_file= and the identity transforms, max_auth_age=, acr= and groups
 * overage. Each refusal sits beside an
 * accepted control that differs only in what the rule checks.
 *
 * The accounts are the system's own: root (uid 0), daemon and bin.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jwt_config.h"
#include "jwt_json.h"
#include "jwt_policy.h"
#include "jwt_revoke.h"
#include "jwt_user.h"
#include "jwt_verify.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

#define NOW 1700000000LL
#define EXP "\"exp\":1700000100"
#define HS256 "{\"alg\":\"HS256\"}"

static char dir[] = "/tmp/pam_jwt_authz.XXXXXX";
static const unsigned char key32[] = "0123456789abcdef0123456789abcdef";
static const unsigned char key_a[] = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
static const unsigned char key_b[] = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

/* What the last verification said. */
static char reason[256], trace[8192], *got_user;
/* cfg->service and cfg->host for the next verifications (the module's PAM_SERVICE). */
static const char *service = "sshd", *host = "hostA";

static void step(void *ctx, const char *check, bool ok_, const char *detail)
{
	size_t n = strlen(trace);

	(void)ctx;
	snprintf(trace + n, sizeof(trace) - n, "%s: %s: %s\n", check, ok_ ? "ok" : "failed", detail);
}

/*
 * Verifies tok with args, a space-separated list of module arguments where
 * "$D" stands for the scratch directory, for pam_user (NULL: none).
 */
static enum jwt_status verify_args(const char *args, const char *tok, const char *pam_user)
{
	char buf[2048], *argv[32], *save = NULL;
	size_t n = 0;
	int argc = 0;
	struct jwt_config cfg;
	struct jwt_err err = { 0 };
	struct jwt_trace tr = { .step = step };
	enum jwt_status rc;

	for (const char *p = args; *p != '\0' && n + 64 < sizeof(buf); p++) {
		if (p[0] == '$' && p[1] == 'D') {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", dir);
			p++;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n] = '\0';
	for (char *w = strtok_r(buf, " ", &save); w != NULL && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	free(got_user);
	got_user = NULL;
	trace[0] = '\0';
	rc = jwt_config_parse(&cfg, argc, (const char **)argv, &err);
	if (rc == JWT_OK) {
		cfg.service = service;
		cfg.host = host;
		rc = jwt_verify(&cfg, tok, strlen(tok), NOW, pam_user, &tr, NULL, &got_user, &err);
	}
	snprintf(reason, sizeof(reason), "%s", rc == JWT_OK ? "" : err.reason);
	if (rc != JWT_OK)
		printf("#   %s: %s\n", jwt_status_name(rc), reason);
	return rc;
}

/* An HS256 token with members (JSON members without braces) signed with k. */
static char *token(const char *members, const unsigned char *k, const char *kid)
{
	char header[128], payload[2048];

	if (kid != NULL)
		snprintf(header, sizeof(header), "{\"alg\":\"HS256\",\"kid\":\"%s\"}", kid);
	else
		snprintf(header, sizeof(header), HS256);
	snprintf(payload, sizeof(payload), "{%s," EXP "}", members);
	return mint(JWT_ALG_HS256, header, payload, k, 32);
}

/* Verifies a token of members, signed with the secret_file= key, with args after it. */
static enum jwt_status V(const char *args, const char *members, const char *pam_user)
{
	char full[1024], *tok = token(members, key32, NULL);
	enum jwt_status rc;

	snprintf(full, sizeof(full), "secret_file=$D/key %s", args);
	rc = verify_args(full, tok, pam_user);
	free(tok);
	return rc;
}

static bool user_is(const char *name)
{
	return got_user != NULL && strcmp(got_user, name) == 0;
}

static void put(const char *name, const char *text, mode_t mode)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	write_file(path, text, strlen(text), mode);
}

static void test_groups(void)
{
	const char *g = "allow_root groups=wheel";

	/* Forms of the claim. */
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"staff\",\"wheel\"]", "daemon") == JWT_OK,
	   "groups=: an array holding the group admits");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"staff\"]", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "(wheel)") != NULL,
	   "groups=: an array without it is refused, naming the required groups");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"wheel\"", "daemon") == JWT_OK,
	   "groups=: one string that is the group admits");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"staff\"", "daemon") == JWT_E_CLAIMS,
	   "groups=: one string that is another group is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"staff,wheel\"", "daemon") == JWT_OK,
	   "groups=: a comma-joined string (glewlwyd access token) holding it admits");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"staff,admin\"", "daemon") == JWT_E_CLAIMS,
	   "groups=: a comma-joined string without it is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"staff, wheel\"", "daemon") == JWT_E_CLAIMS,
	   "groups=: no whitespace is trimmed (\" wheel\" is not wheel)");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"wheel,\"", "daemon") == JWT_OK,
	   "groups=: an empty part of a comma-joined string is ignored");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"staff,wheel\"]", "daemon") == JWT_E_CLAIMS,
	   "groups=: array members are not split at commas");
	/* Exact comparison: prefixes and extensions. */
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"whee\"]", "daemon") == JWT_E_CLAIMS,
	   "groups=: a prefix of the group is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"wheel2\"]", "daemon") == JWT_E_CLAIMS,
	   "groups=: an extension of the group is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"wheels,staff\"", "daemon") == JWT_E_CLAIMS,
	   "groups=: an extension inside a comma-joined string is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"staff,whee\"", "daemon") == JWT_E_CLAIMS,
	   "groups=: a prefix inside a comma-joined string is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":\"staff,\"", "daemon") == JWT_E_CLAIMS,
	   "groups=: an empty part of a comma-joined string matches no group");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"Wheel\"]", "daemon") == JWT_E_CLAIMS,
	   "groups=: another case is another group");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"wheel\\u0000x\"]", "daemon") != JWT_OK,
	   "groups=: a group with a NUL after the name is refused");
	/* Missing and wrong types. */
	ok(V(g, "\"sub\":\"daemon\"", "daemon") == JWT_E_CLAIMS && strstr(reason, "no \"groups\""),
	   "groups=: a token without the claim is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":7", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "neither a string nor an array") != NULL,
	   "groups=: a number is refused with a reason");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":{\"wheel\":true}", "daemon") == JWT_E_CLAIMS,
	   "groups=: an object is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":null", "daemon") == JWT_E_CLAIMS,
	   "groups=: null is refused");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[\"wheel\",7]", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "not a string") != NULL,
	   "groups=: an array with a non-string member is refused, even holding the group");
	ok(V(g, "\"sub\":\"daemon\",\"groups\":[[\"wheel\"]]", "daemon") == JWT_E_CLAIMS,
	   "groups=: a nested array is refused");
	/* Any one of several groups. */
	ok(V("groups=admin,wheel", "\"sub\":\"daemon\",\"groups\":[\"wheel\"]", "daemon") == JWT_OK,
	   "groups=admin,wheel: either group admits");
	ok(V("groups=admin,wheel", "\"sub\":\"daemon\",\"groups\":[\"adm\"]", "daemon") == JWT_E_CLAIMS,
	   "groups=admin,wheel: neither is refused");
	/* Where the claim is. */
	ok(V("groups=wheel groups_claim=realm_access.roles",
	     "\"sub\":\"daemon\",\"realm_access\":{\"roles\":[\"wheel\"]}", "daemon") == JWT_OK,
	   "groups_claim=realm_access.roles: a nested claim (Keycloak) admits");
	ok(V("groups=wheel groups_claim=realm_access.roles",
	     "\"sub\":\"daemon\",\"realm_access\":{\"roles\":[\"user\"]},\"groups\":[\"wheel\"]",
	     "daemon") == JWT_E_CLAIMS,
	   "groups_claim=realm_access.roles: only the nested claim counts");
	ok(V("groups=wheel groups_claim=realm_access.roles",
	     "\"sub\":\"daemon\",\"realm_access\":\"wheel\"", "daemon") == JWT_E_CLAIMS,
	   "groups_claim=realm_access.roles: a string where the object should be is refused");
	ok(V("groups=wheel groups_claim=https://example.com/roles",
	     "\"sub\":\"daemon\",\"https://example.com/roles\":[\"wheel\"]", "daemon") == JWT_OK,
	   "groups_claim: a namespaced claim with dots is found by its whole name");
	ok(V("groups=wheel groups_claim=roles", "\"sub\":\"daemon\",\"groups\":[\"wheel\"]",
	     "daemon") == JWT_E_CLAIMS, "groups_claim=roles: the groups claim is not read");
	ok(V("groups=a,,b", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "groups= with an empty element is a configuration error");
	ok(V("groups_claim=a..b groups=x", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "groups_claim= with an empty step is a configuration error");
	ok(V("groups=wheel", "\"sub\":\"daemon\",\"groups\":[\"wheel\"]", "daemon") == JWT_OK &&
	   strstr(trace, "groups: ok: member of wheel") != NULL, "the trace names the group that admitted");
}

static void test_require_claim(void)
{
	ok(V("require_claim=email_verified=true", "\"sub\":\"daemon\",\"email_verified\":true",
	     "daemon") == JWT_OK, "require_claim=email_verified=true: true admits");
	ok(V("require_claim=email_verified=true", "\"sub\":\"daemon\",\"email_verified\":false",
	     "daemon") == JWT_E_CLAIMS, "require_claim=email_verified=true: false is refused");
	ok(V("require_claim=email_verified=true", "\"sub\":\"daemon\"", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "no \"email_verified\"") != NULL,
	   "require_claim=email_verified=true: a missing claim is refused");
	ok(V("require_claim=email_verified=true", "\"sub\":\"daemon\",\"email_verified\":1",
	     "daemon") == JWT_E_CLAIMS, "require_claim=email_verified=true: 1 is not true");
	ok(V("require_claim=email_verified=false", "\"sub\":\"daemon\",\"email_verified\":false",
	     "daemon") == JWT_OK, "require_claim=NAME=false: false admits");
	ok(V("require_claim=amr=mfa", "\"sub\":\"daemon\",\"amr\":[\"pwd\",\"mfa\"]", "daemon") == JWT_OK,
	   "require_claim=amr=mfa: an array holding it admits");
	ok(V("require_claim=amr=mfa", "\"sub\":\"daemon\",\"amr\":[\"mfa\",\"pwd\"]", "daemon") == JWT_OK,
	   "require_claim=amr=mfa: an array holding it first admits too");
	ok(V("require_claim=amr=mfa", "\"sub\":\"daemon\",\"amr\":[\"pwd\"]", "daemon") == JWT_E_CLAIMS,
	   "require_claim=amr=mfa: an array without it is refused");
	ok(V("require_claim=amr=mfa", "\"sub\":\"daemon\",\"amr\":[\"mfa2\",\"mf\"]", "daemon") == JWT_E_CLAIMS,
	   "require_claim=amr=mfa: an extension and a prefix are refused");
	ok(V("require_claim=azp=ssh-client", "\"sub\":\"daemon\",\"azp\":\"ssh-client\"", "daemon") == JWT_OK,
	   "require_claim=azp=ssh-client: that string admits");
	ok(V("require_claim=azp=ssh-client", "\"sub\":\"daemon\",\"azp\":\"ssh-client2\"", "daemon") == JWT_E_CLAIMS,
	   "require_claim=azp=ssh-client: an extension is refused");
	ok(V("require_claim=azp=ssh-client", "\"sub\":\"daemon\",\"azp\":\"ssh-clien\"", "daemon") == JWT_E_CLAIMS,
	   "require_claim=azp=ssh-client: a prefix is refused");
	ok(V("require_claim=tid=42", "\"sub\":\"daemon\",\"tid\":42", "daemon") == JWT_OK,
	   "require_claim=tid=42: the integer admits");
	ok(V("require_claim=tid=42", "\"sub\":\"daemon\",\"tid\":420", "daemon") == JWT_E_CLAIMS,
	   "require_claim=tid=42: another integer is refused");
	ok(V("require_claim=tid=42", "\"sub\":\"daemon\",\"tid\":42.5", "daemon") == JWT_E_CLAIMS,
	   "require_claim=tid=42: a fraction is refused");
	ok(V("require_claim=tid=9223372036854775807", "\"sub\":\"daemon\",\"tid\":99999999999999999999",
	     "daemon") == JWT_E_CLAIMS, "require_claim: a number json-c clamps equals nothing");
	ok(V("require_claim=ext.tier=gold", "\"sub\":\"daemon\",\"ext\":{\"tier\":\"gold\"}", "daemon") == JWT_OK,
	   "require_claim=ext.tier=gold: a nested claim admits");
	ok(V("require_claim=ext.tier=gold", "\"sub\":\"daemon\",\"ext\":{\"tier\":\"silver\"}", "daemon") == JWT_E_CLAIMS,
	   "require_claim=ext.tier=gold: another nested value is refused");
	ok(V("require_claim=azp=ssh-client,amr=mfa",
	     "\"sub\":\"daemon\",\"azp\":\"ssh-client\",\"amr\":[\"mfa\"]", "daemon") == JWT_OK,
	   "require_claim with two pairs: both holding admits");
	ok(V("require_claim=azp=ssh-client,amr=mfa",
	     "\"sub\":\"daemon\",\"azp\":\"ssh-client\",\"amr\":[\"pwd\"]", "daemon") == JWT_E_CLAIMS,
	   "require_claim with two pairs: one failing is refused");
	ok(V("require_claim=foo", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG &&
	   V("require_claim==x", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG &&
	   V("require_claim=a=", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG &&
	   V("require_claim=a=b,,c=d", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "require_claim= without NAME=VALUE pairs is a configuration error");
}

static void test_root(void)
{
	ok(V("", "\"sub\":\"root\"", "root") == JWT_E_USER &&
	   strstr(reason, "uid 0 and allow_root is not set") != NULL,
	   "without allow_root a token for root is refused, saying why");
	ok(V("", "\"sub\":\"root\"", NULL) == JWT_E_USER, "without allow_root: also with no PAM user");
	ok(V("allow_root", "\"sub\":\"root\"", "root") == JWT_OK, "allow_root: a token for root is accepted");
	ok(V("", "\"sub\":\"daemon\"", "daemon") == JWT_OK, "without allow_root: other accounts log in");
	put("root.map", "admin@example.com root\n", 0644);
	ok(V("user_map=$D/root.map", "\"sub\":\"admin@example.com\"", "root") == JWT_E_USER,
	   "without allow_root: a user_map line to root is refused");
	ok(V("user_map=$D/root.map allow_root", "\"sub\":\"admin@example.com\"", "root") == JWT_OK,
	   "allow_root: the user_map line to root admits");
	put("root.policy", "admin@example.com  root\n", 0644);
	ok(V("policy_file=$D/root.policy", "\"sub\":\"admin@example.com\"", "root") == JWT_E_USER &&
	   strstr(reason, "uid 0") != NULL, "without allow_root: a policy naming root is refused");
	ok(V("policy_file=$D/root.policy allow_root", "\"sub\":\"admin@example.com\"", "root") == JWT_OK,
	   "allow_root: a policy naming root admits");
}

static void test_lists(void)
{
	char hostname[256], members[512], args[512];

	ok(V("audience=ssh:%h", "\"sub\":\"daemon\",\"aud\":\"ssh:hostA\"", "daemon") == JWT_OK,
	   "audience=ssh:%%h: the token for this host is accepted");
	ok(V("audience=ssh:%h", "\"sub\":\"daemon\",\"aud\":\"ssh:hostB\"", "daemon") == JWT_E_CLAIMS,
	   "audience=ssh:%%h: a token for another host is refused");
	ok(V("audience=ssh:%h", "\"sub\":\"daemon\",\"aud\":\"ssh:hostA.example\"", "daemon") == JWT_E_CLAIMS &&
	   V("audience=ssh:%h", "\"sub\":\"daemon\",\"aud\":\"ssh:host\"", "daemon") == JWT_E_CLAIMS,
	   "audience=ssh:%%h: an extension and a prefix of the host are refused");
	ok(V("audience=ssh:%h", "\"sub\":\"daemon\",\"aud\":\"ssh:%h\"", "daemon") == JWT_E_CLAIMS,
	   "audience=ssh:%%h: the unexpanded text is refused");
	host = NULL;
	gethostname(hostname, sizeof(hostname));
	hostname[sizeof(hostname) - 1] = '\0';
	snprintf(members, sizeof(members), "\"sub\":\"daemon\",\"aud\":\"ssh:%s\"", hostname);
	ok(V("audience=ssh:%h", members, "daemon") == JWT_OK,
	   "audience=ssh:%%h: without a host given, gethostname() is used");
	host = "hostA";
	ok(V("audience=%s-login", "\"sub\":\"daemon\",\"aud\":\"sshd-login\"", "daemon") == JWT_OK,
	   "audience=%%s-login: the token for this PAM service is accepted");
	ok(V("audience=%s-login", "\"sub\":\"daemon\",\"aud\":\"su-login\"", "daemon") == JWT_E_CLAIMS,
	   "audience=%%s-login: a token for another service is refused");
	service = NULL;
	ok(V("audience=%s-login", "\"sub\":\"daemon\",\"aud\":\"sshd-login\"", "daemon") == JWT_E_CONFIG,
	   "audience=%%s with no service known is a configuration error");
	service = "";
	ok(V("audience=ssh:%s", "\"sub\":\"daemon\",\"aud\":\"ssh:\"", "daemon") == JWT_E_CONFIG,
	   "audience=ssh:%%s with an empty service name is refused, not matched by \"ssh:\"");
	service = "sshd";
	ok(V("audience=100%%", "\"sub\":\"daemon\",\"aud\":\"100%\"", "daemon") == JWT_OK,
	   "audience=100%%%%: %%%% is one %%");
	ok(V("audience=web,ssh:%h", "\"sub\":\"daemon\",\"aud\":[\"x\",\"ssh:hostA\"]", "daemon") == JWT_OK,
	   "audience= list: any element matching any aud admits");
	ok(V("audience=web,ssh:%h", "\"sub\":\"daemon\",\"aud\":[\"ssh:hostA\",\"x\"]", "daemon") == JWT_OK,
	   "audience= list: a matching aud before others admits too");
	ok(V("audience=web,ssh:%h", "\"sub\":\"daemon\",\"aud\":\"ssh:\"", "daemon") == JWT_E_CLAIMS &&
	   V("audience=web,ssh:%h", "\"sub\":\"daemon\",\"aud\":[\"we\",\"ssh\"]", "daemon") == JWT_E_CLAIMS &&
	   V("audience=web,ssh:%h", "\"sub\":\"daemon\",\"aud\":\"\"", "daemon") == JWT_E_CLAIMS,
	   "audience= list: a prefix of an element, before or inside %%h, or an empty aud is refused");
	ok(V("audience=web,ssh:%h", "\"sub\":\"daemon\",\"aud\":[\"x\",\"ssh:hostB\"]", "daemon") == JWT_E_CLAIMS,
	   "audience= list: none matching is refused");
	snprintf(args, sizeof(args), "issuer=https://a.example,https://b.example");
	ok(V(args, "\"sub\":\"daemon\",\"iss\":\"https://a.example\"", "daemon") == JWT_OK &&
	   V(args, "\"sub\":\"daemon\",\"iss\":\"https://b.example\"", "daemon") == JWT_OK,
	   "issuer= list: each issuer is accepted");
	ok(V(args, "\"sub\":\"daemon\",\"iss\":\"https://c.example\"", "daemon") == JWT_E_CLAIMS &&
	   V(args, "\"sub\":\"daemon\",\"iss\":\"https://a.example/\"", "daemon") == JWT_E_CLAIMS &&
	   V(args, "\"sub\":\"daemon\",\"iss\":\"https://a.example,https://b.example\"", "daemon") == JWT_E_CLAIMS,
	   "issuer= list: another issuer, an extension, or the whole list text is refused");
	ok(V(args, "\"sub\":\"daemon\",\"iss\":\"https://a.exampl\"", "daemon") == JWT_E_CLAIMS &&
	   V(args, "\"sub\":\"daemon\",\"iss\":\"https://b\"", "daemon") == JWT_E_CLAIMS &&
	   V(args, "\"sub\":\"daemon\",\"iss\":\"\"", "daemon") == JWT_E_CLAIMS,
	   "issuer= list: a prefix of either issuer, or an empty iss, is refused");
	ok(V("issuer=https://%s.example", "\"sub\":\"daemon\",\"iss\":\"https://sshd.example\"", "daemon") == JWT_OK,
	   "issuer= with %%s: expanded");
	ok(V("audience=%x", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG &&
	   V("audience=ssh%", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG &&
	   V("issuer=a,,b", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG &&
	   V("issuer=a,", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "an unknown %%-escape or an empty list element is a configuration error");
}

static void test_issuers(void)
{
	char *a_as_a = token("\"sub\":\"daemon\",\"iss\":\"https://a.example\"", key_a, "a");
	char *a_as_b = token("\"sub\":\"daemon\",\"iss\":\"https://b.example\"", key_a, "a");
	char *a_as_b_nokid = token("\"sub\":\"daemon\",\"iss\":\"https://b.example\"", key_a, NULL);
	char *b_as_b = token("\"sub\":\"daemon\",\"iss\":\"https://b.example\"", key_b, "b");
	char *b_as_a = token("\"sub\":\"daemon\",\"iss\":\"https://a.example\"", key_b, "b");
	char *a_no_iss = token("\"sub\":\"daemon\"", key_a, "a");
	char *a_as_a_prefix = token("\"sub\":\"daemon\",\"iss\":\"https://a.exampl\"", key_a, "a");
	char *a_as_a_ext = token("\"sub\":\"daemon\",\"iss\":\"https://a.example.evil\"", key_a, "a");
	const char *both = "jwks_file=$D/a.jwks,$D/b.jwks issuer=https://a.example,https://b.example";

	put("a.jwks", "{\"issuer\":\"https://a.example\",\"keys\":[{\"kty\":\"oct\",\"kid\":\"a\","
	    "\"k\":\"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE\"}]}", 0600);
	put("b.jwks", "{\"issuer\":\"https://b.example\",\"keys\":[{\"kty\":\"oct\",\"kid\":\"b\","
	    "\"k\":\"QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI\"}]}", 0600);
	put("unbound.jwks", "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"b\","
	    "\"k\":\"QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI\"}]}", 0600);
	put("bad.jwks", "{\"issuer\":7,\"keys\":[{\"kty\":\"oct\",\"kid\":\"b\","
	    "\"k\":\"QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI\"}]}", 0600);
	put("a.key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 0600);

	ok(verify_args(both, a_as_a, "daemon") == JWT_OK, "two issuers: A's key, iss A: accepted");
	ok(verify_args(both, b_as_b, "daemon") == JWT_OK, "two issuers: B's key, iss B: accepted");
	ok(verify_args(both, a_as_b, "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "not the issuer the verifying key belongs to") != NULL,
	   "two issuers: a token signed by A's key claiming B is refused");
	ok(verify_args(both, b_as_a, "daemon") == JWT_E_CLAIMS,
	   "two issuers: a token signed by B's key claiming A is refused");
	ok(verify_args(both, a_as_b_nokid, "daemon") == JWT_E_CLAIMS,
	   "two issuers: without a kid, A's key claiming B is refused too");
	ok(verify_args("jwks_file=$D/a.jwks", a_as_b, "daemon") == JWT_E_CLAIMS,
	   "a bound key set without issuer=: its key claiming another issuer is refused");
	ok(verify_args("jwks_file=$D/a.jwks", a_as_a, "daemon") == JWT_OK,
	   "a bound key set without issuer=: its own issuer is accepted");
	ok(verify_args("jwks_file=$D/a.jwks", a_as_a_prefix, "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "not the issuer the verifying key belongs to") != NULL &&
	   verify_args("jwks_file=$D/a.jwks", a_as_a_ext, "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "not the issuer the verifying key belongs to") != NULL,
	   "a bound key set: its key claiming a prefix or an extension of its issuer is refused");
	ok(verify_args("jwks_file=$D/a.jwks", a_no_iss, "daemon") == JWT_E_CLAIMS,
	   "a bound key set: a token without iss is refused");
	ok(verify_args("jwks_file=$D/a.jwks,$D/unbound.jwks issuer=https://a.example,https://b.example",
		       a_as_a, "daemon") == JWT_E_KEY && strstr(reason, "no \"issuer\" member") != NULL,
	   "two issuers and a key set without \"issuer\": the set is refused");
	ok(verify_args("jwks_file=$D/a.jwks,", a_as_a, "daemon") == JWT_E_CONFIG,
	   "jwks_file= with an empty element is a configuration error");
	ok(verify_args("jwks_file=$D/bad.jwks", b_as_b, "daemon") == JWT_E_KEY,
	   "a key set whose \"issuer\" is not a string is refused");
	ok(verify_args("secret_file=$D/a.key secret_issuer=https://a.example", a_as_a, "daemon") == JWT_OK,
	   "secret_issuer=A: the secret's own issuer is accepted");
	ok(verify_args("secret_file=$D/a.key secret_issuer=https://a.example", a_as_b, "daemon") == JWT_E_CLAIMS,
	   "secret_issuer=A: the secret claiming B is refused");
	ok(verify_args("secret_file=$D/a.key jwks_file=$D/b.jwks secret_issuer=https://a.example "
		       "issuer=https://a.example,https://b.example", b_as_b, "daemon") == JWT_OK &&
	   verify_args("secret_file=$D/a.key jwks_file=$D/b.jwks secret_issuer=https://a.example "
		       "issuer=https://a.example,https://b.example", a_as_b, "daemon") == JWT_E_CLAIMS,
	   "secret_file= for A beside a key set for B: B accepted, A's secret claiming B refused");
	ok(verify_args("secret_file=$D/a.key jwks_file=$D/b.jwks issuer=https://a.example,https://b.example",
		       a_as_a, "daemon") == JWT_E_CONFIG,
	   "two issuers, two key files and an unbound secret_file= is a configuration error");
	ok(verify_args("jwks_file=$D/unbound.jwks issuer=https://a.example,https://b.example",
		       b_as_a, "daemon") == JWT_OK,
	   "two issuers and one key file: an unbound key may serve both (one provider, renamed)");
	ok(verify_args("jwks_file=$D/a.jwks secret_issuer=https://a.example", a_as_a, "daemon") == JWT_E_CONFIG,
	   "secret_issuer= without secret_file= is a configuration error");
	free(a_as_a);
	free(a_as_b);
	free(a_as_b_nokid);
	free(b_as_b);
	free(b_as_a);
	free(a_no_iss);
	free(a_as_a_prefix);
	free(a_as_a_ext);
}

static void test_policy(void)
{
	const char *pol = "policy_file=$D/policy";

	put("policy",
	    "# who                accounts       only for\n"
	    "alice@example.com    daemon,bin\n"
	    "\n"
	    "group:ops            bin\n"
	    "carol@example.com    daemon         issuer=https://a.example\n"
	    "dave@example.com     daemo,daemon\n", 0644);
	ok(V(pol, "\"sub\":\"alice@example.com\"", "daemon") == JWT_OK && user_is("daemon"),
	   "policy: one identity, two accounts: the first with PAM_USER set");
	ok(V(pol, "\"sub\":\"alice@example.com\"", "bin") == JWT_OK && user_is("bin") &&
	   strstr(trace, "policy: ok: ") != NULL && strstr(trace, "policy:2 admits account bin") != NULL,
	   "policy: one identity, two accounts: the second, the trace naming the line");
	ok(V(pol, "\"sub\":\"alice@example.com\"", NULL) == JWT_E_USER &&
	   strstr(reason, "several accounts") != NULL,
	   "policy: one identity, two accounts, no PAM_USER: refused rather than guessed");
	ok(V(pol, "\"sub\":\"alice@example.com\"", "nobody") == JWT_E_USER,
	   "policy: an account no rule names is refused");
	ok(V(pol, "\"sub\":\"alice@example.co\"", "daemon") == JWT_E_USER &&
	   V(pol, "\"sub\":\"alice@example.com.evil\"", "daemon") == JWT_E_USER &&
	   V(pol, "\"sub\":\"alice\"", "daemon") == JWT_E_USER,
	   "policy: a prefix or an extension of an identity matches no rule");
	ok(V(pol, "\"sub\":\"dave@example.com\"", "daemon") == JWT_OK && user_is("daemon"),
	   "policy: PAM_USER daemon takes daemon, not daemo, its prefix listed before it");
	ok(V(pol, "\"sub\":\"bob@example.com\",\"groups\":[\"ops\"]", NULL) == JWT_OK && user_is("bin"),
	   "policy: group:ops reaches bin (one account: no PAM_USER needed)");
	ok(V(pol, "\"sub\":\"bob@example.com\",\"groups\":\"staff,ops\"", "bin") == JWT_OK,
	   "policy: group:ops from a comma-joined string");
	ok(V(pol, "\"sub\":\"bob@example.com\",\"groups\":[\"ops2\",\"op\"]", "bin") == JWT_E_USER &&
	   strstr(reason, "no rule") != NULL,
	   "policy: a group that extends or prefixes ops matches no rule");
	ok(V(pol, "\"sub\":\"bob@example.com\",\"groups\":[\"ops\"]", "daemon") == JWT_E_USER,
	   "policy: group:ops does not reach daemon");
	ok(V(pol, "\"sub\":\"bob@example.com\",\"groups\":7", "bin") == JWT_E_CLAIMS,
	   "policy: a groups claim of the wrong type is refused");
	ok(V(pol, "\"sub\":\"carol@example.com\",\"iss\":\"https://a.example\"", "daemon") == JWT_OK,
	   "policy: a rule limited to issuer A admits A's token");
	ok(V(pol, "\"sub\":\"carol@example.com\",\"iss\":\"https://b.example\"", "daemon") == JWT_E_USER,
	   "policy: ... and refuses B's");
	ok(V(pol, "\"sub\":\"carol@example.com\"", "daemon") == JWT_E_USER,
	   "policy: ... and a token without iss");
	ok(V(pol, "\"sub\":\"carol@example.com\",\"iss\":\"https://a.exampl\"", "daemon") == JWT_E_USER &&
	   V(pol, "\"sub\":\"carol@example.com\",\"iss\":\"https://a.example.evil\"", "daemon") == JWT_E_USER,
	   "policy: ... and a token whose iss is a prefix or an extension of A");
	ok(V(pol, "\"sub\":\"daemon\"", "daemon") == JWT_E_USER,
	   "policy: the user claim alone reaches no account (no rule for it)");
	ok(V(pol, "\"sub\":\"Alice@Example.com\"", "daemon") == JWT_E_USER,
	   "policy: identities match exactly by default");
	ok(V("policy_file=$D/policy user_nocase", "\"sub\":\"Alice@Example.com\"", "daemon") == JWT_OK,
	   "policy with user_nocase: identities match in any case");
	ok(V("policy_file=$D/policy user_map=$D/policy", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "policy_file= with user_map= is a configuration error");
	put("cut.policy", "alice@example.com daemon", 0644);
	ok(V("policy_file=$D/cut.policy", "\"sub\":\"alice@example.com\"", "daemon") == JWT_E_KEY &&
	   strstr(reason, "does not end with a newline") != NULL,
	   "policy: a last line without newline refuses");
	put("bad.policy", "alice@example.com daemon\nbob@example.com\n", 0644);
	ok(V("policy_file=$D/bad.policy", "\"sub\":\"alice@example.com\"", "daemon") == JWT_E_KEY &&
	   strstr(reason, "bad.policy:2") != NULL,
	   "policy: a malformed line anywhere refuses, naming it");
	put("opt.policy", "alice@example.com daemon iss=https://a.example\n", 0644);
	ok(V("policy_file=$D/opt.policy", "\"sub\":\"alice@example.com\"", "daemon") == JWT_E_KEY,
	   "policy: an unknown third field refuses");
	put("name.policy", "alice@example.com daemon,../etc\n", 0644);
	ok(V("policy_file=$D/name.policy", "\"sub\":\"alice@example.com\"", "daemon") == JWT_E_KEY,
	   "policy: an invalid account name refuses");
	put("w.policy", "alice@example.com daemon\n", 0666);
	ok(V("policy_file=$D/w.policy", "\"sub\":\"alice@example.com\"", "daemon") == JWT_E_KEY &&
	   strstr(reason, "writable") != NULL, "policy: a world-writable file refuses");
	ok(V("policy_file=$D/missing", "\"sub\":\"alice@example.com\"", "daemon") == JWT_E_KEY,
	   "policy: a missing file refuses");
}

static void test_transforms(void)
{
	const char *dom = "user_domain=example.com";

	ok(V(dom, "\"sub\":\"daemon@example.com\"", "daemon") == JWT_OK,
	   "user_domain=example.com: name@example.com is name");
	ok(V(dom, "\"sub\":\"daemon@EXAMPLE.com\"", "daemon") == JWT_OK,
	   "user_domain=example.com: the domain in another case (DNS names are case-insensitive)");
	ok(V(dom, "\"sub\":\"daemon@evil.example\"", "daemon") == JWT_E_USER &&
	   strstr(reason, "name@example.com") != NULL,
	   "user_domain=example.com: another domain is refused");
	ok(V(dom, "\"sub\":\"daemon@example.com.evil\"", "daemon") == JWT_E_USER &&
	   V(dom, "\"sub\":\"daemon@sub.example.com\"", "daemon") == JWT_E_USER &&
	   V(dom, "\"sub\":\"daemon@xexample.com\"", "daemon") == JWT_E_USER,
	   "user_domain=example.com: an extension, a subdomain or a longer name is refused");
	ok(V(dom, "\"sub\":\"daemon\"", "daemon") == JWT_E_USER &&
	   V(dom, "\"sub\":\"@example.com\"", "daemon") == JWT_E_USER &&
	   V(dom, "\"sub\":\"x@daemon@example.com\"", "daemon") == JWT_E_USER,
	   "user_domain=example.com: no domain, no name, or two '@' is refused");
	ok(V("", "\"sub\":\"daemon@example.com\"", "daemon") == JWT_E_USER,
	   "without user_domain=, nothing is stripped");
	ok(V("user_domain=@example.com", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "user_domain= with '@' is a configuration error");
	ok(V("user_lowercase", "\"sub\":\"DaEmon\"", "daemon") == JWT_OK && user_is("daemon"),
	   "user_lowercase: DaEmon is daemon");
	ok(V("", "\"sub\":\"DaEmon\"", "daemon") == JWT_E_USER,
	   "without user_lowercase the case is kept");
	ok(V("user_lowercase user_domain=example.com", "\"sub\":\"DAEMON@Example.COM\"", NULL) == JWT_OK &&
	   user_is("daemon"), "user_domain= and user_lowercase together (Entra user names)");
	put("users.map", "Daemon@Example.com bin\n", 0644);
	ok(V("user_map=$D/users.map", "\"sub\":\"daemon@example.com\"", "bin") == JWT_E_USER,
	   "user_map=: identities match exactly by default");
	ok(V("user_map=$D/users.map user_nocase", "\"sub\":\"daemon@example.com\"", "bin") == JWT_OK,
	   "user_map= with user_nocase: in any case");
	ok(V("user_map=$D/users.map user_nocase", "\"sub\":\"daemon@example.co\"", "bin") == JWT_E_USER,
	   "user_map= with user_nocase: a prefix still does not match");
	ok(V("user_nocase", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "user_nocase without user_map= or policy_file= is a configuration error");
	ok(V("allow_root allow_root", "\"sub\":\"daemon\"", "daemon") == JWT_E_CONFIG,
	   "a flag given twice is a configuration error");
}

/*
 * A "sub" revocation covers every token that logs in as that name: the sub
 * claim, the user claim, the identity after user_domain= and user_lowercase,
 * or the local account, in any ASCII case. jti and iss stay exact. Each
 * refusal is followed by its accepted control.
 */
static void test_revoked_spellings(void)
{
	static const struct {
		const char *args, *members, *pam_user;
		enum jwt_status want;
		const char *what;
	} cases[] = {
		{ "user_lowercase revoked_file=$D/rv.daemon", "\"sub\":\"DAEMON\"", "daemon",
		  JWT_E_REVOKED, "sub daemon, user_lowercase: DAEMON is refused" },
		{ "user_lowercase revoked_file=$D/rv.daemon", "\"sub\":\"Daemon\"", "daemon",
		  JWT_E_REVOKED, "... and Daemon" },
		{ "user_lowercase revoked_file=$D/rv.daemon", "\"sub\":\"BIN\"", "bin", JWT_OK,
		  "... control: BIN (bin) is accepted" },
		{ "user_domain=example.com revoked_file=$D/rv.domain", "\"sub\":\"daemon@EXAMPLE.COM\"",
		  "daemon", JWT_E_REVOKED,
		  "sub daemon@example.com, user_domain=: daemon@EXAMPLE.COM is refused" },
		{ "user_domain=example.com revoked_file=$D/rv.daemon", "\"sub\":\"daemon@example.com\"",
		  "daemon", JWT_E_REVOKED,
		  "sub daemon, user_domain=: daemon@example.com (identity daemon) is refused" },
		{ "user_domain=example.com revoked_file=$D/rv.domain", "\"sub\":\"bin@EXAMPLE.COM\"",
		  "bin", JWT_OK, "... control: bin@EXAMPLE.COM is accepted" },
		{ "user_claim=email revoked_file=$D/rv.daemon", "\"sub\":\"u-1\",\"email\":\"daemon\"",
		  "daemon", JWT_E_REVOKED,
		  "sub daemon, user_claim=email: a token logging in as daemon by its email is refused" },
		{ "user_claim=email revoked_file=$D/rv.daemon", "\"sub\":\"daemon\",\"email\":\"bin\"",
		  "bin", JWT_E_REVOKED,
		  "... and the sub claim itself still counts, whatever user_claim= says" },
		{ "user_claim=email revoked_file=$D/rv.daemon", "\"sub\":\"u-2\",\"email\":\"bin\"",
		  "bin", JWT_OK, "... control: one logging in as bin is accepted" },
		{ "user_claim=email user_domain=example.com revoked_file=$D/rv.domain",
		  "\"sub\":\"u-3\",\"email\":\"daemon@EXAMPLE.COM\"", "daemon", JWT_E_REVOKED,
		  "sub daemon@example.com, user_claim=email, user_domain=: the email as it stands "
		  "counts" },
		{ "user_claim=email user_domain=example.com revoked_file=$D/rv.domain",
		  "\"sub\":\"u-4\",\"email\":\"bin@EXAMPLE.COM\"", "bin", JWT_OK,
		  "... control: bin's email is accepted" },
		{ "user_domain=example.com user_map=$D/rv.dmap revoked_file=$D/rv.ops1",
		  "\"sub\":\"ops-1@example.com\"", "daemon", JWT_E_REVOKED,
		  "sub ops-1, user_domain= and user_map=: the identity ops-1 (of ops-1@example.com) "
		  "counts" },
		{ "user_domain=example.com user_map=$D/rv.dmap revoked_file=$D/rv.ops1",
		  "\"sub\":\"ops-3@example.com\"", "bin", JWT_OK,
		  "... control: ops-3@example.com is accepted" },
		{ "user_map=$D/rv.map revoked_file=$D/rv.daemon", "\"sub\":\"ops-2\"", "daemon",
		  JWT_E_REVOKED, "sub daemon, user_map=: ops-2, mapped to daemon, is refused" },
		{ "user_map=$D/rv.map revoked_file=$D/rv.daemon", "\"sub\":\"ops-3\"", "bin", JWT_OK,
		  "... control: ops-3, mapped to bin, is accepted" },
		{ "user_map=$D/rv.nocase.map user_nocase revoked_file=$D/rv.ops1", "\"sub\":\"OPS-1\"",
		  "daemon", JWT_E_REVOKED, "sub ops-1, user_map= with user_nocase: OPS-1 is refused" },
		{ "user_map=$D/rv.nocase.map user_nocase revoked_file=$D/rv.ops1", "\"sub\":\"OPS-3\"",
		  "bin", JWT_OK, "... control: OPS-3 is accepted" },
		{ "policy_file=$D/rv.policy revoked_file=$D/rv.alice", "\"sub\":\"alice@example.com\"",
		  "bin", JWT_E_REVOKED,
		  "sub alice@example.com, policy_file=: alice logging in as bin is refused" },
		{ "policy_file=$D/rv.policy revoked_file=$D/rv.alice", "\"sub\":\"carol@example.com\"",
		  "bin", JWT_OK, "... control: carol as bin is accepted" },
		{ "policy_file=$D/rv.policy revoked_file=$D/rv.daemon", "\"sub\":\"alice@example.com\"",
		  "daemon", JWT_E_REVOKED, "sub daemon, policy_file=: alice as daemon is refused" },
		{ "policy_file=$D/rv.policy revoked_file=$D/rv.daemon", "\"sub\":\"alice@example.com\"",
		  "bin", JWT_OK, "... control: alice as bin is accepted" },
		{ "revoked_file=$D/rv.caps", "\"sub\":\"daemon\"", "daemon", JWT_E_REVOKED,
		  "sub DAEMON: daemon is refused (any ASCII case)" },
		{ "revoked_file=$D/rv.caps", "\"sub\":\"bin\"", "bin", JWT_OK,
		  "... control: bin is accepted" },
		{ "user_map=$D/rv.near.map revoked_file=$D/rv.daemon", "\"sub\":\"daemo\"", "bin",
		  JWT_OK, "sub daemon does not cover a prefix (daemo)" },
		{ "user_map=$D/rv.near.map revoked_file=$D/rv.daemon", "\"sub\":\"daemonx\"", "bin",
		  JWT_OK, "... nor an extension (daemonx)" },
		{ "revoked_file=$D/rv.jti", "\"sub\":\"daemon\",\"jti\":\"AbC\"", "daemon",
		  JWT_E_REVOKED, "jti AbC covers the jti AbC" },
		{ "revoked_file=$D/rv.jti", "\"sub\":\"daemon\",\"jti\":\"abc\"", "daemon", JWT_OK,
		  "... and not abc: jti stays exact" },
	};

	put("rv.daemon", "sub daemon\n", 0644);
	put("rv.domain", "sub daemon@example.com\n", 0644);
	put("rv.caps", "sub DAEMON\n", 0644);
	put("rv.jti", "jti AbC\n", 0644);
	put("rv.alice", "sub alice@example.com\n", 0644);
	put("rv.ops1", "sub ops-1\n", 0644);
	put("rv.map", "ops-1 daemon\nops-2 daemon\nops-3 bin\n", 0644);
	put("rv.dmap", "ops-1 daemon\nops-3 bin\n", 0644);
	put("rv.nocase.map", "Ops-1 daemon\nOps-3 bin\n", 0644);
	put("rv.near.map", "daemo bin\ndaemonx bin\n", 0644);
	put("rv.policy", "alice@example.com daemon,bin\ncarol@example.com bin\n", 0644);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(V(cases[i].args, cases[i].members, cases[i].pam_user) == cases[i].want, "%s",
		   cases[i].what);
}

/* Tokens shaped like glewlwyd's: the ID token and the access token of one login. */
static void test_glewlwyd_shapes(void)
{
	const char *id_args = "groups=wheel audience=pam-client issuer=https://glewlwyd.example/api/oidc";

	ok(V(id_args, "\"sub\":\"daemon\",\"iss\":\"https://glewlwyd.example/api/oidc\","
	     "\"aud\":\"pam-client\",\"groups\":[\"users\",\"wheel\"]", "daemon") == JWT_OK,
	   "glewlwyd ID token: groups array, aud the client id: admitted");
	ok(V(id_args, "\"sub\":\"daemon\",\"iss\":\"https://glewlwyd.example/api/oidc\","
	     "\"aud\":\"pam-client\",\"groups\":[\"users\"]", "daemon") == JWT_E_CLAIMS,
	   "glewlwyd ID token without wheel: refused");
	{
		char *tok = token("\"sub\":\"daemon\",\"aud\":\"openid pam\",\"groups\":\"users,wheel\","
				  "\"scope\":\"openid pam\"", key32, NULL);
		struct jwt_config cfg;
		struct jwt_err err = { 0 };
		char argk[512], *user = NULL;
		const char *argv[] = { argk, "groups=wheel", "audience=openid pam" };

		snprintf(argk, sizeof(argk), "secret_file=%s/key", dir);
		ok(jwt_config_parse(&cfg, 3, argv, &err) == JWT_OK &&
		   jwt_verify(&cfg, tok, strlen(tok), NOW, "daemon", NULL, NULL, &user, &err) == JWT_OK,
		   "glewlwyd access token: groups comma-joined, aud the scope string: admitted");
		free(user);
		user = NULL;
		free(tok);
		tok = token("\"sub\":\"daemon\",\"aud\":\"openid pam\",\"groups\":\"users,wheelie\"",
			    key32, NULL);
		ok(jwt_verify(&cfg, tok, strlen(tok), NOW, "daemon", NULL, NULL, &user, &err) == JWT_E_CLAIMS,
		   "glewlwyd access token whose groups extend wheel: refused");
		free(user);
		free(tok);
	}
}

/*
 * user_map=, policy_file= and revoked_file= are read by one line reader: a
 * text that is not a whole file is refused by the three in the same words,
 * and a malformed line is named as FILE:LINE by each.
 */
static void test_line_files(void)
{
	static const struct {
		const char *text;
		size_t len;
		const char *why, *reason;
	} bad[] = {
		{ "# x\nalice daemon", 16, "a last line without its newline",
		  "f does not end with a newline (half-written? replace it atomically: write a new "
		  "file, then rename it)" },
		{ "# x\nalice\0 daemon\n", 19, "a NUL byte", "f holds a NUL byte" },
	};
	struct jwt_config cfg;
	struct jwt_err err = { 0 }, map, policy, revoked;
	const char *argv[] = { "secret_file=/k" };
	json_object *claims = NULL;
	char *local = NULL;

	if (jwt_config_parse(&cfg, 1, argv, &err) != JWT_OK ||
	    jwt_json_parse_object("{\"sub\":\"alice\"}", 15, "claims", &claims, &err) != JWT_OK)
		abort();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(jwt_user_map_find(&cfg, "f", bad[i].text, bad[i].len, "alice", 5, &local, &map) ==
		   JWT_E_KEY && jwt_policy_resolve_text(&cfg, claims, "alice", 5, NULL, NULL, "f",
							bad[i].text, bad[i].len, &local,
							&policy) == JWT_E_KEY &&
		   jwt_revoke_each("f", bad[i].text, bad[i].len, NULL, NULL, &revoked) == JWT_E_KEY &&
		   strcmp(map.reason, bad[i].reason) == 0 && strcmp(policy.reason, map.reason) == 0 &&
		   strcmp(revoked.reason, map.reason) == 0,
		   "%s: refused in the same words by user_map, policy_file and revoked_file", bad[i].why);
	}
	ok(jwt_user_map_find(&cfg, "f", "# x\nalice\n", 10, "alice", 5, &local, &map) == JWT_E_KEY &&
	   jwt_policy_resolve_text(&cfg, claims, "alice", 5, NULL, NULL, "f", "# x\nalice\n", 10,
				   &local, &policy) == JWT_E_KEY &&
	   jwt_revoke_each("f", "# x\nalice\n", 10, NULL, NULL, &revoked) == JWT_E_KEY &&
	   strncmp(map.reason, "f:2 ", 4) == 0 && strncmp(policy.reason, "f:2 ", 4) == 0 &&
	   strncmp(revoked.reason, "f:2 ", 4) == 0,
	   "a malformed line is named f:2 by each: %s; %s; %s", map.reason, policy.reason,
	   revoked.reason);
	ok(jwt_user_map_find(&cfg, "f", "# x\r\nalice daemon\r\n", 19, "alice", 5, &local, &map) ==
	   JWT_OK && strcmp(local, "daemon") == 0,
	   "control: a user_map with CRLF line ends maps alice to daemon");
	free(local);
	local = NULL;
	ok(jwt_policy_resolve_text(&cfg, claims, "alice", 5, NULL, NULL, "f",
				   "# x\r\nalice daemon\r\n", 19, &local, &policy) == JWT_OK &&
	   strcmp(local, "daemon") == 0,
	   "control: a policy_file with CRLF line ends admits alice as daemon");
	free(local);
	json_object_put(claims);
}

/* max_auth_age= and acr=: fresh authentication at the provider. */
static void test_fresh(void)
{
	const char *a = "max_auth_age=300";
	const char *d = "\"sub\":\"daemon\"";

	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":1699999800", "daemon") == JWT_OK &&
	   strstr(trace, "auth_time: ok") != NULL,
	   "max_auth_age=300: an authentication 200 s ago is accepted");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":1699999700", "daemon") == JWT_OK,
	   "max_auth_age=300: exactly 300 s ago is accepted");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":1699999699", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "301 s ago, beyond max_auth_age=300") != NULL &&
	   strstr(reason, "pam-jwt login --max-age 300") != NULL,
	   "max_auth_age=300: 301 s ago is refused, saying how to get a fresh token");
	ok(V(a, d, "daemon") == JWT_E_CLAIMS && strstr(reason, "no \"auth_time\"") != NULL &&
	   strstr(reason, "pam-jwt login --max-age") != NULL,
	   "max_auth_age=: a token without auth_time is refused, saying how to get one");
	ok(V("", d, "daemon") == JWT_OK && strstr(trace, "auth_time") == NULL,
	   "control: without max_auth_age= auth_time is not asked for");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":1699999800.0", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "not an integer") != NULL,
	   "max_auth_age=: a fractional auth_time is refused");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":\"1699999800\"", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "not an integer") != NULL,
	   "max_auth_age=: auth_time as a string is refused");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":null", "daemon") == JWT_E_CLAIMS,
	   "max_auth_age=: a null auth_time is refused");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":-1", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "out of range") != NULL, "max_auth_age=: a negative auth_time is refused");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":99999999999999999999", "daemon") == JWT_E_CLAIMS,
	   "max_auth_age=: an auth_time beyond int64 is refused");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":1700000030", "daemon") == JWT_OK,
	   "max_auth_age=: auth_time 30 s ahead, within the default leeway, is accepted");
	ok(V(a, "\"sub\":\"daemon\",\"auth_time\":1700000031", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "31 s in the future") != NULL,
	   "max_auth_age=: auth_time 31 s ahead, beyond the leeway, is refused");
	ok(V("max_auth_age=300 leeway=0", "\"sub\":\"daemon\",\"auth_time\":1700000001",
	     "daemon") == JWT_E_CLAIMS, "max_auth_age= leeway=0: auth_time 1 s ahead is refused");
	ok(V("max_auth_age=300 leeway=0", "\"sub\":\"daemon\",\"auth_time\":1700000000",
	     "daemon") == JWT_OK, "control: max_auth_age= leeway=0: auth_time now is accepted");
	ok(V("max_auth_age=5m", d, "daemon") == JWT_E_CONFIG,
	   "max_auth_age= with a unit is a configuration error");
	ok(V("max_auth_age=0", d, "daemon") == JWT_E_CONFIG,
	   "max_auth_age=0 is a configuration error");
	ok(V("max_auth_age=", d, "daemon") == JWT_E_CONFIG,
	   "an empty max_auth_age= is a configuration error");
	ok(V("max_auth_age=-5", d, "daemon") == JWT_E_CONFIG,
	   "a negative max_auth_age= is a configuration error");

	ok(V("acr=mfa,phr", "\"sub\":\"daemon\",\"acr\":\"phr\"", "daemon") == JWT_OK &&
	   strstr(trace, "acr: ok") != NULL, "acr=mfa,phr: acr phr is accepted");
	ok(V("acr=mfa,phr", "\"sub\":\"daemon\",\"acr\":\"pwd\"", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "none of the values acr= accepts (mfa,phr)") != NULL,
	   "acr=mfa,phr: acr pwd is refused, naming the accepted values");
	ok(V("acr=mfa", "\"sub\":\"daemon\",\"acr\":\"mf\"", "daemon") == JWT_E_CLAIMS,
	   "acr=mfa: a prefix is refused");
	ok(V("acr=mfa", "\"sub\":\"daemon\",\"acr\":\"mfa2\"", "daemon") == JWT_E_CLAIMS,
	   "acr=mfa: an extension is refused");
	ok(V("acr=mfa", "\"sub\":\"daemon\",\"acr\":\"MFA\"", "daemon") == JWT_E_CLAIMS,
	   "acr=mfa: another case is refused");
	ok(V("acr=mfa", "\"sub\":\"daemon\",\"acr\":\"mfa\\u0000x\"", "daemon") != JWT_OK,
	   "acr=mfa: acr with a NUL after the value is refused");
	ok(V("acr=mfa", d, "daemon") == JWT_E_CLAIMS && strstr(reason, "no \"acr\"") != NULL,
	   "acr=: a token without acr is refused");
	ok(V("acr=mfa", "\"sub\":\"daemon\",\"acr\":[\"mfa\"]", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "\"acr\" is not a string") != NULL, "acr=: an array acr is refused");
	ok(V("acr=1", "\"sub\":\"daemon\",\"acr\":1", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "not a string") != NULL, "acr=1: a number acr is refused");
	ok(V("acr=", d, "daemon") == JWT_E_CONFIG, "an empty acr= is a configuration error");
	ok(V("acr=a,,b", d, "daemon") == JWT_E_CONFIG,
	   "acr= with an empty element is a configuration error");
	ok(V("max_auth_age=300 acr=mfa", "\"sub\":\"daemon\",\"auth_time\":1699999800,"
	     "\"acr\":\"mfa\"", "daemon") == JWT_OK, "max_auth_age= and acr= together admit");

	/* Groups overage (Entra ID): the groups are elsewhere, not missing. */
	ok(V("groups=wheel", "\"sub\":\"daemon\",\"_claim_names\":{\"groups\":\"src1\"},"
	     "\"_claim_sources\":{\"src1\":{\"endpoint\":\"https://graph.example/x\"}}",
	     "daemon") == JWT_E_CLAIMS && strncmp(reason, "groups overage: ", 16) == 0 &&
	   strstr(reason, "_claim_names") != NULL, "groups=: an overage token is refused as such");
	ok(V("groups=wheel", "\"sub\":\"daemon\",\"_claim_names\":{\"roles\":\"src1\"}",
	     "daemon") == JWT_E_CLAIMS && strstr(reason, "overage") == NULL &&
	   strstr(reason, "no \"groups\"") != NULL,
	   "groups=: _claim_names of another claim is no overage");
	ok(V("groups=wheel", "\"sub\":\"daemon\",\"_claim_names\":\"groups\"", "daemon") ==
	   JWT_E_CLAIMS && strstr(reason, "overage") == NULL,
	   "groups=: a _claim_names that is not an object is no overage");
	ok(V("groups=wheel groups_claim=roles", "\"sub\":\"daemon\",\"_claim_names\":"
	     "{\"roles\":\"src1\"}", "daemon") == JWT_E_CLAIMS &&
	   strstr(reason, "groups overage") != NULL && strstr(reason, "\"roles\"") != NULL,
	   "groups_claim=roles: overage of roles is refused as such");
	ok(V("groups=wheel", "\"sub\":\"daemon\",\"groups\":[\"wheel\"],\"_claim_names\":"
	     "{\"groups\":\"src1\"}", "daemon") == JWT_OK,
	   "control: groups present beside _claim_names are checked as usual");
	ok(V("", "\"sub\":\"daemon\",\"_claim_names\":{\"groups\":\"src1\"}", "daemon") == JWT_OK,
	   "control: without groups= an overage token is accepted");
}

int main(void)
{
	char path[512];

	scratch_dir(dir);
	snprintf(path, sizeof(path), "%s/key", dir);
	write_file(path, key32, 32, 0600);
	test_groups();
	test_require_claim();
	test_root();
	test_lists();
	test_issuers();
	test_policy();
	test_transforms();
	test_revoked_spellings();
	test_glewlwyd_shapes();
	test_line_files();
	test_fresh();
	free(got_user);
	return tap_done();
}
