// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Shared by the dynamic-capacity commands: the target, the reads that
 * checks need, JSON whose keys match the emulator's topology file, and the
 * tables a person reads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dcd.h"

void dcd_target_check(const struct argp_state *state)
{
	if (global_target.port < 0)
		usage_error(state, "missing --port: the dynamic capacity device is reached through its switch port");
	if (global_target.ld >= 0)
		usage_error(state, "--ld does not apply: DCD management goes to the device on the port (or its --ld-pool CCI), not to one LD");
}

unsigned int dcd_host_arg(const struct argp_state *state, const char *arg)
{
	return (unsigned int)id_arg(state, "--host", arg, 0xFFFF);
}

long dcd_region_arg(const struct argp_state *state, const char *arg)
{
	return (long)id_arg(state, "--region", arg, CXLSW_DC_MAX_REGIONS - 1);
}

int parse_extent(const char *s, struct cxlsw_dc_extent *e)
{
	const char *colon = strchr(s, ':');
	char dpa[64];

	if (!colon || (size_t)(colon - s) >= sizeof(dpa))
		return -1;
	memcpy(dpa, s, (size_t)(colon - s));
	dpa[colon - s] = '\0';
	memset(e, 0, sizeof(*e));
	if (parse_size(dpa, &e->start_dpa) || parse_size(colon + 1, &e->length) ||
	    !e->length || e->start_dpa + e->length < e->start_dpa)
		return -1;
	return 0;
}

int dcd_read_info(const char *cmd, struct cxlsw_dev *dev,
		  struct cxlsw_dcd_info *info)
{
	return cxlsw_dcd_info(dev, info) ? cli_dev_fail(cmd, dev) : 0;
}

int dcd_read_regions(const char *cmd, struct cxlsw_dev *dev, uint16_t host,
		     struct cxlsw_dc_regions *r)
{
	return cxlsw_get_dc_regions(dev, host, r) ? cli_dev_fail(cmd, dev) : 0;
}

int dcd_read_extents(const char *cmd, struct cxlsw_dev *dev, uint16_t host,
		     struct cxlsw_dc_extent_list *l)
{
	int rc = cxlsw_get_dc_extents(dev, host, l);

	if (rc == -ENOMEM)
		return cli_fail(cmd, EXIT_IO, "out of memory");
	return rc ? cli_dev_fail(cmd, dev) : 0;
}

int dcd_check_host(const char *cmd, struct cxlsw_dev *dev,
		   const struct cxlsw_dcd_info *info, unsigned int host)
{
	if (host < info->hosts)
		return 0;
	return cli_fail(cmd, EXIT_USAGE,
			"%s has %u hosts: there is no host %u (give --host 0-%d)",
			target_name(dev), info->hosts, host, info->hosts - 1);
}

/* ---- JSON ----------------------------------------------------------------- */

static struct json_object *policy_words(uint16_t bits,
					const char *(*name)(uint8_t))
{
	struct json_object *a = json_object_new_array();

	/* bits without a name are reserved and left out */
	for (unsigned int b = 0; b < 16; b++)
		if (bits & (1u << b) && name((uint8_t)b))
			json_object_array_add(a, json_word(name((uint8_t)b)));
	return a;
}

static struct json_object *block_sizes(uint64_t mask)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int n = 0; n < 64; n++)
		if (mask & (1ull << n))
			json_object_array_add(a, json_u64(1ull << n));
	return a;
}

void dcd_info_add(struct json_object *o, const struct cxlsw_dcd_info *info)
{
	struct json_object *regions = json_object_new_array();

	json_add(o, "host_count", json_int(info->hosts));
	json_add(o, "region_count", json_int(info->regions));
	json_add(o, "selection_policies",
		 policy_words(info->selection_policies,
			      cxlsw_dc_selection_policy_name));
	json_add(o, "removal_policies",
		 policy_words(info->removal_policies,
			      cxlsw_dc_removal_policy_name));
	json_add(o, "total_capacity_bytes", json_u64(info->total_capacity));
	for (unsigned int i = 0; i < info->regions; i++) {
		struct json_object *r = json_object_new_object();

		json_add(r, "region_id", json_int(i));
		json_add(r, "supported_block_sizes_bytes",
			 block_sizes(info->block_sizes[i]));
		json_add(r, "sanitize_on_release_configurable",
			 json_boolean(info->sanitize_configurable & (1u << i)));
		json_object_array_add(regions, r);
	}
	json_add(o, "regions", regions);
}

struct json_object *dc_region_json(unsigned int id,
				   const struct cxlsw_dc_region *r)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "region_id", json_int(id));
	json_add(o, "base", json_addr(r->base));
	json_add(o, "decode_length_bytes", json_u64(r->decode_length));
	json_add(o, "length_bytes", json_u64(r->length));
	json_add(o, "block_size_bytes", json_u64(r->block_size));
	json_add(o, "flags", json_int(r->flags));
	json_add(o, "attributes",
		 json_bit_words(r->flags, cxlsw_dc_region_flag_name));
	json_add(o, "sanitize_on_release", json_boolean(r->sanitize_on_release));
	return o;
}

