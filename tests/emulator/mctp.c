// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch over MCTP (--mctp NET:EID): switch0's model served
 * as an MCTP endpoint, binding DSP0234 (CXL FM API over MCTP): message
 * type 0x07, the CCI message of CXL r3.1 7.6.3 (Table 7-18 header) as the
 * body.  --mctp-type3 NET:EID:PORT serves the Type 3 device on switch0's
 * PORT as an endpoint of its own, binding DSP0281 (CXL Type 3 device CCI
 * over MCTP): message type 0x08, the same CCI message, answered by the
 * device's own CCI (its FM-owned LD's, as the switch's tunnel reaches it).
 * Every endpoint answers the MCTP control message Get Message Type Support
 * (DSP0236 1.3, message type 0x00, command 0x05) with 0x00 and its type.  The tool's AF_MCTP sockets reach it through the preloaded shim
 * (mctp-shim.c); each connection is one socket, served by its own thread
 * under emu_lock, with the same model dispatch and --fail faults as the
 * ioctl front end (ioctl.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <poll.h>
#include <linux/mctp.h>

#include "device.h"
#include "emu.h"
#include "mctp-wire.h"

#define MCTP_TYPE_CONTROL	0x00
#define MCTP_TYPE_FMAPI		0x07
#define MCTP_TYPE_CCI		0x08
/* DSP0236 1.3 Table 12: command codes; Table 13: completion codes */
#define MCTP_CTRL_GET_MSG_TYPES	0x05
#define MCTP_CTRL_RQ		0x80
#define MCTP_CTRL_IID_MASK	0x1f
#define MCTP_CC_SUCCESS		0x00
#define MCTP_CC_ERROR		0x01
#define MCTP_CC_UNSUPPORTED	0x05
#define MCTP_MAX_EPS		8
#define CCI_HDR			12
#define CCI_LEN_MASK		0x0FFFFFu
#define CCI_RC_INVALID_PAYLOAD_LEN	0x16

/* one endpoint: switch0 (type 0x07) or the device on one of its ports */
struct mctp_ep {
	unsigned int net;
	unsigned int eid;
	uint8_t type;		/* MCTP_TYPE_FMAPI or MCTP_TYPE_CCI */
	unsigned int port;	/* MCTP_TYPE_CCI: switch0's port */
};

struct mctp_server {
	struct emu_switch *sw;
	int kernel;		/* --mctp-kernel: real AF_MCTP sockets */
	int kfd[2];		/* ... bound to types 0x00 and 0x07 */
	pthread_t kthread[2];
	volatile int stopping;
	struct mctp_ep ep[MCTP_MAX_EPS];
	unsigned int nr_ep;
	enum mctp_ctl_mode ctl;	/* --mctp-ctl: how control is answered */
	uint8_t *dev_out;	/* a device's answer, under emu_lock */
	int listen_fd;
	char *dir;
	char *path;
	char *env;		/* NET:EID:PATH for the shim */
	pthread_t thread;
};

/* one answer: what the model (or a fault) made of a request */
struct mctp_answer {
	uint16_t retcode;
	const uint8_t *out;
	size_t out_len;
	size_t pad;		/* long=: 0xA5 bytes after the payload */
	uint32_t overclaim;	/* the header's length says this much more */
	unsigned long delay_ms;
	int lost;
	int wrong_tag;		/* the answer carries another tag */
	int stray;		/* ... and then it comes with the right one */
	int cut;		/* the message is cut to cut_len bytes */
	size_t cut_len;
	int other_opcode;	/* the header names the opcode after ours */
};

int mctp_parse_addr(const char *s, unsigned int *net, unsigned int *eid)
{
	char *end;
	unsigned long n, e;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != ':' || errno || n > 0x7fffffff)
		return -1;
	s = end + 1;
	e = strtoul(s, &end, 10);
	/* DSP0236 Table 2: EIDs 0-7 are special, 255 is broadcast */
	if (s[0] < '0' || s[0] > '9' || *end || errno || e < 8 || e > 254)
		return -1;
	*net = n;
	*eid = e;
	return 0;
}

