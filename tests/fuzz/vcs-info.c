// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get Virtual CXL Switch Info (0x5200) decoder.  The
 * input starts with the request (start vPPB, limit, count, ids), then the
 * answer; slots may already hold entries, as they do while paging.
 */
#include <stdlib.h>
#include <string.h>

#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cxlsw_vcs_info *slots[CXLSW_MAX_VCSS];
	struct cxlsw_vcs_info *vcs;
	struct cxlsw_vcs_request req;

	if (size < 4 || size < 4u + data[3])
		return 0;
	memset(&req, 0, sizeof(req));
	req.start_vppb = data[0];
	req.vppb_limit = data[1];
	req.count = data[2];
	if (req.count > data[3])
		return 0;
	memcpy(req.vcs_ids, data + 4, req.count);
	vcs = calloc(req.count ? req.count : 1, sizeof(*vcs));
	if (!vcs)
		return 0;
	for (unsigned int i = 0; i < req.count; i++) {
		slots[i] = &vcs[i];
		/* Odd start: pretend a first page was already read. */
		if (req.start_vppb & 1)
			vcs[i].have = 1;
	}
	(void)cxlsw_vcs_info_decode(data + 4 + data[3], size - 4 - data[3],
				    &req, slots);
	free(vcs);
	return 0;
}
