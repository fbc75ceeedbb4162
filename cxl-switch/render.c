// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One result, two renderers: every command builds a json-c object; --json
 * prints it, and the human table is drawn from the very same object, so the
 * two can never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int emit(struct json_object *result, void (*human)(struct json_object *))
{
	int rc = 0;

	if (global_output.json) {
		doc_result(result);	/* printed once, when the run ends */
		return EXIT_OK;
	}
	human(result);
	json_object_put(result);
	json_shared_release();
	return rc || fflush(stdout) ? EXIT_IO : EXIT_OK;
}

/* ---- human rendering ---------------------------------------------------- */

static bool is_section(struct json_object *v);

static void join_true_keys(struct json_object *v, char *buf, size_t len)
{
	size_t used = 0;
	char item[64];

	buf[0] = '\0';
	if (is_section(v)) {	/* values, not flags: key=value pairs */
		json_object_object_foreach(v, k, m) {
			format_value(m, item, sizeof(item));
			if (used < len)
				used += snprintf(buf + used, len - used,
						 "%s%s=%s", used ? " " : "", k,
						 item);
		}
		return;
	}
	json_object_object_foreach(v, key, val)
		if (json_object_get_boolean(val) && used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", key);
	if (!used)
		snprintf(buf, len, "-");
}

static void join_array(struct json_object *v, char *buf, size_t len)
{
	size_t used = 0, n = json_object_array_length(v);
	char item[64];

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		format_value(json_object_array_get_idx(v, i), item,
			     sizeof(item));
		used += snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 item);
	}
	if (!n)
		snprintf(buf, len, "-");
}

void format_value(struct json_object *v, char *buf, size_t len)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		snprintf(buf, len, "-");
		break;
	case json_type_boolean:
		snprintf(buf, len, "%s", json_object_get_boolean(v) ? "yes" : "no");
		break;
	case json_type_array:
		join_array(v, buf, len);
		break;
	case json_type_object:
		join_true_keys(v, buf, len);
		break;
	default:
		/* ints, strings, and doubles as their own text (8.0) */
		snprintf(buf, len, "%s", json_object_get_string(v));
		break;
	}
}

#define CELL_MAX	96

static void cell(struct json_object *row, const struct column *c, char *buf)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(row, c->key, &v);
	if (c->format)
		c->format(v, buf, CELL_MAX);
	else
		format_value(v, buf, CELL_MAX);
}

/*
 * A table: every cell is formatted once, into one block of text (the
 * cells row by row), the widths taken as they come, then drawn padded
 * from there: a 256-row table has thousands of cells, and the widths
 * need them all before the first line.  A line is built whole and
 * written once.  The last cell of a row is not padded: no trailing
 * blanks.
 */
struct table {
	size_t ncols;
	const char **header;
	size_t *width;
	char *text;
	size_t len, cap, ncells;
	struct cell_ref {		/* each cell, cell by cell: */
		uint32_t off;		/* where its text is */
		uint32_t len;
	} *cell_len;
	size_t cell_cap, col;
	/* per row, 0 or 1 + an earlier row it repeats after its first cell */
	uint32_t *like;
	size_t like_cap;
	bool failed;
};

struct table *table_new(size_t ncols)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ncols = ncols;
	t->header = calloc(ncols + 1, sizeof(*t->header));
	t->width = calloc(ncols + 1, sizeof(*t->width));
	if (!t->header || !t->width) {
		table_free(t);
		return NULL;
	}
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	free(t->header);
	free(t->width);
	free(t->text);
	free(t->cell_len);
	free(t->like);
	free(t);
}

void table_header(struct table *t, size_t col, const char *text)
{
	size_t n = strlen(text);

	t->header[col] = text;
	if (n > t->width[col])
		t->width[col] = n;
}

/* The next cell, row by row; -1 when out of memory (then nothing is drawn). */
int table_cell(struct table *t, const char *s)
{
	return table_cell_n(t, s, strlen(s));
}

/*
 * Room for the next cells' text (at most max bytes and its NUL, cells of
 * them), written in place and then committed with its length: no copy in
 * between, and one check for a whole row.
 */
static char *room(struct table *t, size_t cells, size_t text);

char *table_cells_room(struct table *t, size_t cells, size_t max)
{
	return room(t, cells, cells * (max + 1));
}

