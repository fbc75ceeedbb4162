// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get Event Interrupt Policy (0x0102, a device's)
 * and Get MCTP Event Interrupt Policy (0x0104, a switch's) decoders.
 */
#include <string.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t policy[CXLSW_POLICY_LEN], back[CXLSW_MCTP_POLICY_LEN];
	uint16_t settings;
	size_t n;

	if (!cxlsw_mctp_event_policy_decode(data, size, &settings) &&
	    (cxlsw_mctp_event_policy_encode(settings, back, sizeof(back)) ||
	     memcmp(back, data, sizeof(back))))
		__builtin_trap();	/* decoding and encoding round-trip */
	if (cxlsw_event_policy_decode(data, size, policy, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		(void)cxlsw_event_log_name((uint8_t)i);
		(void)cxlsw_irq_mode_name(CXLSW_IRQ_MODE(policy[i]));
	}
	return 0;
}
