// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: dynamic capacity devices (0x56). Regions hold
 * extents that belong to hosts; adding and releasing are background
 * operations of the device, checked completely before they start, so a
 * refused request changes nothing, and applied when they complete (the
 * host's generation number goes up then).
 */
#include <stdlib.h>
#include <string.h>

#include "device.h"

#define REGION_BLOCK_LEN	40
#define EXTENT_LEN		40
#define ADD_HDR_LEN		32	/* 0x5604 / 0x5605 before the extents */

enum { SEL_FREE, SEL_CONTIGUOUS, SEL_PRESCRIPTIVE, SEL_SHARED };
enum { REM_TAG, REM_PRESCRIPTIVE };

static const uint8_t no_tag[16];

static unsigned int extents_in_use(const struct dev_dcd *d)
{
	unsigned int n = 0;

	for (unsigned int h = 0; h < d->nr_hosts; h++)
		n += d->hosts[h].nr_extents;
	return n;
}

static int tag_in_use(const struct dev_dcd *d, const uint8_t *tag)
{
	for (unsigned int h = 0; h < d->nr_hosts; h++)
		for (unsigned int i = 0; i < d->hosts[h].nr_extents; i++)
			if (!memcmp(d->hosts[h].extents[i].tag, tag, 16))
				return 1;
	return 0;
}

/* distinct non-null tags of every host's extents */
static unsigned int tags_in_use(const struct dev_dcd *d)
{
	unsigned int n = 0;

	for (unsigned int h = 0; h < d->nr_hosts; h++) {
		const struct dev_dc_host *host = &d->hosts[h];

		for (unsigned int i = 0; i < host->nr_extents; i++) {
			const uint8_t *tag = host->extents[i].tag;
			int seen = !memcmp(tag, no_tag, 16);

			/* counted where it first appears */
			for (unsigned int g = 0; !seen && g <= h; g++)
				for (unsigned int j = 0; !seen && j <
				     (g == h ? i : d->hosts[g].nr_extents); j++)
					seen = !memcmp(d->hosts[g].extents[j].tag,
						       tag, 16);
			n += !seen;
		}
	}
	return n;
}

/* what is left of a budget (a loaded file may already be beyond it) */
static uint32_t left(uint32_t budget, uint32_t used_n)
{
	return used_n < budget ? budget - used_n : 0;
}

static int overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* does any host (but @skip, -1 for none) hold bytes of [dpa, dpa+len)? */
static int used(const struct dev_dcd *d, uint64_t dpa, uint64_t len,
		int skip)
{
	for (unsigned int h = 0; h < d->nr_hosts; h++) {
		if ((int)h == skip)
			continue;
		for (unsigned int i = 0; i < d->hosts[h].nr_extents; i++)
			if (overlap(dpa, len, d->hosts[h].extents[i].dpa,
				    d->hosts[h].extents[i].len))
				return 1;
	}
	return 0;
}

/* is [dpa, dpa+len) wholly covered by extents of hosts other than @h? */
static int shared_by_others(const struct dev_dcd *d, uint64_t dpa,
			    uint64_t len, unsigned int h, uint64_t block)
{
	for (uint64_t a = dpa; a < dpa + len; a += block)
		if (!used(d, a, block, h))
			return 0;
	return 1;
}

static int region_has_extents(const struct dev_dcd *d,
			      const struct dev_dc_region *r)
{
	return used(d, r->base, r->len, -1);
}

static uint16_t get_dcd_info(const struct dev_target *t,
			     struct tunnel_path *p, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct dev_dcd *d = t->dev->dcd;

	(void)p;
	(void)in;
	(void)in_len;
	memset(out, 0, 84);
	out[0] = d->nr_hosts;
	out[1] = d->nr_regions;
	put_le16(out + 4, d->sel_policies);
	put_le16(out + 8, d->rem_policies);
	for (unsigned int i = 0; i < d->nr_regions; i++) {
		/* r3.1 Get DCD Info byte 0x0A: whose setting 0x5602 may change */
		if (!d->regions[i].sanitize_fixed)
			out[10] |= 1u << i;
		put_le64(out + 20 + 8 * i, d->regions[i].block_mask);
	}
	put_le64(out + 12, d->total / DEV_CAP_UNIT);
	*out_len = 84;
	return CCI_RC_SUCCESS;
}

/* a page of regions, then the device's extent and tag counts */
static uint16_t get_region_config(const struct dev_target *t,
				  struct tunnel_path *p, const uint8_t *in,
				  size_t in_len, uint8_t *out,
				  size_t *out_len)
{
	const struct dev_dcd *d = t->dev->dcd;
	unsigned int host = get_le16(in), start = in[3], n;
	uint8_t *tail;

	(void)p;
	(void)in_len;
	if (host >= d->nr_hosts || start >= d->nr_regions)
		return CCI_RC_INVALID_INPUT;
	n = d->nr_regions - start < in[2] ? d->nr_regions - start : in[2];
	put_le16(out, host);
	out[2] = d->nr_regions;
	out[3] = n;
	for (unsigned int i = 0; i < n; i++) {
		const struct dev_dc_region *r = &d->regions[start + i];
		uint8_t *b = out + 4 + i * REGION_BLOCK_LEN;

		memset(b, 0, REGION_BLOCK_LEN);
		put_le64(b, r->base);
		put_le64(b + 8, r->decode_len / DEV_CAP_UNIT);
		put_le64(b + 16, r->len);
		put_le64(b + 24, r->block);
		b[32] = r->flags;
		b[36] = r->sanitize;
	}
	tail = out + 4 + n * REGION_BLOCK_LEN;
	put_le32(tail, d->extents_supported);
	put_le32(tail + 4, left(d->extents_supported, extents_in_use(d)));
	put_le32(tail + 8, d->tags_supported);
	put_le32(tail + 12, left(d->tags_supported, tags_in_use(d)));
	*out_len = 4 + n * REGION_BLOCK_LEN + 16;
	return CCI_RC_SUCCESS;
}

/*
 * A region's block size can change only while no extent lives in it
 * (Invalid Input otherwise, as for a size the region does not support);
 * its sanitize-on-release setting only where Get DCD Info's configurable
 * mask (byte 0x0A) says so, else Invalid Input.
 */
static uint16_t set_region_config(const struct dev_target *t,
				  struct tunnel_path *p, const uint8_t *in,
				  size_t in_len, uint8_t *out,
				  size_t *out_len)
{
	struct dev_dcd *d = t->dev->dcd;
	uint64_t block = get_le64(in + 4);
	struct dev_dc_region *r;

	(void)p;
	(void)in_len;
	(void)out;
	if (t->dev->bg.running)
		return CCI_RC_BUSY;
	if (in[0] >= d->nr_regions || in[12] > 1)
		return CCI_RC_INVALID_INPUT;
	r = &d->regions[in[0]];
	if (!block || (block & (block - 1)) || !(block & r->block_mask) ||
	    r->len % block)
		return CCI_RC_INVALID_INPUT;
	if (block != r->block && region_has_extents(d, r))
		return CCI_RC_INVALID_INPUT;
	if (in[12] != r->sanitize && r->sanitize_fixed)
		return CCI_RC_INVALID_INPUT;
	r->block = block;
	r->sanitize = in[12];
	*out_len = 0;
	return CCI_RC_SUCCESS;
}

static void put_extent(uint8_t *b, const struct dev_extent *e)
{
	memset(b, 0, EXTENT_LEN);
	put_le64(b, e->dpa);
	put_le64(b + 8, e->len);
	memcpy(b + 16, e->tag, 16);
	put_le16(b + 32, e->seq);
}

static void get_extent(const uint8_t *b, struct dev_extent *e)
{
	e->dpa = get_le64(b);
	e->len = get_le64(b + 8);
	memcpy(e->tag, b + 16, 16);
	e->seq = get_le16(b + 32);
}

static uint16_t get_extent_list(const struct dev_target *t,
				struct tunnel_path *p, const uint8_t *in,
				size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct dev_dcd *d = t->dev->dcd;
	unsigned int host = get_le16(in);
	uint32_t count = get_le32(in + 4), start = get_le32(in + 8), n;
	const struct dev_dc_host *h;

	(void)p;
	(void)in_len;
	if (host >= d->nr_hosts)
		return CCI_RC_INVALID_INPUT;
	h = &d->hosts[host];
	if (start > h->nr_extents)
		return CCI_RC_INVALID_INPUT;
	n = h->nr_extents - start < count ? h->nr_extents - start : count;
	/* the limit check comes after; do not build beyond the buffer */
	if (24 + (uint64_t)n * EXTENT_LEN > (1u << t->dev->resp_log2))
		return CCI_RC_INVALID_INPUT;
	memset(out, 0, 24);
	put_le16(out, host);
	put_le32(out + 4, start);
	put_le32(out + 8, n);
	put_le32(out + 12, h->nr_extents);
	put_le32(out + 16, h->generation);
	for (uint32_t i = 0; i < n; i++)
		put_extent(out + 24 + i * EXTENT_LEN, &h->extents[start + i]);
	*out_len = 24 + n * EXTENT_LEN;
	return CCI_RC_SUCCESS;
}

/* the common header of 0x5604 / 0x5605; Invalid Payload Length or 0 */
static uint16_t check_len(const uint8_t *in, size_t in_len, uint32_t *n)
{
	if (in_len < ADD_HDR_LEN)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	*n = get_le32(in + 28);
	if (*n > DEV_MAX_EXTENTS ||
	    in_len != ADD_HDR_LEN + (size_t)*n * EXTENT_LEN)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	return 0;
}

/* what Add and Release check first: the length, a running op, the host */
static uint16_t check_request(const struct dev_target *t, const uint8_t *in,
			      size_t in_len, uint32_t *n, unsigned int *host)
{
	uint16_t rc = check_len(in, in_len, n);

	if (rc)
		return rc;
	if (t->dev->bg.running)
		return CCI_RC_BUSY;
	*host = get_le16(in);
	return *host >= t->dev->dcd->nr_hosts ? CCI_RC_INVALID_INPUT : 0;
}

/* the region holding the whole of [dpa, dpa+len), or NULL */
static const struct dev_dc_region *region_of(const struct dev_dcd *d,
					     uint64_t dpa, uint64_t len)
{
	for (unsigned int i = 0; i < d->nr_regions; i++) {
		const struct dev_dc_region *r = &d->regions[i];

		if (dpa >= r->base && len <= r->len &&
		    dpa - r->base <= r->len - len)
			return r;
	}
	return NULL;
}

/* free or contiguous: pick unused blocks of @r, lowest address first */
static uint16_t pick_free(const struct dev_dcd *d,
			  const struct dev_dc_region *r, uint64_t len,
			  int contiguous, const uint8_t *tag,
			  struct dev_extent *list, unsigned int *nr,
			  unsigned int max)
{
	uint64_t left = len, run = 0, run_start = 0;

	for (uint64_t a = r->base; a < r->base + r->len && left;
	     a += r->block) {
		int busy = used(d, a, r->block, -1);

		if (!busy) {
			if (!run)
				run_start = a;
			run += r->block;
		}
		/* a run ends at a used block, the region's end or when enough */
		if (run && (busy || a + r->block == r->base + r->len ||
			    run == left)) {
			if (contiguous && run < len) {
				run = 0;
				continue;
			}
			if (*nr == max)
				return CCI_RC_RESOURCES_EXHAUSTED;
			list[*nr].dpa = run_start;
			list[*nr].len = run;
			memcpy(list[*nr].tag, tag, 16);
			list[*nr].seq = 0;
			(*nr)++;
			left -= run;
			run = 0;
		}
	}
	return left ? CCI_RC_RESOURCES_EXHAUSTED : CCI_RC_SUCCESS;
}

/* the extents the host will hold after the add, or a return code */
static uint16_t plan_add(const struct dev_dcd *d, const uint8_t *in,
			 uint32_t n, struct dev_extent *list,
			 unsigned int *nr)
{
	unsigned int host = get_le16(in), policy = in[2];
	const struct dev_dc_host *h = &d->hosts[host];
	const struct dev_dc_region *r;
	uint64_t len = get_le64(in + 4), sum = 0;
	unsigned int first = h->nr_extents;
	/* the device's extent budget, what the other hosts hold aside */
	unsigned int max = left(d->extents_supported,
				extents_in_use(d) - first);

	if (in[3] >= d->nr_regions)
		return CCI_RC_INVALID_INPUT;
	r = &d->regions[in[3]];
	if (!len || len % r->block)
		return CCI_RC_INVALID_INPUT;
	memcpy(list, h->extents, first * sizeof(*list));
	*nr = first;
	if (policy == SEL_FREE || policy == SEL_CONTIGUOUS)
		return pick_free(d, r, len, policy == SEL_CONTIGUOUS, in + 12,
				 list, nr, max);
	if (!n)
		return CCI_RC_INVALID_INPUT;
	for (uint32_t i = 0; i < n; i++) {
		struct dev_extent e;

		get_extent(in + ADD_HDR_LEN + i * EXTENT_LEN, &e);
		if (!memcmp(e.tag, no_tag, 16))
			memcpy(e.tag, in + 12, 16);
		/* inside the named region, whole blocks */
		if (!e.len || region_of(d, e.dpa, e.len) != r ||
		    (e.dpa - r->base) % r->block || e.len % r->block)
			return CCI_RC_INVALID_EXTENT_LIST;
		/* not the host's already, nor listed twice */
		for (unsigned int j = 0; j < *nr; j++)
			if (overlap(e.dpa, e.len, list[j].dpa, list[j].len))
				return CCI_RC_INVALID_EXTENT_LIST;
		if (policy == SEL_PRESCRIPTIVE && used(d, e.dpa, e.len, host))
			return CCI_RC_INVALID_EXTENT_LIST;
		if (policy == SEL_SHARED &&
		    !shared_by_others(d, e.dpa, e.len, host, r->block))
			return CCI_RC_INVALID_EXTENT_LIST;
		if (*nr == max)
			return CCI_RC_RESOURCES_EXHAUSTED;
		list[(*nr)++] = e;
		sum += e.len;
	}
	return sum == len ? CCI_RC_SUCCESS : CCI_RC_INVALID_INPUT;
}

static uint16_t dc_add(const struct dev_target *t, struct tunnel_path *p,
		       const uint8_t *in, size_t in_len, uint8_t *out,
		       size_t *out_len)
{
	struct dev_dcd *d = t->dev->dcd;
	struct dev_extent *list;
	unsigned int nr = 0, host, fresh_tags = 0;
	uint32_t n;
	uint16_t rc = check_request(t, in, in_len, &n, &host);

	(void)p;
	(void)out;
	*out_len = 0;
	if (rc)
		return rc;
	if (in[2] > SEL_SHARED || !(d->sel_policies & (1u << in[2])))
		return CCI_RC_INVALID_INPUT;
	list = calloc(DEV_MAX_EXTENTS, sizeof(*list));
	if (!list)
		return CCI_RC_INTERNAL;
	rc = plan_add(d, in, n, list, &nr);
	/* each new tag needs a free one */
	for (unsigned int i = d->hosts[host].nr_extents; !rc && i < nr; i++) {
		int seen = !memcmp(list[i].tag, no_tag, 16) ||
			   tag_in_use(d, list[i].tag);

		for (unsigned int j = d->hosts[host].nr_extents; !seen && j < i;
		     j++)
			seen = !memcmp(list[j].tag, list[i].tag, 16);
		fresh_tags += !seen;
	}
	if (!rc && tags_in_use(d) + fresh_tags > d->tags_supported)
		rc = CCI_RC_RESOURCES_EXHAUSTED;
	if (rc) {
		free(list);
		return rc;
	}
	return device_bg_start(t->sw, t->dev, 0x5604, host, list, nr);
}

/* take [dpa, dpa+len) out of the host's list, splitting an extent */
static uint16_t cut(struct dev_extent *list, unsigned int *nr,
		    unsigned int max, uint64_t dpa, uint64_t len)
{
	for (unsigned int i = 0; i < *nr; i++) {
		struct dev_extent *e = &list[i];
		struct dev_extent tail = *e;

		if (dpa < e->dpa || dpa + len > e->dpa + e->len)
			continue;
		tail.dpa = dpa + len;
		tail.len = e->dpa + e->len - tail.dpa;
		e->len = dpa - e->dpa;
		if (!e->len) {
			memmove(e, e + 1, (*nr - i - 1) * sizeof(*e));
			(*nr)--;
		}
		if (tail.len) {
			if (*nr == max)
				return CCI_RC_RESOURCES_EXHAUSTED;
			list[(*nr)++] = tail;
		}
		return CCI_RC_SUCCESS;
	}
	return CCI_RC_INVALID_EXTENT_LIST;
}

static uint16_t plan_release(const struct dev_dcd *d, const uint8_t *in,
			     uint32_t n, struct dev_extent *list,
			     unsigned int *nr)
{
	const struct dev_dc_host *h = &d->hosts[get_le16(in)];
	uint64_t len = get_le64(in + 4), sum = 0;
	unsigned int max = left(d->extents_supported,
				extents_in_use(d) - h->nr_extents);

	memcpy(list, h->extents, h->nr_extents * sizeof(*list));
	*nr = h->nr_extents;
	if ((in[2] & 0xf) == REM_TAG) {
		unsigned int kept = 0;

		for (unsigned int i = 0; i < *nr; i++) {
			if (!memcmp(list[i].tag, in + 12, 16))
				sum += list[i].len;
			else
				list[kept++] = list[i];
		}
		*nr = kept;
		/* the tag must be the host's, and the length all of it */
		return sum && sum == len ? CCI_RC_SUCCESS :
					   CCI_RC_INVALID_INPUT;
	}
	if (!n)
		return CCI_RC_INVALID_INPUT;
	for (uint32_t i = 0; i < n; i++) {
		struct dev_extent e;
		const struct dev_dc_region *r;
		uint16_t rc;

		get_extent(in + ADD_HDR_LEN + i * EXTENT_LEN, &e);
		r = region_of(d, e.dpa, e.len);
		if (!e.len || !r || (e.dpa - r->base) % r->block ||
		    e.len % r->block)
			return CCI_RC_INVALID_EXTENT_LIST;
		/* a range listed twice is no longer the host's the 2nd time */
		rc = cut(list, nr, max, e.dpa, e.len);
		if (rc)
			return rc;
		sum += e.len;
	}
	return sum == len ? CCI_RC_SUCCESS : CCI_RC_INVALID_INPUT;
}

static uint16_t dc_release(const struct dev_target *t, struct tunnel_path *p,
			   const uint8_t *in, size_t in_len, uint8_t *out,
			   size_t *out_len)
{
	struct dev_dcd *d = t->dev->dcd;
	struct dev_extent *list;
	unsigned int nr = 0, host, policy = in_len ? in[2] & 0xf : 0;
	uint32_t n;
	uint16_t rc = check_request(t, in, in_len, &n, &host);

	(void)p;
	(void)out;
	*out_len = 0;
	if (rc)
		return rc;
	if (policy > REM_PRESCRIPTIVE ||
	    !(d->rem_policies & (1u << policy)) || (in[2] & 0xc0))
		return CCI_RC_INVALID_INPUT;
	list = calloc(DEV_MAX_EXTENTS, sizeof(*list));
	if (!list)
		return CCI_RC_INTERNAL;
	rc = plan_release(d, in, n, list, &nr);
	if (rc) {
		free(list);
		return rc;
	}
	return device_bg_start(t->sw, t->dev, 0x5605, host, list, nr);
}

const struct dev_cmd dev_dcd_cmds[] = {
	{ 0x5600, 0, CCI_FM | CCI_POOL, get_dcd_info },
	{ 0x5601, 4, CCI_FM | CCI_POOL, get_region_config },
	{ 0x5602, 16, CCI_FM | CCI_POOL, set_region_config },
	{ 0x5603, 12, CCI_FM | CCI_POOL, get_extent_list },
	{ 0x5604, -1, CCI_FM | CCI_POOL, dc_add },
	{ 0x5605, -1, CCI_FM | CCI_POOL, dc_release },
	{ 0, 0, 0, NULL },
};
