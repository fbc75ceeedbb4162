// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One change at a time per switch.  A state-changing command holds the
 * switch's lock (flock on its node, lib/transport-ioctl.c) from its first
 * read of the switch's state to its read-back of the outcome, so that
 * nothing it sends is computed from a state another change has since
 * altered.  A second one waits, saying for whom, or is refused at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define LOCK_POLL_MS	50

/* "pid 412 (cxl-switch set-lds switch0 --port 7 12=2G)" */
static void holder_text(pid_t pid, char *buf, size_t len)
{
	char path[64], cmdline[160];
	ssize_t n = -1;
	int fd;

	if (!pid) {
		snprintf(buf, len, "a process this host does not name");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, cmdline, sizeof(cmdline) - 1);
		close(fd);
	}
	if (n <= 0) {
		snprintf(buf, len, "pid %d", (int)pid);
		return;
	}
	/* arguments are NUL-separated; control characters are not shown */
	for (ssize_t i = 0; i < n; i++)
		if ((unsigned char)cmdline[i] < 0x20 || cmdline[i] == 0x7f)
			cmdline[i] = cmdline[i] ? '?' : ' ';
	while (n && cmdline[n - 1] == ' ')
		n--;
	cmdline[n] = '\0';
	snprintf(buf, len, "pid %d (%s%s)", (int)pid, cmdline,
		 n == (ssize_t)sizeof(cmdline) - 1 ? "..." : "");
}

static double elapsed_s(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int change_lock(const char *cmd, struct cxlsw_dev *dev,
		const struct change_opts *o)
{
	struct cxlsw_dev *sw = target_switch(dev);
	const char *name = cxlsw_dev_name(sw);
	struct timespec start, pause = { 0, LOCK_POLL_MS * 1000000L };
	bool told = false;
	char who[256];
	pid_t pid;
	int rc;

	if (o->dry_run)
		return 0;	/* sends nothing: changes nothing */
	change_catch_signals();
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((rc = cxlsw_dev_trylock(sw, &pid)) == -EWOULDBLOCK) {
		holder_text(pid, who, sizeof(who));
		if (o->no_lock_wait)
			return cli_fail(cmd, EXIT_LOCKED,
					"%s: another change holds the switch: %s; not waiting (--no-lock-wait), nothing was sent",
					name, who);
		if (o->timeout_s && elapsed_s(&start) >= o->timeout_s)
			return cli_fail(cmd, EXIT_LOCKED,
					"%s: %s still holds the switch after %u s (--timeout): nothing was sent",
					name, who, o->timeout_s);
		if (!told) {
			fprintf(stderr, "cxl-switch %s: %s: waiting for %s, which is changing the switch\n",
				cmd, name, who);
			told = true;
		}
		if (change_signal())
			return change_stopped_before_sending(cmd);
		nanosleep(&pause, NULL);
	}
	if (rc)
		return cli_fail(cmd, EXIT_IO, "%s: cannot lock the switch for a change: %s",
				name, strerror(-rc));
	return 0;
}
