// SPDX-License-Identifier: LGPL-2.1-or-later
/* Errors carry enough context for a caller to say what went wrong. */
#include <errno.h>
#include <stdio.h>

#include "private.h"

void error_set(struct cxlsw_error *err, enum cxlsw_error_kind kind,
	       int errnum, uint16_t opcode, const char *fmt, va_list ap)
{
	err->kind = kind;
	err->errnum = errnum;
	err->opcode = opcode;
	err->retcode = 0;
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
}

void error_fill(struct cxlsw_error *err, enum cxlsw_error_kind kind,
		int errnum, uint16_t opcode, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_set(err, kind, errnum, opcode, fmt, ap);
	va_end(ap);
}

int dev_fail(struct cxlsw_dev *dev, enum cxlsw_error_kind kind, int errnum,
	     uint16_t opcode, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_set(&dev->error, kind, errnum, opcode, fmt, ap);
	va_end(ap);
	return -errnum;
}

const char *cxlsw_error_string(const struct cxlsw_error *err, char *buf,
			       size_t len)
{
	const struct cxlsw_command *cmd = cxlsw_catalog_find(err->opcode);
	char what[96] = "";

	if (err->kind == CXLSW_ERR_UNSUPPORTED) {
		snprintf(buf, len, "%s does not implement %s (0x%04x)",
			 err->detail, cmd ? cmd->name : "opcode", err->opcode);
		return buf;
	}
	if (cmd)
		snprintf(what, sizeof(what), "%s (0x%04x): ", cmd->name,
			 err->opcode);
	else if (err->opcode)
		snprintf(what, sizeof(what), "opcode 0x%04x: ", err->opcode);
	snprintf(buf, len, "%s%s", what, err->detail);
	return buf;
}