static int read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * One record (mctp-wire.h) back to the requester: on the shim's stream
 * as it is; with --mctp-kernel, its body as a datagram to the sender,
 * the tag without the owner bit (the kernel's reply, mctp(7)).
 */
static void reply(const struct mctp_server *s, int fd, const void *rec,
		  size_t len)
{
	const struct mctp_wire_hdr *h = rec;
	struct sockaddr_mctp to = {
		.smctp_family = AF_MCTP,
		.smctp_network = h->net,
		.smctp_addr.s_addr = h->eid,
		.smctp_type = h->type,
		.smctp_tag = h->tag & ~MCTP_TAG_OWNER,
	};

	if (!s->kernel) {
		write_full(fd, rec, len);
		return;
	}
	sendto(fd, (const uint8_t *)rec + sizeof(*h), len - sizeof(*h), 0,
	       (struct sockaddr *)&to, sizeof(to));
}

/* The model's answer, bent by --fail as ioctl.c's run() bends it. */
/*
 * The device on @port answers on its own CCI (model-device.c), as the
 * switch's tunnel would deliver it; a port without a device, or with its
 * link down, has no endpoint to answer (nothing comes back).
 */
static int run_device(struct mctp_server *s, unsigned int port,
		      uint16_t opcode, const uint8_t *in, size_t in_len,
		      struct mctp_answer *a)
{
	struct model *m = s->sw->model;
	struct model_port *p = model_find_port(m, port);
	struct tunnel_path path = { 0, { 0 } };
	struct dev_target t = { .sw = m, .cci = DEV_CCI_FM };
	size_t len = 0;

	if (!p || !p->dev)
		return -1;
	t.dev = p->dev;
	a->retcode = device_handle(&t, &path, opcode, in, in_len, s->dev_out,
				   &len);
	a->out = s->dev_out;
	a->out_len = len;
	return 0;
}

static void run_model(struct mctp_server *s, const struct mctp_ep *ep,
		      uint16_t opcode, const uint8_t *in, size_t in_len,
		      struct mctp_answer *a)
{
	struct model *m = s->sw->model;
	struct fault_action act;
	uint32_t inner_errno, inner_overclaim;
	unsigned long inner_delay;

	fault_check(opcode, &act);
	switch (act.kind) {
	case FAULT_ERRNO:
		/* an ioctl's errno has no MCTP form: nothing comes back */
		a->lost = 1;
		return;
	case FAULT_RC:
		a->retcode = act.arg;
		break;
	default:
		if (ep->type == MCTP_TYPE_CCI) {
			if (run_device(s, ep->port, opcode, in, in_len, a))
				a->lost = 1;
			break;
		}
		a->retcode = model_handle(m, opcode, in, in_len, &a->out,
					  &a->out_len);
		if (a->retcode == CCI_RC_SUCCESS)
			fault_tunnel_outer(&act, m->out, a->out_len);
		fault_after(m, &act);
		break;
	}
	fault_tunnel_take(&inner_errno, &inner_delay, &inner_overclaim);
	a->lost |= inner_errno != 0;
	a->delay_ms += inner_delay;
	a->overclaim = inner_overclaim;
	switch (act.kind) {
	case FAULT_LOST:
		a->lost = 1;
		break;
	case FAULT_WRONG_TAG:
		a->wrong_tag = 1;
		break;
	case FAULT_STRAY:
		a->wrong_tag = a->stray = 1;
		break;
	case FAULT_CUT:
		a->cut = 1;
		a->cut_len = act.arg;
		break;
	case FAULT_OTHER_OPCODE:
		a->other_opcode = 1;
		break;
	case FAULT_SHORT:
		if (a->out_len > act.arg)
			a->out_len = act.arg;
		a->retcode = CCI_RC_SUCCESS;
		break;
	case FAULT_LONG:
		a->pad = act.arg;
		a->retcode = CCI_RC_SUCCESS;
		break;
	case FAULT_OVERCLAIM:
		a->overclaim = act.arg;
		break;
	case FAULT_DELAY:
		a->delay_ms += act.arg;
		break;
	default:
		break;
	}
}

/* the answer record: our header, the CCI header, payload, padding */
static uint8_t *build_answer(const struct mctp_wire_hdr *req,
			     const uint8_t *cci, const struct mctp_answer *a,
			     size_t *len)
{
	size_t body = CCI_HDR + a->out_len + a->pad;
	uint32_t claim = (uint32_t)(a->out_len + a->pad + a->overclaim);
	uint16_t opcode = (cci[3] | cci[4] << 8) + (a->other_opcode ? 1 : 0);
	struct mctp_wire_hdr h = *req;
	uint8_t *rec = malloc(sizeof(h) + body), *p;

	if (!rec)
		return NULL;
	/* cut=: the header's length still says what the whole had */
	h.len = a->cut && a->cut_len < body ? a->cut_len : body;
	h.tag = req->tag & ~MCTP_TAG_OWNER;	/* a response: owner bit clear */
	memcpy(rec, &h, sizeof(h));
	p = rec + sizeof(h);
	memset(p, 0, CCI_HDR);
	p[0] = 1;			/* category: response */
	p[1] = cci[1];			/* the request's tag, echoed */
	p[3] = opcode & 0xff;
	p[4] = opcode >> 8;
	p[5] = claim & 0xff;
	p[6] = (claim >> 8) & 0xff;
	p[7] = (claim >> 16) & 0x0f;
	p[8] = a->retcode & 0xff;
	p[9] = a->retcode >> 8;
	if (a->out_len)
		memcpy(p + CCI_HDR, a->out, a->out_len);
	memset(p + CCI_HDR + a->out_len, 0xa5, a->pad);
	*len = sizeof(h) + h.len;
	return rec;
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * wrong-tag: the answer carries another CCI tag; stray: that copy (a late
 * answer to some earlier request) and then the answer itself.
 */
static void send_answer(const struct mctp_server *s, int fd, uint8_t *rec,
			size_t len, const struct mctp_answer *a)
{
	uint8_t *tag = rec + sizeof(struct mctp_wire_hdr) + 1;

	if (a->wrong_tag) {
		*tag ^= 0x80;
		reply(s, fd, rec, len);
		*tag ^= 0x80;
	}
	if (!a->wrong_tag || a->stray)
		reply(s, fd, rec, len);
}

static const struct mctp_ep *find_ep(const struct mctp_server *s,
				     const struct mctp_wire_hdr *h)
{
	/* the kernel's socket names the requester: the endpoint is ours */
	if (s->kernel)
		return &s->ep[0];
	for (unsigned int i = 0; i < s->nr_ep; i++)
		if (s->ep[i].net == h->net && s->ep[i].eid == h->eid)
			return &s->ep[i];
	return NULL;
}

/*
 * An MCTP control request (DSP0236 1.3 control messages; body: Rq/D/IID,
 * command code): Get Message Type Support answers the completion code,
 * the count and the types (control and the endpoint's CXL type); any
 * other command is Unsupported.  A response or a runt gets no answer.
 */
static void serve_control(const struct mctp_server *s,
			  const struct mctp_ep *ep, int fd,
			  const struct mctp_wire_hdr *h, const uint8_t *body)
{
	struct {
		struct mctp_wire_hdr h;
		uint8_t b[6];
	} r = { *h, { 0 } };
	size_t len = 3;

	if (h->len < 2 || !(body[0] & MCTP_CTRL_RQ) ||
	    !(h->tag & MCTP_TAG_OWNER) || s->ctl == MCTP_CTL_LOST)
		return;
	r.b[0] = body[0] & MCTP_CTRL_IID_MASK;	/* Rq and D clear */
	r.b[1] = body[1];
	r.b[2] = MCTP_CC_UNSUPPORTED;
	if (body[1] == MCTP_CTRL_GET_MSG_TYPES && s->ctl == MCTP_CTL_ERROR) {
		r.b[2] = MCTP_CC_ERROR;
	} else if (body[1] == MCTP_CTRL_GET_MSG_TYPES) {
		r.b[2] = MCTP_CC_SUCCESS;
		r.b[3] = 2;
		r.b[4] = MCTP_TYPE_CONTROL;
		/* pldm: an endpoint that speaks no CXL (DSP0239: 0x01 PLDM) */
		r.b[5] = s->ctl == MCTP_CTL_PLDM ? 0x01 : ep->type;
		len = 6;
	}
	r.h.len = len;
	r.h.tag = h->tag & ~MCTP_TAG_OWNER;
	reply(s, fd, &r, sizeof(r.h) + len);
}

/*
 * One request.  What a switch would drop (another message type, not a
 * request, shorter than the CCI header) gets no answer; a length field
 * that disagrees with the message gets Invalid Payload Length.
 */
static void serve_request(struct mctp_server *s, int fd,
			  const struct mctp_wire_hdr *h, const uint8_t *cci)
{
	const struct mctp_ep *ep = find_ep(s, h);
	struct mctp_answer a = { 0 };
	uint16_t opcode;
	uint32_t claimed;
	unsigned long latency;
	uint8_t *rec = NULL;
	size_t len = 0;

	if (!ep)
		return;
	if (h->type == MCTP_TYPE_CONTROL) {
		serve_control(s, ep, fd, h, cci);
		return;
	}
	if (h->type != ep->type || !(h->tag & MCTP_TAG_OWNER) ||
	    h->len < CCI_HDR || cci[0] != 0)
		return;
	opcode = cci[3] | cci[4] << 8;
	claimed = (cci[5] | cci[6] << 8 | (uint32_t)cci[7] << 16) &
		  CCI_LEN_MASK;
	pthread_mutex_lock(&emu_lock);
	latency = fault_latency();
	stats_count(1, opcode);
	if (claimed != h->len - CCI_HDR)
		a.retcode = CCI_RC_INVALID_PAYLOAD_LEN;
	else
		run_model(s, ep, opcode, cci + CCI_HDR, claimed, &a);
	if (!a.lost)
		rec = build_answer(h, cci, &a, &len);
	pthread_mutex_unlock(&emu_lock);
	/* as in ioctl.c: a slow device sleeps without the lock */
	if (latency || a.delay_ms)
		sleep_ms(latency + a.delay_ms);
	if (rec)
		send_answer(s, fd, rec, len, &a);
	free(rec);
}

struct conn {
	struct mctp_server *s;
	int fd;
};

/* one AF_MCTP socket of the tool, until it closes it */
static void *serve_conn(void *arg)
{
	struct conn *c = arg;
	struct mctp_wire_hdr h;
	uint8_t *body = malloc(MCTP_WIRE_MAX);

	while (body && !read_full(c->fd, &h, sizeof(h)) &&
	       h.len <= MCTP_WIRE_MAX && !read_full(c->fd, body, h.len))
		serve_request(c->s, c->fd, &h, body);
	free(body);
	close(c->fd);
	free(c);
	return NULL;
}

static void *accept_loop(void *arg)
{
	struct mctp_server *s = arg;
	pthread_t t;

	for (;;) {
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		struct conn *c;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;	/* closed by mctp_stop() */
		}
		c = malloc(sizeof(*c));
		if (c) {
			c->s = s;
			c->fd = fd;
		}
		if (!c || pthread_create(&t, NULL, serve_conn, c)) {
			free(c);
			close(fd);
			continue;
		}
		pthread_detach(t);
	}
}

static int listen_on(struct mctp_server *s)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	if (strlen(s->path) >= sizeof(addr.sun_path))
		return -1;
	strcpy(addr.sun_path, s->path);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0)
		return -1;
	if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(s->listen_fd, 8)) {
		close(s->listen_fd);
		return -1;
	}
	return 0;
}

