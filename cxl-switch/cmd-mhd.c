// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mhd-info: a multi-headed device behind a switch port, as its LD pool CCI
 * (tunnel target type 1) describes it: which head each LD is reached
 * through (Get Multi-Headed Info, 0x5500) and each head's link (Get Head
 * Info, 0x5501), with the names list-ports uses for a port's link.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct mhd_args {
	const char *name;
};

static error_t mhd_parse(int key, char *arg, struct argp_state *state)
{
	struct mhd_args *a = state->input;

	if (key != ARGP_KEY_END || !a->name)
		return switch_arg(state, key, arg, &a->name);
	if (!target_is_device())
		usage_error(state, "missing --port: the switch port of the multi-headed device");
	if (global_target.ld >= 0)
		usage_error(state, "--ld does not apply: the heads are described by the device's LD pool CCI");
	/* the 0x55 commands are the LD pool CCI's: go there without being told */
	global_target.ld_pool = true;
	return 0;
}

static const struct argp mhd_argp = {
	.parser = mhd_parse,
	.args_doc = "SWITCH --port P",
	.doc = "Show the heads of the multi-headed device on a switch port and "
	       "which head each of its LDs is reached through (Get "
	       "Multi-Headed Info 0x5500, Get Head Info 0x5501, sent to the "
	       "device's LD pool CCI).",
	.children = target_pool_children,
};

static struct json_object *head_json(unsigned int id,
				     const struct cxlsw_head_info *h)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "head_id", json_int(id));
	json_add(o, "port_number", json_int(h->port_number));
	json_add(o, "max_link_width", json_int(h->max_link_width));
	json_add(o, "negotiated_link_width", json_int(h->negotiated_link_width));
	json_add(o, "supported_link_speeds_gts", json_speeds(h->supported_speeds));
	json_add(o, "max_link_speed_gts",
		 json_link_speed(h->max_link_speed));
	json_add(o, "current_link_speed_gts",
		 json_link_speed(h->current_link_speed));
	json_add(o, "ltssm_state", json_enum(h->ltssm_state, cxlsw_ltssm_name));
	json_add(o, "first_negotiated_lane", json_int(h->first_negotiated_lane));
	json_add(o, "link_state_flags",
		 json_flags(h->link_flags, cxlsw_link_flag_name));
	return o;
}

static struct json_object *mhd_json(struct cxlsw_dev *dev)
{
	static struct cxlsw_head_info heads[CXLSW_MAX_HEADS];
	static struct cxlsw_mhd_info info;
	struct json_object *o, *a;

	if (cxlsw_get_mhd_info(dev, &info) ||
	    cxlsw_get_head_info(dev, info.head_count, heads))
		return NULL;
	o = json_object_new_object();
	json_add_target(o, dev);
	json_add(o, "ld_count", json_int(info.ld_count));
	json_add(o, "head_count", json_int(info.head_count));
	a = json_object_new_array();
	for (unsigned int i = 0; i < info.ld_count; i++)
		json_object_array_add(a, json_int(info.ld_to_head[i]));
	json_add(o, "ld_to_head", a);
	a = json_object_new_array();
	for (unsigned int i = 0; i < info.head_count; i++)
		json_object_array_add(a, head_json(i, &heads[i]));
	json_add(o, "heads", a);
	return o;
}

static void lane_cell(struct json_object *v, char *buf, size_t len)
{
	snprintf(buf, len, "x%d", json_object_get_int(v));
}

static void speed_cell(struct json_object *v, char *buf, size_t len)
{
	format_value(v, buf, len);
	if (v)
		strncat(buf, " GT/s", len - strlen(buf) - 1);
}

/* "head 0: LDs 0,1" lines: the map read the way people ask it. */
static void print_map(struct json_object *map, size_t heads)
{
	size_t n = json_object_array_length(map);

	for (size_t h = 0; h < heads; h++) {
		size_t shown = 0;

		printf("head %zu: LDs ", h);
		for (size_t i = 0; i < n; i++)
			if ((size_t)json_object_get_int(
				json_object_array_get_idx(map, i)) == h)
				printf("%s%zu", shown++ ? "," : "", i);
		printf("%s\n", shown ? "" : "-");
	}
}

static void mhd_human(struct json_object *o)
{
	static const struct column cols[] = {
		{ "HEAD", "head_id", NULL },
		{ "PORT", "port_number", NULL },
		{ "WIDTH", "negotiated_link_width", lane_cell },
		{ "MAX_WIDTH", "max_link_width", lane_cell },
		{ "SPEED", "current_link_speed_gts", speed_cell },
		{ "MAX_SPEED", "max_link_speed_gts", speed_cell },
		{ "SUPPORTED_GTS", "supported_link_speeds_gts", NULL },
		{ "LTSSM", "ltssm_state", NULL },
		{ "LANE", "first_negotiated_lane", NULL },
		{ "FLAGS", "link_state_flags", NULL },
	};
	struct json_object *v, *heads, *map;

#define GET(k) (json_object_object_get_ex(o, k, &v), v)
	heads = GET("heads");
	map = GET("ld_to_head");
	printf("%s %s: %d LDs, %d heads\n", json_object_get_string(GET("switch")),
	       json_object_get_string(GET("target")),
	       json_object_get_int(GET("ld_count")),
	       json_object_get_int(GET("head_count")));
#undef GET
	print_map(map, json_object_array_length(heads));
	print_table(heads, cols, ARRAY_SIZE(cols), "");
}

int cmd_mhd_info(int argc, char **argv)
{
	struct mhd_args a = { NULL };
	struct json_object *o;
	struct cxlsw_dev *dev;
	int code;

	cli_parse(&mhd_argp, "mhd-info", argc, argv, &a);
	dev = cli_open_target("mhd-info", a.name, &code);
	if (!dev)
		return code;
	o = mhd_json(dev);
	code = o ? emit(o, mhd_human) : cli_dev_fail("mhd-info", dev);
	cxlsw_dev_close(dev);
	return code;
}
