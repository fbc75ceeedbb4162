// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * set-lds: give logical devices of a pooled memory device (MLD) their
 * memory (Set LD Allocations, 0x5402, tunnelled to the port's device).
 * Every size is checked against the device's granularity and capacity
 * before anything is sent; a change wider than one request is sent in
 * parts, and a failing part undoes the parts before it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct ld_assign {
	unsigned int ld;
	uint64_t range1, range2;	/* bytes */
	bool has_range2;
};

struct set_lds_args {
	const char *name;
	size_t n;
	struct ld_assign set[CXLSW_MAX_LDS];
	struct change_opts change;
};

/* What is being changed, kept for the parts after the first. */
struct set_lds_plan {
	struct cxlsw_ld_alloc_list old, new;
	unsigned int first, last;	/* the LDs the requests cover */
	size_t per;			/* LDs per request */
};

static struct set_lds_plan plan;

/* "3=4G" or "3=4G+1G": LD 3 gets range 1 (and range 2) of that size. */
static void parse_assign(struct argp_state *state, const char *arg,
			 struct ld_assign *as)
{
	char *copy = strdup(arg), *eq, *plus;
	unsigned long ld;

	eq = copy ? strchr(copy, '=') : NULL;
	if (!eq)
		usage_error(state, "invalid '%s': expected LD=SIZE or LD=SIZE+SIZE, e.g. 2=4G",
			    arg);
	*eq = '\0';
	plus = strchr(eq + 1, '+');
	if (plus)
		*plus = '\0';
	if (parse_uint(copy, CXLSW_MAX_LDS - 1, &ld))
		usage_error(state, "invalid LD '%s' in '%s': expected a number 0-%u",
			    copy, arg, CXLSW_MAX_LDS - 1);
	if (parse_size(eq + 1, &as->range1) ||
	    (plus && parse_size(plus + 1, &as->range2)))
		usage_error(state, "invalid size in '%s': expected bytes or a number with K, M, G or T (256M, 4G)",
			    arg);
	as->ld = (unsigned int)ld;
	as->has_range2 = plus;
	free(copy);
}

static error_t set_parse(int key, char *arg, struct argp_state *state)
{
	struct set_lds_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->name)
			return switch_arg(state, key, arg, &a->name);
		for (size_t i = 0; i < a->n; i++)
			if (strtoul(arg, NULL, 10) == a->set[i].ld)
				usage_error(state, "LD %u is given twice",
					    a->set[i].ld);
		if (a->n == CXLSW_MAX_LDS)
			usage_error(state, "too many assignments: at most %u",
				    CXLSW_MAX_LDS);
		parse_assign(state, arg, &a->set[a->n++]);
		return 0;
	case ARGP_KEY_END:
		if (!a->name)
			return switch_arg(state, key, arg, &a->name);
		if (!target_is_device())
			usage_error(state, "missing --port: the switch port of the pooled device (MLD)");
		if (global_target.ld >= 0 || global_target.ld_pool)
			usage_error(state, "--ld and --ld-pool do not apply: allocations are set at the port's device");
		if (!a->n)
			usage_error(state, "missing LD=SIZE: which LD gets how much memory");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp set_argp = {
	.parser = set_parse,
	.args_doc = "SWITCH --port P LD=SIZE[+SIZE2]...",
	.doc = "Set the memory of logical devices of the pooled device (MLD) "
	       "on a switch port (Set LD Allocations, 0x5402).  SIZE is range "
	       "1 of the LD (256M, 4G, ...; 0 frees it), +SIZE2 also sets "
	       "range 2.  Sizes must be multiples of the device's granularity "
	       "and fit its capacity.",
	.children = target_change_children,
};

/* ---- checking ------------------------------------------------------------ */

static int to_units(const char *what, unsigned int ld, uint64_t bytes,
		    uint64_t gran, uint64_t *units)
{
	char g[32], b[32];

	if (!gran)
		return cli_fail("set-lds", EXIT_IO,
				"the device reports an unknown granularity");
	if (bytes % gran) {
		format_size(gran, g, sizeof(g));
		format_size(bytes, b, sizeof(b));
		return cli_fail("set-lds", EXIT_USAGE,
				"LD %u: %s %s is not a multiple of the device's granularity %s",
				ld, what, b, g);
	}
	*units = bytes / gran;
	return 0;
}

static int apply_assignments(const struct set_lds_args *a, uint64_t gran)
{
	struct cxlsw_ld_alloc *l;
	int code;

	for (size_t i = 0; i < a->n; i++) {
		const struct ld_assign *as = &a->set[i];

		if (as->ld >= plan.old.ld_count)
			return cli_fail("set-lds", EXIT_USAGE,
					"the device has %u LDs: there is no LD %u",
					plan.old.ld_count, as->ld);
		l = &plan.new.lds[as->ld];
		code = to_units("range 1", as->ld, as->range1, gran,
				&l->range1);
		if (!code && as->has_range2)
			code = to_units("range 2", as->ld, as->range2, gran,
					&l->range2);
		if (code)
			return code;
		if (as->ld < plan.first)
			plan.first = as->ld;
		if (as->ld > plan.last)
			plan.last = as->ld;
	}
	return 0;
}

static uint64_t pool_bytes(const struct cxlsw_ld_alloc_list *l, uint64_t gran)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < l->ld_count; i++)
		sum += (l->lds[i].range1 + l->lds[i].range2) * gran;
	return sum;
}

