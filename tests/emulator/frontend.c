// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cxl-switch-emu: run a command against emulated CXL switches.
 *
 * Loads one model per --topology, exposes each as /dev/cxl/switchN and
 * /sys/bus/cxl/devices/switchN in a umockdev testbed, runs the command
 * under the umockdev preload and exits with its status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emu.h"
#include "mctp-wire.h"
#include "topology.h"

#define EXIT_USAGE 2
#define PRELOAD "libumockdev-preload.so.0"
/*
 * next to the emulator, preloaded into every child (syslog-shim.c):
 * syslog(3) into the testbed, and the fixed policy path redirected
 */
#define SYSLOG_SHIM "cxl-switch-emu-syslog.so"
/* the shim's variable: where /etc/cxl-switch/policy.conf leads */
#define SHIM_POLICY_ENV "CXLSW_EMU_POLICY"
/* ... and AF_MCTP sockets served by mctp.c (mctp-shim.c) */
#define MCTP_SHIM "cxl-switch-emu-mctp.so"

pthread_mutex_t emu_lock = PTHREAD_MUTEX_INITIALIZER;

struct options {
	const char *topology[EMU_MAX_SWITCHES];
	unsigned int nr_topology;
	const char *save[EMU_MAX_SWITCHES];
	unsigned int nr_save;
	const char *stats;
	const char *trace;	/* --trace FILE: the requests, to replay */
	unsigned int msg_log2;	/* 0: each topology's own */
	const char *lockdown;
	const char *syslog;
	int no_syslog;		/* --no-syslog: no /dev/log in the testbed */
	const char *policy;	/* --policy FILE */
	int tty;
	int no_host;		/* --no-host: no host memdevs in sysfs */
	int mctp;		/* --mctp NET:EID */
	unsigned int mctp_net, mctp_eid;
	unsigned int mctp_type3[MCTP_TYPE3_MAX][3];	/* --mctp-type3 */
	unsigned int nr_mctp_type3;
	int mctp_kernel;	/* --mctp-kernel NET:EID */
	enum mctp_ctl_mode mctp_ctl;	/* --mctp-ctl */
	int no_af_mctp;		/* --no-af-mctp: socket(AF_MCTP) fails */
	char **command;
};

/* what run() sets up for the child */
struct child_io {
	struct syslog_sink *syslog;
	struct mctp_server *mctp;
	struct tty_relay *tty;
	int tty_fd;		/* the slave, or -1 */
};

static const char usage_text[] =
"usage: cxl-switch-emu [--topology FILE|default]... [--msg-limit BYTES]\n"
"                      [--profile full|qemu|minimal]\n"
"                      [--save FILE]... [--stats FILE] [--trace FILE]\n"
"                      [--fail OPCODE:ACTION[:N]]... [--latency MS]\n"
"                      [--bg-polls N] [--bg-fail OPCODE:RC]...\n"
"                      [--cel-omit OPCODE]... [--cel-extra OPCODE:EFFECTS]...\n"
"                      [--paging remaining|literal]\n"
"                      [--lockdown none|integrity|confidentiality]\n"
"                      [--syslog FILE | --no-syslog] [--policy FILE]\n"
"                      [--tty] [--no-host] [--mctp NET:EID] [--no-af-mctp]\n"
"                      [--mctp-type3 NET:EID:PORT]... [--mctp-kernel NET:EID]\n"
"                      [--mctp-ctl lost|error|pldm]\n"
"                      -- COMMAND [ARGS...]\n";

static const char bad_fail[] =
	"bad --fail spec, want OPCODE:ACTION[:N], ACTION a return code, "
	"short=K, long=K, overclaim=K, errno=NAME or delay=MS, or for "
	"0x5300 tag, opcode, category, tunnel-len=K or inner-len=K, "
	"lost, swap=P,Q, or over MCTP wrong-tag or stray, e.g. 0x5101:busy:2";

static void __attribute__((noreturn)) usage_error(const char *opt,
						   const char *why)
{
	/* a bad value gets one line; a bad command line gets the usage */
	if (opt)
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", opt, why);
	else
		fputs(usage_text, stderr);
	exit(EXIT_USAGE);
}

static unsigned int parse_msg_limit(const char *s)
{
	unsigned long v;
	unsigned int log2;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '-' || *end || errno)
		v = 0;
	for (log2 = MODEL_MSG_LOG2_MIN; log2 <= MODEL_MSG_LOG2_MAX; log2++)
		if (v == 1ul << log2)
			return log2;
	fprintf(stderr, "cxl-switch-emu: --msg-limit %s: must be a power of "
		"two from 256 to 1048576\n", s);
	exit(EXIT_USAGE);
}

