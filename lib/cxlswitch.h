/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libcxlswitch: talk to a CXL switch's mailbox CCI with openly defined
 * Fabric Management API commands.
 *
 * The library never prints and never exits.  Every call that can fail
 * returns 0 or a negative errno and, where a device is involved, leaves a
 * description of the failure in the device's last error (cxlsw_dev_error()).
 */
#ifndef CXLSWITCH_H
#define CXLSWITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- opcodes (command set << 8 | command) ---------------------------- */

enum cxlsw_opcode {
	CXLSW_OP_IDENTIFY		= 0x0001,
	CXLSW_OP_BG_OP_STATUS		= 0x0002,
	CXLSW_OP_GET_RESPONSE_LIMIT	= 0x0003,
	CXLSW_OP_SET_RESPONSE_LIMIT	= 0x0004,
	CXLSW_OP_BG_ABORT		= 0x0005,
	CXLSW_OP_GET_EVENT_RECORDS	= 0x0100,
	CXLSW_OP_CLEAR_EVENT_RECORDS	= 0x0101,
	CXLSW_OP_GET_EVENT_POLICY	= 0x0102,
	CXLSW_OP_SET_EVENT_POLICY	= 0x0103,
	CXLSW_OP_GET_MCTP_EVENT_POLICY	= 0x0104,
	CXLSW_OP_SET_MCTP_EVENT_POLICY	= 0x0105,
	CXLSW_OP_GET_FW_INFO		= 0x0200,
	CXLSW_OP_TRANSFER_FW		= 0x0201,
	CXLSW_OP_ACTIVATE_FW		= 0x0202,
	CXLSW_OP_GET_TIMESTAMP		= 0x0300,
	CXLSW_OP_SET_TIMESTAMP		= 0x0301,
	CXLSW_OP_GET_SUPPORTED_LOGS	= 0x0400,
	CXLSW_OP_GET_LOG		= 0x0401,
	CXLSW_OP_IDENTIFY_MEMDEV	= 0x4000,
	CXLSW_OP_IDENTIFY_SWITCH	= 0x5100,
	CXLSW_OP_GET_PORT_STATE		= 0x5101,
	CXLSW_OP_PORT_CONTROL		= 0x5102,
	CXLSW_OP_PPB_CONFIG		= 0x5103,
	CXLSW_OP_GET_VCS_INFO		= 0x5200,
	CXLSW_OP_BIND_VPPB		= 0x5201,
	CXLSW_OP_UNBIND_VPPB		= 0x5202,
	CXLSW_OP_TUNNEL			= 0x5300,
	CXLSW_OP_LD_CONFIG		= 0x5301,
	CXLSW_OP_LD_MEMORY		= 0x5302,
	CXLSW_OP_GET_LD_INFO		= 0x5400,
	CXLSW_OP_GET_LD_ALLOCATIONS	= 0x5401,
	CXLSW_OP_SET_LD_ALLOCATIONS	= 0x5402,
	CXLSW_OP_GET_QOS_CONTROL	= 0x5403,
	CXLSW_OP_SET_QOS_CONTROL	= 0x5404,
	CXLSW_OP_GET_QOS_STATUS		= 0x5405,
	CXLSW_OP_GET_QOS_ALLOC_BW	= 0x5406,
	CXLSW_OP_SET_QOS_ALLOC_BW	= 0x5407,
	CXLSW_OP_GET_QOS_BW_LIMIT	= 0x5408,
	CXLSW_OP_SET_QOS_BW_LIMIT	= 0x5409,
	CXLSW_OP_GET_MHD_INFO		= 0x5500,
	CXLSW_OP_GET_HEAD_INFO		= 0x5501,
	CXLSW_OP_GET_DCD_INFO		= 0x5600,
	CXLSW_OP_GET_DC_REGION_CONFIG	= 0x5601,
	CXLSW_OP_SET_DC_REGION_CONFIG	= 0x5602,
	CXLSW_OP_GET_DC_EXTENTS		= 0x5603,
	CXLSW_OP_DC_ADD			= 0x5604,
	CXLSW_OP_DC_RELEASE		= 0x5605,
};

/* Opcodes a vendor defines; only these may be sent raw. */
#define CXLSW_VENDOR_OPCODE_MIN	0xC000

/* ---- return codes ----------------------------------------------------- */

enum cxlsw_retcode {
	CXLSW_RC_SUCCESS		= 0x00,
	CXLSW_RC_BG_STARTED		= 0x01,
	CXLSW_RC_INVALID_INPUT		= 0x02,
	CXLSW_RC_UNSUPPORTED		= 0x03,
	CXLSW_RC_INTERNAL_ERROR		= 0x04,
	CXLSW_RC_RETRY_REQUIRED		= 0x05,
	CXLSW_RC_BUSY			= 0x06,
	CXLSW_RC_FW_IN_PROGRESS		= 0x08,
	CXLSW_RC_FW_OUT_OF_ORDER	= 0x09,
	CXLSW_RC_FW_VERIFY_FAILED	= 0x0A,
	CXLSW_RC_INVALID_SLOT		= 0x0B,
	CXLSW_RC_ABORTED		= 0x12,
	CXLSW_RC_UNSUPPORTED_CCI	= 0x15,
	CXLSW_RC_INVALID_PAYLOAD_LEN	= 0x16,
};

/* The spec's name of a return code, or NULL when the code is unknown. */
const char *cxlsw_retcode_name(uint16_t rc);

/* ---- command catalog -------------------------------------------------- */

/*
 * What a command may change.  The classes are ordered: a policy that allows
 * a class allows every class below it.
 */
enum cxlsw_effect {
	CXLSW_EFFECT_READ_ONLY,
	CXLSW_EFFECT_SWITCH_CONFIG,	/* the switch's own configuration */
	CXLSW_EFFECT_HOST_VISIBLE,	/* what a host sees: bind, reset, LDs */
	CXLSW_EFFECT_FW_SECURITY,	/* firmware or security state */
};
#define CXLSW_EFFECT_COUNT	4

struct cxlsw_command {
	uint16_t opcode;
	const char *name;		/* the spec's name */
	enum cxlsw_effect effect;
	const char *affects;		/* who can notice it, in words */
	uint32_t in_min, in_max;	/* request payload bounds, bytes */
	uint32_t out_min, out_max;	/* response payload bounds, bytes */
	bool background;		/* may answer Background Command Started */
	/* For a command whose effect depends on the request (a read or a
	 * write through one opcode); NULL when `effect` always holds. */
	enum cxlsw_effect (*effect_of)(const void *req, size_t len);
};

/* Every command the library can send, in opcode order. */
const struct cxlsw_command *cxlsw_catalog(size_t *count);
const struct cxlsw_command *cxlsw_catalog_find(uint16_t opcode);
const char *cxlsw_effect_name(enum cxlsw_effect effect);
/* The effect of one request: the catalog's, or effect_of's answer. */
enum cxlsw_effect cxlsw_request_effect(const struct cxlsw_command *cmd,
				       const void *req, size_t len);

/* ---- errors ----------------------------------------------------------- */

enum cxlsw_error_kind {
	CXLSW_ERR_NONE,
	CXLSW_ERR_TRANSPORT,	/* the ioctl (or a tunnel) failed: see errnum */
	CXLSW_ERR_DEVICE,	/* the device answered a failing return code */
	CXLSW_ERR_MALFORMED,	/* the answer does not follow the spec */
	CXLSW_ERR_REFUSED,	/* the library would not send it */
	CXLSW_ERR_INVALID,	/* the caller's arguments are out of range */
	CXLSW_ERR_INTERRUPTED,	/* a wait was interrupted or timed out */
	/*
	 * The device does not implement the command (it answered
	 * Unsupported, or its Command Effects Log leaves it out): opcode is
	 * the command, detail the name of the device that lacks it, which
	 * behind a tunnel may be a level on the way.
	 */
	CXLSW_ERR_UNSUPPORTED,
};

struct cxlsw_error {
	enum cxlsw_error_kind kind;
	int errnum;		/* positive errno */
	uint16_t opcode;	/* 0 when no command was involved */
	uint16_t retcode;	/* for CXLSW_ERR_DEVICE */
	char detail[160];	/* what was wrong, in words */
};

/*
 * One line that names the command, its opcode and what went wrong, for
 * example "Get Physical Port State (0x5101): Unsupported (0x03)".
 */
const char *cxlsw_error_string(const struct cxlsw_error *err, char *buf,
			       size_t len);

/* ---- transports ------------------------------------------------------- */

/*
 * A transport moves one request payload to a CCI and its response back.
 * It returns 0 when an answer arrived (whatever its return code), or a
 * negative errno when nothing usable came back.  *out_len is in: the
 * buffer's size, out: the bytes received.  Transports compose: a tunnel is a
 * transport that wraps another one.
 */
struct cxlsw_transport;

