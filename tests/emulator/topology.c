// SPDX-License-Identifier: LGPL-2.1-or-later
/* Emulated CXL switch: load a topology JSON file into a model. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "json-get.h"
#include "names.h"
#include "topology.h"
#include "topology-device.h"

/* port_id / ld_id of a vPPB: null or 0..255 */
static int get_opt_u8(struct jget_ctx *c, json_object *obj, const char *key,
		      int *out)
{
	unsigned int v;

	if (!jget_member(obj, key)) {
		*out = MODEL_NONE;
		return 0;
	}
	if (jget_uint(c, obj, key, 255, &v))
		return -1;
	*out = v;
	return 0;
}

/* a name from the table, or a raw integer for codes without one */
static int get_enum(struct jget_ctx *c, json_object *obj, const char *key,
		    const struct name_table *t, unsigned int *out)
{
	json_object *v = jget_member(obj, key);

	if (json_object_is_type(v, json_type_int))
		return jget_uint(c, obj, key, t->max, out);
	if (!json_object_is_type(v, json_type_string))
		return jget_fail(c, key, "expected a name or an integer");
	if (name_to_val(t, json_object_get_string(v), out))
		return jget_fail(c, key, "unknown name");
	return 0;
}

/*
 * null -> 0, else the 1-based speed code; "reserved_code_N" (N 7..255) a
 * code the spec reserves, so that a device reporting one can be modelled.
 */
static int get_speed(struct jget_ctx *c, json_object *obj, const char *key,
		     uint8_t *out)
{
	json_object *v = jget_member(obj, key);
	unsigned int code;
	char end;
	int i;

	if (!v) {
		*out = 0;
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		if (sscanf(json_object_get_string(v), "reserved_code_%u%c",
			   &code, &end) != 1 || code <= NR_LINK_SPEEDS ||
		    code > 255)
			return jget_fail(c, key,
					 "expected a speed in GT/s, null or reserved_code_N (N 7-255)");
		*out = code;
		return 0;
	}
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return jget_fail(c, key, "expected a speed in GT/s or null");
	i = speed_index(json_object_get_double(v));
	if (i < 0)
		return jget_fail(c, key,
				 "not one of 2.5 5.0 8.0 16.0 32.0 64.0");
	*out = i + 1;
	return 0;
}

static int get_speed_bits(struct jget_ctx *c, json_object *obj, const char *key,
			  uint8_t *out)
{
	json_object *a = jget_member(obj, key);

	*out = 0;
	if (!json_object_is_type(a, json_type_array))
		return jget_fail(c, key, "expected an array of speeds");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		int bit = -1;

		if (json_object_is_type(v, json_type_double) ||
		    json_object_is_type(v, json_type_int))
			bit = speed_index(json_object_get_double(v));
		if (bit < 0)
			return jget_fail(c, key,
				"not one of 2.5 5.0 8.0 16.0 32.0 64.0");
		*out |= 1u << bit;
	}
	return 0;
}

/* names for the known bits; an integer is a raw bit number */
static int get_version_bits(struct jget_ctx *c, json_object *obj,
			    const char *key, uint8_t *out)
{
	json_object *a = jget_member(obj, key);

	*out = 0;
	if (!json_object_is_type(a, json_type_array))
		return jget_fail(c, key, "expected an array of version names");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *v = json_object_array_get_idx(a, i);
		unsigned int bit;

		if (json_object_is_type(v, json_type_int)) {
			int64_t n = json_object_get_int64(v);

			if (n < 0 || n > names_version_bits.max)
				return jget_fail(c, key,
						 "bit number out of range");
			bit = n;
		} else if (!json_object_is_type(v, json_type_string) ||
			   name_to_val(&names_version_bits,
				       json_object_get_string(v), &bit)) {
			return jget_fail(c, key, "unknown CXL version");
		}
		*out |= 1u << bit;
	}
	return 0;
}

/* unlike a device's, a port's link flags say "expected an object" at the key */
static int load_link_flags(struct jget_ctx *c, json_object *obj,
			   uint16_t *out)
{
	static const char *const keys[] = { "lane_reversal", "perst_asserted",
		"prsnt_detected", "power_off", NULL };
	unsigned int flags;

	if (!json_object_is_type(jget_member(obj, "link_state_flags"),
				 json_type_object))
		return jget_fail(c, "link_state_flags", "expected an object");
	if (jget_flags(c, obj, "link_state_flags", keys, &flags))
		return -1;
	*out = flags;
	return 0;
}

/* the u8 fields of a port: key, destination offset, table or NULL, max */
struct port_field {
	const char *key;
	size_t off;
	const struct name_table *names;
	unsigned int max;
};

