// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The floor for `make bench`: the ioctls that `cxl-switch list-ports` needs
 * (response limit, Identify Switch Device, then port state in requests as
 * large as the limit allows), with nothing else: no library, no JSON, no
 * output.  The tool is measured against it.
 *
 * `floor -n COUNT`: COUNT Identify Switch Device requests, the floor of any
 * command whose minimum is COUNT round trips (tests/minimum.jq): the
 * switch's cheapest answer, so the floor is the round trips alone.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/cxl_mem.h>

static uint8_t out[1 << 20];

static int send_raw(int fd, uint16_t opcode, const void *in, uint32_t in_len,
		    uint32_t out_len)
{
	struct cxl_send_command c = {
		.id = CXL_MEM_COMMAND_ID_RAW,
		.raw.opcode = opcode,
		.in.size = in_len,
		.in.payload = (uintptr_t)in,
		.out.size = out_len,
		.out.payload = (uintptr_t)out,
	};

	return ioctl(fd, CXL_MEM_SEND_COMMAND, &c) || c.retval ? -1 : 0;
}

int main(int argc, char **argv)
{
	uint8_t req[1 + 256], bitmap[32];
	unsigned int nports = 0, per, limit;
	int fd = open("/dev/cxl/switch0", O_RDWR);

	if (argc == 3 && !strcmp(argv[1], "-n")) {
		for (int i = atoi(argv[2]); i > 0; i--)
			if (fd < 0 || send_raw(fd, 0x5100, NULL, 0, 73))
				return 1;
		return fd < 0;
	}
	if (fd < 0 || send_raw(fd, 0x0003, NULL, 0, 1))
		return 1;
	limit = 1u << out[0];
	if (send_raw(fd, 0x5100, NULL, 0, 73))
		return 1;
	memcpy(bitmap, out + 4, 32);
	for (unsigned int id = 0; id < 256; id++)
		if (id < out[2] || bitmap[id / 8] & (1u << (id % 8)))
			req[1 + nports++] = (uint8_t)id;
	per = (limit - 4) / 16;
	if (per > 255)
		per = 255;
	for (unsigned int done = 0; done < nports; done += per) {
		unsigned int n = nports - done < per ? nports - done : per;

		req[done] = (uint8_t)n;	/* count sits just before the ids */
		if (send_raw(fd, 0x5101, req + done, 1 + n, 4 + 16 * n))
			return 1;
	}
	close(fd);
	return 0;
}
