// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get DC Region Extent Lists (0x5603) decoder.  The
 * input starts with the request as the decoder is given it (host u16,
 * extent count u32, start u32), then the answer.
 */
#include <stdlib.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_dc_extent_page pg;
	struct cxlsw_dc_extent *ext;
	uint32_t count;
	size_t max;

	if (size < 10)
		return 0;
	count = le32(data + 2);
	/* room for what a page may hold, as the reader gives it */
	max = count < 1024 ? count : 1024;
	ext = calloc(max ? max : 1, sizeof(*ext));
	if (!ext)
		return 0;
	(void)cxlsw_dc_extents_decode(data + 10, size - 10,
				      (uint16_t)(data[0] | data[1] << 8), count,
				      le32(data + 6), &pg, ext, max);
	free(ext);
	return 0;
}
