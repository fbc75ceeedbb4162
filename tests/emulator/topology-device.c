// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: a port's "device" object (tests/topologies/
 * README.md) loaded into a model_device and written back, in the same
 * style as the switch's keys: every key required unless documented
 * optional, unknown keys rejected, one line naming file and key.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-get.h"
#include "json-put.h"
#include "names.h"
#include "topology-device.h"

#define GET(c, obj, key, max, dst) ({					\
	uint64_t _v;							\
	int _rc = jget_u64(c, obj, key, max, &_v);			\
	if (!_rc)							\
		(dst) = _v;						\
	_rc; })

/* capacities: bytes, a multiple of 256 MiB (the wire's unit) */
static int get_cap(struct jget_ctx *c, json_object *obj, const char *key,
		   uint64_t *out)
{
	if (jget_u64(c, obj, key, INT64_MAX, out))
		return -1;
	if (*out % DEV_CAP_UNIT)
		return jget_fail(c, key, "not a multiple of 256 MiB");
	return 0;
}

static json_object *array(struct jget_ctx *c, json_object *obj, const char *key,
			  size_t max)
{
	json_object *a = jget_member(obj, key);

	if (!json_object_is_type(a, json_type_array)) {
		jget_fail(c, key, "expected an array");
		return NULL;
	}
	if (json_object_array_length(a) > max) {
		jget_fail(c, key, "too many entries");
		return NULL;
	}
	return a;
}

/* a list of names -> bits */
static int get_name_bits(struct jget_ctx *c, json_object *obj, const char *key,
			 const char *const *names, uint16_t *out)
{
	json_object *a = array(c, obj, key, 16);

	*out = 0;
	if (!a)
		return -1;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		int bit = -1;

		for (int n = 0; names[n] && json_object_is_type(v,
		     json_type_string); n++)
			if (!strcmp(names[n], json_object_get_string(v)))
				bit = n;
		if (bit < 0)
			return jget_fail(c, key, "unknown name");
		*out |= 1u << bit;
	}
	return 0;
}

static const char *const qos_cap_keys[] = { "egress_port_congestion",
	"temporary_throughput_reduction", NULL };
static const char *const qos_ctl_flag_keys[] = {
	"egress_port_congestion_enable",
	"temporary_throughput_reduction_enable", NULL };
static const char *const link_flag_keys[] = { "lane_reversal",
	"perst_asserted", "prsnt_detected", "power_off", NULL };
static const char *const sel_policy_names[] = { "free", "contiguous",
	"prescriptive", "enable_shared_access", NULL };
static const char *const rem_policy_names[] = { "tag_based",
	"prescriptive", NULL };
static const char *const granularity_names[] = { "256MiB", "512MiB",
	"1GiB", NULL };

static int load_identify(struct jget_ctx *c, json_object *obj,
			 struct model_identify *id)
{
	static const char *const keys[] = { "vendor_id", "device_id",
		"subsys_vendor_id", "subsys_id", "serial", "component_type",
		NULL };
	json_object *o = jget_member(obj, "identify");
	size_t len = jget_push(c, "identify.");
	uint64_t vid, did, svid, sid;
	json_object *t;
	unsigned int type;
	int rc;

	rc = jget_check_keys(c, o, keys, NULL) ||
	     jget_hex(c, o, "vendor_id", 0xffff, &vid) ||
	     jget_hex(c, o, "device_id", 0xffff, &did) ||
	     jget_hex(c, o, "subsys_vendor_id", 0xffff, &svid) ||
	     jget_hex(c, o, "subsys_id", 0xffff, &sid) ||
	     jget_hex(c, o, "serial", UINT64_MAX, &id->serial);
	if (!rc) {
		t = jget_member(o, "component_type");
		if (json_object_is_type(t, json_type_int))
			rc = GET(c, o, "component_type", 0xff, type);
		else if (!json_object_is_type(t, json_type_string) ||
			 name_to_val(&names_component,
				     json_object_get_string(t), &type))
			rc = jget_fail(c, "component_type", "unknown name");
	}
	c->where[len] = '\0';
	if (rc)
		return -1;
	id->vendor_id = vid;
	id->device_id = did;
	id->subsys_vendor_id = svid;
	id->subsys_id = sid;
	id->component_type = type;
	return 0;
}

