// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * raw: the one way to send an opcode outside the catalog, and only a
 * vendor one (0xC000-0xFFFF).  Its effects are unknown, so it needs
 * --unsafe, is treated as the most dangerous effect class by the policy,
 * and is refused under kernel lockdown, where the kernel refuses raw
 * commands itself (or taints when it allows them).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

enum { OPT_UNSAFE = 0x100 };

struct raw_args {
	const char *name;
	long opcode;
	const char *data;
	bool unsafe;
	struct change_opts change;
};

static const struct argp_option raw_options[] = {
	{ "data", 'd', "HEX", 0, "The request payload as hex bytes (e.g. 01ff20)", 0 },
	{ "unsafe", OPT_UNSAFE, NULL, 0, "Required: send a command whose effects are not openly defined", 0 },
	{ 0 },
};

static error_t raw_parse(int key, char *arg, struct argp_state *state)
{
	struct raw_args *a = state->input;
	unsigned long v;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case 'd':
		a->data = arg;
		return 0;
	case OPT_UNSAFE:
		a->unsafe = true;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->name)
			return switch_arg(state, key, arg, &a->name);
		if (a->opcode >= 0)
			usage_error(state, "too many arguments: expected SWITCH OPCODE");
		if (parse_uint(arg, 0xffff, &v))
			usage_error(state, "invalid opcode '%s': expected 0xC000-0xFFFF", arg);
		a->opcode = (long)v;
		return 0;
	case ARGP_KEY_END:
		if (a->name && a->opcode < 0)
			usage_error(state, "missing OPCODE: a vendor opcode 0xC000-0xFFFF");
		return switch_arg(state, key, arg, &a->name);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp raw_argp = {
	.options = raw_options,
	.parser = raw_parse,
	.args_doc = "SWITCH OPCODE --unsafe [--data HEX]",
	.doc = "Send a vendor command (opcodes 0xC000-0xFFFF only) and print "
	       "its answer.  Its effects are not openly defined: it needs "
	       "--unsafe, the policy treats it as firmware-security, and it "
	       "is refused under kernel lockdown.",
	.children = change_children,
};

static void add_answer(struct json_object *result, const struct change *c)
{
	char hex[2 * sizeof(c->out) + 1] = "";
	const char *name = cxlsw_retcode_name(c->retcode);

	for (size_t i = 0; i < c->out_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", c->out[i]);
	json_add(result, "return_code", name ? json_word(name) :
					json_int(c->retcode));
	json_add(result, "answer", json_object_new_string(hex));
}

/* Refused before the switch is opened: said, and logged as any refusal. */
static int raw_refused(const struct raw_args *a, const char *args,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int raw_refused(const struct raw_args *a, const char *args,
		       const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!a->change.dry_run)
		audit_refusal("raw", a->name, (uint16_t)a->opcode, args,
			      "refused: %s", msg);
	return cli_fail("raw", EXIT_REFUSED, "%s", msg);
}

int cmd_raw(int argc, char **argv)
{
	struct raw_args a = { .opcode = -1 };
	struct change c = { .cmd = "raw", .port = -1, .vendor = true };
	struct json_object *result;
	char lockdown[32] = "unreadable";
	int code;

	cli_parse(&raw_argp, "raw", argc, argv, &a);
	snprintf(c.args, sizeof(c.args), "opcode=0x%04lx data=%s", a.opcode,
		 a.data ? a.data : "");
	if (a.opcode < CXLSW_VENDOR_OPCODE_MIN)
		return raw_refused(&a, c.args,
				   "opcode 0x%04lx is not a vendor opcode: raw sends only 0xc000-0xffff; use the command that names it",
				   a.opcode);
	if (!a.unsafe)
		return raw_refused(&a, c.args,
				   "a vendor command's effects are not openly defined: give --unsafe to send it");
	if (a.data && parse_hex(a.data, c.req, sizeof(c.req), &c.req_len))
		return cli_fail("raw", EXIT_USAGE,
				"invalid --data '%s': expected pairs of hex digits, at most %zu bytes",
				a.data, sizeof(c.req));
	/* a dry run sends nothing: lockdown and the kernel do not matter */
	if (!a.change.dry_run) {
		int rc = cxlsw_kernel_lockdown(lockdown, sizeof(lockdown));

		if (rc == -ENOENT)
			return raw_refused(&a, c.args,
					   "kernel lockdown is unknown: the kernel has securityfs but /sys/kernel/security/lockdown cannot be read: raw commands are refused");
		if (rc || strcmp(lockdown, "none"))
			return raw_refused(&a, c.args,
					   "kernel lockdown is %s: raw commands are refused",
					   lockdown);
	}
	if (!a.change.dry_run)
		fprintf(stderr, "cxl-switch raw: warning: vendor command 0x%04lx bypasses the command catalog; the kernel may taint itself\n",
		a.opcode);
	c.dev = cli_open("raw", a.name, &code);
	if (!c.dev)
		return code;
	code = change_lock("raw", c.dev, &a.change);
	if (code) {
		cxlsw_dev_close(c.dev);
		return code;
	}
	c.opcode = (uint16_t)a.opcode;
	snprintf(c.what, sizeof(c.what), "sends vendor command 0x%04lx with %zu byte(s) of data: its effects are not openly defined",
		 a.opcode, c.req_len);
	snprintf(c.whom, sizeof(c.whom), "unknown");
	c.out_len = sizeof(c.out);
	code = change_apply(&c, &a.change, c.out, &c.out_len, &result);
	if (!code && result) {
		if (!a.change.dry_run)
			add_answer(result, &c);
		code = emit(result, change_human);
		if (!code && c.retcode != CXLSW_RC_SUCCESS)
			code = EXIT_DEVICE;
	}
	cxlsw_dev_close(c.dev);
	return code;
}
