// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every state-changing command goes through here: the policy file, then
 * --dry-run, then --force or a typed confirmation, then the request (and
 * the wait for a background operation), with audit lines in syslog
 * (audit.c): the intent before anything is sent, then the result or the
 * refusal.  Nothing is sent unless all of them agree and the intent is
 * logged.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_TIMEOUT_S	60

enum { OPT_NO_WAIT = 0x200, OPT_TIMEOUT, OPT_NO_LOCK_WAIT };

static const struct argp_option change_options[] = {
	{ "force", 'f', NULL, 0, "Change the switch without asking", -2 },
	{ "dry-run", 'n', NULL, 0,
	  "Print the request bytes and the effect; send nothing", -2 },
	{ "no-wait", OPT_NO_WAIT, NULL, 0,
	  "Do not wait for the background operation to end", -2 },
	{ "timeout", OPT_TIMEOUT, "SECONDS", 0,
	  "Stop waiting for another change's lock or the background operation after SECONDS (default 60, 0: never)", -2 },
	{ "no-lock-wait", OPT_NO_LOCK_WAIT, NULL, 0,
	  "When another change holds the switch, exit at once (8) instead of waiting for it", -2 },
	{ 0 },
};

static error_t change_parse(int key, char *arg, struct argp_state *state)
{
	struct change_opts *o = state->input;
	unsigned long v;

	switch (key) {
	case ARGP_KEY_INIT:
		o->timeout_s = DEFAULT_TIMEOUT_S;
		return 0;
	case 'f':
		o->force = true;
		return 0;
	case 'n':
		o->dry_run = true;
		return 0;
	case OPT_NO_WAIT:
		o->no_wait = true;
		return 0;
	case OPT_NO_LOCK_WAIT:
		o->no_lock_wait = true;
		return 0;
	case OPT_TIMEOUT:
		if (parse_uint(arg, 86400, &v))
			usage_error(state, "invalid --timeout '%s': expected seconds 0-86400",
				    arg);
		o->timeout_s = (unsigned int)v;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp change_argp = {
	.options = change_options,
	.parser = change_parse,
};

/*
 * A change that starts no background operation: --timeout bounds only
 * the wait for another change's lock, and --no-wait, which it could not
 * honour, is not offered (still parsed, to say so).
 */
static const struct argp_option change_nobg_options[] = {
	{ "force", 'f', NULL, 0, "Change the switch without asking", -2 },
	{ "dry-run", 'n', NULL, 0,
	  "Print the request bytes and the effect; send nothing", -2 },
	{ "no-wait", OPT_NO_WAIT, NULL, OPTION_HIDDEN, NULL, -2 },
	{ "timeout", OPT_TIMEOUT, "SECONDS", 0,
	  "Stop waiting for another change's lock after SECONDS (default 60, 0: never)", -2 },
	{ "no-lock-wait", OPT_NO_LOCK_WAIT, NULL, 0,
	  "When another change holds the switch, exit at once (8) instead of waiting for it", -2 },
	{ 0 },
};

static error_t change_nobg_parse(int key, char *arg, struct argp_state *state)
{
	if (key == OPT_NO_WAIT)
		usage_error(state, "--no-wait does not apply: %s starts no background operation",
			    strchr(state->name, ' ') ? strchr(state->name, ' ') + 1 :
			    state->name);
	return change_parse(key, arg, state);
}

const struct argp change_nobg_argp = {
	.options = change_nobg_options,
	.parser = change_nobg_parse,
};

const struct argp_child change_nobg_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &change_nobg_argp, 0, NULL, 0 },
	{ 0 },
};

/*
 * config-read, mem-read: reads that go the change's way for --dry-run.
 * They ask nothing and take no lock: --force, --timeout and
 * --no-lock-wait do nothing there and are not offered (taken, for the
 * scripts that gave them).
 */
static const struct argp_option read_options[] = {
	{ "force", 'f', NULL, OPTION_HIDDEN, NULL, -2 },
	{ "dry-run", 'n', NULL, 0,
	  "Print the request bytes; send nothing", -2 },
	{ "no-wait", OPT_NO_WAIT, NULL, OPTION_HIDDEN, NULL, -2 },
	{ "timeout", OPT_TIMEOUT, "SECONDS", OPTION_HIDDEN, NULL, -2 },
	{ "no-lock-wait", OPT_NO_LOCK_WAIT, NULL, OPTION_HIDDEN, NULL, -2 },
	{ 0 },
};

static const struct argp read_change_argp = {
	.options = read_options,
	.parser = change_nobg_parse,
};

const struct argp_child read_change_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &read_change_argp, 0, NULL, 0 },
	{ 0 },
};