static int load_memdev(struct jget_ctx *c, json_object *obj,
		       struct dev_memdev *m)
{
	static const char *const keys[] = { "fw_revision",
		"total_capacity_bytes", "volatile_only_capacity_bytes",
		"persistent_only_capacity_bytes", "partition_align_bytes",
		"info_event_log_size", "warning_event_log_size",
		"failure_event_log_size", "fatal_event_log_size",
		"dc_event_log_size", "lsa_size", "poison_list_max_records",
		"inject_poison_limit", "poison_handling_caps",
		"qos_telemetry_caps", NULL };
	static const char *const logs[] = { "info_event_log_size",
		"warning_event_log_size", "failure_event_log_size",
		"fatal_event_log_size", "dc_event_log_size" };
	json_object *o = jget_member(obj, "memdev");
	size_t len = jget_push(c, "memdev.");
	json_object *fw;
	unsigned int caps;
	int rc;

	rc = jget_check_keys(c, o, keys, NULL);
	fw = jget_member(o, "fw_revision");
	if (!rc && (!json_object_is_type(fw, json_type_string) ||
		    json_object_get_string_len(fw) > 16))
		rc = jget_fail(c, "fw_revision",
			       "expected at most 16 characters");
	if (!rc)
		snprintf(m->fw_revision, sizeof(m->fw_revision), "%s",
			 json_object_get_string(fw));
	rc = rc || get_cap(c, o, "total_capacity_bytes", &m->total) ||
	     get_cap(c, o, "volatile_only_capacity_bytes",
		     &m->volatile_only) ||
	     get_cap(c, o, "persistent_only_capacity_bytes",
		     &m->persistent_only) ||
	     get_cap(c, o, "partition_align_bytes", &m->partition_align);
	for (int i = 0; !rc && i < 5; i++)
		rc = GET(c, o, logs[i], 0xffff, m->event_log_size[i]);
	rc = rc || GET(c, o, "lsa_size", UINT32_MAX, m->lsa_size) ||
	     GET(c, o, "poison_list_max_records", 0xffffff, m->poison_max) ||
	     GET(c, o, "inject_poison_limit", 0xffff,
		 m->inject_poison_limit) ||
	     GET(c, o, "poison_handling_caps", 0xff, m->poison_caps) ||
	     jget_flags(c, o, "qos_telemetry_caps", qos_cap_keys, &caps);
	if (!rc)
		m->qos_caps = caps;
	c->where[len] = '\0';
	return rc ? -1 : 0;
}

/* optional bytes as hex digits, exactly len of them */
static int get_bytes(struct jget_ctx *c, json_object *o, const char *key,
		     uint8_t *out, size_t len)
{
	json_object *v = jget_member(o, key);
	const char *s;

	if (!v)
		return 0;
	s = json_object_get_string(v);
	if (!json_object_is_type(v, json_type_string) ||
	    strlen(s) != 2 * len)
		return jget_fail(c, key, "expected hex digits, two per byte");
	for (size_t i = 0; i < len; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], '\0' };

		if (!isxdigit((unsigned char)byte[0]) ||
		    !isxdigit((unsigned char)byte[1]))
			return jget_fail(c, key, "not a hex digit");
		out[i] = (uint8_t)strtoul(byte, NULL, 16);
	}
	return 0;
}

/* saved only when some byte is not 0, so a file without it saves the same */
static void put_bytes(json_object *o, const char *key, const uint8_t *b,
		      size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s;
	size_t i;

	for (i = 0; i < len && !b[i]; i++)
		;
	if (i == len)
		return;
	s = malloc(2 * len + 1);
	if (!s)
		return;
	for (i = 0; i < len; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 0xf];
	}
	s[2 * len] = '\0';
	json_object_object_add(o, key, json_object_new_string(s));
	free(s);
}

static int load_ld(struct jget_ctx *c, json_object *o, unsigned int idx,
		   struct dev_ld *ld)
{
	static const char *const keys[] = { "ld_id", "range1_multiplier",
		"range2_multiplier", "qos_allocated_bw", "qos_bw_limit", NULL };
	static const char *const optional[] = { "config_space_80h", "mmio",
		NULL };
	unsigned int id = 0;

	if (jget_check_keys(c, o, keys, optional) ||
	    get_bytes(c, o, "config_space_80h", ld->cfg_rw, DEV_LD_CFG_RW) ||
	    get_bytes(c, o, "mmio", ld->mmio, DEV_LD_MMIO_SIZE) ||
	    GET(c, o, "ld_id", 255, id) ||
	    GET(c, o, "range1_multiplier", INT64_MAX, ld->range1) ||
	    GET(c, o, "range2_multiplier", INT64_MAX, ld->range2) ||
	    GET(c, o, "qos_allocated_bw", 255, ld->bw_alloc) ||
	    GET(c, o, "qos_bw_limit", 255, ld->bw_limit))
		return -1;
	if (id != idx)
		return jget_fail(c, "ld_id", "must equal its index in lds");
	return 0;
}

