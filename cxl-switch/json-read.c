// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A strict JSON pull reader (RFC 8259).  The grammar is a small state
 * machine over a stack of open objects and arrays (a bit per level); each
 * call reads one token and says where it starts.  Nothing is allocated
 * but the buffer a string is decoded into when asked.  The messages of
 * the cases json-c told apart are json-c's words, which the fabric file's
 * errors had before.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-read.h"

enum {
	S_VALUE,		/* a value: the text's, after ':' or ',' in [] */
	S_VALUE_OR_CLOSE,	/* after '[' */
	S_KEY,			/* after ',' in {} */
	S_KEY_OR_CLOSE,		/* after '{' */
	S_COLON,		/* after a key */
	S_AFTER,		/* after a value: ',', a close, or the end */
	S_DONE,
};

#define ENDS_EARLY	"the JSON text ends early"

void jr_init(struct jr *r, const char *text, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = len;
	r->at.line = 1;
}

void jr_free(struct jr *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = 0;
}

static int fail(struct jr *r, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The error at pos, on the reader's current line (strings hold no newline). */
static int fail(struct jr *r, size_t pos, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	used = (size_t)snprintf(r->err, sizeof(r->err), "line %u, column %zu: ",
				r->at.line, pos - r->at.line_start + 1);
	if (used < sizeof(r->err)) {
		va_start(ap, fmt);
		vsnprintf(r->err + used, sizeof(r->err) - used, fmt, ap);
		va_end(ap);
	}
	r->failed = true;
	return -1;
}

/*
 * The next character after white space, or -1 at the end; t starts there.
 * Indentation is most of a pretty-printed file: runs of spaces are
 * stepped over eight at a time.
 */
static int peek(struct jr *r, struct jr_token *t)
{
	const char *s = r->text;
	size_t p = r->at.pos, n = r->len, ls = r->at.line_start;
	unsigned int line = r->at.line;
	uint64_t w;

	for (; p < n; p++) {
		unsigned char c = (unsigned char)s[p];

		if (c > ' ')
			break;
		if (c == ' ') {
			while (n - p > 8 && (memcpy(&w, s + p + 1, 8),
					     w == 0x2020202020202020ull))
				p += 8;
			while (p + 1 < n && s[p + 1] == ' ')
				p++;
			continue;
		}
		if (c == '\n') {
			line++;
			ls = p + 1;
		} else if (c != '\t' && c != '\r') {
			break;
		}
	}
	r->at.pos = p;
	r->at.line = line;
	r->at.line_start = ls;
	t->text = s + p;
	t->len = 0;
	t->line = line;
	t->column = (unsigned int)(p - ls + 1);
	t->fraction = t->escaped = false;
	return p < n ? (unsigned char)s[p] : -1;
}

static bool in_object(const struct jr *r)
{
	return r->at.objects >> (r->at.depth - 1) & 1;
}

static int open_value(struct jr *r, struct jr_token *t, bool object)
{
	struct jr_pos *a = &r->at;

	if (a->depth >= JR_MAX_DEPTH)
		return fail(r, a->pos, "nesting too deep: more than %d levels",
			    JR_MAX_DEPTH);
	if (object)
		a->objects |= 1ull << a->depth;
	else
		a->objects &= ~(1ull << a->depth);
	a->depth++;
	a->pos++;
	a->state = object ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
	t->kind = object ? JR_OBJECT : JR_ARRAY;
	t->len = 1;
	return 0;
}

static int close_value(struct jr *r, struct jr_token *t)
{
	struct jr_pos *a = &r->at;

	t->kind = in_object(r) ? JR_OBJECT_END : JR_ARRAY_END;
	t->len = 1;
	a->depth--;
	a->pos++;
	a->state = S_AFTER;
	return 0;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The length of the UTF-8 sequence at s (n bytes there), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t want;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		want = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		want = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		want = 4;
	else
		return 0;
	if (s[0] == 0xE0)
		lo = 0xA0;		/* no overlong forms */
	else if (s[0] == 0xED)
		hi = 0x9F;		/* no surrogates */
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;		/* nothing above U+10FFFF */
	if (n < want || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < want; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return want;
}

/* Four hex digits at s + p: their value, -1 if not, -2 if the text ends. */
static int hex_at(const struct jr *r, size_t p)
{
	if (r->len - p < 4) {
		for (; p < r->len; p++)
			if (!strchr("0123456789abcdefABCDEF", r->text[p]) ||
			    !r->text[p])
				return -1;
		return -2;
	}
	return hex4(r->text + p);
}

/* A \uXXXX escape at p (on its backslash): its length, or -1. */
static int escape_u(struct jr *r, size_t p)
{
	const char *s = r->text;
	int u, lo;

	u = hex_at(r, p + 2);
	if (u == -2)
		return fail(r, r->len, ENDS_EARLY);
	if (u < 0)
		return fail(r, p, "invalid escape in a string: \\u takes four hex digits");
	if (u == 0)
		return fail(r, p, "\\u0000 in a string: a NUL is not allowed");
	if (u >= 0xDC00 && u <= 0xDFFF)
		return fail(r, p, "\\u%04X in a string: a low surrogate without a high one", u);
	if (u < 0xD800 || u > 0xDBFF)
		return 6;
	if (r->len - p < 12 || s[p + 6] != '\\' || s[p + 7] != 'u' ||
	    (lo = hex4(s + p + 8)) < 0xDC00 || lo > 0xDFFF)
		return fail(r, p, "\\u%04X in a string: a high surrogate without a low one", u);
	return 12;
}

/* Bytes a string holds as they are: not '"', '\\', control or non-ASCII. */
static const uint8_t plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5B] = 1, [0x5D ... 0x7F] = 1,
};

