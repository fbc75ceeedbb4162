// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: --fail and --stats for tunnelled commands. A fault
 * is applied where its command is handled: --fail 0x5401:busy bends a
 * 0x5401 whether it comes through one tunnel or two, and the count N of
 * OPCODE:ACTION:N counts every level (the outer 0x5300 first). The
 * transport faults (errno=, delay=, overclaim=) of an inner command
 * apply to the ioctl that carried it.
 */
#include "emu.h"
#include "device.h"

static uint32_t pending_errno;
static unsigned long pending_delay;
static uint32_t pending_overclaim;

static enum tunnel_fault_kind tunnel_kind(enum fault_kind k)
{
	switch (k) {
	case FAULT_TUNNEL_TAG:
		return TFAULT_TAG;
	case FAULT_TUNNEL_OPCODE:
		return TFAULT_OPCODE;
	case FAULT_TUNNEL_CATEGORY:
		return TFAULT_CATEGORY;
	case FAULT_TUNNEL_LEN:
		return TFAULT_TUNNEL_LEN;
	case FAULT_INNER_LEN:
		return TFAULT_INNER_LEN;
	default:
		return TFAULT_NONE;
	}
}

void fault_tunnel_hook(const struct tunnel_path *path, struct tunnel_fault *f)
{
	struct fault_action act;

	stats_count_path(path->op, path->depth);
	fault_check(path->op[path->depth - 1], &act);
	f->arg = act.arg;
	switch (act.kind) {
	case FAULT_NONE:
		f->kind = TFAULT_NONE;
		break;
	case FAULT_RC:
		f->kind = TFAULT_RC;
		break;
	case FAULT_SHORT:
		f->kind = TFAULT_SHORT;
		break;
	case FAULT_LONG:
		f->kind = TFAULT_LONG;
		break;
	case FAULT_ERRNO:
		/* the ioctl fails; the inner command never runs */
		pending_errno = act.arg;
		f->kind = TFAULT_RC;
		f->arg = CCI_RC_INTERNAL;
		break;
	case FAULT_DELAY:
		pending_delay += act.arg;
		f->kind = TFAULT_NONE;
		break;
	case FAULT_OVERCLAIM:
		pending_overclaim = act.arg;
		f->kind = TFAULT_NONE;
		break;
	default:
		f->kind = tunnel_kind(act.kind);
		break;
	}
}

void fault_tunnel_take(uint32_t *err, unsigned long *delay_ms,
		       uint32_t *overclaim)
{
	*err = pending_errno;
	*delay_ms = pending_delay;
	*overclaim = pending_overclaim;
	pending_errno = 0;
	pending_delay = 0;
	pending_overclaim = 0;
}

void fault_tunnel_outer(const struct fault_action *act, uint8_t *out,
			size_t len)
{
	struct tunnel_fault f = { tunnel_kind(act->kind), act->arg };

	if (f.kind != TFAULT_NONE)
		tunnel_fault_apply(out, len, &f);
}
