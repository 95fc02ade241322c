/* Durations on the command line: 90, 90s, 5m, 2h, 1d. */
#ifndef PAM_JWT_CLI_DURATION_H
#define PAM_JWT_CLI_DURATION_H

#include <stdbool.h>
#include <stdint.h>

/* The longest duration accepted: 100 years, far from any overflow of a NumericDate. */
#define CLI_DURATION_MAX (100LL * 366 * 86400)

/*
 * Parses digits with an optional s/m/h/d suffix (none: seconds) into seconds.
 * A leading '-' only when negative is allowed. False for anything else or
 * anything beyond CLI_DURATION_MAX.
 */
bool cli_duration_parse(const char *s, bool negative, int64_t *seconds);

#endif