#define PF(k, f, t, m) { k, offsetof(struct model_port, f), t, m }
static const struct port_field port_fields[] = {
	PF("port_id", port_id, NULL, 255),
	PF("config_state", config_state, &names_config_state, 0),
	PF("connected_cxl_version", cxl_version, &names_cxl_version, 0),
	PF("connected_device_type", device_type, &names_device_type, 0),
	PF("max_link_width", max_width, NULL, 255),
	PF("negotiated_link_width", neg_width, NULL, 255),
	PF("ltssm_state", ltssm, &names_ltssm, 0),
	PF("first_negotiated_lane", first_lane, NULL, 255),
	PF("supported_ld_count", ld_count, NULL, 255),
	{ NULL, 0, NULL, 0 },
};

static const char *const port_keys[] = {
	"port_id", "config_state", "connected_cxl_version",
	"connected_device_type", "supported_cxl_versions", "max_link_width",
	"negotiated_link_width", "supported_link_speeds_gts",
	"max_link_speed_gts", "current_link_speed_gts", "ltssm_state",
	"first_negotiated_lane", "link_state_flags", "supported_ld_count",
	NULL
};

static const char *const port_optional_keys[] = { "config_space", "device",
	NULL };

/* "config_space": the 4096 bytes in hex, when a write changed them */
static int load_config_space(struct jget_ctx *c, json_object *obj,
			     struct model_port *p)
{
	json_object *v = jget_member(obj, "config_space");
	const char *s;

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) != 2 * MODEL_CFG_SIZE)
		return jget_fail(c, "config_space", "expected 8192 hex digits");
	s = json_object_get_string(v);
	p->cfg = malloc(MODEL_CFG_SIZE);
	if (!p->cfg)
		return jget_fail(c, "config_space", "out of memory");
	for (unsigned int i = 0; i < MODEL_CFG_SIZE; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], '\0' };

		if (!isxdigit((unsigned char)byte[0]) ||
		    !isxdigit((unsigned char)byte[1]))
			return jget_fail(c, "config_space", "not a hex digit");
		p->cfg[i] = strtoul(byte, NULL, 16);
	}
	return 0;
}

static int load_port(struct jget_ctx *c, json_object *obj, struct model_port *p)
{
	if (!json_object_is_type(obj, json_type_object))
		return jget_fail(c, "", "expected an object");
	if (jget_check_keys(c, obj, port_keys, port_optional_keys) ||
	    load_config_space(c, obj, p))
		return -1;
	/* optional: what answers behind the port (topology-device.c) */
	if (jget_member(obj, "device") &&
	    device_load(c->file, c->where, jget_member(obj, "device"), p))
		return -1;
	for (const struct port_field *f = port_fields; f->key; f++) {
		unsigned int v;
		int rc = f->names ? get_enum(c, obj, f->key, f->names, &v) :
				    jget_uint(c, obj, f->key, f->max, &v);

		if (rc)
			return -1;
		*((uint8_t *)p + f->off) = v;
	}
	if (get_version_bits(c, obj, "supported_cxl_versions",
			     &p->supported_versions) ||
	    get_speed_bits(c, obj, "supported_link_speeds_gts", &p->speeds) ||
	    get_speed(c, obj, "max_link_speed_gts", &p->max_speed) ||
	    get_speed(c, obj, "current_link_speed_gts", &p->cur_speed))
		return -1;
	return load_link_flags(c, obj, &p->link_flags);
}

static int load_ports(struct jget_ctx *c, json_object *root, struct model *m)
{
	json_object *a = jget_member(root, "ports");
	uint8_t seen[256] = { 0 };

	if (!json_object_is_type(a, json_type_array))
		return jget_fail(c, "ports", "expected an array");
	m->nr_ports = json_object_array_length(a);
	if (m->nr_ports > 256)
		return jget_fail(c, "ports", "more than 256 ports");
	m->ports = calloc(m->nr_ports ? m->nr_ports : 1, sizeof(*m->ports));
	if (!m->ports)
		return jget_fail(c, "ports", "out of memory");
	for (unsigned int i = 0; i < m->nr_ports; i++) {
		struct model_port *p = &m->ports[i];

		snprintf(c->where, sizeof(c->where), "ports[%u].", i);
		if (load_port(c, json_object_array_get_idx(a, i), p))
			return -1;
		if (seen[p->port_id]++)
			return jget_fail(c, "port_id", "duplicate");
	}
	c->where[0] = '\0';
	return 0;
}

