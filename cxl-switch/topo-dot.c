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

/*
 * Text kept to print later, grown by doubling: a 256-port fabric adds a
 * few thousand names and edges, each was a realloc and a second copy.
 */
struct text {
	char *buf;
	size_t len, cap;
};

struct dot {
	/* what is drawn: to stdout in pieces, or the unbound ports' kept */
	struct text out;
	bool to_stdout;
	/* the vPPB -> port edges, printed after every node is placed */
	struct text edges;
	/* the node names of each column, for its rank=same line */
	struct text col[NCOLS];
	/* the ports no host has: drawn after the bound ones */
	struct dot *unbound;
};

/* Room for n more bytes and a NUL: t grown (false when it cannot be). */
static bool text_grow(struct text *t, size_t n)
{
	size_t cap = t->cap ? t->cap : 4096;
	char *p;

	while (cap <= t->len + n)
		cap *= 2;
	p = realloc(t->buf, cap);
	if (!p)
		return false;
	t->buf = p;
	t->cap = cap;
	return true;
}

static inline void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n >= t->cap && !text_grow(t, n))
		return;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/*
 * printf's %d, %u and %s (the only ones DOT's lines use; the compiler
 * checks them against the arguments), appended to t.  A 256-port fabric
 * is some 5000 lines: glibc's general formatting was most of drawing them.
 */
static void text_vadd(struct text *t, const char *fmt, va_list ap)
{
	char num[24];
	const char *s;
	int v;

	for (;;) {
		const char *pct = strchrnul(fmt, '%');

		text_add(t, fmt, (size_t)(pct - fmt));
		if (!*pct)
			return;
		switch (pct[1]) {
		case 'd':
			v = va_arg(ap, int);
			if (v < 0)
				text_add(t, "-", 1);
			text_add(t, num, field_uint_text(v < 0 ?
				 0u - (unsigned int)v : (unsigned int)v, num));
			break;
		case 'u':
			text_add(t, num, field_uint_text(va_arg(ap, unsigned int),
							 num));
			break;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			text_add(t, s, strlen(s));
			break;
		default:	/* "%%" */
			text_add(t, pct + 1, 1);
			break;
		}
		fmt = pct + 2;
	}
}

