// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * seed OUTDIR TOPOLOGY...: write the fuzz corpora's seeds, real answers of
 * the emulated switch's model, in the layout each target reads
 * (OUTDIR/TARGET/NAME).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../emulator/topology.h"

static int save(const char *dir, const char *target, const char *name,
		const uint8_t *prefix, size_t plen, const uint8_t *data,
		size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	fwrite(prefix, 1, plen, f);
	fwrite(data, 1, len, f);
	return fclose(f);
}

static int ask(struct model *m, const char *dir, const char *target,
	       const char *name, uint16_t opcode, const uint8_t *in,
	       size_t in_len, const uint8_t *prefix, size_t plen)
{
	const uint8_t *out;
	size_t out_len;

	if (model_handle(m, opcode, in, in_len, &out, &out_len))
		return 0;	/* not a valid answer: no seed */
	return save(dir, target, name, prefix, plen, out, out_len);
}

/* one tunnel level around req[off..off+len): its 16 bytes go before it */
static void wrap(uint8_t *req, size_t off, size_t len, uint8_t id,
		 uint8_t type, uint16_t opcode)
{
	uint8_t *h = req + off - 16;

	memset(h, 0, 16);
	h[0] = id;
	h[1] = type;
	h[2] = (uint8_t)(12 + len);
	h[5] = 0x5a;
	h[7] = (uint8_t)opcode;
	h[8] = (uint8_t)(opcode >> 8);
	h[9] = (uint8_t)len;
}

/*
 * A command for the device behind switch port `port` (tunnel target type
 * `type`: 0 the port's device, 1 its LD pool CCI, which r3.2 Table 7-37
 * puts one level further: {port, 0} wrapping {0xFF, 1}).  The whole
 * 0x5300 answer seeds the tunnel target (prefixed with the request's tag
 * and inner opcode); the innermost payload seeds `target`, when given,
 * behind prefix.
 */
static int ask_tunnel(struct model *m, const char *dir, const char *target,
		      const char *name, uint8_t port, uint8_t type,
		      uint16_t opcode, const uint8_t *in, size_t in_len,
		      const uint8_t *prefix, size_t plen)
{
	size_t levels = type ? 2 : 1, hdr = 16 * levels;
	uint8_t req[2 * 16 + 256];
	uint16_t outer_op = type ? 0x5300 : opcode;
	uint8_t tag_op[3] = { 0x5a, (uint8_t)outer_op,
			      (uint8_t)(outer_op >> 8) };
	char tname[64];
	const uint8_t *out;
	size_t out_len;

	if (in_len > 256)
		return -1;
	if (in_len)
		memcpy(req + hdr, in, in_len);
	wrap(req, hdr, in_len, type ? 0xff : port, type, opcode);
	if (type)
		wrap(req, 16, 16 + in_len, port, 0, 0x5300);
	/*
	 * Every device answer asked for here exists in the default topology;
	 * one that fails means the model changed under the seeder, which
	 * would silently leave a target unseeded.
	 */
	if (model_handle(m, 0x5300, req, hdr + in_len, &out, &out_len) ||
	    out_len < hdr || out[hdr - 4] || out[hdr - 3] ||
	    out[12] || out[13]) {
		fprintf(stderr, "seed: %s: port %u opcode 0x%04x failed\n",
			name, port, opcode);
		return -1;
	}
	snprintf(tname, sizeof(tname), "%s-%04x", name, opcode);
	if (save(dir, "tunnel", tname, tag_op, sizeof(tag_op), out, out_len))
		return -1;
	return target ? save(dir, target, name, prefix, plen, out + hdr,
			     out_len - hdr) : 0;
}

/* Identify, Identify Memory Device and the LD pool of ports 4 to 7. */
static int seed_devices(struct model *m, const char *dir, int k)
{
	uint8_t page[2] = { 0, 8 }, info[2] = { 0, 0 }, alloc[2] = { 1, 0 };
	char name[32];
	int rc = 0;

	for (uint8_t port = 4; port < 8; port++) {
		snprintf(name, sizeof(name), "topology%d-port%u", k, port);
		rc |= ask_tunnel(m, dir, "identify", name, port, 0, 0x0001,
				 NULL, 0, NULL, 0);
		rc |= ask_tunnel(m, dir, "memdev", name, port, 0, 0x4000, NULL,
				 0, NULL, 0);
		if (port == 4)
			continue;	/* a single-logical device */
		snprintf(name, sizeof(name), "topology%d-port%u-info", k, port);
		rc |= ask_tunnel(m, dir, "mld", name, port, 0, 0x5400, NULL, 0,
				 info, sizeof(info));
		snprintf(name, sizeof(name), "topology%d-port%u-alloc", k, port);
		rc |= ask_tunnel(m, dir, "mld", name, port, 0, 0x5401, page,
				 sizeof(page), alloc, sizeof(alloc));
	}
	/* a Type 3 device's event interrupt policy (r3.1 Table 8-37) */
	snprintf(name, sizeof(name), "topology%d-port5", k);
	rc |= ask_tunnel(m, dir, "event-policy", name, 5, 0, 0x0102, NULL, 0,
			 NULL, 0);
	return rc;
}

