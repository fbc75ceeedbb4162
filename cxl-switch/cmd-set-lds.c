// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * set-lds: give logical devices of a pooled memory device (MLD) their
 * memory (Set LD Allocations, 0x5402, tunnelled to the port's device).
 * Every size is checked against the device's granularity and capacity
 * before anything is sent; a change wider than one request is sent in
 * parts.  After a failure the allocations are read back: what was applied
 * is put back, and the message says what the device holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

/* "any=SIZE": the first LD that holds no memory and is bound nowhere */
#define LD_ANY	CXLSW_MAX_LDS

struct ld_assign {
	unsigned int ld;		/* LD_ANY until picked */
	uint64_t range1, range2;	/* bytes */
	bool has_range2;
};

/* What is being changed: made by the check, used to send every part. */
struct set_lds_plan {
	struct cxlsw_ld_alloc_list old, new;
	unsigned int first, last;	/* the LDs the requests cover */
	size_t per;			/* LDs per request */
};

struct set_lds_args {
	const char *name;
	size_t n;
	struct ld_assign set[CXLSW_MAX_LDS];
	struct change_opts change;
	struct set_lds_plan *plan;	/* the change's context */
	int picked;			/* the LD any= picked, or -1 */
};

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
	if (!strcmp(copy, "any"))
		ld = LD_ANY;
	else if (parse_uint(copy, CXLSW_MAX_LDS - 1, &ld))
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
		if (a->n == CXLSW_MAX_LDS)
			usage_error(state, "too many assignments: at most %u",
				    CXLSW_MAX_LDS);
		parse_assign(state, arg, &a->set[a->n]);
		/* by the number parsed: "8" and "010" are one LD */
		for (size_t i = 0; i < a->n; i++)
			if (a->set[i].ld == a->set[a->n].ld)
				usage_error(state, a->set[i].ld == LD_ANY ?
					    "'any' is given twice: it picks one LD" :
					    "LD %u is given twice", a->set[i].ld);
		a->n++;
		return 0;
	case ARGP_KEY_END:
		if (!a->name)
			return switch_arg(state, key, arg, &a->name);
		target_need_mld_port(state);
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
	       "on a switch port (Set LD Allocations, 0x5402).  SIZE is the "
	       "LD's whole allocation, held in range 1 (256M, 4G, ...; 0 frees "
	       "it; range 2 is cleared); SIZE+SIZE2 sets range 1 and range 2.  "
	       "LD any picks the first LD that holds no memory and is bound to "
	       "no vPPB, and says which.  Sizes must be multiples of the device's granularity "
	       "and fit its capacity.",
	.children = target_port_change_nobg_children,
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
	struct set_lds_plan *p = a->plan;
	struct cxlsw_ld_alloc *l;
	int code;

	for (size_t i = 0; i < a->n; i++) {
		const struct ld_assign *as = &a->set[i];

		if (as->ld >= p->old.ld_count)
			return cli_fail("set-lds", EXIT_USAGE,
					"the device has %u LDs: there is no LD %u",
					p->old.ld_count, as->ld);
		l = &p->new.lds[as->ld];
		code = to_units("range 1", as->ld, as->range1, gran,
				&l->range1);
		/* LD=SIZE is the LD's whole allocation: range 2 goes */
		l->range2 = 0;
		if (!code && as->has_range2)
			code = to_units("range 2", as->ld, as->range2, gran,
					&l->range2);
		if (code)
			return code;
		if (as->ld < p->first)
			p->first = as->ld;
		if (as->ld > p->last)
			p->last = as->ld;
	}
	return 0;
}

/* All the LDs' bytes together; UINT64_MAX when that does not fit. */
static uint64_t pool_bytes(const struct cxlsw_ld_alloc_list *l, uint64_t gran)
{
	uint64_t sum = 0, units, bytes;

	for (unsigned int i = 0; i < l->ld_count; i++)
		if (__builtin_add_overflow(l->lds[i].range1, l->lds[i].range2,
					   &units) ||
		    __builtin_mul_overflow(units, gran, &bytes) ||
		    __builtin_add_overflow(sum, bytes, &sum))
			return UINT64_MAX;
	return sum;
}

