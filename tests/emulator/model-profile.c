// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: device profiles. The full model answers every
 * command it implements; a profile restricts it to another device's
 * command set and, where that device answers differently, its own
 * handlers (model-qemu.c). A profile never changes what is saved: the
 * state is the model's, only the answers differ.
 */
#include <string.h>

#include "model.h"
#include "device.h"

/*
 * QEMU's switch mailbox CCI (-device cxl-switch-mailbox-cci): exactly the
 * handler table cxl_cmd_set_sw in QEMU's hw/cxl/cxl-mailbox-utils.c, with
 * its effects (only TIMESTAMP_SET has one, CXL_MBOX_IMMEDIATE_POLICY_CHANGE,
 * bit 3). QEMU builds the CEL from that table (cxl_rebuild_cel), so the
 * CEL lists these and nothing else. No 0x0003/0x0004 (Get/Set Response
 * Message Limit): QEMU's switch CCI has none.
 */
static const struct model_profile_cmd qemu_cmds[] = {
	{ 0x0001, 0, qemu_identify, NULL },	/* cmd_infostat_identify */
	{ 0x0002, 0, NULL, NULL },		/* cmd_infostat_bg_op_sts */
	{ 0x0005, 0, qemu_bg_abort, NULL },	/* cmd_infostat_bg_op_abort */
	{ 0x0300, 0, NULL, NULL },		/* cmd_timestamp_get */
	{ 0x0301, CEL_IMMEDIATE_POLICY, NULL, NULL },	/* cmd_timestamp_set */
	{ 0x0400, 0, NULL, NULL },		/* cmd_logs_get_supported */
	{ 0x0401, 0, NULL, NULL },		/* cmd_logs_get_log */
	{ 0x5100, 0, qemu_identify_switch, NULL },
	{ 0x5101, 0, qemu_port_state, NULL },
	{ 0x5102, 0, qemu_port_control, NULL },
	{ 0x5300, 0, qemu_switch_tunnel, NULL },
	{ 0, 0, NULL, NULL },
};

/*
 * r3.2 Section 7.6.7.2: the Virtual Switch command set "is required for
 * switches that support more than one VCS".
 */
static int several_vcss(const struct model *m)
{
	return m->nr_vcss > 1;
}

/*
 * Only what the spec makes mandatory for a switch CCI reached through a
 * mailbox, answered as the full model answers it (which follows the spec):
 *
 * - Generic commands (r3.1 Table 8-37, column "Switch"): Identify,
 *   Background Operation Status and Get/Set Response Message Limit
 *   (0x0001-0x0004) are "MS", mandatory only on MCTP-based CCIs of
 *   components that support the FM API MCTP message type; every other
 *   generic command is optional (0x0102/0x0103 prohibited). So over the
 *   mailbox none is mandatory, Identify and the CEL (0x0400/0x0401)
 *   included: a client learns the message size from the transport and
 *   what is implemented from Unsupported answers.
 * - Physical Switch command set (r3.2 Table 7-15: mandatory for a switch
 *   with FM API support; Section 7.6.7.1): of its commands r3.1 Table
 *   8-215 marks Identify Switch Device and Get Physical Port State
 *   (0x5100, 0x5101) "MSW", the others optional. The mandatory mark is
 *   stated for MCTP-based CCIs; we keep the two anyway, as without them
 *   no switch with FM API support could be managed at all (not
 *   confirmed for a mailbox CCI by the tables we could read).
 * - Virtual Switch command set (r3.2 Table 7-15: optional; Section
 *   7.6.7.2: required for switches with more than one VCS; Table 7-29:
 *   Get Virtual CXL Switch Info mandatory, Bind/Unbind/Generate AER
 *   optional): 0x5200 when the switch has more than one VCS.
 * - MLD Port command set (0x5300-0x5302; r3.2 Table 7-15: optional for
 *   a switch): none, so no device behind a port can be reached.
 *
 * None of these changes state, so the CEL effects would all be 0; the
 * CEL itself is not there to say so.
 */
static const struct model_profile_cmd minimal_cmds[] = {
	{ 0x5100, 0, NULL, NULL },
	{ 0x5101, 0, NULL, NULL },
	{ 0x5200, 0, NULL, several_vcss },
	{ 0, 0, NULL, NULL },
};

int model_profile_parse(const char *name, enum model_profile *p)
{
	if (!strcmp(name, "full"))
		*p = MODEL_PROFILE_FULL;
	else if (!strcmp(name, "qemu"))
		*p = MODEL_PROFILE_QEMU;
	else if (!strcmp(name, "minimal"))
		*p = MODEL_PROFILE_MINIMAL;
	else
		return -1;
	return 0;
}

const struct model_profile_cmd *model_profile_cmds(const struct model *m)
{
	switch (m->opts->profile) {
	case MODEL_PROFILE_QEMU:
		return qemu_cmds;
	case MODEL_PROFILE_MINIMAL:
		return minimal_cmds;
	default:
		return NULL;
	}
}

const struct model_profile_cmd *model_profile_cmd(const struct model *m,
						  uint16_t opcode)
{
	const struct model_profile_cmd *pc = model_profile_cmds(m);

	for (; pc && pc->opcode; pc++)
		if (pc->opcode == opcode)
			return !pc->present || pc->present(m) ? pc : NULL;
	return NULL;
}

/*
 * QEMU's sizes: the switch CCI's payload is CXL_MAILBOX_MAX_PAYLOAD_SIZE,
 * 2^11 (Identify's max message size 11); the tunnelled FM-owned LD CCI of
 * a Type 3 device and its LD 0 CCI are initialised with 512 ("Max payload
 * made up", ct3d_reset in hw/mem/cxl_type3.c). --msg-limit, applied after
 * this, still replaces the switch's.
 */
void model_profile_apply(struct model *m)
{
	if (m->opts->profile != MODEL_PROFILE_QEMU)
		return;
	model_set_msg_log2(m, 11);
	for (unsigned int i = 0; i < m->nr_ports; i++) {
		struct model_device *d = m->ports[i].dev;

		if (d)
			d->msg_log2 = d->resp_log2 = 9;
	}
}
