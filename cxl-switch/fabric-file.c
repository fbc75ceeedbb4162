// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The desired-state file of fabric as code: read with the pull reader
 * (json-read.c) straight into typed entries that each remember their key
 * path and line for messages, and written from a switch's snapshot.  The
 * format is documented by man/cxl-switch-fabric.schema.json; every key
 * outside it is an error, so that a typo is not silently "left alone", and
 * so is a key given twice, which a JSON tree would keep only the last of.
 *
 * The text is read once, member by member in the order written.  Where a
 * member needs another's value first (a VCS's vPPBs their VCS number, the
 * switches the version), it is skipped and read again once its object
 * ends.  After an error in what the text says, the rest is still read as
 * JSON: a syntax error anywhere is the one reported, as when a JSON tree
 * was built first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fabric.h"
#include "json-read.h"

struct ctx {
	struct jr r;
	char *err;
	size_t errlen;
};

static int vbad(struct ctx *c, unsigned int line, const char *path,
		const char *key, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

/* "line L: PATH[.KEY]: ...", L the line of what the path names */
static int vbad(struct ctx *c, unsigned int line, const char *path,
		const char *key, const char *fmt, va_list ap)
{
	size_t used = (size_t)snprintf(c->err, c->errlen, "line %u: %s%s%s: ",
				       line, path, key ? "." : "",
				       key ? key : "");

	if (used < c->errlen)
		vsnprintf(c->err + used, c->errlen - used, fmt, ap);
	return -1;
}

static int bad(struct ctx *c, unsigned int line, const char *path,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int bad(struct ctx *c, unsigned int line, const char *path,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(c, line, path, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* "line L: PATH.KEY: ...": a member's own path in the message */
static int bad_member(struct ctx *c, unsigned int line, const char *path,
		      const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int bad_member(struct ctx *c, unsigned int line, const char *path,
		      const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(c, line, path, key, fmt, ap);
	va_end(ap);
	return -1;
}

/* The next token; the text was checked, so only a broken reader fails. */
static int next(struct ctx *c, struct jr_token *t)
{
	if (!jr_next(&c->r, t))
		return 0;
	snprintf(c->err, c->errlen, "%s", c->r.err);
	return -1;
}

/* Past the rest of the value t starts. */
static int skip(struct ctx *c, const struct jr_token *t)
{
	if (!jr_skip(&c->r, t))
		return 0;
	snprintf(c->err, c->errlen, "%s", c->r.err);
	return -1;
}

static const char *type_word(const struct jr_token *t)
{
	switch (t->kind) {
	case JR_NULL:		return "null";
	case JR_TRUE:
	case JR_FALSE:		return "a boolean";
	case JR_NUMBER:		return t->fraction ? "a fraction" : "a number";
	case JR_OBJECT:		return "an object";
	case JR_ARRAY:		return "an array";
	case JR_STRING:		return "a string";
	default:		return "something else";
	}
}

/* ---- an object's members -------------------------------------------------- */

#define KEYS_MAX	8

struct obj {
	const char *path;
	unsigned int line;		/* its '{' */
	const char *const *keys;	/* the keys it may have, NULL-ended */
	unsigned int seen;		/* bit i: keys[i] was read */
	unsigned int at[KEYS_MAX];	/* the line of each key read */
};

static int need_object(struct ctx *c, const char *path,
		       const struct jr_token *t)
{
	if (t->kind != JR_OBJECT)
		return bad(c, t->line, path, "expected an object, not %s",
			   type_word(t));
	return 0;
}

/*
 * The object's next member: the index of its key in o->keys + 1, with v
 * its value's first token; 0 at the object's end; -1 on an error.
 */
static int member(struct ctx *c, struct obj *o, struct jr_token *v)
{
	struct jr_token k;
	const char *name = NULL;
	size_t i;

	if (next(c, &k))
		return -1;
	if (k.kind == JR_OBJECT_END)
		return 0;
	for (i = 0; o->keys[i] && !jr_is(&k, o->keys[i]); i++)
		;
	if (!o->keys[i] && k.escaped) {
		/* "vpp\u0062" is "vppb" too */
		name = jr_string(&c->r, &k);
		for (i = 0; name && o->keys[i] && strcmp(o->keys[i], name); i++)
			;
	}
	if (!o->keys[i]) {
		name = jr_string(&c->r, &k);
		if (!name)
			return bad(c, o->line, o->path, "out of memory");
		return bad(c, o->line, o->path, "unknown key '%s'", name);
	}
	if (o->seen & 1u << i)
		return bad_member(c, k.line, o->path, o->keys[i],
				  "the key is given twice (also on line %u)",
				  o->at[i]);
	o->seen |= 1u << i;
	o->at[i] = k.line;
	return next(c, v) ? -1 : (int)i + 1;
}

static int missing(struct ctx *c, const struct obj *o, int k)
{
	return bad(c, o->line, o->path, "missing key '%s'", o->keys[k]);
}

static int need_array(struct ctx *c, const struct obj *o, int k,
		      const struct jr_token *v)
{
	if (v->kind != JR_ARRAY)
		return bad_member(c, o->at[k], o->path, o->keys[k],
				  "expected an array, not %s", type_word(v));
	return 0;
}

/*
 * Is d (a JSON number written with a fraction or an exponent) whole?
 * JSON Schema's "integer" takes 3.0 and 1e1 as 3 and 10, so the file does
 * too: *n is it, or -1 for a whole number beyond int64 (out of range).
 */
static bool whole(double d, int64_t *n)
{
	if (d != d)
		return false;
	if (d <= -1 || d >= 0x1p63) {
		*n = -1;
		return true;		/* this large, every double is whole */
	}
	*n = (int64_t)d;
	return d == (double)*n;
}

/* Member k's value v: a whole number min..max. */
static int num(struct ctx *c, const struct obj *o, int k,
	       const struct jr_token *v, uint64_t min, uint64_t max,
	       uint64_t *out)
{
	const char *key = o->keys[k];
	uint64_t n = 0;
	int64_t w;
	bool ok;

	if (v->kind != JR_NUMBER || (v->fraction &&
				     !whole(jr_double(&c->r, v), &w)))
		return bad_member(c, o->at[k], o->path, key,
				  "expected a number %llu-%llu, not %s",
				  (unsigned long long)min,
				  (unsigned long long)max, type_word(v));
	if (v->fraction) {
		ok = w >= 0;	/* 3.0 or 1e1: a whole number, as JSON Schema counts */
		n = (uint64_t)w;
	} else {
		ok = !jr_uint64(v, &n);
	}
	if (!ok || n < min || n > max)
		return bad_member(c, o->at[k], o->path, key,
				  "%.*s is out of range %llu-%llu", (int)v->len,
				  v->text, (unsigned long long)min,
				  (unsigned long long)max);
	*out = n;
	return 0;
}

/* A size: bytes as a number, or text parse_size takes ("4G"). */
static int size(struct ctx *c, const struct obj *o, int k,
		const struct jr_token *v, uint64_t *out)
{
	const char *s;

	if (v->kind != JR_STRING)
		return num(c, o, k, v, 0, INT64_MAX, out);
	s = jr_string(&c->r, v);
	if (!s)
		return bad(c, o->at[k], o->path, "out of memory");
	if (parse_size(s, out))
		return bad_member(c, o->at[k], o->path, o->keys[k],
				  "invalid size '%s': expected bytes or a number with K, M, G or T",
				  s);
	return 0;
}

static int boolean(struct ctx *c, const struct obj *o, int k,
		   const struct jr_token *v, bool *out)
{
	if (v->kind != JR_TRUE && v->kind != JR_FALSE)
		return bad_member(c, o->at[k], o->path, o->keys[k],
				  "expected true or false, not %s",
				  type_word(v));
	*out = v->kind == JR_TRUE;
	return 0;
}

/*
 * An array's item n, zeroed, at the end of items (moved to a larger copy
 * when full: the caller stores what is returned, then counts the item),
 * or NULL with the error said.
 */
static void *slot(struct ctx *c, const struct jr_token *t, const char *p,
		  void *items, size_t n, size_t *cap, size_t size)
{
	uint8_t *a = items;

	if (n == *cap) {
		size_t want = *cap ? *cap * 2 : 8;

		a = realloc(items, want * size);
		if (!a) {
			bad(c, t->line, p, "out of memory");
			return NULL;
		}
		*cap = want;
	}
	memset(a + n * size, 0, size);
	return a;
}

/*
 * PARENT.NAME[I] into buf (FAB_KEY_LEN): snprintf's "%.*s.NAME[%zu]" with
 * max, without the cost of formatting, which a file of thousands of
 * entries paid more for than for reading them.
 */
static void path_item(char *buf, const char *parent, size_t max,
		      const char *name, size_t i)
{
	size_t n = strnlen(parent, max), k = strlen(name), d = 0;
	char digits[24], *o = buf;

	memmove(o, parent, n);
	o += n;
	*o++ = '.';
	memcpy(o, name, k);
	o += k;
	*o++ = '[';
	do
		digits[d++] = (char)('0' + i % 10);
	while (i /= 10);
	while (d)
		*o++ = digits[--d];
	*o++ = ']';
	*o = '\0';
}

#define BIT_TEST_SET(map, n)	({ bool was = (map)[(n) / 8] >> ((n) % 8) & 1; \
				   (map)[(n) / 8] |= (uint8_t)(1u << ((n) % 8)); was; })

/* ---- one switch ---------------------------------------------------------- */

static int read_vppb(struct ctx *c, const char *path, const struct jr_token *t,
		     unsigned int vcs, struct fab_vppb *e, unsigned int *vppb_line)
{
	static const char *const keys[] = { "vppb", "port", "ld", NULL };
	struct obj o = { path, t->line, keys, 0, { 0 } };
	bool unbound = false;
	struct jr_token v;
	uint64_t n;
	int k;

	if (need_object(c, path, t))
		return -1;
	e->vcs = vcs;
	e->ld = CXLSW_WHOLE_PORT;
	e->line = t->line;
	strcpy(e->key, path);
	while ((k = member(c, &o, &v)) > 0) {
		if (k == 2 && v.kind == JR_NULL) {
			unbound = true;
			continue;
		}
		if (num(c, &o, k - 1, &v, 0, k == 3 ? CXLSW_MAX_LDS - 1 : 255, &n))
			return -1;
		if (k == 1)
			e->vppb = (unsigned int)n;
		else if (k == 2)
			e->port = (unsigned int)n;
		else
			e->ld = (unsigned int)n;
	}
	if (k < 0)
		return -1;
	if (!(o.seen & 1))
		return missing(c, &o, 0);
	if (!(o.seen & 2))
		return bad(c, o.line, path, "missing key 'port' (a port number, or null for unbound)");
	if (unbound && (o.seen & 4))
		return bad_member(c, o.at[2], path, "ld", "an unbound vPPB (port null) has no LD");
	e->bound = !unbound;
	*vppb_line = o.at[0];
	return 0;
}

/* A VCS's vPPBs, the array's '[' read. */
static int read_vppbs(struct ctx *c, const char *p, unsigned int vcs,
		      struct fab_switch *sw, size_t *cap)
{
	uint8_t seen[256 / 8] = { 0 };
	char q[FAB_KEY_LEN];
	struct fab_vppb *e;
	struct jr_token t;
	unsigned int line = 0;

	for (size_t j = 0;; j++) {
		if (next(c, &t))
			return -1;
		if (t.kind == JR_ARRAY_END)
			return 0;
		e = slot(c, &t, p, sw->vppbs, sw->nvppbs, cap, sizeof(*e));
		if (!e)
			return -1;
		sw->vppbs = e;
		e += sw->nvppbs;
		path_item(q, p, 80, "vppbs", j);
		if (read_vppb(c, q, &t, vcs, e, &line))
			return -1;
		if (BIT_TEST_SET(seen, e->vppb))
			return bad_member(c, line, q, "vppb", "vPPB %u of VCS %u is given twice",
					  e->vppb, e->vcs);
		sw->nvppbs++;
	}
}

static int read_vcs(struct ctx *c, const char *p, const struct jr_token *t,
		    struct fab_switch *sw, uint8_t *vcss, size_t *cap)
{
	static const char *const keys[] = { "vcs", "vppbs", NULL };
	struct obj o = { p, t->line, keys, 0, { 0 } };
	struct jr_pos later = { 0 }, end;
	bool deferred = false;
	struct jr_token v;
	uint64_t vcs = 0;
	int k;

	if (need_object(c, p, t))
		return -1;
	while ((k = member(c, &o, &v)) > 0) {
		if (k == 1) {
			if (num(c, &o, 0, &v, 0, 255, &vcs))
				return -1;
			if (BIT_TEST_SET(vcss, vcs))
				return bad_member(c, o.at[0], p, "vcs", "VCS %u is given twice",
						  (unsigned int)vcs);
			continue;
		}
		if (need_array(c, &o, 1, &v))
			return -1;
		if (o.seen & 1) {
			if (read_vppbs(c, p, (unsigned int)vcs, sw, cap))
				return -1;
			continue;
		}
		/* the vPPBs before their VCS's number: read them after it */
		later = jr_tell(&c->r);
		deferred = true;
		if (skip(c, &v))
			return -1;
	}
	if (k < 0)
		return -1;
	if (!(o.seen & 1))
		return missing(c, &o, 0);
	if (!deferred)
		return 0;
	end = jr_tell(&c->r);
	jr_seek(&c->r, &later);
	if (read_vppbs(c, p, (unsigned int)vcs, sw, cap))
		return -1;
	jr_seek(&c->r, &end);
	return 0;
}

static int read_vcss(struct ctx *c, const char *path, struct fab_switch *sw)
{
	uint8_t vcss[256 / 8] = { 0 };
	char p[FAB_KEY_LEN];
	struct jr_token t;
	size_t cap = 0;

	for (size_t i = 0;; i++) {
		if (next(c, &t))
			return -1;
		if (t.kind == JR_ARRAY_END)
			return 0;
		path_item(p, path, 60, "vcss", i);
		if (read_vcs(c, p, &t, sw, vcss, &cap))
			return -1;
	}
}

static int read_qos(struct ctx *c, const char *path, const struct jr_token *t,
		    struct fab_pool *pool)
{
	static const char *keys[QOS_FIELD_COUNT + 1];
	struct obj o = { path, t->line, keys, 0, { 0 } };
	struct jr_token v;
	uint64_t n;
	bool b = false;
	int k;

	_Static_assert(QOS_FIELD_COUNT <= KEYS_MAX, "struct obj holds the QoS keys");
	for (size_t i = 0; i < QOS_FIELD_COUNT; i++)
		keys[i] = qos_fields[i].name;
	if (need_object(c, path, t))
		return -1;
	while ((k = member(c, &o, &v)) > 0) {
		const struct qos_field_info *f = &qos_fields[k - 1];

		if (f->max == 1) {
			if (boolean(c, &o, k - 1, &v, &b))
				return -1;
			n = b;
		} else if (num(c, &o, k - 1, &v, f->min, f->max, &n)) {
			return -1;
		}
		pool->qos_fields |= FAB_QOS_FIELD(k - 1);
		qos_field_set(&pool->qos, (enum qos_field)(k - 1), n);
	}
	return k;
}

static int read_ld(struct ctx *c, const char *path, const struct jr_token *t,
		   struct fab_ld *l, unsigned int *ld_line)
{
	static const char *const keys[] = { "ld", "range1", "range2",
					    "qos_allocated_bw", "qos_bw_limit",
					    NULL };
	struct obj o = { path, t->line, keys, 0, { 0 } };
	struct jr_token v;
	uint64_t n;
	int k;

	if (need_object(c, path, t))
		return -1;
	l->line = t->line;
	strcpy(l->key, path);
	while ((k = member(c, &o, &v)) > 0) {
		switch (k) {
		case 1:
			if (num(c, &o, 0, &v, 0, CXLSW_MAX_LDS - 1, &n))
				return -1;
			l->ld = (unsigned int)n;
			break;
		case 2:
			if (size(c, &o, 1, &v, &l->range1))
				return -1;
			l->has_range1 = true;
			break;
		case 3:
			if (size(c, &o, 2, &v, &l->range2))
				return -1;
			l->has_range2 = true;
			break;
		default:
			if (num(c, &o, k - 1, &v, 0, 255, &n))
				return -1;
			if (k == 4) {
				l->bw = (uint8_t)n;
				l->has_bw = true;
			} else {
				l->limit = (uint8_t)n;
				l->has_limit = true;
			}
			break;
		}
	}
	if (k < 0)
		return -1;
	if (!(o.seen & 1))
		return missing(c, &o, 0);
	*ld_line = o.at[0];
	return 0;
}

/* A pool's LDs, the array's '[' read. */
static int read_lds(struct ctx *c, const char *p, struct fab_pool *pool)
{
	uint8_t seen[CXLSW_MAX_LDS / 8] = { 0 };
	char q[FAB_KEY_LEN];
	struct fab_ld *l;
	struct jr_token t;
	unsigned int line = 0;
	size_t cap = 0;

	for (size_t j = 0;; j++) {
		if (next(c, &t))
			return -1;
		if (t.kind == JR_ARRAY_END)
			return 0;
		l = slot(c, &t, p, pool->lds, pool->nlds, &cap, sizeof(*l));
		if (!l)
			return -1;
		pool->lds = l;
		l += pool->nlds;
		path_item(q, p, 80, "lds", j);
		if (read_ld(c, q, &t, l, &line))
			return -1;
		if (BIT_TEST_SET(seen, l->ld))
			return bad_member(c, line, q, "ld", "LD %u is given twice", l->ld);
		pool->nlds++;
	}
}

static int read_pool(struct ctx *c, const char *p, const struct jr_token *t,
		     struct fab_pool *pool, uint8_t *ports)
{
	static const char *const keys[] = { "port", "lds", "qos_control", NULL };
	struct obj o = { p, t->line, keys, 0, { 0 } };
	char q[FAB_KEY_LEN];
	struct jr_token v;
	uint64_t n;
	int k;

	if (need_object(c, p, t))
		return -1;
	pool->line = t->line;
	strcpy(pool->key, p);
	while ((k = member(c, &o, &v)) > 0) {
		if (k == 1) {
			if (num(c, &o, 0, &v, 0, 255, &n))
				return -1;
			if (BIT_TEST_SET(ports, n))
				return bad_member(c, o.at[0], p, "port", "port %u is given twice",
						  (unsigned int)n);
			pool->port = (unsigned int)n;
		} else if (k == 2) {
			if (need_array(c, &o, 1, &v) || read_lds(c, p, pool))
				return -1;
		} else {
			snprintf(q, sizeof(q), "%.80s.qos_control", p);
			if (read_qos(c, q, &v, pool))
				return -1;
		}
	}
	if (k < 0)
		return -1;
	if (!(o.seen & 1))
		return missing(c, &o, 0);
	return 0;
}

static int read_pools(struct ctx *c, const char *path, struct fab_switch *sw)
{
	uint8_t ports[256 / 8] = { 0 };
	char p[FAB_KEY_LEN];
	struct fab_pool *pool;
	struct jr_token t;
	size_t cap = 0;

	for (size_t i = 0;; i++) {
		if (next(c, &t))
			return -1;
		if (t.kind == JR_ARRAY_END)
			return 0;
		path_item(p, path, 60, "pools", i);
		pool = slot(c, &t, p, sw->pools, sw->npools, &cap, sizeof(*pool));
		if (!pool)
			return -1;
		sw->pools = pool;
		pool += sw->npools++;	/* counted now: freed with its LDs */
		if (read_pool(c, p, &t, pool, ports))
			return -1;
	}
}

static int read_port(struct ctx *c, const char *p, const struct jr_token *t,
		     struct fab_port *port, uint8_t *ports)
{
	static const char *const keys[] = { "port", "reset", NULL };
	struct obj o = { p, t->line, keys, 0, { 0 } };
	struct jr_token v;
	uint64_t n;
	int k;

	if (need_object(c, p, t))
		return -1;
	port->line = t->line;
	strcpy(port->key, p);
	while ((k = member(c, &o, &v)) > 0) {
		if (k == 2) {
			if (boolean(c, &o, 1, &v, &port->reset))
				return -1;
			continue;
		}
		if (num(c, &o, 0, &v, 0, 255, &n))
			return -1;
		if (BIT_TEST_SET(ports, n))
			return bad_member(c, o.at[0], p, "port", "port %u is given twice",
					  (unsigned int)n);
		port->port = (unsigned int)n;
	}
	if (k < 0)
		return -1;
	for (k = 0; k < 2; k++)
		if (!(o.seen & 1u << k))
			return missing(c, &o, k);
	return 0;
}

static int read_ports(struct ctx *c, const char *path, struct fab_switch *sw)
{
	uint8_t ports[256 / 8] = { 0 };
	char p[FAB_KEY_LEN];
	struct fab_port *port;
	struct jr_token t;
	size_t cap = 0;

	for (size_t i = 0;; i++) {
		if (next(c, &t))
			return -1;
		if (t.kind == JR_ARRAY_END)
			return 0;
		path_item(p, path, 60, "ports", i);
		port = slot(c, &t, p, sw->ports, sw->nports, &cap, sizeof(*port));
		if (!port)
			return -1;
		sw->ports = port;
		port += sw->nports;
		if (read_port(c, p, &t, port, ports))
			return -1;
		sw->nports++;
	}
}

static int read_dc_entry(struct ctx *c, const char *p, const struct jr_token *t,
			 struct fab_dc *e)
{
	static const char *const keys[] = { "port", "host", "region", "size",
					    NULL };
	static const uint64_t max[] = { 255, 65535, CXLSW_DC_MAX_REGIONS - 1 };
	struct obj o = { p, t->line, keys, 0, { 0 } };
	struct jr_token v;
	uint64_t n;
	int k;

	if (need_object(c, p, t))
		return -1;
	e->line = t->line;
	strcpy(e->key, p);
	while ((k = member(c, &o, &v)) > 0) {
		if (k == 4) {
			if (size(c, &o, 3, &v, &e->size))
				return -1;
			continue;
		}
		if (num(c, &o, k - 1, &v, 0, max[k - 1], &n))
			return -1;
		if (k == 1)
			e->port = (unsigned int)n;
		else if (k == 2)
			e->host = (unsigned int)n;
		else
			e->region = (unsigned int)n;
	}
	if (k < 0)
		return -1;
	for (k = 0; k < 4; k++)
		if (!(o.seen & 1u << k))
			return missing(c, &o, k);
	return 0;
}

static int read_dc(struct ctx *c, const char *path, struct fab_switch *sw)
{
	char p[FAB_KEY_LEN];
	struct fab_dc *e;
	struct jr_token t;
	size_t cap = 0;

	for (size_t i = 0;; i++) {
		if (next(c, &t))
			return -1;
		if (t.kind == JR_ARRAY_END)
			return 0;
		path_item(p, path, 60, "dc", i);
		e = slot(c, &t, p, sw->dc, sw->ndc, &cap, sizeof(*e));
		if (!e)
			return -1;
		sw->dc = e;
		e += sw->ndc;
		if (read_dc_entry(c, p, &t, e))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (sw->dc[k].port == e->port && sw->dc[k].host == e->host &&
			    sw->dc[k].region == e->region)
				return bad(c, e->line, p, "port %u host %u region %u is given twice (also %s)",
					   e->port, e->host, e->region, sw->dc[k].key);
		sw->ndc++;
	}
}

static int read_switch(struct ctx *c, const char *path, const struct jr_token *t,
		       struct fab_switch *sw, unsigned int *name_line)
{
	static const char *const keys[] = { "switch", "vcss", "pools", "ports",
					    "dc", NULL };
	static int (*const arrays[])(struct ctx *, const char *,
				     struct fab_switch *) = {
		read_vcss, read_pools, read_ports, read_dc,
	};
	struct obj o = { path, t->line, keys, 0, { 0 } };
	const char *name;
	struct jr_token v;
	int k;

	snprintf(sw->key, sizeof(sw->key), "%s", path);
	sw->line = t->line;
	if (need_object(c, path, t))
		return -1;
	while ((k = member(c, &o, &v)) > 0) {
		if (k > 1) {
			if (need_array(c, &o, k - 1, &v) ||
			    arrays[k - 2](c, path, sw))
				return -1;
			continue;
		}
		name = v.kind == JR_STRING ? jr_string(&c->r, &v) : "";
		if (!name)
			return bad(c, o.at[0], path, "out of memory");
		if (!cxlsw_name_valid(name))
			return bad_member(c, o.at[0], path, "switch", "expected a switch name (switch0, a path or mctp:NET:EID)");
		sw->name = strdup(name);
		if (!sw->name)
			return bad(c, o.at[0], path, "out of memory");
	}
	if (k < 0)
		return -1;
	if (!(o.seen & 1))
		return missing(c, &o, 0);
	*name_line = o.at[0];
	return 0;
}

static int read_switches(struct ctx *c, struct fab_file *f)
{
	struct fab_switch *sw;
	struct jr_token t;
	char p[FAB_KEY_LEN];
	unsigned int line = 0;
	size_t cap = 0;

	for (size_t i = 0;; i++) {
		if (next(c, &t))
			return -1;
		if (t.kind == JR_ARRAY_END)
			return 0;
		snprintf(p, sizeof(p), "switches[%zu]", i);
		sw = slot(c, &t, p, f->sw, f->nsw, &cap, sizeof(*sw));
		if (!sw)
			return -1;
		f->sw = sw;
		sw += f->nsw++;		/* counted now: freed when half read */
		if (read_switch(c, p, &t, sw, &line))
			return -1;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(f->sw[k].name, sw->name))
				return bad_member(c, line, p, "switch", "%s is given twice (also %s)",
						  sw->name, f->sw[k].key);
	}
}

static int read_top(struct ctx *c, struct fab_file *f)
{
	static const char *const keys[] = { "version", "switches", NULL };
	struct obj o = { "(top)", 1, keys, 0, { 0 } };
	struct jr_pos later = { 0 }, end;
	bool deferred = false;
	struct jr_token t, v;
	uint64_t version;
	int k;

	if (next(c, &t))
		return -1;
	o.line = t.line;
	if (need_object(c, "(top)", &t))
		return -1;
	while ((k = member(c, &o, &v)) > 0) {
		if (k == 1) {
			if (num(c, &o, 0, &v, 0, UINT32_MAX, &version))
				return -1;
			if (version != FAB_VERSION)
				return bad(c, o.at[0], "version",
					   "version %llu is not known: expected %d",
					   (unsigned long long)version, FAB_VERSION);
			continue;
		}
		if (need_array(c, &o, 1, &v))
			return -1;
		if (o.seen & 1) {
			if (read_switches(c, f))
				return -1;
			continue;
		}
		/* the switches before the version: read once it is known */
		later = jr_tell(&c->r);
		deferred = true;
		if (skip(c, &v))
			return -1;
	}
	if (k < 0)
		return -1;
	for (k = 0; k < 2; k++)
		if (!(o.seen & 1u << k))
			return missing(c, &o, k);
	if (!deferred)
		return 0;
	end = jr_tell(&c->r);
	jr_seek(&c->r, &later);
	if (read_switches(c, f))
		return -1;
	jr_seek(&c->r, &end);
	return 0;
}

int fab_parse(const char *text, size_t len, struct fab_file *f, char *err,
	      size_t errlen)
{
	struct ctx c = { .err = err, .errlen = errlen };
	int rc;

	memset(f, 0, sizeof(*f));
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "(file): a NUL byte: not a JSON text");
		return -1;
	}
	jr_init(&c.r, text, len);
	rc = read_top(&c, f);
	/*
	 * The rest of the text is JSON too, and nothing follows the object;
	 * a syntax error anywhere comes before one in what the text says.
	 */
	if (!c.r.failed && jr_check(&c.r)) {
		snprintf(err, errlen, "%s", c.r.err);
		rc = -1;
	}
	jr_free(&c.r);
	if (rc)
		fab_file_free(f);
	return rc;
}

