// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: what the command line and the policy file are parsed
 * with: numbers, id lists ("1,3,5-8"), enumeration words and policy rules.
 * The first byte picks the parser; the rest is the text.
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
