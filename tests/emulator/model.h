/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Emulated CXL switch: state and mailbox command handlers.
 *
 * No I/O and no umockdev here, so a fuzzer or a unit test can link the
 * model alone: bytes in, return code and bytes out.
 */
#ifndef _EMU_MODEL_H_
#define _EMU_MODEL_H_

#include <stddef.h>
#include <stdint.h>

/* CXL return codes the model uses (cxl-cci.md, "Return codes") */
enum {
	CCI_RC_SUCCESS = 0x00,
	CCI_RC_BG_STARTED = 0x01,
	CCI_RC_INVALID_INPUT = 0x02,
	CCI_RC_UNSUPPORTED = 0x03,
	CCI_RC_INTERNAL = 0x04,
	CCI_RC_RETRY = 0x05,
	CCI_RC_BUSY = 0x06,
	CCI_RC_FW_IN_PROGRESS = 0x08,
	CCI_RC_FW_OUT_OF_ORDER = 0x09,
	CCI_RC_FW_VERIFY_FAILED = 0x0a,
	CCI_RC_INVALID_SLOT = 0x0b,
	CCI_RC_ACTIVATION_ROLLED_BACK = 0x0c,
	CCI_RC_ACTIVATION_COLD_RESET = 0x0d,
	CCI_RC_INVALID_HANDLE = 0x0e,
	CCI_RC_ABORTED = 0x12,
	CCI_RC_INVALID_PAYLOAD_LEN = 0x16,
	CCI_RC_INVALID_LOG = 0x17,
	CCI_RC_REQUEST_ABORT_NOTSUP = 0x20,
};

/* Command Effects Log effect bits (cxl-cci.md, CEL) */
#define CEL_IMMEDIATE_CONFIG	(1u << 1)
#define CEL_IMMEDIATE_DATA	(1u << 2)
#define CEL_COLD_RESET_CONFIG	(1u << 0)
#define CEL_IMMEDIATE_POLICY	(1u << 3)
#define CEL_IMMEDIATE_LOG	(1u << 4)
#define CEL_BACKGROUND		(1u << 6)

/* wire codes the handlers change */
#define PORT_STATE_DISABLED	0x0
#define PORT_STATE_BIND		0x1
#define PORT_STATE_UNBIND	0x2
#define PORT_STATE_DSP		0x3
#define PORT_STATE_USP		0x4
#define PORT_STATE_INVALID_ID	0xf
#define DEV_TYPE_NONE		0
#define DEV_TYPE_MLD		5
#define LTSSM_DETECT		0x0
#define LTSSM_L0		0x4
#define LINK_FLAG_PERST		(1u << 1)
#define VCS_STATE_ENABLED	0x1
#define VPPB_UNBOUND		0x0
#define VPPB_IN_PROGRESS	0x1
#define VPPB_BOUND_PORT		0x2
#define VPPB_BOUND_LD		0x3

/* every port's PCIe configuration space (Send PPB CXL.io Config Request) */
#define MODEL_CFG_SIZE		4096

#define MODEL_MSG_LOG2_MIN 8	/* 256 B */
#define MODEL_MSG_LOG2_MAX 20	/* 1 MiB */

struct model_device;
struct tunnel_path;
struct tunnel_fault;

/* null port_id / ld_id in a vPPB (the wire says 0xFF) */
#define MODEL_NONE (-1)

struct model_identify {
	uint16_t vendor_id;
	uint16_t device_id;
	uint16_t subsys_vendor_id;
	uint16_t subsys_id;
	uint64_t serial;
	uint8_t component_type;
};

/* One physical port: the fields of the 16-byte Get Physical Port State block */
struct model_port {
	uint8_t port_id;
	uint8_t config_state;
	uint8_t cxl_version;
	uint8_t device_type;
	uint8_t supported_versions;	/* bitmap */
	uint8_t max_width;
	uint8_t neg_width;
	uint8_t speeds;			/* bitmap */
	uint8_t max_speed;		/* encoded, 0 = none */
	uint8_t cur_speed;		/* encoded, 0 = link down */
	uint8_t ltssm;
	uint8_t first_lane;
	uint16_t link_flags;
	uint8_t ld_count;
	/*
	 * Not on the wire and not saved: the width and speed the link
	 * trains to when it comes up (PERST# deassert, PPB reset).
	 */
	uint8_t trained_width;
	uint8_t trained_speed;
	uint8_t *cfg;			/* MODEL_CFG_SIZE bytes */
	struct model_device *dev;	/* device.h; NULL: no CCI behind it */
};

