// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The switch's current state, read before a change: to check the
 * arguments against it and to say in words what will change and whom it
 * affects.  Read-only commands only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void state_free(struct switch_state *st)
{
	free(st->ports);
	free(st->vcs);
	free(st->bound);
	memset(st, 0, sizeof(*st));
	memset(st->bound_head, 0xff, sizeof(st->bound_head));
}

/* Index the vPPBs that name a port by that port: see struct switch_state. */
int state_index(struct switch_state *st)
{
	uint16_t tail[CXLSW_MAX_PORTS];
	size_t total = 0, n = 0;

	free(st->bound);
	memset(st->bound_head, 0xff, sizeof(st->bound_head));
	for (size_t i = 0; i < st->nvcs; i++)
		total += st->vcs[i].num_vppbs;
	st->bound = calloc(total + 1, sizeof(*st->bound));
	if (!st->bound)
		return -ENOMEM;
	for (size_t i = 0; i < st->nvcs; i++) {
		const struct cxlsw_vcs_info *v = &st->vcs[i];

		for (unsigned int b = 0; b < v->num_vppbs; b++) {
			uint8_t port = v->vppbs[b].port_id;

			if (v->vppbs[b].binding_status == CXLSW_VPPB_UNBOUND)
				continue;
			st->bound[n] = (struct state_ref){ (uint8_t)i, (uint8_t)b,
							   STATE_NO_REF };
			if (st->bound_head[port] == STATE_NO_REF)
				st->bound_head[port] = (uint16_t)n;
			else
				st->bound[tail[port]].next = (uint16_t)n;
			tail[port] = (uint16_t)n++;
		}
	}
	return 0;
}

bool state_next_user(const struct switch_state *st, unsigned int port,
		     struct state_iter *it)
{
	if (st->bound) {
		uint16_t i = it->started ? it->next : st->bound_head[port & 0xff];

		it->started = true;
		if (i == STATE_NO_REF)
			return false;
		it->ref = st->bound[i];
		it->next = st->bound[i].next;
		return true;
	}
	/* not indexed: every VCS's vPPBs, from where the last one was */
	if (it->started)
		it->vppb++;
	it->started = true;
	for (; it->vcs < st->nvcs; it->vcs++, it->vppb = 0)
		for (; it->vppb < st->vcs[it->vcs].num_vppbs; it->vppb++) {
			const struct cxlsw_vppb *e = &st->vcs[it->vcs].vppbs[it->vppb];

			if (e->binding_status == CXLSW_VPPB_UNBOUND ||
			    e->port_id != port)
				continue;
			it->ref.vcs = (uint8_t)it->vcs;
			it->ref.vppb = (uint8_t)it->vppb;
			return true;
		}
	return false;
}

bool state_ld_bound(const struct switch_state *st, unsigned int port,
		    unsigned int ld)
{
	struct state_iter it = { 0 };

	while (state_next_user(st, port, &it)) {
		const struct cxlsw_vppb *e =
			&st->vcs[it.ref.vcs].vppbs[it.ref.vppb];

		if (e->binding_status == CXLSW_VPPB_BOUND_LD && e->ld_id == ld)
			return true;
	}
	return false;
}

int state_read(struct cxlsw_dev *dev, struct switch_state *st,
	       enum state_need need)
{
	uint8_t ids[CXLSW_MAX_PORTS];
	int rc;

