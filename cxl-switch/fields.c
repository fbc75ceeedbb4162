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
	char tmp[24], *p = tmp + sizeof(tmp);
	size_t n;

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

/*
 * The field of a row under a key: keys are the same literals, compared by
 * address, at the place the previous row had it (rows share a layout).
 */
static const struct field *field_find(const struct field *f, size_t n,
				      const char *key, size_t *hint)
{
	if (*hint < n && f[*hint].key == key)
		return &f[*hint];
	for (size_t i = 0; i < n; i++)
		if (f[i].key == key || !strcmp(f[i].key, key)) {
			*hint = i;
			return &f[i];
		}
	return NULL;
}

void fields_table(size_t nrows,
		  size_t (*row)(void *ctx, size_t r, struct field *f),
		  void *ctx, const struct field_column *cols, size_t ncols)
{
	/* two rows in turn: a cell whose value is the one above it is the
	 * same text, copied rather than formatted again */
	struct field rows[2][FIELDS_MAX], *f;
	const struct field *above[FIELDS_MAX] = { NULL };
	size_t hint[FIELDS_MAX] = { 0 }, above_off[FIELDS_MAX], turn = 0;
	struct table *t = table_new(ncols);

	if (!t || ncols > FIELDS_MAX) {
		table_free(t);
		return;
	}
	for (size_t i = 0; i < ncols; i++)
		table_header(t, i, cols[i].header);
	for (size_t r = 0; r < nrows; r++) {
		size_t n, len;
		char *buf;

		f = rows[turn];
		n = row(ctx, r, f);
		if (!n)
			continue;
		turn ^= 1;
		/* formatted straight into the table's text */
		buf = table_cells_room(t, ncols, TABLE_CELL_MAX);
		if (!buf)
			break;
		for (size_t i = 0; i < ncols; i++) {
			const struct field *v = field_find(f, n, cols[i].key,
							   &hint[i]);

			if (v && above[i] && field_same(v, above[i])) {
				const char *text = table_text(t, above_off[i]);

				len = strlen(text);
				copy_short(buf, text, len);
			} else if (cols[i].format) {
				cols[i].format(v, buf, TABLE_CELL_MAX);
				len = strlen(buf);
			} else {
				len = field_text(v, buf, TABLE_CELL_MAX);
			}
			above[i] = v;
			above_off[i] = table_text_len(t);
			buf = table_cell_commit(t, len);
		}
	}
	table_print(t, "");
	table_free(t);
}
