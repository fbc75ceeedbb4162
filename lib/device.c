// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A switch CCI device: opened by name, found by discovery, and the one
 * place where a command goes out, so every request is checked against the
 * catalog on the way out and every answer on the way back.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "private.h"

#define RETRIES_DEFAULT		5
#define RETRY_FIRST_MS_DEFAULT	10
#define RETRY_MAX_MS		200

static bool switch_number(const char *name, unsigned long *num)
{
	char *end;

	if (strncmp(name, "switch", 6) || !isdigit((unsigned char)name[6]))
		return false;
	errno = 0;
	*num = strtoul(name + 6, &end, 10);
	return !*end && !errno && *num <= INT_MAX;
}

bool cxlsw_name_valid(const char *name)
{
	unsigned long num;

	return name[0] == '/' || switch_number(name, &num) ||
	       cxlsw_mctp_name_parse(name, NULL, NULL);
}

static const char *transport_hint(int errnum)
{
	switch (errnum) {
	case ENOENT:
		return "no such device";
	case ENOTTY:
		return "not a CXL mailbox device (ENOTTY)";
	case EPERM:
	case EACCES:
		return "permission denied: raw commands disabled, kernel lockdown, or not root";
	case ENXIO:
	case ENODEV:
		return "device removed (ENXIO)";
	case EBUSY:
		return "mailbox busy (EBUSY)";
	case EOVERFLOW:
		return "the driver reported more answer bytes than the buffer holds";
	case ETIMEDOUT:
		return "the mailbox timed out (ETIMEDOUT)";
	case EIO:
		return "I/O error on the mailbox (EIO)";
	default:
		return strerror(errnum);
	}
}

int cxlsw_dev_new(const char *name, struct cxlsw_transport *t,
		  struct cxlsw_dev **devp)
{
	struct cxlsw_dev *dev = calloc(1, sizeof(*dev));

	if (!dev)
		return -ENOMEM;
	dev->name = strdup(name);
	dev->path = strdup(name);
	if (!dev->name || !dev->path) {
		free(dev->name);
		free(dev->path);
		free(dev);
		return -ENOMEM;
	}
	dev->transport = t;
	dev->retries = RETRIES_DEFAULT;
	dev->retry_first_ms = RETRY_FIRST_MS_DEFAULT;
	dev->timeout_ms = CXLSW_MAILBOX_TIMEOUT_MS;
	*devp = dev;
	return 0;
}

/*
 * What the driver takes: a CXL memdev says it in payload_max; a switch
 * CCI driver that says the same is believed.  0 when it says nothing.
 */
static size_t sysfs_payload_max(const char *base)
{
	char path[PATH_MAX];
	unsigned long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/payload_max", CXLSW_SYSFS_DEVICES,
		 base);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%lu", &v) != 1)
		v = 0;
	fclose(f);
	return v;
}

int cxlsw_dev_open(const char *name, struct cxlsw_dev **devp,
		   struct cxlsw_error *err)
{
	struct cxlsw_transport *t;
	struct cxlsw_dev *dev;
	char *base, *path;
	int rc;

	*devp = NULL;
	memset(err, 0, sizeof(*err));
	if (!strncmp(name, CXLSW_MCTP_PREFIX, strlen(CXLSW_MCTP_PREFIX)))
		return mctp_dev_open(name, devp, err);
	if (!cxlsw_name_valid(name)) {
		err->kind = CXLSW_ERR_INVALID;
		err->errnum = EINVAL;
		snprintf(err->detail, sizeof(err->detail),
			 "invalid switch name '%s': expected switchN or a device path",
			 name);
		return -EINVAL;
	}
	/* nothing but a switch's character device is opened (resolve.c) */
	rc = dev_resolve(name, &base, &path, err);
	if (rc)
		goto out;
	rc = cxlsw_ioctl_transport_open(path, &t);
	if (rc) {
		err->kind = CXLSW_ERR_TRANSPORT;
		err->errnum = -rc;
		snprintf(err->detail, sizeof(err->detail), "%s: %s", path,
			 transport_hint(-rc));
		goto out;
	}
	rc = cxlsw_dev_new(base, t, &dev);
	if (rc) {
		t->ops->destroy(t);
		goto out;
	}
	free(dev->path);
	dev->path = path;
	path = NULL;
	dev->transport_max = sysfs_payload_max(base);
	*devp = dev;
out:
	free(base);
	free(path);
	return rc;
}