const struct argp_child change_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &change_argp, 0, NULL, 0 },
	{ 0 },
};

/* ---- audit ------------------------------------------------------------- */

/* The switch's serial number, asked once a run (audit.c logs it). */
static struct {
	struct cxlsw_dev *sw;
	bool known;
	uint64_t serial;
} identity;

/*
 * Changes are logged, reads are not: the log is an account of changes.
 * Returns 0, or -errno with why when the line could not be written.
 */
static int audit(const struct change *c, const char *result, char *why,
		 size_t wlen)
{
	const struct cxlsw_command *cmd = c->vendor ? NULL :
					  cxlsw_catalog_find(c->opcode);
	struct cxlsw_dev *sw = target_switch(c->dev);
	struct audit_entry e = {
		.cmd = c->cmd,
		.sw = cxlsw_dev_name(sw),
		.target = cxlsw_dev_outer(c->dev) ? target_name(c->dev) :
			  "switch",
		.opcode = c->opcode,
		.name = cmd ? cmd->name : c->vendor ? "vendor" : "none",
		.args = c->args,
	};

	if (cmd && cxlsw_request_effect(cmd, c->req, c->req_len) ==
		   CXLSW_EFFECT_READ_ONLY)
		return 0;
	if (identity.sw != sw) {	/* tried once: a failure is not retried */
		identity.sw = sw;
		identity.known = !cxlsw_dev_serial(sw, &identity.serial);
	}
	e.have_serial = identity.known;
	e.serial = identity.serial;
	return audit_log(&e, result, why, wlen);
}

/* A result or a refusal: the change is over, a lost line is told. */
static void audit_after(const struct change *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void audit_after(const struct change *c, const char *fmt, ...)
{
	char *result = NULL, why[256];
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&result, fmt, ap) < 0)
		result = NULL;
	va_end(ap);
	if (!result || audit(c, result, why, sizeof(why)))
		fprintf(stderr, "cxl-switch %s: warning: the audit log did not take this line (%s): %s\n",
			c->cmd, result ? why : "out of memory",
			result ? result : "");
	free(result);
}

/* ---- asking ------------------------------------------------------------ */

static void hex_bytes(const uint8_t *p, size_t n, char *buf, size_t len,
		      const char *sep)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 2 + strlen(sep) < len; i++)
		used += snprintf(buf + used, len - used, "%s%02x",
				 i ? sep : "", p[i]);
}

/* Typed confirmation on a terminal: the word "yes", nothing else. */
static bool confirmed(const struct change *c, const char *name)
{
	char line[64];

	fprintf(stderr, "About to send %s (0x%04x) to %s:\n  %s\n  affects: %s\nType 'yes' to go on: ",
		name, c->opcode, cxlsw_dev_name(c->dev), c->what, c->whom);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\n")] = '\0';
	return !strcmp(line, "yes");
}

/* ---- waiting ----------------------------------------------------------- */

struct progress {
	const char *name;
	bool bar;
	bool drawn;
};

static bool show_progress(const struct cxlsw_bg_status *st, void *ctx)
{
	struct progress *p = ctx;
	unsigned int pct = st->running ? st->percent : 100;
	char bar[21];

	if (p->bar) {
		if (pct > 100)
			pct = 100;
		memset(bar, '#', pct / 5);
		memset(bar + pct / 5, '-', 20 - pct / 5);
		bar[20] = '\0';
		fprintf(stderr, "\r%s: [%s] %3u%%", p->name, bar, pct);
		p->drawn = true;
	}
	return !change_signal();
}

static int send_change(struct change *c, const struct change_opts *o,
		       const struct cxlsw_command *cmd, void *out,
		       size_t *out_len)
{
	struct progress p = { cmd->name, isatty(STDERR_FILENO), false };
	struct cxlsw_wait wait = {
		.timeout_ms = o->timeout_s * 1000,
		.progress = show_progress,
		.ctx = &p,
	};
	int rc;

	change_catch_signals();
	if (c->send)
		rc = c->send(c, o, show_progress, &p);
	else if (c->vendor)	/* its return code is the device's word, kept as is */
		rc = cxlsw_dev_send_vendor(c->dev, c->opcode, c->req,
					   c->req_len, out, out_len,
					   &c->retcode);
	else
		rc = cxlsw_dev_run(c->dev, c->opcode, c->req, c->req_len, out,
				   out_len, o->no_wait ? NULL : &wait);
	if (p.drawn)
		fputc('\n', stderr);
	return rc;
}

