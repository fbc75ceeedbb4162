// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: event logs.  Get Event Records (0x0100), Clear
 * Event Records (0x0101), Get / Set Event Interrupt Policy (0x0102,
 * 0x0103), and the records the switch writes when its state changes: a
 * Virtual CXL Switch Event when a bind or unbind ends (the Informational
 * log when it worked, the Warning log when it did not, as CXL r3.1
 * Table 7-78 says), a Physical Switch Event when Physical Port Control
 * changes a port's link.  Records stay until they are cleared, as in the
 * spec; a full log drops new records and counts them as overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define HDR_LEN		32
#define DATA_OFF	48
#define DATA_LEN	80
#define CLEAR_HDR	6

static const uint8_t vcs_uuid[16] = {
	0x40, 0xd2, 0x64, 0x25, 0x33, 0x96, 0x4c, 0x4d,
	0xa5, 0xda, 0x3d, 0x47, 0x26, 0x3a, 0xf4, 0x25,
};

static const uint8_t phys_uuid[16] = {
	0x77, 0xcf, 0x92, 0x71, 0x9c, 0x02, 0x47, 0x0b,
	0x9f, 0xe4, 0xbc, 0x7b, 0x75, 0xf2, 0xda, 0x97,
};

int model_events_init(struct model_events *ev, unsigned int capacity)
{
	model_events_free(ev);
	memset(ev, 0, sizeof(*ev));
	ev->capacity = capacity;
	ev->next_handle = 1;
	for (unsigned int i = 0; i < MODEL_EVENT_LOGS; i++) {
		ev->log[i].rec = calloc(capacity ? capacity : 1,
					MODEL_EVENT_LEN);
		if (!ev->log[i].rec)
			return -1;
	}
	return 0;
}

void model_events_free(struct model_events *ev)
{
	for (unsigned int i = 0; i < MODEL_EVENT_LOGS; i++) {
		free(ev->log[i].rec);
		ev->log[i].rec = NULL;
	}
}

void model_event_add(struct model *m, unsigned int log, const uint8_t *uuid,
		     const uint8_t *data)
{
	struct model_events *ev = &m->ev;
	struct model_event_log *l = &ev->log[log];
	uint64_t now = model_now_ns(m);
	uint8_t *r;

	if (l->nr >= ev->capacity) {
		if (!l->overflow_count)
			l->first_overflow = now;
		l->last_overflow = now;
		if (l->overflow_count < 0xffff)
			l->overflow_count++;
		return;
	}
	r = l->rec[l->nr++];
	memset(r, 0, MODEL_EVENT_LEN);
	memcpy(r, uuid, 16);
	r[16] = MODEL_EVENT_LEN;
	/* severity in flag bits 1:0; the dynamic capacity log says info */
	r[17] = log < 4 ? log : 0;
	put_le16(r + 20, ev->next_handle);
	put_le64(r + 24, now);
	memcpy(r + DATA_OFF, data, DATA_LEN);
	if (!++ev->next_handle)
		ev->next_handle = 1;
}

/* the VCS and index of a vPPB, by its address in the model */
static int vppb_where(const struct model *m, const struct model_vppb *v,
		      unsigned int *vcs, unsigned int *idx)
{
	for (unsigned int i = 0; i < m->nr_vcss; i++) {
		const struct model_vcs *c = &m->vcss[i];

		if (v >= c->vppbs && v < c->vppbs + c->nr_vppbs) {
			*vcs = c->vcs_id;
			*idx = v - c->vppbs;
			return 0;
		}
	}
	return -1;
}

void model_event_vppb(struct model *m, const struct model_vppb *v,
		      uint16_t rc)
{
	uint8_t d[DATA_LEN] = { 0 };
	unsigned int vcs, idx;

	if (vppb_where(m, v, &vcs, &idx))
		return;
	d[0x00] = vcs;
	d[0x01] = idx;
	d[0x02] = 0;			/* binding change */
	d[0x03] = v->binding;
	d[0x04] = v->port_id == MODEL_NONE ? 0xff : v->port_id;
	d[0x05] = v->ld_id == MODEL_NONE ? 0xff : v->ld_id;
	model_event_add(m, rc == CCI_RC_SUCCESS ? 0 : 1, vcs_uuid, d);
}

void model_event_port(struct model *m, const struct model_port *p)
{
	uint8_t d[DATA_LEN] = { 0 };

	d[0x00] = p->port_id;
	d[0x01] = 0;			/* link state change */
	d[0x05] = p->config_state & 0xf;
	d[0x06] = p->cxl_version & 0xf;
	d[0x08] = p->device_type;
	d[0x09] = p->supported_versions;
	d[0x0a] = p->max_width & 0x3f;
	d[0x0b] = p->neg_width & 0x3f;
	d[0x0c] = p->speeds & 0x3f;
	d[0x0d] = p->max_speed & 0x3f;
	d[0x0e] = p->cur_speed & 0x3f;
	d[0x0f] = p->ltssm;
	d[0x10] = p->first_lane;
	put_le16(d + 0x11, p->link_flags);
	model_event_add(m, 0, phys_uuid, d);
}

