// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: write a model back as topology JSON, every key in
 * the documented order, so a saved file loads again and saves byte for
 * byte the same.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "json-put.h"
#include "names.h"
#include "topology.h"
#include "topology-device.h"

static json_object *opt_u8(int v)
{
	return v == MODEL_NONE ? NULL : json_object_new_int(v);
}

static json_object *version_bits(uint8_t bits)
{
	json_object *a = json_object_new_array();

	for (unsigned int i = 0; i < 8; i++)
		if (bits & (1u << i))
			json_object_array_add(a,
				jput_code(&names_version_bits, i));
	return a;
}

static json_object *link_flags(uint16_t f)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "lane_reversal",
			       json_object_new_boolean(f & 1));
	json_object_object_add(o, "perst_asserted",
			       json_object_new_boolean(f & 2));
	json_object_object_add(o, "prsnt_detected",
			       json_object_new_boolean(f & 4));
	json_object_object_add(o, "power_off",
			       json_object_new_boolean(f & 8));
	return o;
}

/* the configuration space, only when it differs from the power-on one */
static json_object *config_space(const struct model *m,
				 const struct model_port *p)
{
	static const char digits[] = "0123456789abcdef";
	uint8_t init[MODEL_CFG_SIZE];
	char hexs[2 * MODEL_CFG_SIZE + 1];

	model_cfg_init(m, p, init);
	if (!p->cfg || !memcmp(init, p->cfg, MODEL_CFG_SIZE))
		return NULL;
	for (unsigned int i = 0; i < MODEL_CFG_SIZE; i++) {
		hexs[2 * i] = digits[p->cfg[i] >> 4];
		hexs[2 * i + 1] = digits[p->cfg[i] & 0xf];
	}
	hexs[2 * MODEL_CFG_SIZE] = '\0';
	return json_object_new_string(hexs);
}

static json_object *port(const struct model *m, const struct model_port *p)
{
	json_object *o = json_object_new_object();
	json_object *cfg = config_space(m, p);

#define ADD(k, v) json_object_object_add(o, k, v)
	ADD("port_id", json_object_new_int(p->port_id));
	ADD("config_state", jput_code(&names_config_state, p->config_state));
	ADD("connected_cxl_version",
	    jput_code(&names_cxl_version, p->cxl_version));
	ADD("connected_device_type",
	    jput_code(&names_device_type, p->device_type));
	ADD("supported_cxl_versions", version_bits(p->supported_versions));
	ADD("max_link_width", json_object_new_int(p->max_width));
	ADD("negotiated_link_width", json_object_new_int(p->neg_width));
	ADD("supported_link_speeds_gts", jput_speed_bits(p->speeds));
	ADD("max_link_speed_gts", jput_speed(p->max_speed));
	ADD("current_link_speed_gts", jput_speed(p->cur_speed));
	ADD("ltssm_state", jput_code(&names_ltssm, p->ltssm));
	ADD("first_negotiated_lane", json_object_new_int(p->first_lane));
	ADD("link_state_flags", link_flags(p->link_flags));
	ADD("supported_ld_count", json_object_new_int(p->ld_count));
	if (cfg)
		ADD("config_space", cfg);
	if (p->dev)
		ADD("device", device_to_json(p->dev));
#undef ADD
	return o;
}

static json_object *vcs(const struct model_vcs *v)
{
	json_object *o = json_object_new_object();
	json_object *a = json_object_new_array();

	json_object_object_add(o, "vcs_id", json_object_new_int(v->vcs_id));
	json_object_object_add(o, "state",
			       jput_code(&names_vcs_state, v->state));
	json_object_object_add(o, "usp_id", json_object_new_int(v->usp_id));
	for (unsigned int i = 0; i < v->nr_vppbs; i++) {
		const struct model_vppb *b = &v->vppbs[i];
		json_object *e = json_object_new_object();

		json_object_object_add(e, "vppb_id", json_object_new_int(i));
		json_object_object_add(e, "binding_status",
				       jput_code(&names_binding, b->binding));
		json_object_object_add(e, "port_id", opt_u8(b->port_id));
		json_object_object_add(e, "ld_id", opt_u8(b->ld_id));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "vppbs", a);
	return o;
}

static json_object *model_to_json(const struct model *m)
{
	json_object *o = json_object_new_object();
	json_object *ports = json_object_new_array();
	json_object *vcss = json_object_new_array();

	json_object_object_add(o, "identify", jput_identify(&m->id));
	json_object_object_add(o, "max_msg_size",
			       json_object_new_int(1 << m->msg_log2));
	json_object_object_add(o, "ingress_port_id",
			       json_object_new_int(m->ingress_port));
	json_object_object_add(o, "hdm_decoders_per_usp",
			       json_object_new_int(m->hdm_decoders));
	for (unsigned int i = 0; i < m->nr_ports; i++)
		json_object_array_add(ports, port(m, &m->ports[i]));
	json_object_object_add(o, "ports", ports);
	for (unsigned int i = 0; i < m->nr_vcss; i++)
		json_object_array_add(vcss, vcs(&m->vcss[i]));
	json_object_object_add(o, "vcss", vcss);
	topology_save_fw_events(m, o);
	return o;
}

int topology_save(const struct model *m, const char *path)
{
	json_object *o = model_to_json(m);
	FILE *f = fopen(path, "w");
	int rc = -1;

	if (f) {
		fputs(json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		rc = fclose(f) ? -1 : 0;
	}
	if (rc)
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", path,
			strerror(errno));
	json_object_put(o);
	return rc;
}
