// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The MLD port commands that reach one LD's CXL.io space through the
 * switch (r3.2 Table 7-36): Send LD CXL.io Configuration Request (0x5301)
 * and Send LD CXL.io Memory Request (0x5302).  A read changes nothing; a
 * write may change what the host bound to the LD sees.
 */
#include <errno.h>

#include "private.h"

#define LD_MEM_WRITE	0x8000u		/* flags bit 15 */

int cxlsw_ld_config_encode(const struct cxlsw_config_request *req,
			   uint16_t ld, void *buf, size_t len)
{
	uint8_t ppb[CXLSW_CONFIG_REQ_LEN];
	uint8_t *p = buf;
	int rc;

	if (len < CXLSW_LD_CONFIG_REQ_LEN)
		return -EINVAL;
	rc = cxlsw_config_encode(req, ppb, sizeof(ppb));
	if (rc)
		return rc;
	/* bytes 0-3 as 0x5103's, the LD id, 2 reserved, the write data */
	memcpy(p, ppb, 4);
	put_le16(p + 4, ld);
	p[6] = p[7] = 0;
	memcpy(p + 8, ppb + 4, 4);
	return 0;
}

int cxlsw_ld_mem_encode(const struct cxlsw_ld_mem_request *req, void *buf,
			size_t len, size_t *used)
{
	size_t need = CXLSW_LD_MEM_HDR_LEN + (req->write ? req->length : 0);
	uint16_t flags;
	uint8_t *p = buf;

	if (!req->length || req->length > CXLSW_LD_MEM_MAX ||
	    req->length % 4 || req->address % 4 ||
	    (req->write && !req->data))
		return -EINVAL;
	if (len < need)
		return -ENOSPC;
	/* whole DWORDs; a one-DWORD request has no last byte enables */
	flags = 0xf | (req->length > 4 ? 0xf0 : 0) |
		(req->write ? LD_MEM_WRITE : 0);
	p[0] = req->port;
	put_le16(p + 1, flags);
	put_le16(p + 3, req->ld);
	put_le16(p + 5, req->length);
	put_le64(p + 7, req->address);
	if (req->write)
		memcpy(p + CXLSW_LD_MEM_HDR_LEN, req->data, req->length);
	*used = need;
	return 0;
}

int cxlsw_ld_mem_decode(const struct cxlsw_ld_mem_request *req,
			const void *buf, size_t len, const uint8_t **data,
			size_t *n)
{
	const uint8_t *p = buf;
	size_t size;

	if (len < CXLSW_LD_MEM_RSP_HDR_LEN)
		return -EBADMSG;
	size = get_le16(p);
	/* the answer's own size must be what arrived, and no more than asked */
	if (size != len - CXLSW_LD_MEM_RSP_HDR_LEN ||
	    size > (req->write ? 0 : req->length))
		return -EBADMSG;
	*data = p + CXLSW_LD_MEM_RSP_HDR_LEN;
	*n = size;
	return 0;
}

enum cxlsw_effect cxlsw_ld_mem_effect(const void *req, size_t len)
{
	const uint8_t *p = req;

	if (len >= 3 && !(get_le16(p + 1) & LD_MEM_WRITE))
		return CXLSW_EFFECT_READ_ONLY;
	return CXLSW_EFFECT_HOST_VISIBLE;
}
