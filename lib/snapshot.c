// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One typed snapshot of a switch, read once: its ports, its VCSs with
 * their vPPBs, and each pooled device's LD allocations and QoS, read
 * through a tunnel to the device's port.  Built only from the library's
 * own requests and decoders (switch.c, vcs.c, mld.c, qos.c, tunnel.c);
 * it decodes nothing itself.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

static void dcd_free(struct cxlsw_snapshot_dcd *d)
{
	for (size_t h = 0; d->hosts && h < d->nhosts; h++)
		free(d->hosts[h].extents);
	free(d->hosts);
	d->hosts = NULL;
	d->nhosts = 0;
}

void cxlsw_snapshot_free(struct cxlsw_snapshot *snap)
{
	if (!snap)
		return;
	free(snap->ports);
	free(snap->vcs);
	free(snap->pools);
	for (size_t i = 0; i < snap->ndcds; i++)
		dcd_free(&snap->dcds[i]);
	free(snap->dcds);
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

#define SNAP_POOL_PARTS	(CXLSW_SNAP_LD_ALLOC | CXLSW_SNAP_QOS_CONTROL | \
			 CXLSW_SNAP_BW_ALLOC | CXLSW_SNAP_BW_LIMIT)

/*
 * QoS is optional: a device without it (or failing it) has none.  Only
 * the parts what names are asked; has_qos_bw: those lists were read.
 */
static void read_qos(struct cxlsw_dev *dev, struct cxlsw_snapshot_pool *p,
		     uint8_t what)
{
	bool bw = what & (CXLSW_SNAP_BW_ALLOC | CXLSW_SNAP_BW_LIMIT);

	if (what & CXLSW_SNAP_QOS_CONTROL)
		p->has_qos_control = !cxlsw_get_qos_control(dev, &p->qos);
	p->has_qos_bw = bw;
	if (what & CXLSW_SNAP_BW_ALLOC)
		p->has_qos_bw = !cxlsw_get_qos_bw(dev, CXLSW_QOS_ALLOC_BW,
						  p->alloc.ld_count, p->bw_alloc);
	if (p->has_qos_bw && (what & CXLSW_SNAP_BW_LIMIT))
		p->has_qos_bw = !cxlsw_get_qos_bw(dev, CXLSW_QOS_BW_LIMIT,
						  p->alloc.ld_count, p->bw_limit);
}

/*
 * A pooled device learnt: its LD Info and allocations (what a plan of it
 * always needs: LD count, granularity, capacity), and the QoS parts what
 * names.
 */
static void read_pool(struct cxlsw_dev *sw, struct cxlsw_snapshot_pool *p,
		      uint8_t what)
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
		read_qos(dev, p, what);
	}
	cxlsw_dev_close(dev);
}

static bool is_pool(const struct cxlsw_port_state *p)
{
	return p->config_state == CXLSW_PORT_DSP &&
	       p->connected_device_type == CXLSW_DEV_TYPE3_MLD;
}

/* Every pooled device (scope: those it names) */
static int read_pools(struct cxlsw_dev *dev, struct cxlsw_snapshot *s,
		      const struct cxlsw_snapshot_scope *scope)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nports; i++)
		n += is_pool(&s->ports[i]);
	s->pools = calloc(n + 1, sizeof(*s->pools));
	if (!s->pools)
		return -ENOMEM;
	for (size_t i = 0; i < s->nports; i++) {
		uint8_t id = s->ports[i].port_id;
		uint8_t what = scope ? scope->port[id] & SNAP_POOL_PARTS :
			       SNAP_POOL_PARTS;

		if (!is_pool(&s->ports[i]) || !what)
			continue;
		s->pools[s->npools].port_id = id;
		read_pool(dev, &s->pools[s->npools++], what);
	}
	return 0;
}

/* Every host's extents of a DCD whose info says how many hosts. */
static bool read_extents(struct cxlsw_dev *dev, struct cxlsw_snapshot_dcd *d)
{
	bool ok;

	d->hosts = calloc(d->info.hosts + 1, sizeof(*d->hosts));
	ok = d->hosts;
	for (unsigned int h = 0; ok && h < d->info.hosts; h++) {
		ok = !cxlsw_get_dc_extents(dev, (uint16_t)h, &d->hosts[h]);
		d->nhosts += ok;
	}
	return ok;
}

/*
 * Did the device answer that it lacks Get DCD Info (not a DCD)?  Not a
 * switch that lacks the tunnel to it, which says nothing of the device.
 */
