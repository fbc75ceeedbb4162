// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Get Supported Logs (0x0400), Get Log (0x0401) and the Command Effects
 * Log: what the device itself says it supports, and with what effects.
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

/* 0da9c0b5-bf41-4b78-8f79-96b1623b3f17, in the string's byte order */
const uint8_t cxlsw_cel_uuid[16] = {
	0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b, 0x78,
	0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b, 0x3f, 0x17,
};

#define GET_LOG_REQ_LEN	24

int cxlsw_supported_logs_decode(const void *buf, size_t len,
				struct cxlsw_log_entry *logs, size_t max,
				size_t *count)
{
	const uint8_t *p = buf;
	size_t n;

	if (len < CXLSW_LOGS_HDR_LEN)
		return -EBADMSG;
	n = get_le16(p);
	if (len != CXLSW_LOGS_HDR_LEN + n * CXLSW_LOG_ENTRY_LEN)
		return -EBADMSG;
	*count = n;
	for (size_t i = 0; i < n && i < max; i++) {
		const uint8_t *e = p + CXLSW_LOGS_HDR_LEN +
				   i * CXLSW_LOG_ENTRY_LEN;

		memcpy(logs[i].uuid, e, 16);
		logs[i].size = get_le32(e + 16);
	}
	return 0;
}

int cxlsw_cel_decode(const void *buf, size_t len,
		     struct cxlsw_cel_entry *entries, size_t *count)
{
	const uint8_t *p = buf;

	if (len % CXLSW_CEL_ENTRY_LEN)
		return -EBADMSG;
	*count = len / CXLSW_CEL_ENTRY_LEN;
	for (size_t i = 0; i < *count; i++) {
		entries[i].opcode = get_le16(p + 4 * i);
		entries[i].effects = get_le16(p + 4 * i + 2);
	}
	return 0;
}

/* The CEL's size from Get Supported Logs; -ENOENT if it is not listed. */
static int cel_size(struct cxlsw_dev *dev, size_t limit, uint32_t *size)
{
	size_t len = limit, count, max = (limit - CXLSW_LOGS_HDR_LEN) /
					 CXLSW_LOG_ENTRY_LEN;
	struct cxlsw_log_entry *logs = calloc(max ? max : 1, sizeof(*logs));
	uint8_t *buf = malloc(limit);
	int rc;

	if (!logs || !buf) {
		rc = -ENOMEM;
		goto out;
	}
	rc = cxlsw_dev_send(dev, CXLSW_OP_GET_SUPPORTED_LOGS, NULL, 0, buf,
			    &len);
	if (rc)
		goto out;
	if (cxlsw_supported_logs_decode(buf, len, logs, max, &count)) {
		rc = dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
			      CXLSW_OP_GET_SUPPORTED_LOGS,
			      "answer of %zu bytes is no list of logs", len);
		goto out;
	}
	rc = dev_fail(dev, CXLSW_ERR_DEVICE, ENOENT,
		      CXLSW_OP_GET_SUPPORTED_LOGS,
		      "the device lists no Command Effects Log");
	for (size_t i = 0; i < count && i < max; i++)
		if (!memcmp(logs[i].uuid, cxlsw_cel_uuid, 16)) {
			*size = logs[i].size;
			rc = 0;
		}
out:
	free(logs);
	free(buf);
	return rc;
}

static int read_log(struct cxlsw_dev *dev, const uint8_t *uuid,
		    uint32_t size, size_t limit, uint8_t *log)
{
	uint8_t req[GET_LOG_REQ_LEN];
	size_t step = limit - limit % CXLSW_CEL_ENTRY_LEN;
	int rc;

	memcpy(req, uuid, 16);
	for (uint32_t off = 0; off < size; off += step) {
		uint32_t want = size - off < step ? size - off : (uint32_t)step;
		size_t got = want;

		put_le32(req + 16, off);
		put_le32(req + 20, want);
		rc = cxlsw_dev_send(dev, CXLSW_OP_GET_LOG, req, sizeof(req),
				    log + off, &got);
		if (rc)
			return rc;
		if (got != want)
			return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
					CXLSW_OP_GET_LOG,
					"asked for %u bytes at %u, got %zu",
					want, off, got);
	}
	return 0;
}

int cxlsw_read_cel(struct cxlsw_dev *dev, struct cxlsw_cel_entry **entries,
		   size_t *count)
{
	uint8_t *log = NULL;
	uint32_t size = 0;
	size_t limit;
	int rc;

	*entries = NULL;
	*count = 0;
	/* the list of logs: a header and one 20-byte entry per log (the
	 * CEL, and seldom more than a few) */
	rc = dev_page_limit(dev, CXLSW_LOGS_HDR_LEN, CXLSW_LOG_ENTRY_LEN, 1,
			    &limit);
	if (!rc)
		rc = cel_size(dev, limit, &size);
	if (!rc)
		rc = dev_page_limit(dev, 0, CXLSW_CEL_ENTRY_LEN,
				    size / CXLSW_CEL_ENTRY_LEN, &limit);
	if (rc)
		return rc;
	if (size % CXLSW_CEL_ENTRY_LEN)
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_SUPPORTED_LOGS,
				"a Command Effects Log of %u bytes is no whole number of entries",
				size);
	log = malloc(size ? size : 1);
	*entries = calloc(size / CXLSW_CEL_ENTRY_LEN + 1, sizeof(**entries));
	if (!log || !*entries) {
		rc = -ENOMEM;
		goto out;
	}
	rc = read_log(dev, cxlsw_cel_uuid, size, limit, log);
	if (!rc)
		rc = cxlsw_cel_decode(log, size, *entries, count);
out:
	free(log);
	if (rc) {
		free(*entries);
		*entries = NULL;
	}
	return rc;
}
