// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get Host DC Region Configuration (0x5601) decoder.
 * The input starts with the request (host u16, region count, start
 * region), then the answer.  A start above 0 continues a reading whose
 * first page said there are as many regions as this answer says.
 */
#include <string.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_dc_regions r;

	if (size < 4)
		return 0;
	memset(&r, 0, sizeof(r));
	if (data[3] && size > 6)
		r.count = data[6];
	(void)cxlsw_dc_regions_decode(data + 4, size - 4,
				      (uint16_t)(data[0] | data[1] << 8),
				      data[2], data[3], &r);
	return 0;
}
