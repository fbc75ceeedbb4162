// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cxl-switch-emu: what the child sees besides the switches. A kernel
 * lockdown file (--lockdown), a syslog socket whose messages go to a file
 * (--syslog), a pseudo-terminal for its stdin/stdout/stderr (--tty).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "emu.h"

static const char *const lockdown_modes[] = {
	"none", "integrity", "confidentiality", NULL
};

/*
 * /sys/kernel/security/lockdown as the kernel prints it: every mode,
 * the active one in brackets. umockdev sends every /sys path into the
 * testbed, so without this file the child finds none.
 */
int lockdown_create(UMockdevTestbed *tb, const char *mode)
{
	g_autofree char *sys = umockdev_testbed_get_sys_dir(tb);
	g_autofree char *dir = g_strdup_printf("%s/kernel/security", sys);
	g_autofree char *path = g_strdup_printf("%s/lockdown", dir);
	GString *line = g_string_new(NULL);
	int rc = 0;

	for (unsigned int i = 0; lockdown_modes[i]; i++)
		g_string_append_printf(line, i ? " %s%s%s" : "%s%s%s",
				       strcmp(mode, lockdown_modes[i]) ? "" : "[",
				       lockdown_modes[i],
				       strcmp(mode, lockdown_modes[i]) ? "" : "]");
	g_string_append_c(line, '\n');
	if (g_mkdir_with_parents(dir, 0755) ||
	    !g_file_set_contents(path, line->str, line->len, NULL)) {
		fprintf(stderr, "cxl-switch-emu: %s: cannot create\n", path);
		rc = -1;
	}
	g_string_free(line, TRUE);
	return rc;
}

/* --syslog: a datagram socket at ROOT/dev/log and a thread reading it */
struct syslog_sink {
	int sock;
	int stop[2];		/* a byte on stop[1]: drain and end */
	FILE *out;
	int err;
	pthread_t thread;
};

/*
 * "<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE": drop "<PRI>" and the 16
 * characters of the timestamp, keep the rest, one line per message.
 */
static void syslog_line(struct syslog_sink *s, char *msg, size_t len)
{
	char *p = msg, *end = msg + len;

	if (p < end && *p == '<') {
		char *gt = memchr(p, '>', end - p);

		if (gt)
			p = gt + 1;
	}
	/* "Jan  5 12:34:56 " */
	if (end - p >= 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' &&
	    p[12] == ':' && p[15] == ' ')
		p += 16;
	while (end > p && (end[-1] == '\n' || end[-1] == '\0'))
		end--;
	if (fprintf(s->out, "%.*s\n", (int)(end - p), p) < 0)
		s->err = 1;
}

static void *syslog_thread(void *arg)
{
	struct syslog_sink *s = arg;
	static char buf[65536];

	for (;;) {
		struct pollfd p[2] = { { s->sock, POLLIN, 0 },
				       { s->stop[0], POLLIN, 0 } };
		ssize_t n;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN) {
			n = recv(s->sock, buf, sizeof(buf), MSG_DONTWAIT);
			if (n >= 0)
				syslog_line(s, buf, n);
			continue;
		}
		if (p[1].revents)
			break;
	}
	/* whatever the child sent before it exited is queued: take it all */
	for (;;) {
		ssize_t n = recv(s->sock, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0)
			break;
		syslog_line(s, buf, n);
	}
	return NULL;
}

struct syslog_sink *syslog_start(UMockdevTestbed *tb, const char *path)
{
	g_autofree char *root = umockdev_testbed_get_root_dir(tb);
	g_autofree char *dev = g_strdup_printf("%s/dev", root);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct syslog_sink *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->sock = -1;
	s->stop[0] = s->stop[1] = -1;
	s->out = fopen(path, "w");
	if (!s->out) {
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", path,
			strerror(errno));
		goto fail;
	}
	setvbuf(s->out, NULL, _IOLBF, 0);
	if ((size_t)snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/log",
			     dev) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "cxl-switch-emu: %s/log: path too long\n", dev);
		goto fail;
	}
	s->sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->sock < 0 || g_mkdir_with_parents(dev, 0755) ||
	    bind(s->sock, (struct sockaddr *)&addr, sizeof(addr)) ||
	    pipe2(s->stop, O_CLOEXEC)) {
		fprintf(stderr, "cxl-switch-emu: %s: %s\n", addr.sun_path,
			strerror(errno));
		goto fail;
	}
	if (pthread_create(&s->thread, NULL, syslog_thread, s)) {
		fprintf(stderr, "cxl-switch-emu: --syslog: no thread\n");
		goto fail;
	}
	return s;
