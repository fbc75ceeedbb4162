/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One entry point per command; the dispatch table in main.c lists them. */
#ifndef CXLSW_BUILTIN_H
#define CXLSW_BUILTIN_H

int cmd_list(int argc, char **argv);
int cmd_identify(int argc, char **argv);
int cmd_list_ports(int argc, char **argv);
int cmd_list_vcs(int argc, char **argv);

#endif
