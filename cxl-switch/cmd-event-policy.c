// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * event-policy: how a component tells its manager about new event records.
 *
 * A switch: Get / Set MCTP Event Interrupt Policy (0x0104, 0x0105), a u16
 * of the logs whose records make it send Event Notification (0x0106) to
 * its FM.  Get / Set Event Interrupt Policy (0x0102, 0x0103) are
 * prohibited on a switch CCI (r3.1 Table 8-37): they are a Type 3
 * device's, one settings byte per log (none, MSI/MSI-X or a firmware
 * interrupt), and are sent to the device behind --port through a tunnel.
 * Setting either goes through the safety policy.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct policy_args {
	const char *name;
	const char *set;
	struct change_opts change;
};

enum { OPT_SET = 0x580 };

/* the MCTP policy's modes: a log's bit clear or set */
static const char *const notify_modes[] = { "none", "notify" };

static const char *notify_mode_name(uint8_t v)
{
	return v < ARRAY_SIZE(notify_modes) ? notify_modes[v] : NULL;
}

static const struct argp_option policy_options[] = {
	{ "set", OPT_SET, "LOG=MODE,...", 0,
	  "Set these logs: on a switch MODE notify or none; on a device (--port) none, msi or fw[:N] (N the message number 0-15)", 0 },
	{ 0 },
};

static error_t policy_parse(int key, char *arg, struct argp_state *state)
{
	struct policy_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case OPT_SET:
		a->set = arg;
		return 0;
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp policy_argp = {
	.options = policy_options,
	.parser = policy_parse,
	.args_doc = "SWITCH [--set LOG=MODE,...]",
	.doc = "Show which logs make the switch send an Event Notification "
	       "(Get MCTP Event Interrupt Policy, 0x0104), or set them (Set "
	       "MCTP Event Interrupt Policy, 0x0105); with --port, the "
	       "interrupt each log of that device raises (Get / Set Event "
	       "Interrupt Policy, 0x0102 / 0x0103).",
	.children = target_change_nobg_children,
};

/* ---- showing ------------------------------------------------------------ */

static struct json_object *irq_policy_json(const uint8_t *policy, size_t n)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_new_object();

		json_add(e, "log", json_word(cxlsw_event_log_name((uint8_t)i)));
		json_add(e, "mode", json_enum(CXLSW_IRQ_MODE(policy[i]),
					      cxlsw_irq_mode_name));
		json_add(e, "message_number",
			 json_int(CXLSW_IRQ_MSGNUM(policy[i])));
		json_add(e, "settings", json_hex(policy[i], 2));
		json_object_array_add(a, e);
	}
	return a;
}

static struct json_object *mctp_policy_json(uint16_t settings)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int i = 0; i < CXLSW_EVENT_LOGS; i++) {
		struct json_object *e = json_object_new_object();

		json_add(e, "log", json_word(cxlsw_event_log_name((uint8_t)i)));
		json_add(e, "mode", json_word(notify_mode_name(settings >> i & 1)));
		json_object_array_add(a, e);
	}
	return a;
}

static const struct column irq_cols[] = {
	{ "LOG", "log", NULL },
	{ "MODE", "mode", NULL },
	{ "MESSAGE", "message_number", NULL },
	{ "SETTINGS", "settings", NULL },
};

static const struct column mctp_cols[] = {
	{ "LOG", "log", NULL },
	{ "MODE", "mode", NULL },
};

static void policy_human(struct json_object *o)
{
	struct json_object *p = NULL, *sw = NULL, *t = NULL, *s = NULL;

	json_object_object_get_ex(o, "switch", &sw);
	json_object_object_get_ex(o, "target", &t);
	json_object_object_get_ex(o, "policy", &p);
	if (json_object_object_get_ex(o, "mctp_settings", &s)) {
		printf("%s MCTP event interrupt policy (settings %s):\n",
		       json_object_get_string(sw), json_object_get_string(s));
		print_table(p, mctp_cols, ARRAY_SIZE(mctp_cols), "  ");
		return;
	}
	printf("%s %s event interrupt policy:\n", json_object_get_string(sw),
	       json_object_get_string(t));
	print_table(p, irq_cols, ARRAY_SIZE(irq_cols), "  ");
}

