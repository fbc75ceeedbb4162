// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * probe: a tiny CXL mailbox client for checking the emulator by hand or
 * from test scripts, independent of the tool.
 *
 *   probe list
 *       list /sys/bus/cxl/devices/switch* and their "dev" attribute
 *   probe [options] DEVNODE OPCODE [IN-HEX]
 *       send one raw command, print "rc=0xNN len=N" and the answer in hex
 *       (at most -o bytes of it; or, on ioctl failure, "errno=NAME") and
 *       exit 0
 *
 * Options bend the command struct to exercise the driver checks:
 *   -o N  out.size (default 2048)   -i N  in.size (default: IN-HEX's)
 *   -I N  id (default RAW)             -f N  flags
 *   -r    set raw.rsvd                 -n    NULL in.payload
 *   -N    NULL out.payload             -b N  send it N times, print timing
 *   -q N  send ioctl request N instead of CXL_MEM_SEND_COMMAND
 *   -A    pass a NULL argument to the ioctl
 *   -t ID[:TYPE]  tunnel: wrap the command in a Tunnel Management Command
 *         (0x5300) to port or LD ID, target type TYPE (default 0); give
 *         it again to nest (outermost first). Each level's header is
 *         decoded on a "tunnel" line after the raw answer; the inner
 *         messages' tags are 0x41, 0x42, ... by level.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/cxl_mem.h>

struct probe_opts {
	uint32_t out_size;
	long in_size;
	uint32_t id;
	uint32_t flags;
	int rsvd, null_in, null_out, null_arg;
	long bench;
	unsigned long request;
	unsigned int nr_tunnel;
	struct { uint8_t id, type; } tunnel[8];
};

static int list(void)
{
	DIR *d = opendir("/sys/bus/cxl/devices");
	struct dirent *e;

	if (!d) {
		perror("opendir /sys/bus/cxl/devices");
		return 1;
	}
	while ((e = readdir(d))) {
		char path[512], buf[64] = "";
		FILE *f;

		if (strncmp(e->d_name, "switch", 6))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/cxl/devices/%s/dev",
			 e->d_name);
		f = fopen(path, "r");
		if (f && fgets(buf, sizeof(buf), f))
			buf[strcspn(buf, "\n")] = '\0';
		if (f)
			fclose(f);
		printf("%s dev=%s\n", e->d_name, buf);
	}
	closedir(d);
	return 0;
}

static size_t parse_hex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	while (s[0] && s[1] && n < cap) {
		unsigned int v;

		if (sscanf(s, "%2x", &v) != 1)
			break;
		buf[n++] = v;
		s += 2;
	}
	return n;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* wrap in[] in the tunnels, innermost last; the opcode becomes 0x5300 */
static size_t wrap(const struct probe_opts *o, uint16_t *opcode, uint8_t *in,
		   size_t in_len)
{
	for (int l = o->nr_tunnel - 1; l >= 0; l--) {
		memmove(in + 16, in, in_len);
		in[0] = o->tunnel[l].id;
		in[1] = o->tunnel[l].type;
		in[2] = (in_len + 12) & 0xff;
		in[3] = (in_len + 12) >> 8;
		memset(in + 4, 0, 12);
		in[5] = 0x41 + l;
		in[7] = *opcode & 0xff;
		in[8] = *opcode >> 8;
		in[9] = in_len & 0xff;
		in[10] = in_len >> 8;
		in[11] = (in_len >> 16) & 0x1f;
		in_len += 16;
		*opcode = 0x5300;
	}
	return in_len;
}

/* one line per tunnel level: what the headers say */
static void unwrap(const struct probe_opts *o, const uint8_t *out,
		   size_t len)
{
	for (unsigned int l = 0; l < o->nr_tunnel && len >= 16; l++) {
		const uint8_t *h = out + 4;
		uint32_t plen = h[5] | h[6] << 8 | (uint32_t)h[7] << 16;

		printf("tunnel %u: resp_len=%u cat=%u tag=0x%02x op=0x%02x%02x "
		       "len=%u bg=%u rc=0x%02x\n", l, out[0] | out[1] << 8,
		       h[0], h[1], h[4], h[3], plen & 0x1fffff, plen >> 23,
		       h[8] | h[9] << 8);
		if ((h[8] | h[9] << 8) != 0)
			break;
		out += 16;
		len -= 16;
	}
}

