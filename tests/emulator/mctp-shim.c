// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cxl-switch-emu-mctp.so: AF_MCTP sockets for a child of cxl-switch-emu
 * --mctp NET:EID (or --no-af-mctp), preloaded after umockdev's library,
 * as umockdev does for the ioctl: the unmodified tool makes its usual
 * calls and this library plays the kernel's part.
 *
 * An AF_MCTP socket is a unix stream socket connected to the emulator
 * (mctp.c); each datagram is one record (mctp-wire.h).  What the kernel
 * does here (net/mctp/af_mctp.c, route.c, uapi linux/mctp.h): only
 * SOCK_DGRAM with protocol 0; sendto() needs a sockaddr_mctp, fails
 * EHOSTUNREACH without a route to the EID, and with MCTP_TAG_OWNER picks
 * the tag; recvfrom() fills the sender's address with the owner bit clear
 * on an answer and, with MSG_TRUNC, returns the whole length.  poll()
 * needs nothing: the descriptor is a real socket.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/mctp.h>

#include "mctp-wire.h"

#define SHIM_EXPORT __attribute__((visibility("default")))
#define MAX_FDS 1024
#ifndef SOL_MCTP
#define SOL_MCTP 285
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t shim_lock = PTHREAD_MUTEX_INITIALIZER;
static enum { MCTP_REAL, MCTP_SERVED, MCTP_NONE } mode;
/* the endpoints the emulator serves: the routes this "kernel" has */
#define MAX_ROUTES 8
static struct { unsigned int net, eid; } route[MAX_ROUTES];
static unsigned int nr_routes;
static unsigned int served_net;		/* the first's: the default network */
static char served_path[108];
static bool is_mctp[MAX_FDS];
static uint8_t next_tag;

static int (*real_socket)(int, int, int);
static int (*real_close)(int);
static ssize_t (*real_sendto)(int, const void *, size_t, int,
			      const struct sockaddr *, socklen_t);
static ssize_t (*real_recvfrom)(int, void *, size_t, int,
				struct sockaddr *, socklen_t *);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);
static ssize_t (*real_recvmsg)(int, struct msghdr *, int);
static int (*real_bind)(int, const struct sockaddr *, socklen_t);
static int (*real_setsockopt)(int, int, int, const void *, socklen_t);
static int (*real_connect)(int, const struct sockaddr *, socklen_t);

/* "NET:EID[,NET:EID...]:PATH" (mctp-wire.h); 0 or -1 */
static int parse_routes(const char *env)
{
	const char *path = strstr(env, ":/");
	int used;

	if (!path || strlen(path + 1) >= sizeof(served_path))
		return -1;
	while (env < path && nr_routes < MAX_ROUTES) {
		if (sscanf(env, "%u:%u%n", &route[nr_routes].net,
			   &route[nr_routes].eid, &used) != 2)
			return -1;
		nr_routes++;
		env += used;
		if (*env == ',')
			env++;
	}
	if (!nr_routes)
		return -1;
	served_net = route[0].net;
	strcpy(served_path, path + 1);
	return 0;
}

static bool routed(unsigned int net, unsigned int eid)
{
	for (unsigned int i = 0; i < nr_routes; i++)
		if (route[i].net == net && route[i].eid == eid)
			return true;
	return false;
}

static void init(void)
{
	const char *env = getenv(MCTP_WIRE_ENV);
	int used = 0;

	real_socket = dlsym(RTLD_NEXT, "socket");
	real_close = dlsym(RTLD_NEXT, "close");
	real_sendto = dlsym(RTLD_NEXT, "sendto");
	real_recvfrom = dlsym(RTLD_NEXT, "recvfrom");
	real_sendmsg = dlsym(RTLD_NEXT, "sendmsg");
	real_recvmsg = dlsym(RTLD_NEXT, "recvmsg");
	real_bind = dlsym(RTLD_NEXT, "bind");
	real_setsockopt = dlsym(RTLD_NEXT, "setsockopt");
	real_connect = dlsym(RTLD_NEXT, "connect");
	if (!env)
		mode = MCTP_REAL;
	else if (!strcmp(env, "none"))
		mode = MCTP_NONE;
	else
		mode = parse_routes(env) ? MCTP_NONE : MCTP_SERVED;
	(void)used;
}

static bool mctp_fd(int fd)
{
	pthread_once(&once, init);
	return mode == MCTP_SERVED && fd >= 0 && fd < MAX_FDS && is_mctp[fd];
}

