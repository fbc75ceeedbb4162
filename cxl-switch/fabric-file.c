// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The desired-state file of fabric as code: parsed (json-c) into typed
 * entries that each remember their key path for messages, and written
 * from a switch's snapshot.  The format is documented by
 * man/cxl-switch-fabric.schema.json; every key outside it is an error, so
 * that a typo is not silently "left alone".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fabric.h"

struct ctx {
	char *err;
	size_t errlen;
};

static int bad(struct ctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct ctx *c, const char *path, const char *fmt, ...)
{
	size_t used = (size_t)snprintf(c->err, c->errlen, "%s: ", path);
	va_list ap;

	if (used < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + used, c->errlen - used, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "PATH.KEY: ...": a member's own path in the message */
static int bad_member(struct ctx *c, const char *path, const char *key,
		      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int bad_member(struct ctx *c, const char *path, const char *key,
		      const char *fmt, ...)
{
	size_t used = (size_t)snprintf(c->err, c->errlen, "%s.%s: ", path, key);
	va_list ap;

	if (used < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + used, c->errlen - used, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *type_word(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:	return "null";
	case json_type_boolean:	return "a boolean";
	case json_type_double:	return "a fraction";
	case json_type_int:	return "a number";
	case json_type_object:	return "an object";
	case json_type_array:	return "an array";
	case json_type_string:	return "a string";
	}
	return "something else";
}

/* Every key of o must be one of keys (NULL-terminated). */
static int only_keys(struct ctx *c, const char *path, struct json_object *o,
		     const char *const *keys)
{
	json_object_object_foreach(o, key, val) {
		size_t i;

		(void)val;
		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (!keys[i])
			return bad(c, path, "unknown key '%s'", key);
	}
	return 0;
}

static int need_object(struct ctx *c, const char *path, struct json_object *o)
{
	if (!json_object_is_type(o, json_type_object))
		return bad(c, path, "expected an object, not %s", type_word(o));
	return 0;
}

/* A member that must be an array; NULL (no error) when absent. */
static int get_array(struct ctx *c, const char *path, struct json_object *o,
		     const char *key, struct json_object **a)
{
	*a = NULL;
	if (!json_object_object_get_ex(o, key, a))
		return 0;
	if (!json_object_is_type(*a, json_type_array))
		return bad_member(c, path, key, "expected an array, not %s",
			   type_word(*a));
	return 0;
}

/*
 * Is d (a JSON number written with a fraction or an exponent) whole?
 * JSON Schema's "integer" takes 3.0 and 1e1 as 3 and 10, so the file does
 * too: *n is it, or -1 for a whole number beyond int64 (out of range).
 */
static bool whole(double d, int64_t *n)
{
	if (d <= -1 || d >= 0x1p63) {
		*n = -1;
		return d == d;		/* this large, every double is whole */
	}
	*n = (int64_t)d;
	return d == (double)*n;
}

/* A whole number 0..max at key; *have false when absent (and !required). */
static int get_range(struct ctx *c, const char *path, struct json_object *o,
		     const char *key, uint64_t min, uint64_t max, bool required,
		     bool *have, uint64_t *v)
{
	struct json_object *m;
	int64_t n;

	if (have)
		*have = false;
	if (!json_object_object_get_ex(o, key, &m)) {
		if (required)
			return bad(c, path, "missing key '%s'", key);
		return 0;
	}
	errno = 0;
	if (json_object_is_type(m, json_type_double) &&
	    whole(json_object_get_double(m), &n))
		;	/* 3.0 or 1e1: a whole number, as JSON Schema counts */
	else if (!json_object_is_type(m, json_type_int))
		return bad_member(c, path, key, "expected a number %llu-%llu, not %s",
			   (unsigned long long)min, (unsigned long long)max,
			   type_word(m));
	else
		n = json_object_get_int64(m);
	if (n < 0 || (uint64_t)n < min || (uint64_t)n > max || errno)
		return bad_member(c, path, key, "%s is out of range %llu-%llu",
			   json_object_to_json_string(m),
			   (unsigned long long)min, (unsigned long long)max);
	*v = (uint64_t)n;
	if (have)
		*have = true;
	return 0;
}

static int get_uint(struct ctx *c, const char *path, struct json_object *o,
		    const char *key, uint64_t max, bool required, bool *have,
		    uint64_t *v)
{
	return get_range(c, path, o, key, 0, max, required, have, v);
}

/* A size: bytes as a number, or text parse_size takes ("4G"). */
static int get_size(struct ctx *c, const char *path, struct json_object *o,
		    const char *key, bool *have, uint64_t *v)
{
	struct json_object *m;

	*have = false;
	if (!json_object_object_get_ex(o, key, &m))
		return 0;
	if (json_object_is_type(m, json_type_string)) {
		if (parse_size(json_object_get_string(m), v))
			return bad_member(c, path, key, "invalid size '%s': expected bytes or a number with K, M, G or T",
					  json_object_get_string(m));
		*have = true;
		return 0;
	}
	return get_uint(c, path, o, key, INT64_MAX, false, have, v);
}

static int get_bool(struct ctx *c, const char *path, struct json_object *o,
		    const char *key, bool *have, bool *v)
{
	struct json_object *m;

	*have = false;
	if (!json_object_object_get_ex(o, key, &m))
		return 0;
	if (!json_object_is_type(m, json_type_boolean))
		return bad_member(c, path, key, "expected true or false, not %s",
			   type_word(m));
	*v = json_object_get_boolean(m);
	*have = true;
	return 0;
}

/* ---- one switch ---------------------------------------------------------- */

static int parse_vppb(struct ctx *c, const char *path, struct json_object *o,
		      unsigned int vcs, struct fab_vppb *e)
{
	static const char *const keys[] = { "vppb", "port", "ld", NULL };
	struct json_object *port;
	uint64_t v;
	bool have;

	if (need_object(c, path, o) || only_keys(c, path, o, keys) ||
	    get_uint(c, path, o, "vppb", 255, true, NULL, &v))
		return -1;
	e->vcs = vcs;
	e->vppb = (unsigned int)v;
	e->ld = CXLSW_WHOLE_PORT;
	snprintf(e->key, sizeof(e->key), "%s", path);
	if (!json_object_object_get_ex(o, "port", &port))
		return bad(c, path, "missing key 'port' (a port number, or null for unbound)");
	if (json_object_is_type(port, json_type_null)) {
		if (json_object_object_get_ex(o, "ld", NULL))
			return bad_member(c, path, "ld", "an unbound vPPB (port null) has no LD");
		return 0;
	}
	e->bound = true;
	if (get_uint(c, path, o, "port", 255, true, NULL, &v))
		return -1;
	e->port = (unsigned int)v;
	if (get_uint(c, path, o, "ld", CXLSW_MAX_LDS - 1, false, &have, &v))
		return -1;
	if (have)
		e->ld = (unsigned int)v;
	return 0;
}

static int parse_vcss(struct ctx *c, const char *path, struct json_object *a,
		      struct fab_switch *sw)
{
	static const char *const keys[] = { "vcs", "vppbs", NULL };
	size_t total = 0, n = json_object_array_length(a);
	char p[FAB_KEY_LEN], q[FAB_KEY_LEN];
	struct json_object *vppbs;
	uint64_t vcs;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);

		snprintf(p, sizeof(p), "%.60s.vcss[%zu]", path, i);
		if (need_object(c, p, o) || only_keys(c, p, o, keys) ||
		    get_array(c, p, o, "vppbs", &vppbs))
			return -1;
		total += vppbs ? json_object_array_length(vppbs) : 0;
	}
	sw->vppbs = calloc(total + 1, sizeof(*sw->vppbs));
	if (!sw->vppbs)
		return bad(c, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);

		snprintf(p, sizeof(p), "%.60s.vcss[%zu]", path, i);
		if (get_uint(c, p, o, "vcs", 255, true, NULL, &vcs))
			return -1;
		for (size_t k = 0; k < sw->nvppbs; k++)
			if (sw->vppbs[k].vcs == vcs)
				return bad_member(c, p, "vcs", "VCS %u is given twice",
					   (unsigned int)vcs);
		get_array(c, p, o, "vppbs", &vppbs);
		for (size_t j = 0; vppbs && j < json_object_array_length(vppbs); j++) {
			struct fab_vppb *e = &sw->vppbs[sw->nvppbs];
			size_t first = sw->nvppbs;

			snprintf(q, sizeof(q), "%.80s.vppbs[%zu]", p, j);
			if (parse_vppb(c, q, json_object_array_get_idx(vppbs, j),
				       (unsigned int)vcs, e))
				return -1;
			for (size_t k = first - j; k < first; k++)
				if (sw->vppbs[k].vppb == e->vppb)
					return bad_member(c, q, "vppb", "vPPB %u of VCS %u is given twice",
						   e->vppb, e->vcs);
			sw->nvppbs++;
		}
	}
	return 0;
}

static int parse_qos(struct ctx *c, const char *path, struct json_object *o,
		     struct fab_pool *pool)
{
	struct cxlsw_qos_control *q = &pool->qos;

	if (need_object(c, path, o))
		return -1;
	json_object_object_foreach(o, key, val) {
		size_t i;
		uint64_t v = 0;
		bool have, b = false;

		(void)val;
		for (i = 0; i < QOS_FIELD_COUNT && strcmp(qos_fields[i].name, key); i++)
			;
		if (i == QOS_FIELD_COUNT)
			return bad(c, path, "unknown key '%s'", key);
		if (qos_fields[i].max == 1) {
			if (get_bool(c, path, o, key, &have, &b))
				return -1;
			v = b;
		} else if (get_range(c, path, o, key, qos_fields[i].min,
				     qos_fields[i].max, true, &have, &v)) {
			return -1;
		}
		pool->qos_fields |= FAB_QOS_FIELD(i);
		qos_field_set(q, (enum qos_field)i, v);
	}
	return 0;
}

static int parse_ld(struct ctx *c, const char *path, struct json_object *o,
		    struct fab_ld *l)
{
	static const char *const keys[] = { "ld", "range1", "range2",
					    "qos_allocated_bw", "qos_bw_limit",
					    NULL };
	uint64_t v;

	if (need_object(c, path, o) || only_keys(c, path, o, keys) ||
	    get_uint(c, path, o, "ld", CXLSW_MAX_LDS - 1, true, NULL, &v))
		return -1;
	l->ld = (unsigned int)v;
	snprintf(l->key, sizeof(l->key), "%s", path);
	if (get_size(c, path, o, "range1", &l->has_range1, &l->range1) ||
	    get_size(c, path, o, "range2", &l->has_range2, &l->range2) ||
	    get_uint(c, path, o, "qos_allocated_bw", 255, false, &l->has_bw, &v))
		return -1;
	l->bw = (uint8_t)v;
	if (get_uint(c, path, o, "qos_bw_limit", 255, false, &l->has_limit, &v))
		return -1;
	l->limit = (uint8_t)v;
	return 0;
}

static int parse_pools(struct ctx *c, const char *path, struct json_object *a,
		       struct fab_switch *sw)
{
	static const char *const keys[] = { "port", "lds", "qos_control", NULL };
	size_t n = json_object_array_length(a);
	char p[FAB_KEY_LEN], q[FAB_KEY_LEN];
	struct json_object *lds, *qos;
	uint64_t v;

	sw->pools = calloc(n + 1, sizeof(*sw->pools));
	if (!sw->pools)
		return bad(c, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct fab_pool *pool = &sw->pools[i];

		snprintf(p, sizeof(p), "%.60s.pools[%zu]", path, i);
		if (need_object(c, p, o) || only_keys(c, p, o, keys) ||
		    get_uint(c, p, o, "port", 255, true, NULL, &v) ||
		    get_array(c, p, o, "lds", &lds))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (sw->pools[k].port == v)
				return bad_member(c, p, "port", "port %u is given twice",
					   (unsigned int)v);
		pool->port = (unsigned int)v;
		snprintf(pool->key, sizeof(pool->key), "%s", p);
		sw->npools++;
		if (json_object_object_get_ex(o, "qos_control", &qos)) {
			snprintf(q, sizeof(q), "%.80s.qos_control", p);
			if (parse_qos(c, q, qos, pool))
				return -1;
		}
		if (!lds)
			continue;
		pool->lds = calloc(json_object_array_length(lds) + 1,
				   sizeof(*pool->lds));
		if (!pool->lds)
			return bad(c, p, "out of memory");
		for (size_t j = 0; j < json_object_array_length(lds); j++) {
			struct fab_ld *l = &pool->lds[j];

			snprintf(q, sizeof(q), "%.80s.lds[%zu]", p, j);
			if (parse_ld(c, q, json_object_array_get_idx(lds, j), l))
				return -1;
			for (size_t k = 0; k < j; k++)
				if (pool->lds[k].ld == l->ld)
					return bad_member(c, q, "ld", "LD %u is given twice",
						   l->ld);
			pool->nlds++;
		}
	}
	return 0;
}

static int parse_ports(struct ctx *c, const char *path, struct json_object *a,
		       struct fab_switch *sw)
{
	static const char *const keys[] = { "port", "reset", NULL };
	size_t n = json_object_array_length(a);
	char p[FAB_KEY_LEN];
	uint64_t v;
	bool have;

	sw->ports = calloc(n + 1, sizeof(*sw->ports));
	if (!sw->ports)
		return bad(c, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct fab_port *port = &sw->ports[i];

		snprintf(p, sizeof(p), "%.60s.ports[%zu]", path, i);
		if (need_object(c, p, o) || only_keys(c, p, o, keys) ||
		    get_uint(c, p, o, "port", 255, true, NULL, &v) ||
		    get_bool(c, p, o, "reset", &have, &port->reset))
			return -1;
		if (!have)
			return bad(c, p, "missing key 'reset'");
		for (size_t k = 0; k < i; k++)
			if (sw->ports[k].port == v)
				return bad_member(c, p, "port", "port %u is given twice",
					   (unsigned int)v);
		port->port = (unsigned int)v;
		snprintf(port->key, sizeof(port->key), "%s", p);
		sw->nports++;
	}
	return 0;
}

static int parse_dc(struct ctx *c, const char *path, struct json_object *a,
		    struct fab_switch *sw)
{
	static const char *const keys[] = { "port", "host", "region", "size",
					    NULL };
	size_t n = json_object_array_length(a);
	char p[FAB_KEY_LEN];
	uint64_t v;
	bool have;

	sw->dc = calloc(n + 1, sizeof(*sw->dc));
	if (!sw->dc)
		return bad(c, path, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct fab_dc *e = &sw->dc[i];

		snprintf(p, sizeof(p), "%.60s.dc[%zu]", path, i);
		if (need_object(c, p, o) || only_keys(c, p, o, keys) ||
		    get_uint(c, p, o, "port", 255, true, NULL, &v))
			return -1;
		e->port = (unsigned int)v;
		if (get_uint(c, p, o, "host", 65535, true, NULL, &v))
			return -1;
		e->host = (unsigned int)v;
		if (get_uint(c, p, o, "region", CXLSW_DC_MAX_REGIONS - 1, true,
			     NULL, &v))
			return -1;
		e->region = (unsigned int)v;
		if (get_size(c, p, o, "size", &have, &e->size))
			return -1;
		if (!have)
			return bad(c, p, "missing key 'size'");
		snprintf(e->key, sizeof(e->key), "%s", p);
		for (size_t k = 0; k < i; k++)
			if (sw->dc[k].port == e->port && sw->dc[k].host == e->host &&
			    sw->dc[k].region == e->region)
				return bad(c, p, "port %u host %u region %u is given twice (also %s)",
					   e->port, e->host, e->region, sw->dc[k].key);
		sw->ndc++;
	}
	return 0;
}

static int parse_switch(struct ctx *c, const char *path, struct json_object *o,
			struct fab_switch *sw)
{
	static const char *const keys[] = { "switch", "vcss", "pools", "ports",
					    "dc", NULL };
	struct json_object *name, *a;

	snprintf(sw->key, sizeof(sw->key), "%s", path);
	if (need_object(c, path, o) || only_keys(c, path, o, keys))
		return -1;
	if (!json_object_object_get_ex(o, "switch", &name))
		return bad(c, path, "missing key 'switch'");
	if (!json_object_is_type(name, json_type_string) ||
	    !cxlsw_name_valid(json_object_get_string(name)))
		return bad_member(c, path, "switch", "expected a switch name (switch0, a path or mctp:NET:EID)");
	sw->name = strdup(json_object_get_string(name));
	if (!sw->name)
		return bad(c, path, "out of memory");
	if (get_array(c, path, o, "vcss", &a) ||
	    (a && parse_vcss(c, path, a, sw)) ||
	    get_array(c, path, o, "pools", &a) ||
	    (a && parse_pools(c, path, a, sw)) ||
	    get_array(c, path, o, "ports", &a) ||
	    (a && parse_ports(c, path, a, sw)) ||
	    get_array(c, path, o, "dc", &a) ||
	    (a && parse_dc(c, path, a, sw)))
		return -1;
	return 0;
}

/* "line 3, column 7": where json-c stopped in text. */
static void where(const char *text, size_t off, char *buf, size_t len)
{
	unsigned int line = 1, col = 1;

	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(buf, len, "line %u, column %u", line, col);
}

static int parse_top(struct ctx *c, struct json_object *root,
		     struct fab_file *f)
{
	static const char *const keys[] = { "version", "switches", NULL };
	struct json_object *a;
	char p[FAB_KEY_LEN];
	uint64_t v;

	if (!json_object_is_type(root, json_type_object))
		return bad(c, "(top)", "expected an object, not %s",
			   type_word(root));
	if (only_keys(c, "(top)", root, keys) ||
	    get_uint(c, "(top)", root, "version", UINT32_MAX, true, NULL, &v))
		return -1;
	if (v != FAB_VERSION)
		return bad(c, "version", "version %llu is not known: expected %d",
			   (unsigned long long)v, FAB_VERSION);
	if (!json_object_object_get_ex(root, "switches", &a))
		return bad(c, "(top)", "missing key 'switches'");
	if (get_array(c, "(top)", root, "switches", &a))
		return -1;
	f->sw = calloc(json_object_array_length(a) + 1, sizeof(*f->sw));
	if (!f->sw)
		return bad(c, "switches", "out of memory");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		snprintf(p, sizeof(p), "switches[%zu]", i);
		f->nsw++;
		if (parse_switch(c, p, json_object_array_get_idx(a, i),
				 &f->sw[i]))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(f->sw[k].name, f->sw[i].name))
				return bad_member(c, p, "switch", "%s is given twice (also %s)",
					   f->sw[i].name, f->sw[k].key);
	}
	return 0;
}

