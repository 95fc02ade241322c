/*
 * Sessions bound to their token through pam_jwt.so loaded by libpam
 * (pam_start_confdir): one handle authenticates, opens and closes the
 * session, as sudo and su do. A token authentication registers the session
 * (the record names this process by pid and start time, the tty and rhost)
 * and PAM_JWT_PENDING is gone from the environment after open_session; a
 * refused token or a password through another module registers nothing and
 * the session hooks return PAM_IGNORE; close_session removes the record; an
 * unsafe registry refuses the login. The session hooks are called through
 * dlsym on the handle libpam made, for their exact codes: libpam turns a
 * stack whose only module ignores into PAM_PERM_DENIED.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "jwt_proc.h"
#include "jwt_session.h"
#include "../lib/pamtest.h"
#include "../lib/tap.h"
#include "../lib/testlib.h"

static char dir[] = "/tmp/pam_jwt_session_pam.XXXXXX";
static char reg[300];
static const unsigned char key[] = "0123456789abcdef0123456789abcdef";

static char *token(const char *jti, long ttl)
{
	char payload[256];

	snprintf(payload, sizeof(payload), "{\"sub\":\"root\",\"iss\":\"test\",\"jti\":\"%s\","
		 "\"iat\":%lld,\"exp\":%lld}", jti, (long long)time(NULL),
		 (long long)time(NULL) + ttl);
	return mint(JWT_ALG_HS256, "{\"alg\":\"HS256\"}", payload, key, 32);
}

static void stack(const char *name, const char *auth_args, const char *session_args,
		  const char *fallback)
{
	char path[400], text[2048];
	const char *module = getenv("PAM_JWT_MODULE");

	snprintf(path, sizeof(path), "%s/%s", service_dir, name);
	if (fallback != NULL)
		snprintf(text, sizeof(text),
			 "auth [success=done default=ignore] %s %s\nauth required %s\n"
			 "account required pam_permit.so\nsession optional %s %s\n",
			 module, auth_args, fallback, module, session_args);
	else
		snprintf(text, sizeof(text), "auth required %s %s\naccount required pam_permit.so\n"
			 "session optional %s %s\n", module, auth_args, module, session_args);
	write_file(path, text, strlen(text), 0644);
}

/* Records (pending: under pending/) in the registry. */
static int count(bool pending)
{
	char path[400];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof(path), "%s%s", reg, pending ? "/pending" : "");
	d = opendir(path);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += jwt_session_id_ok(de->d_name);
	closedir(d);
	return n;
}

static bool first_id(void *ctx, const char *id)
{
	snprintf(ctx, JWT_SESSION_ID_LEN + 1, "%s", id);
	return false;
}

struct run {
	int auth, open, close;
	bool pending_after_auth, pending_after_open;
	int records_open, records_close;
	struct jwt_session s;		/* the record while open */
	bool have_record;
	const char *user_for_open;	/* PAM_USER changed before open_session */
	const char *ruser;		/* PAM_RUSER set before open_session */
};

typedef int hook_fn(pam_handle_t *pamh, int flags, int argc, const char **argv);
static hook_fn *open_hook, *close_hook;
/* The session line's arguments of each service. */
static const char *session_argv[3][8];
static int session_argc[3];

static int svc_index(const char *svc)
{
	return strcmp(svc, "bound") == 0 ? 0 : strcmp(svc, "fallback") == 0 ? 1 : 2;
}

static void split_args(int i, char *args)
{
	session_argc[i] = 0;
	for (char *t = strtok(args, " "); t != NULL && session_argc[i] < 8; t = strtok(NULL, " "))
		session_argv[i][session_argc[i]++] = t;
}

