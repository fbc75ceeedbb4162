// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: the Identify Switch Device (0x5100) decoder. */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_switch_info si;
	uint8_t ids[CXLSW_MAX_PORTS];

	if (!cxlsw_switch_info_decode(data, size, &si)) {
		(void)cxlsw_id_set(si.num_physical_ports, si.active_ports, ids);
		(void)cxlsw_id_set(si.num_vcss, si.active_vcss, ids);
	}
	return 0;
}