static int load_mld(struct jget_ctx *c, json_object *obj, struct dev_mld *mld)
{
	static const char *const keys[] = { "memory_size_bytes",
		"granularity", "lds", "qos_control",
		"backpressure_average_percent", NULL };
	static const char *const qkeys[] = { "egress_port_congestion_enable",
		"temporary_throughput_reduction_enable",
		"egress_moderate_percent", "egress_severe_percent",
		"backpressure_sample_interval", "req_cmpl_basis",
		"completion_collection_interval", NULL };
	json_object *o = jget_member(obj, "mld"), *a, *q, *g;
	uint64_t units = 0;
	unsigned int flags;
	int gran = -1;

	jget_push(c, "mld.");
	if (jget_check_keys(c, o, keys, NULL) ||
	    get_cap(c, o, "memory_size_bytes", &mld->memory_size))
		return -1;
	g = jget_member(o, "granularity");
	for (int i = 0; granularity_names[i]; i++)
		if (json_object_is_type(g, json_type_string) &&
		    !strcmp(json_object_get_string(g), granularity_names[i]))
			gran = i;
	if (gran < 0)
		return jget_fail(c, "granularity",
				 "not 256MiB, 512MiB or 1GiB");
	mld->granularity = gran;
	if (GET(c, o, "backpressure_average_percent", 100, mld->bp_average))
		return -1;
	a = array(c, o, "lds", DEV_MAX_LDS);
	if (!a)
		return -1;
	mld->nr_lds = json_object_array_length(a);
	for (unsigned int i = 0; i < mld->nr_lds; i++) {
		size_t len = jget_push(c, "lds[%u].", i);

		if (load_ld(c, json_object_array_get_idx(a, i), i,
			    &mld->ld[i]))
			return -1;
		units += mld->ld[i].range1 + mld->ld[i].range2;
		c->where[len] = '\0';
	}
	if (units * device_granularity(mld) > mld->memory_size)
		return jget_fail(c, "lds",
				 "allocations beyond memory_size_bytes");
	q = jget_member(o, "qos_control");
	jget_push(c, "qos_control.");
	if (jget_check_keys(c, q, qkeys, NULL) ||
	    GET(c, q, "egress_moderate_percent", 100, mld->egress_moderate) ||
	    GET(c, q, "egress_severe_percent", 100, mld->egress_severe) ||
	    GET(c, q, "backpressure_sample_interval", 15, mld->bp_interval) ||
	    GET(c, q, "req_cmpl_basis", 0xffff, mld->req_cmpl_basis) ||
	    GET(c, q, "completion_collection_interval", 255,
		mld->cc_interval))
		return -1;
	/*
	 * r3.1 QoS Control: the percentages are 1-100 and a Set of 0 is
	 * refused (model-mld.c), but the file may give 0: a device outside
	 * the spec that reports one, to check that clients cope with it.
	 */
	flags = 0;
	for (int i = 0; qos_ctl_flag_keys[i]; i++) {
		int b;

		if (jget_bool(c, q, qos_ctl_flag_keys[i], &b))
			return -1;
		flags |= b << i;
	}
	mld->qos_ctl_flags = flags;
	return 0;
}

static int get_speed_code(struct jget_ctx *c, json_object *o, const char *key,
			  uint8_t *out)
{
	json_object *v = jget_member(o, key);
	int i;

	*out = 0;
	if (!v)
		return 0;
	i = json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_int) ?
	    speed_index(json_object_get_double(v)) : -1;
	if (i < 0)
		return jget_fail(c, key,
				 "not one of 2.5 5.0 8.0 16.0 32.0 64.0");
	*out = i + 1;
	return 0;
}

