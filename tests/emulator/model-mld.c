// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: MLD components (0x54: LD allocations and QoS) and
 * multi-headed devices (0x55), answered by a device's FM-owned LD and
 * LD-pool CCIs.
 */
#include <string.h>

#include "device.h"

#define LD_ALLOC_LEN	16
#define HEAD_BLOCK_LEN	9

#define UNUSED_ARGS(p, in, in_len) ((void)(p), (void)(in), (void)(in_len))

static uint16_t get_ld_info(const struct dev_target *t, struct tunnel_path *p,
			    const uint8_t *in, size_t in_len, uint8_t *out,
			    size_t *out_len)
{
	const struct dev_mld *mld = t->dev->mld;

	UNUSED_ARGS(p, in, in_len);
	memset(out, 0, 11);
	put_le64(out, mld->memory_size);
	put_le16(out + 8, mld->nr_lds);
	out[10] = t->dev->mem.qos_caps;
	*out_len = 11;
	return CCI_RC_SUCCESS;
}

static void put_alloc(uint8_t *e, const struct dev_ld *ld)
{
	put_le64(e, ld->range1);
	put_le64(e + 8, ld->range2);
}

/* a page of LDs: start must name an LD, the list is what is left of it */
static uint16_t get_ld_alloc(const struct dev_target *t,
			     struct tunnel_path *p, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct dev_mld *mld = t->dev->mld;
	unsigned int start = in[0], n;

	UNUSED_ARGS(p, in, in_len);
	if (!in[1] || start >= mld->nr_lds)
		return CCI_RC_INVALID_INPUT;
	n = mld->nr_lds - start < in[1] ? mld->nr_lds - start : in[1];
	/* --paging literal: min(limit, LD count), r3.2 Table 7-46's text */
	if (t->sw->opts->paging_literal)
		n = mld->nr_lds < in[1] ? mld->nr_lds : in[1];
	out[0] = mld->nr_lds;
	out[1] = mld->granularity;
	out[2] = start;
	out[3] = n;
	memset(out + 4, 0, n * LD_ALLOC_LEN);
	for (unsigned int i = 0; i < n && start + i < mld->nr_lds; i++)
		put_alloc(out + 4 + i * LD_ALLOC_LEN, &mld->ld[start + i]);
	*out_len = 4 + n * LD_ALLOC_LEN;
	return CCI_RC_SUCCESS;
}

/* all or nothing: every LD named, and the sum within the memory size */
static uint16_t set_ld_alloc(const struct dev_target *t,
			     struct tunnel_path *p, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len)
{
	struct dev_mld *mld = t->dev->mld;
	struct dev_ld next[DEV_MAX_LDS];
	unsigned int n, start;
	uint64_t units = 0, max_units;

	(void)p;
	if (in_len < 4 || in_len != 4 + (size_t)in[0] * LD_ALLOC_LEN)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	n = in[0];
	start = in[1];
	if (!n || start + n > mld->nr_lds)
		return CCI_RC_INVALID_INPUT;
	memcpy(next, mld->ld, sizeof(next));
	for (unsigned int i = 0; i < n; i++) {
		next[start + i].range1 = get_le64(in + 4 + i * LD_ALLOC_LEN);
		next[start + i].range2 = get_le64(in + 12 + i * LD_ALLOC_LEN);
	}
	/* in granularity units, so the sum cannot overflow for sane input */
	max_units = mld->memory_size / device_granularity(mld);
	for (unsigned int i = 0; i < mld->nr_lds; i++) {
		if (next[i].range1 > max_units || next[i].range2 > max_units)
			return CCI_RC_INVALID_INPUT;
		units += next[i].range1 + next[i].range2;
	}
	if (units > max_units)
		return CCI_RC_INVALID_INPUT;
	memcpy(mld->ld, next, sizeof(next));
	out[0] = n;
	out[1] = start;
	out[2] = out[3] = 0;
	for (unsigned int i = 0; i < n; i++)
		put_alloc(out + 4 + i * LD_ALLOC_LEN, &mld->ld[start + i]);
	*out_len = 4 + n * LD_ALLOC_LEN;
	return CCI_RC_SUCCESS;
}

static void put_qos_ctl(const struct dev_mld *mld, uint8_t *out)
{
	out[0] = mld->qos_ctl_flags;
	out[1] = mld->egress_moderate;
	out[2] = mld->egress_severe;
	out[3] = mld->bp_interval;
	put_le16(out + 4, mld->req_cmpl_basis);
	out[6] = mld->cc_interval;
}

static uint16_t get_qos_ctl(const struct dev_target *t, struct tunnel_path *p,
			    const uint8_t *in, size_t in_len, uint8_t *out,
			    size_t *out_len)
{
	UNUSED_ARGS(p, in, in_len);
	put_qos_ctl(t->dev->mld, out);
	*out_len = 7;
	return CCI_RC_SUCCESS;
}

/* percentages above 100 make no sense; reserved control bits stay 0 */
static uint16_t set_qos_ctl(const struct dev_target *t, struct tunnel_path *p,
			    const uint8_t *in, size_t in_len, uint8_t *out,
			    size_t *out_len)
{
	struct dev_mld *mld = t->dev->mld;

	(void)p;
	(void)in_len;
	/* r3.1 QoS Control: percentages 1-100, sample interval 0-15 */
	if (!in[1] || in[1] > 100 || !in[2] || in[2] > 100 || in[3] > 15 ||
	    in[0] & ~3u)
		return CCI_RC_INVALID_INPUT;
	mld->qos_ctl_flags = in[0];
	mld->egress_moderate = in[1];
	mld->egress_severe = in[2];
	mld->bp_interval = in[3];
	mld->req_cmpl_basis = get_le16(in + 4);
	mld->cc_interval = in[6];
	put_qos_ctl(mld, out);
	*out_len = 7;
	return CCI_RC_SUCCESS;
}

