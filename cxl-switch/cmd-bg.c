// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bg-status and abort: Background Operation Status (0x0002) and Request
 * Abort Background Operation (0x0005).
 */
#include "builtin.h"
#include "cli.h"

struct bg_args {
	const char *name;
	struct change_opts change;
};

static error_t bg_parse(int key, char *arg, struct argp_state *state)
{
	struct bg_args *a = state->input;

	if (key == ARGP_KEY_INIT) {
		state->child_inputs[1] = &a->change;
		return 0;
	}
	return switch_arg(state, key, arg, &a->name);
}

static const struct argp status_argp = {
	.parser = bg_parse,
	.args_doc = "SWITCH",
	.doc = "Show the switch's background operation: running or not, how "
	       "far, and how the last one ended (0x0002).",
	.children = target_children,
};

static const struct argp abort_argp = {
	.parser = bg_parse,
	.args_doc = "SWITCH",
	.doc = "Ask the switch to abort its running background operation "
	       "(Request Abort Background Operation, 0x0005).",
	.children = target_change_nobg_children,
};

static struct json_object *retcode_json(uint16_t rc)
{
	const char *name = cxlsw_retcode_name(rc);

	return name ? json_word(name) : json_int(rc);
}

static struct json_object *status_json(struct cxlsw_dev *dev,
				       const struct cxlsw_bg_status *st)
{
	const struct cxlsw_command *cmd = cxlsw_catalog_find(st->opcode);
	struct json_object *o = json_object_new_object();

	json_add_target(o, dev);
	json_add(o, "running", json_boolean(st->running));
	json_add(o, "percent_complete", json_int(st->percent));
	json_add(o, "opcode", json_hex(st->opcode, 4));
	json_add(o, "name", cmd ? json_word(cmd->name) : NULL);
	json_add(o, "return_code", retcode_json(st->retcode));
	json_add(o, "vendor_status", json_hex(st->vendor_status, 4));
	return o;
}

static void status_human(struct json_object *o)
{
	print_fields(o, "");
}

int cmd_bg_status(int argc, char **argv)
{
	struct bg_args a = { NULL };
	struct cxlsw_bg_status st;
	struct cxlsw_dev *dev;
	int code;

	cli_parse(&status_argp, "bg-status", argc, argv, &a);
	dev = cli_open_target("bg-status", a.name, &code);
	if (!dev)
		return code;
	if (cxlsw_bg_status(dev, &st))
		code = cli_dev_fail("bg-status", dev);
	else
		code = emit(status_json(dev, &st), status_human);
	cxlsw_dev_close(dev);
	return code;
}

static int check_abort(const struct switch_state *st, const void *args,
		       struct change *c)
{
	const struct cxlsw_command *cmd;
	struct cxlsw_bg_status bg;

	(void)st;
	(void)args;
	if (cxlsw_bg_status(c->dev, &bg))
		return cli_dev_fail(c->cmd, c->dev);
	cmd = cxlsw_catalog_find(bg.opcode);
	if (bg.running)
		snprintf(c->what, sizeof(c->what),
			 "aborts %s (0x%04x), %u%% done: what it had not finished is not applied",
			 cmd ? cmd->name : "an unknown operation", bg.opcode,
			 bg.percent);
	else
		snprintf(c->what, sizeof(c->what),
			 "asks to abort a background operation: none is running");
	if (bg.running && cmd)
		snprintf(c->whom, sizeof(c->whom),
			 "whoever asked for %s: its change is not made (%s)",
			 cmd->name, cmd->affects);
	else
		snprintf(c->whom, sizeof(c->whom), "nobody");
	snprintf(c->args, sizeof(c->args), "running=0x%04x", bg.running ?
		 bg.opcode : 0);
	c->opcode = CXLSW_OP_BG_ABORT;
	c->req_len = 0;
	return 0;
}

int cmd_abort(int argc, char **argv)
{
	struct bg_args a = { NULL };

	cli_parse(&abort_argp, "abort", argc, argv, &a);
	return change_run("abort", a.name, &a, check_abort, STATE_NONE,
			  &a.change);
}
