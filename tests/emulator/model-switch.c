// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: physical switch (0x51) and virtual CXL switch (0x52)
 * command sets.
 */
#include <string.h>

#include "model.h"

#define VCS_STATE_INVALID_ID	0xff
#define VPPB_ENTRY_LEN		4

static uint8_t min255(unsigned int n)
{
	return n > 255 ? 255 : n;
}

static void set_bit(uint8_t *map, unsigned int bit)
{
	map[bit / 8] |= 1u << (bit % 8);
}

static uint16_t identify_switch(struct model *m, const uint8_t *in,
				size_t in_len, uint8_t *out, size_t *out_len)
{
	unsigned int total = 0, bound = 0;

	(void)in;
	(void)in_len;
	memset(out, 0, 73);
	out[0] = m->ingress_port;
	out[2] = min255(m->nr_ports);
	out[3] = min255(m->nr_vcss);
	for (unsigned int i = 0; i < m->nr_ports; i++)
		if (m->ports[i].config_state != PORT_STATE_DISABLED)
			set_bit(out + 4, m->ports[i].port_id);
	for (unsigned int i = 0; i < m->nr_vcss; i++) {
		const struct model_vcs *v = &m->vcss[i];

		if (v->state == VCS_STATE_ENABLED)
			set_bit(out + 36, v->vcs_id);
		total += v->nr_vppbs;
		for (unsigned int j = 0; j < v->nr_vppbs; j++)
			if (v->vppbs[j].binding == VPPB_BOUND_PORT ||
			    v->vppbs[j].binding == VPPB_BOUND_LD)
				bound++;
	}
	put_le16(out + 68, total);
	put_le16(out + 70, bound);
	out[72] = m->hdm_decoders;
	*out_len = 73;
	return CCI_RC_SUCCESS;
}

void model_port_block(struct model *m, uint8_t id, uint8_t *b)
{
	const struct model_port *p = model_find_port(m, id);

	memset(b, 0, PORT_BLOCK_LEN);
	b[0] = id;
	if (!p) {
		b[1] = PORT_STATE_INVALID_ID;
		return;
	}
	b[1] = p->config_state & 0xf;
	b[2] = p->cxl_version & 0xf;
	b[4] = p->device_type;
	b[5] = p->supported_versions;
	b[6] = p->max_width;
	b[7] = p->neg_width;
	b[8] = p->speeds;
	b[9] = p->max_speed;
	b[10] = p->cur_speed;
	b[11] = p->ltssm;
	b[12] = p->first_lane;
	put_le16(b + 13, p->link_flags);
	b[15] = p->ld_count;
}

static uint16_t get_port_state(struct model *m, const uint8_t *in,
			       size_t in_len, uint8_t *out, size_t *out_len)
{
	unsigned int count;

	if (in_len < 1 || !in[0] || in_len != 1u + in[0])
		return CCI_RC_INVALID_INPUT;
	count = in[0];
	memset(out, 0, 4);
	out[0] = count;
	for (unsigned int i = 0; i < count; i++)
		model_port_block(m, in[1 + i], out + 4 + i * PORT_BLOCK_LEN);
	*out_len = 4 + count * PORT_BLOCK_LEN;
	return CCI_RC_SUCCESS;
}

static void vppb_entry(const struct model_vppb *v, uint8_t *e)
{
	e[0] = v->binding;
	e[1] = v->port_id == MODEL_NONE ? 0xff : v->port_id;
	e[2] = v->ld_id == MODEL_NONE ? 0xff : v->ld_id;
	e[3] = 0;
}

/*
 * One VCS block: the vPPB count is the VCS's total, the entries are only
 * the page start .. start + limit - 1 (cxl-cci.md, paging): min(limit,
 * total - start) of them, or with --paging literal min(limit, total) as
 * r3.2 Table 7-32's text reads, those past the end zero (unbound).
 */
