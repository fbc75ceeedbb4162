// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Printing a result as JSON.  json-c's own serializer formats every number
 * through snprintf into a growing buffer and escapes strings a byte at a
 * time; for a 256-port listing that was half of the tool's CPU time.  This
 * writer walks the same json-c tree straight into stdio and copies strings
 * that need no escaping (all of ours) in one go.  It builds the text in
 * memory and hands it to stdio once: every stdio call costs, and more so
 * under an interposing library.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define OUT_CHUNK	65536

struct out {
	char *buf;
	size_t len, cap;
	bool failed;
	FILE *stream;
	unsigned long flushes;	/* text before the last flush is gone */
};

/*
 * The text goes to stdio in pieces of OUT_CHUNK or more, handed over
 * between values: a few calls, and a large document (topology of 256
 * ports is a megabyte) is never all in memory next to its tree.
 */

static bool out_flush_if_big(struct out *o)
{
	if (o->len < OUT_CHUNK || o->failed)
		return false;
	if (fwrite(o->buf, 1, o->len, o->stream) != o->len)
		o->failed = true;
	o->len = 0;
	o->flushes++;
	return true;
}

/* The rest of the text; -1 when anything failed (memory or the stream). */
static int out_finish(struct out *o)
{
	int rc = o->failed ||
		 fwrite(o->buf, 1, o->len, o->stream) != o->len ? -1 : 0;

	free(o->buf);
	return rc;
}

/* Room for n more bytes: where to write them, or NULL (out of memory). */
static char *reserve(struct out *o, size_t n)
{
	if (o->len + n > o->cap) {
		/* output goes out in pieces of OUT_CHUNK: room for one and a
		 * value more from the start, rather than growing to it */
		size_t cap = o->cap ? o->cap : 2 * OUT_CHUNK;
		char *grown;

		while (cap < o->len + n)
			cap *= 2;
		grown = o->failed ? NULL : realloc(o->buf, cap);
		if (!grown) {
			o->failed = true;
			return NULL;
		}
		o->buf = grown;
		o->cap = cap;
	}
	return o->buf + o->len;
}

static void put(struct out *o, const char *s, size_t n)
{
	char *p = reserve(o, n);

	if (!p)
		return;
	memcpy(p, s, n);
	o->len += n;
}

