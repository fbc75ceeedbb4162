// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: Tunnel Management Command (0x5300), for the switch
 * (to the device on a port) and for an MLD (to one of its LDs).
 *
 * The inner answer is built in place after the two headers (4 bytes of
 * tunnel answer, 12 of CCI message), so nesting needs no buffers: each
 * level writes 16 bytes further into the switch's scratch buffer.
 */
#include <string.h>

#include "device.h"

#define TUNNEL_HDR	4
#define CCI_HDR		12
/* payload length: bits 20:0 of the 3-byte field (r3.2 Table 7-14) */
#define CCI_LEN_MASK	0x1fffffu
#define CCI_LEN_BG	(1u << 23)

static uint32_t get_le24(const uint8_t *p)
{
	return p[0] | p[1] << 8 | (uint32_t)p[2] << 16;
}

static void put_le24(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
}

/* The faults of a 0x5300 answer: the fields a client must check. */
void tunnel_fault_apply(uint8_t *out, size_t len,
			const struct tunnel_fault *f)
{
	uint8_t *hdr = out + TUNNEL_HDR;
	uint32_t plen;

	if (len < TUNNEL_HDR + CCI_HDR)
		return;
	switch (f->kind) {
	case TFAULT_TAG:
		hdr[1]++;
		break;
	case TFAULT_OPCODE:
		hdr[3]++;
		break;
	case TFAULT_CATEGORY:
		hdr[0] = 0;
		break;
	case TFAULT_TUNNEL_LEN:
		put_le16(out, get_le16(out) + (int32_t)f->arg);
		break;
	case TFAULT_INNER_LEN:
		plen = get_le24(hdr + 5);
		put_le24(hdr + 5, (plen & ~CCI_LEN_MASK) |
			 ((plen + (int32_t)f->arg) & CCI_LEN_MASK));
		break;
	default:
		break;
	}
}

/* what the front end's hook asked for, applied to a finished answer */
static uint16_t bend(const struct tunnel_fault *f, uint16_t opcode,
		     uint16_t rc, uint8_t *ans, size_t *len, size_t room)
{
	switch (f->kind) {
	case TFAULT_SHORT:
		if (*len > f->arg)
			*len = f->arg;
		return CCI_RC_SUCCESS;
	case TFAULT_LONG: {
		size_t pad = f->arg;

		if (pad > room - *len)
			pad = room - *len;
		memset(ans + *len, 0xa5, pad);
		*len += pad;
		return CCI_RC_SUCCESS;
	}
	case TFAULT_NONE:
	case TFAULT_RC:
		return rc;
	default:
		/* the 0x5300 faults bend a tunnel answer only */
		if (opcode == 0x5300 && rc == CCI_RC_SUCCESS)
			tunnel_fault_apply(ans, *len, f);
		return rc;
	}
}

uint16_t tunnel_run(struct model *sw, struct tunnel_path *path,
		    tunnel_resolve_fn resolve, void *owner,
		    const uint8_t *in, size_t in_len, uint8_t *out,
		    size_t *out_len)
{
	struct tunnel_fault f = { TFAULT_NONE, 0 };
	struct dev_target t = { 0 };
	const uint8_t *hdr = in + TUNNEL_HDR;
	uint8_t *ans = out + TUNNEL_HDR + CCI_HDR;
	size_t cmd_size, plen, len = 0;
	uint16_t opcode, rc;

	/* the three lengths (received, command size, header) must agree */
	if (in_len < TUNNEL_HDR + CCI_HDR)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	cmd_size = get_le16(in + 2);
	if (cmd_size != in_len - TUNNEL_HDR)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	plen = get_le24(hdr + 5) & CCI_LEN_MASK;
	if (plen != cmd_size - CCI_HDR)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	/* only a request can be delivered; reserved fields are not checked */
	if (hdr[0] != 0 || in[1] > 1 || path->depth >= TUNNEL_MAX_DEPTH)
		return CCI_RC_INVALID_INPUT;
	rc = resolve(owner, in[0], in[1], &t);
	if (rc)
		return rc;
	t.sw = sw;
	opcode = hdr[4] << 8 | hdr[3];
	path->op[path->depth++] = opcode;
	if (sw->opts->tunnel_hook)
		sw->opts->tunnel_hook(path, &f);
	if (f.kind == TFAULT_RC)
		rc = f.arg;
	else
		rc = device_handle(&t, path, opcode, hdr + CCI_HDR, plen, ans,
				   &len);
	rc = bend(&f, opcode, rc, ans, &len,
		  ((size_t)1 << t.dev->msg_log2));
	path->depth--;
	/* a response length the u16 cannot say is not an answer */
	if (CCI_HDR + len > 0xffff)
		return CCI_RC_INVALID_INPUT;
	put_le16(out, CCI_HDR + len);
	put_le16(out + 2, 0);
	out[4] = 1;				/* category: response */
	out[5] = hdr[1];			/* the request's tag */
	out[6] = 0;
	out[7] = hdr[3];
	out[8] = hdr[4];
	put_le24(out + 9, len | (rc == CCI_RC_BG_STARTED ? CCI_LEN_BG : 0));
	put_le16(out + 12, rc);
	put_le16(out + 14, 0);
	*out_len = TUNNEL_HDR + CCI_HDR + len;
	return CCI_RC_SUCCESS;
}

/*
 * Target type 0: the device on that physical port (its FM-owned LD). The
 * Port or LD ID is valid only with target type 0 (r3.2 Table 7-37), so a
 * switch has no egress port for type 1 (the LD pool CCI, which the device
 * itself resolves: model-device.c): Invalid Input. A device behind a link
 * that is down cannot be reached.
 */
static uint16_t switch_resolve(void *owner, uint8_t id, uint8_t type,
			       struct dev_target *t)
{
	struct model_port *p = model_find_port(owner, id);

	if (type != 0 || !p || !p->dev || !p->cur_speed ||
	    p->ltssm != LTSSM_L0)
		return CCI_RC_INVALID_INPUT;
	t->dev = p->dev;
	t->cci = DEV_CCI_FM;
	return 0;
}

static uint16_t switch_tunnel(struct model *m, const uint8_t *in,
			      size_t in_len, uint8_t *out, size_t *out_len)
{
	struct tunnel_path path = { 1, { 0x5300 } };

	return tunnel_run(m, &path, switch_resolve, m, in, in_len, out,
			  out_len);
}

const struct model_cmd model_tunnel_cmds[] = {
	{ 0x5300, -1, CEL_IMMEDIATE_CONFIG | CEL_IMMEDIATE_POLICY,
	  switch_tunnel },
	{ 0, 0, 0, NULL },
};
