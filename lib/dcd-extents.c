// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dynamic capacity extents: a host's extent list (0x5603), read in pages
 * that fit the response limit, and the add and release requests
 * (0x5604, 0x5605), which carry extent lists of the same layout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "private.h"

int cxlsw_dc_extents_encode(uint16_t host, uint32_t count, uint32_t start,
			    void *buf, size_t len)
{
	uint8_t *p = buf;

	/* a count of 0 is valid: the answer is then the totals alone */
	if (len < CXLSW_DC_EXTENTS_REQ_LEN)
		return -EINVAL;
	memset(p, 0, CXLSW_DC_EXTENTS_REQ_LEN);
	put_le16(p, host);
	put_le32(p + 4, count);
	put_le32(p + 8, start);
	return 0;
}

static void extent_decode(const uint8_t *p, struct cxlsw_dc_extent *e)
{
	e->start_dpa = get_le64(p);
	e->length = get_le64(p + 8);
	memcpy(e->tag, p + 16, 16);
	e->shared_seq = get_le16(p + 32);
}

static void extent_encode(const struct cxlsw_dc_extent *e, uint8_t *p)
{
	memset(p, 0, CXLSW_DC_EXTENT_LEN);
	put_le64(p, e->start_dpa);
	put_le64(p + 8, e->length);
	memcpy(p + 16, e->tag, 16);
	put_le16(p + 32, e->shared_seq);
}

int cxlsw_dc_extents_decode(const void *buf, size_t len, uint16_t host,
			    uint32_t count, uint32_t start,
			    struct cxlsw_dc_extent_page *pg,
			    struct cxlsw_dc_extent *ext, size_t max)
{
	const uint8_t *p = buf;

	if (len < CXLSW_DC_EXTENTS_HDR_LEN)
		return -EBADMSG;
	pg->host_id = get_le16(p);
	pg->start = get_le32(p + 4);
	pg->returned = get_le32(p + 8);
	pg->total = get_le32(p + 12);
	pg->generation = get_le32(p + 16);
	if (pg->host_id != host || pg->start != start ||
	    pg->returned > count || pg->returned > max ||
	    (len - CXLSW_DC_EXTENTS_HDR_LEN) / CXLSW_DC_EXTENT_LEN !=
	    pg->returned ||
	    (len - CXLSW_DC_EXTENTS_HDR_LEN) % CXLSW_DC_EXTENT_LEN ||
	    (uint64_t)pg->start + pg->returned > pg->total)
		return -EBADMSG;
	for (uint32_t i = 0; ext && i < pg->returned; i++)
		extent_decode(p + CXLSW_DC_EXTENTS_HDR_LEN +
			      i * CXLSW_DC_EXTENT_LEN, &ext[i]);
	return 0;
}

struct extent_reader {
	struct cxlsw_dev *dev;
	uint16_t host;
	uint32_t per_page;
	uint8_t *buf;
	size_t buf_len;
};

static int page_fail(struct extent_reader *r, size_t got, uint32_t start)
{
	return dev_fail(r->dev, CXLSW_ERR_MALFORMED, EBADMSG,
			CXLSW_OP_GET_DC_EXTENTS,
			"answer of %zu bytes does not match a request for %u extents of host %u from extent %u",
			got, r->per_page, r->host, start);
}

static int read_page(struct extent_reader *r, uint32_t start,
		     struct cxlsw_dc_extent_page *pg,
		     struct cxlsw_dc_extent *ext, size_t room)
{
	uint8_t req[CXLSW_DC_EXTENTS_REQ_LEN];
	size_t got = r->buf_len;
	int rc;

	cxlsw_dc_extents_encode(r->host, r->per_page, start, req, sizeof(req));
	rc = cxlsw_dev_send(r->dev, CXLSW_OP_GET_DC_EXTENTS, req, sizeof(req),
			    r->buf, &got);
	if (rc)
		return rc;
	if (cxlsw_dc_extents_decode(r->buf, got, r->host, r->per_page, start,
				    pg, ext, room))
		return page_fail(r, got, start);
	return 0;
}

/*
 * Pages of the size the limit allows for count more extents: the first
 * page is asked at what the device is sure to take (the count is in its
 * answer); the limit is learned only when that saves a request.
 */
static int size_pages(struct extent_reader *r, uint32_t count)
{
	size_t msg, len;
	uint32_t per;
	uint8_t *grown;
	int rc = dev_page_limit(r->dev, CXLSW_DC_EXTENTS_HDR_LEN,
				CXLSW_DC_EXTENT_LEN, count, &msg);

	if (rc)
		return rc;
	if (msg < CXLSW_DC_EXTENTS_HDR_LEN + CXLSW_DC_EXTENT_LEN)
		return dev_fail(r->dev, CXLSW_ERR_INVALID, EMSGSIZE,
				CXLSW_OP_GET_DC_EXTENTS,
				"a %zu-byte response limit holds no extent", msg);
	per = (uint32_t)((msg - CXLSW_DC_EXTENTS_HDR_LEN) / CXLSW_DC_EXTENT_LEN);
	if (per <= r->per_page)
		return 0;
	len = CXLSW_DC_EXTENTS_HDR_LEN + (size_t)per * CXLSW_DC_EXTENT_LEN;
	grown = realloc(r->buf, len);
	if (!grown)
		return -ENOMEM;
	r->buf = grown;
	r->buf_len = len;
	r->per_page = per;
	return 0;
}