struct cxlsw_transport_ops {
	int (*send)(struct cxlsw_transport *t, uint16_t opcode,
		    const void *in, size_t in_len,
		    void *out, size_t *out_len, uint16_t *retcode);
	void (*destroy)(struct cxlsw_transport *t);
	/*
	 * Optional: after send() failed, the error in full (a tunnel knows
	 * which level failed and why); NULL to describe the errno alone.
	 */
	const struct cxlsw_error *(*error)(struct cxlsw_transport *t);
	/*
	 * Optional: take an exclusive advisory lock on the CCI without
	 * waiting, held until destroy().  0, or -EWOULDBLOCK with *holder
	 * the pid of the process holding it (0 when that cannot be told),
	 * or another negative errno.
	 */
	int (*trylock)(struct cxlsw_transport *t, pid_t *holder);
};

struct cxlsw_transport {
	const struct cxlsw_transport_ops *ops;
};

/* The kernel's CXL_MEM_SEND_COMMAND on a character device. */
int cxlsw_ioctl_transport_open(const char *path, struct cxlsw_transport **t);

/*
 * A CCI over MCTP (AF_MCTP socket), as a BMC reaches it: endpoint EID on
 * MCTP network NET, message type 0x07 (FM-API, a switch) or 0x08 (CCI, a
 * Type 3 device); type 0 asks the endpoint first (MCTP control Get Message
 * Type Support) and takes 0x07 when it lists it, else 0x08.  A machine
 * without AF_MCTP fails with -EAFNOSUPPORT.
 */
#define CXLSW_MCTP_TYPE_FMAPI	0x07
#define CXLSW_MCTP_TYPE_CCI	0x08
#define CXLSW_MCTP_PREFIX	"mctp:"
int cxlsw_mctp_transport_open(unsigned int net, uint8_t eid, uint8_t type,
			      struct cxlsw_transport **t);
/* "mctp:NET:EID" (EID 8-254); net and eid may be NULL.  Syntax only. */
bool cxlsw_mctp_name_parse(const char *name, unsigned int *net,
			   uint8_t *eid);

/* ---- devices ---------------------------------------------------------- */

struct cxlsw_dev;

#define CXLSW_DEV_DIR		"/dev/cxl"
#define CXLSW_SYSFS_DEVICES	"/sys/bus/cxl/devices"

/*
 * Open a switch CCI by name ("switch0"), by path ("/dev/cxl/switch0",
 * "/dev/char/250:0") or as an MCTP endpoint ("mctp:1:8", over AF_MCTP:
 * errnum EAFNOSUPPORT when the kernel has none).  A path must be a
 * character device that sysfs (/sys/dev/char/MAJ:MIN) says is a switch
 * CCI; anything else is refused before it is opened.  The device's name
 * is then its canonical one, "switch0", however it was given.  On
 * failure *dev is NULL and err says why.
 */
int cxlsw_dev_open(const char *name, struct cxlsw_dev **dev,
		   struct cxlsw_error *err);
/* Wrap an already open transport (takes ownership of it). */
int cxlsw_dev_new(const char *name, struct cxlsw_transport *t,
		  struct cxlsw_dev **dev);
void cxlsw_dev_close(struct cxlsw_dev *dev);
/*
 * How often to send a command again when the device answers Busy or Retry
 * Required (or the ioctl fails with EBUSY), and the first wait in ms, which
 * doubles up to 200 ms.  The default: 5 retries from 10 ms.
 */
void cxlsw_dev_set_retries(struct cxlsw_dev *dev, unsigned int retries,
			   unsigned int first_ms);
/*
 * How long one request may take, its retries after Busy included, over
 * every tunnel level together; 0: no limit.  The default is the 2 s the
 * Linux CXL driver gives a mailbox command (CXL_MAILBOX_TIMEOUT_MS in
 * drivers/cxl/pci.c).  No retry starts that would end after it, and an
 * answer that comes after it is not waited for again.
 */
#define CXLSW_MAILBOX_TIMEOUT_MS	2000
void cxlsw_dev_set_timeout(struct cxlsw_dev *dev, unsigned int ms);
/*
 * Is the device known not to implement opcode?  From the Unsupported
 * answers it gave in this run, and its Command Effects Log once
 * cxlsw_dev_learn_cel() read it.  No I/O.  false means "as far as is
 * known, yes": a device without a CEL tells only by answering.  A
 * command known to be lacking is not sent again: the send fails at once
 * with CXLSW_ERR_UNSUPPORTED.
 */
bool cxlsw_dev_lacks(const struct cxlsw_dev *dev, uint16_t opcode);
/*
 * Read the device's Command Effects Log, once per handle, when it has
 * one; every catalogued command it leaves out is then known lacking.
 * A device without a CEL, or one that fails to give it, is no error:
 * its commands are learned from its answers.
 */
void cxlsw_dev_learn_cel(struct cxlsw_dev *dev);
const char *cxlsw_dev_name(const struct cxlsw_dev *dev);
const char *cxlsw_dev_path(const struct cxlsw_dev *dev);
const struct cxlsw_error *cxlsw_dev_error(const struct cxlsw_dev *dev);

/* The device's serial number (Identify), asked once and remembered. */
int cxlsw_dev_serial(struct cxlsw_dev *dev, uint64_t *serial);

/*
 * One change at a time: an exclusive advisory lock on the switch's CCI
 * (through a tunnel, on the switch it is reached through), held until the
 * device is closed.  It does not wait: 0, -EWOULDBLOCK when another open
 * of the switch holds it (*holder: its pid, or 0 when unknown),
 * -EOPNOTSUPP when the transport cannot lock, or another negative errno.
 */
int cxlsw_dev_trylock(struct cxlsw_dev *dev, pid_t *holder);

/*
 * Is NAME a switch name (switchN), a device path or an MCTP endpoint
 * (mctp:NET:EID)?  Checks syntax only.
 */
bool cxlsw_name_valid(const char *name);

/*
 * The canonical name of the switch NAME names, as cxlsw_dev_name() of its
 * open device says it, without opening it: switchN for switchN or any
 * path to its character device (checked as cxlsw_dev_open() checks it),
 * mctp:NET:EID in decimal without leading zeros for an MCTP endpoint.
 * 0 with *canon allocated (the caller frees it), or a negative errno with
 * err set (-EINVAL: not a switch name; the device's errors otherwise).
 */
int cxlsw_name_canonical(const char *name, char **canon,
			 struct cxlsw_error *err);

/*
 * Names of every switch CCI this host has (a node CXLSW_DEV_DIR/switchN or
 * an entry CXLSW_SYSFS_DEVICES/switchN), sorted by number.  The caller
 * frees the array and each name with cxlsw_names_free().
 */
int cxlsw_discover(char ***names, size_t *count);
void cxlsw_names_free(char **names, size_t count);

/*
 * Send a catalogued command and check the answer's length against the
 * catalog.  Returns 0 on Success, a negative errno otherwise (the device's
 * error tells which kind).  A return code other than Success is -EIO with
 * kind CXLSW_ERR_DEVICE.
 */
int cxlsw_dev_send(struct cxlsw_dev *dev, uint16_t opcode,
		   const void *in, size_t in_len, void *out, size_t *out_len);

/* A background operation was started and not waited for. */
#define CXLSW_BG_RUNNING	1

struct cxlsw_bg_status;

struct cxlsw_wait {
	unsigned int timeout_ms;	/* 0: no limit */
	/* Called after every status poll; false stops waiting (-EINTR). */
	bool (*progress)(const struct cxlsw_bg_status *st, void *ctx);
	void *ctx;
};

/*
 * Send a catalogued command that may run in the background.  When the
 * device answers Background Command Started: with wait NULL, return
 * CXLSW_BG_RUNNING at once; otherwise poll Background Operation Status
 * until it ends and return 0 or the operation's own failure.
 */
int cxlsw_dev_run(struct cxlsw_dev *dev, uint16_t opcode,
		  const void *in, size_t in_len, void *out, size_t *out_len,
		  const struct cxlsw_wait *wait);
int cxlsw_bg_wait(struct cxlsw_dev *dev, uint16_t opcode,
		  const struct cxlsw_wait *wait);
int cxlsw_bg_abort(struct cxlsw_dev *dev);

/*
 * A vendor command (0xC000-0xFFFF), outside the catalog: refused unless the
 * kernel's lockdown is off.  The caller judges the return code.
 */
int cxlsw_dev_send_vendor(struct cxlsw_dev *dev, uint16_t opcode,
			  const void *in, size_t in_len, void *out,
			  size_t *out_len, uint16_t *retcode);
/*
 * The kernel lockdown mode ("none", "integrity", "confidentiality");
 * -ENOENT when securityfs exists but the lockdown file cannot be seen.
 */
int cxlsw_kernel_lockdown(char *mode, size_t len);

/*
 * The largest response payload the device will send, in bytes: the Get
 * Response Message Limit answer, or Identify's maximum message size when
 * the device does not implement that command, asked once and remembered;
 * never more than the transport takes.  Behind a tunnel, also no more
 * than what every level above can carry.
 */