/* null ids exactly where the binding status says there is nothing */
static int check_vppb(struct jget_ctx *c, const struct model_vppb *v)
{
	int want_port = v->binding == 2 || v->binding == 3;
	int want_ld = v->binding == 3;

	/* in progress or a raw code: either id may be there or not */
	if (v->binding == 1 || v->binding > 3)
		return 0;
	if (want_port != (v->port_id != MODEL_NONE))
		return jget_fail(c, "port_id", want_port ? "must not be null" :
				 "must be null for this binding_status");
	if (want_ld != (v->ld_id != MODEL_NONE))
		return jget_fail(c, "ld_id", want_ld ? "must not be null" :
				 "must be null for this binding_status");
	return 0;
}

static int load_vppb(struct jget_ctx *c, json_object *obj, unsigned int idx,
		     struct model_vppb *v)
{
	static const char *const keys[] = { "vppb_id", "binding_status",
		"port_id", "ld_id", NULL };
	unsigned int id, b;

	if (!json_object_is_type(obj, json_type_object))
		return jget_fail(c, "", "expected an object");
	if (jget_check_keys(c, obj, keys, NULL) ||
	    jget_uint(c, obj, "vppb_id", 255, &id) ||
	    get_enum(c, obj, "binding_status", &names_binding, &b) ||
	    get_opt_u8(c, obj, "port_id", &v->port_id) ||
	    get_opt_u8(c, obj, "ld_id", &v->ld_id))
		return -1;
	/* the wire lists vPPBs by position, so ids are the positions */
	if (id != idx)
		return jget_fail(c, "vppb_id", "must equal its index in vppbs");
	v->binding = b;
	return check_vppb(c, v);
}

static int load_vcs(struct jget_ctx *c, json_object *obj, unsigned int idx,
		    struct model_vcs *vcs)
{
	static const char *const keys[] = { "vcs_id", "state", "usp_id",
		"vppbs", NULL };
	unsigned int id, state, usp;
	json_object *a;

	if (!json_object_is_type(obj, json_type_object))
		return jget_fail(c, "", "expected an object");
	if (jget_check_keys(c, obj, keys, NULL) ||
	    jget_uint(c, obj, "vcs_id", 255, &id) ||
	    get_enum(c, obj, "state", &names_vcs_state, &state) ||
	    jget_uint(c, obj, "usp_id", 255, &usp))
		return -1;
	vcs->vcs_id = id;
	vcs->state = state;
	vcs->usp_id = usp;
	a = jget_member(obj, "vppbs");
	if (!json_object_is_type(a, json_type_array))
		return jget_fail(c, "vppbs", "expected an array");
	vcs->nr_vppbs = json_object_array_length(a);
	if (vcs->nr_vppbs > 255)
		return jget_fail(c, "vppbs", "more than 255 vPPBs");
	vcs->vppbs = calloc(vcs->nr_vppbs ? vcs->nr_vppbs : 1,
			    sizeof(*vcs->vppbs));
	if (!vcs->vppbs)
		return jget_fail(c, "vppbs", "out of memory");
	for (unsigned int i = 0; i < vcs->nr_vppbs; i++) {
		snprintf(c->where, sizeof(c->where), "vcss[%u].vppbs[%u].",
			 idx, i);
		if (load_vppb(c, json_object_array_get_idx(a, i), i,
			      &vcs->vppbs[i]))
			return -1;
	}
	return 0;
}

static int load_vcss(struct jget_ctx *c, json_object *root, struct model *m)
{
	json_object *a = jget_member(root, "vcss");
	uint8_t seen[256] = { 0 };

	if (!json_object_is_type(a, json_type_array))
		return jget_fail(c, "vcss", "expected an array");
	m->nr_vcss = json_object_array_length(a);
	if (m->nr_vcss > 256)
		return jget_fail(c, "vcss", "more than 256 VCSs");
	m->vcss = calloc(m->nr_vcss ? m->nr_vcss : 1, sizeof(*m->vcss));
	if (!m->vcss)
		return jget_fail(c, "vcss", "out of memory");
	for (unsigned int i = 0; i < m->nr_vcss; i++) {
		snprintf(c->where, sizeof(c->where), "vcss[%u].", i);
		if (load_vcs(c, json_object_array_get_idx(a, i), i,
			     &m->vcss[i]))
			return -1;
		snprintf(c->where, sizeof(c->where), "vcss[%u].", i);
		if (seen[m->vcss[i].vcs_id]++)
			return jget_fail(c, "vcs_id", "duplicate");
	}
	c->where[0] = '\0';
	return 0;
}

