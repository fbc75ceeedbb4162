// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * list-lds and set-lds: how a pooled memory device (MLD) behind a switch
 * port is carved into logical devices (Get LD Info 0x5400, Get / Set LD
 * Allocations 0x5401 / 0x5402, tunnelled to the port's device).
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct lds_args {
	const char *name;
};

/* ---- reading -------------------------------------------------------------- */

struct ld_pool {
	struct cxlsw_ld_info info;
	struct cxlsw_ld_alloc_list alloc;
	uint64_t gran;			/* bytes per multiplier unit */
};

static int pool_read(struct cxlsw_dev *dev, struct ld_pool *pool)
{
	int rc = cxlsw_ld_info(dev, &pool->info);

	if (!rc)
		rc = cxlsw_ld_alloc_get(dev, &pool->alloc);
	if (!rc)
		pool->gran = cxlsw_ld_granularity_bytes(pool->alloc.granularity);
	return rc;
}

static uint64_t ld_bytes(const struct ld_pool *pool, unsigned int ld)
{
	const struct cxlsw_ld_alloc *a = &pool->alloc.lds[ld];

	return (a->range1 + a->range2) * pool->gran;
}

static uint64_t allocated_bytes(const struct ld_pool *pool)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < pool->alloc.ld_count; i++)
		sum += ld_bytes(pool, i);
	return sum;
}

/* Which vPPBs (and so which hosts) the LD is bound to. */
static struct json_object *bound_json(const struct switch_state *st,
				      unsigned int port, unsigned int ld)
{
	struct json_object *a = json_object_new_array(), *o;

	/* only the vPPBs that name this port: no scan of every VCS */
	for (struct state_iter it = { 0 }; state_next_user(st, port, &it); ) {
		const struct cxlsw_vcs_info *v = &st->vcs[it.ref.vcs];
		const struct cxlsw_vppb *e = &v->vppbs[it.ref.vppb];

		if (e->binding_status != CXLSW_VPPB_BOUND_LD ||
		    e->port_id != port || e->ld_id != ld)
			continue;
		o = json_object_new_object();
		json_add(o, "vcs_id", json_int(v->vcs_id));
		json_add(o, "vppb_id", json_int(it.ref.vppb));
		json_add(o, "usp_id", json_int(v->usp_id));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *ld_json(const struct ld_pool *pool,
				   const struct switch_state *st,
				   unsigned int port, unsigned int ld)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "ld_id", json_int(ld));
	json_add(o, "range1_multiplier", json_u64(pool->alloc.lds[ld].range1));
	json_add(o, "range2_multiplier", json_u64(pool->alloc.lds[ld].range2));
	json_add(o, "allocation_bytes", json_u64(ld_bytes(pool, ld)));
	/* without the switch's VCSs, which hosts is unknown: null */
	if (st)
		json_add(o, "bound_to", st->vcs_unavailable ? NULL :
			 bound_json(st, port, ld));
	return o;
}

struct json_object *ld_pool_json(struct cxlsw_dev *dev,
				 const struct switch_state *st,
				 unsigned int port)
{
	struct json_object *o, *lds;
	struct ld_pool pool;
	uint64_t used;

	if (pool_read(dev, &pool))
		return NULL;
	used = allocated_bytes(&pool);
	o = json_object_new_object();
	json_add(o, "memory_size_bytes", json_u64(pool.info.memory_size));
	json_add(o, "ld_count", json_int(pool.info.ld_count));
	json_add(o, "qos_telemetry_caps",
		 json_flags(pool.info.qos_telemetry_caps,
			    cxlsw_qos_telemetry_cap_name));
	/* sizes are bytes everywhere (cxl-switch(1) JSON OUTPUT) */
	json_add(o, "granularity_bytes", json_u64(pool.gran));
	json_add(o, "allocated_bytes", json_u64(used));
	json_add(o, "free_bytes", json_u64(pool.info.memory_size > used ?
					   pool.info.memory_size - used : 0));
	lds = json_object_new_array();
	for (unsigned int i = 0; i < pool.alloc.ld_count; i++)
		json_object_array_add(lds, ld_json(&pool, st, port, i));
	json_add(o, "lds", lds);
	if (st && st->vcs_unavailable)
		unavailable_add_text(o, st->vcs_why);
	return o;
}

