// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: the host's side, as libcxl sees it. Every device
 * with a "host_memdev" name appears as /sys/bus/cxl/devices/memN with
 * its serial number, so a client can say which host memdev a device
 * behind the switch is (libcxl: cxl_memdev_get_serial()). --no-host
 * leaves them out: a management host that sees none of the memory.
 *
 * What libcxl (76.x) needs to enumerate a memdev: a /dev/cxl/memN node
 * (a link to /dev/null, umockdev-notes.md item 4) and the attributes
 * pmem/size, ram/size, payload_max, label_storage_size and
 * firmware_version. An MLD's memdev stands for the device as a whole:
 * the same serial as its LDs' Identify, ram/size its memory size.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu.h"
#include "device.h"

static int add_memdev(UMockdevTestbed *tb, const struct model_device *d)
{
	g_autofree char *root = umockdev_testbed_get_root_dir(tb);
	g_autofree char *sys = umockdev_testbed_get_sys_dir(tb);
	g_autofree char *rec = NULL, *link = NULL, *target = NULL;
	g_autofree char *node = NULL, *dir = NULL;
	const char *name = d->host_memdev;
	uint64_t ram = d->mem.volatile_only, pmem = d->mem.persistent_only;
	GError *err = NULL;

	if (d->mld) {
		ram = d->mld->memory_size;
		pmem = 0;
	}
	rec = g_strdup_printf(
		"P: /devices/cxl/%s\nE: SUBSYSTEM=cxl\nE: DEVNAME=/dev/cxl/%s\n"
		"A: dev=1:3\\n\nA: serial=0x%" PRIx64 "\\n\n"
		"A: payload_max=%u\\n\nA: label_storage_size=%" PRIu32 "\\n\n"
		"A: firmware_version=%s\\n\nA: numa_node=-1\\n\n"
		"A: ram/size=0x%" PRIx64 "\\n\nA: pmem/size=0x%" PRIx64 "\\n\n",
		name, name, d->id.serial, 1u << d->msg_log2, d->mem.lsa_size,
		d->mem.fw_revision, ram, pmem);
	if (!umockdev_testbed_add_from_string(tb, rec, &err)) {
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", name, err->message);
		g_clear_error(&err);
		return -1;
	}
	dir = g_strdup_printf("%s/bus/cxl/devices", sys);
	link = g_strdup_printf("%s/%s", dir, name);
	target = g_strdup_printf("../../../devices/cxl/%s", name);
	node = g_strdup_printf("%s/dev/cxl/%s", root, name);
	if ((symlink(target, link) && errno != EEXIST) ||
	    (symlink("/dev/null", node) && errno != EEXIST)) {
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", name,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* an earlier device (of any switch) already has this name */
static int taken(const struct emu_switch *sw, unsigned int i, unsigned int j)
{
	const char *name = sw[i].model->ports[j].dev->host_memdev;

	for (unsigned int a = 0; a <= i; a++) {
		const struct model *m = sw[a].model;

		for (unsigned int b = 0; b < (a == i ? j : m->nr_ports); b++) {
			const struct model_device *d = m->ports[b].dev;

			if (d && d->host_memdev && !strcmp(d->host_memdev, name))
				return 1;
		}
	}
	return 0;
}

/*
 * After testbed_create(), which made /sys/bus/cxl/devices and /dev/cxl.
 * One host has one memN of a name: when two switches' topologies name
 * the same memdev (the default topology loaded twice), the first wins.
 */
int host_sysfs_create(UMockdevTestbed *tb, const struct emu_switch *sw,
		      unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct model *m = sw[i].model;

		for (unsigned int j = 0; j < m->nr_ports; j++) {
			const struct model_device *d = m->ports[j].dev;

			if (!d || !d->host_memdev || taken(sw, i, j))
				continue;
			if (add_memdev(tb, d))
				return -1;
		}
	}
	return 0;
}
