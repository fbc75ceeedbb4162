// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The BMC's transport: a CCI reached over MCTP through Linux's AF_MCTP
 * sockets.  Here we build the CCI message ourselves, which the kernel does
 * for the ioctl transport: the 12-byte header, the tag, the checks of the
 * answer and the timeout.
 *
 * Facts (uapi <linux/mctp.h>, the kernel's mctp(7) page, CodeConstruct's
 * mctp-req): the MCTP message type travels in sockaddr_mctp.smctp_type,
 * not in the datagram (the kernel puts it on the wire and strips it on
 * receive); a request carries MCTP_TAG_OWNER and the kernel picks the tag;
 * the answer comes back with that tag and the owner bit clear.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/mctp.h>

#include "private.h"

/*
 * DSP0236 1.3: an MCTP control message (type 0x00) starts with the
 * Rq/D/Instance ID byte and the command code; its answer adds the
 * completion code.  Get Message Type Support (command 0x05, Table 12)
 * answers the count and the list of the endpoint's message types.
 */
#define MCTP_TYPE_CONTROL	0x00
#define MCTP_CTRL_RQ		0x80
#define MCTP_CTRL_IID_MASK	0x1f
#define MCTP_CTRL_GET_MSG_TYPES	0x05
#define MCTP_CC_SUCCESS		0x00

#define CCI_CATEGORY_REQUEST	0
#define CCI_CATEGORY_RESPONSE	1
#define CCI_LEN_MASK		0x0FFFFFu
/* CXL r3.1 8.2.8.4: a mailbox command completes within 2 s by default */
#define MCTP_TIMEOUT_MS		2000
/* DSP0236 Table 2: 0 null, 1-7 reserved, 255 broadcast */
#define MCTP_EID_FIRST		8
#define MCTP_EID_LAST		254

struct mctp_transport {
	struct cxlsw_transport base;
	int fd;
	int lock_fd;			/* see mctp_trylock, -1 until asked */
	unsigned int net;
	uint8_t eid;
	uint8_t type;			/* CXLSW_MCTP_TYPE_*, 0 until learnt */
	uint8_t tag;			/* the CCI tag of the next request */
	uint8_t iid;			/* the control instance ID */
	unsigned int timeout_ms;
	unsigned int strays;		/* answers to other requests ignored */
	bool limit_asked;
	size_t resp_limit;		/* the endpoint's, 0 when unknown */
	uint16_t limit_rc;		/* learn_limit's answer, kept for the */
	uint8_t limit_log2;		/* caller's own Get: asked once a run */
	size_t limit_len;		/* its payload's length, 0 or 1 */
	bool limit_kept;		/* ... when it was an answer at all */
	struct cxlsw_error error;	/* of the last failed send */
	uint8_t *buf;			/* a whole message, grown as needed */
	size_t cap;
};

bool cxlsw_mctp_name_parse(const char *name, unsigned int *net,
			   uint8_t *eid)
{
	unsigned long n, e;
	char *end;

	if (strncmp(name, CXLSW_MCTP_PREFIX, strlen(CXLSW_MCTP_PREFIX)))
		return false;
	name += strlen(CXLSW_MCTP_PREFIX);
	if (*name < '0' || *name > '9')
		return false;
	errno = 0;
	n = strtoul(name, &end, 10);
	if (errno || *end != ':' || n > INT_MAX || end[1] < '0' ||
	    end[1] > '9')
		return false;
	e = strtoul(end + 1, &end, 10);
	if (errno || *end || e < MCTP_EID_FIRST || e > MCTP_EID_LAST)
		return false;
	if (net)
		*net = (unsigned int)n;
	if (eid)
		*eid = (uint8_t)e;
	return true;
}

