// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mctp-probe: one raw AF_MCTP request, for checking what the emulator's
 * MCTP side (mctp.c) does with messages the tool never sends.
 *
 *   mctp-probe NET:EID TYPE HEX
 *
 * sends the bytes HEX (a CCI message, header included) as MCTP message
 * type TYPE with the tag owner bit, waits 500 ms and prints the answer in
 * hex, or "no answer".  Exit 0 either way, 1 when a call fails.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/mctp.h>

static size_t unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	unsigned int b;

	while (n < cap && sscanf(s, "%2x", &b) == 1) {
		out[n++] = (unsigned char)b;
		s += 2;
	}
	return n;
}

int main(int argc, char **argv)
{
	struct sockaddr_mctp to = { .smctp_family = AF_MCTP,
				    .smctp_tag = MCTP_TAG_OWNER };
	struct sockaddr_mctp from;
	socklen_t flen = sizeof(from);
	unsigned char msg[4096], ans[4096];
	unsigned int net, eid, type;
	struct pollfd pfd;
	ssize_t n;
	size_t len;

	if (argc != 4 || sscanf(argv[1], "%u:%u", &net, &eid) != 2 ||
	    sscanf(argv[2], "%i", &type) != 1) {
		fprintf(stderr, "usage: mctp-probe NET:EID TYPE HEX\n");
		return 2;
	}
	to.smctp_network = net;
	to.smctp_addr.s_addr = eid;
	to.smctp_type = type;
	len = unhex(argv[3], msg, sizeof(msg));
	pfd.fd = socket(AF_MCTP, SOCK_DGRAM, 0);
	pfd.events = POLLIN;
	if (pfd.fd < 0 || sendto(pfd.fd, msg, len, 0, (struct sockaddr *)&to,
				 sizeof(to)) != (ssize_t)len) {
		perror("mctp-probe");
		return 1;
	}
	if (poll(&pfd, 1, 500) != 1) {
		printf("no answer\n");
		return 0;
	}
	n = recvfrom(pfd.fd, ans, sizeof(ans), 0, (struct sockaddr *)&from,
		     &flen);
	if (n < 0) {
		perror("mctp-probe");
		return 1;
	}
	printf("type 0x%02x tag 0x%02x:", from.smctp_type, from.smctp_tag);
	for (ssize_t i = 0; i < n; i++)
		printf(" %02x", ans[i]);
	printf("\n");
	return 0;
}