static void parse_model_opt(int c, const char *arg)
{
	struct model_opts *mo = &model_default_opts;
	unsigned long v;
	char *end;

	switch (c) {
	case 'p':
		if (model_profile_parse(arg, &mo->profile))
			usage_error(arg, "bad --profile, want full, qemu or "
				    "minimal");
		break;
	case 'P':
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (!*arg || *arg == '-' || *end || errno || v > 1000000)
			usage_error(arg, "bad --bg-polls, want 0..1000000");
		mo->bg_polls = v;
		break;
	case 'B':
		if (mo->nr_bg_fail == MODEL_MAX_OPT ||
		    parse_opcode_pair(arg, 1, &mo->bg_fail[mo->nr_bg_fail].opcode,
				      &mo->bg_fail[mo->nr_bg_fail].rc))
			usage_error(arg, "bad --bg-fail spec, want OPCODE:RC, "
				    "e.g. 0x5201:internal-error");
		mo->nr_bg_fail++;
		break;
	case 'O':
		if (mo->nr_cel_omit == MODEL_MAX_OPT ||
		    parse_opcode(arg, &mo->cel_omit[mo->nr_cel_omit]))
			usage_error(arg, "bad --cel-omit, want an opcode like "
				    "0x5102");
		mo->nr_cel_omit++;
		break;
	case 'G':
		if (strcmp(arg, "remaining") && strcmp(arg, "literal"))
			usage_error(arg, "bad --paging, want remaining or literal");
		mo->paging_literal = !strcmp(arg, "literal");
		break;
	case 'X':
		if (mo->nr_cel_extra == MODEL_MAX_OPT ||
		    parse_opcode_pair(arg, 0,
				      &mo->cel_extra[mo->nr_cel_extra].opcode,
				      &mo->cel_extra[mo->nr_cel_extra].effects))
			usage_error(arg, "bad --cel-extra spec, want "
				    "OPCODE:EFFECTS, e.g. 0x5300:0x2");
		mo->nr_cel_extra++;
		break;
	}
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "topology", required_argument, NULL, 't' },
		{ "msg-limit", required_argument, NULL, 'm' },
		{ "profile", required_argument, NULL, 'p' },
		{ "save", required_argument, NULL, 's' },
		{ "stats", required_argument, NULL, 'S' },
		{ "trace", required_argument, NULL, 'R' },
		{ "fail", required_argument, NULL, 'f' },
		{ "latency", required_argument, NULL, 'l' },
		{ "bg-polls", required_argument, NULL, 'P' },
		{ "bg-fail", required_argument, NULL, 'B' },
		{ "cel-omit", required_argument, NULL, 'O' },
		{ "cel-extra", required_argument, NULL, 'X' },
		{ "paging", required_argument, NULL, 'G' },
		{ "lockdown", required_argument, NULL, 'L' },
		{ "syslog", required_argument, NULL, 'Y' },
		{ "no-syslog", no_argument, NULL, 'y' },
		{ "policy", required_argument, NULL, 'A' },
		{ "tty", no_argument, NULL, 'T' },
		{ "no-host", no_argument, NULL, 'N' },
		{ "mctp", required_argument, NULL, 'M' },
		{ "no-af-mctp", no_argument, NULL, 'a' },
		{ "mctp-type3", required_argument, NULL, '3' },
		{ "mctp-kernel", required_argument, NULL, 'K' },
		{ "mctp-ctl", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* "+": the command's own options are not ours */
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (o->nr_topology == EMU_MAX_SWITCHES)
				usage_error("--topology", "too many switches");
			o->topology[o->nr_topology++] = optarg;
			break;
		case 'm':
			o->msg_log2 = parse_msg_limit(optarg);
			break;
		case 's':
			if (o->nr_save == EMU_MAX_SWITCHES)
				usage_error("--save", "given too often");
			o->save[o->nr_save++] = optarg;
			break;
		case 'S':
			o->stats = optarg;
			break;
		case 'R':
			o->trace = optarg;
			break;
		case 'f':
			if (fault_add(optarg))
				usage_error(optarg, bad_fail);
			break;
		case 'l':
			if (fault_set_latency(optarg))
				usage_error(optarg, "bad --latency, want "
					    "0..3600000 ms");
			break;
		case 'p':
		case 'P':
		case 'B':
		case 'O':
		case 'X':
		case 'G':
			parse_model_opt(c, optarg);
			break;
		case 'L':
			if (strcmp(optarg, "none") &&
			    strcmp(optarg, "integrity") &&
			    strcmp(optarg, "confidentiality"))
				usage_error(optarg, "bad --lockdown, want none, "
					    "integrity or confidentiality");
			o->lockdown = optarg;
			break;
		case 'Y':
			o->syslog = optarg;
			break;
		case 'y':
			o->no_syslog = 1;
			break;
		case 'A':
			if (optarg[0] != '/')
				usage_error(optarg, "bad --policy, want an absolute path");
			o->policy = optarg;
			break;
		case 'T':
			o->tty = 1;
			break;
		case 'N':
			o->no_host = 1;
			break;
		case 'M':
			if (mctp_parse_addr(optarg, &o->mctp_net,
					    &o->mctp_eid))
				usage_error(optarg, "bad --mctp, want NET:EID, "
					    "EID 8-254, e.g. 1:8");
			o->mctp = 1;
			break;
		case 'a':
			o->no_af_mctp = 1;
			break;
		case 'C':
			if (!strcmp(optarg, "lost"))
				o->mctp_ctl = MCTP_CTL_LOST;
			else if (!strcmp(optarg, "error"))
				o->mctp_ctl = MCTP_CTL_ERROR;
			else if (!strcmp(optarg, "pldm"))
				o->mctp_ctl = MCTP_CTL_PLDM;
			else
				usage_error(optarg, "bad --mctp-ctl, want "
					    "lost, error or pldm");
			break;
		case 'K':
			if (mctp_parse_addr(optarg, &o->mctp_net,
					    &o->mctp_eid))
				usage_error(optarg, "bad --mctp-kernel, want "
					    "NET:EID, EID 8-254, e.g. 1:8");
			o->mctp_kernel = 1;
			break;
		case '3': {
			unsigned int *t3 = o->mctp_type3[o->nr_mctp_type3];
			char *addr = g_strdup(optarg), *colon = strrchr(addr, ':');
			char *end;
			unsigned long port = 256;
			int bad = !colon || o->nr_mctp_type3 == MCTP_TYPE3_MAX;

			if (!bad) {
				*colon = 0;
				errno = 0;
				port = strtoul(colon + 1, &end, 10);
				bad = colon[1] < '0' || colon[1] > '9' || *end ||
				      errno || port > 255 ||
				      mctp_parse_addr(addr, &t3[0], &t3[1]);
			}
			g_free(addr);
			if (bad)
				usage_error(optarg, "bad --mctp-type3, want "
					    "NET:EID:PORT, EID 8-254, at most 4");
			t3[2] = port;
			o->nr_mctp_type3++;
			break;
		}
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			usage_error(NULL, NULL);
		}
	}
	if (optind >= argc)
		usage_error(NULL, NULL);
	o->command = argv + optind;
	if (!o->nr_topology)
		o->topology[o->nr_topology++] = "default";
	if (o->mctp && o->no_af_mctp)
		usage_error("--no-af-mctp", "makes --mctp unreachable");
	if (o->nr_mctp_type3 && !o->mctp)
		usage_error("--mctp-type3", "needs --mctp");
	if (o->mctp_kernel && (o->mctp || o->no_af_mctp))
		usage_error("--mctp-kernel", "excludes --mctp and --no-af-mctp");
	if (o->nr_save > o->nr_topology)
		usage_error("--save", "given more often than --topology");
	if (o->syslog && o->no_syslog)
		usage_error("--no-syslog", "excludes --syslog");
}

