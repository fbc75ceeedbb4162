// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The plan of fabric as code: what takes a switch from its snapshot to a
 * desired state, checked first (every key against the switch, no two
 * hosts on one LD, no more memory than a device has) and ordered so that
 * each step finds what it needs: unbind before an allocation shrinks,
 * shrink before another LD grows, grow before a bind, a port out of reset
 * before it is bound.  Each step can be undone by its reverse, computed
 * from the state read just before it is sent.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fabric.h"

static int fail(char *err, size_t len, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t len, const char *key, const char *fmt, ...)
{
	size_t used = (size_t)snprintf(err, len, "%s: ", key);
	va_list ap;

	if (used < len) {
		va_start(ap, fmt);
		vsnprintf(err + used, len - used, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *const kind_names[FAB_STEP_KINDS] = {
	[FAB_UNBIND] = "unbind",
	[FAB_RESET_ASSERT] = "reset-hold",
	[FAB_DC_RELEASE] = "dc-release",
	[FAB_LD_SHRINK] = "ld-shrink",
	[FAB_LD_GROW] = "ld-grow",
	[FAB_DC_ADD] = "dc-add",
	[FAB_QOS_CONTROL] = "qos-control",
	[FAB_QOS_ALLOC_BW] = "qos-allocated-bw",
	[FAB_QOS_BW_LIMIT] = "qos-bw-limit",
	[FAB_RESET_RELEASE] = "reset-release",
	[FAB_BIND] = "bind",
};

const char *fab_step_kind_name(enum fab_step_kind k)
{
	return k < FAB_STEP_KINDS ? kind_names[k] : "?";
}

/* A switch_state view of a snapshot, for describe_users(). */
static struct switch_state view(const struct cxlsw_snapshot *s)
{
	struct switch_state st = {
		.info = s->info,
		.nports = s->nports,
		.ports = s->ports,
		.nvcs = s->nvcs,
		.vcs = s->vcs,
		.vcs_unavailable = s->vcs_unavailable,
	};

	if (s->vcs_unavailable)
		snprintf(st.vcs_why, sizeof(st.vcs_why),
			 "Get Virtual CXL Switch Info (0x5200)");
	return st;
}

static bool is_bound(const struct cxlsw_vppb *v)
{
	return v->binding_status == CXLSW_VPPB_BOUND_PORT ||
	       v->binding_status == CXLSW_VPPB_BOUND_LD;
}

static bool same_vppb(const struct cxlsw_vppb *a, const struct cxlsw_vppb *b)
{
	if (a->binding_status != b->binding_status)
		return false;
	if (a->binding_status == CXLSW_VPPB_BOUND_PORT)
		return a->port_id == b->port_id;
	if (a->binding_status == CXLSW_VPPB_BOUND_LD)
		return a->port_id == b->port_id && a->ld_id == b->ld_id;
	return true;
}

static struct cxlsw_vppb wanted_vppb(const struct fab_vppb *e)
{
	struct cxlsw_vppb v = { CXLSW_VPPB_UNBOUND, 0, 0 };

	if (!e->bound)
		return v;
	v.port_id = (uint8_t)e->port;
	if (e->ld == CXLSW_WHOLE_PORT) {
		v.binding_status = CXLSW_VPPB_BOUND_PORT;
	} else {
		v.binding_status = CXLSW_VPPB_BOUND_LD;
		v.ld_id = (uint8_t)e->ld;
	}
	return v;
}

static void vppb_text(const struct cxlsw_vppb *v, char *buf, size_t len)
{
	const char *name = cxlsw_vppb_binding_name(v->binding_status);

	if (v->binding_status == CXLSW_VPPB_BOUND_PORT)
		snprintf(buf, len, "bound to port %u", v->port_id);
	else if (v->binding_status == CXLSW_VPPB_BOUND_LD)
		snprintf(buf, len, "bound to port %u LD %u", v->port_id, v->ld_id);
	else if (v->binding_status == CXLSW_VPPB_IN_PROGRESS)
		snprintf(buf, len, "in progress (a bind or unbind runs)");
	else
		snprintf(buf, len, "%s", name ? name : "in an unknown state");
}

/* ---- checking the file against the switch ------------------------------- */

static int check_vppb(const struct fab_vppb *e, const struct cxlsw_snapshot *s,
		      const char *sw, char *err, size_t len)
{
	const struct cxlsw_vcs_info *v;
	const struct cxlsw_port_state *p;
	const struct cxlsw_vppb *now;
	bool mld;

	if (s->vcs_unavailable)
		return fail(err, len, e->key,
			    "%s does not implement Get Virtual CXL Switch Info (0x5200): its vPPBs cannot be planned",
			    sw);
	v = cxlsw_snapshot_vcs(s, e->vcs);
	if (!v)
		return fail(err, len, e->key, "VCS %u does not exist on %s",
			    e->vcs, sw);
	if (v->state != CXLSW_VCS_ENABLED)
		return fail(err, len, e->key, "VCS %u is not enabled", e->vcs);
	if (e->vppb >= v->num_vppbs)
		return fail(err, len, e->key,
			    "VCS %u has %u vPPBs: there is no vPPB %u", e->vcs,
			    v->num_vppbs, e->vppb);
	now = &v->vppbs[e->vppb];
	if (!is_bound(now) && now->binding_status != CXLSW_VPPB_UNBOUND) {
		struct cxlsw_vppb want = wanted_vppb(e);
		char text[64];

		if (!same_vppb(now, &want)) {
			vppb_text(now, text, sizeof(text));
			return fail(err, len, e->key,
				    "vPPB %u of VCS %u is %s: it cannot be changed now",
				    e->vppb, e->vcs, text);
		}
	}
	if (!e->bound)
		return 0;
	p = cxlsw_snapshot_port(s, e->port);
	if (!p)
		return fail(err, len, e->key, "port %u does not exist on %s",
			    e->port, sw);
	if (p->config_state != CXLSW_PORT_DSP)
		return fail(err, len, e->key,
			    "port %u is not a downstream port (it is %s)", e->port,
			    cxlsw_port_config_state_name(p->config_state) ?:
			    "in an unknown state");
	mld = p->connected_device_type == CXLSW_DEV_TYPE3_MLD;
	if (mld && e->ld == CXLSW_WHOLE_PORT)
		return fail(err, len, e->key,
			    "port %u holds a pooled device (CXL Type 3 MLD): give ld 0-%d",
			    e->port, p->supported_ld_count - 1);
	if (!mld && e->ld != CXLSW_WHOLE_PORT)
		return fail(err, len, e->key,
			    "port %u holds no pooled device: ld applies to a CXL Type 3 MLD",
			    e->port);
	if (mld && e->ld >= p->supported_ld_count)
		return fail(err, len, e->key, "port %u has %u LDs: there is no LD %u",
			    e->port, p->supported_ld_count, e->ld);
	return 0;
}

struct final_vppb {
	unsigned int vcs, vppb;
	struct cxlsw_vppb v;
	const struct fab_vppb *e;
};

#define NONE	SIZE_MAX

/* The earlier of two indexes into the final vPPBs (NONE: none). */
static size_t earlier(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * Every vPPB as it would be after the plan, in VCS and vPPB order: the
 * file's entry where it has one (an index by VCS position and vPPB finds
 * it), the switch's state otherwise.  *n of them.
 */
static struct final_vppb *final_vppbs(const struct fab_switch *d,
				      const struct cxlsw_snapshot *s,
				      size_t *n)
{
	size_t pos[CXLSW_MAX_VCSS], base[CXLSW_MAX_VCSS + 1], total = 0;
	const struct fab_vppb **entry;
	struct final_vppb *f;

	for (size_t i = 0; i < CXLSW_MAX_VCSS; i++)
		pos[i] = NONE;
	for (size_t i = 0; i < s->nvcs; i++) {
		pos[s->vcs[i].vcs_id] = i;
		base[i] = total;
		total += s->vcs[i].num_vppbs;
	}
	entry = calloc(total + 1, sizeof(*entry));
	f = calloc(total + 1, sizeof(*f));
	if (!entry || !f) {
		free(entry);
		free(f);
		return NULL;
	}
	/* the first entry for a vPPB (the parser refuses a second) */
	for (size_t k = d->nvppbs; k-- > 0;) {
		const struct fab_vppb *e = &d->vppbs[k];

		if (e->vcs < CXLSW_MAX_VCSS && pos[e->vcs] != NONE &&
		    e->vppb < s->vcs[pos[e->vcs]].num_vppbs)
			entry[base[pos[e->vcs]] + e->vppb] = e;
	}
	*n = 0;
	for (size_t i = 0; i < s->nvcs; i++)
		for (unsigned int b = 0; b < s->vcs[i].num_vppbs; b++) {
			const struct fab_vppb *e = entry[*n];

			f[*n].vcs = s->vcs[i].vcs_id;
			f[*n].vppb = b;
			f[*n].v = e ? wanted_vppb(e) : s->vcs[i].vppbs[b];
			f[*n].e = e;
			(*n)++;
		}
	free(entry);
	return f;
}

/*
 * Firsts of the vPPBs seen so far on one port: any, a whole port (bound
 * to the port, or anything but an LD), and per LD; each also among those
 * the file asks for ("e": a conflict is the file's only when one side is).
 */
struct port_firsts {
	size_t any, any_e, whole, whole_e;
	size_t ld[CXLSW_MAX_LDS], ld_e[CXLSW_MAX_LDS];
};

/*
 * Two vPPBs that would reach the same port or LD: two hosts on one LD.
 * The final vPPBs are taken port by port (bucketed, in their order), each
 * against the firsts before it on its port: linear in the vPPBs.  The
 * pair reported is the one a scan of every pair would find first: the
 * earliest vPPB i, then the earliest j after it.
 */
static int check_conflicts(const struct fab_switch *d,
			   const struct cxlsw_snapshot *s, char *err,
			   size_t len)
{
	size_t count[CXLSW_MAX_PORTS + 1] = { 0 }, n = 0, bi = NONE, bj = NONE;
	struct port_firsts *pf = malloc(sizeof(*pf));
	struct final_vppb *f = final_vppbs(d, s, &n);
	size_t *order = calloc(n + 1, sizeof(*order));
	int rc = 0;

	if (!pf || !f || !order) {
		rc = fail(err, len, d->key, "out of memory");
		goto out;
	}
	for (size_t j = 0; j < n; j++)
		if (is_bound(&f[j].v))
			count[f[j].v.port_id + 1]++;
	for (size_t p = 1; p <= CXLSW_MAX_PORTS; p++)
		count[p] += count[p - 1];
	for (size_t j = 0; j < n; j++)
		if (is_bound(&f[j].v))
			order[count[f[j].v.port_id]++] = j;
	/* count[p] is now where port p's vPPBs end */
	for (size_t p = 0, k = 0; p < CXLSW_MAX_PORTS; p++) {
		if (k == count[p])
			continue;
		pf->any = pf->any_e = pf->whole = pf->whole_e = NONE;
		for (size_t q = k; q < count[p]; q++) {
			const struct final_vppb *b = &f[order[q]];

			if (b->v.binding_status == CXLSW_VPPB_BOUND_LD)
				pf->ld[b->v.ld_id] = pf->ld_e[b->v.ld_id] = NONE;
		}
		for (; k < count[p]; k++) {
			size_t j = order[k], i;
			const struct final_vppb *b = &f[j];
			bool ld = b->v.binding_status == CXLSW_VPPB_BOUND_LD;

			if (!ld)	/* a whole port: every one before */
				i = b->e ? pf->any : pf->any_e;
			else if (b->e)
				i = earlier(pf->whole, pf->ld[b->v.ld_id]);
			else
				i = earlier(pf->whole_e, pf->ld_e[b->v.ld_id]);
			if (i != NONE && (i < bi || (i == bi && j < bj))) {
				bi = i;
				bj = j;
			}
			pf->any = earlier(pf->any, j);
			if (b->e)
				pf->any_e = earlier(pf->any_e, j);
			if (!ld) {
				pf->whole = earlier(pf->whole, j);
				if (b->e)
					pf->whole_e = earlier(pf->whole_e, j);
			} else {
				pf->ld[b->v.ld_id] = earlier(pf->ld[b->v.ld_id], j);
				if (b->e)
					pf->ld_e[b->v.ld_id] =
						earlier(pf->ld_e[b->v.ld_id], j);
			}
		}
	}
	if (bi != NONE) {
		const struct final_vppb *a = &f[bi], *b = &f[bj];
		const struct fab_vppb *e = a->e ? a->e : b->e;

		if (a->v.binding_status == CXLSW_VPPB_BOUND_LD &&
		    b->v.binding_status == CXLSW_VPPB_BOUND_LD)
			rc = fail(err, len, e->key,
				  "port %u LD %u would be bound to two hosts: vPPB %u of VCS %u and vPPB %u of VCS %u",
				  a->v.port_id, a->v.ld_id, a->vppb, a->vcs,
				  b->vppb, b->vcs);
		else
			rc = fail(err, len, e->key,
				  "port %u would be bound twice: to vPPB %u of VCS %u and vPPB %u of VCS %u",
				  a->v.port_id, a->vppb, a->vcs, b->vppb,
				  b->vcs);
	}
out:
	free(order);
	free(f);
	free(pf);
	return rc;
}

static int to_units(const struct fab_ld *l, const char *what, uint64_t bytes,
		    uint64_t gran, uint64_t *units, char *err, size_t len)
{
	char g[32], b[32];

	if (bytes % gran) {
		format_size(gran, g, sizeof(g));
		format_size(bytes, b, sizeof(b));
		return fail(err, len, l->key,
			    "%s: %s is not a multiple of the device's granularity %s",
			    what, b, g);
	}
	*units = bytes / gran;
	return 0;
}

/* The pool's allocations and fractions as the file wants them. */
static int pool_target(const struct fab_pool *fp,
		       const struct cxlsw_snapshot_pool *sp,
		       struct cxlsw_ld_alloc *alloc, uint8_t *bw,
		       uint8_t *limit, char *err, size_t len)
{
	uint64_t gran = cxlsw_ld_granularity_bytes(sp->alloc.granularity);
	uint64_t sum = 0, bytes;
	char want[32], have[32];

	memcpy(alloc, sp->alloc.lds, sizeof(sp->alloc.lds));
	memcpy(bw, sp->bw_alloc, CXLSW_MAX_LDS);
	memcpy(limit, sp->bw_limit, CXLSW_MAX_LDS);
	if (!gran)
		return fail(err, len, fp->key,
			    "the device on port %u reports an unknown granularity",
			    fp->port);
	for (size_t i = 0; i < fp->nlds; i++) {
		const struct fab_ld *l = &fp->lds[i];

		if (l->ld >= sp->alloc.ld_count)
			return fail(err, len, l->key,
				    "the device on port %u has %u LDs: there is no LD %u",
				    fp->port, sp->alloc.ld_count, l->ld);
		if ((l->has_bw || l->has_limit) && !sp->has_qos_bw)
			return fail(err, len, l->key,
				    "the device on port %u has no QoS bandwidth control",
				    fp->port);
		if ((l->has_range1 && to_units(l, "range1", l->range1, gran,
					       &alloc[l->ld].range1, err, len)) ||
		    (l->has_range2 && to_units(l, "range2", l->range2, gran,
					       &alloc[l->ld].range2, err, len)))
			return -1;
		if (l->has_bw)
			bw[l->ld] = l->bw;
		if (l->has_limit)
			limit[l->ld] = l->limit;
	}
	for (unsigned int i = 0; i < sp->alloc.ld_count; i++) {
		if (__builtin_add_overflow(alloc[i].range1, alloc[i].range2,
					   &bytes) ||
		    __builtin_mul_overflow(bytes, gran, &bytes) ||
		    __builtin_add_overflow(sum, bytes, &sum))
			sum = UINT64_MAX;
	}
	if (sum > sp->info.memory_size) {
		if (sum == UINT64_MAX)
			snprintf(want, sizeof(want), "more than 2^64 bytes");
		else
			format_size(sum, want, sizeof(want));
		format_size(sp->info.memory_size, have, sizeof(have));
		return fail(err, len, fp->key,
			    "the LDs would hold %s, more than the device's %s",
			    want, have);
	}
	return 0;
}

static int check_pool(const struct fab_pool *fp, const struct cxlsw_snapshot *s,
		      const char *sw, const struct cxlsw_snapshot_pool **sp,
		      char *err, size_t len)
{
	const struct cxlsw_port_state *p = cxlsw_snapshot_port(s, fp->port);
	char why[200];

	*sp = cxlsw_snapshot_pool(s, fp->port);
	if (!p)
		return fail(err, len, fp->key, "port %u does not exist on %s",
			    fp->port, sw);
	if (!*sp)
		return fail(err, len, fp->key,
			    "port %u holds no pooled device (CXL Type 3 MLD)",
			    fp->port);
	if (!(*sp)->reachable)
		return fail(err, len, fp->key,
			    "the pooled device on port %u does not answer%s: %s",
			    fp->port, cxlsw_snapshot_port_in_reset(p) ?
			    " (the port is held in reset)" : "",
			    cxlsw_error_string(&(*sp)->error, why, sizeof(why)));
	if (fp->qos_fields && !(*sp)->has_qos_control)
		return fail(err, len, fp->key,
			    "the device on port %u has no QoS control", fp->port);
	return 0;
}

/* ---- steps --------------------------------------------------------------- */

struct builder {
	struct fab_plan *p;
	size_t cap;
	const struct cxlsw_snapshot *s;
	struct switch_state st;
};

static struct fab_step *add_step(struct builder *b, enum fab_step_kind kind,
				 const char *key)
{
	struct fab_step *st;

	if (b->p->nsteps == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 8;
		struct fab_step *n = realloc(b->p->steps, cap * sizeof(*n));

		if (!n)
			return NULL;
		b->p->steps = n;
		b->cap = cap;
	}
	st = &b->p->steps[b->p->nsteps];
	memset(st, 0, sizeof(*st));
	st->seq = (unsigned int)b->p->nsteps++;
	st->kind = kind;
	st->key = key;
	st->port = -1;
	st->pool = -1;
	return st;
}

static void describe_vppb(struct builder *b, struct fab_step *st)
{
	const struct cxlsw_vcs_info *v = cxlsw_snapshot_vcs(b->s, st->vcs);
	const struct cxlsw_vppb *e = st->kind == FAB_UNBIND ? &st->vppb_before :
				     &st->vppb_after;
	char pdesc[96];

	describe_port(e->port_id, cxlsw_snapshot_port(b->s, e->port_id),
		      e->binding_status == CXLSW_VPPB_BOUND_LD ? e->ld_id :
		      CXLSW_WHOLE_PORT, pdesc, sizeof(pdesc));
	st->port = e->port_id;
	if (st->kind == FAB_UNBIND) {
		st->cmd = "unbind";
		st->opcode = CXLSW_OP_UNBIND_VPPB;
		snprintf(st->what, sizeof(st->what),
			 "unbinding vPPB %u of VCS %u removes %s from the host on upstream port %u (wait)",
			 st->vppb, st->vcs, pdesc, v->usp_id);
		snprintf(st->whom, sizeof(st->whom),
			 "the host on upstream port %u (VCS %u) loses it",
			 v->usp_id, st->vcs);
		snprintf(st->args, sizeof(st->args), "vcs=%u vppb=%u mode=wait",
			 st->vcs, st->vppb);
	} else {
		st->cmd = "bind";
		st->opcode = CXLSW_OP_BIND_VPPB;
		snprintf(st->what, sizeof(st->what), "binds %s to vPPB %u of VCS %u",
			 pdesc, st->vppb, st->vcs);
		snprintf(st->whom, sizeof(st->whom),
			 "the host on upstream port %u (VCS %u) gains it",
			 v->usp_id, st->vcs);
		snprintf(st->args, sizeof(st->args), "vcs=%u vppb=%u port=%u ld=%d",
			 st->vcs, st->vppb, e->port_id,
			 e->binding_status == CXLSW_VPPB_BOUND_LD ? e->ld_id : -1);
	}
}

static int vppb_steps(struct builder *b, const struct fab_switch *d)
{
	for (size_t i = 0; i < d->nvppbs; i++) {
		const struct fab_vppb *e = &d->vppbs[i];
		const struct cxlsw_vcs_info *v = cxlsw_snapshot_vcs(b->s, e->vcs);
		struct cxlsw_vppb now = v->vppbs[e->vppb], want = wanted_vppb(e);
		struct fab_step *st;

		if (same_vppb(&now, &want))
			continue;
		if (is_bound(&now)) {
			st = add_step(b, FAB_UNBIND, e->key);
			if (!st)
				return -ENOMEM;
			st->vcs = (uint8_t)e->vcs;
			st->vppb = (uint8_t)e->vppb;
			st->vppb_before = now;
			st->vppb_after = (struct cxlsw_vppb){ CXLSW_VPPB_UNBOUND, 0, 0 };
			describe_vppb(b, st);
		}
		if (is_bound(&want)) {
			st = add_step(b, FAB_BIND, e->key);
			if (!st)
				return -ENOMEM;
			st->vcs = (uint8_t)e->vcs;
			st->vppb = (uint8_t)e->vppb;
			st->vppb_before = (struct cxlsw_vppb){ CXLSW_VPPB_UNBOUND, 0, 0 };
			st->vppb_after = want;
			describe_vppb(b, st);
		}
	}
	return 0;
}

/* "LD 3: the host on ...; LD 5: ..." for the LDs a step touches. */
static void ld_users(struct builder *b, struct fab_step *st)
{
	size_t used = 0;
	char users[256];

	for (unsigned int i = st->first; i <= st->last; i++) {
		if (!st->touched[i])
			continue;
		describe_users(&b->st, (unsigned int)st->pool, i, users,
			       sizeof(users));
		if (!strncmp(users, "no host", 7) || used >= sizeof(st->whom))
			continue;
		used += (size_t)snprintf(st->whom + used, sizeof(st->whom) - used,
					 "%sLD %u: %s", used ? "; " : "", i, users);
	}
	if (!used)
		snprintf(st->whom, sizeof(st->whom),
			 "no host: none of these LDs is bound to a vPPB");
}

static void range_of(struct fab_step *st)
{
	st->first = CXLSW_MAX_LDS;
	st->last = 0;
	for (unsigned int i = 0; i < CXLSW_MAX_LDS; i++)
		if (st->touched[i]) {
			if (i < st->first)
				st->first = i;
			st->last = i;
		}
}

static int ld_step(struct builder *b, const struct fab_pool *fp,
		   const struct cxlsw_snapshot_pool *sp, enum fab_step_kind kind,
		   struct cxlsw_ld_alloc *sim, const struct cxlsw_ld_alloc *want)
{
	uint64_t gran = cxlsw_ld_granularity_bytes(sp->alloc.granularity);
	size_t used = 0, aused;
	struct fab_step *st = NULL;
	char from[32], to[32];

	for (unsigned int i = 0; i < sp->alloc.ld_count; i++) {
		bool shrink = want[i].range1 <= sim[i].range1 &&
			      want[i].range2 <= sim[i].range2;

		if (want[i].range1 == sim[i].range1 &&
		    want[i].range2 == sim[i].range2)
			continue;
		if ((kind == FAB_LD_SHRINK) != shrink)
			continue;
		if (!st) {
			st = add_step(b, kind, fp->key);
			if (!st)
				return -ENOMEM;
			memcpy(st->ld_before, sim, sizeof(st->ld_before));
		}
		st->touched[i] = true;
		sim[i] = want[i];
	}
	if (!st)
		return 0;
	memcpy(st->ld_after, sim, sizeof(st->ld_after));
	st->cmd = "set-lds";
	st->opcode = CXLSW_OP_SET_LD_ALLOCATIONS;
	st->port = st->pool = (int)fp->port;
	st->granularity = sp->alloc.granularity;
	range_of(st);
	aused = (size_t)snprintf(st->args, sizeof(st->args), "port=%u lds=%u-%u sizes=",
				 fp->port, st->first, st->last);
	for (unsigned int i = st->first; i <= st->last; i++) {
		const struct cxlsw_ld_alloc *o = &st->ld_before[i], *n = &st->ld_after[i];

		if (!st->touched[i])
			continue;
		format_size((o->range1 + o->range2) * gran, from, sizeof(from));
		format_size((n->range1 + n->range2) * gran, to, sizeof(to));
		if (used < sizeof(st->what))
			used += (size_t)snprintf(st->what + used, sizeof(st->what) - used,
						 "%sLD %u %s -> %s", used ? ", " : "", i,
						 from, to);
		if (aused < sizeof(st->args))
			aused += (size_t)snprintf(st->args + aused, sizeof(st->args) - aused,
						  "%s%u=%llu+%llu",
						  st->args[aused - 1] == '=' ? "" : ",", i,
						  (unsigned long long)(n->range1 * gran),
						  (unsigned long long)(n->range2 * gran));
	}
	if (used < sizeof(st->what))
		snprintf(st->what + used, sizeof(st->what) - used, " on port %u",
			 fp->port);
	ld_users(b, st);
	return 0;
}

static int bw_step(struct builder *b, const struct fab_pool *fp,
		   const struct cxlsw_snapshot_pool *sp, enum fab_step_kind kind,
		   const uint8_t *now, const uint8_t *want)
{
	const char *what = kind == FAB_QOS_ALLOC_BW ? "allocated bandwidth" :
			   "bandwidth limit";
	size_t used = 0, aused;
	struct fab_step *st = NULL;

	for (unsigned int i = 0; i < sp->alloc.ld_count; i++) {
		if (now[i] == want[i])
			continue;
		if (!st) {
			st = add_step(b, kind, fp->key);
			if (!st)
				return -ENOMEM;
			memcpy(st->bw_before, now, CXLSW_MAX_LDS);
			memcpy(st->bw_after, want, CXLSW_MAX_LDS);
		}
		st->touched[i] = true;
	}
	if (!st)
		return 0;
	st->cmd = "qos";
	st->opcode = cxlsw_qos_bw_opcode(kind == FAB_QOS_ALLOC_BW ?
					 CXLSW_QOS_ALLOC_BW : CXLSW_QOS_BW_LIMIT,
					 true);
	st->port = st->pool = (int)fp->port;
	range_of(st);
	aused = (size_t)snprintf(st->args, sizeof(st->args), "port=%u %s=",
				 fp->port, kind == FAB_QOS_ALLOC_BW ?
				 "alloc-bw" : "bw-limit");
	for (unsigned int i = st->first; i <= st->last; i++) {
		if (!st->touched[i])
			continue;
		if (used < sizeof(st->what))
			used += (size_t)snprintf(st->what + used, sizeof(st->what) - used,
						 "%sLD %u %s %u/256 -> %u/256",
						 used ? ", " : "", i, what, now[i], want[i]);
		if (aused < sizeof(st->args))
			aused += (size_t)snprintf(st->args + aused, sizeof(st->args) - aused,
						  "%s%u=%u", st->args[aused - 1] == '=' ? "" : ",",
						  i, want[i]);
	}
	if (used < sizeof(st->what))
		snprintf(st->what + used, sizeof(st->what) - used, " on port %u",
			 fp->port);
	ld_users(b, st);
	return 0;
}

static struct cxlsw_qos_control merged_qos(const struct fab_pool *fp,
					   const struct cxlsw_qos_control *now)
{
	struct cxlsw_qos_control q = *now;
	const struct cxlsw_qos_control *f = &fp->qos;

	for (int i = 0; i < QOS_FIELD_COUNT; i++)
		if (fp->qos_fields & FAB_QOS_FIELD(i))
			qos_field_set(&q, (enum qos_field)i,
				      qos_field_get(f, (enum qos_field)i));
	return q;
}

static bool same_qos(const struct cxlsw_qos_control *a,
		     const struct cxlsw_qos_control *b)
{
	return a->telemetry_control == b->telemetry_control &&
	       a->egress_moderate_percent == b->egress_moderate_percent &&
	       a->egress_severe_percent == b->egress_severe_percent &&
	       a->backpressure_sample_interval == b->backpressure_sample_interval &&
	       a->req_cmpl_basis == b->req_cmpl_basis &&
	       a->completion_collection_interval == b->completion_collection_interval;
}

static int qos_step(struct builder *b, const struct fab_pool *fp,
		    const struct cxlsw_snapshot_pool *sp)
{
	struct cxlsw_qos_control want = merged_qos(fp, &sp->qos);
	const struct cxlsw_qos_control *o = &sp->qos;
	struct fab_step *st;

	if (!fp->qos_fields || same_qos(&want, o))
		return 0;
	st = add_step(b, FAB_QOS_CONTROL, fp->key);
	if (!st)
		return -ENOMEM;
	st->cmd = "qos";
	st->opcode = CXLSW_OP_SET_QOS_CONTROL;
	st->port = st->pool = (int)fp->port;
	st->qos_before = *o;
	st->qos_after = want;
	snprintf(st->what, sizeof(st->what),
		 "sets the QoS control of the device on port %u: telemetry 0x%x -> 0x%x, egress moderate %u%% -> %u%%, severe %u%% -> %u%%, sample interval %u -> %u, req-cmpl basis %u -> %u, collection interval %u -> %u",
		 fp->port, o->telemetry_control, want.telemetry_control,
		 o->egress_moderate_percent, want.egress_moderate_percent,
		 o->egress_severe_percent, want.egress_severe_percent,
		 o->backpressure_sample_interval, want.backpressure_sample_interval,
		 o->req_cmpl_basis, want.req_cmpl_basis,
		 o->completion_collection_interval, want.completion_collection_interval);
	describe_users(&b->st, fp->port, CXLSW_WHOLE_PORT, st->whom,
		       sizeof(st->whom));
	snprintf(st->args, sizeof(st->args),
		 "port=%u telemetry=0x%x moderate=%u severe=%u sample=%u basis=%u collection=%u",
		 fp->port, want.telemetry_control, want.egress_moderate_percent,
		 want.egress_severe_percent, want.backpressure_sample_interval,
		 want.req_cmpl_basis, want.completion_collection_interval);
	return 0;
}

static int pool_steps(struct builder *b, const struct fab_switch *d,
		      const char *sw, char *err, size_t len)
{
	struct cxlsw_ld_alloc *want = calloc(CXLSW_MAX_LDS, sizeof(*want)),
			      *sim = calloc(CXLSW_MAX_LDS, sizeof(*sim));
	uint8_t bw[CXLSW_MAX_LDS], limit[CXLSW_MAX_LDS];
	int rc = want && sim ? 0 : -ENOMEM;

	for (size_t i = 0; i < d->npools && !rc; i++) {
		const struct fab_pool *fp = &d->pools[i];
		const struct cxlsw_snapshot_pool *sp;

		rc = check_pool(fp, b->s, sw, &sp, err, len);
		if (!rc)
			rc = pool_target(fp, sp, want, bw, limit, err, len);
		if (rc)
			break;
		memcpy(sim, sp->alloc.lds, CXLSW_MAX_LDS * sizeof(*sim));
		rc = ld_step(b, fp, sp, FAB_LD_SHRINK, sim, want);
		if (!rc)
			rc = ld_step(b, fp, sp, FAB_LD_GROW, sim, want);
		if (!rc)
			rc = qos_step(b, fp, sp);
		if (!rc && sp->has_qos_bw)
			rc = bw_step(b, fp, sp, FAB_QOS_ALLOC_BW, sp->bw_alloc, bw);
		if (!rc && sp->has_qos_bw)
			rc = bw_step(b, fp, sp, FAB_QOS_BW_LIMIT, sp->bw_limit, limit);
		if (rc == -ENOMEM)
			fail(err, len, fp->key, "out of memory");
	}
	free(want);
	free(sim);
	return rc ? -1 : 0;
}

static int port_steps(struct builder *b, const struct fab_switch *d,
		      const char *sw, char *err, size_t len)
{
	for (size_t i = 0; i < d->nports; i++) {
		const struct fab_port *fp = &d->ports[i];
		const struct cxlsw_port_state *p = cxlsw_snapshot_port(b->s, fp->port);
		struct fab_step *st;
		char pdesc[96], users[256];

		if (!p)
			return fail(err, len, fp->key, "port %u does not exist on %s",
				    fp->port, sw);
		if (p->config_state != CXLSW_PORT_DSP)
			return fail(err, len, fp->key,
				    "port %u is not a downstream port: only those are held in reset",
				    fp->port);
		if (cxlsw_snapshot_port_in_reset(p) == fp->reset)
			continue;
		st = add_step(b, fp->reset ? FAB_RESET_ASSERT : FAB_RESET_RELEASE,
			      fp->key);
		if (!st)
			return fail(err, len, fp->key, "out of memory");
		st->cmd = "port-control";
		st->opcode = CXLSW_OP_PORT_CONTROL;
		st->port = (int)fp->port;
		describe_port(fp->port, p, CXLSW_WHOLE_PORT, pdesc, sizeof(pdesc));
		snprintf(st->what, sizeof(st->what), fp->reset ?
			 "asserts PERST# on %s: holds it in reset, its link goes down" :
			 "deasserts PERST# on %s: releases it from reset, its link trains",
			 pdesc);
		describe_users(&b->st, fp->port, CXLSW_WHOLE_PORT, users, sizeof(users));
		snprintf(st->whom, sizeof(st->whom), "%s", users);
		snprintf(st->args, sizeof(st->args), "port=%u op=%s", fp->port,
			 cxlsw_port_op_name(fp->reset ? CXLSW_PORT_ASSERT_PERST :
					    CXLSW_PORT_DEASSERT_PERST));
	}
	return 0;
}

static bool is_dc(const struct fab_step *st)
{
	return st->kind == FAB_DC_RELEASE || st->kind == FAB_DC_ADD;
}

/* The extents of a host within a region, highest address first. */
static int by_dpa_down(const void *a, const void *b)
{
	const struct cxlsw_dc_extent *x = a, *y = b;

	return x->start_dpa < y->start_dpa ? 1 : x->start_dpa > y->start_dpa ? -1 : 0;
}

static bool in_region(const struct cxlsw_dc_region *r,
		      const struct cxlsw_dc_extent *e)
{
	return e->start_dpa >= r->base && e->start_dpa - r->base < r->decode_length;
}

/*
 * A release takes back the top of the host's highest extents in the
 * region, whole blocks, named one by one (prescriptive removal), so that
 * its undo can offer exactly those ranges again.
 */
static int dc_release_ranges(struct fab_step *st,
			     const struct cxlsw_snapshot_dcd *d,
			     const struct fab_dc *e, char *err, size_t len)
{
	const struct cxlsw_dc_extent_list *l = &d->hosts[e->host];
	const struct cxlsw_dc_region *r = &d->regions.region[e->region];
	struct cxlsw_dc_extent *sorted = calloc(l->count + 1, sizeof(*sorted));
	uint64_t left = st->dc_before - st->dc_after;
	uint32_t n = 0;

	if (!sorted)
		return fail(err, len, e->key, "out of memory");
	for (uint32_t i = 0; i < l->count; i++)
		if (in_region(r, &l->extents[i]))
			sorted[n++] = l->extents[i];
	qsort(sorted, n, sizeof(*sorted), by_dpa_down);
	for (uint32_t i = 0; i < n && left; i++) {
		uint64_t take = sorted[i].length < left ? sorted[i].length : left;
		struct cxlsw_dc_extent *x;

		if (st->ndc_ext == FAB_DC_EXTENTS) {
			free(sorted);
			return fail(err, len, e->key,
				    "releasing takes more than %d extents: release in several files",
				    FAB_DC_EXTENTS);
		}
		x = &st->dc_ext[st->ndc_ext++];
		*x = sorted[i];
		x->start_dpa = sorted[i].start_dpa + sorted[i].length - take;
		x->length = take;
		left -= take;
	}
	free(sorted);
	return 0;
}

static int dc_steps(struct builder *b, const struct fab_switch *d,
		    const char *sw, char *err, size_t len)
{
	for (size_t i = 0; i < d->ndc; i++) {
		const struct fab_dc *e = &d->dc[i];
		const struct cxlsw_snapshot_dcd *dcd = cxlsw_snapshot_dcd(b->s, e->port);
		const struct cxlsw_dc_region *r;
		struct fab_step *st;
		uint64_t held;
		char want[32], have[32], blk[32];

		if (!cxlsw_snapshot_port(b->s, e->port))
			return fail(err, len, e->key, "port %u does not exist on %s",
				    e->port, sw);
		if (!dcd)
			return fail(err, len, e->key,
				    "port %u holds no dynamic capacity device that answers",
				    e->port);
		if (e->host >= dcd->nhosts)
			return fail(err, len, e->key,
				    "the DCD on port %u has %zu hosts: there is no host %u",
				    e->port, dcd->nhosts, e->host);
		if (e->region >= dcd->regions.have)
			return fail(err, len, e->key,
				    "the DCD on port %u has %u regions: there is no region %u",
				    e->port, dcd->regions.have, e->region);
		r = &dcd->regions.region[e->region];
		if (!r->block_size || e->size % r->block_size) {
			format_size(e->size, want, sizeof(want));
			format_size(r->block_size, blk, sizeof(blk));
			return fail(err, len, e->key,
				    "size: %s is not a multiple of region %u's block size %s",
				    want, e->region, blk);
		}
		if (e->size > r->length) {
			format_size(e->size, want, sizeof(want));
			format_size(r->length, have, sizeof(have));
			return fail(err, len, e->key,
				    "size: %s is more than region %u's %s",
				    want, e->region, have);
		}
		held = cxlsw_snapshot_dc_held(dcd, e->host, e->region);
		if (held == e->size)
			continue;
		st = add_step(b, held > e->size ? FAB_DC_RELEASE : FAB_DC_ADD,
			      e->key);
		if (!st)
			return fail(err, len, e->key, "out of memory");
		st->pool = st->port = (int)e->port;
		st->dc_host = (uint16_t)e->host;
		st->dc_region = (uint8_t)e->region;
		st->dc_before = held;
		st->dc_after = e->size;
		format_size(held, have, sizeof(have));
		format_size(e->size, want, sizeof(want));
		if (st->kind == FAB_DC_RELEASE) {
			if (!(dcd->info.removal_policies & (1u << CXLSW_DC_REM_PRESCRIPTIVE)))
				return fail(err, len, e->key,
					    "the DCD on port %u cannot release named extents (no prescriptive removal)",
					    e->port);
			if (dc_release_ranges(st, dcd, e, err, len))
				return -1;
			st->cmd = "dc-release";
			st->opcode = CXLSW_OP_DC_RELEASE;
		} else {
			const struct cxlsw_dc_extent_list *l = &dcd->hosts[e->host];

			if (l->count > FAB_DC_PREV)
				return fail(err, len, e->key,
					    "host %u holds more than %d extents", e->host,
					    FAB_DC_PREV);
			memcpy(st->dc_prev, l->extents, l->count * sizeof(*l->extents));
			st->ndc_prev = l->count;
			st->cmd = "dc-add";
			st->opcode = CXLSW_OP_DC_ADD;
		}
		snprintf(st->what, sizeof(st->what),
			 "%s host %u's dynamic capacity in region %u of the DCD on port %u: %s -> %s",
			 st->kind == FAB_DC_ADD ? "adds to" : "takes back from",
			 e->host, e->region, e->port, have, want);
		format_size(held > e->size ? held - e->size : e->size - held,
			    want, sizeof(want));
		snprintf(st->whom, sizeof(st->whom),
			 "host %u of the DCD on port %u %s %s", e->host, e->port,
			 st->kind == FAB_DC_ADD ? "is offered" : "gives back", want);
		snprintf(st->args, sizeof(st->args), "port=%u host=%u region=%u size=%llu",
			 e->port, e->host, e->region, (unsigned long long)e->size);
	}
	return 0;
}

static int by_kind(const void *a, const void *b)
{
	const struct fab_step *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	/* stable: the order they were made in */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* FNV-1a 64 of the switch and every step's arguments. */
static void plan_id(struct fab_plan *p)
{
	uint64_t h = 0xcbf29ce484222325ull;
	const char *parts[] = { p->sw, NULL };

	for (size_t i = 0; i <= p->nsteps; i++) {
		const char *t = i ? p->steps[i - 1].args : parts[0];

		for (; *t; t++)
			h = (h ^ (uint8_t)*t) * 0x100000001b3ull;
		h = (h ^ 0xff) * 0x100000001b3ull;
	}
	snprintf(p->id, sizeof(p->id), "%016llx", (unsigned long long)h);
}

int fab_plan_make(const struct fab_switch *d, const struct cxlsw_snapshot *s,
		  size_t (*pool_limit)(void *ctx, unsigned int port), void *ctx,
		  struct fab_plan *p, char *err, size_t errlen)
{
	struct builder b = { .p = p, .s = s, .st = view(s) };
	struct cxlsw_vcs_info *after_unbind = NULL;
	const char *sw = p->sw;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->sw = sw;
	for (size_t i = 0; i < d->nvppbs && !rc; i++)
		rc = check_vppb(&d->vppbs[i], s, d->name, err, errlen);
	if (!rc)
		rc = check_conflicts(d, s, err, errlen);
	if (!rc && vppb_steps(&b, d))
		rc = fail(err, errlen, d->key, "out of memory");
	/*
	 * The steps after the unbinds and before the binds find those
	 * vPPBs unbound: whom they affect is told from that state.
	 */
	if (!rc && s->nvcs) {
		after_unbind = calloc(s->nvcs, sizeof(*after_unbind));
		if (!after_unbind)
			rc = fail(err, errlen, d->key, "out of memory");
	}
	if (after_unbind) {
		size_t pos[CXLSW_MAX_VCSS];

		memcpy(after_unbind, s->vcs, s->nvcs * sizeof(*after_unbind));
		for (size_t v = 0; v < s->nvcs; v++)
			pos[s->vcs[v].vcs_id] = v;
		/* the steps so far are the vPPBs' own, on VCSs the snapshot has */
		for (size_t i = 0; i < p->nsteps; i++)
			if (p->steps[i].kind == FAB_UNBIND)
				after_unbind[pos[p->steps[i].vcs]].vppbs[p->steps[i].vppb] =
					p->steps[i].vppb_after;
		b.st.vcs = after_unbind;
	}
	/* who uses a port, told per step, is looked up, not scanned for */
	if (!rc && state_index(&b.st))
		rc = fail(err, errlen, d->key, "out of memory");
	if (!rc)
		rc = pool_steps(&b, d, d->name, err, errlen);
	if (!rc)
		rc = port_steps(&b, d, d->name, err, errlen);
	if (!rc)
		rc = dc_steps(&b, d, d->name, err, errlen);
	free(after_unbind);
	free(b.st.bound);
	if (rc) {
		fab_plan_free(p);
		return -1;
	}
	if (p->nsteps)
		qsort(p->steps, p->nsteps, sizeof(*p->steps), by_kind);
	for (size_t i = 0; i < p->nsteps; i++) {
		struct fab_step *st = &p->steps[i];
		size_t limit = st->pool < 0 ? 4096 :
			       fab_step_fits_sure(st) ? FAB_SURE_LIMIT :
			       pool_limit(ctx, (unsigned int)st->pool);

		if (fab_step_request(st, s, false, limit, 0, st->req,
				     sizeof(st->req), &st->req_len))
			st->req_len = 0;
	}
	plan_id(p);
	return 0;
}

bool fab_step_fits_sure(const struct fab_step *st)
{
	unsigned int span = st->last + 1 - st->first;

	switch (st->kind) {
	case FAB_LD_SHRINK:
	case FAB_LD_GROW:
		return span <= cxlsw_ld_alloc_per_request(FAB_SURE_LIMIT);
	case FAB_QOS_ALLOC_BW:
	case FAB_QOS_BW_LIMIT:
		return span <= cxlsw_qos_bw_per_msg(FAB_SURE_LIMIT);
	default:
		return true;	/* one request of its own size */
	}
}

void fab_plan_free(struct fab_plan *p)
{
	free(p->steps);
	p->steps = NULL;
	p->nsteps = 0;
}

/* ---- requests, checks and read-backs ------------------------------------- */

/*
 * An add offers capacity the device picks (free selection); its undo
 * takes back, by name, the extents the host holds now and did not before.
 * A release names its ranges; its undo offers those ranges again
 * (prescriptive selection), with their tags.
 */
static int dc_request(const struct fab_step *st, const struct cxlsw_snapshot *s,
		      bool undo, uint8_t *buf, size_t cap, size_t *len)
{
	const struct cxlsw_snapshot_dcd *d = cxlsw_snapshot_dcd(s, (unsigned int)st->pool);
	struct cxlsw_dc_extent ext[FAB_DC_EXTENTS];
	struct cxlsw_dc_change c = {
		.host_id = st->dc_host,
		.region = st->dc_region,
	};
	bool add = (st->kind == FAB_DC_ADD) != undo;

	if (!d || st->dc_host >= d->nhosts)
		return -ENODEV;
	if (st->kind == FAB_DC_RELEASE) {
		c.nr_extents = st->ndc_ext;
		c.extents = st->dc_ext;
		for (uint32_t i = 0; i < st->ndc_ext; i++)
			c.length += st->dc_ext[i].length;
		c.policy = add ? CXLSW_DC_SEL_PRESCRIPTIVE :
			   CXLSW_DC_REM_PRESCRIPTIVE;
	} else if (!undo) {
		c.policy = CXLSW_DC_SEL_FREE;
		c.length = st->dc_after - st->dc_before;
	} else {
		const struct cxlsw_dc_extent_list *l = &d->hosts[st->dc_host];

		for (uint32_t i = 0; i < l->count; i++) {
			bool old = false;

			for (uint32_t k = 0; k < st->ndc_prev && !old; k++)
				old = st->dc_prev[k].start_dpa == l->extents[i].start_dpa &&
				      st->dc_prev[k].length == l->extents[i].length;
			if (old)
				continue;
			if (c.nr_extents == FAB_DC_EXTENTS)
				return -E2BIG;
			ext[c.nr_extents++] = l->extents[i];
			c.length += l->extents[i].length;
		}
		if (!c.nr_extents)
			return -ENOENT;
		c.extents = ext;
		c.policy = CXLSW_DC_REM_PRESCRIPTIVE;
	}
	return add ? cxlsw_dc_add_encode(&c, buf, cap, len) :
		     cxlsw_dc_release_encode(&c, buf, cap, len);
}

int fab_step_request(const struct fab_step *st, const struct cxlsw_snapshot *s,
		     bool undo, size_t limit, unsigned int n, uint8_t *buf,
		     size_t cap, size_t *len)
{
	const struct cxlsw_snapshot_pool *sp = st->pool >= 0 && !is_dc(st) ?
		cxlsw_snapshot_pool(s, (unsigned int)st->pool) : NULL;
	bool forward = !undo;
	size_t per;
	unsigned int start, count;

	if (st->pool >= 0 && !is_dc(st) && (!sp || !sp->reachable))
		return -ENODEV;
	if (st->kind != FAB_LD_SHRINK && st->kind != FAB_LD_GROW &&
	    st->kind != FAB_QOS_ALLOC_BW && st->kind != FAB_QOS_BW_LIMIT && n)
		return -ENOENT;
	if (is_dc(st))
		return dc_request(st, s, undo, buf, cap, len);
	switch (st->kind) {
	case FAB_UNBIND:
	case FAB_BIND: {
		bool bind = (st->kind == FAB_BIND) == forward;
		const struct cxlsw_vppb *e = forward ? &st->vppb_after :
					     &st->vppb_before;

		if (!bind) {
			*len = CXLSW_UNBIND_LEN;
			return cxlsw_unbind_encode(st->vcs, st->vppb,
						   CXLSW_UNBIND_WAIT, buf, cap);
		}
		*len = CXLSW_BIND_LEN;
		return cxlsw_bind_encode(st->vcs, st->vppb, e->port_id,
					 e->binding_status == CXLSW_VPPB_BOUND_LD ?
					 e->ld_id : CXLSW_WHOLE_PORT, buf, cap);
	}
	case FAB_RESET_ASSERT:
	case FAB_RESET_RELEASE:
		*len = CXLSW_PORT_CONTROL_LEN;
		return cxlsw_port_control_encode((uint8_t)st->port,
						 (st->kind == FAB_RESET_ASSERT) == forward ?
						 CXLSW_PORT_ASSERT_PERST :
						 CXLSW_PORT_DEASSERT_PERST, buf, cap);
	case FAB_QOS_CONTROL:
		*len = CXLSW_QOS_CONTROL_LEN;
		return cxlsw_qos_control_encode(forward ? &st->qos_after :
						&st->qos_before, buf, cap);
	case FAB_LD_SHRINK:
	case FAB_LD_GROW: {
		struct cxlsw_ld_alloc_list *l = malloc(sizeof(*l));
		int rc;

		if (!l)
			return -ENOMEM;
		*l = sp->alloc;
		for (unsigned int i = st->first; i <= st->last; i++)
			if (st->touched[i])
				l->lds[i] = forward ? st->ld_after[i] : st->ld_before[i];
		per = cxlsw_ld_alloc_per_request(limit);
		start = st->first + n * (unsigned int)per;
		if (!per || start > st->last) {
			free(l);
			return per ? -ENOENT : -EMSGSIZE;
		}
		count = st->last + 1 - start;
		if (count > per)
			count = (unsigned int)per;
		rc = cxlsw_ld_alloc_encode(l, (uint8_t)start, (uint8_t)count, buf,
					   cap, len);
		free(l);
		return rc;
	}
	case FAB_QOS_ALLOC_BW:
	case FAB_QOS_BW_LIMIT: {
		uint8_t f[CXLSW_MAX_LDS];

		memcpy(f, st->kind == FAB_QOS_ALLOC_BW ? sp->bw_alloc :
		       sp->bw_limit, sizeof(f));
		for (unsigned int i = st->first; i <= st->last; i++)
			if (st->touched[i])
				f[i] = forward ? st->bw_after[i] : st->bw_before[i];
		per = cxlsw_qos_bw_per_msg(limit);
		start = st->first + n * (unsigned int)per;
		if (!per || start > st->last)
			return per ? -ENOENT : -EMSGSIZE;
		count = st->last + 1 - start;
		if (count > per)
			count = (unsigned int)per;
		return cxlsw_qos_bw_encode((uint8_t)start, (uint8_t)count, f, buf,
					   cap, len);
	}
	default:
		return -EINVAL;
	}
}

bool fab_step_ready(const struct fab_step *st, const struct cxlsw_snapshot *s,
		    bool undo, char *why, size_t len)
{
	const struct cxlsw_snapshot_pool *sp = st->pool >= 0 && !is_dc(st) ?
		cxlsw_snapshot_pool(s, (unsigned int)st->pool) : NULL;
	char now[64], want[64];

	if (st->pool >= 0 && !is_dc(st) && (!sp || !sp->reachable)) {
		snprintf(why, len, "the device on port %d does not answer", st->pool);
		return false;
	}
	if (is_dc(st)) {
		const struct cxlsw_snapshot_dcd *d = cxlsw_snapshot_dcd(s, (unsigned int)st->pool);
		uint64_t held = d ? cxlsw_snapshot_dc_held(d, st->dc_host, st->dc_region) : 0;

		if (d && held == (undo ? st->dc_after : st->dc_before))
			return true;
		format_size(held, now, sizeof(now));
		format_size(undo ? st->dc_after : st->dc_before, want, sizeof(want));
		snprintf(why, len, "host %u holds %s in region %u of the DCD on port %d, not %s",
			 st->dc_host, d ? now : "nothing known", st->dc_region,
			 st->pool, want);
		return false;
	}
	switch (st->kind) {
	case FAB_UNBIND:
	case FAB_BIND: {
		const struct cxlsw_vcs_info *v = cxlsw_snapshot_vcs(s, st->vcs);
		const struct cxlsw_vppb *w = undo ? &st->vppb_after : &st->vppb_before;

		if (!v || st->vppb >= v->num_vppbs) {
			snprintf(why, len, "VCS %u vPPB %u is gone", st->vcs, st->vppb);
			return false;
		}
		if (same_vppb(&v->vppbs[st->vppb], w))
			return true;
		vppb_text(&v->vppbs[st->vppb], now, sizeof(now));
		vppb_text(w, want, sizeof(want));
		snprintf(why, len, "vPPB %u of VCS %u is %s, not %s", st->vppb,
			 st->vcs, now, want);
		return false;
	}
	case FAB_RESET_ASSERT:
	case FAB_RESET_RELEASE: {
		const struct cxlsw_port_state *p = cxlsw_snapshot_port(s, (unsigned int)st->port);
		bool held = (st->kind == FAB_RESET_ASSERT) == undo;

		if (p && cxlsw_snapshot_port_in_reset(p) == held)
			return true;
		snprintf(why, len, "port %d is %sheld in reset", st->port,
			 p && cxlsw_snapshot_port_in_reset(p) ? "" : "not ");
		return false;
	}
	case FAB_QOS_CONTROL:
		if (sp->has_qos_control &&
		    same_qos(&sp->qos, undo ? &st->qos_after : &st->qos_before))
			return true;
		snprintf(why, len, "the QoS control of port %d is not as planned",
			 st->pool);
		return false;
	case FAB_LD_SHRINK:
	case FAB_LD_GROW:
		for (unsigned int i = st->first; i <= st->last; i++) {
			const struct cxlsw_ld_alloc *w = undo ? &st->ld_after[i] :
							 &st->ld_before[i];

			if (!st->touched[i])
				continue;
			if (i >= sp->alloc.ld_count ||
			    sp->alloc.lds[i].range1 != w->range1 ||
			    sp->alloc.lds[i].range2 != w->range2) {
				snprintf(why, len, "LD %u of port %d does not hold the planned allocation",
					 i, st->pool);
				return false;
			}
		}
		return true;
	case FAB_QOS_ALLOC_BW:
	case FAB_QOS_BW_LIMIT: {
		const uint8_t *f = st->kind == FAB_QOS_ALLOC_BW ? sp->bw_alloc :
				   sp->bw_limit;

		for (unsigned int i = st->first; i <= st->last; i++)
			if (st->touched[i] && (!sp->has_qos_bw ||
			    f[i] != (undo ? st->bw_after[i] : st->bw_before[i]))) {
				snprintf(why, len, "the bandwidth of LD %u of port %d is not as planned",
					 i, st->pool);
				return false;
			}
		return true;
	}
	default:
		snprintf(why, len, "unknown step");
		return false;
	}
}

/*
 * A step's state is what its file key names (a step is made only from a
 * key), so what the file names is all a step can change, all a step's
 * check and request read (an LD or bandwidth request carries the pool's
 * current list, a DC undo the host's extents), and all the final check
 * compares.  A pool named with nothing asked of it is read for its
 * allocations: the final check still wants it to answer.
 */
void fab_scope(const struct fab_switch *d, struct cxlsw_snapshot_scope *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->vcss = d->nvppbs > 0;
	for (size_t i = 0; i < d->npools; i++) {
		const struct fab_pool *fp = &d->pools[i];
		uint8_t *w = &sc->port[fp->port];

		if (fp->qos_fields)
			*w |= CXLSW_SNAP_QOS_CONTROL;
		for (size_t j = 0; j < fp->nlds; j++) {
			const struct fab_ld *l = &fp->lds[j];

			if (l->has_range1 || l->has_range2)
				*w |= CXLSW_SNAP_LD_ALLOC;
			if (l->has_bw)
				*w |= CXLSW_SNAP_BW_ALLOC;
			if (l->has_limit)
				*w |= CXLSW_SNAP_BW_LIMIT;
		}
		if (!*w)
			*w = CXLSW_SNAP_LD_ALLOC;
	}
	for (size_t i = 0; i < d->ndc; i++)
		sc->port[d->dc[i].port] |= CXLSW_SNAP_DC_EXTENTS;
}

/* The first thing s holds that d does not want; true when none. */
bool fab_matches(const struct fab_switch *d, const struct cxlsw_snapshot *s,
		 char *diff, size_t len)
{
	char now[64], want[64];

	for (size_t i = 0; i < d->nvppbs; i++) {
		const struct fab_vppb *e = &d->vppbs[i];
		const struct cxlsw_vcs_info *v = cxlsw_snapshot_vcs(s, e->vcs);
		struct cxlsw_vppb w = wanted_vppb(e);

		if (v && e->vppb < v->num_vppbs && same_vppb(&v->vppbs[e->vppb], &w))
			continue;
		vppb_text(&w, want, sizeof(want));
		if (v && e->vppb < v->num_vppbs)
			vppb_text(&v->vppbs[e->vppb], now, sizeof(now));
		else
			snprintf(now, sizeof(now), "missing");
		snprintf(diff, len, "%s: vPPB %u of VCS %u is %s, not %s", e->key,
			 e->vppb, e->vcs, now, want);
		return false;
	}
	for (size_t i = 0; i < d->npools; i++) {
		const struct fab_pool *fp = &d->pools[i];
		const struct cxlsw_snapshot_pool *sp = cxlsw_snapshot_pool(s, fp->port);
		uint64_t gran;

		if (!sp || !sp->reachable) {
			snprintf(diff, len, "%s: the device on port %u does not answer",
				 fp->key, fp->port);
			return false;
		}
		gran = cxlsw_ld_granularity_bytes(sp->alloc.granularity);
		if (fp->qos_fields) {
			struct cxlsw_qos_control q = merged_qos(fp, &sp->qos);

			if (!sp->has_qos_control || !same_qos(&q, &sp->qos)) {
				snprintf(diff, len, "%s.qos_control: not as asked", fp->key);
				return false;
			}
		}
		for (size_t j = 0; j < fp->nlds; j++) {
			const struct fab_ld *l = &fp->lds[j];
			const struct cxlsw_ld_alloc *a;

			if (l->ld >= sp->alloc.ld_count) {
				snprintf(diff, len, "%s: no LD %u", l->key, l->ld);
				return false;
			}
			a = &sp->alloc.lds[l->ld];
			if ((l->has_range1 && a->range1 * gran != l->range1) ||
			    (l->has_range2 && a->range2 * gran != l->range2)) {
				format_size((a->range1 + a->range2) * gran, now, sizeof(now));
				snprintf(diff, len, "%s: LD %u of port %u holds %s, not as asked",
					 l->key, l->ld, fp->port, now);
				return false;
			}
			if ((l->has_bw && (!sp->has_qos_bw || sp->bw_alloc[l->ld] != l->bw)) ||
			    (l->has_limit && (!sp->has_qos_bw || sp->bw_limit[l->ld] != l->limit))) {
				snprintf(diff, len, "%s: the bandwidth of LD %u of port %u is not as asked",
					 l->key, l->ld, fp->port);
				return false;
			}
		}
	}
	for (size_t i = 0; i < d->ndc; i++) {
		const struct fab_dc *e = &d->dc[i];
		const struct cxlsw_snapshot_dcd *dcd = cxlsw_snapshot_dcd(s, e->port);
		uint64_t held = dcd ? cxlsw_snapshot_dc_held(dcd, e->host, e->region) : 0;

		if (dcd && held == e->size)
			continue;
		format_size(held, now, sizeof(now));
		snprintf(diff, len, "%s: host %u holds %s in region %u of the DCD on port %u, not as asked",
			 e->key, e->host, dcd ? now : "nothing known", e->region, e->port);
		return false;
	}
	for (size_t i = 0; i < d->nports; i++) {
		const struct fab_port *fp = &d->ports[i];
		const struct cxlsw_port_state *p = cxlsw_snapshot_port(s, fp->port);

		if (p && cxlsw_snapshot_port_in_reset(p) == fp->reset)
			continue;
		snprintf(diff, len, "%s: port %u is %sheld in reset", fp->key,
			 fp->port, p && cxlsw_snapshot_port_in_reset(p) ? "" : "not ");
		return false;
	}
	return true;
}

static void hex_of(const uint8_t *p, size_t n, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 3 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%02x", p[i]);
}

struct json_object *fab_step_json(const struct fab_step *st, unsigned int n)
{
	const struct cxlsw_command *cmd = cxlsw_catalog_find(st->opcode);
	struct json_object *o = json_object_new_object();
	char hex[2 * sizeof(st->req) + 1], target[32];

	hex_of(st->req, st->req_len, hex, sizeof(hex));
	json_add(o, "step", json_int(n));
	json_add(o, "kind", json_word(fab_step_kind_name(st->kind)));
	json_add(o, "command", json_word(st->cmd));
	json_add(o, "opcode", json_hex(st->opcode, 4));
	json_add(o, "name", json_word(cmd ? cmd->name : "?"));
	if (st->pool >= 0) {
		snprintf(target, sizeof(target), "port %d", st->pool);
		json_add(o, "target", json_object_new_string(target));
	} else {
		json_add(o, "target", json_word("switch"));
	}
	json_add(o, "effect_class", json_word(cmd ? cxlsw_effect_name(
		 cxlsw_request_effect(cmd, st->req, st->req_len)) : "?"));
	json_add(o, "request", json_object_new_string(hex));
	json_add(o, "effect", json_object_new_string(st->what));
	json_add(o, "affects", json_object_new_string(st->whom));
	json_add(o, "key", json_object_new_string(st->key));
	json_add(o, "status", json_word(st->refused ? "refused" : "planned"));
	if (st->refused)
		json_add(o, "refused", json_object_new_string(st->why));
	return o;
}