/* DOT's text goes out in pieces of 64 KiB: a few calls, never all of it */
static void out(struct dot *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(struct dot *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_vadd(&d->out, fmt, ap);
	va_end(ap);
	if (d->to_stdout && d->out.len >= 65536) {
		fwrite(d->out.buf, 1, d->out.len, stdout);
		d->out.len = 0;
	}
}

static void text_printf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* kept to print later: a column's node names (" name;"), the edges */
static void text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	text_vadd(t, fmt, ap);
	va_end(ap);
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
static int ld_host(const struct topo_port *tp, unsigned int ld)
{
	if (tp->st->vcs_unavailable)
		return -1;
	return ld_pool_ld_host(tp->st, tp->p->port_id, ld);
}

/* A vPPB bound, or being bound, to a port: drawn in its own node. */
static void dot_vppb(struct dot *d, const struct cxlsw_vcs_info *v,
		     unsigned int b)
{
	const struct cxlsw_vppb *e = &v->vppbs[b];
	char code[4];
	const char *how = enum_text(e->binding_status, cxlsw_vppb_binding_name,
				    code);
	int vcs = v->vcs_id, h = host_index(vcs);
	bool bound = !strncmp(how, "bound_", 6);
	char lbl[24] = "";

	if (bound)
		out(d, "    vcs%d_vppb%u [label=\"vPPB %u\", shape=ellipse, fillcolor=\"%s\", color=\"%s\"];\n",
		       vcs, b, b, host_pale[h], host_strong[h]);
	else
		out(d, "    vcs%d_vppb%u [label=\"vPPB %u\\n%s\", shape=ellipse, fillcolor=\"%s\", color=\"%s\"];\n",
		       vcs, b, b, how, PROGRESS, PROGRESS);
	text_printf(&d->col[COL_VPPB], " vcs%d_vppb%u;", vcs, b);
	out(d, "    host%d -> vcs%d_vppb%u [color=\"%s\"];\n", vcs, vcs, b,
	       host_strong[h]);
	/* the LD's id, "LD " before it ("" for none): no snprintf a vPPB */
	if (e->ld_id != CXLSW_NO_LD)
		field_uint_text(e->ld_id, lbl);
	text_printf(&d->edges, "  vcs%d_vppb%u -> port%d [color=\"%s\"%s, label=\"%s%s\", fontcolor=\"%s\"];\n",
		 vcs, b, e->port_id,
		 bound ? host_strong[h] : PROGRESS,
		 bound ? ", penwidth=1.5" : ", style=dashed",
		 lbl[0] ? "LD " : "", lbl,
		 bound ? host_strong[h] : PROGRESS);
}

/* A vPPB that names a port: bound, or a bind in progress. */
static bool vppb_used(const struct cxlsw_vppb *e)
{
	return e->binding_status != CXLSW_VPPB_UNBOUND;
}

/* A VCS's unbound vPPBs, all in one node: they lead nowhere. */
static void dot_unbound_vppbs(struct dot *d, const struct cxlsw_vcs_info *v)
{
	size_t n = v->num_vppbs, k = 0;
	int *ids = calloc(n ? n : 1, sizeof(*ids));
	int vcs = v->vcs_id;
	char list[512];

	if (!ids)
		return;
	for (size_t b = 0; b < n; b++)
		if (!vppb_used(&v->vppbs[b]))
			ids[k++] = (int)b;
	if (k) {
		id_ranges(ids, k, list, sizeof(list));
		out(d, "    vcs%d_unbound [label=\"vPPB%s %s\\nunbound\", shape=ellipse, style=dashed, color=\"%s\", fontcolor=\"%s\"];\n",
		       vcs, k > 1 ? "s" : "", list, NOTHING, NOTHING);
		text_printf(&d->col[COL_VPPB], " vcs%d_unbound;", vcs);
		out(d, "    host%d -> vcs%d_unbound [style=dashed, color=\"%s\"];\n",
		       vcs, vcs, NOTHING);
	}
	free(ids);
}

/* A host (VCS) and its vPPBs. */
void topo_dot_host(struct dot *d, const struct cxlsw_vcs_info *v)
{
	int vcs = v->vcs_id, c = host_index(vcs);
	char code[4];
	const char *state = enum_text(v->state, cxlsw_vcs_state_name, code);
	bool on = !strcmp(state, "enabled");

	out(d, "  subgraph cluster_vcs%d {\n", vcs);
	out(d, "    label=\"VCS %d (%s)\"; style=\"rounded%s\"; color=\"%s\"; fillcolor=\"%s\";\n",
		vcs, state, on ? ",filled" : ",dashed",
		on ? host_strong[c] : NOTHING, "#fbfbfb");
	out(d, "    host%d [label=\"host\\nUSP %d\", shape=box, fillcolor=\"%s\", fontcolor=white, color=\"%s\"];\n",
		vcs, v->usp_id,
		on ? host_strong[c] : NOTHING,
		on ? host_strong[c] : NOTHING);
	text_printf(&d->col[COL_HOST], " host%d;", vcs);
	for (unsigned int b = 0; b < v->num_vppbs; b++)
		if (vppb_used(&v->vppbs[b]))
			dot_vppb(d, v, b);
	dot_unbound_vppbs(d, v);
	out(d, "  }\n");
}

/* "SLD 16 GiB\nserial ...\nmem0", "PCIe device", "SLD\nunreachable" */
static void device_label(const struct topo_port *tp, char *buf, size_t len)
{
	const struct device_row *r = &tp->row;
	char code[4];
	const char *type = enum_text(tp->p->connected_device_type,
				     cxlsw_device_type_name, code);
	const char *memdev = tp->has_dev ? r->host_memdev : NULL;
	char size[32] = "", serial[80] = "", host[80] = "";
	struct identify_texts texts;
	struct field f[IDENTIFY_FIELDS];
	char text[64];

	if (!strcmp(type, "cxl_type3_sld"))
		type = "Type 3 SLD";
	else if (!strcmp(type, "cxl_type3_mld"))
		type = "Type 3 MLD";
	else if (!strcmp(type, "pcie"))
		type = "PCIe device";
	else if (!strcmp(type, "cxl_type1"))
		type = "Type 1 device";
	else if (!strcmp(type, "cxl_type2_or_hbr_switch"))
		type = "Type 2 device or HBR switch";
	if (tp->has_dev && !topo_port_reachable(tp)) {
		snprintf(buf, len, "%s\\nunreachable", type);
		return;
	}
	if (tp->has_dev && r->reach == DEVICE_OK && r->have_mid)
		format_size(r->mid.total_capacity, size, sizeof(size));
	if (tp->has_dev && r->reach == DEVICE_OK) {
		identify_fields(&r->id, f, &texts);
		dot_text(text, sizeof(text), f[IDENTIFY_SERIAL].text);
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
 * run of consecutive LDs of one size ("LD 1-4: 8 GiB each").  The
 * bindings are known (the caller found a free LD).
 */
static void dot_free_lds(struct dot *d, const struct topo_port *tp,
			 const char *in)
{
	const struct ld_pool *pool = &tp->pool;
	unsigned int n = pool->alloc.ld_count;
	int id = tp->p->port_id;
	char lbl[1024] = "", size[32], list[64];
	size_t used = 0;

	for (unsigned int i = 0; i < n && used < sizeof(lbl); ) {
		uint64_t bytes = ld_pool_ld_bytes(pool, i);
		unsigned int first = i, last = first, j = i + 1;

		if (ld_host(tp, i) >= 0) {
			i++;
			continue;
		}
		for (; j < n; j++) {
			if (ld_host(tp, j) >= 0 ||
			    ld_pool_ld_bytes(pool, j) != bytes)
				break;
			last++;
		}
		format_size(bytes, size, sizeof(size));
		if (last > first)
			snprintf(list, sizeof(list), "LD %u-%u", first, last);
		else
			snprintf(list, sizeof(list), "LD %u", first);
		used += (size_t)snprintf(lbl + used, sizeof(lbl) - used,
					 "\\n%s: %s%s", list,
					 bytes ? size : "no memory",
					 bytes && last > first ? " each" : "");
		i = j;
	}
	out(d, "%s      pool%d_lds [label=\"LDs no host has%s\", shape=component, style=dashed, color=\"%s\"];\n",
	       in, id, lbl, NOTHING);
	text_printf(&d->col[COL_LD], " pool%d_lds;", id);
}

/*
 * A pooled device's LDs: those a host has, filled in its colour; those
 * no host has, and the memory no LD has, in a cluster of their own.
 */
static void dot_pool(struct dot *d, const struct topo_port *p, int id,
		     const char *in)
{
	const struct ld_pool *pool = &p->pool;
	char size[32], lbl[256], gran[32];
	bool any_free = false;

	format_size(pool->gran, gran, sizeof(gran));
	out(d, "%s  subgraph cluster_pool%d {\n", in, id);
	out(d, "%s    label=\"port %d pool, %s granularity\"; style=rounded; color=\"#555555\";\n",
	       in, id, gran);
	device_label(p, lbl, sizeof(lbl));
	out(d, "%s    dev%d [label=\"%s\", shape=box3d];\n", in, id, lbl);
	text_printf(&d->col[COL_DEVICE], " dev%d;", id);
	for (unsigned int ld = 0; ld < pool->alloc.ld_count; ld++) {
		int h = ld_host(p, ld);

		/* free only when the bindings are known */
		if (h < 0 && !p->st->vcs_unavailable) {
			any_free = true;
			continue;
		}
		format_size(ld_pool_ld_bytes(pool, ld), size, sizeof(size));
		out(d, "%s    port%d_ld%u [label=\"LD %u\\n%s\", shape=component, fillcolor=\"%s\", color=\"%s\"];\n",
		       in, id, ld, ld, size,
		       h < 0 ? "white" : host_pale[host_index(h)],
		       h < 0 ? "black" : host_strong[host_index(h)]);
		text_printf(&d->col[COL_LD], " port%d_ld%u;", id, ld);
		out(d, "%s    dev%d -> port%d_ld%u [color=\"%s\"];\n", in, id, id,
		       ld, h < 0 ? "black" : host_strong[host_index(h)]);
	}
	format_size(ld_pool_free_bytes(pool), size, sizeof(size));
	out(d, "%s    subgraph cluster_pool%d_free {\n", in, id);
	out(d, "%s      label=\"free\"; style=\"rounded,dashed\"; color=\"%s\"; fontcolor=\"%s\";\n",
	       in, FREE, FREE);
	if (any_free)
		dot_free_lds(d, p, in);
	out(d, "%s      pool%d_free [label=\"%s\\nnot in any LD\", shape=note, style=dashed, color=\"%s\", fontcolor=\"%s\"];\n",
	       in, id, size, FREE, FREE);
	text_printf(&d->col[COL_LD], " pool%d_free;", id);
	/*
	 * The edges into the free group after it: an edge names its nodes
	 * into the subgraph it is in, and the device is not free.
	 */
	out(d, "%s    }\n", in);
	if (any_free)
		out(d, "%s    dev%d -> pool%d_lds [style=dashed, color=\"%s\"];\n",
		       in, id, id, NOTHING);
	out(d, "%s    dev%d -> pool%d_free [style=dotted, color=\"%s\"];\n",
	       in, id, id, FREE);
	out(d, "%s  }\n", in);
}

/* One downstream port, its device and (for an MLD) its LD pool. */
static void dot_port(struct dot *d, const struct topo_port *p, const char *in)
{
	int id = p->p->port_id;
	bool bound = p->bound,
	     none = p->p->connected_device_type == CXLSW_DEV_NONE,
	     down = p->p->ltssm_state != CXLSW_LTSSM_L0,
	     lost = p->has_dev && !topo_port_reachable(p);
	char lbl[256], dc[256], dct[300];

	if (none)
		out(d, "%s  port%d [label=\"port %d\\nnothing connected\", shape=box, style=dotted, color=\"%s\", fontcolor=\"%s\"];\n",
		       in, id, id, NOTHING, NOTHING);
	else
		out(d, "%s  port%d [label=\"port %d%s\", shape=box, style=\"%s\", color=\"%s\"];\n",
		       in, id, id, down ? "\\nlink down" : "",
		       /* bindings unknown (no VCS info): not drawn as free */
		       bound || p->st->vcs_unavailable ? "rounded,filled" :
		       "rounded,dashed",
		       down ? DOWN : "black");
	text_printf(&d->col[COL_PORT], " port%d;", id);
	if (none)
		return;
	if (p->have_pool) {
		out(d, "%s  port%d -> dev%d;\n", in, id, id);
		dot_pool(d, p, id, in);
		return;
	}
	device_label(p, lbl, sizeof(lbl));
	topo_dc_text(p->dc, dc, sizeof(dc));
	dot_text(dct, sizeof(dct), dc);
	out(d, "%s  dev%d [label=\"%s%s%s\", shape=box3d, style=%s, color=\"%s\"];\n",
	       in, id, lbl, dc[0] ? "\\ndynamic capacity " : "", dct,
	       lost ? "dashed" : "filled", lost ? DOWN : "black");
	text_printf(&d->col[COL_DEVICE], " dev%d;", id);
	out(d, "%s  port%d -> dev%d%s;\n", in, id, id,
	       lost ? " [style=dashed, color=\"" DOWN "\"]" : "");
}

/*
 * A downstream port of the result, in the result's order: one a host
 * has drawn now, one no host has kept (as text) for the cluster of the
 * unbound, drawn after every bound one.
 */
void topo_dot_port(struct dot *d, const struct topo_port *p)
{
	if (p->bound)
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

	out(d, "  subgraph cluster_legend {\n    label=\"legend\"; style=rounded; color=\"#555555\";\n");
	for (int c = 0; c < NCOLS; c++) {
		out(d, "    %s;\n", sample[c]);
		text_printf(&d->col[c], " %s;", name[c]);
	}
	for (int c = 0; c + 1 < NCOLS; c++)
		out(d, "    %s -> %s [style=invis];\n", name[c], name[c + 1]);
	out(d, "  }\n");
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
	d->to_stdout = true;
	d->unbound = calloc(1, sizeof(*d->unbound));
	if (!d->unbound) {
		free(d->unbound);
		free(d);
		return NULL;
	}
	dot_text(sw, sizeof(sw), name);
	out(d, "digraph \"%s\" {\n", sw);
	out(d, "  rankdir=LR; newrank=true; ranksep=0.7; nodesep=0.15;\n");
	out(d, "  label=\"%s: %d ports, %d VCSs\"; labelloc=t; fontname=\"sans\";\n",
		sw, nports, nvcs);
	out(d, "  node [fontname=\"sans\", fontsize=10, style=\"rounded,filled\", fillcolor=white];\n");
	out(d, "  edge [arrowsize=0.6, fontname=\"sans\", fontsize=9];\n");
	return d;
}

/* The unbound ports' cluster, the legend, the edges, the columns. */
void topo_dot_end(struct dot *d, bool hosts)
{
	struct dot *u = d->unbound;

	out(d, "  subgraph cluster_unbound {\n");
	out(d, "    label=\"%s\"; style=\"rounded,dashed\"; color=\"%s\";\n",
		hosts ? "not bound to any host" : "ports (hosts unknown)",
		NOTHING);
	if (u->out.buf)
		text_add(&d->out, u->out.buf, u->out.len);
	out(d, "  }\n");
	/* the unbound ports' column entries after the bound ones' */
	for (int c = 0; c < NCOLS; c++)
		if (u->col[c].buf)
			text_add(&d->col[c], u->col[c].buf, u->col[c].len);
	dot_legend(d);
	if (d->edges.buf)
		text_add(&d->out, d->edges.buf, d->edges.len);
	/* the five columns, so that every edge goes one to the right */
	for (int c = 0; c < NCOLS; c++)
		if (d->col[c].buf)
			out(d, "  { rank=same;%s }\n", d->col[c].buf);
	out(d, "}\n");
	fwrite(d->out.buf, 1, d->out.len, stdout);
	d->out.len = 0;
}

void topo_dot_free(struct dot *d)
{
	if (!d)
		return;
	for (int c = 0; c < NCOLS; c++) {
		free(d->col[c].buf);
		free(d->unbound->col[c].buf);
	}
	free(d->edges.buf);
	free(d->unbound->edges.buf);
	free(d->out.buf);
	free(d->unbound->out.buf);
	free(d->unbound);
	free(d);
}