static int load_head(struct jget_ctx *c, json_object *o, struct dev_head *h)
{
	static const char *const keys[] = { "port_number", "max_link_width",
		"negotiated_link_width", "supported_link_speeds_gts",
		"max_link_speed_gts", "current_link_speed_gts", "ltssm_state",
		"first_negotiated_lane", "link_state_flags", NULL };
	json_object *a, *l;
	unsigned int ltssm, flags;

	if (jget_check_keys(c, o, keys, NULL) ||
	    GET(c, o, "port_number", 255, h->port_number) ||
	    GET(c, o, "max_link_width", 255, h->max_width) ||
	    GET(c, o, "negotiated_link_width", 255, h->neg_width) ||
	    GET(c, o, "first_negotiated_lane", 255, h->first_lane) ||
	    get_speed_code(c, o, "max_link_speed_gts", &h->max_speed) ||
	    get_speed_code(c, o, "current_link_speed_gts", &h->cur_speed) ||
	    jget_flags(c, o, "link_state_flags", link_flag_keys, &flags))
		return -1;
	h->flags = flags;
	l = jget_member(o, "ltssm_state");
	if (json_object_is_type(l, json_type_int)) {
		if (GET(c, o, "ltssm_state", 255, ltssm))
			return -1;
	} else if (!json_object_is_type(l, json_type_string) ||
		   name_to_val(&names_ltssm, json_object_get_string(l),
			       &ltssm)) {
		return jget_fail(c, "ltssm_state", "unknown name");
	}
	h->ltssm = ltssm;
	a = array(c, o, "supported_link_speeds_gts", NR_LINK_SPEEDS);
	if (!a)
		return -1;
	h->speeds = 0;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		int bit = json_object_is_type(v, json_type_double) ||
			  json_object_is_type(v, json_type_int) ?
			  speed_index(json_object_get_double(v)) : -1;

		if (bit < 0)
			return jget_fail(c, "supported_link_speeds_gts",
				"not one of 2.5 5.0 8.0 16.0 32.0 64.0");
		h->speeds |= 1u << bit;
	}
	return 0;
}

static int load_mhd(struct jget_ctx *c, json_object *obj, struct dev_mhd *mhd)
{
	static const char *const keys[] = { "ld_to_head", "heads", NULL };
	json_object *o = jget_member(obj, "mhd"), *a, *h;

	jget_push(c, "mhd.");
	if (jget_check_keys(c, o, keys, NULL))
		return -1;
	h = array(c, o, "heads", DEV_MAX_HEADS);
	a = h ? array(c, o, "ld_to_head", DEV_MAX_LDS) : NULL;
	if (!a)
		return -1;
	mhd->nr_heads = json_object_array_length(h);
	mhd->nr_map = json_object_array_length(a);
	for (unsigned int i = 0; i < mhd->nr_map; i++) {
		json_object *v = json_object_array_get_idx(a, i);
		int64_t n = json_object_get_int64(v);

		if (!json_object_is_type(v, json_type_int) || n < 0 ||
		    n >= mhd->nr_heads)
			return jget_fail(c, "ld_to_head", "not a head number");
		mhd->ld_to_head[i] = n;
	}
	for (unsigned int i = 0; i < mhd->nr_heads; i++) {
		size_t len = jget_push(c, "heads[%u].", i);

		if (load_head(c, json_object_array_get_idx(h, i),
			      &mhd->heads[i]))
			return -1;
		c->where[len] = '\0';
	}
	return 0;
}

/* "0da9c0b5-bf41-4b78-8f79-96b1623b3f17", bytes in the order written */
static int parse_uuid(const char *s, uint8_t *u)
{
	static const int dash[] = { 8, 13, 18, 23 };

	if (!s || strlen(s) != 36)
		return -1;
	for (int i = 0; i < 4; i++)
		if (s[dash[i]] != '-')
			return -1;
	for (int i = 0, n = 0; i < 36; i++) {
		unsigned int v;

		if (s[i] == '-')
			continue;
		if (sscanf(s + i, "%2x", &v) != 1 || s[i + 1] == '-')
			return -1;
		u[n++] = v;
		i++;
	}
	return 0;
}

static int load_extent(struct jget_ctx *c, json_object *o, struct dev_extent *e)
{
	static const char *const keys[] = { "start_dpa", "length_bytes", "tag",
		"shared_sequence", NULL };

	if (jget_check_keys(c, o, keys, NULL) ||
	    jget_hex(c, o, "start_dpa", UINT64_MAX, &e->dpa) ||
	    GET(c, o, "length_bytes", INT64_MAX, e->len) ||
	    GET(c, o, "shared_sequence", 0xffff, e->seq))
		return -1;
	if (parse_uuid(json_object_get_string(jget_member(o, "tag")), e->tag))
		return jget_fail(c, "tag", "expected a UUID string");
	return 0;
}

static int load_host(struct jget_ctx *c, json_object *o, unsigned int idx,
		     struct dev_dc_host *h, unsigned int max)
{
	static const char *const keys[] = { "host_id", "generation",
		"extents", NULL };
	unsigned int id = 0;
	json_object *a;

	if (jget_check_keys(c, o, keys, NULL) ||
	    GET(c, o, "host_id", 0xffff, id) ||
	    GET(c, o, "generation", UINT32_MAX, h->generation))
		return -1;
	if (id != idx)
		return jget_fail(c, "host_id", "must equal its index in hosts");
	a = array(c, o, "extents", max);
	if (!a)
		return -1;
	h->nr_extents = json_object_array_length(a);
	for (unsigned int i = 0; i < h->nr_extents; i++) {
		size_t len = jget_push(c, "extents[%u].", i);

		if (load_extent(c, json_object_array_get_idx(a, i),
				&h->extents[i]))
			return -1;
		c->where[len] = '\0';
	}
	return 0;
}

