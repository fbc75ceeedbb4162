// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: firmware slots.  Get FW Info (0x0200), Transfer FW
 * (0x0201) and Activate FW (0x0202).
 *
 * The image rule the emulated device verifies (tests/fw-image builds
 * images): at least 28 bytes; the 8 bytes "CXLSWFW1"; a 16-byte revision,
 * ASCII, NUL padded, not empty; anything; and a CRC-32 (IEEE 802.3, as
 * gzip's) of every byte before it, little-endian, as the last 4 bytes.
 * A revision that starts with "rollback" verifies but fails an online
 * activation (Activation Failed, FW Rolled Back), for tests.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define FW_UNIT		128
#define FW_HDR		128
#define FW_MAGIC	"CXLSWFW1"
#define FW_MAGIC_LEN	8
#define FW_MIN_LEN	(FW_MAGIC_LEN + MODEL_FW_REV_LEN + 4)
#define FW_IMAGE_MAX	(16u << 20)

enum { XFER_FULL, XFER_INITIATE, XFER_CONTINUE, XFER_END, XFER_ABORT };

void model_fw_init(struct model_fw *fw)
{
	memset(fw, 0, sizeof(*fw));
	fw->slots = 2;
	fw->active = 1;
	fw->online = 1;
	strcpy(fw->rev[0], "1.0.0");
}

void model_fw_free(struct model_fw *fw)
{
	free(fw->buf);
	fw->buf = NULL;
}

static uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* The image's revision into rev, or FW Verification Failed. */
static uint16_t verify(const uint8_t *img, size_t len, char *rev)
{
	if (len < FW_MIN_LEN || memcmp(img, FW_MAGIC, FW_MAGIC_LEN) ||
	    crc32_ieee(img, len - 4) != get_le32(img + len - 4))
		return CCI_RC_FW_VERIFY_FAILED;
	memcpy(rev, img + FW_MAGIC_LEN, MODEL_FW_REV_LEN);
	rev[MODEL_FW_REV_LEN] = '\0';
	for (size_t i = 0; rev[i]; i++)
		if (rev[i] < 0x20 || rev[i] > 0x7e)
			return CCI_RC_FW_VERIFY_FAILED;
	return rev[0] ? CCI_RC_SUCCESS : CCI_RC_FW_VERIFY_FAILED;
}

static uint16_t get_fw_info(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct model_fw *fw = &m->fw;

	(void)in;
	(void)in_len;
	memset(out, 0, 80);
	out[0] = fw->slots;
	out[1] = (fw->active & 7) | (fw->staged & 7) << 3;
	out[2] = fw->online ? 1 : 0;
	for (unsigned int i = 0; i < MODEL_FW_SLOTS_MAX; i++)
		memcpy(out + 16 + 16 * i, fw->rev[i], strlen(fw->rev[i]));
	*out_len = 80;
	return CCI_RC_SUCCESS;
}

/* the verified image lands in its slot when the operation succeeds */
static void xfer_done(struct model *m, uint16_t rc)
{
	struct model_fw *fw = &m->fw;

	if (rc == CCI_RC_SUCCESS && fw->pending_slot)
		strcpy(fw->rev[fw->pending_slot - 1], fw->pending_rev);
	fw->pending_slot = 0;
}

static int slot_writable(const struct model_fw *fw, uint8_t slot)
{
	return slot >= 1 && slot <= fw->slots && slot != fw->active;
}

static int append(struct model_fw *fw, const uint8_t *data, size_t n)
{
	uint8_t *grown;

	if (fw->len + n > FW_IMAGE_MAX)
		return -1;
	if (fw->len + n > fw->cap) {
		size_t cap = fw->cap ? fw->cap : 4096;

		while (cap < fw->len + n)
			cap *= 2;
		grown = realloc(fw->buf, cap);
		if (!grown)
			return -1;
		fw->buf = grown;
		fw->cap = cap;
	}
	memcpy(fw->buf + fw->len, data, n);
	fw->len += n;
	return 0;
}

/* verify what arrived and finish in the background, like a real update */
static uint16_t finish_image(struct model *m, uint8_t slot,
			     const uint8_t *img, size_t len)
{
	struct model_fw *fw = &m->fw;
	uint16_t rc = verify(img, len, fw->pending_rev);

	fw->pending_slot = rc == CCI_RC_SUCCESS ? slot : 0;
	return model_bg_start_fn(m, 0x0201, rc, xfer_done);
}

static uint16_t transfer_fw(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len)
{
	struct model_fw *fw = &m->fw;
	uint8_t action = in_len ? in[0] : 0xff, slot;
	size_t off, n;

	(void)out;
	*out_len = 0;
	if (in_len < FW_HDR)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	slot = in[1];
	off = (size_t)get_le32(in + 4) * FW_UNIT;
	n = in_len - FW_HDR;
	switch (action) {
	case XFER_ABORT:
		fw->xfer = 0;
		fw->len = 0;
		return CCI_RC_SUCCESS;
	case XFER_FULL:
		if (fw->xfer)
			return CCI_RC_FW_IN_PROGRESS;
		if (!slot_writable(fw, slot))
			return CCI_RC_INVALID_SLOT;
		if (off || !n)
			return CCI_RC_INVALID_INPUT;
		return finish_image(m, slot, in + FW_HDR, n);
	case XFER_INITIATE:
		if (fw->xfer)
			return CCI_RC_FW_IN_PROGRESS;
		if (off || !n || n % FW_UNIT)
			return CCI_RC_INVALID_INPUT;
		fw->len = 0;
		if (append(fw, in + FW_HDR, n))
			return CCI_RC_INVALID_INPUT;
		fw->xfer = 1;
		return CCI_RC_SUCCESS;
	case XFER_CONTINUE:
	case XFER_END:
		if (!fw->xfer)
			return CCI_RC_INVALID_INPUT;
		if (off != fw->len)
			return CCI_RC_FW_OUT_OF_ORDER;
		if (action == XFER_END && !slot_writable(fw, slot))
			return CCI_RC_INVALID_SLOT;
		if ((action == XFER_CONTINUE && (!n || n % FW_UNIT)) ||
		    append(fw, in + FW_HDR, n))
			return CCI_RC_INVALID_INPUT;
		if (action == XFER_CONTINUE)
			return CCI_RC_SUCCESS;
		fw->xfer = 0;
		return finish_image(m, slot, fw->buf, fw->len);
	}
	return CCI_RC_INVALID_INPUT;
}

static uint16_t activate_fw(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len)
{
	struct model_fw *fw = &m->fw;
	uint8_t slot = in[1];

	(void)in_len;
	(void)out;
	*out_len = 0;
	if (in[0] > 1)
		return CCI_RC_INVALID_INPUT;
	if (slot < 1 || slot > fw->slots || !fw->rev[slot - 1][0])
		return CCI_RC_INVALID_SLOT;
	if (in[0] == 1) {		/* on the next cold reset */
		fw->staged = slot == fw->active ? 0 : slot;
		return CCI_RC_SUCCESS;
	}
	if (slot == fw->active)
		return CCI_RC_INVALID_SLOT;
	if (!fw->online)
		return CCI_RC_ACTIVATION_COLD_RESET;
	if (!strncmp(fw->rev[slot - 1], "rollback", 8))
		return CCI_RC_ACTIVATION_ROLLED_BACK;
	fw->active = slot;
	if (fw->staged == slot)
		fw->staged = 0;
	return CCI_RC_SUCCESS;
}

const struct model_cmd model_fw_cmds[] = {
	{ 0x0200, 0, 0, get_fw_info },
	{ 0x0201, -1, CEL_BACKGROUND, transfer_fw },
	{ 0x0202, 2, CEL_IMMEDIATE_CONFIG | CEL_COLD_RESET_CONFIG,
	  activate_fw },
	{ 0, 0, 0, NULL },
};