struct mctp_server *mctp_start(struct emu_switch *sw, unsigned int net,
			       unsigned int eid, const unsigned int (*type3)[3],
			       unsigned int nr_type3)
{
	struct mctp_server *s = calloc(1, sizeof(*s));
	GString *routes;

	if (!s)
		return NULL;
	s->sw = sw;
	s->ep[0] = (struct mctp_ep){ net, eid, MCTP_TYPE_FMAPI, 0 };
	s->nr_ep = 1;
	routes = g_string_new(NULL);
	g_string_printf(routes, "%u:%u", net, eid);
	for (unsigned int i = 0; i < nr_type3 && s->nr_ep < MCTP_MAX_EPS; i++) {
		s->ep[s->nr_ep++] = (struct mctp_ep){ type3[i][0], type3[i][1],
						      MCTP_TYPE_CCI, type3[i][2] };
		g_string_append_printf(routes, ",%u:%u", type3[i][0], type3[i][1]);
	}
	s->dev_out = malloc(MCTP_WIRE_MAX);
	s->dir = g_dir_make_tmp("cxl-switch-emu-mctp-XXXXXX", NULL);
	if (s->dir) {
		s->path = g_build_filename(s->dir, "endpoint", NULL);
		s->env = g_strdup_printf("%s:%s", routes->str, s->path);
	}
	g_string_free(routes, TRUE);
	if (!s->dev_out || !s->dir || listen_on(s)) {
		fprintf(stderr, "cxl-switch-emu: --mctp: cannot listen: %s\n",
			strerror(errno));
		goto fail;
	}
	/* the signal mask is already set: the thread inherits it */
	if (pthread_create(&s->thread, NULL, accept_loop, s)) {
		close(s->listen_fd);
		goto fail;
	}
	return s;
fail:
	if (s->dir)
		rmdir(s->dir);
	free(s->dev_out);
	g_free(s->dir);
	g_free(s->path);
	g_free(s->env);
	free(s);
	return NULL;
}

