/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Between the AF_MCTP shim in the tool's process (mctp-shim.c) and the
 * emulator (mctp.c): each AF_MCTP datagram is one record on a unix
 * stream socket (a datagram socket would cap records near 200 KiB, and
 * CCI messages reach 1 MiB): this header and then the MCTP message body,
 * without the message type byte (the socket API keeps it in
 * sockaddr_mctp, as here).
 */
#ifndef _EMU_MCTP_WIRE_H_
#define _EMU_MCTP_WIRE_H_

#include <stdint.h>

struct mctp_wire_hdr {
	uint32_t len;		/* of the body that follows */
	uint32_t net;
	uint8_t eid;		/* the peer: the endpoint either way */
	uint8_t type;		/* MCTP message type */
	uint8_t tag;		/* with MCTP_TAG_OWNER on a request */
	uint8_t pad;
};

/*
 * The shim's orders, from the emulator: "NET:EID[,NET:EID...]:SOCKET-PATH"
 * to route those endpoints to the emulator (its absolute socket path
 * after the last ":/"), "none" for a kernel without AF_MCTP.
 */
#define MCTP_WIRE_ENV	"CXLSW_EMU_MCTP"

/* the largest record: a 1 MiB payload, its CCI header and long= padding */
#define MCTP_WIRE_MAX	(sizeof(struct mctp_wire_hdr) + 12 + (2u << 20))

#endif
