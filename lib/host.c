// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The host's side: which CXL memory devices this host's kernel sees, and
 * their serial numbers, through ndctl's libcxl.  A device behind the
 * switch that a host has enumerated carries the same serial number, so
 * the two can be matched without any help from the switch.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <cxl/libcxl.h>

#include "private.h"

/* The library never prints: libcxl's own complaints are dropped. */
static void quiet(struct cxl_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *format, va_list args)
{
	(void)ctx; (void)priority; (void)file; (void)line; (void)fn;
	(void)format; (void)args;
}

int cxlsw_host_memdevs(struct cxlsw_host_memdev **list, size_t *count)
{
	struct cxlsw_host_memdev *l = NULL, *grown;
	struct cxl_memdev *memdev;
	struct cxl_ctx *ctx;
	size_t n = 0;
	int rc;

	*list = NULL;
	*count = 0;
	rc = cxl_new(&ctx);
	if (rc)
		return rc < 0 ? rc : -ENOMEM;
	cxl_set_log_fn(ctx, quiet);
	cxl_memdev_foreach(ctx, memdev) {
		grown = realloc(l, (n + 1) * sizeof(*l));
		if (!grown) {
			free(l);
			cxl_unref(ctx);
			return -ENOMEM;
		}
		l = grown;
		snprintf(l[n].name, sizeof(l[n].name), "%s",
			 cxl_memdev_get_devname(memdev));
		l[n].serial = cxl_memdev_get_serial(memdev);
		n++;
	}
	cxl_unref(ctx);
	*list = l;
	*count = n;
	return 0;
}

const char *cxlsw_host_memdev_find(const struct cxlsw_host_memdev *list,
				   size_t count, uint64_t serial)
{
	/* libcxl reports ULLONG_MAX when the kernel gave no serial */
	if (serial == UINT64_MAX)
		return NULL;
	for (size_t i = 0; i < count; i++)
		if (list[i].serial == serial)
			return list[i].name;
	return NULL;
}