struct model_vppb {
	uint8_t binding;
	int port_id;		/* MODEL_NONE or 0..255 */
	int ld_id;		/* MODEL_NONE or 0..255 */
};

struct model_vcs {
	uint8_t vcs_id;
	uint8_t state;
	uint8_t usp_id;
	unsigned int nr_vppbs;	/* at most 255: the wire count is a u8 */
	struct model_vppb *vppbs;
};

/*
 * Which device the model answers as (model-profile.c): everything it
 * implements, QEMU's switch mailbox CCI, or only what the spec makes
 * mandatory for a switch.
 */
enum model_profile {
	MODEL_PROFILE_FULL,
	MODEL_PROFILE_QEMU,
	MODEL_PROFILE_MINIMAL,
};

/* Behaviour the front end sets (the same for every switch). */
#define MODEL_MAX_OPT 64
struct model_opts {
	enum model_profile profile;
	unsigned int bg_polls;		/* polls a background op takes */
	unsigned int nr_bg_fail;
	struct { uint16_t opcode, rc; } bg_fail[MODEL_MAX_OPT];
	unsigned int nr_cel_omit;
	uint16_t cel_omit[MODEL_MAX_OPT];
	unsigned int nr_cel_extra;
	struct { uint16_t opcode, effects; } cel_extra[MODEL_MAX_OPT];
	/*
	 * --paging literal: Get VCS Info and Get LD Allocations answer
	 * min(limit, total) entries from the start, as r3.2 Tables 7-32 and
	 * 7-46 literally read (entries past the end zero); default, the
	 * reading min(limit, total - start).
	 */
	int paging_literal;
	/*
	 * device.h: asked before each tunnelled command runs (faults,
	 * counting); NULL for none.
	 */
	void (*tunnel_hook)(const struct tunnel_path *path,
			    struct tunnel_fault *f);
};

extern struct model_opts model_default_opts;

struct model;

/* The one background operation (Bind / Unbind vPPB) and its last result. */
struct model_bg {
	int running;
	uint16_t opcode;		/* current or last, 0: none ever */
	uint16_t rc;			/* of the finished operation */
	uint8_t percent;
	unsigned int polls, left;	/* polls it takes, polls still to go */
	uint16_t fail_rc;		/* --bg-fail, or CCI_RC_SUCCESS */
	/* what completion applies and what a failure or abort restores */
	struct model_vppb *vppb;
	struct model_vppb vppb_old, vppb_done;
	struct model_port *port;	/* or NULL */
	uint8_t port_old;
	/* instead of the vPPB: what ends an operation of another kind */
	void (*finish)(struct model *m, uint16_t rc);
};

/* Firmware slots and a transfer in progress (model-fw.c) */
#define MODEL_FW_SLOTS_MAX	4
#define MODEL_FW_REV_LEN	16
struct model_fw {
	uint8_t slots;			/* slots supported, 1..4 */
	uint8_t active;			/* 1..slots */
	uint8_t staged;			/* 0: none */
	int online;			/* online activation supported */
	char rev[MODEL_FW_SLOTS_MAX][MODEL_FW_REV_LEN + 1];	/* "": empty */
	/* not saved: a transfer in progress does not survive a reset */
	int xfer;
	uint8_t *buf;
	size_t len, cap;
	uint8_t pending_slot;		/* verified, applied when the op ends */
	char pending_rev[MODEL_FW_REV_LEN + 1];
};

