// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the desired-state file of fabric as code (fabric-file.c)
 * and, for a file that parses, its plan (fabric-plan.c) against a made-up
 * switch snapshot: two pooled devices, two VCSs, ports bound and unbound.
 * Every step's requests are encoded both ways and checked against the
 * snapshot, as apply would.
 */
#include <stdlib.h>
#include <string.h>

#include "../../cxl-switch/cli.h"
#include "../../cxl-switch/fabric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cxlsw_snapshot snap;
static struct cxlsw_port_state ports[16];
static struct cxlsw_vcs_info vcs[2];
static struct cxlsw_snapshot_pool pools[2];
static struct cxlsw_snapshot_dcd dcds[1];
static struct cxlsw_dc_extent_list dc_hosts[2];
static struct cxlsw_dc_extent dc_ext[3];

static void make_snapshot(void)
{
	for (unsigned int i = 0; i < 16; i++) {
		ports[i].port_id = (uint8_t)i;
		ports[i].config_state = i < 2 ? CXLSW_PORT_USP : CXLSW_PORT_DSP;
		ports[i].connected_device_type = i == 5 || i == 7 ?
			CXLSW_DEV_TYPE3_MLD : i == 4 ? CXLSW_DEV_TYPE3_SLD :
			CXLSW_DEV_NONE;
		ports[i].supported_ld_count = i == 5 ? 4 : i == 7 ? 16 : 0;
		ports[i].link_flags = i == 9 ? CXLSW_LINK_PERST_ASSERTED : 0;
	}
	for (unsigned int v = 0; v < 2; v++) {
		vcs[v].vcs_id = (uint8_t)v;
		vcs[v].state = CXLSW_VCS_ENABLED;
		vcs[v].usp_id = (uint8_t)v;
		vcs[v].num_vppbs = 8;
		vcs[v].vppbs[0] = (struct cxlsw_vppb){ CXLSW_VPPB_BOUND_LD, 5, (uint8_t)v };
		vcs[v].vppbs[1] = (struct cxlsw_vppb){ CXLSW_VPPB_BOUND_LD, 7, (uint8_t)v };
		vcs[v].vppbs[2] = (struct cxlsw_vppb){ v ? CXLSW_VPPB_IN_PROGRESS :
						      CXLSW_VPPB_BOUND_PORT, 4, 0 };
	}
	for (unsigned int p = 0; p < 2; p++) {
		struct cxlsw_snapshot_pool *sp = &pools[p];

		sp->port_id = p ? 7 : 5;
		sp->reachable = true;
		sp->info.memory_size = (p ? 64ull : 16ull) << 30;
		sp->info.ld_count = p ? 16 : 4;
		sp->alloc.ld_count = (uint8_t)sp->info.ld_count;
		sp->alloc.granularity = (uint8_t)(p ? 2 : 0);
		for (unsigned int l = 0; l < sp->alloc.ld_count; l++) {
			sp->alloc.lds[l].range1 = l % 3;
			sp->bw_alloc[l] = (uint8_t)(16 * l);
			sp->bw_limit[l] = 255;
		}
		sp->has_qos_control = !p;
		sp->has_qos_bw = true;
		sp->qos.egress_moderate_percent = 10;
	}
	snap.nports = 16;
	snap.ports = ports;
	snap.nvcs = 2;
	snap.vcs = vcs;
	snap.npools = 2;
	snap.pools = pools;
	/* a DCD on port 4: two hosts, two regions, three extents */
	dcds[0].port_id = 4;
	dcds[0].info.hosts = 2;
	dcds[0].info.regions = 2;
	dcds[0].info.removal_policies = 3;
	dcds[0].regions.count = dcds[0].regions.have = 2;
	for (unsigned int r = 0; r < 2; r++) {
		dcds[0].regions.region[r].base = (4ull + r) << 30;
		dcds[0].regions.region[r].decode_length = 1ull << 30;
		dcds[0].regions.region[r].length = 1ull << 30;
		dcds[0].regions.region[r].block_size = r ? 256ull << 20 : 2ull << 20;
	}
	dc_ext[0] = (struct cxlsw_dc_extent){ .start_dpa = 4ull << 30, .length = 256ull << 20 };
	dc_ext[1] = (struct cxlsw_dc_extent){ .start_dpa = 5ull << 30, .length = 512ull << 20 };
	dc_ext[2] = (struct cxlsw_dc_extent){ .start_dpa = (4ull << 30) + (512ull << 20), .length = 2ull << 20 };
	dc_hosts[0].count = 2;
	dc_hosts[0].extents = dc_ext;
	dc_hosts[1].host_id = 1;
	dc_hosts[1].count = 1;
	dc_hosts[1].extents = dc_ext + 2;
	dcds[0].nhosts = 2;
	dcds[0].hosts = dc_hosts;
	snap.ndcds = 1;
	snap.dcds = dcds;
}

static size_t limit(void *ctx, unsigned int port)
{
	(void)ctx;
	return port == 7 ? 256 : 2048;	/* port 7's steps take several parts */
}

static void plan(const struct fab_switch *d)
{
	struct fab_plan p = { .sw = "switch0" };
	uint8_t buf[4096];
	char err[512];
	size_t len;

	if (fab_plan_make(d, &snap, limit, NULL, &p, err, sizeof(err))) {
		/* the line of the entry the error names, as the CLI finds it */
		if (strstr(err, ": ")) {
			*strstr(err, ": ") = '\0';
			(void)fab_key_line(d, err);
		}
		return;
	}
	for (size_t i = 0; i < p.nsteps; i++) {
		for (int undo = 0; undo < 2; undo++) {
			for (unsigned int n = 0; n < 64; n++)
				if (fab_step_request(&p.steps[i], &snap, undo,
						     limit(NULL, 7), n, buf,
						     sizeof(buf), &len))
					break;
			(void)fab_step_ready(&p.steps[i], &snap, undo, err,
					     sizeof(err));
		}
		json_object_put(fab_step_json(&p.steps[i], (unsigned int)i + 1));
	}
	(void)fab_matches(d, &snap, err, sizeof(err));
	fab_plan_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fab_file f;
	char err[512];

	if (!snap.nports)
		make_snapshot();
	if (fab_parse((const char *)data, size, &f, err, sizeof(err)))
		return 0;
	for (size_t i = 0; i < f.nsw; i++) {
		(void)fab_key_line(&f.sw[i], "switches[0].pools[0].lds[1]");
		plan(&f.sw[i]);
	}
	fab_file_free(&f);
	json_shared_release();
	return 0;
}
