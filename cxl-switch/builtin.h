/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One entry point per command; the dispatch table in main.c lists them. */
#ifndef CXLSW_BUILTIN_H
#define CXLSW_BUILTIN_H

int cmd_list(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_list_ports(int argc, char **argv);
int cmd_list_vcs(int argc, char **argv);
int cmd_bind(int argc, char **argv);
int cmd_unbind(int argc, char **argv);
int cmd_port_control(int argc, char **argv);
int cmd_config_read(int argc, char **argv);
int cmd_config_write(int argc, char **argv);
int cmd_mem_read(int argc, char **argv);
int cmd_mem_write(int argc, char **argv);
int cmd_bg_status(int argc, char **argv);
int cmd_abort(int argc, char **argv);
int cmd_get_response_limit(int argc, char **argv);
int cmd_set_response_limit(int argc, char **argv);
int cmd_commands(int argc, char **argv);
int cmd_raw(int argc, char **argv);
int cmd_list_devices(int argc, char **argv);
int cmd_list_lds(int argc, char **argv);
int cmd_set_lds(int argc, char **argv);
int cmd_topology(int argc, char **argv);
int cmd_dcd_info(int argc, char **argv);
int cmd_dc_regions(int argc, char **argv);
int cmd_dc_extents(int argc, char **argv);
int cmd_dc_add(int argc, char **argv);
int cmd_dc_release(int argc, char **argv);
int cmd_qos(int argc, char **argv);
int cmd_mhd_info(int argc, char **argv);
int cmd_fw_info(int argc, char **argv);
int cmd_fw_update(int argc, char **argv);
int cmd_fw_activate(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_event_policy(int argc, char **argv);
int cmd_timestamp(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_apply(int argc, char **argv);
int cmd_doctor(int argc, char **argv);

#endif
