// SPDX-License-Identifier: LGPL-2.1-or-later
/* list-ports: Get Physical Port State (0x5101) for every port, or some. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

enum { OPT_UP = 0x100, OPT_DOWN };

struct ports_args {
	const char *name;
	bool have_ids;
	uint8_t ids[CXLSW_BITMAP_BYTES];	/* --port */
	uint8_t states[CXLSW_BITMAP_BYTES];	/* --state, empty: any */
	uint8_t types[CXLSW_BITMAP_BYTES];	/* --type, empty: any */
	bool up, down;
};

static const struct argp_option ports_options[] = {
	{ "port", 'p', "LIST", 0, "Only these ports, e.g. 1,3,8-15", 0 },
	{ "state", 's', "STATE", 0,
	  "Only ports in this configuration state (dsp, usp, disabled, ...); may be repeated", 0 },
	{ "type", 't', "TYPE", 0,
	  "Only ports with this connected device type (none, pcie, cxl_type3_sld, cxl_type3_mld, ...); may be repeated", 0 },
	{ "up", OPT_UP, NULL, 0, "Only ports whose link is up (LTSSM L0)", 0 },
	{ "down", OPT_DOWN, NULL, 0, "Only ports whose link is not up", 0 },
	{ 0 },
};

static void set_bit(uint8_t *set, uint8_t v)
{
	set[v / 8] |= 1u << (v % 8);
}

static bool set_empty(const uint8_t *set)
{
	for (size_t i = 0; i < CXLSW_BITMAP_BYTES; i++)
		if (set[i])
			return false;
	return true;
}

static void parse_words(struct argp_state *state, const char *what,
			const char *arg, const char *(*name)(uint8_t),
			uint8_t *set)
{
	char words[512];
	uint8_t v;

	if (parse_enum_word(arg, name, &v)) {
		enum_words(name, words, sizeof(words));
		usage_error(state, "invalid %s '%s': expected one of %s", what,
			    arg, words);
	}
	set_bit(set, v);
}

static error_t ports_parse(int key, char *arg, struct argp_state *state)
{
	struct ports_args *a = state->input;
	char err[160];

	switch (key) {
	case 'p':
		if (parse_id_list(arg, CXLSW_MAX_PORTS - 1, a->ids, err,
				  sizeof(err)))
			usage_error(state, "--port: %s", err);
		a->have_ids = true;
		return 0;
	case 's':
		parse_words(state, "state", arg, cxlsw_port_config_state_name,
			    a->states);
		return 0;
	case 't':
		parse_words(state, "device type", arg, cxlsw_device_type_name,
			    a->types);
		return 0;
	case OPT_UP:
		a->up = true;
		return 0;
	case OPT_DOWN:
		a->down = true;
		return 0;
	case ARGP_KEY_END:
		if (a->up && a->down)
			usage_error(state, "--up and --down cannot be used together");
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp ports_argp = {
	.options = ports_options,
	.parser = ports_parse,
	.args_doc = "SWITCH",
	.doc = "Show the state of a switch's physical ports.\v"
	       "Filters combine: a port is shown when it matches all of them.",
	.children = output_child,
};

struct json_object *port_state_json(const struct cxlsw_port_state *p)
{
	struct json_object *o = json_object_new_object();

#define ADD(k, v) json_add(o, k, v)
	ADD("port_id", json_int(p->port_id));
	ADD("config_state",
	    json_enum(p->config_state, cxlsw_port_config_state_name));
	ADD("connected_cxl_version",
	    json_enum(p->connected_cxl_version, cxlsw_cxl_version_name));
	ADD("connected_device_type",
	    json_enum(p->connected_device_type, cxlsw_device_type_name));
	ADD("supported_cxl_versions",
	    json_bit_words(p->cxl_versions, cxlsw_cxl_version_bit_name));
	ADD("max_link_width", json_int(p->max_link_width));
	ADD("negotiated_link_width",
	    json_int(p->negotiated_link_width));
	ADD("supported_link_speeds_gts", json_speeds(p->supported_speeds));
	ADD("max_link_speed_gts",
	    json_link_speed(p->max_link_speed));
	ADD("current_link_speed_gts",
	    json_link_speed(p->current_link_speed));
	ADD("ltssm_state", json_enum(p->ltssm_state, cxlsw_ltssm_name));
	ADD("first_negotiated_lane",
	    json_int(p->first_negotiated_lane));
	ADD("link_state_flags", json_flags(p->link_flags, cxlsw_link_flag_name));
	ADD("supported_ld_count", json_int(p->supported_ld_count));
#undef ADD
	return o;
}

static bool port_wanted(const struct ports_args *a,
			const struct cxlsw_port_state *p)
{
	bool up = p->ltssm_state == 4;	/* L0 */

	if (!set_empty(a->states) && !cxlsw_bit_test(a->states, p->config_state))
		return false;
	if (!set_empty(a->types) &&
	    !cxlsw_bit_test(a->types, p->connected_device_type))
		return false;
	return !(a->up && !up) && !(a->down && up);
}

static void width_cell(struct json_object *v, char *buf, size_t len)
{
	if (!v)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "x%d", json_object_get_int(v));
}

static void ports_human(struct json_object *a)
{
	static const struct column cols[] = {
		{ "PORT", "port_id", NULL },
		{ "STATE", "config_state", NULL },
		{ "DEVICE", "connected_device_type", NULL },
		{ "CXL", "connected_cxl_version", NULL },
		{ "VERSIONS", "supported_cxl_versions", NULL },
		{ "WIDTH", "negotiated_link_width", width_cell },
		{ "MAXW", "max_link_width", width_cell },
		{ "GT/S", "current_link_speed_gts", NULL },
		{ "MAX", "max_link_speed_gts", NULL },
		{ "SPEEDS", "supported_link_speeds_gts", NULL },
		{ "LTSSM", "ltssm_state", NULL },
		{ "LANE", "first_negotiated_lane", NULL },
		{ "FLAGS", "link_state_flags", NULL },
		{ "LDS", "supported_ld_count", NULL },
	};

	print_table(a, cols, ARRAY_SIZE(cols), "");
	/* a port the device would not describe: why, under the table */
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *row = json_object_array_get_idx(a, i);

		if (jget(row, "error"))
			printf("port %d: %s\n",
			       json_object_get_int(jget(row, "port_id")),
			       json_object_get_string(jget(row, "error")));
	}
}

