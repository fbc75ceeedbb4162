// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get Supported Logs (0x0400) and Command Effects
 * Log decoders.  The first byte picks the decoder.
 */
#include <stdlib.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_log_entry logs[8];
	struct cxlsw_cel_entry *cel;
	size_t count;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		(void)cxlsw_supported_logs_decode(data + 1, size - 1, logs, 8,
						  &count);
		return 0;
	}
	cel = calloc(size / CXLSW_CEL_ENTRY_LEN + 1, sizeof(*cel));
	if (cel && !cxlsw_cel_decode(data + 1, size - 1, cel, &count))
		for (size_t i = 0; i < count; i++)
			for (unsigned int b = 0; b < 16; b++)
				(void)cxlsw_cel_effect_name(b);
	free(cel);
	return 0;
}
