// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The main transport: the kernel builds the CCI header and runs the
 * mailbox; we hand it a raw opcode and two payload buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>		/* <linux/cxl_mem.h> does not include it */
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

static const struct cxlsw_transport_ops ioctl_ops = {
	.send = ioctl_send,
	.destroy = ioctl_destroy,
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
