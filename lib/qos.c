// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * QoS of a multi-logical device (0x5403-0x5409), sent to the MLD through a
 * tunnel: the control block that moderates the device's egress, its
 * backpressure status, and two per-LD lists of bandwidth fractions (n/256)
 * that share one layout: count, start LD, one byte per LD.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

/* Reserved control bits are neither kept nor sent. */
#define QOS_CONTROL_BITS	(CXLSW_QOS_CTL_EGRESS_CONGESTION | \
				 CXLSW_QOS_CTL_THROUGHPUT_REDUCTION)

int cxlsw_qos_control_decode(const void *buf, size_t len,
			     struct cxlsw_qos_control *c)
{
	const uint8_t *p = buf;

	if (len != CXLSW_QOS_CONTROL_LEN)
		return -EBADMSG;
	c->telemetry_control = p[0] & QOS_CONTROL_BITS;
	c->egress_moderate_percent = p[1];
	c->egress_severe_percent = p[2];
	c->backpressure_sample_interval = p[3];
	c->req_cmpl_basis = get_le16(p + 4);
	c->completion_collection_interval = p[6];
	return 0;
}

int cxlsw_qos_control_encode(const struct cxlsw_qos_control *c, void *buf,
			     size_t len)
{
	uint8_t *p = buf;

	if (len < CXLSW_QOS_CONTROL_LEN)
		return -ENOSPC;
	/* a percentage above 100 is meaningless: never send one */
	if (c->egress_moderate_percent > 100 || c->egress_severe_percent > 100)
		return -EINVAL;
	p[0] = c->telemetry_control & QOS_CONTROL_BITS;
	p[1] = c->egress_moderate_percent;
	p[2] = c->egress_severe_percent;
	p[3] = c->backpressure_sample_interval;
	put_le16(p + 4, c->req_cmpl_basis);
	p[6] = c->completion_collection_interval;
	return 0;
}

int cxlsw_get_qos_control(struct cxlsw_dev *dev, struct cxlsw_qos_control *c)
{
	uint8_t buf[CXLSW_QOS_CONTROL_LEN];
	int rc = dev_query_fixed(dev, CXLSW_OP_GET_QOS_CONTROL, buf,
				 sizeof(buf));

	if (rc)
		return rc;
	if (cxlsw_qos_control_decode(buf, sizeof(buf), c))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_QOS_CONTROL, "malformed answer");
	return 0;
}

const char *cxlsw_qos_control_flag_name(unsigned int bit)
{
	switch (bit) {
	case 0:
		return "egress_port_congestion_enable";
	case 1:
		return "temporary_throughput_reduction_enable";
	}
	return NULL;
}

int cxlsw_qos_status_decode(const void *buf, size_t len,
			    uint8_t *backpressure_avg)
{
	if (len != CXLSW_QOS_STATUS_LEN)
		return -EBADMSG;
	*backpressure_avg = *(const uint8_t *)buf;
	return 0;
}

int cxlsw_get_qos_status(struct cxlsw_dev *dev, uint8_t *backpressure_avg)
{
	uint8_t buf[CXLSW_QOS_STATUS_LEN];
	int rc = dev_query_fixed(dev, CXLSW_OP_GET_QOS_STATUS, buf,
				 sizeof(buf));

	if (rc)
		return rc;
	if (cxlsw_qos_status_decode(buf, sizeof(buf), backpressure_avg))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_QOS_STATUS, "malformed answer");
	return 0;
}

/* ---- per-LD bandwidth fractions ------------------------------------------ */

uint16_t cxlsw_qos_bw_opcode(enum cxlsw_qos_bw_kind kind, bool set)
{
	if (kind == CXLSW_QOS_BW_LIMIT)
		return set ? CXLSW_OP_SET_QOS_BW_LIMIT : CXLSW_OP_GET_QOS_BW_LIMIT;
	return set ? CXLSW_OP_SET_QOS_ALLOC_BW : CXLSW_OP_GET_QOS_ALLOC_BW;
}

