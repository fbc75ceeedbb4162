// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * qos: the quality-of-service settings of a pooled memory device (MLD)
 * behind a switch port (0x5403-0x5409, tunnelled to the port's device):
 * shown, or one of them changed.  Bandwidth is a fraction n/256 on the
 * wire; people think in percent, so both are shown and percent is taken.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "builtin.h"
#include "cli.h"

enum { OPT_SET = 0x100, OPT_ALLOC_BW, OPT_BW_LIMIT };

enum qos_change { QOS_SHOW, QOS_SET_CONTROL, QOS_SET_ALLOC, QOS_SET_LIMIT };

struct qos_args {
	const char *name;
	enum qos_change change_kind;
	const char *option;		/* the setting option, for messages */
	bool key_given[QOS_FIELD_COUNT];
	unsigned long key_value[QOS_FIELD_COUNT];
	uint8_t lds[CXLSW_BITMAP_BYTES];	/* --alloc-bw / --bw-limit */
	uint8_t fraction[CXLSW_MAX_LDS];	/* n/256 per LD in lds */
	struct change_opts change;
};

static const struct argp_option qos_options[] = {
	{ "set", OPT_SET, "KEY=VALUE[,...]", 0,
	  "Change QoS control fields (egress_moderate_percent=20, ...); the others are kept", 0 },
	{ "alloc-bw", OPT_ALLOC_BW, "LDS=PERCENT", 0,
	  "Set the allocated bandwidth of LDs (e.g. 0-3=25 or 1,5=12.5); may be repeated", 0 },
	{ "bw-limit", OPT_BW_LIMIT, "LDS=PERCENT", 0,
	  "Set the bandwidth limit of LDs (e.g. 2=50); may be repeated", 0 },
	{ 0 },
};

/* ---- parsing ----------------------------------------------------------- */

static bool parse_bool(const char *s, unsigned long *v)
{
	static const char *const yes[] = { "true", "1", "yes", "on" };
	static const char *const no[] = { "false", "0", "no", "off" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i]))
			return *v = 1, true;
		if (!strcasecmp(s, no[i]))
			return *v = 0, true;
	}
	return false;
}

static void parse_one_key(struct argp_state *state, struct qos_args *a,
			  char *item)
{
	char *eq = strchr(item, '=');
	unsigned long v;
	int k;

	if (eq)
		*eq = '\0';
	for (k = 0; k < QOS_FIELD_COUNT && strcmp(item, qos_fields[k].name); k++)
		;
	if (k == QOS_FIELD_COUNT)
		usage_error(state, "--set: unknown key '%s': expected egress_port_congestion_enable, temporary_throughput_reduction_enable, egress_moderate_percent, egress_severe_percent, backpressure_sample_interval, req_cmpl_basis or completion_collection_interval",
			    item);
	if (!eq || !eq[1])
		usage_error(state, "--set: %s needs a value: %s=VALUE", item, item);
	if (qos_fields[k].max == 1 && !parse_bool(eq + 1, &v))
		usage_error(state, "--set: invalid %s '%s': expected true or false",
			    item, eq + 1);
	if (qos_fields[k].max > 1 && (parse_uint(eq + 1, qos_fields[k].max, &v) ||
				    v < qos_fields[k].min))
		usage_error(state, "--set: invalid %s '%s': expected %lu-%lu",
			    item, eq + 1, qos_fields[k].min, qos_fields[k].max);
	if (a->key_given[k])
		usage_error(state, "--set: %s is given twice", item);
	a->key_given[k] = true;
	a->key_value[k] = v;
}

static void parse_set(struct argp_state *state, struct qos_args *a,
		      const char *arg)
{
	char *copy = strdup(arg), *save = NULL;
	size_t n = 0;

	if (!copy)
		usage_error(state, "out of memory");
	for (char *item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save), n++)
		parse_one_key(state, a, item);
	if (!n)
		usage_error(state, "--set: expected KEY=VALUE[,KEY=VALUE...], e.g. egress_moderate_percent=20");
	free(copy);
}

