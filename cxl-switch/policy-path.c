// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Is the policy file where only root could have put it?  Its path is
 * walked one component at a time, as the kernel would resolve it, with
 * lstat() and readlink() (not realpath(), so that every link on the way
 * is seen):
 *
 * - a symbolic link must be owned by root (anyone else could point it
 *   elsewhere), and is followed, at most MAX_LINKS of them;
 * - a directory must be owned by root and writable by no one else, unless
 *   it is sticky (/tmp): there only an entry's owner may rename or remove
 *   it, so no one else can swap root's file or directory;
 * - a path that does not exist is the missing file of the documented
 *   default only when no link led there: a dangling link is an error.
 *
 * The file itself (regular, root's, mode) is checked on the opened
 * descriptor by the caller, so that what is checked is what is read.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_LINKS	40

static bool dir_trusted(const char *path, const struct stat *st, char *why,
			size_t len)
{
	if (st->st_uid != 0) {
		snprintf(why, len, "%s: directory %s is owned by uid %u, not root",
			 POLICY_PATH, path, (unsigned int)st->st_uid);
		return false;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !(st->st_mode & S_ISVTX)) {
		snprintf(why, len, "%s: directory %s is writable by group or others (mode %04o)",
			 POLICY_PATH, path, (unsigned int)(st->st_mode & 07777));
		return false;
	}
	return true;
}

/* The next component of *rest into comp; false at the end. */
static bool next_component(const char **rest, char *comp, size_t len)
{
	const char *p = *rest, *end;

	while (*p == '/')
		p++;
	if (!*p)
		return false;
	end = strchrnul(p, '/');
	snprintf(comp, len, "%.*s", (int)(end - p), p);
	*rest = end;
	return true;
}

/* cur without its last component ("" is the root) */
static void parent(char *cur)
{
	char *slash = strrchr(cur, '/');

	if (slash)
		*slash = '\0';
}

/* A link's target, then what was left of the path after the link. */
static int follow(const char *link, const char *rest, char *cur, char *todo,
		  size_t len, char *why, size_t wlen)
{
	char target[PATH_MAX], joined[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof(target) - 1);

	if (n < 0) {
		snprintf(why, wlen, "%s: %s cannot be read (%s)", POLICY_PATH,
			 link, strerror(errno));
		return -EACCES;
	}
	target[n] = '\0';
	if ((size_t)snprintf(joined, sizeof(joined), "%s%s", target, rest) >=
	    sizeof(joined)) {
		snprintf(why, wlen, "%s: the path is too long", POLICY_PATH);
		return -ENAMETOOLONG;
	}
	/* cur is the link's directory: a relative target starts there */
	if (target[0] == '/')
		cur[0] = '\0';
	snprintf(todo, len, "%s", joined);
	return 0;
}

int policy_trusted_path(const char *path, char *out, size_t len, char *why,
			size_t wlen)
{
	char cur[PATH_MAX] = "", todo[PATH_MAX], comp[NAME_MAX + 1];
	char next[PATH_MAX];
	const char *rest;
	unsigned int links = 0;
	struct stat st;
	int rc;

	snprintf(todo, sizeof(todo), "%s", path);
	rest = todo;
	while (next_component(&rest, comp, sizeof(comp))) {
		bool last = !*rest || !rest[strspn(rest, "/")];

		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			parent(cur);
			continue;
		}
		if ((size_t)snprintf(next, sizeof(next), "%s/%s", cur, comp) >=
		    sizeof(next)) {
			snprintf(why, wlen, "%s: the path is too long",
				 POLICY_PATH);
			return -ENAMETOOLONG;
		}
		if (lstat(next, &st)) {
			rc = -errno;
			if (rc == -ENOENT && !links)
				return -ENOENT;
			snprintf(why, wlen, rc == -ENOENT ?
				 "%s: a dangling symbolic link (%s does not exist)" :
				 "%s: %s cannot be checked (%s)",
				 POLICY_PATH, next, strerror(-rc));
			return rc == -ENOENT ? -EACCES : rc;
		}
		if (S_ISLNK(st.st_mode)) {
			char left[PATH_MAX];

			if (st.st_uid != 0) {
				snprintf(why, wlen, "%s: symbolic link %s is owned by uid %u, not root",
					 POLICY_PATH, next,
					 (unsigned int)st.st_uid);
				return -EPERM;
			}
			if (++links > MAX_LINKS) {
				snprintf(why, wlen, "%s: too many symbolic links",
					 POLICY_PATH);
				return -ELOOP;
			}
			snprintf(left, sizeof(left), "%s", rest);
			rc = follow(next, left, cur, todo, sizeof(todo), why,
				    wlen);
			if (rc)
				return rc;
			rest = todo;
			continue;
		}
		if (!last && !S_ISDIR(st.st_mode)) {
			snprintf(why, wlen, "%s: %s is not a directory",
				 POLICY_PATH, next);
			return -ENOTDIR;
		}
		if (!last && !dir_trusted(next, &st, why, wlen))
			return -EPERM;
		memcpy(cur, next, sizeof(cur));
	}
	if ((size_t)snprintf(out, len, "%s", cur[0] ? cur : "/") >= len) {
		snprintf(why, wlen, "%s: the path is too long", POLICY_PATH);
		return -ENAMETOOLONG;
	}
	return 0;
}
