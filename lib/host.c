// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The host's side: which CXL memory devices this host's kernel sees, and
 * their serial numbers, through ndctl's libcxl.  A device behind the
 * switch that a host has enumerated carries the same serial number, so
 * the two can be matched without any help from the switch.
 *
 * libcxl is opened when it is first needed rather than linked: it brings
 * libkmod, libudev and libcrypto along, which would double the start-up
 * cost and memory of every command, most of which never ask the host.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cxl/libcxl.h>

#include "private.h"

#define LIBCXL_SONAME	"libcxl.so.1"

typedef void (*cxl_log_fn)(struct cxl_ctx *ctx, int priority,
			   const char *file, int line, const char *fn,
			   const char *format, va_list args);

struct libcxl {
	void *handle;
	int (*new_ctx)(struct cxl_ctx **ctx);
	void (*unref)(struct cxl_ctx *ctx);
	void (*set_log_fn)(struct cxl_ctx *ctx, cxl_log_fn fn);
	struct cxl_memdev *(*first)(struct cxl_ctx *ctx);
	struct cxl_memdev *(*next)(struct cxl_memdev *memdev);
	unsigned long long (*serial)(struct cxl_memdev *memdev);
	const char *(*devname)(struct cxl_memdev *memdev);
};

/* The library never prints: libcxl's own complaints are dropped. */
static void quiet(struct cxl_ctx *ctx, int priority, const char *file,
		  int line, const char *fn, const char *format, va_list args)
{
	(void)ctx; (void)priority; (void)file; (void)line; (void)fn;
	(void)format; (void)args;
}

#define SYM(l, field, name) \
	(*(void **)&(l)->field = dlsym((l)->handle, name))

static int libcxl_open(struct libcxl *l)
{
	l->handle = dlopen(LIBCXL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!l->handle)
		return -ENOENT;
	if (!SYM(l, new_ctx, "cxl_new") || !SYM(l, unref, "cxl_unref") ||
	    !SYM(l, set_log_fn, "cxl_set_log_fn") ||
	    !SYM(l, first, "cxl_memdev_get_first") ||
	    !SYM(l, next, "cxl_memdev_get_next") ||
	    !SYM(l, serial, "cxl_memdev_get_serial") ||
	    !SYM(l, devname, "cxl_memdev_get_devname")) {
		dlclose(l->handle);
		return -ENOSYS;
	}
	return 0;
}

static int collect(const struct libcxl *l, struct cxl_ctx *ctx,
		   struct cxlsw_host_memdev **list, size_t *count)
{
	struct cxlsw_host_memdev *grown;
	struct cxl_memdev *memdev;

	for (memdev = l->first(ctx); memdev; memdev = l->next(memdev)) {
		grown = realloc(*list, (*count + 1) * sizeof(**list));
		if (!grown)
			return -ENOMEM;
		*list = grown;
		snprintf(grown[*count].name, sizeof(grown[*count].name), "%s",
			 l->devname(memdev));
		grown[*count].serial = l->serial(memdev);
		(*count)++;
	}
	return 0;
}

/*
 * Whether the kernel shows any CXL memdev at all (the cxl_mem driver
 * names them memN on the cxl bus): without one there is nothing to
 * match, and loading libcxl (libkmod, libudev, libcrypto: millions of
 * instructions and a megabyte) would be paid for nothing.
 */
static bool host_has_memdevs(void)
{
	DIR *d = opendir("/sys/bus/cxl/devices");
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d)))
		found = !strncmp(e->d_name, "mem", 3);
	closedir(d);
	return found;
}

int cxlsw_host_memdevs(struct cxlsw_host_memdev **list, size_t *count)
{
	struct cxl_ctx *ctx;
	struct libcxl l;
	int rc;

	*list = NULL;
	*count = 0;
	if (!host_has_memdevs())
		return 0;
	rc = libcxl_open(&l);
	if (rc)
		return rc;
	rc = l.new_ctx(&ctx);
	if (!rc) {
		l.set_log_fn(ctx, quiet);
		rc = collect(&l, ctx, list, count);
		l.unref(ctx);
	} else if (rc > 0) {
		rc = -ENOMEM;
	}
	dlclose(l.handle);
	if (rc) {
		free(*list);
		*list = NULL;
		*count = 0;
	}
	return rc;
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
