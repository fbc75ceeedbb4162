// SPDX-License-Identifier: LGPL-2.1-or-later
/* Codecs of the generic component commands (command sets 0x00). */
#include <errno.h>

#include "private.h"

int cxlsw_identify_decode(const void *buf, size_t len,
			  struct cxlsw_identify *id)
{
	const uint8_t *p = buf;

	if (len != CXLSW_IDENTIFY_LEN)
		return -EBADMSG;
	id->vendor_id = get_le16(p);
	id->device_id = get_le16(p + 2);
	id->subsys_vendor_id = get_le16(p + 4);
	id->subsys_id = get_le16(p + 6);
	id->serial = get_le64(p + 8);
	id->max_msg_size_log2 = p[16];
	id->component_type = p[17];
	return 0;
}

int cxlsw_identify(struct cxlsw_dev *dev, struct cxlsw_identify *id)
{
	uint8_t buf[CXLSW_IDENTIFY_LEN];
	int rc = dev_query_fixed(dev, CXLSW_OP_IDENTIFY, buf, sizeof(buf));

	if (rc)
		return rc;
	return cxlsw_identify_decode(buf, sizeof(buf), id);
}

const char *cxlsw_component_type_name(uint8_t type)
{
	switch (type) {
	case CXLSW_COMPONENT_SWITCH:
		return "switch";
	case CXLSW_COMPONENT_TYPE3:
		return "type3";
	case CXLSW_COMPONENT_GFD:
		return "gfd";
	}
	return NULL;
}

int cxlsw_bg_status_decode(const void *buf, size_t len,
			   struct cxlsw_bg_status *st)
{
	const uint8_t *p = buf;

	if (len != CXLSW_BG_STATUS_LEN)
		return -EBADMSG;
	st->running = p[0] & 1;
	st->percent = p[0] >> 1;
	st->opcode = get_le16(p + 2);
	st->retcode = get_le16(p + 4);
	st->vendor_status = get_le16(p + 6);
	return 0;
}

int cxlsw_bg_status(struct cxlsw_dev *dev, struct cxlsw_bg_status *st)
{
	uint8_t buf[CXLSW_BG_STATUS_LEN];
	int rc = dev_query_fixed(dev, CXLSW_OP_BG_OP_STATUS, buf, sizeof(buf));

	if (rc)
		return rc;
	return cxlsw_bg_status_decode(buf, sizeof(buf), st);
}

int cxlsw_response_limit_decode(const void *buf, size_t len, size_t *bytes)
{
	const uint8_t *p = buf;

	if (len != 1 || p[0] < CXLSW_MSG_LOG2_MIN || p[0] > CXLSW_MSG_LOG2_MAX)
		return -EBADMSG;
	*bytes = (size_t)1 << p[0];
	return 0;
}

int cxlsw_get_response_limit(struct cxlsw_dev *dev, size_t *bytes)
{
	uint8_t log2;
	int rc = dev_query_fixed(dev, CXLSW_OP_GET_RESPONSE_LIMIT, &log2, 1);

	if (rc)
		return rc;
	if (cxlsw_response_limit_decode(&log2, 1, bytes))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_RESPONSE_LIMIT,
				"limit 2^%u is outside 2^%u..2^%u", log2,
				CXLSW_MSG_LOG2_MIN, CXLSW_MSG_LOG2_MAX);
	return 0;
}

static unsigned int log2_exact(size_t bytes)
{
	unsigned int n = 0;

	while (((size_t)1 << n) < bytes)
		n++;
	return ((size_t)1 << n) == bytes ? n : 0;
}

int cxlsw_response_limit_encode(size_t bytes, void *buf, size_t len)
{
	unsigned int n = log2_exact(bytes);

	if (len < 1 || n < CXLSW_MSG_LOG2_MIN || n > CXLSW_MSG_LOG2_MAX)
		return -EINVAL;
	*(uint8_t *)buf = (uint8_t)n;
	return 0;
}