int fab_parse(const char *text, size_t len, struct fab_file *f, char *err,
	      size_t errlen)
{
	struct ctx c = { err, errlen };
	struct json_tokener *tok;
	struct json_object *root;
	char at[48];
	size_t end;
	int rc;

	memset(f, 0, sizeof(*f));
	if (memchr(text, '\0', len))
		return bad(&c, "(file)", "a NUL byte: not a JSON text");
	tok = json_tokener_new();
	if (!tok)
		return bad(&c, "(file)", "out of memory");
	/* no trailing commas and the like: what other tools read too */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!root) {
		where(text, end, at, sizeof(at));
		rc = bad(&c, at, "%s", json_tokener_get_error(tok) ==
			 json_tokener_continue ? "the JSON text ends early" :
			 json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		return rc;
	}
	json_tokener_free(tok);
	while (end < len && strchr(" \t\r\n", text[end]))
		end++;
	if (end < len) {
		where(text, end, at, sizeof(at));
		json_object_put(root);
		return bad(&c, at, "text after the JSON object");
	}
	rc = parse_top(&c, root, f);
	json_object_put(root);
	if (rc)
		fab_file_free(f);
	return rc;
}

void fab_file_free(struct fab_file *f)
{
	for (size_t i = 0; i < f->nsw; i++) {
		struct fab_switch *sw = &f->sw[i];

		free(sw->name);
		free(sw->vppbs);
		for (size_t j = 0; j < sw->npools; j++)
			free(sw->pools[j].lds);
		free(sw->pools);
		free(sw->ports);
		free(sw->dc);
	}
	free(f->sw);
	memset(f, 0, sizeof(*f));
}

