/* Reading the files an administrator points the module at, refusing unsafe ones. */
#ifndef PAM_JWT_FILE_H
#define PAM_JWT_FILE_H

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

#endif
