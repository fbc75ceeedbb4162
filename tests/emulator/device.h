/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Emulated CXL switch: the Type 3 devices behind its ports, reached only
 * through Tunnel Management Command (0x5300). A device has its own
 * mailbox limits and background operation; an MLD adds LDs and QoS
 * (0x54), a multi-headed device heads (0x55), a dynamic capacity device
 * regions and extents (0x56).
 */
#ifndef _EMU_DEVICE_H_
#define _EMU_DEVICE_H_

#include "model.h"

#define DEV_MAX_LDS		16	/* an MLD has at most 16 LDs */
#define DEV_MAX_HEADS		32
#define DEV_MAX_DC_REGIONS	8
#define DEV_MAX_DC_HOSTS	32
#define DEV_MAX_EXTENTS		1024	/* extents_supported, per device */
#define DEV_CAP_UNIT		(256ull << 20)	/* capacity fields: 256 MiB */

#define CCI_RC_UNSUPPORTED_CCI		0x15
#define CCI_RC_RESOURCES_EXHAUSTED	0x1d
#define CCI_RC_INVALID_EXTENT_LIST	0x1e

struct dev_memdev {
	char fw_revision[17];		/* 16 ASCII bytes on the wire */
	uint64_t total, volatile_only, persistent_only, partition_align;
	uint16_t event_log_size[5];	/* info, warning, failure, fatal, DC */
	uint32_t lsa_size;
	uint32_t poison_max;		/* u24 on the wire */
	uint16_t inject_poison_limit;
	uint8_t poison_caps;
	uint8_t qos_caps;		/* bit 0 egress, bit 1 throughput */
};

/* an LD's CXL.io space, as 0x5301 and 0x5302 reach it (model-ld-io.c) */
#define DEV_LD_CFG_RW		0x80	/* config bytes 80h-FFh are writable */
#define DEV_LD_MMIO_SIZE	256	/* one register block at address 0 */

struct dev_ld {
	uint64_t range1, range2;	/* multipliers of the granularity */
	uint8_t bw_alloc, bw_limit;	/* n/256 */
	uint8_t cfg_rw[DEV_LD_CFG_RW];	/* configuration space 80h-FFh */
	uint8_t mmio[DEV_LD_MMIO_SIZE];
};

struct dev_mld {
	uint64_t memory_size;		/* bytes */
	uint8_t granularity;		/* 0 256 MiB, 1 512 MiB, 2 1 GiB */
	unsigned int nr_lds;
	struct dev_ld ld[DEV_MAX_LDS];
	uint8_t qos_ctl_flags;		/* bit 0 egress, bit 1 throughput */
	uint8_t egress_moderate, egress_severe, bp_interval;
	uint16_t req_cmpl_basis;
	uint8_t cc_interval;
	uint8_t bp_average;
};

/* a head: the 9-byte Get Head Info block (flags are the low byte) */
struct dev_head {
	uint8_t port_number, max_width, neg_width, speeds, max_speed,
		cur_speed, ltssm, first_lane, flags;
};

struct dev_mhd {
	unsigned int nr_map;		/* LD-to-head map entries */
	uint8_t ld_to_head[DEV_MAX_LDS];
	unsigned int nr_heads;
	struct dev_head heads[DEV_MAX_HEADS];
};

struct dev_extent {
	uint64_t dpa, len;
	uint8_t tag[16];
	uint16_t seq;			/* shared sequence */
};

struct dev_dc_region {
	uint64_t base, decode_len, len, block;	/* bytes */
	uint64_t block_mask;		/* bit n: 2^n byte blocks supported */
	uint8_t sanitize;
	uint8_t sanitize_fixed;		/* its sanitize setting cannot change */
	uint8_t flags;
};

struct dev_dc_host {
	uint32_t generation;
	unsigned int nr_extents;
	struct dev_extent *extents;	/* DEV_MAX_EXTENTS of room */
};

struct dev_dcd {
	unsigned int nr_hosts;
	uint16_t sel_policies;		/* bit n: selection policy n */
	uint16_t rem_policies;		/* bit n: removal policy n */
	uint64_t total;			/* bytes */
	uint32_t extents_supported, tags_supported;
	unsigned int nr_regions;
	struct dev_dc_region regions[DEV_MAX_DC_REGIONS];
	struct dev_dc_host hosts[DEV_MAX_DC_HOSTS];
};

/* A device's background operation: Initiate Dynamic Capacity Add/Release */
struct dev_bg {
	int running;
	uint16_t opcode, rc;
	uint8_t percent;
	unsigned int polls, left;
	uint16_t fail_rc;
	/* what completion applies: the host's new extent list */
	unsigned int host, nr_extents;
	struct dev_extent *extents;
};

