// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: the Background Operation Status (0x0002) decoder. */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_bg_status st;

	if (!cxlsw_bg_status_decode(data, size, &st))
		(void)cxlsw_retcode_name(st.retcode);
	return 0;
}
