// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Get Virtual CXL Switch Info (0x5200) and its paging.  One request names
 * several VCSs but shares one start vPPB and one list limit between them,
 * and an answer's size is only known once each VCS's vPPB count is known.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

#define VCS_REQ_HDR	3u
#define VCS_PER_REQ_MAX	255u

int cxlsw_vcs_info_encode(const struct cxlsw_vcs_request *req, void *buf,
			  size_t len, size_t *used)
{
	uint8_t *p = buf;

	if (!req->count || !req->vppb_limit || len < VCS_REQ_HDR + req->count)
		return -EINVAL;
	p[0] = req->start_vppb;
	p[1] = req->vppb_limit;
	p[2] = req->count;
	memcpy(p + VCS_REQ_HDR, req->vcs_ids, req->count);
	*used = VCS_REQ_HDR + req->count;
	return 0;
}

/*
 * How many vPPB entries follow a VCS block.  r3.2 Table 7-32 reads
 * min(limit, total), ignoring the start (`literal`); the reading that
 * makes paging work is min(limit, total - start).  A device may follow
 * either, so an answer is decoded by whichever its length matches.
 */
static size_t entries_on_wire(const struct cxlsw_vcs_request *req,
			      unsigned int total, bool literal)
{
	unsigned int left;

	if (literal)
		return total < req->vppb_limit ? total : req->vppb_limit;
	if (req->start_vppb >= total)
		return 0;
	left = total - req->start_vppb;
	return left < req->vppb_limit ? left : req->vppb_limit;
}

/* The entries that are vPPBs: never past the VCS's total. */
static size_t entries_kept(const struct cxlsw_vcs_request *req,
			   unsigned int total)
{
	return entries_on_wire(req, total, false);
}

/* Whether the answer's own counts under one reading add up to its length. */
static bool answer_matches(const uint8_t *p, size_t len,
			   const struct cxlsw_vcs_request *req, bool literal)
{
	size_t off = CXLSW_VCS_HDR_LEN;

	for (unsigned int i = 0; i < req->count; i++) {
		if (len - off < CXLSW_VCS_HDR_LEN)
			return false;
		off += CXLSW_VCS_HDR_LEN + CXLSW_VPPB_ENTRY_LEN *
		       entries_on_wire(req, p[off + 3], literal);
		if (off > len)
			return false;
	}
	return off == len;
}

int cxlsw_vcs_info_decode(const void *buf, size_t len,
			  const struct cxlsw_vcs_request *req,
			  struct cxlsw_vcs_info *const *slots)
{
	const uint8_t *p = buf;
	size_t off = CXLSW_VCS_HDR_LEN;
	bool literal;

	if (len < CXLSW_VCS_HDR_LEN || p[0] != req->count)
		return -EBADMSG;
	if (answer_matches(p, len, req, false))
		literal = false;
	else if (answer_matches(p, len, req, true))
		literal = true;
	else
		return -EBADMSG;
	for (unsigned int i = 0; i < req->count; i++) {
		struct cxlsw_vcs_info *v = slots[i];
		size_t n, wire;

		if (p[off] != req->vcs_ids[i])
			return -EBADMSG;
		if (v->have && v->num_vppbs != p[off + 3])
			return -EBADMSG;
		v->vcs_id = p[off];
		v->state = p[off + 1];
		v->usp_id = p[off + 2];
		v->num_vppbs = p[off + 3];
		off += CXLSW_VCS_HDR_LEN;
		n = entries_kept(req, v->num_vppbs);
		wire = entries_on_wire(req, v->num_vppbs, literal);
		for (size_t j = 0; j < n; j++) {
			const uint8_t *e_in = p + off + j * CXLSW_VPPB_ENTRY_LEN;
			struct cxlsw_vppb *e = &v->vppbs[req->start_vppb + j];

			e->binding_status = e_in[0];
			e->port_id = e_in[1];
			e->ld_id = e_in[2];
		}
		off += wire * CXLSW_VPPB_ENTRY_LEN;
		v->have = (uint16_t)(req->start_vppb + n);
	}
	return 0;
}

/*
 * One VCS still being read: where its next page starts.  `known` is false
 * until an answer has told us its vPPB count.
 */
struct vcs_cursor {
	struct cxlsw_vcs_info *vcs;
	bool known;
	bool done;
};

