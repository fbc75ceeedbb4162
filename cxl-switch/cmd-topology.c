// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * topology: the whole fabric behind one switch at a glance.  Hosts (the
 * upstream ports and their VCSs) -> vPPBs -> physical ports -> devices ->
 * LDs, with what is unbound and what memory is free.  Each port is read
 * whole into a typed struct topo_port and then written as JSON, drawn as a
 * tree (topo-tree.c) or as Graphviz DOT (topo-dot.c): one reading, three
 * renderers, no json-c tree of the fabric between.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"
#include "dcd.h"

struct topology_args {
	const char *name;
	bool dot;
};

enum { OPT_DOT = 0x400 };

static const struct argp_option topology_options[] = {
	{ "dot", OPT_DOT, NULL, 0,
	  "Print Graphviz DOT (render with dot -Tsvg) instead of a tree", 0 },
	{ 0 },
};

static error_t topology_parse(int key, char *arg, struct argp_state *state)
{
	struct topology_args *a = state->input;

	if (key == OPT_DOT) {
		a->dot = true;
		return 0;
	}
	return switch_arg(state, key, arg, &a->name);
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp topology_argp = {
	.options = topology_options,
	.parser = topology_parse,
	.args_doc = "SWITCH",
	.doc = "Show the fabric behind a switch: each host's VCS and vPPBs, "
	       "the ports and devices they are bound to, the LDs of pooled "
	       "devices, and what is unbound or free.",
	.children = output_child,
};

/* Some vPPB names the port (bound, or a bind in progress): indexed. */
static bool port_bound(const struct switch_state *st, unsigned int port)
{
	struct state_iter it = { 0 };

	return state_next_user(st, port, &it);
}

/*
 * A dynamic capacity device's capacity and what each host holds of it;
 * NULL for a device without (it answers Unsupported) or that failed.
 */
static struct json_object *dynamic_capacity_json(struct cxlsw_dev *d,
						 int *code)
{
	struct json_object *o, *hosts, *h;
	struct cxlsw_dc_extent_list list;
	struct cxlsw_dcd_info info;
	const struct cxlsw_error *err;

	if (cxlsw_dcd_info(d, &info)) {
		err = cxlsw_dev_error(d);
		if (err->kind != CXLSW_ERR_UNSUPPORTED)
			*code = cli_dev_fail("topology", d);
		return NULL;
	}
	o = json_object_new_object();
	dcd_info_add(o, &info);
	hosts = json_object_new_array();
	for (unsigned int i = 0; i < info.hosts; i++) {
		if (cxlsw_get_dc_extents(d, (uint16_t)i, &list)) {
			*code = cli_dev_fail("topology", d);
			break;
		}
		h = json_object_new_object();
		json_add(h, "host_id", json_int(i));
		dc_extents_add(h, &list);
		free(list.extents);
		json_object_array_add(hosts, h);
	}
	json_add(o, "hosts", hosts);
	return o;
}

/*
 * The device's LD pool (an MLD's) and dynamic capacity, asked through the
 * tunnel its description was: a device that failed that is not asked more.
 */
static void read_extras(struct cxlsw_dev *d, struct topo_port *tp, int *code)
{
	struct device_row *r = &tp->row;
	int opcode;

	if (r->reach != DEVICE_OK)
		return;
	tp->mld = tp->p->connected_device_type == CXLSW_DEV_TYPE3_MLD;
	if (tp->mld) {
		tp->have_pool = !ld_pool_read(d, &tp->pool);
		opcode = tp->have_pool ? -1 : cli_dev_lacked(d);
		if (!tp->have_pool && opcode < 0) {
			*code = cli_dev_fail("topology", d);
		} else if (opcode >= 0 && !r->nlacks) {
			tp->late_lack = true;
			tp->late_opcode = (uint16_t)opcode;
		} else if (opcode >= 0) {
			device_row_lacks(r, d);
		}
	}
	tp->dc = dynamic_capacity_json(d, code);
}

/* One tunnel to the device serves every question: its limits asked once. */
static void topo_port_read(struct cxlsw_dev *sw, const struct switch_state *st,
			   const struct cxlsw_port_state *p,
			   const struct cxlsw_host_memdev *host, size_t nhost,
			   struct topo_port *tp, int *code)
{
	struct cxlsw_dev *d;

	memset(tp, 0, sizeof(*tp));
	tp->st = st;
	tp->p = p;
	tp->bound = !st->vcs_unavailable && port_bound(st, p->port_id);
	tp->has_dev = port_has_memdev(p);
	if (!tp->has_dev)
		return;
	d = port_device_open(sw, p);
	device_read("topology", d, p, host, nhost, &tp->row, code);
	if (d)
		read_extras(d, tp, code);
	cxlsw_dev_close(d);
}

static void topo_port_free(struct topo_port *tp)
{
	device_row_free(&tp->row);
	json_object_put(tp->dc);
}

/* ---- --json: written as read, json-c only for dynamic capacity ---------- */

struct topo_out {
	struct device_out dev;		/* its w is the document's */
	struct jw_kind host, vppb, port;
	struct ld_pool_kinds pool;
};

static void write_host(struct topo_out *o, const struct cxlsw_vcs_info *v)
{
	struct jw *w = o->dev.w;
	struct field *f = jw_kind_next(&o->host);

	jw_open(w, NULL, '{');
	field_int(&f[0], FKEY("vcs_id"), v->vcs_id);
	field_enum(&f[1], FKEY("state"), v->state, cxlsw_vcs_state_name);
	field_int(&f[2], FKEY("usp_id"), v->usp_id);
	fields_json_add(w, &o->host.rows, f, 3);
	jw_open(w, "vppbs", '[');
	for (unsigned int b = 0; b < v->num_vppbs; b++) {
		const struct cxlsw_vppb *e = &v->vppbs[b];
		/* a bind in progress already names its port (and LD) */
		bool used = e->binding_status != CXLSW_VPPB_UNBOUND;

		f = jw_kind_next(&o->vppb);
		field_int(&f[0], FKEY("vppb_id"), b);
		field_enum(&f[1], FKEY("binding_status"), e->binding_status,
			   cxlsw_vppb_binding_name);
		field_int(&f[2], FKEY("port_id"), e->port_id);
		if (!used)
			f[2].kind = FIELD_NULL;
		field_int(&f[3], FKEY("ld_id"), e->ld_id);
		if (!used || e->ld_id == CXLSW_NO_LD)
			f[3].kind = FIELD_NULL;
		fields_json_object(w, &o->vppb.rows, NULL, f, 4);
	}
	jw_close(w, ']');
	jw_close(w, '}');
}

static void write_port(struct topo_out *o, const struct switch_state *st,
		       const struct topo_port *tp)
{
	const struct cxlsw_port_state *p = tp->p;
	struct jw *w = o->dev.w;
	struct field *f = jw_kind_next(&o->port);

	jw_open(w, NULL, '{');
	field_int(&f[0], FKEY("port_id"), p->port_id);
	field_enum(&f[1], FKEY("config_state"), p->config_state,
		   cxlsw_port_config_state_name);
	field_enum(&f[2], FKEY("connected_device_type"),
		   p->connected_device_type, cxlsw_device_type_name);
	field_key(&f[3], FKEY("link_up"), FIELD_BOOL);
	f[3].i = p->ltssm_state == CXLSW_LTSSM_L0;
	field_key(&f[4], FKEY("bound"),
		  st->vcs_unavailable ? FIELD_NULL : FIELD_BOOL);
	f[4].i = tp->bound;
	fields_json_add(w, &o->port.rows, f, 5);
	if (!tp->has_dev) {
		jw_key(w, "device");
		jw_raw(w, "null");
	} else {
		jw_open(w, "device", '{');
		device_write_members(&o->dev, &tp->row);
		if (tp->late_lack)
			jw_lacks(w, &tp->late_opcode, 1);
		if (tp->have_pool)
			ld_pool_write(w, &o->pool, "ld_pool", &tp->pool, st,
				      p->port_id);
		else if (tp->mld)
			jw_json(w, "ld_pool", NULL);
		if (tp->dc)
			jw_json(w, "dynamic_capacity", tp->dc);
		jw_close(w, '}');
	}
	jw_close(w, '}');
}

static void topology_out(struct cxlsw_dev *sw, const struct switch_state *st,
			 struct topo_out *o, int *code)
{
	struct cxlsw_host_memdev *host;
	struct jw *w = o->dev.w;
	struct topo_port tp;
	size_t nhost;

	if (cxlsw_host_memdevs(&host, &nhost)) {
		host = NULL;
		nhost = 0;
	}
	jw_json_put(w, "num_physical_ports",
		    json_int(st->info.num_physical_ports));
	jw_json_put(w, "num_vcss", json_int(st->info.num_vcss));
	if (st->vcs_unavailable) {
		jw_key(w, "hosts");
		jw_raw(w, "null");
		jw_unavailable(w, st->vcs_why);
	} else {
		jw_open(w, "hosts", '[');
		for (size_t i = 0; i < st->nvcs; i++)
			if (st->vcs[i].state != CXLSW_VCS_INVALID)
				write_host(o, &st->vcs[i]);
		jw_close(w, ']');
	}
	jw_open(w, "ports", '[');
	for (size_t i = 0; i < st->nports; i++) {
		if (st->ports[i].config_state != CXLSW_PORT_DSP)
			continue;
		topo_port_read(sw, st, &st->ports[i], host, nhost, &tp, code);
		write_port(o, st, &tp);
		topo_port_free(&tp);
	}
	jw_close(w, ']');
	free(host);
}

/* --json: the document streamed, byte for byte what json_print prints */
static int topology_stream(struct cxlsw_dev *sw, const struct switch_state *st,
			   int *code)
{
	struct topo_out *o = calloc(1, sizeof(*o));
	struct jw *w = jw_new(stdout, global_output.pretty);
	int rc;

	if (!w || !o) {
		free(w);
		free(o);
		return EXIT_IO;
	}
	o->dev.w = w;
	/* the switch is the document's, beside its members */
	doc_switch(cxlsw_dev_name(sw));
	doc_jw_object_begin(w);
	topology_out(sw, st, o, code);
	doc_jw_object_end(w);
	rc = jw_finish(w);
	free(o);
	json_shared_release();
	return rc || fflush(stdout) ? EXIT_IO : EXIT_OK;
}

/*
 * The tree and DOT drawn as the result is read, each piece freed once
 * drawn: the tree keeps each port's lines (its hosts, drawn first, name
 * ports), DOT prints hosts and ports as they come.
 */
static int topology_human(struct cxlsw_dev *sw, const struct switch_state *st,
			  bool dot, int *code)
{
	struct cxlsw_host_memdev *host;
	struct topo_tree *t = NULL;
	struct dot *d = NULL;
	struct topo_port tp;
	struct json_object *o;
	bool failed = false;
	size_t nhost;

	if (dot)
		d = topo_dot_begin(cxlsw_dev_name(sw),
				   st->info.num_physical_ports,
				   st->info.num_vcss);
	else
		t = topo_tree_new();
	if (!d && !t)
		return EXIT_IO;
	if (cxlsw_host_memdevs(&host, &nhost)) {
		host = NULL;
		nhost = 0;
	}
	for (size_t i = 0; d && i < st->nvcs; i++)
		if (st->vcs[i].state != CXLSW_VCS_INVALID)
			topo_dot_host(d, &st->vcs[i]);
	for (size_t i = 0; i < st->nports; i++) {
		if (st->ports[i].config_state != CXLSW_PORT_DSP)
			continue;
		topo_port_read(sw, st, &st->ports[i], host, nhost, &tp, code);
		if (d)
			topo_dot_port(d, &tp);
		else
			topo_tree_port(t, &tp);
		topo_port_free(&tp);
	}
	free(host);
	if (d) {
		topo_dot_end(d, !st->vcs_unavailable);
		topo_dot_free(d);
	} else {
		topo_tree_head(cxlsw_dev_name(sw), st->info.num_physical_ports,
			       st->info.num_vcss);
		for (size_t i = 0; i < st->nvcs; i++)
			if (st->vcs[i].state != CXLSW_VCS_INVALID)
				topo_tree_host(t, &st->vcs[i]);
		/* without the VCSs every port is listed, its host unknown */
		if (st->vcs_unavailable) {
			o = json_object_new_object();
			unavailable_add_text(o, st->vcs_why);
			unavailable_print(o, "hosts unknown");
			json_object_put(o);
		}
		topo_tree_end(t, !st->vcs_unavailable);
		failed = topo_tree_failed(t);
		topo_tree_free(t);
	}
	json_shared_release();
	return failed || fflush(stdout) ? EXIT_IO : EXIT_OK;
}

int cmd_topology(int argc, char **argv)
{
	struct topology_args a = { NULL };
	struct json_object *errors;
	struct switch_state st;
	int rc;
	struct cxlsw_dev *sw;
	int code = 0;

	cli_parse(&topology_argp, "topology", argc, argv, &a);
	if (a.dot && global_output.json)
		return cli_fail("topology", EXIT_USAGE,
				"--dot and --json exclude each other: one output format");
	sw = cli_open("topology", a.name, &code);
	if (!sw)
		return code;
	/* what its Command Effects Log leaves out is not even asked */
	cxlsw_dev_learn_cel(sw);
	if (state_read(sw, &st, STATE_ALL)) {
		code = cli_dev_fail("topology", sw);
	} else {
		/* a device that fails is shown with its error: one document */
		errors = json_object_new_array();
		cli_errors_into(errors);
		if (global_output.json) {
			rc = topology_stream(sw, &st, &code);
		} else {
			rc = topology_human(sw, &st, a.dot, &code);
		}
		cli_errors_into(NULL);
		json_object_put(errors);
		code = rc ?: code;
	}
	state_free(&st);
	cxlsw_dev_close(sw);
	return code;
}
