// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Tunnel Management (0x5300): a command for a device behind the switch is
 * wrapped in a whole CCI message and sent to the switch, which hands it to
 * the port's device and returns the device's whole answer message.  An MLD
 * does the same one level down for its LDs.
 *
 * A tunnel is a transport, but it wraps a device rather than a bare
 * transport: the 0x5300 itself then passes the outer device's catalog
 * check, bounds and Busy retries like any other command, and a failure at
 * the outer level keeps its own name and return code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

#define CCI_CATEGORY_REQUEST	0
#define CCI_CATEGORY_RESPONSE	1
/* the payload length is bits 20:0, bit 23 background (r3.2 Table 7-14) */
#define CCI_LEN_MASK		0x1FFFFFu
#define CCI_LEN_BACKGROUND	(1u << 23)

struct tunnel {
	struct cxlsw_transport base;
	struct cxlsw_dev *outer;
	uint8_t id;
	uint8_t type;
	uint8_t tag;			/* the next request's */
	struct cxlsw_error error;	/* of the last failed send */
	uint8_t *req, *ans;		/* grown as needed */
	size_t req_cap, ans_cap;
};

int cxlsw_tunnel_encode(const struct cxlsw_tunnel_request *req,
			const void *in, size_t in_len, void *buf, size_t len,
			size_t *used)
{
	size_t msg = CXLSW_CCI_HDR_LEN + in_len;
	uint8_t *p = buf;

	if (msg > CXLSW_TUNNEL_MSG_MAX || in_len > CCI_LEN_MASK)
		return -EMSGSIZE;
	if (len < CXLSW_TUNNEL_HDR_LEN + msg)
		return -ENOSPC;
	memset(p, 0, CXLSW_TUNNEL_OVERHEAD);
	p[0] = req->id;
	p[1] = req->type;
	put_le16(p + 2, (uint16_t)msg);
	p += CXLSW_TUNNEL_HDR_LEN;
	p[0] = CCI_CATEGORY_REQUEST;
	p[1] = req->tag;
	p[3] = req->opcode & 0xff;
	p[4] = req->opcode >> 8;
	p[5] = in_len & 0xff;
	p[6] = (in_len >> 8) & 0xff;
	p[7] = (in_len >> 16) & 0x1f;
	if (in_len)
		memcpy(p + CXLSW_CCI_HDR_LEN, in, in_len);
	*used = CXLSW_TUNNEL_HDR_LEN + msg;
	return 0;
}