/* "port=5 lds=3-4 sizes=3=1073741824,4=0+268435456": what is asked */
static void log_args(struct change *c, const struct set_lds_args *a,
		     const struct set_lds_plan *p, uint64_t gran)
{
	size_t used = (size_t)snprintf(c->args, sizeof(c->args),
				       "port=%d lds=%u-%u sizes=", c->port,
				       p->first, p->last);

	for (size_t i = 0; i < a->n && used < sizeof(c->args); i++) {
		const struct cxlsw_ld_alloc *l = &p->new.lds[a->set[i].ld];

		used += (size_t)snprintf(c->args + used, sizeof(c->args) - used,
					 "%s%u=%llu", i ? "," : "", a->set[i].ld,
					 (unsigned long long)(l->range1 * gran));
		if (a->set[i].has_range2 && used < sizeof(c->args))
			used += (size_t)snprintf(c->args + used,
						 sizeof(c->args) - used, "+%llu",
						 (unsigned long long)(l->range2 * gran));
	}
}

static void describe(struct change *c, const struct set_lds_plan *p,
		     const struct switch_state *st, uint64_t gran,
		     uint64_t total)
{
	size_t used = 0, wused = 0;
	char from[32], to[32], sum[32], cap[32], users[256];

	for (unsigned int i = p->first; i <= p->last; i++) {
		const struct cxlsw_ld_alloc *o = &p->old.lds[i],
					    *n = &p->new.lds[i];

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
	format_size(pool_bytes(&p->new, gran), sum, sizeof(sum));
	format_size(total, cap, sizeof(cap));
	if (used < sizeof(c->what))
		snprintf(c->what + used, sizeof(c->what) - used,
			 " on port %d (%s of %s allocated after)", c->port, sum,
			 cap);
	if (!wused)
		snprintf(c->whom, sizeof(c->whom),
			 "no host: none of these LDs is bound to a vPPB");
}

/* The part of from that starts at LD start, as one request. */
static int encode_part(const struct set_lds_plan *p, unsigned int start,
		       const struct cxlsw_ld_alloc_list *from, void *buf,
		       size_t len, size_t *used)
{
	unsigned int count = p->last + 1 - start;

	if (count > p->per)
		count = (unsigned int)p->per;
	return cxlsw_ld_alloc_encode(from, (uint8_t)start, (uint8_t)count,
				     buf, len, used);
}

static int send_parts(struct change *c, const struct change_opts *o,
		      bool (*progress)(const struct cxlsw_bg_status *st,
				       void *ctx),
		      void *pctx);
static void add_answer(const struct change *c, struct json_object *result);
static int read_back(struct change *c, int code);

/* any=SIZE: the first LD with no memory, bound nowhere, not named. */
static int pick_ld(const struct switch_state *st, struct set_lds_args *a,
		   const struct cxlsw_ld_alloc_list *old, int port)
{
	struct ld_assign *any = NULL;

	a->picked = -1;
	for (size_t i = 0; i < a->n; i++)
		if (a->set[i].ld == LD_ANY)
			any = &a->set[i];
	if (!any)
		return 0;
	for (unsigned int l = 0; l < old->ld_count; l++) {
		bool named = false;

		for (size_t i = 0; i < a->n; i++)
			named |= a->set[i].ld == l;
		if (named || old->lds[l].range1 || old->lds[l].range2 ||
		    state_ld_bound(st, (unsigned int)port, l))
			continue;
		any->ld = l;
		a->picked = (int)l;
		return 0;
	}
	return cli_fail("set-lds", EXIT_USAGE,
			"port %d has no LD that holds no memory and is bound to no vPPB: name one",
			port);
}

static int check_set_lds(const struct switch_state *st, const void *args,
			 struct change *c)
{
	const struct set_lds_args *a = args;
	const struct cxlsw_port_state *port = state_port(st,
						(unsigned int)c->port);
	struct set_lds_plan *p = a->plan;
	struct cxlsw_ld_info info;
	size_t limit;
	uint64_t gran;
	int code;

	if (!port || port->connected_device_type != CXLSW_DEV_TYPE3_MLD)
		return cli_fail("set-lds", EXIT_USAGE,
				"port %d holds no pooled device (CXL Type 3 MLD)",
				c->port);
	if (cxlsw_ld_info(c->dev, &info) ||
	    cxlsw_ld_alloc_get(c->dev, &p->old) ||
	    cxlsw_dev_request_limit(c->dev, &limit))
		return cli_dev_fail("set-lds", c->dev);
	p->new = p->old;
	p->first = CXLSW_MAX_LDS;
	p->last = 0;
	p->per = cxlsw_ld_alloc_per_request(limit);
	gran = cxlsw_ld_granularity_bytes(p->old.granularity);
	code = pick_ld(st, (struct set_lds_args *)a, &p->old, c->port);
	if (!code)
		code = apply_assignments(a, gran);
	if (code)
		return code;
	if (pool_bytes(&p->new, gran) > info.memory_size) {
		char want[48], have[32];

		if (pool_bytes(&p->new, gran) == UINT64_MAX)
			snprintf(want, sizeof(want), "more than 2^64 bytes");
		else
			format_size(pool_bytes(&p->new, gran), want,
				    sizeof(want));
		format_size(info.memory_size, have, sizeof(have));
		return cli_fail("set-lds", EXIT_USAGE,
				"the LDs would hold %s, more than the device's %s",
				want, have);
	}
	describe(c, p, st, gran, info.memory_size);
	if (a->picked >= 0) {
		size_t used = strlen(c->what);

		snprintf(c->what + used, sizeof(c->what) - used,
			 "; picked LD %d, the first that held no memory and was bound nowhere",
			 a->picked);
	}
	log_args(c, a, p, gran);
	c->opcode = CXLSW_OP_SET_LD_ALLOCATIONS;
	if (!p->per)
		return cli_fail("set-lds", EXIT_IO,
				"the device's %zu-byte message limit holds no LD", limit);
	c->ctx = a;
	c->send = send_parts;
	c->answer = add_answer;
	c->read_back = read_back;
	/* the first part stands for the change: shown, checked and logged */
	return encode_part(p, p->first, &p->new, c->req, sizeof(c->req),
			   &c->req_len) ? EXIT_USAGE : 0;
}

/* ---- sending ------------------------------------------------------------- */

static struct set_lds_plan *plan_of(const struct change *c)
{
	const struct set_lds_args *a = c->ctx;

	return a->plan;
}

/* The part of from that starts at LD start; its answer goes to out. */
static int send_part(struct change *c, unsigned int start,
		     const struct cxlsw_ld_alloc_list *from, void *out,
		     size_t *out_len)
{
	uint8_t req[sizeof(c->req)];
	size_t len;

	if (encode_part(plan_of(c), start, from, req, sizeof(req), &len))
		return -EINVAL;
	return cxlsw_dev_send(c->dev, c->opcode, req, len, out, out_len);
}

/* Put back the parts that hold LDs in changed; returns 0 when it could. */
static int undo(struct change *c, const bool *changed)
{
	const struct set_lds_plan *p = plan_of(c);
	uint8_t out[4096];
	size_t len;
	int rc = 0;

	for (unsigned int s = p->first; s <= p->last; s += (unsigned int)p->per) {
		bool any = false;

		for (unsigned int i = s; i < s + p->per && i <= p->last; i++)
			any |= changed[i];
		len = sizeof(out);
		if (any && send_part(c, s, &p->old, out, &len))
			rc = -EIO;
	}
	return rc;
}

/* "LD 3", "LDs 0-14", "LDs 3, 5-7": the LDs whose flag is set. */
static void ld_ranges(const bool *set, char *buf, size_t len)
{
	unsigned int n = 0;
	size_t used;

	for (unsigned int i = 0; i < CXLSW_MAX_LDS; i++)
		n += set[i];
	used = (size_t)snprintf(buf, len, n == 1 ? "LD " : "LDs ");
	for (unsigned int i = 0, first = 1; i < CXLSW_MAX_LDS && used < len;
	     i++) {
		unsigned int j = i;

		if (!set[i])
			continue;
		while (j + 1 < CXLSW_MAX_LDS && set[j + 1])
			j++;
		used += (size_t)snprintf(buf + used, len - used,
					 j > i ? "%s%u-%u" : "%s%u",
					 first ? "" : ", ", i, j);
		first = 0;
		i = j;
	}
}

static bool same_alloc(const struct cxlsw_ld_alloc *a,
		       const struct cxlsw_ld_alloc *b)
{
	return a->range1 == b->range1 && a->range2 == b->range2;
}

/*
 * Which of the LDs to change hold the new allocation (done) and which
 * still hold the old one or something else (left), as read back now.
 * Returns the number left, or -1 when the device could not be read.
 */
static int compare_now(struct change *c, bool *done, bool *left)
{
	const struct set_lds_plan *p = plan_of(c);
	struct cxlsw_ld_alloc_list now;
	int nleft = 0;

	if (cxlsw_ld_alloc_get(c->dev, &now) || now.ld_count != p->old.ld_count)
		return -1;
	for (unsigned int i = p->first; i <= p->last; i++) {
		done[i] = left[i] = false;
		if (same_alloc(&p->old.lds[i], &p->new.lds[i]))
			continue;	/* not asked to change */
		if (same_alloc(&now.lds[i], &p->new.lds[i]))
			done[i] = true;
		else
			left[i] = true;
		nleft += left[i];
	}
	return nleft;
}

static bool any_of(const bool *set)
{
	for (unsigned int i = 0; i < CXLSW_MAX_LDS; i++)
		if (set[i])
			return true;
	return false;
}

/*
 * After a failed part: the device's allocations say what happened.  All
 * asked for in place: done.  Some: the parts that hold them are put back,
 * and read again.  The message says only what a read-back showed.
 */
static int read_back(struct change *c, int code)
{
	bool done[CXLSW_MAX_LDS] = { false }, left[CXLSW_MAX_LDS] = { false };
	const char *sw = cxlsw_dev_name(target_switch(c->dev));
	char applied[96], missing[96];
	int nleft = compare_now(c, done, left);

	if (nleft < 0)
		goto unknown;
	if (!any_of(done)) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: the LDs are as they were: nothing changed");
		return code;
	}
	if (!nleft) {
		ld_ranges(done, applied, sizeof(applied));
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: %s as asked: the change is done",
			 applied);
		return EXIT_OK;
	}
	ld_ranges(done, applied, sizeof(applied));
	(void)undo(c, done);
	nleft = compare_now(c, done, left);
	if (nleft < 0)
		goto unknown;
	if (!any_of(done)) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: %s put back after being applied: nothing changed",
			 applied);
		return code;
	}
	ld_ranges(done, applied, sizeof(applied));
	ld_ranges(left, missing, sizeof(missing));
	snprintf(c->outcome, sizeof(c->outcome),
		 "read back: partly done: %s as asked, %s not; putting them back failed",
		 applied, missing);
	return EXIT_PARTIAL;