static uint16_t get_qos_status(const struct dev_target *t,
			       struct tunnel_path *p, const uint8_t *in,
			       size_t in_len, uint8_t *out, size_t *out_len)
{
	UNUSED_ARGS(p, in, in_len);
	out[0] = t->dev->mld->bp_average;
	*out_len = 1;
	return CCI_RC_SUCCESS;
}

/* Allocated BW (limit 0) and BW Limit (limit 1): count, start, fractions */
static uint16_t qos_bw(const struct dev_target *t, const uint8_t *in,
		       size_t in_len, int set, int limit, uint8_t *out,
		       size_t *out_len)
{
	struct dev_mld *mld = t->dev->mld;
	unsigned int n, start;

	if (in_len < 2 || in_len != (set ? 2u + in[0] : 2u))
		return CCI_RC_INVALID_PAYLOAD_LEN;
	n = in[0];
	start = in[1];
	if (!n || start + n > mld->nr_lds)
		return CCI_RC_INVALID_INPUT;
	for (unsigned int i = 0; set && i < n; i++) {
		struct dev_ld *ld = &mld->ld[start + i];

		if (limit)
			ld->bw_limit = in[2 + i];
		else
			ld->bw_alloc = in[2 + i];
	}
	out[0] = n;
	out[1] = start;
	for (unsigned int i = 0; i < n; i++) {
		const struct dev_ld *ld = &mld->ld[start + i];

		out[2 + i] = limit ? ld->bw_limit : ld->bw_alloc;
	}
	*out_len = 2 + n;
	return CCI_RC_SUCCESS;
}

#define QOS_BW(name, set, limit)					\
static uint16_t name(const struct dev_target *t, struct tunnel_path *p,	\
		     const uint8_t *in, size_t in_len, uint8_t *out,	\
		     size_t *out_len)					\
{									\
	(void)p;							\
	return qos_bw(t, in, in_len, set, limit, out, out_len);		\
}
QOS_BW(get_qos_alloc_bw, 0, 0)
QOS_BW(set_qos_alloc_bw, 1, 0)
QOS_BW(get_qos_bw_limit, 0, 1)
QOS_BW(set_qos_bw_limit, 1, 1)

const struct dev_cmd dev_mld_cmds[] = {
	{ 0x5400, 0, CCI_FM | CCI_POOL, get_ld_info },
	{ 0x5401, 2, CCI_FM | CCI_POOL, get_ld_alloc },
	{ 0x5402, -1, CCI_FM | CCI_POOL, set_ld_alloc },
	{ 0x5403, 0, CCI_FM | CCI_POOL, get_qos_ctl },
	{ 0x5404, 7, CCI_FM | CCI_POOL, set_qos_ctl },
	{ 0x5405, 0, CCI_FM | CCI_POOL, get_qos_status },
	{ 0x5406, 2, CCI_FM | CCI_POOL, get_qos_alloc_bw },
	{ 0x5407, -1, CCI_FM | CCI_POOL, set_qos_alloc_bw },
	{ 0x5408, 2, CCI_FM | CCI_POOL, get_qos_bw_limit },
	{ 0x5409, -1, CCI_FM | CCI_POOL, set_qos_bw_limit },
	{ 0, 0, 0, NULL },
};

/* Get Multi-Headed Info: a page of the LD-to-head map */
static uint16_t get_mhd_info(const struct dev_target *t,
			     struct tunnel_path *p, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct dev_mhd *mhd = t->dev->mhd;
	unsigned int start = in[0], n;

	UNUSED_ARGS(p, in, in_len);
	if (!in[1] || start >= mhd->nr_map)
		return CCI_RC_INVALID_INPUT;
	n = mhd->nr_map - start < in[1] ? mhd->nr_map - start : in[1];
	memset(out, 0, 8);
	out[0] = mhd->nr_map;
	out[1] = mhd->nr_heads;
	out[4] = start;
	out[5] = n;
	memcpy(out + 8, mhd->ld_to_head + start, n);
	*out_len = 8 + n;
	return CCI_RC_SUCCESS;
}

static uint16_t get_head_info(const struct dev_target *t,
			      struct tunnel_path *p, const uint8_t *in,
			      size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct dev_mhd *mhd = t->dev->mhd;
	unsigned int start = in[0], n;

	UNUSED_ARGS(p, in, in_len);
	if (!in[1] || start >= mhd->nr_heads)
		return CCI_RC_INVALID_INPUT;
	n = mhd->nr_heads - start < in[1] ? mhd->nr_heads - start : in[1];
	memset(out, 0, 4);
	out[0] = n;
	for (unsigned int i = 0; i < n; i++) {
		const struct dev_head *h = &mhd->heads[start + i];
		uint8_t *b = out + 4 + i * HEAD_BLOCK_LEN;

		b[0] = h->port_number;
		b[1] = h->max_width;
		b[2] = h->neg_width;
		b[3] = h->speeds;
		b[4] = h->max_speed;
		b[5] = h->cur_speed;
		b[6] = h->ltssm;
		b[7] = h->first_lane;
		b[8] = h->flags;
	}
	*out_len = 4 + n * HEAD_BLOCK_LEN;
	return CCI_RC_SUCCESS;
}

const struct dev_cmd dev_mhd_cmds[] = {
	{ 0x5500, 2, CCI_FM | CCI_POOL, get_mhd_info },
	{ 0x5501, 2, CCI_FM | CCI_POOL, get_head_info },
	{ 0, 0, 0, NULL },
};