/* "12.5" or "12.5%": 0-100 with decimals, into n/256 (100% is 255/256). */
static int parse_percent(const char *s, uint8_t *fraction)
{
	char *end;
	unsigned int n;
	double p;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	p = strtod(s, &end);
	if (end == s || (*end && strcmp(end, "%")) || !isfinite(p) ||
	    p < 0 || p > 100)
		return -1;
	n = (unsigned int)(p * 256.0 / 100.0 + 0.5);	/* to the nearest */
	*fraction = (uint8_t)(n > 255 ? 255 : n);
	return 0;
}

static void parse_bw(struct argp_state *state, struct qos_args *a,
		     const char *opt, const char *arg)
{
	uint8_t set[CXLSW_BITMAP_BYTES] = { 0 }, f;
	char *copy = strdup(arg), *eq, err[160];

	eq = copy ? strchr(copy, '=') : NULL;
	if (!eq)
		usage_error(state, "invalid %s '%s': expected LDS=PERCENT, e.g. 0-3=25",
			    opt, arg);
	*eq = '\0';
	if (parse_id_list(copy, CXLSW_MAX_LDS - 1, set, err, sizeof(err)))
		usage_error(state, "%s: LDs '%s': %s", opt, copy, err);
	if (parse_percent(eq + 1, &f))
		usage_error(state, "%s: invalid percent '%s': expected 0-100, decimals allowed (12.5)",
			    opt, eq + 1);
	for (unsigned int ld = 0; ld < CXLSW_MAX_LDS; ld++) {
		if (!cxlsw_bit_test(set, ld))
			continue;
		if (cxlsw_bit_test(a->lds, ld))
			usage_error(state, "%s: LD %u is given twice", opt, ld);
		a->lds[ld / 8] |= 1u << (ld % 8);
		a->fraction[ld] = f;
	}
	free(copy);
}

static void want_change(struct argp_state *state, struct qos_args *a,
			enum qos_change kind, const char *opt)
{
	if (a->change_kind != QOS_SHOW && a->change_kind != kind)
		usage_error(state, "%s and %s exclude each other: one change at a time",
			    a->option, opt);
	a->change_kind = kind;
	a->option = opt;
}

static error_t qos_parse(int key, char *arg, struct argp_state *state)
{
	struct qos_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case OPT_SET:
		want_change(state, a, QOS_SET_CONTROL, "--set");
		parse_set(state, a, arg);
		return 0;
	case OPT_ALLOC_BW:
		want_change(state, a, QOS_SET_ALLOC, "--alloc-bw");
		parse_bw(state, a, "--alloc-bw", arg);
		return 0;
	case OPT_BW_LIMIT:
		want_change(state, a, QOS_SET_LIMIT, "--bw-limit");
		parse_bw(state, a, "--bw-limit", arg);
		return 0;
	case ARGP_KEY_END:
		if (!a->name)
			return switch_arg(state, key, arg, &a->name);
		target_need_mld_port(state);
		if (global_target.ld >= 0 || global_target.ld_pool)
			usage_error(state, "%s does not apply: QoS is set at the port's device (the MLD's FM-owned LD)",
				    global_target.ld_pool ? "--ld-pool" : "--ld");
		return 0;
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp qos_argp = {
	.options = qos_options,
	.parser = qos_parse,
	.args_doc = "SWITCH --port P\n"
		    "SWITCH --port P --set KEY=VALUE[,...]\n"
		    "SWITCH --port P --alloc-bw LDS=PERCENT\n"
		    "SWITCH --port P --bw-limit LDS=PERCENT",
	.doc = "Show the QoS control, QoS status and per-LD bandwidth of the "
	       "pooled memory device (MLD) on a switch port (0x5403, 0x5405, "
	       "0x5406, 0x5408), or change one of them (0x5404, 0x5407, "
	       "0x5409).\vBandwidth is n/256 of the device's on the wire: a "
	       "percentage is rounded to the nearest n, and 100% is sent as "
	       "255/256, the largest fraction.",
	.children = target_port_change_nobg_children,
};

/* ---- showing ----------------------------------------------------------- */

/* n/256 as a percentage with two decimals, printed as such. */
static struct json_object *json_percent(uint8_t n)
{
	/* hundredths of a percent, to the nearest: 255 -> 99.61 */
	double p = ((n * 10000u + 128) / 256) / 100.0;
	char buf[16];

	snprintf(buf, sizeof(buf), "%.2f", p);
	return json_object_new_double_s(p, buf);
}

static struct json_object *ld_json(unsigned int ld, uint8_t alloc,
				   uint8_t limit)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "ld_id", json_int(ld));
	json_add(o, "qos_allocated_bw", json_int(alloc));
	json_add(o, "qos_allocated_bw_percent", json_percent(alloc));
	json_add(o, "qos_bw_limit", json_int(limit));
	json_add(o, "qos_bw_limit_percent", json_percent(limit));
	return o;
}