size_t cxlsw_qos_bw_per_msg(size_t limit)
{
	size_t n = limit > CXLSW_QOS_BW_HDR_LEN ?
		   limit - CXLSW_QOS_BW_HDR_LEN : 0;

	return n > 255 ? 255 : n;
}

int cxlsw_qos_bw_encode(uint8_t start, uint8_t count, const uint8_t *fractions,
			void *buf, size_t len, size_t *used)
{
	uint8_t *p = buf;

	/* the wire's start is a byte: the last LD a request reaches is 255 */
	if (!count || start + count > CXLSW_MAX_LDS)
		return -EINVAL;
	*used = CXLSW_QOS_BW_HDR_LEN + (fractions ? count : 0);
	if (len < *used)
		return -ENOSPC;
	p[0] = count;
	p[1] = start;
	if (fractions)
		memcpy(p + CXLSW_QOS_BW_HDR_LEN, fractions + start, count);
	return 0;
}

int cxlsw_qos_bw_decode(const void *buf, size_t len, uint8_t start,
			uint8_t count, uint8_t *fractions)
{
	const uint8_t *p = buf;

	/* the answer must be the page asked for, neither more nor less */
	if (len < CXLSW_QOS_BW_HDR_LEN || p[0] != count || p[1] != start ||
	    len != CXLSW_QOS_BW_HDR_LEN + (size_t)count ||
	    start + count > CXLSW_MAX_LDS)
		return -EBADMSG;
	memcpy(fractions + start, p + CXLSW_QOS_BW_HDR_LEN, count);
	return 0;
}

int cxlsw_get_qos_bw(struct cxlsw_dev *dev, enum cxlsw_qos_bw_kind kind,
		     unsigned int ld_count, uint8_t *fractions)
{
	uint16_t opcode = cxlsw_qos_bw_opcode(kind, false);
	uint8_t req[CXLSW_QOS_BW_HDR_LEN], buf[CXLSW_QOS_BW_HDR_LEN + 255];
	size_t limit, per, len, used;
	unsigned int start;
	int rc;

	if (ld_count > CXLSW_MAX_LDS)
		return dev_fail(dev, CXLSW_ERR_INVALID, EINVAL, opcode,
				"%u LDs: at most %u", ld_count, CXLSW_MAX_LDS);
	rc = dev_page_limit(dev, CXLSW_QOS_BW_HDR_LEN, 1, ld_count, &limit);
	if (rc)
		return rc;
	per = cxlsw_qos_bw_per_msg(limit);
	if (!per)
		return dev_fail(dev, CXLSW_ERR_INVALID, EMSGSIZE, opcode,
				"a %zu-byte response limit holds no LD", limit);
	for (start = 0; start < ld_count; start += (unsigned int)per) {
		uint8_t n = (uint8_t)(ld_count - start < per ?
				      ld_count - start : per);

		cxlsw_qos_bw_encode((uint8_t)start, n, NULL, req, sizeof(req),
				    &used);
		len = sizeof(buf);
		rc = cxlsw_dev_send(dev, opcode, req, used, buf, &len);
		if (rc)
			return rc;
		if (cxlsw_qos_bw_decode(buf, len, (uint8_t)start, n, fractions))
			return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
					opcode,
					"malformed answer for LDs %u-%u",
					start, start + n - 1);
	}
	return 0;
}

/*
 * The answer of a set has the request's layout: the fractions the device
 * applied, which it may have rounded.
 */
int cxlsw_qos_bw_set_decode(const void *buf, size_t len, uint8_t *start,
			    uint8_t *count, uint8_t *fractions)
{
	const uint8_t *p = buf;

	if (len < CXLSW_QOS_BW_HDR_LEN ||
	    len != CXLSW_QOS_BW_HDR_LEN + (size_t)p[0] ||
	    p[1] + p[0] > CXLSW_MAX_LDS)
		return -EBADMSG;
	*count = p[0];
	*start = p[1];
	memcpy(fractions + p[1], p + CXLSW_QOS_BW_HDR_LEN, p[0]);
	return 0;
}