/*
 * --mctp-kernel NET:EID: the machine's own AF_MCTP, where the kernel has
 * it (a loopback endpoint: EID as a local address of lo).  One socket
 * per message type the endpoint answers, bound to any address of NET;
 * each datagram is served as a shim record would be.
 */
struct kconn {
	struct mctp_server *s;
	int fd;
};

static void *kernel_loop(void *arg)
{
	struct kconn *k = arg;
	struct sockaddr_mctp from;
	struct mctp_wire_hdr h;
	uint8_t *body = malloc(MCTP_WIRE_MAX);
	struct pollfd pfd = { .fd = k->fd, .events = POLLIN };
	socklen_t flen;
	ssize_t n;

	while (body && !k->s->stopping) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		flen = sizeof(from);
		n = recvfrom(k->fd, body, MCTP_WIRE_MAX, MSG_TRUNC,
			     (struct sockaddr *)&from, &flen);
		if (n < 0 || (size_t)n > MCTP_WIRE_MAX)
			continue;
		h = (struct mctp_wire_hdr){ .len = n,
			.net = from.smctp_network,
			.eid = from.smctp_addr.s_addr,
			.type = from.smctp_type, .tag = from.smctp_tag };
		serve_request(k->s, k->fd, &h, body);
	}
	free(body);
	free(k);
	return NULL;
}