static void describe(struct change *c, const struct switch_state *st,
		     uint64_t gran, uint64_t total)
{
	size_t used = 0, wused = 0;
	char from[32], to[32], sum[32], cap[32], users[256];

	for (unsigned int i = plan.first; i <= plan.last; i++) {
		const struct cxlsw_ld_alloc *o = &plan.old.lds[i],
					    *n = &plan.new.lds[i];

		if (o->range1 == n->range1 && o->range2 == n->range2)
			continue;
		format_size((o->range1 + o->range2) * gran, from, sizeof(from));
		format_size((n->range1 + n->range2) * gran, to, sizeof(to));
		used += (size_t)snprintf(c->what + used, sizeof(c->what) - used,
				 "%sLD %u %s -> %s", used ? ", " : "", i,
				 from, to);
		used = used < sizeof(c->what) ? used : sizeof(c->what) - 1;
		describe_users(st, (unsigned int)c->port, i, users,
			       sizeof(users));
		if (strncmp(users, "no host", 7))
			wused += (size_t)snprintf(c->whom + wused,
					  sizeof(c->whom) - wused, "%sLD %u: %s",
					  wused ? "; " : "", i, users);
		wused = wused < sizeof(c->whom) ? wused : sizeof(c->whom) - 1;
	}
	format_size(pool_bytes(&plan.new, gran), sum, sizeof(sum));
	format_size(total, cap, sizeof(cap));
	if (used < sizeof(c->what))
		snprintf(c->what + used, sizeof(c->what) - used,
			 " on port %d (%s of %s allocated after)", c->port, sum,
			 cap);
	if (!wused)
		snprintf(c->whom, sizeof(c->whom),
			 "no host: none of these LDs is bound to a vPPB");
}

static int encode_part(struct change *c, unsigned int start,
		       const struct cxlsw_ld_alloc_list *from)
{
	unsigned int count = plan.last + 1 - start;

	if (count > plan.per)
		count = (unsigned int)plan.per;
	return cxlsw_ld_alloc_encode(from, (uint8_t)start, (uint8_t)count,
				     c->req, sizeof(c->req), &c->req_len);
}

static int send_rest(struct change *c, struct json_object *result);
static void add_answer(const struct change *c, struct json_object *result);

static int check_set_lds(const struct switch_state *st, const void *args,
			 struct change *c)
{
	const struct set_lds_args *a = args;
	const struct cxlsw_port_state *p = state_port(st, (unsigned int)c->port);
	struct cxlsw_ld_info info;
	size_t limit;
	uint64_t gran;
	int code;

