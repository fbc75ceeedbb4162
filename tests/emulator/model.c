// SPDX-License-Identifier: LGPL-2.1-or-later
/* Emulated CXL switch: model life cycle and command dispatch. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "device.h"

/*
 * Largest answer any handler can build: Get Virtual CXL Switch Info for
 * 255 VCSs of 255 vPPBs is 4 + 255 * (4 + 255 * 4) bytes; 1 MiB, the
 * largest message size, covers it and every other command.
 */
#define MODEL_OUT_CAP (1u << MODEL_MSG_LOG2_MAX)
/* tunnelled answers are built in place after their headers (16 B each) */
#define MODEL_OUT_SLACK (16u * TUNNEL_MAX_DEPTH)

struct model_opts model_default_opts = { .bg_polls = 3 };

struct model *model_new(void)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->out = malloc(MODEL_OUT_CAP + MODEL_OUT_SLACK);
	if (!m->out) {
		free(m);
		return NULL;
	}
	m->out_cap = MODEL_OUT_CAP;
	m->opts = &model_default_opts;
	model_set_msg_log2(m, 11);
	model_fw_init(&m->fw);
	if (model_events_init(&m->ev, MODEL_EVENT_CAPACITY)) {
		model_free(m);
		return NULL;
	}
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (unsigned int i = 0; i < m->nr_vcss; i++)
		free(m->vcss[i].vppbs);
	free(m->vcss);
	for (unsigned int i = 0; i < m->nr_ports; i++) {
		free(m->ports[i].cfg);
		device_free(m->ports[i].dev);
	}
	free(m->ports);
	model_fw_free(&m->fw);
	model_events_free(&m->ev);
	free(m->out);
	free(m);
}

/* The response limit starts equal to the mailbox size (a device reset). */
void model_set_msg_log2(struct model *m, uint8_t log2)
{
	m->msg_log2 = log2;
	m->resp_log2 = log2;
}

int model_finish(struct model *m)
{
	memset(m->port_idx, 0, sizeof(m->port_idx));
	memset(m->vcs_idx, 0, sizeof(m->vcs_idx));
	for (unsigned int i = 0; i < m->nr_ports; i++) {
		if (m->port_idx[m->ports[i].port_id])
			return -1;
		m->port_idx[m->ports[i].port_id] = i + 1;
	}
	for (unsigned int i = 0; i < m->nr_ports; i++) {
		struct model_port *p = &m->ports[i];

		/* a link that is down trains to its maximum when it comes up */
		p->trained_width = p->neg_width ? p->neg_width : p->max_width;
		p->trained_speed = p->cur_speed ? p->cur_speed : p->max_speed;
		if (p->cfg)
			continue;	/* loaded from the topology */
		p->cfg = malloc(MODEL_CFG_SIZE);
		if (!p->cfg)
			return -1;
		model_cfg_init(m, p, p->cfg);
	}
	for (unsigned int i = 0; i < m->nr_vcss; i++) {
		if (m->vcs_idx[m->vcss[i].vcs_id])
			return -1;
		m->vcs_idx[m->vcss[i].vcs_id] = i + 1;
	}
	return 0;
}

struct model_port *model_find_port(struct model *m, unsigned int id)
{
	if (id > 255 || !m->port_idx[id])
		return NULL;
	return &m->ports[m->port_idx[id] - 1];
}

struct model_vcs *model_find_vcs(struct model *m, unsigned int id)
{
	if (id > 255 || !m->vcs_idx[id])
		return NULL;
	return &m->vcss[m->vcs_idx[id] - 1];
}

/*
 * A PCIe type 1 (bridge) header with a PCI Express capability at 0x40:
 * the identify's vendor and device ids, class 0x060400 revision 1.
 */
