// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * config-read and config-write: a port's PCIe configuration space through
 * the switch (Send PPB CXL.io Configuration Request, 0x5103), or with --ld
 * one LD's of the MLD on the port (Send LD CXL.io Configuration Request,
 * 0x5301, r3.2 Table 7-36).  One opcode reads and writes; a read changes
 * nothing, a write goes through the safety policy like any change a host
 * may notice.
 */
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct config_args {
	const char *name;
	bool write;
	long port, offset, width;
	long ld;			/* -1: the port's bridge */
	unsigned long value;
	bool have_value;
	struct change_opts change;
};

enum { OPT_VALUE = 0x100, OPT_LD };

#define ACCESS_OPTIONS \
	{ "port", 'p', "ID", 0, "The port whose bridge is accessed (0-255)", 0 }, \
	{ "ld", OPT_LD, "LD", 0, "Instead, logical device LD of the MLD on the port (0x5301)", 0 }, \
	{ "offset", 'o', "BYTES", 0, "Byte offset in the configuration space (0-4095, aligned to the width)", 0 }, \
	{ "width", 'w', "BYTES", 0, "Access width: 1, 2 or 4 (default 4)", 0 }

static const struct argp_option read_options[] = {
	ACCESS_OPTIONS,
	{ 0 },
};

static const struct argp_option write_options[] = {
	ACCESS_OPTIONS,
	{ "value", OPT_VALUE, "VALUE", 0, "The value to write", 0 },
	{ 0 },
};

