// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: the kernel's side of CXL_MEM_SEND_COMMAND. Checks
 * the command as the CXL driver does, hands the payload to the model and
 * copies the answer back the way the driver would. Faults (fault.c) bend
 * the answer, the ioctl's result or its timing.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <linux/cxl_mem.h>

#include "emu.h"

/* one command being served: the client's struct and where it lives */
struct send {
	UMockdevIoctlData *data;	/* the struct, resolved */
	UMockdevIoctlData *in;		/* input payload, or NULL */
	UMockdevIoctlData *out;		/* output payload, or NULL */
	struct cxl_send_command cmd;	/* a copy to read fields from */
	unsigned long delay_ms;		/* delay=: sleep before completing */
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

/*
 * Copy the answer and @pad bytes of 0xA5 after it (long=) into the
 * client's buffer, truncated to out.size.
 */
static int copy_out(struct send *s, const uint8_t *out, size_t len,
		    size_t pad)
{
	size_t total = len + pad;
	GError *err = NULL;

	if (total > s->cmd.out.size)
		total = s->cmd.out.size;
	if (len > total)
		len = total;
	if (total) {
		if (!s->cmd.out.payload)
			return EFAULT;
		s->out = umockdev_ioctl_data_resolve(s->data,
			offsetof(struct cxl_send_command, out.payload), total,
			&err);
		if (!s->out) {
			g_clear_error(&err);
			return EFAULT;
		}
		if (len)
			memcpy(s->out->data, out, len);
		memset(s->out->data + len, 0xa5, total - len);
	}
	s->cmd.out.size = total;
	return 0;
}

/* Run the command on the model (or a fault); the errno for the ioctl. */
static int run(struct send *s, struct emu_switch *sw)
{
	const uint8_t *out = NULL;
	struct fault_action act;
	size_t out_len = 0, pad = 0;
	GError *err = NULL;
	uint32_t inner_errno, inner_overclaim;
	unsigned long inner_delay;
	int rc;

	if (s->cmd.in.size) {
		s->in = umockdev_ioctl_data_resolve(s->data,
			offsetof(struct cxl_send_command, in.payload),
			s->cmd.in.size, &err);
		if (!s->in) {
			g_clear_error(&err);
			return EFAULT;
		}
	}
	trace_request(&s->cmd, s->in ? s->in->data : NULL);
	fault_check(s->cmd.raw.opcode, &act);
	switch (act.kind) {
	case FAULT_ERRNO:
		/* the device never sees it */
		return act.arg;
	case FAULT_RC:
		s->cmd.retval = act.arg;
		break;
	default:
		s->cmd.retval = model_handle(sw->model, s->cmd.raw.opcode,
					     s->in ? s->in->data : NULL,
					     s->cmd.in.size, &out, &out_len);
		/* a 0x5300 fault bends the answer the model built */
		if (s->cmd.retval == CCI_RC_SUCCESS)
			fault_tunnel_outer(&act, sw->model->out, out_len);
		fault_after(sw->model, &act);
		break;
	}
	/* what tunnelled commands asked of the ioctl carrying them */
	fault_tunnel_take(&inner_errno, &inner_delay, &inner_overclaim);
	if (inner_errno)
		return inner_errno;
	s->delay_ms += inner_delay;
	if (inner_overclaim && act.kind == FAULT_NONE) {
		act.kind = FAULT_OVERCLAIM;
		act.arg = inner_overclaim;
	}
	switch (act.kind) {
	case FAULT_LOST:
		/* cxl_pci_mbox_wait_for_doorbell(): the driver gives up */
		return ETIMEDOUT;
	case FAULT_SHORT:
		if (out_len > act.arg)
			out_len = act.arg;
		s->cmd.retval = CCI_RC_SUCCESS;
		break;
	case FAULT_LONG:
		pad = act.arg;
		s->cmd.retval = CCI_RC_SUCCESS;
		break;
	case FAULT_DELAY:
		s->delay_ms += act.arg;
		break;
	default:
		break;
	}
	rc = copy_out(s, out, out_len, pad);
	if (rc)
		return rc;
	if (act.kind == FAULT_OVERCLAIM)
		s->cmd.out.size = act.arg > UINT32_MAX - s->cmd.out.size ?
				  UINT32_MAX : s->cmd.out.size + act.arg;
	memcpy(s->data->data, &s->cmd, sizeof(s->cmd));
	return 0;
}

/* Serve one CXL_MEM_SEND_COMMAND into @s; the errno for the ioctl. */
static int send_command(UMockdevIoctlClient *client, struct emu_switch *sw,
			struct send *s)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	GError *err = NULL;
	int rc;

	s->data = umockdev_ioctl_data_resolve(arg, 0, sizeof(s->cmd), &err);
	if (!s->data) {
		g_clear_error(&err);
		stats_count(0, 0);
		return EFAULT;
	}
	memcpy(&s->cmd, s->data->data, sizeof(s->cmd));
	stats_count(1, s->cmd.raw.opcode);
	rc = check_cmd(&s->cmd, sw->model);
	if (!rc)
		rc = run(s, sw);
	return rc;
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

gboolean emu_handle_ioctl(UMockdevIoctlBase *base,
			  UMockdevIoctlClient *client, gpointer data)
{
	unsigned int request = umockdev_ioctl_client_get_request(client);
	struct send s = { 0 };
	unsigned long latency;
	int rc;

	(void)base;
	pthread_mutex_lock(&emu_lock);
	latency = fault_latency();
	/* anything but SEND_COMMAND (QUERY_COMMANDS included) is unknown */
	if (request != CXL_MEM_SEND_COMMAND)
		rc = ENOTTY;
	else
		rc = send_command(client, data, &s);
	pthread_mutex_unlock(&emu_lock);
	/*
	 * A slow device: the model has answered, the client waits. Sleep
	 * without the lock, so --save and --stats at exit do not wait too.
	 */
	if (latency || s.delay_ms)
		sleep_ms(latency + s.delay_ms);
	complete(client, &s, rc);
	return TRUE;
}
