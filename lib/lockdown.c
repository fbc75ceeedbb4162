// SPDX-License-Identifier: LGPL-2.1-or-later
/* The kernel's lockdown mode: raw commands are refused unless it is none. */
#include <errno.h>
#include <stdio.h>

#include "private.h"

#define LOCKDOWN_PATH	"/sys/kernel/security/lockdown"

/* The file reads like "none [integrity] confidentiality". */
int cxlsw_kernel_lockdown(char *mode, size_t len)
{
	char line[128], *open, *close;
	FILE *f = fopen(LOCKDOWN_PATH, "re");

	if (!f) {
		if (errno != ENOENT)
			return -errno;
		snprintf(mode, len, "none");	/* no LSM: no lockdown */
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
