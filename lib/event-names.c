// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Words for the values of event records and the interrupt policy: the
 * JSON output and the human tables use them, scripts match on them.
 */
#include "private.h"

static const char *const event_logs[] = {
	"info", "warning", "failure", "fatal", "dcd",
};

static const char *const severities[] = {
	"info", "warning", "failure", "fatal",
};

/* bits 2..5 of the record flags; 0..1 are the severity */
static const char *const event_flags[] = {
	NULL, NULL, "permanent_condition", "maintenance_needed",
	"performance_degraded", "hardware_replacement_needed",
};

static const char *const event_kinds[] = {
	"unknown", "physical_switch", "virtual_cxl_switch", "mld_port",
};

static const char *const physical_switch_event_types[] = {
	"link_state_change", "slot_status_register_updated",
};

static const char *const vcs_event_types[] = {
	"binding_change", "secondary_bus_reset",
	"link_control_register_updated", "slot_control_register_updated",
};

static const char *const mld_port_event_types[] = {
	"correctable_message_received", "non_fatal_message_received",
	"fatal_message_received",
};

static const char *const irq_modes[] = {
	"none", "msi", "fw",
};

const char *cxlsw_event_log_name(uint8_t log)
{
	return LOOKUP(event_logs, log);
}

const char *cxlsw_event_severity_name(uint8_t sev)
{
	return LOOKUP(severities, sev);
}

const char *cxlsw_event_flag_name(unsigned int bit)
{
	return LOOKUP(event_flags, bit);
}

const char *cxlsw_event_kind_name(enum cxlsw_event_kind kind)
{
	return LOOKUP(event_kinds, kind);
}

const char *cxlsw_physical_switch_event_type_name(uint8_t v)
{
	return LOOKUP(physical_switch_event_types, v);
}

const char *cxlsw_vcs_event_type_name(uint8_t v)
{
	return LOOKUP(vcs_event_types, v);
}

const char *cxlsw_mld_port_event_type_name(uint8_t v)
{
	return LOOKUP(mld_port_event_types, v);
}

const char *cxlsw_irq_mode_name(uint8_t v)
{
	return LOOKUP(irq_modes, v);
}