static int bad_answer(struct cxlsw_tunnel_answer *ans, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad_answer(struct cxlsw_tunnel_answer *ans, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ans->why, sizeof(ans->why), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

/* Every field of the answer's two headers is checked before it is used. */
int cxlsw_tunnel_decode(const struct cxlsw_tunnel_request *req,
			const void *buf, size_t len,
			struct cxlsw_tunnel_answer *ans)
{
	const uint8_t *p = buf, *m = p + CXLSW_TUNNEL_HDR_LEN;
	size_t stated, payload;
	uint16_t opcode;
	uint32_t field;

	memset(ans, 0, sizeof(*ans));
	if (len < CXLSW_TUNNEL_OVERHEAD)
		return bad_answer(ans, "answer of %zu bytes, shorter than the %u bytes of headers",
				  len, CXLSW_TUNNEL_OVERHEAD);
	stated = get_le16(p);
	if (stated != len - CXLSW_TUNNEL_HDR_LEN)
		return bad_answer(ans, "response length says %zu bytes, %zu arrived",
				  stated, len - CXLSW_TUNNEL_HDR_LEN);
	if (m[0] != CCI_CATEGORY_RESPONSE)
		return bad_answer(ans, "inner message category %u, not a response",
				  m[0]);
	if (m[1] != req->tag)
		return bad_answer(ans, "inner answer has tag 0x%02x, the request 0x%02x",
				  m[1], req->tag);
	opcode = (uint16_t)(m[4] << 8 | m[3]);
	if (opcode != req->opcode)
		return bad_answer(ans, "inner answer is for opcode 0x%04x, not 0x%04x",
				  opcode, req->opcode);
	field = (uint32_t)(m[5] | m[6] << 8 | m[7] << 16);
	payload = field & CCI_LEN_MASK;
	if (payload != stated - CXLSW_CCI_HDR_LEN)
		return bad_answer(ans, "inner payload length says %zu bytes, %zu arrived",
				  payload, stated - CXLSW_CCI_HDR_LEN);
	ans->background = field & CCI_LEN_BACKGROUND;
	ans->retcode = get_le16(m + 8);
	ans->payload = m + CXLSW_CCI_HDR_LEN;
	ans->payload_len = payload;
	return 0;
}

static int grow(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *b;

	if (need <= *cap)
		return 0;
	b = realloc(*buf, need);
	if (!b)
		return -ENOMEM;
	*buf = b;
	*cap = need;
	return 0;
}

/*
 * Names are made for every tunnel, hundreds in a listing of a large
 * fabric: put together by copying, as snprintf would, cut to the buffer
 * and terminated.  The end of the text.
 */
static char *append(char *p, const char *end, const char *s)
{
	size_t n = strlen(s), room = (size_t)(end - p) - 1;

	if (n > room)
		n = room;
	memcpy(p, s, n);
	p[n] = '\0';
	return p + n;
}

static char *append_id(char *p, const char *end, unsigned int v)
{
	char digits[12], *d = digits + sizeof(digits);

	*--d = '\0';
	do {
		*--d = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return append(p, end, d);
}

/* "port 5", "LD 2" or "LD pool of port 5": what this level reaches */
static const char *level(const struct tunnel *t, char *buf, size_t len)
{
	const struct tunnel *port;
	const char *end = buf + len;

	if (t->type == CXLSW_TUNNEL_LD_POOL) {
		/* the level above is the port's device (cxlsw_dev_tunnel) */
		port = (const struct tunnel *)t->outer->transport;
		append_id(append(buf, end, "LD pool of port "), end, port->id);
	} else {
		append_id(append(buf, end, cxlsw_dev_outer(t->outer) ? "LD " :
				 "port "), end, t->id);
	}
	return buf;
}

/* A failure of the outer level, told in the terms of this one. */
static int outer_failed(struct tunnel *t, int rc)
{
	const struct cxlsw_error *oe = cxlsw_dev_error(t->outer);
	char what[200], lvl[40];

	t->error = *oe;
	/* a level that lacks a command keeps its own name and opcode */
	if (oe->kind == CXLSW_ERR_UNSUPPORTED)
		return rc;
	snprintf(t->error.detail, sizeof(t->error.detail),
		 "tunnel to %s: %s", level(t, lvl, sizeof(lvl)),
		 cxlsw_error_string(oe, what, sizeof(what)));
	t->error.opcode = 0;
	/* Busy at the outer level is worth another try, like any Busy. */
	if (oe->kind == CXLSW_ERR_DEVICE &&
	    (oe->retcode == CXLSW_RC_BUSY ||
	     oe->retcode == CXLSW_RC_RETRY_REQUIRED))
		return -EBUSY;
	return rc;
}

static int tunnel_send(struct cxlsw_transport *base, uint16_t opcode,
		       const void *in, size_t in_len, void *out,
		       size_t *out_len, uint16_t *retcode)
{
	struct tunnel *t = (struct tunnel *)base;
	struct cxlsw_tunnel_request req = {
		.id = t->id, .type = t->type, .tag = t->tag++, .opcode = opcode,
	};
	size_t req_len, ans_len = CXLSW_TUNNEL_OVERHEAD + *out_len;
	struct cxlsw_tunnel_answer ans;
	char lvl[40];
	size_t limit;
	int rc;

	memset(&t->error, 0, sizeof(t->error));
	if (ans_len > CXLSW_TUNNEL_HDR_LEN + CXLSW_TUNNEL_MSG_MAX)
		ans_len = CXLSW_TUNNEL_HDR_LEN + CXLSW_TUNNEL_MSG_MAX;
	/*
	 * The outer level answers no more than its own limit.  Not known
	 * yet, it is not asked for: this level's answer is then paged to
	 * what the outer level is sure to take (dev_page_limit), and that
	 * is what is offered.
	 */
	limit = dev_sure_limit(t->outer);
	if (ans_len > limit)
		ans_len = limit;
	if (grow(&t->req, &t->req_cap, CXLSW_TUNNEL_OVERHEAD + in_len) ||
	    grow(&t->ans, &t->ans_cap, ans_len))
		return -ENOMEM;
	rc = cxlsw_tunnel_encode(&req, in, in_len, t->req, t->req_cap,
				 &req_len);
	if (rc) {
		error_fill(&t->error, CXLSW_ERR_INVALID, EMSGSIZE, 0,
			   "a request of %zu bytes does not fit a tunnel to %s",
			   in_len, level(t, lvl, sizeof(lvl)));
		return rc;
	}
	rc = cxlsw_dev_send(t->outer, CXLSW_OP_TUNNEL, t->req, req_len,
			    t->ans, &ans_len);
	if (rc)
		return outer_failed(t, rc);
	if (cxlsw_tunnel_decode(&req, t->ans, ans_len, &ans)) {
		error_fill(&t->error, CXLSW_ERR_MALFORMED, EBADMSG, 0,
			   "tunnel to %s: %s", level(t, lvl, sizeof(lvl)), ans.why);
		return -EBADMSG;
	}
	if (ans.payload_len > *out_len) {
		error_fill(&t->error, CXLSW_ERR_MALFORMED, EBADMSG, 0,
			   "tunnel to %s: %zu answer bytes for a %zu-byte buffer",
			   level(t, lvl, sizeof(lvl)), ans.payload_len, *out_len);
		return -EBADMSG;
	}
	/* a command with no answer (Transfer FW) passes no buffer at all */
	if (ans.payload_len)
		memcpy(out, ans.payload, ans.payload_len);
	*out_len = ans.payload_len;
	*retcode = ans.retcode;
	return 0;
}

static const struct cxlsw_error *tunnel_error(struct cxlsw_transport *base)
{
	struct tunnel *t = (struct tunnel *)base;

	return t->error.kind ? &t->error : NULL;
}

static void tunnel_destroy(struct cxlsw_transport *base)
{
	struct tunnel *t = (struct tunnel *)base;

	free(t->req);
	free(t->ans);
	free(t);
}

static const struct cxlsw_transport_ops tunnel_ops = {
	.send = tunnel_send,
	.destroy = tunnel_destroy,
	.error = tunnel_error,
};

int cxlsw_dev_tunnel(struct cxlsw_dev *outer, uint8_t id,
		     enum cxlsw_tunnel_target type, bool own_outer,
		     struct cxlsw_dev **devp)
{
	const struct cxlsw_dev *sw = outer;
	struct tunnel *t;
	char name[160], lvl[40], *p;
	const char *end = name + sizeof(name);
	int rc;

	/* r3.2 Table 7-37: a switch has no egress port for target type 1 */
	if (type == CXLSW_TUNNEL_LD_POOL && !outer->outer)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->base.ops = &tunnel_ops;
	t->outer = outer;
	t->id = type == CXLSW_TUNNEL_LD_POOL ? 0xFF : id;
	t->type = (uint8_t)type;
	while (sw->outer)
		sw = sw->outer;
	/* named from the switch: "switch0 port 5 LD 2", "switch0 LD pool of port 5" */
	p = append(name, end, type == CXLSW_TUNNEL_LD_POOL ?
		   cxlsw_dev_name(sw) : cxlsw_dev_name(outer));
	p = append(p, end, " ");
	append(p, end, level(t, lvl, sizeof(lvl)));
	rc = cxlsw_dev_new(name, &t->base, devp);
	if (rc) {
		free(t);
		return rc;
	}
	dev_set_outer(*devp, outer, own_outer);
	return 0;
}

/*
 * The 0x5300 request's effect is its inner command's, so a tunnelled bind
 * is as guarded as a direct one.
 */
enum cxlsw_effect cxlsw_tunnel_effect(const void *req, size_t len)
{
	const uint8_t *p = req;
	const struct cxlsw_command *cmd;

	if (len < CXLSW_TUNNEL_OVERHEAD)
		return CXLSW_EFFECT_FW_SECURITY;	/* unknown: the most guarded */
	cmd = cxlsw_catalog_find((uint16_t)(p[8] << 8 | p[7]));
	if (!cmd)
		return CXLSW_EFFECT_FW_SECURITY;
	return cxlsw_request_effect(cmd, p + CXLSW_TUNNEL_OVERHEAD,
				    len - CXLSW_TUNNEL_OVERHEAD);
}

/*
 * The bytes that will leave for the switch when this device is sent the
 * request: the request wrapped once per tunnel level, with the tags the
 * levels will use next.  For --dry-run, which shows what goes on the wire.
 */
int cxlsw_dev_wire_request(struct cxlsw_dev *dev, uint16_t opcode,
			   const void *in, size_t in_len, void *buf,
			   size_t len, size_t *used, uint16_t *wire_opcode)
{
	uint8_t *tmp;
	int rc;

	if (in_len > len)
		return -ENOSPC;
	memmove(buf, in, in_len);
	*used = in_len;
	*wire_opcode = opcode;
	tmp = malloc(len);
	if (!tmp)
		return -ENOMEM;
	for (; dev->outer; dev = dev->outer) {
		struct tunnel *t = (struct tunnel *)dev->transport;
		struct cxlsw_tunnel_request req = {
			.id = t->id, .type = t->type, .tag = t->tag,
			.opcode = *wire_opcode,
		};

		memcpy(tmp, buf, *used);
		rc = cxlsw_tunnel_encode(&req, tmp, *used, buf, len, used);
		if (rc)
			break;
		*wire_opcode = CXLSW_OP_TUNNEL;
	}
	free(tmp);
	return dev->outer ? rc : 0;
}