int cxlsw_dev_msg_limit(struct cxlsw_dev *dev, size_t *bytes);
/*
 * The largest request payload the device takes: Identify's maximum
 * message size, asked once, and behind a tunnel no more than the levels
 * above can carry.
 */
int cxlsw_dev_request_limit(struct cxlsw_dev *dev, size_t *bytes);

/* ---- tunnels (Tunnel Management Command, 0x5300) ---------------------- */

enum cxlsw_tunnel_target {
	CXLSW_TUNNEL_PORT_OR_LD	= 0,	/* a switch port's device, or an LD */
	CXLSW_TUNNEL_LD_POOL	= 1,	/* a multi-headed device's LD pool CCI */
};

/* Bytes a tunnel level adds: its own 4-byte header and the inner CCI header. */
#define CXLSW_TUNNEL_HDR_LEN	4
#define CXLSW_CCI_HDR_LEN	12
#define CXLSW_TUNNEL_OVERHEAD	(CXLSW_TUNNEL_HDR_LEN + CXLSW_CCI_HDR_LEN)
/* The command and response sizes are u16: the most one level can carry. */
#define CXLSW_TUNNEL_MSG_MAX	0xFFFF

/*
 * A device reached through `outer` with Tunnel Management: a switch port's
 * device (id = port), an LD of an MLD reached through its port's device
 * (id = LD), or the LD pool CCI of the device `outer` is (id ignored,
 * sent as 0xFF).  r3.2 Table 7-37: the Port or LD ID is valid only with
 * target type 0, so a switch cannot be asked for an LD pool: `outer` must
 * be a port's device (-EINVAL otherwise), and the pool behind port P is
 * {P, type 0} wrapping {0xFF, type 1} wrapping the command.  Every command sent to the
 * new device goes through the same catalog checks, bounds and retries, and
 * each level's answer header is checked (category, tag, opcode, lengths).
 * The new device borrows `outer`, which must stay open until it is closed,
 * unless own_outer is set: then closing it closes `outer` too.
 */
int cxlsw_dev_tunnel(struct cxlsw_dev *outer, uint8_t id,
		     enum cxlsw_tunnel_target type, bool own_outer,
		     struct cxlsw_dev **dev);
/* The device a tunnelled device is reached through, NULL for a switch. */
struct cxlsw_dev *cxlsw_dev_outer(const struct cxlsw_dev *dev);

/*
 * What leaves for the switch when dev is sent this request: the request
 * wrapped once per tunnel level (*wire_opcode becomes 0x5300), as the
 * next send would build it.  For showing a request before sending it.
 */
int cxlsw_dev_wire_request(struct cxlsw_dev *dev, uint16_t opcode,
			   const void *in, size_t in_len, void *buf,
			   size_t len, size_t *used, uint16_t *wire_opcode);

/*
 * One level's wire format, for decoders and fuzzers: wrap an inner request
 * into a 0x5300 request, and check and unwrap a 0x5300 answer.
 */
struct cxlsw_tunnel_request {
	uint8_t id;
	uint8_t type;
	uint8_t tag;
	uint16_t opcode;
};
int cxlsw_tunnel_encode(const struct cxlsw_tunnel_request *req,
			const void *in, size_t in_len, void *buf, size_t len,
			size_t *used);
struct cxlsw_tunnel_answer {
	uint16_t retcode;		/* the inner command's return code */
	bool background;		/* bit 23 of the inner length field */
	const uint8_t *payload;		/* inside the buffer given */
	size_t payload_len;
	char why[96];			/* what was wrong, when -EBADMSG */
};
int cxlsw_tunnel_decode(const struct cxlsw_tunnel_request *req,
			const void *buf, size_t len,
			struct cxlsw_tunnel_answer *ans);

/* ---- generic component commands -------------------------------------- */

enum cxlsw_component_type {
	CXLSW_COMPONENT_SWITCH = 0x00,
	CXLSW_COMPONENT_TYPE3 = 0x03,
	CXLSW_COMPONENT_GFD = 0x04,	/* r3.2 Identify: a G-FAM device */
};

struct cxlsw_identify {
	uint16_t vendor_id;
	uint16_t device_id;
	uint16_t subsys_vendor_id;
	uint16_t subsys_id;
	uint64_t serial;
	uint8_t max_msg_size_log2;
	uint8_t component_type;
};

#define CXLSW_IDENTIFY_LEN	18
int cxlsw_identify_decode(const void *buf, size_t len,
			  struct cxlsw_identify *id);
int cxlsw_identify(struct cxlsw_dev *dev, struct cxlsw_identify *id);
const char *cxlsw_component_type_name(uint8_t type);

struct cxlsw_bg_status {
	bool running;
	uint8_t percent;
	uint16_t opcode;
	uint16_t retcode;
	uint16_t vendor_status;
};

#define CXLSW_BG_STATUS_LEN	8
int cxlsw_bg_status_decode(const void *buf, size_t len,
			   struct cxlsw_bg_status *st);
int cxlsw_bg_status(struct cxlsw_dev *dev, struct cxlsw_bg_status *st);

/* A message-size exponent (2^n bytes) that the spec allows: 8..20. */
#define CXLSW_MSG_LOG2_MIN	8
#define CXLSW_MSG_LOG2_MAX	20
int cxlsw_response_limit_decode(const void *buf, size_t len, size_t *bytes);
int cxlsw_get_response_limit(struct cxlsw_dev *dev, size_t *bytes);
/* The request of Set Response Message Limit: bytes, a power of two. */
int cxlsw_response_limit_encode(size_t bytes, void *buf, size_t len);

/* ---- memory devices (command set 0x40) -------------------------------- */

/* Capacities are reported in multiples of 256 MiB. */
#define CXLSW_CAPACITY_UNIT	(256ull << 20)

enum cxlsw_qos_telemetry_cap {
	CXLSW_QOS_EGRESS_CONGESTION	= 1u << 0,
	CXLSW_QOS_THROUGHPUT_REDUCTION	= 1u << 1,
};

struct cxlsw_memdev_identify {
	char fw_revision[17];		/* NUL-terminated */
	uint64_t total_capacity;	/* bytes */
	uint64_t volatile_only_capacity;
	uint64_t persistent_only_capacity;
	uint64_t partition_align;
	uint16_t info_event_log_size;	/* records */
	uint16_t warning_event_log_size;
	uint16_t failure_event_log_size;
	uint16_t fatal_event_log_size;
	uint32_t lsa_size;		/* bytes */
	uint32_t poison_list_max_records;
	uint16_t inject_poison_limit;
	uint8_t poison_handling_caps;
	uint8_t qos_telemetry_caps;
	bool has_dc_event_log_size;	/* CXL 3.x answers carry it */
	uint16_t dc_event_log_size;
};

#define CXLSW_MEMDEV_ID_LEN_2_0	67
#define CXLSW_MEMDEV_ID_LEN	69
int cxlsw_memdev_identify_decode(const void *buf, size_t len,
				 struct cxlsw_memdev_identify *id);
int cxlsw_memdev_identify(struct cxlsw_dev *dev,
			  struct cxlsw_memdev_identify *id);
const char *cxlsw_qos_telemetry_cap_name(unsigned int bit);
const char *cxlsw_poison_cap_name(unsigned int bit);

/* ---- logs and the Command Effects Log --------------------------------- */

struct cxlsw_log_entry {
	uint8_t uuid[16];
	uint32_t size;
};

#define CXLSW_LOGS_HDR_LEN	8
#define CXLSW_LOG_ENTRY_LEN	20
extern const uint8_t cxlsw_cel_uuid[16];
int cxlsw_supported_logs_decode(const void *buf, size_t len,
				struct cxlsw_log_entry *logs, size_t max,
				size_t *count);

/* Command Effects Log entry effect bits */
enum cxlsw_cel_effect {
	CXLSW_CEL_CONFIG_COLD_RESET	= 1u << 0,
	CXLSW_CEL_CONFIG_IMMEDIATE	= 1u << 1,
	CXLSW_CEL_DATA_IMMEDIATE	= 1u << 2,
	CXLSW_CEL_POLICY_IMMEDIATE	= 1u << 3,
	CXLSW_CEL_LOG_IMMEDIATE		= 1u << 4,
	CXLSW_CEL_SECURITY		= 1u << 5,
	CXLSW_CEL_BACKGROUND		= 1u << 6,
	CXLSW_CEL_SECONDARY_MAILBOX	= 1u << 7,
	CXLSW_CEL_ABORT_SUPPORTED	= 1u << 8,
	CXLSW_CEL_RESET_BITS_VALID	= 1u << 9,	/* bits 11:10 valid */
	CXLSW_CEL_CONFIG_CONV_RESET	= 1u << 10,
	CXLSW_CEL_CONFIG_CXL_RESET	= 1u << 11,
};

struct cxlsw_cel_entry {
	uint16_t opcode;
	uint16_t effects;
};

#define CXLSW_CEL_ENTRY_LEN	4
const char *cxlsw_cel_effect_name(unsigned int bit);
int cxlsw_cel_decode(const void *buf, size_t len,
		     struct cxlsw_cel_entry *entries, size_t *count);