void model_cfg_init(const struct model *m, const struct model_port *p,
		    uint8_t *cfg)
{
	uint8_t port_type = p->config_state == PORT_STATE_USP ? 0x5 : 0x6;

	memset(cfg, 0, MODEL_CFG_SIZE);
	put_le16(cfg + 0x00, m->id.vendor_id);
	put_le16(cfg + 0x02, m->id.device_id);
	put_le16(cfg + 0x06, 0x0010);		/* status: capabilities list */
	cfg[0x08] = 0x01;			/* revision */
	cfg[0x09] = 0x00;			/* class code 0x060400 */
	cfg[0x0a] = 0x04;
	cfg[0x0b] = 0x06;
	cfg[0x0e] = 0x01;			/* header type 1 */
	cfg[0x34] = 0x40;			/* capabilities pointer */
	cfg[0x40] = 0x10;			/* PCI Express, next 0 */
	cfg[0x41] = 0x00;
	/* PCIe capabilities: version 2, upstream (5) or downstream (6) port */
	put_le16(cfg + 0x42, 0x0002 | port_type << 4);
}

static const struct model_cmd *const cmd_sets[] = {
	model_generic_cmds,
	model_switch_cmds,
	model_tunnel_cmds,
	model_fw_cmds,
	model_event_cmds,
	model_time_cmds,
	model_ld_io_cmds,
};

static const struct model_cmd *find_cmd(uint16_t opcode)
{
	const struct model_cmd *const *sets = cmd_sets;

	for (size_t s = 0; s < sizeof(cmd_sets) / sizeof(cmd_sets[0]); s++)
		for (const struct model_cmd *c = sets[s]; c->fn; c++)
			if (c->opcode == opcode)
				return c;
	return NULL;
}

uint16_t model_handle(struct model *m, uint16_t opcode, const uint8_t *in,
		      size_t in_len, const uint8_t **out, size_t *out_len)
{
	const struct model_cmd *cmd = find_cmd(opcode);
	model_fn fn = cmd ? cmd->fn : NULL;
	size_t len = 0;
	uint16_t rc;

	*out = m->out;
	*out_len = 0;
	/* a profile answers only its own commands, some its own way */
	if (cmd && m->opts->profile != MODEL_PROFILE_FULL) {
		const struct model_profile_cmd *pc;

		pc = model_profile_cmd(m, opcode);
		fn = pc ? (pc->fn ? pc->fn : cmd->fn) : NULL;
	}
	if (!fn)
		return CCI_RC_UNSUPPORTED;
	if (cmd->in_len >= 0 && in_len != (size_t)cmd->in_len)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	/* one background operation at a time */
	if ((cmd->effects & CEL_BACKGROUND) && m->bg.running)
		return CCI_RC_BUSY;
	rc = fn(m, in, in_len, m->out, &len);
	if (rc != CCI_RC_SUCCESS)
		return rc;
	/*
	 * A real device cannot send more than its response message limit;
	 * it fails the command instead, which is what makes a client split
	 * its requests.
	 */
	if (len > (1u << m->resp_log2))
		return CCI_RC_INVALID_INPUT;
	*out_len = len;
	return CCI_RC_SUCCESS;
}

static int cel_omitted(const struct model *m, uint16_t opcode)
{
	for (unsigned int i = 0; i < m->opts->nr_cel_omit; i++)
		if (m->opts->cel_omit[i] == opcode)
			return 1;
	return 0;
}

/* insert or replace, keeping the opcodes sorted */
static unsigned int cel_put(uint16_t *ops, uint16_t *eff, unsigned int n,
			    unsigned int cap, uint16_t op, uint16_t effects)
{
	unsigned int i = 0;

	while (i < n && ops[i] < op)
		i++;
	if (i < n && ops[i] == op) {
		eff[i] = effects;
		return n;
	}
	if (n == cap)
		return n;
	memmove(ops + i + 1, ops + i, (n - i) * sizeof(*ops));
	memmove(eff + i + 1, eff + i, (n - i) * sizeof(*eff));
	ops[i] = op;
	eff[i] = effects;
	return n + 1;
}