/*
 * The ports to ask for: those the active-port bitmap names (their ids
 * need not be 0..N-1: QEMU's are whatever its user chose).  Only when the
 * switch counts more ports than it marks active (disabled ports are not
 * active, r3.1 Table 7-17) are the ids below that count not in the
 * bitmap asked too, as guesses: guessed[i] says which.  With --port,
 * those named, each of which must be one of these.
 */
static int port_ids(const struct ports_args *a,
		    const struct cxlsw_switch_info *si, const char *sw,
		    uint8_t *ids, bool *guessed, size_t *n)
{
	uint8_t all[CXLSW_MAX_PORTS], active[CXLSW_MAX_PORTS];
	size_t nactive = cxlsw_id_set(0, si->active_ports, active);
	size_t count = nactive < si->num_physical_ports ?
		cxlsw_id_set(si->num_physical_ports, si->active_ports, all) :
		cxlsw_id_set(0, si->active_ports, all);
	int missing = select_ids(all, count, a->have_ids ? a->ids : NULL, ids,
				 n);

	if (missing >= 0)
		return cli_fail("list-ports", EXIT_USAGE,
				"port %d does not exist on %s (it has %zu ports, 0-%u)",
				missing, sw, count, count ? all[count - 1] : 0);
	for (size_t i = 0; i < *n; i++)
		guessed[i] = !cxlsw_bit_test(si->active_ports, ids[i]);
	return 0;
}

/*
 * A device that refuses a whole request for one id it does not like
 * (QEMU answers Invalid Input for the lot) still gets its other ports
 * asked, one by one; those it refuses alone are marked with the error.
 */
static int ports_one_by_one(struct cxlsw_dev *dev, const uint8_t *ids,
			    const bool *guessed, size_t n,
			    struct cxlsw_port_state *ports,
			    struct json_object **failed)
{
	char what[320];

	for (size_t i = 0; i < n; i++) {
		if (!cxlsw_get_port_state(dev, &ids[i], 1, &ports[i]))
			continue;
		if (cxlsw_dev_error(dev)->retcode != CXLSW_RC_INVALID_INPUT ||
		    cxlsw_dev_error(dev)->kind != CXLSW_ERR_DEVICE)
			return -1;
		/* a guess the device does not know is no port, not an error */
		ports[i].config_state = CXLSW_PORT_INVALID;
		if (guessed[i])
			continue;
		failed[i] = json_object_new_object();
		json_add(failed[i], "port_id", json_int(ids[i]));
		json_add(failed[i], "error", json_object_new_string(
			 cxlsw_error_string(cxlsw_dev_error(dev), what,
					    sizeof(what))));
	}
	return 0;
}

static int read_ports(struct cxlsw_dev *dev, const uint8_t *ids,
		      const bool *guessed, size_t n,
		      struct cxlsw_port_state *ports,
		      struct json_object **failed)
{
	const struct cxlsw_error *err = cxlsw_dev_error(dev);

	if (!cxlsw_get_port_state(dev, ids, n, ports))
		return 0;
	if (n < 2 || err->kind != CXLSW_ERR_DEVICE ||
	    err->retcode != CXLSW_RC_INVALID_INPUT)
		return -1;
	return ports_one_by_one(dev, ids, guessed, n, ports, failed);
}

int cmd_list_ports(int argc, char **argv)
{
	struct ports_args a = { 0 };
	struct cxlsw_port_state *ports = NULL;
	struct json_object **failed = NULL;
	struct cxlsw_switch_info si;
	uint8_t ids[CXLSW_MAX_PORTS];
	bool guessed[CXLSW_MAX_PORTS];
	struct cxlsw_dev *dev;
	struct json_object *arr;
	size_t n;
	int code;

	cli_parse(&ports_argp, "list-ports", argc, argv, &a);
	dev = cli_open("list-ports", a.name, &code);
	if (!dev)
		return code;
	if (cxlsw_identify_switch(dev, &si)) {
		code = cli_dev_fail("list-ports", dev);
		goto out;
	}
	code = port_ids(&a, &si, cxlsw_dev_name(dev), ids, guessed, &n);
	if (code)
		goto out;
	ports = calloc(n ? n : 1, sizeof(*ports));
	failed = calloc(n ? n : 1, sizeof(*failed));
	if (!ports || !failed) {
		code = cli_fail("list-ports", EXIT_IO, "out of memory");
		goto out;
	}
	if (read_ports(dev, ids, guessed, n, ports, failed)) {
		code = cli_dev_fail("list-ports", dev);
		goto out;
	}
	arr = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++)
		if (failed[i])
			json_object_array_add(arr, failed[i]);
		else if (guessed[i] &&
			 ports[i].config_state == CXLSW_PORT_INVALID)
			continue;	/* a guessed id that is no port */
		else if (port_wanted(&a, &ports[i]))
			json_object_array_add(arr, port_state_json(&ports[i]));
	code = emit(arr, ports_human);
	goto done;
out:
	for (size_t i = 0; failed && i < n; i++)
		json_object_put(failed[i]);
done:
	free(failed);
	free(ports);
	cxlsw_dev_close(dev);
	return code;
}
