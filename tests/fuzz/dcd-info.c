// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: the Get DCD Info (0x5600) decoder; the input is the answer. */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_dcd_info info;

	(void)cxlsw_dcd_info_decode(data, size, &info);
	return 0;
}
