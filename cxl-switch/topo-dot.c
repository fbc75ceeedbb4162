// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The topology result as Graphviz DOT: hosts on the left, then vPPBs,
 * ports and devices, LDs on the right.  Unbound ports and LDs are drawn
 * dashed, so what is free stands out in the picture.
 */
#include <string.h>

#include "cli.h"

static void dot_hosts(struct json_object *topo)
{
	struct json_object *hosts = jget(topo, "hosts");

	for (size_t i = 0; hosts && i < json_object_array_length(hosts); i++) {
		struct json_object *h = json_object_array_get_idx(hosts, i),
				   *vppbs = jget(h, "vppbs");
		int vcs = json_object_get_int(jget(h, "vcs_id"));

		printf("  host%d [shape=box, style=filled, fillcolor=lightblue, label=\"host on USP %d\\nVCS %d (%s)\"];\n",
		       vcs, json_object_get_int(jget(h, "usp_id")), vcs,
		       json_object_get_string(jget(h, "state")));
		for (size_t b = 0; b < json_object_array_length(vppbs); b++) {
			struct json_object *v = json_object_array_get_idx(vppbs, b),
					   *port = jget(v, "port_id"),
					   *ld = jget(v, "ld_id");
			const char *how = json_object_get_string(jget(v,
						"binding_status"));

			printf("  vcs%d_vppb%zu [shape=ellipse, label=\"vPPB %zu\"%s];\n",
			       vcs, b, b, port ? "" : ", style=dashed");
			if (port && strncmp(how, "bound_", 6))
				continue;	/* in progress: not an edge yet */
			printf("  host%d -> vcs%d_vppb%zu;\n", vcs, vcs, b);
			if (ld)
				printf("  vcs%d_vppb%zu -> port%d_ld%d;\n", vcs, b,
				       json_object_get_int(port),
				       json_object_get_int(ld));
			else if (port)
				printf("  vcs%d_vppb%zu -> port%d;\n", vcs, b,
				       json_object_get_int(port));
		}
	}
}

static void dot_lds(struct json_object *port, int id)
{
	struct json_object *lds = jget(jget(jget(port, "device"), "ld_pool"),
				       "lds");
	char size[32];

	if (!lds)
		return;
	for (size_t i = 0; i < json_object_array_length(lds); i++) {
		struct json_object *l = json_object_array_get_idx(lds, i);
		/* null (bindings unknown) is drawn as bound: nothing claimed */
		bool bound = !jget(l, "bound_to") ||
			     json_object_array_length(jget(l, "bound_to"));

		format_size((uint64_t)json_object_get_int64(
			    jget(l, "allocation_bytes")), size, sizeof(size));
		printf("  port%d_ld%zu [shape=component, label=\"LD %zu\\n%s\"%s];\n",
		       id, i, i, size, bound ? "" : ", style=dashed");
		printf("  port%d -> port%d_ld%zu;\n", id, id, i);
	}
}

static void dot_ports(struct json_object *topo)
{
	struct json_object *ports = jget(topo, "ports"), *pool;
	char dev[256], freeb[32], dc[256];

	for (size_t i = 0; i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);
		int id = json_object_get_int(jget(p, "port_id"));

		topo_device_text(p, -1, dev, sizeof(dev));
		pool = jget(jget(p, "device"), "ld_pool");
		freeb[0] = '\0';
		if (pool)
			format_size((uint64_t)json_object_get_int64(
				    jget(pool, "free_bytes")), freeb,
				    sizeof(freeb));
		topo_dc_text(p, dc, sizeof(dc));
		printf("  port%d [shape=box3d, label=\"port %d\\n%s%s%s%s%s\"%s];\n",
		       id, id, dev, pool ? "\\nfree " : "", freeb,
		       dc[0] ? "\\ndynamic capacity " : "", dc,
		       json_object_get_boolean(jget(p, "bound")) ? "" :
		       ", style=dashed");
		dot_lds(p, id);
	}
}

void topology_dot(struct json_object *topo)
{
	printf("digraph \"%s\" {\n  rankdir=LR;\n  node [fontname=\"sans\"];\n",
	       json_object_get_string(jget(topo, "switch")));
	dot_hosts(topo);
	dot_ports(topo);
	printf("}\n");
}
