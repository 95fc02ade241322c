/*
 * pam_jwt.so loaded by libpam itself: pam_start_confdir() on service files in
 * a scratch directory, with a conversation that answers as told.
 */
#ifndef PAM_JWT_PAMTEST_H
#define PAM_JWT_PAMTEST_H

#include <stdbool.h>
#include <security/pam_appl.h>

enum conv_mode {
	CONV_TOKEN,		/* answers every prompt with the token */
	CONV_NULL_REPLY,	/* PAM_SUCCESS with no reply (what some applications do on EOF) */
	CONV_NULL_RESP,		/* a reply whose answers are NULL */
	CONV_ERROR,		/* the conversation fails */
};

struct conv_data {
	enum conv_mode mode;
	const char *token;
};

/* The style of the last message the conversation was asked (PAM_PROMPT_ECHO_OFF...). */
extern int last_msg_style;

/* A PAM conversation function; data is a struct conv_data. */
int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data);

/* The directory of the service files. */
extern const char *service_dir;

/*
 * Makes the scratch directory template the service directory. False (after
 * printing a TAP skip line) when the module's path is not given.
 */
bool pamtest_start(char *template);

/* Writes service_dir/name: "auth required $PAM_JWT_MODULE args". */
void service(const char *name, const char *args);

/*
 * Runs pam_authenticate for user (NULL: none) on service svc and returns its
 * code; *user_after, when asked for, receives a copy of PAM_USER afterwards.
 */
int authenticate(const char *svc, const char *user, enum conv_mode mode, const char *token,
		 char **user_after);

#endif