static int load_models(const struct options *o, struct emu_switch *sw)
{
	for (unsigned int i = 0; i < o->nr_topology; i++) {
		const char *t = o->topology[i];

		sw[i].index = i;
		sw[i].model = strcmp(t, "default") ?
			topology_load_file(t) :
			topology_load_string(emu_default_topology, "default");
		if (!sw[i].model)
			return -1;
		model_profile_apply(sw[i].model);
		if (o->msg_log2)
			model_set_msg_log2(sw[i].model, o->msg_log2);
	}
	return 0;
}

/* a shim (SYSLOG_SHIM, MCTP_SHIM) in the emulator's own directory */
static char *find_shim(const char *opt, const char *name)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = exe ? g_path_get_dirname(exe) : NULL;
	char *shim = dir ? g_build_filename(dir, name, NULL) : NULL;

	if (!shim || access(shim, R_OK)) {
		fprintf(stderr, "cxl-switch-emu: %s: %s not found "
			"(make tests/emulator/cxl-switch-emu builds it)\n",
			opt, shim ? shim : name);
		g_free(shim);
		return NULL;
	}
	return shim;
}

/*
 * LD_PRELOAD's value.  Our shims come before umockdev's library: its
 * wrappers call libc's own functions, so a wrapper after them would never
 * see open(), socket() or close().  The syslog shim is always there (the
 * fixed policy path, /dev/log); the MCTP shim with --mctp or --no-af-mctp.
 */
