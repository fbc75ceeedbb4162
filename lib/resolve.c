// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a SWITCH argument names: "switchN", or a path to the switch's
 * character device however it is reached (/dev/cxl/switch0,
 * /dev/char/250:0, a link).  The path is checked before it is opened,
 * so that nothing else (a regular file, a FIFO, /dev/null, another
 * driver's node) is ever opened read-write or sent an ioctl:
 *
 *   stat(path)                      a character device MAJ:MIN
 *   /sys/dev/char/MAJ:MIN           a link to the device, named switchN
 *   /sys/bus/cxl/devices/switchN/dev  says MAJ:MIN too
 *
 * The device is then known by its canonical name, switchN, whatever the
 * command line called it: the policy and the audit log use that name.
 * On failure the caller frees *canon and *path (either may be NULL).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "private.h"

#define SYS_DEV_CHAR	"/sys/dev/char"

static const char *file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFBLK:
		return "a block device";
	default:
		return "not a device";
	}
}

static int not_a_switch(struct cxlsw_error *err, int errnum, const char *fmt,
			...) __attribute__((format(printf, 3, 4)));

static int not_a_switch(struct cxlsw_error *err, int errnum, const char *fmt,
			...)
{
	va_list ap;

	err->kind = CXLSW_ERR_TRANSPORT;
	err->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
	return -errnum;
}

/* The last component of the link /sys/dev/char/MAJ:MIN, or "" */
static void sysfs_char_name(unsigned int maj, unsigned int min, char *name,
			    size_t len)
{
	char link[64], target[PATH_MAX];
	const char *slash;
	ssize_t n;

	snprintf(link, sizeof(link), SYS_DEV_CHAR "/%u:%u", maj, min);
	name[0] = '\0';
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	slash = strrchr(target, '/');
	snprintf(name, len, "%s", slash ? slash + 1 : target);
}

/* The switch's own dev attribute names the same numbers. */
static bool switch_dev_is(const char *name, unsigned int maj,
			  unsigned int min)
{
	char path[PATH_MAX], want[32], line[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), CXLSW_SYSFS_DEVICES "/%s/dev", name);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(want, sizeof(want), "%u:%u", maj, min);
	return !strcmp(line, want);
}

/*
 * Open the device by its canonical node when that is the same device:
 * one name for one device in what we open and report (and the node a
 * test harness attaches its emulation to).
 */
static int prefer_canonical_node(const char *canon, dev_t rdev, char **path)
{
	struct stat st;
	char *node;

	if (asprintf(&node, "%s/%s", CXLSW_DEV_DIR, canon) < 0)
		return -ENOMEM;
	if (stat(node, &st) || !S_ISCHR(st.st_mode) || st.st_rdev != rdev) {
		free(node);
		return 0;
	}
	free(*path);
	*path = node;
	return 0;
}

int dev_resolve(const char *arg, char **canon, char **path,
		struct cxlsw_error *err)
{
	char name[PATH_MAX];
	unsigned int maj, min;
	struct stat st;

	*canon = *path = NULL;
	if (arg[0] == '/')
		*path = strdup(arg);
	else if (asprintf(path, "%s/%s", CXLSW_DEV_DIR, arg) < 0)
		*path = NULL;
	if (!*path)
		return -ENOMEM;
	if (stat(*path, &st))
		return not_a_switch(err, errno, "%s: %s", *path,
				    strerror(errno));
	if (!S_ISCHR(st.st_mode))
		return not_a_switch(err, ENODEV,
				    "%s is not a CXL switch: %s, not a character device",
				    *path, file_kind(st.st_mode));
	maj = major(st.st_rdev);
	min = minor(st.st_rdev);
	sysfs_char_name(maj, min, name, sizeof(name));
	if (!cxlsw_name_valid(name) || name[0] == '/' ||
	    !switch_dev_is(name, maj, min))
		return not_a_switch(err, ENODEV,
				    "%s is not a CXL switch: character device %u:%u is %s%s, not a switch CCI",
				    *path, maj, min, name[0] ? name : "unknown",
				    name[0] ? " in sysfs" : " to sysfs");
	*canon = strdup(name);
	if (!*canon)
		return -ENOMEM;
	return prefer_canonical_node(*canon, st.st_rdev, path);
}

int cxlsw_name_canonical(const char *name, char **canon,
			 struct cxlsw_error *err)
{
	unsigned int net;
	char *path;
	uint8_t eid;
	int rc;

	*canon = NULL;
	memset(err, 0, sizeof(*err));
	if (cxlsw_mctp_name_parse(name, &net, &eid)) {
		/* as mctp_dev_open() names the device */
		if (asprintf(canon, CXLSW_MCTP_PREFIX "%u:%u", net, eid) < 0) {
			*canon = NULL;
			return -ENOMEM;
		}
		return 0;
	}
	if (strncmp(name, CXLSW_MCTP_PREFIX, strlen(CXLSW_MCTP_PREFIX)) &&
	    cxlsw_name_valid(name)) {
		rc = dev_resolve(name, canon, &path, err);
		free(path);
		if (rc) {
			free(*canon);
			*canon = NULL;
		}
		return rc;
	}
	error_fill(err, CXLSW_ERR_INVALID, EINVAL, 0,
		   "invalid switch name '%s': expected switchN, a device path or mctp:NET:EID",
		   name);
	return -EINVAL;
}