/*
 * The device's whole Command Effects Log, read in pieces that fit the
 * response limit.  *entries is allocated; the caller frees it.
 */
int cxlsw_read_cel(struct cxlsw_dev *dev, struct cxlsw_cel_entry **entries,
		   size_t *count);

/* ---- events (0x0100-0x0103) ------------------------------------------ */

enum cxlsw_event_log {
	CXLSW_LOG_INFO		= 0,
	CXLSW_LOG_WARNING	= 1,
	CXLSW_LOG_FAILURE	= 2,
	CXLSW_LOG_FATAL		= 3,
	CXLSW_LOG_DCD		= 4,
};
#define CXLSW_EVENT_LOGS	5

#define CXLSW_EVENT_HDR_LEN	32	/* Get Event Records answer header */
#define CXLSW_EVENT_RECORD_LEN	128
#define CXLSW_EVENT_DATA_OFF	48	/* record-specific data */
#define CXLSW_EVENT_DATA_LEN	80

/* The three flag bytes of a record's common header */
enum cxlsw_event_flag {
	CXLSW_EVENT_PERMANENT		= 1u << 2,
	CXLSW_EVENT_MAINTENANCE		= 1u << 3,
	CXLSW_EVENT_PERF_DEGRADED	= 1u << 4,
	CXLSW_EVENT_HW_REPLACEMENT	= 1u << 5,
};
#define CXLSW_EVENT_SEVERITY(flags)	((flags) & 0x3)

struct cxlsw_event_record {
	uint8_t uuid[16];
	uint8_t length;
	uint32_t flags;			/* 24 bits */
	uint16_t handle;
	uint16_t related_handle;
	uint64_t timestamp;		/* ns since the epoch */
	uint8_t maint_class;
	uint8_t maint_subclass;
	/*
	 * Bytes 0x22-0x24 exist from r3.2 on and say something only when
	 * flag bit 7 (LD ID valid) or bit 8 (head ID valid) is set; in an
	 * r3.1 record they are reserved.  Unflagged, they read 0 here.
	 */
	bool ld_id_valid;
	bool head_id_valid;
	uint16_t ld_id;
	uint8_t head_id;
	uint8_t data[CXLSW_EVENT_DATA_LEN];
};

#define CXLSW_EVENT_FLAG_LD_ID_VALID	(1u << 7)	/* r3.2 */
#define CXLSW_EVENT_FLAG_HEAD_ID_VALID	(1u << 8)	/* r3.2 */

/* One Get Event Records answer, without its records. */
struct cxlsw_event_page {
	bool overflow;
	bool more;
	uint16_t overflow_count;
	uint64_t first_overflow;	/* ns since the epoch */
	uint64_t last_overflow;
	uint16_t count;
};

/* How many records one answer of at most limit bytes holds. */
size_t cxlsw_events_per_msg(size_t limit);
/* records[] receives min(count, max) records. */
int cxlsw_events_decode(const void *buf, size_t len,
			struct cxlsw_event_page *page,
			struct cxlsw_event_record *records, size_t max);

/*
 * Every record of one log that the device hands out without clearing:
 * pages are read while the device says there are more and each page
 * brings records not seen before.  A device that answers the same first
 * records again (the spec lets records stay until cleared) leaves
 * *more true: clearing them is the way to the rest.  *records is
 * allocated; the caller frees it.  page receives the first answer's
 * overflow information.
 */
int cxlsw_read_events(struct cxlsw_dev *dev, uint8_t log,
		      struct cxlsw_event_record **records, size_t *count,
		      struct cxlsw_event_page *page, bool *more);

/* The switch event records the library decodes field by field */
enum cxlsw_event_kind {
	CXLSW_EVENT_UNKNOWN,
	CXLSW_EVENT_PHYSICAL_SWITCH,
	CXLSW_EVENT_VIRTUAL_SWITCH,
	CXLSW_EVENT_MLD_PORT,
};
extern const uint8_t cxlsw_physical_switch_event_uuid[16];
extern const uint8_t cxlsw_vcs_event_uuid[16];
extern const uint8_t cxlsw_mld_port_event_uuid[16];
enum cxlsw_event_kind cxlsw_event_kind_of(const uint8_t *uuid);

/*
 * The switch records, as CXL r3.1 section 7.6.8 (Tables 7-77 to 7-79)
 * lays them out from byte 30h of the record.
 */
struct cxlsw_physical_switch_event {
	uint8_t port_id;
	uint8_t event_type;		/* 0 link state change, 1 slot status */
	uint16_t slot_status;		/* the PCIe Slot Status register */
	uint8_t config_state;		/* as in a port block */
	uint8_t connected_device_mode;	/* the connected CXL version */
	uint8_t connected_device_type;
	uint8_t supported_cxl_modes;	/* bitmap */
	uint8_t max_link_width;
	uint8_t negotiated_link_width;
	uint8_t supported_speeds;	/* bitmap */
	uint8_t max_link_speed;
	uint8_t current_link_speed;
	uint8_t ltssm_state;
	uint8_t first_negotiated_lane;
	uint16_t link_flags;
};

struct cxlsw_vcs_event {
	uint8_t vcs_id;
	uint8_t vppb_id;
	uint8_t event_type;
	uint8_t binding_status;		/* after the change */
	uint8_t port_id;
	uint8_t ld_id;
	uint16_t link_control;		/* the PCIe Link Control register */
	uint16_t slot_control;		/* the PCIe Slot Control register */
};

struct cxlsw_mld_port_event {
	uint8_t event_type;
	uint8_t port_id;
	uint64_t error_message;		/* the first 8 bytes of the message */
};

void cxlsw_physical_switch_event_decode(const uint8_t *data,
					struct cxlsw_physical_switch_event *e);
void cxlsw_vcs_event_decode(const uint8_t *data, struct cxlsw_vcs_event *e);
void cxlsw_mld_port_event_decode(const uint8_t *data,
				 struct cxlsw_mld_port_event *e);

/* Clear Event Records: as many handles as one request of max bytes holds */
#define CXLSW_CLEAR_HDR_LEN	6
size_t cxlsw_clear_per_msg(size_t max);
int cxlsw_clear_events_encode(uint8_t log, const uint16_t *handles,
			      size_t n, void *buf, size_t len, size_t *used);

/*
 * Event interrupt policy: one byte per log (0x0102 / 0x0103).  A Type 3
 * device's: prohibited on a switch CCI (r3.1 Table 8-37), so sent to
 * devices through a tunnel; a switch has the MCTP policy below.
 */
#define CXLSW_POLICY_LEN_MIN	4	/* before the dynamic capacity log */
#define CXLSW_POLICY_LEN	5
enum cxlsw_irq_mode {
	CXLSW_IRQ_NONE	= 0,
	CXLSW_IRQ_MSI	= 1,
	CXLSW_IRQ_FW	= 2,
};
#define CXLSW_IRQ_MODE(b)	((b) & 0x3)
#define CXLSW_IRQ_MSGNUM(b)	((b) >> 4)
int cxlsw_event_policy_decode(const void *buf, size_t len, uint8_t *policy,
			      size_t *n);
int cxlsw_get_event_policy(struct cxlsw_dev *dev, uint8_t *policy, size_t *n);

/*
 * MCTP event interrupt policy (0x0104 / 0x0105, r3.1 8.2.9.2.6-7): a u16
 * bitmask of the logs whose new records make the component send Event
 * Notification (0x0106) to its FM, bit N for event log N (0 info ... 4
 * dynamic capacity).  The switch's way to ask for event notifications.
 */
#define CXLSW_MCTP_POLICY_LEN	2
int cxlsw_mctp_event_policy_decode(const void *buf, size_t len,
				   uint16_t *settings);
int cxlsw_mctp_event_policy_encode(uint16_t settings, void *buf, size_t len);
int cxlsw_get_mctp_event_policy(struct cxlsw_dev *dev, uint16_t *settings);

const char *cxlsw_event_log_name(uint8_t log);
const char *cxlsw_event_severity_name(uint8_t sev);
const char *cxlsw_event_flag_name(unsigned int bit);
const char *cxlsw_event_kind_name(enum cxlsw_event_kind kind);
const char *cxlsw_physical_switch_event_type_name(uint8_t v);
const char *cxlsw_vcs_event_type_name(uint8_t v);
const char *cxlsw_mld_port_event_type_name(uint8_t v);
const char *cxlsw_irq_mode_name(uint8_t v);
/* "0da9c0b5-bf41-4b78-8f79-96b1623b3f17": buf holds 37 bytes */
void cxlsw_uuid_string(const uint8_t *uuid, char *buf);

/* ---- firmware (0x0200-0x0202) ---------------------------------------- */

#define CXLSW_FW_SLOTS_MAX	4
#define CXLSW_FW_REV_LEN	16
#define CXLSW_FW_INFO_LEN	80
#define CXLSW_FW_XFER_HDR_LEN	128
#define CXLSW_FW_UNIT		128	/* Transfer FW offsets count these */
/* Transfer FW offsets are a u32 count of units: the largest image */
#define CXLSW_FW_IMAGE_MAX	((uint64_t)UINT32_MAX * CXLSW_FW_UNIT)
#define CXLSW_FW_ACTIVATE_LEN	2

