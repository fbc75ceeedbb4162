// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * topology: the whole fabric behind one switch at a glance.  Hosts (the
 * upstream ports and their VCSs) -> vPPBs -> physical ports -> devices ->
 * LDs, with what is unbound and what memory is free.  One JSON result,
 * drawn as a tree (topo-tree.c) or as Graphviz DOT (topo-dot.c).
 */
#include <stdlib.h>

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

static struct json_object *vppb_json(const struct cxlsw_vcs_info *v,
				     unsigned int b)
{
	const struct cxlsw_vppb *e = &v->vppbs[b];
	struct json_object *o = json_object_new_object();
	/* a bind in progress already names its port (and LD) */
	bool used = e->binding_status != CXLSW_VPPB_UNBOUND;

	json_add(o, "vppb_id", json_int(b));
	json_add(o, "binding_status",
		 json_enum(e->binding_status, cxlsw_vppb_binding_name));
	json_add(o, "port_id", used ? json_int(e->port_id) : NULL);
	json_add(o, "ld_id", used && e->ld_id != CXLSW_NO_LD ?
		 json_int(e->ld_id) : NULL);
	return o;
}

static struct json_object *host_json(const struct cxlsw_vcs_info *v)
{
	struct json_object *o = json_object_new_object(), *vppbs;

	json_add(o, "vcs_id", json_int(v->vcs_id));
	json_add(o, "state", json_enum(v->state, cxlsw_vcs_state_name));
	json_add(o, "usp_id", json_int(v->usp_id));
	vppbs = json_object_new_array();
	for (unsigned int b = 0; b < v->num_vppbs; b++)
		json_object_array_add(vppbs, vppb_json(v, b));
	json_add(o, "vppbs", vppbs);
	return o;
}

/* Some vPPB names the port (bound, or a bind in progress): indexed. */
static bool port_bound(const struct switch_state *st, unsigned int port)
{
	struct state_iter it = { 0 };

	return state_next_user(st, port, &it);
}

/*
 * A dynamic capacity device's capacity and what each host holds of it.
 * A device without dynamic capacity answers Unsupported: nothing to add.
 */
static void add_dynamic_capacity(struct cxlsw_dev *d, struct json_object *dev,
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
		return;
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
	json_add(dev, "dynamic_capacity", o);
}

/*
 * A device's LD pool (for an MLD) and dynamic capacity, asked through the
 * tunnel its description was: a device that failed that is not asked more.
 */
static void add_device_extras(struct cxlsw_dev *d, struct json_object *dev,
			      const struct switch_state *st,
			      const struct cxlsw_port_state *p, int *code)
{
	struct json_object *pool;

	if (json_object_object_get_ex(dev, "error", NULL))
		return;
	if (p->connected_device_type == CXLSW_DEV_TYPE3_MLD) {
		pool = ld_pool_json(d, st, p->port_id);
		if (!pool && !unavailable_add(dev, d))
			*code = cli_dev_fail("topology", d);
		json_add(dev, "ld_pool", pool);
	}
	add_dynamic_capacity(d, dev, code);
}

/*
 * A downstream port: its state, its device, and the device's LD pool.
 * One tunnel to the device serves every question, so the device is asked
 * its message limits once.
 */
static struct json_object *port_json(struct cxlsw_dev *sw,
				     const struct switch_state *st,
				     const struct cxlsw_port_state *p,
				     const struct cxlsw_host_memdev *host,
				     size_t nhost, int *code)
{
	struct json_object *o = json_object_new_object(), *dev = NULL;
	struct cxlsw_dev *d = NULL;

	json_add(o, "port_id", json_int(p->port_id));
	json_add(o, "config_state",
		 json_enum(p->config_state, cxlsw_port_config_state_name));
	json_add(o, "connected_device_type",
		 json_enum(p->connected_device_type, cxlsw_device_type_name));
	json_add(o, "link_up", json_boolean(p->ltssm_state == CXLSW_LTSSM_L0));
	json_add(o, "bound", st->vcs_unavailable ? NULL :
		 json_boolean(port_bound(st, p->port_id)));
	if (port_has_memdev(p)) {
		d = port_device_open(sw, p);
		dev = device_json("topology", d, p, host, nhost, code);
	}
	if (d)
		add_device_extras(d, dev, st, p, code);
	cxlsw_dev_close(d);
	json_add(o, "device", dev);
	return o;
}

static void topology_out(struct cxlsw_dev *sw, const struct switch_state *st,
			 struct jw *w, int *code)
{
	struct cxlsw_host_memdev *host;
	struct json_object *u;
	size_t nhost;

	if (cxlsw_host_memdevs(&host, &nhost)) {
		host = NULL;
		nhost = 0;
	}
	jw_json_put(w, "num_physical_ports",
		    json_int(st->info.num_physical_ports));
	jw_json_put(w, "num_vcss", json_int(st->info.num_vcss));
	if (st->vcs_unavailable) {
		jw_json_put(w, "hosts", NULL);
		u = json_object_new_object();
		unavailable_add_text(u, st->vcs_why);
		jw_json_put(w, "unavailable",
			    json_object_get(jget(u, "unavailable")));
		json_object_put(u);
	} else {
		jw_open(w, "hosts", '[');
		for (size_t i = 0; i < st->nvcs; i++)
			if (st->vcs[i].state != CXLSW_VCS_INVALID)
				jw_json_put(w, NULL, host_json(&st->vcs[i]));
		jw_close(w, ']');
	}
	jw_open(w, "ports", '[');
	for (size_t i = 0; i < st->nports; i++)
		if (st->ports[i].config_state == CXLSW_PORT_DSP)
			jw_json_put(w, NULL, port_json(sw, st, &st->ports[i],
						       host, nhost, code));
	jw_close(w, ']');
	free(host);
}

/* --json: the document streamed, byte for byte what json_print prints */
static int topology_stream(struct cxlsw_dev *sw, const struct switch_state *st,
			   int *code)
{
	struct jw *w = jw_new(stdout, global_output.pretty);
	int rc;

	if (!w)
		return EXIT_IO;
	/* the switch is the document's, beside its members */
	doc_switch(cxlsw_dev_name(sw));
	doc_jw_object_begin(w);
	topology_out(sw, st, w, code);
	doc_jw_object_end(w);
	rc = jw_finish(w);
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
		if (st->vcs[i].state != CXLSW_VCS_INVALID) {
			o = host_json(&st->vcs[i]);
			topo_dot_host(d, o);
			json_object_put(o);
		}
	for (size_t i = 0; i < st->nports; i++) {
		if (st->ports[i].config_state != CXLSW_PORT_DSP)
			continue;
		o = port_json(sw, st, &st->ports[i], host, nhost, code);
		if (d)
			topo_dot_port(d, o);
		else
			topo_tree_port(t, o);
		json_object_put(o);
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
