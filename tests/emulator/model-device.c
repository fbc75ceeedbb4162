// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: a Type 3 device behind a port. Dispatch to its
 * CCIs, its generic commands, Identify Memory Device, its background
 * operation, and an MLD's tunnel to its LDs.
 */
#include <stdlib.h>
#include <string.h>

#include "device.h"

void device_free(struct model_device *d)
{
	if (!d)
		return;
	if (d->dcd)
		for (unsigned int i = 0; i < DEV_MAX_DC_HOSTS; i++)
			free(d->dcd->hosts[i].extents);
	free(d->bg.extents);
	free(d->host_memdev);
	free(d->mld);
	free(d->mhd);
	free(d->dcd);
	if (d->maint)
		model_free(d->maint);
	free(d);
}

uint64_t device_granularity(const struct dev_mld *mld)
{
	return DEV_CAP_UNIT << mld->granularity;
}

uint64_t device_ld_bytes(const struct dev_mld *mld, unsigned int ld)
{
	return (mld->ld[ld].range1 + mld->ld[ld].range2) *
	       device_granularity(mld);
}

/* ---- background operation (Initiate Dynamic Capacity Add/Release) ---- */

static void bg_finish(struct model_device *d, uint16_t rc)
{
	struct dev_bg *bg = &d->bg;

	if (rc == CCI_RC_SUCCESS && d->dcd) {
		struct dev_dc_host *h = &d->dcd->hosts[bg->host];

		memcpy(h->extents, bg->extents,
		       bg->nr_extents * sizeof(*bg->extents));
		h->nr_extents = bg->nr_extents;
		h->generation++;
	}
	free(bg->extents);
	bg->extents = NULL;
	bg->running = 0;
	bg->rc = rc;
}

/* takes @extents (malloc'ed, the host's list once the op completes) */
uint16_t device_bg_start(struct model *sw, struct model_device *d,
			 uint16_t opcode, unsigned int host,
			 struct dev_extent *extents, unsigned int nr)
{
	struct dev_bg *bg = &d->bg;

	if (device_maint_busy(d))
		return CCI_RC_BUSY;
	d->bg_maint = 0;
	free(bg->extents);
	memset(bg, 0, sizeof(*bg));
	bg->opcode = opcode;
	bg->running = 1;
	bg->polls = bg->left = sw->opts->bg_polls;
	bg->fail_rc = model_bg_fail_rc(sw, opcode, CCI_RC_SUCCESS);
	bg->host = host;
	bg->extents = extents;
	bg->nr_extents = nr;
	if (!bg->left) {
		bg->percent = 100;
		bg_finish(d, bg->fail_rc);
	}
	return CCI_RC_BG_STARTED;
}

/* as the switch's (model_bg_poll): done right after the Nth poll */
static uint16_t bg_status(const struct dev_target *t, struct tunnel_path *p,
			  const uint8_t *in, size_t in_len, uint8_t *out,
			  size_t *out_len)
{
	struct dev_bg *bg = &t->dev->bg;

	(void)p;
	(void)in;
	(void)in_len;
	if (t->dev->bg_maint) {	/* a firmware transfer: model-dev-maint.c */
		model_bg_poll(t->dev->maint, out);
		*out_len = 8;
		return CCI_RC_SUCCESS;
	}
	if (bg->running)
		bg->percent = (bg->polls - bg->left + 1) * 100 /
			      (bg->polls + 1);
	memset(out, 0, 8);
	out[0] = (bg->percent & 0x7f) << 1 | (bg->running ? 1 : 0);
	put_le16(out + 2, bg->opcode);
	put_le16(out + 4, bg->running ? 0 : bg->rc);
	if (bg->running && !--bg->left) {
		bg->percent = 100;
		bg_finish(t->dev, bg->fail_rc);
	}
	*out_len = 8;
	return CCI_RC_SUCCESS;
}

static uint16_t bg_abort(const struct dev_target *t, struct tunnel_path *p,
			 const uint8_t *in, size_t in_len, uint8_t *out,
			 size_t *out_len)
{
	(void)p;
	(void)in;
	(void)in_len;
	(void)out;
	if (t->dev->bg_maint)
		model_bg_abort(t->dev->maint);
	else if (t->dev->bg.running)
		bg_finish(t->dev, CCI_RC_ABORTED);
	*out_len = 0;
	return CCI_RC_SUCCESS;
}

/* ---- generic commands ---- */

