// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated CXL switch: --stats FILE, how many CXL_MEM_SEND_COMMAND ioctls
 * arrived and with which opcodes, so tests can check how a client split
 * its requests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu.h"

static unsigned long nr_ioctls;
static unsigned long per_opcode[0x10000];

/* have_opcode is 0 when the command struct itself could not be read */
void stats_count(int have_opcode, uint16_t opcode)
{
	nr_ioctls++;
	if (have_opcode)
		per_opcode[opcode]++;
}

int stats_write(const char *path)
{
	FILE *f = fopen(path, "w");
	const char *sep = "";

	if (!f) {
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	fprintf(f, "{\"ioctls\": %lu, \"opcodes\": {", nr_ioctls);
	for (unsigned int op = 0; op < 0x10000; op++) {
		if (!per_opcode[op])
			continue;
		fprintf(f, "%s\"0x%04x\": %lu", sep, op, per_opcode[op]);
		sep = ", ";
	}
	fprintf(f, "}}\n");
	if (fclose(f)) {
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}
