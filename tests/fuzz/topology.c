// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the emulated switch's topology and state file parser,
 * and the model answering a few commands about what it loaded.  A state
 * file is input the emulator trusts no more than a device's answer.
 */
#include <stdlib.h>
#include <string.h>

#include "../emulator/topology.h"
#include "../emulator/device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ports[] = { 4, 0, 5, 16, 255 };
	static const uint8_t vcs[] = { 0, 8, 2, 0, 1 };
	/* 0x5300 requests: port, type, size, inner header, payload */
#define TUN(port, type, op, ...) { { port, type,			\
	12 + sizeof((uint8_t[]){ 0, __VA_ARGS__ }) - 1, 0,		\
	0, 1, 0, (op) & 0xff, (op) >> 8,				\
	sizeof((uint8_t[]){ 0, __VA_ARGS__ }) - 1, 0, 0, 0, 0, 0, 0,	\
	__VA_ARGS__ }, 16 + sizeof((uint8_t[]){ 0, __VA_ARGS__ }) - 1 }
	static const struct { uint8_t msg[64]; size_t len; } tunnel[] = {
		TUN(5, 0, 0x4000),
		TUN(7, 0, 0x5401, 0, 255),
		TUN(20, 1, 0x5500, 0, 255),
		TUN(20, 1, 0x5501, 0, 255),
		TUN(12, 0, 0x5600),
		TUN(12, 0, 0x5601, 0, 0, 255, 0),
		TUN(12, 0, 0x5603, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0),
		TUN(5, 0, 0x5300, 2, 0, 12, 0, 0, 1, 0, 0, 0x40, 0, 0, 0,
		    0, 0, 0, 0),
	};
	char *text = malloc(size + 1);
	const uint8_t *out;
	struct model *m;
	size_t len;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	m = topology_load_string(text, "fuzz");
	free(text);
	if (!m)
		return 0;
	model_handle(m, 0x5100, NULL, 0, &out, &len);
	model_handle(m, 0x5101, ports, sizeof(ports), &out, &len);
	model_handle(m, 0x5200, vcs, sizeof(vcs), &out, &len);
	/* the devices: each kind through the tunnel, LDs two levels down */
	for (size_t i = 0; i < sizeof(tunnel) / sizeof(tunnel[0]); i++)
		model_handle(m, 0x5300, tunnel[i].msg, tunnel[i].len, &out,
			     &len);
	model_free(m);
	return 0;
}