/* An LD answers with the device's serial: the host sees the device. */
static uint16_t identify(const struct dev_target *t, struct tunnel_path *p,
			 const uint8_t *in, size_t in_len, uint8_t *out,
			 size_t *out_len)
{
	const struct model_device *d = t->dev;

	(void)p;
	(void)in;
	(void)in_len;
	model_identify_put(&d->id, d->msg_log2, out);
	*out_len = MODEL_IDENTIFY_LEN;
	return CCI_RC_SUCCESS;
}

static uint16_t get_resp_limit(const struct dev_target *t,
			       struct tunnel_path *p, const uint8_t *in,
			       size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)p;
	(void)in;
	(void)in_len;
	out[0] = t->dev->resp_log2;
	*out_len = 1;
	return CCI_RC_SUCCESS;
}

static uint16_t set_resp_limit(const struct dev_target *t,
			       struct tunnel_path *p, const uint8_t *in,
			       size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)p;
	(void)in_len;
	if (in[0] < MODEL_MSG_LOG2_MIN || in[0] > t->dev->msg_log2)
		return CCI_RC_INVALID_INPUT;
	t->dev->resp_log2 = in[0];
	out[0] = in[0];
	*out_len = 1;
	return CCI_RC_SUCCESS;
}

/* Identify Memory Device: an LD reports its allocation as its capacity */
static uint16_t identify_memdev(const struct dev_target *t,
				struct tunnel_path *p, const uint8_t *in,
				size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct dev_memdev *mem = &t->dev->mem;
	uint64_t total = mem->total, vol = mem->volatile_only;
	uint64_t pers = mem->persistent_only;

	(void)p;
	(void)in;
	(void)in_len;
	if (t->cci == DEV_CCI_LD) {
		total = device_ld_bytes(t->dev->mld, t->ld);
		vol = mem->volatile_only || !mem->persistent_only ? total : 0;
		pers = total - vol;
	}
	memset(out, 0, 69);
	memcpy(out, mem->fw_revision, strnlen(mem->fw_revision, 16));
	put_le64(out + 16, total / DEV_CAP_UNIT);
	put_le64(out + 24, vol / DEV_CAP_UNIT);
	put_le64(out + 32, pers / DEV_CAP_UNIT);
	put_le64(out + 40, mem->partition_align / DEV_CAP_UNIT);
	for (int i = 0; i < 4; i++)
		put_le16(out + 48 + 2 * i, mem->event_log_size[i]);
	put_le32(out + 56, mem->lsa_size);
	out[60] = mem->poison_max;
	out[61] = mem->poison_max >> 8;
	out[62] = mem->poison_max >> 16;
	put_le16(out + 63, mem->inject_poison_limit);
	out[65] = mem->poison_caps;
	out[66] = mem->qos_caps;
	put_le16(out + 67, mem->event_log_size[4]);
	*out_len = 69;
	return CCI_RC_SUCCESS;
}

/*
 * Get / Set Event Interrupt Policy (r3.1 8.2.9.2.4-5): a Type 3 device's
 * one settings byte per log, info .. dynamic capacity (4 bytes from a
 * requester that predates the dynamic capacity log). Bits 1:0 the mode (3
 * reserved), 3:2 reserved, 7:4 the message number.
 */
static uint16_t get_event_policy(const struct dev_target *t,
				 struct tunnel_path *p, const uint8_t *in,
				 size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)p;
	(void)in;
	(void)in_len;
	memcpy(out, t->dev->ev_policy, sizeof(t->dev->ev_policy));
	*out_len = sizeof(t->dev->ev_policy);
	return CCI_RC_SUCCESS;
}

static uint16_t set_event_policy(const struct dev_target *t,
				 struct tunnel_path *p, const uint8_t *in,
				 size_t in_len, uint8_t *out, size_t *out_len)
{
	(void)p;
	(void)out;
	*out_len = 0;
	if (in_len < 4 || in_len > sizeof(t->dev->ev_policy))
		return CCI_RC_INVALID_PAYLOAD_LEN;
	for (size_t i = 0; i < in_len; i++)
		if ((in[i] & 3) == 3 || (in[i] & 0xc))
			return CCI_RC_INVALID_INPUT;
	memcpy(t->dev->ev_policy, in, in_len);
	return CCI_RC_SUCCESS;
}

/*
 * A device's tunnel (r3.2 Table 7-37): target type 0 is one of an MLD's
 * LDs; type 1 the LD pool CCI of a multi-headed device, the id ignored.
 * Any other type, or a pool a device does not have: Unsupported Mailbox
 * or CCI.
 */
static uint16_t ld_resolve(void *owner, uint8_t id, uint8_t type,
			   struct dev_target *t)
{
	struct model_device *d = owner;

