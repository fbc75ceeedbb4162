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