static int string(struct jr *r, struct jr_token *t)
{
	const char *s = r->text;
	size_t p = r->at.pos + 1;
	int n;

	t->text = s + p;
	for (;;) {
		unsigned char c;

		while (p < r->len && plain[(unsigned char)s[p]])
			p++;
		if (p >= r->len)
			return fail(r, r->len, ENDS_EARLY);
		c = (unsigned char)s[p];
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(r, p, "a control character in a string: write it as an escape");
		if (c >= 0x80) {
			size_t k = utf8_len((const unsigned char *)s + p, r->len - p);

			if (!k)
				return fail(r, p, "invalid UTF-8 in a string");
			p += k;
			continue;
		}
		/* a backslash */
		t->escaped = true;
		if (p + 1 >= r->len)
			return fail(r, r->len, ENDS_EARLY);
		c = (unsigned char)s[p + 1];
		if (c == 'u') {
			if ((n = escape_u(r, p)) < 0)
				return -1;
			p += (size_t)n;
		} else if (strchr("\"\\/bfnrt", c) && c) {
			p += 2;
		} else if (c > 0x20 && c < 0x7F) {
			return fail(r, p, "invalid escape '\\%c' in a string", c);
		} else {
			return fail(r, p, "invalid escape in a string");
		}
	}
	t->len = (size_t)(s + p - t->text);
	r->at.pos = p + 1;
	return 0;
}

static size_t digits(const char *s, size_t p, size_t len)
{
	while (p < len && s[p] >= '0' && s[p] <= '9')
		p++;
	return p;
}

