/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Emulated CXL switch: reading one typed value out of a topology JSON
 * object, shared by the switch's loader (topology.c) and the devices'
 * (topology-device.c) so that both reject bad values with the same words.
 *
 * Every getter that fails prints one line, "cxl-switch-emu: FILE:
 * WHEREKEY: WHY", and returns -1; on success it returns 0.
 */
#ifndef _EMU_JSON_GET_H_
#define _EMU_JSON_GET_H_

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

/* where a loader is, for the one-line error message */
struct jget_ctx {
	const char *file;
	char where[160];	/* "ports[3].device.mld." and the like */
};

int jget_fail(struct jget_ctx *c, const char *key, const char *why);
/* append to the error prefix, e.g. "lds[%u]."; returns the old length */
size_t jget_push(struct jget_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* @obj's member @key, or NULL */
json_object *jget_member(json_object *obj, const char *key);

/*
 * @obj is an object holding every key of @allowed and nothing but those
 * and the ones of @optional (may be NULL): a typo must not silently
 * become a default.
 */
int jget_check_keys(struct jget_ctx *c, json_object *obj,
		    const char *const *allowed, const char *const *optional);

/* an integer from 0 to @max */
int jget_u64(struct jget_ctx *c, json_object *obj, const char *key,
	     uint64_t max, uint64_t *out);
int jget_uint(struct jget_ctx *c, json_object *obj, const char *key,
	      unsigned int max, unsigned int *out);
int jget_bool(struct jget_ctx *c, json_object *obj, const char *key,
	      int *out);
/* a string "0x..." of at most @max */
int jget_hex(struct jget_ctx *c, json_object *obj, const char *key,
	     uint64_t max, uint64_t *out);
/* an object of booleans, keys in bit order, into bits */
int jget_flags(struct jget_ctx *c, json_object *obj, const char *key,
	       const char *const *keys, unsigned int *out);

#endif /* _EMU_JSON_GET_H_ */