/* ---- export -------------------------------------------------------------- */

static struct json_object *vppb_json(unsigned int id, const struct cxlsw_vppb *e)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "vppb", json_int(id));
	if (e->binding_status == CXLSW_VPPB_UNBOUND) {
		json_add(o, "port", NULL);
		return o;
	}
	json_add(o, "port", json_int(e->port_id));
	if (e->binding_status == CXLSW_VPPB_BOUND_LD)
		json_add(o, "ld", json_int(e->ld_id));
	return o;
}

/* Only what apply can set: an enabled VCS, its vPPBs bound or unbound. */
static struct json_object *vcs_json(const struct cxlsw_vcs_info *v)
{
	struct json_object *o = json_object_new_object(), *vppbs;

	vppbs = json_object_new_array();
	json_add(o, "vcs", json_int(v->vcs_id));
	for (unsigned int b = 0; b < v->num_vppbs; b++) {
		uint8_t st = v->vppbs[b].binding_status;

		if (st == CXLSW_VPPB_UNBOUND || st == CXLSW_VPPB_BOUND_PORT ||
		    st == CXLSW_VPPB_BOUND_LD)
			json_object_array_add(vppbs, vppb_json(b, &v->vppbs[b]));
	}
	json_add(o, "vppbs", vppbs);
	return o;
}