unknown:
	snprintf(c->outcome, sizeof(c->outcome),
		 "the allocations could not be read back: the outcome is unknown; see 'cxl-switch list-lds %s --port %d'",
		 sw, c->port);
	return EXIT_PARTIAL;
}

/*
 * Every part in turn, the first's answer in c->out for add_answer.  A
 * failing part stops; read_back then finds out from the device what was
 * applied and puts back a partial change.  Ctrl-C is not looked at
 * between parts: the parts are few and quick, and stopping between them
 * would leave the pool half changed.
 */
static int send_parts(struct change *c, const struct change_opts *o,
		      bool (*progress)(const struct cxlsw_bg_status *st,
				       void *ctx),
		      void *pctx)
{
	struct set_lds_plan *p = plan_of(c);
	uint8_t out[4096];
	size_t len;
	int rc;

	(void)o;
	(void)progress;
	(void)pctx;
	c->out_len = sizeof(c->out);
	rc = send_part(c, p->first, &p->new, c->out, &c->out_len);
	for (unsigned int s = p->first + (unsigned int)p->per;
	     !rc && s <= p->last; s += (unsigned int)p->per) {
		len = sizeof(out);
		rc = send_part(c, s, &p->new, out, &len);
		if (!rc)
			cxlsw_ld_alloc_set_decode(out, len, &p->new);
	}
	return rc;
}

