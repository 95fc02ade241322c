/* Reading the files an administrator points the module at, refusing unsafe ones. */
#ifndef PAM_JWT_FILE_H
#define PAM_JWT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "jwt_err.h"

enum jwt_file_policy {
	JWT_FILE_SECRET,	/* no write by group/others, no read by others */
	JWT_FILE_PROTECTED,	/* no write by group/others */
};

/*
 * Checks every directory from / down to the one holding path, as OpenSSH's
 * safe_path() does for authorized_keys: each must be a directory (not a
 * symbolic link: lstat), owned by root or the effective uid, and not writable
 * by group or others unless sticky (/tmp). A relative path is taken from the
 * current directory, which is checked the same way. JWT_E_KEY with a reason
 * naming the directory at fault. Call it for every file the module trusts.
 */
enum jwt_status jwt_file_check_parents(const char *path, struct jwt_err *err);

/*
 * Reads a whole regular file owned by root or the effective uid, in safe
 * directories (jwt_file_check_parents), opened without following a symlink,
 * into a fresh NUL-terminated buffer of *len bytes (at most max). On failure
 * returns JWT_E_KEY with the reason. Free with jwt_wipe_free().
 */
enum jwt_status jwt_file_read(const char *path, enum jwt_file_policy policy, size_t max,
			      unsigned char **buf, size_t *len, struct jwt_err *err);

/*
 * jwt_file_read(), also giving the file's mode, for files whose content
 * decides a stricter policy afterwards (a key set holding secrets).
 */
enum jwt_status jwt_file_read_mode(const char *path, enum jwt_file_policy policy, size_t max,
				   unsigned char **buf, size_t *len, mode_t *mode,
				   struct jwt_err *err);

/* Whether mode satisfies policy's permission bits; JWT_E_KEY with the reason if not. */
enum jwt_status jwt_file_check_mode(const char *path, mode_t mode, enum jwt_file_policy policy,
				    struct jwt_err *err);

/*
 * The line-based files (user_map=, policy_file=, revoked_file=) are read by
 * one reader, as OpenSSH reads authorized_keys (auth2-pubkeyfile.c): the
 * file whole, then a function per line. A line as the function gets it: its
 * text without the newline, and without a carriage return before it (a file
 * saved with CRLF line ends reads as one with LF).
 */
struct jwt_line {
	const char *what;	/* names the file in reasons: its path */
	unsigned number;	/* from 1 */
	const char *text;	/* len bytes, not NUL-terminated */
	size_t len;
};

/* Called for each line; setting *stop ends the reading there, a status other than JWT_OK too. */
typedef enum jwt_status jwt_line_fn(void *ctx, const struct jwt_line *line, bool *stop,
				    struct jwt_err *err);

/*
 * Calls fn for each line of text (len bytes; what names it in reasons). The
 * text must hold no NUL byte and its last line must end with a newline: a
 * file rewritten in place can be read half-written ("carol rtcarolyn" cut to
 * "carol rtcarol" maps to another account), so one that does not is refused,
 * never read up to its cut. JWT_E_KEY with the reason, or fn's first failure.
 */
enum jwt_status jwt_text_lines(const char *what, const char *text, size_t len, jwt_line_fn *fn,
			       void *ctx, struct jwt_err *err);

/* jwt_file_read() of path (policy, at most max bytes), then jwt_text_lines() of it. */
enum jwt_status jwt_file_lines(const char *path, enum jwt_file_policy policy, size_t max,
			       jwt_line_fn *fn, void *ctx, struct jwt_err *err);

/* The next field of [*p, end), fields being separated by spaces and tabs; false at the end. */
bool jwt_line_field(const char **p, const char *end, const char **field, size_t *len);

/*
 * A malformed line: JWT_E_KEY with the reason "WHAT:NUMBER REASON" (a macro
 * yielding the status, as jwt_fail() is).
 */
void jwt_line_fail_record(struct jwt_err *err, const struct jwt_line *line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define jwt_line_fail(err, line, ...) __extension__ ({				\
	jwt_line_fail_record((err), (line), __VA_ARGS__);			\
	JWT_E_KEY;								\
})

/*
 * Creates path's missing parents 0755 (as /run/pam_jwt is) and path itself
 * 0700, each mkdir's failure ignored: the caller checks what it opens.
 */
void jwt_file_make_dirs(const char *path);

#endif