/* Ctrl-C during a wait: on a terminal, offer to abort the operation. */
static bool abort_wanted(void)
{
	char line[16];

	/* SIGTERM and SIGHUP have nobody to ask */
	if (change_signal() != SIGINT || !isatty(STDIN_FILENO))
		return false;
	fprintf(stderr, "Abort the operation on the device? [y/N] ");
	fflush(stderr);
	return fgets(line, sizeof(line), stdin) &&
	       (line[0] == 'y' || line[0] == 'Y');
}

/* ---- the result -------------------------------------------------------- */

/* A tunnelled request as the switch receives it: 0x5300 around it. */
static void add_wire_request(struct json_object *o, const struct change *c)
{
	uint8_t wire[sizeof(c->req) + 64];
	char hex[2 * sizeof(wire) + 1];
	uint16_t opcode;
	size_t len;

	if (cxlsw_dev_wire_request(c->dev, c->opcode, c->req, c->req_len,
				   wire, sizeof(wire), &len, &opcode))
		return;
	hex_bytes(wire, len, hex, sizeof(hex), "");
	json_add(o, "wire_opcode", json_hex(opcode, 4));
	json_add(o, "wire_request", json_object_new_string(hex));
}

static struct json_object *result_json(const struct change *c,
				       const struct cxlsw_command *cmd,
				       const char *status)
{
	struct json_object *o = json_object_new_object();
	char hex[2 * sizeof(c->req) + 1];

	hex_bytes(c->req, c->req_len, hex, sizeof(hex), "");
	json_add(o, "switch", json_object_new_string(
			cxlsw_dev_name(target_switch(c->dev))));
	if (cxlsw_dev_outer(c->dev))
		json_add(o, "target", json_object_new_string(
				target_name(c->dev)));
	json_add(o, "command", json_object_new_string(c->cmd));
	json_add(o, "opcode", json_hex(c->opcode, 4));
	json_add(o, "name", json_object_new_string(cmd->name));
	json_add(o, "effect_class", json_word(cxlsw_effect_name(
			cxlsw_request_effect(cmd, c->req, c->req_len))));
	json_add(o, "request", json_object_new_string(hex));
	if (cxlsw_dev_outer(c->dev))
		add_wire_request(o, c);
	json_add(o, "effect", json_object_new_string(c->what));
	json_add(o, "affects", json_object_new_string(c->whom));
	json_add(o, "status", json_word(status));
	return o;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v ? json_object_get_string(v) : "";
}

static const char *const standard_keys[] = {
	"switch", "target", "command", "opcode", "name", "effect_class",
	"request", "wire_opcode", "wire_request", "effect", "affects", "status",
};

static bool is_standard_key(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(standard_keys); i++)
		if (!strcmp(key, standard_keys[i]))
			return true;
	return false;
}

static const char *status_text(const char *status)
{
	if (!strcmp(status, "dry_run"))
		return "not sent (dry run)";
	if (!strcmp(status, "started"))
		return "started: it runs in the background";
	return status;
}

/* Bytes of a request a human sees without -v: a header's worth. */
#define HUMAN_REQUEST_BYTES	32

/* "01 02 00 ...": spaced, at most HUMAN_REQUEST_BYTES unless -v. */
static void print_request(const char *hex)
{
	size_t bytes = strlen(hex) / 2, shown = bytes;

	if (!global_output.verbose && shown > HUMAN_REQUEST_BYTES)
		shown = HUMAN_REQUEST_BYTES;
	fputs("  request: ", stdout);
	if (!bytes)
		fputs("(none)", stdout);
	for (size_t i = 0; i < shown; i++)
		printf("%s%.2s", i ? " " : "", hex + 2 * i);
	if (shown < bytes)
		printf(" ... (%zu of %zu bytes; -v shows all)", shown, bytes);
	fputc('\n', stdout);
}

void change_human(struct json_object *r)
{
	printf("%s%s%s: %s (%s) %s\n  effect:  %s\n  affects: %s\n",
	       str_of(r, "switch"), *str_of(r, "target") ? " " : "",
	       str_of(r, "target"), str_of(r, "name"), str_of(r, "opcode"),
	       status_text(str_of(r, "status")), str_of(r, "effect"), str_of(r, "affects"));
	print_request(str_of(r, "request"));
	/* what the command added: the answer */
	json_object_object_foreach(r, key, val) {
		char text[512];

		if (is_standard_key(key))
			continue;
		if (json_object_is_type(val, json_type_object) ||
		    json_object_is_type(val, json_type_array)) {
			print_member(key, val, 0, "  ");
			continue;
		}
		format_value(val, text, sizeof(text));
		printf("  %s: %s\n", key, text);
	}
}

