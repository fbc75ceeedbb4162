// SPDX-License-Identifier: LGPL-2.1-or-later
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

/* tunnelled commands by path, in the order first seen */
#define MAX_PATHS 1024
static struct {
	char key[64];
	unsigned long n;
} paths[MAX_PATHS];
static unsigned int nr_paths;

/* have_opcode is 0 when the command struct itself could not be read */
void stats_count(int have_opcode, uint16_t opcode)
{
	nr_ioctls++;
	if (have_opcode)
		per_opcode[opcode]++;
}

/* "0x5300>0x5300>0x0001": the outer opcodes, then the command */
void stats_count_path(const uint16_t *ops, unsigned int depth)
{
	char key[64];
	size_t len = 0;
	unsigned int i;

	key[0] = '\0';
	for (i = 0; i < depth && len + 8 < sizeof(key); i++)
		len += snprintf(key + len, sizeof(key) - len, "%s0x%04x",
				i ? ">" : "", ops[i]);
	for (i = 0; i < nr_paths; i++)
		if (!strcmp(paths[i].key, key))
			break;
	if (i == nr_paths) {
		if (nr_paths == MAX_PATHS)
			return;
		strcpy(paths[nr_paths++].key, key);
	}
	paths[i].n++;
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
	for (unsigned int i = 0; i < nr_paths; i++) {
		fprintf(f, "%s\"%s\": %lu", sep, paths[i].key, paths[i].n);
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
