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

/* Append s (NULL: "(null)", as printf has it) within len, cut as snprintf
 * cuts: the new length. */
static size_t add_text(char *buf, size_t used, size_t len, const char *s)
{
	size_t n;

	if (used >= len)
		return used;
	if (!s)
		s = "(null)";
	n = strlen(s);
	if (used + n >= len)
		n = len - 1 - used;
	memcpy(buf + used, s, n);
	buf[used + n] = '\0';
	return used + n;
}

const char *enum_text(uint8_t v, const char *(*name)(uint8_t), char buf[4])
{
	const char *n = name(v);

	if (n)
		return n;
	field_uint_text(v, buf);
	return buf;
}

/*
 * What every line about a port's device shares, looked up once: an MLD's
 * lines (the device's and each of its LDs') differ only in their size,
 * and a 16-LD pool was 17 times the same lookups and snprintfs.
 */
struct dev_desc {
	char head[256];		/* "cxl_type3_mld serial 0x..., ", or all */
	size_t len;
	bool whole;		/* head is the whole text: it names no size */
	const char *memdev;	/* the host's memdev, or NULL */
	const struct topo_port *tp;
};

static void dev_desc_read(const struct topo_port *tp, struct dev_desc *d)
{
	const struct device_row *r = &tp->row;
	struct identify_texts texts;
	struct field f[IDENTIFY_FIELDS];
	char code[4];

	d->tp = tp;
	d->memdev = tp->has_dev ? r->host_memdev : NULL;
	d->whole = true;
	d->len = add_text(d->head, 0, sizeof(d->head),
			  enum_text(tp->p->connected_device_type,
				    cxlsw_device_type_name, code));
	if (!tp->has_dev)
		return;
	if (!topo_port_reachable(tp)) {
		d->len = add_text(d->head, d->len, sizeof(d->head),
				  tp->p->ltssm_state == CXLSW_LTSSM_L0 ?
				  ", unreachable" : ", unreachable (link down)");
		return;
	}
	if (r->reach == DEVICE_FAILED && r->error) {
		d->len = add_text(d->head, d->len, sizeof(d->head),
				  " (no answer: ");
		d->len = add_text(d->head, d->len, sizeof(d->head), r->error);
		d->len = add_text(d->head, d->len, sizeof(d->head), ")");
		return;
	}
	d->whole = false;
	d->len = add_text(d->head, d->len, sizeof(d->head), " serial ");
	if (r->reach == DEVICE_OK)
		identify_fields(&r->id, f, &texts);
	d->len = add_text(d->head, d->len, sizeof(d->head),
			  r->reach == DEVICE_OK ? f[IDENTIFY_SERIAL].text :
			  NULL);
	d->len = add_text(d->head, d->len, sizeof(d->head), ", ");
}

/* The line with its size: head, size, the host's memdev; cut at len. */
static void dev_desc_text(const char *head, const char *size,
			  const char *memdev, char *buf, size_t len)
{
	size_t used = add_text(buf, 0, len, head);

	used = add_text(buf, used, len, size);
	if (memdev) {
		used = add_text(buf, used, len, ", host sees ");
		add_text(buf, used, len, memdev);
	}
}

/* A device's line (ld -1) or its LD ld's, from its parts. */
static void dev_line(const struct dev_desc *d, int ld, char *buf, size_t len)
{
	const struct topo_port *tp = d->tp;
	char size[32];

	if (d->whole) {
		add_text(buf, 0, len, d->head);
		return;
	}
	if (ld >= 0 && tp->have_pool)
		format_size(ld_pool_ld_bytes(&tp->pool, (unsigned int)ld),
			    size, sizeof(size));
	else if (tp->row.reach == DEVICE_OK && tp->row.have_mid)
		format_size(tp->row.mid.total_capacity, size, sizeof(size));
	else
		strcpy(size, "capacity unknown");
	dev_desc_text(d->head, size, d->memdev, buf, len);
}

/*
 * What the tree keeps of a port once its result is drawn from: the lines
 * it adds, not its json-c object (a 256-port fabric's were megabytes).
 * An MLD's LD lines are made when a vPPB names them, from the parts they
 * share and each LD's size.
 */
struct tree_port {
	bool bound;
	char *dev;		/* the device's line */
	char *ld_head;		/* an MLD's LD lines' head, NULL: dev */
	char *memdev;		/* and their tail */
	uint64_t *ld_bytes;	/* each LD's size; [nlds]: an LD it lacks */
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
	char size[32];

	if (!tp)		/* a port the result does not list */
		return "(null)";
	if (ld < 0 || !tp->ld_head)
		return tp->dev ? tp->dev : "(null)";	/* (out of memory) */
	format_size(tp->ld_bytes[(size_t)ld < tp->nlds ? (size_t)ld : tp->nlds],
		    size, sizeof(size));
	dev_desc_text(tp->ld_head, size, tp->memdev, buf, len);
	return buf;
}

