// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: the fake sysfs and /dev the tool sees under the
 * umockdev preload, one cxl bus device and one ioctl node per switch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu.h"

static int mkdir_p(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "cxl-switch-emu: %s: %s\n", what, why);
	return -1;
}

/*
 * umockdev does not know the cxl bus: it makes /sys/class/cxl/switchN
 * only, so the bus directory and its link are made here. The node is a
 * link to a character device because umockdev wraps stat() but not
 * fstat(), and a client that checks its fd must see one: the slave of a
 * pty of the switch's own, not /dev/null, since a client locks the node
 * with flock(2) and a lock on /dev/null would be one lock for every
 * switch of every emulator on the machine (tests run in parallel). stat() of the
 * node says EMU_SWITCH_MAJOR:N (umockdev's dev/.node), the number sysfs
 * gives the switch (dev, /sys/dev/char/MAJ:MIN), as the kernel's char
 * devices are reached; /dev/char/MAJ:MIN links to the node, as udev
 * makes them, so a client can name the switch by either path.
 */
static int add_char_link(const char *root, const struct emu_switch *sw)
{
	g_autofree char *dir = g_strdup_printf("%s/dev/char", root);
	g_autofree char *link = g_strdup_printf("%s/%u:%u", dir,
						EMU_SWITCH_MAJOR, sw->index);
	g_autofree char *target = g_strdup_printf("../cxl/switch%u",
						  sw->index);
	g_autofree char *node = g_strdup_printf("%s/dev/.node/char_%u:%u",
						root, EMU_SWITCH_MAJOR,
						sw->index);
	g_autofree char *num = g_strdup_printf("%u:%u", EMU_SWITCH_MAJOR,
					       sw->index);

	if (mkdir_p(dir))
		return fail(dir, strerror(errno));
	if (symlink(target, link) && errno != EEXIST)
		return fail(link, strerror(errno));
	if (symlink(num, node) && errno != EEXIST)
		return fail(node, strerror(errno));
	return 0;
}

/* The pty the node links to; its master stays open as long as the switch. */
static char *node_pty_open(struct emu_switch *sw)
{
	char *slave;

	sw->node_pty = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sw->node_pty < 0 || grantpt(sw->node_pty) ||
	    unlockpt(sw->node_pty) || !(slave = ptsname(sw->node_pty))) {
		fail("a pty for the switch node", strerror(errno));
		return NULL;
	}
	return g_strdup(slave);
}

static int add_switch(UMockdevTestbed *tb, struct emu_switch *sw)
{
	g_autofree char *root = umockdev_testbed_get_root_dir(tb);
	g_autofree char *sys = umockdev_testbed_get_sys_dir(tb);
	g_autofree char *rec = NULL, *bus = NULL, *link = NULL;
	g_autofree char *devdir = NULL, *node = NULL, *target = NULL;
	g_autofree char *pty = node_pty_open(sw);
	GError *err = NULL;

	if (!pty)
		return -1;
	snprintf(sw->devnode, sizeof(sw->devnode), "/dev/cxl/switch%u",
		 sw->index);
	rec = g_strdup_printf("P: /devices/cxl/switch%u\nE: SUBSYSTEM=cxl\n"
			      "E: DEVNAME=%s\nA: dev=%u:%u\\n\n", sw->index,
			      sw->devnode, EMU_SWITCH_MAJOR, sw->index);
	if (!umockdev_testbed_add_from_string(tb, rec, &err))
		goto gerr;
	bus = g_strdup_printf("%s/bus/cxl/devices", sys);
	link = g_strdup_printf("%s/switch%u", bus, sw->index);
	devdir = g_strdup_printf("%s/dev/cxl", root);
	node = g_strdup_printf("%s%s", root, sw->devnode);
	if (mkdir_p(bus) || mkdir_p(devdir))
		return fail(bus, strerror(errno));
	target = g_strdup_printf("../../../devices/cxl/switch%u", sw->index);
	if (symlink(target, link) && errno != EEXIST)
		return fail(link, strerror(errno));
	if (symlink(pty, node) && errno != EEXIST)
		return fail(node, strerror(errno));
	if (add_char_link(root, sw))
		return -1;
	sw->handler = umockdev_ioctl_base_new();
	g_signal_connect(sw->handler, "handle-ioctl",
			 G_CALLBACK(emu_handle_ioctl), sw);
	if (!umockdev_testbed_attach_ioctl(tb, sw->devnode, sw->handler, &err))
		goto gerr;
	return 0;
gerr:
	fail(sw->devnode, err->message);
	g_clear_error(&err);
	return -1;
}

UMockdevTestbed *testbed_create(struct emu_switch *sw, unsigned int n)
{
	UMockdevTestbed *tb = umockdev_testbed_new();

	for (unsigned int i = 0; i < n; i++) {
		if (add_switch(tb, &sw[i])) {
			testbed_destroy(tb, sw, n);
			return NULL;
		}
	}
	return tb;
}

/* Detach first: the worker must not call a handler being freed. */
void testbed_destroy(UMockdevTestbed *tb, struct emu_switch *sw,
		     unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (!sw[i].handler)
			continue;
		umockdev_testbed_detach_ioctl(tb, sw[i].devnode, NULL);
		g_object_unref(sw[i].handler);
		sw[i].handler = NULL;
	}
	for (unsigned int i = 0; i < n; i++)
		if (sw[i].node_pty > 0)
			close(sw[i].node_pty);
	/* the testbed removes its directory when it goes away */
	g_object_unref(tb);
}
