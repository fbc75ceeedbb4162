// SPDX-License-Identifier: GPL-2.0
/*
 * cxl-switch-emu-syslog.so: syslog(3) for a child of cxl-switch-emu
 * --syslog, preloaded after umockdev's library.
 *
 * glibc's syslog() connects to /dev/log with its internal __connect(),
 * which no preload can wrap, so umockdev never moves it into the testbed.
 * These replacements build the same datagram glibc does,
 * "<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE", and send it with the public
 * socket calls, which umockdev sends to the testbed's /dev/log.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define SHIM_EXPORT __attribute__((visibility("default")))

static pthread_mutex_t shim_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *shim_ident;
static int shim_option;
static int shim_facility = LOG_USER;
static int shim_mask = 0xff;
static int shim_fd = -1;

static void shim_connect(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX,
				    .sun_path = "/dev/log" };

	if (shim_fd >= 0)
		return;
	shim_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (shim_fd < 0)
		return;
	if (connect(shim_fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(shim_fd);
		shim_fd = -1;
	}
}

SHIM_EXPORT void openlog(const char *ident, int option, int facility)
{
	pthread_mutex_lock(&shim_lock);
	shim_ident = ident;
	shim_option = option;
	if (facility && !(facility & ~LOG_FACMASK))
		shim_facility = facility;
	if (option & LOG_NDELAY)
		shim_connect();
	pthread_mutex_unlock(&shim_lock);
}

SHIM_EXPORT void closelog(void)
{
	pthread_mutex_lock(&shim_lock);
	if (shim_fd >= 0)
		close(shim_fd);
	shim_fd = -1;
	shim_ident = NULL;
	pthread_mutex_unlock(&shim_lock);
}

SHIM_EXPORT int setlogmask(int mask)
{
	int old;

	pthread_mutex_lock(&shim_lock);
	old = shim_mask;
	if (mask)
		shim_mask = mask;
	pthread_mutex_unlock(&shim_lock);
	return old;
}

SHIM_EXPORT void vsyslog(int pri, const char *fmt, va_list ap)
{
	extern char *program_invocation_short_name;
	int saved_errno = errno;
	char msg[8192], stamp[32];
	struct tm tm;
	time_t now;
	int n;

	if (pri & ~(LOG_PRIMASK | LOG_FACMASK))
		pri &= LOG_PRIMASK | LOG_FACMASK;
	pthread_mutex_lock(&shim_lock);
	if (!(shim_mask & LOG_MASK(LOG_PRI(pri)))) {
		pthread_mutex_unlock(&shim_lock);
		return;
	}
	if (!(pri & LOG_FACMASK))
		pri |= shim_facility;
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%h %e %T", &tm);
	n = snprintf(msg, sizeof(msg), "<%d>%s %s", pri, stamp,
		     shim_ident ? shim_ident : program_invocation_short_name);
	if (shim_option & LOG_PID)
		n += snprintf(msg + n, sizeof(msg) - n, "[%d]", getpid());
	n += snprintf(msg + n, sizeof(msg) - n, ": ");
	errno = saved_errno;	/* for %m */
	if (n < (int)sizeof(msg))
		n += vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	if (n >= (int)sizeof(msg))
		n = sizeof(msg) - 1;
	if (shim_option & LOG_PERROR)
		dprintf(2, "%s\n", strchr(msg, '>') + 17);
	shim_connect();
	if (shim_fd >= 0)
		send(shim_fd, msg, n, MSG_NOSIGNAL);
	pthread_mutex_unlock(&shim_lock);
	errno = saved_errno;
}

SHIM_EXPORT void syslog(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsyslog(pri, fmt, ap);
	va_end(ap);
}

/* what _FORTIFY_SOURCE turns the calls into (declared only with it) */
void __vsyslog_chk(int pri, int flag, const char *fmt, va_list ap);
void __syslog_chk(int pri, int flag, const char *fmt, ...);

SHIM_EXPORT void __vsyslog_chk(int pri, int flag, const char *fmt,
			       va_list ap)
{
	(void)flag;
	vsyslog(pri, fmt, ap);
}

SHIM_EXPORT void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap;

	(void)flag;
	va_start(ap, fmt);
	vsyslog(pri, fmt, ap);
	va_end(ap);
}
