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

/*
 * "16 GiB", or "1000 bytes": the largest unit that divides the size.  The
 * digits and the unit are copied, not printed: the topology tree sizes
 * every LD of every pool.
 */
void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const names[] = { " KiB", " MiB", " GiB", " TiB" };
	const char *unit = " bytes";
	char text[32];
	size_t n;

	for (int i = 3; i >= 0; i--)
		if (bytes && !(bytes & ((1ull << (10 * (i + 1))) - 1))) {
			bytes >>= 10 * (i + 1);
			unit = names[i];
			break;
		}
	n = field_uint_text(bytes, text);
	n += strlen(strcpy(text + n, unit));
	if (!len)
		return;
	if (n >= len)		/* cut as snprintf cuts */
		n = len - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
}
