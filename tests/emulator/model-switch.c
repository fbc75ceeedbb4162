// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated CXL switch: physical switch (0x51) and virtual CXL switch (0x52)
 * command sets.
 */
#include <string.h>

#include "model.h"

#define PORT_STATE_DISABLED	0x0
#define PORT_STATE_INVALID_ID	0xf
#define VCS_STATE_ENABLED	0x1
#define VCS_STATE_INVALID_ID	0xff
#define VPPB_BOUND_PORT		0x2
#define VPPB_BOUND_LD		0x3
#define PORT_BLOCK_LEN		16
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

static void port_block(struct model *m, uint8_t id, uint8_t *b)
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
		port_block(m, in[1 + i], out + 4 + i * PORT_BLOCK_LEN);
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
 * the page start .. start + limit - 1 (cxl-cci.md, paging).
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
	if (start < v->nr_vppbs)
		n = v->nr_vppbs - start < limit ? v->nr_vppbs - start : limit;
	for (unsigned int i = 0; i < n; i++)
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

const struct model_cmd model_switch_cmds[] = {
	{ 0x5100, 0, identify_switch },
	{ 0x5101, -1, get_port_state },
	{ 0x5200, -1, get_vcs_info },
	{ 0, 0, NULL },
};