struct cxlsw_fw_info {
	uint8_t slots_supported;
	uint8_t active_slot;
	uint8_t staged_slot;		/* 0: none */
	bool online_activation;
	char revision[CXLSW_FW_SLOTS_MAX][CXLSW_FW_REV_LEN + 1];
};

enum cxlsw_fw_action {
	CXLSW_FW_FULL		= 0,
	CXLSW_FW_INITIATE	= 1,
	CXLSW_FW_CONTINUE	= 2,
	CXLSW_FW_END		= 3,
	CXLSW_FW_ABORT		= 4,
};

enum cxlsw_fw_activation {
	CXLSW_FW_ONLINE		= 0,
	CXLSW_FW_ON_RESET	= 1,
};

int cxlsw_fw_info_decode(const void *buf, size_t len,
			 struct cxlsw_fw_info *info);
int cxlsw_fw_info(struct cxlsw_dev *dev, struct cxlsw_fw_info *info);
/* The image bytes one Transfer FW request of at most max bytes carries. */
size_t cxlsw_fw_chunk_size(size_t max);
/* offset in bytes, a multiple of CXLSW_FW_UNIT */
int cxlsw_fw_transfer_encode(uint8_t action, uint8_t slot, size_t offset,
			     const void *data, size_t n, void *buf,
			     size_t len, size_t *used);
int cxlsw_fw_activate_encode(uint8_t action, uint8_t slot, void *buf,
			     size_t len);
const char *cxlsw_fw_action_name(uint8_t action);

struct cxlsw_fw_plan {
	uint8_t slot;
	const uint8_t *image;
	size_t len;
	size_t chunk;			/* image bytes per request */
	size_t requests;		/* 1: a full transfer */
};

/* Plan the transfer for a device whose requests are at most max bytes. */
int cxlsw_fw_plan(const uint8_t *image, size_t len, uint8_t slot,
		  size_t max, struct cxlsw_fw_plan *plan);
/* The n-th request of a plan (n < plan->requests) into buf. */
int cxlsw_fw_plan_request(const struct cxlsw_fw_plan *plan, size_t n,
			  void *buf, size_t len, size_t *used);

/*
 * Send a planned transfer, waiting for each request that runs in the
 * background.  progress is called after every request and every status
 * poll with the bytes the device has taken; false stops the transfer.
 * A transfer of ours that stops or fails after it began is aborted on the
 * device (action 4); one the device refused at its first request is not
 * (FW Transfer in Progress: the transfer under way is someone else's).
 * out says how many bytes the device had taken and how the abort went;
 * what the slots hold after a failure is for the caller to read back.
 * A stop is -ECANCELED.
 */
struct cxlsw_fw_outcome {
	size_t done;
	int abort;		/* -1 not sent, 0 taken, 1 refused or failed */
};
int cxlsw_fw_transfer(struct cxlsw_dev *dev, const struct cxlsw_fw_plan *plan,
		      bool (*progress)(size_t done, size_t total, void *ctx),
		      void *ctx, unsigned int timeout_ms,
		      struct cxlsw_fw_outcome *out);

/* ---- timestamp (0x0300, 0x0301) -------------------------------------- */

#define CXLSW_TIMESTAMP_LEN	8
int cxlsw_timestamp_decode(const void *buf, size_t len, uint64_t *ns);
int cxlsw_get_timestamp(struct cxlsw_dev *dev, uint64_t *ns);
int cxlsw_timestamp_encode(uint64_t ns, void *buf, size_t len);

/* ---- physical switch -------------------------------------------------- */

#define CXLSW_MAX_PORTS		256
#define CXLSW_MAX_VCSS		256
#define CXLSW_BITMAP_BYTES	32

struct cxlsw_switch_info {
	uint8_t ingress_port_id;
	uint8_t num_physical_ports;
	uint8_t num_vcss;
	uint8_t active_ports[CXLSW_BITMAP_BYTES];
	uint8_t active_vcss[CXLSW_BITMAP_BYTES];
	uint16_t total_vppbs;
	uint16_t bound_vppbs;
	uint8_t hdm_decoders_per_usp;
};

#define CXLSW_SWITCH_INFO_LEN	73
int cxlsw_switch_info_decode(const void *buf, size_t len,
			     struct cxlsw_switch_info *info);
int cxlsw_identify_switch(struct cxlsw_dev *dev,
			  struct cxlsw_switch_info *info);

static inline bool cxlsw_bit_test(const uint8_t *map, unsigned int bit)
{
	return map[bit / 8] & (1u << (bit % 8));
}

/*
 * The ids a full listing covers: every id below the reported count and
 * every id whose bit is set (a disabled port still has an id, and a
 * 256-port switch cannot report 256 in a byte).  Returns how many ids were
 * written to ids[CXLSW_MAX_PORTS].
 */
size_t cxlsw_id_set(uint8_t count, const uint8_t *bitmap, uint8_t *ids);

enum cxlsw_port_config_state {
	CXLSW_PORT_DISABLED		= 0x0,
	CXLSW_PORT_BIND_IN_PROGRESS	= 0x1,
	CXLSW_PORT_UNBIND_IN_PROGRESS	= 0x2,
	CXLSW_PORT_DSP			= 0x3,
	CXLSW_PORT_USP			= 0x4,
	CXLSW_PORT_FABRIC		= 0x5,
	CXLSW_PORT_INVALID		= 0xF,
};

enum cxlsw_link_flag {
	CXLSW_LINK_LANE_REVERSAL	= 1u << 0,
	CXLSW_LINK_PERST_ASSERTED	= 1u << 1,
	CXLSW_LINK_PRSNT_DETECTED	= 1u << 2,
	CXLSW_LINK_POWER_OFF		= 1u << 3,
};

struct cxlsw_port_state {
	uint8_t port_id;
	uint8_t config_state;
	uint8_t connected_cxl_version;
	uint8_t connected_device_type;
	uint8_t cxl_versions;		/* bitmap */
	uint8_t max_link_width;
	uint8_t negotiated_link_width;
	uint8_t supported_speeds;	/* bitmap */
	uint8_t max_link_speed;
	uint8_t current_link_speed;
	uint8_t ltssm_state;
	uint8_t first_negotiated_lane;
	uint16_t link_flags;
	uint8_t supported_ld_count;
};

/* The LTSSM state of a link that is up */
#define CXLSW_LTSSM_L0		0x4

/* Connected device types of a port block (those the tool acts on) */
enum cxlsw_device_type {
	CXLSW_DEV_NONE		= 0,
	CXLSW_DEV_TYPE3_SLD	= 4,
	CXLSW_DEV_TYPE3_MLD	= 5,
};

#define CXLSW_PORT_BLOCK_LEN	16
/* How many port blocks fit in one answer of at most limit bytes. */
size_t cxlsw_port_state_per_msg(size_t limit);
int cxlsw_port_state_encode(const uint8_t *ids, size_t n, void *buf,
			    size_t len, size_t *used);
int cxlsw_port_state_decode(const void *buf, size_t len, size_t expected,
			    struct cxlsw_port_state *ports);
/*
 * Port state of n ports, in as few requests as the device's response
 * limit allows.  ports[] receives n blocks in the order of ids[].
 */
int cxlsw_get_port_state(struct cxlsw_dev *dev, const uint8_t *ids, size_t n,
			 struct cxlsw_port_state *ports);

enum cxlsw_port_op {
	CXLSW_PORT_ASSERT_PERST		= 0,
	CXLSW_PORT_DEASSERT_PERST	= 1,
	CXLSW_PORT_RESET		= 2,
};

#define CXLSW_PORT_CONTROL_LEN	2
int cxlsw_port_control_encode(uint8_t port, uint8_t op, void *buf,
			      size_t len);

/* A configuration-space access through the switch (0x5103). */
struct cxlsw_config_request {
	uint8_t port;
	uint16_t offset;	/* bytes, 0..4095, aligned to width */
	uint8_t width;		/* 1, 2 or 4 */
	bool write;
	uint32_t value;		/* for a write; right-aligned */
};

#define CXLSW_CONFIG_REQ_LEN	8
#define CXLSW_CONFIG_RSP_LEN	4
int cxlsw_config_encode(const struct cxlsw_config_request *req, void *buf,
			size_t len);
/* The value of a read, right-aligned and masked to the width. */
int cxlsw_config_decode(const struct cxlsw_config_request *req,
			const void *buf, size_t len, uint32_t *value);
enum cxlsw_effect cxlsw_config_effect(const void *req, size_t len);

/*
 * Send LD CXL.io Configuration Request (0x5301, r3.2 Table 7-36, mandatory
 * for a switch with MLD ports): the 0x5103 request to one LD of the MLD on
 * the port, its LD id at 4 and the write data moved to 8; the same u32
 * answer (cxlsw_config_decode) and effect (cxlsw_config_effect).
 */
