/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Emulated CXL switch: topology JSON <-> model (tests/topologies/README.md) */
#ifndef _EMU_TOPOLOGY_H_
#define _EMU_TOPOLOGY_H_

#include "model.h"

/*
 * Both loaders print one line naming the file and the offending key and
 * return NULL when the topology is malformed. @name is what the error
 * calls the text (a file name, or "default").
 */
struct model *topology_load_file(const char *path);
struct model *topology_load_string(const char *text, const char *name);

/* Write the model in the same format; 0 or -1 (after printing why). */
int topology_save(const struct model *m, const char *path);

/* topology-fw-events.c: the optional keys "firmware", "event_logs",
 * "mctp_event_interrupt_policy" and "timestamp_ns" */
struct json_object;
int topology_load_fw_events(struct json_object *root, struct model *m,
			    const char *file);
void topology_save_fw_events(const struct model *m, struct json_object *o);

#endif /* _EMU_TOPOLOGY_H_ */