static void putch(struct out *o, char c)
{
	if (o->len < o->cap)
		o->buf[o->len++] = c;
	else
		put(o, &c, 1);
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

#define ONES	0x0101010101010101ull
#define HIGHS	0x8080808080808080ull

/* Does any of the 8 bytes need escaping: below 0x20, '"' or '\\'? */
static bool word_needs_escape(uint64_t w)
{
	uint64_t quote = w ^ (ONES * '"'), bslash = w ^ (ONES * '\\');

	return (((w - ONES * 0x20) & ~w) | ((quote - ONES) & ~quote) |
		((bslash - ONES) & ~bslash)) & HIGHS;
}

/*
 * Strings are copied in runs: 8 bytes are tested at a time for what
 * needs escaping (none of our words and numbers do), and only a word
 * that has some is looked at byte by byte.
 */
static void put_string(struct out *f, const char *s, size_t len)
{
	size_t plain = 0, i = 0;

	putch(f, '"');
	for (;;) {
		uint64_t w;

		while (i + 8 <= len) {
			memcpy(&w, s + i, 8);
			if (word_needs_escape(w))
				break;
			i += 8;
		}
		if (i < len && len - i < 8) {
			/* the tail, padded with a byte that needs nothing */
			w = ONES * 'a';
			memcpy(&w, s + i, len - i);
			if (!word_needs_escape(w))
				i = len;
		}
		if (i >= len)
			break;
		unsigned char c = (unsigned char)s[i++];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		i--;
		char esc[8];

		put(f, s + plain, i - plain);
		if (c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else
			snprintf(esc, sizeof(esc), "\\u%04x", c);
		puts_(f, esc);
		plain = ++i;
	}
	put(f, s + plain, len - plain);
	putch(f, '"');
}

static void put_uint(struct out *f, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(f, p, (size_t)(buf + sizeof(buf) - p));
}

static void put_int(struct out *f, int64_t v)
{
	if (v < 0) {
		putch(f, '-');
		put_uint(f, (uint64_t)0 - (uint64_t)v);
	} else {
		put_uint(f, (uint64_t)v);
	}
}

static void newline(struct out *f, int pretty, int depth)
{
	static const char blanks[] = "\n                                ";
	size_t n = 2 * (size_t)depth;

	if (!pretty)
		return;
	if (n < sizeof(blanks) - 1) {
		put(f, blanks, 1 + n);
		return;
	}
	putch(f, '\n');
	for (; n; n -= n < sizeof(blanks) - 2 ? n : sizeof(blanks) - 2)
		put(f, blanks + 1, n < sizeof(blanks) - 2 ? n : sizeof(blanks) - 2);
}

static void put_value(struct out *f, struct json_object *v, int pretty, int depth);

static void put_object(struct out *f, struct json_object *o, int pretty, int depth)
{
	bool first = true;

	putch(f, '{');
	json_object_object_foreach(o, key, val) {
		out_flush_if_big(f);
		if (!first)
			putch(f, ',');
		first = false;
		newline(f, pretty, depth + 1);
		put_string(f, key, strlen(key));
		puts_(f, pretty ? ": " : ":");
		put_value(f, val, pretty, depth + 1);
	}
	if (!first)
		newline(f, pretty, depth);
	putch(f, '}');
}

static void put_array(struct out *f, struct json_object *a, int pretty, int depth)
{
	size_t n = json_object_array_length(a);

	putch(f, '[');
	for (size_t i = 0; i < n; i++) {
		out_flush_if_big(f);
		if (i)
			putch(f, ',');
		newline(f, pretty, depth + 1);
		put_value(f, json_object_array_get_idx(a, i), pretty,
			  depth + 1);
	}
	if (n)
		newline(f, pretty, depth);
	putch(f, ']');
}

static void put_value(struct out *f, struct json_object *v, int pretty, int depth)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		puts_(f, "null");
		break;
	case json_type_boolean:
		puts_(f, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		put_int(f, json_object_get_int64(v));
		break;
	case json_type_double:
		/* doubles carry their own text (8.0 stays 8.0) */
		puts_(f, json_object_to_json_string(v));
		break;
	case json_type_string:
		put_string(f, json_object_get_string(v),
			   (size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		put_array(f, v, pretty, depth);
		break;
	case json_type_object:
		put_object(f, v, pretty, depth);
		break;
	}
}

int json_print(FILE *stream, struct json_object *v, bool pretty)
{
	struct out o = { NULL, 0, 0, false, stream, 0 };

	put_value(&o, v, pretty, 0);
	putch(&o, '\n');
	return out_finish(&o);
}

/* ---- streaming: the same text, written as it is produced ------------------ */

/*
 * A listing too large to build as a tree first (list-ports of 256 ports
 * is thousands of json-c objects, each allocated, hashed and freed) is
 * written field by field: what json_print would print for the tree,
 * byte for byte.
 */
struct jw {
	struct out o;
	bool pretty;
	int depth;
	bool first[64];
	struct jw_rows rows;	/* jw_fields_compact's */
};

struct jw *jw_new(FILE *stream, bool pretty)
{
	struct jw *w = calloc(1, sizeof(*w));

	if (w) {
		w->pretty = pretty;
		w->o.stream = stream;
	}
	return w;
}

/* Between values: the text so far may go out (then nothing is copied
 * from it any more: the rows before are forgotten, jw_rows.flushes). */
static void jw_flush_if_big(struct jw *w)
{
	out_flush_if_big(&w->o);
}

static void jw_next(struct jw *w)
{
	jw_flush_if_big(w);
	if (!w->first[w->depth])
		putch(&w->o, ',');
	w->first[w->depth] = false;
	newline(&w->o, w->pretty, w->depth);
}

/* An object or array as the value just keyed. */
void jw_open_bare(struct jw *w, char bracket)
{
	putch(&w->o, bracket);
	if (w->depth + 1 < (int)ARRAY_SIZE(w->first))
		w->depth++;
	w->first[w->depth] = true;
}

/* An object or array under key, or as an array's next item (key NULL). */
void jw_open(struct jw *w, const char *key, char bracket)
{
	if (key)
		jw_key(w, key);
	else if (w->depth)
		jw_next(w);
	jw_open_bare(w, bracket);
}

void jw_close(struct jw *w, char bracket)
{
	bool empty = w->first[w->depth];

	if (w->depth)
		w->depth--;
	if (!empty)
		newline(&w->o, w->pretty, w->depth);
	putch(&w->o, bracket);
}

/*
 * An object's key (then its value), or with key NULL an array's item.
 * Keys are the tool's own literals and name-table words, which need no
 * escaping: copied whole with their quotes and colon.
 */
void jw_key(struct jw *w, const char *key)
{
	size_t n;
	char *p;

	jw_next(w);
	if (!key)
		return;
	n = strlen(key);
	p = reserve(&w->o, n + 4);
	if (!p)
		return;
	*p++ = '"';
	memcpy(p, key, n);
	p += n;
	*p++ = '"';
	*p++ = ':';
	if (w->pretty)
		*p++ = ' ';
	w->o.len = (size_t)(p - w->o.buf);
}

void jw_int(struct jw *w, int64_t v)
{
	put_int(&w->o, v);
}

void jw_string(struct jw *w, const char *s)
{
	put_string(&w->o, s, strlen(s));
}

/*
 * A json-c value under key (or as an array's next item, key NULL), as
 * json_print would print it at this depth: a large document is written a
 * piece at a time, each piece built, written and freed before the next.
 */
void jw_json(struct jw *w, const char *key, struct json_object *v)
{
	jw_key(w, key);
	put_value(&w->o, v, w->pretty, w->depth);
}

/*
 * Text already written, to copy: where the next item's text starts (the
 * text before it may go out first), and what was written since.
 */
size_t jw_mark(struct jw *w)
{
	jw_flush_if_big(w);
	return w->o.len;
}

const char *jw_since(const struct jw *w, size_t mark, size_t *len)
{
	*len = w->o.len - mark;
	return w->o.buf + mark;
}

/*
 * An array's next item given as its text: head, the integer v, tail (a
 * row copied from one that differed only in v).
 */
void jw_item_text(struct jw *w, const char *head, size_t hlen, int64_t v,
		  const char *tail, size_t tlen)
{
	jw_next(w);
	put(&w->o, head, hlen);
	put_int(&w->o, v);
	put(&w->o, tail, tlen);
}

/* jw_json, then v freed: a large result built and written a piece at a time */
void jw_json_put(struct jw *w, const char *key, struct json_object *v)
{
	jw_json(w, key, v);
	json_object_put(v);
}

/* a number given as its text (speeds: 8.0), or null, true, false */
void jw_raw(struct jw *w, const char *text)
{
	puts_(&w->o, text);
}

/* A writer's caller that could not go on (out of memory): finish fails. */
void jw_fail(struct jw *w)
{
	w->o.failed = true;
}

int jw_finish(struct jw *w)
{
	int rc;

	putch(&w->o, '\n');
	rc = out_finish(&w->o);
	free(w);
	return rc;
}

/* ---- a row of typed fields (fields.c), written in one go ---------------- */

static inline char *copy_uint(char *p, uint64_t v)
{
	char tmp[24], *t = tmp + sizeof(tmp);

	do {
		*--t = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return copy_short(p, t, (size_t)(tmp + sizeof(tmp) - t));
}

/* Does a string need no escaping?  8 bytes at a time, as put_string. */
static bool plain(const char *s, size_t len)
{
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		if (word_needs_escape(w))
			return false;
	}
	if (i == len)
		return true;
	w = ONES * 'a';
	memcpy(&w, s + i, len - i);
	return !word_needs_escape(w);
}

/*
 * Fields written compactly, the room reserved once (every field's worst
 * case), then written with plain stores: as an object under key, or an
 * array's next item (key NULL), when object; else as members of the
 * object open now.  With rows, the caller keeps f as it is until the next
 * call with the same rows (two arrays in turn): a value the same as in
 * the row before is copied from its text, runs of them in one piece (a
 * listing's rows repeat most of their values).  Pretty output, and any
 * string that needs escaping, go the general way: false, nothing written.
 */
static bool compact(struct jw *w, struct jw_rows *c, const char *key,
		    bool object, const struct field *f, size_t nf)
{
	size_t room = 4, klen[FIELDS_MAX], tlen[FIELDS_MAX], keylen = 0, keep;
	bool same[FIELDS_MAX];
	char *p, *start;

	jw_flush_if_big(w);
	/* a row written the general way is no row before for the next */
	keep = c && c->flushes == w->o.flushes ? c->n : 0;
	if (c)
		c->n = 0;
	if (w->pretty || nf > FIELDS_MAX)
		return false;
	if (key) {
		keylen = strlen(key);
		room += keylen + 3;
	}
	for (size_t i = 0; i < nf; i++) {
		same[i] = i < keep && field_same(&f[i], &c->prev[i]);
		if (same[i]) {
			room += c->len[i] + 1;
			continue;
		}
		klen[i] = f[i].key_len ? f[i].key_len : strlen(f[i].key);
		room += klen[i] + 4 + 24;
		switch (f[i].kind) {
		case FIELD_TEXT:
			tlen[i] = strlen(f[i].text);
			if (!plain(f[i].text, tlen[i]))
				return false;
			room += tlen[i] + 2;
			break;
		case FIELD_WORD:
		case FIELD_NUMBER:
			room += strlen(f[i].text) + 2;
			break;
		case FIELD_WORDS:
		case FIELD_NUMBERS:
			for (size_t k = 0; k < f[i].n; k++)
				room += strlen(f[i].list[k]) + 3;
			break;
		case FIELD_FLAGS:
			for (unsigned int b = 0; b < 32 && f[i].bitname(b); b++)
				room += strlen(f[i].bitname(b)) + 10;
			break;
		default:
			break;
		}
	}
	start = p = reserve(&w->o, room);
	if (!p)
		return true;
	if (object || nf) {
		if (!w->first[w->depth])
			*p++ = ',';
		w->first[w->depth] = false;
	}
	if (key) {
		*p++ = '"';
		p = copy_short(p, key, keylen);
		*p++ = '"';
		*p++ = ':';
	}
	if (object)
		*p++ = '{';
	for (size_t i = 0; i < nf; i++) {
		const struct field *v = &f[i];
		char *at;

		if (i)
			*p++ = ',';
		at = p;
		if (same[i]) {
			/* a run of such fields was one run of text in the row
			 * before (commas included): copied in one piece */
			size_t j = i, from = c->off[i], len;
			ptrdiff_t delta = (at - w->o.buf) - (ptrdiff_t)from;

			while (j + 1 < nf && same[j + 1])
				j++;
			len = c->off[j] + c->len[j] - from;
			memcpy(p, w->o.buf + from, len);
			p += len;
			for (size_t k = i; k <= j; k++)
				c->off[k] = (size_t)((ptrdiff_t)c->off[k] + delta);
			i = j;
			continue;
		}
		*p++ = '"';
		p = copy_short(p, v->key, klen[i]);
		*p++ = '"';
		*p++ = ':';
		switch (v->kind) {
		case FIELD_NULL:
			p = copy_short(p, "null", 4);
			break;
		case FIELD_INT:
		case FIELD_HEX:
			if (v->i < 0) {
				*p++ = '-';
				p = copy_uint(p, (uint64_t)0 - (uint64_t)v->i);
			} else {
				p = copy_uint(p, (uint64_t)v->i);
			}
			break;
		case FIELD_BOOL:
			p = v->i ? copy_short(p, "true", 4) : copy_short(p, "false", 5);
			break;
		case FIELD_TEXT:
			*p++ = '"';
			p = copy_short(p, v->text, tlen[i]);
			*p++ = '"';
			break;
		case FIELD_WORD:
			*p++ = '"';
			p = copy_short(p, v->text, strlen(v->text));
			*p++ = '"';
			break;
		case FIELD_NUMBER:
			p = copy_short(p, v->text, strlen(v->text));
			break;
		case FIELD_WORDS:
		case FIELD_NUMBERS:
			*p++ = '[';
			for (size_t k = 0; k < v->n; k++) {
				if (k)
					*p++ = ',';
				if (v->kind == FIELD_WORDS)
					*p++ = '"';
				p = copy_short(p, v->list[k], strlen(v->list[k]));
				if (v->kind == FIELD_WORDS)
					*p++ = '"';
			}
			*p++ = ']';
			break;
		case FIELD_FLAGS:
			*p++ = '{';
			for (unsigned int b = 0; b < 32 && v->bitname(b); b++) {
				const char *name = v->bitname(b);

				if (b)
					*p++ = ',';
				*p++ = '"';
				p = copy_short(p, name, strlen(name));
				*p++ = '"';
				*p++ = ':';
				p = v->i & (1ll << b) ? copy_short(p, "true", 4) :
				    copy_short(p, "false", 5);
			}
			*p++ = '}';
			break;
		}
		if (c) {
			c->off[i] = (size_t)(at - w->o.buf);
			c->len[i] = (size_t)(p - at);
		}
	}
	if (object)
		*p++ = '}';
	w->o.len += (size_t)(p - start);
	if (c) {
		c->prev = f;
		c->n = nf;
		c->flushes = w->o.flushes;
	}
	return true;
}

/* The row as one compact object, an array's next item. */
bool jw_fields_compact(struct jw *w, const struct field *f, size_t nf)
{
	return compact(w, &w->rows, NULL, true, f, nf);
}

bool jw_object_compact(struct jw *w, struct jw_rows *rows, const char *key,
		       const struct field *f, size_t nf)
{
	return compact(w, rows, key, true, f, nf);
}

bool jw_members_compact(struct jw *w, struct jw_rows *rows,
			const struct field *f, size_t nf)
{
	return compact(w, rows, NULL, false, f, nf);
}