static bool answered_unsupported(struct cxlsw_dev *dev)
{
	const struct cxlsw_error *err = cxlsw_dev_error(dev);

	return err->opcode == CXLSW_OP_GET_DCD_INFO &&
	       (err->kind == CXLSW_ERR_UNSUPPORTED ||
		(err->kind == CXLSW_ERR_DEVICE &&
		 err->retcode == CXLSW_RC_UNSUPPORTED));
}

/*
 * A Type 3 device that answers Get DCD Info is a DCD: its regions and
 * every host's extents.  One that does not (most are not DCDs), or fails
 * on the way, is left out: false.  *fact: what the device said of
 * itself; known carries a DCD's info and regions (read before, the same
 * device) so that only the extents are asked.
 */
static bool read_dcd(struct cxlsw_dev *sw, struct cxlsw_snapshot_dcd *d,
		     const struct cxlsw_snapshot_dcd *known, uint8_t *fact)
{
	struct cxlsw_dev *dev;
	bool ok;

	*fact = CXLSW_FACT_UNKNOWN;
	if (cxlsw_dev_tunnel(sw, d->port_id, CXLSW_TUNNEL_PORT_OR_LD, false,
			     &dev))
		return false;
	if (known) {
		d->info = known->info;
		d->regions = known->regions;
		ok = true;
	} else {
		ok = !cxlsw_dcd_info(dev, &d->info);
		if (!ok && answered_unsupported(dev))
			*fact = CXLSW_FACT_NO;
		ok = ok && !cxlsw_get_dc_regions(dev, 0, &d->regions);
	}
	ok = ok && read_extents(dev, d);
	if (ok)
		*fact = CXLSW_FACT_YES;
	else
		dcd_free(d);
	cxlsw_dev_close(dev);
	return ok;
}

static bool is_type3(const struct cxlsw_port_state *p)
{
	return p->config_state == CXLSW_PORT_DSP &&
	       (p->connected_device_type == CXLSW_DEV_TYPE3_SLD ||
		p->connected_device_type == CXLSW_DEV_TYPE3_MLD);
}

/*
 * The DCDs among the Type 3 devices; with prev and scope (a read again),
 * only those scope names, and a device prev knew (the same device) is
 * not asked again whether it is a DCD, nor its regions.
 */
static int read_dcds(struct cxlsw_dev *dev, struct cxlsw_snapshot *s,
		     const struct cxlsw_snapshot *prev,
		     const struct cxlsw_snapshot_scope *scope)
{
	s->dcds = calloc(s->nports + 1, sizeof(*s->dcds));
	if (!s->dcds)
		return -ENOMEM;
	for (size_t i = 0; i < s->nports; i++) {
		const struct cxlsw_port_state *p = &s->ports[i];
		uint8_t id = p->port_id, *fact = &s->dcd_fact[id];
		const struct cxlsw_snapshot_dcd *known = NULL;

		if (!is_type3(p) || *fact == CXLSW_FACT_NO ||
		    (scope && !(scope->port[id] & CXLSW_SNAP_DC_EXTENTS)))
			continue;
		if (prev && *fact == CXLSW_FACT_YES)
			known = cxlsw_snapshot_dcd(prev, id);
		s->dcds[s->ndcds].port_id = id;
		if (read_dcd(dev, &s->dcds[s->ndcds], known, fact))
			s->ndcds++;
		else
			memset(&s->dcds[s->ndcds], 0, sizeof(s->dcds[0]));
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

/* The switch whole, and of its devices all (scope NULL) or what scope names. */
static int snapshot_first(struct cxlsw_dev *dev,
			  const struct cxlsw_snapshot_scope *scope,
			  struct cxlsw_snapshot **snap)
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
		rc = read_pools(dev, s, scope);
	}
	if (!rc)
		rc = read_dcds(dev, s, NULL, scope);
	if (rc) {
		cxlsw_snapshot_free(s);
		return rc;
	}
	*snap = s;
	return 0;
}

int cxlsw_snapshot_read(struct cxlsw_dev *dev, struct cxlsw_snapshot **snap)
{
	return snapshot_first(dev, NULL, snap);
}

/*
 * The same device on a port in two reads, as far as its port state can
 * tell without asking the device: a downstream port whose link is up in
 * both, with the same device type and the same identity (CXL version and
 * modes, link width and speeds, LD count).  A port that had no device
 * (or no link) before has a new one, whatever it looks like.
 */