static char *preload_list(const struct options *o)
{
	g_autofree char *syslog = find_shim("--syslog", SYSLOG_SHIM);
	g_autofree char *mctp = NULL;

	if (!syslog)
		return NULL;
	if ((o->mctp || o->no_af_mctp) &&
	    !(mctp = find_shim(o->mctp ? "--mctp" : "--no-af-mctp",
			       MCTP_SHIM)))
		return NULL;
	if (mctp)
		return g_strjoin(":", mctp, syslog, PRELOAD, NULL);
	return g_strjoin(":", syslog, PRELOAD, NULL);
}

/*
 * The child's environment: ours (with UMOCKDEV_DIR) plus the preloads,
 * where the shim sends the policy path: --policy FILE, or a file that
 * does not exist in the testbed, so that the host's own policy never
 * decides a test (a variable of the shim's: the installed tool reads
 * none), and with --mctp where the MCTP shim finds the emulator.  The
 * entries from *own on are ours, LD_PRELOAD last.
 */
static char **child_env(const struct options *o, UMockdevTestbed *tb,
			const char *mctp, unsigned int *own)
{
	extern char **environ;
	const char *old = getenv("LD_PRELOAD");
	g_autofree char *pre = preload_list(o);
	g_autofree char *root = umockdev_testbed_get_root_dir(tb);
	unsigned int n = 0, j = 0;
	char **env;

	if (!pre)
		return NULL;
	while (environ[n])
		n++;
	env = calloc(n + 4, sizeof(*env));
	if (!env)
		return NULL;
	for (unsigned int i = 0; i < n; i++)
		if (strncmp(environ[i], "LD_PRELOAD=", 11) &&
		    strncmp(environ[i], SHIM_POLICY_ENV "=",
			    strlen(SHIM_POLICY_ENV) + 1) &&
		    strncmp(environ[i], MCTP_WIRE_ENV "=",
			    strlen(MCTP_WIRE_ENV) + 1))
			env[j++] = environ[i];
	*own = j;
	env[j++] = o->policy ?
		g_strdup_printf(SHIM_POLICY_ENV "=%s", o->policy) :
		g_strdup_printf(SHIM_POLICY_ENV "=%s/etc/cxl-switch/policy.conf",
				root);
	if (mctp)
		env[j++] = g_strdup_printf(MCTP_WIRE_ENV "=%s", mctp);
	env[j] = old && *old ?
		g_strdup_printf("LD_PRELOAD=%s:%s", pre, old) :
		g_strdup_printf("LD_PRELOAD=%s", pre);
	return env;
}

/* after fork(), so async-signal-safe calls only */
static void __attribute__((noreturn)) exec_child(char **cmd, char **env,
						 const sigset_t *old,
						 pid_t parent, int tty)
{
	static const char msg[] = "cxl-switch-emu: cannot run the command\n";

	/* die with the emulator: without it every ioctl would abort */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	/* --tty: a session of its own, the pty its controlling terminal */
	if (tty >= 0) {
		if (setsid() < 0 || ioctl(tty, TIOCSCTTY, 0) ||
		    dup2(tty, 0) < 0 || dup2(tty, 1) < 0 || dup2(tty, 2) < 0)
			_exit(127);
	}
	sigprocmask(SIG_SETMASK, old, NULL);
	execvpe(cmd[0], cmd, env);
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(127);
	_exit(127);
}

