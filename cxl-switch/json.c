// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Building results.  A 256-port listing holds thousands of small values,
 * most of them repeats (the same words, small numbers, speeds and flags),
 * so immutable leaves are made once and shared by reference count; keys are
 * string literals and are added without copying or looking them up.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/printbuf.h>

#include "cli.h"

#define WORDS_MAX	128

static struct json_object *small_ints[256];
static struct json_object *bools[2];
static struct json_object *speeds[8];
static struct {
	const char *text;		/* a static string: compared by address */
	struct json_object *obj;
} words[WORDS_MAX];
static size_t nwords;

static struct json_object *shared(struct json_object **slot,
				  struct json_object *fresh)
{
	if (!*slot)
		*slot = fresh;
	return json_object_get(*slot);
}

void json_add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add_ex(o, key, v,
				  JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

struct json_object *json_int(int64_t v)
{
	if (v < 0 || v >= (int64_t)ARRAY_SIZE(small_ints))
		return json_object_new_int64(v);
	return small_ints[v] ? json_object_get(small_ints[v]) :
	       shared(&small_ints[v], json_object_new_int64(v));
}

struct json_object *json_boolean(bool b)
{
	return bools[b] ? json_object_get(bools[b]) :
	       shared(&bools[b], json_object_new_boolean(b));
}

/* text must outlive the program: a word from a static name table. */
struct json_object *json_word(const char *text)
{
	for (size_t i = 0; i < nwords; i++)
		if (words[i].text == text)
			return json_object_get(words[i].obj);
	if (nwords == WORDS_MAX)
		return json_object_new_string(text);
	words[nwords].text = text;
	return shared(&words[nwords++].obj, json_object_new_string(text));
}

struct json_object *json_enum(uint8_t v, const char *(*name)(uint8_t))
{
	const char *n = name(v);

	return n ? json_word(n) : json_int(v);
}

static int hex_text(struct json_object *o, struct printbuf *pb, int level,
		    int flags)
{
	(void)level;
	(void)flags;
	return sprintbuf(pb, "%s", (const char *)json_object_get_userdata(o));
}

/*
 * Codes, IDs, registers: a number in JSON (cxl-switch(1), JSON OUTPUT),
 * shown in hex by the human renderers (json_object_get_string gives the
 * text).  Of 16 digits, a 64-bit identifier (a serial number): a string,
 * as JSON numbers are exact only to 2^53.
 */
/* An address: a number in JSON, 0x... in the human tables. */
struct json_object *json_addr(uint64_t v)
{
	char buf[24];
	struct json_object *o;

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	o = json_u64(v);
	json_object_set_serializer(o, hex_text, strdup(buf),
				   json_object_free_userdata);
	return o;
}

/* first, a number in JSON, shown "0xFIRST-0xLAST" in the tables */
struct json_object *json_range(uint16_t first, uint16_t last)
{
	char buf[24];
	struct json_object *o;

	snprintf(buf, sizeof(buf), "0x%04x-0x%04x", first, last);
	o = json_object_new_int64(first);
	json_object_set_serializer(o, hex_text, strdup(buf),
				   json_object_free_userdata);
	return o;
}

/* v, which the human renderers show as text ("0x1b36") */
static struct json_object *hex_object(int64_t v, const char *text)
{
	struct json_object *o = json_object_new_int64(v);

	json_object_set_serializer(o, hex_text, strdup(text),
				   json_object_free_userdata);
	return o;
}

struct json_object *json_hex(uint64_t v, int digits)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, digits, v);
	if (digits >= 16)
		return json_object_new_string(buf);
	return hex_object((int64_t)v, buf);
}

/* Speeds print as 8.0, not 8: the text is given with the value. */
struct json_object *json_speed(unsigned int tenths)
{
	static const unsigned int known[] = { 25, 50, 80, 160, 320, 640 };
	char buf[16];