struct vcs_batch {
	struct cxlsw_vcs_request req;
	struct cxlsw_vcs_info *slots[VCS_PER_REQ_MAX];
};

static unsigned int remaining(const struct vcs_cursor *c)
{
	return c->vcs->num_vppbs - c->vcs->have;
}

/*
 * The most a VCS block can take for a page at its next vPPB with this
 * limit, whichever reading the device follows: min(limit, total) entries
 * literally, which is never fewer than min(limit, total - start).
 */
static size_t answer_size(const struct vcs_cursor *c, unsigned int limit)
{
	unsigned int total = c->vcs->num_vppbs;

	return CXLSW_VCS_HDR_LEN +
	       CXLSW_VPPB_ENTRY_LEN * (total < limit ? total : limit);
}

/* The whole answer to a batch with this limit, in the worst reading. */
static size_t batch_size(struct vcs_cursor *const *group, size_t n,
			 unsigned int limit)
{
	size_t size = CXLSW_VCS_HDR_LEN;

	for (size_t i = 0; i < n; i++)
		size += answer_size(group[i], limit);
	return size;
}

static void batch_add(struct vcs_batch *b, struct vcs_cursor *c)
{
	b->req.vcs_ids[b->req.count] = c->vcs->vcs_id;
	b->slots[b->req.count++] = c->vcs;
}

/*
 * First pass: the vPPB counts are unknown, so ask for as many VCSs as fit
 * with the largest limit that keeps the worst case inside the message.
 */
static void plan_discovery(struct vcs_cursor *cur, size_t n, size_t msg,
			   struct vcs_batch *b)
{
	size_t fit = (msg - CXLSW_VCS_HDR_LEN) /
		     (CXLSW_VCS_HDR_LEN + CXLSW_VPPB_ENTRY_LEN);
	size_t want = 0, lim;

	for (size_t i = 0; i < n; i++)
		want += !cur[i].known;
	if (want > fit)
		want = fit;
	if (want > msg - VCS_REQ_HDR)
		want = msg - VCS_REQ_HDR;
	if (want > VCS_PER_REQ_MAX)
		want = VCS_PER_REQ_MAX;
	lim = ((msg - CXLSW_VCS_HDR_LEN) / want - CXLSW_VCS_HDR_LEN) /
	      CXLSW_VPPB_ENTRY_LEN;
	b->req.start_vppb = 0;
	b->req.vppb_limit = lim > 255 ? 255 : (uint8_t)lim;
	for (size_t i = 0; i < n && b->req.count < want; i++)
		if (!cur[i].known)
			batch_add(b, &cur[i]);
}

static int by_remaining(const void *a, const void *b)
{
	unsigned int x = remaining(*(struct vcs_cursor *const *)a);
	unsigned int y = remaining(*(struct vcs_cursor *const *)b);

	return (x > y) - (x < y);
}

/*
 * Later passes: the counts are known, so pack the VCSs that continue at
 * the same vPPB, smallest first, as long as each is answered in full; then
 * fill what is left of the message with part of the next one.
 */
static void plan_paging(struct vcs_cursor *cur, size_t n, size_t msg,
			struct vcs_batch *b)
{
	struct vcs_cursor *group[CXLSW_MAX_VCSS];
	size_t g = 0, i;
	unsigned int start = 0, lim = 0, part;

	for (i = 0; i < n && (cur[i].done || !cur[i].known); i++)
		;
	start = cur[i].vcs->have;
	for (; i < n; i++)
		if (!cur[i].done && cur[i].known && cur[i].vcs->have == start)
			group[g++] = &cur[i];
	qsort(group, g, sizeof(group[0]), by_remaining);
	b->req.start_vppb = (uint8_t)start;
	/* smallest first: each in full, the limit its remaining count */
	for (i = 0; i < g && b->req.count < VCS_PER_REQ_MAX; i++) {
		unsigned int want = remaining(group[i]) > lim ?
				    remaining(group[i]) : lim;

		if (batch_size(group, i + 1, want) > msg ||
		    VCS_REQ_HDR + b->req.count + 1 > msg)
			break;
		lim = want;
		batch_add(b, group[i]);
	}
	/* then part of the next: the largest limit that still fits */
	if (i < g && b->req.count < VCS_PER_REQ_MAX &&
	    VCS_REQ_HDR + b->req.count + 1 <= msg) {
		for (part = remaining(group[i]) < 255 ? remaining(group[i]) : 255;
		     part > lim && batch_size(group, i + 1, part) > msg; part--)
			;
		if (part > lim) {
			lim = part;
			batch_add(b, group[i]);
		}
	}
	b->req.vppb_limit = (uint8_t)(lim ? lim : 1);
}

