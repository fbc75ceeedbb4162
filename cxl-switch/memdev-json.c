// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A memory device's Identify Memory Device answer, shared by identify
 * --port, list-devices and topology: typed fields, which list-devices
 * writes as they are and the others take as json-c.  The keys match the
 * emulator's topology file ("memdev"), so tests compare the two directly.
 */
#include <stdint.h>

#include "cli.h"


size_t memdev_fields(const struct cxlsw_memdev_identify *m, struct field *f)
{
	size_t n = 0;

	field_string(&f[n++], FKEY("fw_revision"), m->fw_revision);
	field_u64(&f[n++], FKEY("total_capacity_bytes"), m->total_capacity);
	field_u64(&f[n++], FKEY("volatile_only_capacity_bytes"),
		  m->volatile_only_capacity);
	field_u64(&f[n++], FKEY("persistent_only_capacity_bytes"),
		  m->persistent_only_capacity);
	field_u64(&f[n++], FKEY("partition_align_bytes"), m->partition_align);
	field_int(&f[n++], FKEY("info_event_log_size"), m->info_event_log_size);
	field_int(&f[n++], FKEY("warning_event_log_size"),
		  m->warning_event_log_size);
	field_int(&f[n++], FKEY("failure_event_log_size"),
		  m->failure_event_log_size);
	field_int(&f[n++], FKEY("fatal_event_log_size"),
		  m->fatal_event_log_size);
	/* a CXL 2.0 device does not report it: null, not a made-up 0 */
	if (m->has_dc_event_log_size)
		field_int(&f[n++], FKEY("dc_event_log_size"),
			  m->dc_event_log_size);
	else
		field_key(&f[n++], FKEY("dc_event_log_size"), FIELD_NULL);
	field_int(&f[n++], FKEY("lsa_size"), m->lsa_size);
	field_int(&f[n++], FKEY("poison_list_max_records"),
		  m->poison_list_max_records);
	field_int(&f[n++], FKEY("inject_poison_limit"), m->inject_poison_limit);
	field_flags(&f[n++], FKEY("poison_handling_caps"),
		    m->poison_handling_caps, cxlsw_poison_cap_name);
	field_flags(&f[n++], FKEY("qos_telemetry_caps"), m->qos_telemetry_caps,
		    cxlsw_qos_telemetry_cap_name);
	return n;
}

struct json_object *memdev_json(const struct cxlsw_memdev_identify *m)
{
	struct field f[MEMDEV_FIELDS];

	return fields_object(f, memdev_fields(m, f));
}
