// SPDX-License-Identifier: LGPL-2.1-or-later
/* The kernel's lockdown mode: raw commands are refused unless it is none. */
#include <errno.h>
#include <stdio.h>

#include "private.h"

#define LOCKDOWN_PATH	"/sys/kernel/security/lockdown"

/* Does the running kernel know securityfs (/proc/filesystems)? */
static bool has_securityfs(void)
{
	char line[128];
	bool found = false;
	FILE *f = fopen("/proc/filesystems", "re");

	if (!f)
		return true;	/* cannot tell: assume the worst */
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "nodev\tsecurityfs\n");
	fclose(f);
	return found;
}

/*
 * The file reads like "none [integrity] confidentiality".  Without it, a
 * kernel that has securityfs may have it unmounted or hidden from us: the
 * mode is unknown (-ENOENT), and raw commands are refused.  Only a kernel
 * without securityfs has no lockdown at all.
 */
int cxlsw_kernel_lockdown(char *mode, size_t len)
{
	char line[128], *open, *close;
	FILE *f = fopen(LOCKDOWN_PATH, "re");

	if (!f) {
		if (errno != ENOENT)
			return -errno;
		if (has_securityfs())
			return -ENOENT;
		snprintf(mode, len, "none");	/* no securityfs: no lockdown */
		return 0;
	}
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	open = strchr(line, '[');
	close = open ? strchr(open, ']') : NULL;
	if (!close)
		return -EINVAL;
	snprintf(mode, len, "%.*s", (int)(close - open - 1), open + 1);
	return 0;
}
