/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Emulated CXL switch: a port's optional "device" object <-> model_device */
#ifndef _EMU_TOPOLOGY_DEVICE_H_
#define _EMU_TOPOLOGY_DEVICE_H_

#include <json-c/json.h>

#include "device.h"

/*
 * Load @obj into p->dev; on error print one line naming @file and the key
 * (@where is the port's prefix, e.g. "ports[5].") and return -1.
 */
int device_load(const char *file, const char *where, json_object *obj,
		struct model_port *p);
json_object *device_to_json(const struct model_device *d);

#endif /* _EMU_TOPOLOGY_DEVICE_H_ */
