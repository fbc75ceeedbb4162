// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dcd-info, dc-regions and dc-extents (0x5600-0x5603): what a dynamic
 * capacity device behind a switch port offers, how its regions look to a
 * host, which extents a host holds; and setting a region's block size.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "dcd.h"

struct dcd_args {
	const char *name;
	unsigned int host;
	long region;			/* -1: not given (a read) */
	uint64_t block_size;		/* 0: not given */
	int sanitize;			/* -1: keep what the region has */
	bool changes;			/* the argp has the change options */
	struct change_opts change;
};

enum { OPT_HOST = 0x400, OPT_REGION, OPT_BLOCK_SIZE, OPT_SANITIZE };

static const struct argp_option host_options[] = {
	{ "host", OPT_HOST, "HOST", 0, "The host whose view to show (default 0)", 0 },
	{ 0 },
};

static const struct argp_option region_options[] = {
	{ "host", OPT_HOST, "HOST", 0, "The host whose view to show (default 0)", 0 },
	{ "region", OPT_REGION, "REGION", 0, "Set this region (0-7): needs --block-size", 0 },
	{ "block-size", OPT_BLOCK_SIZE, "SIZE", 0,
	  "The region's new block size (4K ... 1G), one the device supports", 0 },
	{ "sanitize-on-release", OPT_SANITIZE, "yes|no", 0,
	  "Sanitize released capacity of the region (default: unchanged)", 0 },
	{ 0 },
};