fail:
	if (s->sock >= 0)
		close(s->sock);
	if (s->stop[0] >= 0) {
		close(s->stop[0]);
		close(s->stop[1]);
	}
	if (s->out)
		fclose(s->out);
	free(s);
	return NULL;
}

int syslog_stop(struct syslog_sink *s)
{
	int rc;

	if (write(s->stop[1], "", 1) < 0)
		pthread_cancel(s->thread);
	pthread_join(s->thread, NULL);
	close(s->sock);
	close(s->stop[0]);
	close(s->stop[1]);
	rc = s->err | (fclose(s->out) ? 1 : 0);
	free(s);
	return rc ? -1 : 0;
}

/* --tty: the master side, our stdin copied in, its output copied out */
struct tty_relay {
	int master;
	int slave;	/* held open, so the master never sees a hang-up */
	int stop[2];
	pthread_t thread;
};

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= n;
	}
	return 0;
}

/* a non-blocking read of what the child left on the terminal */
static void tty_drain(struct tty_relay *t, char *buf, size_t len)
{
	int fl = fcntl(t->master, F_GETFL);
	ssize_t n;

	fcntl(t->master, F_SETFL, fl | O_NONBLOCK);
	while ((n = read(t->master, buf, len)) > 0)
		if (write_all(1, buf, n))
			break;
}

static void *tty_thread(void *arg)
{
	struct tty_relay *t = arg;
	int in_open = 1;
	char buf[4096];

	for (;;) {
		struct pollfd p[3] = { { t->master, POLLIN, 0 },
				       { t->stop[0], POLLIN, 0 },
				       { in_open ? 0 : -1, POLLIN, 0 } };
		ssize_t n;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & POLLIN) {
			n = read(t->master, buf, sizeof(buf));
			if (n > 0 && !write_all(1, buf, n))
				continue;
		}
		if (p[1].revents)
			break;
		if (p[0].revents & (POLLHUP | POLLERR)) {
			/* nothing holds the slave side: wait for the stop */
			poll(&p[1], 1, -1);
			break;
		}
		if (p[2].revents) {
			n = read(0, buf, sizeof(buf));
			if (n > 0) {
				write_all(t->master, buf, n);
			} else if (n == 0 || errno != EINTR) {
				struct termios tio;

				/* EOF: a reader in canonical mode sees it */
				in_open = 0;
				if (!tcgetattr(t->slave, &tio) &&
				    (tio.c_lflag & ICANON))
					write_all(t->master,
						  (char *)&tio.c_cc[VEOF], 1);
			}
		}
	}
	tty_drain(t, buf, sizeof(buf));
	return NULL;
}

struct tty_relay *tty_open(void)
{
	struct tty_relay *t = calloc(1, sizeof(*t));
	struct termios tio;
	char name[128];

	if (!t)
		return NULL;
	t->stop[0] = t->stop[1] = -1;
	t->slave = -1;
	t->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->master < 0 || grantpt(t->master) || unlockpt(t->master) ||
	    ptsname_r(t->master, name, sizeof(name)) ||
	    (t->slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    pipe2(t->stop, O_CLOEXEC)) {
		fprintf(stderr, "cxl-switch-emu: --tty: %s\n", strerror(errno));
		goto fail;
	}
	/*
	 * No echo of the input and no \n -> \r\n on output: the emulator's
	 * stdout gets exactly the bytes the child wrote.
	 */
	if (!tcgetattr(t->slave, &tio)) {
		tio.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
		tio.c_oflag &= ~ONLCR;
		tcsetattr(t->slave, TCSANOW, &tio);
	}
	return t;
fail:
	if (t->slave >= 0)
		close(t->slave);
	if (t->master >= 0)
		close(t->master);
	if (t->stop[0] >= 0) {
		close(t->stop[0]);
		close(t->stop[1]);
	}
	free(t);
	return NULL;
}

int tty_slave(const struct tty_relay *t)
{
	return t->slave;
}

void tty_start(struct tty_relay *t)
{
	if (pthread_create(&t->thread, NULL, tty_thread, t))
		t->thread = 0;
}

void tty_stop(struct tty_relay *t)
{
	if (t->thread) {
		if (write(t->stop[1], "", 1) < 0)
			pthread_cancel(t->thread);
		pthread_join(t->thread, NULL);
	}
	close(t->slave);
	close(t->master);
	close(t->stop[0]);
	close(t->stop[1]);
	free(t);
}
