/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every command of the cxl-switch tool shares. */
#ifndef CXLSW_CLI_H
#define CXLSW_CLI_H

#include <argp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "cxlswitch.h"

/* Exit codes, documented in cxl-switch(1). */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_DEVICE = 1,	/* the device answered a failing return code */
	EXIT_USAGE = 2,		/* bad command line; nothing was sent */
	EXIT_NODEV = 3,		/* no such switch, or it could not be opened */
	EXIT_IO = 4,		/* the transport failed or the answer was malformed */
	EXIT_REFUSED = 5,	/* refused by the catalog or the safety policy */
	EXIT_PENDING = 6,	/* a background operation was interrupted or timed out */
	EXIT_UNSUPPORTED = 7,	/* the device does not implement the command */
	EXIT_LOCKED = 8,	/* another change holds the switch's lock */
	EXIT_PARTIAL = 9,	/* a change was partly done, or its outcome is unknown */
	EXIT_NO_CHANGES = 10,	/* plan, apply: the switch already matches the file */
	EXIT_ROLLED_BACK = 11,	/* apply failed and its steps were undone */
	EXIT_FINDINGS = 12,	/* doctor found something that looks wrong */
};

/* Options every command takes: the output format. */
struct output_opts {
	bool json;
	bool pretty;
	bool verbose;	/* -v: dumps, change reports, warnings in full */
	/* --mailbox-timeout in ms, each request's deadline; 0: none */
	unsigned int mailbox_timeout_ms;
	bool have_mailbox_timeout;
};

extern struct output_opts global_output;
extern const struct argp output_argp;
extern const struct argp mailbox_argp;	/* --mailbox-timeout, global */

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *json_key;	/* -j: the key a list result goes under */
};

/* ---- the JSON contract (doc.c; cxl-switch(1) JSON OUTPUT) ------------ */

#define CXLSW_JSON_VERSION	1

struct jw;
void doc_start(int argc, char **argv);
void doc_command(const char *command, const char *key);
void doc_switch(const char *name);
/* list: the document names no one switch ("switch": null) */
void doc_many_switches(void);
void doc_target(int port, int ld, bool pool);
struct json_object *doc_target_json(int port, int ld, bool pool);
struct json_object *doc_dev_target(struct cxlsw_dev *dev);
/* Hold the payload (taken) or the error object (taken) for the document. */
void doc_result(struct json_object *payload);
void doc_error(struct cxlsw_dev *dev, struct json_object *error);
/* A document of its own (a fabric file): under the command's key, whole. */
void doc_result_nested(struct json_object *payload);
/* A streamed listing: the envelope's head and its payload array. */
void doc_jw_begin(struct jw *w);
void doc_jw_object_begin(struct jw *w);
void doc_jw_object_end(struct jw *w);
const char *doc_key(void);
void doc_jw_end(struct jw *w);
/* Print the run's one document (status: the exit code); -1 on failure. */
int doc_flush(int status);

const struct cli_command *cli_commands(size_t *count);
const struct cli_command *cli_command_find(const char *name);

/*
 * argp_parse with option errors in the tool's words (opterr.c): one line,
 * the -j document, exit EXIT_USAGE.
 */
void cli_argp_parse(const struct argp *argp, int argc, char **argv,
		    unsigned int flags, void *input);
/* What is wrong with argv's options for argp and its children; "" none. */
void cli_option_problem(const struct argp *argp, int argc, char **argv,
			unsigned int flags, char *msg, size_t len);
/* Parse argv with a command's argp; argv[0] becomes "cxl-switch NAME". */
void cli_parse(const struct argp *argp, const char *name, int argc,
	       char **argv, void *input);