/* What would run on from a number: "01", "1.", "1e", "2x" are not numbers. */
static const uint8_t runs_on[256] = {
	['0' ... '9'] = 1, ['.'] = 1, ['+'] = 1, ['-'] = 1, ['A' ... 'Z'] = 1,
	['a' ... 'z'] = 1,
};

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int number(struct jr *r, struct jr_token *t)
{
	const char *s = r->text;
	size_t p = r->at.pos, q;

	if (s[p] == '-')
		p++;
	if (p < r->len && s[p] == '0')
		q = p + 1;
	else if ((q = digits(s, p, r->len)) == p)
		goto bad;
	p = q;
	if (p < r->len && s[p] == '.') {
		t->fraction = true;
		if ((q = digits(s, p + 1, r->len)) == p + 1)
			goto bad;
		p = q;
	}
	if (p < r->len && (s[p] == 'e' || s[p] == 'E')) {
		t->fraction = true;
		p++;
		if (p < r->len && (s[p] == '+' || s[p] == '-'))
			p++;
		if ((q = digits(s, p, r->len)) == p)
			goto bad;
		p = q;
	}
	if (p < r->len && runs_on[(unsigned char)s[p]])
		goto bad;
	t->len = p - r->at.pos;
	r->at.pos = p;
	return 0;
bad:
	if (p >= r->len)
		return fail(r, r->len, ENDS_EARLY);
	return fail(r, r->at.pos, "number expected");
}

static int literal(struct jr *r, struct jr_token *t, const char *word,
		   enum jr_kind kind, const char *msg)
{
	size_t n = strlen(word), have = r->len - r->at.pos;

	if (have < n && !memcmp(r->text + r->at.pos, word, have))
		return fail(r, r->len, ENDS_EARLY);
	if (have < n || memcmp(r->text + r->at.pos, word, n))
		return fail(r, r->at.pos, "%s", msg);
	t->kind = kind;
	t->len = n;
	r->at.pos += n;
	return 0;
}

static int value(struct jr *r, struct jr_token *t, int c)
{
	int rc;

	switch (c) {
	case '{':
		return open_value(r, t, true);
	case '[':
		return open_value(r, t, false);
	case '"':
		t->kind = JR_STRING;
		rc = string(r, t);
		break;
	case 't':
		rc = literal(r, t, "true", JR_TRUE, "boolean expected");
		break;
	case 'f':
		rc = literal(r, t, "false", JR_FALSE, "boolean expected");
		break;
	case 'n':
		rc = literal(r, t, "null", JR_NULL, "null expected");
		break;
	case -1:
		return fail(r, r->len, ENDS_EARLY);
	default:
		if (c != '-' && (c < '0' || c > '9'))
			return fail(r, r->at.pos, "unexpected character");
		t->kind = JR_NUMBER;
		rc = number(r, t);
		break;
	}
	if (!rc)
		r->at.state = S_AFTER;
	return rc;
}

static int key(struct jr *r, struct jr_token *t, int c)
{
	if (c == -1)
		return fail(r, r->len, ENDS_EARLY);
	/* '}' after a comma: a trailing comma, which json-c called this too */
	if (c != '"')
		return fail(r, r->at.pos, c == '}' ? "unexpected character" :
			    "quoted object property name expected");
	t->kind = JR_KEY;
	if (string(r, t))
		return -1;
	r->at.state = S_COLON;
	return 0;
}

int jr_next(struct jr *r, struct jr_token *t)
{
	struct jr_pos *a = &r->at;
	int c;

	if (r->failed)
		return -1;
	c = peek(r, t);
	switch (a->state) {
	case S_DONE:
		t->kind = JR_END;
		return 0;
	case S_AFTER:
		if (!a->depth) {
			if (c != -1)
				return fail(r, a->pos, "text after the JSON object");
			a->state = S_DONE;
			t->kind = JR_END;
			return 0;
		}
		if (c == (in_object(r) ? '}' : ']'))
			return close_value(r, t);
		if (c != ',')
			return fail(r, c == -1 ? r->len : a->pos, "%s",
				    c == -1 ? ENDS_EARLY : in_object(r) ?
				    "object value separator ',' expected" :
				    "array value separator ',' expected");
		a->pos++;
		c = peek(r, t);
		if (in_object(r))
			return key(r, t, c);
		return value(r, t, c);
	case S_KEY_OR_CLOSE:
		if (c == '}')
			return close_value(r, t);
		return key(r, t, c);
	case S_KEY:
		return key(r, t, c);
	case S_COLON:
		if (c != ':')
			return fail(r, c == -1 ? r->len : a->pos, "%s", c == -1 ?
				    ENDS_EARLY : "object property name separator ':' expected");
		a->pos++;
		return value(r, t, peek(r, t));
	case S_VALUE_OR_CLOSE:
		if (c == ']')
			return close_value(r, t);
		return value(r, t, c);
	default:
		return value(r, t, c);
	}
}

