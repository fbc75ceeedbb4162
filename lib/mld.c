// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A multi-logical device's LD pool: Get LD Info (0x5400) and Get / Set LD
 * Allocations (0x5401, 0x5402), sent to the MLD through a tunnel.  An
 * allocation is two ranges counted in units of the device's granularity.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

static const uint64_t granularity_bytes[] = {
	256ull << 20, 512ull << 20, 1ull << 30,
};

uint64_t cxlsw_ld_granularity_bytes(uint8_t code)
{
	return code < ARRAY_SIZE(granularity_bytes) ?
	       granularity_bytes[code] : 0;
}

int cxlsw_ld_info_decode(const void *buf, size_t len,
			 struct cxlsw_ld_info *info)
{
	const uint8_t *p = buf;

	if (len != CXLSW_LD_INFO_LEN)
		return -EBADMSG;
	info->memory_size = get_le64(p);
	info->ld_count = get_le16(p + 8);
	info->qos_telemetry_caps = p[10];
	return 0;
}

int cxlsw_ld_info(struct cxlsw_dev *dev, struct cxlsw_ld_info *info)
{
	uint8_t buf[CXLSW_LD_INFO_LEN];
	int rc;

	if (dev->have_ld_info) {
		*info = dev->ld_info;
		return 0;
	}
	rc = dev_query_fixed(dev, CXLSW_OP_GET_LD_INFO, buf, sizeof(buf));
	if (rc)
		return rc;
	if (cxlsw_ld_info_decode(buf, sizeof(buf), info))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_LD_INFO, "malformed answer");
	dev->ld_info = *info;
	dev->have_ld_info = true;
	return 0;
}

/*
 * One page of Get LD Allocations, or the answer of Set LD Allocations
 * (same layout).  The entries land at alloc->lds[start..]; the page must be
 * the one asked for and within the LD count it reports.
 */
int cxlsw_ld_alloc_decode(const void *buf, size_t len, uint8_t start,
			  struct cxlsw_ld_alloc_list *alloc)
{
	const uint8_t *p = buf;
	size_t n;

	if (len < CXLSW_LD_ALLOC_HDR_LEN)
		return -EBADMSG;
	n = p[3];
	/*
	 * The answer says how many entries it carries.  r3.2 Table 7-46
	 * reads min(limit, LD count), ignoring the start; the paging reading
	 * is min(limit, LD count - start).  Take either: entries past the
	 * last LD are not LDs and are left out.
	 */
	if (p[2] != start || len != CXLSW_LD_ALLOC_HDR_LEN +
				     n * CXLSW_LD_ALLOC_LEN ||
	    start >= p[0] || n > p[0])
		return -EBADMSG;
	if (start + n > p[0])
		n = p[0] - start;
	alloc->ld_count = p[0];
	alloc->granularity = p[1];
	p += CXLSW_LD_ALLOC_HDR_LEN;
	for (size_t i = 0; i < n; i++, p += CXLSW_LD_ALLOC_LEN) {
		alloc->lds[start + i].range1 = get_le64(p);
		alloc->lds[start + i].range2 = get_le64(p + 8);
	}
	return (int)n;
}

int cxlsw_ld_alloc_get(struct cxlsw_dev *dev,
		       struct cxlsw_ld_alloc_list *alloc)
{
	uint8_t req[2], *buf;
	size_t limit, len, per;
	unsigned int start = 0;
	int rc;

	/* the count is in the answer: page for the most an MLD has, 16
	 * LDs (r3.1 2.4) */
	rc = dev_page_limit(dev, CXLSW_LD_ALLOC_HDR_LEN, CXLSW_LD_ALLOC_LEN,
			    16, &limit);
	if (rc)
		return rc;
	per = (limit - CXLSW_LD_ALLOC_HDR_LEN) / CXLSW_LD_ALLOC_LEN;
	if (per > 255)
		per = 255;
	buf = malloc(limit);
	if (!buf)
		return -ENOMEM;
	memset(alloc, 0, sizeof(*alloc));
	do {
		req[0] = (uint8_t)start;
		req[1] = (uint8_t)per;
		len = limit;
		rc = cxlsw_dev_send(dev, CXLSW_OP_GET_LD_ALLOCATIONS, req,
				    sizeof(req), buf, &len);
		if (rc)
			break;
		rc = cxlsw_ld_alloc_decode(buf, len, (uint8_t)start, alloc);
		if (rc <= 0) {
			/* an empty page before the count is reached: no progress */
			rc = dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				      CXLSW_OP_GET_LD_ALLOCATIONS,
				      rc ? "malformed page at LD %u" :
					   "empty page at LD %u", start);
			break;
		}
		start += (unsigned int)rc;
		rc = 0;
	} while (start < alloc->ld_count);
	free(buf);
	return rc;
}

int cxlsw_ld_alloc_encode(const struct cxlsw_ld_alloc_list *alloc,
			  uint8_t start, uint8_t count, void *buf, size_t len,
			  size_t *used)
{
	uint8_t *p = buf;

	if (!count || start + count > alloc->ld_count)
		return -EINVAL;
	*used = CXLSW_LD_ALLOC_HDR_LEN + (size_t)count * CXLSW_LD_ALLOC_LEN;
	if (len < *used)
		return -ENOSPC;
	p[0] = count;
	p[1] = start;
	p[2] = p[3] = 0;
	p += CXLSW_LD_ALLOC_HDR_LEN;
	for (unsigned int i = start; i < start + count;
	     i++, p += CXLSW_LD_ALLOC_LEN) {
		put_le64(p, alloc->lds[i].range1);
		put_le64(p + 8, alloc->lds[i].range2);
	}
	return 0;
}

size_t cxlsw_ld_alloc_per_request(size_t limit)
{
	size_t n = limit > CXLSW_LD_ALLOC_HDR_LEN ?
		   (limit - CXLSW_LD_ALLOC_HDR_LEN) / CXLSW_LD_ALLOC_LEN : 0;

	return n > 255 ? 255 : n;
}

/*
 * The answer of Set LD Allocations has the request's layout (number of
 * LDs, start LD, 2 reserved, entries): the allocations the device
 * applied, which need not be those asked for.
 */
int cxlsw_ld_alloc_set_decode(const void *buf, size_t len,
			      struct cxlsw_ld_alloc_list *alloc)
{
	const uint8_t *p = buf;
	size_t n, start;

	if (len < CXLSW_LD_ALLOC_HDR_LEN)
		return -EBADMSG;
	n = p[0];
	start = p[1];
	if (len != CXLSW_LD_ALLOC_HDR_LEN + n * CXLSW_LD_ALLOC_LEN ||
	    start + n > alloc->ld_count)
		return -EBADMSG;
	p += CXLSW_LD_ALLOC_HDR_LEN;
	for (size_t i = 0; i < n; i++, p += CXLSW_LD_ALLOC_LEN) {
		alloc->lds[start + i].range1 = get_le64(p);
		alloc->lds[start + i].range2 = get_le64(p + 8);
	}
	return (int)n;
}
