// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * timestamp (0x0300, 0x0301): the switch's clock, which stamps its event
 * records.  Setting it changes the times every manager of the switch
 * reads in the logs, so it goes through the safety policy.
 */
#include <errno.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct ts_args {
	const char *name;
	bool set, now;
	const char *time;		/* TIME as given */
	uint64_t ns;
	struct change_opts change;
};

enum { OPT_SET = 0x300, OPT_NOW };

static const struct argp_option ts_options[] = {
	{ "set", OPT_SET, NULL, 0,
	  "Set the clock, to --now or to TIME (ISO 8601, or @SECONDS since the epoch)", 0 },
	{ "now", OPT_NOW, NULL, 0, "With --set: this host's time", 0 },
	{ 0 },
};

static error_t ts_parse(int key, char *arg, struct argp_state *state)
{
	struct ts_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case OPT_SET:
		a->set = true;
		return 0;
	case OPT_NOW:
		a->now = true;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->name)
			return switch_arg(state, key, arg, &a->name);
		if (a->time)
			usage_error(state, "too many arguments: expected SWITCH [--set [--now | TIME]]");
		a->time = arg;
		if (parse_time(arg, &a->ns) == -ERANGE)
			usage_error(state, "invalid TIME '%s': outside the clock's range, 1970-01-01T00:00:00Z to 2554-07-21T23:34:33.709551615Z (64-bit nanoseconds)",
				    arg);
		if (parse_time(arg, &a->ns))
			usage_error(state, "invalid TIME '%s': expected ISO 8601 like 2026-11-24T21:00:00Z (or +HH:MM) or @SECONDS since the epoch",
				    arg);
		return 0;
	case ARGP_KEY_END:
		if ((a->time || a->now) && !a->set)
			usage_error(state, "%s needs --set", a->now ? "--now" : "TIME");
		if (a->set && !!a->time == a->now)
			usage_error(state, "--set needs exactly one of --now and TIME");
		return switch_arg(state, key, arg, &a->name);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp ts_argp = {
	.options = ts_options,
	.parser = ts_parse,
	.args_doc = "SWITCH [--set [--now | TIME]]",
	.doc = "Show the switch's clock (Get Timestamp, 0x0300), or set it "
	       "(Set Timestamp, 0x0301); with --port, the device's behind that "
	       "port.",
	.children = target_change_nobg_children,
};

static void ts_human(struct json_object *o)
{
	print_fields(o, "");
}

static int show(const struct ts_args *a)
{
	struct cxlsw_dev *dev;
	struct json_object *o;
	uint64_t ns;
	int code;

	dev = cli_open_target("timestamp", a->name, &code);
	if (!dev)
		return code;
	if (cxlsw_get_timestamp(dev, &ns)) {
		code = cli_dev_fail("timestamp", dev);
	} else {
		o = json_object_new_object();
		json_add_target(o, dev);
		json_add(o, "timestamp", json_time(ns));
		json_add(o, "timestamp_ns", json_int((int64_t)ns));
		json_add(o, "valid", json_boolean(ns != 0));
		code = emit(o, ts_human);
	}
	cxlsw_dev_close(dev);
	return code;
}

static int check_set(const struct switch_state *st, const void *args,
		     struct change *c)
{
	const struct ts_args *a = args;
	uint64_t ns = a->now ? now_ns() : a->ns, old;
	char when[48], was[48];

	(void)st;
	if (cxlsw_get_timestamp(c->dev, &old))
		return cli_dev_fail(c->cmd, c->dev);
	iso8601(ns, when, sizeof(when));
	if (old)
		iso8601(old, was, sizeof(was));
	else
		snprintf(was, sizeof(was), "unset");
	snprintf(c->what, sizeof(c->what),
		 "sets the %s%s clock from %s to %s (%llu ns)",
		 cxlsw_dev_outer(c->dev) ? "device's on " : "switch's",
		 cxlsw_dev_outer(c->dev) ? target_name(c->dev) : "", was, when,
		 (unsigned long long)ns);
	snprintf(c->whom, sizeof(c->whom), "%s",
		 cxlsw_catalog_find(CXLSW_OP_SET_TIMESTAMP)->affects);
	snprintf(c->args, sizeof(c->args), "ns=%llu", (unsigned long long)ns);
	c->opcode = CXLSW_OP_SET_TIMESTAMP;
	c->req_len = CXLSW_TIMESTAMP_LEN;
	return cxlsw_timestamp_encode(ns, c->req, sizeof(c->req)) ?
	       EXIT_USAGE : 0;
}

int cmd_timestamp(int argc, char **argv)
{
	struct ts_args a = { NULL };

	cli_parse(&ts_argp, "timestamp", argc, argv, &a);
	if (!a.set)
		return show(&a);
	return change_run("timestamp", a.name, &a, check_set, STATE_NONE,
			  &a.change);
}
