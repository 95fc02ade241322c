#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"

static const struct {
	char suffix;
	int64_t seconds;
} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 } };

bool cli_duration_parse(const char *s, bool negative, int64_t *seconds)
{
	const char *digits = s;
	int64_t unit = 1;
	long long v;
	char *end;

	if (negative && *digits == '-')
		digits++;
	/* strtoll alone would take spaces, a '+' or a second sign. */
	if (!isdigit((unsigned char)*digits))
		return false;
	errno = 0;
	v = strtoll(digits, &end, 10);
	if (errno != 0)
		return false;
	if (*end != '\0') {
		size_t i;

		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (*end == units[i].suffix)
				break;
		if (i == sizeof(units) / sizeof(units[0]) || end[1] != '\0')
			return false;
		unit = units[i].seconds;
	}
	if (v > CLI_DURATION_MAX / unit)
		return false;
	*seconds = (digits == s ? 1 : -1) * v * unit;
	return true;
}