void cxlsw_dev_close(struct cxlsw_dev *dev)
{
	if (!dev)
		return;
	dev->transport->ops->destroy(dev->transport);
	if (dev->own_outer)
		cxlsw_dev_close(dev->outer);
	free(dev->name);
	free(dev->path);
	free(dev->lacks);
	free(dev);
}

void dev_set_outer(struct cxlsw_dev *dev, struct cxlsw_dev *outer, bool own)
{
	char *path = strdup(outer->path);

	if (path) {
		free(dev->path);
		dev->path = path;
	}
	dev->outer = outer;
	dev->own_outer = own;
	/* the outer level already retries; do not multiply the waits */
	dev->retries = outer->retries;
	dev->retry_first_ms = outer->retry_first_ms;
	dev->timeout_ms = outer->timeout_ms;
}

void cxlsw_dev_set_timeout(struct cxlsw_dev *dev, unsigned int ms)
{
	dev->timeout_ms = ms;
}

/* The device at the end of the chain: the switch every level goes through. */
static struct cxlsw_dev *chain_root(struct cxlsw_dev *dev)
{
	while (dev->outer)
		dev = dev->outer;
	return dev;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct cxlsw_dev *cxlsw_dev_outer(const struct cxlsw_dev *dev)
{
	return dev->outer;
}

const char *cxlsw_dev_name(const struct cxlsw_dev *dev)
{
	return dev->name;
}

const char *cxlsw_dev_path(const struct cxlsw_dev *dev)
{
	return dev->path;
}

int cxlsw_dev_trylock(struct cxlsw_dev *dev, pid_t *holder)
{
	while (dev->outer)	/* a tunnel is locked at its switch */
		dev = dev->outer;
	*holder = 0;
	if (!dev->transport->ops->trylock)
		return -EOPNOTSUPP;
	return dev->transport->ops->trylock(dev->transport, holder);
}

const struct cxlsw_error *cxlsw_dev_error(const struct cxlsw_dev *dev)
{
	return &dev->error;
}

/* ", still after 6 attempts" when the answer came back more than once */
static const char *attempts_text(const struct cxlsw_dev *dev)
{
	static __thread char text[48];

	if (dev->attempts < 2)
		return "";
	snprintf(text, sizeof(text), ", still after %u attempts",
		 dev->attempts);
	return text;
}

static bool lacks(const struct cxlsw_dev *dev, uint16_t opcode)
{
	for (size_t i = 0; i < dev->nlacks; i++)
		if (dev->lacks[i] == opcode)
			return true;
	return false;
}

/* Remembered as lacking (unless there is no memory: then asked again). */
static void lack(struct cxlsw_dev *dev, uint16_t opcode)
{
	uint16_t *l;

	if (lacks(dev, opcode))
		return;
	if (dev->nlacks == dev->lacks_cap) {
		l = realloc(dev->lacks, (dev->lacks_cap + 4) * sizeof(*l));
		if (!l)
			return;
		dev->lacks = l;
		dev->lacks_cap += 4;
	}
	dev->lacks[dev->nlacks++] = opcode;
}

/* The device does not implement opcode: remembered, and said so. */
static int lacking(struct cxlsw_dev *dev, uint16_t opcode)
{
	lack(dev, opcode);
	dev_fail(dev, CXLSW_ERR_UNSUPPORTED, EOPNOTSUPP, opcode, "%s",
		 dev->name);
	dev->error.retcode = CXLSW_RC_UNSUPPORTED;
	return -EOPNOTSUPP;
}

static int device_failed(struct cxlsw_dev *dev, uint16_t opcode, uint16_t rc)
{
	const char *name = cxlsw_retcode_name(rc);

	if (rc == CXLSW_RC_UNSUPPORTED)
		return lacking(dev, opcode);

	if (name)
		dev_fail(dev, CXLSW_ERR_DEVICE, EIO, opcode, "%s (0x%02x)%s",
			 name, rc, attempts_text(dev));
	else
		dev_fail(dev, CXLSW_ERR_DEVICE, EIO, opcode,
			 "unknown return code 0x%04x", rc);
	dev->error.retcode = rc;
	return -EIO;
}

/*
 * The one place a request goes out: the opcode must be in the catalog and
 * the request within its bounds.  Returns 0 with the device's return code,
 * or a negative errno when nothing usable came back.
 */
void cxlsw_dev_set_retries(struct cxlsw_dev *dev, unsigned int retries,
			   unsigned int first_ms)
{
	dev->retries = retries;
	dev->retry_first_ms = first_ms;
}

/*
 * A transport that knows more than its errno (a tunnel: which level, what
 * was wrong with the answer) says so; the command is still this one.
 */
static int transport_failed(struct cxlsw_dev *dev, uint16_t opcode, int rc)
{
	const struct cxlsw_error *why = dev->transport->ops->error ?
		dev->transport->ops->error(dev->transport) : NULL;

	if (why && why->kind == CXLSW_ERR_UNSUPPORTED) {
		/* a level on the way lacks a command: name it, not this one */
		dev->error = *why;
		return rc;
	}
	if (!why)
		return dev_fail(dev, CXLSW_ERR_TRANSPORT, -rc, opcode,
				"%s: %s%s", dev->path, transport_hint(-rc),
				rc == -EBUSY ? attempts_text(dev) : "");
	dev_fail(dev, why->kind, why->errnum ? why->errnum : -rc, opcode,
		 "%s%s", why->detail, rc == -EBUSY ? attempts_text(dev) : "");
	dev->error.retcode = why->retcode;
	return rc;
}

/* Busy and Retry Required say the device did not run the command. */
static bool worth_retrying(int rc, uint16_t retcode)
{
	return rc == -EBUSY || (!rc && (retcode == CXLSW_RC_BUSY ||
					retcode == CXLSW_RC_RETRY_REQUIRED));
}

/*
 * A request starts at the device a caller sent it to and goes through
 * every tunnel level to the root; the root holds one retry budget and one
 * deadline for all of it.  Only the level the caller sent to retries,
 * sending the whole chain again: Busy at an outer level comes back to it
 * as a Busy tunnel (see tunnel.c), so levels never multiply retries.
 */
static bool request_begin(struct cxlsw_dev *dev, struct cxlsw_dev *root)
{
	if (root->in_flight++)
		return false;
	root->retries_left = dev->retries;
	root->deadline_ns = dev->timeout_ms ?
		monotonic_ns() + (uint64_t)dev->timeout_ms * 1000000u : 0;
	return true;
}

/* Is there budget and time for another attempt after a wait of ms? */
static bool may_retry(struct cxlsw_dev *root, unsigned int ms)
{
	if (!root->retries_left)
		return false;
	if (root->deadline_ns &&
	    monotonic_ns() + (uint64_t)ms * 1000000u > root->deadline_ns)
		return false;
	root->retries_left--;
	return true;
}

/*
 * The one place a request goes out: the opcode must be in the catalog and
 * the request within its bounds.  Busy and Retry Required are tried again,
 * waiting longer each time, within the request's budget and deadline.
 * Returns 0 with the device's return code, or a negative errno when
 * nothing usable came back.
 */
static int exchange(struct cxlsw_dev *dev, const struct cxlsw_command *cmd,
		    const void *in, size_t in_len, void *out, size_t *out_len,
		    uint16_t *retcode)
{
	struct cxlsw_dev *root = chain_root(dev);
	unsigned int delay = dev->retry_first_ms;
	/* never offer more room than the command can answer: the driver
	 * refuses buffers beyond the mailbox size */
	size_t cap = *out_len < cmd->out_max ? *out_len : cmd->out_max;
	bool first;
	int rc;

	/* The limit remembered may no longer hold once this is sent. */
	if (cmd->opcode == CXLSW_OP_SET_RESPONSE_LIMIT)
		dev->msg_limit = 0;
	if (in_len < cmd->in_min || in_len > cmd->in_max)
		return dev_fail(dev, CXLSW_ERR_INVALID, EINVAL, cmd->opcode,
				"request of %zu bytes, the command takes %u to %u",
				in_len, cmd->in_min, cmd->in_max);
	first = request_begin(dev, root);
	for (dev->attempts = 1;; dev->attempts++) {
		*out_len = cap;
		/* bytes the device does not write must not read as an answer */
		if (cap)
			memset(out, 0, cap);
		rc = dev->transport->ops->send(dev->transport, cmd->opcode,
					       in_len ? in : NULL, in_len, out,
					       out_len, retcode);
		if (!worth_retrying(rc, *retcode) || !first ||
		    !may_retry(root, delay))
			break;
		sleep_ms(delay);
		delay = delay * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : delay * 2;
	}
	root->in_flight--;
	if (rc)
		return transport_failed(dev, cmd->opcode, rc);
	return 0;
}

static int answer_fits(struct cxlsw_dev *dev, const struct cxlsw_command *cmd,
		       size_t got, size_t cap)
{
	if (got < cmd->out_min || got > cmd->out_max || got > cap)
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG, cmd->opcode,
				"answer of %zu bytes, the command answers %u to %u",
				got, cmd->out_min, cmd->out_max);
	return 0;
}

