// SPDX-License-Identifier: LGPL-2.1-or-later
/* Emulated CXL switch: typed getters for the topology loaders. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-get.h"

int jget_fail(struct jget_ctx *c, const char *key, const char *why)
{
	fprintf(stderr, "cxl-switch-emu: %s: %s%s: %s\n", c->file, c->where,
		key, why);
	return -1;
}

size_t jget_push(struct jget_ctx *c, const char *fmt, ...)
{
	size_t len = strlen(c->where);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->where + len, sizeof(c->where) - len, fmt, ap);
	va_end(ap);
	return len;
}

json_object *jget_member(json_object *obj, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(obj, key, &v);
	return v;
}

static int in_list(const char *const *list, const char *key)
{
	for (; list && *list; list++)
		if (!strcmp(*list, key))
			return 1;
	return 0;
}

int jget_check_keys(struct jget_ctx *c, json_object *obj,
		    const char *const *allowed, const char *const *optional)
{
	if (!json_object_is_type(obj, json_type_object))
		return jget_fail(c, "", "expected an object");
	json_object_object_foreach(obj, key, val) {
		(void)val;
		if (!in_list(allowed, key) && !in_list(optional, key))
			return jget_fail(c, key, "unknown key");
	}
	for (const char *const *a = allowed; *a; a++)
		if (!json_object_object_get_ex(obj, *a, NULL))
			return jget_fail(c, *a, "missing");
	return 0;
}

int jget_u64(struct jget_ctx *c, json_object *obj, const char *key,
	     uint64_t max, uint64_t *out)
{
	json_object *v = jget_member(obj, key);
	int64_t n;

	if (!json_object_is_type(v, json_type_int))
		return jget_fail(c, key, "expected an integer");
	n = json_object_get_int64(v);
	if (n < 0 || (uint64_t)n > max)
		return jget_fail(c, key, "out of range");
	*out = n;
	return 0;
}

int jget_uint(struct jget_ctx *c, json_object *obj, const char *key,
	      unsigned int max, unsigned int *out)
{
	uint64_t v;

	if (jget_u64(c, obj, key, max, &v))
		return -1;
	*out = v;
	return 0;
}

int jget_bool(struct jget_ctx *c, json_object *obj, const char *key,
	      int *out)
{
	json_object *v = jget_member(obj, key);

	if (!json_object_is_type(v, json_type_boolean))
		return jget_fail(c, key, "expected true or false");
	*out = json_object_get_boolean(v);
	return 0;
}

int jget_hex(struct jget_ctx *c, json_object *obj, const char *key,
	     uint64_t max, uint64_t *out)
{
	json_object *v = jget_member(obj, key);
	const char *s = json_object_get_string(v);
	char *end;

	if (!json_object_is_type(v, json_type_string) || strncmp(s, "0x", 2) ||
	    !s[2])
		return jget_fail(c, key,
				 "expected a hex string like \"0x1b36\"");
	errno = 0;
	*out = strtoull(s + 2, &end, 16);
	if (*end || errno || *out > max)
		return jget_fail(c, key, "bad hex value or out of range");
	return 0;
}

int jget_flags(struct jget_ctx *c, json_object *obj, const char *key,
	       const char *const *keys, unsigned int *out)
{
	json_object *f = jget_member(obj, key);
	size_t len = jget_push(c, "%s.", key);
	int rc = jget_check_keys(c, f, keys, NULL);

	*out = 0;
	for (int bit = 0; !rc && keys[bit]; bit++) {
		int b;

		rc = jget_bool(c, f, keys[bit], &b);
		if (!rc && b)
			*out |= 1u << bit;
	}
	c->where[len] = '\0';
	return rc;
}
