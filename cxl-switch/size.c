// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sizes on the command line and in messages: "256M", "4GiB", "1T" or plain
 * bytes, in powers of 1024, as capacities of memory are counted.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const char units[] = "KMGT";

/* The exponent of 1024 a suffix names: K 1 ... T 4; 0 none; -1 not one. */
static int suffix_shift(const char *s)
{
	const char *u;

	if (!*s)
		return 0;
	u = strchr(units, toupper((unsigned char)*s));
	if (!u)
		return -1;
	s++;
	if (!*s || !strcasecmp(s, "B") || !strcmp(s, "iB"))
		return (int)(u - units) + 1;
	return -1;
}

int parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	char *end;
	int shift;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	/* decimal, or hex with 0x; never octal: "010" is ten */
	v = strtoull(s, &end, strncasecmp(s, "0x", 2) ? 10 : 16);
	if (errno)
		return -ERANGE;
	/* "1B": plain bytes with the unit written out */
	if (end != s && !strcmp(end, "B"))
		shift = 0;
	else
		shift = suffix_shift(end);
	if (shift < 0)
		return -EINVAL;
	if (shift && v > UINT64_MAX >> (10 * shift))
		return -ERANGE;
	*bytes = (uint64_t)v << (10 * shift);
	return 0;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { "KiB", "MiB", "GiB", "TiB" };
	int i = 3;

	for (; i >= 0; i--) {
		uint64_t unit = 1ull << (10 * (i + 1));

		if (bytes && !(bytes % unit)) {
			snprintf(buf, len, "%llu %s",
				 (unsigned long long)(bytes / unit), names[i]);
			return;
		}
	}
	snprintf(buf, len, "%llu bytes", (unsigned long long)bytes);
}
