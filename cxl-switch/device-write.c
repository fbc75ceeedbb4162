// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A device row (device-row.c) written as JSON members with the streaming
 * writer: what list-devices prints for a device before its "port", and
 * what topology prints for a port's "device" before its LD pool.  No
 * json-c tree between: at 256 ports building, printing and freeing one
 * was most of both commands' cost.
 */
#include "cli.h"

_Static_assert(MEMDEV_FIELDS <= KIND_FIELDS && IDENTIFY_FIELDS <= KIND_FIELDS,
	       "a kind's fields fit its arrays");

/* a string under key, or null */
static void write_text(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	if (s)
		jw_string(w, s);
	else
		jw_raw(w, "null");
}

/* "unavailable" with one thing the device could not do, said as text */
void jw_unavailable(struct jw *w, const char *what)
{
	jw_open(w, "unavailable", '[');
	jw_key(w, NULL);
	jw_string(w, what);
	jw_close(w, ']');
}

/* "unavailable": the commands lacked, by name; nothing for none */
void jw_lacks(struct jw *w, const uint16_t *lacks, unsigned int n)
{
	char what[128];

	if (!n)
		return;
	jw_open(w, "unavailable", '[');
	for (unsigned int i = 0; i < n; i++) {
		lacking_text(lacks[i], what, sizeof(what));
		jw_key(w, NULL);
		jw_string(w, what);
	}
	jw_close(w, ']');
}

/* port_id, connected_device_type, link_up and reachable: every entry's */
static void write_head(struct device_out *o, const struct device_row *r)
{
	const struct cxlsw_port_state *p = r->port;
	struct field *f = jw_kind_next(&o->head);
	size_t n = 0;

	field_int(&f[n++], FKEY("port_id"), p->port_id);
	field_enum(&f[n++], FKEY("connected_device_type"),
		   p->connected_device_type, cxlsw_device_type_name);
	field_key(&f[n], FKEY("link_up"), FIELD_BOOL);
	f[n++].i = p->ltssm_state == CXLSW_LTSSM_L0;
	if (r->reach != DEVICE_NO_TUNNEL) {
		/* a device not asked: null */
		field_key(&f[n], FKEY("reachable"),
			  r->reach == DEVICE_NOT_ASKED ? FIELD_NULL : FIELD_BOOL);
		f[n++].i = r->reach != DEVICE_UNREACHABLE;
	}
	fields_json_add(o->w, &o->head.rows, f, n);
}

/* What a device that answered says of itself. */
static void write_answers(struct device_out *o, const struct device_row *r)
{
	struct field *f;
	size_t n;

	f = jw_kind_next(&o->identify);
	n = identify_fields(&r->id, f, &o->texts[o->identify.turn]);
	fields_json_object(o->w, &o->identify.rows, "identify", f, n);
	if (r->have_mid) {
		f = jw_kind_next(&o->memdev);
		n = memdev_fields(&r->mid, f);
		fields_json_object(o->w, &o->memdev.rows, "memdev", f, n);
	} else {
		jw_key(o->w, "memdev");
		jw_raw(o->w, "null");
	}
	f = jw_kind_next(&o->tail);
	if (r->have_ld)
		field_int(&f[0], FKEY("ld_count"), r->ld_count);
	else
		field_key(&f[0], FKEY("ld_count"), FIELD_NULL);
	field_string(&f[1], FKEY("host_memdev"), r->host_memdev);
	fields_json_add(o->w, &o->tail.rows, f, 2);
}

/*
 * One device's members into the object open now: what the switch says of
 * the port, and for a Type 3 device what the device says of itself.  A
 * device of another type is not asked: "reachable" is null.
 */
void device_write_members(struct device_out *o, const struct device_row *r)
{
	struct jw *w = o->w;

	write_head(o, r);
	switch (r->reach) {
	case DEVICE_NO_TUNNEL:
	case DEVICE_NOT_ASKED:
		break;
	case DEVICE_UNREACHABLE:
		write_text(w, "error", r->error);
		if (r->hint)
			write_text(w, "hint", r->hint);
		jw_lacks(w, r->lacks, r->nlacks);
		break;
	case DEVICE_FAILED:
		jw_lacks(w, r->lacks, r->nlacks);
		write_text(w, "error", r->error);
		break;
	case DEVICE_OK:
		jw_lacks(w, r->lacks, r->nlacks);
		write_answers(o, r);
		break;
	}
}