static bool same_device(const struct cxlsw_port_state *a,
			const struct cxlsw_port_state *b)
{
	return a && b && is_type3(a) && a->ltssm_state == CXLSW_LTSSM_L0 &&
	       b->ltssm_state == CXLSW_LTSSM_L0 &&
	       !cxlsw_snapshot_port_in_reset(a) &&
	       !cxlsw_snapshot_port_in_reset(b) &&
	       a->config_state == b->config_state &&
	       a->connected_device_type == b->connected_device_type &&
	       a->connected_cxl_version == b->connected_cxl_version &&
	       a->cxl_versions == b->cxl_versions &&
	       a->max_link_width == b->max_link_width &&
	       a->supported_speeds == b->supported_speeds &&
	       a->supported_ld_count == b->supported_ld_count;
}

/*
 * A pool read again: its LD Info (capacity and LD count, facts of the
 * device) and whatever scope leaves out are prev's; what scope names is
 * asked.  QoS is asked only of a device that had it.
 */
static void reread_pool(struct cxlsw_dev *sw, const struct cxlsw_snapshot_pool *old,
			uint8_t what, struct cxlsw_snapshot_pool *p)
{
	struct cxlsw_dev *dev;
	int rc = 0;

	*p = *old;
	p->reachable = false;
	rc = cxlsw_dev_tunnel(sw, p->port_id, CXLSW_TUNNEL_PORT_OR_LD, false,
			      &dev);
	if (rc) {
		error_fill(&p->error, CXLSW_ERR_TRANSPORT, -rc, CXLSW_OP_TUNNEL,
			  "no tunnel to port %u", p->port_id);
		return;
	}
	if (what & CXLSW_SNAP_LD_ALLOC)
		rc = cxlsw_ld_alloc_get(dev, &p->alloc);
	if (rc) {
		p->error = *cxlsw_dev_error(dev);
		cxlsw_dev_close(dev);
		return;
	}
	p->reachable = true;
	if ((what & CXLSW_SNAP_QOS_CONTROL) && p->has_qos_control)
		p->has_qos_control = !cxlsw_get_qos_control(dev, &p->qos);
	if ((what & CXLSW_SNAP_BW_ALLOC) && p->has_qos_bw)
		p->has_qos_bw = !cxlsw_get_qos_bw(dev, CXLSW_QOS_ALLOC_BW,
						  p->alloc.ld_count, p->bw_alloc);
	if ((what & CXLSW_SNAP_BW_LIMIT) && p->has_qos_bw)
		p->has_qos_bw = !cxlsw_get_qos_bw(dev, CXLSW_QOS_BW_LIMIT,
						  p->alloc.ld_count, p->bw_limit);
	cxlsw_dev_close(dev);
}

static int reread_pools(struct cxlsw_dev *dev, struct cxlsw_snapshot *s,
			const struct cxlsw_snapshot *prev,
			const struct cxlsw_snapshot_scope *scope)
{
	s->pools = calloc(s->nports + 1, sizeof(*s->pools));
	if (!s->pools)
		return -ENOMEM;
	for (size_t i = 0; i < s->nports; i++) {
		const struct cxlsw_port_state *p = &s->ports[i];
		uint8_t what = scope->port[p->port_id] & SNAP_POOL_PARTS;
		const struct cxlsw_snapshot_pool *old;
		struct cxlsw_snapshot_pool *np = &s->pools[s->npools];

		if (!is_pool(p) || !what)
			continue;
		old = cxlsw_snapshot_pool(prev, p->port_id);
		np->port_id = p->port_id;
		if (old && old->reachable &&
		    same_device(cxlsw_snapshot_port(prev, p->port_id), p))
			reread_pool(dev, old, what, np);
		else
			read_pool(dev, np, what);
		s->npools++;
	}
	return 0;
}

int cxlsw_snapshot_reread(struct cxlsw_dev *dev,
			  const struct cxlsw_snapshot *prev,
			  const struct cxlsw_snapshot_scope *scope,
			  struct cxlsw_snapshot **snap)
{
	struct cxlsw_snapshot *s;
	uint8_t ids[CXLSW_MAX_PORTS];
	int rc;

