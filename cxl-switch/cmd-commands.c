// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * commands: the catalog, the list of openly defined commands this tool
 * can send with their effects (what a kernel allowlist needs), and with a
 * SWITCH, side by side with what the device's Command Effects Log says.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct commands_args {
	const char *name;
};

static error_t commands_parse(int key, char *arg, struct argp_state *state)
{
	struct commands_args *a = state->input;

	switch (key) {
	case ARGP_KEY_ARG:
		return switch_arg(state, key, arg, &a->name);
	default:
		return ARGP_ERR_UNKNOWN;	/* SWITCH is optional */
	}
}

static const struct argp commands_argp = {
	.parser = commands_parse,
	.args_doc = "[SWITCH]",
	.doc = "Print the command catalog: every command the tool can send, "
	       "its effect class, whom it can affect and whether this "
	       "machine's policy allows it.  With a SWITCH, compare it with "
	       "the switch's Command Effects Log (0x0400, 0x0401).",
	.children = target_children,
};

/* Allowed for every port, for none, or for some (a ports= rule). */
static const char *policy_word(const struct cxlsw_command *cmd, const char *sw)
{
	char why[512];
	unsigned int yes = 0;

	if (cmd->effect == CXLSW_EFFECT_READ_ONLY && !cmd->effect_of)
		return "allowed";
	/* the policy judges the command a tunnel carries, not the tunnel */
	if (cmd->opcode == CXLSW_OP_TUNNEL)
		return "as_carried";
	for (int port = -1; port < CXLSW_MAX_PORTS; port++)
		yes += policy_allows(cmd->effect, sw, port, why, sizeof(why));
	if (yes == CXLSW_MAX_PORTS + 1)
		return "allowed";
	return yes ? "some_ports" : "refused";
}

static struct json_object *effects_json(uint16_t effects)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int b = 0; b < 16; b++)
		if (effects & (1u << b) && cxlsw_cel_effect_name(b))
			json_object_array_add(a,
				json_word(cxlsw_cel_effect_name(b)));
	return a;
}

static struct json_object *row(uint16_t opcode, const struct cxlsw_command *cmd,
			       const char *sw)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "opcode", json_hex(opcode, 4));
	json_add(o, "name", cmd ? json_word(cmd->name) : NULL);
	json_add(o, "effect_class",
		 cmd ? json_word(cxlsw_effect_name(cmd->effect)) : NULL);
	json_add(o, "background", cmd ? json_boolean(cmd->background) : NULL);
	json_add(o, "affects", cmd ? json_word(cmd->affects) : NULL);
	json_add(o, "policy", cmd ? json_word(policy_word(cmd, sw)) : NULL);
	return o;
}

/*
 * The vendor range: what raw may send, behind --unsafe, its effects not
 * defined openly, so classed as the most dangerous (guard.c).
 */
static struct json_object *vendor_row(const char *sw, bool with_cel)
{
	struct json_object *o = row(vendor_command.opcode, &vendor_command, sw);

	/* a range: its first and last opcode, numbers as every opcode
	 * (cxl-switch(1), JSON OUTPUT); the table shows 0xc000-0xffff */
	json_object_object_add(o, "opcode", json_range(0xc000, 0xffff));
	json_object_object_add(o, "opcode_last", json_hex(0xffff, 4));
	json_object_object_add(o, "name", json_object_new_string(
		"Vendor Specific (raw --unsafe only)"));
	if (with_cel) {
		json_add(o, "known_to", json_word("tool"));
		json_add(o, "device_effects", NULL);
	}
	return o;
}

static struct json_object *catalog_json(const char *sw)
{
	struct json_object *a = json_object_new_array();
	size_t n;
	const struct cxlsw_command *cat = cxlsw_catalog(&n);

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, row(cat[i].opcode, &cat[i], sw));
	json_object_array_add(a, vendor_row(sw, false));
	return a;
}

static int by_opcode(const void *x, const void *y)
{
	const struct cxlsw_cel_entry *a = x, *b = y;

	return (a->opcode > b->opcode) - (a->opcode < b->opcode);
}

/* Merge the catalog and the device's CEL, both in opcode order. */
static struct json_object *compare_json(const char *sw,
					struct cxlsw_cel_entry *cel, size_t n)
{
	struct json_object *a = json_object_new_array(), *o;
	size_t ncat, i = 0, j = 0;
	const struct cxlsw_command *cat = cxlsw_catalog(&ncat);

	qsort(cel, n, sizeof(*cel), by_opcode);
	while (i < ncat || j < n) {
		bool in_cat = i < ncat &&
			      (j == n || cat[i].opcode <= cel[j].opcode);
		bool in_cel = j < n &&
			      (i == ncat || cel[j].opcode <= cat[i].opcode);

		o = row(in_cat ? cat[i].opcode : cel[j].opcode,
			in_cat ? &cat[i] : NULL, sw);
		json_add(o, "known_to", json_word(in_cat && in_cel ? "both" :
					in_cat ? "tool" : "device"));
		json_add(o, "device_effects",
			 in_cel ? effects_json(cel[j].effects) : NULL);
		json_object_array_add(a, o);
		i += in_cat;
		j += in_cel;
	}
	json_object_array_add(a, vendor_row(sw, true));
	return a;
}

static void commands_human(struct json_object *a)
{
	static const struct column cols[] = {
		{ "OPCODE", "opcode", NULL },
		{ "NAME", "name", NULL },
		{ "EFFECT", "effect_class", NULL },
		{ "BG", "background", NULL },
		{ "POLICY", "policy", NULL },
		{ "KNOWN_TO", "known_to", NULL },
		{ "DEVICE_EFFECTS", "device_effects", NULL },
		{ "AFFECTS", "affects", NULL },
	};
	static const struct column catalog_cols[] = {
		{ "OPCODE", "opcode", NULL },
		{ "NAME", "name", NULL },
		{ "EFFECT", "effect_class", NULL },
		{ "BG", "background", NULL },
		{ "POLICY", "policy", NULL },
		{ "AFFECTS", "affects", NULL },
	};
	struct json_object *first = json_object_array_get_idx(a, 0);

	/* who it affects last: free text, the widest column */
	if (first && json_object_object_get_ex(first, "known_to", NULL))
		print_table(a, cols, ARRAY_SIZE(cols), "");
	else
		print_table(a, catalog_cols, ARRAY_SIZE(catalog_cols), "");
	printf("\npolicy: %s\n", policy_state());
}

int cmd_commands(int argc, char **argv)
{
	struct commands_args a = { NULL };
	struct cxlsw_cel_entry *cel;
	struct cxlsw_dev *dev;
	size_t n;
	int code;

	cli_parse(&commands_argp, "commands", argc, argv, &a);
	if (!a.name)
		return emit(catalog_json(""), commands_human);
	dev = cli_open_target("commands", a.name, &code);
	if (!dev)
		return code;
	if (cxlsw_read_cel(dev, &cel, &n)) {
		code = cli_dev_fail("commands", dev);
	} else {
		code = emit(compare_json(cxlsw_dev_name(target_switch(dev)), cel, n),
			    commands_human);
		free(cel);
	}
	cxlsw_dev_close(dev);
	return code;
}
