/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A strict JSON pull reader (RFC 8259): tokens one at a time, each with
 * its line and column, and no tree.  No trailing commas, no comments, no
 * NaN, escapes and UTF-8 checked, at most JR_MAX_DEPTH levels, nothing
 * after the value.  Strings are handed out as written and decoded on
 * request.  Used for the desired-state file of fabric as code.
 */
#ifndef CXLSW_JSON_READ_H
#define CXLSW_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JR_MAX_DEPTH	32	/* json-c's default, which the file had */

enum jr_kind {
	JR_END,			/* the text is over: its value was whole */
	JR_OBJECT,		/* '{' */
	JR_OBJECT_END,		/* '}' */
	JR_ARRAY,		/* '[' */
	JR_ARRAY_END,		/* ']' */
	JR_KEY,			/* a member's name; its value comes next */
	JR_STRING,
	JR_NUMBER,
	JR_TRUE,
	JR_FALSE,
	JR_NULL,
};

struct jr_token {
	enum jr_kind kind;
	const char *text;	/* as written; a string's without its quotes */
	size_t len;
	unsigned int line, column;
	bool fraction;		/* a number with a fraction or an exponent */
	bool escaped;		/* a string with an escape in it */
};

/* Where the reader is: saved and gone back to with jr_seek. */
struct jr_pos {
	size_t pos, line_start;
	unsigned int line, depth;
	uint64_t objects;	/* bit n: level n + 1 is an object */
	unsigned int state;
};

struct jr {
	const char *text;
	size_t len;
	struct jr_pos at;
	bool failed;
	char *buf;		/* the last string decoded */
	size_t cap;
	char err[96];		/* "line L, column C: what is wrong" */
};

void jr_init(struct jr *r, const char *text, size_t len);
void jr_free(struct jr *r);
/* The next token: 0, or -1 with r->err (and every later call fails too). */
int jr_next(struct jr *r, struct jr_token *t);
/* Read past the rest of the value t starts (an object's or array's). */
int jr_skip(struct jr *r, const struct jr_token *t);
/* Check the whole text as JSON; 0, or -1 with r->err. */
int jr_check(struct jr *r);
static inline struct jr_pos jr_tell(const struct jr *r)
{
	return r->at;
}
static inline void jr_seek(struct jr *r, const struct jr_pos *p)
{
	r->at = *p;
}
/* A string's or key's text decoded, NUL-terminated; NULL: out of memory. */
const char *jr_string(struct jr *r, const struct jr_token *t);
/* Is t the key or string name, as written without escapes? */
bool jr_is(const struct jr_token *t, const char *name);
/*
 * A number without fraction or exponent as a uint64_t: 0, or -ERANGE for
 * one below 0 or above UINT64_MAX.
 */
int jr_uint64(const struct jr_token *t, uint64_t *v);
/* Any number as a double (strtod); NAN when out of memory. */
double jr_double(struct jr *r, const struct jr_token *t);

#endif
