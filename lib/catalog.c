// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The command catalog: every command the library will send, with its effect
 * class and payload bounds.  It is the one source for the safety policy, the
 * `commands` listing, completion and the documentation checks; an opcode
 * that is not here is never sent.
 */
#include "private.h"

#define MIB	(1u << 20)

#define READ_ONLY	.effect = CXLSW_EFFECT_READ_ONLY, .affects = "nobody"

static const struct cxlsw_command catalog[] = {
	{
		.opcode = CXLSW_OP_IDENTIFY,
		.name = "Identify",
		READ_ONLY,
		.out_min = CXLSW_IDENTIFY_LEN, .out_max = CXLSW_IDENTIFY_LEN,
	}, {
		.opcode = CXLSW_OP_BG_OP_STATUS,
		.name = "Background Operation Status",
		READ_ONLY,
		.out_min = CXLSW_BG_STATUS_LEN, .out_max = CXLSW_BG_STATUS_LEN,
	}, {
		.opcode = CXLSW_OP_GET_RESPONSE_LIMIT,
		.name = "Get Response Message Limit",
		READ_ONLY,
		.out_min = 1, .out_max = 1,
	}, {
		.opcode = CXLSW_OP_SET_RESPONSE_LIMIT,
		.name = "Set Response Message Limit",
		.effect = CXLSW_EFFECT_SWITCH_CONFIG,
		.affects = "every manager of the switch (answers get shorter)",
		.in_min = 1, .in_max = 1, .out_min = 1, .out_max = 1,
	}, {
		.opcode = CXLSW_OP_BG_ABORT,
		.name = "Request Abort Background Operation",
		.effect = CXLSW_EFFECT_SWITCH_CONFIG,
		.affects = "whoever started the running background operation",
	}, {
		.opcode = CXLSW_OP_GET_EVENT_RECORDS,
		.name = "Get Event Records",
		READ_ONLY,
		.in_min = 1, .in_max = 1,
		.out_min = CXLSW_EVENT_HDR_LEN, .out_max = MIB,
	}, {
		.opcode = CXLSW_OP_CLEAR_EVENT_RECORDS,
		.name = "Clear Event Records",
		.effect = CXLSW_EFFECT_SWITCH_CONFIG,
		.affects = "every manager of the switch (the records are gone for all)",
		.in_min = CXLSW_CLEAR_HDR_LEN, .in_max = CXLSW_CLEAR_HDR_LEN + 2 * 255,
	}, {
		.opcode = CXLSW_OP_GET_EVENT_POLICY,
		.name = "Get Event Interrupt Policy",
		READ_ONLY,
		.out_min = CXLSW_POLICY_LEN_MIN, .out_max = CXLSW_POLICY_LEN,
	}, {
		.opcode = CXLSW_OP_SET_EVENT_POLICY,
		.name = "Set Event Interrupt Policy",
		.effect = CXLSW_EFFECT_SWITCH_CONFIG,
		.affects = "whoever takes the switch's event interrupts",
		.in_min = CXLSW_POLICY_LEN_MIN, .in_max = CXLSW_POLICY_LEN,
	}, {
		.opcode = CXLSW_OP_GET_FW_INFO,
		.name = "Get FW Info",
		READ_ONLY,
		.out_min = CXLSW_FW_INFO_LEN, .out_max = CXLSW_FW_INFO_LEN,
	}, {
		.opcode = CXLSW_OP_TRANSFER_FW,
		.name = "Transfer FW",
		.effect = CXLSW_EFFECT_FW_SECURITY,
		.affects = "the switch once the slot is activated, and every host behind it",
		.in_min = CXLSW_FW_XFER_HDR_LEN, .in_max = MIB,
		.background = true,
	}, {
		.opcode = CXLSW_OP_ACTIVATE_FW,
		.name = "Activate FW",
		.effect = CXLSW_EFFECT_FW_SECURITY,
		.affects = "the switch and every host behind it",
		.in_min = CXLSW_FW_ACTIVATE_LEN, .in_max = CXLSW_FW_ACTIVATE_LEN,
		.background = true,
	}, {
		.opcode = CXLSW_OP_GET_TIMESTAMP,
		.name = "Get Timestamp",
		READ_ONLY,
		.out_min = CXLSW_TIMESTAMP_LEN, .out_max = CXLSW_TIMESTAMP_LEN,
	}, {
		.opcode = CXLSW_OP_SET_TIMESTAMP,
		.name = "Set Timestamp",
		.effect = CXLSW_EFFECT_SWITCH_CONFIG,
		.affects = "every manager of the switch (event record times)",
		.in_min = CXLSW_TIMESTAMP_LEN, .in_max = CXLSW_TIMESTAMP_LEN,
	}, {
		.opcode = CXLSW_OP_GET_SUPPORTED_LOGS,
		.name = "Get Supported Logs",
		READ_ONLY,
		.out_min = CXLSW_LOGS_HDR_LEN, .out_max = MIB,
	}, {
		.opcode = CXLSW_OP_GET_LOG,
		.name = "Get Log",
		READ_ONLY,
		.in_min = 24, .in_max = 24, .out_min = 1, .out_max = MIB,
	}, {
		.opcode = CXLSW_OP_IDENTIFY_SWITCH,
		.name = "Identify Switch Device",
		READ_ONLY,
		.out_min = CXLSW_SWITCH_INFO_LEN,
		.out_max = CXLSW_SWITCH_INFO_LEN,
	}, {
		.opcode = CXLSW_OP_GET_PORT_STATE,
		.name = "Get Physical Port State",
		READ_ONLY,
		.in_min = 2, .in_max = 1 + 255,
		.out_min = 4 + CXLSW_PORT_BLOCK_LEN,
		.out_max = 4 + 255 * CXLSW_PORT_BLOCK_LEN,
	}, {
		.opcode = CXLSW_OP_PORT_CONTROL,
		.name = "Physical Port Control",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the device on the port and every host it is bound to",
		.in_min = CXLSW_PORT_CONTROL_LEN,
		.in_max = CXLSW_PORT_CONTROL_LEN,
	}, {
		.opcode = CXLSW_OP_PPB_CONFIG,
		.name = "Send PPB CXL.io Configuration Request",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "a write: the port's bridge and every host bound through it",
		.in_min = CXLSW_CONFIG_REQ_LEN, .in_max = CXLSW_CONFIG_REQ_LEN,
		.out_min = CXLSW_CONFIG_RSP_LEN,
		.out_max = CXLSW_CONFIG_RSP_LEN,
		.effect_of = cxlsw_config_effect,
	}, {
		.opcode = CXLSW_OP_GET_VCS_INFO,
		.name = "Get Virtual CXL Switch Info",
		READ_ONLY,
		.in_min = 4, .in_max = 3 + 255,
		.out_min = CXLSW_VCS_HDR_LEN, .out_max = MIB,
	}, {
		.opcode = CXLSW_OP_BIND_VPPB,
		.name = "Bind vPPB",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the host on the VCS's upstream port gains the device",
		.in_min = CXLSW_BIND_LEN, .in_max = CXLSW_BIND_LEN,
		.background = true,
	}, {
		.opcode = CXLSW_OP_UNBIND_VPPB,
		.name = "Unbind vPPB",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the host on the VCS's upstream port loses the device",
		.in_min = CXLSW_UNBIND_LEN, .in_max = CXLSW_UNBIND_LEN,
		.background = true,
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

enum cxlsw_effect cxlsw_request_effect(const struct cxlsw_command *cmd,
				       const void *req, size_t len)
{
	return cmd->effect_of ? cmd->effect_of(req, len) : cmd->effect;
}
