// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Enumerations of the FM-API as words.  The words are the JSON vocabulary
 * of the tool, so they are stable: snake_case, never renamed.  Values the
 * spec does not define give NULL and the caller shows the number.
 */
#include "private.h"

static const char *const config_states[] = {
	[CXLSW_PORT_DISABLED] = "disabled",
	[CXLSW_PORT_BIND_IN_PROGRESS] = "bind_in_progress",
	[CXLSW_PORT_UNBIND_IN_PROGRESS] = "unbind_in_progress",
	[CXLSW_PORT_DSP] = "dsp",
	[CXLSW_PORT_USP] = "usp",
	[CXLSW_PORT_FABRIC] = "fabric_port",
	[CXLSW_PORT_INVALID] = "invalid",
};

/* connected device mode, r3.2 Table 7-19 */
static const char *const cxl_versions[] = {
	"none", "rcd", "cxl_68b_flit_vh", "cxl_256b_flit",
	"cxl_latency_optimized_256b_flit", "cxl_pbr",
};

static const char *const device_types[] = {
	"none", "pcie", "cxl_type1", "cxl_type2_or_hbr_switch",
	"cxl_type3_sld", "cxl_type3_mld", "pbr_component",
};

static const char *const ltssm_states[] = {
	"detect", "polling", "configuration", "recovery", "l0", "l0s", "l1",
	"l2", "disabled", "loopback", "hot_reset",
};

/* r3.2 Table 7-32 */
static const char *const vppb_bindings[] = {
	"unbound", "in_progress", "bound_port", "bound_ld", "bound_pid",
};

/* supported CXL modes, r3.2 Table 7-19 */
static const char *const cxl_version_bits[] = {
	"cxl_1.1", "cxl_2.0", "256b_flit", "latency_optimized_256b_flit",
	"pbr",
};

static const char *const link_flags[] = {
	"lane_reversal", "perst_asserted", "prsnt_detected", "power_off",
};

static const char *const port_ops[] = {
	"assert_perst", "deassert_perst", "reset",
};

static const char *const unbind_modes[] = {
	"wait", "managed", "surprise",
};

static const char *const cel_effects[] = {
	"config_change_after_cold_reset", "immediate_config_change",
	"immediate_data_change", "immediate_policy_change",
	"immediate_log_change", "security_state_change",
	"background_operation", "secondary_mailbox_supported",
	/* r3.1 CEL entry: bits 8-11; 9 says whether 10 and 11 mean anything */
	"request_abort_background_operation_supported",
	"reset_effects_valid", "config_change_after_conventional_reset",
	"config_change_after_cxl_reset",
};

/* Encoded link speeds and speed-vector bits, in tenths of GT/s. */
static const unsigned int speed_tenths[] = { 25, 50, 80, 160, 320, 640 };

const char *cxlsw_port_config_state_name(uint8_t v)
{
	return LOOKUP(config_states, v);
}

const char *cxlsw_cxl_version_name(uint8_t v)
{
	return LOOKUP(cxl_versions, v);
}

const char *cxlsw_device_type_name(uint8_t v)
{
	return LOOKUP(device_types, v);
}

const char *cxlsw_ltssm_name(uint8_t v)
{
	return LOOKUP(ltssm_states, v);
}

const char *cxlsw_vcs_state_name(uint8_t v)
{
	switch (v) {
	case CXLSW_VCS_DISABLED:
		return "disabled";
	case CXLSW_VCS_ENABLED:
		return "enabled";
	case CXLSW_VCS_INVALID:
		return "invalid";
	}
	return NULL;
}

const char *cxlsw_vppb_binding_name(uint8_t v)
{
	return LOOKUP(vppb_bindings, v);
}

const char *cxlsw_cxl_version_bit_name(unsigned int bit)
{
	return LOOKUP(cxl_version_bits, bit);
}

const char *cxlsw_link_flag_name(unsigned int bit)
{
	return LOOKUP(link_flags, bit);
}

unsigned int cxlsw_link_speed_tenths(uint8_t code)
{
	if (code < 1 || code > ARRAY_SIZE(speed_tenths))
		return 0;
	return speed_tenths[code - 1];
}

unsigned int cxlsw_speed_bit_tenths(unsigned int bit)
{
	return bit < ARRAY_SIZE(speed_tenths) ? speed_tenths[bit] : 0;
}

const char *cxlsw_port_op_name(uint8_t op)
{
	return LOOKUP(port_ops, op);
}

const char *cxlsw_unbind_mode_name(uint8_t mode)
{
	return LOOKUP(unbind_modes, mode);
}

const char *cxlsw_cel_effect_name(unsigned int bit)
{
	return LOOKUP(cel_effects, bit);
}

static const char *const device_type_descs[] = {
	"no device", "PCIe device", "CXL Type 1 device",
	"CXL Type 2 device or HBR switch", "CXL Type 3 SLD",
	"CXL Type 3 MLD", "PBR component",
};

const char *cxlsw_device_type_desc(uint8_t v)
{
	return LOOKUP(device_type_descs, v);
}
