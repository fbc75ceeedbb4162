// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mem-read and mem-write: one LD's CXL.io memory (MMIO) space through the
 * switch (Send LD CXL.io Memory Request, 0x5302, r3.2 Table 7-36).  Like
 * config-read and config-write, one opcode reads and writes: a read
 * changes nothing, a write goes through the safety policy as a change the
 * host bound to the LD may notice.  Whole DWORDs only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct mem_args {
	const char *name;
	bool write;
	long port, ld;
	unsigned long address;
	bool have_address;
	unsigned long length;
	uint8_t data[CXLSW_LD_MEM_MAX];
	struct change_opts change;
};

enum { OPT_LD = 0x100, OPT_ADDRESS, OPT_LENGTH, OPT_DATA };

#define MEM_OPTIONS \
	{ "port", 'p', "ID", 0, "The port of the pooled device (MLD), 0-255", 0 }, \
	{ "ld", OPT_LD, "LD", 0, "The logical device whose memory space is accessed", 0 }, \
	{ "address", OPT_ADDRESS, "ADDR", 0, "Byte address in the LD's memory space, a multiple of 4", 0 }

static const struct argp_option read_options[] = {
	MEM_OPTIONS,
	{ "length", OPT_LENGTH, "BYTES", 0, "Bytes to read: a multiple of 4, 4-4096 (default 4)", 0 },
	{ 0 },
};

static const struct argp_option write_options[] = {
	MEM_OPTIONS,
	{ "data", OPT_DATA, "HEX", 0, "The bytes to write, as hex digits (a multiple of 4 bytes)", 0 },
	{ 0 },
};

