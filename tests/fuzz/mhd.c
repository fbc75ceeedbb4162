// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the multi-headed device decoders.  The first byte
 * picks one: 0 Get Multi-Headed Info (then the start LD and the map limit
 * asked for), 1 Get Head Info (then the head count asked for); the answer
 * follows.
 */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cxlsw_head_info heads[CXLSW_MAX_HEADS];
	static struct cxlsw_mhd_info info;
	int n;

	if (size < 2)
		return 0;
	if (!(data[0] & 1)) {
		if (size >= 3)
			(void)cxlsw_mhd_info_decode(data + 3, size - 3, data[1],
						    data[2], &info);
		return 0;
	}
	n = cxlsw_head_info_decode(data + 2, size - 2, data[1], heads);
	for (int i = 0; i < n; i++)
		(void)cxlsw_ltssm_name(heads[i].ltssm_state);
	return 0;
}
