// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The topology result drawn as a tree on a terminal: each host with its
 * vPPBs and what they reach, then the downstream ports no host reaches,
 * and the memory still free in pooled devices.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* "CXL Type 3 MLD 0x0123.. 16 GiB fw 1.2 (mem3)" */
void topo_device_text(struct json_object *port, int ld, char *buf,
		      size_t len)
{
	struct json_object *dev = jget(port, "device"), *pool, *l;
	const char *memdev = json_object_get_string(jget(dev, "host_memdev"));
	char size[32] = "";
	size_t used;

	used = (size_t)snprintf(buf, len, "%s",
				json_object_get_string(jget(port,
					"connected_device_type")));
	if (!dev || used >= len)
		return;
	if (!json_object_get_boolean(jget(dev, "reachable"))) {
		snprintf(buf + used, len - used, ", unreachable%s",
			 json_object_get_boolean(jget(dev, "link_up")) ?
			 "" : " (link down)");
		return;
	}
	if (jget(dev, "error")) {
		snprintf(buf + used, len - used, " (no answer: %s)",
			 json_object_get_string(jget(dev, "error")));
		return;
	}
	pool = jget(dev, "ld_pool");
	if (ld >= 0 && pool) {
		l = json_object_array_get_idx(jget(pool, "lds"), (size_t)ld);
		format_size((uint64_t)json_object_get_int64(
			    jget(l, "allocation_bytes")), size, sizeof(size));
	} else if (jget(dev, "memdev")) {
		format_size((uint64_t)json_object_get_int64(jget(jget(dev,
			    "memdev"), "total_capacity_bytes")), size,
			    sizeof(size));
	} else {
		snprintf(size, sizeof(size), "capacity unknown");
	}
	snprintf(buf + used, len - used, " serial %s, %s%s%s",
		 json_object_get_string(jget(jget(dev, "identify"), "serial")),
		 size, memdev ? ", host sees " : "", memdev ? memdev : "");
}

/*
 * What the tree keeps of a port once its result is drawn from: the lines
 * it adds, not its json-c object (a 256-port fabric's were megabytes).
 */
struct tree_port {
	bool bound;
	char *dev;		/* topo_device_text(port, -1) */
	char **ld_dev;		/* an MLD's per LD; [nlds]: an LD it lacks */
	size_t nlds;
	char *unbound;		/* its line under "not bound", NULL if bound */
	char *pool_left;	/* its pool's free memory line, or NULL */
	char *dc;		/* its dynamic capacity line, or NULL */
};

struct topo_tree {
	struct tree_port *by_id[CXLSW_MAX_PORTS];
	int order[CXLSW_MAX_PORTS];	/* the ports as added */
	size_t n;
	bool failed;
};

static const char *port_text(struct topo_tree *t, int id, int ld, char *buf,
			     size_t len)
{
	struct tree_port *tp = t->by_id[id & 0xff];

	if (!tp) {		/* a port the result does not list */
		topo_device_text(NULL, ld, buf, len);
		return buf;
	}
	if (ld < 0 || !tp->ld_dev)
		return tp->dev;
	return tp->ld_dev[(size_t)ld < tp->nlds ? (size_t)ld : tp->nlds];
}

static void print_vppb(struct topo_tree *t, struct json_object *v, bool last)
{
	struct json_object *port_id = jget(v, "port_id"), *ld = jget(v, "ld_id");
	char dev[256];
	const char *text;

	printf("│  %s vPPB %d: ", last ? "└─" : "├─",
	       json_object_get_int(jget(v, "vppb_id")));
	if (!port_id || strncmp(json_object_get_string(jget(v,
				"binding_status")), "bound_", 6)) {
		printf("%s\n", json_object_get_string(jget(v, "binding_status")));
		return;
	}
	text = port_text(t, json_object_get_int(port_id),
			 ld ? json_object_get_int(ld) : -1, dev, sizeof(dev));
	if (ld)
		printf("port %d LD %d, %s\n", json_object_get_int(port_id),
		       json_object_get_int(ld), text);
	else
		printf("port %d, %s\n", json_object_get_int(port_id), text);
}