#define CXLSW_LD_CONFIG_REQ_LEN	12
int cxlsw_ld_config_encode(const struct cxlsw_config_request *req,
			   uint16_t ld, void *buf, size_t len);

/*
 * Send LD CXL.io Memory Request (0x5302, r3.2 Table 7-36): a memory read
 * or write of an LD's CXL.io (MMIO) space.  Request: port u8, u16 flags
 * (bits 3:0 first DWORD byte enables, 7:4 last DWORD byte enables, bit 15
 * write), LD id u16 at 3, length u16 at 5, address u64 at 7, write data at
 * 15; answer: returned size u16, 2 reserved, read data at 4.  The library
 * sends whole DWORDs: the address 4-byte aligned, the length a multiple
 * of 4 from 4 to 4096.
 */
#define CXLSW_LD_MEM_HDR_LEN	15
#define CXLSW_LD_MEM_RSP_HDR_LEN	4
#define CXLSW_LD_MEM_MAX	4096
struct cxlsw_ld_mem_request {
	uint8_t port;
	uint16_t ld;
	uint64_t address;
	uint16_t length;
	bool write;
	const uint8_t *data;	/* a write's length bytes */
};
int cxlsw_ld_mem_encode(const struct cxlsw_ld_mem_request *req, void *buf,
			size_t len, size_t *used);
/* The read data of an answer: *data points into buf, *n bytes. */
int cxlsw_ld_mem_decode(const struct cxlsw_ld_mem_request *req,
			const void *buf, size_t len, const uint8_t **data,
			size_t *n);
enum cxlsw_effect cxlsw_ld_mem_effect(const void *req, size_t len);

/* ---- virtual CXL switches -------------------------------------------- */

enum cxlsw_vcs_state {
	CXLSW_VCS_DISABLED	= 0x00,
	CXLSW_VCS_ENABLED	= 0x01,
	CXLSW_VCS_INVALID	= 0xFF,
};

enum cxlsw_vppb_binding {
	CXLSW_VPPB_UNBOUND	= 0x00,
	CXLSW_VPPB_IN_PROGRESS	= 0x01,
	CXLSW_VPPB_BOUND_PORT	= 0x02,
	CXLSW_VPPB_BOUND_LD	= 0x03,
	CXLSW_VPPB_BOUND_PID	= 0x04,	/* r3.2 Table 7-32: bound to a PID */
};

#define CXLSW_NO_LD		0xFF
#define CXLSW_MAX_VPPBS		256

struct cxlsw_vppb {
	uint8_t binding_status;
	uint8_t port_id;
	uint8_t ld_id;
};

struct cxlsw_vcs_info {
	uint8_t vcs_id;
	uint8_t state;
	uint8_t usp_id;
	uint8_t num_vppbs;
	uint16_t have;			/* entries filled in so far */
	struct cxlsw_vppb vppbs[CXLSW_MAX_VPPBS];
};

#define CXLSW_VCS_HDR_LEN	4
#define CXLSW_VPPB_ENTRY_LEN	4
struct cxlsw_vcs_request {
	uint8_t start_vppb;
	uint8_t vppb_limit;
	uint8_t count;
	uint8_t vcs_ids[CXLSW_MAX_VCSS];
};

int cxlsw_vcs_info_encode(const struct cxlsw_vcs_request *req, void *buf,
			  size_t len, size_t *used);
/*
 * Decode one answer to req: slots[i] receives the VCS asked for by
 * req->vcs_ids[i]; its vPPB entries land at index start_vppb onwards and
 * `have` counts them.  A slot that already holds entries must report the
 * same vPPB count again.
 */
int cxlsw_vcs_info_decode(const void *buf, size_t len,
			  const struct cxlsw_vcs_request *req,
			  struct cxlsw_vcs_info *const *slots);
/*
 * Every vPPB of n VCSs, paging as the response limit requires, in the
 * fewest requests the limit allows once each VCS's size is known.
 */
int cxlsw_get_vcs_info(struct cxlsw_dev *dev, const uint8_t *ids, size_t n,
		       struct cxlsw_vcs_info *vcs);

#define CXLSW_WHOLE_PORT	0xFFFF	/* bind the port, not one of its LDs */
#define CXLSW_BIND_LEN		6
#define CXLSW_UNBIND_LEN	3

enum cxlsw_unbind_mode {
	CXLSW_UNBIND_WAIT	= 0,	/* wait for the link to go down */
	CXLSW_UNBIND_MANAGED	= 1,	/* simulate managed hot-remove */
	CXLSW_UNBIND_SURPRISE	= 2,	/* simulate surprise hot-remove */
};

int cxlsw_bind_encode(uint8_t vcs, uint8_t vppb, uint8_t port, uint16_t ld,
		      void *buf, size_t len);
int cxlsw_unbind_encode(uint8_t vcs, uint8_t vppb, uint8_t mode, void *buf,
			size_t len);

/* ---- MLD components (command set 0x54, sent tunnelled) ------------- */

#define CXLSW_LD_INFO_LEN	11
#define CXLSW_LD_ALLOC_HDR_LEN	4
#define CXLSW_LD_ALLOC_LEN	16
#define CXLSW_QOS_CONTROL_LEN	7
#define CXLSW_MAX_LDS		256

struct cxlsw_ld_info {
	uint64_t memory_size;		/* bytes */
	uint16_t ld_count;
	uint8_t qos_telemetry_caps;	/* enum cxlsw_qos_telemetry_cap */
};

int cxlsw_ld_info_decode(const void *buf, size_t len,
			 struct cxlsw_ld_info *info);
int cxlsw_ld_info(struct cxlsw_dev *dev, struct cxlsw_ld_info *info);

/* An LD's memory: range multipliers in units of the granularity. */
struct cxlsw_ld_alloc {
	uint64_t range1;
	uint64_t range2;
};

struct cxlsw_ld_alloc_list {
	uint8_t ld_count;
	uint8_t granularity;		/* 0 256 MiB, 1 512 MiB, 2 1 GiB */
	struct cxlsw_ld_alloc lds[CXLSW_MAX_LDS];
};

/* Bytes of a granularity code, 0 when the code is unknown. */
uint64_t cxlsw_ld_granularity_bytes(uint8_t code);
/* One page into alloc->lds[start..]; returns the entries decoded. */
int cxlsw_ld_alloc_decode(const void *buf, size_t len, uint8_t start,
			  struct cxlsw_ld_alloc_list *alloc);
/* Every LD's allocation, in pages that fit the response limit. */
int cxlsw_ld_alloc_get(struct cxlsw_dev *dev,
		       struct cxlsw_ld_alloc_list *alloc);
/* Set LD Allocations for LDs start..start+count-1 from alloc->lds. */
int cxlsw_ld_alloc_encode(const struct cxlsw_ld_alloc_list *alloc,
			  uint8_t start, uint8_t count, void *buf, size_t len,
			  size_t *used);
/* The answer of Set LD Allocations into alloc (its ld_count set). */
int cxlsw_ld_alloc_set_decode(const void *buf, size_t len,
			      struct cxlsw_ld_alloc_list *alloc);
/* How many LD entries one request or answer of limit bytes carries. */
size_t cxlsw_ld_alloc_per_request(size_t limit);

/* ---- the host's view (libcxl) ------------------------------------- */

struct cxlsw_host_memdev {
	char name[32];			/* "mem3" */
	uint64_t serial;
};

/*
 * Every CXL memory device this host's kernel has enumerated, with its
 * serial number.  An empty list when the host has none (or no CXL bus).
 * The caller frees *list.
 */
int cxlsw_host_memdevs(struct cxlsw_host_memdev **list, size_t *count);
/* The host's name for the device with this serial number, or NULL. */
const char *cxlsw_host_memdev_find(const struct cxlsw_host_memdev *list,
				   size_t count, uint64_t serial);

/* ---- dynamic capacity devices (command set 0x56, sent tunnelled) ---- */

#define CXLSW_DC_MAX_REGIONS	8
#define CXLSW_DCD_INFO_LEN	84

enum cxlsw_dc_selection_policy {
	CXLSW_DC_SEL_FREE		= 0,
	CXLSW_DC_SEL_CONTIGUOUS		= 1,
	CXLSW_DC_SEL_PRESCRIPTIVE	= 2,
	CXLSW_DC_SEL_SHARED_ACCESS	= 3,
};

enum cxlsw_dc_removal_policy {
	CXLSW_DC_REM_TAG_BASED		= 0,
	CXLSW_DC_REM_PRESCRIPTIVE	= 1,
};

/* Get DCD Info (0x5600) */
struct cxlsw_dcd_info {
	uint8_t hosts;
	uint8_t regions;
	uint16_t selection_policies;	/* bit n: selection policy n */
	uint16_t removal_policies;	/* bit n: removal policy n */
	/*
	 * Byte 0x0A: bit n, region n's sanitize-on-release setting can be
	 * changed (Set DC Region Configuration).  Whether it sanitizes now
	 * is per region in 0x5601's region blocks, not here.
	 */
	uint8_t sanitize_configurable;
	uint64_t total_capacity;	/* bytes (256 MiB units on the wire) */
	uint64_t block_sizes[CXLSW_DC_MAX_REGIONS];	/* bit n: 2^n bytes */
};

