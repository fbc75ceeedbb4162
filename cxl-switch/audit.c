// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The audit log: a line before a change is sent (its intent), a line
 * with its result, and a line for every refusal, in syslog (LOG_USER,
 * LOG_NOTICE, tag cxl-switch):
 *
 *   user=NAME uid=UID switch=SWITCH serial=SERIAL target=TARGET
 *   command=CMD opcode=0xOPCD (NAME) args="ARGS" policy=POLICY
 *   result=RESULT
 *
 * SWITCH is the canonical name and SERIAL the Identify serial number,
 * whatever path named the switch; TARGET is "switch" or the device behind
 * it ("port 5 LD 2").  Every byte of a value that could break the line
 * (control characters, DEL, '"' and '\') is written as \xHH, so a value
 * cannot start a line of its own or end a quoted one; nothing is cut.
 *
 * glibc's syslog() says nothing when the line is lost, so the datagram
 * is built and sent to /dev/log here (RFC 3164, as glibc writes it) and
 * a change whose intent cannot be logged is refused.
 */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>

#include "cli.h"

#define LOG_SOCKET	"/dev/log"

/* text with every byte that could break the line as \xHH; malloc'd */
static char *escaped(const char *text)
{
	size_t n = strlen(text);
	char *out = malloc(4 * n + 1), *p = out;

	if (!out)
		return NULL;
	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '"' || *s == '\\')
			p += sprintf(p, "\\x%02x", *s);
		else
			*p++ = (char)*s;
	}
	*p = '\0';
	return out;
}

static int send_to(int type, const char *msg, size_t len, char *why,
		   size_t wlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX,
				    .sun_path = LOG_SOCKET };
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
	ssize_t n;

	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = errno;

		snprintf(why, wlen, "%s: %s", LOG_SOCKET, strerror(err));
		if (fd >= 0)
			close(fd);
		return -err;
	}
	/* a stream socket takes the NUL as the end of the message */
	n = send(fd, msg, len + (type == SOCK_STREAM), MSG_NOSIGNAL);
	if (n < 0)
		snprintf(why, wlen, "%s: %s", LOG_SOCKET, strerror(errno));
	else if ((size_t)n != len + (type == SOCK_STREAM))
		snprintf(why, wlen, "%s: the line was cut", LOG_SOCKET);
	close(fd);
	return n == (ssize_t)(len + (type == SOCK_STREAM)) ? 0 : -EIO;
}

/* One message to syslog; 0, or -errno with why. */
static int log_write(const char *text, char *why, size_t wlen)
{
	char stamp[32], *msg = NULL;
	struct tm tm;
	time_t now = time(NULL);
	int len, rc;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%h %e %T", &tm);
	len = asprintf(&msg, "<%d>%s cxl-switch[%d]: %s", LOG_USER | LOG_NOTICE,
		       stamp, (int)getpid(), text);
	if (len < 0) {
		snprintf(why, wlen, "out of memory");
		return -ENOMEM;
	}
	rc = send_to(SOCK_DGRAM, msg, (size_t)len, why, wlen);
	if (rc == -EPROTOTYPE)
		rc = send_to(SOCK_STREAM, msg, (size_t)len, why, wlen);
	free(msg);
	return rc;
}

int audit_log(const struct audit_entry *e, const char *result, char *why,
	      size_t wlen)
{
	struct passwd *pw = getpwuid(getuid());
	const char *fields[] = { pw ? pw->pw_name : "?", e->sw, e->target,
				 e->cmd, e->name, e->args, result };
	char *esc[ARRAY_SIZE(fields)] = { NULL }, serial[24], *line = NULL;
	int rc = -ENOMEM;

	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (!(esc[i] = escaped(fields[i] ? fields[i] : "")))
			goto out;
	if (e->have_serial)
		snprintf(serial, sizeof(serial), "0x%016llx",
			 (unsigned long long)e->serial);
	else
		snprintf(serial, sizeof(serial), "unknown");
	if (asprintf(&line, "user=%s uid=%u switch=%s serial=%s target=\"%s\" command=%s opcode=0x%04x (%s) args=\"%s\" policy=%s result=%s",
		     esc[0], (unsigned int)getuid(), esc[1], serial, esc[2],
		     esc[3], e->opcode, esc[4], esc[5], policy_state(),
		     esc[6]) < 0) {
		line = NULL;
		goto out;
	}
	rc = log_write(line, why, wlen);
out:
	if (rc == -ENOMEM)
		snprintf(why, wlen, "out of memory");
	for (size_t i = 0; i < ARRAY_SIZE(esc); i++)
		free(esc[i]);
	free(line);
	return rc;
}

void audit_refusal(const char *cmd, const char *sw, uint16_t opcode,
		   const char *args, const char *fmt, ...)
{
	struct audit_entry e = { .cmd = cmd, .sw = sw, .target = "switch",
				 .opcode = opcode, .args = args };
	const struct cxlsw_command *c = cxlsw_catalog_find(opcode);
	char *result = NULL, why[256];
	va_list ap;

	e.name = c ? c->name : opcode >= CXLSW_VENDOR_OPCODE_MIN ? "vendor" :
		 "none";
	va_start(ap, fmt);
	if (vasprintf(&result, fmt, ap) < 0)
		result = NULL;
	va_end(ap);
	if (!result || audit_log(&e, result, why, sizeof(why)))
		fprintf(stderr, "cxl-switch %s: warning: the audit log did not take this line (%s): %s\n",
			cmd, result ? why : "out of memory",
			result ? result : "");
	free(result);
}
