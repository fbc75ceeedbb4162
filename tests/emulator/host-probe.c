// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * host-probe: what a host sees through libcxl, for checking the
 * emulator's host side (host-sysfs.c) the way the tool will use it.
 * Prints one "DEVNAME SERIAL" line per memdev, the serial in hex.
 */
#include <stdio.h>
#include <cxl/libcxl.h>

int main(void)
{
	struct cxl_memdev *memdev;
	struct cxl_ctx *ctx;
	int rc = cxl_new(&ctx);

	if (rc) {
		fprintf(stderr, "host-probe: cxl_new: %d\n", rc);
		return 1;
	}
	cxl_memdev_foreach(ctx, memdev)
		printf("%s 0x%016llx\n", cxl_memdev_get_devname(memdev),
		       cxl_memdev_get_serial(memdev));
	cxl_unref(ctx);
	return 0;
}
