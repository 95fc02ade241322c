/* Cutting a token into "k/M:" parts (pam-jwt split and askpass). */
#ifndef PAM_JWT_CLI_SPLIT_H
#define PAM_JWT_CLI_SPLIT_H

#include <stddef.h>
#include <stdio.h>

/* Writes part k of m ("k/m:" and body bytes of tok from (k-1)*body) and a newline. */
void cli_part_print(FILE *f, const char *tok, size_t len, size_t body, unsigned k, unsigned m);

#endif
