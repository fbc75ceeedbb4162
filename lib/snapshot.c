// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One typed snapshot of a switch, read once: its ports, its VCSs with
 * their vPPBs, and each pooled device's LD allocations and QoS, read
 * through a tunnel to the device's port.  Built only from the library's
 * own requests and decoders (switch.c, vcs.c, mld.c, qos.c, tunnel.c);
 * it decodes nothing itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

void cxlsw_snapshot_free(struct cxlsw_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->ports);
	free(snap->vcs);
	free(snap->pools);
	free(snap);
}

/*
 * The active-port bitmap names the ports; their ids need not be 0..N-1.
 * Only when the switch counts more ports than it marks active are the ids
 * below the count asked too, and if the device refuses those guesses, the
 * active ones alone (as the CLI's state.c does).
 */
static int read_ports(struct cxlsw_dev *dev, struct cxlsw_snapshot *s)
{
	uint8_t ids[CXLSW_MAX_PORTS];
	const struct cxlsw_error *err;
	size_t active;
	int rc;

	active = cxlsw_id_set(0, s->info.active_ports, ids);
	s->nports = active;
	if (s->nports < s->info.num_physical_ports)
		s->nports = cxlsw_id_set(s->info.num_physical_ports,
					 s->info.active_ports, ids);
	s->ports = calloc(s->nports + 1, sizeof(*s->ports));
	if (!s->ports)
		return -ENOMEM;
	rc = cxlsw_get_port_state(dev, ids, s->nports, s->ports);
	err = cxlsw_dev_error(dev);
	if (rc && err->kind == CXLSW_ERR_DEVICE &&
	    err->retcode == CXLSW_RC_INVALID_INPUT && s->nports > active) {
		s->nports = cxlsw_id_set(0, s->info.active_ports, ids);
		rc = cxlsw_get_port_state(dev, ids, s->nports, s->ports);
	}
	return rc;
}

static int read_vcss(struct cxlsw_dev *dev, struct cxlsw_snapshot *s)
{
	uint8_t ids[CXLSW_MAX_VCSS];
	int rc;

	s->nvcs = cxlsw_id_set(s->info.num_vcss, s->info.active_vcss, ids);
	s->vcs = calloc(s->nvcs + 1, sizeof(*s->vcs));
	if (!s->vcs)
		return -ENOMEM;
	rc = cxlsw_get_vcs_info(dev, ids, s->nvcs, s->vcs);
	if (rc && cxlsw_dev_error(dev)->kind == CXLSW_ERR_UNSUPPORTED) {
		s->vcs_unavailable = true;
		s->nvcs = 0;
		rc = 0;
	}
	return rc;
}

/* QoS is optional: a device without it (or failing it) has none. */
static void read_qos(struct cxlsw_dev *dev, struct cxlsw_snapshot_pool *p)
{
	p->has_qos_control = !cxlsw_get_qos_control(dev, &p->qos);
	p->has_qos_bw = !cxlsw_get_qos_bw(dev, CXLSW_QOS_ALLOC_BW,
					  p->alloc.ld_count, p->bw_alloc) &&
			!cxlsw_get_qos_bw(dev, CXLSW_QOS_BW_LIMIT,
					  p->alloc.ld_count, p->bw_limit);
}

static void read_pool(struct cxlsw_dev *sw, struct cxlsw_snapshot_pool *p)
{
	struct cxlsw_dev *dev;
	int rc;

	rc = cxlsw_dev_tunnel(sw, p->port_id, CXLSW_TUNNEL_PORT_OR_LD, false,
			      &dev);
	if (rc) {
		error_fill(&p->error, CXLSW_ERR_TRANSPORT, -rc, CXLSW_OP_TUNNEL,
			  "no tunnel to port %u", p->port_id);
		return;
	}
	rc = cxlsw_ld_info(dev, &p->info);
	if (!rc)
		rc = cxlsw_ld_alloc_get(dev, &p->alloc);
	if (rc) {
		p->error = *cxlsw_dev_error(dev);
	} else {
		p->reachable = true;
		read_qos(dev, p);
	}
	cxlsw_dev_close(dev);
}

static bool is_pool(const struct cxlsw_port_state *p)
{
	return p->config_state == CXLSW_PORT_DSP &&
	       p->connected_device_type == CXLSW_DEV_TYPE3_MLD;
}

static int read_pools(struct cxlsw_dev *dev, struct cxlsw_snapshot *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nports; i++)
		n += is_pool(&s->ports[i]);
	s->pools = calloc(n + 1, sizeof(*s->pools));
	if (!s->pools)
		return -ENOMEM;
	for (size_t i = 0; i < s->nports; i++) {
		if (!is_pool(&s->ports[i]))
			continue;
		s->pools[s->npools].port_id = s->ports[i].port_id;
		read_pool(dev, &s->pools[s->npools++]);
	}
	return 0;
}

static int by_port(const void *a, const void *b)
{
	const struct cxlsw_port_state *x = a, *y = b;

	return (int)x->port_id - (int)y->port_id;
}

static int by_vcs(const void *a, const void *b)
{
	const struct cxlsw_vcs_info *x = a, *y = b;

	return (int)x->vcs_id - (int)y->vcs_id;
}

int cxlsw_snapshot_read(struct cxlsw_dev *dev, struct cxlsw_snapshot **snap)
{
	struct cxlsw_snapshot *s = calloc(1, sizeof(*s));
	int rc;

	*snap = NULL;
	if (!s)
		return -ENOMEM;
	rc = cxlsw_identify_switch(dev, &s->info);
	if (!rc)
		rc = read_ports(dev, s);
	if (!rc)
		rc = read_vcss(dev, s);
	if (!rc) {
		qsort(s->ports, s->nports, sizeof(*s->ports), by_port);
		qsort(s->vcs, s->nvcs, sizeof(*s->vcs), by_vcs);
		rc = read_pools(dev, s);
	}
	if (rc) {
		cxlsw_snapshot_free(s);
		return rc;
	}
	*snap = s;
	return 0;
}

const struct cxlsw_port_state *
cxlsw_snapshot_port(const struct cxlsw_snapshot *snap, unsigned int port)
{
	for (size_t i = 0; i < snap->nports; i++)
		if (snap->ports[i].port_id == port &&
		    snap->ports[i].config_state != CXLSW_PORT_INVALID)
			return &snap->ports[i];
	return NULL;
}

const struct cxlsw_vcs_info *
cxlsw_snapshot_vcs(const struct cxlsw_snapshot *snap, unsigned int vcs)
{
	for (size_t i = 0; i < snap->nvcs; i++)
		if (snap->vcs[i].vcs_id == vcs &&
		    snap->vcs[i].state != CXLSW_VCS_INVALID)
			return &snap->vcs[i];
	return NULL;
}

const struct cxlsw_snapshot_pool *
cxlsw_snapshot_pool(const struct cxlsw_snapshot *snap, unsigned int port)
{
	for (size_t i = 0; i < snap->npools; i++)
		if (snap->pools[i].port_id == port)
			return &snap->pools[i];
	return NULL;
}

bool cxlsw_snapshot_port_in_reset(const struct cxlsw_port_state *p)
{
	return p->link_flags & CXLSW_LINK_PERST_ASSERTED;
}
