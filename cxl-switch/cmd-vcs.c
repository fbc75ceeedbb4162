// SPDX-License-Identifier: LGPL-2.1-or-later
/* list-vcs: Get Virtual CXL Switch Info (0x5200), every vPPB of each VCS. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct vcs_args {
	const char *name;
	bool have_ids;
	uint8_t ids[CXLSW_BITMAP_BYTES];
};

static const struct argp_option vcs_options[] = {
	{ "vcs", 'v', "LIST", 0, "Only these VCSs, e.g. 0,2-3", 0 },
	{ 0 },
};

static error_t vcs_parse(int key, char *arg, struct argp_state *state)
{
	struct vcs_args *a = state->input;
	char err[160];

	switch (key) {
	case 'v':
		if (parse_id_list(arg, CXLSW_MAX_VCSS - 1, a->ids, err,
				  sizeof(err)))
			usage_error(state, "--vcs: %s", err);
		a->have_ids = true;
		return 0;
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp vcs_argp = {
	.options = vcs_options,
	.parser = vcs_parse,
	.args_doc = "SWITCH",
	.doc = "Show a switch's virtual CXL switches and what each vPPB is bound to.",
	.children = output_child,
};

static struct json_object *vppb_json(unsigned int id, const struct cxlsw_vppb *e)
{
	struct json_object *o = json_object_new_object();
	bool bound = e->binding_status != CXLSW_VPPB_UNBOUND;
	bool ld = e->binding_status == CXLSW_VPPB_BOUND_LD ||
		  (e->binding_status == CXLSW_VPPB_IN_PROGRESS &&
		   e->ld_id != CXLSW_NO_LD);

	json_add(o, "vppb_id", json_int(id));
	json_add(o, "binding_status",
			       json_enum(e->binding_status,
					 cxlsw_vppb_binding_name));
	json_add(o, "port_id",
			       bound ? json_int(e->port_id) : NULL);
	json_add(o, "ld_id",
			       ld ? json_int(e->ld_id) : NULL);
	return o;
}

static struct json_object *vcs_json(const struct cxlsw_vcs_info *v)
{
	struct json_object *o = json_object_new_object();
	struct json_object *vppbs = json_object_new_array_ext(v->num_vppbs);

	json_add(o, "vcs_id", json_int(v->vcs_id));
	json_add(o, "state",
			       json_enum(v->state, cxlsw_vcs_state_name));
	json_add(o, "usp_id", json_int(v->usp_id));
	json_add(o, "num_vppbs",
			       json_int(v->num_vppbs));
	for (unsigned int i = 0; i < v->num_vppbs; i++)
		json_object_array_add(vppbs, vppb_json(i, &v->vppbs[i]));
	json_add(o, "vppbs", vppbs);
	return o;
}

static const char *str(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return json_object_get_string(v);
}

static void vcs_human(struct json_object *a)
{
	static const struct column cols[] = {
		{ "VPPB", "vppb_id", NULL },
		{ "BINDING", "binding_status", NULL },
		{ "PORT", "port_id", NULL },
		{ "LD", "ld_id", NULL },
	};

	for (size_t i = 0; i < json_object_array_length(a); i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		struct json_object *vppbs = NULL;

		json_object_object_get_ex(v, "vppbs", &vppbs);
		printf("%sVCS %s: %s, USP %s, %s vPPBs\n", i ? "\n" : "",
		       str(v, "vcs_id"), str(v, "state"), str(v, "usp_id"),
		       str(v, "num_vppbs"));
		if (json_object_array_length(vppbs))
			print_table(vppbs, cols, ARRAY_SIZE(cols), "  ");
	}
}

static int vcs_ids(const struct vcs_args *a,
		   const struct cxlsw_switch_info *si, const char *sw,
		   uint8_t *ids, size_t *n)
{
	uint8_t all[CXLSW_MAX_VCSS];
	size_t count = cxlsw_id_set(si->num_vcss, si->active_vcss, all);
	int missing = select_ids(all, count, a->have_ids ? a->ids : NULL, ids,
				 n);

	if (missing >= 0)
		return cli_fail("list-vcs", EXIT_USAGE,
				"VCS %d does not exist on %s (it has %zu VCSs)",
				missing, sw, count);
	return 0;
}

int cmd_list_vcs(int argc, char **argv)
{
	struct vcs_args a = { 0 };
	struct cxlsw_vcs_info *vcs = NULL;
	struct cxlsw_switch_info si;
	uint8_t ids[CXLSW_MAX_VCSS];
	struct cxlsw_dev *dev;
	struct json_object *arr;
	size_t n;
	int code;

	cli_parse(&vcs_argp, "list-vcs", argc, argv, &a);
	dev = cli_open("list-vcs", a.name, &code);
	if (!dev)
		return code;
	if (cxlsw_identify_switch(dev, &si)) {
		code = cli_dev_fail("list-vcs", dev);
		goto out;
	}
	code = vcs_ids(&a, &si, cxlsw_dev_name(dev), ids, &n);
	if (code)
		goto out;
	vcs = calloc(n ? n : 1, sizeof(*vcs));
	if (!vcs || cxlsw_get_vcs_info(dev, ids, n, vcs)) {
		code = vcs ? cli_dev_fail("list-vcs", dev) :
			     cli_fail("list-vcs", EXIT_IO, "out of memory");
		goto out;
	}
	arr = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(arr, vcs_json(&vcs[i]));
	code = emit(arr, vcs_human);
out:
	free(vcs);
	cxlsw_dev_close(dev);
	return code;
}
