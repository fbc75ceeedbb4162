// SPDX-License-Identifier: GPL-2.0
/* Emulated CXL switch: dynamic capacity devices (0x56). */
#include <string.h>

#include "device.h"

const struct dev_cmd dev_dcd_cmds[] = {
	{ 0, 0, 0, NULL },
};