static error_t config_parse(int key, char *arg, struct argp_state *state)
{
	struct config_args *a = state->input;
	unsigned long v;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case 'p':
		a->port = (long)id_arg(state, "--port", arg, 255);
		return 0;
	case OPT_LD:
		a->ld = (long)id_arg(state, "--ld", arg, 0xfffe);
		return 0;
	case 'o':
		if (parse_uint(arg, 4095, &v))
			usage_error(state, "invalid --offset '%s': expected a byte offset 0-4095", arg);
		a->offset = (long)v;
		return 0;
	case 'w':
		if (parse_uint(arg, 4, &v) || (v != 1 && v != 2 && v != 4))
			usage_error(state, "invalid --width '%s': expected 1, 2 or 4", arg);
		a->width = (long)v;
		return 0;
	case OPT_VALUE:
		if (parse_uint(arg, 0xffffffffUL, &v))
			usage_error(state, "invalid --value '%s': expected a number 0-0xffffffff", arg);
		a->value = v;
		a->have_value = true;
		return 0;
	case ARGP_KEY_END:
		if (a->port < 0 || a->offset < 0)
			usage_error(state, "missing %s", a->port < 0 ? "--port" : "--offset");
		if (a->offset % a->width)
			usage_error(state, "--offset %ld is not aligned to the width %ld",
				    a->offset, a->width);
		if (a->write && !a->have_value)
			usage_error(state, "missing --value: the value to write");
		if (a->write && a->width < 4 && a->value >> (8 * a->width))
			usage_error(state, "--value 0x%lx does not fit in %ld byte%s",
				    a->value, a->width, a->width > 1 ? "s" : "");
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp read_argp = {
	.options = read_options,
	.parser = config_parse,
	.args_doc = "SWITCH --port P [--ld LD] --offset BYTES [--width 1|2|4]",
	.doc = "Read a port's PCIe configuration space through the switch "
	       "(Send PPB CXL.io Configuration Request, 0x5103), or one LD's "
	       "(Send LD CXL.io Configuration Request, 0x5301).",
	.children = read_change_children,
};

static const struct argp write_argp = {
	.options = write_options,
	.parser = config_parse,
	.args_doc = "SWITCH --port P [--ld LD] --offset BYTES [--width 1|2|4] --value V",
	.doc = "Write a port's PCIe configuration space through the switch "
	       "(Send PPB CXL.io Configuration Request, 0x5103), or one LD's "
	       "(Send LD CXL.io Configuration Request, 0x5301).",
	.children = change_nobg_children,
};

static struct cxlsw_config_request request_of(const struct config_args *a)
{
	struct cxlsw_config_request r = {
		.port = (uint8_t)a->port,
		.offset = (uint16_t)a->offset,
		.width = (uint8_t)a->width,
		.write = a->write,
		.value = (uint32_t)a->value,
	};

	return r;
}

static void add_value(const struct change *c, struct json_object *result)
{
	const struct config_args *a = c->ctx;
	struct cxlsw_config_request r = request_of(a);
	uint32_t v;

	json_add(result, "port_id", json_int(a->port));
	if (a->ld >= 0)
		json_add(result, "ld_id", json_int(a->ld));
	json_add(result, "offset", json_int(a->offset));
	json_add(result, "width", json_int(a->width));
	if (a->write)
		json_add(result, "value", json_hex(a->value, 2 * (int)a->width));
	else if (!cxlsw_config_decode(&r, c->out, c->out_len, &v))
		json_add(result, "value", json_hex(v, 2 * (int)a->width));
}

/* config-read without -v: the value read, and where from. */
static void read_human(struct json_object *r)
{
	struct json_object *ld = jget(r, "ld_id"), *v = jget(r, "value");

	printf("%s port %d", json_object_get_string(jget(r, "switch")),
	       json_object_get_int(jget(r, "port_id")));
	if (ld)
		printf(" LD %d", json_object_get_int(ld));
	printf(" offset 0x%03x (%d bytes): %s\n",
	       json_object_get_int(jget(r, "offset")),
	       json_object_get_int(jget(r, "width")),
	       v ? json_object_get_string(v) : "-");
}

/*
 * An LD that 0x5301 and 0x5302 can reach: one of the MLD's on a
 * downstream port, as its port state counts them.
 */
bool ld_exists(const char *cmd, const struct cxlsw_port_state *p, long ld)
{
	if (p->config_state != CXLSW_PORT_DSP ||
	    p->connected_device_type != CXLSW_DEV_TYPE3_MLD) {
		cli_fail(cmd, EXIT_USAGE,
			 "port %u has no pooled device (MLD): --ld needs one",
			 p->port_id);
		return false;
	}
	if (ld >= p->supported_ld_count) {
		cli_fail(cmd, EXIT_USAGE,
			 "port %u's MLD has %u LDs: there is no LD %ld",
			 p->port_id, p->supported_ld_count, ld);
		return false;
	}
	return true;
}

static int check_config(const struct switch_state *st, const void *args,
			struct change *c)
{
	const struct config_args *a = args;
	const struct cxlsw_port_state *p = state_port(st, a->port);
	struct cxlsw_config_request r = request_of(a);
	uint16_t ld = a->ld < 0 ? CXLSW_WHOLE_PORT : (uint16_t)a->ld;
	char pdesc[96];

	if (!p)
		return cli_fail(c->cmd, EXIT_USAGE, "port %ld does not exist on %s",
				a->port, cxlsw_dev_name(c->dev));
	if (a->ld >= 0 && !ld_exists(c->cmd, p, a->ld))
		return EXIT_USAGE;
	if (p->config_state != CXLSW_PORT_DSP &&
	    p->config_state != CXLSW_PORT_USP)
		return cli_fail(c->cmd, EXIT_USAGE,
				"port %ld has no bridge to access (it is %s)", a->port,
				cxlsw_port_config_state_name(p->config_state) ?:
				"in an unknown state");
	describe_port(p->port_id, p, ld, pdesc, sizeof(pdesc));
	if (a->write)
		snprintf(c->what, sizeof(c->what),
			 "writes 0x%0*lx to %ld byte(s) at offset 0x%03lx of the configuration space of %s",
			 2 * (int)a->width, a->value, a->width, a->offset, pdesc);
	else
		snprintf(c->what, sizeof(c->what),
			 "reads %ld byte(s) at offset 0x%03lx of the configuration space of %s",
			 a->width, a->offset, pdesc);
	if (a->write)
		describe_users(st, p->port_id, ld, c->whom, sizeof(c->whom));
	else
		snprintf(c->whom, sizeof(c->whom), "nobody");
	snprintf(c->args, sizeof(c->args), "port=%ld ld=%ld offset=0x%lx width=%ld value=0x%lx",
		 a->port, a->ld, a->offset, a->width, a->value);
	c->port = p->port_id;
	c->answer = add_value;
	if (!a->write)
		c->human = read_human;
	c->ctx = a;
	if (a->ld >= 0) {
		c->opcode = CXLSW_OP_LD_CONFIG;
		c->req_len = CXLSW_LD_CONFIG_REQ_LEN;
		return cxlsw_ld_config_encode(&r, ld, c->req, sizeof(c->req)) ?
		       EXIT_USAGE : 0;
	}
	c->opcode = CXLSW_OP_PPB_CONFIG;
	c->req_len = CXLSW_CONFIG_REQ_LEN;
	return cxlsw_config_encode(&r, c->req, sizeof(c->req)) ? EXIT_USAGE : 0;
}

static int run_config(const char *cmd, const struct argp *argp, bool write,
		      int argc, char **argv)
{
	struct config_args a = { .write = write, .port = -1, .offset = -1,
				 .width = 4, .ld = -1 };

	cli_parse(argp, cmd, argc, argv, &a);
	return change_run(cmd, a.name, &a, check_config,
			  write ? STATE_ALL : STATE_PORTS,
			  &a.change);
}

int cmd_config_read(int argc, char **argv)
{
	return run_config("config-read", &read_argp, false, argc, argv);
}

int cmd_config_write(int argc, char **argv)
{
	return run_config("config-write", &write_argp, true, argc, argv);
}
