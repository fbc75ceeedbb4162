// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: the Identify (0x0001) answer decoder. */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_identify id;

	if (!cxlsw_identify_decode(data, size, &id))
		(void)cxlsw_component_type_name(id.component_type);
	return 0;
}
