// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The MCTP endpoints that mctpd knows, for list and completion.  mctpd
 * (CodeConstruct's MCTP control daemon) publishes each endpoint on the
 * system bus as service au.com.codeconstruct.MCTP1, one object per
 * endpoint under its ObjectManager /au/com/codeconstruct/mctp1, with the
 * interface xyz.openbmc_project.MCTP.Endpoint: NetworkId (u), EID (y) and
 * SupportedMessageTypes (ay).  Only the endpoints that list a CXL message
 * type (0x07 FM-API, DSP0234; 0x08 Type 3 CCI, DSP0281) are kept.
 *
 * No D-Bus library is linked: busctl(1), which systemd ships on every
 * machine that runs mctpd under it, is asked once, with --json=short.  It
 * is not run at all unless a system bus exists and an mctpd process runs
 * (a look at each /proc/PID/comm), so a machine without MCTP pays nothing,
 * and a process merely named mctpd on a machine with no bus (a test's
 * stand-in, say) makes no other run fail.  Where /proc hides other users'
 * processes (mounted with hidepid, as hardened BMCs do) and we are not
 * root, the look cannot tell, so the bus is asked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define MCTPD_COMM	"mctpd"
#define MCTPD_SERVICE	"au.com.codeconstruct.MCTP1"
#define MCTPD_PATH	"/au/com/codeconstruct/mctp1"
#define MCTPD_IFACE	"xyz.openbmc_project.MCTP.Endpoint"
#define BUSCTL_MAX_OUT	(4u << 20)	/* a few thousand endpoints */
/* the D-Bus specification's default system bus address */
#define SYSTEM_BUS_SOCKET	"/run/dbus/system_bus_socket"

/*
 * Whether the system bus busctl would reach exists: the socket that
 * DBUS_SYSTEM_BUS_ADDRESS names (as busctl reads it), else the default.
 * Other address kinds (abstract sockets, tcp) cannot be checked here and
 * count as present.
 */
static bool system_bus_exists(void)
{
	const char *addr = getenv("DBUS_SYSTEM_BUS_ADDRESS");
	char path[300];

	if (!addr || !*addr)
		return !access(SYSTEM_BUS_SOCKET, F_OK);
	if (strncmp(addr, "unix:path=", 10))
		return true;
	snprintf(path, sizeof(path), "%.*s", (int)strcspn(addr + 10, ",;"),
		 addr + 10);
	return !access(path, F_OK);
}

/*
 * Whether /proc shows us only our own processes: the last mount on /proc
 * (the one on top) has hidepid=1/noaccess, 2/invisible or 4/ptraceable
 * (proc(5)), and we are not root, whom it does not hide them from.
 */
static bool proc_hides_others(void)
{
	char line[1024];
	bool hides = false;
	FILE *f;

	if (!geteuid())
		return false;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char mnt[64], *opt;

		/* ID PARENT MAJ:MIN ROOT MOUNT-POINT ... - TYPE SOURCE SUPER-OPTIONS */
		if (sscanf(line, "%*s %*s %*s %*s %63s", mnt) != 1 ||
		    strcmp(mnt, "/proc"))
			continue;
		opt = strstr(line, " - proc ");
		opt = opt ? strstr(opt, "hidepid=") : NULL;
		hides = opt && strncmp(opt + 8, "0", 1) &&
			strncmp(opt + 8, "off", 3);
	}
	fclose(f);
	return hides;
}

static bool mctpd_process_runs(void)
{
	char path[300], comm[32];
	struct dirent *e;
	bool found = false;
	DIR *d = opendir("/proc");
	ssize_t n;
	int fd;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n <= 0)
			continue;
		comm[n] = 0;
		comm[strcspn(comm, "\n")] = 0;
		found = !strcmp(comm, MCTPD_COMM);
	}
	closedir(d);
	return found;
}

bool mctpd_running(void)
{
	return system_bus_exists() &&
	       (mctpd_process_runs() || proc_hides_others());
}

/* busctl's stdout, NUL-terminated, or NULL with @why set */
static char *run_busctl(char *why, size_t whylen)
{
	char *argv[] = { "busctl", "--json=short", "--timeout=5", "call",
			 MCTPD_SERVICE, MCTPD_PATH,
			 "org.freedesktop.DBus.ObjectManager",
			 "GetManagedObjects", NULL };
	size_t len = 0, cap = 65536;
	char *out = malloc(cap + 1), *grown;
	int pipefd[2], status, devnull;
	ssize_t n;
	pid_t pid;

	if (!out || pipe2(pipefd, O_CLOEXEC)) {
		snprintf(why, whylen, "%s", strerror(errno));
		free(out);
		return NULL;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "cannot run busctl: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		free(out);
		return NULL;
	}
	if (!pid) {
		devnull = open("/dev/null", O_RDWR);
		dup2(devnull, STDIN_FILENO);
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		n = read(pipefd[0], out + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap) {
			if (cap >= BUSCTL_MAX_OUT)
				break;
			grown = realloc(out, cap * 2 + 1);
			if (!grown)
				break;
			out = grown;
			cap *= 2;
		}
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	out[len] = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(why, whylen, "busctl (from systemd) is not installed");
	} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		snprintf(why, whylen, "busctl could not ask %s", MCTPD_SERVICE);
	} else if (len == cap) {
		snprintf(why, whylen, "busctl's answer is over %u bytes",
			 BUSCTL_MAX_OUT);
	} else {
		return out;
	}
	free(out);
	return NULL;
}

