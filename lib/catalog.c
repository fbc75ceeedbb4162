// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The command catalog: every command the library will send, with its effect
 * class and payload bounds.  It is the one source for the safety policy, the
 * `commands` listing, completion and the documentation checks; an opcode
 * that is not here is never sent.
 */
#include "private.h"

#define MIB	(1u << 20)

static const struct cxlsw_command catalog[] = {
	{
		.opcode = CXLSW_OP_IDENTIFY,
		.name = "Identify",
		.effect = CXLSW_EFFECT_READ_ONLY,
		.affects = "nobody",
		.out_min = CXLSW_IDENTIFY_LEN, .out_max = CXLSW_IDENTIFY_LEN,
	}, {
		.opcode = CXLSW_OP_BG_OP_STATUS,
		.name = "Background Operation Status",
		.effect = CXLSW_EFFECT_READ_ONLY,
		.affects = "nobody",
		.out_min = CXLSW_BG_STATUS_LEN, .out_max = CXLSW_BG_STATUS_LEN,
	}, {
		.opcode = CXLSW_OP_GET_RESPONSE_LIMIT,
		.name = "Get Response Message Limit",
		.effect = CXLSW_EFFECT_READ_ONLY,
		.affects = "nobody",
		.out_min = 1, .out_max = 1,
	}, {
		.opcode = CXLSW_OP_IDENTIFY_SWITCH,
		.name = "Identify Switch Device",
		.effect = CXLSW_EFFECT_READ_ONLY,
		.affects = "nobody",
		.out_min = CXLSW_SWITCH_INFO_LEN,
		.out_max = CXLSW_SWITCH_INFO_LEN,
	}, {
		.opcode = CXLSW_OP_GET_PORT_STATE,
		.name = "Get Physical Port State",
		.effect = CXLSW_EFFECT_READ_ONLY,
		.affects = "nobody",
		.in_min = 2, .in_max = 1 + 255,
		.out_min = 4 + CXLSW_PORT_BLOCK_LEN,
		.out_max = 4 + 255 * CXLSW_PORT_BLOCK_LEN,
	}, {
		.opcode = CXLSW_OP_GET_VCS_INFO,
		.name = "Get Virtual CXL Switch Info",
		.effect = CXLSW_EFFECT_READ_ONLY,
		.affects = "nobody",
		.in_min = 4, .in_max = 3 + 255,
		.out_min = CXLSW_VCS_HDR_LEN, .out_max = MIB,
	},
};

const struct cxlsw_command *cxlsw_catalog(size_t *count)
{
	*count = ARRAY_SIZE(catalog);
	return catalog;
}

const struct cxlsw_command *cxlsw_catalog_find(uint16_t opcode)
{
	for (size_t i = 0; i < ARRAY_SIZE(catalog); i++)
		if (catalog[i].opcode == opcode)
			return &catalog[i];
	return NULL;
}

const char *cxlsw_effect_name(enum cxlsw_effect effect)
{
	switch (effect) {
	case CXLSW_EFFECT_READ_ONLY:
		return "read-only";
	case CXLSW_EFFECT_SWITCH_CONFIG:
		return "switch-config";
	case CXLSW_EFFECT_HOST_VISIBLE:
		return "host-visible";
	case CXLSW_EFFECT_FW_SECURITY:
		return "firmware-security";
	}
	return NULL;
}