static const struct cxlsw_command *catalogued(struct cxlsw_dev *dev,
					      uint16_t opcode)
{
	const struct cxlsw_command *cmd = cxlsw_catalog_find(opcode);

	if (!cmd)
		dev_fail(dev, CXLSW_ERR_REFUSED, EPERM, opcode,
			 "not in the command catalog: refused");
	return cmd;
}

int cxlsw_dev_send(struct cxlsw_dev *dev, uint16_t opcode,
		   const void *in, size_t in_len, void *out, size_t *out_len)
{
	int rc = cxlsw_dev_run(dev, opcode, in, in_len, out, out_len, NULL);

	/* Here a background operation is not what the caller asked for. */
	return rc == CXLSW_BG_RUNNING ?
	       device_failed(dev, opcode, CXLSW_RC_BG_STARTED) : rc;
}

int cxlsw_dev_run(struct cxlsw_dev *dev, uint16_t opcode,
		  const void *in, size_t in_len, void *out, size_t *out_len,
		  const struct cxlsw_wait *wait)
{
	const struct cxlsw_command *cmd = catalogued(dev, opcode);
	size_t cap = *out_len;
	uint16_t retcode = 0;
	int rc;

	if (!cmd)
		return -EPERM;
	/* what the device is known to lack is not asked again */
	if (lacks(dev, opcode))
		return lacking(dev, opcode);
	rc = exchange(dev, cmd, in, in_len, out, out_len, &retcode);
	if (rc)
		return rc;
	if (retcode == CXLSW_RC_BG_STARTED) {
		*out_len = 0;
		return wait ? cxlsw_bg_wait(dev, opcode, wait) :
			      CXLSW_BG_RUNNING;
	}
	if (retcode != CXLSW_RC_SUCCESS)
		return device_failed(dev, opcode, retcode);
	rc = answer_fits(dev, cmd, *out_len, cap);
	/* an Identify asked by anyone serves the serial and the message
	 * sizes too */
	if (!rc && opcode == CXLSW_OP_IDENTIFY && !dev->have_identify &&
	    !cxlsw_identify_decode(out, *out_len, &dev->identify)) {
		dev->serial = dev->identify.serial;
		dev->have_serial = true;
		dev->have_identify =
			dev->identify.max_msg_size_log2 >= CXLSW_MSG_LOG2_MIN &&
			dev->identify.max_msg_size_log2 <= CXLSW_MSG_LOG2_MAX;
	}
	return rc;
}