/*
 * The firmware, event and clock answers, after the switch has something
 * to log: a port reset and a PERST# assert on every DSP, with the clock
 * set, so records carry times.
 */
static int seed_fw_events(struct model *m, const char *dir, int k)
{
	uint8_t ts[8] = { 0x00, 0x00, 0xe1, 0x2e, 0x4a, 0x8c, 0x7a, 0x18 };
	uint8_t log[1] = { 0 };
	const uint8_t *out;
	size_t out_len;
	char name[32];
	int rc = 0;

	snprintf(name, sizeof(name), "topology%d", k);
	rc |= ask(m, dir, "fw-info", name, 0x0200, NULL, 0, NULL, 0);
	/* a switch's MCTP policy; a device's in seed_devices() */
	rc |= ask(m, dir, "event-policy", name, 0x0104, NULL, 0, NULL, 0);
	model_handle(m, 0x0301, ts, sizeof(ts), &out, &out_len);
	rc |= ask(m, dir, "timestamp", name, 0x0300, NULL, 0, NULL, 0);
	rc |= ask(m, dir, "events", "empty", 0x0100, log, 1, NULL, 0);
	for (unsigned int i = 0; i < m->nr_ports; i++) {
		uint8_t ctl[2] = { m->ports[i].port_id, 2 };

		model_handle(m, 0x5102, ctl, 2, &out, &out_len);
		ctl[1] = 0;
		model_handle(m, 0x5102, ctl, 2, &out, &out_len);
	}
	rc |= ask(m, dir, "events", name, 0x0100, log, 1, NULL, 0);
	return rc;
}


static int seed_model(struct model *m, const char *dir, int k)
{
	uint8_t ports[1 + 16] = { 16 }, vcs[3 + 4] = { 0, 8, 4, 0, 1, 2, 3 };
	uint8_t vcs_page[3 + 2] = { 3, 2, 2, 1, 2 };
	char name[32];
	int rc = 0;

	for (int i = 0; i < 16; i++)
		ports[1 + i] = (uint8_t)(i * 2);
	snprintf(name, sizeof(name), "topology%d", k);
	rc |= ask(m, dir, "identify", name, 0x0001, NULL, 0, NULL, 0);
	rc |= ask(m, dir, "bg-status", name, 0x0002, NULL, 0, NULL, 0);
	rc |= ask(m, dir, "response-limit", name, 0x0003, NULL, 0, NULL, 0);
	rc |= ask(m, dir, "switch-info", name, 0x5100, NULL, 0, NULL, 0);
	/* port-state: the count asked for, then the answer */
	rc |= ask(m, dir, "port-state", name, 0x5101, ports, sizeof(ports),
		  ports, 1);
	/* vcs-info: start, limit, count, id-bytes, ids, then the answer */
	{
		uint8_t pre[4 + 4] = { 0, 8, 4, 4, 0, 1, 2, 3 };

		rc |= ask(m, dir, "vcs-info", name, 0x5200, vcs, sizeof(vcs),
			  pre, sizeof(pre));
	}
	{
		uint8_t logreq[24] = { 0x0d, 0xa9, 0xc0, 0xb5, 0xbf, 0x41, 0x4b,
				       0x78, 0x8f, 0x79, 0x96, 0xb1, 0x62, 0x3b,
				       0x3f, 0x17, 0, 0, 0, 0, 64, 0, 0, 0 };
		uint8_t cfg[8] = { 4, 3, 0x40, 0, 0, 0, 0, 0 };
		uint8_t pick[1] = { 1 }, access[3] = { 0, 0x0e, 1 };

		rc |= ask(m, dir, "logs", name, 0x0400, NULL, 0, pick, 1);
		pick[0] = 0;
		snprintf(name, sizeof(name), "topology%d-cel", k);
		rc |= ask(m, dir, "logs", name, 0x0401, logreq, sizeof(logreq),
			  pick, 1);
		rc |= ask(m, dir, "config", name, 0x5103, cfg, sizeof(cfg),
			  access, sizeof(access));
	}
	{
		uint8_t pre[4 + 2] = { 3, 2, 2, 2, 1, 2 };

		snprintf(name, sizeof(name), "topology%d-page", k);
		rc |= ask(m, dir, "vcs-info", name, 0x5200, vcs_page,
			  sizeof(vcs_page), pre, sizeof(pre));
	}
	return rc | seed_fw_events(m, dir, k);
}

