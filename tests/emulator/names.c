// SPDX-License-Identifier: LGPL-2.1-or-later
/* Emulated CXL switch: wire code names (see names.h). */
#include <stddef.h>
#include <string.h>

#include "names.h"

#define TABLE(var, maxval, ...)						\
	static const struct name_val var##_vals[] = { __VA_ARGS__,	\
						      { 0, NULL } };	\
	const struct name_table var = { var##_vals, maxval }

TABLE(names_config_state, 0xf,
	{ 0x0, "disabled" }, { 0x1, "bind_in_progress" },
	{ 0x2, "unbind_in_progress" }, { 0x3, "dsp" }, { 0x4, "usp" },
	{ 0x5, "fabric_port" }, { 0xf, "invalid" });

TABLE(names_cxl_version, 0xf,
	{ 0, "none" }, { 1, "rcd" }, { 2, "cxl_68b_flit_vh" },
	{ 3, "cxl_256b_flit" },		/* r3.2 Table 7-19: */
	{ 4, "cxl_latency_optimized_256b_flit" }, { 5, "cxl_pbr" });

TABLE(names_device_type, 0xff,
	{ 0, "none" }, { 1, "pcie" }, { 2, "cxl_type1" },
	{ 3, "cxl_type2_or_hbr_switch" }, { 4, "cxl_type3_sld" },
	{ 5, "cxl_type3_mld" }, { 6, "pbr_component" });

TABLE(names_ltssm, 0xff,
	{ 0x0, "detect" }, { 0x1, "polling" }, { 0x2, "configuration" },
	{ 0x3, "recovery" }, { 0x4, "l0" }, { 0x5, "l0s" }, { 0x6, "l1" },
	{ 0x7, "l2" }, { 0x8, "disabled" }, { 0x9, "loopback" },
	{ 0xa, "hot_reset" });

TABLE(names_vcs_state, 0xff,
	{ 0, "disabled" }, { 1, "enabled" });

TABLE(names_binding, 0xff,
	{ 0, "unbound" }, { 1, "in_progress" }, { 2, "bound_port" },
	{ 3, "bound_ld" }, { 4, "bound_pid" });	/* r3.2 Table 7-32 */

TABLE(names_component, 0xff,
	{ 0x00, "switch" }, { 0x03, "type3" }, { 0x04, "gfd" });

TABLE(names_version_bits, 7,
	{ 0, "cxl_1.1" }, { 1, "cxl_2.0" }, { 2, "256b_flit" },
	{ 3, "latency_optimized_256b_flit" }, { 4, "pbr" });	/* r3.2 T 7-19 */

int name_to_val(const struct name_table *t, const char *name,
		unsigned int *val)
{
	for (const struct name_val *v = t->vals; v->name; v++) {
		if (!strcmp(v->name, name)) {
			*val = v->val;
			return 0;
		}
	}
	return -1;
}

const char *val_to_name(const struct name_table *t, unsigned int val)
{
	for (const struct name_val *v = t->vals; v->name; v++)
		if (v->val == val)
			return v->name;
	return NULL;
}

const double link_speeds_gts[NR_LINK_SPEEDS] = {
	2.5, 5.0, 8.0, 16.0, 32.0, 64.0
};

/* written as text so 8.0 stays "8.0" in saved files */
const char *const link_speeds_str[NR_LINK_SPEEDS] = {
	"2.5", "5.0", "8.0", "16.0", "32.0", "64.0"
};

int speed_index(double gts)
{
	for (int i = 0; i < NR_LINK_SPEEDS; i++)
		if (gts == link_speeds_gts[i])
			return i;
	return -1;
}
