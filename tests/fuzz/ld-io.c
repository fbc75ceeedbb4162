// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the LD CXL.io answers (0x5301, 0x5302).  Byte 0 picks
 * the command (even 0x5301, odd 0x5302) and whether it was a write (bit
 * 1); bytes 1-2 are the length asked for (0x5302) or the offset and width
 * (0x5301); the rest is the answer.  The request is encoded too.
 */
#include <string.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ld_config(const uint8_t *data, size_t size)
{
	static const uint8_t widths[] = { 1, 2, 4 };
	struct cxlsw_config_request r = {
		.port = 5, .width = widths[data[2] % 3], .write = data[0] & 2,
	};
	uint8_t req[CXLSW_LD_CONFIG_REQ_LEN];
	uint32_t v;

	r.offset = (uint16_t)((data[1] | (data[2] & 0xf0) << 4) &
			      ~(r.width - 1u));
	(void)cxlsw_ld_config_encode(&r, 1, req, sizeof(req));
	(void)cxlsw_config_decode(&r, data + 3, size - 3, &v);
}

static void ld_memory(const uint8_t *data, size_t size)
{
	static uint8_t buf[CXLSW_LD_MEM_HDR_LEN + CXLSW_LD_MEM_MAX];
	static const uint8_t wdata[CXLSW_LD_MEM_MAX];
	struct cxlsw_ld_mem_request r = {
		.port = 5, .ld = 1, .address = 0x10,
		.length = (uint16_t)(data[1] | data[2] << 8),
		.write = data[0] & 2, .data = wdata,
	};
	const uint8_t *out;
	size_t used, n;

	(void)cxlsw_ld_mem_encode(&r, buf, sizeof(buf), &used);
	if (cxlsw_ld_mem_decode(&r, data + 3, size - 3, &out, &n))
		return;
	/* what is returned lies inside the answer, no more than asked */
	if (out + n > data + size || n > r.length)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	if (data[0] & 1)
		ld_memory(data, size);
	else
		ld_config(data, size);
	return 0;
}
