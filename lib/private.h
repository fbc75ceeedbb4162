/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals shared by the library's files; not installed. */
#ifndef CXLSW_PRIVATE_H
#define CXLSW_PRIVATE_H

#include <stdarg.h>
#include <string.h>

#include "cxlswitch.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* a value's word in a table of words, NULL past its end or in a hole */
#define LOOKUP(table, v) \
	((size_t)(v) < ARRAY_SIZE(table) ? (table)[(v)] : NULL)

struct cxlsw_dev {
	char *name;
	char *path;
	struct cxlsw_transport *transport;
	size_t msg_limit;		/* 0 until asked */
	unsigned int retries;		/* after Busy or Retry Required */
	unsigned int retry_first_ms;	/* the first wait, doubled each time */
	unsigned int attempts;		/* of the last command sent */
	struct cxlsw_error error;
	size_t req_limit;		/* 0 until asked */
	struct cxlsw_dev *outer;	/* a tunnel's way in, or NULL */
	bool own_outer;
	/*
	 * Get LD Info, kept once asked like the limits above: memory size
	 * and LD count are the device's make, no FM command changes them.
	 */
	bool have_ld_info;
	struct cxlsw_ld_info ld_info;
	/* Identify Switch Device's vPPB total, once asked: sizes VCS answers */
	bool have_vppb_total;
	uint16_t vppb_total;
	/*
	 * What the device is, learned once per run and kept: its Identify
	 * (for the message sizes when it lacks Get Response Message Limit),
	 * the commands it answered Unsupported or its Command Effects Log
	 * leaves out, and its CEL once read.
	 */
	bool have_identify;
	struct cxlsw_identify identify;
	/* the opcodes it said it lacks: none until it says so, most one or
	 * two (a device not a DCD: Get DCD Info); a bitmap of every opcode,
	 * 8 KiB zeroed a device, was most of asking it */
	uint16_t *lacks;
	size_t nlacks, lacks_cap;
	enum { CEL_UNREAD, CEL_READ, CEL_NONE } cel_state;
	size_t transport_max;		/* the ioctl's payload cap, 0: unknown */
	/*
	 * One request at a time goes down a chain of tunnels; the device at
	 * the chain's root keeps that request's retry budget and deadline,
	 * so Busy at any level costs retries of the whole chain, not a
	 * product of every level's.
	 */
	unsigned int timeout_ms;	/* per request, retries included */
	unsigned int in_flight;		/* nesting depth at the root */
	unsigned int retries_left;
	uint64_t deadline_ns;
	/* Identify's serial number, the device's identity, kept once asked */
	bool have_serial;
	uint64_t serial;
};

static inline bool opcode_bit(const uint8_t *map, uint16_t op)
{
	return map[op / 8] >> (op % 8) & 1;
}

static inline void opcode_set(uint8_t *map, uint16_t op)
{
	map[op / 8] |= (uint8_t)(1u << (op % 8));
}

/* The wire is little-endian whatever the host is. */
static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/*
 * SWITCH ("switch0" or a path) to its canonical name and the path to open,
 * after checking that it is a switch CCI's character device (resolve.c).
 */
int dev_resolve(const char *arg, char **canon, char **path,
		struct cxlsw_error *err);

/* Record an error in dev and return -errnum, so callers can "return". */
int dev_fail(struct cxlsw_dev *dev, enum cxlsw_error_kind kind, int errnum,
	     uint16_t opcode, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void error_fill(struct cxlsw_error *err, enum cxlsw_error_kind kind,
		int errnum, uint16_t opcode, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void error_set(struct cxlsw_error *err, enum cxlsw_error_kind kind,
	       int errnum, uint16_t opcode, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));

size_t dev_sure_limit(const struct cxlsw_dev *dev);
int dev_page_limit(struct cxlsw_dev *dev, size_t hdr, size_t entry,
		   size_t count, size_t *limit);
void dev_set_outer(struct cxlsw_dev *dev, struct cxlsw_dev *outer,
		   bool own);
enum cxlsw_effect cxlsw_tunnel_effect(const void *req, size_t len);

/* A switch named mctp:NET:EID, opened over its MCTP transport. */
int mctp_dev_open(const char *name, struct cxlsw_dev **devp,
			struct cxlsw_error *err);

/* Sleep; a signal may cut it short (the callers look at their flags). */
void sleep_ms(unsigned int ms);

/* Send a catalogued command whose answer has one fixed length. */
int dev_query_fixed(struct cxlsw_dev *dev, uint16_t opcode, void *out,
		    size_t len);

/*
 * Who holds a flock(2) on the file fd is open on (/proc/locks), 0 when no
 * line says; transport-ioctl.c, and transport-mctp.c's lock file.
 */
pid_t flock_holder(int fd);

#endif
