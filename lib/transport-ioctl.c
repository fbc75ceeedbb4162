// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The main transport: the kernel builds the CCI header and runs the
 * mailbox; we hand it a raw opcode and two payload buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/ioctl.h>		/* <linux/cxl_mem.h> does not include it */
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/cxl_mem.h>

#include "private.h"

struct ioctl_transport {
	struct cxlsw_transport base;
	int fd;
};

static int ioctl_send(struct cxlsw_transport *t, uint16_t opcode,
		      const void *in, size_t in_len,
		      void *out, size_t *out_len, uint16_t *retcode)
{
	struct ioctl_transport *it = (struct ioctl_transport *)t;
	struct cxl_send_command cmd = {
		.id = CXL_MEM_COMMAND_ID_RAW,
		.raw.opcode = opcode,
		.in.size = (uint32_t)in_len,
		.in.payload = (uintptr_t)in,
		.out.size = (uint32_t)*out_len,
		.out.payload = (uintptr_t)out,
	};

	if (in_len > UINT32_MAX || *out_len > UINT32_MAX)
		return -EINVAL;
	if (ioctl(it->fd, CXL_MEM_SEND_COMMAND, &cmd) < 0)
		return -errno;
	if (cmd.out.size > *out_len)
		return -EOVERFLOW;	/* the kernel wrote past our buffer? */
	*out_len = cmd.out.size;
	*retcode = (uint16_t)cmd.retval;
	return 0;
}

static void ioctl_destroy(struct cxlsw_transport *t)
{
	struct ioctl_transport *it = (struct ioctl_transport *)t;

	close(it->fd);
	free(it);
}

/*
 * Who holds a flock(2) on the file fd is open on: /proc/locks names the
 * pid and the inode ("1: FLOCK  ADVISORY  WRITE 412 00:06:3 0 EOF"), with
 * the file system's device in hex.  0 when no line says.
 */
pid_t flock_holder(int fd)
{
	char line[256], kind[16], dev[64], want[64];
	struct stat st;
	pid_t pid = 0;
	int holder;
	FILE *f;

	if (fstat(fd, &st))
		return 0;
	snprintf(want, sizeof(want), "%02x:%02x:%lu", major(st.st_dev),
		 minor(st.st_dev), (unsigned long)st.st_ino);
	f = fopen("/proc/locks", "re");
	if (!f)
		return 0;
	while (!pid && fgets(line, sizeof(line), f))
		/* "N: -> FLOCK ..." lines are waiters, not holders */
		if (!strstr(line, "->") &&
		    sscanf(line, "%*d: %15s %*s %*s %d %63s", kind, &holder,
			   dev) == 3 &&
		    !strcmp(kind, "FLOCK") && !strcmp(dev, want))
			pid = holder;
	fclose(f);
	return pid;
}

/*
 * flock(2) on the node itself: every process that opens the switch sees
 * the same lock, nothing is left behind by a process that dies, and it
 * needs no more rights than opening the switch.
 */
static int ioctl_trylock(struct cxlsw_transport *t, pid_t *holder)
{
	struct ioctl_transport *it = (struct ioctl_transport *)t;

	*holder = 0;
	if (!flock(it->fd, LOCK_EX | LOCK_NB))
		return 0;
	if (errno != EWOULDBLOCK)
		return -errno;
	*holder = flock_holder(it->fd);
	return -EWOULDBLOCK;
}

static const struct cxlsw_transport_ops ioctl_ops = {
	.send = ioctl_send,
	.destroy = ioctl_destroy,
	.trylock = ioctl_trylock,
};

int cxlsw_ioctl_transport_open(const char *path, struct cxlsw_transport **t)
{
	struct ioctl_transport *it;
	struct stat st;
	/*
	 * The path was checked to be a switch's character device; O_NONBLOCK
	 * and the fstat keep a node swapped in since (a FIFO, a file) from
	 * blocking us or being sent the ioctl.  The mailbox ioctl itself
	 * does not look at O_NONBLOCK.
	 */
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISCHR(st.st_mode)) {
		close(fd);
		return -ENODEV;
	}
	it = calloc(1, sizeof(*it));
	if (!it) {
		close(fd);
		return -ENOMEM;
	}
	it->base.ops = &ioctl_ops;
	it->fd = fd;
	*t = &it->base;
	return 0;
}