static int show_policy(struct cxlsw_dev *dev)
{
	uint8_t policy[CXLSW_POLICY_LEN];
	struct json_object *o;
	uint16_t settings;
	size_t n;

	if (target_is_device() ? cxlsw_get_event_policy(dev, policy, &n) :
	    cxlsw_get_mctp_event_policy(dev, &settings))
		return cli_dev_fail("event-policy", dev);
	o = json_object_new_object();
	json_add_target(o, dev);
	if (target_is_device()) {
		json_add(o, "policy", irq_policy_json(policy, n));
	} else {
		json_add(o, "mctp_settings", json_hex(settings, 4));
		json_add(o, "policy", mctp_policy_json(settings));
	}
	return emit(o, policy_human);
}

/* ---- --set -------------------------------------------------------------- */

/* one "LOG=MODE" item: the log, and what follows '=' */
static int split_item(char *item, uint8_t *log, char **mode, char *why,
		      size_t len)
{
	*mode = strchr(item, '=');
	if (*mode)
		*(*mode)++ = '\0';
	if (!*mode || parse_enum_word(item, cxlsw_event_log_name, log)) {
		snprintf(why, len, "invalid --set item '%s': expected LOG=MODE with LOG info, warning, failure, fatal or dcd",
			 item);
		return -1;
	}
	return 0;
}

/* "info=msi,fatal=fw:3" onto a device's settings bytes */
static int apply_irq(const char *spec, uint8_t *policy, size_t n,
		     const char *dev, char *why, size_t len)
{
	char *copy = strdup(spec), *rest = copy, *item;
	int rc = 0;

	if (!copy)
		return -1;
	while (!rc && (item = strsep(&rest, ","))) {
		char given[64], *mode, *num;
		unsigned long msg = 0;
		uint8_t log, m;

		snprintf(given, sizeof(given), "%s", item);
		if (split_item(item, &log, &mode, why, len)) {
			rc = -1;
			break;
		}
		num = strchr(mode, ':');
		if (num)
			*num++ = '\0';
		if (parse_enum_word(mode, cxlsw_irq_mode_name, &m) ||
		    (num && (m != CXLSW_IRQ_FW || parse_uint(num, 15, &msg)))) {
			snprintf(why, len, "invalid --set item '%s': MODE is none, msi, fw or fw:N with N 0-15",
				 given);
			rc = -1;
		} else if (log >= n) {
			snprintf(why, len, "%s has no setting for the %s log",
				 dev, item);
			rc = -1;
		} else {
			policy[log] = (uint8_t)(m | msg << 4);
		}
	}
	free(copy);
	return rc;
}

/* "info=notify,fatal=none" onto a switch's bitmask; other bits kept */
static int apply_mctp(const char *spec, uint16_t *settings, char *why,
		      size_t len)
{
	char *copy = strdup(spec), *rest = copy, *item;
	int rc = 0;

	if (!copy)
		return -1;
	while (!rc && (item = strsep(&rest, ","))) {
		char given[64], *mode;
		uint8_t log, m;

		snprintf(given, sizeof(given), "%s", item);
		if (split_item(item, &log, &mode, why, len)) {
			rc = -1;
		} else if (parse_enum_word(mode, notify_mode_name, &m)) {
			snprintf(why, len, "invalid --set item '%s': a switch's MODE is notify or none (MCTP Event Interrupt Policy); none, msi and fw[:N] are a device's, with --port",
				 given);
			rc = -1;
		} else {
			*settings = (uint16_t)((*settings & ~(1u << log)) |
					       (unsigned int)m << log);
		}
	}
	free(copy);
	return rc;
}

/* "info=msi warning=none ... fatal=fw:3": the settings sent, in words */
static void irq_answer(const struct change *c, struct json_object *r)
{
	char text[128];
	size_t used = 0;

	for (size_t i = 0; i < c->req_len && used < sizeof(text); i++) {
		uint8_t mode = CXLSW_IRQ_MODE(c->req[i]);

		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "%s%s=%s", i ? " " : "",
					 cxlsw_event_log_name((uint8_t)i),
					 cxlsw_irq_mode_name(mode) ?: "?");
		if (mode == CXLSW_IRQ_FW && used < sizeof(text))
			used += (size_t)snprintf(text + used,
						 sizeof(text) - used, ":%u",
						 CXLSW_IRQ_MSGNUM(c->req[i]));
	}
	json_add(r, "policy", json_object_new_string(text));
}

