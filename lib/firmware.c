// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Get FW Info (0x0200), Transfer FW (0x0201) and Activate FW (0x0202).
 *
 * An image that fits one request goes as a full transfer; a larger one as
 * initiate, continue..., end, each request carrying as many 128-byte units
 * as the device's message size allows.  Whatever stops a transfer after
 * it began sends the abort action, so the device drops what it received
 * and the slot keeps what it had.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "private.h"

#define FW_IMAGE_MAX	CXLSW_FW_IMAGE_MAX

static void revision(const uint8_t *p, char *out)
{
	size_t n = 0;

	/* ASCII, NUL padded; anything else is shown as '?' */
	while (n < CXLSW_FW_REV_LEN && p[n]) {
		out[n] = p[n] >= 0x20 && p[n] < 0x7f ? (char)p[n] : '?';
		n++;
	}
	out[n] = '\0';
}

int cxlsw_fw_info_decode(const void *buf, size_t len,
			 struct cxlsw_fw_info *info)
{
	const uint8_t *p = buf;

	if (len != CXLSW_FW_INFO_LEN)
		return -EBADMSG;
	info->slots_supported = p[0];
	info->active_slot = p[1] & 0x7;
	info->staged_slot = (p[1] >> 3) & 0x7;
	info->online_activation = p[2] & 1;
	/* slots are numbered from 1; a device has at least one and the
	 * answer has room for four */
	if (!info->slots_supported ||
	    info->slots_supported > CXLSW_FW_SLOTS_MAX ||
	    !info->active_slot || info->active_slot > info->slots_supported ||
	    info->staged_slot > info->slots_supported)
		return -EBADMSG;
	for (unsigned int i = 0; i < CXLSW_FW_SLOTS_MAX; i++)
		revision(p + 16 + i * CXLSW_FW_REV_LEN, info->revision[i]);
	return 0;
}

int cxlsw_fw_info(struct cxlsw_dev *dev, struct cxlsw_fw_info *info)
{
	uint8_t buf[CXLSW_FW_INFO_LEN] = { 0 };	/* see cxlsw_read_events */
	int rc = dev_query_fixed(dev, CXLSW_OP_GET_FW_INFO, buf, sizeof(buf));

	if (rc)
		return rc;
	if (cxlsw_fw_info_decode(buf, sizeof(buf), info))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_FW_INFO,
				"slots supported %u, active %u, staged %u: not a valid set of slots",
				buf[0], buf[1] & 7, (buf[1] >> 3) & 7);
	return 0;
}

size_t cxlsw_fw_chunk_size(size_t max)
{
	if (max < CXLSW_FW_XFER_HDR_LEN + CXLSW_FW_UNIT)
		return 0;
	return (max - CXLSW_FW_XFER_HDR_LEN) / CXLSW_FW_UNIT * CXLSW_FW_UNIT;
}

int cxlsw_fw_transfer_encode(uint8_t action, uint8_t slot, size_t offset,
			     const void *data, size_t n, void *buf,
			     size_t len, size_t *used)
{
	uint8_t *p = buf;

	if (action > CXLSW_FW_ABORT || offset % CXLSW_FW_UNIT ||
	    offset / CXLSW_FW_UNIT > UINT32_MAX ||
	    len < CXLSW_FW_XFER_HDR_LEN + n)
		return -EINVAL;
	memset(p, 0, CXLSW_FW_XFER_HDR_LEN);
	p[0] = action;
	p[1] = slot;
	put_le32(p + 4, (uint32_t)(offset / CXLSW_FW_UNIT));
	if (n)
		memcpy(p + CXLSW_FW_XFER_HDR_LEN, data, n);
	*used = CXLSW_FW_XFER_HDR_LEN + n;
	return 0;
}

int cxlsw_fw_activate_encode(uint8_t action, uint8_t slot, void *buf,
			     size_t len)
{
	uint8_t *p = buf;

	if (action > CXLSW_FW_ON_RESET || !slot ||
	    slot > CXLSW_FW_SLOTS_MAX || len < CXLSW_FW_ACTIVATE_LEN)
		return -EINVAL;
	p[0] = action;
	p[1] = slot;
	return 0;
}

int cxlsw_fw_plan(const uint8_t *image, size_t len, uint8_t slot,
		  size_t max, struct cxlsw_fw_plan *plan)
{
	size_t chunk = cxlsw_fw_chunk_size(max);

	if (!len || !chunk || (uint64_t)len > FW_IMAGE_MAX || !slot ||
	    slot > CXLSW_FW_SLOTS_MAX)
		return -EINVAL;
	plan->slot = slot;
	plan->image = image;
	plan->len = len;
	/* a full transfer takes whatever fits, not only whole units */
	if (CXLSW_FW_XFER_HDR_LEN + len <= max) {
		plan->chunk = len;
		plan->requests = 1;
		return 0;
	}
	plan->chunk = chunk;
	plan->requests = (len + chunk - 1) / chunk;
	return 0;
}