/*
 * One pass over the list: 1 when the generation changed on the way (the
 * caller starts again), 0 when the list is whole, or an error.
 */
static int read_pass(struct extent_reader *r, struct cxlsw_dc_extent_list *l)
{
	struct cxlsw_dc_extent_page pg;
	uint32_t have = 0;
	int rc;

	/* the first page says how many there are and which generation */
	rc = read_page(r, 0, &pg, NULL, r->per_page);
	if (rc)
		return rc;
	free(l->extents);
	l->extents = calloc(pg.total ? pg.total : 1, sizeof(*l->extents));
	if (!l->extents)
		return -ENOMEM;
	l->generation = pg.generation;
	l->count = pg.total;
	for (uint32_t i = 0; i < pg.returned; i++)
		extent_decode(r->buf + CXLSW_DC_EXTENTS_HDR_LEN +
			      i * CXLSW_DC_EXTENT_LEN, &l->extents[i]);
	have = pg.returned;
	if (have < l->count) {
		rc = size_pages(r, l->count - have);
		if (rc)
			return rc;
	}
	while (have < l->count) {
		rc = read_page(r, have, &pg, l->extents + have,
			       l->count - have);
		if (rc)
			return rc;
		if (pg.generation != l->generation || pg.total != l->count)
			return 1;
		if (!pg.returned)
			return page_fail(r, CXLSW_DC_EXTENTS_HDR_LEN, have);
		have += pg.returned;
	}
	return 0;
}

int cxlsw_get_dc_extents(struct cxlsw_dev *dev, uint16_t host,
			 struct cxlsw_dc_extent_list *list)
{
	struct extent_reader r = { .dev = dev, .host = host };
	uint32_t first_gen = 0;
	int rc;

	memset(list, 0, sizeof(*list));
	list->host_id = host;
	rc = size_pages(&r, 1);
	if (rc) {
		free(r.buf);
		return rc;
	}
	for (;;) {
		rc = read_pass(&r, list);
		if (rc != 1)
			break;
		if (!list->restarts)
			first_gen = list->generation;
		if (list->restarts++ == CXLSW_DC_EXTENT_RESTARTS) {
			rc = dev_fail(dev, CXLSW_ERR_INTERRUPTED, EAGAIN,
				      CXLSW_OP_GET_DC_EXTENTS,
				      "the extent list of host %u kept changing while it was read (generation %u, then others); %u attempts",
				      host, first_gen, list->restarts);
			break;
		}
	}
	free(r.buf);
	if (rc) {
		free(list->extents);
		list->extents = NULL;
		list->count = 0;
	}
	return rc;
}

/* ---- add and release ------------------------------------------------- */

static int change_encode(const struct cxlsw_dc_change *c, uint8_t flags_or_policy,
			 uint8_t byte3, void *buf, size_t len, size_t *used)
{
	uint8_t *p = buf;
	size_t need = CXLSW_DC_CHANGE_HDR_LEN +
		      (size_t)c->nr_extents * CXLSW_DC_EXTENT_LEN;

	if (len < need || (c->nr_extents && !c->extents))
		return -EINVAL;
	memset(p, 0, CXLSW_DC_CHANGE_HDR_LEN);
	put_le16(p, c->host_id);
	p[2] = flags_or_policy;
	p[3] = byte3;
	put_le64(p + 4, c->length);
	memcpy(p + 12, c->tag, 16);
	put_le32(p + 28, c->nr_extents);
	for (uint32_t i = 0; i < c->nr_extents; i++)
		extent_encode(&c->extents[i], p + CXLSW_DC_CHANGE_HDR_LEN +
			      i * CXLSW_DC_EXTENT_LEN);
	*used = need;
	return 0;
}

int cxlsw_dc_add_encode(const struct cxlsw_dc_change *a, void *buf,
			size_t len, size_t *used)
{
	if (a->policy > CXLSW_DC_SEL_SHARED_ACCESS ||
	    a->region >= CXLSW_DC_MAX_REGIONS)
		return -EINVAL;
	return change_encode(a, a->policy, a->region, buf, len, used);
}

int cxlsw_dc_release_encode(const struct cxlsw_dc_change *r, void *buf,
			    size_t len, size_t *used)
{
	/* bits 3:0 the removal policy, bit 4 forced, bit 5 sanitize */
	uint8_t flags = (uint8_t)(r->policy | r->forced << 4 |
				  r->sanitize << 5);

	if (r->policy > 0xF)
		return -EINVAL;
	return change_encode(r, flags, 0, buf, len, used);
}

/* ---- tags ---------------------------------------------------------------- */

void cxlsw_uuid_format(const uint8_t *u, char *buf)
{
	snprintf(buf, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The text form, bytes in the order written (as the tag travels). */
int cxlsw_uuid_parse(const char *t, uint8_t *uuid)
{
	size_t n = 0;

	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		int hi, lo;

		if (dash) {
			if (t[i] != '-')
				return -EINVAL;
			continue;
		}
		hi = hex_digit(t[i]);
		lo = hi < 0 ? -1 : hex_digit(t[i + 1]);
		if (lo < 0)
			return -EINVAL;
		uuid[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return t[36] ? -EINVAL : 0;
}