/* ---- list-lds ------------------------------------------------------------ */

static error_t list_parse(int key, char *arg, struct argp_state *state)
{
	struct lds_args *a = state->input;

	if (key == ARGP_KEY_END)
		target_need_mld_port(state);
	if (key == ARGP_KEY_END && global_target.ld >= 0)
		usage_error(state, "--ld does not apply: LD allocations are the pool's, ask its port");
	return switch_arg(state, key, arg, &a->name);
}

static const struct argp list_argp = {
	.parser = list_parse,
	.args_doc = "SWITCH --port P",
	.doc = "Show how the pooled memory device (MLD) on a switch port is "
	       "carved into logical devices: each LD's allocation, the total "
	       "and the free capacity, and the vPPBs each LD is bound to "
	       "(0x5400, 0x5401 tunnelled to the port's device).",
	.children = target_pool_children,
};

static void size_cell(struct json_object *v, char *buf, size_t len)
{
	format_size((uint64_t)json_object_get_int64(v), buf, len);
}

static void bound_cell(struct json_object *v, char *buf, size_t len)
{
	size_t used = 0, n = v ? json_object_array_length(v) : 0;

	snprintf(buf, len, v ? "-" : "unknown");
	for (size_t i = 0; i < n && used < len; i++) {
		struct json_object *b = json_object_array_get_idx(v, i), *x;
		int vcs, vppb, usp;

		json_object_object_get_ex(b, "vcs_id", &x);
		vcs = json_object_get_int(x);
		json_object_object_get_ex(b, "vppb_id", &x);
		vppb = json_object_get_int(x);
		json_object_object_get_ex(b, "usp_id", &x);
		usp = json_object_get_int(x);
		used += snprintf(buf + used, len - used,
				 "%sVCS %d vPPB %d (USP %d)", i ? ", " : "",
				 vcs, vppb, usp);
	}
}

static void lds_human(struct json_object *o)
{
	static const struct column cols[] = {
		{ "LD", "ld_id", NULL },
		{ "RANGE1", "range1_multiplier", NULL },
		{ "RANGE2", "range2_multiplier", NULL },
		{ "ALLOCATION", "allocation_bytes", size_cell },
		{ "BOUND_TO", "bound_to", bound_cell },
	};
	struct json_object *v;
	char total[32], used[32], freeb[32], gran[32];

#define GET(k) (json_object_object_get_ex(o, k, &v), v)
	size_cell(GET("memory_size_bytes"), total, sizeof(total));
	size_cell(GET("allocated_bytes"), used, sizeof(used));
	size_cell(GET("free_bytes"), freeb, sizeof(freeb));
	size_cell(GET("granularity_bytes"), gran, sizeof(gran));
	printf("%s %s: %d LDs, %s, granularity %s, %s allocated, %s free\n",
	       json_object_get_string(GET("switch")),
	       json_object_get_string(GET("target")),
	       json_object_get_int(GET("ld_count")), total,
	       gran, used, freeb);
	print_table(GET("lds"), cols, ARRAY_SIZE(cols), "");
	unavailable_print(o, "bindings unknown");
#undef GET
}

/* The switch's view, for which hosts each LD is bound to: its VCSs. */
static int switch_view(struct cxlsw_dev *dev, struct switch_state *st)
{
	return state_read(target_switch(dev), st, STATE_VCS);
}

int cmd_list_lds(int argc, char **argv)
{
	struct lds_args a = { NULL };
	struct switch_state st;
	struct json_object *o, *pool;
	struct cxlsw_dev *dev;
	int code;

	cli_parse(&list_argp, "list-lds", argc, argv, &a);
	dev = cli_open_target("list-lds", a.name, &code);
	if (!dev)
		return code;
	if (switch_view(dev, &st)) {
		code = cli_dev_fail("list-lds", target_switch(dev));
	} else if (!(pool = ld_pool_json(dev, &st, global_target.port))) {
		code = cli_dev_fail("list-lds", dev);
	} else {
		o = json_object_new_object();
		json_add_target(o, dev);
		json_object_object_foreach(pool, key, val)
			json_object_object_add(o, key, json_object_get(val));
		json_object_put(pool);
		code = emit(o, lds_human);
	}
	state_free(&st);
	cxlsw_dev_close(dev);
	return code;
}
