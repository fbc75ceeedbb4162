// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The machine-wide policy file: which effect classes may be sent, to which
 * switches and ports.  An administrator gives an ordinary host a safe
 * subset and a BMC everything.
 *
 *   # allow|deny CLASSES [switch=NAME[,NAME...]] [ports=LIST]
 *   allow switch-config,host-visible switch=switch0 ports=8-15
 *   deny  firmware-security
 *
 * CLASSES are effect classes (read-only, switch-config, host-visible,
 * firmware-security) or "all".  The last line that matches a change
 * decides.  With a policy file, a change no line allows is refused; with
 * none, every class may be sent (still behind --force or a confirmation),
 * and the audit log says there was no policy.  Read-only commands are
 * never refused.
 *
 * Only an administrator can change the policy: the path is fixed (no
 * variable or option names another), and the file must be a regular file
 * owned by root and writable by no one else, reached through directories
 * and links only root can change (policy-path.c).  A file that fails
 * that, cannot be read or does not parse refuses every change, and says
 * why.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"

#define LINE_MAX_LEN	512

struct rule {
	bool allow;
	unsigned int classes;		/* bit per enum cxlsw_effect */
	char switches[LINE_MAX_LEN];	/* ",a,b," or "" for any */
	bool any_port;
	uint8_t ports[CXLSW_BITMAP_BYTES];
};

static int parse_classes(const char *list, unsigned int *classes,
			 char *err, size_t len)
{
	char *copy = strdup(list), *rest = copy, *word;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	*classes = 0;
	while (!rc && (word = strsep(&rest, ","))) {
		unsigned int e;

		if (!strcmp(word, "all")) {
			*classes = (1u << CXLSW_EFFECT_COUNT) - 1;
			continue;
		}
		for (e = 0; e < CXLSW_EFFECT_COUNT; e++)
			if (!strcmp(word, cxlsw_effect_name(e)))
				break;
		if (e == CXLSW_EFFECT_COUNT) {
			snprintf(err, len, "unknown effect class '%s' (read-only, switch-config, host-visible, firmware-security, all)",
				 word);
			rc = -EINVAL;
		}
		*classes |= 1u << e;
	}
	free(copy);
	return rc;
}

static int parse_option(char *tok, struct rule *r, char *err, size_t len)
{
	char *eq = strchr(tok, '=');

	if (eq)
		*eq++ = '\0';
	if (eq && !strcmp(tok, "switch") && *eq) {
		snprintf(r->switches, sizeof(r->switches), ",%s,", eq);
		return 0;
	}
	if (eq && !strcmp(tok, "ports")) {
		r->any_port = false;
		return parse_id_list(eq, CXLSW_MAX_PORTS - 1, r->ports, err,
				     len);
	}
	snprintf(err, len, "unknown setting '%s%s%s' (switch=NAMES, ports=LIST)",
		 tok, eq ? "=" : "", eq ? eq : "");
	return -EINVAL;
}

/* One line into a rule; 1 for a blank or comment line. */
static int parse_line(char *line, struct rule *r, char *err, size_t len)
{
	char *save = NULL, *tok;
	int rc;

	line[strcspn(line, "#\n")] = '\0';
	tok = strtok_r(line, " \t", &save);
	if (!tok)
		return 1;
	memset(r, 0, sizeof(*r));
	r->any_port = true;
	if (strcmp(tok, "allow") && strcmp(tok, "deny")) {
		snprintf(err, len, "a rule starts with allow or deny, not '%s'",
			 tok);
		return -EINVAL;
	}
	r->allow = !strcmp(tok, "allow");
	tok = strtok_r(NULL, " \t", &save);
	if (!tok) {
		snprintf(err, len, "no effect classes after '%s'",
			 r->allow ? "allow" : "deny");
		return -EINVAL;
	}
	rc = parse_classes(tok, &r->classes, err, len);
	while (!rc && (tok = strtok_r(NULL, " \t", &save)))
		rc = parse_option(tok, r, err, len);
	return rc;
}

static bool rule_matches(const struct rule *r, enum cxlsw_effect effect,
			 const char *sw, int port)
{
	char needle[LINE_MAX_LEN + 2];

	if (!(r->classes & (1u << effect)))
		return false;
	snprintf(needle, sizeof(needle), ",%s,", sw);
	if (r->switches[0] && !strstr(r->switches, needle))
		return false;
	return r->any_port || (port >= 0 && cxlsw_bit_test(r->ports, port));
}

/* The file is read once per run; `commands` asks many questions of it. */
static struct {
	bool loaded;
	bool exists;
	char broken[384];	/* why every change is refused, or "" */
	struct rule *rules;
	int *lines;
	size_t count;
} policy;

static int add_rule(const struct rule *r, int lineno)
{
	struct rule *rules = realloc(policy.rules,
				     (policy.count + 1) * sizeof(*rules));
	int *lines = rules ? realloc(policy.lines,
				     (policy.count + 1) * sizeof(*lines)) : NULL;

	if (rules)
		policy.rules = rules;
	if (!lines)
		return -ENOMEM;
	policy.lines = lines;
	policy.rules[policy.count] = *r;
	policy.lines[policy.count++] = lineno;
	return 0;
}