static struct json_object *pool_json(const struct cxlsw_snapshot_pool *p)
{
	uint64_t gran = cxlsw_ld_granularity_bytes(p->alloc.granularity);
	struct json_object *o = json_object_new_object(), *lds;

	json_add(o, "port", json_int(p->port_id));
	if (p->has_qos_control)
		json_add(o, "qos_control", qos_control_json(&p->qos));
	lds = json_object_new_array();
	for (unsigned int i = 0; i < p->alloc.ld_count; i++) {
		struct json_object *l = json_object_new_object();

		json_add(l, "ld", json_int(i));
		json_add(l, "range1", json_u64(p->alloc.lds[i].range1 * gran));
		json_add(l, "range2", json_u64(p->alloc.lds[i].range2 * gran));
		if (p->has_qos_bw) {
			json_add(l, "qos_allocated_bw", json_int(p->bw_alloc[i]));
			json_add(l, "qos_bw_limit", json_int(p->bw_limit[i]));
		}
		json_object_array_add(lds, l);
	}
	json_add(o, "lds", lds);
	return o;
}

static struct json_object *dc_json(const struct cxlsw_snapshot_dcd *d,
				   unsigned int h, unsigned int r)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "port", json_int(d->port_id));
	json_add(o, "host", json_int(h));
	json_add(o, "region", json_int(r));
	json_add(o, "size", json_u64(cxlsw_snapshot_dc_held(d, h, r)));
	return o;
}

