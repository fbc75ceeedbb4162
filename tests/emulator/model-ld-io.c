// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: the MLD port commands that reach one LD's CXL.io
 * space (r3.2 Table 7-36, mandatory for a switch with MLD ports): Send LD
 * CXL.io Configuration Request (0x5301) and Send LD CXL.io Memory Request
 * (0x5302).  The switch forwards them to the LD of the MLD on the port, so
 * the port must be a DSP whose link is up (as for 0x5300) and the LD one
 * of the device's; otherwise Invalid Input.
 *
 * What an LD has there is this emulator's choice, not the spec's: a type 0
 * configuration header whose IDs are the device's Identify IDs and class
 * code 0502h (CXL memory), writable bytes 80h-FFh, nothing from 100h; and
 * one 256-byte register block at memory address 0.  Both are saved per LD
 * (config_space_80h, mmio) when not all zero.
 */
#include <string.h>

#include "device.h"

#define LD_CFG_REQ_LEN	12
#define LD_MEM_HDR_LEN	15
#define LD_MEM_WRITE	0x8000u

/* the LD a request names, or NULL: Invalid Input */
static struct dev_ld *find_ld(struct model *m, uint8_t port, uint16_t ld,
			      const struct model_device **dev)
{
	struct model_port *p = model_find_port(m, port);

	if (!p || p->config_state != PORT_STATE_DSP || !p->dev ||
	    !p->dev->mld || !p->cur_speed || p->ltssm != LTSSM_L0 ||
	    ld >= p->dev->mld->nr_lds)
		return NULL;
	*dev = p->dev;
	return &p->dev->mld->ld[ld];
}

/* one byte of the LD's configuration space as a read sees it */
static uint8_t cfg_byte(const struct model_device *d, const struct dev_ld *ld,
			unsigned int off)
{
	uint8_t hdr[16] = { 0 };

	if (off >= 0x80 && off < 0x100)
		return ld->cfg_rw[off - 0x80];
	if (off >= sizeof(hdr))
		return 0;
	put_le16(hdr, d->id.vendor_id);
	put_le16(hdr + 2, d->id.device_id);
	hdr[0x0a] = 0x02;		/* class code 0502h: CXL memory */
	hdr[0x0b] = 0x05;
	return hdr[off];
}

/* 0x5301: the 0x5103 fields, LD id at 4, the write data at 8 */
static uint16_t ld_config(struct model *m, const uint8_t *in, size_t in_len,
			  uint8_t *out, size_t *out_len)
{
	const struct model_device *d;
	struct dev_ld *ld = find_ld(m, in[0], get_le16(in + 4), &d);
	unsigned int off = (in[2] & 0xfu) << 8 | (in[1] & 0xfcu);
	unsigned int enables = in[2] >> 4;
	int write = in[3] & 0x80;

	(void)in_len;
	if (!ld || !enables)
		return CCI_RC_INVALID_INPUT;
	memset(out, 0, 4);
	for (unsigned int i = 0; i < 4; i++) {
		if (!(enables & (1u << i)))
			continue;
		if (!write)
			out[i] = cfg_byte(d, ld, off + i);
		else if (off + i >= 0x80 && off + i < 0x100)
			ld->cfg_rw[off + i - 0x80] = in[8 + i];
	}
	*out_len = 4;
	return CCI_RC_SUCCESS;
}

/*
 * 0x5302: port, u16 flags (bits 3:0 first, 7:4 last DWORD byte enables,
 * bit 15 write), LD id, length, u64 address, write data; the answer is
 * the returned size, 2 reserved, the read data.  Whole DWORDs of the
 * register block; anything outside it is Invalid Input.
 */
static uint16_t ld_memory(struct model *m, const uint8_t *in, size_t in_len,
			  uint8_t *out, size_t *out_len)
{
	const struct model_device *d;
	struct dev_ld *ld;
	unsigned int flags, len;
	uint64_t addr;

	if (in_len < LD_MEM_HDR_LEN)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	flags = get_le16(in + 1);
	len = get_le16(in + 5);
	addr = get_le64(in + 7);
	if (in_len != LD_MEM_HDR_LEN + (flags & LD_MEM_WRITE ? len : 0))
		return CCI_RC_INVALID_PAYLOAD_LEN;
	ld = find_ld(m, in[0], get_le16(in + 3), &d);
	if (!ld || !len || len % 4 || addr % 4 || !(flags & 0xf) ||
	    addr > DEV_LD_MMIO_SIZE || len > DEV_LD_MMIO_SIZE - addr)
		return CCI_RC_INVALID_INPUT;
	memset(out, 0, 4);
	if (flags & LD_MEM_WRITE) {
		memcpy(ld->mmio + addr, in + LD_MEM_HDR_LEN, len);
		*out_len = 4;
		return CCI_RC_SUCCESS;
	}
	put_le16(out, (uint16_t)len);
	memcpy(out + 4, ld->mmio + addr, len);
	*out_len = 4 + len;
	return CCI_RC_SUCCESS;
}

const struct model_cmd model_ld_io_cmds[] = {
	{ 0x5301, LD_CFG_REQ_LEN, CEL_IMMEDIATE_CONFIG, ld_config },
	{ 0x5302, -1, CEL_IMMEDIATE_CONFIG | CEL_IMMEDIATE_DATA, ld_memory },
	{ 0, 0, 0, NULL },
};
