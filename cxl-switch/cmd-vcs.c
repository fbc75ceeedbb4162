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

/* One vPPB's row: what list-vcs prints of it, in this order. */
static size_t vppb_fields(unsigned int id, const struct cxlsw_vppb *e,
			  struct field *f)
{
	bool bound = e->binding_status != CXLSW_VPPB_UNBOUND;
	bool ld = e->binding_status == CXLSW_VPPB_BOUND_LD ||
		  (e->binding_status == CXLSW_VPPB_IN_PROGRESS &&
		   e->ld_id != CXLSW_NO_LD);

	field_int(&f[0], FKEY("vppb_id"), id);
	field_enum(&f[1], FKEY("binding_status"), e->binding_status,
		   cxlsw_vppb_binding_name);
	if (bound)
		field_int(&f[2], FKEY("port_id"), e->port_id);
	else
		field_key(&f[2], FKEY("port_id"), FIELD_NULL);
	if (ld)
		field_int(&f[3], FKEY("ld_id"), e->ld_id);
	else
		field_key(&f[3], FKEY("ld_id"), FIELD_NULL);
	return 4;
}

/* A VCS's own fields, before its vPPBs. */
static size_t vcs_fields(const struct cxlsw_vcs_info *v, struct field *f)
{
	field_int(&f[0], FKEY("vcs_id"), v->vcs_id);
	field_enum(&f[1], FKEY("state"), v->state, cxlsw_vcs_state_name);
	field_int(&f[2], FKEY("usp_id"), v->usp_id);
	field_int(&f[3], FKEY("num_vppbs"), v->num_vppbs);
	return 4;
}

/*
 * Streamed from the decoded answers (fields.c), not built as a json-c
 * tree: 16 VCSs of 64 vPPBs are a thousand objects otherwise.
 */
static int vcs_json(const struct cxlsw_vcs_info *vcs, size_t n)
{
	/* vPPB rows in turn: the writer compares each with the one before */
	struct field f[2][FIELDS_MAX], head[FIELDS_MAX];
	struct jw *w = jw_new(stdout, global_output.pretty);
	size_t turn = 0, k;

	if (!w)
		return -1;
	doc_jw_begin(w);
	for (size_t i = 0; i < n; i++) {
		jw_open(w, NULL, '{');
		fields_json_members(w, head, vcs_fields(&vcs[i], head));
		jw_open(w, "vppbs", '[');
		for (unsigned int b = 0; b < vcs[i].num_vppbs; b++) {
			k = vppb_fields(b, &vcs[i].vppbs[b], f[turn]);
			fields_json(w, f[turn], k);
			turn ^= 1;
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	doc_jw_end(w);
	return jw_finish(w);
}

static size_t vppb_row(void *ctx, size_t r, struct field *f)
{
	const struct cxlsw_vcs_info *v = ctx;

	return vppb_fields((unsigned int)r, &v->vppbs[r], f);
}

/* "VCS 0: enabled, USP 0, 64 vPPBs", its fields' texts joined by copies */
static void vcs_head(const struct cxlsw_vcs_info *v, bool first)
{
	static const char *const glue[] = { "VCS ", ": ", ", USP ", ", " };
	struct field head[FIELDS_MAX];
	char line[4 * (8 + TABLE_CELL_MAX) + 16], *p = line;
	size_t n = vcs_fields(v, head);

	if (!first)
		*p++ = '\n';	/* a blank line between VCSs */
	for (size_t k = 0; k < n && k < ARRAY_SIZE(glue); k++) {
		p = stpcpy(p, glue[k]);
		p += field_text(&head[k], p, TABLE_CELL_MAX);
	}
	p = stpcpy(p, " vPPBs\n");
	fwrite(line, 1, (size_t)(p - line), stdout);
}

static void vcs_human(const struct cxlsw_vcs_info *vcs, size_t n)
{
	static const struct field_column cols[] = {
		{ "VPPB", "vppb_id", NULL },
		{ "BINDING", "binding_status", NULL },
		{ "PORT", "port_id", NULL },
		{ "LD", "ld_id", NULL },
	};

	for (size_t i = 0; i < n; i++) {
		vcs_head(&vcs[i], i == 0);
		if (vcs[i].num_vppbs)
			fields_table(vcs[i].num_vppbs, vppb_row,
				     (void *)&vcs[i], cols, ARRAY_SIZE(cols),
				     "  ");
	}
}

static int vcs_emit(const struct cxlsw_vcs_info *vcs, size_t n)
{
	int rc = 0;

	if (global_output.json)
		rc = vcs_json(vcs, n);
	else
		vcs_human(vcs, n);
	return rc || fflush(stdout) ? EXIT_IO : EXIT_OK;
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
	code = vcs_emit(vcs, n);
out:
	free(vcs);
	cxlsw_dev_close(dev);
	return code;
}
