// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A memory device's Identify Memory Device answer as JSON, shared by
 * identify --port and list-devices.  The keys match the emulator's
 * topology file ("memdev"), so tests compare the two directly.
 */
#include "cli.h"

struct json_object *memdev_json(const struct cxlsw_memdev_identify *m)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "fw_revision", json_object_new_string(m->fw_revision));
	json_add(o, "total_capacity_bytes", json_u64(m->total_capacity));
	json_add(o, "volatile_only_capacity_bytes",
		 json_u64(m->volatile_only_capacity));
	json_add(o, "persistent_only_capacity_bytes",
		 json_u64(m->persistent_only_capacity));
	json_add(o, "partition_align_bytes", json_u64(m->partition_align));
	json_add(o, "info_event_log_size", json_int(m->info_event_log_size));
	json_add(o, "warning_event_log_size",
		 json_int(m->warning_event_log_size));
	json_add(o, "failure_event_log_size",
		 json_int(m->failure_event_log_size));
	json_add(o, "fatal_event_log_size", json_int(m->fatal_event_log_size));
	/* a CXL 2.0 device does not report it: null, not a made-up 0 */
	json_add(o, "dc_event_log_size", m->has_dc_event_log_size ?
		 json_int(m->dc_event_log_size) : NULL);
	json_add(o, "lsa_size", json_int(m->lsa_size));
	json_add(o, "poison_list_max_records",
		 json_int(m->poison_list_max_records));
	json_add(o, "inject_poison_limit", json_int(m->inject_poison_limit));
	json_add(o, "poison_handling_caps",
		 json_flags(m->poison_handling_caps, cxlsw_poison_cap_name));
	json_add(o, "qos_telemetry_caps",
		 json_flags(m->qos_telemetry_caps,
			    cxlsw_qos_telemetry_cap_name));
	return o;
}
