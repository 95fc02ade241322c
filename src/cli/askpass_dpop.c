/*
 * pam-jwt askpass's answer to a bound token's challenge, "DPoP proof for
 * pam://HOST/SERVICE (nonce NONCE): ": a DPoP proof by the user's key, given
 * only for a host askpass has established itself (dpop_host.c). ssh and sudo
 * run askpass once per prompt, so a proof longer than a part is kept in the
 * token cache ("dpop_proof", mode 0600) for the "DPoP proof (part k of M): "
 * prompts, and removed after the last part.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "askpass_dpop.h"
#include "cli.h"
#include "dpop.h"
#include "dpop_host.h"
#include "jwt_mem.h"
#include "jwt_parts.h"
#include "jwt_pop.h"
#include "jwt_sig.h"
#include "split.h"
#include "token_cache.h"

#define PENDING_PROOF "dpop_proof"
/* The module's base prompt of a proof's parts. */
static const char parts_prompt[] = "DPoP proof: ";
static const char head[] = "DPoP proof for ", mid[] = " (nonce ", tail[] = "): ";

/* A challenge as the prompt states it. */
struct challenge {
	char htu[JWT_POP_HTU_MAX + 1];
	char host[JWT_HOST_NAME_MAX + 1];
	char nonce[JWT_POP_NONCE_MAX + 1];
};

/* Past OpenSSH's "(user@host) " prefix of keyboard-interactive prompts, if there is one. */
static const char *skip_prefix(const char *s)
{
	const char *e;

	if (s[0] != '(' || (e = strstr(s, ") ")) == NULL)
		return s;
	return e + 2;
}

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_';
}

static bool nonce_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

/* "DPoP proof for pam://HOST/SERVICE (nonce NONCE): " into ch; false for any other text. */
static bool parse_challenge(const char *asked, struct challenge *ch)
{
	const char *s = skip_prefix(asked), *htu, *host, *slash, *m, *nonce;
	size_t n;

	if (strncmp(s, head, sizeof(head) - 1) != 0)
		return false;
	htu = s + sizeof(head) - 1;
	if (strncmp(htu, "pam://", 6) != 0)
		return false;
	host = htu + 6;
	for (slash = host; host_char(*slash); slash++)
		;
	if (*slash != '/' || slash == host || (size_t)(slash - host) > JWT_HOST_NAME_MAX)
		return false;
	m = strstr(slash, mid);
	if (m == NULL || m == slash + 1 || (size_t)(m - htu) > JWT_POP_HTU_MAX)
		return false;
	for (const char *p = slash + 1; p < m; p++)
		if (*p <= ' ' || *p > '~' || *p == '/')
			return false;
	nonce = m + sizeof(mid) - 1;
	for (n = 0; nonce_char(nonce[n]); n++)
		;
	if (n == 0 || n > JWT_POP_NONCE_MAX || strcmp(nonce + n, tail) != 0)
		return false;
	memcpy(ch->htu, htu, (size_t)(m - htu));
	ch->htu[m - htu] = '\0';
	memcpy(ch->host, host, (size_t)(slash - host));
	ch->host[slash - host] = '\0';
	memcpy(ch->nonce, nonce, n);
	ch->nonce[n] = '\0';
	return true;
}

bool askpass_dpop_prompt(const char *asked, bool *part)
{
	unsigned k, m;

	*part = false;
	if (strncmp(skip_prefix(asked), head, sizeof(head) - 1) == 0)
		return true;
	*part = jwt_parts_prompt_match(parts_prompt, asked, &k, &m) && k >= 2;
	return *part;
}

/* The proof key: $PAM_JWT_DPOP_KEY, else dpop_key beside the token file. */
static char *key_path(const char *tok)
{
	const char *env = getenv("PAM_JWT_DPOP_KEY"), *slash;
	char *path = NULL;

	if (env != NULL && *env != '\0')
		return strdup(env);
	slash = strrchr(tok, '/');
	if (slash == NULL)
		path = strdup(DPOP_KEY_FILE);
	else if (asprintf(&path, "%.*s/%s", (int)(slash - tok), tok, DPOP_KEY_FILE) < 0)
		path = NULL;
	return path;
}