int jr_skip(struct jr *r, const struct jr_token *t)
{
	unsigned int depth = r->at.depth;
	struct jr_token x;

	if (t->kind != JR_OBJECT && t->kind != JR_ARRAY)
		return 0;
	while (r->at.depth >= depth)
		if (jr_next(r, &x))
			return -1;
	return 0;
}

int jr_check(struct jr *r)
{
	struct jr_token t;

	do {
		if (jr_next(r, &t))
			return -1;
	} while (t.kind != JR_END);
	return 0;
}

static char *put_utf8(char *o, unsigned int u)
{
	if (u < 0x80) {
		*o++ = (char)u;
	} else if (u < 0x800) {
		*o++ = (char)(0xC0 | u >> 6);
		*o++ = (char)(0x80 | (u & 0x3F));
	} else if (u < 0x10000) {
		*o++ = (char)(0xE0 | u >> 12);
		*o++ = (char)(0x80 | (u >> 6 & 0x3F));
		*o++ = (char)(0x80 | (u & 0x3F));
	} else {
		*o++ = (char)(0xF0 | u >> 18);
		*o++ = (char)(0x80 | (u >> 12 & 0x3F));
		*o++ = (char)(0x80 | (u >> 6 & 0x3F));
		*o++ = (char)(0x80 | (u & 0x3F));
	}
	return o;
}

static bool reserve(struct jr *r, size_t n)
{
	char *nb;

	if (n <= r->cap)
		return true;
	nb = realloc(r->buf, n < 64 ? 64 : n);
	if (!nb)
		return false;
	r->buf = nb;
	r->cap = n < 64 ? 64 : n;
	return true;
}

/* t's text was checked by jr_next: every escape in it is whole. */
const char *jr_string(struct jr *r, const struct jr_token *t)
{
	const char *s = t->text, *end = t->text + t->len;
	char *o;

	/* decoded is never longer than written */
	if (!reserve(r, t->len + 1))
		return NULL;
	if (!t->escaped) {
		memcpy(r->buf, s, t->len);
		r->buf[t->len] = '\0';
		return r->buf;
	}
	for (o = r->buf; s < end; ) {
		unsigned int u;

		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		switch (s[1]) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			u = (unsigned int)hex4(s + 2);
			if (u >= 0xD800 && u <= 0xDBFF) {
				u = 0x10000 + ((u - 0xD800) << 10) +
				    ((unsigned int)hex4(s + 8) - 0xDC00);
				s += 6;
			}
			o = put_utf8(o, u);
			s += 4;
			break;
		default: *o++ = s[1]; break;
		}
		s += 2;
	}
	*o = '\0';
	return r->buf;
}

bool jr_is(const struct jr_token *t, const char *name)
{
	size_t i;

	/* keys are short: a loop here costs less than a call */
	for (i = 0; i < t->len && t->text[i] == name[i]; i++)
		;
	return i == t->len && !name[i] && !t->escaped;
}

int jr_uint64(const struct jr_token *t, uint64_t *v)
{
	const char *s = t->text, *end = t->text + t->len;
	uint64_t n = 0;

	if (*s == '-') {
		/* "-0" is 0; anything else below 0 is out of range */
		for (s++; s < end; s++)
			if (*s != '0')
				return -ERANGE;
		*v = 0;
		return 0;
	}
	for (; s < end; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		if (n > (UINT64_MAX - d) / 10)
			return -ERANGE;
		n = n * 10 + d;
	}
	*v = n;
	return 0;
}

double jr_double(struct jr *r, const struct jr_token *t)
{
	if (!reserve(r, t->len + 1))
		return NAN;
	memcpy(r->buf, t->text, t->len);
	r->buf[t->len] = '\0';
	return strtod(r->buf, NULL);
}