/* Event logs, one per severity and one for dynamic capacity */
#define MODEL_EVENT_LOGS	5
#define MODEL_EVENT_LEN		128
#define MODEL_EVENT_CAPACITY	16	/* records per log unless set */
struct model_event_log {
	unsigned int nr;
	uint8_t (*rec)[MODEL_EVENT_LEN];	/* capacity records */
	uint16_t overflow_count;
	uint64_t first_overflow, last_overflow;
};

struct model_events {
	unsigned int capacity;
	uint16_t next_handle;		/* never 0 */
	struct model_event_log log[MODEL_EVENT_LOGS];
	/* MCTP event interrupt policy (0x0104/0x0105): bit n, log n */
	uint16_t mctp_policy;
};

struct model {
	struct model_identify id;
	uint8_t msg_log2;	/* mailbox payload size, log2 */
	uint8_t resp_log2;	/* current response message limit, log2 */
	uint8_t ingress_port;
	uint8_t hdm_decoders;
	unsigned int nr_ports;
	struct model_port *ports;
	unsigned int nr_vcss;
	struct model_vcs *vcss;
	/* port_id / vcs_id -> index + 1, 0 when absent */
	uint16_t port_idx[256];
	uint16_t vcs_idx[256];
	const struct model_opts *opts;
	struct model_bg bg;
	struct model_fw fw;
	struct model_events ev;
	/* the clock: the value set and when (CLOCK_MONOTONIC, ns) */
	int ts_set;
	uint64_t ts_base_ns, ts_mono_ns;
	/* scratch answer buffer, big enough for any answer the model builds */
	uint8_t *out;
	size_t out_cap;
};

struct model *model_new(void);
void model_free(struct model *m);
/* call after filling ports/vcss: builds the id indexes */
int model_finish(struct model *m);
void model_set_msg_log2(struct model *m, uint8_t log2);
struct model_port *model_find_port(struct model *m, unsigned int id);
struct model_vcs *model_find_vcs(struct model *m, unsigned int id);
/* a port's configuration space as it is at power-on */
void model_cfg_init(const struct model *m, const struct model_port *p,
		    uint8_t *cfg);

/*
 * Background operations (model.c): start one that, on completion, sets
 * *v to @done and puts @p (may be NULL) back in its state; while it runs,
 * *v is @busy and @p is in @port_state. Returns Background Command Started.
 */
uint16_t model_bg_start(struct model *m, uint16_t opcode,
			struct model_vppb *v, struct model_vppb busy,
			struct model_vppb done, struct model_port *p,
			uint8_t port_state);
/* one that calls @finish with its return code (@result, or --bg-fail's) */
uint16_t model_bg_start_fn(struct model *m, uint16_t opcode, uint16_t result,
			   void (*finish)(struct model *m, uint16_t rc));
/* the last --bg-fail's return code for @opcode, else @result */
uint16_t model_bg_fail_rc(const struct model *m, uint16_t opcode,
			  uint16_t result);
/* one Background Operation Status poll: fills the 8-byte answer */
void model_bg_poll(struct model *m, uint8_t *out);
/* Request Abort Background Operation */
void model_bg_abort(struct model *m);
/* the 18-byte Identify answer (model-generic.c), the switch's or a device's */
#define MODEL_IDENTIFY_LEN	18
void model_identify_put(const struct model_identify *id, uint8_t msg_log2,
			uint8_t *out);
/* model-generic.c: a CEL's bytes (NULL @buf: only the size) */
#define MODEL_CEL_ENTRY_LEN	4
size_t model_cel_bytes(const uint16_t *ops, const uint16_t *eff,
		       unsigned int n, uint8_t *buf);
/* the Get Supported Logs (0x0400) answer for a CEL of @size bytes */
uint16_t model_logs_answer(size_t size, uint8_t *out, size_t *out_len);
/* the Get Log (0x0401) answer: another UUID, a range beyond the log */
uint16_t model_log_answer(const uint8_t *log, size_t size, uint8_t resp_log2,
			  const uint8_t *in, uint8_t *out, size_t *out_len);
/* the CEL as (opcode, effects) pairs in opcode order; returns the count */
unsigned int model_cel(const struct model *m, uint16_t *ops, uint16_t *eff,
		       unsigned int cap);