/* One line on stderr, "cxl-switch CMD: ...", and exit EXIT_USAGE. */
void usage_error(const struct argp_state *state, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* One line on stderr, "cxl-switch CMD: ..."; returns code. */
int cli_fail(const char *cmd, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The one SWITCH argument of a command: ARGP_KEY_ARG and ARGP_KEY_END. */
error_t switch_arg(struct argp_state *state, int key, char *arg,
		   const char **name);
/* The children of a state-changing command's argp: output, change. */
extern const struct argp_child change_children[];

/* Open a switch or say why not; NULL means report and exit with *code. */
struct cxlsw_dev *cli_open(const char *cmd, const char *name, int *code);
/* ---- targets: the switch, or a device behind it (target.c) ---------- */

struct target_opts {
	int port;		/* -1: the switch itself */
	int ld;			/* -1: the port's device */
	bool ld_pool;
};

extern struct target_opts global_target;
extern const struct argp target_argp;	/* --port, --ld, --ld-pool */
/* output + target; output + change + target */
extern const struct argp_child target_children[];
extern const struct argp_child target_change_children[];
/* The same without what the command cannot honour (cxl-switch(1)). */
extern const struct argp_child target_change_nobg_children[];
extern const struct argp_child target_pool_children[];
extern const struct argp_child target_pool_change_children[];
extern const struct argp_child target_pool_change_nobg_children[];
extern const struct argp_child target_port_children[];
extern const struct argp_child target_port_change_nobg_children[];
bool target_is_device(void);
/* At the end of the arguments: a usage error unless --port names the MLD. */
void target_need_mld_port(const struct argp_state *state);
/* Open the switch and tunnel to the target the options name. */
struct cxlsw_dev *cli_open_target(const char *cmd, const char *name,
				  int *code);
/* Tunnel from an open switch to t; takes sw (closed with the result). */
struct cxlsw_dev *target_wrap(const char *cmd, struct cxlsw_dev *sw,
			      const struct target_opts *t, int *code);
/* The switch a (tunnelled) device is reached through. */
struct cxlsw_dev *target_switch(struct cxlsw_dev *dev);
/* "port 5 LD 2": a tunnelled device's name without its switch's. */
const char *target_name(struct cxlsw_dev *dev);
/* "switch": the switch's name, and "target" when tunnelled. */
void json_add_target(struct json_object *o, struct cxlsw_dev *dev);

/* In JSON mode, put error objects into this array instead of stdout. */
void cli_errors_into(struct json_object *array);
/*
 * Errors the result itself reports (a listing's row says why it is
 * short): no line on stderr while quiet.  Returns how many were kept
 * quiet since the last call, for one line that counts them.
 */
unsigned int cli_errors_quiet(bool quiet);
/* The last error line reported (without "cxl-switch CMD: "), for the log. */
const char *cli_last_error(void);
/* Report a library failure on dev; returns the matching exit code. */
int cli_dev_fail(const char *cmd, struct cxlsw_dev *dev);
/* The exit code a library failure maps to. */
int cli_exit_code(const struct cxlsw_error *err);
/*
 * Report err (a failure on dev saved before later requests), then, when
 * outcome is not NULL, what a read-back found; returns code.
 */
int cli_outcome_fail(const char *cmd, struct cxlsw_dev *dev,
		     const struct cxlsw_error *err, int code,
		     const char *outcome);
/* The same, with why (when not NULL or ""): what the command makes of it. */
int cli_explained_fail(const char *cmd, struct cxlsw_dev *dev,
		       const struct cxlsw_error *err, int code,
		       const char *why, const char *outcome);
/*
 * The device's last failure is that it lacks a command: true, with
 * "Get Virtual CXL Switch Info (0x5200)" in buf, for a composite result's
 * "unavailable" list; false for any other failure.
 */
bool cli_dev_lacking(struct cxlsw_dev *dev, char *buf, size_t len);
/* The same as the command's opcode (-1: another failure), and its text. */
int cli_dev_lacked(struct cxlsw_dev *dev);
void lacking_text(uint16_t opcode, char *buf, size_t len);
/*
 * What a composite result could not read because the device lacks the
 * command: add its name to o's "unavailable" array (made when needed),
 * the one shape every composite command uses.  true when that was the
 * failure, false for any other (which the caller reports).
 */
bool unavailable_add(struct json_object *o, struct cxlsw_dev *dev);
void unavailable_add_text(struct json_object *o, const char *what);
/* Human: "PREFIX: the device does not implement A, B" when o has any. */
void unavailable_print(struct json_object *o, const char *prefix);

/* ---- errors that explain (hint.c) ------------------------------------ */

/*
 * After err on dev: what the tool can read that explains it, and the
 * command to run next, as the whole message ("switch0: no device on port
 * 14; ...").  false: nothing to add, the device's word stands.
 */
bool hint_explain(struct cxlsw_dev *dev, const struct cxlsw_error *err,
		  char *buf, size_t len);
/*
 * Why a device on port p cannot be reached, from its port state alone
 * (PERST# held, powered off, link down), with the command that fixes it
 * ("port 18 is held in reset (PERST#); run '...'"); false: nothing seen.
 */
bool hint_port(const char *sw, const struct cxlsw_port_state *p, char *buf,
	       size_t len);
/* The port's link is not trained (Detect, Polling, Configuration, Disabled). */
bool port_link_down(const struct cxlsw_port_state *p);
/* dc-regions and dc-release refused with Invalid Input: which input; "" */
void hint_dc_region(struct cxlsw_dev *dev, const struct cxlsw_error *err,
		    unsigned int region, uint64_t block, char *buf, size_t len);
void hint_dc_release(struct cxlsw_dev *dev, const struct cxlsw_error *err,
		     unsigned int host, const uint8_t *tag, uint64_t length,
		     char *buf, size_t len);

/* Numbers and id lists from the command line. */
int parse_uint(const char *s, unsigned long max, unsigned long *v);
/* "01ff20": pairs of hex digits into at most cap bytes; -1 when not */
int parse_hex(const char *s, uint8_t *buf, size_t cap, size_t *len);
/* A number 0..max given for option opt, or a usage error. */
unsigned long id_arg(const struct argp_state *state, const char *opt,
		     const char *arg, unsigned long max);
/* "1,3,5-8" into a 256-bit set; returns 0 or writes why into err. */
int parse_id_list(const char *s, unsigned long max, uint8_t *set,
		  char *err, size_t errlen);
/*
 * The ids to ask for: all[0..count) (ascending), or those of them in the
 * bitmap `wanted`.  Returns -1, or the first wanted id that is not there.
 */
int select_ids(const uint8_t *all, size_t count, const uint8_t *wanted,
	       uint8_t *ids, size_t *n);
/* A word of an enumeration whose names come from name(0..255). */
int parse_enum_word(const char *word, const char *(*name)(uint8_t),
		    uint8_t *value);
/* "a, b, c": the words of an enumeration, for error messages. */
void enum_words(const char *(*name)(uint8_t), char *buf, size_t len);

/* Times (time.c): ISO 8601 UTC with nanoseconds, "1970-...Z". */
void iso8601(uint64_t ns, char *buf, size_t len);
/* The ISO 8601 string; NULL (JSON null) for 0, the device's "no time". */
struct json_object *json_time(uint64_t ns);
uint64_t now_ns(void);
/* ISO 8601 with Z or +HH:MM, or @SECONDS[.FRACTION]; 0 or -errno */
int parse_time(const char *s, uint64_t *ns);
/* A decimal number of seconds 0..max ("0.2"); 0 or -errno */
int parse_seconds(const char *s, double max, double *v);

/* An event record, header and decoded switch record (event-json.c). */
struct json_object *event_record_json(const struct cxlsw_event_record *r);

/* Emit the result: JSON as asked, or the command's human renderer. */
int emit(struct json_object *result, void (*human)(struct json_object *));

/*
 * Building results (json.c).  Leaves may be shared between results: treat
 * every value as immutable.  json_add's key must be a string literal.
 */
void json_add(struct json_object *o, const char *key, struct json_object *v);
struct json_object *json_int(int64_t v);
struct json_object *json_boolean(bool b);
struct json_object *json_word(const char *static_text);
/* A word for a known value, the number otherwise. */
struct json_object *json_enum(uint8_t v, const char *(*name)(uint8_t));
struct json_object *json_hex(uint64_t v, int digits);
struct json_object *json_addr(uint64_t v);
struct json_object *json_range(uint16_t first, uint16_t last);
/* GT/s from tenths; NULL (JSON null) for 0. */
struct json_object *json_speed(unsigned int tenths);
/*
 * An encoded link speed (1 = 2.5 ... 6 = 64.0 GT/s): null for 0, no link;
 * "reserved_code_N" for a code the spec reserves, which is not "no link".
 */
struct json_object *json_link_speed(uint8_t code);
void json_shared_release(void);
/* The names of the set bits, reserved (unnamed) bits left out. */
struct json_object *json_bit_words(uint8_t bits,
				   const char *(*name)(unsigned int));
/* A supported-speeds vector as GT/s numbers. */
struct json_object *json_speeds(uint8_t vector);
/* Every named bit from 0 up as a boolean. */
struct json_object *json_flags(uint32_t flags,
			       const char *(*name)(unsigned int));
struct json_object *json_u64(uint64_t v);
/* json-print.c: compact, or indented by two spaces */
int json_print(FILE *f, struct json_object *v, bool pretty);

/* Human rendering from the JSON result. */
struct column {
	const char *header;
	const char *key;
	void (*format)(struct json_object *v, char *buf, size_t len);
};
void print_table(struct json_object *rows, const struct column *cols,
		 size_t ncols, const char *indent);
void print_fields(struct json_object *obj, const char *indent);

/*
 * Copy n bytes of a short text without a call: whole words, then the tail
 * as one more word ending at n (overlapping what was copied: the same
 * bytes again), or for fewer than 8 two overlapping halves.  Returns the
 * end of the copy.
 */
static inline char *copy_short(char *p, const char *s, size_t n)
{
	size_t i = 0;

	if (n >= 8) {
		for (; i + 8 <= n; i += 8)
			memcpy(p + i, s + i, 8);
		if (i < n)
			memcpy(p + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(p, s, 4);
		memcpy(p + n - 4, s + n - 4, 4);
	} else if (n >= 2) {
		memcpy(p, s, 2);
		memcpy(p + n - 2, s + n - 2, 2);
	} else if (n) {
		*p = *s;
	}
	return p + n;
}

/* A table drawn from cells given row by row (render.c). */
struct table;
struct table *table_new(size_t ncols);
void table_header(struct table *t, size_t col, const char *text);
int table_cell(struct table *t, const char *text);
int table_cell_n(struct table *t, const char *text, size_t len);
int table_row_like(struct table *t, size_t row, const char *first, size_t n);
char *table_cells_room(struct table *t, size_t cells, size_t max);
char *table_cell_commit(struct table *t, size_t len);
void table_print(struct table *t, const char *indent);
void table_free(struct table *t);
#define TABLE_CELL_MAX	96

/* Streaming JSON (json-print.c): the text json_print prints for a tree. */
struct jw;
struct jw *jw_new(FILE *stream, bool pretty);
void jw_open(struct jw *w, const char *key, char bracket);
void jw_open_bare(struct jw *w, char bracket);
void jw_close(struct jw *w, char bracket);
void jw_key(struct jw *w, const char *key);
void jw_int(struct jw *w, int64_t v);
void jw_string(struct jw *w, const char *s);
void jw_raw(struct jw *w, const char *text);
void jw_json(struct jw *w, const char *key, struct json_object *v);
void jw_json_put(struct jw *w, const char *key, struct json_object *v);
size_t jw_mark(struct jw *w);
const char *jw_since(const struct jw *w, size_t mark, size_t *len);
void jw_item_text(struct jw *w, const char *head, size_t hlen, int64_t v,
		  const char *tail, size_t tlen);
void jw_fail(struct jw *w);
int jw_finish(struct jw *w);
struct field;
struct jw_rows;
bool jw_fields_compact(struct jw *w, const struct field *f, size_t n);
/*
 * Compact output only (false: nothing written, write it the general
 * way): fields as an object under key, or as an array's next item (key
 * NULL); or as members of the object open now.  rows (or NULL): the row
 * of their kind written last, whose values are copied where they repeat;
 * its fields stay as they are until the next call with the same rows.
 */
bool jw_object_compact(struct jw *w, struct jw_rows *rows, const char *key,
		       const struct field *f, size_t n);
bool jw_members_compact(struct jw *w, struct jw_rows *rows,
			const struct field *f, size_t n);

/*
 * Typed fields (fields.c): a row of a large listing, filled once from the
 * decoded answer, rendered as a JSON object or as table cells.  Keys and
 * texts are static (name tables, literals) or outlive the rendering.
 */
enum field_kind {
	FIELD_NULL, FIELD_INT, FIELD_BOOL,
	FIELD_WORD,		/* a name-table word: a string needing no escapes */
	FIELD_TEXT,		/* any string */
	FIELD_NUMBER,		/* a number given as its text: 8.0 */
	FIELD_WORDS,		/* an array of strings */
	FIELD_NUMBERS,		/* an array of numbers as texts */
	FIELD_FLAGS,		/* an object of every named bit, true or false */
	FIELD_HEX,		/* a number in JSON, its text (0x1b36) in tables */
};
struct field {
	const char *key;
	size_t key_len;				/* 0: strlen(key) */
	enum field_kind kind;
	int64_t i;				/* INT, BOOL, FLAGS' bits */
	const char *text;			/* WORD, TEXT, NUMBER, HEX */
	const char *list[8];			/* WORDS, NUMBERS */
	size_t n;
	const char *(*bitname)(unsigned int);	/* FLAGS */
};
#define FIELDS_MAX	32

/* The row of a kind written last, compactly (json-print.c's compact()). */
struct jw_rows {
	const struct field *prev;	/* the caller's, kept till the next */
	size_t n;
	unsigned long flushes;		/* the writer's, when it was written */
	size_t off[FIELDS_MAX], len[FIELDS_MAX];	/* where its texts are */
};

/*
 * The rows of one kind of object, filled in two arrays in turn: the
 * compact writer copies what repeats from the row written before (rows
 * alike but for an id or a serial are most of a fabric).
 */
#define KIND_FIELDS	16
struct jw_kind {
	struct field f[2][KIND_FIELDS];
	struct jw_rows rows;
	unsigned int turn;
};

static inline struct field *jw_kind_next(struct jw_kind *k)
{
	k->turn ^= 1;
	return k->f[k->turn];
}

/* A literal key and its length, known at compile time: FKEY("port_id"). */
#define FKEY(key)	key, sizeof(key) - 1

/* Setting a field (members one by one: a whole struct is mostly its list). */
static inline void field_key(struct field *f, const char *key, size_t key_len,
			     enum field_kind kind)
{
	f->key = key;
	f->key_len = key_len;
	f->kind = kind;
}

static inline void field_int(struct field *f, const char *key, size_t key_len,
			     int64_t v)
{
	field_key(f, key, key_len, FIELD_INT);
	f->i = v;
}

/* sizes in bytes reach 2^53 only past 8 PiB, within jq's doubles */
static inline void field_u64(struct field *f, const char *key,
			     size_t key_len, uint64_t v)
{
	field_int(f, key, key_len, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* a string (escaped as needed), or null for NULL */
static inline void field_string(struct field *f, const char *key,
				size_t key_len, const char *text)
{
	field_key(f, key, key_len, text ? FIELD_TEXT : FIELD_NULL);
	f->text = text;
}

/* a name from the table, or the raw code where it has none */
static inline void field_enum(struct field *f, const char *key, size_t key_len,
			      uint8_t v, const char *(*name)(uint8_t))
{
	f->key = key;
	f->key_len = key_len;
	f->text = name(v);
	f->kind = f->text ? FIELD_WORD : FIELD_INT;
	f->i = v;
}

static inline void field_flags(struct field *f, const char *key,
			       size_t key_len, uint32_t bits,
			       const char *(*name)(unsigned int))
{
	field_key(f, key, key_len, FIELD_FLAGS);
	f->i = bits;
	f->bitname = name;
}

/* Identify's fields (cmd-identify.c), their texts kept in t. */
#define IDENTIFY_FIELDS	7
#define IDENTIFY_SERIAL	4	/* where the serial number is */
struct identify_texts {
	char hex[4][8];		/* "0x1b36" */
	char serial[20];	/* "0x00c0ffee00000004" */
};
size_t identify_fields(const struct cxlsw_identify *id, struct field *f,
		       struct identify_texts *t);
/* Identify Memory Device's fields (memdev-json.c), in the answer's order. */
#define MEMDEV_FIELDS	15
size_t memdev_fields(const struct cxlsw_memdev_identify *m, struct field *f);
/*
 * Get Physical Port State's fields for one port (port-fields.c), as
 * list-ports prints them; speed_text: room for a reserved speed's name.
 */
enum port_field {
	PF_PORT_ID, PF_CONFIG_STATE, PF_MODE, PF_TYPE, PF_CXL_MODES,
	PF_MAX_WIDTH, PF_WIDTH, PF_SPEEDS, PF_MAX_SPEED, PF_SPEED, PF_LTSSM,
	PF_LANE, PF_FLAGS, PF_LD_COUNT,
	PORT_FIELDS
};
size_t port_fields(const struct cxlsw_port_state *p, struct field *f,
		   char speed_text[2][24]);
/* The same fields as json-c values (json.c): an object, or o's members. */
struct json_object *fields_object(const struct field *f, size_t n);
void fields_add(struct json_object *o, const struct field *f, size_t n);
struct field_column {
	const char *header;
	const char *key;
	void (*format)(const struct field *f, char *buf, size_t len);
};
void fields_json(struct jw *w, const struct field *f, size_t n);
void fields_json_members(struct jw *w, const struct field *f, size_t n);
/* The same, compact where they can be, rows as jw_object_compact's. */
void fields_json_object(struct jw *w, struct jw_rows *rows, const char *key,
			const struct field *f, size_t n);
void fields_json_add(struct jw *w, struct jw_rows *rows,
		     const struct field *f, size_t n);
/*
 * The same value under the same key as another row's field: words and
 * names are static, so compared by address.  A TEXT is never the same
 * (its buffer may be reused from row to row).
 */
static inline bool field_same(const struct field *a, const struct field *b)
{
	if (a->key != b->key || a->kind != b->kind)
		return false;
	switch (a->kind) {
	case FIELD_NULL:
		return true;
	case FIELD_INT:
	case FIELD_BOOL:
		return a->i == b->i;
	case FIELD_WORD:
	case FIELD_NUMBER:
		return a->text == b->text;
	case FIELD_WORDS:
	case FIELD_NUMBERS:
		return a->n == b->n &&
		       !memcmp(a->list, b->list, a->n * sizeof(a->list[0]));
	case FIELD_FLAGS:
		return a->i == b->i && a->bitname == b->bitname;
	case FIELD_HEX:
		/* the digits are the row's own: the same value, as wide */
		return a->i == b->i && !strcmp(a->text, b->text);
	case FIELD_TEXT:
		break;
	}
	return false;
}


size_t field_text(const struct field *f, char *buf, size_t len);
size_t field_uint_text(uint64_t v, char *buf);
void fields_table(size_t nrows,
		  size_t (*row)(void *ctx, size_t r, struct field *f),
		  void *ctx, const struct field_column *cols, size_t ncols,
		  const char *indent);
void fields_table_like(size_t nrows,
		       size_t (*row)(void *ctx, size_t r, struct field *f),
		       size_t (*like)(void *ctx, size_t r, struct field *f0),
		       void *ctx, const struct field_column *cols, size_t ncols,
		       const char *indent);
/* An array of objects as a table, the first object's keys as columns. */
void print_rows(struct json_object *rows, const char *indent);
/* One member: "KEY:" and a section or a table under it, or "KEY  VALUE". */
void print_member(const char *key, struct json_object *val, int width,
		  const char *indent);
void format_value(struct json_object *v, char *buf, size_t len);

/* ---- devices behind the switch (memdev-json.c, device-row.c) ---------- */

struct switch_state;

struct json_object *memdev_json(const struct cxlsw_memdev_identify *m);
/* Identify's fields (cmd-identify.c). */
void add_identify(struct json_object *o, const struct cxlsw_identify *id);
/*
 * What raw sends (0xC000-0xFFFF): no catalog entry, effects unknown, so
 * treated as the most dangerous class (guard.c).
 */
extern const struct cxlsw_command vendor_command;
/* A port whose device has a mailbox behind it: a Type 3 SLD or MLD. */
bool port_has_memdev(const struct cxlsw_port_state *p);
/* The tunnel to port p's device, NULL when none could be set up (device-row.c). */
struct cxlsw_dev *port_device_open(struct cxlsw_dev *sw,
				   const struct cxlsw_port_state *p);
/*
 * What is known of the device behind a port, asked once (device-row.c):
 * list-devices and topology write it as it is (device-write.c).
 */
enum device_reach {
	DEVICE_NOT_ASKED,	/* not a memory device: "reachable" is null */
	DEVICE_NO_TUNNEL,	/* no tunnel to it could be set up */
	DEVICE_UNREACHABLE,	/* no answer to Identify: "reachable" false */
	DEVICE_FAILED,		/* answered Identify, then failed: "error" */
	DEVICE_OK,
};
/* Identify Memory Device, Get LD Info, and topology's LD pool's */
#define DEVICE_LACKS_MAX	3
struct device_row {
	const struct cxlsw_port_state *port;
	enum device_reach reach;
	bool have_mid, have_ld;
	uint16_t ld_count;			/* have_ld */
	struct cxlsw_identify id;		/* DEVICE_OK */
	struct cxlsw_memdev_identify mid;	/* have_mid */
	const char *host_memdev;		/* the host's name, or NULL */
	char *error, *hint;			/* allocated, or NULL */
	/* the commands the device lacks ("unavailable"), in the order met */
	uint16_t lacks[DEVICE_LACKS_MAX];
	unsigned int nlacks;
};
/*
 * Ask the device behind port p through dev (from port_device_open); a
 * failure is reported as command cmd's, and *code set.
 */
void device_read(const char *cmd, struct cxlsw_dev *dev,
		 const struct cxlsw_port_state *p,
		 const struct cxlsw_host_memdev *host, size_t nhost,
		 struct device_row *r, int *code);
/* Port p's device: asked when it is a memory device, through its tunnel. */
void port_device_read(const char *cmd, struct cxlsw_dev *sw,
		      const struct cxlsw_port_state *p,
		      const struct cxlsw_host_memdev *host, size_t nhost,
		      struct device_row *r, int *code);
void device_row_free(struct device_row *r);
/* dev's last failure is that it lacks a command: kept in r (once), true */
bool device_row_lacks(struct device_row *r, struct cxlsw_dev *dev);
/*
 * A device row's JSON members, written into the object open in w
 * (device-write.c); the kinds keep the rows written before.
 */
struct device_out {
	struct jw *w;
	struct jw_kind head, identify, memdev, tail;
	struct identify_texts texts[2];		/* the identify kind's */
};
void device_write_members(struct device_out *o, const struct device_row *r);
/* "unavailable": the commands in lacks, by name; nothing when n is 0 */
void jw_lacks(struct jw *w, const uint16_t *lacks, unsigned int n);
/* "unavailable" with one text (what could not be read, and why) */
void jw_unavailable(struct jw *w, const char *what);
/*
 * An MLD's LD pool (ld-pool.c): capacity, granularity, every LD; st may
 * be NULL, else each LD says which vPPBs it is bound to.
 */
struct ld_pool {
	struct cxlsw_ld_info info;
	struct cxlsw_ld_alloc_list alloc;
	uint64_t gran;			/* bytes per multiplier unit */
};
int ld_pool_read(struct cxlsw_dev *dev, struct ld_pool *pool);
struct json_object *ld_pool_object(const struct ld_pool *pool,
				   const struct switch_state *st,
				   unsigned int port);
/* read and built; NULL when the device failed */
struct json_object *ld_pool_json(struct cxlsw_dev *dev,
				 const struct switch_state *st,
				 unsigned int port);
/* The same written under key in w; the kinds keep the rows written before. */
struct ld_pool_kinds {
	struct jw_kind pool, ld, bound;
};
void ld_pool_write(struct jw *w, struct ld_pool_kinds *k, const char *key,
		   const struct ld_pool *pool, const struct switch_state *st,
		   unsigned int port);

/* ---- topology renderers (topo-tree.c, topo-dot.c) ------------------- */

/* The member of o named key, or NULL (also for o NULL). */
struct json_object *jget(struct json_object *o, const char *key);
/* LD ld of a pool: its bytes (past the pool's LDs: 0), the pool's free bytes */
uint64_t ld_pool_ld_bytes(const struct ld_pool *pool, unsigned int ld);
uint64_t ld_pool_free_bytes(const struct ld_pool *pool);
/* The VCS the LD is bound to first, -1 for none (st's VCSs are known). */
int ld_pool_ld_host(const struct switch_state *st, unsigned int port,
		    unsigned int ld);
/*
 * A downstream port as topology reads it (cmd-topology.c), whole before
 * it is rendered: its device's row and, for a device that answered, its
 * LD pool (an MLD's) and dynamic capacity.
 */
struct topo_port {
	const struct switch_state *st;	/* the switch's, for the bindings */
	const struct cxlsw_port_state *p;
	bool bound;			/* a vPPB names it (VCSs known) */
	bool has_dev;			/* a memory device: "device" not null */
	struct device_row row;		/* has_dev */
	bool mld;			/* "ld_pool" */
	bool have_pool;			/* else "ld_pool" is null */
	struct ld_pool pool;		/* have_pool */
	struct json_object *dc;		/* "dynamic_capacity", or NULL */
	/* a lack met after the row had none: "unavailable" after its members */
	bool late_lack;
	uint16_t late_opcode;
};
/* The device answered: its "reachable" is true. */
static inline bool topo_port_reachable(const struct topo_port *tp)
{
	return tp->row.reach == DEVICE_FAILED || tp->row.reach == DEVICE_OK;
}
/* The name of v, or its digits where it has none (what json_enum prints). */
const char *enum_text(uint8_t v, const char *(*name)(uint8_t), char buf[4]);
/* A port's dynamic capacity (dc) and what each host holds, "" for none. */
void topo_dc_text(struct json_object *dc, char *buf, size_t len);
/*
 * Drawn as the ports are read, each freed once added: the tree keeps each
 * port's lines (its hosts come first and name ports), DOT prints as it
 * goes.
 */
struct topo_tree;
struct topo_tree *topo_tree_new(void);
void topo_tree_port(struct topo_tree *t, const struct topo_port *tp);
void topo_tree_head(const char *sw, int nports, int nvcs);
void topo_tree_host(struct topo_tree *t, const struct cxlsw_vcs_info *vcs);
void topo_tree_end(struct topo_tree *t, bool hosts);
bool topo_tree_failed(const struct topo_tree *t);
void topo_tree_free(struct topo_tree *t);
struct dot;
struct dot *topo_dot_begin(const char *sw, int nports, int nvcs);
void topo_dot_host(struct dot *d, const struct cxlsw_vcs_info *vcs);
void topo_dot_port(struct dot *d, const struct topo_port *tp);
void topo_dot_end(struct dot *d, bool hosts);
void topo_dot_free(struct dot *d);

/* ---- the switch's current state, for checks and descriptions (state.c) */

struct switch_state {
	struct cxlsw_switch_info info;
	size_t nports;
	struct cxlsw_port_state *ports;	/* every port, by ascending id */
	size_t nvcs;
	struct cxlsw_vcs_info *vcs;	/* every VCS, by ascending id */
	/* STATE_ALL from a device without Get VCS Info: no VCSs, and why */
	bool vcs_unavailable;
	char vcs_why[96];		/* "Get Virtual CXL Switch Info (0x5200)" */
	/*
	 * The vPPBs that name a port (bound, or a bind in progress), by
	 * port: bound_head[port] is the first (STATE_NO_REF: none), each
	 * ref's next the following, in VCS and vPPB order.  Who uses a
	 * port is then found without scanning every VCS.  state_read()
	 * builds it; a state made otherwise (bound NULL) is scanned.
	 */
	uint16_t bound_head[CXLSW_MAX_PORTS];
	struct state_ref {
		uint8_t vcs;		/* index into vcs[] */
		uint8_t vppb;
		uint16_t next;
	} *bound;
};
#define STATE_NO_REF	0xffff
/* The vPPBs that name port, one by one: it starts zeroed; false at the end. */
struct state_iter {
	struct state_ref ref;		/* this one's VCS (index) and vPPB */
	uint16_t next;			/* (indexed) the next ref */
	size_t vcs;			/* (scanned) where to go on */
	unsigned int vppb;
	bool started;
};
bool state_next_user(const struct switch_state *st, unsigned int port,
		     struct state_iter *it);
/* Whether LD ld of the MLD on port is bound to any vPPB. */
bool state_ld_bound(const struct switch_state *st, unsigned int port,
		    unsigned int ld);
/* (Re)build the index of who uses a port, after vcs[] is set or changed. */
int state_index(struct switch_state *st);

/* How much of the switch's state a check needs: each level costs ioctls. */
enum state_need {
	STATE_NONE,
	STATE_PORTS,		/* Identify Switch Device and every port */
	STATE_ALL,		/* and every VCS, to say which hosts notice */
	STATE_VCS,		/* Identify Switch Device and every VCS only */
};

int state_read(struct cxlsw_dev *dev, struct switch_state *st,
	       enum state_need need);
void state_free(struct switch_state *st);
const struct cxlsw_port_state *state_port(const struct switch_state *st,
					  unsigned int id);
const struct cxlsw_vcs_info *state_vcs(const struct switch_state *st,
				       unsigned int id);
/* An LD of the MLD on a DSP (0x5301, 0x5302); else one line, false. */
bool ld_exists(const char *cmd, const struct cxlsw_port_state *p, long ld);
/* "port 7 (CXL Type 3 MLD, LD 3)"; ld CXLSW_WHOLE_PORT: no LD; p may be NULL */
void describe_port(unsigned int id, const struct cxlsw_port_state *p,
		   unsigned int ld, char *buf, size_t len);
/* Which hosts reach the port (and LD, or CXLSW_WHOLE_PORT for any). */
void describe_users(const struct switch_state *st, unsigned int port,
		    unsigned int ld, char *buf, size_t len);

/* ---- the safety policy (policy.c, guard.c) ------------------------------ */

/* Fixed: no variable or option names another file (policy.c). */
#define POLICY_PATH	"/etc/cxl-switch/policy.conf"

/*
 * May a change of this effect class go to this switch and port (-1: none)?
 * Returns true, or false with the reason (naming the file and line).
 */
bool policy_allows(enum cxlsw_effect effect, const char *sw, int port,
		   char *why, size_t len);
/* For the log: "/etc/cxl-switch/policy.conf", "none" (no file), "broken" */
const char *policy_state(void);
void policy_release(void);
/* The rules from a file's text (for the fuzzer); 0, or every change refused. */
int policy_parse_text(const char *name, const char *text, size_t size);
/*
 * path resolved into out, every directory and link on the way root's
 * (policy-path.c); -ENOENT for no file, another -errno with why.
 */
int policy_trusted_path(const char *path, char *out, size_t len, char *why,
			size_t wlen);

/* ---- the audit log (audit.c) ------------------------------------------ */

struct audit_entry {
	const char *cmd;		/* "bind" */
	const char *sw;			/* canonical name, or the argument */
	bool have_serial;
	uint64_t serial;
	const char *target;		/* "switch", "port 5 LD 2" */
	uint16_t opcode;
	const char *name;		/* the opcode's name */
	const char *args;
};

/* One audit line; 0, or -errno and why when syslog did not take it. */
int audit_log(const struct audit_entry *e, const char *result, char *why,
	      size_t wlen);
/* A refusal before a switch was opened: SWITCH as given. */
void audit_refusal(const char *cmd, const char *sw, uint16_t opcode,
		   const char *args, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

struct change_opts {
	bool force;
	bool dry_run;
	bool no_wait;
	bool no_lock_wait;		/* another change holds it: exit at once */
	unsigned int timeout_s;
};

/* -f, -n, --no-wait, --timeout, --no-lock-wait */
extern const struct argp change_argp;
extern const struct argp change_nobg_argp;
extern const struct argp_child change_nobg_children[];
/* config-read, mem-read: --dry-run only */
extern const struct argp_child read_change_children[];

/* One state-changing request, described for the confirmation and the log. */
struct change {
	const char *cmd;		/* the CLI command, e.g. "bind" */
	struct cxlsw_dev *dev;
	uint16_t opcode;
	uint8_t req[4096];
	size_t req_len;
	bool vendor;			/* a raw vendor opcode, outside the catalog */
	uint16_t retcode;		/* a vendor command's return code */
	int port;			/* the physical port touched, or -1 */
	char what[256];			/* what will change */
	char whom[256];			/* who will notice */
	/* every argument that shapes the request, for the audit log */
	char args[12288];
	uint8_t out[4096];		/* the device's answer */
	size_t out_len;
	/* Adds the answer to the result, when there is one worth showing. */
	void (*answer)(const struct change *c, struct json_object *result);
	/*
	 * The human form of a done change whose answer is all a human wants
	 * (a read): shown instead of the change report, which -v and
	 * --dry-run still show.  NULL: the change report.
	 */
	void (*human)(struct json_object *result);
	const void *ctx;		/* the command's arguments, for answer */
	/*
	 * For a change that takes several requests (a firmware image, a
	 * long list of handles, LD allocations wider than one request):
	 * sends them all instead of req, calling progress (a bar on a
	 * terminal; false after Ctrl-C) as it goes.  req then holds the
	 * first request's first bytes, for --dry-run and the log.  Returns
	 * 0, or a negative errno that the device's error explains.
	 */
	int (*send)(struct change *c, const struct change_opts *o,
		    bool (*progress)(const struct cxlsw_bg_status *st,
				     void *ctx),
		    void *pctx);
	/*
	 * Set by send when a failure left some requests applied and it has
	 * told itself what was and was not (and perhaps undone them): the
	 * exit code, so that the failure is logged but not told again.
	 */
	int reported;
	/*
	 * After a failure or an interruption, when set: read back what the
	 * device holds now and write the outcome into c->outcome ("read back:
	 * ..."), for the message and the log.  Returns the exit code: code
	 * (the failure's) when nothing changed, EXIT_OK when all that was
	 * asked is in place, EXIT_PARTIAL when some is or nothing can be told.
	 */
	int (*read_back)(struct change *c, int code);
	char outcome[512];
	/*
	 * After a failure, when set: which input the device refused, from
	 * what the command can read (hint.c), into why; "" for nothing.
	 */
	void (*explain)(struct change *c, const struct cxlsw_error *err,
			char *why, size_t len);
};

/* ---- one change at a time (lock.c) and signals (interrupt.c) ------------ */

/*
 * Take the switch's lock before the first read of its state (not for a
 * dry run): wait for a holder up to the command's --timeout, saying once
 * who it is, or with --no-lock-wait refuse at once.  0, or an exit code.
 */
int change_lock(const char *cmd, struct cxlsw_dev *dev,
		const struct change_opts *o);
/*
 * SIGINT, SIGTERM and SIGHUP end a change the same way: the handler notes
 * the signal, whatever runs looks at it and stops where it is safe.
 * Caught from the lock until the process ends.
 */
void change_catch_signals(void);
/* The signal caught, or 0. */
int change_signal(void);
/* EXIT_PENDING, and says so, when a signal came before anything was sent. */
int change_stopped_before_sending(const char *cmd);

/* Check a change against the state read from the switch and fill it in;
 * returns an exit code (0 to go on). */
typedef int (*change_check_fn)(const struct switch_state *st,
			       const void *args, struct change *c);
/*
 * The whole life of a state-changing command: open the switch, read its
 * state (when the check needs it), check and describe the change, apply
 * it, print the result.
 */
int change_run(const char *cmd, const char *name, const void *args,
	       change_check_fn check, enum state_need need,
	       const struct change_opts *o);

/*
 * Take a change through the policy: the policy file, --dry-run, --force or
 * a typed confirmation, sending (waiting for a background operation),
 * and the audit log.  Returns the exit code; *result is the JSON result
 * when there is something to print.  out/out_len receive the answer.
 */
int change_apply(struct change *c, const struct change_opts *o,
		 void *out, size_t *out_len, struct json_object **result);
/* Print a change result (human renderer for emit). */
void change_human(struct json_object *result);

/* ---- sizes (size.c) ----------------------------------------------------- */

/*
 * "256M", "4G", "1TiB", "512KB" or plain bytes ("4096", "0x1000"):
 * powers of 1024; -EINVAL for text that is not a size, -ERANGE when it does
 * not fit in 64 bits.  Zero is returned as is: the caller decides.
 */
int parse_size(const char *s, uint64_t *bytes);
/* "4 GiB" when the size is a whole number of a unit, "1000 bytes" else. */
void format_size(uint64_t bytes, char *buf, size_t len);

/* ---- mctpd's endpoints (mctpd.c) -------------------------------------- */

#define MCTPD_FMAPI	0x01	/* lists message type 0x07 */
#define MCTPD_CCI	0x02	/* lists message type 0x08 */
struct mctpd_endpoint {
	unsigned int net;
	uint8_t eid;
	uint8_t types;		/* MCTPD_* */
};
/* Does an mctpd process run?  (/proc, no D-Bus) */
bool mctpd_running(void);
/*
 * The endpoints mctpd knows that speak CXL, by network and EID: none when
 * mctpd does not run (busctl is not run then); -1 with @why when it runs
 * but could not be asked.  Free *out.
 */
int mctpd_endpoints(struct mctpd_endpoint **out, size_t *count, char *why,
		    size_t whylen);
/* busctl --json=short's GetManagedObjects answer @text into endpoints */
int mctpd_parse(const char *text, struct mctpd_endpoint **out,
		size_t *count, char *why, size_t whylen);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- QoS control fields (qos-fields.c) ------------------------------- */

/* Set QoS Control's fields by their JSON names, in wire order. */
enum qos_field {
	QOS_EGRESS_CONGESTION, QOS_THROUGHPUT_REDUCTION, QOS_MODERATE,
	QOS_SEVERE, QOS_BP_INTERVAL, QOS_REQ_CMPL_BASIS, QOS_CC_INTERVAL,
	QOS_FIELD_COUNT,
};
struct qos_field_info {
	const char *name;
	unsigned long min, max;		/* max 1: a boolean */
};
extern const struct qos_field_info qos_fields[QOS_FIELD_COUNT];
unsigned long qos_field_get(const struct cxlsw_qos_control *q,
			    enum qos_field f);
void qos_field_set(struct cxlsw_qos_control *q, enum qos_field f,
		   unsigned long v);
bool qos_field_settable(enum qos_field f, unsigned long v);
int qos_first_unsettable(const struct cxlsw_qos_control *q);
struct json_object *qos_control_json(const struct cxlsw_qos_control *q,
				     bool settable_only);

#endif