static int load_identify(struct jget_ctx *c, json_object *root, struct model *m)
{
	static const char *const keys[] = { "vendor_id", "device_id",
		"subsys_vendor_id", "subsys_id", "serial", "component_type",
		NULL };
	json_object *obj = jget_member(root, "identify");
	uint64_t vid, did, svid, sid;
	unsigned int type;
	int rc;

	if (!json_object_is_type(obj, json_type_object))
		return jget_fail(c, "identify", "expected an object");
	strcpy(c->where, "identify.");
	rc = jget_check_keys(c, obj, keys, NULL) ||
	     jget_hex(c, obj, "vendor_id", 0xffff, &vid) ||
	     jget_hex(c, obj, "device_id", 0xffff, &did) ||
	     jget_hex(c, obj, "subsys_vendor_id", 0xffff, &svid) ||
	     jget_hex(c, obj, "subsys_id", 0xffff, &sid) ||
	     jget_hex(c, obj, "serial", UINT64_MAX, &m->id.serial) ||
	     get_enum(c, obj, "component_type", &names_component, &type);
	c->where[0] = '\0';
	if (rc)
		return -1;
	m->id.vendor_id = vid;
	m->id.device_id = did;
	m->id.subsys_vendor_id = svid;
	m->id.subsys_id = sid;
	m->id.component_type = type;
	return 0;
}

static int load_msg_size(struct jget_ctx *c, json_object *root, struct model *m)
{
	unsigned int size, log2 = 0;

	if (jget_uint(c, root, "max_msg_size", 1u << MODEL_MSG_LOG2_MAX,
		      &size))
		return -1;
	while ((1u << log2) < size)
		log2++;
	if ((1u << log2) != size || log2 < MODEL_MSG_LOG2_MIN)
		return jget_fail(c, "max_msg_size",
				 "must be a power of two from 256 to 1048576");
	model_set_msg_log2(m, log2);
	return 0;
}

static int load_root(struct jget_ctx *c, json_object *root, struct model *m)
{
	static const char *const keys[] = { "identify", "max_msg_size",
		"ingress_port_id", "hdm_decoders_per_usp", "ports", "vcss",
		NULL };
	static const char *const optional[] = { "firmware", "event_logs",
		"mctp_event_interrupt_policy", "timestamp_ns", NULL };
	unsigned int ingress, hdm;

	if (!json_object_is_type(root, json_type_object))
		return jget_fail(c, "(top level)", "expected an object");
	if (jget_check_keys(c, root, keys, optional) ||
	    topology_load_fw_events(root, m, c->file) ||
	    load_identify(c, root, m) ||
	    load_msg_size(c, root, m) ||
	    jget_uint(c, root, "ingress_port_id", 255, &ingress) ||
	    jget_uint(c, root, "hdm_decoders_per_usp", 255, &hdm) ||
	    load_ports(c, root, m) || load_vcss(c, root, m))
		return -1;
	m->ingress_port = ingress;
	m->hdm_decoders = hdm;
	return model_finish(m) ? jget_fail(c, "ports", "duplicate id") : 0;
}

struct model *topology_load_string(const char *text, const char *name)
{
	struct jget_ctx c = { .file = name };
	struct json_tokener *tok = json_tokener_new();
	json_object *root;
	struct model *m;
	size_t end;

	if (!tok)
		return NULL;
	root = json_tokener_parse_ex(tok, text, strlen(text));
	if (!root) {
		enum json_tokener_error err = json_tokener_get_error(tok);

		jget_fail(&c, "(syntax)", err == json_tokener_continue ?
			  "unexpected end of file" :
			  json_tokener_error_desc(err));
		json_tokener_free(tok);
		return NULL;
	}
	/* one document per file: anything but blanks after it is an error */
	end = json_tokener_get_parse_end(tok);
	if (text[end + strspn(text + end, " \t\r\n")]) {
		jget_fail(&c, "(syntax)",
			  "trailing characters after the object");
		json_tokener_free(tok);
		json_object_put(root);
		return NULL;
	}
	json_tokener_free(tok);
	m = model_new();
	if (!m || load_root(&c, root, m)) {
		model_free(m);
		m = NULL;
	}
	json_object_put(root);
	return m;
}

struct model *topology_load_file(const char *path)
{
	FILE *f = fopen(path, "r");
	struct model *m = NULL;
	char *text = NULL;
	size_t len = 0;

	if (!f) {
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", path,
			strerror(errno));
		return NULL;
	}
	/* slurp: topology files are small, and json-c wants one string */
	if (getdelim(&text, &len, '\0', f) < 0 && ferror(f))
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", path,
			strerror(errno));
	else
		m = topology_load_string(text ? text : "", path);
	free(text);
	fclose(f);
	return m;
}