static struct json_object *qos_json(struct cxlsw_dev *dev)
{
	static uint8_t alloc[CXLSW_MAX_LDS], limit[CXLSW_MAX_LDS];
	struct cxlsw_qos_control q;
	struct cxlsw_ld_info info;
	struct json_object *o, *lds;
	uint8_t bp;

	if (cxlsw_ld_info(dev, &info) || cxlsw_get_qos_control(dev, &q) ||
	    cxlsw_get_qos_status(dev, &bp) ||
	    cxlsw_get_qos_bw(dev, CXLSW_QOS_ALLOC_BW, info.ld_count, alloc) ||
	    cxlsw_get_qos_bw(dev, CXLSW_QOS_BW_LIMIT, info.ld_count, limit))
		return NULL;
	o = json_object_new_object();
	json_add_target(o, dev);
	json_add(o, "ld_count", json_int(info.ld_count));
	json_add(o, "qos_telemetry_caps", json_flags(info.qos_telemetry_caps,
		 cxlsw_qos_telemetry_cap_name));
	json_add(o, "qos_control", qos_control_json(&q, false));
	json_add(o, "backpressure_average_percent", json_int(bp));
	lds = json_object_new_array();
	for (unsigned int i = 0; i < info.ld_count; i++)
		json_object_array_add(lds, ld_json(i, alloc[i], limit[i]));
	json_add(o, "lds", lds);
	return o;
}

static void fraction_cell(struct json_object *v, char *buf, size_t len)
{
	snprintf(buf, len, "%d/256", json_object_get_int(v));
}

static void percent_cell(struct json_object *v, char *buf, size_t len)
{
	snprintf(buf, len, "%s%%", json_object_get_string(v));
}

static void qos_human(struct json_object *o)
{
	static const struct column cols[] = {
		{ "LD", "ld_id", NULL },
		{ "ALLOCATED_BW", "qos_allocated_bw", fraction_cell },
		{ "ALLOCATED_%", "qos_allocated_bw_percent", percent_cell },
		{ "BW_LIMIT", "qos_bw_limit", fraction_cell },
		{ "LIMIT_%", "qos_bw_limit_percent", percent_cell },
	};
	struct json_object *lds = NULL;

	/* the fields, then the LDs as a table */
	json_object_object_get_ex(o, "lds", &lds);
	json_object_get(lds);
	json_object_object_del(o, "lds");
	print_fields(o, "");
	print_table(lds, cols, ARRAY_SIZE(cols), "");
	json_object_put(lds);
}

static int show(const struct qos_args *a)
{
	struct json_object *o;
	struct cxlsw_dev *dev;
	int code;

	dev = cli_open_target("qos", a->name, &code);
	if (!dev)
		return code;
	o = qos_json(dev);
	code = o ? emit(o, qos_human) : cli_dev_fail("qos", dev);
	cxlsw_dev_close(dev);
	return code;
}

/* ---- changing the control fields --------------------------------------- */

