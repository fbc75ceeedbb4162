// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get FW Info (0x0200) decoder, and the Transfer FW
 * planner on the same bytes taken as an image (the first byte picks the
 * message size, 2^(8 + byte % 13)).
 */
#include <string.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_fw_info fi;
	struct cxlsw_fw_plan plan;
	uint8_t req[CXLSW_FW_XFER_HDR_LEN + 4096];
	size_t used;

	if (!cxlsw_fw_info_decode(data, size, &fi))
		for (unsigned int i = 0; i < CXLSW_FW_SLOTS_MAX; i++)
			if (strlen(fi.revision[i]) > CXLSW_FW_REV_LEN)
				__builtin_trap();
	if (size < 2)
		return 0;
	if (cxlsw_fw_plan(data + 1, size - 1, 2,
			  (size_t)1 << (8 + data[0] % 5), &plan))
		return 0;
	for (size_t n = 0; n < plan.requests; n++)
		if (cxlsw_fw_plan_request(&plan, n, req, sizeof(req), &used) ||
		    used > sizeof(req))
			__builtin_trap();
	return 0;
}
