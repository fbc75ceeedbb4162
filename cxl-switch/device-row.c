// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The device behind a downstream port, asked once and kept typed (struct
 * device_row): what the switch knows of its port (Get Physical Port
 * State) and, for a Type 3 memory device, asked through a tunnel who it
 * is (0x0001), what memory it has (0x4000) and, for a pooled device, how
 * many LDs (0x5400); and the name this host's kernel gives it, matched by
 * serial number.  list-devices and topology write the rows as they are
 * (device-write.c), and draw them from the same rows.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

bool port_has_memdev(const struct cxlsw_port_state *p)
{
	return p->connected_device_type == CXLSW_DEV_TYPE3_SLD ||
	       p->connected_device_type == CXLSW_DEV_TYPE3_MLD;
}

/*
 * The device behind port p, reached through a tunnel, whatever its LTSSM
 * state says (QEMU's switch reports L2 for ports whose devices answer):
 * the device's type says it is there, its answer says whether it is
 * reachable.  NULL when the tunnel could not be set up.  One handle
 * serves every question to the device, so what it tells once of itself
 * (its message limits, the commands it lacks) is asked once.
 */
struct cxlsw_dev *port_device_open(struct cxlsw_dev *sw,
				   const struct cxlsw_port_state *p)
{
	struct cxlsw_dev *dev;

	if (cxlsw_dev_tunnel(sw, p->port_id, CXLSW_TUNNEL_PORT_OR_LD, false,
			     &dev))
		return NULL;
	return dev;
}

/*
 * The device's last failure is that it lacks a command: kept for the
 * row's "unavailable" (once), and true; false for any other failure.
 */
bool device_row_lacks(struct device_row *r, struct cxlsw_dev *dev)
{
	int opcode = cli_dev_lacked(dev);

	if (opcode < 0)
		return false;
	for (unsigned int i = 0; i < r->nlacks; i++)
		if (r->lacks[i] == opcode)
			return true;
	if (r->nlacks < DEVICE_LACKS_MAX)
		r->lacks[r->nlacks++] = (uint16_t)opcode;
	return true;
}

static char *error_text(struct cxlsw_dev *dev)
{
	char what[320];

	return strdup(cxlsw_error_string(cxlsw_dev_error(dev), what,
					 sizeof(what)));
}

/*
 * No answer from the device: with its link down that is what to expect
 * (reported, not an error); with the link up, or the switch lacking the
 * tunnel, it is a failure of the command.
 */
static void device_unreachable(const char *cmd, struct cxlsw_dev *dev,
			       struct device_row *r, int *code)
{
	char what[320];

	r->reach = DEVICE_UNREACHABLE;
	r->error = error_text(dev);
	/* what the port's state says of it, and what to run: no round trip */
	if (hint_port(cxlsw_dev_name(target_switch(dev)), r->port, what,
		      sizeof(what)))
		r->hint = strdup(what);
	/* a level that lacks a command is marked: the caller tells it once */
	if (device_row_lacks(r, dev))
		return;
	if (r->port->ltssm_state == CXLSW_LTSSM_L0)
		*code = cli_dev_fail(cmd, dev);
}

/*
 * One device's description, asked through dev, the tunnel to port p (NULL
 * when port_device_open found none).  A device that does not answer is
 * still described, with the error, so one broken device does not hide
 * the others; cmd names the command in what is reported.
 */
void device_read(const char *cmd, struct cxlsw_dev *dev,
		 const struct cxlsw_port_state *p,
		 const struct cxlsw_host_memdev *host, size_t nhost,
		 struct device_row *r, int *code)
{
	struct cxlsw_ld_info ld;

	memset(r, 0, sizeof(*r));
	r->port = p;
	r->reach = DEVICE_NO_TUNNEL;
	if (!dev)
		return;
	if (cxlsw_identify(dev, &r->id)) {
		device_unreachable(cmd, dev, r, code);
		return;
	}
	/* what the device lacks is marked; any other failure is an error */
	r->have_mid = !cxlsw_memdev_identify(dev, &r->mid);
	if (!r->have_mid && !device_row_lacks(r, dev))
		goto failed;
	if (p->connected_device_type == CXLSW_DEV_TYPE3_MLD) {
		r->have_ld = !cxlsw_ld_info(dev, &ld);
		if (!r->have_ld && !device_row_lacks(r, dev))
			goto failed;
		if (r->have_ld)
			r->ld_count = ld.ld_count;
	}
	r->reach = DEVICE_OK;
	r->host_memdev = cxlsw_host_memdev_find(host, nhost, r->id.serial);
	return;
failed:
	r->reach = DEVICE_FAILED;
	r->error = error_text(dev);
	*code = cli_dev_fail(cmd, dev);
}

/* A device of another type than Type 3 is not asked: "reachable" null. */
void port_device_read(const char *cmd, struct cxlsw_dev *sw,
		      const struct cxlsw_port_state *p,
		      const struct cxlsw_host_memdev *host, size_t nhost,
		      struct device_row *r, int *code)
{
	struct cxlsw_dev *dev;

	if (!port_has_memdev(p)) {
		memset(r, 0, sizeof(*r));
		r->port = p;
		r->reach = DEVICE_NOT_ASKED;
		return;
	}
	dev = port_device_open(sw, p);
	device_read(cmd, dev, p, host, nhost, r, code);
	cxlsw_dev_close(dev);
}

void device_row_free(struct device_row *r)
{
	free(r->error);
	free(r->hint);
	r->error = r->hint = NULL;
}
