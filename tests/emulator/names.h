/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Emulated CXL switch: the topology JSON's names for wire codes.
 *
 * These tables are the emulator's own, written from the specification
 * (cxl-cci.md); the tool keeps its own, so a mistake on either side shows
 * up as a test failure instead of cancelling out.
 */
#ifndef _EMU_NAMES_H_
#define _EMU_NAMES_H_

#include <stdint.h>

struct name_val {
	unsigned int val;
	const char *name;
};

/* a closed list of names, plus the largest raw integer the field holds */
struct name_table {
	const struct name_val *vals;
	unsigned int max;
};

extern const struct name_table names_config_state;
extern const struct name_table names_cxl_version;
extern const struct name_table names_device_type;
extern const struct name_table names_ltssm;
extern const struct name_table names_vcs_state;
extern const struct name_table names_binding;
extern const struct name_table names_component;
/* bit number -> name, for the supported CXL versions bitmap */
extern const struct name_table names_version_bits;

/* 0 on success; a name not in the table is an error */
int name_to_val(const struct name_table *t, const char *name,
		unsigned int *val);
/* NULL when the value has no name (written back as an integer) */
const char *val_to_name(const struct name_table *t, unsigned int val);

/* link speeds in GT/s: bit n of the vector is speeds[n], code n + 1 */
#define NR_LINK_SPEEDS 6
extern const double link_speeds_gts[NR_LINK_SPEEDS];
extern const char *const link_speeds_str[NR_LINK_SPEEDS];
/* index into link_speeds_gts, or -1 */
int speed_index(double gts);

#endif /* _EMU_NAMES_H_ */