static int vcs_round_trip(struct cxlsw_dev *dev, struct vcs_batch *b,
			  uint8_t *buf, size_t msg)
{
	uint8_t req[VCS_REQ_HDR + VCS_PER_REQ_MAX];
	size_t req_len, got = msg;
	int rc;

	if (cxlsw_vcs_info_encode(&b->req, req, sizeof(req), &req_len))
		return dev_fail(dev, CXLSW_ERR_INVALID, EINVAL,
				CXLSW_OP_GET_VCS_INFO, "empty VCS request");
	rc = cxlsw_dev_send(dev, CXLSW_OP_GET_VCS_INFO, req, req_len, buf,
			    &got);
	if (rc)
		return rc;
	if (cxlsw_vcs_info_decode(buf, got, &b->req, b->slots))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_VCS_INFO,
				"answer of %zu bytes does not match a request for %u VCSs from vPPB %u",
				got, b->req.count, b->req.start_vppb);
	return 0;
}

static void mark_progress(struct vcs_cursor *cur, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cur[i].done = cur[i].known && !remaining(&cur[i]);
}

static bool all_done(const struct vcs_cursor *cur, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cur[i].done)
			return false;
	return true;
}

static bool any_unknown(const struct vcs_cursor *cur, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!cur[i].known)
			return true;
	return false;
}

int cxlsw_get_vcs_info(struct cxlsw_dev *dev, const uint8_t *ids, size_t n,
		       struct cxlsw_vcs_info *vcs)
{
	struct vcs_cursor *cur;
	struct vcs_batch *b;
	uint8_t *buf;
	size_t msg;
	int rc;

	/*
	 * A VCS block is 4 bytes and so is each vPPB entry: with the switch's
	 * vPPB total known, an answer that fits what every CCI takes asks no
	 * limit.
	 */
	rc = dev->have_vppb_total ?
	     dev_page_limit(dev, 4, CXLSW_VPPB_ENTRY_LEN, n + dev->vppb_total,
			    &msg) :
	     cxlsw_dev_msg_limit(dev, &msg);
	if (rc || !n)
		return rc;
	cur = calloc(n, sizeof(*cur));
	b = malloc(sizeof(*b));
	buf = malloc(msg);
	if (!cur || !b || !buf) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&vcs[i], 0, sizeof(vcs[i]));
		vcs[i].vcs_id = ids[i];
		cur[i].vcs = &vcs[i];
	}
	while (!all_done(cur, n)) {
		bool discovery = any_unknown(cur, n);

		memset(&b->req, 0, sizeof(b->req));
		if (discovery)
			plan_discovery(cur, n, msg, b);
		else
			plan_paging(cur, n, msg, b);
		rc = vcs_round_trip(dev, b, buf, msg);
		if (rc)
			break;
		for (unsigned int i = 0; discovery && i < b->req.count; i++)
			for (size_t j = 0; j < n; j++)
				if (cur[j].vcs == b->slots[i])
					cur[j].known = true;
		mark_progress(cur, n);
	}
out:
	free(buf);
	free(b);
	free(cur);
	return rc;
}

int cxlsw_bind_encode(uint8_t vcs, uint8_t vppb, uint8_t port, uint16_t ld,
		      void *buf, size_t len)
{
	uint8_t *p = buf;

	if (len < CXLSW_BIND_LEN)
		return -EINVAL;
	p[0] = vcs;
	p[1] = vppb;
	p[2] = port;
	p[3] = 0;
	put_le16(p + 4, ld);
	return 0;
}

int cxlsw_unbind_encode(uint8_t vcs, uint8_t vppb, uint8_t mode, void *buf,
			size_t len)
{
	uint8_t *p = buf;

	if (len < CXLSW_UNBIND_LEN || mode > CXLSW_UNBIND_SURPRISE)
		return -EINVAL;
	p[0] = vcs;
	p[1] = vppb;
	p[2] = mode;
	return 0;
}
