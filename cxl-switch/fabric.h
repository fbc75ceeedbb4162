/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fabric as code: a desired-state file (fabric-file.c), the plan that
 * takes a switch from its snapshot to it (fabric-plan.c), and the export,
 * plan and apply commands (cmd-fabric.c).  The file's format is
 * man/cxl-switch-fabric.schema.json.
 */
#ifndef CXLSW_FABRIC_H
#define CXLSW_FABRIC_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "cxlswitch.h"

#define FAB_VERSION	1
#define FAB_KEY_LEN	128
#define FAB_DC_EXTENTS	16	/* ranges one release or its undo names */
#define FAB_DC_PREV	64	/* extents a host holds before an add */

/* ---- the desired state, as the file says it ------------------------------ */

struct fab_vppb {
	unsigned int vcs, vppb;
	bool bound;			/* false: the file says unbound */
	unsigned int port;
	unsigned int ld;		/* CXLSW_WHOLE_PORT: the whole port */
	char key[FAB_KEY_LEN];		/* "switches[0].vcss[1].vppbs[2]" */
	unsigned int line;		/* of the file, where the entry starts */
};

/* Which QoS control fields the file sets: a bit per enum qos_field. */
#define FAB_QOS_FIELD(f)	(1u << (f))

struct fab_ld {
	unsigned int ld;
	bool has_range1, has_range2, has_bw, has_limit;
	uint64_t range1, range2;	/* bytes */
	uint8_t bw, limit;		/* fractions n/256 */
	char key[FAB_KEY_LEN];
	unsigned int line;
};

struct fab_pool {
	unsigned int port;
	size_t nlds;
	struct fab_ld *lds;
	unsigned int qos_fields;	/* FAB_QOS_FIELD(enum qos_field) bits */
	struct cxlsw_qos_control qos;
	char key[FAB_KEY_LEN];
	unsigned int line;
};

struct fab_port {
	unsigned int port;
	bool reset;			/* held in reset (PERST# asserted) */
	char key[FAB_KEY_LEN];
	unsigned int line;
};

/* The capacity a host of a DCD holds in one region: its extents there. */
struct fab_dc {
	unsigned int port, host, region;
	uint64_t size;			/* bytes */
	char key[FAB_KEY_LEN];
	unsigned int line;
};

struct fab_switch {
	char *name;
	size_t nvppbs;
	struct fab_vppb *vppbs;
	size_t npools;
	struct fab_pool *pools;
	size_t nports;
	struct fab_port *ports;
	size_t ndc;
	struct fab_dc *dc;
	char key[FAB_KEY_LEN];		/* "switches[0]" */
	unsigned int line;
};

struct fab_file {
	size_t nsw;
	struct fab_switch *sw;
};

/*
 * Parse a desired-state file's text.  0, or -1 with err holding
 * "line L: KEY: what is wrong" (L the line of what KEY names), "line L,
 * column C: ..." for JSON syntax, or "(file): ..." for a NUL byte.
 */
int fab_parse(const char *text, size_t len, struct fab_file *f, char *err,
	      size_t errlen);
void fab_file_free(struct fab_file *f);
/* The line where sw's entry at key path ("switches[0].pools[1]") starts; 0 if none. */
unsigned int fab_key_line(const struct fab_switch *sw, const char *key);
/* One switch's current state in the file's format (a "switches" entry). */
void fab_export_write(struct jw *w, const char *name,
		      const struct cxlsw_snapshot *s);

/* ---- the plan ------------------------------------------------------------ */

/* Step kinds, in the order a plan runs them. */
enum fab_step_kind {
	FAB_UNBIND,		/* unbind before anything shrinks */
	FAB_RESET_ASSERT,
	FAB_DC_RELEASE,		/* dynamic capacity taken back first */
	FAB_LD_SHRINK,		/* shrink before growing: frees memory */
	FAB_LD_GROW,		/* grow before binding */
	FAB_DC_ADD,
	FAB_QOS_CONTROL,
	FAB_QOS_ALLOC_BW,
	FAB_QOS_BW_LIMIT,
	FAB_RESET_RELEASE,	/* a port out of reset before it is bound */
	FAB_BIND,
	FAB_STEP_KINDS,
};

