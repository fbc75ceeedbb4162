// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cxl-switch: git-style dispatch.  Global options come before the command,
 * the command's own options after it; -j and --pretty are taken in both
 * places.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "builtin.h"
#include "cli.h"

const char *argp_program_version = "cxl-switch " CXLSW_VERSION;
const char *argp_program_bug_address = NULL;

struct global_args {
	int cmd_index;
};

static const char global_doc[] =
	"Manage CXL switches through their mailbox CCI.\v"
	"See cxl-switch(1) for exit codes and cxl-switch-COMMAND(1) for each "
	"command.";

/* The command list in --help comes from the dispatch table. */
static char *global_help_filter(int key, const char *text, void *input)
{
	size_t n, len = 0;
	const struct cli_command *cmds = cli_commands(&n);
	char *buf = NULL;
	FILE *f;

	(void)input;
	if (key != ARGP_KEY_HELP_POST_DOC)
		return (char *)text;
	f = open_memstream(&buf, &len);
	if (!f)
		return (char *)text;
	fputs("Commands:\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-20s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n%s", text);
	fclose(f);
	return buf;
}

static error_t global_parse(int key, char *arg, struct argp_state *state)
{
	struct global_args *g = state->input;

	(void)arg;
	switch (key) {
	case ARGP_KEY_ARG:
		/* The command and everything after it belong to the command. */
		g->cmd_index = state->next - 1;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_NO_ARGS:
		usage_error(state, "no command given: try 'cxl-switch help'");
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp_child global_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ &mailbox_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp global_argp = {
	.parser = global_parse,
	.args_doc = "COMMAND [ARGS...]",
	.doc = global_doc,
	.children = global_children,
	.help_filter = global_help_filter,
};

static int list_commands(void)
{
	size_t n;
	const struct cli_command *cmds = cli_commands(&n);

	if (global_output.json) {
		struct json_object *a = json_object_new_array(), *o;

		for (size_t i = 0; i < n; i++) {
			o = json_object_new_object();
			json_add(o, "name", json_object_new_string(cmds[i].name));
			json_add(o, "summary",
				 json_object_new_string(cmds[i].summary));
			json_object_array_add(a, o);
		}
		doc_result(a);
		return EXIT_OK;
	}
	printf("usage: cxl-switch [-j] [--pretty] COMMAND [ARGS...]\n\n");
	for (size_t i = 0; i < n; i++)
		printf("  %-20s %s\n", cmds[i].name, cmds[i].summary);
	printf("\n'cxl-switch help COMMAND' shows a command's manual.\n");
	return EXIT_OK;
}

struct help_args {
	const char *topic;
};

static error_t help_parse(int key, char *arg, struct argp_state *state)
{
	struct help_args *a = state->input;

	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	if (a->topic)
		usage_error(state, "too many arguments: expected one command name");
	a->topic = arg;
	return 0;
}

static const struct argp help_argp = {
	.parser = help_parse,
	.args_doc = "[COMMAND]",
	.doc = "List the commands, or show a command's manual page (on a "
	       "terminal) or its usage (otherwise).",
};

/*
 * man by a fixed path, never the first on PATH: the tool runs as root,
 * and a PATH entry anyone can write would run their "man" as root.
 */
#define MAN_PATH	"/usr/bin/man"

/* Does man know the page?  man -w, with its output thrown away. */
static bool man_has_page(const char *page)
{
	char *argv[] = { "man", "-w", (char *)page, NULL };
	posix_spawn_file_actions_t fa;
	int status = -1;
	pid_t pid;

	if (access(MAN_PATH, X_OK) || posix_spawn_file_actions_init(&fa))
		return false;
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
					 O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
					 O_WRONLY, 0);
	if (!posix_spawn(&pid, MAN_PATH, &fa, NULL, argv, environ))
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	posix_spawn_file_actions_destroy(&fa);
	return WIFEXITED(status) && !WEXITSTATUS(status);
}

/*
 * Like git: on a terminal the manual page, when man can find it;
 * otherwise the command's --help, which needs nothing installed.
 */
static int cmd_help(int argc, char **argv)
{
	struct help_args a = { NULL };
	const struct cli_command *cmd;
	char page[64];
	char *help_argv[] = { NULL, "--help", NULL };

	cli_parse(&help_argp, "help", argc, argv, &a);
	if (!a.topic)
		return list_commands();
	cmd = cli_command_find(a.topic);
	if (!cmd)
		return cli_fail("help", EXIT_USAGE,
				"unknown command '%s': see 'cxl-switch help'",
				a.topic);
	if (cmd->run == cmd_help)
		return list_commands();
	snprintf(page, sizeof(page), "cxl-switch-%s", cmd->name);
	if (isatty(STDOUT_FILENO) && man_has_page(page)) {
		fflush(NULL);
		execl(MAN_PATH, "man", page, (char *)NULL);
	}
	help_argv[0] = (char *)cmd->name;
	return cmd->run(2, help_argv);
}

/* The one table of commands: adding a command adds a row here. */
static const struct cli_command commands[] = {
	{ "list", cmd_list, "every switch CCI device and its identity", "switches" },
	{ "identify", cmd_identify, "Identify and Identify Switch Device", "identify" },
	{ "list-ports", cmd_list_ports, "physical port state", "ports" },
	{ "list-vcs", cmd_list_vcs, "virtual CXL switches and their vPPBs", "vcss" },
	{ "bind", cmd_bind, "bind a port or an LD to a host's vPPB", "change" },
	{ "unbind", cmd_unbind, "unbind a vPPB", "change" },
	{ "port-control", cmd_port_control, "assert or deassert PERST#, or reset a port", "change" },
	{ "config-read", cmd_config_read, "read a port's PCIe configuration space", "config" },
	{ "config-write", cmd_config_write, "write a port's PCIe configuration space", "change" },
	{ "mem-read", cmd_mem_read, "read an LD's CXL.io memory space", "memory" },
	{ "mem-write", cmd_mem_write, "write an LD's CXL.io memory space", "change" },
	{ "bg-status", cmd_bg_status, "the background operation's status", "background" },
	{ "abort", cmd_abort, "abort the running background operation", "change" },
	{ "get-response-limit", cmd_get_response_limit, "the response message limit", "response_limit" },
	{ "set-response-limit", cmd_set_response_limit, "set the response message limit", "change" },
	{ "commands", cmd_commands, "the command catalog, and what a switch supports", "commands" },
	{ "fw-info", cmd_fw_info, "the firmware slots and their revisions", "firmware" },
	{ "fw-update", cmd_fw_update, "transfer a firmware image to a slot", "change" },
	{ "fw-activate", cmd_fw_activate, "activate the firmware in a slot", "change" },
	{ "events", cmd_events, "the event logs, and clearing them", "events" },
	{ "event-policy", cmd_event_policy, "the event interrupt policy", "event_policy" },
	{ "timestamp", cmd_timestamp, "the switch's clock", "timestamp" },
	{ "doctor", cmd_doctor, "what looks wrong, and the command that fixes it", "doctor" },
	{ "monitor", cmd_monitor, "print port, vPPB and event changes as they happen", "monitor" },
	{ "raw", cmd_raw, "send a vendor command (0xC000-0xFFFF), unsafe", "raw" },
	{ "list-devices", cmd_list_devices, "the devices behind the switch's ports, of every type", "devices" },
	{ "list-lds", cmd_list_lds, "the LDs of a pooled device and their memory", "lds" },
	{ "set-lds", cmd_set_lds, "set the memory of LDs of a pooled device", "change" },
	{ "topology", cmd_topology, "the fabric at a glance: hosts, ports, devices, LDs", "topology" },
	{ "dcd-info", cmd_dcd_info, "a dynamic capacity device's hosts, regions and policies", "dcd" },
	{ "dc-regions", cmd_dc_regions, "a host's dynamic capacity regions, or set one", "regions" },
	{ "dc-extents", cmd_dc_extents, "the dynamic capacity extents a host holds", "extents" },
	{ "dc-add", cmd_dc_add, "offer dynamic capacity to a host", "change" },
	{ "dc-release", cmd_dc_release, "take dynamic capacity back from a host", "change" },
	{ "qos", cmd_qos, "QoS control, status and LD bandwidth of a pooled device", "qos" },
	{ "mhd-info", cmd_mhd_info, "the heads of a multi-headed device and its LDs", "mhd" },
	{ "export", cmd_export, "the switch's state as a desired-state file", "fabric" },
	{ "plan", cmd_plan, "the steps from a switch to a desired-state file", "plan" },
	{ "apply", cmd_apply, "take switches to a desired-state file, or roll back", "apply" },
	{ "help", cmd_help, "list the commands, or show one's manual", "commands" },
};

const struct cli_command *cli_commands(size_t *count)
{
	*count = ARRAY_SIZE(commands);
	return commands;
}

const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct global_args g = { .cmd_index = 0 };
	const struct cli_command *cmd;
	int code;

	argp_err_exit_status = EXIT_USAGE;
	doc_start(argc, argv);
	cli_argp_parse(&global_argp, argc, argv, ARGP_IN_ORDER, &g);
	cmd = cli_command_find(argv[g.cmd_index]);
	if (!cmd) {
		code = cli_fail(NULL, EXIT_USAGE,
				"unknown command '%s': see 'cxl-switch help'",
				argv[g.cmd_index]);
		return doc_flush(code) ? EXIT_IO : code;
	}
	doc_command(cmd->name, cmd->json_key);
	code = cmd->run(argc - g.cmd_index, argv + g.cmd_index);
	policy_release();
	if (doc_flush(code) && !code)
		code = EXIT_IO;
	return code;
}