static void refuse_all(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void refuse_all(const char *fmt, ...)
{
	char why[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(policy.broken, sizeof(policy.broken),
		 "policy file %s: every change is refused", why);
}

/*
 * One line of the file, len bytes without its '\n'.  What a line cannot
 * hold is an error at that line, never cut or dropped silently: a NUL
 * byte (the C string would end there), a carriage return (CRLF files),
 * more than LINE_MAX_LEN - 1 bytes.
 */
static int check_line(const char *line, size_t len, char *err, size_t elen)
{
	if (memchr(line, '\0', len)) {
		snprintf(err, elen, "a NUL byte in the line");
		return -EINVAL;
	}
	if (memchr(line, '\r', len)) {
		snprintf(err, elen, "a carriage return in the line (write the file with LF line ends)");
		return -EINVAL;
	}
	if (len >= LINE_MAX_LEN) {
		snprintf(err, elen, "the line is longer than %d bytes",
			 LINE_MAX_LEN - 1);
		return -EINVAL;
	}
	return 0;
}

int policy_parse_text(const char *name, const char *text, size_t size)
{
	char line[LINE_MAX_LEN], err[256];
	int lineno = 0, rc = 0;
	struct rule r;

	policy.loaded = policy.exists = true;
	for (size_t at = 0; !rc && at < size; ) {
		const char *nl = memchr(text + at, '\n', size - at);
		size_t len = (nl ? (size_t)(nl - text) : size) - at;

		lineno++;
		rc = check_line(text + at, len, err, sizeof(err));
		if (!rc) {
			memcpy(line, text + at, len);
			line[len] = '\0';
			rc = parse_line(line, &r, err, sizeof(err));
			if (!rc)
				rc = add_rule(&r, lineno);
			else if (rc > 0)
				rc = 0;
		}
		at += len + 1;
	}
	if (rc)
		refuse_all("%s:%d: %s", name, lineno,
			   rc == -ENOMEM ? "out of memory" : err);
	return rc;
}

/* What the file holds: at most this much, read whole before parsing. */
#define POLICY_MAX_BYTES	(1 << 20)

static void read_policy(int fd, const char *name)
{
	char *text = malloc(POLICY_MAX_BYTES + 1);
	size_t size = 0;
	ssize_t n = 1;

	if (!text) {
		refuse_all("%s: out of memory", name);
		return;
	}
	while (n > 0 && size <= POLICY_MAX_BYTES) {
		n = read(fd, text + size, POLICY_MAX_BYTES + 1 - size);
		if (n < 0 && errno == EINTR)
			n = 1;
		else if (n > 0)
			size += (size_t)n;
	}
	if (n < 0)
		refuse_all("%s cannot be read (%s)", name, strerror(errno));
	else if (size > POLICY_MAX_BYTES)
		refuse_all("%s is larger than %d bytes", name,
			   POLICY_MAX_BYTES);
	else
		policy_parse_text(name, text, size);
	free(text);
}

static void policy_load(void)
{
	char path[PATH_MAX], why[320];
	struct stat st;
	int fd, rc;

	policy.loaded = true;
	rc = policy_trusted_path(POLICY_PATH, path, sizeof(path), why,
				 sizeof(why));
	if (rc == -ENOENT)
		return;		/* no file: the documented default */
	policy.exists = true;
	if (rc) {
		refuse_all("%s", why);
		return;
	}
	/* O_NONBLOCK: a FIFO put there must not hang us before fstat */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		refuse_all("%s cannot be opened (%s)", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st))
		refuse_all("%s cannot be checked (%s)", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		refuse_all("%s is not a regular file", path);
	else if (st.st_uid != 0)
		refuse_all("%s is owned by uid %u, not root", path,
			   (unsigned int)st.st_uid);
	else if (st.st_mode & (S_IWGRP | S_IWOTH))
		refuse_all("%s is writable by group or others (mode %04o)",
			   path, (unsigned int)(st.st_mode & 07777));
	else
		read_policy(fd, POLICY_PATH);
	close(fd);
}

const char *policy_state(void)
{
	if (!policy.loaded)
		policy_load();
	if (policy.broken[0])
		return "broken";
	return policy.exists ? POLICY_PATH : "none";
}

bool policy_allows(enum cxlsw_effect effect, const char *sw, int port,
		   char *why, size_t len)
{
	size_t decided = 0;

	if (effect == CXLSW_EFFECT_READ_ONLY)
		return true;
	if (!policy.loaded)
		policy_load();
	if (policy.broken[0]) {
		snprintf(why, len, "%s", policy.broken);
		return false;
	}
	if (!policy.exists)
		return true;
	for (size_t i = 0; i < policy.count; i++)
		if (rule_matches(&policy.rules[i], effect, sw, port))
			decided = i + 1;
	if (!decided) {
		snprintf(why, len, "no rule of %s allows %s changes to %s%s",
			 POLICY_PATH, cxlsw_effect_name(effect), sw,
			 port >= 0 ? " on this port" : "");
		return false;
	}
	if (!policy.rules[decided - 1].allow) {
		snprintf(why, len, "%s:%d denies %s changes to %s",
			 POLICY_PATH, policy.lines[decided - 1],
			 cxlsw_effect_name(effect), sw);
		return false;
	}
	return true;
}

void policy_release(void)
{
	free(policy.rules);
	free(policy.lines);
	memset(&policy, 0, sizeof(policy));
}
