// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The floor for `make bench`: `floor TRACE` sends, in order, the requests
 * the emulator recorded with --trace while the tool ran (tests/emulator/
 * trace.c), and nothing else: no library, no decoding, no output.  The
 * requests are the tool's own, opcode, payload and answer size alike, so
 * the floor pays the same transport; their number is held to the minimum
 * derived from the topology (tests/minimum.jq) apart from this program.
 * What the tool takes beyond the floor is its own work.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/cxl_mem.h>

static uint8_t answer[1 << 20];

/* Read the whole trace in one go: its parsing is not what we measure. */
static uint8_t *read_trace(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint8_t *buf;

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size + 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		return NULL;
	close(fd);
	*len = st.st_size;
	return buf;
}

int main(int argc, char **argv)
{
	size_t len = 0, at = 0;
	uint8_t *trace = argc == 2 ? read_trace(argv[1], &len) : NULL;
	int fd = open("/dev/cxl/switch0", O_RDWR);

	if (!trace || fd < 0)
		return 2;
	while (at + 10 <= len) {
		struct cxl_send_command c = { .id = CXL_MEM_COMMAND_ID_RAW };
		uint32_t in_size, out_size;
		uint16_t opcode;

		memcpy(&opcode, trace + at, 2);
		memcpy(&in_size, trace + at + 2, 4);
		memcpy(&out_size, trace + at + 6, 4);
		at += 10;
		if (in_size > len - at || out_size > sizeof(answer))
			return 2;
		c.raw.opcode = opcode;
		c.in.size = in_size;
		c.in.payload = (uintptr_t)(trace + at);
		c.out.size = out_size;
		c.out.payload = (uintptr_t)answer;
		at += in_size;
		/* an error answer is the tool's too: only the ioctl may fail */
		if (ioctl(fd, CXL_MEM_SEND_COMMAND, &c))
			return 1;
	}
	return at == len ? 0 : 2;
}
