// SPDX-License-Identifier: GPL-2.0
/* Emulated CXL switch: generic component commands (command sets 0x00). */
#include <string.h>

#include "model.h"

static uint16_t identify(struct model *m, const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t *out_len)
{
	(void)in;
	(void)in_len;
	memset(out, 0, 18);
	put_le16(out + 0, m->id.vendor_id);
	put_le16(out + 2, m->id.device_id);
	put_le16(out + 4, m->id.subsys_vendor_id);
	put_le16(out + 6, m->id.subsys_id);
	put_le64(out + 8, m->id.serial);
	out[16] = m->msg_log2;
	out[17] = m->id.component_type;
	*out_len = 18;
	return CCI_RC_SUCCESS;
}

/* Nothing ever runs in the background in this model. */
static uint16_t bg_op_status(struct model *m, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)m;
	(void)in;
	(void)in_len;
	memset(out, 0, 8);
	*out_len = 8;
	return CCI_RC_SUCCESS;
}

static uint16_t get_resp_limit(struct model *m, const uint8_t *in,
			       size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)in;
	(void)in_len;
	out[0] = m->resp_log2;
	*out_len = 1;
	return CCI_RC_SUCCESS;
}

/* The limit can go from 256 B up to the mailbox size, not beyond it. */
static uint16_t set_resp_limit(struct model *m, const uint8_t *in,
			       size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)in_len;
	if (in[0] < MODEL_MSG_LOG2_MIN || in[0] > m->msg_log2)
		return CCI_RC_INVALID_INPUT;
	m->resp_log2 = in[0];
	out[0] = m->resp_log2;
	*out_len = 1;
	return CCI_RC_SUCCESS;
}

/* With no background operation running there is nothing to abort. */
static uint16_t bg_op_abort(struct model *m, const uint8_t *in, size_t in_len,
			    uint8_t *out, size_t *out_len)
{
	(void)m;
	(void)in;
	(void)in_len;
	(void)out;
	*out_len = 0;
	return CCI_RC_SUCCESS;
}

const struct model_cmd model_generic_cmds[] = {
	{ 0x0001, 0, identify },
	{ 0x0002, 0, bg_op_status },
	{ 0x0003, 0, get_resp_limit },
	{ 0x0004, 1, set_resp_limit },
	{ 0x0005, 0, bg_op_abort },
	{ 0, 0, NULL },
};