void topo_tree_host(struct topo_tree *t, struct json_object *h)
{
	struct json_object *vppbs = jget(h, "vppbs");
	size_t n = json_object_array_length(vppbs);

	printf("├─ host on upstream port %d: VCS %d (%s)\n",
	       json_object_get_int(jget(h, "usp_id")),
	       json_object_get_int(jget(h, "vcs_id")),
	       json_object_get_string(jget(h, "state")));
	for (size_t i = 0; i < n; i++)
		print_vppb(t, json_object_array_get_idx(vppbs, i), i + 1 == n);
}

/*
 * The lines under "not bound to any host", held back one line each, so
 * that the last is drawn with "└─" once it is known to be the last.
 */
struct branch {
	char line[512];
	bool pending;
};

static void branch_add(struct branch *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void branch_add(struct branch *b, const char *fmt, ...)
{
	va_list ap;

	if (b->pending)
		printf("   ├─ %s\n", b->line);
	va_start(ap, fmt);
	vsnprintf(b->line, sizeof(b->line), fmt, ap);
	va_end(ap);
	b->pending = true;
}

static void branch_end(struct branch *b)
{
	if (b->pending)
		printf("   └─ %s\n", b->line);
	b->pending = false;
}

/* A pooled device: which LDs no host has, how much memory is free. */
static bool pool_left_text(struct json_object *p, char *buf, size_t len)
{
	struct json_object *pool = jget(jget(p, "device"), "ld_pool"),
			   *lds = jget(pool, "lds");
	char freeb[32], unbound[256] = "";
	size_t used = 0;

	if (!pool)
		return false;
	format_size((uint64_t)json_object_get_int64(jget(pool, "free_bytes")),
		    freeb, sizeof(freeb));
	for (size_t i = 0; i < json_object_array_length(lds) &&
			   used < sizeof(unbound); i++) {
		struct json_object *l = json_object_array_get_idx(lds, i);

		/* null: the bindings are unknown, so not called unbound */
		if (!jget(l, "bound_to") ||
		    json_object_array_length(jget(l, "bound_to")))
			continue;
		used += (size_t)snprintf(unbound + used, sizeof(unbound) - used,
				 "%s%d", used ? "," : ", LDs unbound: ",
				 json_object_get_int(jget(l, "ld_id")));
	}
	snprintf(buf, len, "port %d pool: %s free%s",
		 json_object_get_int(jget(p, "port_id")), freeb, unbound);
	return true;
}

/* "8 GiB: host 0 holds 768 MiB in 2 extents, ...", or "" for no DCD. */
void topo_dc_text(struct json_object *port, char *buf, size_t len)
{
	struct json_object *dc = jget(jget(port, "device"), "dynamic_capacity"),
			   *hosts = jget(dc, "hosts");
	char size[32];
	size_t used;

	buf[0] = '\0';
	if (!dc)
		return;
	format_size((uint64_t)json_object_get_int64(jget(dc,
		    "total_capacity_bytes")), size, sizeof(size));
	used = (size_t)snprintf(buf, len, "%s", size);
	for (size_t i = 0; hosts && i < json_object_array_length(hosts) &&
			   used < len; i++) {
		struct json_object *h = json_object_array_get_idx(hosts, i),
				   *ext = jget(h, "extents");
		uint64_t held = 0;

		for (size_t e = 0; e < json_object_array_length(ext); e++)
			held += (uint64_t)json_object_get_int64(jget(
				json_object_array_get_idx(ext, e),
				"length_bytes"));
		format_size(held, size, sizeof(size));
		used += (size_t)snprintf(buf + used, len - used,
				 "%s host %d holds %s in %zu extent%s",
				 i ? "," : ":",
				 json_object_get_int(jget(h, "host_id")), size,
				 json_object_array_length(ext),
				 json_object_array_length(ext) == 1 ? "" : "s");
	}
}

struct topo_tree *topo_tree_new(void)
{
	return calloc(1, sizeof(struct topo_tree));
}

static char *dup_or_fail(struct topo_tree *t, const char *text)
{
	char *d = strdup(text);

	if (!d)
		t->failed = true;
	return d;
}

/*
 * A downstream port of the result, in the result's order: the lines it
 * will add, kept; the port's object is the caller's (freed once added).
 */
void topo_tree_port(struct topo_tree *t, struct json_object *p)
{
	struct json_object *pool = jget(jget(p, "device"), "ld_pool");
	int id = json_object_get_int(jget(p, "port_id"));
	struct tree_port *tp;
	/* as long as branch_add's line */
	char dev[256], line[512];

	if (id < 0 || id >= CXLSW_MAX_PORTS || t->by_id[id]) {
		t->failed = true;	/* the switch's ids are a byte, once */
		return;
	}
	tp = calloc(1, sizeof(*tp));
	if (!tp) {
		t->failed = true;
		return;
	}
	t->by_id[id] = tp;
	t->order[t->n++] = id;
	tp->bound = json_object_get_boolean(jget(p, "bound"));
	topo_device_text(p, -1, dev, sizeof(dev));
	tp->dev = dup_or_fail(t, dev);
	if (pool) {
		tp->nlds = json_object_array_length(jget(pool, "lds"));
		tp->ld_dev = calloc(tp->nlds + 1, sizeof(*tp->ld_dev));
		if (!tp->ld_dev) {
			t->failed = true;
			tp->nlds = 0;
		}
		/* [nlds]: an LD the pool does not list */
		for (size_t l = 0; tp->ld_dev && l <= tp->nlds; l++) {
			topo_device_text(p, (int)l, dev, sizeof(dev));
			tp->ld_dev[l] = dup_or_fail(t, dev);
		}
	}
	if (!tp->bound) {
		snprintf(line, sizeof(line), "port %d: %s", id, tp->dev);
		tp->unbound = dup_or_fail(t, line);
	}
	if (pool_left_text(p, line, sizeof(line)))
		tp->pool_left = dup_or_fail(t, line);
	topo_dc_text(p, dev, sizeof(dev));
	if (dev[0]) {
		snprintf(line, sizeof(line), "port %d dynamic capacity %s", id,
			 dev);
		tp->dc = dup_or_fail(t, line);
	}
}

/* The switch's line, before its hosts. */
void topo_tree_head(const char *sw, int nports, int nvcs)
{
	printf("%s: %d ports, %d VCSs\n", sw, nports, nvcs);
}

/*
 * After the hosts: what no host has (hosts false: the VCSs are unknown,
 * every port listed), the pools' free memory, dynamic capacity.
 */
void topo_tree_end(struct topo_tree *t, bool hosts)
{
	struct branch b = { .pending = false };

	printf(hosts ? "└─ not bound to any host\n" : "└─ ports\n");
	for (size_t i = 0; i < t->n; i++)
		if (t->by_id[t->order[i]]->unbound)
			branch_add(&b, "%s", t->by_id[t->order[i]]->unbound);
	for (size_t i = 0; i < t->n; i++)
		if (t->by_id[t->order[i]]->pool_left)
			branch_add(&b, "%s", t->by_id[t->order[i]]->pool_left);
	for (size_t i = 0; i < t->n; i++)
		if (t->by_id[t->order[i]]->dc)
			branch_add(&b, "%s", t->by_id[t->order[i]]->dc);
	branch_end(&b);
}

bool topo_tree_failed(const struct topo_tree *t)
{
	return t->failed;
}

void topo_tree_free(struct topo_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		struct tree_port *tp = t->by_id[t->order[i]];

		free(tp->dev);
		for (size_t l = 0; tp->ld_dev && l <= tp->nlds; l++)
			free(tp->ld_dev[l]);
		free(tp->ld_dev);
		free(tp->unbound);
		free(tp->pool_left);
		free(tp->dc);
		free(tp);
	}
	free(t);
}
