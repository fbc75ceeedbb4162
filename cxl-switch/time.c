// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Times on the command line and in results: ISO 8601 in UTC with the
 * nanoseconds the device keeps, and the ns count itself beside it so a
 * script needs no date parser.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define NS	1000000000ull

void iso8601(uint64_t ns, char *buf, size_t len)
{
	time_t s = (time_t)(ns / NS);
	struct tm tm;
	char date[32];

	if (!gmtime_r(&s, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%s.%09lluZ", date, (unsigned long long)(ns % NS));
}

struct json_object *json_time(uint64_t ns)
{
	char buf[48];

	if (!ns)
		return NULL;	/* the device has no valid time */
	iso8601(ns, buf, sizeof(buf));
	return json_object_new_string(buf);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

/* ".123" after the seconds: up to 9 digits, in ns */
static int fraction(const char **s, uint64_t *ns)
{
	uint64_t scale = NS / 10;
	const char *p = *s;

	*ns = 0;
	if (*p != '.')
		return 0;
	p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (!scale)
			return -EINVAL;
		*ns += (uint64_t)(*p - '0') * scale;
		scale /= 10;
	}
	*s = p;
	return 0;
}

/*
 * Seconds and nanoseconds as one u64 of ns, the device's clock: up to
 * 2554-07-21T23:34:33.709551615Z; later times are refused, not wrapped.
 */
static int to_ns(uint64_t sec, uint64_t frac, uint64_t *ns)
{
	if (sec > UINT64_MAX / NS ||
	    (sec == UINT64_MAX / NS && frac > UINT64_MAX % NS))
		return -ERANGE;
	*ns = sec * NS + frac;
	return 0;
}

static int epoch_seconds(const char *s, uint64_t *ns)
{
	uint64_t sec = 0, frac;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (sec > UINT64_MAX / 10)
			return -ERANGE;
		sec = sec * 10 + (uint64_t)(*s - '0');
	}
	if (fraction(&s, &frac) || *s)
		return -EINVAL;
	return to_ns(sec, frac, ns);
}

/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM) */
static int iso_time(const char *s, uint64_t *ns)
{
	struct tm tm = { 0 };
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	long off = 0;
	uint64_t frac;
	time_t t;

	if (!p || fraction(&p, &frac))
		return -EINVAL;
	if (*p == 'Z') {
		p++;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
		   p[3] == ':') {
		struct tm z = { 0 };

		if (!strptime(p + 1, "%H:%M", &z))
			return -EINVAL;
		off = (z.tm_hour * 60 + z.tm_min) * 60L * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -EINVAL;
	}
	if (*p)
		return -EINVAL;
	t = timegm(&tm);
	if (t == (time_t)-1 || t - off < 0)
		return -ERANGE;
	return to_ns((uint64_t)(t - off), frac, ns);
}

int parse_time(const char *s, uint64_t *ns)
{
	return s[0] == '@' ? epoch_seconds(s + 1, ns) : iso_time(s, ns);
}

int parse_seconds(const char *s, double max, double *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	*v = strtod(s, &end);
	if (*end || errno || *v != *v)	/* NaN is not a number of seconds */
		return -EINVAL;
	return *v > max ? -ERANGE : 0;
}