static int load_region(struct jget_ctx *c, json_object *o, unsigned int idx,
		       struct dev_dc_region *r)
{
	static const char *const keys[] = { "region_id", "base",
		"decode_length_bytes", "length_bytes", "block_size_bytes",
		"supported_block_sizes_bytes", "sanitize_on_release", "flags",
		NULL };
	static const char *const optional[] = {
		"sanitize_on_release_configurable", NULL };
	unsigned int id = 0;
	int san, cfg = 1;
	json_object *a;

	if (jget_check_keys(c, o, keys, optional) ||
	    (jget_member(o, "sanitize_on_release_configurable") &&
	     jget_bool(c, o, "sanitize_on_release_configurable", &cfg)) ||
	    GET(c, o, "region_id", 7, id) ||
	    jget_hex(c, o, "base", UINT64_MAX, &r->base) ||
	    get_cap(c, o, "decode_length_bytes", &r->decode_len) ||
	    GET(c, o, "length_bytes", INT64_MAX, r->len) ||
	    GET(c, o, "block_size_bytes", INT64_MAX, r->block) ||
	    jget_bool(c, o, "sanitize_on_release", &san) ||
	    GET(c, o, "flags", 255, r->flags))
		return -1;
	if (id != idx)
		return jget_fail(c, "region_id",
				 "must equal its index in regions");
	r->sanitize = san;
	r->sanitize_fixed = !cfg;
	a = array(c, o, "supported_block_sizes_bytes", 64);
	if (!a)
		return -1;
	r->block_mask = 0;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		int64_t n = json_object_get_int64(json_object_array_get_idx(a,
									i));

		if (n <= 0 || (n & (n - 1)))
			return jget_fail(c, "supported_block_sizes_bytes",
					 "not a power of two");
		r->block_mask |= (uint64_t)n;
	}
	if (!(r->block_mask & r->block) || (r->block & (r->block - 1)))
		return jget_fail(c, "block_size_bytes",
				 "not one of supported_block_sizes_bytes");
	if (r->len > r->decode_len || r->len % r->block)
		return jget_fail(c, "length_bytes",
			"beyond the decode length or not whole blocks");
	return 0;
}

static int load_dcd(struct jget_ctx *c, json_object *obj, struct dev_dcd *d)
{
	static const char *const keys[] = { "host_count",
		"selection_policies", "removal_policies",
		"total_capacity_bytes", "extents_supported", "tags_supported",
		"regions", "hosts", NULL };
	json_object *o = jget_member(obj, "dcd"), *a;

	jget_push(c, "dcd.");
	if (jget_check_keys(c, o, keys, NULL) ||
	    GET(c, o, "host_count", DEV_MAX_DC_HOSTS, d->nr_hosts) ||
	    get_name_bits(c, o, "selection_policies", sel_policy_names,
			  &d->sel_policies) ||
	    get_name_bits(c, o, "removal_policies", rem_policy_names,
			  &d->rem_policies) ||
	    get_cap(c, o, "total_capacity_bytes", &d->total) ||
	    GET(c, o, "extents_supported", DEV_MAX_EXTENTS,
		d->extents_supported) ||
	    GET(c, o, "tags_supported", UINT32_MAX, d->tags_supported))
		return -1;
	a = array(c, o, "regions", DEV_MAX_DC_REGIONS);
	if (!a)
		return -1;
	d->nr_regions = json_object_array_length(a);
	for (unsigned int i = 0; i < d->nr_regions; i++) {
		size_t len = jget_push(c, "regions[%u].", i);

		if (load_region(c, json_object_array_get_idx(a, i), i,
				&d->regions[i]))
			return -1;
		c->where[len] = '\0';
	}
	a = array(c, o, "hosts", DEV_MAX_DC_HOSTS);
	if (!a)
		return -1;
	if (json_object_array_length(a) != d->nr_hosts)
		return jget_fail(c, "hosts", "must list host_count hosts");
	for (unsigned int i = 0, total = 0; i < d->nr_hosts; i++) {
		size_t len = jget_push(c, "hosts[%u].", i);

		if (load_host(c, json_object_array_get_idx(a, i), i,
			      &d->hosts[i], d->extents_supported))
			return -1;
		c->where[len] = '\0';
		/* the device's budget holds every host's extents */
		total += d->hosts[i].nr_extents;
		if (total > d->extents_supported)
			return jget_fail(c, "hosts", "more extents than "
					 "extents_supported");
	}
	return 0;
}