	if (!prev)
		return snapshot_first(dev, scope, snap);
	*snap = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	/* no step changes which ports and VCSs the switch has */
	s->info = prev->info;
	s->nports = prev->nports;
	for (size_t i = 0; i < prev->nports; i++)
		ids[i] = prev->ports[i].port_id;
	s->ports = calloc(s->nports + 1, sizeof(*s->ports));
	s->nvcs = prev->nvcs;
	s->vcs_unavailable = prev->vcs_unavailable;
	s->vcs = calloc(s->nvcs + 1, sizeof(*s->vcs));
	rc = s->ports && s->vcs ? 0 : -ENOMEM;
	if (!rc)
		rc = cxlsw_get_port_state(dev, ids, s->nports, s->ports);
	if (!rc && scope->vcss && s->nvcs) {
		uint8_t vids[CXLSW_MAX_VCSS];

		for (size_t i = 0; i < s->nvcs; i++)
			vids[i] = prev->vcs[i].vcs_id;
		rc = cxlsw_get_vcs_info(dev, vids, s->nvcs, s->vcs);
	} else if (!rc) {
		memcpy(s->vcs, prev->vcs, s->nvcs * sizeof(*s->vcs));
	}
	if (!rc) {
		qsort(s->ports, s->nports, sizeof(*s->ports), by_port);
		qsort(s->vcs, s->nvcs, sizeof(*s->vcs), by_vcs);
		/* a fact outlives a read only with the device it is of */
		for (size_t i = 0; i < s->nports; i++) {
			uint8_t id = s->ports[i].port_id;

			if (same_device(cxlsw_snapshot_port(prev, id), &s->ports[i]))
				s->dcd_fact[id] = prev->dcd_fact[id];
		}
		rc = reread_pools(dev, s, prev, scope);
	}
	if (!rc)
		rc = read_dcds(dev, s, prev, scope);
	if (rc) {
		cxlsw_snapshot_free(s);
		return rc;
	}
	*snap = s;
	return 0;
}

/*
 * The lookups halve the arrays, which are sorted by id (the snapshot's
 * contract, also for one a caller builds): a plan asks them per vPPB and
 * per step, and stays linear in the fabric (ids are 8 bits: at most 8
 * probes).  The element with id, or NULL.
 */
static const void *find_by_id(const void *base, size_t n, size_t size,
			      size_t off, unsigned int id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const uint8_t *e = (const uint8_t *)base + mid * size;

		if (e[off] == id)
			return e;
		if (e[off] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The element of array arr[n] whose uint8_t member field is id. */
#define FIND_BY_ID(arr, n, field, id)					\
	((__typeof__(&(arr)[0]))find_by_id((arr), (n), sizeof((arr)[0]),	\
					   offsetof(__typeof__((arr)[0]), field), (id)))

const struct cxlsw_port_state *
cxlsw_snapshot_port(const struct cxlsw_snapshot *snap, unsigned int port)
{
	const struct cxlsw_port_state *p =
		FIND_BY_ID(snap->ports, snap->nports, port_id, port);

	return p && p->config_state != CXLSW_PORT_INVALID ? p : NULL;
}

const struct cxlsw_vcs_info *
cxlsw_snapshot_vcs(const struct cxlsw_snapshot *snap, unsigned int vcs)
{
	const struct cxlsw_vcs_info *v =
		FIND_BY_ID(snap->vcs, snap->nvcs, vcs_id, vcs);

	return v && v->state != CXLSW_VCS_INVALID ? v : NULL;
}

const struct cxlsw_snapshot_pool *
cxlsw_snapshot_pool(const struct cxlsw_snapshot *snap, unsigned int port)
{
	return FIND_BY_ID(snap->pools, snap->npools, port_id, port);
}

const struct cxlsw_snapshot_dcd *
cxlsw_snapshot_dcd(const struct cxlsw_snapshot *snap, unsigned int port)
{
	return FIND_BY_ID(snap->dcds, snap->ndcds, port_id, port);
}

uint64_t cxlsw_snapshot_dc_held(const struct cxlsw_snapshot_dcd *d,
				unsigned int host, unsigned int region)
{
	const struct cxlsw_dc_region *r;
	uint64_t sum = 0;

	if (host >= d->nhosts || region >= d->regions.have)
		return 0;
	r = &d->regions.region[region];
	for (uint32_t i = 0; i < d->hosts[host].count; i++) {
		const struct cxlsw_dc_extent *e = &d->hosts[host].extents[i];

		if (e->start_dpa >= r->base &&
		    e->start_dpa - r->base < r->decode_length)
			sum += e->length;
	}
	return sum;
}

bool cxlsw_snapshot_port_in_reset(const struct cxlsw_port_state *p)
{
	return p->link_flags & CXLSW_LINK_PERST_ASSERTED;
}