struct model_device {
	struct model_identify id;
	uint8_t msg_log2, resp_log2;
	struct dev_memdev mem;
	char *host_memdev;		/* NULL: the host does not see it */
	struct dev_mld *mld;		/* each NULL when absent */
	struct dev_mhd *mhd;
	struct dev_dcd *dcd;
	struct dev_bg bg;
	uint8_t ev_policy[5];		/* 0x0102/0x0103: info .. dynamic capacity */
	/* firmware, event logs, clock (model-dev-maint.c); NULL until asked */
	struct model *maint;
	int bg_maint;			/* the last background op was maint's */
};

/* which CCI of a device a message goes to */
enum dev_cci {
	DEV_CCI_FM,		/* the device's own (FM-owned LD) mailbox */
	DEV_CCI_LD,		/* one LD's mailbox, through the MLD's tunnel */
	DEV_CCI_POOL,		/* the LD-pool CCI of a multi-headed device */
};

struct dev_target {
	struct model *sw;		/* for the options */
	struct model_device *dev;
	enum dev_cci cci;
	unsigned int ld;		/* DEV_CCI_LD */
};

/* the opcodes from the switch down to a tunnelled command */
#define TUNNEL_MAX_DEPTH 8
struct tunnel_path {
	unsigned int depth;
	uint16_t op[TUNNEL_MAX_DEPTH];
};

/* What the front end (fault.c) may do to a tunnelled command. */
enum tunnel_fault_kind {
	TFAULT_NONE,
	TFAULT_RC,		/* arg: return code; the command is not run */
	TFAULT_SHORT,		/* arg: answer cut to this many bytes */
	TFAULT_LONG,		/* arg: this many 0xA5 bytes appended */
	TFAULT_TAG,		/* 0x5300 only: its inner answer's tag wrong */
	TFAULT_OPCODE,		/* ... names another opcode */
	TFAULT_CATEGORY,	/* ... category 0 (request) */
	TFAULT_TUNNEL_LEN,	/* ... response length + (int32_t)arg */
	TFAULT_INNER_LEN,	/* ... inner payload length + (int32_t)arg */
};

struct tunnel_fault {
	enum tunnel_fault_kind kind;
	uint32_t arg;
};

/* bend a built 0x5300 answer (outer level: called by the front end) */
void tunnel_fault_apply(uint8_t *out, size_t len,
			const struct tunnel_fault *f);

/* model-device.c */
void device_free(struct model_device *d);
/* the LD's allocated bytes ((range 1 + range 2) * granularity) */
uint64_t device_ld_bytes(const struct dev_mld *mld, unsigned int ld);
uint64_t device_granularity(const struct dev_mld *mld);
/* run one message on a device CCI; limits and background state checked */
uint16_t device_handle(const struct dev_target *t, struct tunnel_path *path,
		       uint16_t opcode, const uint8_t *in, size_t in_len,
		       uint8_t *out, size_t *out_len);
uint16_t device_bg_start(struct model *sw, struct model_device *d,
			 uint16_t opcode, unsigned int host,
			 struct dev_extent *extents, unsigned int nr);

/*
 * model-tunnel.c: check a 0x5300 request, deliver its inner message to
 * the CCI @resolve names and wrap the answer. @resolve returns 0 or the
 * return code for a bad id or target type.
 */
typedef uint16_t (*tunnel_resolve_fn)(void *owner, uint8_t id, uint8_t type,
				      struct dev_target *t);
uint16_t tunnel_run(struct model *sw, struct tunnel_path *path,
		    tunnel_resolve_fn resolve, void *owner,
		    const uint8_t *in, size_t in_len, uint8_t *out,
		    size_t *out_len);

/* per CCI command sets of a device */
struct dev_cmd {
	uint16_t opcode;
	int in_len;		/* fixed request length, or -1 */
	unsigned int ccis;	/* bit per enum dev_cci that answers it */
	uint16_t (*fn)(const struct dev_target *t, struct tunnel_path *path,
		       const uint8_t *in, size_t in_len, uint8_t *out,
		       size_t *out_len);
};
#define CCI_FM		(1u << DEV_CCI_FM)
#define CCI_LD		(1u << DEV_CCI_LD)
#define CCI_POOL	(1u << DEV_CCI_POOL)

/* model-device.c: the full device model's handler of @opcode, or NULL */
const struct dev_cmd *device_find_cmd(uint16_t opcode);

/* model-qemu-dev.c (--profile qemu): QEMU's command set for t's CCI */
const struct dev_cmd *qemu_dev_cmd(const struct dev_target *t,
				   uint16_t opcode);
/* a Type 3 device's own tunnel in QEMU: LD 0 only */
uint16_t qemu_ld_resolve(void *owner, uint8_t id, uint8_t type,
			 struct dev_target *t);

extern const struct dev_cmd dev_generic_cmds[];
extern const struct dev_cmd dev_mld_cmds[];
extern const struct dev_cmd dev_mhd_cmds[];
extern const struct dev_cmd dev_dcd_cmds[];
extern const struct dev_cmd dev_maint_cmds[];

/* model-dev-maint.c: the device's firmware, events and clock */
struct model *device_maint(const struct dev_target *t);
int device_maint_busy(const struct model_device *d);

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

#endif /* _EMU_DEVICE_H_ */
