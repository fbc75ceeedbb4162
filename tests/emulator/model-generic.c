// SPDX-License-Identifier: LGPL-2.1-or-later
/* Emulated CXL switch: generic component commands (command sets 0x00). */
#include <string.h>

#include "model.h"

void model_identify_put(const struct model_identify *id, uint8_t msg_log2,
			uint8_t *out)
{
	memset(out, 0, MODEL_IDENTIFY_LEN);
	put_le16(out + 0, id->vendor_id);
	put_le16(out + 2, id->device_id);
	put_le16(out + 4, id->subsys_vendor_id);
	put_le16(out + 6, id->subsys_id);
	put_le64(out + 8, id->serial);
	out[16] = msg_log2;
	out[17] = id->component_type;
}

static uint16_t identify(struct model *m, const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t *out_len)
{
	(void)in;
	(void)in_len;
	model_identify_put(&m->id, m->msg_log2, out);
	*out_len = MODEL_IDENTIFY_LEN;
	return CCI_RC_SUCCESS;
}

/* Every poll moves a running operation on (model_bg_poll). */
static uint16_t bg_op_status(struct model *m, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)in;
	(void)in_len;
	model_bg_poll(m, out);
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

/* Rolls a running operation back; with none running, nothing to do. */
static uint16_t bg_op_abort(struct model *m, const uint8_t *in, size_t in_len,
			    uint8_t *out, size_t *out_len)
{
	model_bg_abort(m);
	(void)in;
	(void)in_len;
	(void)out;
	*out_len = 0;
	return CCI_RC_SUCCESS;
}

/* the Command Effects Log: 0da9c0b5-bf41-4b78-8f79-96b1623b3f17 */
static const uint8_t cel_uuid[16] = {
	0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b, 0x78,
	0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17,
};

#define CEL_MAX 256

/* the CEL's bytes: 4 per entry, opcode then effects */
size_t model_cel_bytes(const uint16_t *ops, const uint16_t *eff,
		       unsigned int n, uint8_t *buf)
{
	for (unsigned int i = 0; buf && i < n; i++) {
		put_le16(buf + i * MODEL_CEL_ENTRY_LEN, ops[i]);
		put_le16(buf + i * MODEL_CEL_ENTRY_LEN + 2, eff[i]);
	}
	return n * MODEL_CEL_ENTRY_LEN;
}

static size_t cel_build(const struct model *m, uint8_t *buf)
{
	uint16_t ops[CEL_MAX], eff[CEL_MAX];
	unsigned int n = model_cel(m, ops, eff, CEL_MAX);

	return model_cel_bytes(ops, eff, n, buf);
}

/* Get Supported Logs: one log, the CEL, of @size bytes */
uint16_t model_logs_answer(size_t size, uint8_t *out, size_t *out_len)
{
	memset(out, 0, 8);
	put_le16(out, 1);
	memcpy(out + 8, cel_uuid, 16);
	put_le32(out + 24, size);
	*out_len = 28;
	return CCI_RC_SUCCESS;
}

/* Get Log (24 B in) of the CEL @log, @size bytes, within @resp_log2 */
uint16_t model_log_answer(const uint8_t *log, size_t size, uint8_t resp_log2,
			  const uint8_t *in, uint8_t *out, size_t *out_len)
{
	uint32_t off = get_le32(in + 16), len = get_le32(in + 20);

	if (memcmp(in, cel_uuid, 16))
		return CCI_RC_INVALID_LOG;
	if (!len || (uint64_t)off + len > size || len > (1u << resp_log2))
		return CCI_RC_INVALID_INPUT;
	memcpy(out, log + off, len);
	*out_len = len;
	return CCI_RC_SUCCESS;
}

static uint16_t get_supported_logs(struct model *m, const uint8_t *in,
				   size_t in_len, uint8_t *out,
				   size_t *out_len)
{
	(void)in;
	(void)in_len;
	return model_logs_answer(cel_build(m, NULL), out, out_len);
}

static uint16_t get_log(struct model *m, const uint8_t *in, size_t in_len,
			uint8_t *out, size_t *out_len)
{
	uint8_t log[CEL_MAX * MODEL_CEL_ENTRY_LEN];
	size_t size = cel_build(m, log);

	(void)in_len;
	return model_log_answer(log, size, m->resp_log2, in, out, out_len);
}

/* 0xC000, vendor specific: the input back, unchanged */
static uint16_t vendor_echo(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)m;
	if (in_len)
		memcpy(out, in, in_len);
	*out_len = in_len;
	return CCI_RC_SUCCESS;
}

const struct model_cmd model_generic_cmds[] = {
	{ 0x0001, 0, 0, identify },
	{ 0x0002, 0, 0, bg_op_status },
	{ 0x0003, 0, 0, get_resp_limit },
	{ 0x0004, 1, CEL_IMMEDIATE_POLICY, set_resp_limit },
	{ 0x0005, 0, 0, bg_op_abort },
	{ 0x0400, 0, 0, get_supported_logs },
	{ 0x0401, 24, 0, get_log },
	{ 0xc000, -1, CEL_IMMEDIATE_CONFIG, vendor_echo },
	{ 0, 0, 0, NULL },
};
