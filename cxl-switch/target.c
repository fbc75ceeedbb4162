// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * --port, --ld and --ld-pool: which CCI a command goes to.  Without them,
 * the switch's own; with them, a device behind a port (and an LD of it, or
 * its LD pool CCI) through one or two Tunnel Management levels.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct target_opts global_target = { .port = -1, .ld = -1 };

enum { OPT_PORT = 0x300, OPT_LD, OPT_LD_POOL };

static const struct argp_option target_options[] = {
	{ "port", OPT_PORT, "PORT", 0,
	  "Send to the device on switch port PORT (tunnelled)", 2 },
	{ "ld", OPT_LD, "LD", 0,
	  "With --port: send to logical device LD of that MLD", 2 },
	{ "ld-pool", OPT_LD_POOL, NULL, 0,
	  "With --port: send to the device's LD pool CCI", 2 },
	{ 0 },
};

static error_t target_parse(int key, char *arg, struct argp_state *state)
{
	struct target_opts *t = &global_target;

	switch (key) {
	case OPT_PORT:
		t->port = (int)id_arg(state, "--port", arg, 255);
		return 0;
	case OPT_LD:
		t->ld = (int)id_arg(state, "--ld", arg, 255);
		return 0;
	case OPT_LD_POOL:
		t->ld_pool = true;
		return 0;
	case ARGP_KEY_END:
		if ((t->ld >= 0 || t->ld_pool) && t->port < 0)
			usage_error(state, "%s needs --port: the LD is reached through its port",
				    t->ld_pool ? "--ld-pool" : "--ld");
		if (t->ld >= 0 && t->ld_pool)
			usage_error(state, "--ld and --ld-pool exclude each other: an LD or the LD pool");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp target_argp = {
	.options = target_options,
	.parser = target_parse,
};

/*
 * The same options where a command refuses --ld (or both): not offered
 * in its --help (cxl-switch(1), OPTIONS), still parsed so that the
 * refusal says why.
 */
static const struct argp_option target_pool_options[] = {
	{ "port", OPT_PORT, "PORT", 0,
	  "Send to the device on switch port PORT (tunnelled)", 2 },
	{ "ld", OPT_LD, "LD", OPTION_HIDDEN, NULL, 2 },
	{ "ld-pool", OPT_LD_POOL, NULL, 0,
	  "With --port: send to the device's LD pool CCI", 2 },
	{ 0 },
};

static const struct argp_option target_port_options[] = {
	{ "port", OPT_PORT, "PORT", 0,
	  "Send to the device on switch port PORT (tunnelled)", 2 },
	{ "ld", OPT_LD, "LD", OPTION_HIDDEN, NULL, 2 },
	{ "ld-pool", OPT_LD_POOL, NULL, OPTION_HIDDEN, NULL, 2 },
	{ 0 },
};

static const struct argp target_pool_argp = {
	.options = target_pool_options,
	.parser = target_parse,
};

static const struct argp target_port_argp = {
	.options = target_port_options,
	.parser = target_parse,
};

const struct argp_child target_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &target_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

const struct argp_child target_change_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &change_argp, 0, NULL, 0 },
	{ &target_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

/* A change that starts no background operation: no --no-wait. */
const struct argp_child target_change_nobg_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &change_nobg_argp, 0, NULL, 0 },
	{ &target_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

/* Reads of a pooled or DCD device's port: --port and --ld-pool. */
const struct argp_child target_pool_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &target_pool_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

/* dc-add, dc-release: background changes of a DCD's port or pool. */
const struct argp_child target_pool_change_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &change_argp, 0, NULL, 0 },
	{ &target_pool_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

/* dc-regions --set: no background operation. */
const struct argp_child target_pool_change_nobg_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &change_nobg_argp, 0, NULL, 0 },
	{ &target_pool_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

/* set-lds, qos: the MLD's port only. */
const struct argp_child target_port_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &target_port_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

const struct argp_child target_port_change_nobg_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &change_nobg_argp, 0, NULL, 0 },
	{ &target_port_argp, 0, "Target (a device behind the switch):", 2 },
	{ 0 },
};

bool target_is_device(void)
{
	return global_target.port >= 0;
}

/*
 * list-lds, set-lds and qos speak to a pooled device itself: its port is
 * needed.  Whether --ld or --ld-pool could apply is each command's say.
 */
void target_need_mld_port(const struct argp_state *state)
{
	if (!target_is_device())
		usage_error(state, "missing --port: the switch port of the pooled device (MLD)");
}

/*
 * The port's device is one tunnel level (target type 0); an LD of it or
 * its LD pool CCI is a second level through that device: the switch never
 * gets target type 1, it has no egress port for it (r3.2 Table 7-37).
 */
struct cxlsw_dev *target_wrap(const char *cmd, struct cxlsw_dev *sw,
			      const struct target_opts *t, int *code)
{
	enum cxlsw_tunnel_target type = t->ld_pool ? CXLSW_TUNNEL_LD_POOL :
					CXLSW_TUNNEL_PORT_OR_LD;
	struct cxlsw_dev *port, *ld;

	if (t->port < 0)
		return sw;
	if (cxlsw_dev_tunnel(sw, (uint8_t)t->port, CXLSW_TUNNEL_PORT_OR_LD,
			     true, &port)) {
		*code = cli_fail(cmd, EXIT_IO, "out of memory");
		cxlsw_dev_close(sw);
		return NULL;
	}
	if (t->ld < 0 && !t->ld_pool)
		return port;
	if (cxlsw_dev_tunnel(port, t->ld_pool ? 0xFF : (uint8_t)t->ld, type,
			     true, &ld)) {
		*code = cli_fail(cmd, EXIT_IO, "out of memory");
		cxlsw_dev_close(port);
		return NULL;
	}
	return ld;
}

struct cxlsw_dev *cli_open_target(const char *cmd, const char *name,
				  int *code)
{
	struct cxlsw_dev *sw = cli_open(cmd, name, code);

	if (target_is_device())
		doc_target(global_target.port, global_target.ld,
			   global_target.ld_pool);
	return sw ? target_wrap(cmd, sw, &global_target, code) : NULL;
}

struct cxlsw_dev *target_switch(struct cxlsw_dev *dev)
{
	while (cxlsw_dev_outer(dev))
		dev = cxlsw_dev_outer(dev);
	return dev;
}

void json_add_target(struct json_object *o, struct cxlsw_dev *dev)
{
	json_add(o, "switch", json_object_new_string(
			cxlsw_dev_name(target_switch(dev))));
	if (cxlsw_dev_outer(dev))
		json_add(o, "target", json_object_new_string(target_name(dev)));
}

const char *target_name(struct cxlsw_dev *dev)
{
	const char *sw = cxlsw_dev_name(target_switch(dev));
	const char *name = cxlsw_dev_name(dev);
	size_t n = strlen(sw);

	return !strncmp(name, sw, n) && name[n] == ' ' ? name + n + 1 : name;
}
