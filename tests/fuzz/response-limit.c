// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: the Get Response Message Limit (0x0003) decoder. */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t bytes;

	(void)cxlsw_response_limit_decode(data, size, &bytes);
	return 0;
}