/* a busctl variant {"type": T, "data": V}: its data when of type @type */
static struct json_object *variant(struct json_object *props,
				   const char *name, const char *type)
{
	struct json_object *v, *t, *d;

	if (!json_object_object_get_ex(props, name, &v) ||
	    !json_object_object_get_ex(v, "type", &t) ||
	    !json_object_is_type(t, json_type_string) ||
	    strcmp(json_object_get_string(t), type) ||
	    !json_object_object_get_ex(v, "data", &d))
		return NULL;
	return d;
}

static int by_net_eid(const void *a, const void *b)
{
	const struct mctpd_endpoint *x = a, *y = b;

	if (x->net != y->net)
		return x->net < y->net ? -1 : 1;
	return x->eid - y->eid;
}

/* one endpoint object: kept when it is whole and speaks CXL */
static void take(struct json_object *ifaces, struct mctpd_endpoint *eps,
		 size_t *n, size_t max)
{
	struct json_object *props, *net, *eid, *types, *t;
	int64_t netv, eidv, tv;
	uint8_t mask = 0;

	if (*n == max ||
	    !json_object_object_get_ex(ifaces, MCTPD_IFACE, &props) ||
	    !(net = variant(props, "NetworkId", "u")) ||
	    !(eid = variant(props, "EID", "y")) ||
	    !(types = variant(props, "SupportedMessageTypes", "ay")) ||
	    !json_object_is_type(net, json_type_int) ||
	    !json_object_is_type(eid, json_type_int) ||
	    !json_object_is_type(types, json_type_array))
		return;
	netv = json_object_get_int64(net);
	eidv = json_object_get_int64(eid);
	if (netv < 0 || netv > INT32_MAX || eidv < 8 || eidv > 254)
		return;
	for (size_t i = 0; i < json_object_array_length(types); i++) {
		t = json_object_array_get_idx(types, i);
		if (!json_object_is_type(t, json_type_int))
			continue;
		tv = json_object_get_int64(t);
		if (tv == CXLSW_MCTP_TYPE_FMAPI)
			mask |= MCTPD_FMAPI;
		else if (tv == CXLSW_MCTP_TYPE_CCI)
			mask |= MCTPD_CCI;
	}
	if (!mask)
		return;
	eps[*n].net = (unsigned int)netv;
	eps[*n].eid = (uint8_t)eidv;
	eps[*n].types = mask;
	(*n)++;
}

int mctpd_parse(const char *text, struct mctpd_endpoint **out,
		size_t *count, char *why, size_t whylen)
{
	struct json_object *root, *data, *objs;
	struct mctpd_endpoint *eps;
	size_t n = 0, max;

	*out = NULL;
	*count = 0;
	root = json_tokener_parse(text);
	if (!root || !json_object_object_get_ex(root, "data", &data) ||
	    !json_object_is_type(data, json_type_array) ||
	    json_object_array_length(data) != 1 ||
	    !json_object_is_type(objs = json_object_array_get_idx(data, 0),
				 json_type_object)) {
		snprintf(why, whylen, "mctpd's GetManagedObjects answer is not the a{oa{sa{sv}}} it should be");
		json_object_put(root);
		return -1;
	}
	max = (size_t)json_object_object_length(objs);
	eps = calloc(max ? max : 1, sizeof(*eps));
	if (!eps) {
		json_object_put(root);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	json_object_object_foreach(objs, path, ifaces) {
		(void)path;
		if (json_object_is_type(ifaces, json_type_object))
			take(ifaces, eps, &n, max);
	}
	json_object_put(root);
	qsort(eps, n, sizeof(*eps), by_net_eid);
	*out = eps;
	*count = n;
	return 0;
}

int mctpd_endpoints(struct mctpd_endpoint **out, size_t *count, char *why,
		    size_t whylen)
{
	char *text;
	int rc;

	*out = NULL;
	*count = 0;
	if (!mctpd_running())
		return 0;
	text = run_busctl(why, whylen);
	if (!text)
		return -1;
	rc = mctpd_parse(text, out, count, why, whylen);
	free(text);
	return rc;
}
