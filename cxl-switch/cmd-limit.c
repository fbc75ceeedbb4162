// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * get-response-limit and set-response-limit (0x0003, 0x0004): the largest
 * answer the switch sends.  Lowering it makes every manager of the switch
 * split its requests more, so setting it goes through the safety policy.
 */
#include "builtin.h"
#include "cli.h"

struct limit_args {
	const char *name;
	bool set;			/* set-response-limit */
	long bytes;			/* -1: not given */
	struct change_opts change;
};

static error_t limit_parse(int key, char *arg, struct argp_state *state)
{
	struct limit_args *a = state->input;
	unsigned long v;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->name || !a->set)
			return switch_arg(state, key, arg, &a->name);
		if (a->bytes >= 0)
			usage_error(state, "too many arguments: expected SWITCH BYTES");
		if (parse_uint(arg, 1u << 20, &v) || v < 256 || (v & (v - 1)))
			usage_error(state, "invalid limit '%s': expected a power of two from 256 to 1048576 bytes",
				    arg);
		a->bytes = (long)v;
		return 0;
	case ARGP_KEY_END:
		if (a->set && a->name && a->bytes < 0)
			usage_error(state, "missing BYTES: the new limit");
		return switch_arg(state, key, arg, &a->name);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp get_argp = {
	.parser = limit_parse,
	.args_doc = "SWITCH",
	.doc = "Show the switch's response message limit in bytes "
	       "(Get Response Message Limit, 0x0003).",
	.children = target_children,
};

static const struct argp set_argp = {
	.parser = limit_parse,
	.args_doc = "SWITCH BYTES",
	.doc = "Set the switch's response message limit: a power of two from "
	       "256 bytes to the switch's largest message "
	       "(Set Response Message Limit, 0x0004).",
	.children = target_change_nobg_children,
};

static void limit_human(struct json_object *o)
{
	print_fields(o, "");
}

int cmd_get_response_limit(int argc, char **argv)
{
	struct limit_args a = { .bytes = -1 };
	struct cxlsw_dev *dev;
	struct json_object *o;
	size_t bytes;
	int code;

	cli_parse(&get_argp, "get-response-limit", argc, argv, &a);
	dev = cli_open_target("get-response-limit", a.name, &code);
	if (!dev)
		return code;
	if (cxlsw_get_response_limit(dev, &bytes)) {
		code = cli_dev_fail("get-response-limit", dev);
	} else {
		o = json_object_new_object();
		json_add_target(o, dev);
		json_add(o, "response_limit", json_int((int64_t)bytes));
		code = emit(o, limit_human);
	}
	cxlsw_dev_close(dev);
	return code;
}

static void add_limit(const struct change *c, struct json_object *result)
{
	size_t bytes;

	if (!cxlsw_response_limit_decode(c->out, c->out_len, &bytes))
		json_add(result, "response_limit", json_int((int64_t)bytes));
}

static int check_limit(const struct switch_state *st, const void *args,
		       struct change *c)
{
	const struct limit_args *a = args;
	struct cxlsw_identify id;
	size_t now;

	(void)st;
	if (cxlsw_identify(c->dev, &id) || cxlsw_dev_msg_limit(c->dev, &now))
		return cli_dev_fail(c->cmd, c->dev);
	if (id.max_msg_size_log2 < 63 && a->bytes > 1L << id.max_msg_size_log2)
		return cli_fail(c->cmd, EXIT_USAGE,
				"limit %ld is larger than %s's largest message (%ld bytes)",
				a->bytes, cxlsw_dev_name(c->dev),
				1L << id.max_msg_size_log2);
	snprintf(c->what, sizeof(c->what),
		 "sets the response message limit from %zu to %ld bytes", now,
		 a->bytes);
	snprintf(c->whom, sizeof(c->whom), "%s",
		 cxlsw_catalog_find(CXLSW_OP_SET_RESPONSE_LIMIT)->affects);
	snprintf(c->args, sizeof(c->args), "bytes=%ld", a->bytes);
	c->opcode = CXLSW_OP_SET_RESPONSE_LIMIT;
	c->req_len = 1;
	c->answer = add_limit;
	return cxlsw_response_limit_encode((size_t)a->bytes, c->req,
					   sizeof(c->req)) ? EXIT_USAGE : 0;
}

int cmd_set_response_limit(int argc, char **argv)
{
	struct limit_args a = { .set = true, .bytes = -1 };

	cli_parse(&set_argp, "set-response-limit", argc, argv, &a);
	return change_run("set-response-limit", a.name, &a, check_limit, STATE_NONE,
			  &a.change);
}