static void run(const char *svc, const char *tok, struct run *r)
{
	int i = svc_index(svc);
	struct conv_data cd = { CONV_TOKEN, tok };
	struct pam_conv pc = { conv, &cd };
	struct jwt_err err = { 0 };
	char id[JWT_SESSION_ID_LEN + 1] = "";
	pam_handle_t *pamh;

	memset(r->s.id, 0, sizeof(r->s.id));
	if (pam_start_confdir(svc, "root", &pc, service_dir, &pamh) != PAM_SUCCESS)
		exit(99);
	pam_set_item(pamh, PAM_TTY, "/dev/pts/77");
	pam_set_item(pamh, PAM_RHOST, "192.0.2.7");
	r->auth = pam_authenticate(pamh, 0);
	r->pending_after_auth = pam_getenv(pamh, "PAM_JWT_PENDING") != NULL;
	if (r->user_for_open != NULL)
		pam_set_item(pamh, PAM_USER, r->user_for_open);
	if (r->ruser != NULL)
		pam_set_item(pamh, PAM_RUSER, r->ruser);
	r->open = open_hook(pamh, 0, session_argc[i], session_argv[i]);
	r->pending_after_open = pam_getenv(pamh, "PAM_JWT_PENDING") != NULL;
	r->records_open = count(false);
	r->have_record = false;
	if (jwt_session_list(reg, false, first_id, id, &err) == JWT_OK && id[0] != '\0')
		r->have_record = jwt_session_read(reg, false, id, &r->s, &err) == JWT_OK;
	r->close = close_hook(pamh, 0, session_argc[i], session_argv[i]);
	r->records_close = count(false);
	pam_end(pamh, PAM_SUCCESS);
}

