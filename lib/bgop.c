// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Background operations: a command answered Background Command Started
 * goes on in the device; Background Operation Status says when it ends and
 * with which return code.  Polling starts fast (most finish quickly) and
 * backs off to a ceiling.
 */
#include <errno.h>
#include <time.h>

#include "private.h"

#define POLL_FIRST_MS	1
#define POLL_MAX_MS	100

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int finished(struct cxlsw_dev *dev, uint16_t opcode,
		    const struct cxlsw_bg_status *st)
{
	const char *name = cxlsw_retcode_name(st->retcode);

	if (st->opcode != opcode)
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG, opcode,
				"the background status reports opcode 0x%04x",
				st->opcode);
	if (st->retcode == CXLSW_RC_SUCCESS)
		return 0;
	dev_fail(dev, CXLSW_ERR_DEVICE, EIO, opcode,
		 "background operation ended with %s (0x%02x)",
		 name ? name : "an unknown return code", st->retcode);
	dev->error.retcode = st->retcode;
	return -EIO;
}

int cxlsw_bg_wait(struct cxlsw_dev *dev, uint16_t opcode,
		  const struct cxlsw_wait *wait)
{
	uint64_t start = now_ms();
	unsigned int delay = POLL_FIRST_MS;
	struct cxlsw_bg_status st;
	int rc;

	for (;;) {
		rc = cxlsw_bg_status(dev, &st);
		if (rc)
			return rc;
		if (wait->progress && !wait->progress(&st, wait->ctx))
			return dev_fail(dev, CXLSW_ERR_INTERRUPTED, EINTR,
					opcode,
					"interrupted at %u%%: the operation goes on in the device",
					st.percent);
		if (!st.running)
			return finished(dev, opcode, &st);
		if (wait->timeout_ms && now_ms() - start >= wait->timeout_ms)
			return dev_fail(dev, CXLSW_ERR_INTERRUPTED, ETIMEDOUT,
					opcode,
					"still running after %u ms (%u%% done): it goes on in the device",
					wait->timeout_ms, st.percent);
		sleep_ms(delay);
		delay = delay * 2 > POLL_MAX_MS ? POLL_MAX_MS : delay * 2;
	}
}

int cxlsw_bg_abort(struct cxlsw_dev *dev)
{
	size_t len = 0;

	return cxlsw_dev_send(dev, CXLSW_OP_BG_ABORT, NULL, 0, NULL, &len);
}