/*
 * Run one mailbox command. Returns the CXL return code; *out points into
 * the model's scratch buffer (valid until the next call), *out_len is the
 * answer length (0 on failure).
 */
uint16_t model_handle(struct model *m, uint16_t opcode, const uint8_t *in,
		      size_t in_len, const uint8_t **out, size_t *out_len);

/* per command set handlers, dispatched from model_handle() */
typedef uint16_t (*model_fn)(struct model *m, const uint8_t *in,
			     size_t in_len, uint8_t *out, size_t *out_len);
struct model_cmd {
	uint16_t opcode;
	/* fixed request length, or -1 when variable (checked by the handler) */
	int in_len;
	uint16_t effects;	/* CEL effects; CEL_BACKGROUND: may be Busy */
	model_fn fn;
};

/*
 * A profile's command (model-profile.c): a command the full model
 * implements, with the effects this device's CEL gives it and, where the
 * device answers differently, its own handler.
 */
struct model_profile_cmd {
	uint16_t opcode;
	uint16_t effects;
	model_fn fn;				/* NULL: the full model's */
	int (*present)(const struct model *m);	/* NULL: always there */
};

/* "full", "qemu", "minimal": 0, or -1 for another name */
int model_profile_parse(const char *name, enum model_profile *p);
/* NULL when the switch's profile lacks @opcode (never for full) */
const struct model_profile_cmd *model_profile_cmd(const struct model *m,
						  uint16_t opcode);
/* the profile's command table, ending with opcode 0; NULL for full */
const struct model_profile_cmd *model_profile_cmds(const struct model *m);
/* after loading: the message sizes the profile's device has */
void model_profile_apply(struct model *m);

/* model-switch.c: a 16-byte Get Physical Port State block (0xF: no port) */
#define PORT_BLOCK_LEN		16
void model_port_block(struct model *m, uint8_t id, uint8_t *b);
/* Physical Port Control (0x5102), 2 bytes in */
uint16_t model_port_control(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len);

/* model-qemu.c: where QEMU's switch mailbox CCI answers its own way */
uint16_t qemu_identify(struct model *m, const uint8_t *in, size_t in_len,
		       uint8_t *out, size_t *out_len);
uint16_t qemu_bg_abort(struct model *m, const uint8_t *in, size_t in_len,
		       uint8_t *out, size_t *out_len);
uint16_t qemu_identify_switch(struct model *m, const uint8_t *in,
			      size_t in_len, uint8_t *out, size_t *out_len);
uint16_t qemu_port_state(struct model *m, const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t *out_len);
uint16_t qemu_port_control(struct model *m, const uint8_t *in,
			   size_t in_len, uint8_t *out, size_t *out_len);
uint16_t qemu_switch_tunnel(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len);

extern const struct model_cmd model_generic_cmds[];
extern const struct model_cmd model_switch_cmds[];
extern const struct model_cmd model_tunnel_cmds[];	/* model-tunnel.c */
extern const struct model_cmd model_fw_cmds[];
extern const struct model_cmd model_event_cmds[];
extern const struct model_cmd model_time_cmds[];
extern const struct model_cmd model_ld_io_cmds[];	/* model-ld-io.c */

/* model-fw.c, model-events.c, model-time.c: defaults and clean-up */
void model_fw_init(struct model_fw *fw);
void model_fw_free(struct model_fw *fw);
int model_events_init(struct model_events *ev, unsigned int capacity);
void model_events_free(struct model_events *ev);
/* the device's clock in ns since the epoch; 0 until it is set */
uint64_t model_now_ns(const struct model *m);
void model_set_time(struct model *m, uint64_t ns);

/* State changes that the switch logs (model-events.c) */
void model_event_vppb(struct model *m, const struct model_vppb *v,
		      uint16_t rc);
void model_event_port(struct model *m, const struct model_port *p);
/* add a record to a log: the header is filled in here, data is 80 bytes */
void model_event_add(struct model *m, unsigned int log, const uint8_t *uuid,
		     const uint8_t *data);

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

static inline uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

#endif /* _EMU_MODEL_H_ */
