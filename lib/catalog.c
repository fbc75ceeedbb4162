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
		/* a Type 3 device's; prohibited on a switch (r3.1 Table 8-37) */
		.opcode = CXLSW_OP_GET_EVENT_POLICY,
		.name = "Get Event Interrupt Policy",
		READ_ONLY,
		.out_min = CXLSW_POLICY_LEN_MIN, .out_max = CXLSW_POLICY_LEN,
	}, {
		.opcode = CXLSW_OP_SET_EVENT_POLICY,
		.name = "Set Event Interrupt Policy",
		.effect = CXLSW_EFFECT_SWITCH_CONFIG,
		.affects = "whoever takes the device's event interrupts",
		.in_min = CXLSW_POLICY_LEN_MIN, .in_max = CXLSW_POLICY_LEN,
	}, {
		.opcode = CXLSW_OP_GET_MCTP_EVENT_POLICY,
		.name = "Get MCTP Event Interrupt Policy",
		READ_ONLY,
		.out_min = CXLSW_MCTP_POLICY_LEN, .out_max = CXLSW_MCTP_POLICY_LEN,
	}, {
		/*
		 * r3.1 8.2.9.2.7 gives it an output payload (the settings);
		 * libcxlmi expects none: take either.
		 */
		.opcode = CXLSW_OP_SET_MCTP_EVENT_POLICY,
		.name = "Set MCTP Event Interrupt Policy",
		.effect = CXLSW_EFFECT_SWITCH_CONFIG,
		.affects = "every manager of the switch that waits for its Event Notifications",
		.in_min = CXLSW_MCTP_POLICY_LEN, .in_max = CXLSW_MCTP_POLICY_LEN,
		.out_min = 0, .out_max = CXLSW_MCTP_POLICY_LEN,
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
		.opcode = CXLSW_OP_IDENTIFY_MEMDEV,
		.name = "Identify Memory Device",
		READ_ONLY,
		/* 67 bytes up to CXL 2.0; 3.x adds the DC event log size */
		.out_min = CXLSW_MEMDEV_ID_LEN_2_0, .out_max = CXLSW_MEMDEV_ID_LEN,
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
	}, {
		/*
		 * It carries any command in this catalog to a device, firmware
		 * updates included: its class is the most dangerous one it
		 * can carry, as for every command whose effect depends on the
		 * request.  Each request is classed by the command it carries
		 * (cxlsw_tunnel_effect), so a tunnelled read stays a read.
		 */
		.opcode = CXLSW_OP_TUNNEL,
		.name = "Tunnel Management Command",
		.effect = CXLSW_EFFECT_FW_SECURITY,
		.affects = "as the command it carries: that command's class and hosts decide",
		.in_min = CXLSW_TUNNEL_OVERHEAD,
		.in_max = CXLSW_TUNNEL_HDR_LEN + CXLSW_TUNNEL_MSG_MAX,
		.out_min = CXLSW_TUNNEL_OVERHEAD,
		.out_max = CXLSW_TUNNEL_HDR_LEN + CXLSW_TUNNEL_MSG_MAX,
		.effect_of = cxlsw_tunnel_effect,
	}, {
		/* r3.2 Table 7-36: mandatory on a switch with MLD ports */
		.opcode = CXLSW_OP_LD_CONFIG,
		.name = "Send LD CXL.io Configuration Request",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "a write: the LD and the host bound to it",
		.in_min = CXLSW_LD_CONFIG_REQ_LEN,
		.in_max = CXLSW_LD_CONFIG_REQ_LEN,
		.out_min = CXLSW_CONFIG_RSP_LEN,
		.out_max = CXLSW_CONFIG_RSP_LEN,
		.effect_of = cxlsw_config_effect,
	}, {
		.opcode = CXLSW_OP_LD_MEMORY,
		.name = "Send LD CXL.io Memory Request",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "a write: the LD and the host bound to it",
		.in_min = CXLSW_LD_MEM_HDR_LEN,
		.in_max = CXLSW_LD_MEM_HDR_LEN + CXLSW_LD_MEM_MAX,
		.out_min = CXLSW_LD_MEM_RSP_HDR_LEN,
		.out_max = CXLSW_LD_MEM_RSP_HDR_LEN + CXLSW_LD_MEM_MAX,
		.effect_of = cxlsw_ld_mem_effect,
	}, {
		.opcode = CXLSW_OP_GET_LD_INFO,
		.name = "Get LD Info",
		READ_ONLY,
		.out_min = CXLSW_LD_INFO_LEN, .out_max = CXLSW_LD_INFO_LEN,
	}, {
		.opcode = CXLSW_OP_GET_LD_ALLOCATIONS,
		.name = "Get LD Allocations",
		READ_ONLY,
		.in_min = 2, .in_max = 2,
		.out_min = CXLSW_LD_ALLOC_HDR_LEN,
		.out_max = CXLSW_LD_ALLOC_HDR_LEN + 255 * CXLSW_LD_ALLOC_LEN,
	}, {
		.opcode = CXLSW_OP_SET_LD_ALLOCATIONS,
		.name = "Set LD Allocations",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the hosts bound to the LDs whose memory changes",
		.in_min = CXLSW_LD_ALLOC_HDR_LEN + CXLSW_LD_ALLOC_LEN,
		.in_max = CXLSW_LD_ALLOC_HDR_LEN + 255 * CXLSW_LD_ALLOC_LEN,
		.out_min = CXLSW_LD_ALLOC_HDR_LEN,
		.out_max = CXLSW_LD_ALLOC_HDR_LEN + 255 * CXLSW_LD_ALLOC_LEN,
	}, {
		.opcode = CXLSW_OP_GET_QOS_CONTROL,
		.name = "Get QoS Control",
		READ_ONLY,
		.out_min = CXLSW_QOS_CONTROL_LEN, .out_max = CXLSW_QOS_CONTROL_LEN,
	}, {
		.opcode = CXLSW_OP_SET_QOS_CONTROL,
		.name = "Set QoS Control",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "every host using the device (its bandwidth moderation)",
		.in_min = CXLSW_QOS_CONTROL_LEN, .in_max = CXLSW_QOS_CONTROL_LEN,
		.out_max = CXLSW_QOS_CONTROL_LEN,
	}, {
		.opcode = CXLSW_OP_GET_QOS_STATUS,
		.name = "Get QoS Status",
		READ_ONLY,
		.out_min = 1, .out_max = 1,
	}, {
		.opcode = CXLSW_OP_GET_QOS_ALLOC_BW,
		.name = "Get QoS Allocated BW",
		READ_ONLY,
		.in_min = 2, .in_max = 2, .out_min = 2, .out_max = 2 + 255,
	}, {
		.opcode = CXLSW_OP_SET_QOS_ALLOC_BW,
		.name = "Set QoS Allocated BW",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the hosts bound to the LDs whose bandwidth changes",
		.in_min = 3, .in_max = 2 + 255, .out_max = 2 + 255,
	}, {
		.opcode = CXLSW_OP_GET_QOS_BW_LIMIT,
		.name = "Get QoS BW Limit",
		READ_ONLY,
		.in_min = 2, .in_max = 2, .out_min = 2, .out_max = 2 + 255,
	}, {
		.opcode = CXLSW_OP_SET_QOS_BW_LIMIT,
		.name = "Set QoS BW Limit",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the hosts bound to the LDs whose bandwidth changes",
		.in_min = 3, .in_max = 2 + 255, .out_max = 2 + 255,
	}, {
		.opcode = CXLSW_OP_GET_MHD_INFO,
		.name = "Get Multi-Headed Info",
		READ_ONLY,
		.in_min = 2, .in_max = 2, .out_min = 8, .out_max = 8 + 255,
	}, {
		.opcode = CXLSW_OP_GET_HEAD_INFO,
		.name = "Get Head Info",
		READ_ONLY,
		.in_min = 2, .in_max = 2, .out_min = 4, .out_max = 4 + 255 * 9,
	}, {
		.opcode = CXLSW_OP_GET_DCD_INFO,
		.name = "Get DCD Info",
		READ_ONLY,
		.out_min = 84, .out_max = 84,
	}, {
		.opcode = CXLSW_OP_GET_DC_REGION_CONFIG,
		.name = "Get Host DC Region Configuration",
		READ_ONLY,
		.in_min = 4, .in_max = 4, .out_min = 4 + 16,
		.out_max = 4 + 255 * 40 + 16,
	}, {
		.opcode = CXLSW_OP_SET_DC_REGION_CONFIG,
		.name = "Set DC Region Configuration",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "hosts given capacity from the region later (its block size)",
		.in_min = 16, .in_max = 16,
	}, {
		.opcode = CXLSW_OP_GET_DC_EXTENTS,
		.name = "Get DC Region Extent Lists",
		READ_ONLY,
		.in_min = 12, .in_max = 12, .out_min = 24, .out_max = MIB,
	}, {
		.opcode = CXLSW_OP_DC_ADD,
		.name = "Initiate Dynamic Capacity Add",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the host that is offered the capacity",
		.in_min = 32, .in_max = MIB,
		.background = true,
	}, {
		.opcode = CXLSW_OP_DC_RELEASE,
		.name = "Initiate Dynamic Capacity Release",
		.effect = CXLSW_EFFECT_HOST_VISIBLE,
		.affects = "the host that loses the capacity",
		.in_min = 32, .in_max = MIB,
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