/* QoS of the MLD on port 5, heads of the multi-headed device on 20. */
static int seed_qos_mhd(struct model *m, const char *dir, int k)
{
	static const uint8_t bw_req[2] = { 4, 0 }, bw_pre[3] = { 2, 0, 4 };
	static const uint8_t set_req[6] = { 4, 0, 32, 64, 128, 255 };
	static const uint8_t map_req[2] = { 0, 255 }, map_pre[3] = { 0, 0, 255 };
	static const uint8_t head_req[2] = { 0, 2 }, head_pre[2] = { 1, 2 };
	uint8_t pick[1] = { 0 };
	char name[32];
	int rc = 0;

	snprintf(name, sizeof(name), "topology%d", k);
	rc |= ask_tunnel(m, dir, "qos", name, 5, 0, 0x5403, NULL, 0, pick, 1);
	pick[0] = 1;
	snprintf(name, sizeof(name), "topology%d-status", k);
	rc |= ask_tunnel(m, dir, "qos", name, 5, 0, 0x5405, NULL, 0, pick, 1);
	snprintf(name, sizeof(name), "topology%d-bw", k);
	rc |= ask_tunnel(m, dir, "qos", name, 5, 0, 0x5406, bw_req,
			 sizeof(bw_req), bw_pre, sizeof(bw_pre));
	pick[0] = 3;
	snprintf(name, sizeof(name), "topology%d-set", k);
	rc |= ask_tunnel(m, dir, "qos", name, 5, 0, 0x5409, set_req,
			 sizeof(set_req), pick, 1);
	snprintf(name, sizeof(name), "topology%d-map", k);
	rc |= ask_tunnel(m, dir, "mhd", name, 20, 1, 0x5500, map_req,
			 sizeof(map_req), map_pre, sizeof(map_pre));
	snprintf(name, sizeof(name), "topology%d-heads", k);
	rc |= ask_tunnel(m, dir, "mhd", name, 20, 1, 0x5501, head_req,
			 sizeof(head_req), head_pre, sizeof(head_pre));
	return rc;
}

/* The DCD on port 12 of the default topology (and its variants). */
static int seed_dcd(struct model *m, const char *dir, int k)
{
	uint8_t regions[4] = { 0, 0, 2, 0 };	/* fits dcd-small's limit */
	uint8_t extents[12] = { 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t ext_pre[10] = { 0, 0, 5, 0, 0, 0, 0, 0, 0, 0 };
	char name[32];
	int rc = 0;

	snprintf(name, sizeof(name), "topology%d", k);
	rc |= ask_tunnel(m, dir, "dcd-info", name, 12, 0, 0x5600, NULL, 0, NULL, 0);
	rc |= ask_tunnel(m, dir, "dc-regions", name, 12, 0, 0x5601, regions,
			 sizeof(regions), regions, sizeof(regions));
	rc |= ask_tunnel(m, dir, "dc-extents", name, 12, 0, 0x5603, extents,
			 sizeof(extents), ext_pre, sizeof(ext_pre));
	return rc;
}

/* The device seeds need the default topology's devices behind ports 4-25. */
static bool has_devices(struct model *m)
{
	struct model_port *p = model_find_port(m, 4);

	return p && p->dev;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: seed OUTDIR TOPOLOGY...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		struct model *m = topology_load_file(argv[i]);

		/* devices first: seed_model() resets the links behind them */
		if (!m || (has_devices(m) &&
			   (seed_devices(m, argv[1], i - 2) ||
			    seed_qos_mhd(m, argv[1], i - 2) ||
			    seed_dcd(m, argv[1], i - 2))) ||
		    seed_model(m, argv[1], i - 2)) {
			fprintf(stderr, "seed: %s failed\n", argv[i]);
			return 1;
		}
		model_free(m);
	}
	return 0;
}