/* Whether the challenge's host is the one askpass established; says why not. */
static bool relay_check(const struct challenge *ch)
{
	struct dpop_host h = { { NULL }, NULL };
	bool good;

	if (!dpop_host_establish(&h))
		return false;
	good = dpop_host_match(&h, ch->host);
	if (!good) {
		bool two = h.names[1] != NULL && strcmp(h.names[0], h.names[1]) != 0;

		cli_error("askpass: the DPoP challenge is for host \"%s\", but %s is \"%s\"%s%s%s: "
			  "no proof is given. A host you log in to may be relaying another host's "
			  "challenge. If \"%s\" is the host you meant, name it: ssh to that name, or "
			  "set PAM_JWT_HOST", ch->host, h.how, h.names[0], two ? " (hostname \"" : "",
			  two ? h.names[1] : "", two ? "\")" : "", ch->host);
	}
	dpop_host_free(&h);
	return good;
}

/* Prints part k of the proof (k = 0: the first answer); keeps or removes the pending proof. */
static bool print_proof(const char *proof, size_t len, unsigned k, unsigned m, bool *pending)
{
	unsigned mine;
	size_t body;

	*pending = false;
	if (k == 0 && len <= JWT_PART_SIZE_MAX) {
		printf("%s\n", proof);
		return true;
	}
	if (!jwt_parts_layout(len, JWT_PART_SIZE_MAX, &mine, &body)) {
		cli_error("askpass: the DPoP proof is too long for %d parts", JWT_PARTS_MAX);
		return false;
	}
	if (k == 0) {
		k = 1;
	} else if (m != mine || k > mine) {
		cli_error("askpass: the prompt asks for part %u of %u of the DPoP proof, but the "
			  "proof kept has %u parts", k, m, mine);
		return false;
	}
	cli_part_print(stdout, proof, len, body, k, mine);
	*pending = k < mine;
	return true;
}

static int answer_challenge(const struct challenge *ch, const char *tok, size_t tok_len,
			    const char *token_path)
{
	struct dpop_key key = { 0 };
	struct jwt_err err = { 0 };
	char *proof = NULL, *path = NULL, *dir = NULL;
	size_t len = 0;
	bool good = false, pending = false;

	if (!relay_check(ch))
		return CLI_FAILED;
	if (jwt_crypto_init(&err) != JWT_OK) {
		cli_error("%s", err.reason);
		return CLI_FAILED;
	}
	path = key_path(token_path);
	if (path == NULL) {
		cli_error("out of memory");
		goto out;
	}
	if (!dpop_key_load(path, &key))
		goto out;
	proof = dpop_proof_make(&key, JWT_POP_HTM, ch->htu, ch->nonce, tok, tok_len, &len);
	if (proof == NULL)
		goto out;
	if (len > JWT_PART_SIZE_MAX) {
		/* The parts are asked for by later runs: keep the proof for them. */
		if (!token_cache_dir(true, &dir) || !token_cache_write(dir, PENDING_PROOF, proof))
			goto out;
	} else if (token_cache_dir(false, &dir)) {
		/* An earlier challenge's proof, never asked for whole: of no more use. */
		token_cache_remove(dir, PENDING_PROOF);
	}
	good = print_proof(proof, len, 0, 0, &pending);
out:
	if (proof != NULL)
		jwt_wipe_free(proof, len);
	dpop_key_clear(&key);
	free(path);
	free(dir);
	return good ? CLI_OK : CLI_FAILED;
}

int askpass_dpop_part(const char *asked)
{
	char *dir = NULL, *proof = NULL;
	size_t len = 0;
	bool good = false, pending = true;
	unsigned k, m;

	if (!jwt_parts_prompt_match(parts_prompt, asked, &k, &m) || k < 2) {
		cli_error("askpass: not a part prompt of pam_jwt's DPoP proof");
		return CLI_FAILED;
	}
	if (token_cache_dir(false, &dir) &&
	    token_cache_read(dir, PENDING_PROOF, (size_t)JWT_PARTS_MAX * JWT_PART_SIZE_MAX, &proof, &len))
		good = print_proof(proof, len, k, m, &pending);
	else
		cli_error("askpass: no DPoP proof is kept for part %u of %u (was the challenge "
			  "answered by this askpass?)", k, m);
	if (dir != NULL && !pending)
		token_cache_remove(dir, PENDING_PROOF);
	if (proof != NULL)
		jwt_wipe_free(proof, len + 1);
	free(dir);
	return good ? CLI_OK : CLI_FAILED;
}

int askpass_dpop_challenge(const char *asked, const char *token, size_t len,
			   const char *token_path)
{
	struct challenge ch;

	if (!parse_challenge(asked, &ch)) {
		cli_error("askpass: not pam_jwt's DPoP challenge, so no proof is given: \"%.120s\"",
			  asked);
		return CLI_FAILED;
	}
	return answer_challenge(&ch, token, len, token_path);
}