/* Room for cells more cells and text more bytes of their text. */
static char *room(struct table *t, size_t cells, size_t text)
{
	if (t->failed)
		return NULL;
	if (t->ncells + cells > t->cell_cap) {
		size_t cap = t->cell_cap ? t->cell_cap * 2 : 1024;
		struct cell_ref *grown;

		while (cap < t->ncells + cells)
			cap *= 2;
		grown = realloc(t->cell_len, cap * sizeof(*grown));
		if (!grown) {
			t->failed = true;
			return NULL;
		}
		t->cell_len = grown;
		t->cell_cap = cap;
	}
	if (t->len + text > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		char *grown;

		while (cap < t->len + text)
			cap *= 2;
		grown = realloc(t->text, cap);
		if (!grown) {
			t->failed = true;
			return NULL;
		}
		t->text = grown;
		t->cap = cap;
	}
	return t->text + t->len;
}

/* The cell just written (n bytes) is done: where the next one goes. */
static inline char *cell_commit(struct table *t, size_t n)
{
	t->text[t->len + n] = '\0';
	t->cell_len[t->ncells] = (struct cell_ref){ (uint32_t)t->len, (uint32_t)n };
	t->len += n + 1;
	if (n > t->width[t->col])
		t->width[t->col] = n;
	t->ncells++;
	if (++t->col == t->ncols)
		t->col = 0;
	return t->text + t->len;
}

/* The next cell is the text of an earlier one (at off, n bytes): shared. */
static inline void cell_again(struct table *t, size_t off, size_t n)
{
	t->cell_len[t->ncells++] = (struct cell_ref){ (uint32_t)off, (uint32_t)n };
	if (++t->col == t->ncols)
		t->col = 0;
}

/*
 * The next row: its first cell's text (n bytes); after it, the drawn line
 * of the earlier row row, copied (its other cells are that row's, not
 * kept again).  -1 when out of memory.
 */
int table_row_like(struct table *t, size_t row, const char *first, size_t n)
{
	size_t rows = t->ncols ? t->ncells / t->ncols : 0;
	char *p;

	/* every cell's reference, the first one's text */
	if (t->col || row >= rows ||
	    ((t->ncells + t->ncols > t->cell_cap || t->len + n + 1 > t->cap) &&
	     !room(t, t->ncols, n + 1)))
		return -1;
	if (rows >= t->like_cap) {
		size_t cap = t->like_cap ? t->like_cap * 2 : 256;
		uint32_t *grown;

		while (cap <= rows)
			cap *= 2;
		grown = realloc(t->like, cap * sizeof(*grown));
		if (!grown) {
			t->failed = true;
			return -1;
		}
		memset(grown + t->like_cap, 0,
		       (cap - t->like_cap) * sizeof(*grown));
		t->like = grown;
		t->like_cap = cap;
	}
	p = t->text + t->len;
	copy_short(p, first, n);
	cell_commit(t, n);
	/* the other cells' places: never read, the line is the earlier
	 * row's (col is 1 now) */
	t->ncells += t->ncols - 1;
	t->col = 0;
	t->like[rows] = (uint32_t)row + 1;
	return 0;
}

char *table_cell_commit(struct table *t, size_t n)
{
	return cell_commit(t, n);
}

int table_cell_n(struct table *t, const char *s, size_t n)
{
	char *p;

	if (n > UINT16_MAX)
		n = UINT16_MAX;
	p = table_cells_room(t, 1, n);
	if (!p)
		return -1;
	memcpy(p, s, n);
	table_cell_commit(t, n);
	return 0;
}

/*
 * A cell into the line, padded to its width and two blanks.  Texts and
 * padding go in words: the buffer has 8 bytes of slack at its end, and
 * what is written past a cell is overwritten by the next.
 */
static void put_line(char *line, size_t *used, const char *text,
		     size_t len, size_t width, bool last)
{
	static const char blanks[8] = "        ";
	char *p = copy_short(line + *used, text, len);
	size_t i, pad;

	if (last) {
		*p++ = '\n';
		*used = (size_t)(p - line);
		return;
	}
	pad = width - len + 2;
	for (i = 0; i < pad; i += 8)
		memcpy(p + i, blanks, 8);
	*used = (size_t)(p + pad - line);
}

