// SPDX-License-Identifier: GPL-2.0
/* Emulated CXL switch: model life cycle and command dispatch. */
#include <stdlib.h>
#include <string.h>

#include "model.h"

/*
 * Largest answer any handler can build: Get Virtual CXL Switch Info for
 * 255 VCSs of 255 vPPBs is 4 + 255 * (4 + 255 * 4) bytes; 1 MiB, the
 * largest message size, covers it and every other command.
 */
#define MODEL_OUT_CAP (1u << MODEL_MSG_LOG2_MAX)

struct model *model_new(void)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->out = malloc(MODEL_OUT_CAP);
	if (!m->out) {
		free(m);
		return NULL;
	}
	m->out_cap = MODEL_OUT_CAP;
	model_set_msg_log2(m, 11);
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (unsigned int i = 0; i < m->nr_vcss; i++)
		free(m->vcss[i].vppbs);
	free(m->vcss);
	free(m->ports);
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

static const struct model_cmd *find_cmd(uint16_t opcode)
{
	static const struct model_cmd *const sets[] = {
		model_generic_cmds,
		model_switch_cmds,
	};

	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		for (const struct model_cmd *c = sets[s]; c->fn; c++)
			if (c->opcode == opcode)
				return c;
	return NULL;
}

uint16_t model_handle(struct model *m, uint16_t opcode, const uint8_t *in,
		      size_t in_len, const uint8_t **out, size_t *out_len)
{
	const struct model_cmd *cmd = find_cmd(opcode);
	size_t len = 0;
	uint16_t rc;

	*out = m->out;
	*out_len = 0;
	if (!cmd)
		return CCI_RC_UNSUPPORTED;
	if (cmd->in_len >= 0 && in_len != (size_t)cmd->in_len)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	rc = cmd->fn(m, in, in_len, m->out, &len);
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
