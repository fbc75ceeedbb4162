/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the dynamic-capacity commands share (dcd-common.c). */
#ifndef CXLSW_DCD_CLI_H
#define CXLSW_DCD_CLI_H

#include "cli.h"

/* An add or release request holds at most this many extents. */
#define DC_MAX_EXTENTS	((sizeof(((struct change *)0)->req) - \
			  CXLSW_DC_CHANGE_HDR_LEN) / CXLSW_DC_EXTENT_LEN)

/* --port is required and --ld refused: the DCD's own CCI answers 0x56. */
void dcd_target_check(const struct argp_state *state);
/* --host: 0-65535 */
unsigned int dcd_host_arg(const struct argp_state *state, const char *arg);
/* --region: one of the 8 a DCD may have */
long dcd_region_arg(const struct argp_state *state, const char *arg);
/* "DPA:LEN", both sizes ("0x40000000:1G"). */
int parse_extent(const char *s, struct cxlsw_dc_extent *e);

/* Read what a check needs; on failure report and return the exit code. */
int dcd_read_info(const char *cmd, struct cxlsw_dev *dev,
		  struct cxlsw_dcd_info *info);
int dcd_read_regions(const char *cmd, struct cxlsw_dev *dev, uint16_t host,
		     struct cxlsw_dc_regions *r);
int dcd_read_extents(const char *cmd, struct cxlsw_dev *dev, uint16_t host,
		     struct cxlsw_dc_extent_list *l);
/* A host id the device has, or a usage error. */
int dcd_check_host(const char *cmd, struct cxlsw_dev *dev,
		   const struct cxlsw_dcd_info *info, unsigned int host);

/* JSON with the keys of the emulator's topology file ("dcd"). */
void dcd_info_add(struct json_object *o, const struct cxlsw_dcd_info *info);
struct json_object *dc_region_json(unsigned int id,
				   const struct cxlsw_dc_region *r);
void dc_regions_add(struct json_object *o, const struct cxlsw_dc_regions *r);
void dc_extents_add(struct json_object *o,
		    const struct cxlsw_dc_extent_list *l);

/* Human tables of "regions" and "extents", after the other fields. */
void dc_human(struct json_object *o);

/*
 * change_run for the DC commands: the check runs on the tunnelled device,
 * and `after` adds what changed (read back from the device) to a done
 * result, rendered with tables.
 */
typedef void (*dc_after_fn)(struct change *c, struct json_object *result);
int dc_change_run(const char *cmd, const char *name, const void *args,
		  change_check_fn check, dc_after_fn after,
		  const struct change_opts *o);

#endif