/* The whole table is drawn into one buffer and handed to stdio once. */
void table_print(struct table *t, const char *indent)
{
	size_t linecap = strlen(indent) + 1, used = 0, rows, ind = strlen(indent);
	const struct cell_ref *c = t->cell_len;
	size_t *rest;
	char *out;

	if (t->failed)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		linecap += t->width[i] + 2;
	rows = t->ncols ? t->ncells / t->ncols : 0;
	out = malloc(linecap * (rows + 1) + 8);
	if (!out)
		return;
	memcpy(out, indent, ind);
	used = ind;
	for (size_t i = 0; i < t->ncols; i++)
		put_line(out, &used, t->header[i], strlen(t->header[i]),
			 t->width[i], i + 1 == t->ncols);
	/* where each row's line goes on after its first cell, and how far */
	rest = t->like ? malloc(2 * (rows + 1) * sizeof(*rest)) : NULL;
	if (t->like && !rest) {
		free(out);
		return;
	}
	for (size_t r = 0; r < rows; r++) {
		size_t like = r < t->like_cap ? t->like[r] : 0, i = 0;

		if (ind) {
			memcpy(out + used, indent, ind);
			used += ind;
		}
		if (rest && t->ncols > 1) {
			put_line(out, &used, t->text + c->off, c->len,
				 t->width[0], false);
			rest[2 * r] = used;
			i = 1;
			if (like) {
				memcpy(out + used, out + rest[2 * (like - 1)],
				       rest[2 * (like - 1) + 1]);
				used += rest[2 * (like - 1) + 1];
				rest[2 * r + 1] = rest[2 * (like - 1) + 1];
				c += t->ncols;
				continue;
			}
			c++;
		}
		for (; i < t->ncols; i++) {
			put_line(out, &used, t->text + c->off, c->len,
				 t->width[i], i + 1 == t->ncols);
			c++;
		}
		if (rest && t->ncols > 1)
			rest[2 * r + 1] = used - rest[2 * r];
	}
	fwrite(out, 1, used, stdout);
	free(rest);
	free(out);
}

void print_table(struct json_object *rows, const struct column *cols,
		 size_t ncols, const char *indent)
{
	size_t n = json_object_array_length(rows);
	struct table *t = table_new(ncols);
	char buf[CELL_MAX];

	if (!t)
		return;
	for (size_t i = 0; i < ncols; i++)
		table_header(t, i, cols[i].header);
	for (size_t r = 0; r < n; r++) {
		struct json_object *row = json_object_array_get_idx(rows, r);

		for (size_t i = 0; i < ncols; i++) {
			cell(row, &cols[i], buf);
			if (table_cell(t, buf))
				break;
		}
	}
	table_print(t, indent);
	table_free(t);
}

/* ---- a table of typed fields (fields.c) ------------------------------- */

/*
 * The field of a row under a key: keys are the same literals, compared by
 * address, at the place the previous row had it (rows share a layout).
 */
