// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: unwrapping a Tunnel Management (0x5300) answer.  The
 * first three bytes are the request's tag and opcode (little-endian), the
 * rest is the answer; then the unwrapped payload is fed to the decoders a
 * tunnelled answer reaches.
 */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_tunnel_request req = { .id = 0 };
	struct cxlsw_tunnel_answer ans;
	struct cxlsw_memdev_identify mid;
	struct cxlsw_identify id;
	uint8_t wrapped[64];
	size_t used;

	if (size < 3)
		return 0;
	req.tag = data[0];
	req.opcode = (uint16_t)(data[1] | data[2] << 8);
	if (cxlsw_tunnel_decode(&req, data + 3, size - 3, &ans))
		return 0;
	if (ans.payload_len > size)
		__builtin_trap();	/* the payload must lie inside the input */
	(void)cxlsw_identify_decode(ans.payload, ans.payload_len, &id);
	(void)cxlsw_memdev_identify_decode(ans.payload, ans.payload_len, &mid);
	/* and wrapping round-trips the header */
	(void)cxlsw_tunnel_encode(&req, ans.payload,
				  ans.payload_len < 32 ? ans.payload_len : 32,
				  wrapped, sizeof(wrapped), &used);
	return 0;
}