static error_t dcd_parse(int key, char *arg, struct argp_state *state)
{
	struct dcd_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		/* target_change_children: output, change, target */
		if (a->changes)
			state->child_inputs[1] = &a->change;
		return 0;
	case OPT_HOST:
		a->host = dcd_host_arg(state, arg);
		return 0;
	case OPT_REGION:
		a->region = dcd_region_arg(state, arg);
		return 0;
	case OPT_BLOCK_SIZE:
		if (parse_size(arg, &a->block_size) || !a->block_size ||
		    (a->block_size & (a->block_size - 1)))
			usage_error(state, "invalid --block-size '%s': expected a power of two like 64K, 2M or 1G",
				    arg);
		return 0;
	case OPT_SANITIZE:
		if (strcmp(arg, "yes") && strcmp(arg, "no"))
			usage_error(state, "invalid --sanitize-on-release '%s': expected yes or no",
				    arg);
		a->sanitize = !strcmp(arg, "yes");
		return 0;
	case ARGP_KEY_END:
		dcd_target_check(state);
		if (a->region < 0 && (a->block_size || a->sanitize >= 0))
			usage_error(state, "missing --region: the region to set");
		if (a->region >= 0 && !a->block_size)
			usage_error(state, "missing --block-size: setting region %ld needs its block size",
				    a->region);
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

/* ---- dcd-info ------------------------------------------------------------- */

static const struct argp info_argp = {
	.parser = dcd_parse,
	.args_doc = "SWITCH --port PORT",
	.doc = "Show what a dynamic capacity device behind a switch port "
	       "offers: hosts, regions, selection and removal policies, "
	       "capacity, block sizes (Get DCD Info, 0x5600).",
	.children = target_pool_children,
};

int cmd_dcd_info(int argc, char **argv)
{
	struct dcd_args a = { .region = -1, .sanitize = -1 };
	struct cxlsw_dcd_info info;
	struct cxlsw_dev *dev;
	struct json_object *o;
	int code;

	cli_parse(&info_argp, "dcd-info", argc, argv, &a);
	dev = cli_open_target("dcd-info", a.name, &code);
	if (!dev)
		return code;
	code = dcd_read_info("dcd-info", dev, &info);
	if (!code) {
		o = json_object_new_object();
		json_add_target(o, dev);
		dcd_info_add(o, &info);
		code = emit(o, dc_human);
	}
	cxlsw_dev_close(dev);
	return code;
}

/* ---- dc-regions ------------------------------------------------------------ */

static const struct argp regions_argp = {
	.options = region_options,
	.parser = dcd_parse,
	.args_doc = "SWITCH --port PORT [--host HOST]\n"
		    "SWITCH --port PORT --region REGION --block-size SIZE "
		    "[--sanitize-on-release yes|no]",
	.doc = "Show the dynamic capacity regions of a device as one host "
	       "sees them (Get Host DC Region Configuration, 0x5601), or set "
	       "one region's block size (Set DC Region Configuration, "
	       "0x5602).",
	.children = target_pool_change_nobg_children,
};

static int show_regions(const struct dcd_args *a)
{
	struct cxlsw_dcd_info info;
	struct cxlsw_dc_regions r;
	struct cxlsw_dev *dev;
	struct json_object *o;
	int code;

	dev = cli_open_target("dc-regions", a->name, &code);
	if (!dev)
		return code;
	code = dcd_read_info("dc-regions", dev, &info);
	if (!code)
		code = dcd_check_host("dc-regions", dev, &info, a->host);
	if (!code)
		code = dcd_read_regions("dc-regions", dev, (uint16_t)a->host, &r);
	if (!code) {
		o = json_object_new_object();
		json_add_target(o, dev);
		dc_regions_add(o, &r);
		code = emit(o, dc_human);
	}
	cxlsw_dev_close(dev);
	return code;
}

/* What the region looks like now that it is set. */
static void region_after(struct change *c, struct json_object *result)
{
	const struct dcd_args *a = c->ctx;
	struct cxlsw_dc_regions r;
	struct json_object *arr;

	if (cxlsw_get_dc_regions(c->dev, (uint16_t)a->host, &r) ||
	    a->region >= r.have)
		return;
	arr = json_object_new_array();
	json_object_array_add(arr, dc_region_json((unsigned int)a->region,
						  &r.region[a->region]));
	json_add(result, "regions", arr);
}

/* Invalid Input after the checks above: which input the device refused. */
static void region_explain(struct change *c, const struct cxlsw_error *err,
			   char *why, size_t len)
{
	const struct dcd_args *a = c->ctx;

	hint_dc_region(c->dev, err, (unsigned int)a->region, a->block_size,
		       why, len);
}

static int check_region(const struct switch_state *st, const void *args,
			struct change *c)
{
	const struct dcd_args *a = args;
	const struct cxlsw_dc_region *reg;
	struct cxlsw_dcd_info info;
	struct cxlsw_dc_regions r;
	char now[32], want[32];
	bool sanitize;
	int code;

	(void)st;
	code = dcd_read_info(c->cmd, c->dev, &info);
	if (!code && a->region >= info.regions)
		code = cli_fail(c->cmd, EXIT_USAGE,
				"%s has %u regions: there is no region %ld",
				target_name(c->dev), info.regions, a->region);
	if (!code && !(info.block_sizes[a->region] & a->block_size)) {
		format_size(a->block_size, want, sizeof(want));
		code = cli_fail(c->cmd, EXIT_USAGE,
				"region %ld does not support %s blocks: supported block sizes are given by dcd-info",
				a->region, want);
	}
	if (!code)
		code = dcd_read_regions(c->cmd, c->dev, 0, &r);
	if (code)
		return code;
	reg = &r.region[a->region];
	sanitize = a->sanitize < 0 ? reg->sanitize_on_release : a->sanitize;
	/* Get DCD Info byte 0x0A: which regions let the setting change */
	if (sanitize != reg->sanitize_on_release &&
	    !(info.sanitize_configurable & (1u << a->region)))
		return cli_fail(c->cmd, EXIT_USAGE,
				"region %ld's sanitize-on-release setting cannot be changed (Get DCD Info: not configurable); it stays %s",
				a->region, reg->sanitize_on_release ? "yes" : "no");
	format_size(reg->block_size, now, sizeof(now));
	format_size(a->block_size, want, sizeof(want));
	snprintf(c->what, sizeof(c->what),
		 "sets region %ld of the DCD on %s: block size %s -> %s, sanitize on release %s -> %s",
		 a->region, target_name(c->dev), now, want,
		 reg->sanitize_on_release ? "yes" : "no", sanitize ? "yes" : "no");
	snprintf(c->whom, sizeof(c->whom), "%s",
		 cxlsw_catalog_find(CXLSW_OP_SET_DC_REGION_CONFIG)->affects);
	snprintf(c->args, sizeof(c->args), "region=%ld block_size=%llu sanitize=%d",
		 a->region, (unsigned long long)a->block_size, sanitize);
	c->opcode = CXLSW_OP_SET_DC_REGION_CONFIG;
	c->req_len = CXLSW_DC_REGION_SET_LEN;
	c->ctx = a;
	c->explain = region_explain;
	return cxlsw_dc_region_set_encode((uint8_t)a->region, a->block_size,
					  sanitize, c->req, sizeof(c->req)) ?
	       EXIT_USAGE : 0;
}

int cmd_dc_regions(int argc, char **argv)
{
	struct dcd_args a = { .region = -1, .sanitize = -1, .changes = true };

	cli_parse(&regions_argp, "dc-regions", argc, argv, &a);
	if (a.region < 0)
		return show_regions(&a);
	return dc_change_run("dc-regions", a.name, &a, check_region,
			     region_after, &a.change);
}

/* ---- dc-extents ------------------------------------------------------------ */

static const struct argp extents_argp = {
	.options = host_options,
	.parser = dcd_parse,
	.args_doc = "SWITCH --port PORT [--host HOST]",
	.doc = "List every dynamic capacity extent a host holds, reading as "
	       "many pages as the response limit requires (Get DC Region "
	       "Extent Lists, 0x5603).",
	.children = target_pool_children,
};

int cmd_dc_extents(int argc, char **argv)
{
	struct dcd_args a = { .region = -1, .sanitize = -1 };
	struct cxlsw_dc_extent_list l = { .extents = NULL };
	struct cxlsw_dcd_info info;
	struct cxlsw_dev *dev;
	struct json_object *o;
	int code;

	cli_parse(&extents_argp, "dc-extents", argc, argv, &a);
	dev = cli_open_target("dc-extents", a.name, &code);
	if (!dev)
		return code;
	code = dcd_read_info("dc-extents", dev, &info);
	if (!code)
		code = dcd_check_host("dc-extents", dev, &info, a.host);
	if (!code)
		code = dcd_read_extents("dc-extents", dev, (uint16_t)a.host, &l);
	if (!code) {
		o = json_object_new_object();
		json_add_target(o, dev);
		dc_extents_add(o, &l);
		code = emit(o, dc_human);
	}
	free(l.extents);
	cxlsw_dev_close(dev);
	return code;
}
