// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: a Type 3 device's own maintenance commands,
 * reached through the switch's tunnel: Get Event Records and Clear Event
 * Records (0x0100, 0x0101), Get FW Info, Transfer FW and Activate FW
 * (0x0200-0x0202), Get and Set Timestamp (0x0300, 0x0301).
 *
 * A Type 3 device answers these on its own mailbox as a switch does on
 * its CCI: CXL r3.2 8.2.10.1 (events), 8.2.10.3 (firmware update) and
 * 8.2.10.4 (timestamp) are generic component commands, and QEMU's Type 3
 * device lists them in its mailbox command set (hw/cxl/cxl-mailbox-utils.c:
 * cmd_events_get_records, cmd_events_clear_records,
 * cmd_firmware_update_get_info, cmd_firmware_update_transfer,
 * cmd_firmware_update_activate, cmd_timestamp_get, cmd_timestamp_set in
 * cxl_cmd_set).  So the switch's own handlers (model-fw.c,
 * model-events.c, model-time.c) run here on a model that holds only the
 * device's firmware slots, event logs and clock.  Its firmware slot 1
 * holds the revision Identify Memory Device reports.  A firmware transfer
 * is the device's background operation: Background Operation Status and
 * Abort (model-device.c) follow it, and the device is Busy for another
 * background command while it runs.  The state is not saved: it lives as
 * long as one run of the emulator.
 */
#include <string.h>

#include "device.h"

struct model *device_maint(const struct dev_target *t)
{
	struct model_device *d = t->dev;

	if (!d->maint) {
		d->maint = model_new();
		if (!d->maint)
			return NULL;
		memcpy(d->maint->fw.rev[0], d->mem.fw_revision,
		       strnlen(d->mem.fw_revision, MODEL_FW_REV_LEN));
		if (!d->maint->fw.rev[0][0])
			strcpy(d->maint->fw.rev[0], "1.0.0");
	}
	d->maint->opts = t->sw->opts;
	d->maint->resp_log2 = d->resp_log2;
	d->maint->msg_log2 = d->msg_log2;
	return d->maint;
}

int device_maint_busy(const struct model_device *d)
{
	return d->maint && d->maint->bg.running;
}

static const struct model_cmd *const maint_sets[] = {
	model_event_cmds, model_fw_cmds, model_time_cmds,
};

static uint16_t maint_run(const struct dev_target *t, uint16_t opcode,
			  const uint8_t *in, size_t in_len, uint8_t *out,
			  size_t *out_len)
{
	struct model *m = device_maint(t);
	uint16_t rc;

	if (!m)
		return CCI_RC_INTERNAL;
	for (size_t s = 0; s < sizeof(maint_sets) / sizeof(maint_sets[0]); s++)
		for (const struct model_cmd *c = maint_sets[s]; c->fn; c++) {
			if (c->opcode != opcode)
				continue;
			if (c->in_len >= 0 && in_len != (size_t)c->in_len)
				return CCI_RC_INVALID_PAYLOAD_LEN;
			/* one background operation at a time, the DCD's too */
			if ((c->effects & CEL_BACKGROUND) &&
			    (m->bg.running || t->dev->bg.running))
				return CCI_RC_BUSY;
			rc = c->fn(m, in, in_len, out, out_len);
			if (rc == CCI_RC_BG_STARTED)
				t->dev->bg_maint = 1;
			return rc;
		}
	return CCI_RC_UNSUPPORTED;
}

#define MAINT(name, opcode)						\
static uint16_t name(const struct dev_target *t, struct tunnel_path *p,	\
		     const uint8_t *in, size_t in_len, uint8_t *out,	\
		     size_t *out_len)					\
{									\
	(void)p;							\
	return maint_run(t, opcode, in, in_len, out, out_len);		\
}

MAINT(get_events, 0x0100)
MAINT(clear_events, 0x0101)
MAINT(get_fw_info, 0x0200)
MAINT(transfer_fw, 0x0201)
MAINT(activate_fw, 0x0202)
MAINT(get_timestamp, 0x0300)
MAINT(set_timestamp, 0x0301)

const struct dev_cmd dev_maint_cmds[] = {
	{ 0x0100, -1, CCI_FM | CCI_LD, get_events },
	{ 0x0101, -1, CCI_FM | CCI_LD, clear_events },
	{ 0x0200, 0, CCI_FM, get_fw_info },
	{ 0x0201, -1, CCI_FM, transfer_fw },
	{ 0x0202, -1, CCI_FM, activate_fw },
	{ 0x0300, 0, CCI_FM | CCI_LD, get_timestamp },
	{ 0x0301, -1, CCI_FM | CCI_LD, set_timestamp },
	{ 0, 0, 0, NULL },
};