static int load_msg_size(struct jget_ctx *c, json_object *o, uint8_t *log2)
{
	unsigned int size = 0, l = 0;

	if (GET(c, o, "max_msg_size", 1u << MODEL_MSG_LOG2_MAX, size))
		return -1;
	while ((1u << l) < size)
		l++;
	if ((1u << l) != size || l < MODEL_MSG_LOG2_MIN)
		return jget_fail(c, "max_msg_size",
				 "must be a power of two from 256 to 1048576");
	*log2 = l;
	return 0;
}

/* optional: 5 settings bytes, as 0x0102 answers them */
static int load_ev_policy(struct jget_ctx *c, json_object *o,
			  struct model_device *d)
{
	json_object *a = jget_member(o, "event_interrupt_policy");

	if (!a)
		return 0;
	if (!json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != sizeof(d->ev_policy))
		return jget_fail(c, "event_interrupt_policy",
				 "expected 5 settings bytes");
	for (size_t i = 0; i < sizeof(d->ev_policy); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		int64_t n = json_object_get_int64(v);

		if (!json_object_is_type(v, json_type_int) || n < 0 || n > 255)
			return jget_fail(c, "event_interrupt_policy",
					 "expected 5 settings bytes");
		d->ev_policy[i] = (uint8_t)n;
	}
	return 0;
}

static json_object *ev_policy_json(const struct model_device *d)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < sizeof(d->ev_policy); i++)
		json_object_array_add(a, json_object_new_int(d->ev_policy[i]));
	return a;
}

static int load(struct jget_ctx *c, json_object *o, struct model_device *d)
{
	static const char *const keys[] = { "identify", "max_msg_size",
		"memdev", "host_memdev", NULL };
	static const char *const optional[] = { "mld", "mhd", "dcd",
		"event_interrupt_policy", NULL };
	json_object *h;
	size_t len;

	if (jget_check_keys(c, o, keys, optional) ||
	    load_identify(c, o, &d->id) || load_msg_size(c, o, &d->msg_log2) ||
	    load_memdev(c, o, &d->mem) || load_ev_policy(c, o, d))
		return -1;
	d->resp_log2 = d->msg_log2;
	h = jget_member(o, "host_memdev");
	if (h && (!json_object_is_type(h, json_type_string) ||
		  strncmp(json_object_get_string(h), "mem", 3) ||
		  json_object_get_string_len(h) > 16))
		return jget_fail(c, "host_memdev", "expected null or \"memN\"");
	if (h)
		d->host_memdev = strdup(json_object_get_string(h));
	len = strlen(c->where);
	if (jget_member(o, "mld")) {
		d->mld = calloc(1, sizeof(*d->mld));
		if (!d->mld || load_mld(c, o, d->mld))
			return -1;
		c->where[len] = '\0';
	}
	if (jget_member(o, "mhd")) {
		d->mhd = calloc(1, sizeof(*d->mhd));
		if (!d->mhd || load_mhd(c, o, d->mhd))
			return -1;
		c->where[len] = '\0';
	}
	if (jget_member(o, "dcd")) {
		d->dcd = calloc(1, sizeof(*d->dcd));
		if (!d->dcd)
			return -1;
		for (unsigned int i = 0; i < DEV_MAX_DC_HOSTS; i++) {
			d->dcd->hosts[i].extents = calloc(DEV_MAX_EXTENTS,
						sizeof(struct dev_extent));
			if (!d->dcd->hosts[i].extents)
				return jget_fail(c, "dcd", "out of memory");
		}
		if (load_dcd(c, o, d->dcd))
			return -1;
	}
	return 0;
}

int device_load(const char *file, const char *where, json_object *obj,
		struct model_port *p)
{
	struct jget_ctx c = { .file = file };
	struct model_device *d;

	snprintf(c.where, sizeof(c.where), "%sdevice.", where);
	d = calloc(1, sizeof(*d));
	if (!d)
		return jget_fail(&c, "", "out of memory");
	if (load(&c, obj, d)) {
		device_free(d);
		return -1;
	}
	p->dev = d;
	return 0;
}

/* ---- saving ---- */

static json_object *u64(uint64_t v)
{
	return json_object_new_int64(v);
}

static json_object *flags(const char *const *keys, unsigned int bits)
{
	json_object *o = json_object_new_object();

	for (int i = 0; keys[i]; i++)
		json_object_object_add(o, keys[i],
			json_object_new_boolean(bits & (1u << i)));
	return o;
}

