/* Writing a file all at once: never half-written, never readable by more than mode allows. */
#ifndef PAM_JWT_CLI_INSTALL_H
#define PAM_JWT_CLI_INSTALL_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Writes text into a fresh file beside path with mode (whatever the umask),
 * then moves it into place: without replace, an existing path is refused
 * atomically ("use --force"); with it, path is replaced in one rename().
 * Returns CLI_OK, or CLI_FAILED after a message.
 */
int cli_install_file(const char *path, const char *text, mode_t mode, bool replace);

/* Writes all n bytes to fd (retrying after EINTR and short writes); false on error. */
bool cli_write_all(int fd, const char *p, size_t n);

#endif
