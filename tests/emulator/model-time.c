// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: Get Timestamp (0x0300) and Set Timestamp (0x0301).
 * The clock runs from the value set; until it is set it reads 0, which is
 * what the spec asks of a device without a valid time.
 */
#include <time.h>

#include "model.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t model_now_ns(const struct model *m)
{
	if (!m->ts_set)
		return 0;
	return m->ts_base_ns + (mono_ns() - m->ts_mono_ns);
}

void model_set_time(struct model *m, uint64_t ns)
{
	m->ts_set = 1;
	m->ts_base_ns = ns;
	m->ts_mono_ns = mono_ns();
}

static uint16_t get_timestamp(struct model *m, const uint8_t *in,
			      size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)in;
	(void)in_len;
	put_le64(out, model_now_ns(m));
	*out_len = 8;
	return CCI_RC_SUCCESS;
}

static uint16_t set_timestamp(struct model *m, const uint8_t *in,
			      size_t in_len, uint8_t *out, size_t *out_len)
{
	uint64_t ns = 0;

	(void)in_len;
	(void)out;
	for (int i = 7; i >= 0; i--)
		ns = ns << 8 | in[i];
	model_set_time(m, ns);
	*out_len = 0;
	return CCI_RC_SUCCESS;
}

const struct model_cmd model_time_cmds[] = {
	{ 0x0300, 0, 0, get_timestamp },
	{ 0x0301, 8, CEL_IMMEDIATE_POLICY, set_timestamp },
	{ 0, 0, 0, NULL },
};