static json_object *name_bits(const char *const *names, unsigned int bits)
{
	json_object *a = json_object_new_array();

	for (int i = 0; names[i]; i++)
		if (bits & (1u << i))
			json_object_array_add(a,
				json_object_new_string(names[i]));
	return a;
}

static json_object *memdev_json(const struct dev_memdev *m)
{
	static const char *const logs[] = { "info_event_log_size",
		"warning_event_log_size", "failure_event_log_size",
		"fatal_event_log_size", "dc_event_log_size" };
	json_object *o = json_object_new_object();

#define ADD(k, v) json_object_object_add(o, k, v)
	ADD("fw_revision", json_object_new_string(m->fw_revision));
	ADD("total_capacity_bytes", u64(m->total));
	ADD("volatile_only_capacity_bytes", u64(m->volatile_only));
	ADD("persistent_only_capacity_bytes", u64(m->persistent_only));
	ADD("partition_align_bytes", u64(m->partition_align));
	for (int i = 0; i < 5; i++)
		ADD(logs[i], u64(m->event_log_size[i]));
	ADD("lsa_size", u64(m->lsa_size));
	ADD("poison_list_max_records", u64(m->poison_max));
	ADD("inject_poison_limit", u64(m->inject_poison_limit));
	ADD("poison_handling_caps", u64(m->poison_caps));
	ADD("qos_telemetry_caps", flags(qos_cap_keys, m->qos_caps));
#undef ADD
	return o;
}

static json_object *mld_json(const struct dev_mld *mld)
{
	json_object *o = json_object_new_object();
	json_object *a = json_object_new_array();
	json_object *q = json_object_new_object();

	json_object_object_add(o, "memory_size_bytes", u64(mld->memory_size));
	json_object_object_add(o, "granularity", json_object_new_string(
			       granularity_names[mld->granularity]));
	for (unsigned int i = 0; i < mld->nr_lds; i++) {
		json_object *l = json_object_new_object();

		json_object_object_add(l, "ld_id", u64(i));
		json_object_object_add(l, "range1_multiplier",
				       u64(mld->ld[i].range1));
		json_object_object_add(l, "range2_multiplier",
				       u64(mld->ld[i].range2));
		json_object_object_add(l, "qos_allocated_bw",
				       u64(mld->ld[i].bw_alloc));
		json_object_object_add(l, "qos_bw_limit",
				       u64(mld->ld[i].bw_limit));
		put_bytes(l, "config_space_80h", mld->ld[i].cfg_rw,
			  DEV_LD_CFG_RW);
		put_bytes(l, "mmio", mld->ld[i].mmio, DEV_LD_MMIO_SIZE);
		json_object_array_add(a, l);
	}
	json_object_object_add(o, "lds", a);
	for (int i = 0; qos_ctl_flag_keys[i]; i++)
		json_object_object_add(q, qos_ctl_flag_keys[i],
			json_object_new_boolean(mld->qos_ctl_flags & (1u << i)));
	json_object_object_add(q, "egress_moderate_percent",
			       u64(mld->egress_moderate));
	json_object_object_add(q, "egress_severe_percent",
			       u64(mld->egress_severe));
	json_object_object_add(q, "backpressure_sample_interval",
			       u64(mld->bp_interval));
	json_object_object_add(q, "req_cmpl_basis", u64(mld->req_cmpl_basis));
	json_object_object_add(q, "completion_collection_interval",
			       u64(mld->cc_interval));
	json_object_object_add(o, "qos_control", q);
	json_object_object_add(o, "backpressure_average_percent",
			       u64(mld->bp_average));
	return o;
}

static json_object *mhd_json(const struct dev_mhd *mhd)
{
	json_object *o = json_object_new_object();
	json_object *map = json_object_new_array();
	json_object *heads = json_object_new_array();

	for (unsigned int i = 0; i < mhd->nr_map; i++)
		json_object_array_add(map, u64(mhd->ld_to_head[i]));
	for (unsigned int i = 0; i < mhd->nr_heads; i++) {
		const struct dev_head *h = &mhd->heads[i];
		json_object *e = json_object_new_object();

#define ADD(k, v) json_object_object_add(e, k, v)
		ADD("port_number", u64(h->port_number));
		ADD("max_link_width", u64(h->max_width));
		ADD("negotiated_link_width", u64(h->neg_width));
		ADD("supported_link_speeds_gts", jput_speed_bits(h->speeds));
		ADD("max_link_speed_gts", jput_speed(h->max_speed));
		ADD("current_link_speed_gts", jput_speed(h->cur_speed));
		ADD("ltssm_state", jput_code(&names_ltssm, h->ltssm));
		ADD("first_negotiated_lane", u64(h->first_lane));
		ADD("link_state_flags", flags(link_flag_keys, h->flags));
#undef ADD
		json_object_array_add(heads, e);
	}
	json_object_object_add(o, "ld_to_head", map);
	json_object_object_add(o, "heads", heads);
	return o;
}

