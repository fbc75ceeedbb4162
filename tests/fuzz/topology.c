// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the emulated switch's topology and state file parser,
 * and the model answering a few commands about what it loaded.  A state
 * file is input the emulator trusts no more than a device's answer.
 */
#include <stdlib.h>
#include <string.h>

#include "../emulator/topology.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t ports[] = { 4, 0, 5, 16, 255 };
	static const uint8_t vcs[] = { 0, 8, 2, 0, 1 };
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
	model_free(m);
	return 0;
}