int cxlsw_dcd_info_decode(const void *buf, size_t len,
			  struct cxlsw_dcd_info *info);
int cxlsw_dcd_info(struct cxlsw_dev *dev, struct cxlsw_dcd_info *info);

/* Get Host DC Region Configuration (0x5601) */
#define CXLSW_DC_REGION_REQ_LEN		4
#define CXLSW_DC_REGION_HDR_LEN		4
#define CXLSW_DC_REGION_LEN		40
#define CXLSW_DC_REGION_TAIL_LEN	16

struct cxlsw_dc_region {
	uint64_t base;			/* DPA, bytes */
	uint64_t decode_length;		/* bytes (256 MiB units on the wire) */
	uint64_t length;		/* bytes */
	uint64_t block_size;		/* bytes */
	uint8_t flags;			/* DSMAS flags: cxlsw_dc_region_flag_name */
	bool sanitize_on_release;
};

struct cxlsw_dc_regions {
	uint16_t host_id;
	uint8_t count;			/* regions the device has */
	uint8_t have;			/* regions read so far, from 0 */
	struct cxlsw_dc_region region[CXLSW_DC_MAX_REGIONS];
	uint32_t extents_supported, extents_available;
	uint32_t tags_supported, tags_available;
};

int cxlsw_dc_regions_encode(uint16_t host, uint8_t count, uint8_t start,
			    void *buf, size_t len);
/*
 * One answer to a request for `count` regions from `start`: the regions
 * land at index start onwards of r->region, `have` moves past them.
 */
int cxlsw_dc_regions_decode(const void *buf, size_t len, uint16_t host,
			    uint8_t count, uint8_t start,
			    struct cxlsw_dc_regions *r);
/* Every region of a host, paged to the response limit. */
int cxlsw_get_dc_regions(struct cxlsw_dev *dev, uint16_t host,
			 struct cxlsw_dc_regions *r);

/* Set DC Region Configuration (0x5602) */
#define CXLSW_DC_REGION_SET_LEN	16
int cxlsw_dc_region_set_encode(uint8_t region, uint64_t block_size,
			       bool sanitize, void *buf, size_t len);

/* Get DC Region Extent Lists (0x5603) */
#define CXLSW_DC_EXTENTS_REQ_LEN	12
#define CXLSW_DC_EXTENTS_HDR_LEN	24
#define CXLSW_DC_EXTENT_LEN		40

struct cxlsw_dc_extent {
	uint64_t start_dpa;		/* bytes */
	uint64_t length;		/* bytes */
	uint8_t tag[16];
	uint16_t shared_seq;
};

struct cxlsw_dc_extent_page {
	uint16_t host_id;
	uint32_t start, returned, total, generation;
};

int cxlsw_dc_extents_encode(uint16_t host, uint32_t count, uint32_t start,
			    void *buf, size_t len);
/*
 * One answer to a request for `count` extents from `start` of `host`:
 * the header into pg, up to max extents into ext (ext may be NULL).
 */
int cxlsw_dc_extents_decode(const void *buf, size_t len, uint16_t host,
			    uint32_t count, uint32_t start,
			    struct cxlsw_dc_extent_page *pg,
			    struct cxlsw_dc_extent *ext, size_t max);

struct cxlsw_dc_extent_list {
	uint16_t host_id;
	uint32_t generation;
	uint32_t count;
	unsigned int restarts;		/* the list changed while being read */
	struct cxlsw_dc_extent *extents;	/* malloc'd; free() it */
};

/* How often a read starts again when the generation changes mid-way. */
#define CXLSW_DC_EXTENT_RESTARTS	3
/*
 * Every extent of a host, paged to the response limit.  When the
 * generation number changes between pages the read starts again, up to
 * CXLSW_DC_EXTENT_RESTARTS times; then it fails with -EAGAIN.
 */
int cxlsw_get_dc_extents(struct cxlsw_dev *dev, uint16_t host,
			 struct cxlsw_dc_extent_list *list);

/* Initiate Dynamic Capacity Add (0x5604) and Release (0x5605) */
#define CXLSW_DC_CHANGE_HDR_LEN	32

struct cxlsw_dc_change {
	uint16_t host_id;
	uint8_t policy;			/* selection or removal policy */
	uint8_t region;			/* add only */
	bool forced, sanitize;		/* release only */
	uint64_t length;		/* bytes */
	uint8_t tag[16];
	uint32_t nr_extents;
	const struct cxlsw_dc_extent *extents;
};

int cxlsw_dc_add_encode(const struct cxlsw_dc_change *a, void *buf,
			size_t len, size_t *used);
int cxlsw_dc_release_encode(const struct cxlsw_dc_change *r, void *buf,
			    size_t len, size_t *used);

const char *cxlsw_dc_selection_policy_name(uint8_t v);
const char *cxlsw_dc_removal_policy_name(uint8_t v);
/* Bits of a region's flags (DSMAS flags); bits 0 and 1 are reserved. */
const char *cxlsw_dc_region_flag_name(unsigned int bit);
/* "01234567-89ab-cdef-0123-456789abcdef": buf holds 37 bytes. */
void cxlsw_uuid_format(const uint8_t *uuid, char *buf);
int cxlsw_uuid_parse(const char *text, uint8_t *uuid);

/* ---- names of enumerations (NULL when the value is unknown) ---------- */

const char *cxlsw_port_config_state_name(uint8_t v);
const char *cxlsw_cxl_version_name(uint8_t v);
const char *cxlsw_device_type_name(uint8_t v);
/* The same in words for people: "CXL Type 3 MLD". */
const char *cxlsw_device_type_desc(uint8_t v);
const char *cxlsw_ltssm_name(uint8_t v);
const char *cxlsw_vcs_state_name(uint8_t v);
const char *cxlsw_vppb_binding_name(uint8_t v);
/* bit n of the "port CXL version" bitmap */
const char *cxlsw_cxl_version_bit_name(unsigned int bit);
const char *cxlsw_link_flag_name(unsigned int bit);
const char *cxlsw_port_op_name(uint8_t op);
const char *cxlsw_unbind_mode_name(uint8_t mode);
/* Link speed encoding 1..6 in tenths of GT/s (25 = 2.5 GT/s), 0 if unknown. */
unsigned int cxlsw_link_speed_tenths(uint8_t code);
/* Bit n of the supported-speeds vector in tenths of GT/s. */
unsigned int cxlsw_speed_bit_tenths(unsigned int bit);

/* ---- MLD QoS (0x5403-0x5409, sent tunnelled to an MLD) ---------------- */

enum cxlsw_qos_control_flag {
	CXLSW_QOS_CTL_EGRESS_CONGESTION		= 1u << 0,
	CXLSW_QOS_CTL_THROUGHPUT_REDUCTION	= 1u << 1,
};

struct cxlsw_qos_control {
	uint8_t telemetry_control;	/* enum cxlsw_qos_control_flag */
	uint8_t egress_moderate_percent;	/* 0..100 */
	uint8_t egress_severe_percent;		/* 0..100 */
	uint8_t backpressure_sample_interval;
	uint16_t req_cmpl_basis;
	uint8_t completion_collection_interval;
};

#define CXLSW_QOS_STATUS_LEN	1
int cxlsw_qos_control_decode(const void *buf, size_t len,
			     struct cxlsw_qos_control *c);
/* The 7-byte Set QoS Control request; -EINVAL for a percentage over 100. */
int cxlsw_qos_control_encode(const struct cxlsw_qos_control *c, void *buf,
			     size_t len);
int cxlsw_get_qos_control(struct cxlsw_dev *dev, struct cxlsw_qos_control *c);
/* bit n of the telemetry control byte */
const char *cxlsw_qos_control_flag_name(unsigned int bit);
int cxlsw_qos_status_decode(const void *buf, size_t len,
			    uint8_t *backpressure_avg);
int cxlsw_get_qos_status(struct cxlsw_dev *dev, uint8_t *backpressure_avg);

/* Per-LD bandwidth, fractions n/256: count u8, start LD u8, n u8 per LD. */
enum cxlsw_qos_bw_kind {
	CXLSW_QOS_ALLOC_BW,		/* 0x5406 / 0x5407 */
	CXLSW_QOS_BW_LIMIT,		/* 0x5408 / 0x5409 */
};

#define CXLSW_QOS_BW_HDR_LEN	2
uint16_t cxlsw_qos_bw_opcode(enum cxlsw_qos_bw_kind kind, bool set);
/* How many LDs one request or answer of limit bytes carries. */
size_t cxlsw_qos_bw_per_msg(size_t limit);
/*
 * A get (fractions NULL) or a set of LDs start..start+count-1; a set's
 * fractions are taken from fractions[start..].
 */