static json_object *uuid(const uint8_t *u)
{
	char s[37];
	int n = 0;

	for (int i = 0; i < 16; i++) {
		n += snprintf(s + n, sizeof(s) - n, "%02x", u[i]);
		if (i == 3 || i == 5 || i == 7 || i == 9)
			s[n++] = '-';
	}
	return json_object_new_string(s);
}

static json_object *dcd_json(const struct dev_dcd *d)
{
	json_object *o = json_object_new_object();
	json_object *regions = json_object_new_array();
	json_object *hosts = json_object_new_array();

	json_object_object_add(o, "host_count", u64(d->nr_hosts));
	json_object_object_add(o, "selection_policies",
			       name_bits(sel_policy_names, d->sel_policies));
	json_object_object_add(o, "removal_policies",
			       name_bits(rem_policy_names, d->rem_policies));
	json_object_object_add(o, "total_capacity_bytes", u64(d->total));
	json_object_object_add(o, "extents_supported",
			       u64(d->extents_supported));
	json_object_object_add(o, "tags_supported", u64(d->tags_supported));
	for (unsigned int i = 0; i < d->nr_regions; i++) {
		const struct dev_dc_region *r = &d->regions[i];
		json_object *e = json_object_new_object();
		json_object *sizes = json_object_new_array();

		for (int b = 0; b < 64; b++)
			if (r->block_mask & (1ull << b))
				json_object_array_add(sizes, u64(1ull << b));
#define ADD(k, v) json_object_object_add(e, k, v)
		ADD("region_id", u64(i));
		ADD("base", jput_hex(r->base, 1));
		ADD("decode_length_bytes", u64(r->decode_len));
		ADD("length_bytes", u64(r->len));
		ADD("block_size_bytes", u64(r->block));
		ADD("supported_block_sizes_bytes", sizes);
		ADD("sanitize_on_release", json_object_new_boolean(r->sanitize));
		if (r->sanitize_fixed)	/* saved only when not the default */
			ADD("sanitize_on_release_configurable",
			    json_object_new_boolean(0));
		ADD("flags", u64(r->flags));
#undef ADD
		json_object_array_add(regions, e);
	}
	json_object_object_add(o, "regions", regions);
	for (unsigned int i = 0; i < d->nr_hosts; i++) {
		const struct dev_dc_host *h = &d->hosts[i];
		json_object *e = json_object_new_object();
		json_object *ext = json_object_new_array();

		for (unsigned int j = 0; j < h->nr_extents; j++) {
			const struct dev_extent *x = &h->extents[j];
			json_object *x_o = json_object_new_object();

			json_object_object_add(x_o, "start_dpa",
					       jput_hex(x->dpa, 1));
			json_object_object_add(x_o, "length_bytes",
					       u64(x->len));
			json_object_object_add(x_o, "tag", uuid(x->tag));
			json_object_object_add(x_o, "shared_sequence",
					       u64(x->seq));
			json_object_array_add(ext, x_o);
		}
		json_object_object_add(e, "host_id", u64(i));
		json_object_object_add(e, "generation", u64(h->generation));
		json_object_object_add(e, "extents", ext);
		json_object_array_add(hosts, e);
	}
	json_object_object_add(o, "hosts", hosts);
	return o;
}

json_object *device_to_json(const struct model_device *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "identify", jput_identify(&d->id));
	json_object_object_add(o, "max_msg_size", u64(1u << d->msg_log2));
	json_object_object_add(o, "memdev", memdev_json(&d->mem));
	json_object_object_add(o, "host_memdev", d->host_memdev ?
			       json_object_new_string(d->host_memdev) : NULL);
	if (d->mld)
		json_object_object_add(o, "mld", mld_json(d->mld));
	if (d->mhd)
		json_object_object_add(o, "mhd", mhd_json(d->mhd));
	if (d->dcd)
		json_object_object_add(o, "dcd", dcd_json(d->dcd));
	/* saved only when set, so a file without it saves the same */
	for (size_t i = 0; i < sizeof(d->ev_policy); i++)
		if (d->ev_policy[i]) {
			json_object_object_add(o, "event_interrupt_policy",
					       ev_policy_json(d));
			break;
		}
	return o;
}
