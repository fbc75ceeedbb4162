// SPDX-License-Identifier: GPL-2.0-or-later
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
 * none, every class may be sent (still behind --force or a confirmation).
 * Read-only commands are never refused.  A file that cannot be read or
 * parsed refuses every change, and says why.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define LINE_MAX_LEN	512

struct rule {
	bool allow;
	unsigned int classes;		/* bit per enum cxlsw_effect */
	char switches[LINE_MAX_LEN];	/* ",a,b," or "" for any */
	bool any_port;
	uint8_t ports[CXLSW_BITMAP_BYTES];
};

const char *policy_path(void)
{
	const char *env = getenv(POLICY_ENV);

	return env && *env ? env : POLICY_DEFAULT_PATH;
}

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
	char needle[128];

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

static void policy_load(void)
{
	const char *path = policy_path();
	char line[LINE_MAX_LEN], err[256];
	int lineno = 0, rc = 0;
	struct rule r;
	FILE *f;

	policy.loaded = true;
	f = fopen(path, "re");
	if (!f && errno == ENOENT)
		return;
	policy.exists = true;
	if (!f) {
		snprintf(policy.broken, sizeof(policy.broken),
			 "policy file %s cannot be read (%s): every change is refused",
			 path, strerror(errno));
		return;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		lineno++;
		rc = parse_line(line, &r, err, sizeof(err));
		if (!rc)
			rc = add_rule(&r, lineno);
		else if (rc > 0)
			rc = 0;
	}
	fclose(f);
	if (rc)
		snprintf(policy.broken, sizeof(policy.broken),
			 "policy file %s:%d: %s: every change is refused", path,
			 lineno, rc == -ENOMEM ? "out of memory" : err);
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
			 policy_path(), cxlsw_effect_name(effect), sw,
			 port >= 0 ? " on this port" : "");
		return false;
	}
	if (!policy.rules[decided - 1].allow) {
		snprintf(why, len, "%s:%d denies %s changes to %s",
			 policy_path(), policy.lines[decided - 1],
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