	if (!p || p->connected_device_type != CXLSW_DEV_TYPE3_MLD)
		return cli_fail("set-lds", EXIT_USAGE,
				"port %d holds no pooled device (CXL Type 3 MLD)",
				c->port);
	if (cxlsw_ld_info(c->dev, &info) ||
	    cxlsw_ld_alloc_get(c->dev, &plan.old) ||
	    cxlsw_dev_request_limit(c->dev, &limit))
		return cli_dev_fail("set-lds", c->dev);
	plan.new = plan.old;
	plan.first = CXLSW_MAX_LDS;
	plan.last = 0;
	plan.per = cxlsw_ld_alloc_per_request(limit);
	gran = cxlsw_ld_granularity_bytes(plan.old.granularity);
	code = apply_assignments(a, gran);
	if (code)
		return code;
	if (pool_bytes(&plan.new, gran) > info.memory_size) {
		char want[32], have[32];

		format_size(pool_bytes(&plan.new, gran), want, sizeof(want));
		format_size(info.memory_size, have, sizeof(have));
		return cli_fail("set-lds", EXIT_USAGE,
				"the LDs would hold %s, more than the device's %s",
				want, have);
	}
	describe(c, st, gran, info.memory_size);
	snprintf(c->args, sizeof(c->args), "port=%d lds=%u-%u", c->port,
		 plan.first, plan.last);
	c->opcode = CXLSW_OP_SET_LD_ALLOCATIONS;
	if (!plan.per)
		return cli_fail("set-lds", EXIT_IO,
				"the device's %zu-byte message limit holds no LD", limit);
	if (plan.last + 1 - plan.first > plan.per)
		c->then = send_rest;
	c->answer = add_answer;
	return encode_part(c, plan.first, &plan.new) ? EXIT_USAGE : 0;
}

/* ---- the parts after the first ------------------------------------------ */

/* Put the parts already sent back as they were; returns 0 when it could. */
static int undo(struct change *c, unsigned int upto)
{
	uint8_t out[4096];
	size_t len;

	for (unsigned int s = plan.first; s < upto; s += (unsigned int)plan.per) {
		if (encode_part(c, s, &plan.old))
			return -EINVAL;
		len = sizeof(out);
		if (cxlsw_dev_send(c->dev, c->opcode, c->req, c->req_len, out,
				   &len))
			return -EIO;
	}
	return 0;
}

static int send_rest(struct change *c, struct json_object *result)
{
	unsigned int s = plan.first + (unsigned int)plan.per;
	char err[256], msg[320];
	uint8_t out[4096];
	size_t len;
	int code;

	(void)result;
	for (; s <= plan.last; s += (unsigned int)plan.per) {
		len = sizeof(out);
		if (!encode_part(c, s, &plan.new) &&
		    !cxlsw_dev_send(c->dev, c->opcode, c->req, c->req_len, out,
				    &len)) {
			cxlsw_ld_alloc_set_decode(out, len, &plan.new);
			continue;
		}
		snprintf(msg, sizeof(msg), "%s", cxlsw_error_string(
			 cxlsw_dev_error(c->dev), err, sizeof(err)));
		code = cli_dev_fail(c->cmd, c->dev);
		if (undo(c, s))
			return cli_fail(c->cmd, code,
					"LDs %u-%u were applied and could not be put back; LDs %u-%u were not applied",
					plan.first, s - 1, s, plan.last);
		return cli_fail(c->cmd, code,
				"LDs %u-%u were applied and have been put back; nothing changed",
				plan.first, s - 1);
	}
	return 0;
}

/* The allocations the device applied, from the answer of the last part. */
static void add_answer(const struct change *c, struct json_object *result)
{
	struct json_object *a, *o;
	uint64_t gran = cxlsw_ld_granularity_bytes(plan.new.granularity);

	if (!c->out_len)
		return;		/* not sent: --dry-run */
	a = json_object_new_array();
	/* the first part's answer is the device's word on what it applied */
	if (cxlsw_ld_alloc_set_decode(c->out, c->out_len, &plan.new) < 0)
		json_add(result, "warning", json_object_new_string(
			 "the device's answer does not list the allocations"));

	for (unsigned int i = plan.first; i <= plan.last; i++) {
		o = json_object_new_object();
		json_add(o, "ld_id", json_int(i));
		json_add(o, "range1_multiplier", json_u64(plan.new.lds[i].range1));
		json_add(o, "range2_multiplier", json_u64(plan.new.lds[i].range2));
		json_add(o, "allocation_bytes", json_u64(
			 (plan.new.lds[i].range1 + plan.new.lds[i].range2) * gran));
		json_object_array_add(a, o);
	}
	json_add(result, "lds", a);
}

int cmd_set_lds(int argc, char **argv)
{
	struct set_lds_args a = { NULL };

	cli_parse(&set_argp, "set-lds", argc, argv, &a);
	return change_run("set-lds", a.name, &a, check_set_lds, STATE_ALL,
			  &a.change);
}