/* The switch's object, written as w's next array item a piece at a time. */
void fab_export_write(struct jw *w, const char *name,
		      const struct cxlsw_snapshot *s)
{
	const struct cxlsw_snapshot_dcd *d;

	jw_open(w, NULL, '{');
	jw_json_put(w, "switch", json_object_new_string(name));
	jw_open(w, "vcss", '[');
	for (size_t i = 0; i < s->nvcs; i++)
		if (s->vcs[i].state == CXLSW_VCS_ENABLED)
			jw_json_put(w, NULL, vcs_json(&s->vcs[i]));
	jw_close(w, ']');
	jw_open(w, "pools", '[');
	for (size_t i = 0; i < s->npools; i++)
		if (s->pools[i].reachable)
			jw_json_put(w, NULL, pool_json(&s->pools[i]));
	jw_close(w, ']');
	jw_open(w, "ports", '[');
	for (size_t i = 0; i < s->nports; i++) {
		struct json_object *p;

		if (s->ports[i].config_state != CXLSW_PORT_DSP)
			continue;
		p = json_object_new_object();
		json_add(p, "port", json_int(s->ports[i].port_id));
		json_add(p, "reset", json_boolean(
			 cxlsw_snapshot_port_in_reset(&s->ports[i])));
		jw_json_put(w, NULL, p);
	}
	jw_close(w, ']');
	/* every DCD's every host and region: the bytes it holds there */
	jw_open(w, "dc", '[');
	for (size_t i = 0; i < s->ndcds; i++) {
		d = &s->dcds[i];
		for (unsigned int h = 0; h < d->nhosts; h++)
			for (unsigned int r = 0; r < d->regions.have; r++)
				jw_json_put(w, NULL, dc_json(d, h, r));
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

/* ---- where a key is: its line, for messages --------------------------- */

struct walk {
	const char *text;
	size_t len, pos;
	const char *want;		/* the key path looked for */
	size_t found;			/* its offset + 1, 0 while not found */
	unsigned int depth;
};

static void skip_ws(struct walk *w)
{
	while (w->pos < w->len && strchr(" \t\r\n", w->text[w->pos]))
		w->pos++;
}

/* A string at pos (on its opening quote) into buf, cut to fit. */
static bool walk_string(struct walk *w, char *buf, size_t cap)
{
	size_t n = 0;

	if (w->pos >= w->len || w->text[w->pos] != '"')
		return false;
	for (w->pos++; w->pos < w->len && w->text[w->pos] != '"'; w->pos++) {
		if (w->text[w->pos] == '\\')
			w->pos++;
		else if (buf && n + 1 < cap)
			buf[n++] = w->text[w->pos];
	}
	if (buf)
		buf[n] = '\0';
	w->pos++;
	return w->pos <= w->len;
}

static bool walk_value(struct walk *w, const char *path);

static bool walk_here(struct walk *w, const char *path, size_t at)
{
	if (!w->found && !strcmp(path, w->want))
		w->found = at + 1;
	return walk_value(w, path);
}

static bool walk_value(struct walk *w, const char *path)
{
	char key[64], child[FAB_KEY_LEN + 80];
	size_t at, i = 0;
	char c;

	skip_ws(w);
	if (w->pos >= w->len || w->found || ++w->depth > 64)
		return false;
	c = w->text[w->pos];
	if (c == '"') {
		w->depth--;
		return walk_string(w, NULL, 0);
	}
	if (c != '{' && c != '[') {
		while (w->pos < w->len && !strchr(",]} \t\r\n", w->text[w->pos]))
			w->pos++;
		w->depth--;
		return true;
	}
	for (w->pos++;; i++) {
		skip_ws(w);
		if (w->pos < w->len && w->text[w->pos] == (c == '{' ? '}' : ']'))
			break;
		at = w->pos;
		if (c == '{') {
			if (!walk_string(w, key, sizeof(key)))
				return false;
			skip_ws(w);
			if (w->pos >= w->len || w->text[w->pos++] != ':')
				return false;
			snprintf(child, sizeof(child), "%s%s%s", path,
				 *path ? "." : "", key);
		} else {
			snprintf(child, sizeof(child), "%s[%zu]", path, i);
		}
		if (strlen(child) >= FAB_KEY_LEN || !walk_here(w, child, at))
			return false;
		skip_ws(w);
		if (w->pos < w->len && w->text[w->pos] == ',')
			w->pos++;
		else if (w->pos >= w->len || w->text[w->pos] != (c == '{' ? '}' : ']'))
			return false;
	}
	w->pos++;
	w->depth--;
	return true;
}

unsigned int fab_key_line(const char *text, size_t len, const char *key)
{
	struct walk w = { .text = text, .len = len, .want = key };
	unsigned int line = 1;

	if (!strcmp(key, "(top)"))
		return 1;
	(void)walk_value(&w, "");
	if (!w.found)
		return 0;
	for (size_t i = 0; i + 1 < w.found; i++)
		line += text[i] == '\n';
	return line;
}