static int send_cmd(int fd, struct probe_opts *o, uint16_t opcode, uint8_t *in,
		size_t in_len, uint8_t *out)
{
	struct cxl_send_command cmd;
	double t0 = now_us();
	long runs = o->bench ? o->bench : 1;
	uint32_t shown;
	int rc = 0;

	for (long i = 0; i < runs; i++) {
		memset(&cmd, 0, sizeof(cmd));
		cmd.id = o->id;
		cmd.flags = o->flags;
		cmd.raw.opcode = opcode;
		cmd.raw.rsvd = o->rsvd;
		cmd.in.size = o->in_size >= 0 ? o->in_size : (long)in_len;
		cmd.in.payload = o->null_in ? 0 : (uintptr_t)in;
		cmd.out.size = o->out_size;
		cmd.out.payload = o->null_out ? 0 : (uintptr_t)out;
		rc = ioctl(fd, o->request, o->null_arg ? NULL : &cmd);
		if (rc)
			break;
	}
	if (o->bench)
		printf("%ld ioctls, %.1f us each\n", runs,
		       (now_us() - t0) / runs);
	if (rc) {
		printf("errno=%s\n", strerrorname_np(errno));
		return 0;
	}
	printf("rc=0x%02x len=%u\n", cmd.retval, cmd.out.size);
	if (!cmd.retval)
		unwrap(o, out, cmd.out.size < o->out_size ? cmd.out.size :
		       o->out_size);
	/* a lying driver (--fail OP:overclaim=K) may claim more */
	shown = cmd.out.size < o->out_size ? cmd.out.size : o->out_size;
	if (o->null_out)
		shown = 0;
	for (uint32_t i = 0; i < shown; i++)
		printf("%02x%s", out[i], (i % 16 == 15 ||
		       i + 1 == shown) ? "\n" : " ");
	if (shown < cmd.out.size)
		printf("(%u bytes past out.size %u not shown)\n",
		       cmd.out.size - shown, o->out_size);
	return 0;
}

int main(int argc, char **argv)
{
	struct probe_opts o = { .out_size = 2048, .in_size = -1,
		.id = CXL_MEM_COMMAND_ID_RAW, .request = CXL_MEM_SEND_COMMAND };
	static uint8_t in[1 << 21], out[1 << 21];
	size_t in_len = 0;
	uint16_t opcode;
	int c, fd, rc;

	if (argc == 2 && !strcmp(argv[1], "list"))
		return list();
	while ((c = getopt(argc, argv, "o:i:I:f:rnNAb:q:t:")) != -1) {
		switch (c) {
		case 'o': o.out_size = strtoul(optarg, NULL, 0); break;
		case 'i': o.in_size = strtol(optarg, NULL, 0); break;
		case 'I': o.id = strtoul(optarg, NULL, 0); break;
		case 'f': o.flags = strtoul(optarg, NULL, 0); break;
		case 'r': o.rsvd = 1; break;
		case 'n': o.null_in = 1; break;
		case 'N': o.null_out = 1; break;
		case 'A': o.null_arg = 1; break;
		case 'b': o.bench = strtol(optarg, NULL, 0); break;
		case 'q': o.request = strtoul(optarg, NULL, 0); break;
		case 't': {
			char *colon;

			if (o.nr_tunnel == 8)
				return 2;
			o.tunnel[o.nr_tunnel].id = strtoul(optarg, &colon, 0);
			o.tunnel[o.nr_tunnel].type = *colon == ':' ?
				strtoul(colon + 1, NULL, 0) : 0;
			o.nr_tunnel++;
			break;
		}
		default: return 2;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: probe list | probe [opts] DEV OPCODE [HEX]\n");
		return 2;
	}
	if (argc - optind > 2)
		in_len = parse_hex(argv[optind + 2], in, sizeof(in));
	fd = open(argv[optind], O_RDWR);
	if (fd < 0) {
		perror(argv[optind]);
		return 1;
	}
	opcode = strtoul(argv[optind + 1], NULL, 16);
	in_len = wrap(&o, &opcode, in, in_len);
	rc = send_cmd(fd, &o, opcode, in, in_len, out);
	close(fd);
	return rc;
}