	memset(st, 0, sizeof(*st));
	memset(st->bound_head, 0xff, sizeof(st->bound_head));
	rc = cxlsw_identify_switch(dev, &st->info);
	if (rc || need == STATE_VCS)
		goto vcss;
	/*
	 * The active-port bitmap names the ports; their ids need not be
	 * 0..N-1 (QEMU numbers them as its user chose).  Disabled ports are
	 * not active: only when the switch counts more ports than it marks
	 * active are the ids below the count asked too, and if the device
	 * refuses those guesses, the active ones alone.
	 */
	st->nports = cxlsw_id_set(0, st->info.active_ports, ids);
	if (st->nports < st->info.num_physical_ports)
		st->nports = cxlsw_id_set(st->info.num_physical_ports,
					  st->info.active_ports, ids);
	st->ports = calloc(st->nports + 1, sizeof(*st->ports));
	if (!st->ports)
		return -ENOMEM;
	rc = cxlsw_get_port_state(dev, ids, st->nports, st->ports);
	if (rc && cxlsw_dev_error(dev)->kind == CXLSW_ERR_DEVICE &&
	    cxlsw_dev_error(dev)->retcode == CXLSW_RC_INVALID_INPUT &&
	    st->nports > cxlsw_id_set(0, st->info.active_ports, ids)) {
		st->nports = cxlsw_id_set(0, st->info.active_ports, ids);
		rc = cxlsw_get_port_state(dev, ids, st->nports, st->ports);
	}
vcss:
	if (rc || need < STATE_ALL)
		return rc;
	st->nvcs = cxlsw_id_set(st->info.num_vcss, st->info.active_vcss, ids);
	st->vcs = calloc(st->nvcs + 1, sizeof(*st->vcs));
	if (!st->vcs)
		return -ENOMEM;
	rc = cxlsw_get_vcs_info(dev, ids, st->nvcs, st->vcs);
	/* without Get VCS Info the ports still are known: say what is not */
	if (rc && cli_dev_lacking(dev, st->vcs_why, sizeof(st->vcs_why))) {
		st->vcs_unavailable = true;
		st->nvcs = 0;
		rc = 0;
	}
	return rc ? rc : state_index(st);
}

const struct cxlsw_port_state *state_port(const struct switch_state *st,
					  unsigned int id)
{
	for (size_t i = 0; i < st->nports; i++)
		if (st->ports[i].port_id == id &&
		    st->ports[i].config_state != CXLSW_PORT_INVALID)
			return &st->ports[i];
	return NULL;
}

const struct cxlsw_vcs_info *state_vcs(const struct switch_state *st,
				       unsigned int id)
{
	for (size_t i = 0; i < st->nvcs; i++)
		if (st->vcs[i].vcs_id == id &&
		    st->vcs[i].state != CXLSW_VCS_INVALID)
			return &st->vcs[i];
	return NULL;
}

void describe_port(unsigned int id, const struct cxlsw_port_state *p,
		   unsigned int ld, char *buf, size_t len)
{
	const char *type = p ? cxlsw_device_type_desc(p->connected_device_type) :
			   NULL;
	char ldtext[16] = "";

	if (ld != CXLSW_WHOLE_PORT)
		snprintf(ldtext, sizeof(ldtext), ", LD %u", ld);
	snprintf(buf, len, "port %u (%s%s)", id,
		 type ? type : "unknown device", ldtext);
}

static bool reaches(const struct cxlsw_vppb *e, unsigned int port,
		    unsigned int ld)
{
	if (e->binding_status == CXLSW_VPPB_UNBOUND || e->port_id != port)
		return false;
	return ld == CXLSW_WHOLE_PORT ||
	       e->binding_status != CXLSW_VPPB_BOUND_LD || e->ld_id == ld;
}

void describe_users(const struct switch_state *st, unsigned int port,
		    unsigned int ld, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (struct state_iter it = { 0 }; used < len &&
	     state_next_user(st, port, &it); ) {
		const struct cxlsw_vcs_info *v = &st->vcs[it.ref.vcs];

		if (!reaches(&v->vppbs[it.ref.vppb], port, ld))
			continue;
		used += snprintf(buf + used, len - used,
				 "%sthe host on upstream port %u (VCS %u vPPB %u)",
				 used ? ", " : "", v->usp_id, v->vcs_id,
				 it.ref.vppb);
	}
	if (!used && st->vcs_unavailable)
		snprintf(buf, len, "unknown hosts (the switch does not implement %s)",
			 st->vcs_why);
	else if (!used)
		snprintf(buf, len, "no host (the port is bound to no vPPB)");
}
