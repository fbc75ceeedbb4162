// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: the Identify Memory Device (0x4000) answer decoder. */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_memdev_identify id;

	if (!cxlsw_memdev_identify_decode(data, size, &id))
		for (unsigned int b = 0; b < 8; b++)
			(void)cxlsw_poison_cap_name(b);
	return 0;
}