static const struct set_lds_args *plan_args(const struct change *c)
{
	return c->ctx;
}

/* The allocations the device applied, from the answer of the last part. */
static void add_answer(const struct change *c, struct json_object *result)
{
	struct set_lds_plan *p = plan_of(c);
	uint64_t gran = cxlsw_ld_granularity_bytes(p->new.granularity);
	struct json_object *a, *o;

	if (plan_args(c)->picked >= 0)	/* the dry run says it too */
		json_add(result, "picked_ld_id", json_int(plan_args(c)->picked));
	if (!c->out_len)
		return;		/* not sent: --dry-run */
	a = json_object_new_array();
	/* the first part's answer is the device's word on what it applied */
	if (cxlsw_ld_alloc_set_decode(c->out, c->out_len, &p->new) < 0)
		json_add(result, "warning", json_object_new_string(
			 "the device's answer does not list the allocations"));

	for (unsigned int i = p->first; i <= p->last; i++) {
		o = json_object_new_object();
		json_add(o, "ld_id", json_int(i));
		json_add(o, "range1_multiplier", json_u64(p->new.lds[i].range1));
		json_add(o, "range2_multiplier", json_u64(p->new.lds[i].range2));
		json_add(o, "allocation_bytes", json_u64(
			 (p->new.lds[i].range1 + p->new.lds[i].range2) * gran));
		json_object_array_add(a, o);
	}
	json_add(result, "lds", a);
}

int cmd_set_lds(int argc, char **argv)
{
	struct set_lds_plan plan;
	struct set_lds_args a = { .plan = &plan };

	cli_parse(&set_argp, "set-lds", argc, argv, &a);
	return change_run("set-lds", a.name, &a, check_set_lds, STATE_ALL,
			  &a.change);
}
