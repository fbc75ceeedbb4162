// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cxl-switch-emu-syslog.so: syslog(3) for a child of cxl-switch-emu
 * --syslog, preloaded after umockdev's library.
 *
 * glibc's syslog() connects to /dev/log with its internal __connect(),
 * which no preload can wrap, so umockdev never moves it into the testbed.
 * These replacements build the same datagram glibc does,
 * "<PRI>Mmm dd hh:mm:ss TAG[PID]: MESSAGE", and send it with the public
 * socket calls, which umockdev sends to the testbed's /dev/log.
 *
 * It also gives the child its own policy file (cxl-switch-emu --policy):
 * /etc/cxl-switch/policy.conf, a fixed path that no variable of the tool
 * changes, leads to $CXLSW_EMU_POLICY, and /etc/cxl-switch to that file's
 * directory, for the calls the tool makes to check and read the file
 * (open, lstat, stat, readlink, fopen).  A preload rather than a private
 * mount namespace: a bind mount needs /etc/cxl-switch to exist on the
 * host, which a test must not create, and a namespace is root-only while
 * the preload works for any user and with whatever owner and mode a test
 * gives the file (the tool's checks see the test file as it is).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
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

/* ---- the policy path --------------------------------------------------- */

#define POLICY_PATH	"/etc/cxl-switch/policy.conf"
#define POLICY_DIR	"/etc/cxl-switch"

/*
 * The lock files of switches without a node (lib/transport-mctp.c) live
 * under /run/cxl-switch: each emulator session has its own, in the
 * testbed, so that sessions running side by side do not share locks.
 */
#define LOCK_DIR	"/run/cxl-switch"

static bool is_lock_path(const char *path)
{
	size_t n = strlen(LOCK_DIR);

	return !strncmp(path, LOCK_DIR, n) && (!path[n] || path[n] == '/');
}

/* path, or where the emulator leads it */
static const char *policy_redirect(const char *path)
{
	static __thread char dir[4096];
	const char *file = getenv("CXLSW_EMU_POLICY");
	const char *root = getenv("UMOCKDEV_DIR");

	if (path && root && is_lock_path(path)) {
		snprintf(dir, sizeof(dir), "%s%s", root, path);
		return dir;
	}
	if (!path || !file || !*file)
		return path;
	if (!strcmp(path, POLICY_PATH))
		return file;
	if (!strcmp(path, POLICY_DIR) || !strcmp(path, POLICY_DIR "/")) {
		snprintf(dir, sizeof(dir), "%s", file);
		return dirname(dir);
	}
	return path;
}

#define NEXT(name) \
	static __typeof__(name) *next_##name; \
	if (!next_##name) \
		next_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & (O_CREAT | __O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
}

SHIM_EXPORT int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	NEXT(open);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return next_open(policy_redirect(path), flags, mode);
}

SHIM_EXPORT int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	NEXT(open64);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return next_open64(policy_redirect(path), flags, mode);
}

SHIM_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	NEXT(openat);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return next_openat(dirfd, policy_redirect(path), flags, mode);
}

SHIM_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	NEXT(openat64);
	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return next_openat64(dirfd, policy_redirect(path), flags, mode);
}

SHIM_EXPORT FILE *fopen(const char *path, const char *how)
{
	NEXT(fopen);
	return next_fopen(policy_redirect(path), how);
}

SHIM_EXPORT FILE *fopen64(const char *path, const char *how)
{
	NEXT(fopen64);
	return next_fopen64(policy_redirect(path), how);
}

SHIM_EXPORT int mkdir(const char *path, mode_t mode)
{
	const char *root = getenv("UMOCKDEV_DIR");
	char run[4096];

	NEXT(mkdir);
	if (root && is_lock_path(path)) {
		snprintf(run, sizeof(run), "%s/run", root);
		next_mkdir(run, 0755);	/* the testbed has no /run of its own */
	}
	return next_mkdir(policy_redirect(path), mode);
}

SHIM_EXPORT int stat(const char *path, struct stat *st)
{
	NEXT(stat);
	return next_stat(policy_redirect(path), st);
}

SHIM_EXPORT int lstat(const char *path, struct stat *st)
{
	NEXT(lstat);
	return next_lstat(policy_redirect(path), st);
}

SHIM_EXPORT int stat64(const char *path, struct stat64 *st)
{
	NEXT(stat64);
	return next_stat64(policy_redirect(path), st);
}

SHIM_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	NEXT(lstat64);
	return next_lstat64(policy_redirect(path), st);
}

SHIM_EXPORT ssize_t readlink(const char *path, char *buf, size_t len)
{
	NEXT(readlink);
	return next_readlink(policy_redirect(path), buf, len);
}
