// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: what the command line and the policy file are parsed
 * with: numbers, id lists ("1,3,5-8"), enumeration words, policy rules and
 * the words of a command line (opterr.c, naming a bad option).
 * The first byte picks the parser; the rest is the text (0xfe, 0xff: the
 * words, one a line).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cxl-switch/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the file's bytes as read, NULs and all */
static void policy(const uint8_t *text, size_t size)
{
	char why[512];

	(void)policy_parse_text("fuzz", (const char *)text, size);
	for (int e = 0; e < CXLSW_EFFECT_COUNT; e++)
		(void)policy_allows(e, "switch0", e == 2 ? 7 : -1, why,
				    sizeof(why));
	policy_release();
}

/*
 * Options like a command's: a value taken from the next word, prefixes
 * that collide (--port, --pool, --pretty of output_argp), an alias, an
 * optional value, a documentation entry.
 */
static const struct argp_option fuzz_options[] = {
	{ "port", 'p', "ID", 0, "", 0 },
	{ "pool", 0x100, NULL, 0, "", 0 },
	{ "pool-of", 0, NULL, OPTION_ALIAS, NULL, 0 },
	{ "force", 'f', NULL, 0, "", 0 },
	{ "level", 'l', "N", OPTION_ARG_OPTIONAL, "", 0 },
	{ "v", 'v', "LIST", 0, "", 0 },
	{ "-- doc", 0, NULL, OPTION_DOC, "", 0 },
	{ 0 },
};

static const struct argp_child fuzz_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

/* Takes every option and argument; ARGP_KEY_ERROR: getopt found one bad. */
static error_t fuzz_parse(int key, char *arg, struct argp_state *state)
{
	bool *bad = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_ERROR:
		*bad = true;
		return 0;
	case ARGP_KEY_ARG:
		/* in order: the first argument ends the options (main.c) */
		if (state->flags & ARGP_IN_ORDER)
			state->next = state->argc;
		return 0;
	case ARGP_KEY_INIT:
	case ARGP_KEY_END:
	case ARGP_KEY_NO_ARGS:
	case ARGP_KEY_SUCCESS:
	case ARGP_KEY_FINI:
		return 0;
	default:
		return key < 0 ? ARGP_ERR_UNKNOWN : 0;
	}
}

static const struct argp fuzz_argp = {
	.options = fuzz_options,
	.parser = fuzz_parse,
	.children = fuzz_children,
};

/* newline-separated words after argv[0]; the flag byte picks the order */
static void options(const uint8_t *data, size_t size, bool in_order)
{
	char *words = malloc(size + 1), *argv[64], *copy[64], msg[64];
	unsigned int flags = ARGP_NO_ERRS | ARGP_NO_HELP | ARGP_NO_EXIT |
			     (in_order ? ARGP_IN_ORDER : 0);
	bool bad = false;
	int argc = 0;

	if (!words)
		return;
	memcpy(words, data, size);
	words[size] = '\0';
	argv[argc++] = "fuzz";
	for (char *w = strtok(words, "\n"); w && argc < 63; w = strtok(NULL, "\n"))
		argv[argc++] = w;
	argv[argc] = NULL;
	memcpy(copy, argv, sizeof(argv));
	cli_option_problem(&fuzz_argp, argc, argv, flags, msg, sizeof(msg));
	if (strnlen(msg, sizeof(msg)) == sizeof(msg))
		abort();	/* always terminated, however long */
	/* the oracle: glibc's getopt through argp (which permutes argv) */
	argp_parse(&fuzz_argp, argc, copy, flags, NULL, &bad);
	if (bad != !!msg[0])
		abort();	/* a bad option missed, or a good one named */
	free(words);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t set[CXLSW_BITMAP_BYTES] = { 0 }, v8;
	char *text, err[160];
	unsigned long v;

	if (size < 1)
		return 0;
	text = strndup((const char *)data + 1, size - 1);
	if (!text)
		return 0;
	/* 0xfe, 0xff: after the others, whose corpus keeps its meaning */
	if (data[0] >= 0xfe) {
		options(data + 1, size - 1, data[0] == 0xff);
		free(text);
		return 0;
	}
	switch (data[0] % 4) {
	case 0:
		(void)parse_uint(text, 0xffffffffUL, &v);
		break;
	case 1:
		(void)parse_id_list(text, 255, set, err, sizeof(err));
		break;
	case 2:
		(void)parse_enum_word(text, cxlsw_device_type_name, &v8);
		break;
	default:
		policy(data + 1, size - 1);
		break;
	}
	free(text);
	return 0;
}