	if (type == 1 && d->mhd) {
		t->dev = d;
		t->cci = DEV_CCI_POOL;
		return 0;
	}
	if (type != 0)
		return CCI_RC_UNSUPPORTED_CCI;
	if (!d->mld || id >= d->mld->nr_lds)
		return CCI_RC_INVALID_INPUT;
	t->dev = d;
	t->cci = DEV_CCI_LD;
	t->ld = id;
	return 0;
}

static uint16_t mld_tunnel(const struct dev_target *t, struct tunnel_path *p,
			   const uint8_t *in, size_t in_len, uint8_t *out,
			   size_t *out_len)
{
	tunnel_resolve_fn resolve = ld_resolve;

	if (t->sw->opts->profile == MODEL_PROFILE_QEMU)
		resolve = qemu_ld_resolve;
	return tunnel_run(t->sw, p, resolve, t->dev, in, in_len, out,
			  out_len);
}

const struct dev_cmd dev_generic_cmds[] = {
	{ 0x0001, 0, CCI_FM | CCI_LD | CCI_POOL, identify },
	{ 0x0002, 0, CCI_FM | CCI_LD | CCI_POOL, bg_status },
	{ 0x0003, 0, CCI_FM | CCI_LD | CCI_POOL, get_resp_limit },
	{ 0x0004, 1, CCI_FM | CCI_LD | CCI_POOL, set_resp_limit },
	{ 0x0005, 0, CCI_FM | CCI_LD | CCI_POOL, bg_abort },
	{ 0x0102, 0, CCI_FM, get_event_policy },
	{ 0x0103, -1, CCI_FM, set_event_policy },
	{ 0x4000, 0, CCI_FM | CCI_LD, identify_memdev },
	{ 0x5300, -1, CCI_FM, mld_tunnel },
	{ 0, 0, 0, NULL },
};

static const struct dev_cmd *const dev_sets[] = {
	dev_generic_cmds, dev_mld_cmds, dev_mhd_cmds, dev_dcd_cmds,
	dev_maint_cmds,
};

/* the command sets a device has depend on what it is */
static int has_set(const struct model_device *d, uint16_t opcode)
{
	/* the tunnel reaches an MLD's LDs and a multi-headed device's pool */
	if (opcode == 0x5300)
		return d->mld || d->mhd;
	switch (opcode >> 8) {
	case 0x53:
	case 0x54:
		return d->mld != NULL;
	case 0x55:
		return d->mhd != NULL;
	case 0x56:
		return d->dcd != NULL;
	default:
		return 1;
	}
}

const struct dev_cmd *device_find_cmd(uint16_t opcode)
{
	for (size_t s = 0; s < sizeof(dev_sets) / sizeof(dev_sets[0]); s++)
		for (const struct dev_cmd *c = dev_sets[s]; c->fn; c++)
			if (c->opcode == opcode)
				return c;
	return NULL;
}

/* the command this CCI of the device answers, or NULL */
static const struct dev_cmd *cci_cmd(const struct dev_target *t,
				     uint16_t opcode)
{
	const struct dev_cmd *cmd;

	/* QEMU's device has its own command sets per CCI */
	if (t->sw->opts->profile == MODEL_PROFILE_QEMU)
		return qemu_dev_cmd(t, opcode);
	cmd = device_find_cmd(opcode);
	if (!cmd || !(cmd->ccis & (1u << t->cci)) || !has_set(t->dev, opcode))
		return NULL;
	return cmd;
}

uint16_t device_handle(const struct dev_target *t, struct tunnel_path *path,
		       uint16_t opcode, const uint8_t *in, size_t in_len,
		       uint8_t *out, size_t *out_len)
{
	const struct dev_cmd *cmd = cci_cmd(t, opcode);
	size_t len = 0;
	uint16_t rc;

	*out_len = 0;
	if (!cmd)
		return CCI_RC_UNSUPPORTED;
	/* a request the device's mailbox cannot hold never arrives whole */
	if (in_len > (1u << t->dev->msg_log2))
		return CCI_RC_INVALID_PAYLOAD_LEN;
	if (cmd->in_len >= 0 && in_len != (size_t)cmd->in_len)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	rc = cmd->fn(t, path, in, in_len, out, &len);
	if (rc != CCI_RC_SUCCESS)
		return rc;
	/* as the switch: no answer beyond the response message limit */
	if (len > (1u << t->dev->resp_log2))
		return CCI_RC_INVALID_INPUT;
	*out_len = len;
	return CCI_RC_SUCCESS;
}