static size_t vcs_block(struct model *m, uint8_t id, unsigned int start,
			unsigned int limit, uint8_t *b)
{
	const struct model_vcs *v = model_find_vcs(m, id);
	unsigned int n = 0;

	memset(b, 0, 4);
	b[0] = id;
	if (!v) {
		b[1] = VCS_STATE_INVALID_ID;
		return 4;
	}
	b[1] = v->state;
	b[2] = v->usp_id;
	b[3] = v->nr_vppbs;
	if (m->opts->paging_literal)
		n = v->nr_vppbs < limit ? v->nr_vppbs : limit;
	else if (start < v->nr_vppbs)
		n = v->nr_vppbs - start < limit ? v->nr_vppbs - start : limit;
	memset(b + 4, 0, n * VPPB_ENTRY_LEN);
	for (unsigned int i = 0; i < n && start + i < v->nr_vppbs; i++)
		vppb_entry(&v->vppbs[start + i], b + 4 + i * VPPB_ENTRY_LEN);
	return 4 + n * VPPB_ENTRY_LEN;
}

static uint16_t get_vcs_info(struct model *m, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len)
{
	unsigned int start, limit, count;
	size_t len = 4;

	if (in_len < 3)
		return CCI_RC_INVALID_INPUT;
	start = in[0];
	limit = in[1];
	count = in[2];
	if (!limit || !count || in_len != 3u + count)
		return CCI_RC_INVALID_INPUT;
	memset(out, 0, 4);
	out[0] = count;
	/* worst case 4 + 255 * (4 + 255 * 4) bytes, within out_cap */
	for (unsigned int i = 0; i < count; i++)
		len += vcs_block(m, in[3 + i], start, limit, out + len);
	*out_len = len;
	return CCI_RC_SUCCESS;
}

/* the link trains to the width and speed it had (or its maximum) */
static void link_up(struct model_port *p)
{
	p->ltssm = LTSSM_L0;
	p->neg_width = p->trained_width;
	p->cur_speed = p->trained_speed;
}

uint16_t model_port_control(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len)
{
	struct model_port *p = model_find_port(m, in[0]);

	(void)in_len;
	(void)out;
	if (!p || p->config_state != PORT_STATE_DSP || in[1] > 2)
		return CCI_RC_INVALID_INPUT;
	switch (in[1]) {
	case 0:		/* assert PERST#: the link goes down */
		if (p->neg_width && p->cur_speed) {
			p->trained_width = p->neg_width;
			p->trained_speed = p->cur_speed;
		}
		p->link_flags |= LINK_FLAG_PERST;
		p->ltssm = LTSSM_DETECT;
		p->cur_speed = 0;
		p->neg_width = 0;
		break;
	case 1:		/* deassert PERST#: a connected device trains */
		p->link_flags &= ~LINK_FLAG_PERST;
		if (p->device_type != DEV_TYPE_NONE)
			link_up(p);
		break;
	case 2:		/* reset the PPB: the link retrains */
		if (p->device_type != DEV_TYPE_NONE &&
		    !(p->link_flags & LINK_FLAG_PERST))
			link_up(p);
		break;
	}
	model_event_port(m, p);
	*out_len = 0;
	return CCI_RC_SUCCESS;
}

/* the bytes of the configuration space a write can change */
static int cfg_writable(unsigned int off)
{
	return off == 0x04 || off == 0x05 ||
	       (off >= 0x18 && off <= 0x1a) ||
	       (off >= 0x80 && off <= 0xff);
}

static uint16_t ppb_config(struct model *m, const uint8_t *in,
			   size_t in_len, uint8_t *out, size_t *out_len)
{
	struct model_port *p = model_find_port(m, in[0]);
	/* as in a PCIe config TLP: register number is offset bits 7:2 (in
	 * bits 7:2 of the field), extended register number offset bits 11:8 */
	unsigned int off = (in[2] & 0xfu) << 8 | (in[1] & 0xfcu);
	unsigned int enables = in[2] >> 4;
	int write = in[3] & 0x80;

	(void)in_len;
	if (!p || !enables)
		return CCI_RC_INVALID_INPUT;
	switch (p->config_state) {
	case PORT_STATE_DSP:
	case PORT_STATE_USP:
	case PORT_STATE_BIND:
	case PORT_STATE_UNBIND:
		break;
	default:
		return CCI_RC_INVALID_INPUT;
	}
	memset(out, 0, 4);
	for (unsigned int i = 0; i < 4; i++) {
		if (!(enables & (1u << i)))
			continue;
		if (!write)
			out[i] = p->cfg[off + i];
		else if (cfg_writable(off + i))
			p->cfg[off + i] = in[4 + i];
	}
	*out_len = 4;
	return CCI_RC_SUCCESS;
}