int cxlsw_dev_send_vendor(struct cxlsw_dev *dev, uint16_t opcode,
			  const void *in, size_t in_len, void *out,
			  size_t *out_len, uint16_t *retcode)
{
	char mode[32];
	size_t limit;
	int rc;

	if (opcode < CXLSW_VENDOR_OPCODE_MIN)
		return dev_fail(dev, CXLSW_ERR_REFUSED, EPERM, opcode,
				"only vendor opcodes 0x%04x-0xffff may be sent raw",
				CXLSW_VENDOR_OPCODE_MIN);
	rc = cxlsw_kernel_lockdown(mode, sizeof(mode));
	if (rc || strcmp(mode, "none"))
		return dev_fail(dev, CXLSW_ERR_REFUSED, EPERM, opcode,
				"kernel lockdown is %s: raw commands refused",
				rc ? "unreadable" : mode);
	rc = cxlsw_dev_msg_limit(dev, &limit);
	if (rc)
		return rc;
	if (*out_len > limit)
		*out_len = limit;	/* the driver refuses larger buffers */
	if (*out_len)
		memset(out, 0, *out_len);
	rc = dev->transport->ops->send(dev->transport, opcode,
				       in_len ? in : NULL, in_len, out,
				       out_len, retcode);
	if (rc)
		return transport_failed(dev, opcode, rc);
	return 0;
}