void dc_regions_add(struct json_object *o, const struct cxlsw_dc_regions *r)
{
	struct json_object *a = json_object_new_array();

	json_add(o, "host_id", json_int(r->host_id));
	json_add(o, "region_count", json_int(r->count));
	for (unsigned int i = 0; i < r->have; i++)
		json_object_array_add(a, dc_region_json(i, &r->region[i]));
	json_add(o, "regions", a);
	json_add(o, "extents_supported", json_int(r->extents_supported));
	json_add(o, "extents_available", json_int(r->extents_available));
	json_add(o, "tags_supported", json_int(r->tags_supported));
	json_add(o, "tags_available", json_int(r->tags_available));
}

void dc_extents_add(struct json_object *o,
		    const struct cxlsw_dc_extent_list *l)
{
	struct json_object *a = json_object_new_array();
	char tag[37];

	json_add(o, "host_id", json_int(l->host_id));
	json_add(o, "generation", json_int(l->generation));
	json_add(o, "extent_count", json_int(l->count));
	json_add(o, "restarts", json_int(l->restarts));
	for (uint32_t i = 0; i < l->count; i++) {
		const struct cxlsw_dc_extent *e = &l->extents[i];
		struct json_object *x = json_object_new_object();

		cxlsw_uuid_format(e->tag, tag);
		json_add(x, "start_dpa", json_addr(e->start_dpa));
		json_add(x, "length_bytes", json_u64(e->length));
		json_add(x, "tag", json_object_new_string(tag));
		json_add(x, "shared_sequence", json_int(e->shared_seq));
		json_object_array_add(a, x);
	}
	json_add(o, "extents", a);
}

/* ---- human ---------------------------------------------------------------- */

static void fmt_size(struct json_object *v, char *buf, size_t len)
{
	format_size((uint64_t)json_object_get_int64(v), buf, len);
}

static void fmt_sizes(struct json_object *v, char *buf, size_t len)
{
	size_t used = 0, n = json_object_array_length(v);
	char one[32];

	snprintf(buf, len, "-");
	for (size_t i = 0; i < n && used < len; i++) {
		fmt_size(json_object_array_get_idx(v, i), one, sizeof(one));
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "", one);
	}
}

static const struct column info_region_cols[] = {
	{ "REGION", "region_id", NULL },
	{ "BLOCK_SIZES", "supported_block_sizes_bytes", fmt_sizes },
	{ "SANITIZE_SETTABLE", "sanitize_on_release_configurable", NULL },
};

static const struct column region_cols[] = {
	{ "REGION", "region_id", NULL },
	{ "BASE", "base", NULL },
	{ "DECODE_LEN", "decode_length_bytes", fmt_size },
	{ "LENGTH", "length_bytes", fmt_size },
	{ "BLOCK", "block_size_bytes", fmt_size },
	{ "SANITIZE", "sanitize_on_release", NULL },
	{ "ATTRIBUTES", "attributes", NULL },
};

static const struct column extent_cols[] = {
	{ "START_DPA", "start_dpa", NULL },
	{ "LENGTH", "length_bytes", fmt_size },
	{ "TAG", "tag", NULL },
	{ "SEQ", "shared_sequence", NULL },
};

/* Take an array out of o to print it as a table after the fields. */
static struct json_object *take(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	json_object_get(v);
	json_object_object_del(o, key);
	return v;
}

static void table(const char *title, struct json_object *rows,
		  const struct column *cols, size_t n)
{
	if (!rows)
		return;
	if (!json_object_array_length(rows))
		printf("%s: none\n", title);
	else {
		printf("%s:\n", title);
		print_table(rows, cols, n, "  ");
	}
	json_object_put(rows);
}

void dc_human(struct json_object *o)
{
	struct json_object *regions = take(o, "regions");
	struct json_object *extents = take(o, "extents");
	struct json_object *first;
	bool info = false;

	if (regions && json_object_array_length(regions)) {
		first = json_object_array_get_idx(regions, 0);
		info = json_object_object_get_ex(first,
						 "supported_block_sizes_bytes",
						 NULL);
	}
	if (json_object_object_get_ex(o, "status", NULL))
		change_human(o);
	else
		print_fields(o, "");
	if (info)
		table("regions", regions, info_region_cols,
		      ARRAY_SIZE(info_region_cols));
	else
		table("regions", regions, region_cols, ARRAY_SIZE(region_cols));
	table("extents", extents, extent_cols, ARRAY_SIZE(extent_cols));
}

/* ---- changes -------------------------------------------------------------- */

int dc_change_run(const char *cmd, const char *name, const void *args,
		  change_check_fn check, dc_after_fn after,
		  const struct change_opts *o)
{
	struct change c = { .cmd = cmd, .port = global_target.port };
	struct json_object *result = NULL, *status;
	int code;

	c.dev = cli_open_target(cmd, name, &code);
	if (!c.dev)
		return code;
	code = change_lock(cmd, c.dev, o);
	if (!code)
		code = check(NULL, args, &c);
	if (!code) {
		c.out_len = sizeof(c.out);
		code = change_apply(&c, o, c.out, &c.out_len, &result);
	}
	if (!code && result) {
		/* what the host has now, once the device says it is done */
		if (json_object_object_get_ex(result, "status", &status) &&
		    !strcmp(json_object_get_string(status), "done"))
			after(&c, result);
		code = emit(result, dc_human);
	}
	cxlsw_dev_close(c.dev);
	return code;
}