static inline const struct field *field_find(const struct field *f, size_t n,
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

/* A row's cell of column col: its text at buf (TABLE_CELL_MAX), its length. */
static size_t cell_text(const struct field_column *col, const struct field *v,
			char *buf)
{
	if (col->format) {
		col->format(v, buf, TABLE_CELL_MAX);
		return strlen(buf);
	}
	return field_text(v, buf, TABLE_CELL_MAX);
}

/* How many digits v has (ids first: most are small). */
static size_t uint_digits(uint64_t v)
{
	size_t n = 4;

	if (v < 100)
		return v < 10 ? 1 : 2;
	if (v < 1000)
		return 3;
	for (v /= 10000; v; v /= 10)
		n++;
	return n;
}

/*
 * The length cell_text() would give, without making the text where the
 * field says it (numbers, words, nothing); the rest is made in scratch
 * (TABLE_CELL_MAX) to be measured.
 */
static size_t cell_width(const struct field_column *col, const struct field *v,
			 char *scratch)
{
	size_t n;

	if (col->format || !v)
		return cell_text(col, v, scratch);
	switch (v->kind) {
	case FIELD_NULL:
		return 1;			/* "-" */
	case FIELD_INT:
		if (v->i < 0)
			break;
		return uint_digits((uint64_t)v->i);
	case FIELD_WORD:
	case FIELD_TEXT:
	case FIELD_NUMBER:
		n = strlen(v->text);
		return n < TABLE_CELL_MAX ? n : TABLE_CELL_MAX - 1;
	default:
		break;
	}
	return cell_text(col, v, scratch);
}

/*
 * A cell's text at p (room for TABLE_CELL_MAX), no NUL: numbers, words
 * and nothing straight in, the rest as cell_text() makes it.  Its length.
 */
static size_t cell_put(const struct field_column *col, const struct field *v,
		       char *p)
{
	size_t n;

	if (col->format || !v)
		return cell_text(col, v, p);
	switch (v->kind) {
	case FIELD_NULL:
		*p = '-';
		return 1;
	case FIELD_INT:
		if (v->i < 0)
			break;
		return field_uint_text((uint64_t)v->i, p);
	case FIELD_WORD:
		n = strlen(v->text);
		if (n >= TABLE_CELL_MAX)
			break;
		copy_short(p, v->text, n);
		return n;
	default:
		break;
	}
	return cell_text(col, v, p);
}

/*
 * A table streamed from its rows, in two passes over them: the first
 * takes the columns' widths from the fields (their lengths, mostly not
 * their texts), the second makes each cell's text once, in its place in
 * the drawn line.  Rows are asked for twice (a row is a few stores), and
 * nothing is kept per cell: the same work per row as the JSON writer.
 * The text is print_table's: padded to the widest and two blanks, the
 * last cell of a line unpadded.
 */
void fields_table(size_t nrows,
		  size_t (*row)(void *ctx, size_t r, struct field *f),
		  void *ctx, const struct field_column *cols, size_t ncols,
		  const char *indent)
{
	static const char blanks[8] = "        ";
	size_t width[FIELDS_MAX], hint[FIELDS_MAX] = { 0 };
	size_t ind = strlen(indent), linecap, used = 0, n, len;
	struct field f[FIELDS_MAX];
	char scratch[TABLE_CELL_MAX], *out, *p;

	if (!ncols || ncols > FIELDS_MAX)
		return;
	for (size_t i = 0; i < ncols; i++)
		width[i] = strlen(cols[i].header);
	/* the last column is not padded: only its room is needed */
	if (width[ncols - 1] < TABLE_CELL_MAX)
		width[ncols - 1] = TABLE_CELL_MAX;
	for (size_t r = 0; r < nrows; r++) {
		n = row(ctx, r, f);
		for (size_t i = 0; n && i + 1 < ncols; i++) {
			len = cell_width(&cols[i],
					 field_find(f, n, cols[i].key, &hint[i]),
					 scratch);
			if (len > width[i])
				width[i] = len;
		}
	}
	linecap = ind + 1;
	for (size_t i = 0; i < ncols; i++)
		linecap += width[i] + 2;
	/* 8 bytes of slack: blanks go in words, past a cell's padding */
	out = malloc(linecap * (nrows + 1) + 8);
	if (!out)
		return;
	for (size_t r = 0; r <= nrows; r++) {
		/* the header first, then each row */
		n = r ? row(ctx, r - 1, f) : ncols;
		if (!n)
			continue;
		p = copy_short(out + used, indent, ind);
		for (size_t i = 0; i < ncols; i++) {
			if (r) {
				len = cell_put(&cols[i], field_find(f, n,
						cols[i].key, &hint[i]), p);
			} else {
				len = strlen(cols[i].header);
				memcpy(p, cols[i].header, len);
			}
			p += len;
			if (i + 1 == ncols)
				break;
			/* (one word is most paddings) */
			len = width[i] - len + 2;
			memcpy(p, blanks, 8);
			for (size_t k = 8; k < len; k += 8)
				memcpy(p + k, blanks, 8);
			p += len;
		}
		*p++ = '\n';
		used = (size_t)(p - out);
	}
	fwrite(out, 1, used, stdout);
	free(out);
}

/*
 * like(ctx, r, f0), when given: 1 + an earlier row r repeats but for its
 * first column (whose field it fills in f0), or 0: that row's cells are
 * shared and its line copied, nothing formatted but the first cell.
 */
void fields_table_like(size_t nrows,
		       size_t (*row)(void *ctx, size_t r, struct field *f),
		       size_t (*like)(void *ctx, size_t r, struct field *f0),
		       void *ctx, const struct field_column *cols, size_t ncols,
		       const char *indent)
{
	/* two rows in turn: a cell whose value is the one above it is the
	 * same text, copied rather than formatted again */
	struct field rows[2][FIELDS_MAX], *f;
	const struct field *above[FIELDS_MAX] = { NULL };
	size_t hint[FIELDS_MAX] = { 0 }, above_off[FIELDS_MAX], turn = 0;
	size_t above_len[FIELDS_MAX];
	struct table *t = table_new(ncols);
	/* each row's row in the table (for like), SIZE_MAX: none */
	size_t *at = like ? malloc((nrows + 1) * sizeof(*at)) : NULL, trows = 0;
	char first[TABLE_CELL_MAX + 1];
	struct field f0;

	if (!t || ncols > FIELDS_MAX || (like && !at)) {
		table_free(t);
		free(at);
		return;
	}
	for (size_t i = 0; i < ncols; i++)
		table_header(t, i, cols[i].header);
	/* every row's cell references at once, not grown row by row */
	room(t, nrows * ncols, 0);
	for (size_t r = 0; r < nrows; r++) {
		size_t n, len, k;
		char *buf;

		if (at)
			at[r] = SIZE_MAX;
		if (like && (k = like(ctx, r, &f0)) && k <= r &&
		    at[k - 1] != SIZE_MAX) {
			/* (an id: its digits, as field_text makes them) */
			len = !cols[0].format && f0.kind == FIELD_INT && f0.i >= 0 ?
			      field_uint_text((uint64_t)f0.i, first) :
			      cell_text(&cols[0], &f0, first);
			if (table_row_like(t, at[k - 1], first, len))
				break;
			at[r] = trows++;
			continue;
		}
		f = rows[turn];
		n = row(ctx, r, f);
		if (!n)
			continue;
		turn ^= 1;
		if (at)
			at[r] = trows;
		trows++;
		/* formatted straight into the table's text */
		buf = table_cells_room(t, ncols, TABLE_CELL_MAX);
		if (!buf)
			break;
		for (size_t i = 0; i < ncols; i++) {
			const struct field *v = field_find(f, n, cols[i].key,
							   &hint[i]);

			if (v && above[i] && field_same(v, above[i])) {
				/* the text of the cell above, not a copy */
				above[i] = v;
				cell_again(t, above_off[i], above_len[i]);
				continue;
			}
			len = cell_text(&cols[i], v, buf);
			above[i] = v;
			above_off[i] = t->len;
			above_len[i] = len;
			buf = cell_commit(t, len);
		}
	}
	table_print(t, indent);
	table_free(t);
	free(at);
}

/* An object of more than flags is a section of its own. */
static bool is_section(struct json_object *v)
{
	if (!json_object_is_type(v, json_type_object))
		return false;
	json_object_object_foreach(v, key, val) {
		(void)key;
		if (!json_object_is_type(val, json_type_boolean))
			return true;
	}
	return false;
}

/* An array of objects: a table whose columns are the first row's keys. */
static bool is_rows(struct json_object *v)
{
	return json_object_is_type(v, json_type_array) &&
	       json_object_array_length(v) &&
	       json_object_is_type(json_object_array_get_idx(v, 0),
				   json_type_object);
}

void print_rows(struct json_object *rows, const char *indent)
{
	struct json_object *first = json_object_array_get_idx(rows, 0);
	struct column *cols;
	size_t n = 0;

	if (!first)
		return;
	cols = calloc((size_t)json_object_object_length(first) + 1,
		      sizeof(*cols));
	if (!cols)
		return;
	json_object_object_foreach(first, key, val) {
		(void)val;
		cols[n].header = key;
		cols[n++].key = key;
	}
	print_table(rows, cols, n, indent);
	free(cols);
}

/* A member of a result: a section, a table, or "key  value". */
void print_member(const char *key, struct json_object *val, int width,
		  const char *indent)
{
	char buf[1024], deeper[32];

	snprintf(deeper, sizeof(deeper), "%s  ", indent);
	if (is_section(val)) {
		printf("%s%s:\n", indent, key);
		print_fields(val, deeper);
	} else if (is_rows(val)) {
		printf("%s%s:\n", indent, key);
		print_rows(val, deeper);
	} else {
		format_value(val, buf, sizeof(buf));
		printf("%s%-*s  %s\n", indent, width, key, buf);
	}
}

void print_fields(struct json_object *obj, const char *indent)
{
	size_t width = 0;

	json_object_object_foreach(obj, k1, v1) {
		(void)v1;
		if (strlen(k1) > width)
			width = strlen(k1);
	}
	json_object_object_foreach(obj, key, val)
		print_member(key, val, (int)width, indent);
}
