// SPDX-License-Identifier: LGPL-2.1-or-later
/* Emulated CXL switch: values for the topology savers. */
#include <inttypes.h>
#include <stdio.h>

#include "json-put.h"

json_object *jput_hex(uint64_t v, int digits)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, digits, v);
	return json_object_new_string(buf);
}

json_object *jput_code(const struct name_table *t, unsigned int v)
{
	const char *name = val_to_name(t, v);

	return name ? json_object_new_string(name) : json_object_new_int(v);
}

json_object *jput_speed(uint8_t code)
{
	char buf[32];

	if (!code)
		return NULL;
	if (code > NR_LINK_SPEEDS) {	/* a reserved code, as loaded */
		snprintf(buf, sizeof(buf), "reserved_code_%u", code);
		return json_object_new_string(buf);
	}
	return json_object_new_double_s(link_speeds_gts[code - 1],
					link_speeds_str[code - 1]);
}

json_object *jput_speed_bits(uint8_t bits)
{
	json_object *a = json_object_new_array();

	for (int i = 0; i < NR_LINK_SPEEDS; i++)
		if (bits & (1u << i))
			json_object_array_add(a, jput_speed(i + 1));
	return a;
}

json_object *jput_identify(const struct model_identify *id)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "vendor_id", jput_hex(id->vendor_id, 4));
	json_object_object_add(o, "device_id", jput_hex(id->device_id, 4));
	json_object_object_add(o, "subsys_vendor_id",
			       jput_hex(id->subsys_vendor_id, 4));
	json_object_object_add(o, "subsys_id", jput_hex(id->subsys_id, 4));
	json_object_object_add(o, "serial", jput_hex(id->serial, 16));
	json_object_object_add(o, "component_type",
			       jput_code(&names_component, id->component_type));
	return o;
}
