/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every command of the cxl-switch tool shares. */
#ifndef CXLSW_CLI_H
#define CXLSW_CLI_H

#include <argp.h>
#include <stdbool.h>
#include <stdio.h>
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
};

/* Options every command takes: the output format. */
struct output_opts {
	bool json;
	bool pretty;
};

extern struct output_opts global_output;
extern const struct argp output_argp;

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

const struct cli_command *cli_commands(size_t *count);
const struct cli_command *cli_command_find(const char *name);

/* Parse argv with a command's argp; argv[0] becomes "cxl-switch NAME". */
void cli_parse(const struct argp *argp, const char *name, int argc,
	       char **argv, void *input);
/* One line on stderr, "cxl-switch CMD: ...", and exit EXIT_USAGE. */
void usage_error(const struct argp_state *state, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* One line on stderr, "cxl-switch CMD: ..."; returns code. */
int cli_fail(const char *cmd, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Open a switch or say why not; NULL means report and exit with *code. */
struct cxlsw_dev *cli_open(const char *cmd, const char *name, int *code);
/* Report a library failure on dev; returns the matching exit code. */
int cli_dev_fail(const char *cmd, struct cxlsw_dev *dev);

/* Numbers and id lists from the command line. */
int parse_uint(const char *s, unsigned long max, unsigned long *v);
/* "1,3,5-8" into a 256-bit set; returns 0 or writes why into err. */
int parse_id_list(const char *s, unsigned long max, uint8_t *set,
		  char *err, size_t errlen);
/* A word of an enumeration whose names come from name(0..255). */
int parse_enum_word(const char *word, const char *(*name)(uint8_t),
		    uint8_t *value);
/* "a, b, c": the words of an enumeration, for error messages. */
void enum_words(const char *(*name)(uint8_t), char *buf, size_t len);

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
/* GT/s from tenths; NULL (JSON null) for 0. */
struct json_object *json_speed(unsigned int tenths);
void json_shared_release(void);
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
void format_value(struct json_object *v, char *buf, size_t len);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
