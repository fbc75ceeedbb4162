// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the LD pool decoders.  Byte 0 picks the answer (0 Get
 * LD Info, 1 a Get LD Allocations page, 2 Set LD Allocations), byte 1 is
 * the start LD asked for or the LD count known, the rest the answer.
 */
#include <string.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cxlsw_ld_alloc_list alloc;
	struct cxlsw_ld_info info;

	if (size < 2)
		return 0;
	memset(&alloc, 0, sizeof(alloc));
	switch (data[0] % 3) {
	case 0:
		(void)cxlsw_ld_info_decode(data + 2, size - 2, &info);
		break;
	case 1:
		(void)cxlsw_ld_alloc_decode(data + 2, size - 2, data[1], &alloc);
		(void)cxlsw_ld_granularity_bytes(alloc.granularity);
		break;
	case 2:
		alloc.ld_count = data[1];
		(void)cxlsw_ld_alloc_set_decode(data + 2, size - 2, &alloc);
		break;
	}
	return 0;
}
