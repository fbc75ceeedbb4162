// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch, --profile qemu: the commands QEMU's switch mailbox
 * CCI answers its own way (hw/cxl/cxl-mailbox-utils.c). QEMU's switch is
 * one USP with its DSPs, one VCS with every vPPB bound, and values its
 * code fixes whatever the ports are; those fixed values are reported here
 * from any topology, the rest (ids, widths, speeds, flags) is the model's.
 */
#include <string.h>

#include "model.h"
#include "device.h"

#define IDENTIFY_SWITCH_LEN	73
#define LTSSM_L2		0x7
#define DEV_TYPE_PCIE		1
#define DEV_TYPE_SLD		4
#define MODE_68B_VH		2
#define MODE_256B		3
#define MODES_68B_VH		(1u << 1)	/* Supported CXL Modes bits */
#define MODES_256B		(1u << 2)

/*
 * cmd_infostat_identify for a USP: the USP's ids and serial, subsystem
 * ids 0 ("Subsystem info not defined for a USP"), component type switch.
 */
uint16_t qemu_identify(struct model *m, const uint8_t *in, size_t in_len,
		       uint8_t *out, size_t *out_len)
{
	struct model_identify id = m->id;

	(void)in;
	(void)in_len;
	id.subsys_vendor_id = 0;
	id.subsys_id = 0;
	id.component_type = 0;
	model_identify_put(&id, m->msg_log2, out);
	*out_len = MODEL_IDENTIFY_LEN;
	return CCI_RC_SUCCESS;
}

/*
 * cmd_infostat_bg_op_abort: it looks up the last background command's
 * table entry and answers Request Abort Not Supported unless that
 * command has CXL_MBOX_BACKGROUND_OPERATION_ABORT. The switch's table
 * has no background command, so the opcode is always 0, an empty entry:
 * always 0x20.
 */
uint16_t qemu_bg_abort(struct model *m, const uint8_t *in, size_t in_len,
		       uint8_t *out, size_t *out_len)
{
	(void)m;
	(void)in;
	(void)in_len;
	(void)out;
	*out_len = 0;
	return CCI_RC_REQUEST_ABORT_NOTSUP;
}

/* QEMU counts the DSPs on the USP's secondary bus (pcie_count_ds_ports) */
static unsigned int dsp_count(const struct model *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < m->nr_ports; i++)
		if (m->ports[i].config_state != PORT_STATE_USP)
			n++;
	return n;
}

/*
 * cmd_identify_switch_device: ports = DSPs + 1 (the USP), whatever ids
 * they have; every DSP and the USP set in the active-port bitmap; one
 * VCS (bit 0), total and bound vPPBs both the port count, 4 HDM
 * decoders. Ingress port 0: the mailbox CCI is a function of its own,
 * not a PCIe port, so QEMU takes the "MCTP?" branch.
 */
uint16_t qemu_identify_switch(struct model *m, const uint8_t *in,
			      size_t in_len, uint8_t *out, size_t *out_len)
{
	unsigned int ports = dsp_count(m) + 1;

	(void)in;
	(void)in_len;
	memset(out, 0, IDENTIFY_SWITCH_LEN);
	out[2] = ports > 255 ? 255 : ports;
	out[3] = 1;
	for (unsigned int i = 0; i < m->nr_ports; i++) {
		uint8_t id = m->ports[i].port_id;

		out[4 + id / 8] |= 1u << (id % 8);
	}
	out[36] = 1;
	put_le16(out + 68, ports);
	put_le16(out + 70, ports);
	out[72] = 4;
	*out_len = IDENTIFY_SWITCH_LEN;
	return CCI_RC_SUCCESS;
}

/*
 * The fields cmd_get_physical_port_state fixes: every DSP is a DSP with
 * 3 supported LDs and modes 68B-VH and 256B; a Type 3 device behind it
 * is reported as an MLD ("Assume MLD for now"), in 256B mode when its
 * link runs flit mode, else 68B-VH; any other device as PCIe, not CXL.
 * The USP: no device type or mode, 68B-VH (256B when flit capable). LTSSM
 * is L2 (0x7) and the first lane 0 for every port.
 */