int dev_query_fixed(struct cxlsw_dev *dev, uint16_t opcode, void *out,
		    size_t len)
{
	size_t got = len;

	return cxlsw_dev_send(dev, opcode, NULL, 0, out, &got);
}

/* What one more tunnel level leaves of the outer level's limit. */
static int tunnel_room(struct cxlsw_dev *dev, size_t outer_limit,
		       size_t *limit)
{
	size_t room = outer_limit > CXLSW_TUNNEL_OVERHEAD ?
		      outer_limit - CXLSW_TUNNEL_OVERHEAD : 0;

	if (room > CXLSW_TUNNEL_MSG_MAX - CXLSW_CCI_HDR_LEN)
		room = CXLSW_TUNNEL_MSG_MAX - CXLSW_CCI_HDR_LEN;
	if (!room)
		return dev_fail(dev, CXLSW_ERR_INVALID, EMSGSIZE, CXLSW_OP_TUNNEL,
				"the outer level's %zu-byte limit leaves no room for a tunnel",
				outer_limit);
	if (room < *limit)
		*limit = room;
	return 0;
}

/* The device's Identify, asked once: both message sizes come from it. */
static int dev_identify(struct cxlsw_dev *dev, struct cxlsw_identify **id)
{
	int rc;

	if (!dev->have_identify) {
		rc = cxlsw_identify(dev, &dev->identify);
		if (rc)
			return rc;
		if (dev->identify.max_msg_size_log2 < CXLSW_MSG_LOG2_MIN ||
		    dev->identify.max_msg_size_log2 > CXLSW_MSG_LOG2_MAX)
			return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
					CXLSW_OP_IDENTIFY,
					"maximum message size 2^%u is outside 2^%u..2^%u",
					dev->identify.max_msg_size_log2,
					CXLSW_MSG_LOG2_MIN, CXLSW_MSG_LOG2_MAX);
		dev->have_identify = true;
	}
	*id = &dev->identify;
	return 0;
}

/*
 * A device without Identify (r3.1 Table 8-37 makes it mandatory on a
 * switch only over MCTP) says nothing of its size: what the transport
 * takes, or else the least any CCI takes, 2^8 bytes (Identify's smallest
 * maximum message size).
 */
static size_t size_unsaid(const struct cxlsw_dev *dev)
{
	return dev->transport_max ? dev->transport_max :
	       (size_t)1 << CXLSW_MSG_LOG2_MIN;
}

/* Its maximum message size: Identify's, or size_unsaid() without it. */
static int max_msg_size(struct cxlsw_dev *dev, size_t *size)
{
	struct cxlsw_identify *id = NULL;
	int rc = dev_identify(dev, &id);

	if (!rc)
		*size = (size_t)1 << id->max_msg_size_log2;
	else if (rc == -EOPNOTSUPP)
		*size = size_unsaid(dev);
	return rc == -EOPNOTSUPP ? 0 : rc;
}

/*
 * This level's own answer limit: Get Response Message Limit when the
 * device has it (r3.1 Table 8-37 makes it mandatory on a switch only over
 * MCTP; QEMU's switch CCI lacks it), else its maximum message size.
 */
