// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: fault injection. --fail OPCODE:ACTION[:N] bends the
 * Nth call of OPCODE the device receives (every call without N): a return
 * code and an empty payload (the model left alone), a cut or padded
 * answer, an out.size that lies, a failing ioctl or a slow one. The first
 * spec that matches a call wins. --latency delays every call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "model.h"

#define MAX_FAULTS 64

struct fault {
	uint16_t opcode;
	unsigned long nth;	/* 0: every call */
	struct fault_action act;
};

static struct fault faults[MAX_FAULTS];
static unsigned int nr_faults;
/* calls per opcode that reached the device, all switches together */
static unsigned long calls[0x10000];
/* --latency, ms */
static unsigned long latency_ms;

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

/* "EIO" (any name glibc knows) or a number 1..4095 */
static int parse_errno(const char *s, uint32_t *err)
{
	unsigned long v;

	for (int i = 1; i < 4096; i++) {
		const char *name = strerrorname_np(i);

		if (name && !strcmp(s, name)) {
			*err = i;
			return 0;
		}
	}
	if (parse_num(s, 4095, &v) || !v)
		return -1;
	*err = v;
	return 0;
}

static const struct {
	const char *name;
	enum fault_kind kind;
	unsigned long max;
} action_names[] = {
	{ "short", FAULT_SHORT, FAULT_MAX_BYTES },
	{ "long", FAULT_LONG, FAULT_MAX_BYTES },
	{ "overclaim", FAULT_OVERCLAIM, UINT32_MAX },
	{ "delay", FAULT_DELAY, FAULT_MAX_DELAY_MS },
	{ "cut", FAULT_CUT, FAULT_MAX_BYTES },
};

/* the 0x5300 faults: a wrong field of the inner answer's header */
static const struct {
	const char *name;
	enum fault_kind kind;
} tunnel_actions[] = {
	{ "tag", FAULT_TUNNEL_TAG },
	{ "opcode", FAULT_TUNNEL_OPCODE },
	{ "category", FAULT_TUNNEL_CATEGORY },
	{ "tunnel-len=", FAULT_TUNNEL_LEN },
	{ "inner-len=", FAULT_INNER_LEN },
};

/* tag, opcode, category, tunnel-len=K, inner-len=K (K may be negative) */
static int parse_tunnel_action(const char *s, struct fault_action *act)
{
	for (size_t i = 0; i < sizeof(tunnel_actions) /
	     sizeof(tunnel_actions[0]); i++) {
		const char *name = tunnel_actions[i].name;
		size_t len = strlen(name);
		long v;
		char *end;

		if (name[len - 1] != '=') {
			if (strcmp(s, name))
				continue;
			act->kind = tunnel_actions[i].kind;
			act->arg = 0;
			return 0;
		}
		if (strncmp(s, name, len))
			continue;
		errno = 0;
		v = strtol(s + len, &end, 0);
		if (!s[len] || *end || errno || v > (long)FAULT_MAX_BYTES ||
		    v < -(long)FAULT_MAX_BYTES)
			return -1;
		act->kind = tunnel_actions[i].kind;
		act->arg = (uint32_t)(int32_t)v;
		return 0;
	}
	return 1;	/* not one of them */
}

/* RC, short=K, long=K, overclaim=K, errno=NAME, delay=MS, cut=K, lost,
 * wrong-tag, stray, other-opcode */
