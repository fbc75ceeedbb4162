// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The topology result drawn as a tree on a terminal: each host with its
 * vPPBs and what they reach, then the downstream ports no host reaches,
 * and the memory still free in pooled devices.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* The result's ports by id (ids are a byte): one pass, then no scans. */
void topo_port_index(struct json_object *topo, struct json_object **by_id)
{
	struct json_object *ports = jget(topo, "ports");

	memset(by_id, 0, CXLSW_MAX_PORTS * sizeof(*by_id));
	for (size_t i = 0; i < json_object_array_length(ports); i++) {
		struct json_object *p = json_object_array_get_idx(ports, i);
		int id = json_object_get_int(jget(p, "port_id"));

		if (id >= 0 && id < CXLSW_MAX_PORTS)
			by_id[id] = p;
	}
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

static void print_vppb(struct json_object **port_by_id, struct json_object *v,
		       bool last)
{
	struct json_object *port_id = jget(v, "port_id"), *ld = jget(v, "ld_id");
	char dev[256];

	printf("│  %s vPPB %d: ", last ? "└─" : "├─",
	       json_object_get_int(jget(v, "vppb_id")));
	if (!port_id || strncmp(json_object_get_string(jget(v,
				"binding_status")), "bound_", 6)) {
		printf("%s\n", json_object_get_string(jget(v, "binding_status")));
		return;
	}
	topo_device_text(port_by_id[json_object_get_int(port_id) & 0xff],
			 ld ? json_object_get_int(ld) : -1, dev, sizeof(dev));
	if (ld)
		printf("port %d LD %d, %s\n", json_object_get_int(port_id),
		       json_object_get_int(ld), dev);
	else
		printf("port %d, %s\n", json_object_get_int(port_id), dev);
}

static void print_host(struct json_object **port_by_id, struct json_object *h)
{
	struct json_object *vppbs = jget(h, "vppbs");
	size_t n = json_object_array_length(vppbs);

	printf("├─ host on upstream port %d: VCS %d (%s)\n",
	       json_object_get_int(jget(h, "usp_id")),
	       json_object_get_int(jget(h, "vcs_id")),
	       json_object_get_string(jget(h, "state")));
	for (size_t i = 0; i < n; i++)
		print_vppb(port_by_id, json_object_array_get_idx(vppbs, i),
			   i + 1 == n);
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

/* Pooled devices: which LDs no host has, and how much memory is free. */
static void add_pool_left(struct branch *b, struct json_object *p)
{
	struct json_object *pool = jget(jget(p, "device"), "ld_pool"),
			   *lds = jget(pool, "lds");
	char freeb[32], unbound[256] = "";
	size_t used = 0;

	if (!pool)
		return;
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
	branch_add(b, "port %d pool: %s free%s",
		   json_object_get_int(jget(p, "port_id")), freeb, unbound);
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

void topology_tree(struct json_object *topo)
{
	struct json_object *hosts = jget(topo, "hosts"),
			   *ports = jget(topo, "ports"), *p;
	struct json_object *port_by_id[CXLSW_MAX_PORTS];
	struct branch b = { .pending = false };
	char dev[256];

	topo_port_index(topo, port_by_id);
	printf("%s: %d ports, %d VCSs\n",
	       json_object_get_string(jget(topo, "switch")),
	       json_object_get_int(jget(topo, "num_physical_ports")),
	       json_object_get_int(jget(topo, "num_vcss")));
	for (size_t i = 0; hosts && i < json_object_array_length(hosts); i++)
		print_host(port_by_id, json_object_array_get_idx(hosts, i));
	/* without the VCSs every port is listed, its host unknown */
	unavailable_print(topo, "hosts unknown");
	printf(hosts ? "└─ not bound to any host\n" : "└─ ports\n");
	for (size_t i = 0; i < json_object_array_length(ports); i++) {
		p = json_object_array_get_idx(ports, i);
		if (json_object_get_boolean(jget(p, "bound")))
			continue;
		topo_device_text(p, -1, dev, sizeof(dev));
		branch_add(&b, "port %d: %s",
			   json_object_get_int(jget(p, "port_id")), dev);
	}
	for (size_t i = 0; i < json_object_array_length(ports); i++)
		add_pool_left(&b, json_object_array_get_idx(ports, i));
	for (size_t i = 0; i < json_object_array_length(ports); i++) {
		p = json_object_array_get_idx(ports, i);
		topo_dc_text(p, dev, sizeof(dev));
		if (dev[0])
			branch_add(&b, "port %d dynamic capacity %s",
				   json_object_get_int(jget(p, "port_id")),
				   dev);
	}
	branch_end(&b);
}