static int own_msg_limit(struct cxlsw_dev *dev, size_t *limit)
{
	int rc = -EOPNOTSUPP;

	if (!lacks(dev, CXLSW_OP_GET_RESPONSE_LIMIT))
		rc = cxlsw_get_response_limit(dev, limit);
	if (rc != -EOPNOTSUPP)
		return rc;
	return max_msg_size(dev, limit);
}

/* No more than the transport takes, and behind a tunnel what it carries. */
static int cap_limit(struct cxlsw_dev *dev, size_t *limit,
		     int (*outer_limit)(struct cxlsw_dev *, size_t *))
{
	size_t outer;
	int rc;

	if (dev->transport_max && *limit > dev->transport_max)
		*limit = dev->transport_max;
	if (!dev->outer)
		return 0;
	rc = outer_limit(dev->outer, &outer);
	if (rc) {
		dev->error = dev->outer->error;
		return rc;
	}
	return tunnel_room(dev, outer, limit);
}

int cxlsw_dev_msg_limit(struct cxlsw_dev *dev, size_t *bytes)
{
	size_t limit;
	int rc;

	if (!dev->msg_limit) {
		rc = own_msg_limit(dev, &limit);
		if (!rc)
			rc = cap_limit(dev, &limit, cxlsw_dev_msg_limit);
		if (rc)
			return rc;
		dev->msg_limit = limit;
	}
	*bytes = dev->msg_limit;
	return 0;
}

/*
 * The answer size this level is sure to take without asking (its limit
 * once learned): every CCI
 * takes 2^8 bytes (Identify's smallest maximum message size, r3.1 8.2.9.1.1),
 * no more than the transport carries, and behind a tunnel no more than
 * what the outer level is known (or sure) to take, less the tunnel's
 * headers.
 */
size_t dev_sure_limit(const struct cxlsw_dev *dev)
{
	size_t limit = (size_t)1 << CXLSW_MSG_LOG2_MIN, outer;

	if (dev->msg_limit)
		return dev->msg_limit;
	if (dev->transport_max && limit > dev->transport_max)
		limit = dev->transport_max;
	if (!dev->outer)
		return limit;
	outer = dev_sure_limit(dev->outer);
	outer = outer > CXLSW_TUNNEL_OVERHEAD ? outer - CXLSW_TUNNEL_OVERHEAD : 0;
	return outer < limit ? outer : limit;
}

/* Pages of count entries of entry bytes after a hdr-byte header each. */
static size_t pages_at(size_t limit, size_t hdr, size_t entry, size_t count)
{
	size_t per;

	if (limit <= hdr || limit - hdr < entry)
		return SIZE_MAX;
	per = entry ? (limit - hdr) / entry : SIZE_MAX;
	if (per > 255)
		per = 255;	/* every paged command counts in a byte */
	return count ? (count + per - 1) / per : 1;
}

/*
 * The limit to page an answer with (count entries of entry bytes after a
 * hdr-byte header on every page), at the fewest round trips: asking the
 * limit is itself a round trip, so it is asked only when it can save one.
 * An answer that fits what every CCI takes in one page needs no question.
 * On the switch's own CCI a larger one asks (the limit is usually far
 * above 256 bytes, and is learned once a run); behind a tunnel, where
 * what the outer level carries bounds the answer too, only an answer
 * that would take more than two pages: with two, asking (one request)
 * and then one page costs the same.
 */
int dev_page_limit(struct cxlsw_dev *dev, size_t hdr, size_t entry,
		   size_t count, size_t *limit)
{
	size_t sure, pages;

	if (dev->msg_limit) {
		*limit = dev->msg_limit;
		return 0;
	}
	sure = dev_sure_limit(dev);
	pages = pages_at(sure, hdr, entry, count);
	if (pages <= 1 || (dev->outer && pages <= 2)) {
		*limit = sure;
		return 0;
	}
	return cxlsw_dev_msg_limit(dev, limit);
}