int cxlsw_qos_bw_encode(uint8_t start, uint8_t count, const uint8_t *fractions,
			void *buf, size_t len, size_t *used);
/* One page of a get, exactly as asked, into fractions[start..]. */
int cxlsw_qos_bw_decode(const void *buf, size_t len, uint8_t start,
			uint8_t count, uint8_t *fractions);
/* A set's answer: the fractions applied, into fractions[*start..]. */
int cxlsw_qos_bw_set_decode(const void *buf, size_t len, uint8_t *start,
			    uint8_t *count, uint8_t *fractions);
/* Every LD's fraction (fractions[CXLSW_MAX_LDS]), paged to the limit. */
int cxlsw_get_qos_bw(struct cxlsw_dev *dev, enum cxlsw_qos_bw_kind kind,
		     unsigned int ld_count, uint8_t *fractions);

/* ---- a snapshot of a whole switch, read once ------------------------- */

/*
 * A pooled device (a Type 3 MLD on a downstream port) as the snapshot saw
 * it through the tunnel to its port: its capacity, every LD's allocation,
 * and its QoS when it has QoS.  A device that did not answer (its link is
 * down, its port held in reset) is kept with reachable false and why.
 */
struct cxlsw_snapshot_pool {
	uint8_t port_id;
	bool reachable;
	struct cxlsw_error error;	/* why not, when !reachable */
	struct cxlsw_ld_info info;
	struct cxlsw_ld_alloc_list alloc;
	bool has_qos_control;
	struct cxlsw_qos_control qos;
	bool has_qos_bw;		/* both fraction lists were read */
	uint8_t bw_alloc[CXLSW_MAX_LDS];
	uint8_t bw_limit[CXLSW_MAX_LDS];
};

/*
 * A dynamic capacity device (a Type 3 device on a downstream port that
 * answers Get DCD Info): its regions (as host 0 is told them) and every
 * host's extents.
 */
struct cxlsw_snapshot_dcd {
	uint8_t port_id;
	struct cxlsw_dcd_info info;
	struct cxlsw_dc_regions regions;
	size_t nhosts;
	struct cxlsw_dc_extent_list *hosts;	/* [nhosts], by host id */
};

struct cxlsw_snapshot {
	struct cxlsw_switch_info info;
	size_t nports;
	struct cxlsw_port_state *ports;	/* by ascending id */
	size_t nvcs;
	struct cxlsw_vcs_info *vcs;	/* by ascending id */
	/* the switch does not implement Get VCS Info: no VCSs are known */
	bool vcs_unavailable;
	size_t npools;
	struct cxlsw_snapshot_pool *pools;	/* by ascending port */
	size_t ndcds;
	struct cxlsw_snapshot_dcd *dcds;	/* by ascending port */
	/*
	 * Whether the device on each port (by id) is a DCD, as far as this
	 * run has learnt it: a fact of the device, carried by
	 * cxlsw_snapshot_reread() while the port's device stays the same.
	 */
	uint8_t dcd_fact[CXLSW_MAX_PORTS];	/* enum cxlsw_snapshot_fact */
};

enum cxlsw_snapshot_fact {
	CXLSW_FACT_UNKNOWN = 0,	/* not asked, or no answer that says */
	CXLSW_FACT_NO,		/* Get DCD Info answered Unsupported */
	CXLSW_FACT_YES,		/* a DCD, its info and regions read */
};

/*
 * The switch's ports, VCSs with their vPPBs, and every pooled device's
 * LD allocations and QoS, read once (pooled devices through tunnels).
 * A port held in reset is one whose PERST# is asserted
 * (CXLSW_LINK_PERST_ASSERTED in its link flags).  Returns 0 with *snap
 * allocated, or a negative errno with the device's error set.
 */
int cxlsw_snapshot_read(struct cxlsw_dev *dev, struct cxlsw_snapshot **snap);
void cxlsw_snapshot_free(struct cxlsw_snapshot *snap);

/* What a read after an earlier one asks again of a port's device. */
#define CXLSW_SNAP_LD_ALLOC	0x01	/* an MLD's LD allocations */
#define CXLSW_SNAP_QOS_CONTROL	0x02	/* its QoS control */
#define CXLSW_SNAP_BW_ALLOC	0x04	/* its allocated bandwidth list */
#define CXLSW_SNAP_BW_LIMIT	0x08	/* its bandwidth limit list */
#define CXLSW_SNAP_DC_EXTENTS	0x10	/* a DCD's every host's extents */

struct cxlsw_snapshot_scope {
	bool vcss;				/* the VCSs and their vPPBs */
	uint8_t port[CXLSW_MAX_PORTS];		/* CXLSW_SNAP_* by port id */
};

/*
 * Without prev, a first read that asks of the devices only what scope
 * names: the switch's identity, every port and VCS, and of a pooled
 * device scope names its LD Info and allocations (what any plan of it
 * needs) and the QoS parts scope names, of a Type 3 device whose port
 * scope names for extents whether it is a DCD, its regions and extents.
 *
 * With prev, read the switch again after prev, an earlier read of the
 * same switch in this run, asking only what scope names and what a
 * change of state can alter.  Every port's state is read again (it is where a changed
 * device shows).  Carried from prev, never asked again: the switch's
 * identity (which ports and VCSs there are), the VCSs unless scope->vcss,
 * and the facts of a device whose port state shows the same device (both
 * reads: a downstream port with its link up, the same device type, CXL
 * version and modes, link width and speeds, LD count): an MLD's LD Info,
 * whether a device is a DCD, a DCD's info and regions.  A port whose
 * device changed, or is first seen, is learnt anew as by
 * cxlsw_snapshot_read().  Pools and DCDs on ports outside scope are left
 * out; a pool's parts outside scope are prev's.
 */
int cxlsw_snapshot_reread(struct cxlsw_dev *dev,
			  const struct cxlsw_snapshot *prev,
			  const struct cxlsw_snapshot_scope *scope,
			  struct cxlsw_snapshot **snap);
/*
 * Lookups by id; NULL when the snapshot has none (or it is invalid).
 * They search the arrays as sorted by id (a few probes each): a snapshot
 * built otherwise must keep every array in ascending id order.
 */
const struct cxlsw_port_state *
cxlsw_snapshot_port(const struct cxlsw_snapshot *snap, unsigned int port);
const struct cxlsw_vcs_info *
cxlsw_snapshot_vcs(const struct cxlsw_snapshot *snap, unsigned int vcs);
const struct cxlsw_snapshot_pool *
cxlsw_snapshot_pool(const struct cxlsw_snapshot *snap, unsigned int port);
const struct cxlsw_snapshot_dcd *
cxlsw_snapshot_dcd(const struct cxlsw_snapshot *snap, unsigned int port);
/* Bytes host holds in region of a DCD: its extents within the region. */
uint64_t cxlsw_snapshot_dc_held(const struct cxlsw_snapshot_dcd *d,
				unsigned int host, unsigned int region);
/* Is the port held in reset (PERST# asserted)? */
bool cxlsw_snapshot_port_in_reset(const struct cxlsw_port_state *p);

/* ---- multi-headed devices (0x5500, 0x5501, the LD pool CCI) ----------- */

#define CXLSW_MHD_INFO_HDR_LEN	8
#define CXLSW_HEAD_HDR_LEN	4
#define CXLSW_HEAD_BLOCK_LEN	9
#define CXLSW_MAX_HEADS		256

struct cxlsw_mhd_info {
	uint8_t ld_count;
	uint8_t head_count;
	uint8_t ld_to_head[CXLSW_MAX_LDS];
};

struct cxlsw_head_info {
	uint8_t port_number;
	uint8_t max_link_width;
	uint8_t negotiated_link_width;
	uint8_t supported_speeds;	/* vector, as a port's */
	uint8_t max_link_speed;		/* codes, as a port's */
	uint8_t current_link_speed;
	uint8_t ltssm_state;
	uint8_t first_negotiated_lane;
	uint8_t link_flags;		/* enum cxlsw_link_flag */
};

/* Both requests: a start (LD or head) and how many. */
int cxlsw_mhd_page_encode(uint8_t start, uint8_t limit, void *buf, size_t len);
/* One page of the LD-to-head map into info; returns the entries decoded. */
int cxlsw_mhd_info_decode(const void *buf, size_t len, uint8_t start,
			  uint8_t limit, struct cxlsw_mhd_info *info);
int cxlsw_get_mhd_info(struct cxlsw_dev *dev, struct cxlsw_mhd_info *info);
/* One page of at most `asked` heads into heads[0..]; returns how many. */
int cxlsw_head_info_decode(const void *buf, size_t len, uint8_t asked,
			   struct cxlsw_head_info *heads);
size_t cxlsw_head_info_per_msg(size_t limit);
/* Heads 0..head_count-1, paged to the limit. */
int cxlsw_get_head_info(struct cxlsw_dev *dev, unsigned int head_count,
			struct cxlsw_head_info *heads);

#ifdef __cplusplus
}
#endif
#endif