static uint16_t get_event_records(struct model *m, const uint8_t *in,
				  size_t in_len, uint8_t *out,
				  size_t *out_len)
{
	const struct model_event_log *l;
	size_t limit = (size_t)1 << m->resp_log2;
	unsigned int n;

	(void)in_len;
	if (in[0] >= MODEL_EVENT_LOGS)
		return CCI_RC_INVALID_INPUT;
	l = &m->ev.log[in[0]];
	n = (limit - HDR_LEN) / MODEL_EVENT_LEN;
	if (n > l->nr)
		n = l->nr;
	memset(out, 0, HDR_LEN);
	out[0] = (l->overflow_count ? 1 : 0) | (n < l->nr ? 2 : 0);
	put_le16(out + 2, l->overflow_count);
	put_le64(out + 4, l->first_overflow);
	put_le64(out + 12, l->last_overflow);
	put_le16(out + 20, n);
	memcpy(out + HDR_LEN, l->rec, (size_t)n * MODEL_EVENT_LEN);
	*out_len = HDR_LEN + (size_t)n * MODEL_EVENT_LEN;
	return CCI_RC_SUCCESS;
}

static int find_handle(const struct model_event_log *l, uint16_t h)
{
	for (unsigned int i = 0; i < l->nr; i++)
		if (get_le16(l->rec[i] + 20) == h)
			return i;
	return -1;
}

static void drop(struct model_event_log *l, unsigned int i)
{
	memmove(l->rec[i], l->rec[i + 1],
		(size_t)(l->nr - i - 1) * MODEL_EVENT_LEN);
	l->nr--;
}

static uint16_t clear_event_records(struct model *m, const uint8_t *in,
				    size_t in_len, uint8_t *out,
				    size_t *out_len)
{
	struct model_event_log *l;
	unsigned int count;

	(void)out;
	*out_len = 0;
	if (in_len < CLEAR_HDR || in[0] >= MODEL_EVENT_LOGS)
		return CCI_RC_INVALID_INPUT;
	l = &m->ev.log[in[0]];
	count = in[2];
	if (in[1] & 1) {		/* clear all */
		if (count || in_len != CLEAR_HDR)
			return CCI_RC_INVALID_INPUT;
		l->nr = 0;
	} else {
		if (!count || in_len != CLEAR_HDR + 2u * count)
			return CCI_RC_INVALID_PAYLOAD_LEN;
		/* every handle must be there, or nothing is cleared */
		for (unsigned int i = 0; i < count; i++)
			if (find_handle(l, get_le16(in + CLEAR_HDR + 2 * i)) < 0)
				return CCI_RC_INVALID_HANDLE;
		for (unsigned int i = 0; i < count; i++) {
			int at = find_handle(l, get_le16(in + CLEAR_HDR + 2 * i));

			if (at >= 0)
				drop(l, at);
		}
	}
	/* an empty log has room again: the overflow is over */
	if (!l->nr) {
		l->overflow_count = 0;
		l->first_overflow = l->last_overflow = 0;
	}
	return CCI_RC_SUCCESS;
}

/*
 * Get / Set MCTP Event Interrupt Policy (r3.1 8.2.9.2.6-7): a u16 of the
 * logs whose records make the switch send Event Notification (0x0106) to
 * its FM over MCTP. A switch has these, not 0x0102/0x0103, which r3.1
 * Table 8-37 prohibits on a switch CCI (they are not here: Unsupported).
 * Set answers nothing, as libcxlmi expects; the bits are kept as given.
 */
static uint16_t get_mctp_policy(struct model *m, const uint8_t *in,
				size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)in;
	(void)in_len;
	put_le16(out, m->ev.mctp_policy);
	*out_len = 2;
	return CCI_RC_SUCCESS;
}

static uint16_t set_mctp_policy(struct model *m, const uint8_t *in,
				size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)out;
	(void)in_len;
	*out_len = 0;
	m->ev.mctp_policy = get_le16(in);
	return CCI_RC_SUCCESS;
}

const struct model_cmd model_event_cmds[] = {
	{ 0x0100, 1, 0, get_event_records },
	{ 0x0101, -1, CEL_IMMEDIATE_LOG, clear_event_records },
	{ 0x0104, 0, 0, get_mctp_policy },
	{ 0x0105, 2, CEL_IMMEDIATE_POLICY, set_mctp_policy },
	{ 0, 0, 0, NULL },
};
