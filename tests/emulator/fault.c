// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated CXL switch: fault injection. --fail OPCODE:RC[:N] answers the
 * Nth call of OPCODE the device receives (every call without N) with RC
 * and an empty payload, leaving the model alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

#define MAX_FAULTS 64

struct fault {
	uint16_t opcode;
	uint16_t rc;
	unsigned long nth;	/* 0: every call */
};

static struct fault faults[MAX_FAULTS];
static unsigned int nr_faults;
/* calls per opcode that reached the device, all switches together */
static unsigned long calls[0x10000];

static const struct {
	const char *name;
	uint16_t rc;
} rc_names[] = {
	{ "invalid-input", CCI_RC_INVALID_INPUT },
	{ "unsupported", CCI_RC_UNSUPPORTED },
	{ "internal-error", CCI_RC_INTERNAL },
	{ "retry-required", CCI_RC_RETRY },
	{ "busy", CCI_RC_BUSY },
};

static int parse_num(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 0);
	return *end || errno || *out > max ? -1 : 0;
}

static int parse_rc(const char *s, uint16_t *rc)
{
	unsigned long v;

	for (size_t i = 0; i < sizeof(rc_names) / sizeof(rc_names[0]); i++) {
		if (!strcmp(s, rc_names[i].name)) {
			*rc = rc_names[i].rc;
			return 0;
		}
	}
	if (parse_num(s, 0xffff, &v))
		return -1;
	*rc = v;
	return 0;
}

/* "0x5201" */
int parse_opcode(const char *s, uint16_t *opcode)
{
	unsigned long v;

	if (strncmp(s, "0x", 2) || parse_num(s, 0xffff, &v))
		return -1;
	*opcode = v;
	return 0;
}

/* OPCODE:RC (a name or a number) or OPCODE:NUMBER */
int parse_opcode_pair(const char *spec, int is_rc, uint16_t *opcode,
		      uint16_t *val)
{
	const char *colon = strchr(spec, ':');
	char op[16];
	unsigned long v;

	if (!colon || colon - spec >= (long)sizeof(op))
		return -1;
	memcpy(op, spec, colon - spec);
	op[colon - spec] = '\0';
	if (parse_opcode(op, opcode))
		return -1;
	if (is_rc)
		return parse_rc(colon + 1, val);
	if (parse_num(colon + 1, 0xffff, &v))
		return -1;
	*val = v;
	return 0;
}

int fault_add(const char *spec)
{
	char *copy = strdup(spec), *op, *rc, *nth;
	struct fault f = { 0 };
	unsigned long v;
	int ret = -1;

	if (!copy || nr_faults == MAX_FAULTS)
		goto out;
	op = strtok(copy, ":");
	rc = strtok(NULL, ":");
	nth = strtok(NULL, ":");
	if (!op || !rc || strtok(NULL, ":") || strncmp(op, "0x", 2) ||
	    parse_num(op, 0xffff, &v))
		goto out;
	f.opcode = v;
	if (parse_rc(rc, &f.rc))
		goto out;
	if (nth && (parse_num(nth, ~0ul, &f.nth) || !f.nth))
		goto out;
	faults[nr_faults++] = f;
	ret = 0;
out:
	free(copy);
	return ret;
}

int fault_check(uint16_t opcode)
{
	unsigned long n = ++calls[opcode];

	for (unsigned int i = 0; i < nr_faults; i++)
		if (faults[i].opcode == opcode &&
		    (!faults[i].nth || faults[i].nth == n))
			return faults[i].rc;
	return -1;
}
