// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * An event record as a result object, shared by events and monitor: the
 * common header field by field, then the switch records decoded, or the
 * record-specific bytes in hex when the record is of another kind.
 */
#include <string.h>

#include "cli.h"

static struct json_object *flags_json(uint32_t flags)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "permanent_condition",
		 json_boolean(flags & CXLSW_EVENT_PERMANENT));
	json_add(o, "maintenance_needed",
		 json_boolean(flags & CXLSW_EVENT_MAINTENANCE));
	json_add(o, "performance_degraded",
		 json_boolean(flags & CXLSW_EVENT_PERF_DEGRADED));
	json_add(o, "hardware_replacement_needed",
		 json_boolean(flags & CXLSW_EVENT_HW_REPLACEMENT));
	return o;
}

static struct json_object *id_or_null(uint8_t v)
{
	return v == 0xff ? NULL : json_int(v);
}

static struct json_object *bits_json(uint8_t bits,
				     const char *(*name)(unsigned int))
{
	struct json_object *a = json_object_new_array();

	for (unsigned int b = 0; b < 8; b++)
		if (bits & (1u << b))
			json_object_array_add(a, name(b) ? json_word(name(b)) :
					      json_int(b));
	return a;
}

static struct json_object *physical_json(const uint8_t *data)
{
	struct cxlsw_physical_switch_event e;
	struct json_object *o = json_object_new_object();

	cxlsw_physical_switch_event_decode(data, &e);
	json_add(o, "port_id", json_int(e.port_id));
	json_add(o, "event_type", json_enum(e.event_type,
		 cxlsw_physical_switch_event_type_name));
	json_add(o, "slot_status", json_hex(e.slot_status, 4));
	json_add(o, "config_state", json_enum(e.config_state,
		 cxlsw_port_config_state_name));
	json_add(o, "connected_device_mode", json_enum(e.connected_device_mode,
		 cxlsw_cxl_version_name));
	json_add(o, "connected_device_type", json_enum(e.connected_device_type,
		 cxlsw_device_type_name));
	json_add(o, "supported_cxl_modes", bits_json(e.supported_cxl_modes,
		 cxlsw_cxl_version_bit_name));
	json_add(o, "max_link_width", json_int(e.max_link_width));
	json_add(o, "negotiated_link_width", json_int(e.negotiated_link_width));
	json_add(o, "supported_link_speeds_gts", json_speeds(e.supported_speeds));
	json_add(o, "max_link_speed_gts",
		 json_link_speed(e.max_link_speed));
	json_add(o, "current_link_speed_gts",
		 json_link_speed(e.current_link_speed));
	json_add(o, "ltssm_state", json_enum(e.ltssm_state, cxlsw_ltssm_name));
	json_add(o, "first_negotiated_lane", json_int(e.first_negotiated_lane));
	json_add(o, "link_state_flags",
		 json_flags(e.link_flags, cxlsw_link_flag_name));
	return o;
}

static struct json_object *vcs_json(const uint8_t *data)
{
	struct cxlsw_vcs_event e;
	struct json_object *o = json_object_new_object();

	cxlsw_vcs_event_decode(data, &e);
	json_add(o, "vcs_id", json_int(e.vcs_id));
	json_add(o, "vppb_id", json_int(e.vppb_id));
	json_add(o, "event_type", json_enum(e.event_type,
		 cxlsw_vcs_event_type_name));
	json_add(o, "binding_status", json_enum(e.binding_status,
		 cxlsw_vppb_binding_name));
	json_add(o, "port_id", id_or_null(e.port_id));
	json_add(o, "ld_id", id_or_null(e.ld_id));
	json_add(o, "link_control", json_hex(e.link_control, 4));
	json_add(o, "slot_control", json_hex(e.slot_control, 4));
	return o;
}

static struct json_object *mld_json(const uint8_t *data)
{
	struct cxlsw_mld_port_event e;
	struct json_object *o = json_object_new_object();

	cxlsw_mld_port_event_decode(data, &e);
	json_add(o, "event_type", json_enum(e.event_type,
		 cxlsw_mld_port_event_type_name));
	json_add(o, "port_id", json_int(e.port_id));
	json_add(o, "error_message", json_hex(e.error_message, 16));
	return o;
}

struct json_object *event_record_json(const struct cxlsw_event_record *r)
{
	enum cxlsw_event_kind kind = cxlsw_event_kind_of(r->uuid);
	struct json_object *o = json_object_new_object();
	char uuid[37], hex[2 * CXLSW_EVENT_DATA_LEN + 1];

	cxlsw_uuid_string(r->uuid, uuid);
	json_add(o, "handle", json_int(r->handle));
	json_add(o, "record_type", json_word(cxlsw_event_kind_name(kind)));
	json_add(o, "uuid", json_object_new_string(uuid));
	json_add(o, "length", json_int(r->length));
	json_add(o, "severity", json_word(cxlsw_event_severity_name(
			CXLSW_EVENT_SEVERITY(r->flags))));
	json_add(o, "flags", flags_json(r->flags));
	json_add(o, "related_handle", json_int(r->related_handle));
	json_add(o, "timestamp", json_time(r->timestamp));
	json_add(o, "timestamp_ns", json_int((int64_t)r->timestamp));
	json_add(o, "maintenance_class", json_int(r->maint_class));
	json_add(o, "maintenance_subclass", json_int(r->maint_subclass));
	json_add(o, "ld_id", r->ld_id_valid ? json_int(r->ld_id) : NULL);
	json_add(o, "head_id", r->head_id_valid ? json_int(r->head_id) : NULL);
	switch (kind) {
	case CXLSW_EVENT_PHYSICAL_SWITCH:
		json_add(o, "event", physical_json(r->data));
		break;
	case CXLSW_EVENT_VIRTUAL_SWITCH:
		json_add(o, "event", vcs_json(r->data));
		break;
	case CXLSW_EVENT_MLD_PORT:
		json_add(o, "event", mld_json(r->data));
		break;
	case CXLSW_EVENT_UNKNOWN:
		for (unsigned int i = 0; i < CXLSW_EVENT_DATA_LEN; i++)
			snprintf(hex + 2 * i, 3, "%02x", r->data[i]);
		json_add(o, "data", json_object_new_string(hex));
		break;
	}
	return o;
}