/* a vPPB that holds (or is being bound to) port @port, LD @ld or all */
static int port_taken(struct model *m, unsigned int port, int ld)
{
	for (unsigned int i = 0; i < m->nr_vcss; i++) {
		const struct model_vcs *v = &m->vcss[i];

		for (unsigned int j = 0; j < v->nr_vppbs; j++) {
			const struct model_vppb *b = &v->vppbs[j];

			if (b->binding != VPPB_BOUND_PORT &&
			    b->binding != VPPB_BOUND_LD &&
			    b->binding != VPPB_IN_PROGRESS)
				continue;
			if (b->port_id != (int)port)
				continue;
			/* whole-port binds clash with anything on the port */
			if (ld == MODEL_NONE || b->ld_id == MODEL_NONE ||
			    b->ld_id == ld)
				return 1;
		}
	}
	return 0;
}

static uint16_t bind_vppb(struct model *m, const uint8_t *in, size_t in_len,
			  uint8_t *out, size_t *out_len)
{
	struct model_vcs *vcs = model_find_vcs(m, in[0]);
	struct model_port *p = model_find_port(m, in[2]);
	uint16_t ld = get_le16(in + 4);
	struct model_vppb busy, done;
	struct model_vppb *v;

	(void)in_len;
	(void)out;
	if (!vcs || vcs->state != VCS_STATE_ENABLED ||
	    in[1] >= vcs->nr_vppbs)
		return CCI_RC_INVALID_INPUT;
	v = &vcs->vppbs[in[1]];
	if (v->binding != VPPB_UNBOUND || !p ||
	    p->config_state != PORT_STATE_DSP)
		return CCI_RC_INVALID_INPUT;
	if (ld != 0xffff && (p->device_type != DEV_TYPE_MLD ||
			     ld >= p->ld_count))
		return CCI_RC_INVALID_INPUT;
	if (port_taken(m, p->port_id, ld == 0xffff ? MODEL_NONE : ld))
		return CCI_RC_INVALID_INPUT;
	busy.binding = VPPB_IN_PROGRESS;
	busy.port_id = p->port_id;
	busy.ld_id = ld == 0xffff ? MODEL_NONE : ld;
	done = busy;
	done.binding = ld == 0xffff ? VPPB_BOUND_PORT : VPPB_BOUND_LD;
	*out_len = 0;
	return model_bg_start(m, 0x5201, v, busy, done, p, PORT_STATE_BIND);
}

static uint16_t unbind_vppb(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len)
{
	struct model_vcs *vcs = model_find_vcs(m, in[0]);
	struct model_vppb busy, done = { VPPB_UNBOUND, MODEL_NONE, MODEL_NONE };
	struct model_vppb *v;

	(void)in_len;
	(void)out;
	if (!vcs || in[1] >= vcs->nr_vppbs || (in[2] & 0xf) > 2)
		return CCI_RC_INVALID_INPUT;
	v = &vcs->vppbs[in[1]];
	if (v->binding != VPPB_BOUND_PORT && v->binding != VPPB_BOUND_LD)
		return CCI_RC_INVALID_INPUT;
	busy = *v;
	busy.binding = VPPB_IN_PROGRESS;
	*out_len = 0;
	return model_bg_start(m, 0x5202, v, busy, done,
			      v->port_id == MODEL_NONE ? NULL :
			      model_find_port(m, v->port_id),
			      PORT_STATE_UNBIND);
}

const struct model_cmd model_switch_cmds[] = {
	{ 0x5100, 0, 0, identify_switch },
	{ 0x5101, -1, 0, get_port_state },
	{ 0x5102, 2, CEL_IMMEDIATE_CONFIG, model_port_control },
	{ 0x5103, 8, CEL_IMMEDIATE_CONFIG, ppb_config },
	{ 0x5200, -1, 0, get_vcs_info },
	{ 0x5201, 6, CEL_IMMEDIATE_CONFIG | CEL_BACKGROUND, bind_vppb },
	{ 0x5202, 3, CEL_IMMEDIATE_CONFIG | CEL_BACKGROUND, unbind_vppb },
	{ 0, 0, 0, NULL },
};
