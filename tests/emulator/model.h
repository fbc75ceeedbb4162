/* SPDX-License-Identifier: GPL-2.0 */
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
	CCI_RC_INVALID_INPUT = 0x02,
	CCI_RC_UNSUPPORTED = 0x03,
	CCI_RC_INTERNAL = 0x04,
	CCI_RC_RETRY = 0x05,
	CCI_RC_BUSY = 0x06,
	CCI_RC_INVALID_PAYLOAD_LEN = 0x16,
};

#define MODEL_MSG_LOG2_MIN 8	/* 256 B */
#define MODEL_MSG_LOG2_MAX 20	/* 1 MiB */

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

/*
 * Run one mailbox command. Returns the CXL return code; *out points into
 * the model's scratch buffer (valid until the next call), *out_len is the
 * answer length (0 on failure).
 */
uint16_t model_handle(struct model *m, uint16_t opcode, const uint8_t *in,
		      size_t in_len, const uint8_t **out, size_t *out_len);

/* per command set handlers, dispatched from model_handle() */
struct model_cmd {
	uint16_t opcode;
	/* fixed request length, or -1 when variable (checked by the handler) */
	int in_len;
	uint16_t (*fn)(struct model *m, const uint8_t *in, size_t in_len,
		       uint8_t *out, size_t *out_len);
};

extern const struct model_cmd model_generic_cmds[];
extern const struct model_cmd model_switch_cmds[];

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = v >> (8 * i);
}

#endif /* _EMU_MODEL_H_ */