unsigned int model_cel(const struct model *m, uint16_t *ops, uint16_t *eff,
		       unsigned int cap)
{
	const struct model_profile_cmd *pc = model_profile_cmds(m);
	unsigned int n = 0;

	if (pc) {
		/* a profile's own list, with its device's effects */
		for (; pc->opcode; pc++)
			if (model_profile_cmd(m, pc->opcode) &&
			    !cel_omitted(m, pc->opcode))
				n = cel_put(ops, eff, n, cap, pc->opcode,
					    pc->effects);
	} else {
		for (size_t s = 0; s < sizeof(cmd_sets) / sizeof(cmd_sets[0]);
		     s++)
			for (const struct model_cmd *c = cmd_sets[s]; c->fn;
			     c++)
				if (!cel_omitted(m, c->opcode))
					n = cel_put(ops, eff, n, cap,
						    c->opcode, c->effects);
	}
	for (unsigned int i = 0; i < m->opts->nr_cel_extra; i++)
		n = cel_put(ops, eff, n, cap, m->opts->cel_extra[i].opcode,
			    m->opts->cel_extra[i].effects);
	return n;
}

/* Finish the running operation: apply it, or roll it back. */
static void bg_finish(struct model *m, uint16_t rc)
{
	struct model_bg *bg = &m->bg;

	bg->running = 0;
	bg->rc = rc;
	if (bg->finish) {
		bg->finish(m, rc);
		return;
	}
	*bg->vppb = rc == CCI_RC_SUCCESS ? bg->vppb_done : bg->vppb_old;
	if (bg->port)
		bg->port->config_state = bg->port_old;
	model_event_vppb(m, bg->vppb, rc);
}

/* like any repeated option, a later --bg-fail overrides an earlier one */
uint16_t model_bg_fail_rc(const struct model *m, uint16_t opcode,
			  uint16_t result)
{
	for (unsigned int i = m->opts->nr_bg_fail; i-- > 0;)
		if (m->opts->bg_fail[i].opcode == opcode)
			return m->opts->bg_fail[i].rc;
	return result;
}

uint16_t model_bg_start_fn(struct model *m, uint16_t opcode, uint16_t result,
			   void (*finish)(struct model *m, uint16_t rc))
{
	struct model_bg *bg = &m->bg;

	memset(bg, 0, sizeof(*bg));
	bg->opcode = opcode;
	bg->running = 1;
	bg->polls = bg->left = m->opts->bg_polls;
	bg->fail_rc = model_bg_fail_rc(m, opcode, result);
	bg->finish = finish;
	if (!bg->left) {
		bg->percent = 100;
		bg_finish(m, bg->fail_rc);
	}
	return CCI_RC_BG_STARTED;
}

uint16_t model_bg_start(struct model *m, uint16_t opcode,
			struct model_vppb *v, struct model_vppb busy,
			struct model_vppb done, struct model_port *p,
			uint8_t port_state)
{
	struct model_bg *bg = &m->bg;

	memset(bg, 0, sizeof(*bg));
	bg->opcode = opcode;
	bg->running = 1;
	bg->polls = bg->left = m->opts->bg_polls;
	bg->fail_rc = model_bg_fail_rc(m, opcode, CCI_RC_SUCCESS);
	bg->vppb = v;
	bg->vppb_old = *v;
	bg->vppb_done = done;
	bg->port = p;
	if (p) {
		bg->port_old = p->config_state;
		p->config_state = port_state;
	}
	*v = busy;
	if (!bg->left) {
		bg->percent = 100;
		bg_finish(m, bg->fail_rc);
	}
	return CCI_RC_BG_STARTED;
}

/*
 * Polls 1..N of an N-poll operation say it runs, at k * 100 / (N + 1)
 * percent; it completes right after the Nth, so poll N + 1 is the first
 * to report it done.
 */
void model_bg_poll(struct model *m, uint8_t *out)
{
	struct model_bg *bg = &m->bg;

	if (bg->running)
		bg->percent = (bg->polls - bg->left + 1) * 100 /
			      (bg->polls + 1);
	memset(out, 0, 8);
	out[0] = (bg->percent & 0x7f) << 1 | (bg->running ? 1 : 0);
	put_le16(out + 2, bg->opcode);
	put_le16(out + 4, bg->running ? 0 : bg->rc);
	if (bg->running && !--bg->left) {
		bg->percent = 100;
		bg_finish(m, bg->fail_rc);
	}
}

void model_bg_abort(struct model *m)
{
	if (m->bg.running)
		bg_finish(m, CCI_RC_ABORTED);
}
