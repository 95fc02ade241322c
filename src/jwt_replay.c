#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gcrypt.h>

#include "jwt_json.h"
#include "jwt_replay.h"

enum jwt_status jwt_replay_key(json_object *claims, unsigned char key[JWT_STORE_KEY_LEN],
			       struct jwt_err *err)
{
	size_t iss_len = 0, jti_len = 0;
	const char *iss = jwt_json_string(claims, "iss", &iss_len);
	const char *jti = jwt_json_string(claims, "jti", &jti_len);
	json_object *v;
	unsigned char *buf;

	if (jti == NULL)
		return jwt_fail(err, JWT_E_REPLAY, json_object_object_get_ex(claims, "jti", &v)
				? "\"jti\" is not a string: replay= needs one-time tokens"
				: "no \"jti\": replay= accepts only one-time tokens");
	if (jti_len == 0 || memchr(jti, '\0', jti_len) != NULL)
		return jwt_fail(err, JWT_E_REPLAY, "\"jti\" is empty or holds a NUL byte");
	if (iss == NULL)
		iss_len = 0;
	else if (memchr(iss, '\0', iss_len) != NULL)
		return jwt_fail(err, JWT_E_REPLAY, "\"iss\" holds a NUL byte");
	buf = malloc(iss_len + 1 + jti_len);
	if (buf == NULL)
		return jwt_fail(err, JWT_E_NOMEM, "out of memory");
	if (iss_len)
		memcpy(buf, iss, iss_len);
	buf[iss_len] = '\0';
	memcpy(buf + iss_len + 1, jti, jti_len);
	gcry_md_hash_buffer(GCRY_MD_SHA256, key, buf, iss_len + 1 + jti_len);
	free(buf);
	return JWT_OK;
}

enum jwt_status jwt_replay_check(const struct jwt_config *cfg, json_object *claims,
				 const struct jwt_names *names, int64_t now,
				 const struct jwt_trace *tr, struct jwt_err *err)
{
	unsigned char key[JWT_STORE_KEY_LEN];
	enum jwt_status rc;
	bool present = false;
	double exp = 0;
	int64_t until;

	if (cfg->replay == JWT_REPLAY_NONE)
		return JWT_OK;
	rc = jwt_replay_key(claims, key, err);
	/* exp was checked before: a number within int64, not past. */
	if (rc == JWT_OK)
		rc = jwt_json_numericdate(claims, "exp", &present, &exp, err);
	if (rc == JWT_OK && !present)
		rc = jwt_fail(err, JWT_E_CLAIMS, "no \"exp\"");
	if (rc != JWT_OK)
		goto out;
	/*
	 * Another host sharing the store may accept the token up to its own
	 * leeway past exp: the record outlives exp by the largest leeway any
	 * host can have, not by this one's.
	 */
	until = (int64_t)ceil(exp) + JWT_MAX_LEEWAY;
	switch (cfg->replay) {
	case JWT_REPLAY_LOCAL:
		rc = jwt_store_local_mark(cfg->replay_dir, key, until, now, cfg->replay_peek, err);
		break;
	case JWT_REPLAY_REDIS:
		rc = jwt_store_redis_mark(cfg, key, until, now, cfg->replay_peek, claims, names,
					  err);
		break;
	default:
		rc = jwt_fail(err, JWT_E_CONFIG, "unknown replay store");
		break;
	}
out:
	if (rc == JWT_OK)
		jwt_trace_step(tr, "replay", true, "%s", cfg->replay_peek
			       ? "not used yet (nothing recorded: only a login records it)"
			       : "first use, recorded");
	else
		jwt_trace_step(tr, "replay", false, "%s", err->reason);
	return rc;
}