/* Wait for the child, passing on the signals meant for it. */
static int wait_child(pid_t child, const sigset_t *set)
{
	int status;

	for (;;) {
		int sig = sigwaitinfo(set, NULL);

		if (sig < 0)
			continue;	/* EINTR */
		if (sig != SIGCHLD) {
			kill(child, sig);
			continue;
		}
		if (waitpid(child, &status, WNOHANG) == child)
			break;
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* --lockdown, --syslog, --tty, --mctp: 0 or -1 */
static int child_io_start(const struct options *o, UMockdevTestbed *tb,
			  struct emu_switch *sw, struct child_io *io)
{
	io->tty_fd = -1;
	if (o->mctp_kernel) {
		io->mctp = mctp_start_kernel(&sw[0], o->mctp_net, o->mctp_eid);
		if (!io->mctp)
			return -1;
	}
	if (o->mctp) {
		io->mctp = mctp_start(&sw[0], o->mctp_net, o->mctp_eid,
				      (const unsigned int (*)[3])o->mctp_type3,
				      o->nr_mctp_type3);
		if (!io->mctp)
			return -1;
	}
	if (io->mctp)
		mctp_set_ctl(io->mctp, o->mctp_ctl);
	if (o->lockdown && lockdown_create(tb, o->lockdown))
		return -1;
	/* a /dev/log always, as a host has one: changes are refused without */
	if (!o->no_syslog) {
		io->syslog = syslog_start(tb, o->syslog ? o->syslog : "/dev/null");
		if (!io->syslog)
			return -1;
	}
	if (o->tty) {
		io->tty = tty_open();
		if (!io->tty)
			return -1;
		io->tty_fd = tty_slave(io->tty);
	}
	return 0;
}

/* after the child is gone; -1 when the syslog file could not be written */
static int child_io_stop(struct child_io *io)
{
	int rc = 0;

	if (io->tty)
		tty_stop(io->tty);
	if (io->syslog)
		rc = syslog_stop(io->syslog);
	mctp_stop(io->mctp);
	return rc;
}

static int run(const struct options *o, struct emu_switch *sw, int *io_err)
{
	sigset_t set, old;
	UMockdevTestbed *tb;
	pid_t parent = getpid(), child = -1;
	struct child_io io = { 0 };
	char **env = NULL;
	unsigned int own = 0;
	int status = 1;

	/*
	 * Block the signals before umockdev starts its threads, so they all
	 * inherit the mask and only sigwaitinfo() below sees them.
	 */
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, &old);
	tb = testbed_create(sw, o->nr_topology);
	if (!tb)
		return 1;
	if (!o->no_host && host_sysfs_create(tb, sw, o->nr_topology)) {
		testbed_destroy(tb, sw, o->nr_topology);
		return 1;
	}
	if (!child_io_start(o, tb, sw, &io)) {
		env = child_env(o, tb, io.mctp ? mctp_env(io.mctp) :
				o->no_af_mctp ? "none" : NULL, &own);
		if (env)
			child = fork();
		if (child == 0)
			exec_child(o->command, env, &old, parent, io.tty_fd);
		if (env && child < 0)
			fprintf(stderr, "cxl-switch-emu: fork: %s\n",
				strerror(errno));
	}
	if (child > 0) {
		if (io.tty)
			tty_start(io.tty);
		status = wait_child(child, &set);
	}
	*io_err = child_io_stop(&io);
	testbed_destroy(tb, sw, o->nr_topology);
	if (env) {
		/* the entries from own on are ours */
		unsigned int n = 0;

		while (env[n + 1])
			n++;
		for (unsigned int i = own; i <= n; i++)
			g_free(env[i]);
		free(env);
	}
	return status;
}

/* --save and --stats; a failure to write them fails a passing run */
static int write_results(const struct options *o, struct emu_switch *sw,
			 int status, int io_err)
{
	int bad = io_err;

	for (unsigned int i = 0; i < o->nr_save; i++)
		bad |= topology_save(sw[i].model, o->save[i]);
	if (o->stats)
		bad |= stats_write(o->stats);
	if (o->trace)
		bad |= trace_write(o->trace);
	return bad && !status ? 1 : status;
}

int main(int argc, char **argv)
{
	struct emu_switch sw[EMU_MAX_SWITCHES] = { 0 };
	struct options o = { 0 };
	int status = EXIT_USAGE, io_err = 0;

	/* halves the ioctl round trip (umockdev-notes.md) */
	prctl(PR_SET_TIMERSLACK, 1);
	/* tunnelled commands: --fail and --stats (fault-tunnel.c) */
	model_default_opts.tunnel_hook = fault_tunnel_hook;
	parse_options(argc, argv, &o);
	if (!load_models(&o, sw)) {
		status = run(&o, sw, &io_err);
		status = write_results(&o, sw, status, io_err);
	}
	for (unsigned int i = 0; i < o.nr_topology; i++)
		model_free(sw[i].model);
	return status;
}