static int parse_action(const char *s, struct fault_action *act)
{
	const char *eq = strchr(s, '=');
	unsigned long v;
	uint16_t rc;
	int t = parse_tunnel_action(s, act);

	if (t <= 0)
		return t;
	act->arg = 0;
	if (!strcmp(s, "lost")) {
		act->kind = FAULT_LOST;
		return 0;
	}
	if (!strcmp(s, "wrong-tag")) {
		act->kind = FAULT_WRONG_TAG;
		return 0;
	}
	if (!strcmp(s, "stray")) {
		act->kind = FAULT_STRAY;
		return 0;
	}
	if (!strncmp(s, "swap=", 5)) {
		char *end;
		unsigned long a, b;

		errno = 0;
		a = strtoul(s + 5, &end, 10);
		if (end == s + 5 || *end != ',' || a > 255)
			return -1;
		if (parse_num(end + 1, 255, &b) || errno)
			return -1;
		act->kind = FAULT_SWAP;
		act->arg = (uint32_t)(a | b << 8);
		return 0;
	}
	if (!strcmp(s, "other-opcode")) {
		act->kind = FAULT_OTHER_OPCODE;
		return 0;
	}
	if (!eq) {
		if (parse_rc(s, &rc))
			return -1;
		act->kind = FAULT_RC;
		act->arg = rc;
		return 0;
	}
	if (!strncmp(s, "errno=", 6)) {
		act->kind = FAULT_ERRNO;
		return parse_errno(eq + 1, &act->arg);
	}
	for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]);
	     i++) {
		size_t len = strlen(action_names[i].name);

		if ((size_t)(eq - s) != len ||
		    strncmp(s, action_names[i].name, len))
			continue;
		if (parse_num(eq + 1, action_names[i].max, &v))
			return -1;
		act->kind = action_names[i].kind;
		act->arg = v;
		return 0;
	}
	return -1;
}

/* OPCODE:ACTION[:N] */
int fault_add(const char *spec)
{
	char *copy = strdup(spec), *action, *nth;
	struct fault f = { 0 };
	int ret = -1;

	if (!copy || nr_faults == MAX_FAULTS)
		goto out;
	action = strchr(copy, ':');
	if (!action)
		goto out;
	*action++ = '\0';
	nth = strchr(action, ':');
	if (nth) {
		*nth++ = '\0';
		if (parse_num(nth, ~0ul, &f.nth) || !f.nth)
			goto out;
	}
	if (parse_opcode(copy, &f.opcode) || parse_action(action, &f.act))
		goto out;
	/* only a tunnel answer has the headers these bend */
	if (f.act.kind >= FAULT_TUNNEL_TAG && f.opcode != 0x5300)
		goto out;
	faults[nr_faults++] = f;
	ret = 0;
out:
	free(copy);
	return ret;
}

int fault_set_latency(const char *ms)
{
	return parse_num(ms, FAULT_MAX_DELAY_MS, &latency_ms);
}

unsigned long fault_latency(void)
{
	return latency_ms;
}

/*
 * A hot swap, as a managed removal and insertion looks to the FM: what a
 * port's Get Physical Port State block says of the device behind it
 * (r3.1 Table 7-19: its type, CXL version and modes, link, LD count)
 * and the device itself move with the device; the port's id, role and
 * configuration space stay.  Ports the model lacks: nothing happens.
 */
void fault_after(struct model *m, const struct fault_action *act)
{
	struct model_port *a, *b, t;

	if (act->kind != FAULT_SWAP)
		return;
	a = model_find_port(m, act->arg & 0xff);
	b = model_find_port(m, act->arg >> 8);
	if (!a || !b || a == b)
		return;
	t = *a;
	*a = *b;
	*b = t;
	/* the port's own: id, role, configuration space */
	b->port_id = a->port_id;
	a->port_id = t.port_id;
	b->config_state = a->config_state;
	a->config_state = t.config_state;
	b->cfg = a->cfg;
	a->cfg = t.cfg;
}

int fault_check(uint16_t opcode, struct fault_action *act)
{
	unsigned long n = ++calls[opcode];

	for (unsigned int i = 0; i < nr_faults; i++) {
		if (faults[i].opcode == opcode &&
		    (!faults[i].nth || faults[i].nth == n)) {
			*act = faults[i].act;
			return 1;
		}
	}
	act->kind = FAULT_NONE;
	act->arg = 0;
	return 0;
}