/* The line where the entry at key path starts in its file; 0 if none. */
unsigned int fab_key_line(const struct fab_switch *sw, const char *key)
{
	if (!strcmp(sw->key, key))
		return sw->line;
	for (size_t i = 0; i < sw->nvppbs; i++)
		if (!strcmp(sw->vppbs[i].key, key))
			return sw->vppbs[i].line;
	for (size_t i = 0; i < sw->npools; i++) {
		if (!strcmp(sw->pools[i].key, key))
			return sw->pools[i].line;
		for (size_t j = 0; j < sw->pools[i].nlds; j++)
			if (!strcmp(sw->pools[i].lds[j].key, key))
				return sw->pools[i].lds[j].line;
	}
	for (size_t i = 0; i < sw->nports; i++)
		if (!strcmp(sw->ports[i].key, key))
			return sw->ports[i].line;
	for (size_t i = 0; i < sw->ndc; i++)
		if (!strcmp(sw->dc[i].key, key))
			return sw->dc[i].line;
	return 0;
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

/*
 * Written from the snapshot with the streaming writer, each kind of
 * object through the compact writer (a 256-port fabric's thousand vPPBs
 * and LDs were each a json-c object built, printed and freed).
 */
struct export_kinds {
	struct jw_kind vppb, ld, port, dc;
};

static void write_vppb(struct jw *w, struct jw_kind *k, unsigned int id,
		       const struct cxlsw_vppb *e)
{
	struct field *f = jw_kind_next(k);
	size_t n = 2;

	field_int(&f[0], FKEY("vppb"), id);
	field_int(&f[1], FKEY("port"), e->port_id);
	if (e->binding_status == CXLSW_VPPB_UNBOUND)
		f[1].kind = FIELD_NULL;
	else if (e->binding_status == CXLSW_VPPB_BOUND_LD)
		field_int(&f[n++], FKEY("ld"), e->ld_id);
	fields_json_object(w, &k->rows, NULL, f, n);
}

/* Only what apply can set: an enabled VCS, its vPPBs bound or unbound. */
static void write_vcs(struct jw *w, struct export_kinds *k,
		      const struct cxlsw_vcs_info *v)
{
	jw_open(w, NULL, '{');
	jw_key(w, "vcs");
	jw_int(w, v->vcs_id);
	jw_open(w, "vppbs", '[');
	for (unsigned int b = 0; b < v->num_vppbs; b++) {
		uint8_t st = v->vppbs[b].binding_status;

		if (st == CXLSW_VPPB_UNBOUND || st == CXLSW_VPPB_BOUND_PORT ||
		    st == CXLSW_VPPB_BOUND_LD)
			write_vppb(w, &k->vppb, b, &v->vppbs[b]);
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void write_pool(struct jw *w, struct export_kinds *k,
		       const struct cxlsw_snapshot_pool *p)
{
	uint64_t gran = cxlsw_ld_granularity_bytes(p->alloc.granularity);

	jw_open(w, NULL, '{');
	jw_key(w, "port");
	jw_int(w, p->port_id);
	if (p->has_qos_control)
		jw_json_put(w, "qos_control", qos_control_json(&p->qos, true));
	jw_open(w, "lds", '[');
	for (unsigned int i = 0; i < p->alloc.ld_count; i++) {
		struct field *f = jw_kind_next(&k->ld);
		size_t n = 3;

		field_int(&f[0], FKEY("ld"), i);
		field_u64(&f[1], FKEY("range1"), p->alloc.lds[i].range1 * gran);
		field_u64(&f[2], FKEY("range2"), p->alloc.lds[i].range2 * gran);
		if (p->has_qos_bw) {
			field_int(&f[n++], FKEY("qos_allocated_bw"),
				  p->bw_alloc[i]);
			field_int(&f[n++], FKEY("qos_bw_limit"), p->bw_limit[i]);
		}
		fields_json_object(w, &k->ld.rows, NULL, f, n);
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void write_port(struct jw *w, struct jw_kind *k,
		       const struct cxlsw_port_state *p)
{
	struct field *f = jw_kind_next(k);

	field_int(&f[0], FKEY("port"), p->port_id);
	field_key(&f[1], FKEY("reset"), FIELD_BOOL);
	f[1].i = cxlsw_snapshot_port_in_reset(p);
	fields_json_object(w, &k->rows, NULL, f, 2);
}

/* what DCD d holds for host h in region r */
static void write_dc(struct jw *w, struct jw_kind *k,
		     const struct cxlsw_snapshot_dcd *d, unsigned int h,
		     unsigned int r)
{
	struct field *f = jw_kind_next(k);

	field_int(&f[0], FKEY("port"), d->port_id);
	field_int(&f[1], FKEY("host"), h);
	field_int(&f[2], FKEY("region"), r);
	field_u64(&f[3], FKEY("size"), cxlsw_snapshot_dc_held(d, h, r));
	fields_json_object(w, &k->rows, NULL, f, 4);
}

/* The switch's object, written as w's next array item a piece at a time. */
void fab_export_write(struct jw *w, const char *name,
		      const struct cxlsw_snapshot *s)
{
	struct export_kinds *k = calloc(1, sizeof(*k));
	const struct cxlsw_snapshot_dcd *d;

	if (!k) {
		jw_fail(w);
		return;
	}
	jw_open(w, NULL, '{');
	jw_key(w, "switch");
	jw_string(w, name);
	jw_open(w, "vcss", '[');
	for (size_t i = 0; i < s->nvcs; i++)
		if (s->vcs[i].state == CXLSW_VCS_ENABLED)
			write_vcs(w, k, &s->vcs[i]);
	jw_close(w, ']');
	jw_open(w, "pools", '[');
	for (size_t i = 0; i < s->npools; i++)
		if (s->pools[i].reachable)
			write_pool(w, k, &s->pools[i]);
	jw_close(w, ']');
	jw_open(w, "ports", '[');
	for (size_t i = 0; i < s->nports; i++)
		if (s->ports[i].config_state == CXLSW_PORT_DSP)
			write_port(w, &k->port, &s->ports[i]);
	jw_close(w, ']');
	/* every DCD's every host and region: the bytes it holds there */
	jw_open(w, "dc", '[');
	for (size_t i = 0; i < s->ndcds; i++) {
		d = &s->dcds[i];
		for (unsigned int h = 0; h < d->nhosts; h++)
			for (unsigned int r = 0; r < d->regions.have; r++)
				write_dc(w, &k->dc, d, h, r);
	}
	jw_close(w, ']');
	jw_close(w, '}');
	free(k);
}
