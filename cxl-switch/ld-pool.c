// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A pooled memory device's LD pool, read once (Get LD Info 0x5400, Get
 * LD Allocations 0x5401) and kept typed: written as JSON by topology as
 * it streams, built as json-c for list-lds and topology's tree and DOT.
 * Both renderers take the same typed fields, so they print the same.
 */
#include "cli.h"

int ld_pool_read(struct cxlsw_dev *dev, struct ld_pool *pool)
{
	int rc = cxlsw_ld_info(dev, &pool->info);

	if (!rc)
		rc = cxlsw_ld_alloc_get(dev, &pool->alloc);
	if (!rc)
		pool->gran = cxlsw_ld_granularity_bytes(pool->alloc.granularity);
	return rc;
}

uint64_t ld_pool_ld_bytes(const struct ld_pool *pool, unsigned int ld)
{
	if (ld >= pool->alloc.ld_count)
		return 0;
	return (pool->alloc.lds[ld].range1 + pool->alloc.lds[ld].range2) *
	       pool->gran;
}

static uint64_t allocated_bytes(const struct ld_pool *pool)
{
	uint64_t used = 0;

	for (unsigned int i = 0; i < pool->alloc.ld_count; i++)
		used += ld_pool_ld_bytes(pool, i);
	return used;
}

uint64_t ld_pool_free_bytes(const struct ld_pool *pool)
{
	uint64_t used = allocated_bytes(pool);

	return pool->info.memory_size > used ? pool->info.memory_size - used : 0;
}

/* The pool's own members, before its "lds". */
#define POOL_FIELDS	6
static void pool_fields(const struct ld_pool *pool, struct field *f)
{
	field_u64(&f[0], FKEY("memory_size_bytes"), pool->info.memory_size);
	field_int(&f[1], FKEY("ld_count"), pool->info.ld_count);
	field_flags(&f[2], FKEY("qos_telemetry_caps"),
		    pool->info.qos_telemetry_caps, cxlsw_qos_telemetry_cap_name);
	/* sizes are bytes everywhere (cxl-switch(1) JSON OUTPUT) */
	field_u64(&f[3], FKEY("granularity_bytes"), pool->gran);
	field_u64(&f[4], FKEY("allocated_bytes"), allocated_bytes(pool));
	field_u64(&f[5], FKEY("free_bytes"), ld_pool_free_bytes(pool));
}

/* One LD's members, before its "bound_to". */
#define LD_FIELDS	4
static void ld_fields(const struct ld_pool *pool, unsigned int ld,
		      struct field *f)
{
	field_int(&f[0], FKEY("ld_id"), ld);
	field_u64(&f[1], FKEY("range1_multiplier"), pool->alloc.lds[ld].range1);
	field_u64(&f[2], FKEY("range2_multiplier"), pool->alloc.lds[ld].range2);
	field_u64(&f[3], FKEY("allocation_bytes"), ld_pool_ld_bytes(pool, ld));
}

/*
 * The next vPPB bound to LD ld of the MLD on port, as its fields; only
 * the vPPBs that name this port are looked at, no scan of every VCS.
 */
#define BOUND_FIELDS	3
static bool next_bound(const struct switch_state *st, unsigned int port,
		       unsigned int ld, struct state_iter *it, struct field *f)
{
	while (state_next_user(st, port, it)) {
		const struct cxlsw_vcs_info *v = &st->vcs[it->ref.vcs];
		const struct cxlsw_vppb *e = &v->vppbs[it->ref.vppb];

		if (e->binding_status != CXLSW_VPPB_BOUND_LD ||
		    e->port_id != port || e->ld_id != ld)
			continue;
		field_int(&f[0], FKEY("vcs_id"), v->vcs_id);
		field_int(&f[1], FKEY("vppb_id"), it->ref.vppb);
		field_int(&f[2], FKEY("usp_id"), v->usp_id);
		return true;
	}
	return false;
}

int ld_pool_ld_host(const struct switch_state *st, unsigned int port,
		    unsigned int ld)
{
	struct state_iter it = { 0 };
	struct field f[BOUND_FIELDS];

	return next_bound(st, port, ld, &it, f) ? (int)f[0].i : -1;
}

/* ---- json-c ---------------------------------------------------------------- */

/*
 * st: the switch's view, for which vPPBs each LD is bound to ("bound_to",
 * null without the VCSs); NULL leaves "bound_to" out.
 */
struct json_object *ld_pool_object(const struct ld_pool *pool,
				   const struct switch_state *st,
				   unsigned int port)
{
	struct json_object *o = json_object_new_object(), *lds, *l, *a;
	struct field f[POOL_FIELDS];

	pool_fields(pool, f);
	fields_add(o, f, POOL_FIELDS);
	lds = json_object_new_array();
	for (unsigned int i = 0; i < pool->alloc.ld_count; i++) {
		ld_fields(pool, i, f);
		l = fields_object(f, LD_FIELDS);
		/* without the switch's VCSs, which hosts is unknown: null */
		if (st && st->vcs_unavailable) {
			json_add(l, "bound_to", NULL);
		} else if (st) {
			a = json_object_new_array();
			for (struct state_iter it = { 0 };
			     next_bound(st, port, i, &it, f); )
				json_object_array_add(a, fields_object(f,
							BOUND_FIELDS));
			json_add(l, "bound_to", a);
		}
		json_object_array_add(lds, l);
	}
	json_add(o, "lds", lds);
	if (st && st->vcs_unavailable)
		unavailable_add_text(o, st->vcs_why);
	return o;
}

struct json_object *ld_pool_json(struct cxlsw_dev *dev,
				 const struct switch_state *st,
				 unsigned int port)
{
	struct ld_pool pool;

	if (ld_pool_read(dev, &pool))
		return NULL;
	return ld_pool_object(&pool, st, port);
}

/* ---- streamed ---------------------------------------------------------------- */

/* The same as ld_pool_object(), under key in w: the LDs' rows compact. */
void ld_pool_write(struct jw *w, struct ld_pool_kinds *k, const char *key,
		   const struct ld_pool *pool, const struct switch_state *st,
		   unsigned int port)
{
	struct field *f = jw_kind_next(&k->pool);

	jw_open(w, key, '{');
	pool_fields(pool, f);
	fields_json_add(w, &k->pool.rows, f, POOL_FIELDS);
	jw_open(w, "lds", '[');
	for (unsigned int i = 0; i < pool->alloc.ld_count; i++) {
		jw_open(w, NULL, '{');
		f = jw_kind_next(&k->ld);
		ld_fields(pool, i, f);
		fields_json_add(w, &k->ld.rows, f, LD_FIELDS);
		if (st && st->vcs_unavailable) {
			jw_key(w, "bound_to");
			jw_raw(w, "null");
		} else if (st) {
			jw_open(w, "bound_to", '[');
			/*
			 * filled in the array not written last, taken
			 * only when found: the last row stays as written
			 */
			for (struct state_iter it = { 0 };
			     next_bound(st, port, i, &it,
					k->bound.f[k->bound.turn ^ 1]); ) {
				f = jw_kind_next(&k->bound);
				fields_json_object(w, &k->bound.rows, NULL, f,
						   BOUND_FIELDS);
			}
			jw_close(w, ']');
		}
		jw_close(w, '}');
	}
	jw_close(w, ']');
	if (st && st->vcs_unavailable)
		jw_unavailable(w, st->vcs_why);
	jw_close(w, '}');
}
