// SPDX-License-Identifier: LGPL-2.1-or-later
/* list-ports: Get Physical Port State (0x5101) for every port, or some. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

enum { OPT_UP = 0x100, OPT_DOWN };

struct ports_args {
	const char *name;
	bool have_ids;
	uint8_t ids[CXLSW_BITMAP_BYTES];	/* --port */
	uint8_t states[CXLSW_BITMAP_BYTES];	/* --state, empty: any */
	uint8_t types[CXLSW_BITMAP_BYTES];	/* --type, empty: any */
	bool by_state, by_type;			/* either given at all */
	bool up, down;
};

static const struct argp_option ports_options[] = {
	{ "port", 'p', "LIST", 0, "Only these ports, e.g. 1,3,8-15", 0 },
	{ "state", 's', "STATE", 0,
	  "Only ports in this configuration state (dsp, usp, disabled, ...); may be repeated", 0 },
	{ "type", 't', "TYPE", 0,
	  "Only ports with this connected device type (none, pcie, cxl_type3_sld, cxl_type3_mld, ...); may be repeated", 0 },
	{ "up", OPT_UP, NULL, 0, "Only ports whose link is up (LTSSM L0)", 0 },
	{ "down", OPT_DOWN, NULL, 0, "Only ports whose link is not up", 0 },
	{ 0 },
};

static void set_bit(uint8_t *set, uint8_t v)
{
	set[v / 8] |= 1u << (v % 8);
}

static bool set_empty(const uint8_t *set)
{
	for (size_t i = 0; i < CXLSW_BITMAP_BYTES; i++)
		if (set[i])
			return false;
	return true;
}

static void parse_words(struct argp_state *state, const char *what,
			const char *arg, const char *(*name)(uint8_t),
			uint8_t *set)
{
	char words[512];
	uint8_t v;

	if (parse_enum_word(arg, name, &v)) {
		enum_words(name, words, sizeof(words));
		usage_error(state, "invalid %s '%s': expected one of %s", what,
			    arg, words);
	}
	set_bit(set, v);
}