static size_t append(char *buf, size_t len, size_t used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t append(char *buf, size_t len, size_t used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (used >= len)
		return used;
	va_start(ap, fmt);
	n = vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
	used += n > 0 ? (size_t)n : 0;
	return used < len ? used : len - 1;
}

static bool control_dry_run;

/* Booleans as words, as the JSON shows them. */
static const char *value_text(int k, unsigned long v, char *buf, size_t len)
{
	if (qos_fields[k].max == 1)
		return v ? "true" : "false";
	snprintf(buf, len, "%lu", v);
	return buf;
}

static void add_control_answer(const struct change *c,
			       struct json_object *result)
{
	struct cxlsw_qos_control q;

	/* the device's word on what it now uses, when it answered */
	if (!control_dry_run && !cxlsw_qos_control_decode(c->out, c->out_len, &q))
		json_add(result, "qos_control", qos_control_json(&q, false));
}

/*
 * Telemetry the device cannot do cannot be enabled: Get LD Info says which
 * it can, and the control bits follow the capability bits.
 */
static int check_caps(const struct change *c, uint8_t caps,
		      unsigned int turned_on)
{
	static const char *const what[] = {
		"egress port congestion", "temporary throughput reduction",
	};

	for (unsigned int b = 0; b < ARRAY_SIZE(what); b++)
		if (turned_on & ~caps & (1u << b))
			return cli_fail(c->cmd, EXIT_USAGE,
					"the device on port %d does not support %s telemetry: %s cannot be enabled",
					c->port, what[b],
					cxlsw_qos_control_flag_name(b));
	return 0;
}

static int check_control(const struct switch_state *st, const void *args,
			 struct change *c)
{
	const struct qos_args *a = args;
	struct cxlsw_qos_control old, q;
	struct cxlsw_ld_info info;
	size_t used, aused = 0;
	char from[8], to[8];
	int code, k;

	if (cxlsw_ld_info(c->dev, &info) ||
	    cxlsw_get_qos_control(c->dev, &old))
		return cli_dev_fail(c->cmd, c->dev);
	q = old;
	used = append(c->what, sizeof(c->what), 0,
		      "sets the QoS control of port %d:", c->port);
	for (k = 0; k < QOS_FIELD_COUNT; k++) {
		if (!a->key_given[k])
			continue;
		qos_field_set(&q, k, a->key_value[k]);
		used = append(c->what, sizeof(c->what), used, "%s %s %s -> %s",
			      aused ? "," : "", qos_fields[k].name,
			      value_text(k, qos_field_get(&old, k), from,
					 sizeof(from)),
			      value_text(k, a->key_value[k], to, sizeof(to)));
		aused = append(c->args, sizeof(c->args), aused, "%s%s=%lu",
			       aused ? "," : "", qos_fields[k].name,
			       a->key_value[k]);
	}
	/* a field not given keeps the device's, which may be one it refuses */
	k = qos_first_unsettable(&q);
	if (k >= 0)
		return cli_fail(c->cmd, EXIT_USAGE,
				"the device on port %d reports %s %lu, which Set QoS Control does not take (%lu-%lu): give %s=N in --set too",
				c->port, qos_fields[k].name, qos_field_get(&q, k),
				qos_fields[k].min, qos_fields[k].max,
				qos_fields[k].name);
	/* a bit already on is the device's business, one turned on is ours */
	code = check_caps(c, info.qos_telemetry_caps,
			  q.telemetry_control & ~old.telemetry_control);
	if (code)
		return code;
	describe_users(st, (unsigned int)c->port, CXLSW_WHOLE_PORT, c->whom,
		       sizeof(c->whom));
	c->opcode = CXLSW_OP_SET_QOS_CONTROL;
	c->req_len = CXLSW_QOS_CONTROL_LEN;
	c->answer = add_control_answer;
	control_dry_run = a->change.dry_run;
	if (cxlsw_qos_control_encode(&q, c->req, sizeof(c->req)))
		return cli_fail(c->cmd, EXIT_USAGE,
				"a percentage above 100: nothing was sent");
	return 0;
}

/* ---- changing per-LD bandwidth ----------------------------------------- */

/* The LDs a bandwidth change covers, kept for the parts after the first. */
static struct bw_plan {
	enum cxlsw_qos_bw_kind kind;
	uint8_t old[CXLSW_MAX_LDS], new[CXLSW_MAX_LDS];
	uint8_t applied[CXLSW_MAX_LDS];
	unsigned int first, last;
	size_t per;			/* LDs per request */
	bool dry_run;
} plan;

static const char *bw_word(enum cxlsw_qos_bw_kind kind)
{
	return kind == CXLSW_QOS_BW_LIMIT ? "bandwidth limit" :
	       "allocated bandwidth";
}

/* The part of the change that starts at LD start, as one request. */
static int bw_part(unsigned int start, void *buf, size_t len, size_t *used)
{
	unsigned int n = plan.last + 1 - start;

	if (n > plan.per)
		n = (unsigned int)plan.per;
	return cxlsw_qos_bw_encode((uint8_t)start, (uint8_t)n, plan.new,
				   buf, len, used);
}

static int check_lds(const struct qos_args *a, const struct change *c,
		     unsigned int ld_count)
{
	for (unsigned int ld = 0; ld < CXLSW_MAX_LDS; ld++) {
		if (!cxlsw_bit_test(a->lds, ld))
			continue;
		if (!ld_count)
			return cli_fail(c->cmd, EXIT_USAGE,
					"the device on port %d has no LDs: there is no LD %u",
					c->port, ld);
		if (ld >= ld_count)
			return cli_fail(c->cmd, EXIT_USAGE,
					"the device on port %d has %u LDs (0-%u): there is no LD %u",
					c->port, ld_count, ld_count - 1, ld);
		if (ld < plan.first)
			plan.first = ld;
		plan.last = ld;
	}
	return 0;
}

static void describe_bw(const struct qos_args *a, const struct switch_state *st,
			struct change *c)
{
	size_t used, wused = 0, aused = 0;
	char users[256];

	used = append(c->what, sizeof(c->what), 0, "sets the %s of port %d",
		      bw_word(plan.kind), c->port);
	for (unsigned int ld = plan.first; ld <= plan.last; ld++) {
		if (!cxlsw_bit_test(a->lds, ld))
			continue;
		used = append(c->what, sizeof(c->what), used,
			      "%s LD %u %.2f%% -> %.2f%% (%u/256)",
			      ld == plan.first ? ":" : ",", ld,
			      plan.old[ld] * 100.0 / 256, plan.new[ld] * 100.0 / 256,
			      plan.new[ld]);
		aused = append(c->args, sizeof(c->args), aused, "%s%u=%u",
			       aused ? "," : "", ld, plan.new[ld]);
		describe_users(st, (unsigned int)c->port, ld, users,
			       sizeof(users));
		wused = append(c->whom, sizeof(c->whom), wused, "%sLD %u: %s",
			       wused ? "; " : "", ld, users);
	}
}

static int send_bw(struct change *c, const struct change_opts *o,
		   bool (*progress)(const struct cxlsw_bg_status *st, void *ctx),
		   void *pctx);
static void add_bw_answer(const struct change *c, struct json_object *result);

static int check_bw(const struct switch_state *st, const void *args,
		    struct change *c)
{
	const struct qos_args *a = args;
	struct cxlsw_ld_info info;
	size_t req_limit, rsp_limit;
	int code;

	memset(&plan, 0, sizeof(plan));
	plan.kind = a->change_kind == QOS_SET_LIMIT ? CXLSW_QOS_BW_LIMIT :
		    CXLSW_QOS_ALLOC_BW;
	plan.first = CXLSW_MAX_LDS;
	plan.dry_run = a->change.dry_run;
	if (cxlsw_ld_info(c->dev, &info))
		return cli_dev_fail(c->cmd, c->dev);
	code = check_lds(a, c, info.ld_count);
	if (code)
		return code;
	if (cxlsw_get_qos_bw(c->dev, plan.kind, info.ld_count, plan.old) ||
	    cxlsw_dev_request_limit(c->dev, &req_limit) ||
	    cxlsw_dev_msg_limit(c->dev, &rsp_limit))
		return cli_dev_fail(c->cmd, c->dev);
	memcpy(plan.new, plan.old, sizeof(plan.new));
	for (unsigned int ld = plan.first; ld <= plan.last; ld++)
		if (cxlsw_bit_test(a->lds, ld))
			plan.new[ld] = a->fraction[ld];
	memcpy(plan.applied, plan.new, sizeof(plan.applied));
	/* a set's answer echoes it: both directions must hold a part */
	plan.per = cxlsw_qos_bw_per_msg(req_limit < rsp_limit ? req_limit :
					rsp_limit);
	if (!plan.per)
		return cli_fail(c->cmd, EXIT_IO,
				"the device's message limit holds no LD");
	describe_bw(a, st, c);
	c->opcode = cxlsw_qos_bw_opcode(plan.kind, true);
	c->answer = add_bw_answer;
	c->send = send_bw;
	/* the first part stands for the change: shown, checked and logged */
	return bw_part(plan.first, c->req, sizeof(c->req), &c->req_len) ?
	       EXIT_USAGE : 0;
}

/* The device's answer to a part: what it applied (it may round). */
static void note_applied(const uint8_t *out, size_t len)
{
	uint8_t start, count;

	cxlsw_qos_bw_set_decode(out, len, &start, &count, plan.applied);
}

/* The part that starts at LD start; its answer goes to out. */
static int send_part(struct change *c, unsigned int start, void *out,
		     size_t *out_len)
{
	uint8_t req[sizeof(c->req)];
	size_t len;

	if (bw_part(start, req, sizeof(req), &len))
		return -EINVAL;
	return cxlsw_dev_send(c->dev, c->opcode, req, len, out, out_len);
}

/*
 * Every part in turn, the first's answer in c->out for add_bw_answer.
 * The parts already sent when one fails stay: the failure says exactly
 * where it stopped.  Ctrl-C is not looked at between the few quick parts.
 */
static int send_bw(struct change *c, const struct change_opts *o,
		   bool (*progress)(const struct cxlsw_bg_status *st, void *ctx),
		   void *pctx)
{
	uint8_t out[4096];
	size_t len;
	int rc, code;

	(void)o;
	(void)progress;
	(void)pctx;
	c->out_len = sizeof(c->out);
	rc = send_part(c, plan.first, c->out, &c->out_len);
	if (rc)
		return rc;	/* nothing was applied: the guard tells it */
	for (unsigned int s = plan.first + (unsigned int)plan.per;
	     s <= plan.last; s += (unsigned int)plan.per) {
		len = sizeof(out);
		rc = send_part(c, s, out, &len);
		if (rc) {
			code = cli_dev_fail(c->cmd, c->dev);
			c->reported = cli_fail(c->cmd, code,
					       "the %s of LDs %u-%u was applied; LDs %u-%u were not changed",
					       bw_word(plan.kind), plan.first,
					       s - 1, s, plan.last);
			return rc;
		}
		note_applied(out, len);
	}
	return 0;
}

static void add_bw_answer(const struct change *c, struct json_object *result)
{
	const char *key = plan.kind == CXLSW_QOS_BW_LIMIT ? "qos_bw_limit" :
			  "qos_allocated_bw";
	struct json_object *a, *o;

	if (plan.dry_run)
		return;
	note_applied(c->out, c->out_len);
	a = json_object_new_array();
	for (unsigned int ld = plan.first; ld <= plan.last; ld++) {
		o = json_object_new_object();
		json_add(o, "ld_id", json_int(ld));
		json_add(o, key, json_int(plan.applied[ld]));
		json_add(o, plan.kind == CXLSW_QOS_BW_LIMIT ?
			 "qos_bw_limit_percent" : "qos_allocated_bw_percent",
			 json_percent(plan.applied[ld]));
		json_object_array_add(a, o);
	}
	json_add(result, "lds", a);
}

int cmd_qos(int argc, char **argv)
{
	struct qos_args a = { NULL };

	cli_parse(&qos_argp, "qos", argc, argv, &a);
	switch (a.change_kind) {
	case QOS_SHOW:
		return show(&a);
	case QOS_SET_CONTROL:
		return change_run("qos", a.name, &a, check_control, STATE_ALL,
				  &a.change);
	default:
		return change_run("qos", a.name, &a, check_bw, STATE_ALL,
				  &a.change);
	}
}