/* "info=notify warning=none ...": the switch's settings sent, in words */
static void mctp_answer(const struct change *c, struct json_object *r)
{
	uint16_t settings = (uint16_t)(c->req[0] | c->req[1] << 8);
	char text[128];
	size_t used = 0;

	for (unsigned int i = 0; i < CXLSW_EVENT_LOGS && used < sizeof(text); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "%s%s=%s", i ? " " : "",
					 cxlsw_event_log_name((uint8_t)i),
					 notify_mode_name(settings >> i & 1));
	json_add(r, "policy", json_object_new_string(text));
}

static int check_irq(struct change *c, const char *spec)
{
	uint8_t old[CXLSW_POLICY_LEN], now[CXLSW_POLICY_LEN];
	size_t n, used = 0;
	char why[256];

	if (cxlsw_get_event_policy(c->dev, old, &n))
		return cli_dev_fail(c->cmd, c->dev);
	memcpy(now, old, sizeof(now));
	if (apply_irq(spec, now, n, cxlsw_dev_name(c->dev), why, sizeof(why)))
		return cli_fail(c->cmd, EXIT_USAGE, "%s", why);
	for (size_t i = 0; i < n && used < sizeof(c->what); i++) {
		if (old[i] == now[i])
			continue;
		used += (size_t)snprintf(c->what + used, sizeof(c->what) - used,
			"%s%s log %s -> %s", used ? ", " : "sets the interrupt of the ",
			cxlsw_event_log_name((uint8_t)i),
			cxlsw_irq_mode_name(CXLSW_IRQ_MODE(old[i])) ?: "?",
			cxlsw_irq_mode_name(CXLSW_IRQ_MODE(now[i])) ?: "?");
		if (CXLSW_IRQ_MODE(now[i]) == CXLSW_IRQ_FW &&
		    used < sizeof(c->what))
			used += (size_t)snprintf(c->what + used,
						 sizeof(c->what) - used,
						 " (message %u)",
						 CXLSW_IRQ_MSGNUM(now[i]));
	}
	if (!used)
		snprintf(c->what, sizeof(c->what),
			 "sets the interrupt policy to what it is already");
	c->opcode = CXLSW_OP_SET_EVENT_POLICY;
	c->req_len = n;
	memcpy(c->req, now, n);
	c->answer = irq_answer;
	return 0;
}

static int check_mctp(struct change *c, const char *spec)
{
	uint16_t old, now;
	size_t used = 0;
	char why[256];

	if (cxlsw_get_mctp_event_policy(c->dev, &old))
		return cli_dev_fail(c->cmd, c->dev);
	now = old;
	if (apply_mctp(spec, &now, why, sizeof(why)))
		return cli_fail(c->cmd, EXIT_USAGE, "%s", why);
	for (unsigned int i = 0; i < CXLSW_EVENT_LOGS; i++) {
		if ((old ^ now) >> i & 1)
			used += (size_t)snprintf(c->what + used,
				sizeof(c->what) - used, "%s%s log %s -> %s",
				used ? ", " : "sets the Event Notification of the ",
				cxlsw_event_log_name((uint8_t)i),
				notify_mode_name(old >> i & 1),
				notify_mode_name(now >> i & 1));
		if (used >= sizeof(c->what))
			break;
	}
	if (!used)
		snprintf(c->what, sizeof(c->what),
			 "sets the MCTP event interrupt policy to what it is already");
	c->opcode = CXLSW_OP_SET_MCTP_EVENT_POLICY;
	c->req_len = CXLSW_MCTP_POLICY_LEN;
	c->answer = mctp_answer;
	return cxlsw_mctp_event_policy_encode(now, c->req, sizeof(c->req)) ?
	       EXIT_USAGE : 0;
}

static int check_policy(const struct switch_state *st, const void *args,
			struct change *c)
{
	const struct policy_args *a = args;
	int code;

	(void)st;
	code = target_is_device() ? check_irq(c, a->set) :
				    check_mctp(c, a->set);
	if (code)
		return code;
	snprintf(c->whom, sizeof(c->whom), "%s",
		 cxlsw_catalog_find(c->opcode)->affects);
	snprintf(c->args, sizeof(c->args), "set=%s", a->set);
	return 0;
}

int cmd_event_policy(int argc, char **argv)
{
	struct policy_args a = { NULL };
	struct cxlsw_dev *dev;
	int code;

	cli_parse(&policy_argp, "event-policy", argc, argv, &a);
	if (a.set)
		return change_run("event-policy", a.name, &a, check_policy,
				  STATE_NONE, &a.change);
	dev = cli_open_target("event-policy", a.name, &code);
	if (!dev)
		return code;
	code = show_policy(dev);
	cxlsw_dev_close(dev);
	return code;
}
