// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * list-devices: every device behind a switch's downstream ports, whatever
 * its type.  What the switch knows of each (Get Physical Port State,
 * 0x5101: type, mode, link) is shown for all; a Type 3 memory device is
 * also asked through a tunnel who it is (0x0001), what memory it has
 * (0x4000) and, for a pooled device, how many LDs (0x5400); and the name
 * this host's kernel gives it, matched by serial number through libcxl.
 * Only Type 3 devices are asked: what is asked is a memory device's
 * (Identify Memory Device, Get LD Info); a PCIe, Type 1 or Type 2 device
 * is listed with what the switch knows of it.
 *
 * Each device is asked into a typed row (device-row.c); the JSON is
 * written from the rows and the table drawn from them, with no json-c
 * tree between (at 256 ports building, printing and freeing the tree was
 * most of the command's cost).
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct devices_args {
	const char *name;
};

static error_t devices_parse(int key, char *arg, struct argp_state *state)
{
	struct devices_args *a = state->input;

	return switch_arg(state, key, arg, &a->name);
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp devices_argp = {
	.parser = devices_parse,
	.args_doc = "SWITCH",
	.doc = "List the devices behind a switch's ports, of every type, "
	       "with their link as the switch reports it; for CXL memory "
	       "devices also their identity, capacity and firmware, the LD "
	       "count of pooled devices, and the memdev this host sees them "
	       "as.",
	.children = output_child,
};

/* ---- JSON ------------------------------------------------------------------ */

/* A device's entry (device-write.c), and its port's state after it. */
_Static_assert(PORT_FIELDS <= KIND_FIELDS, "a port's fields fit its arrays");
struct devices_out {
	struct device_out dev;
	struct jw_kind port;
	char speed[2][2][24];			/* the port kind's */
};

/*
 * One device's entry: what the switch says of the port, and for a Type 3
 * device what the device says of itself.  A device of another type is
 * not asked: "reachable" is null.
 */
static void device_write(struct devices_out *o, const struct device_row *r)
{
	struct field *f;

	jw_open(o->dev.w, NULL, '{');
	device_write_members(&o->dev, r);
	f = jw_kind_next(&o->port);
	port_fields(r->port, f, o->speed[o->port.turn]);
	fields_json_object(o->dev.w, &o->port.rows, "port", f, PORT_FIELDS);
	jw_close(o->dev.w, '}');
}

/*
 * The document, written as it is produced: the envelope's members, what
 * the switch could not do (a switch that cannot tunnel: said once), then
 * every device; byte for byte what json_print printed for the tree.
 */
static int devices_json(struct cxlsw_dev *sw, const struct device_row *rows,
			size_t n, const char *lacks)
{
	struct jw *w = jw_new(stdout, global_output.pretty);
	struct devices_out *o = calloc(1, sizeof(*o));
	int rc;

	if (!w || !o) {
		free(w);
		free(o);
		return cli_fail("list-devices", EXIT_IO, "out of memory");
	}
	o->dev.w = w;
	doc_switch(cxlsw_dev_name(sw));
	doc_jw_object_begin(w);
	if (lacks)
		jw_unavailable(w, lacks);
	jw_open(w, "devices", '[');
	for (size_t i = 0; i < n; i++)
		device_write(o, &rows[i]);
	jw_close(w, ']');
	doc_jw_object_end(w);
	rc = jw_finish(w);
	free(o);
	/* (errors reported meanwhile shared json-c leaves) */
	json_shared_release();
	return rc || fflush(stdout) ? EXIT_IO : EXIT_OK;
}

/* ---- the table ---------------------------------------------------------- */

/*
 * The link as the switch reports it: LTSSM state, then width and speed
 * when a width was negotiated ("l0 x8 32.0GT/s"), and PERST# when the
 * port holds its device in reset ("detect PERST#").  At most some 50
 * bytes (a speed the spec reserves is the longest), far within a cell.
 */
static size_t link_text(const struct cxlsw_port_state *p,
			const struct field *f, char *buf)
{
	char *e = buf + field_text(&f[PF_LTSSM], buf, TABLE_CELL_MAX);

	if (p->negotiated_link_width > 0) {
		e = copy_short(e, " x", 2);
		e += field_uint_text(p->negotiated_link_width, e);
		if (f[PF_SPEED].kind != FIELD_NULL) {
			*e++ = ' ';
			e = copy_short(e, f[PF_SPEED].text,
				       strlen(f[PF_SPEED].text));
			e = copy_short(e, "GT/s", 4);
		}
	}
	if (p->link_flags & CXLSW_LINK_PERST_ASSERTED)
		e = copy_short(e, " PERST#", 7);
	*e = '\0';
	return (size_t)(e - buf);
}

static size_t dash(char *buf)
{
	buf[0] = '-';
	buf[1] = '\0';
	return 1;
}

/* A text cell, "-" for none: cut to the table's cell, as all cells are. */
static size_t text_cell(const char *s, char *buf)
{
	struct field f;

	if (!s)
		return dash(buf);
	field_string(&f, FKEY("text"), s);
	return field_text(&f, buf, TABLE_CELL_MAX);
}

enum { COL_PORT, COL_TYPE, COL_LINK, COL_MODE, COL_SERIAL, COL_CAPACITY,
       COL_FIRMWARE, COL_LDS, COL_HOST, NCOLS };

static size_t cell(const struct device_row *r, const struct field *f,
		   unsigned int col, char *buf)
{
	/* only a device that answered everything has its memdev and LDs */
	bool ok = r->reach == DEVICE_OK, mid = ok && r->have_mid;
	struct field id[IDENTIFY_FIELDS];
	struct identify_texts t;

	switch (col) {
	case COL_PORT:
		return field_text(&f[PF_PORT_ID], buf, TABLE_CELL_MAX);
	case COL_TYPE:
		return field_text(&f[PF_TYPE], buf, TABLE_CELL_MAX);
	case COL_LINK:
		return link_text(r->port, f, buf);
	case COL_MODE:
		return field_text(&f[PF_MODE], buf, TABLE_CELL_MAX);
	case COL_SERIAL:
		if (!ok)
			return dash(buf);
		identify_fields(&r->id, id, &t);
		return field_text(&id[IDENTIFY_SERIAL], buf, TABLE_CELL_MAX);
	case COL_CAPACITY:
		if (!mid)
			return dash(buf);
		/* as in JSON, where a size stops at INT64_MAX */
		format_size(r->mid.total_capacity > INT64_MAX ? INT64_MAX :
			    r->mid.total_capacity, buf, TABLE_CELL_MAX);
		return strlen(buf);
	case COL_FIRMWARE:
		return text_cell(mid ? r->mid.fw_revision : NULL, buf);
	case COL_LDS:
		if (!ok || !r->have_ld)
			return dash(buf);
		return field_uint_text(r->ld_count, buf);
	case COL_HOST:
		return text_cell(ok ? r->host_memdev : NULL, buf);
	}
	return dash(buf);
}

/* Whether a device's "unavailable" only repeats the list's own. */
static bool same_lacks(const struct device_row *r, const char *lacks)
{
	return lacks && r->nlacks == 1 && r->lacks[0] == CXLSW_OP_TUNNEL;
}

static int devices_human(const struct device_row *rows, size_t n,
			 const char *lacks)
{
	static const char *const headers[NCOLS] = {
		"PORT", "TYPE", "LINK", "MODE", "SERIAL", "CAPACITY",
		"FIRMWARE", "LDS", "HOST",
	};
	struct table *t = table_new(NCOLS);
	struct field f[FIELDS_MAX];
	char speed[2][24], what[128];

	if (t) {
		for (unsigned int c = 0; c < NCOLS; c++)
			table_header(t, c, headers[c]);
		for (size_t i = 0; i < n; i++) {
			char *buf = table_cells_room(t, NCOLS, TABLE_CELL_MAX);

			if (!buf)
				break;
			port_fields(rows[i].port, f, speed);
			for (unsigned int c = 0; c < NCOLS; c++)
				buf = table_cell_commit(t, cell(&rows[i], f, c,
								buf));
		}
		table_print(t, "");
		table_free(t);
	}
	/* a switch that cannot tunnel: said once, not per device */
	if (lacks)
		printf("devices not asked: the switch does not implement %s\n",
		       lacks);
	/* after the table, per port: what could not be told, and why */
	for (size_t i = 0; i < n; i++) {
		const struct device_row *r = &rows[i];

		if (same_lacks(r, lacks))
			continue;
		if (r->reach == DEVICE_UNREACHABLE)
			printf("port %d: unreachable: %s\n", r->port->port_id,
			       r->error ? r->error : "-");
		else if (r->error)	/* it answered, then failed */
			printf("port %d: %s\n", r->port->port_id, r->error);
		if (r->hint)
			printf("  %s\n", r->hint);
		if (!r->nlacks)
			continue;
		printf("port %d: the device does not implement ",
		       r->port->port_id);
		for (unsigned int k = 0; k < r->nlacks; k++) {
			lacking_text(r->lacks[k], what, sizeof(what));
			printf("%s%s", k ? ", " : "", what);
		}
		printf("\n");
	}
	return fflush(stdout) ? EXIT_IO : EXIT_OK;
}

/* ---- the command -------------------------------------------------------- */

/*
 * Whether port p has a device to list: something is connected, and it is
 * behind the switch (an upstream port's partner is a host).
 */
static bool port_has_device(const struct cxlsw_port_state *p)
{
	return p->connected_device_type != CXLSW_DEV_NONE &&
	       p->config_state != CXLSW_PORT_USP;
}

int cmd_list_devices(int argc, char **argv)
{
	struct devices_args a = { NULL };
	struct cxlsw_host_memdev *host;
	struct device_row *rows = NULL;
	struct json_object *errors;
	struct switch_state st;
	struct cxlsw_dev *sw;
	char lacks[96];
	size_t nhost, n = 0;
	unsigned int quieted;
	int code = 0, rc;

	cli_parse(&devices_argp, "list-devices", argc, argv, &a);
	sw = cli_open("list-devices", a.name, &code);
	if (!sw)
		return code;
	if (state_read(sw, &st, STATE_PORTS)) {
		code = cli_dev_fail("list-devices", sw);
		goto out;
	}
	rows = calloc(st.nports ? st.nports : 1, sizeof(*rows));
	if (!rows) {
		code = cli_fail("list-devices", EXIT_IO, "out of memory");
		goto out;
	}
	/* no host view (no CXL bus here) is not an error: nothing matches */
	if (cxlsw_host_memdevs(&host, &nhost)) {
		host = NULL;
		nhost = 0;
	}
	/* a device that fails is listed with its error: one JSON document */
	errors = json_object_new_array();
	cli_errors_into(errors);
	/* each row says why it is short: stderr repeats it only with -v */
	cli_errors_quiet(!global_output.verbose);
	for (size_t i = 0; i < st.nports; i++)
		if (port_has_device(&st.ports[i]))
			port_device_read("list-devices", sw, &st.ports[i], host,
					 nhost, &rows[n++], &code);
	cli_errors_into(NULL);
	quieted = cli_errors_quiet(false);
	json_object_put(errors);
	if (quieted)	/* errors stay: counted in one line */
		fprintf(stderr, "cxl-switch list-devices: %u device%s failed to answer: see %s rows (-v: each here)\n",
			quieted, quieted == 1 ? "" : "s",
			quieted == 1 ? "its" : "their");
	/* a switch that cannot tunnel: the devices as the switch sees them */
	if (cxlsw_dev_lacks(sw, CXLSW_OP_TUNNEL))
		lacking_text(CXLSW_OP_TUNNEL, lacks, sizeof(lacks));
	else
		lacks[0] = '\0';
	rc = global_output.json ? devices_json(sw, rows, n, lacks[0] ? lacks : NULL) :
	     devices_human(rows, n, lacks[0] ? lacks : NULL);
	code = rc ?: code;
	for (size_t i = 0; i < n; i++)
		device_row_free(&rows[i]);
	free(host);
out:
	free(rows);
	state_free(&st);
	cxlsw_dev_close(sw);
	return code;
}
