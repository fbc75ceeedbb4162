// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer target: the Get Event Interrupt Policy (0x0102) decoder. */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t policy[CXLSW_POLICY_LEN];
	size_t n;

	if (cxlsw_event_policy_decode(data, size, policy, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		(void)cxlsw_event_log_name((uint8_t)i);
		(void)cxlsw_irq_mode_name(CXLSW_IRQ_MODE(policy[i]));
	}
	return 0;
}
