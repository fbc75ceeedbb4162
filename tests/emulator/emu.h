/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Emulated CXL switch: what the umockdev front end's files share. */
#ifndef _EMU_EMU_H_
#define _EMU_EMU_H_

#include <pthread.h>
#include <stdint.h>
#include <umockdev.h>

#include "model.h"

#define EMU_MAX_SWITCHES 64
/*
 * The character device major of the switch nodes (switch N is
 * EMU_SWITCH_MAJOR:N): one of Linux's dynamic majors, as a CCI driver
 * would get (Documentation/admin-guide/devices.txt, 234-254).
 */
#define EMU_SWITCH_MAJOR 250

struct emu_switch {
	unsigned int index;		/* N of /dev/cxl/switchN */
	char devnode[32];
	struct model *model;
	UMockdevIoctlBase *handler;
	int node_pty;			/* master of the pty the node links to */
};

/*
 * The ioctl handler runs on a umockdev worker thread while main() waits
 * for the child: one lock covers the models, the counters and the faults.
 */
extern pthread_mutex_t emu_lock;

/* default-topology.c: tests/topologies/default.json, built in */
extern const char emu_default_topology[];

/* fault.c: --fail OPCODE:ACTION[:N], --latency MS */
enum fault_kind {
	FAULT_NONE,
	FAULT_RC,		/* arg: return code, empty answer, no model */
	FAULT_SHORT,		/* arg: answer cut to this many bytes */
	FAULT_LONG,		/* arg: this many 0xA5 bytes appended */
	FAULT_OVERCLAIM,	/* arg: out.size reported this much too big */
	FAULT_ERRNO,		/* arg: the ioctl fails with this errno */
	FAULT_DELAY,		/* arg: ms to sleep before answering */
	/*
	 * The device runs the command but its answer never arrives: over
	 * the ioctl the driver's doorbell wait gives up (ETIMEDOUT), over
	 * MCTP nothing comes back.
	 */
	FAULT_LOST,
	/* MCTP only: the answer has another CCI tag */
	FAULT_WRONG_TAG,
	/* MCTP only: a stray copy with another tag, then the answer */
	FAULT_STRAY,
	/* MCTP only: arg: the message (CCI header and payload) cut to this */
	FAULT_CUT,
	/* MCTP only: the answer's header names another opcode */
	FAULT_OTHER_OPCODE,
	/*
	 * arg: ports P | Q << 8: the model runs the command, then the
	 * devices behind ports P and Q change places (a hot swap between
	 * two commands)
	 */
	FAULT_SWAP,
	/* 0x5300 only (device.h, enum tunnel_fault_kind) */
	FAULT_TUNNEL_TAG,	/* the inner answer's tag is wrong */
	FAULT_TUNNEL_OPCODE,	/* ... it names another opcode */
	FAULT_TUNNEL_CATEGORY,	/* ... its category is 0 (request) */
	FAULT_TUNNEL_LEN,	/* arg (int32): response length + arg */
	FAULT_INNER_LEN,	/* arg (int32): inner payload length + arg */
};

#define FAULT_MAX_BYTES		(1ul << 20)	/* short=, long= */
#define FAULT_MAX_DELAY_MS	3600000ul	/* delay=, --latency */

struct fault_action {
	enum fault_kind kind;
	uint32_t arg;
};

int fault_add(const char *spec);
int fault_set_latency(const char *ms);
/* --latency's ms, 0 without it */
unsigned long fault_latency(void);
/*
 * Count a call the device received; 1 and *act the first matching
 * fault, or 0 and FAULT_NONE.
 */
int fault_check(uint16_t opcode, struct fault_action *act);
/* After the command ran: a swap=P,Q fault exchanges the two ports' devices. */
struct model;
void fault_after(struct model *m, const struct fault_action *act);

/*
 * fault-tunnel.c: faults and counts for tunnelled commands. The hook is
 * the model's (model_opts.tunnel_hook); the transport-level faults an
 * inner command asked for (errno=, delay=, overclaim=) apply to the
 * ioctl that carried it: fault_tunnel_take() hands them over and
 * forgets them, and the 0x5300 faults of the outer command are applied
 * by fault_tunnel_outer().
 */