static int fail(int err)
{
	errno = err;
	return -1;
}

static int open_endpoint(int flags)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = real_socket(AF_UNIX, SOCK_STREAM | flags, 0);

	if (fd < 0)
		return -1;
	strcpy(addr.sun_path, served_path);
	if (real_connect(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    fd >= MAX_FDS) {
		real_close(fd);
		return fail(ENOMEM);
	}
	pthread_mutex_lock(&shim_lock);
	is_mctp[fd] = true;
	pthread_mutex_unlock(&shim_lock);
	return fd;
}

SHIM_EXPORT int socket(int domain, int type, int protocol)
{
	int flags = type & (SOCK_CLOEXEC | SOCK_NONBLOCK);

	pthread_once(&once, init);
	if (domain != AF_MCTP || mode == MCTP_REAL)
		return real_socket(domain, type, protocol);
	if (mode == MCTP_NONE)
		return fail(EAFNOSUPPORT);
	if ((type & ~flags) != SOCK_DGRAM)
		return fail(ESOCKTNOSUPPORT);
	if (protocol)
		return fail(EPROTONOSUPPORT);
	return open_endpoint(flags);
}

SHIM_EXPORT int close(int fd)
{
	if (mctp_fd(fd)) {
		pthread_mutex_lock(&shim_lock);
		is_mctp[fd] = false;
		pthread_mutex_unlock(&shim_lock);
	}
	pthread_once(&once, init);
	return real_close(fd);
}

static int write_all(int fd, const struct iovec *iov, int n, int flags)
{
	struct msghdr msg = { .msg_iov = (struct iovec *)iov,
			      .msg_iovlen = n };
	size_t want = 0;
	ssize_t sent;

	for (int i = 0; i < n; i++)
		want += iov[i].iov_len;
	/* one record, whole: short writes do not happen on a unix socket */
	sent = real_sendmsg(fd, &msg, (flags & MSG_DONTWAIT) | MSG_NOSIGNAL);
	if (sent < 0)
		return -1;
	return (size_t)sent == want ? 0 : fail(EIO);
}

/* one datagram: @buf, @len to the address, as af_mctp.c would take it */
static ssize_t mctp_send(int fd, const void *buf, size_t len, int flags,
			 const struct sockaddr *to, socklen_t tolen)
{
	const struct sockaddr_mctp *a = (const struct sockaddr_mctp *)to;
	struct mctp_wire_hdr h = { 0 };
	struct iovec iov[2];

	if (!to)
		return fail(EDESTADDRREQ);
	if (tolen < sizeof(*a) || a->smctp_family != AF_MCTP)
		return fail(EINVAL);
	if (a->smctp_tag & ~(MCTP_TAG_MASK | MCTP_TAG_OWNER))
		return fail(EINVAL);
	h.net = a->smctp_network ? a->smctp_network : served_net;
	if (!routed(h.net, a->smctp_addr.s_addr))
		return fail(EHOSTUNREACH);
	h.len = len;
	h.eid = a->smctp_addr.s_addr;
	h.type = a->smctp_type;
	h.tag = a->smctp_tag;
	if (h.tag & MCTP_TAG_OWNER) {
		pthread_mutex_lock(&shim_lock);
		h.tag = MCTP_TAG_OWNER | (next_tag++ & MCTP_TAG_MASK);
		pthread_mutex_unlock(&shim_lock);
	}
	iov[0] = (struct iovec){ &h, sizeof(h) };
	iov[1] = (struct iovec){ (void *)buf, len };
	return write_all(fd, iov, 2, flags) ? -1 : (ssize_t)len;
}

static int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = real_recvfrom(fd, p, len, 0, NULL, NULL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			return fail(ECONNRESET);	/* the emulator is gone */
		p += n;
		len -= n;
	}
	return 0;
}

/* one datagram into @buf: its whole length with MSG_TRUNC, else the part */
static ssize_t mctp_recv(int fd, void *buf, size_t len, int flags,
			 struct sockaddr *from, socklen_t *fromlen)
{
	struct sockaddr_mctp a = { .smctp_family = AF_MCTP };
	struct mctp_wire_hdr h;
	size_t keep;
	ssize_t n;
	uint8_t sink[256];