int cxlsw_dev_serial(struct cxlsw_dev *dev, uint64_t *serial)
{
	struct cxlsw_identify id;
	int rc;

	/* (an Identify sent by anyone keeps the serial: cxlsw_dev_run) */
	if (!dev->have_serial) {
		rc = cxlsw_identify(dev, &id);
		if (rc)
			return rc;
		dev->serial = id.serial;
		dev->have_serial = true;
	}
	*serial = dev->serial;
	return 0;
}

int cxlsw_dev_request_limit(struct cxlsw_dev *dev, size_t *bytes)
{
	size_t limit;
	int rc;

	if (!dev->req_limit) {
		rc = max_msg_size(dev, &limit);
		if (rc)
			return rc;
		rc = cap_limit(dev, &limit, cxlsw_dev_request_limit);
		if (rc)
			return rc;
		dev->req_limit = limit;
	}
	*bytes = dev->req_limit;
	return 0;
}

/*
 * The Command Effects Log lists every command the CCI implements (r3.1
 * 8.2.9.5.2.1): once read, what it leaves out is known to be lacking.  A
 * device without one (Get Supported Logs Unsupported, or no CEL listed)
 * tells only by answering Unsupported.
 */
void cxlsw_dev_learn_cel(struct cxlsw_dev *dev)
{
	struct cxlsw_cel_entry *cel;
	struct cxlsw_error keep = dev->error;
	size_t n, count;
	const struct cxlsw_command *all = cxlsw_catalog(&count);
	uint8_t listed[65536 / 8] = { 0 };

	if (dev->cel_state != CEL_UNREAD)
		return;
	dev->cel_state = CEL_NONE;
	if (cxlsw_read_cel(dev, &cel, &n)) {
		dev->error = keep;
		return;
	}
	for (size_t i = 0; i < n; i++)
		opcode_set(listed, cel[i].opcode);
	free(cel);
	for (size_t i = 0; i < count; i++)
		if (!opcode_bit(listed, all[i].opcode))
			lack(dev, all[i].opcode);
	dev->cel_state = CEL_READ;
}

bool cxlsw_dev_lacks(const struct cxlsw_dev *dev, uint16_t opcode)
{
	return lacks(dev, opcode);
}

/* ---- discovery ----------------------------------------------------------- */

struct found {
	unsigned long num;
	char *name;
};

static int by_number(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

static bool found_has(const struct found *l, size_t n, unsigned long num)
{
	for (size_t i = 0; i < n; i++)
		if (l[i].num == num)
			return true;
	return false;
}

/* Add the switchN entries of directory path to *list, each name once. */
static int collect(const char *path, struct found **list, size_t *count)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	struct found *grown;
	unsigned long num;
	int rc = 0;

	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		if (!switch_number(de->d_name, &num) ||
		    found_has(*list, *count, num))
			continue;
		grown = realloc(*list, (*count + 1) * sizeof(**list));
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		*list = grown;
		grown[*count].num = num;
		grown[*count].name = strdup(de->d_name);
		if (!grown[*count].name) {
			rc = -ENOMEM;
			break;
		}
		(*count)++;
	}
	closedir(dir);
	return rc;
}

/*
 * The device nodes an administrator opens, joined with what sysfs knows:
 * a node without its sysfs entry (a container's bind-mounted /dev) or an
 * entry whose node udev has not made yet is listed all the same, and
 * opening it says what is wrong with it.
 */
int cxlsw_discover(char ***names, size_t *count)
{
	struct found *list = NULL;
	size_t n = 0;
	int rc;

	*names = NULL;
	*count = 0;
	rc = collect(CXLSW_DEV_DIR, &list, &n);
	if (!rc)
		rc = collect(CXLSW_SYSFS_DEVICES, &list, &n);
	if (!rc) {
		if (n)	/* qsort's array may not be NULL, even empty */
			qsort(list, n, sizeof(*list), by_number);
		*names = malloc((n ? n : 1) * sizeof(char *));
		if (!*names)
			rc = -ENOMEM;
	}
	if (rc) {
		while (n--)
			free(list[n].name);
		free(list);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		(*names)[i] = list[i].name;
	*count = n;
	free(list);
	return 0;
}

void cxlsw_names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}
