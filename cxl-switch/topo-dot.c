// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The topology result as Graphviz DOT, drawn left to right in five
 * columns: hosts, vPPBs, ports, devices, LDs.  Each host's VCS is a
 * cluster holding its vPPBs; each pooled device a cluster holding its
 * LDs, with the LDs no host has and the unallocated memory grouped apart;
 * the ports no host is bound to are a cluster of their own.  Every edge
 * goes one column to the right (an LD binding is drawn to the LD's port,
 * the LD filled in the host's colour), so no edge crosses the drawing.
 * States are colours and line styles, explained by a legend.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* One colour per host (by VCS id), strong for the host, pale for what it has. */
static const char *const host_strong[] = {
	"#1f77b4", "#2ca02c", "#9467bd", "#8c564b",
	"#17becf", "#bcbd22", "#e377c2", "#7f7f7f",
};
static const char *const host_pale[] = {
	"#d6e6f4", "#d5efd5", "#e6dcf0", "#e8dcd8",
	"#d0f1f5", "#f0f0cc", "#f8dcee", "#e5e5e5",
};
#define NCOLOURS	ARRAY_SIZE(host_strong)
#define PROGRESS	"#ff7f0e"	/* a bind or unbind in progress */
#define DOWN		"#d62728"	/* link down, device unreachable */
#define FREE		"#2ca02c"	/* memory no LD has */
#define NOTHING		"#aaaaaa"	/* nothing connected, unbound */

/* The five columns, left to right; each node is listed in one. */
enum { COL_HOST, COL_VPPB, COL_PORT, COL_DEVICE, COL_LD, NCOLS };

struct dot {
	FILE *out;		/* stdout, or the unbound ports' text */
	/* the vPPB -> port edges, printed after every node is placed */
	char *edges;
	size_t elen;
	/* the node names of each column, for its rank=same line */
	char *col[NCOLS];
	size_t len[NCOLS];
	/* the ports no host has: drawn after the bound ones */
	struct dot *unbound;
	char *unbound_text;
	size_t unbound_len;
};

static void col_add(struct dot *d, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void col_add(struct dot *d, int col, const char *fmt, ...)
{
	char name[64];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	p = realloc(d->col[col], d->len[col] + strlen(name) + 3);
	if (!p)
		return;
	d->col[col] = p;
	d->len[col] += (size_t)sprintf(p + d->len[col], " %s;", name);
}

static void edge_add(struct dot *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void edge_add(struct dot *d, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	p = realloc(d->edges, d->elen + strlen(line) + 1);
	if (!p)
		return;
	d->edges = p;
	d->elen += (size_t)sprintf(p + d->elen, "%s", line);
}

/* ids as ranges: "1-4, 6, 12-15" */
static void id_ranges(const int *ids, size_t n, char *buf, size_t len)
{
	size_t used = 0, i = 0;

	buf[0] = '\0';
	while (i < n && used < len) {
		size_t j = i;

		while (j + 1 < n && ids[j + 1] == ids[j] + 1)
			j++;
		if (j > i)
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%d-%d", i ? ", " : "",
						 ids[i], ids[j]);
		else
			used += (size_t)snprintf(buf + used, len - used,
						 "%s%d", i ? ", " : "", ids[i]);
		i = j + 1;
	}
}

/* Text in a DOT string: quotes and backslashes escaped, controls blanked. */
static void dot_text(char *out, size_t len, const char *in)
{
	size_t o = 0;

	for (; in && *in && o + 3 < len; in++) {
		if (*in == '"' || *in == '\\')
			out[o++] = '\\';
		out[o++] = (char)((unsigned char)*in < ' ' ? ' ' : *in);
	}
	out[o] = '\0';
}

static int host_index(int vcs)
{
	return (int)((unsigned int)vcs % NCOLOURS);
}

/* The host (VCS id) an LD is bound to, -1 for none or unknown. */
static int ld_host(struct json_object *ld)
{
	struct json_object *b = jget(ld, "bound_to");

	if (!b || !json_object_array_length(b))
		return -1;
	return json_object_get_int(jget(json_object_array_get_idx(b, 0),
					"vcs_id"));
}

/* A vPPB bound, or being bound, to a port: drawn in its own node. */
static void dot_vppb(struct dot *d, int vcs, struct json_object *v)
{
	const char *how = json_object_get_string(jget(v, "binding_status"));
	struct json_object *port = jget(v, "port_id"), *ld = jget(v, "ld_id");
	int b = json_object_get_int(jget(v, "vppb_id")), h = host_index(vcs);
	bool bound = how && !strncmp(how, "bound_", 6);
	char lbl[32] = "";

	if (bound)
		fprintf(d->out, "    vcs%d_vppb%d [label=\"vPPB %d\", shape=ellipse, fillcolor=\"%s\", color=\"%s\"];\n",
		       vcs, b, b, host_pale[h], host_strong[h]);
	else
		fprintf(d->out, "    vcs%d_vppb%d [label=\"vPPB %d\\n%s\", shape=ellipse, fillcolor=\"%s\", color=\"%s\"];\n",
		       vcs, b, b, how, PROGRESS, PROGRESS);
	col_add(d, COL_VPPB, "vcs%d_vppb%d", vcs, b);
	fprintf(d->out, "    host%d -> vcs%d_vppb%d [color=\"%s\"];\n", vcs, vcs, b,
	       host_strong[h]);
	if (ld)
		snprintf(lbl, sizeof(lbl), "LD %d", json_object_get_int(ld));
	edge_add(d, "  vcs%d_vppb%d -> port%d [color=\"%s\"%s, label=\"%s\", fontcolor=\"%s\"];\n",
		 vcs, b, json_object_get_int(port),
		 bound ? host_strong[h] : PROGRESS,
		 bound ? ", penwidth=1.5" : ", style=dashed", lbl,
		 bound ? host_strong[h] : PROGRESS);
}

/* A VCS's unbound vPPBs, all in one node: they lead nowhere. */
static void dot_unbound_vppbs(struct dot *d, int vcs, struct json_object *vppbs)
{
	size_t n = json_object_array_length(vppbs), k = 0;
	int *ids = calloc(n ? n : 1, sizeof(*ids));
	char list[512];

	if (!ids)
		return;
	for (size_t b = 0; b < n; b++) {
		struct json_object *v = json_object_array_get_idx(vppbs, b);

		if (!jget(v, "port_id"))
			ids[k++] = json_object_get_int(jget(v, "vppb_id"));
	}
	if (k) {
		id_ranges(ids, k, list, sizeof(list));
		fprintf(d->out, "    vcs%d_unbound [label=\"vPPB%s %s\\nunbound\", shape=ellipse, style=dashed, color=\"%s\", fontcolor=\"%s\"];\n",
		       vcs, k > 1 ? "s" : "", list, NOTHING, NOTHING);
		col_add(d, COL_VPPB, "vcs%d_unbound", vcs);
		fprintf(d->out, "    host%d -> vcs%d_unbound [style=dashed, color=\"%s\"];\n",
		       vcs, vcs, NOTHING);
	}
	free(ids);
}

/* A host (VCS) and its vPPBs. */
void topo_dot_host(struct dot *d, struct json_object *h)
{
	struct json_object *vppbs = jget(h, "vppbs");
	int vcs = json_object_get_int(jget(h, "vcs_id")), c = host_index(vcs);
	const char *state = json_object_get_string(jget(h, "state"));
	bool on = state && !strcmp(state, "enabled");

	fprintf(d->out, "  subgraph cluster_vcs%d {\n", vcs);
	fprintf(d->out, "    label=\"VCS %d (%s)\"; style=\"rounded%s\"; color=\"%s\"; fillcolor=\"%s\";\n",
		vcs, state, on ? ",filled" : ",dashed",
		on ? host_strong[c] : NOTHING, "#fbfbfb");
	fprintf(d->out, "    host%d [label=\"host\\nUSP %d\", shape=box, fillcolor=\"%s\", fontcolor=white, color=\"%s\"];\n",
		vcs, json_object_get_int(jget(h, "usp_id")),
		on ? host_strong[c] : NOTHING,
		on ? host_strong[c] : NOTHING);
	col_add(d, COL_HOST, "host%d", vcs);
	for (size_t b = 0; b < json_object_array_length(vppbs); b++)
		if (jget(json_object_array_get_idx(vppbs, b), "port_id"))
			dot_vppb(d, vcs, json_object_array_get_idx(vppbs, b));
	dot_unbound_vppbs(d, vcs, vppbs);
	fprintf(d->out, "  }\n");
}

/* "SLD 16 GiB\nserial ...\nmem0", "PCIe device", "SLD\nunreachable" */
static void device_label(struct json_object *p, char *buf, size_t len)
{
	struct json_object *dev = jget(p, "device"),
			   *cap = jget(jget(dev, "memdev"), "total_capacity_bytes");
	const char *type = json_object_get_string(jget(p,
						"connected_device_type"));
	const char *memdev = json_object_get_string(jget(dev, "host_memdev"));
	char size[32] = "", serial[80] = "", host[80] = "";
	char text[64];

	if (!type)
		type = "device";
	else if (!strcmp(type, "cxl_type3_sld"))
		type = "Type 3 SLD";
	else if (!strcmp(type, "cxl_type3_mld"))
		type = "Type 3 MLD";
	else if (!strcmp(type, "pcie"))
		type = "PCIe device";
	else if (!strcmp(type, "cxl_type1"))
		type = "Type 1 device";
	else if (!strcmp(type, "cxl_type2_or_hbr_switch"))
		type = "Type 2 device or HBR switch";
	if (dev && !json_object_get_boolean(jget(dev, "reachable"))) {
		snprintf(buf, len, "%s\\nunreachable", type);
		return;
	}
	if (cap)
		format_size((uint64_t)json_object_get_int64(cap), size,
			    sizeof(size));
	if (jget(jget(dev, "identify"), "serial")) {
		dot_text(text, sizeof(text), json_object_get_string(
			 jget(jget(dev, "identify"), "serial")));
		snprintf(serial, sizeof(serial), "\\n%s", text);
	}
	if (memdev) {
		dot_text(text, sizeof(text), memdev);
		snprintf(host, sizeof(host), "\\n%s", text);
	}
	snprintf(buf, len, "%s%s%s%s%s", type, size[0] ? " " : "", size,
		 serial, host);
}

/*
 * The LDs of a pooled device that no host has, in one node: a line per
 * run of consecutive LDs of one size ("LD 1-4: 8 GiB each").
 */
static void dot_free_lds(struct dot *d, struct json_object *lds, int id,
			 const char *in)
{
	size_t n = json_object_array_length(lds), used = 0;
	char lbl[1024] = "", size[32], list[64];

	for (size_t i = 0; i < n && used < sizeof(lbl); ) {
		struct json_object *l = json_object_array_get_idx(lds, i);
		int64_t bytes = json_object_get_int64(jget(l, "allocation_bytes"));
		int first = json_object_get_int(jget(l, "ld_id")), last = first;
		size_t j = i + 1;

		if (ld_host(l) >= 0 || !jget(l, "bound_to")) {
			i++;
			continue;
		}
		for (; j < n; j++) {
			struct json_object *m = json_object_array_get_idx(lds, j);

			if (ld_host(m) >= 0 || !jget(m, "bound_to") ||
			    json_object_get_int(jget(m, "ld_id")) != last + 1 ||
			    json_object_get_int64(jget(m, "allocation_bytes")) != bytes)
				break;
			last++;
		}
		format_size((uint64_t)bytes, size, sizeof(size));
		if (last > first)
			snprintf(list, sizeof(list), "LD %d-%d", first, last);
		else
			snprintf(list, sizeof(list), "LD %d", first);
		used += (size_t)snprintf(lbl + used, sizeof(lbl) - used,
					 "\\n%s: %s%s", list,
					 bytes ? size : "no memory",
					 bytes && last > first ? " each" : "");
		i = j;
	}
	fprintf(d->out, "%s      pool%d_lds [label=\"LDs no host has%s\", shape=component, style=dashed, color=\"%s\"];\n",
	       in, id, lbl, NOTHING);
	col_add(d, COL_LD, "pool%d_lds", id);
}

/*
 * A pooled device's LDs: those a host has, filled in its colour; those
 * no host has, and the memory no LD has, in a cluster of their own.
 */
static void dot_pool(struct dot *d, struct json_object *p, int id,
		     const char *in)
{
	struct json_object *pool = jget(jget(p, "device"), "ld_pool"),
			   *lds = jget(pool, "lds");
	char size[32], lbl[256], gran[32];
	bool any_free = false;

	format_size((uint64_t)json_object_get_int64(jget(pool,
					"granularity_bytes")), gran, sizeof(gran));
	fprintf(d->out, "%s  subgraph cluster_pool%d {\n", in, id);
	fprintf(d->out, "%s    label=\"port %d pool, %s granularity\"; style=rounded; color=\"#555555\";\n",
	       in, id, gran);
	device_label(p, lbl, sizeof(lbl));
	fprintf(d->out, "%s    dev%d [label=\"%s\", shape=box3d];\n", in, id, lbl);
	col_add(d, COL_DEVICE, "dev%d", id);
	for (size_t i = 0; i < json_object_array_length(lds); i++) {
		struct json_object *l = json_object_array_get_idx(lds, i);
		int h = ld_host(l), ld = json_object_get_int(jget(l, "ld_id"));

		if (h < 0 && jget(l, "bound_to")) {
			any_free = true;
			continue;
		}
		format_size((uint64_t)json_object_get_int64(
			    jget(l, "allocation_bytes")), size, sizeof(size));
		fprintf(d->out, "%s    port%d_ld%d [label=\"LD %d\\n%s\", shape=component, fillcolor=\"%s\", color=\"%s\"];\n",
		       in, id, ld, ld, size,
		       h < 0 ? "white" : host_pale[host_index(h)],
		       h < 0 ? "black" : host_strong[host_index(h)]);
		col_add(d, COL_LD, "port%d_ld%d", id, ld);
		fprintf(d->out, "%s    dev%d -> port%d_ld%d [color=\"%s\"];\n", in, id, id,
		       ld, h < 0 ? "black" : host_strong[host_index(h)]);
	}
	format_size((uint64_t)json_object_get_int64(jget(pool, "free_bytes")),
		    size, sizeof(size));
	fprintf(d->out, "%s    subgraph cluster_pool%d_free {\n", in, id);
	fprintf(d->out, "%s      label=\"free\"; style=\"rounded,dashed\"; color=\"%s\"; fontcolor=\"%s\";\n",
	       in, FREE, FREE);
	if (any_free)
		dot_free_lds(d, lds, id, in);
	fprintf(d->out, "%s      pool%d_free [label=\"%s\\nnot in any LD\", shape=note, style=dashed, color=\"%s\", fontcolor=\"%s\"];\n",
	       in, id, size, FREE, FREE);
	col_add(d, COL_LD, "pool%d_free", id);
	/*
	 * The edges into the free group after it: an edge names its nodes
	 * into the subgraph it is in, and the device is not free.
	 */
	fprintf(d->out, "%s    }\n", in);
	if (any_free)
		fprintf(d->out, "%s    dev%d -> pool%d_lds [style=dashed, color=\"%s\"];\n",
		       in, id, id, NOTHING);
	fprintf(d->out, "%s    dev%d -> pool%d_free [style=dotted, color=\"%s\"];\n",
	       in, id, id, FREE);
	fprintf(d->out, "%s  }\n", in);
}

/* One downstream port, its device and (for an MLD) its LD pool. */
static void dot_port(struct dot *d, struct json_object *p, const char *in)
{
	int id = json_object_get_int(jget(p, "port_id"));
	const char *type = json_object_get_string(jget(p,
						"connected_device_type"));
	struct json_object *dev = jget(p, "device"), *up = jget(p, "link_up");
	bool bound = json_object_get_boolean(jget(p, "bound")),
	     none = !type || !strcmp(type, "none"),
	     down = up && !json_object_get_boolean(up),
	     lost = dev && !json_object_get_boolean(jget(dev, "reachable"));
	char lbl[256], dc[256], dct[300];

	if (none)
		fprintf(d->out, "%s  port%d [label=\"port %d\\nnothing connected\", shape=box, style=dotted, color=\"%s\", fontcolor=\"%s\"];\n",
		       in, id, id, NOTHING, NOTHING);
	else
		fprintf(d->out, "%s  port%d [label=\"port %d%s\", shape=box, style=\"%s\", color=\"%s\"];\n",
		       in, id, id, down ? "\\nlink down" : "",
		       /* bindings unknown (no VCS info): not drawn as free */
		       bound || !jget(p, "bound") ? "rounded,filled" :
		       "rounded,dashed",
		       down ? DOWN : "black");
	col_add(d, COL_PORT, "port%d", id);
	if (none)
		return;
	if (jget(jget(p, "device"), "ld_pool")) {
		fprintf(d->out, "%s  port%d -> dev%d;\n", in, id, id);
		dot_pool(d, p, id, in);
		return;
	}
	device_label(p, lbl, sizeof(lbl));
	topo_dc_text(p, dc, sizeof(dc));
	dot_text(dct, sizeof(dct), dc);
	fprintf(d->out, "%s  dev%d [label=\"%s%s%s\", shape=box3d, style=%s, color=\"%s\"];\n",
	       in, id, lbl, dc[0] ? "\\ndynamic capacity " : "", dct,
	       lost ? "dashed" : "filled", lost ? DOWN : "black");
	col_add(d, COL_DEVICE, "dev%d", id);
	fprintf(d->out, "%s  port%d -> dev%d%s;\n", in, id, id,
	       lost ? " [style=dashed, color=\"" DOWN "\"]" : "");
}

/*
 * A downstream port of the result, in the result's order: one a host
 * has drawn now, one no host has kept (as text) for the cluster of the
 * unbound, drawn after every bound one.
 */
void topo_dot_port(struct dot *d, struct json_object *p)
{
	if (json_object_get_boolean(jget(p, "bound")))
		dot_port(d, p, "");
	else if (d->unbound)
		dot_port(d->unbound, p, "  ");
}

/* What the colours and line styles mean: one sample per column. */
static void dot_legend(struct dot *d)
{
	static const char *const sample[NCOLS] = {
		"legend_bound [label=\"bound to a host\\n(its colour)\", shape=box, fillcolor=\"" "#d6e6f4" "\", color=\"" "#1f77b4" "\"]",
		"legend_progress [label=\"bind or unbind\\nin progress\", shape=ellipse, fillcolor=\"" PROGRESS "\", color=\"" PROGRESS "\"]",
		"legend_unbound [label=\"unbound\\n(dashed)\", shape=box, style=\"rounded,dashed\", color=\"" NOTHING "\"]",
		"legend_down [label=\"link down or\\nunreachable\", shape=box3d, style=dashed, color=\"" DOWN "\", fontcolor=\"" DOWN "\"]",
		"legend_free [label=\"free memory\\n(not any host's)\", shape=note, style=dashed, color=\"" FREE "\", fontcolor=\"" FREE "\"]",
	};
	static const char *const name[NCOLS] = {
		"legend_bound", "legend_progress", "legend_unbound",
		"legend_down", "legend_free",
	};

	fprintf(d->out, "  subgraph cluster_legend {\n    label=\"legend\"; style=rounded; color=\"#555555\";\n");
	for (int c = 0; c < NCOLS; c++) {
		fprintf(d->out, "    %s;\n", sample[c]);
		col_add(d, c, "%s", name[c]);
	}
	for (int c = 0; c + 1 < NCOLS; c++)
		fprintf(d->out, "    %s -> %s [style=invis];\n", name[c], name[c + 1]);
	fprintf(d->out, "  }\n");
}

/*
 * The graph is drawn as the result is read: the switch's line, then each
 * host, each port (topo_dot_port), then topo_dot_end.  NULL: no memory.
 */
struct dot *topo_dot_begin(const char *name, int nports, int nvcs)
{
	struct dot *d = calloc(1, sizeof(*d));
	char sw[128];

	if (!d)
		return NULL;
	d->out = stdout;
	d->unbound = calloc(1, sizeof(*d->unbound));
	if (d->unbound)
		d->unbound->out = open_memstream(&d->unbound_text,
						 &d->unbound_len);
	if (!d->unbound || !d->unbound->out) {
		free(d->unbound);
		free(d);
		return NULL;
	}
	dot_text(sw, sizeof(sw), name);
	fprintf(d->out, "digraph \"%s\" {\n", sw);
	fprintf(d->out, "  rankdir=LR; newrank=true; ranksep=0.7; nodesep=0.15;\n");
	fprintf(d->out, "  label=\"%s: %d ports, %d VCSs\"; labelloc=t; fontname=\"sans\";\n",
		sw, nports, nvcs);
	fprintf(d->out, "  node [fontname=\"sans\", fontsize=10, style=\"rounded,filled\", fillcolor=white];\n");
	fprintf(d->out, "  edge [arrowsize=0.6, fontname=\"sans\", fontsize=9];\n");
	return d;
}

/* The unbound ports' cluster, the legend, the edges, the columns. */
void topo_dot_end(struct dot *d, bool hosts)
{
	struct dot *u = d->unbound;
	char *p;

	fclose(u->out);
	fprintf(d->out, "  subgraph cluster_unbound {\n");
	fprintf(d->out, "    label=\"%s\"; style=\"rounded,dashed\"; color=\"%s\";\n",
		hosts ? "not bound to any host" : "ports (hosts unknown)",
		NOTHING);
	if (d->unbound_text)
		fputs(d->unbound_text, d->out);
	fprintf(d->out, "  }\n");
	/* the unbound ports' column entries after the bound ones' */
	for (int c = 0; c < NCOLS; c++) {
		if (!u->col[c])
			continue;
		p = realloc(d->col[c], d->len[c] + u->len[c] + 1);
		if (!p)
			continue;
		memcpy(p + d->len[c], u->col[c], u->len[c] + 1);
		d->col[c] = p;
		d->len[c] += u->len[c];
	}
	dot_legend(d);
	if (d->edges)
		fputs(d->edges, d->out);
	/* the five columns, so that every edge goes one to the right */
	for (int c = 0; c < NCOLS; c++)
		if (d->col[c])
			fprintf(d->out, "  { rank=same;%s }\n", d->col[c]);
	fprintf(d->out, "}\n");
}

void topo_dot_free(struct dot *d)
{
	if (!d)
		return;
	for (int c = 0; c < NCOLS; c++) {
		free(d->col[c]);
		free(d->unbound->col[c]);
	}
	free(d->edges);
	free(d->unbound->edges);
	free(d->unbound);
	free(d->unbound_text);
	free(d);
}
