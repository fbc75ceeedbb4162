// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: the Get Timestamp (0x0300) decoder, and encoding back. */
#include <string.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t back[CXLSW_TIMESTAMP_LEN];
	uint64_t ns;

	if (cxlsw_timestamp_decode(data, size, &ns))
		return 0;
	if (cxlsw_timestamp_encode(ns, back, sizeof(back)) ||
	    memcmp(back, data, sizeof(back)))
		__builtin_trap();
	return 0;
}