struct fab_step {
	enum fab_step_kind kind;
	unsigned int seq;		/* made n-th: the order within a kind */
	uint16_t opcode;
	const char *cmd;		/* the single command it equals: "bind" */
	int port;			/* the physical port touched, -1 none */
	int pool;			/* the MLD port it is tunnelled to, or -1 */
	uint8_t vcs, vppb;
	struct cxlsw_vppb vppb_before, vppb_after;
	unsigned int first, last;	/* LDs a pool step covers */
	uint8_t granularity;
	struct cxlsw_ld_alloc ld_before[CXLSW_MAX_LDS], ld_after[CXLSW_MAX_LDS];
	bool touched[CXLSW_MAX_LDS];
	uint8_t bw_before[CXLSW_MAX_LDS], bw_after[CXLSW_MAX_LDS];
	struct cxlsw_qos_control qos_before, qos_after;
	/* dynamic capacity: host, region, bytes held before and after */
	uint16_t dc_host;
	uint8_t dc_region;
	uint64_t dc_before, dc_after;
	uint32_t ndc_ext;		/* a release: the ranges it takes back */
	struct cxlsw_dc_extent dc_ext[FAB_DC_EXTENTS];
	uint32_t ndc_prev;		/* an add: the extents held before */
	struct cxlsw_dc_extent dc_prev[FAB_DC_PREV];
	uint8_t req[1024];		/* the first request, as planned */
	size_t req_len;
	char what[320], whom[320], args[1024];
	const char *key;		/* the file's key that asks for it */
	bool refused;
	char why[256];
};

struct fab_plan {
	const char *sw;
	size_t nsteps;
	struct fab_step *steps;
	char id[17];			/* 16 hex digits from the steps */
	size_t refused;
};

/*
 * The steps from snapshot s to the desired state d, ordered; checks the
 * file against the switch (conflicts, capacity) first.  pool_limit(port)
 * is the largest request the MLD on that port takes (0: unknown).
 * 0, or -1 with err "KEY: why".
 */
int fab_plan_make(const struct fab_switch *d, const struct cxlsw_snapshot *s,
		  size_t (*pool_limit)(void *ctx, unsigned int port), void *ctx,
		  struct fab_plan *p, char *err, size_t errlen);
void fab_plan_free(struct fab_plan *p);
/* Does s already hold what d asks?  When not, diff says the first change. */
bool fab_matches(const struct fab_switch *d, const struct cxlsw_snapshot *s,
		 char *diff, size_t len);
/*
 * What apply's reads after the plan's ask again (cxlsw_snapshot_reread):
 * what the file names, the only state a step of its plan changes, needs
 * or the final check compares.
 */
void fab_scope(const struct fab_switch *d, struct cxlsw_snapshot_scope *sc);
/* Is the state the step needs (undo: the state it leaves) still there? */
bool fab_step_ready(const struct fab_step *st, const struct cxlsw_snapshot *s,
		    bool undo, char *why, size_t len);
/*
 * The n-th request of a step (undo: of its reverse), computed from the
 * current snapshot s; 0 with *len set, -ENOENT past the last.
 */
int fab_step_request(const struct fab_step *st, const struct cxlsw_snapshot *s,
		     bool undo, size_t limit, unsigned int n, uint8_t *buf,
		     size_t cap, size_t *len);
/*
 * The largest request every tunnelled device takes without being asked:
 * every CCI takes 256 bytes (r3.1 8.2.9.1.1: Max Message Size is at
 * least 2^8), less the tunnel's headers around it.
 */
#define FAB_SURE_LIMIT	(256 - CXLSW_TUNNEL_OVERHEAD)
/*
 * Does the step take no more requests at FAB_SURE_LIMIT than at any
 * larger limit (one)?  Then its device need not be asked its limit.
 */
bool fab_step_fits_sure(const struct fab_step *st);
const char *fab_step_kind_name(enum fab_step_kind k);
struct json_object *fab_step_json(const struct fab_step *st, unsigned int n);

#endif
