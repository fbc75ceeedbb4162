// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Send PPB CXL.io Configuration Request (0x5103)
 * codec.  The first three bytes are the access (offset high/low, width);
 * the rest is the answer.  Encoding and decoding must agree on any access
 * the encoder accepts.
 */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_config_request req = { 0 };
	uint8_t buf[CXLSW_CONFIG_REQ_LEN];
	uint32_t value;

	if (size < 3)
		return 0;
	req.offset = (uint16_t)(data[0] << 8 | data[1]);
	req.width = data[2] & 7;
	req.write = data[2] & 0x80;
	req.value = 0xff;
	if (cxlsw_config_encode(&req, buf, sizeof(buf)))
		return 0;
	if (!cxlsw_config_decode(&req, data + 3, size - 3, &value) &&
	    req.width < 4 && value >> (8 * req.width))
		__builtin_trap();	/* a value wider than the access */
	(void)cxlsw_config_effect(buf, sizeof(buf));
	return 0;
}