/* Append n's digits at p: the end. */
static char *put_uint(char *p, unsigned int n)
{
	return p + field_uint_text(n, p);
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* An enum's name, or its code's digits where it has none (json_enum). */
static char *put_enum(char *p, uint8_t v, const char *(*name)(uint8_t))
{
	const char *n = name(v);

	return n ? put_str(p, n) : put_uint(p, v);
}

/*
 * A vPPB's line, read from the decoded VCS (what host_json would say of
 * it) and built by copies: a 256-port fabric has a thousand of them.
 */
static void print_vppb(struct topo_tree *t, const struct cxlsw_vcs_info *v,
		       unsigned int b, bool last)
{
	const struct cxlsw_vppb *e = &v->vppbs[b];
	const char *status = cxlsw_vppb_binding_name(e->binding_status);
	/* a bind in progress already names its port (and LD) */
	bool used = e->binding_status != CXLSW_VPPB_UNBOUND;
	bool ld = used && e->ld_id != CXLSW_NO_LD;
	char dev[256], line[384], *p = line;

	p = put_str(p, last ? "│  └─ vPPB " : "│  ├─ vPPB ");
	p = put_uint(p, b);
	p = put_str(p, ": ");
	if (!used || !status || strncmp(status, "bound_", 6)) {
		p = put_enum(p, e->binding_status, cxlsw_vppb_binding_name);
	} else {
		p = put_str(p, "port ");
		p = put_uint(p, e->port_id);
		if (ld) {
			p = put_str(p, " LD ");
			p = put_uint(p, e->ld_id);
		}
		p = put_str(p, ", ");
		p = put_str(p, port_text(t, e->port_id, ld ? e->ld_id : -1,
					 dev, sizeof(dev)));
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), stdout);
}

void topo_tree_host(struct topo_tree *t, const struct cxlsw_vcs_info *v)
{
	char line[128], *p = line;

	p = put_str(p, "├─ host on upstream port ");
	p = put_uint(p, v->usp_id);
	p = put_str(p, ": VCS ");
	p = put_uint(p, v->vcs_id);
	p = put_str(p, " (");
	p = put_enum(p, v->state, cxlsw_vcs_state_name);
	p = put_str(p, ")\n");
	fwrite(line, 1, (size_t)(p - line), stdout);
	for (unsigned int b = 0; b < v->num_vppbs; b++)
		print_vppb(t, v, b, b + 1 == v->num_vppbs);
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
static bool pool_left_text(const struct topo_port *tp, char *buf, size_t len)
{
	char freeb[32], unbound[256] = "";
	size_t used = 0;

	if (!tp->have_pool)
		return false;
	format_size(ld_pool_free_bytes(&tp->pool), freeb, sizeof(freeb));
	/* the bindings unknown (no VCSs): no LD is called unbound */
	for (unsigned int i = 0; !tp->st->vcs_unavailable &&
			   i < tp->pool.alloc.ld_count &&
			   used < sizeof(unbound); i++) {
		if (ld_pool_ld_host(tp->st, tp->p->port_id, i) >= 0)
			continue;
		used += (size_t)snprintf(unbound + used, sizeof(unbound) - used,
				 "%s%u", used ? "," : ", LDs unbound: ", i);
	}
	snprintf(buf, len, "port %d pool: %s free%s", tp->p->port_id, freeb,
		 unbound);
	return true;
}

/* "8 GiB: host 0 holds 768 MiB in 2 extents, ...", or "" for no DCD. */
void topo_dc_text(struct json_object *dc, char *buf, size_t len)
{
	struct json_object *hosts = jget(dc, "hosts");
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
 * An MLD's LD lines, kept as their parts: the head and memdev they share,
 * each LD's size ([nlds]: an LD the pool does not list, 0 bytes).
 */
static void tree_port_lds(struct topo_tree *t, struct tree_port *tp,
			  const struct dev_desc *d)
{
	size_t n = d->tp->pool.alloc.ld_count;

	tp->ld_bytes = calloc(n + 1, sizeof(*tp->ld_bytes));
	tp->ld_head = dup_or_fail(t, d->head);
	tp->memdev = d->memdev ? dup_or_fail(t, d->memdev) : NULL;
	if (!tp->ld_bytes || !tp->ld_head || (d->memdev && !tp->memdev)) {
		t->failed = true;
		free(tp->ld_head);	/* then every LD line is dev's */
		tp->ld_head = NULL;
		return;
	}
	tp->nlds = n;
	for (size_t l = 0; l < n; l++)
		tp->ld_bytes[l] = ld_pool_ld_bytes(&d->tp->pool,
						   (unsigned int)l);
}

/*
 * A downstream port as read, in the switch's order: the lines it will
 * add, kept; the port is the caller's (freed once added).
 */
void topo_tree_port(struct topo_tree *t, const struct topo_port *p)
{
	int id = p->p->port_id;
	struct tree_port *tp;
	/* as long as branch_add's line */
	char dev[256], line[512];
	struct dev_desc d;

	if (t->by_id[id]) {
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
	tp->bound = p->bound;
	dev_desc_read(p, &d);
	dev_line(&d, -1, dev, sizeof(dev));
	tp->dev = dup_or_fail(t, dev);
	if (p->have_pool && !d.whole)
		tree_port_lds(t, tp, &d);
	if (!tp->bound) {
		snprintf(line, sizeof(line), "port %d: %s", id, tp->dev);
		tp->unbound = dup_or_fail(t, line);
	}
	if (pool_left_text(p, line, sizeof(line)))
		tp->pool_left = dup_or_fail(t, line);
	topo_dc_text(p->dc, dev, sizeof(dev));
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
		free(tp->ld_head);
		free(tp->memdev);
		free(tp->ld_bytes);
		free(tp->unbound);
		free(tp->pool_left);
		free(tp->dc);
		free(tp);
	}
	free(t);
}