struct mctp_server *mctp_start_kernel(struct emu_switch *sw, unsigned int net,
				      unsigned int eid)
{
	static const uint8_t types[2] = { MCTP_TYPE_CONTROL, MCTP_TYPE_FMAPI };
	struct mctp_server *s = calloc(1, sizeof(*s));
	unsigned int i;

	if (!s)
		return NULL;
	s->sw = sw;
	s->kernel = 1;
	s->ep[0] = (struct mctp_ep){ net, eid, MCTP_TYPE_FMAPI, 0 };
	s->nr_ep = 1;
	s->kfd[0] = s->kfd[1] = -1;
	for (i = 0; i < 2; i++) {
		struct sockaddr_mctp a = {
			.smctp_family = AF_MCTP,
			.smctp_network = net,
			.smctp_addr.s_addr = MCTP_ADDR_ANY,
			.smctp_type = types[i],
		};
		struct kconn *k;

		s->kfd[i] = socket(AF_MCTP, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s->kfd[i] < 0 ||
		    bind(s->kfd[i], (struct sockaddr *)&a, sizeof(a))) {
			fprintf(stderr, "cxl-switch-emu: --mctp-kernel: %s\n",
				strerror(errno));
			goto fail;
		}
		k = malloc(sizeof(*k));
		if (!k)
			goto fail;
		*k = (struct kconn){ s, s->kfd[i] };
		if (pthread_create(&s->kthread[i], NULL, kernel_loop, k)) {
			free(k);
			goto fail;
		}
	}
	return s;
fail:
	s->stopping = 1;
	while (i--)
		pthread_join(s->kthread[i], NULL);
	for (i = 0; i < 2; i++)
		if (s->kfd[i] >= 0)
			close(s->kfd[i]);
	free(s);
	return NULL;
}

void mctp_set_ctl(struct mctp_server *s, enum mctp_ctl_mode mode)
{
	s->ctl = mode;
}

const char *mctp_env(const struct mctp_server *s)
{
	return s->env;
}

/* after the child is gone: its sockets are closed, the threads ending */
void mctp_stop(struct mctp_server *s)
{
	if (!s)
		return;
	if (s->kernel) {
		s->stopping = 1;
		for (int i = 0; i < 2; i++) {
			pthread_join(s->kthread[i], NULL);
			close(s->kfd[i]);
		}
		free(s);
		return;
	}
	shutdown(s->listen_fd, SHUT_RDWR);
	pthread_join(s->thread, NULL);
	close(s->listen_fd);
	unlink(s->path);
	rmdir(s->dir);
	g_free(s->dir);
	g_free(s->path);
	g_free(s->env);
	free(s->dev_out);
	free(s);
}
