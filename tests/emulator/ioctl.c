// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated CXL switch: the kernel's side of CXL_MEM_SEND_COMMAND. Checks
 * the command as the CXL driver does, hands the payload to the model and
 * copies the answer back the way the driver would.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/cxl_mem.h>

#include "emu.h"

/* one command being served: the client's struct and where it lives */
struct send {
	UMockdevIoctlData *data;	/* the struct, resolved */
	UMockdevIoctlData *in;		/* input payload, or NULL */
	UMockdevIoctlData *out;		/* output payload, or NULL */
	struct cxl_send_command cmd;	/* a copy to read fields from */
};

/*
 * Changed bytes go back to the client on complete(), so every resolved
 * piece is kept until then.
 */
static void complete(UMockdevIoctlClient *client, struct send *s, int err)
{
	umockdev_ioctl_client_complete(client, err ? -1 : 0, err);
	if (s->out)
		g_object_unref(s->out);
	if (s->in)
		g_object_unref(s->in);
	if (s->data)
		g_object_unref(s->data);
}

/* The driver's checks, before anything reaches the device. */
static int check_cmd(const struct cxl_send_command *c, const struct model *m)
{
	size_t payload_size = (size_t)1 << m->msg_log2;

	if (c->id != CXL_MEM_COMMAND_ID_RAW || c->flags || c->raw.rsvd)
		return EINVAL;
	if (c->in.rsvd || c->out.rsvd)
		return EINVAL;
	/*
	 * Raw commands' sizes are checked against the mailbox payload size:
	 * the driver passes them to the device unchanged.
	 */
	if (c->in.size > payload_size || c->out.size > payload_size)
		return EINVAL;
	if (c->in.size && !c->in.payload)
		return EFAULT;
	return 0;
}

/* Copy the answer into the client's buffer, truncated to out.size. */
static int copy_out(struct send *s, const uint8_t *out, size_t len)
{
	GError *err = NULL;

	if (len > s->cmd.out.size)
		len = s->cmd.out.size;
	if (len) {
		if (!s->cmd.out.payload)
			return EFAULT;
		s->out = umockdev_ioctl_data_resolve(s->data,
			offsetof(struct cxl_send_command, out.payload), len,
			&err);
		if (!s->out) {
			g_clear_error(&err);
			return EFAULT;
		}
		memcpy(s->out->data, out, len);
	}
	s->cmd.out.size = len;
	return 0;
}

/* Run the command on the model (or a fault); the errno for the ioctl. */
static int run(struct send *s, struct emu_switch *sw)
{
	const uint8_t *out = NULL;
	size_t out_len = 0;
	GError *err = NULL;
	int fault, rc;

	if (s->cmd.in.size) {
		s->in = umockdev_ioctl_data_resolve(s->data,
			offsetof(struct cxl_send_command, in.payload),
			s->cmd.in.size, &err);
		if (!s->in) {
			g_clear_error(&err);
			return EFAULT;
		}
	}
	fault = fault_check(s->cmd.raw.opcode);
	if (fault >= 0)
		s->cmd.retval = fault;
	else
		s->cmd.retval = model_handle(sw->model, s->cmd.raw.opcode,
					     s->in ? s->in->data : NULL,
					     s->cmd.in.size, &out, &out_len);
	rc = copy_out(s, out, out_len);
	if (rc)
		return rc;
	memcpy(s->data->data, &s->cmd, sizeof(s->cmd));
	return 0;
}

static void send_command(UMockdevIoctlClient *client, struct emu_switch *sw)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	struct send s = { 0 };
	GError *err = NULL;
	int rc;

	s.data = umockdev_ioctl_data_resolve(arg, 0, sizeof(s.cmd), &err);
	if (!s.data) {
		g_clear_error(&err);
		stats_count(0, 0);
		complete(client, &s, EFAULT);
		return;
	}
	memcpy(&s.cmd, s.data->data, sizeof(s.cmd));
	stats_count(1, s.cmd.raw.opcode);
	rc = check_cmd(&s.cmd, sw->model);
	if (!rc)
		rc = run(&s, sw);
	complete(client, &s, rc);
}

gboolean emu_handle_ioctl(UMockdevIoctlBase *base,
			  UMockdevIoctlClient *client, gpointer data)
{
	unsigned int request = umockdev_ioctl_client_get_request(client);
	struct send none = { 0 };

	(void)base;
	/* anything but SEND_COMMAND (QUERY_COMMANDS included) is unknown */
	if (request != CXL_MEM_SEND_COMMAND) {
		complete(client, &none, ENOTTY);
		return TRUE;
	}
	pthread_mutex_lock(&emu_lock);
	send_command(client, data);
	pthread_mutex_unlock(&emu_lock);
	return TRUE;
}
