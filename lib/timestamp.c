// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Get Timestamp (0x0300) and Set Timestamp (0x0301): the device's clock,
 * nanoseconds since the Unix epoch, which stamps its event records.
 */
#include <errno.h>

#include "private.h"

int cxlsw_timestamp_decode(const void *buf, size_t len, uint64_t *ns)
{
	if (len != CXLSW_TIMESTAMP_LEN)
		return -EBADMSG;
	*ns = get_le64(buf);
	return 0;
}

int cxlsw_get_timestamp(struct cxlsw_dev *dev, uint64_t *ns)
{
	uint8_t buf[CXLSW_TIMESTAMP_LEN] = { 0 };	/* see cxlsw_read_events */
	int rc = dev_query_fixed(dev, CXLSW_OP_GET_TIMESTAMP, buf, sizeof(buf));

	if (rc)
		return rc;
	return cxlsw_timestamp_decode(buf, sizeof(buf), ns);
}

int cxlsw_timestamp_encode(uint64_t ns, void *buf, size_t len)
{
	if (len < CXLSW_TIMESTAMP_LEN)
		return -EINVAL;
	put_le64(buf, ns);
	return 0;
}
