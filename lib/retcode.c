// SPDX-License-Identifier: LGPL-2.1-or-later
/* Return codes of a CCI message, named as the specification names them. */
#include "private.h"

static const char *const retcode_names[] = {
	[0x00] = "Success",
	[0x01] = "Background Command Started",
	[0x02] = "Invalid Input",
	[0x03] = "Unsupported",
	[0x04] = "Internal Error",
	[0x05] = "Retry Required",
	[0x06] = "Busy",
	[0x07] = "Media Disabled",
	[0x08] = "FW Transfer in Progress",
	[0x09] = "FW Transfer Out of Order",
	[0x0A] = "FW Verification Failed",
	[0x0B] = "Invalid Slot",
	[0x0C] = "Activation Failed, FW Rolled Back",
	[0x0D] = "Activation Failed, Cold Reset Required",
	[0x0E] = "Invalid Handle",
	[0x0F] = "Invalid Physical Address",
	[0x10] = "Inject Poison Limit Reached",
	[0x11] = "Permanent Media Failure",
	[0x12] = "Aborted",
	[0x13] = "Invalid Security State",
	[0x14] = "Incorrect Passphrase",
	[0x15] = "Unsupported Mailbox or CCI",
	[0x16] = "Invalid Payload Length",
	[0x17] = "Invalid Log",
	[0x18] = "Interrupted",
	[0x19] = "Unsupported Feature Version",
	[0x1A] = "Unsupported Feature Selection Value",
	[0x1B] = "Feature Transfer in Progress",
	[0x1C] = "Feature Transfer Out of Order",
	[0x1D] = "Resources Exhausted",
	[0x1E] = "Invalid Extent List",
	[0x1F] = "Transfer Out of Order",
	[0x20] = "Request Abort Not Supported",
};

const char *cxlsw_retcode_name(uint16_t rc)
{
	return LOOKUP(retcode_names, rc);
}