static int fail(struct mctp_transport *mt, enum cxlsw_error_kind kind,
		int errnum, uint16_t opcode, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int fail(struct mctp_transport *mt, enum cxlsw_error_kind kind,
		int errnum, uint16_t opcode, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_set(&mt->error, kind, errnum, opcode, fmt, ap);
	va_end(ap);
	return -errnum;
}

static int grow(struct mctp_transport *mt, size_t len)
{
	uint8_t *b;

	if (len <= mt->cap)
		return 0;
	b = realloc(mt->buf, len);
	if (!b)
		return -ENOMEM;
	mt->buf = b;
	mt->cap = len;
	return 0;
}

static void encode(uint8_t *p, uint8_t tag, uint16_t opcode,
		   const void *in, size_t in_len)
{
	memset(p, 0, CXLSW_CCI_HDR_LEN);
	p[0] = CCI_CATEGORY_REQUEST;
	p[1] = tag;
	p[3] = opcode & 0xff;
	p[4] = opcode >> 8;
	p[5] = in_len & 0xff;
	p[6] = (in_len >> 8) & 0xff;
	p[7] = (in_len >> 16) & 0x0f;
	if (in_len)
		memcpy(p + CXLSW_CCI_HDR_LEN, in, in_len);
}

static int send_request(struct mctp_transport *mt, uint16_t opcode,
			const void *in, size_t in_len)
{
	struct sockaddr_mctp to = {
		.smctp_family = AF_MCTP,
		.smctp_network = mt->net,
		.smctp_addr.s_addr = mt->eid,
		.smctp_type = mt->type,
		.smctp_tag = MCTP_TAG_OWNER,	/* the kernel picks the tag */
	};
	size_t len = CXLSW_CCI_HDR_LEN + in_len;
	ssize_t n;

	if (in_len > CCI_LEN_MASK)
		return fail(mt, CXLSW_ERR_INVALID, EMSGSIZE, opcode,
			    "a %zu-byte request does not fit the CCI header's length field",
			    in_len);
	if (grow(mt, len))
		return -ENOMEM;
	mt->tag++;
	encode(mt->buf, mt->tag, opcode, in, in_len);
	n = sendto(mt->fd, mt->buf, len, 0, (struct sockaddr *)&to,
		   sizeof(to));
	if (n < 0)
		return fail(mt, CXLSW_ERR_TRANSPORT, errno, opcode,
			    "sending to MCTP net %u EID %u: %s", mt->net,
			    mt->eid, errno == EHOSTUNREACH ?
			    "no route to the endpoint (EHOSTUNREACH)" :
			    strerror(errno));
	if ((size_t)n != len)
		return fail(mt, CXLSW_ERR_TRANSPORT, EIO, opcode,
			    "sent %zd of %zu bytes", n, len);
	return 0;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static void deadline_in(struct timespec *deadline, unsigned int ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += ms / 1000;
	deadline->tv_nsec += (long)(ms % 1000) * 1000000;
	if (deadline->tv_nsec >= 1000000000) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000;
	}
}

/*
 * Wait for one datagram until the deadline.  Returns its full length
 * (more than the buffer when it was cut) or a negative errno.
 */
static ssize_t wait_datagram(struct mctp_transport *mt, uint16_t opcode,
			     const struct timespec *deadline,
			     struct sockaddr_mctp *from)
{
	struct pollfd pfd = { .fd = mt->fd, .events = POLLIN };
	socklen_t flen = sizeof(*from);
	long left;
	ssize_t n;
	int rc;

	for (;;) {
		left = ms_left(deadline);
		rc = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (rc >= 0 || errno != EINTR)
			break;
	}
	if (rc < 0)
		return fail(mt, CXLSW_ERR_TRANSPORT, errno, opcode,
			    "waiting for the answer: %s", strerror(errno));
	if (!rc)
		return fail(mt, CXLSW_ERR_TRANSPORT, ETIMEDOUT, opcode,
			    "no answer from MCTP net %u EID %u within %u ms (timed out)%s",
			    mt->net, mt->eid, mt->timeout_ms,
			    mt->strays ? "; answers with another tag were ignored" : "");
	memset(from, 0, sizeof(*from));
	n = recvfrom(mt->fd, mt->buf, mt->cap, MSG_TRUNC,
		     (struct sockaddr *)from, &flen);
	if (n < 0)
		return fail(mt, CXLSW_ERR_TRANSPORT, errno, opcode,
			    "receiving the answer: %s", strerror(errno));
	return n;
}

/*
 * Which CXL binding the endpoint speaks, from its answer to Get Message
 * Type Support: 0x07 (DSP0234, the FM-API: a switch, or an MLD's
 * FM-owned LD) when it lists it, else 0x08 (DSP0281, a Type 3 device's
 * CCI).  An endpoint that answers the control command with an error says
 * nothing: the FM-API is tried.  One that lists neither is refused.
 */
static int learn_type(struct mctp_transport *mt, uint16_t opcode)
{
	struct sockaddr_mctp to = {
		.smctp_family = AF_MCTP,
		.smctp_network = mt->net,
		.smctp_addr.s_addr = mt->eid,
		.smctp_type = MCTP_TYPE_CONTROL,
		.smctp_tag = MCTP_TAG_OWNER,
	};
	struct sockaddr_mctp from;
	struct timespec deadline;
	uint8_t req[2], *p;
	bool fmapi = false, cci = false;
	ssize_t n;

	if (grow(mt, 64))
		return -ENOMEM;
	mt->iid = (mt->iid + 1) & MCTP_CTRL_IID_MASK;
	req[0] = MCTP_CTRL_RQ | mt->iid;
	req[1] = MCTP_CTRL_GET_MSG_TYPES;
	n = sendto(mt->fd, req, sizeof(req), 0, (struct sockaddr *)&to,
		   sizeof(to));
	if (n < 0)
		return fail(mt, CXLSW_ERR_TRANSPORT, errno, opcode,
			    "sending to MCTP net %u EID %u: %s", mt->net,
			    mt->eid, errno == EHOSTUNREACH ?
			    "no route to the endpoint (EHOSTUNREACH)" :
			    strerror(errno));
	if (n != sizeof(req))
		return fail(mt, CXLSW_ERR_TRANSPORT, EIO, opcode,
			    "sent %zd of %zu bytes", n, sizeof(req));
	deadline_in(&deadline, mt->timeout_ms);
	p = mt->buf;
	for (;;) {
		n = wait_datagram(mt, opcode, &deadline, &from);
		if (n < 0)
			return (int)n;
		if (from.smctp_addr.s_addr == mt->eid &&
		    from.smctp_type == MCTP_TYPE_CONTROL &&
		    !(from.smctp_tag & MCTP_TAG_OWNER) && n >= 3 &&
		    (size_t)n <= mt->cap && !(p[0] & MCTP_CTRL_RQ) &&
		    (p[0] & MCTP_CTRL_IID_MASK) == mt->iid &&
		    p[1] == MCTP_CTRL_GET_MSG_TYPES)
			break;
		mt->strays++;
	}
	if (p[2] != MCTP_CC_SUCCESS || n < 4 || n < 4 + p[3]) {
		mt->type = CXLSW_MCTP_TYPE_FMAPI;
		return 0;
	}
	for (unsigned int i = 0; i < p[3]; i++) {
		fmapi |= p[4 + i] == CXLSW_MCTP_TYPE_FMAPI;
		cci |= p[4 + i] == CXLSW_MCTP_TYPE_CCI;
	}
	if (!fmapi && !cci)
		return fail(mt, CXLSW_ERR_TRANSPORT, EPROTONOSUPPORT, opcode,
			    "MCTP net %u EID %u takes neither CXL FM-API (0x07) nor CXL CCI (0x08) messages (Get Message Type Support)",
			    mt->net, mt->eid);
	mt->type = fmapi ? CXLSW_MCTP_TYPE_FMAPI : CXLSW_MCTP_TYPE_CCI;
	return 0;
}

/* Is this datagram the answer to the request just sent? */
static bool ours(const struct mctp_transport *mt,
		 const struct sockaddr_mctp *from, const uint8_t *p,
		 size_t len)
{
	if (from->smctp_addr.s_addr != mt->eid ||
	    from->smctp_type != mt->type ||
	    (from->smctp_tag & MCTP_TAG_OWNER))
		return false;		/* not an answer from our endpoint */
	/* a late answer to an earlier request that timed out */
	return len >= 2 && p[0] == CCI_CATEGORY_RESPONSE && p[1] == mt->tag;
}

/*
 * Every field of the answer's header is checked before it is used; @got
 * is the datagram's whole length, which may be more than the buffer held.
 */
static int check_answer(struct mctp_transport *mt, uint16_t opcode,
			size_t got)
{
	const uint8_t *p = mt->buf;
	uint16_t answered;
	uint32_t claimed;

	if (got < CXLSW_CCI_HDR_LEN)
		return fail(mt, CXLSW_ERR_MALFORMED, EBADMSG, opcode,
			    "answer of %zu bytes is shorter than the CCI header",
			    got);
	if (mt->resp_limit && got > CXLSW_CCI_HDR_LEN + mt->resp_limit)
		return fail(mt, CXLSW_ERR_MALFORMED, EBADMSG, opcode,
			    "answer of %zu bytes is over the endpoint's %zu-byte response message limit",
			    got - CXLSW_CCI_HDR_LEN, mt->resp_limit);
	answered = (uint16_t)(p[3] | p[4] << 8);
	if (answered != opcode)
		return fail(mt, CXLSW_ERR_MALFORMED, EBADMSG, opcode,
			    "the answer is for opcode 0x%04x", answered);
	claimed = (p[5] | p[6] << 8 | (uint32_t)p[7] << 16) & CCI_LEN_MASK;
	if (claimed != got - CXLSW_CCI_HDR_LEN)
		return fail(mt, CXLSW_ERR_MALFORMED, EBADMSG, opcode,
			    "the answer's header says %u payload bytes, %zu arrived",
			    claimed, got - CXLSW_CCI_HDR_LEN);
	return 0;
}

static int exchange(struct mctp_transport *mt, uint16_t opcode,
		    const void *in, size_t in_len, void *out,
		    size_t *out_len, uint16_t *retcode)
{
	struct sockaddr_mctp from;
	struct timespec deadline;
	size_t room = *out_len;
	ssize_t got;
	int rc;

	memset(&mt->error, 0, sizeof(mt->error));
	mt->strays = 0;
	/* room for the header and the largest answer the caller takes */
	if (grow(mt, CXLSW_CCI_HDR_LEN + room))
		return -ENOMEM;
	rc = send_request(mt, opcode, in, in_len);
	if (rc)
		return rc;
	deadline_in(&deadline, mt->timeout_ms);
	for (;;) {
		got = wait_datagram(mt, opcode, &deadline, &from);
		if (got < 0)
			return (int)got;
		if (ours(mt, &from, mt->buf, (size_t)got))
			break;
		mt->strays++;
	}
	rc = check_answer(mt, opcode, (size_t)got);
	if (rc)
		return rc;
	/* what does not fit is dropped, as the CXL driver drops it */
	*out_len = (size_t)got - CXLSW_CCI_HDR_LEN;
	if (*out_len > room)
		*out_len = room;
	if (*out_len)
		memcpy(out, mt->buf + CXLSW_CCI_HDR_LEN, *out_len);
	*retcode = get_le16(mt->buf + 8);
	return 0;
}

/*
 * Over MCTP every CCI implements Get Response Message Limit (CXL r3.1
 * Table 8-37): what it answers bounds every answer, so it is asked before
 * the first other command.  An endpoint that answers it with an error
 * gets no bound (QEMU's switch CCI does not implement it); one that does
 * not answer at all has failed the command already.
 */
static int learn_limit(struct mctp_transport *mt, uint16_t opcode)
{
	uint8_t log2 = 0;
	size_t len = 1;
	uint16_t rc = 0;
	int err;

	mt->limit_asked = true;
	err = exchange(mt, CXLSW_OP_GET_RESPONSE_LIMIT, NULL, 0, &log2, &len,
		       &rc);
	if (err) {
		mt->error.opcode = opcode;
		return mt->error.kind == CXLSW_ERR_TRANSPORT ? err : 0;
	}
	/* kept as it came: the caller's own Get sees the same answer */
	mt->limit_kept = true;
	mt->limit_rc = rc;
	mt->limit_len = len;
	mt->limit_log2 = log2;
	if (rc != CXLSW_RC_SUCCESS || len != 1 ||
	    cxlsw_response_limit_decode(&log2, 1, &mt->resp_limit))
		mt->resp_limit = 0;
	return 0;
}

/*
 * The caller's own Get Response Message Limit after learn_limit asked it:
 * the endpoint's answer of this run, not a second round trip (a Set
 * that succeeds replaces it with the limit the endpoint says it set).
 */
static bool limit_from_answer(struct mctp_transport *mt, void *out,
			      size_t *out_len, uint16_t *retcode)
{
	if (!mt->limit_kept || !*out_len)
		return false;
	*retcode = mt->limit_rc;
	*out_len = mt->limit_len;
	if (*out_len)
		*(uint8_t *)out = mt->limit_log2;
	return true;
}

static int mctp_send(struct cxlsw_transport *t, uint16_t opcode,
		     const void *in, size_t in_len, void *out,
		     size_t *out_len, uint16_t *retcode)
{
	struct mctp_transport *mt = (struct mctp_transport *)t;
	int rc;

	if (!mt->type) {
		memset(&mt->error, 0, sizeof(mt->error));
		mt->strays = 0;
		rc = learn_type(mt, opcode);
		if (rc)
			return rc;
	}
	if (opcode == CXLSW_OP_GET_RESPONSE_LIMIT &&
	    limit_from_answer(mt, out, out_len, retcode))
		return 0;
	if (!mt->limit_asked && opcode != CXLSW_OP_GET_RESPONSE_LIMIT &&
	    opcode != CXLSW_OP_SET_RESPONSE_LIMIT) {
		rc = learn_limit(mt, opcode);
		if (rc)
			return rc;
	}
	rc = exchange(mt, opcode, in, in_len, out, out_len, retcode);
	/* the limit the endpoint says it set is the one that holds now */
	if (!rc && opcode == CXLSW_OP_SET_RESPONSE_LIMIT &&
	    *retcode == CXLSW_RC_SUCCESS && *out_len == 1) {
		mt->limit_kept = true;
		mt->limit_rc = CXLSW_RC_SUCCESS;
		mt->limit_len = 1;
		mt->limit_log2 = *(uint8_t *)out;
		if (cxlsw_response_limit_decode(out, 1, &mt->resp_limit))
			mt->resp_limit = 0;
	}
	return rc;
}

static const struct cxlsw_error *mctp_error(struct cxlsw_transport *t)
{
	struct mctp_transport *mt = (struct mctp_transport *)t;

	return mt->error.kind ? &mt->error : NULL;
}

/*
 * An endpoint has no node to flock: its lock is a file of its own under
 * /run/cxl-switch, one per network and EID, which every process of this
 * host that manages the endpoint opens (a manager on another host is not
 * seen, as with any out-of-band path).
 */
#define MCTP_LOCK_DIR	"/run/cxl-switch"

static int mctp_trylock(struct cxlsw_transport *t, pid_t *holder)
{
	struct mctp_transport *mt = (struct mctp_transport *)t;
	char path[64];

	*holder = 0;
	if (mt->lock_fd < 0) {
		if (mkdir(MCTP_LOCK_DIR, 0755) && errno != EEXIST)
			return -errno;
		snprintf(path, sizeof(path), MCTP_LOCK_DIR "/mctp-%u-%u.lock",
			 mt->net, mt->eid);
		mt->lock_fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW |
				   O_CLOEXEC, 0600);
		if (mt->lock_fd < 0)
			return -errno;
	}
	if (!flock(mt->lock_fd, LOCK_EX | LOCK_NB))
		return 0;
	if (errno != EWOULDBLOCK)
		return -errno;
	*holder = flock_holder(mt->lock_fd);
	return -EWOULDBLOCK;
}