int main(void)
{
	char key_path[400], args[1500], sargs[1500];
	struct jwt_proc self;
	struct jwt_err err = { 0 };
	struct run r = { 0 };
	char *tok;

	if (!pamtest_start(dir))
		return 0;
	snprintf(key_path, sizeof(key_path), "%s/key", dir);
	write_file(key_path, key, 32, 0600);
	snprintf(reg, sizeof(reg), "%s/reg/sessions", dir);
	snprintf(args, sizeof(args), "secret_file=%s allow_root session_end=exp,revoke "
		 "session_warn=60 session_dir=%s", key_path, reg);
	snprintf(sargs, sizeof(sargs), "%s", args);
	stack("bound", args, sargs, NULL);
	stack("fallback", args, sargs, "pam_permit.so");
	snprintf(sargs, sizeof(sargs), "secret_file=%s allow_root", key_path);
	stack("plain", sargs, sargs, NULL);
	split_args(2, strdup(sargs));
	split_args(0, strdup(args));
	split_args(1, strdup(args));
	{
		void *so = dlopen(getenv("PAM_JWT_MODULE"), RTLD_NOW);

		open_hook = so ? (hook_fn *)dlsym(so, "pam_sm_open_session") : NULL;
		close_hook = so ? (hook_fn *)dlsym(so, "pam_sm_close_session") : NULL;
		if (open_hook == NULL || close_hook == NULL) {
			printf("Bail out! pam_sm_open_session or pam_sm_close_session not exported\n");
			return 1;
		}
	}
	if (jwt_proc_read(getpid(), &self, &err) != JWT_OK) {
		printf("Bail out! cannot read this process's start time: %s\n", err.reason);
		return 1;
	}

	tok = token("s-1", 600);
	run("bound", tok, &r);
	ok(r.auth == PAM_SUCCESS && r.pending_after_auth,
	   "a token with session_end=: PAM_SUCCESS, and PAM_JWT_PENDING in the PAM environment");
	ok(r.open == PAM_SUCCESS && r.records_open == 1 && count(true) == 0,
	   "open_session registers the session (one record, no pending record left)");
	ok(!r.pending_after_open, "open_session takes PAM_JWT_PENDING out of the PAM environment");
	ok(r.have_record && r.s.proc.pid == getpid() && r.s.proc.start == self.start,
	   "the record names the opening process by pid and start time");
	ok(r.have_record && r.s.tty && strcmp(r.s.tty, "/dev/pts/77") == 0 && r.s.rhost &&
	   strcmp(r.s.rhost, "192.0.2.7") == 0 && r.s.service && strcmp(r.s.service, "bound") == 0,
	   "the record holds tty, rhost and service");
	ok(r.have_record && strcmp(r.s.user, "root") == 0 && r.s.jti && strcmp(r.s.jti, "s-1") == 0 &&
	   r.s.iss && strcmp(r.s.iss, "test") == 0 && r.s.end == 3 && r.s.warn == 60 &&
	   strncmp(r.s.fingerprint, "sha256:", 7) == 0,
	   "the record holds user, iss, jti, the fingerprint, session_end= and session_warn=");
	ok(r.close == PAM_SUCCESS && r.records_close == 0,
	   "close_session removes the record");
	jwt_session_free(&r.s);
	free(tok);

	tok = token("s-2", -600);
	run("bound", tok, &r);
	ok(r.auth == PAM_AUTH_ERR && !r.pending_after_auth && count(true) == 0,
	   "an expired token: PAM_AUTH_ERR, no pending record");
	ok(r.open == PAM_IGNORE && r.records_open == 0 && r.close == PAM_IGNORE,
	   "after a refused token open/close_session return PAM_IGNORE and register nothing");
	jwt_session_free(&r.s);
	free(tok);

	run("fallback", "a Unix password", &r);
	ok(r.auth == PAM_SUCCESS && !r.pending_after_auth,
	   "a password through the next module: PAM_SUCCESS without PAM_JWT_PENDING");
	ok(r.open == PAM_IGNORE && r.records_open == 0 && r.close == PAM_IGNORE,
	   "a password-only session is not registered (PAM_IGNORE)");
	jwt_session_free(&r.s);

	tok = token("s-3", 600);
	run("plain", tok, &r);
	ok(r.auth == PAM_SUCCESS && !r.pending_after_auth && r.open == PAM_IGNORE &&
	   r.records_open == 0, "without session_end= nothing is registered (control)");
	jwt_session_free(&r.s);
	free(tok);

	tok = token("s-4", 600);
	r.user_for_open = "nobody";
	run("bound", tok, &r);
	r.user_for_open = NULL;
	ok(r.auth == PAM_SUCCESS && r.open == PAM_SESSION_ERR && r.records_open == 0 &&
	   !r.pending_after_open,
	   "PAM_USER changed after authentication, PAM_RUSER not the token's user: "
	   "PAM_SESSION_ERR, nothing registered");
	jwt_session_free(&r.s);
	free(tok);

	tok = token("s-6", 600);
	r.user_for_open = "nobody";
	r.ruser = "root";
	run("bound", tok, &r);
	r.user_for_open = NULL;
	r.ruser = NULL;
	ok(r.auth == PAM_SUCCESS && r.open == PAM_SUCCESS && r.records_open == 1 &&
	   r.have_record && strcmp(r.s.user, "root") == 0 && r.close == PAM_SUCCESS &&
	   r.records_close == 0,
	   "PAM_USER switched to the target and PAM_RUSER the token's user (as sudo does): "
	   "registered under the token's user, and removed at close");
	jwt_session_free(&r.s);
	free(tok);

	chmod(reg, 0755);
	tok = token("s-5", 600);
	run("bound", tok, &r);
	ok(r.auth == PAM_AUTHINFO_UNAVAIL && !r.pending_after_auth,
	   "a registry open to others: the login is refused (PAM_AUTHINFO_UNAVAIL)");
	jwt_session_free(&r.s);
	chmod(reg, 0700);
	run("bound", tok, &r);
	ok(r.auth == PAM_SUCCESS && r.open == PAM_SUCCESS && r.records_open == 1 &&
	   r.records_close == 0, "control: the same token once the registry is safe");
	jwt_session_free(&r.s);
	free(tok);
	return tap_done();
}
