// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: the Get Event Records (0x0100) decoder and the three
 * switch record decoders on every record it returns.
 */
#include "cxlswitch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cxlsw_event_record r[64];
	struct cxlsw_physical_switch_event p;
	struct cxlsw_vcs_event v;
	struct cxlsw_mld_port_event m;
	struct cxlsw_event_page pg;
	char uuid[37];

	if (cxlsw_events_decode(data, size, &pg, r, 64))
		return 0;
	for (unsigned int i = 0; i < pg.count && i < 64; i++) {
		/* r3.2: LD and head ids only as flag bits 7 and 8 say */
		if ((!r[i].ld_id_valid && r[i].ld_id) ||
		    (!r[i].head_id_valid && r[i].head_id) ||
		    r[i].ld_id_valid != !!(r[i].flags & CXLSW_EVENT_FLAG_LD_ID_VALID))
			__builtin_trap();
		cxlsw_uuid_string(r[i].uuid, uuid);
		(void)cxlsw_event_severity_name(CXLSW_EVENT_SEVERITY(r[i].flags));
		switch (cxlsw_event_kind_of(r[i].uuid)) {
		case CXLSW_EVENT_PHYSICAL_SWITCH:
			cxlsw_physical_switch_event_decode(r[i].data, &p);
			(void)cxlsw_physical_switch_event_type_name(p.event_type);
			(void)cxlsw_ltssm_name(p.ltssm_state);
			break;
		case CXLSW_EVENT_VIRTUAL_SWITCH:
			cxlsw_vcs_event_decode(r[i].data, &v);
			(void)cxlsw_vcs_event_type_name(v.event_type);
			(void)cxlsw_vppb_binding_name(v.binding_status);
			break;
		case CXLSW_EVENT_MLD_PORT:
			cxlsw_mld_port_event_decode(r[i].data, &m);
			(void)cxlsw_mld_port_event_type_name(m.event_type);
			break;
		case CXLSW_EVENT_UNKNOWN:
			break;
		}
	}
	return 0;
}