static void qemu_port_fixup(const struct model_port *p, uint8_t *b)
{
	if (p->config_state == PORT_STATE_USP) {
		b[2] = 0;
		b[4] = 0;
		b[5] = MODES_68B_VH | (p->supported_versions & MODES_256B);
		b[15] = 0;
	} else {
		b[1] = PORT_STATE_DSP;
		if (p->device_type == DEV_TYPE_SLD ||
		    p->device_type == DEV_TYPE_MLD) {
			b[4] = DEV_TYPE_MLD;
			b[2] = p->cxl_version == MODE_256B ? MODE_256B :
							     MODE_68B_VH;
		} else {
			b[4] = p->device_type == DEV_TYPE_NONE ?
			       DEV_TYPE_NONE : DEV_TYPE_PCIE;
			b[2] = 0;
		}
		b[5] = MODES_68B_VH | MODES_256B;
		b[15] = 3;
	}
	b[11] = LTSSM_L2;
	b[12] = 0;
}

/*
 * cmd_get_physical_port_state: an empty request is Invalid Payload
 * Length, a count of 0 answers no blocks, and any id that is not a port
 * fails the whole request with Invalid Input (no 0xF block). QEMU does not
 * check the count against the request's length (it reads past it); here
 * a short list is Invalid Input. An answer beyond the payload size is
 * Invalid Input (model_handle's response limit check).
 */
uint16_t qemu_port_state(struct model *m, const uint8_t *in, size_t in_len,
			 uint8_t *out, size_t *out_len)
{
	unsigned int count;

	if (in_len < 1)
		return CCI_RC_INVALID_PAYLOAD_LEN;
	count = in[0];
	if (in_len < 1u + count)
		return CCI_RC_INVALID_INPUT;
	memset(out, 0, 4);
	out[0] = count;
	for (unsigned int i = 0; i < count; i++) {
		const struct model_port *p = model_find_port(m, in[1 + i]);
		uint8_t *b = out + 4 + i * PORT_BLOCK_LEN;

		if (!p)
			return CCI_RC_INVALID_INPUT;
		model_port_block(m, in[1 + i], b);
		qemu_port_fixup(p, b);
	}
	*out_len = 4 + count * PORT_BLOCK_LEN;
	return CCI_RC_SUCCESS;
}

/*
 * cmd_physical_port_control: asserting PERST# while it is asserted
 * (cxl_assert_perst), deasserting it while it is not
 * (cxl_deassert_perst) and a PPB reset while it is asserted are Internal
 * Error; an id that is no port or an opcode above 2 is Invalid Input.
 * Otherwise the full model's port control. Not modelled: QEMU also takes
 * the USP (a cold reset of the switch); here the USP is Invalid Input.
 */
uint16_t qemu_port_control(struct model *m, const uint8_t *in,
			   size_t in_len, uint8_t *out, size_t *out_len)
{
	const struct model_port *p = model_find_port(m, in[0]);
	int perst;

	if (!p || in[1] > 2)
		return CCI_RC_INVALID_INPUT;
	perst = !!(p->link_flags & LINK_FLAG_PERST);
	/* only a deassert (1) needs PERST# asserted; 0 and 2 need it not */
	if ((in[1] == 1) != perst)
		return CCI_RC_INTERNAL;
	return model_port_control(m, in, in_len, out, out_len);
}

/*
 * cmd_tunnel_management_cmd in a switch: target type 0 only ("Tunneled
 * Command sent to non existent FM-LD" otherwise: Invalid Input); the id is
 * a DSP's port number with a Type 3 device below it, else Invalid Input.
 * QEMU does not look at the link: a device answers in any LTSSM state.
 * The message lands on the device's FM-owned LD CCI.
 */
static uint16_t qemu_switch_resolve(void *owner, uint8_t id, uint8_t type,
				    struct dev_target *t)
{
	struct model_port *p = model_find_port(owner, id);

	if (type != 0 || !p || p->config_state == PORT_STATE_USP || !p->dev)
		return CCI_RC_INVALID_INPUT;
	t->dev = p->dev;
	t->cci = DEV_CCI_FM;
	return 0;
}

uint16_t qemu_switch_tunnel(struct model *m, const uint8_t *in,
			    size_t in_len, uint8_t *out, size_t *out_len)
{
	struct tunnel_path path = { 1, { 0x5300 } };

	return tunnel_run(m, &path, qemu_switch_resolve, m, in, in_len, out,
			  out_len);
}
