// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get Physical Port State (0x5101) decoder.  The
 * first input byte is the number of ports the request asked for; the rest
 * is the answer.
 */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_port_state ports[255];

	if (size < 1)
		return 0;
	if (cxlsw_port_state_decode(data + 1, size - 1, data[0], ports))
		return 0;
	for (unsigned int i = 0; i < data[0]; i++) {
		(void)cxlsw_port_config_state_name(ports[i].config_state);
		(void)cxlsw_device_type_name(ports[i].connected_device_type);
		(void)cxlsw_cxl_version_name(ports[i].connected_cxl_version);
		(void)cxlsw_ltssm_name(ports[i].ltssm_state);
		(void)cxlsw_link_speed_tenths(ports[i].current_link_speed);
		(void)cxlsw_link_speed_tenths(ports[i].max_link_speed);
	}
	return 0;
}