/*
 * Ctrl-C's Abort (0x0005) is a change like the abort command's, judged
 * the same way (its class, the switch, no port): it is not offered when
 * the policy would refuse `abort`.
 */
static bool abort_allowed(const struct change *c, char *why, size_t len)
{
	const struct cxlsw_command *abort = cxlsw_catalog_find(CXLSW_OP_BG_ABORT);

	return abort && policy_allows(cxlsw_request_effect(abort, NULL, 0),
				      cxlsw_dev_name(target_switch(c->dev)),
				      -1, why, len);
}

/*
 * A failure: what the device said, then what a read-back finds, in one
 * report and one log line.  The failure is kept before the read-back's
 * requests overwrite the device's last error.
 */
static int failed(struct change *c, const char *msg)
{
	struct cxlsw_error err = *cxlsw_dev_error(c->dev);
	int code = cli_exit_code(&err);
	char line[sizeof(c->outcome) + 620], why[400] = "";

	if (c->explain)
		c->explain(c, &err, why, sizeof(why));
	if (c->read_back)
		code = c->read_back(c, code);
	if (!c->outcome[0]) {
		audit_after(c, "%s", msg);
		return cli_explained_fail(c->cmd, c->dev, &err, code, why,
					  NULL);
	}
	snprintf(line, sizeof(line), "%s; %s", msg, c->outcome);
	audit_after(c, "%s", line);
	return cli_explained_fail(c->cmd, c->dev, &err, code, why,
				  c->outcome);
}

/* Aborted after Ctrl-C: the device took the abort; the read-back says what is left. */
static int aborted(struct change *c, const struct cxlsw_command *cmd)
{
	char line[sizeof(c->outcome) + 16];
	int code = EXIT_PENDING;

	if (c->read_back)
		code = c->read_back(c, code);
	snprintf(line, sizeof(line), "aborted%s%s", c->outcome[0] ? "; " : "",
		 c->outcome);
	audit_after(c, "%s", line);
	code = cli_fail(c->cmd, code, "%s: %s was aborted on the device",
			cxlsw_dev_name(c->dev), cmd->name);
	if (c->outcome[0])
		fprintf(stderr, "cxl-switch %s: %s\n", c->cmd, c->outcome);
	return code;
}

static int sent(struct change *c, const struct cxlsw_command *cmd, int rc,
		struct json_object **result)
{
	char msg[600], err[512];

	if (rc == CXLSW_BG_RUNNING) {
		audit_after(c, "started");
		*result = result_json(c, cmd, "started");
		return EXIT_OK;
	}
	if (!rc && c->vendor && c->retcode != CXLSW_RC_SUCCESS) {
		/* the device's own word on a command it may define */
		snprintf(msg, sizeof(msg), "failed: return code 0x%02x (%s)",
			 c->retcode, cxlsw_retcode_name(c->retcode) ?: "unknown");
		audit_after(c, "%s", msg);
		*result = result_json(c, cmd, "failed");
		return EXIT_OK;
	}
	if (!rc) {
		audit_after(c, "success");
		*result = result_json(c, cmd, "done");
		return EXIT_OK;
	}
	cxlsw_error_string(cxlsw_dev_error(c->dev), err, sizeof(err));
	if (change_signal())	/* the log says which signal stopped it */
		snprintf(msg, sizeof(msg), "interrupted by SIG%s: %s",
			 sigabbrev_np(change_signal()) ?: "?", err);
	else
		snprintf(msg, sizeof(msg), "failed: %s", err);
	if (c->reported) {
		audit_after(c, "%s", msg);
		return c->reported;
	}
	if (rc == -EINTR && isatty(STDIN_FILENO) &&
	    !abort_allowed(c, err, sizeof(err))) {
		audit_after(c, "interrupted; not aborted: %s", err);
		return cli_fail(c->cmd, EXIT_PENDING,
				"%s: %s was interrupted and goes on in the device: aborting it is refused: %s",
				cxlsw_dev_name(c->dev), cmd->name, err);
	}
	if (rc == -EINTR && abort_wanted()) {
		rc = cxlsw_bg_abort(c->dev);
		if (rc) {
			audit_after(c, "interrupted, abort failed");
			return cli_dev_fail(c->cmd, c->dev);
		}
		return aborted(c, cmd);
	}
	return failed(c, msg);
}

/*
 * A vendor command has no catalog entry: nothing is known of its effects,
 * so it is treated as the most dangerous class.
 */
const struct cxlsw_command vendor_command = {
	.opcode = CXLSW_VENDOR_OPCODE_MIN,
	.name = "vendor command",
	.effect = CXLSW_EFFECT_FW_SECURITY,
	.affects = "unknown: a vendor command's effects are not defined openly",
};