	/* MSG_DONTWAIT: nothing of the record here yet is EAGAIN */
	n = real_recvfrom(fd, &h, sizeof(h), MSG_PEEK | (flags & MSG_DONTWAIT),
			  NULL, NULL);
	if (n < 0)
		return -1;
	if (read_all(fd, &h, sizeof(h)))
		return -1;
	keep = h.len < len ? h.len : len;
	if (read_all(fd, buf, keep))
		return -1;
	for (size_t left = h.len - keep; left;) {
		size_t chunk = left < sizeof(sink) ? left : sizeof(sink);

		if (read_all(fd, sink, chunk))
			return -1;
		left -= chunk;
	}
	a.smctp_network = h.net;
	a.smctp_addr.s_addr = h.eid;
	a.smctp_type = h.type;
	a.smctp_tag = h.tag;
	if (from && fromlen) {
		memcpy(from, &a, *fromlen < sizeof(a) ? *fromlen : sizeof(a));
		*fromlen = sizeof(a);
	}
	return flags & MSG_TRUNC ? (ssize_t)h.len : (ssize_t)keep;
}

SHIM_EXPORT ssize_t sendto(int fd, const void *buf, size_t len, int flags,
			   const struct sockaddr *to, socklen_t tolen)
{
	if (!mctp_fd(fd))
		return real_sendto(fd, buf, len, flags, to, tolen);
	return mctp_send(fd, buf, len, flags, to, tolen);
}

SHIM_EXPORT ssize_t recvfrom(int fd, void *buf, size_t len, int flags,
			     struct sockaddr *from, socklen_t *fromlen)
{
	if (!mctp_fd(fd))
		return real_recvfrom(fd, buf, len, flags, from, fromlen);
	return mctp_recv(fd, buf, len, flags, from, fromlen);
}

SHIM_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

SHIM_EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

/* sendmsg()/recvmsg(): the iovecs gathered into one datagram */
SHIM_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	size_t len = 0, at = 0;
	uint8_t *buf;
	ssize_t n;

	if (!mctp_fd(fd))
		return real_sendmsg(fd, msg, flags);
	for (size_t i = 0; i < msg->msg_iovlen; i++)
		len += msg->msg_iov[i].iov_len;
	buf = malloc(len ? len : 1);
	if (!buf)
		return fail(ENOMEM);
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		memcpy(buf + at, msg->msg_iov[i].iov_base,
		       msg->msg_iov[i].iov_len);
		at += msg->msg_iov[i].iov_len;
	}
	n = mctp_send(fd, buf, len, flags, msg->msg_name, msg->msg_namelen);
	free(buf);
	return n;
}

SHIM_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	size_t len = 0, at = 0;
	socklen_t namelen = msg->msg_namelen;
	uint8_t *buf;
	ssize_t n;

	if (!mctp_fd(fd))
		return real_recvmsg(fd, msg, flags);
	for (size_t i = 0; i < msg->msg_iovlen; i++)
		len += msg->msg_iov[i].iov_len;
	buf = malloc(len ? len : 1);
	if (!buf)
		return fail(ENOMEM);
	n = mctp_recv(fd, buf, len, flags | MSG_TRUNC, msg->msg_name,
		      msg->msg_name ? &namelen : NULL);
	if (n >= 0) {
		size_t got = (size_t)n < len ? (size_t)n : len;

		for (size_t i = 0; i < msg->msg_iovlen && at < got; i++) {
			size_t c = msg->msg_iov[i].iov_len < got - at ?
				   msg->msg_iov[i].iov_len : got - at;

			memcpy(msg->msg_iov[i].iov_base, buf + at, c);
			at += c;
		}
		msg->msg_namelen = namelen;
		msg->msg_flags = (size_t)n > len ? MSG_TRUNC : 0;
		msg->msg_controllen = 0;
		if (!(flags & MSG_TRUNC) && (size_t)n > len)
			n = (ssize_t)len;
	}
	free(buf);
	return n;
}

/* a requester needs no bind; a listener would hear nothing here */
SHIM_EXPORT int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	if (!mctp_fd(fd))
		return real_bind(fd, addr, len);
	if (len < sizeof(struct sockaddr_mctp) || addr->sa_family != AF_MCTP)
		return fail(EINVAL);
	return 0;
}

/* MCTP_OPT_ADDR_EXT is the one option af_mctp.c knows */
SHIM_EXPORT int setsockopt(int fd, int level, int name, const void *val,
			   socklen_t len)
{
	if (!mctp_fd(fd))
		return real_setsockopt(fd, level, name, val, len);
	if (level != SOL_MCTP || name != MCTP_OPT_ADDR_EXT)
		return fail(ENOPROTOOPT);
	return len < sizeof(int) ? fail(EINVAL) : 0;
}
