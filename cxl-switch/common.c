// SPDX-License-Identifier: LGPL-2.1-or-later
/* Parsing, opening and error reporting that every command shares. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct output_opts global_output;

enum { OPT_PRETTY = 0x100, OPT_MAILBOX_TIMEOUT };

static const struct argp_option output_options[] = {
	{ "json", 'j', NULL, 0, "Print JSON instead of a table", -1 },
	{ "pretty", OPT_PRETTY, NULL, 0, "Print indented JSON (implies --json)", -1 },
	{ "verbose", 'v', NULL, 0,
	  "Say more: whole request dumps, change reports, per-device warnings", -1 },
	{ 0 },
};

/* A global option (before the command): main.c's argp takes it. */
static const struct argp_option mailbox_options[] = {
	{ "mailbox-timeout", OPT_MAILBOX_TIMEOUT, "SECONDS", 0,
	  "Give each request SECONDS, retries after Busy included (default 2, 0: no limit)", -1 },
	{ 0 },
};

static error_t output_parse(int key, char *arg, struct argp_state *state)
{
	struct output_opts *o = state->input ? state->input : &global_output;
	double s;

	switch (key) {
	case OPT_MAILBOX_TIMEOUT:
		if (parse_seconds(arg, 3600, &s))
			usage_error(state, "invalid --mailbox-timeout '%s': expected seconds 0-3600, e.g. 0.5",
				    arg);
		o->mailbox_timeout_ms = (unsigned int)(s * 1000 + 0.5);
		o->have_mailbox_timeout = true;
		return 0;
	case 'j':
		o->json = true;
		return 0;
	case OPT_PRETTY:
		o->json = o->pretty = true;
		return 0;
	case 'v':
		o->verbose = true;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp output_argp = {
	.options = output_options,
	.parser = output_parse,
};

const struct argp mailbox_argp = {
	.options = mailbox_options,
	.parser = output_parse,
};

void cli_parse(const struct argp *argp, const char *name, int argc,
	       char **argv, void *input)
{
	char prog[64];

	snprintf(prog, sizeof(prog), "cxl-switch %s", name);
	argv[0] = prog;
	cli_argp_parse(argp, argc, argv, 0, input);
}

/*
 * Errors: one line on stderr always; in JSON mode also a JSON object on
 * stdout, so that a script reading stdout gets one JSON document whatever
 * happened.  `list` collects them into its array instead.
 */
static struct json_object *collected_errors;

static bool errors_quiet;
static unsigned int errors_quieted;

void cli_errors_into(struct json_object *array)
{
	collected_errors = array;
}

unsigned int cli_errors_quiet(bool quiet)
{
	unsigned int n = errors_quieted;

	errors_quiet = quiet;
	errors_quieted = 0;
	return n;
}

static char last_error[512];

const char *cli_last_error(void)
{
	return last_error;
}

static void report_error(const char *cmd, int code, struct cxlsw_dev *dev,
			 const struct cxlsw_error *err, const char *msg,
			 const char *outcome)
{
	const struct cxlsw_command *c = err ? cxlsw_catalog_find(err->opcode) :
				       NULL;
	struct json_object *o, *e;

	snprintf(last_error, sizeof(last_error), "%s", msg);
	if (errors_quiet) {
		errors_quieted++;
		goto json;
	}
	fprintf(stderr, cmd ? "cxl-switch %s: %s\n" : "cxl-switch: %s%s\n",
		cmd ? cmd : "", msg);
	if (outcome)
		fprintf(stderr, "cxl-switch %s: %s\n", cmd, outcome);
json:
	if (!global_output.json)
		return;
	e = json_object_new_object();
	json_add(e, "command", cmd ? json_object_new_string(cmd) : NULL);
	json_add(e, "exit_code", json_int(code));
	json_add(e, "message", json_object_new_string(msg));
	if (err && err->opcode) {
		json_add(e, "opcode", json_int(err->opcode));
		json_add(e, "name", c ? json_word(c->name) : NULL);
	}
	if (err && (err->kind == CXLSW_ERR_DEVICE ||
		    err->kind == CXLSW_ERR_UNSUPPORTED))
		json_add(e, "return_code",
			 cxlsw_retcode_name(err->retcode) ?
			 json_word(cxlsw_retcode_name(err->retcode)) :
			 json_int(err->retcode));
	if (outcome)
		json_add(e, "outcome", json_object_new_string(outcome));
	if (collected_errors) {
		o = json_object_new_object();
		json_add(o, "switch", dev ? json_object_new_string(
				cxlsw_dev_name(target_switch(dev))) : NULL);
		json_add(o, "target", doc_dev_target(dev));
		json_add(o, "error", e);
		json_object_array_add(collected_errors, o);
		return;
	}
	doc_error(dev, e);
}

static void report(const char *cmd, int code, struct cxlsw_dev *dev,
		   const char *msg)
{
	report_error(cmd, code, dev, dev ? cxlsw_dev_error(dev) : NULL, msg,
		     NULL);
}

void usage_error(const struct argp_state *state, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* state->name is "cxl-switch CMD" */
	report(strchr(state->name, ' ') ? strchr(state->name, ' ') + 1 : NULL,
	       EXIT_USAGE, NULL, msg);
	exit(EXIT_USAGE);
}

int cli_fail(const char *cmd, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(cmd, code, NULL, msg);
	return code;
}

int cli_exit_code(const struct cxlsw_error *err)
{
	switch (err->kind) {
	case CXLSW_ERR_DEVICE:
		return EXIT_DEVICE;
	case CXLSW_ERR_INVALID:
		return EXIT_USAGE;
	case CXLSW_ERR_REFUSED:
		return EXIT_REFUSED;
	case CXLSW_ERR_INTERRUPTED:
		return EXIT_PENDING;
	case CXLSW_ERR_UNSUPPORTED:
		return EXIT_UNSUPPORTED;
	case CXLSW_ERR_TRANSPORT:
	case CXLSW_ERR_MALFORMED:
	case CXLSW_ERR_NONE:
		break;
	}
	return EXIT_IO;
}

/* A name that is not there: say which ones are. */
static int no_such_switch(const char *cmd, const char *name)
{
	char list[256] = "";
	char **names;
	size_t n, used = 0;

	if (cxlsw_discover(&names, &n) || !n)
		return cli_fail(cmd, EXIT_NODEV,
				"no such switch '%s': this host has no CXL switch CCI",
				name);
	for (size_t i = 0; i < n && used < sizeof(list); i++)
		used += snprintf(list + used, sizeof(list) - used, "%s%s",
				 i ? ", " : "", names[i]);
	cxlsw_names_free(names, n);
	return cli_fail(cmd, EXIT_NODEV, "no such switch '%s': available: %s",
			name, list);
}

struct cxlsw_dev *cli_open(const char *cmd, const char *name, int *code)
{
	struct cxlsw_error err;
	struct cxlsw_dev *dev;
	char msg[256];

	if (!cxlsw_dev_open(name, &dev, &err)) {
		doc_switch(cxlsw_dev_name(dev));
		if (global_output.have_mailbox_timeout)
			cxlsw_dev_set_timeout(dev, global_output.mailbox_timeout_ms);
		return dev;
	}
	doc_switch(name);
	if (err.kind == CXLSW_ERR_INVALID)
		*code = cli_fail(cmd, EXIT_USAGE, "%s", err.detail);
	else if (err.errnum == ENOENT)
		*code = no_such_switch(cmd, name);
	else if (err.errnum == EAFNOSUPPORT)	/* no MCTP in this kernel */
		*code = cli_fail(cmd, EXIT_IO, "%s", err.detail);
	else
		*code = cli_fail(cmd, EXIT_NODEV, "%s",
				 cxlsw_error_string(&err, msg, sizeof(msg)));
	return NULL;
}

int cli_outcome_fail(const char *cmd, struct cxlsw_dev *dev,
		     const struct cxlsw_error *err, int code,
		     const char *outcome)
{
	return cli_explained_fail(cmd, dev, err, code, NULL, outcome);
}

int cli_explained_fail(const char *cmd, struct cxlsw_dev *dev,
		       const struct cxlsw_error *err, int code,
		       const char *why, const char *outcome)
{
	char what[320], msg[800];
	struct cxlsw_error saved = *err;	/* a hint's requests overwrite it */

	err = &saved;
	cxlsw_error_string(err, what, sizeof(what));
	if (why && *why)	/* the command's own reading of the refusal */
		snprintf(msg, sizeof(msg), "%s: %s: %s", cxlsw_dev_name(dev),
			 what, why);
	else if (hint_explain(dev, err, msg, sizeof(msg)))
		;	/* what the tool saw, and what to run */
	/* "switch0 does not implement ...": the string names the device */
	else if (err->kind == CXLSW_ERR_UNSUPPORTED)
		snprintf(msg, sizeof(msg), "%s", what);
	else
		snprintf(msg, sizeof(msg), "%s: %s", cxlsw_dev_name(dev), what);
	report_error(cmd, code, dev, err, msg, outcome);
	return code;
}

int cli_dev_fail(const char *cmd, struct cxlsw_dev *dev)
{
	const struct cxlsw_error *err = cxlsw_dev_error(dev);

	return cli_outcome_fail(cmd, dev, err, cli_exit_code(err), NULL);
}

int cli_dev_lacked(struct cxlsw_dev *dev)
{
	const struct cxlsw_error *err = cxlsw_dev_error(dev);

	return err->kind == CXLSW_ERR_UNSUPPORTED ? err->opcode : -1;
}

void lacking_text(uint16_t opcode, char *buf, size_t len)
{
	const struct cxlsw_command *c = cxlsw_catalog_find(opcode);

	snprintf(buf, len, "%s (0x%04x)", c ? c->name : "opcode", opcode);
}

bool cli_dev_lacking(struct cxlsw_dev *dev, char *buf, size_t len)
{
	int opcode = cli_dev_lacked(dev);

	if (opcode < 0)
		return false;
	lacking_text((uint16_t)opcode, buf, len);
	return true;
}

/* ---- numbers and words ------------------------------------------------- */

static int hex_value(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

int parse_hex(const char *s, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return -1;
	for (size_t i = 0; i < n / 2; i++)
		buf[i] = (uint8_t)(hex_value(s[2 * i]) << 4 |
				   hex_value(s[2 * i + 1]));
	*len = n / 2;
	return 0;
}
/*
 * Decimal, or hexadecimal after 0x; a leading zero is a decimal digit,
 * never octal ("016" is 16), as in sizes.
 */
int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *digits = hex ? s + 2 : s;
	char *end;

	/* digits only: strtoul would also take space, a sign, a second 0x */
	if (!*digits || digits[strspn(digits, hex ? "0123456789abcdefABCDEF" :
					  "0123456789")])
		return -EINVAL;
	errno = 0;
	*v = strtoul(digits, &end, hex ? 16 : 10);
	if (*end)
		return -EINVAL;
	if (errno || *v > max)
		return -ERANGE;
	return 0;
}

static int parse_range(char *item, unsigned long max, uint8_t *set,
		       char *err, size_t errlen)
{
	char *dash = strchr(item, '-');
	unsigned long lo, hi;

	if (dash)
		*dash = '\0';
	if (parse_uint(item, max, &lo) ||
	    (dash && parse_uint(dash + 1, max, &hi))) {
		if (dash)
			*dash = '-';
		snprintf(err, errlen, "invalid id '%s': expected a number 0-%lu or a range like 4-7",
			 item, max);
		return -EINVAL;
	}
	if (!dash)
		hi = lo;
	if (hi < lo) {
		snprintf(err, errlen, "invalid range '%lu-%lu': the first id is larger",
			 lo, hi);
		return -EINVAL;
	}
	for (unsigned long i = lo; i <= hi; i++)
		set[i / 8] |= 1u << (i % 8);
	return 0;
}

int parse_id_list(const char *s, unsigned long max, uint8_t *set,
		  char *err, size_t errlen)
{
	char *copy = strdup(s), *rest = copy, *item;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	/* strsep, not strtok: "1,,2" has an empty item and is refused. */
	while (!rc && (item = strsep(&rest, ",")))
		rc = parse_range(item, max, set, err, errlen);
	free(copy);
	return rc;
}

int parse_enum_word(const char *word, const char *(*name)(uint8_t),
		    uint8_t *value)
{
	for (unsigned int v = 0; v < 256; v++) {
		const char *n = name((uint8_t)v);

		if (n && !strcmp(n, word)) {
			*value = (uint8_t)v;
			return 0;
		}
	}
	return -EINVAL;
}

void enum_words(const char *(*name)(uint8_t), char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int v = 0; v < 256 && used < len; v++) {
		const char *n = name((uint8_t)v);

		if (n)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", n);
	}
}

error_t switch_arg(struct argp_state *state, int key, char *arg,
		   const char **name)
{
	switch (key) {
	case ARGP_KEY_ARG:
		if (*name)
			usage_error(state, "too many arguments: expected one SWITCH");
		*name = arg;
		return 0;
	case ARGP_KEY_END:
		if (!*name)
			usage_error(state, "missing SWITCH (for example switch0)");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int select_ids(const uint8_t *all, size_t count, const uint8_t *wanted,
	       uint8_t *ids, size_t *n)
{
	uint8_t exists[CXLSW_BITMAP_BYTES] = { 0 };

	*n = 0;
	for (size_t i = 0; i < count; i++) {
		exists[all[i] / 8] |= 1u << (all[i] % 8);
		if (!wanted || cxlsw_bit_test(wanted, all[i]))
			ids[(*n)++] = all[i];
	}
	for (unsigned int id = 0; wanted && id < CXLSW_MAX_PORTS; id++)
		if (cxlsw_bit_test(wanted, id) && !cxlsw_bit_test(exists, id))
			return (int)id;
	return -1;
}

unsigned long id_arg(const struct argp_state *state, const char *opt,
		     const char *arg, unsigned long max)
{
	unsigned long v;

	if (parse_uint(arg, max, &v))
		usage_error(state, "invalid %s '%s': expected a number 0-%lu", opt,
			    arg, max);
	return v;
}

/* ---- what a composite command could not read --------------------------- */

void unavailable_add_text(struct json_object *o, const char *what)
{
	struct json_object *a;

	if (!json_object_object_get_ex(o, "unavailable", &a)) {
		a = json_object_new_array();
		json_object_object_add(o, "unavailable", a);
	}
	for (size_t i = 0; i < json_object_array_length(a); i++)
		if (!strcmp(json_object_get_string(
				json_object_array_get_idx(a, i)), what))
			return;
	json_object_array_add(a, json_object_new_string(what));
}

bool unavailable_add(struct json_object *o, struct cxlsw_dev *dev)
{
	char what[128];

	if (!cli_dev_lacking(dev, what, sizeof(what)))
		return false;
	unavailable_add_text(o, what);
	return true;
}

void unavailable_print(struct json_object *o, const char *prefix)
{
	struct json_object *a;

	if (!o || !json_object_object_get_ex(o, "unavailable", &a))
		return;
	printf("%s: the device does not implement ", prefix);
	for (size_t i = 0; i < json_object_array_length(a); i++)
		printf("%s%s", i ? ", " : "",
		       json_object_get_string(json_object_array_get_idx(a, i)));
	printf("\n");
}