static void mctp_destroy(struct cxlsw_transport *t)
{
	struct mctp_transport *mt = (struct mctp_transport *)t;

	if (mt->lock_fd >= 0)
		close(mt->lock_fd);
	close(mt->fd);
	free(mt->buf);
	free(mt);
}

static const struct cxlsw_transport_ops mctp_ops = {
	.send = mctp_send,
	.destroy = mctp_destroy,
	.error = mctp_error,
	.trylock = mctp_trylock,
};

int cxlsw_mctp_transport_open(unsigned int net, uint8_t eid, uint8_t type,
			      struct cxlsw_transport **t)
{
	struct mctp_transport *mt;
	int fd = socket(AF_MCTP, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	mt = calloc(1, sizeof(*mt));
	if (!mt) {
		close(fd);
		return -ENOMEM;
	}
	mt->base.ops = &mctp_ops;
	mt->fd = fd;
	mt->lock_fd = -1;
	mt->net = net;
	mt->eid = eid;
	mt->type = type;
	mt->timeout_ms = MCTP_TIMEOUT_MS;
	*t = &mt->base;
	return 0;
}

int mctp_dev_open(const char *name, struct cxlsw_dev **devp,
			struct cxlsw_error *err)
{
	char canon[sizeof(CXLSW_MCTP_PREFIX) + 16];
	struct cxlsw_transport *t;
	unsigned int net;
	uint8_t eid;
	int rc;