	if (!tenths)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
		if (known[i] != tenths)
			continue;
		if (speeds[i])
			return json_object_get(speeds[i]);
		snprintf(buf, sizeof(buf), "%u.%u", tenths / 10, tenths % 10);
		return shared(&speeds[i],
			      json_object_new_double_s(tenths / 10.0, buf));
	}
	snprintf(buf, sizeof(buf), "%u.%u", tenths / 10, tenths % 10);
	return json_object_new_double_s(tenths / 10.0, buf);
}

static void release(struct json_object **objs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_object_put(objs[i]);
		objs[i] = NULL;
	}
}

void json_shared_release(void)
{
	release(small_ints, ARRAY_SIZE(small_ints));
	release(bools, ARRAY_SIZE(bools));
	release(speeds, ARRAY_SIZE(speeds));
	for (size_t i = 0; i < nwords; i++) {
		json_object_put(words[i].obj);
		words[i].obj = NULL;	/* or a later word would take it */
	}
	nwords = 0;
}

struct json_object *json_bit_words(uint8_t bits,
				   const char *(*name)(unsigned int))
{
	struct json_object *a = json_object_new_array();

	/* Bits the spec reserves have no name and are ignored. */
	for (unsigned int b = 0; b < 8; b++)
		if (bits & (1u << b) && name(b))
			json_object_array_add(a, json_word(name(b)));
	return a;
}

struct json_object *json_link_speed(uint8_t code)
{
	char buf[32];

	if (!code)
		return NULL;
	if (cxlsw_link_speed_tenths(code))
		return json_speed(cxlsw_link_speed_tenths(code));
	snprintf(buf, sizeof(buf), "reserved_code_%u", code);
	return json_object_new_string(buf);
}

struct json_object *json_speeds(uint8_t vector)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int b = 0; b < 8; b++)
		if (vector & (1u << b) && cxlsw_speed_bit_tenths(b))
			json_object_array_add(a,
				json_speed(cxlsw_speed_bit_tenths(b)));
	return a;
}

struct json_object *json_flags(uint32_t flags,
			       const char *(*name)(unsigned int))
{
	struct json_object *o = json_object_new_object();

	/* every named bit, true or false: a script need not know defaults */
	for (unsigned int b = 0; b < 32 && name(b); b++)
		json_add(o, name(b), json_boolean(flags & (1u << b)));
	return o;
}

struct json_object *json_u64(uint64_t v)
{
	/* sizes in bytes reach 2^53 only past 8 PiB, within jq's doubles */
	return json_object_new_int64(v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* ---- typed fields (fields.c) as json-c values ---------------------------- */

static struct json_object *field_value(const struct field *f)
{
	struct json_object *a;

	switch (f->kind) {
	case FIELD_NULL:
		return NULL;
	case FIELD_INT:
		return json_int(f->i);
	case FIELD_BOOL:
		return json_boolean(f->i);
	case FIELD_WORD:
		return json_word(f->text);
	case FIELD_TEXT:
		return json_object_new_string(f->text);
	case FIELD_NUMBER:
		/* the text is the number as printed: 8.0 stays 8.0 */
		return json_object_new_double_s(strtod(f->text, NULL), f->text);
	case FIELD_WORDS:
	case FIELD_NUMBERS:
		a = json_object_new_array();
		for (size_t i = 0; i < f->n; i++)
			json_object_array_add(a, f->kind == FIELD_WORDS ?
				json_word(f->list[i]) :
				json_object_new_double_s(strtod(f->list[i], NULL),
							 f->list[i]));
		return a;
	case FIELD_FLAGS:
		return json_flags((uint32_t)f->i, f->bitname);
	case FIELD_HEX:
		return hex_object(f->i, f->text);
	}
	return NULL;
}

/* Keys are the fields' own: literals, as json_add wants them. */
void fields_add(struct json_object *o, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_add(o, f[i].key, field_value(&f[i]));
}

struct json_object *fields_object(const struct field *f, size_t n)
{
	struct json_object *o = json_object_new_object();

	fields_add(o, f, n);
	return o;
}
