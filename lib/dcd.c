// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dynamic capacity devices (command set 0x56): what the device offers
 * (0x5600), its regions as one host sees them (0x5601), and setting a
 * region (0x5602).  Extents and the add/release requests are in
 * dcd-extents.c.
 */
#include <errno.h>

#include "private.h"

int cxlsw_dcd_info_decode(const void *buf, size_t len,
			  struct cxlsw_dcd_info *info)
{
	const uint8_t *p = buf;

	if (len != CXLSW_DCD_INFO_LEN)
		return -EBADMSG;
	memset(info, 0, sizeof(*info));
	info->hosts = p[0];
	info->regions = p[1];
	info->selection_policies = get_le16(p + 4);
	info->removal_policies = get_le16(p + 8);
	info->sanitize_configurable = p[10];
	info->total_capacity = get_le64(p + 12) * CXLSW_CAPACITY_UNIT;
	for (int i = 0; i < CXLSW_DC_MAX_REGIONS; i++)
		info->block_sizes[i] = get_le64(p + 20 + 8 * i);
	/* 8 masks: a device claiming more regions is not following the spec */
	return info->regions > CXLSW_DC_MAX_REGIONS ? -EBADMSG : 0;
}

int cxlsw_dcd_info(struct cxlsw_dev *dev, struct cxlsw_dcd_info *info)
{
	uint8_t buf[CXLSW_DCD_INFO_LEN];
	int rc = dev_query_fixed(dev, CXLSW_OP_GET_DCD_INFO, buf, sizeof(buf));

	if (rc)
		return rc;
	if (cxlsw_dcd_info_decode(buf, sizeof(buf), info))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_DCD_INFO,
				"%u regions: the spec allows at most %d",
				buf[1], CXLSW_DC_MAX_REGIONS);
	return 0;
}

/* ---- region configuration --------------------------------------------- */

int cxlsw_dc_regions_encode(uint16_t host, uint8_t count, uint8_t start,
			    void *buf, size_t len)
{
	uint8_t *p = buf;

	if (len < CXLSW_DC_REGION_REQ_LEN || !count)
		return -EINVAL;
	put_le16(p, host);
	p[2] = count;
	p[3] = start;
	return 0;
}

static void region_decode(const uint8_t *p, struct cxlsw_dc_region *r)
{
	r->base = get_le64(p);
	r->decode_length = get_le64(p + 8) * CXLSW_CAPACITY_UNIT;
	r->length = get_le64(p + 16);
	r->block_size = get_le64(p + 24);
	r->flags = p[32];
	r->sanitize_on_release = p[36] & 1;
}

int cxlsw_dc_regions_decode(const void *buf, size_t len, uint16_t host,
			    uint8_t count, uint8_t start,
			    struct cxlsw_dc_regions *r)
{
	const uint8_t *p = buf, *tail;
	unsigned int n;

	if (len < CXLSW_DC_REGION_HDR_LEN + CXLSW_DC_REGION_TAIL_LEN)
		return -EBADMSG;
	n = p[3];
	if (get_le16(p) != host || n > count || p[2] > CXLSW_DC_MAX_REGIONS ||
	    start + n > p[2] ||
	    len != CXLSW_DC_REGION_HDR_LEN + n * CXLSW_DC_REGION_LEN +
		   CXLSW_DC_REGION_TAIL_LEN)
		return -EBADMSG;
	/* the region count cannot change between pages of one reading */
	if (start && r->count != p[2])
		return -EBADMSG;
	r->host_id = host;
	r->count = p[2];
	for (unsigned int i = 0; i < n; i++)
		region_decode(p + CXLSW_DC_REGION_HDR_LEN +
			      i * CXLSW_DC_REGION_LEN, &r->region[start + i]);
	r->have = (uint8_t)(start + n);
	tail = p + CXLSW_DC_REGION_HDR_LEN + n * CXLSW_DC_REGION_LEN;
	r->extents_supported = get_le32(tail);
	r->extents_available = get_le32(tail + 4);
	r->tags_supported = get_le32(tail + 8);
	r->tags_available = get_le32(tail + 12);
	return 0;
}

