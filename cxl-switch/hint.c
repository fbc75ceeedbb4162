// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Errors that explain: when a command fails with a word of the device's
 * that the tool can say more about from what it can read (the switch's
 * view of the port a tunnel went to, the background operation that keeps
 * the device busy, a DCD's regions and extents), say what it saw and the
 * command to run next.  Every hint is asked only after a failure, so a
 * command that works costs no request more; a hint that cannot be read
 * leaves the device's word as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dcd.h"

/*
 * A link that is not trained: Detect, Polling, Configuration or Disabled
 * (Get Physical Port State's LTSSM codes 0, 1, 2 and 8).  L0s, L1 and L2 are power
 * states of a trained link (QEMU's switch reports L2 for devices that
 * answer), Recovery and Hot Reset pass.
 */
bool port_link_down(const struct cxlsw_port_state *p)
{
	return p->ltssm_state <= 2 || p->ltssm_state == 8;
}

/* The switch's Get Physical Port State block of one port (0x5101). */
static bool port_of(struct cxlsw_dev *sw, unsigned int id,
		    struct cxlsw_port_state *p)
{
	uint8_t ids[1] = { (uint8_t)id };

	return !cxlsw_get_port_state(sw, ids, 1, p);
}

bool hint_port(const char *sw, const struct cxlsw_port_state *p, char *buf,
	       size_t len)
{
	unsigned int id = p->port_id;

	if (p->link_flags & CXLSW_LINK_PERST_ASSERTED)
		snprintf(buf, len, "port %u is held in reset (PERST#); run 'cxl-switch port-control %s --port %u --deassert-perst'",
			 id, sw, id);
	else if (p->link_flags & CXLSW_LINK_POWER_OFF)
		snprintf(buf, len, "port %u is powered off; see 'cxl-switch list-ports %s --port %u'",
			 id, sw, id);
	else if (port_link_down(p))
		snprintf(buf, len, "the link of port %u is down (LTSSM %s); run 'cxl-switch port-control %s --port %u --reset'",
			 id, cxlsw_ltssm_name(p->ltssm_state) ?: "unknown", sw, id);
	else
		return false;
	return true;
}

/*
 * A tunnel to --port (and --ld) that the switch or the device refused:
 * nothing connected, the port held in reset, its link down, or an LD the
 * device does not have.
 */
static bool hint_target(struct cxlsw_dev *dev, const struct cxlsw_error *err,
			char *buf, size_t len)
{
	const struct target_opts *t = &global_target;
	struct cxlsw_dev *sw = target_switch(dev);
	const char *name = cxlsw_dev_name(sw);
	struct cxlsw_port_state p;
	int n;
	/* the switch or the port's device refused the tunnel itself */
	bool refused = (err->opcode == CXLSW_OP_TUNNEL ||
			strstr(err->detail, "tunnel to")) &&
		       (err->kind == CXLSW_ERR_UNSUPPORTED ||
			(err->kind == CXLSW_ERR_DEVICE &&
			 (err->retcode == CXLSW_RC_INVALID_INPUT ||
			  err->retcode == CXLSW_RC_UNSUPPORTED)));

	/* a switch without tunnels: that is the whole story */
	if (t->port < 0 || sw == dev || !refused ||
	    cxlsw_dev_lacks(sw, CXLSW_OP_TUNNEL) ||
	    !port_of(sw, (unsigned int)t->port, &p) || p.port_id != t->port)
		return false;
	if (p.connected_device_type == CXLSW_DEV_NONE &&
	    !(p.link_flags & CXLSW_LINK_PRSNT_DETECTED)) {
		snprintf(buf, len, "%s: no device on port %d; see 'cxl-switch list-ports %s'",
			 name, t->port, name);
		return true;
	}
	n = snprintf(buf, len, "%s: ", name);
	if (n > 0 && (size_t)n < len && hint_port(name, &p, buf + n, len - (size_t)n))
		return true;
	if (t->ld >= 0 && p.connected_device_type != CXLSW_DEV_TYPE3_MLD) {
		snprintf(buf, len, "%s: LD %d does not exist: the device on port %d is a single-LD device; leave out --ld",
			 name, t->ld, t->port);
		return true;
	}
	if (t->ld >= 0 && t->ld >= p.supported_ld_count) {
		snprintf(buf, len, "%s: LD %d does not exist: the device on port %d has %u LDs (0-%u)",
			 name, t->ld, t->port, p.supported_ld_count,
			 p.supported_ld_count ? p.supported_ld_count - 1u : 0u);
		return true;
	}
	return false;
}

/* Busy: the background operation that keeps the device busy, by name. */
static bool hint_busy(struct cxlsw_dev *dev, const struct cxlsw_error *err,
		      char *buf, size_t len)
{
	const struct cxlsw_command *c;
	struct cxlsw_bg_status st;
	char what[320], where[48] = "";

	/*
	 * One background operation at a time: a command that may run in the
	 * background gets Busy while another runs (the mailbox runs one
	 * background operation at a time; QEMU's cxl_process_cci_message).  Busy
	 * from a tunnel level on the way is not that.
	 */
	c = cxlsw_catalog_find(err->opcode);
	if (err->kind != CXLSW_ERR_DEVICE || err->retcode != CXLSW_RC_BUSY ||
	    !c || !c->background || strstr(err->detail, "tunnel to") ||
	    cxlsw_bg_status(dev, &st) || !st.running)
		return false;
	c = cxlsw_catalog_find(st.opcode);
	if (global_target.port >= 0 && cxlsw_dev_outer(dev))
		snprintf(where, sizeof(where), global_target.ld >= 0 ?
			 " --port %d --ld %d" : " --port %d",
			 global_target.port, global_target.ld);
	snprintf(buf, len, "%s: %s: another operation runs in the background: %s (0x%04x), %u%% done; see 'cxl-switch bg-status %s%s', or wait for it",
		 cxlsw_dev_name(dev), cxlsw_error_string(err, what, sizeof(what)),
		 c ? c->name : "opcode", st.opcode, st.percent,
		 cxlsw_dev_name(target_switch(dev)), where);
	return true;
}

bool hint_explain(struct cxlsw_dev *dev, const struct cxlsw_error *err,
		  char *buf, size_t len)
{
	return dev && (hint_target(dev, err, buf, len) ||
		       hint_busy(dev, err, buf, len));
}

/* ---- dynamic capacity: which input the device refused ------------------ */

static bool is_invalid_input(const struct cxlsw_error *err)
{
	return err->kind == CXLSW_ERR_DEVICE &&
	       err->retcode == CXLSW_RC_INVALID_INPUT;
}

/*
 * Set DC Region Configuration refused after the tool's own checks (the
 * region exists, supports the block size, lets sanitize-on-release
 * change): a block size that changes under extents hosts hold.
 */
void hint_dc_region(struct cxlsw_dev *dev, const struct cxlsw_error *err,
		    unsigned int region, uint64_t block, char *buf, size_t len)
{
	struct cxlsw_dcd_info info;
	struct cxlsw_dc_regions r;
	struct cxlsw_dc_extent_list l;
	const struct cxlsw_dc_region *reg;
	unsigned int hosts = 0, extents = 0, first = 0;
	char size[32];

	buf[0] = '\0';
	if (!is_invalid_input(err) || cxlsw_dcd_info(dev, &info) ||
	    cxlsw_get_dc_regions(dev, 0, &r) || region >= r.have)
		return;
	reg = &r.region[region];
	format_size(block, size, sizeof(size));
	for (unsigned int h = 0; h < info.hosts; h++) {
		unsigned int n = 0;

		if (cxlsw_get_dc_extents(dev, (uint16_t)h, &l))
			return;
		for (size_t i = 0; i < l.count; i++)
			n += l.extents[i].start_dpa >= reg->base &&
			     l.extents[i].start_dpa < reg->base + reg->decode_length;
		free(l.extents);
		if (n && !hosts++)
			first = h;
		extents += n;
	}
	if (extents && block != reg->block_size)
		snprintf(buf, len, "the block size of region %u cannot change to %s while hosts hold capacity in it (%u extent%s, host %u%s); release it first ('cxl-switch dc-release %s --port %d --host %u ...')",
			 region, size, extents, extents == 1 ? "" : "s", first,
			 hosts > 1 ? " and others" : "",
			 cxlsw_dev_name(target_switch(dev)), global_target.port,
			 first);
	else
		snprintf(buf, len, "the device refused region %u with %s blocks, which its Get DCD Info offers; see 'cxl-switch dc-regions %s --port %d'",
			 region, size, cxlsw_dev_name(target_switch(dev)),
			 global_target.port);
}

/*
 * Initiate Dynamic Capacity Release refused: with a tag, the length must
 * be all the host holds under it; with extents, the host must hold them.
 */
void hint_dc_release(struct cxlsw_dev *dev, const struct cxlsw_error *err,
		     unsigned int host, const uint8_t *tag, uint64_t length,
		     char *buf, size_t len)
{
	struct cxlsw_dc_extent_list l;
	uint64_t held = 0;
	char want[32], have[32];

	buf[0] = '\0';
	if (!is_invalid_input(err) || cxlsw_get_dc_extents(dev, (uint16_t)host, &l))
		return;
	for (size_t i = 0; i < l.count; i++)
		if (!tag || !memcmp(l.extents[i].tag, tag, 16))
			held += l.extents[i].length;
	free(l.extents);
	format_size(length, want, sizeof(want));
	format_size(held, have, sizeof(have));
	if (tag && held && held != length) {
		char arg[32];

		/* "512 MiB" as an option value: "512MiB" */
		snprintf(arg, sizeof(arg), "%s", have);
		if (strchr(arg, ' '))
			memmove(strchr(arg, ' '), strchr(arg, ' ') + 1,
				strlen(strchr(arg, ' ')));
		snprintf(buf, len, "host %u holds %s under the tag and the device refused --size %s, a part of it; give --size %s (all of it) or leave --size out",
			 host, have, want, arg);
	}
	else if (tag && !held)
		snprintf(buf, len, "host %u holds no capacity under that tag; see 'cxl-switch dc-extents %s --port %d --host %u'",
			 host, cxlsw_dev_name(target_switch(dev)),
			 global_target.port, host);
	else
		snprintf(buf, len, "the device refused to release %s of host %u's %s; see 'cxl-switch dc-extents %s --port %d --host %u'",
			 want, host, have, cxlsw_dev_name(target_switch(dev)),
			 global_target.port, host);
}