static error_t mem_parse(int key, char *arg, struct argp_state *state)
{
	struct mem_args *a = state->input;
	size_t n;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case 'p':
		a->port = (long)id_arg(state, "--port", arg, 255);
		return 0;
	case OPT_LD:
		a->ld = (long)id_arg(state, "--ld", arg, 0xfffe);
		return 0;
	case OPT_ADDRESS:
		if (parse_uint(arg, ~0UL, &a->address) || a->address % 4)
			usage_error(state, "invalid --address '%s': expected a byte address that is a multiple of 4", arg);
		a->have_address = true;
		return 0;
	case OPT_LENGTH:
		if (parse_uint(arg, CXLSW_LD_MEM_MAX, &a->length) ||
		    !a->length || a->length % 4)
			usage_error(state, "invalid --length '%s': expected a multiple of 4 from 4 to %u bytes",
				    arg, CXLSW_LD_MEM_MAX);
		return 0;
	case OPT_DATA:
		if (parse_hex(arg, a->data, sizeof(a->data), &n) || !n || n % 4)
			usage_error(state, "invalid --data '%s': expected hex digits for 4 to %u bytes, a multiple of 4",
				    arg, CXLSW_LD_MEM_MAX);
		a->length = n;
		return 0;
	case ARGP_KEY_END:
		if (a->port < 0 || a->ld < 0 || !a->have_address)
			usage_error(state, "missing %s", a->port < 0 ? "--port" :
				    a->ld < 0 ? "--ld" : "--address");
		if (a->write && !a->length)
			usage_error(state, "missing --data: the bytes to write");
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp read_argp = {
	.options = read_options,
	.parser = mem_parse,
	.args_doc = "SWITCH --port P --ld LD --address ADDR [--length BYTES]",
	.doc = "Read an LD's CXL.io memory space through the switch "
	       "(Send LD CXL.io Memory Request, 0x5302).",
	.children = read_change_children,
};

static const struct argp write_argp = {
	.options = write_options,
	.parser = mem_parse,
	.args_doc = "SWITCH --port P --ld LD --address ADDR --data HEX",
	.doc = "Write an LD's CXL.io memory space through the switch "
	       "(Send LD CXL.io Memory Request, 0x5302).",
	.children = change_nobg_children,
};

static struct cxlsw_ld_mem_request request_of(const struct mem_args *a)
{
	struct cxlsw_ld_mem_request r = {
		.port = (uint8_t)a->port,
		.ld = (uint16_t)a->ld,
		.address = a->address,
		.length = (uint16_t)a->length,
		.write = a->write,
		.data = a->data,
	};

	return r;
}

static struct json_object *json_bytes(const uint8_t *b, size_t n)
{
	char *hex = malloc(2 * n + 1);
	struct json_object *o;

	if (!hex)
		return NULL;
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", b[i]);
	hex[2 * n] = '\0';
	o = json_object_new_string(hex);
	free(hex);
	return o;
}

static void add_data(const struct change *c, struct json_object *result)
{
	const struct mem_args *a = c->ctx;
	struct cxlsw_ld_mem_request r = request_of(a);
	const uint8_t *data;
	size_t n;

	json_add(result, "port_id", json_int(a->port));
	json_add(result, "ld_id", json_int(a->ld));
	json_add(result, "address", json_addr(a->address));
	json_add(result, "length", json_int((int64_t)a->length));
	if (a->write)
		json_add(result, "data", json_bytes(a->data, a->length));
	else if (!cxlsw_ld_mem_decode(&r, c->out, c->out_len, &data, &n))
		json_add(result, "data", json_bytes(data, n));
}

static int hex_nibble(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/*
 * One line of a dump in the layout of `hexdump -C`, which admins read at a
 * glance: the LD's address, up to 16 bytes, then those of them that are
 * printable.
 */
static void dump_line(uint64_t address, const char *hex, size_t n)
{
	char text[17];

	printf("%08" PRIx64 " ", address);
	for (size_t i = 0; i < 16; i++) {
		if (i == 8)
			putchar(' ');
		if (i < n) {
			int b = hex_nibble(hex[2 * i]) << 4 |
				hex_nibble(hex[2 * i + 1]);

			printf(" %.2s", hex + 2 * i);
			text[i] = b >= 0x20 && b < 0x7f ? (char)b : '.';
		} else {
			printf("   ");
		}
	}
	text[n] = '\0';
	printf("  |%s|\n", text);
}

/* mem-read without -v: where from, then the bytes as a dump. */
static void read_human(struct json_object *r)
{
	struct json_object *v = jget(r, "data");
	const char *hex = v ? json_object_get_string(v) : "";
	uint64_t address = (uint64_t)json_object_get_int64(jget(r, "address"));
	size_t n = strlen(hex) / 2;

	printf("%s port %d LD %d: %zu bytes at 0x%" PRIx64 "\n",
	       json_object_get_string(jget(r, "switch")),
	       json_object_get_int(jget(r, "port_id")),
	       json_object_get_int(jget(r, "ld_id")), n, address);
	for (size_t at = 0; at < n; at += 16)
		dump_line(address + at, hex + 2 * at, n - at < 16 ? n - at : 16);
}

/* The request and its answer must fit the switch's messages. */
static int check_size(struct change *c, const struct mem_args *a)
{
	size_t req, rsp, most;

	if (cxlsw_dev_request_limit(c->dev, &req) ||
	    cxlsw_dev_msg_limit(c->dev, &rsp))
		return cli_dev_fail(c->cmd, c->dev);
	if (req > sizeof(c->req))
		req = sizeof(c->req);
	if (rsp > sizeof(c->out))
		rsp = sizeof(c->out);
	most = a->write ? req - CXLSW_LD_MEM_HDR_LEN :
			  rsp - CXLSW_LD_MEM_RSP_HDR_LEN;
	most &= ~(size_t)3;
	if (a->length > most)
		return cli_fail(c->cmd, EXIT_USAGE,
				"%lu bytes do not fit %s's messages: at most %zu in one %s",
				a->length, cxlsw_dev_name(c->dev), most,
				a->write ? "write" : "read");
	return 0;
}

/*
 * One request; the answer buffer offered is no larger than the switch's
 * response limit (the driver refuses a larger one), where a plain change
 * would offer the catalog's 4100 bytes.
 */
static int send_mem(struct change *c, const struct change_opts *o,
		    bool (*progress)(const struct cxlsw_bg_status *st,
				     void *ctx),
		    void *pctx)
{
	size_t limit;
	int rc;

	(void)o;
	(void)progress;
	(void)pctx;
	rc = cxlsw_dev_msg_limit(c->dev, &limit);
	if (rc)
		return rc;
	c->out_len = limit < sizeof(c->out) ? limit : sizeof(c->out);
	return cxlsw_dev_send(c->dev, c->opcode, c->req, c->req_len, c->out,
			      &c->out_len);
}

static int check_mem(const struct switch_state *st, const void *args,
		     struct change *c)
{
	const struct mem_args *a = args;
	const struct cxlsw_port_state *p = state_port(st, a->port);
	struct cxlsw_ld_mem_request r = request_of(a);
	char pdesc[96];
	int code;

	if (!p)
		return cli_fail(c->cmd, EXIT_USAGE, "port %ld does not exist on %s",
				a->port, cxlsw_dev_name(c->dev));
	if (!ld_exists(c->cmd, p, a->ld))
		return EXIT_USAGE;
	code = check_size(c, a);
	if (code)
		return code;
	describe_port(p->port_id, p, (uint16_t)a->ld, pdesc, sizeof(pdesc));
	snprintf(c->what, sizeof(c->what),
		 "%s %lu byte(s) at address 0x%lx of the memory space of %s",
		 a->write ? "writes" : "reads", a->length, a->address, pdesc);
	if (a->write)
		describe_users(st, p->port_id, (uint16_t)a->ld, c->whom,
			       sizeof(c->whom));
	else
		snprintf(c->whom, sizeof(c->whom), "nobody");
	snprintf(c->args, sizeof(c->args), "port=%ld ld=%ld address=0x%lx length=%lu",
		 a->port, a->ld, a->address, a->length);
	c->port = p->port_id;
	c->opcode = CXLSW_OP_LD_MEMORY;
	c->answer = add_data;
	if (!a->write)
		c->human = read_human;
	c->send = send_mem;
	c->ctx = a;
	return cxlsw_ld_mem_encode(&r, c->req, sizeof(c->req), &c->req_len) ?
	       EXIT_USAGE : 0;
}

static int run_mem(const char *cmd, const struct argp *argp, bool write,
		   int argc, char **argv)
{
	struct mem_args *a = calloc(1, sizeof(*a));
	int code;

	if (!a)
		return cli_fail(cmd, EXIT_IO, "out of memory");
	a->write = write;
	a->port = -1;
	a->ld = -1;
	a->length = write ? 0 : 4;
	cli_parse(argp, cmd, argc, argv, a);
	code = change_run(cmd, a->name, a, check_mem,
			  write ? STATE_ALL : STATE_PORTS, &a->change);
	free(a);
	return code;
}

int cmd_mem_read(int argc, char **argv)
{
	return run_mem("mem-read", &read_argp, false, argc, argv);
}

int cmd_mem_write(int argc, char **argv)
{
	return run_mem("mem-write", &write_argp, true, argc, argv);
}
