// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The built-in default topology: tests/topologies/default.json, turned
 * into byte values by emulator.mk (default-topology.inc).
 */
const char emu_default_topology[] = {
#include "default-topology.inc"
	0
};