struct tunnel_path;
struct tunnel_fault;
void fault_tunnel_hook(const struct tunnel_path *path,
		       struct tunnel_fault *f);
void fault_tunnel_take(uint32_t *err, unsigned long *delay_ms,
		       uint32_t *overclaim);
void fault_tunnel_outer(const struct fault_action *act, uint8_t *out,
			size_t len);

/* "0x5201"; 0 or -1 */
int parse_opcode(const char *s, uint16_t *opcode);
/* OPCODE:RC (is_rc: a number or a --fail name) or OPCODE:NUMBER */
int parse_opcode_pair(const char *spec, int is_rc, uint16_t *opcode,
		      uint16_t *val);

/* extras.c: --lockdown, --syslog, --tty */
int lockdown_create(UMockdevTestbed *tb, const char *mode);
struct syslog_sink;
struct syslog_sink *syslog_start(UMockdevTestbed *tb, const char *path);
/* drains what is queued, stops; 0 or -1 when FILE could not be written */
int syslog_stop(struct syslog_sink *s);
struct tty_relay;
/* opens the pty pair; the child makes the slave its terminal */
struct tty_relay *tty_open(void);
int tty_slave(const struct tty_relay *t);
void tty_start(struct tty_relay *t);
/* after the child exited: copy what it left, stop */
void tty_stop(struct tty_relay *t);

/* stats.c: --stats FILE */
void stats_count(int have_opcode, uint16_t opcode);
/* a tunnelled command: "0x5300>0x5401" and the like */
void stats_count_path(const uint16_t *ops, unsigned int depth);
int stats_write(const char *path);
struct cxl_send_command;
/* trace.c: --trace FILE */
void trace_request(const struct cxl_send_command *c, const void *in);
int trace_write(const char *path);

/* ioctl.c: the kernel's CXL_MEM_SEND_COMMAND, in front of the model */
gboolean emu_handle_ioctl(UMockdevIoctlBase *base,
			  UMockdevIoctlClient *client, gpointer data);

/*
 * mctp.c: --mctp NET:EID, switch0 as an MCTP endpoint for the shim, and
 * --mctp-type3 NET:EID:PORT, the device on a port of switch0 as one
 * (type3[i] = { net, eid, port }).
 */
struct mctp_server;
/* "NET:EID", EID 8-254; 0 or -1 */
int mctp_parse_addr(const char *s, unsigned int *net, unsigned int *eid);
#define MCTP_TYPE3_MAX	4
struct mctp_server *mctp_start(struct emu_switch *sw, unsigned int net,
			       unsigned int eid, const unsigned int (*type3)[3],
			       unsigned int nr_type3);
/*
 * --mctp-ctl: how the endpoints answer Get Message Type Support: as they
 * are, not at all, with an error, or listing PLDM instead of CXL.
 */
enum mctp_ctl_mode { MCTP_CTL_NORMAL, MCTP_CTL_LOST, MCTP_CTL_ERROR,
		     MCTP_CTL_PLDM };
void mctp_set_ctl(struct mctp_server *s, enum mctp_ctl_mode mode);
/* --mctp-kernel NET:EID: served on the kernel's own AF_MCTP sockets */
struct mctp_server *mctp_start_kernel(struct emu_switch *sw, unsigned int net,
				      unsigned int eid);
/* the shim's orders (mctp-wire.h, MCTP_WIRE_ENV); NULL with --mctp-kernel */
const char *mctp_env(const struct mctp_server *s);
void mctp_stop(struct mctp_server *s);

/* testbed.c: fake sysfs and /dev nodes */
UMockdevTestbed *testbed_create(struct emu_switch *sw, unsigned int n);
void testbed_destroy(UMockdevTestbed *tb, struct emu_switch *sw,
		     unsigned int n);

/* host-sysfs.c: the host's memdevs (libcxl), unless --no-host */
int host_sysfs_create(UMockdevTestbed *tb, const struct emu_switch *sw,
		      unsigned int n);

#endif /* _EMU_EMU_H_ */
