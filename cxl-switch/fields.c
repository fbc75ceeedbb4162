// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Large listings without a json-c tree: a row is an array of typed fields
 * (struct field), filled once from the library's decoded answer, and both
 * renderers read the same fields: the JSON writer (json-print.c's
 * streaming half, the same text json_print prints for the equivalent
 * tree) and the table below (the same text print_table draws).  One
 * result, two renderers, as everywhere else, at a fraction of the cost:
 * nothing is allocated per value, keys are not hashed.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- JSON ----------------------------------------------------------------- */

static void jw_value(struct jw *w, const struct field *f)
{
	switch (f->kind) {
	case FIELD_NULL:
		jw_raw(w, "null");
		break;
	case FIELD_INT:
	case FIELD_HEX:
		jw_int(w, f->i);
		break;
	case FIELD_BOOL:
		jw_raw(w, f->i ? "true" : "false");
		break;
	case FIELD_WORD:
	case FIELD_TEXT:
		jw_string(w, f->text);
		break;
	case FIELD_NUMBER:
		jw_raw(w, f->text);
		break;
	case FIELD_WORDS:
	case FIELD_NUMBERS:
		jw_open_bare(w, '[');
		for (size_t i = 0; i < f->n; i++) {
			jw_key(w, NULL);
			if (f->kind == FIELD_WORDS)
				jw_string(w, f->list[i]);
			else
				jw_raw(w, f->list[i]);
		}
		jw_close(w, ']');
		break;
	case FIELD_FLAGS:
		jw_open_bare(w, '{');
		for (unsigned int b = 0; b < 32 && f->bitname(b); b++) {
			jw_key(w, f->bitname(b));
			jw_raw(w, f->i & (1ll << b) ? "true" : "false");
		}
		jw_close(w, '}');
		break;
	}
}

/* key: value pairs into the object open now */
void fields_json_members(struct jw *w, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		jw_key(w, f[i].key);
		jw_value(w, &f[i]);
	}
}

/* An object under key (an array's next item: NULL), compact if it can be. */
void fields_json_object(struct jw *w, struct jw_rows *rows, const char *key,
			const struct field *f, size_t n)
{
	if (jw_object_compact(w, rows, key, f, n))
		return;
	jw_open(w, key, '{');
	fields_json_members(w, f, n);
	jw_close(w, '}');
}

/* Members of the object open now, compact if they can be. */
void fields_json_add(struct jw *w, struct jw_rows *rows,
		     const struct field *f, size_t n)
{
	if (!jw_members_compact(w, rows, f, n))
		fields_json_members(w, f, n);
}

void fields_json(struct jw *w, const struct field *f, size_t n)
{
	if (jw_fields_compact(w, f, n))
		return;
	jw_open(w, NULL, '{');
	for (size_t i = 0; i < n; i++) {
		jw_key(w, f[i].key);
		jw_value(w, &f[i]);
	}
	jw_close(w, '}');
}

/* ---- the table ----------------------------------------------------------- */


size_t field_uint_text(uint64_t v, char *buf)
{
	/* "00" to "99": most numbers in a table (ids, widths) are small */
	static const char pairs[] =
		"0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849"
		"5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";
	char tmp[24], *p = tmp + sizeof(tmp);
	size_t n;

	if (v < 10) {
		buf[0] = (char)('0' + v);
		buf[1] = '\0';
		return 1;
	}
	if (v < 100) {
		memcpy(buf, pairs + 2 * v, 2);
		buf[2] = '\0';
		return 2;
	}
	if (v < 1000) {
		buf[0] = (char)('0' + v / 100);
		memcpy(buf + 1, pairs + 2 * (v % 100), 2);
		buf[3] = '\0';
		return 3;
	}
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

/* Append s (n bytes) within len, always terminated: the new length. */
static size_t put_text_n(char *buf, size_t used, size_t len, const char *s,
			 size_t n)
{
	if (used + n >= len)
		n = used < len ? len - 1 - used : 0;
	copy_short(buf + used, s, n)[0] = '\0';
	return used + n;
}

static size_t put_text(char *buf, size_t used, size_t len, const char *s)
{
	return put_text_n(buf, used, len, s, strlen(s));
}

/* What format_value() makes of the equivalent json-c value; its length. */
size_t field_text(const struct field *f, char *buf, size_t len)
{
	size_t used = 0;
	char num[24];

	buf[0] = '\0';
	switch (f ? f->kind : FIELD_NULL) {
	case FIELD_NULL:
		return put_text_n(buf, 0, len, "-", 1);
	case FIELD_INT:
		if (f->i >= 0 && len >= 24)	/* the digits fit: straight in */
			return field_uint_text((uint64_t)f->i, buf);
		if (f->i < 0) {
			used = put_text_n(buf, 0, len, "-", 1);
			return put_text_n(buf, used, len, num,
				field_uint_text((uint64_t)0 - (uint64_t)f->i, num));
		}
		return put_text_n(buf, 0, len, num,
				  field_uint_text((uint64_t)f->i, num));
	case FIELD_BOOL:
		return f->i ? put_text_n(buf, 0, len, "yes", 3) :
		       put_text_n(buf, 0, len, "no", 2);
	case FIELD_WORD:
	case FIELD_TEXT:
	case FIELD_NUMBER:
	case FIELD_HEX:
		return put_text(buf, 0, len, f->text);
	case FIELD_WORDS:
	case FIELD_NUMBERS:
		for (size_t i = 0; i < f->n && used < len - 1; i++) {
			if (i)
				used = put_text_n(buf, used, len, ",", 1);
			used = put_text(buf, used, len, f->list[i]);
		}
		return f->n ? used : put_text_n(buf, 0, len, "-", 1);
	case FIELD_FLAGS:
		for (unsigned int b = 0; b < 32 && f->bitname(b); b++) {
			if (!(f->i & (1ll << b)))
				continue;
			if (used)
				used = put_text_n(buf, used, len, ",", 1);
			used = put_text(buf, used, len, f->bitname(b));
		}
		return used ? used : put_text_n(buf, 0, len, "-", 1);
	}
	return 0;
}

