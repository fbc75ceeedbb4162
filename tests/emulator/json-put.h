/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Emulated CXL switch: values as the topology JSON writes them, shared by
 * the switch's saver (topology-save.c) and the devices'
 * (topology-device.c) so that both write a value the same way.
 */
#ifndef _EMU_JSON_PUT_H_
#define _EMU_JSON_PUT_H_

#include <stdint.h>
#include <json-c/json.h>

#include "model.h"
#include "names.h"

/* "0x1b36": @digits hex digits at the least */
json_object *jput_hex(uint64_t v, int digits);
/* the name when the code has one, else the raw integer */
json_object *jput_code(const struct name_table *t, unsigned int v);
/* a 1-based speed code in GT/s; 0 (none / link down) is null */
json_object *jput_speed(uint8_t code);
/* the speeds of a supported-speeds bitmap, slowest first */
json_object *jput_speed_bits(uint8_t bits);
/* the "identify" object of the switch or of a device */
json_object *jput_identify(const struct model_identify *id);

#endif /* _EMU_JSON_PUT_H_ */