static error_t ports_parse(int key, char *arg, struct argp_state *state)
{
	struct ports_args *a = state->input;
	char err[160];

	switch (key) {
	case 'p':
		if (parse_id_list(arg, CXLSW_MAX_PORTS - 1, a->ids, err,
				  sizeof(err)))
			usage_error(state, "--port: %s", err);
		a->have_ids = true;
		return 0;
	case 's':
		parse_words(state, "state", arg, cxlsw_port_config_state_name,
			    a->states);
		return 0;
	case 't':
		parse_words(state, "device type", arg, cxlsw_device_type_name,
			    a->types);
		return 0;
	case OPT_UP:
		a->up = true;
		return 0;
	case OPT_DOWN:
		a->down = true;
		return 0;
	case ARGP_KEY_END:
		a->by_state = !set_empty(a->states);
		a->by_type = !set_empty(a->types);
		if (a->up && a->down)
			usage_error(state, "--up and --down cannot be used together");
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp ports_argp = {
	.options = ports_options,
	.parser = ports_parse,
	.args_doc = "SWITCH",
	.doc = "Show the state of a switch's physical ports.\v"
	       "Filters combine: a port is shown when it matches all of them.",
	.children = output_child,
};

static bool port_wanted(const struct ports_args *a,
			const struct cxlsw_port_state *p)
{
	bool up = p->ltssm_state == 4;	/* L0 */

	if (a->by_state && !cxlsw_bit_test(a->states, p->config_state))
		return false;
	if (a->by_type &&
	    !cxlsw_bit_test(a->types, p->connected_device_type))
		return false;
	return !(a->up && !up) && !(a->down && up);
}

static void width_cell(const struct field *f, char *buf, size_t len)
{
	if (!f || f->kind != FIELD_INT || len < 24) {
		field_text(f, buf, len);
		return;
	}
	buf[0] = 'x';
	field_uint_text((uint64_t)f->i, buf + 1);
}

/*
 * The ports to ask for: those the active-port bitmap names (their ids
 * need not be 0..N-1: QEMU's are whatever its user chose).  Only when the
 * switch counts more ports than it marks active (disabled ports are not
 * active, r3.1 Table 7-17) are the ids below that count not in the
 * bitmap asked too, as guesses: guessed[i] says which.  With --port,
 * those named, each of which must be one of these.
 */
static int port_ids(const struct ports_args *a,
		    const struct cxlsw_switch_info *si, const char *sw,
		    uint8_t *ids, bool *guessed, size_t *n)
{
	uint8_t all[CXLSW_MAX_PORTS], active[CXLSW_MAX_PORTS];
	size_t nactive = cxlsw_id_set(0, si->active_ports, active);
	size_t count = nactive < si->num_physical_ports ?
		cxlsw_id_set(si->num_physical_ports, si->active_ports, all) :
		cxlsw_id_set(0, si->active_ports, all);
	int missing = select_ids(all, count, a->have_ids ? a->ids : NULL, ids,
				 n);

	if (missing >= 0)
		return cli_fail("list-ports", EXIT_USAGE,
				"port %d does not exist on %s (it has %zu ports, 0-%u)",
				missing, sw, count, count ? all[count - 1] : 0);
	for (size_t i = 0; i < *n; i++)
		guessed[i] = !cxlsw_bit_test(si->active_ports, ids[i]);
	return 0;
}

/*
 * A device that refuses a whole request for one id it does not like
 * (QEMU answers Invalid Input for the lot) still gets its other ports
 * asked, one by one; those it refuses alone are marked with the error.
 */
static int ports_one_by_one(struct cxlsw_dev *dev, const uint8_t *ids,
			    const bool *guessed, size_t n,
			    struct cxlsw_port_state *ports,
			    char **failed)
{
	char what[320];

	for (size_t i = 0; i < n; i++) {
		if (!cxlsw_get_port_state(dev, &ids[i], 1, &ports[i]))
			continue;
		if (cxlsw_dev_error(dev)->retcode != CXLSW_RC_INVALID_INPUT ||
		    cxlsw_dev_error(dev)->kind != CXLSW_ERR_DEVICE)
			return -1;
		/* a guess the device does not know is no port, not an error */
		ports[i].config_state = CXLSW_PORT_INVALID;
		if (guessed[i])
			continue;
		failed[i] = strdup(cxlsw_error_string(cxlsw_dev_error(dev),
						      what, sizeof(what)));
		if (!failed[i])
			return -ENOMEM;
	}
	return 0;
}

static int read_ports(struct cxlsw_dev *dev, const uint8_t *ids,
		      const bool *guessed, size_t n,
		      struct cxlsw_port_state *ports,
		      char **failed)
{
	const struct cxlsw_error *err = cxlsw_dev_error(dev);

	if (!cxlsw_get_port_state(dev, ids, n, ports))
		return 0;
	if (n < 2 || err->kind != CXLSW_ERR_DEVICE ||
	    err->retcode != CXLSW_RC_INVALID_INPUT)
		return -1;
	return ports_one_by_one(dev, ids, guessed, n, ports, failed);
}

/* What is listed: the ports read, those refused, the filters. */
struct listing {
	const struct ports_args *a;
	const uint8_t *ids;
	const bool *guessed;
	const struct cxlsw_port_state *ports;
	char **failed;
	char speed_text[2][24];
	/* for the table: the first port of each kind, and its row */
	struct cxlsw_port_state kind[16];
	size_t kind_row[16], nkinds;
};

/* Row r's fields, or 0 when the row is not listed. */
enum row_kind { ROW_NONE, ROW_FAILED, ROW_PORT };

#define KINDS	16

/* p is q but for its id (bytewise: padding at worst tells them apart) */
static bool same_kind(const struct cxlsw_port_state *p,
		      const struct cxlsw_port_state *q)
{
	static const struct cxlsw_port_state id = { .port_id = 0xff };
	uint64_t a[2], b[2], m[2];

	_Static_assert(sizeof(*p) == sizeof(a), "a port block is 16 bytes");
	/* two words each, the id's byte masked out */
	memcpy(a, p, sizeof(a));
	memcpy(b, q, sizeof(b));
	memcpy(m, &id, sizeof(m));
	return !(((a[0] ^ b[0]) & ~m[0]) | ((a[1] ^ b[1]) & ~m[1]));
}

static enum row_kind row_kind(const struct listing *l, size_t r)
{
	if (l->failed[r])
		return ROW_FAILED;
	/* a guessed id that is no port */
	if (l->guessed[r] && l->ports[r].config_state == CXLSW_PORT_INVALID)
		return ROW_NONE;
	return port_wanted(l->a, &l->ports[r]) ? ROW_PORT : ROW_NONE;
}

static size_t listing_row(void *ctx, size_t r, struct field *f)
{
	struct listing *l = ctx;

	switch (row_kind(l, r)) {
	case ROW_FAILED:
		/* a port the device would not describe: its id and why */
		field_int(&f[0], FKEY("port_id"), l->ids[r]);
		f[1].key = "error";
		f[1].key_len = 0;
		f[1].kind = FIELD_TEXT;
		f[1].text = l->failed[r];
		return 2;
	case ROW_PORT:
		return port_fields(&l->ports[r], f, l->speed_text);
	default:
		return 0;
	}
}

/*
 * Ports alike but for their id print alike after it: a fabric has few
 * kinds of port, so a kind's text after "port_id":N is written once and
 * copied for every port of that kind (compact output only).
 */

struct port_kind {
	struct cxlsw_port_state state;	/* port_id 0 */
	char *tail;
	size_t len;
};

static struct port_kind *kind_of(struct port_kind *k, size_t n,
				 const struct cxlsw_port_state *p)
{
	for (size_t i = 0; i < n; i++)
		if (same_kind(p, &k[i].state))
			return &k[i];
	return NULL;
}

/* The row just written from mark on: its text after the port id. */
static void kind_add(struct port_kind *k, struct jw *w, size_t mark,
		     const struct cxlsw_port_state *p)
{
	size_t len;
	const char *text = jw_since(w, mark, &len), *brace, *comma;

	brace = memchr(text, '{', len);
	comma = brace ? memchr(brace, ',', len - (size_t)(brace - text)) : NULL;
	if (!comma)
		return;
	len -= (size_t)(comma - text);
	k->tail = malloc(len);
	if (!k->tail)
		return;
	memcpy(k->tail, comma, len);
	k->len = len;
	memcpy(&k->state, p, sizeof(k->state));
}

static int ports_json(struct listing *l, size_t n)
{
	static const char head[] = "{\"port_id\":";
	/* two rows in turn: the writer compares each with the one before */
	struct field f[2][FIELDS_MAX];
	struct port_kind kinds[KINDS];
	struct jw *w = jw_new(stdout, global_output.pretty);
	size_t k, turn = 0, nkinds = 0, mark;
	struct port_kind *kind;
	bool copy = !global_output.pretty;

	if (!w)
		return -1;
	doc_jw_begin(w);
	for (size_t r = 0; r < n; r++) {
		const struct cxlsw_port_state *p = &l->ports[r];
		enum row_kind rk = row_kind(l, r);

		if (rk == ROW_PORT && copy &&
		    (kind = kind_of(kinds, nkinds, p))) {
			jw_item_text(w, head, sizeof(head) - 1, p->port_id,
				     kind->tail, kind->len);
			continue;
		}
		if (rk == ROW_NONE || !(k = listing_row(l, r, f[turn])))
			continue;
		mark = jw_mark(w);
		fields_json(w, f[turn], k);
		turn ^= 1;
		if (rk == ROW_PORT && copy && nkinds < KINDS) {
			kind_add(&kinds[nkinds], w, mark, p);
			if (kinds[nkinds].tail)
				nkinds++;
		}
	}
	doc_jw_end(w);
	for (size_t i = 0; i < nkinds; i++)
		free(kinds[i].tail);
	return jw_finish(w);
}

/* The table's rows alike: a port like an earlier one but for its id. */
static size_t listing_like(void *ctx, size_t r, struct field *f0)
{
	struct listing *l = ctx;
	const struct cxlsw_port_state *p = &l->ports[r];

	if (row_kind(l, r) != ROW_PORT)
		return 0;
	for (size_t i = 0; i < l->nkinds; i++)
		if (same_kind(p, &l->kind[i])) {
			field_int(f0, FKEY("port_id"), p->port_id);
			return l->kind_row[i] + 1;
		}
	if (l->nkinds < KINDS) {
		memcpy(&l->kind[l->nkinds], p, sizeof(*p));
		l->kind_row[l->nkinds++] = r;
	}
	return 0;
}

static void ports_human(struct listing *l, size_t n)
{
	static const struct field_column cols[] = {
		{ "PORT", "port_id", NULL },
		{ "STATE", "config_state", NULL },
		{ "DEVICE", "connected_device_type", NULL },
		{ "CXL", "connected_device_mode", NULL },
		{ "VERSIONS", "supported_cxl_modes", NULL },
		{ "WIDTH", "negotiated_link_width", width_cell },
		{ "MAXW", "max_link_width", width_cell },
		{ "GT/S", "current_link_speed_gts", NULL },
		{ "MAX", "max_link_speed_gts", NULL },
		{ "SPEEDS", "supported_link_speeds_gts", NULL },
		{ "LTSSM", "ltssm_state", NULL },
		{ "LANE", "first_negotiated_lane", NULL },
		{ "FLAGS", "link_state_flags", NULL },
		{ "LDS", "supported_ld_count", NULL },
	};

	fields_table_like(n, listing_row, listing_like, l, cols,
			  ARRAY_SIZE(cols), "");
	/* a port the device would not describe: why, under the table */
	for (size_t i = 0; i < n; i++)
		if (l->failed[i])
			printf("port %d: %s\n", l->ids[i], l->failed[i]);
}

/*
 * The listing is streamed from the decoded answers (fields.c), not built
 * as a json-c tree: at 256 ports the tree was nine tenths of the cost.
 */
static int ports_emit(struct listing *l, size_t n)
{
	int rc = 0;

	if (global_output.json)
		rc = ports_json(l, n);
	else
		ports_human(l, n);
	return rc || fflush(stdout) ? EXIT_IO : EXIT_OK;
}

int cmd_list_ports(int argc, char **argv)
{
	struct ports_args a = { 0 };
	struct cxlsw_port_state *ports = NULL;
	char **failed = NULL;
	struct cxlsw_switch_info si;
	uint8_t ids[CXLSW_MAX_PORTS];
	bool guessed[CXLSW_MAX_PORTS];
	struct cxlsw_dev *dev;
	size_t n = 0;
	int code;

	cli_parse(&ports_argp, "list-ports", argc, argv, &a);
	dev = cli_open("list-ports", a.name, &code);
	if (!dev)
		return code;
	if (cxlsw_identify_switch(dev, &si)) {
		code = cli_dev_fail("list-ports", dev);
		goto out;
	}
	code = port_ids(&a, &si, cxlsw_dev_name(dev), ids, guessed, &n);
	if (code)
		goto out;
	ports = calloc(n ? n : 1, sizeof(*ports));
	failed = calloc(n ? n : 1, sizeof(*failed));
	if (!ports || !failed) {
		code = cli_fail("list-ports", EXIT_IO, "out of memory");
		goto out;
	}
	if (read_ports(dev, ids, guessed, n, ports, failed)) {
		code = cli_dev_fail("list-ports", dev);
		goto out;
	}
	code = ports_emit(&(struct listing){ .a = &a, .ids = ids,
			  .guessed = guessed, .ports = ports,
			  .failed = failed }, n);
out:
	for (size_t i = 0; failed && i < n; i++)
		free(failed[i]);
	free(failed);
	free(ports);
	cxlsw_dev_close(dev);
	return code;
}