int change_apply(struct change *c, const struct change_opts *o, void *out,
		 size_t *out_len, struct json_object **result)
{
	const struct cxlsw_command *cmd = c->vendor ? &vendor_command :
					  cxlsw_catalog_find(c->opcode);
	enum cxlsw_effect effect;
	char why[512];

	*result = NULL;
	if (!cmd) {
		audit_after(c, "refused: not in the command catalog");
		return cli_fail(c->cmd, EXIT_REFUSED,
				"opcode 0x%04x is not in the command catalog: refused",
				c->opcode);
	}
	/* the arguments are logged whole or the change is not made */
	if (strnlen(c->args, sizeof(c->args)) >= sizeof(c->args) - 1) {
		audit_after(c, "refused: arguments too long for the audit log");
		return cli_fail(c->cmd, EXIT_REFUSED,
				"refused: the arguments do not fit in the audit log line: nothing was sent");
	}
	effect = cxlsw_request_effect(cmd, c->req, c->req_len);
	if (!policy_allows(effect, cxlsw_dev_name(target_switch(c->dev)),
			   c->port, why,
			   sizeof(why))) {
		if (!o->dry_run)
			audit_after(c, "refused: %s", why);
		return cli_fail(c->cmd, EXIT_REFUSED, "refused: %s", why);
	}
	if (o->dry_run) {
		*result = result_json(c, cmd, "dry_run");
		return EXIT_OK;
	}
	if (effect != CXLSW_EFFECT_READ_ONLY && !o->force) {
		if (!isatty(STDIN_FILENO)) {
			audit_after(c, "refused: no --force");
			return cli_fail(c->cmd, EXIT_REFUSED,
					"refusing to send %s (a %s change) without --force: stdin is not a terminal",
					cmd->name, cxlsw_effect_name(effect));
		}
		if (!confirmed(c, cmd->name) && !change_signal()) {
			audit_after(c, "refused: not confirmed");
			return cli_fail(c->cmd, EXIT_REFUSED,
					"not confirmed: nothing was sent");
		}
	}
	/* a signal at the prompt, or while the state was read */
	if (change_signal()) {
		audit_after(c, "%s", "interrupted before sending: nothing was sent");
		return change_stopped_before_sending(c->cmd);
	}
	/* the intent is logged before anything is sent, or nothing is */
	if (audit(c, "sending", why, sizeof(why)))
		return cli_fail(c->cmd, EXIT_REFUSED,
				"refused: the audit log cannot be written (%s): nothing was sent",
				why);
	return sent(c, cmd, send_change(c, o, cmd, out, out_len), result);
}

/*
 * Not abort: it stops the operation of a change that may hold the lock
 * while it waits.  Not config-read or mem-read: they change nothing, and a
 * listing does not wait for a change either.
 */
static bool takes_lock(const char *cmd)
{
	return strcmp(cmd, "abort") && strcmp(cmd, "config-read") &&
	       strcmp(cmd, "mem-read");
}

int change_run(const char *cmd, const char *name, const void *args,
	       change_check_fn check, enum state_need need,
	       const struct change_opts *o)
{
	struct change c = { .cmd = cmd, .port = -1 };
	struct json_object *result;
	struct switch_state st = { .nports = 0 };
	int code;

	c.dev = cli_open_target(cmd, name, &code);
	if (!c.dev) {
		if (!o->dry_run)
			audit_refusal(cmd, name, 0, "", "refused: %s",
				      cli_last_error());
		return code;
	}
	code = takes_lock(cmd) ? change_lock(cmd, c.dev, o) : 0;
	if (code) {
		cxlsw_dev_close(c.dev);
		return code;
	}
	if (global_target.port >= 0)
		c.port = global_target.port;
	if (need != STATE_NONE && state_read(target_switch(c.dev), &st, need))
		code = cli_dev_fail(cmd, target_switch(c.dev));
	else
		code = check(&st, args, &c);
	state_free(&st);
	if (code == EXIT_REFUSED)
		audit_after(&c, "refused: %s", cli_last_error());
	if (!code) {
		c.out_len = sizeof(c.out);
		code = change_apply(&c, o, c.out, &c.out_len, &result);
		if (o->dry_run)
			c.out_len = 0;	/* nothing was sent: no answer */
	}
	if (!code && result) {
		if (c.answer)
			c.answer(&c, result);
		code = emit(result, c.human && !o->dry_run &&
				    !global_output.verbose ? c.human :
				    change_human);
	}
	cxlsw_dev_close(c.dev);
	return code;
}