static uint8_t plan_action(const struct cxlsw_fw_plan *plan, size_t n)
{
	if (plan->requests == 1)
		return CXLSW_FW_FULL;
	if (n == 0)
		return CXLSW_FW_INITIATE;
	return n + 1 == plan->requests ? CXLSW_FW_END : CXLSW_FW_CONTINUE;
}

int cxlsw_fw_plan_request(const struct cxlsw_fw_plan *plan, size_t n,
			  void *buf, size_t len, size_t *used)
{
	size_t off = n * plan->chunk;
	size_t take;

	if (n >= plan->requests)
		return -EINVAL;
	take = plan->len - off < plan->chunk ? plan->len - off : plan->chunk;
	return cxlsw_fw_transfer_encode(plan_action(plan, n), plan->slot, off,
					plan->image + off, take, buf, len,
					used);
}

struct xfer_wait {
	bool (*progress)(size_t done, size_t total, void *ctx);
	void *ctx;
	size_t done, total;
};

/* a background chunk's polls count as progress of the whole transfer */
static bool chunk_polled(const struct cxlsw_bg_status *st, void *ctx)
{
	struct xfer_wait *w = ctx;

	(void)st;
	return !w->progress || w->progress(w->done, w->total, w->ctx);
}

/* Tell the device to drop what it received; keep the first error. */
static void abort_transfer(struct cxlsw_dev *dev, uint8_t slot)
{
	struct cxlsw_error first = dev->error;
	uint8_t req[CXLSW_FW_XFER_HDR_LEN];
	size_t used, none = 0;

	if (!cxlsw_fw_transfer_encode(CXLSW_FW_ABORT, slot, 0, NULL, 0, req,
				      sizeof(req), &used))
		(void)cxlsw_dev_send(dev, CXLSW_OP_TRANSFER_FW, req, used, NULL,
				     &none);
	dev->error = first;
}

/* The error says how far it got: a transfer never touches the active slot. */
static void say_how_far(struct cxlsw_dev *dev, size_t done, size_t total)
{
	size_t n = strlen(dev->error.detail);

	snprintf(dev->error.detail + n, sizeof(dev->error.detail) - n,
		 " after %zu of %zu bytes: the transfer was aborted, the active slot is untouched",
		 done, total);
}

int cxlsw_fw_transfer(struct cxlsw_dev *dev, const struct cxlsw_fw_plan *plan,
		      bool (*progress)(size_t done, size_t total, void *ctx),
		      void *ctx, unsigned int timeout_ms, size_t *done)
{
	struct xfer_wait w = { progress, ctx, 0, plan->len };
	struct cxlsw_wait wait = { timeout_ms, chunk_polled, &w };
	size_t cap = CXLSW_FW_XFER_HDR_LEN + plan->chunk, used, none;
	uint8_t *req = malloc(cap);
	int rc = 0;

	*done = 0;
	if (!req)
		return -ENOMEM;
	for (size_t n = 0; n < plan->requests; n++) {
		if (progress && !progress(w.done, w.total, ctx)) {
			rc = dev_fail(dev, CXLSW_ERR_INTERRUPTED, ECANCELED,
				      CXLSW_OP_TRANSFER_FW, "interrupted");
			break;
		}
		rc = cxlsw_fw_plan_request(plan, n, req, cap, &used);
		if (rc) {
			rc = dev_fail(dev, CXLSW_ERR_INVALID, EINVAL,
				      CXLSW_OP_TRANSFER_FW,
				      "cannot encode request %zu", n);
			break;
		}
		none = 0;
		rc = cxlsw_dev_run(dev, CXLSW_OP_TRANSFER_FW, req, used, NULL,
				   &none, &wait);
		if (rc == -EINTR)	/* a poll said stop */
			rc = dev_fail(dev, CXLSW_ERR_INTERRUPTED, ECANCELED,
				      CXLSW_OP_TRANSFER_FW, "interrupted");
		if (rc)
			break;
		w.done += used - CXLSW_FW_XFER_HDR_LEN;
		if (progress)
			(void)progress(w.done, w.total, ctx);
	}
	free(req);
	*done = w.done;
	if (!rc)
		return 0;
	/* a full transfer, or one not begun, leaves nothing to abort */
	if (plan->requests > 1 && (w.done || rc != -ECANCELED))
		abort_transfer(dev, plan->slot);
	say_how_far(dev, w.done, plan->len);
	return rc;
}

const char *cxlsw_fw_action_name(uint8_t action)
{
	static const char *const names[] = {
		"full", "initiate", "continue", "end", "abort",
	};

	return LOOKUP(names, action);
}
