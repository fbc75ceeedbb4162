// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch, --profile qemu: a Type 3 device behind a port as
 * QEMU's emulates it (hw/cxl/cxl-mailbox-utils.c, hw/mem/cxl_type3.c).
 * A tunnel from the switch lands on the device's FM-owned LD CCI
 * (vdm_fm_owned_ld_mctp_cci, commands cxl_cmd_set_t3_fm_owned_ld_mctp and,
 * for a device with DC regions, cxl_cmd_set_fm_dcd). That CCI's own tunnel
 * reaches LD 0 only (ld0_cci, commands cxl_cmd_set_t3_ld): QEMU emulates
 * "an MLD with single LD for now", whatever the topology says.
 */
#include <string.h>

#include "device.h"

/*
 * QEMU's effects for Set DC Region Configuration and Initiate DC
 * Add/Release: config change after cold, conventional (bit 11) and CXL
 * (bit 12) reset, immediate config and data (bit 2) change
 */
#define DCD_CHANGE_EFFECTS \
	(CEL_COLD_RESET_CONFIG | CEL_IMMEDIATE_CONFIG | (1u << 2) | \
	 (1u << 11) | (1u << 12))
#define QEMU_DEV_CEL_MAX	16

struct qemu_dev_op {
	uint16_t opcode;
	uint16_t effects;
};

/* cxl_cmd_set_t3_fm_owned_ld_mctp: every effect 0 */
static const struct qemu_dev_op fm_ops[] = {
	{ 0x0001, 0 },		/* cmd_infostat_identify */
	{ 0x0003, 0 },		/* cmd_get_response_msg_limit */
	{ 0x0004, 0 },		/* cmd_set_response_msg_limit */
	{ 0x0300, 0 },		/* cmd_timestamp_get */
	{ 0x0400, 0 },		/* cmd_logs_get_supported */
	{ 0x0401, 0 },		/* cmd_logs_get_log */
	{ 0x5300, 0 },		/* cmd_tunnel_management_cmd */
	{ 0, 0 },
};

/* cxl_cmd_set_fm_dcd, added when the device has DC regions */
static const struct qemu_dev_op dcd_ops[] = {
	{ 0x5600, 0 },
	{ 0x5601, 0 },
	{ 0x5602, DCD_CHANGE_EFFECTS },
	{ 0x5603, 0 },
	{ 0x5604, DCD_CHANGE_EFFECTS },
	{ 0x5605, DCD_CHANGE_EFFECTS },
	{ 0, 0 },
};

/* cxl_cmd_set_t3_ld */
static const struct qemu_dev_op ld_ops[] = {
	{ 0x0001, 0 },
	{ 0x0400, 0 },
	{ 0x0401, 0 },
	{ 0, 0 },
};

/* the CCI's commands in opcode order, as QEMU's CEL lists them */
static unsigned int qemu_dev_cel(const struct dev_target *t, uint16_t *ops,
				 uint16_t *eff)
{
	const struct qemu_dev_op *sets[2] = { NULL, NULL };
	unsigned int n = 0;

	if (t->cci == DEV_CCI_FM) {
		sets[0] = fm_ops;
		sets[1] = t->dev->dcd ? dcd_ops : NULL;
	} else if (t->cci == DEV_CCI_LD) {
		sets[0] = ld_ops;
	}
	for (unsigned int s = 0; s < 2; s++)
		for (const struct qemu_dev_op *o = sets[s]; o && o->opcode;
		     o++) {
			ops[n] = o->opcode;
			eff[n++] = o->effects;
		}
	return n;
}

static int qemu_dev_has(const struct dev_target *t, uint16_t opcode)
{
	uint16_t ops[QEMU_DEV_CEL_MAX], eff[QEMU_DEV_CEL_MAX];
	unsigned int n = qemu_dev_cel(t, ops, eff);

	for (unsigned int i = 0; i < n; i++)
		if (ops[i] == opcode)
			return 1;
	return 0;
}

static size_t qemu_dev_cel_bytes(const struct dev_target *t, uint8_t *buf)
{
	uint16_t ops[QEMU_DEV_CEL_MAX], eff[QEMU_DEV_CEL_MAX];

	return model_cel_bytes(ops, eff, qemu_dev_cel(t, ops, eff), buf);
}

static uint16_t get_supported_logs(const struct dev_target *t,
				   struct tunnel_path *p, const uint8_t *in,
				   size_t in_len, uint8_t *out,
				   size_t *out_len)
{
	(void)p;
	(void)in;
	(void)in_len;
	return model_logs_answer(qemu_dev_cel_bytes(t, NULL), out, out_len);
}

static uint16_t get_log(const struct dev_target *t, struct tunnel_path *p,
			const uint8_t *in, size_t in_len, uint8_t *out,
			size_t *out_len)
{
	uint8_t log[QEMU_DEV_CEL_MAX * MODEL_CEL_ENTRY_LEN];
	size_t size = qemu_dev_cel_bytes(t, log);

	(void)p;
	(void)in_len;
	return model_log_answer(log, size, t->dev->resp_log2, in, out,
				out_len);
}

/*
 * cmd_timestamp_get reads the device's clock, which only the host's
 * Set Timestamp on the device's own mailbox sets; through this CCI it
 * is never set, so it reads 0.
 */
static uint16_t get_timestamp(const struct dev_target *t,
			      struct tunnel_path *p, const uint8_t *in,
			      size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)t;
	(void)p;
	(void)in;
	(void)in_len;
	memset(out, 0, 8);
	*out_len = 8;
	return CCI_RC_SUCCESS;
}

/* what QEMU's device has and the full device model does not */
static const struct dev_cmd qemu_only_cmds[] = {
	{ 0x0300, 0, CCI_FM, get_timestamp },
	{ 0x0400, 0, CCI_FM | CCI_LD, get_supported_logs },
	{ 0x0401, 24, CCI_FM | CCI_LD, get_log },
	{ 0, 0, 0, NULL },
};

const struct dev_cmd *qemu_dev_cmd(const struct dev_target *t,
				   uint16_t opcode)
{
	if (!qemu_dev_has(t, opcode))
		return NULL;
	for (const struct dev_cmd *c = qemu_only_cmds; c->fn; c++)
		if (c->opcode == opcode)
			return c;
	return device_find_cmd(opcode);
}

/*
 * cmd_tunnel_management_cmd in a Type 3 device: target type 0 and LD id 0
 * only ("Only pretending to have one for now"), else Invalid Input; the
 * message lands on ld0_cci.
 */
uint16_t qemu_ld_resolve(void *owner, uint8_t id, uint8_t type,
			 struct dev_target *t)
{
	if (type != 0 || id != 0)
		return CCI_RC_INVALID_INPUT;
	t->dev = owner;
	t->cci = DEV_CCI_LD;
	t->ld = 0;
	return 0;
}
