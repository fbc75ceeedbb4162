// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Multi-headed devices (0x5500, 0x5501), answered by the device's LD pool
 * CCI: which head (upstream link) each LD is reached through, and each
 * head's link.  Both answers are lists that may be longer than the
 * response limit, so both are read in pages.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

int cxlsw_mhd_page_encode(uint8_t start, uint8_t limit, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (!limit)
		return -EINVAL;
	if (len < 2)
		return -ENOSPC;
	p[0] = start;
	p[1] = limit;
	return 0;
}

int cxlsw_mhd_info_decode(const void *buf, size_t len, uint8_t start,
			  uint8_t limit, struct cxlsw_mhd_info *info)
{
	const uint8_t *p = buf;
	size_t n;

	if (len < CXLSW_MHD_INFO_HDR_LEN)
		return -EBADMSG;
	n = p[5];
	/* the page asked for, inside the map the device says it has */
	if (p[4] != start || n > limit || start + n > p[0] ||
	    len != CXLSW_MHD_INFO_HDR_LEN + n)
		return -EBADMSG;
	info->ld_count = p[0];
	info->head_count = p[1];
	memcpy(info->ld_to_head + start, p + CXLSW_MHD_INFO_HDR_LEN, n);
	return (int)n;
}

static int page_fail(struct cxlsw_dev *dev, uint16_t opcode, int rc,
		     const char *what, unsigned int start)
{
	return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG, opcode,
			rc ? "malformed page at %s %u" :
			     "empty page at %s %u", what, start);
}

int cxlsw_get_mhd_info(struct cxlsw_dev *dev, struct cxlsw_mhd_info *info)
{
	uint8_t req[2], buf[CXLSW_MHD_INFO_HDR_LEN + 255];
	unsigned int start = 0;
	size_t limit, per, len;
	int rc;

	/* one map byte per LD, at most 16 of them (r3.1 2.4) */
	rc = dev_page_limit(dev, CXLSW_MHD_INFO_HDR_LEN, 1, 16, &limit);
	if (rc)
		return rc;
	per = limit > CXLSW_MHD_INFO_HDR_LEN ? limit - CXLSW_MHD_INFO_HDR_LEN : 0;
	if (per > 255)
		per = 255;
	if (!per)
		return dev_fail(dev, CXLSW_ERR_INVALID, EMSGSIZE,
				CXLSW_OP_GET_MHD_INFO,
				"a %zu-byte response limit holds no map entry",
				limit);
	memset(info, 0, sizeof(*info));
	do {
		cxlsw_mhd_page_encode((uint8_t)start, (uint8_t)per, req,
				      sizeof(req));
		len = sizeof(buf);
		rc = cxlsw_dev_send(dev, CXLSW_OP_GET_MHD_INFO, req, sizeof(req),
				    buf, &len);
		if (rc)
			return rc;
		rc = cxlsw_mhd_info_decode(buf, len, (uint8_t)start,
					   (uint8_t)per, info);
		/* an empty page before the end would never finish */
		if (rc < 0 || (!rc && start < info->ld_count))
			return page_fail(dev, CXLSW_OP_GET_MHD_INFO, rc < 0,
					 "LD", start);
		start += (unsigned int)rc;
	} while (start < info->ld_count);
	return 0;
}

int cxlsw_head_info_decode(const void *buf, size_t len, uint8_t asked,
			   struct cxlsw_head_info *heads)
{
	const uint8_t *p = buf;
	size_t n;

	if (len < CXLSW_HEAD_HDR_LEN)
		return -EBADMSG;
	n = p[0];
	if (n > asked || len != CXLSW_HEAD_HDR_LEN + n * CXLSW_HEAD_BLOCK_LEN)
		return -EBADMSG;
	p += CXLSW_HEAD_HDR_LEN;
	for (size_t i = 0; i < n; i++, p += CXLSW_HEAD_BLOCK_LEN) {
		struct cxlsw_head_info *h = &heads[i];

		h->port_number = p[0];
		h->max_link_width = p[1];
		h->negotiated_link_width = p[2];
		h->supported_speeds = p[3];
		h->max_link_speed = p[4];
		h->current_link_speed = p[5];
		h->ltssm_state = p[6];
		h->first_negotiated_lane = p[7];
		h->link_flags = p[8];
	}
	return (int)n;
}

size_t cxlsw_head_info_per_msg(size_t limit)
{
	size_t n = limit > CXLSW_HEAD_HDR_LEN ?
		   (limit - CXLSW_HEAD_HDR_LEN) / CXLSW_HEAD_BLOCK_LEN : 0;

	return n > 255 ? 255 : n;
}

int cxlsw_get_head_info(struct cxlsw_dev *dev, unsigned int head_count,
			struct cxlsw_head_info *heads)
{
	uint8_t req[2], *buf;
	unsigned int start = 0;
	size_t limit, per, len;
	int rc = 0;

	if (head_count > CXLSW_MAX_HEADS)
		return dev_fail(dev, CXLSW_ERR_INVALID, EINVAL,
				CXLSW_OP_GET_HEAD_INFO, "%u heads: at most %u",
				head_count, CXLSW_MAX_HEADS);
	rc = dev_page_limit(dev, CXLSW_HEAD_HDR_LEN, CXLSW_HEAD_BLOCK_LEN,
			    head_count, &limit);
	if (rc)
		return rc;
	per = cxlsw_head_info_per_msg(limit);
	if (!per)
		return dev_fail(dev, CXLSW_ERR_INVALID, EMSGSIZE,
				CXLSW_OP_GET_HEAD_INFO,
				"a %zu-byte response limit holds no head", limit);
	len = CXLSW_HEAD_HDR_LEN + per * CXLSW_HEAD_BLOCK_LEN;
	buf = malloc(len);
	if (!buf)
		return -ENOMEM;
	while (start < head_count) {
		uint8_t n = (uint8_t)(head_count - start < per ?
				      head_count - start : per);

		cxlsw_mhd_page_encode((uint8_t)start, n, req, sizeof(req));
		len = CXLSW_HEAD_HDR_LEN + per * CXLSW_HEAD_BLOCK_LEN;
		rc = cxlsw_dev_send(dev, CXLSW_OP_GET_HEAD_INFO, req,
				    sizeof(req), buf, &len);
		if (rc)
			break;
		rc = cxlsw_head_info_decode(buf, len, n, heads + start);
		if (rc <= 0) {
			rc = page_fail(dev, CXLSW_OP_GET_HEAD_INFO, rc < 0,
				       "head", start);
			break;
		}
		start += (unsigned int)rc;
		rc = 0;
	}
	free(buf);
	return rc;
}
