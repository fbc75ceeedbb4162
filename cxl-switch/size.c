// SPDX-License-Identifier: GPL-2.0-or-later
/* Sizes on the command line (256M, 4GiB) and in tables (4 GiB). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int unit_shift(const char *u, unsigned int *shift)
{
	static const char units[] = "KMGTPE";
	const char *at;

	if (!*u) {
		*shift = 0;
		return 0;
	}
	at = strchr(units, toupper((unsigned char)*u));
	if (!at || !*at)
		return -1;
	u++;
	/* 4G, 4GB and 4GiB all mean 4 * 2^30: memory is counted in powers of two */
	if (!strcasecmp(u, "ib") || !strcasecmp(u, "b") || !*u) {
		*shift = 10 * (unsigned int)(at - units + 1);
		return 0;
	}
	return -1;
}

int parse_size(const char *s, uint64_t *bytes)
{
	unsigned long long v;
	unsigned int shift;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || unit_shift(end, &shift))
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -ERANGE;
	*bytes = (uint64_t)v << shift;
	return 0;
}

void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB", "EiB" };
	unsigned int u = 0;
	uint64_t whole = bytes;

	while (whole >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		whole /= 1024;
		u++;
	}
	if (!u || bytes % ((uint64_t)1 << (10 * u)) == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)whole,
			 units[u]);
	else
		snprintf(buf, len, "%.1f %s",
			 (double)bytes / (double)((uint64_t)1 << (10 * u)),
			 units[u]);
}
