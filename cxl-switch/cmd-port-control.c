// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * port-control: Physical Port Control (0x5102).  Holding a device in reset
 * or resetting its PPB is felt by every host bound to it, so the port must
 * be a downstream port and the change goes through the safety policy.
 */
#include "builtin.h"
#include "cli.h"

enum { OPT_ASSERT = 0x100, OPT_DEASSERT, OPT_RESET };

struct port_control_args {
	const char *name;
	long port;
	int op;				/* -1: none given */
	struct change_opts change;
};

static const struct argp_option port_control_options[] = {
	{ "port", 'p', "ID", 0, "The downstream port (0-255)", 0 },
	{ "assert-perst", OPT_ASSERT, NULL, 0, "Assert PERST#: hold the device in reset", 0 },
	{ "deassert-perst", OPT_DEASSERT, NULL, 0, "Deassert PERST#: let the device out of reset", 0 },
	{ "reset", OPT_RESET, NULL, 0, "Reset the PPB: the link retrains", 0 },
	{ 0 },
};

static error_t port_control_parse(int key, char *arg, struct argp_state *state)
{
	struct port_control_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case 'p':
		a->port = (long)id_arg(state, "--port", arg, 255);
		return 0;
	case OPT_ASSERT:
	case OPT_DEASSERT:
	case OPT_RESET:
		if (a->op >= 0)
			usage_error(state, "give one of --assert-perst, --deassert-perst and --reset");
		a->op = key - OPT_ASSERT;
		return 0;
	case ARGP_KEY_END:
		if (a->port < 0)
			usage_error(state, "missing --port: the downstream port");
		if (a->op < 0)
			usage_error(state, "missing the action: --assert-perst, --deassert-perst or --reset");
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp port_control_argp = {
	.options = port_control_options,
	.parser = port_control_parse,
	.args_doc = "SWITCH --port P (--assert-perst | --deassert-perst | --reset)",
	.doc = "Control a downstream port: hold its device in reset, let it "
	       "out, or reset the PPB (Physical Port Control, 0x5102).",
	.children = change_nobg_children,
};

static const struct {
	const char *verb, *outcome;
} actions[] = {
	{ "asserts PERST# on", "the device is held in reset" },
	{ "deasserts PERST# on", "the device leaves reset" },
	{ "resets the PPB of", "the link goes down and retrains" },
};

static int check_port(const struct switch_state *st, const void *args,
		      struct change *c)
{
	const struct port_control_args *a = args;
	const char *sw = cxlsw_dev_name(c->dev);
	const struct cxlsw_port_state *p = state_port(st, a->port);
	char pdesc[96];

	if (!p)
		return cli_fail("port-control", EXIT_USAGE,
				"port %ld does not exist on %s", a->port, sw);
	if (p->config_state != CXLSW_PORT_DSP)
		return cli_fail("port-control", EXIT_USAGE,
				"port %ld is not a downstream port (it is %s)",
				a->port,
				cxlsw_port_config_state_name(p->config_state) ?:
				"in an unknown state");
	describe_port(p->port_id, p, CXLSW_WHOLE_PORT, pdesc, sizeof(pdesc));
	snprintf(c->what, sizeof(c->what), "%s %s: %s", actions[a->op].verb,
		 pdesc, actions[a->op].outcome);
	describe_users(st, p->port_id, CXLSW_WHOLE_PORT, c->whom,
		       sizeof(c->whom));
	snprintf(c->args, sizeof(c->args), "port=%ld action=%s", a->port,
		 cxlsw_port_op_name(a->op));
	c->port = p->port_id;
	c->opcode = CXLSW_OP_PORT_CONTROL;
	c->req_len = CXLSW_PORT_CONTROL_LEN;
	return cxlsw_port_control_encode(p->port_id, a->op, c->req,
					 sizeof(c->req)) ? EXIT_USAGE : 0;
}

int cmd_port_control(int argc, char **argv)
{
	struct port_control_args a = { .port = -1, .op = -1 };

	cli_parse(&port_control_argp, "port-control", argc, argv, &a);
	return change_run("port-control", a.name, &a, check_port, STATE_ALL,
			  &a.change);
}