int cxlsw_get_dc_regions(struct cxlsw_dev *dev, uint16_t host,
			 struct cxlsw_dc_regions *r)
{
	uint8_t req[CXLSW_DC_REGION_REQ_LEN];
	uint8_t buf[CXLSW_DC_REGION_HDR_LEN +
		    CXLSW_DC_MAX_REGIONS * CXLSW_DC_REGION_LEN +
		    CXLSW_DC_REGION_TAIL_LEN];
	size_t msg, fit, got;
	int rc;

	rc = dev_page_limit(dev, CXLSW_DC_REGION_HDR_LEN +
			    CXLSW_DC_REGION_TAIL_LEN, CXLSW_DC_REGION_LEN,
			    CXLSW_DC_MAX_REGIONS, &msg);
	if (rc)
		return rc;
	fit = (msg - CXLSW_DC_REGION_HDR_LEN - CXLSW_DC_REGION_TAIL_LEN) /
	      CXLSW_DC_REGION_LEN;
	if (fit > CXLSW_DC_MAX_REGIONS)
		fit = CXLSW_DC_MAX_REGIONS;
	if (!fit)
		return dev_fail(dev, CXLSW_ERR_INVALID, EMSGSIZE,
				CXLSW_OP_GET_DC_REGION_CONFIG,
				"a %zu-byte response limit holds no region", msg);
	memset(r, 0, sizeof(*r));
	/* the first answer says how many regions there are */
	do {
		uint8_t start = r->have;

		cxlsw_dc_regions_encode(host, (uint8_t)fit, start, req,
					sizeof(req));
		got = sizeof(buf);
		rc = cxlsw_dev_send(dev, CXLSW_OP_GET_DC_REGION_CONFIG, req,
				    sizeof(req), buf, &got);
		if (rc)
			return rc;
		if (cxlsw_dc_regions_decode(buf, got, host, (uint8_t)fit, start,
					    r) ||
		    (r->have == start && start < r->count))
			return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
					CXLSW_OP_GET_DC_REGION_CONFIG,
					"answer of %zu bytes does not match a request for %zu regions of host %u from region %u",
					got, fit, host, start);
	} while (r->have < r->count);
	return 0;
}

int cxlsw_dc_region_set_encode(uint8_t region, uint64_t block_size,
			       bool sanitize, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (len < CXLSW_DC_REGION_SET_LEN || region >= CXLSW_DC_MAX_REGIONS ||
	    !block_size || (block_size & (block_size - 1)))
		return -EINVAL;
	memset(p, 0, CXLSW_DC_REGION_SET_LEN);
	p[0] = region;
	put_le64(p + 4, block_size);
	p[12] = sanitize;
	return 0;
}

/* ---- names -------------------------------------------------------------- */

const char *cxlsw_dc_selection_policy_name(uint8_t v)
{
	switch (v) {
	case CXLSW_DC_SEL_FREE:
		return "free";
	case CXLSW_DC_SEL_CONTIGUOUS:
		return "contiguous";
	case CXLSW_DC_SEL_PRESCRIPTIVE:
		return "prescriptive";
	case CXLSW_DC_SEL_SHARED_ACCESS:
		return "enable_shared_access";
	}
	return NULL;
}

const char *cxlsw_dc_removal_policy_name(uint8_t v)
{
	switch (v) {
	case CXLSW_DC_REM_TAG_BASED:
		return "tag_based";
	case CXLSW_DC_REM_PRESCRIPTIVE:
		return "prescriptive";
	}
	return NULL;
}

const char *cxlsw_dc_region_flag_name(unsigned int bit)
{
	switch (bit) {
	case 2:
		return "nonvolatile";
	case 3:
		return "sharable";
	case 4:
		return "hw_managed_coherency";
	case 5:
		return "ic_specific_dc_management";
	case 6:
		return "read_only";
	}
	return NULL;
}
