// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libFuzzer target: mctpd's GetManagedObjects answer as busctl
 * --json=short prints it, parsed into the CXL endpoints list shows
 * (cxl-switch/mctpd.c).  Every endpoint kept must be a valid one.
 */
#include <stdlib.h>
#include <string.h>

#include "../../cxl-switch/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mctpd_endpoint *eps;
	char *text = strndup((const char *)data, size), why[160];
	size_t n;

	if (!text)
		return 0;
	if (!mctpd_parse(text, &eps, &n, why, sizeof(why))) {
		for (size_t i = 0; i < n; i++)
			if (eps[i].eid < 8 || eps[i].eid > 254 || !eps[i].types ||
			    (i && eps[i - 1].net == eps[i].net &&
			     eps[i - 1].eid > eps[i].eid))
				abort();
		free(eps);
	}
	free(text);
	return 0;
}