	if (!cxlsw_mctp_name_parse(name, &net, &eid)) {
		error_fill(err, CXLSW_ERR_INVALID, EINVAL, 0,
			   "invalid switch name '%s': expected mctp:NET:EID, NET 0-%d and EID %d-%d",
			   name, INT_MAX, MCTP_EID_FIRST, MCTP_EID_LAST);
		return -EINVAL;
	}
	/* the binding (0x07 or 0x08) is learnt from the endpoint, see learn_type */
	rc = cxlsw_mctp_transport_open(net, eid, 0, &t);
	if (rc == -EAFNOSUPPORT) {
		error_fill(err, CXLSW_ERR_TRANSPORT, EAFNOSUPPORT, 0,
			   "%s: this kernel has no AF_MCTP sockets (EAFNOSUPPORT): MCTP needs Linux 5.15 or later built with CONFIG_MCTP",
			   name);
		return rc;
	}
	if (rc) {
		error_fill(err, CXLSW_ERR_TRANSPORT, -rc, 0,
			   "%s: cannot open an AF_MCTP socket: %s", name,
			   strerror(-rc));
		return rc;
	}
	/* one endpoint, one name: mctp:01:008 is mctp:1:8 (see resolve.c) */
	snprintf(canon, sizeof(canon), CXLSW_MCTP_PREFIX "%u:%u", net, eid);
	rc = cxlsw_dev_new(canon, t, devp);
	if (rc)
		t->ops->destroy(t);
	return rc;
}
