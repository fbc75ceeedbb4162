// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: --trace FILE, every CXL_MEM_SEND_COMMAND that passed
 * the driver's checks, as sent, so `make bench` can replay exactly the
 * tool's requests from a program that does nothing else (tests/bench/
 * floor.c).  A record, in host byte order:
 *
 *	u16 opcode, u32 in.size, u32 out.size, in.size bytes of payload
 *
 * Kept in memory and written at exit, so tracing adds no file I/O to the
 * round trips being measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/cxl_mem.h>

#include "emu.h"

static uint8_t *trace;
static size_t trace_len, trace_cap;
static int trace_lost;	/* out of memory: the file would lie */

static void put(const void *p, size_t n)
{
	if (trace_lost)
		return;
	if (trace_len + n > trace_cap) {
		size_t cap = trace_cap ? trace_cap * 2 : 65536;
		uint8_t *t;

		while (cap < trace_len + n)
			cap *= 2;
		t = realloc(trace, cap);
		if (!t) {
			trace_lost = 1;
			return;
		}
		trace = t;
		trace_cap = cap;
	}
	memcpy(trace + trace_len, p, n);
	trace_len += n;
}

void trace_request(const struct cxl_send_command *c, const void *in)
{
	uint16_t opcode = c->raw.opcode;
	uint32_t in_size = in ? c->in.size : 0, out_size = c->out.size;

	put(&opcode, sizeof(opcode));
	put(&in_size, sizeof(in_size));
	put(&out_size, sizeof(out_size));
	if (in_size)
		put(in, in_size);
}

int trace_write(const char *path)
{
	FILE *f = fopen(path, "w");
	int bad = !f || trace_lost;

	if (f) {
		if (trace_len && fwrite(trace, trace_len, 1, f) != 1)
			bad = 1;
		bad |= fclose(f) != 0;
	}
	if (bad)
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", path,
			trace_lost ? "out of memory" : strerror(errno));
	free(trace);
	return bad ? -1 : 0;
}
