// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the QoS decoders (0x5403, 0x5405, 0x5406/0x5408 and a
 * set's answer).  The first byte picks the decoder; a get's page also
 * takes the start and count it asked for, then the answer.
 */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t fractions[CXLSW_MAX_LDS];
	struct cxlsw_qos_control c;
	uint8_t v, start, count;

	if (size < 1)
		return 0;
	switch (data[0] & 3) {
	case 0:
		if (!cxlsw_qos_control_decode(data + 1, size - 1, &c))
			(void)cxlsw_qos_control_flag_name(c.telemetry_control & 1);
		break;
	case 1:
		(void)cxlsw_qos_status_decode(data + 1, size - 1, &v);
		break;
	case 2:
		if (size >= 3)
			(void)cxlsw_qos_bw_decode(data + 3, size - 3, data[1],
						  data[2], fractions);
		break;
	default:
		(void)cxlsw_qos_bw_set_decode(data + 1, size - 1, &start,
					      &count, fractions);
		break;
	}
	return 0;
}
