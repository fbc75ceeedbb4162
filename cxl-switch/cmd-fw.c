// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fw-info, fw-update and fw-activate (0x0200, 0x0201, 0x0202): the
 * switch's firmware slots.  An update is checked against the slots before
 * anything is sent (the active slot is never written), goes through the
 * safety policy as one change however many requests it takes, and a
 * transfer that is stopped half-way is aborted on the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "builtin.h"
#include "cli.h"

struct fw_args {
	const char *name;
	const char *image;
	long slot;			/* -1: not given */
	int activate;			/* -1: none, else cxlsw_fw_activation */
	struct change_opts change;
	/* filled by the check, for sending and the answer */
	uint8_t *data;
	size_t len;
	struct cxlsw_fw_plan plan;
	struct cxlsw_fw_info before;	/* the slots when checked */
	struct cxlsw_fw_outcome xfer;
	bool transferred;		/* every byte taken, verified */
};

enum { OPT_SLOT = 0x400, OPT_ACTIVATE, OPT_ONLINE, OPT_ON_RESET };


/*
 * With --port the firmware is a device's behind the switch: it, and the
 * hosts that use it, notice the activation; the switch does not.
 */
static void device_whom(struct change *c, bool activates)
{
	if (!cxlsw_dev_outer(c->dev))
		return;
	snprintf(c->whom, sizeof(c->whom),
		 "the device on %s%s, and every host that uses its memory",
		 target_name(c->dev),
		 activates ? "" : " once the slot is activated");
}

/* ---- fw-info ------------------------------------------------------------ */

static error_t info_parse(int key, char *arg, struct argp_state *state)
{
	struct fw_args *a = state->input;

	return switch_arg(state, key, arg, &a->name);
}

static const struct argp info_argp = {
	.parser = info_parse,
	.args_doc = "SWITCH",
	.doc = "Show the switch's firmware slots: how many, which is active, "
	       "which is staged for the next reset, whether it can activate "
	       "online, and each slot's revision (Get FW Info, 0x0200); with "
	       "--port, those of the device behind that port.",
	.children = target_children,
};

static struct json_object *info_json(struct cxlsw_dev *dev,
				     const struct cxlsw_fw_info *fi)
{
	struct json_object *o = json_object_new_object();
	struct json_object *slots = json_object_new_array();

	json_add_target(o, dev);
	json_add(o, "slots_supported", json_int(fi->slots_supported));
	json_add(o, "active_slot", json_int(fi->active_slot));
	json_add(o, "staged_slot", fi->staged_slot ?
		 json_int(fi->staged_slot) : NULL);
	json_add(o, "online_activation", json_boolean(fi->online_activation));
	for (unsigned int i = 0; i < fi->slots_supported; i++) {
		struct json_object *s = json_object_new_object();

		json_add(s, "slot", json_int(i + 1));
		json_add(s, "revision", fi->revision[i][0] ?
			 json_object_new_string(fi->revision[i]) : NULL);
		json_add(s, "active", json_boolean(i + 1 == fi->active_slot));
		json_add(s, "staged", json_boolean(i + 1 == fi->staged_slot));
		json_object_array_add(slots, s);
	}
	json_add(o, "slots", slots);
	return o;
}

static const struct column slot_cols[] = {
	{ "SLOT", "slot", NULL },
	{ "REVISION", "revision", NULL },
	{ "ACTIVE", "active", NULL },
	{ "STAGED", "staged", NULL },
};

static void info_human(struct json_object *o)
{
	struct json_object *slots = NULL;

	json_object_object_foreach(o, key, val) {
		char buf[64];

		if (!strcmp(key, "slots")) {
			slots = val;
			continue;
		}
		format_value(val, buf, sizeof(buf));
		printf("%-17s  %s\n", key, buf);
	}
	if (slots)
		print_table(slots, slot_cols, ARRAY_SIZE(slot_cols), "  ");
}

int cmd_fw_info(int argc, char **argv)
{
	struct fw_args a = { .slot = -1, .activate = -1 };
	struct cxlsw_fw_info fi;
	struct cxlsw_dev *dev;
	int code;

	cli_parse(&info_argp, "fw-info", argc, argv, &a);
	dev = cli_open_target("fw-info", a.name, &code);
	if (!dev)
		return code;
	if (cxlsw_fw_info(dev, &fi))
		code = cli_dev_fail("fw-info", dev);
	else
		code = emit(info_json(dev, &fi), info_human);
	cxlsw_dev_close(dev);
	return code;
}

/* ---- checks shared by fw-update and fw-activate ------------------------- */

static int check_slot(const char *cmd, const struct cxlsw_fw_info *fi,
		      const char *sw, long slot)
{
	if (slot < 1 || slot > fi->slots_supported)
		return cli_fail(cmd, EXIT_USAGE,
				"%s has firmware slots 1-%u: there is no slot %ld",
				sw, fi->slots_supported, slot);
	return 0;
}

static int check_activation(const char *cmd, const struct cxlsw_fw_info *fi,
			    const char *sw, long slot, int how)
{
	if (how != CXLSW_FW_ONLINE)
		return 0;
	if (!fi->online_activation)
		return cli_fail(cmd, EXIT_USAGE,
				"%s cannot activate firmware online: use %s",
				sw, "--activate reset");
	if (slot == fi->active_slot)
		return cli_fail(cmd, EXIT_USAGE,
				"slot %ld is already the active slot", slot);
	return 0;
}

static const char *activation_word(int how)
{
	return how == CXLSW_FW_ONLINE ? "online" : "reset";
}

/* ---- fw-update ---------------------------------------------------------- */

static const struct argp_option update_options[] = {
	{ "slot", OPT_SLOT, "N", 0,
	  "The slot to write (default: the first slot that is not active)", 0 },
	{ "activate", OPT_ACTIVATE, "WHEN", 0,
	  "Then activate it: online (now) or reset (at the next cold reset)", 0 },
	{ 0 },
};

static error_t update_parse(int key, char *arg, struct argp_state *state)
{
	struct fw_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case OPT_SLOT:
		a->slot = (long)id_arg(state, "--slot", arg, 255);
		return 0;
	case OPT_ACTIVATE:
		if (!strcmp(arg, "online"))
			a->activate = CXLSW_FW_ONLINE;
		else if (!strcmp(arg, "reset"))
			a->activate = CXLSW_FW_ON_RESET;
		else
			usage_error(state, "invalid --activate '%s': expected online or reset",
				    arg);
		return 0;
	case ARGP_KEY_ARG:
		if (!a->name)
			return switch_arg(state, key, arg, &a->name);
		if (a->image)
			usage_error(state, "too many arguments: expected SWITCH IMAGE");
		a->image = arg;
		return 0;
	case ARGP_KEY_END:
		if (a->name && !a->image)
			usage_error(state, "missing IMAGE: the firmware image file");
		return switch_arg(state, key, arg, &a->name);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp update_argp = {
	.options = update_options,
	.parser = update_parse,
	.args_doc = "SWITCH IMAGE",
	.doc = "Transfer a firmware image to a slot of the switch (Transfer "
	       "FW, 0x0201), in one request or in as many as the switch's "
	       "message size needs, and optionally activate it (Activate FW, "
	       "0x0202).",
	.children = target_change_children,
};

static const char *kind_of(mode_t mode)
{
	return S_ISCHR(mode) ? "a character device" :
	       S_ISBLK(mode) ? "a block device" :
	       S_ISFIFO(mode) ? "a FIFO" :
	       S_ISDIR(mode) ? "a directory" :
	       S_ISSOCK(mode) ? "a socket" : "not a file";
}

/*
 * The image: a regular file (not /dev/zero, not a FIFO, which would block
 * in open: O_NONBLOCK) no larger than Transfer FW can address, read whole
 * as its size says.  0 or an exit code, after saying why.
 */
static int read_image(const char *cmd, const char *path, uint8_t **data,
		      size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	uint8_t *buf;
	size_t n = 0;
	ssize_t got = 1;

	if (fd < 0 || fstat(fd, &st)) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return cli_fail(cmd, EXIT_USAGE, "cannot read IMAGE '%s': %s",
				path, strerror(err));
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > CXLSW_FW_IMAGE_MAX) {
		close(fd);
		if (!S_ISREG(st.st_mode))
			return cli_fail(cmd, EXIT_USAGE,
					"IMAGE '%s' is %s: a firmware image is a regular file",
					path, kind_of(st.st_mode));
		return cli_fail(cmd, EXIT_USAGE,
				"IMAGE '%s' has %llu bytes: Transfer FW takes at most %llu",
				path, (unsigned long long)st.st_size,
				(unsigned long long)CXLSW_FW_IMAGE_MAX);
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		close(fd);
		return cli_fail(cmd, EXIT_IO, "IMAGE '%s': out of memory for %llu bytes",
				path, (unsigned long long)st.st_size);
	}
	while (n < (size_t)st.st_size && got > 0) {
		got = read(fd, buf + n, (size_t)st.st_size - n);
		if (got > 0)
			n += (size_t)got;
		else if (got < 0 && errno == EINTR)
			got = 1;
	}
	close(fd);
	if (got < 0 || n != (size_t)st.st_size) {
		free(buf);
		return cli_fail(cmd, EXIT_USAGE, "cannot read IMAGE '%s': %s",
				path, got < 0 ? strerror(errno) :
				"it changed while it was read");
	}
	*data = buf;
	*len = n;
	return 0;
}

/* The first slot that is not active, or 0. */
static long default_slot(const struct cxlsw_fw_info *fi)
{
	for (unsigned int s = 1; s <= fi->slots_supported; s++)
		if (s != fi->active_slot)
			return s;
	return 0;
}

/* bytes of the image as progress of a background operation */
struct fw_progress {
	bool (*progress)(const struct cxlsw_bg_status *st, void *ctx);
	void *ctx;
};

static bool transfer_progress(size_t done, size_t total, void *ctx)
{
	struct fw_progress *p = ctx;
	struct cxlsw_bg_status st = {
		.running = true,
		.percent = (uint8_t)(total ? done * 100 / total : 100),
		.opcode = CXLSW_OP_TRANSFER_FW,
	};

	return p->progress(&st, p->ctx);
}

static int fw_send(struct change *c, const struct change_opts *o,
		   bool (*progress)(const struct cxlsw_bg_status *st, void *ctx),
		   void *pctx)
{
	struct fw_args *a = (struct fw_args *)c->ctx;
	struct fw_progress p = { progress, pctx };
	struct cxlsw_wait wait = { o->timeout_s * 1000, progress, pctx };
	uint8_t req[CXLSW_FW_ACTIVATE_LEN];
	size_t none = 0;
	int rc;

	rc = cxlsw_fw_transfer(c->dev, &a->plan, transfer_progress, &p,
			       o->timeout_s * 1000, &a->xfer);
	a->transferred = !rc;
	if (rc || a->activate < 0)
		return rc;
	if (cxlsw_fw_activate_encode((uint8_t)a->activate, a->plan.slot, req,
				     sizeof(req)))
		return -EINVAL;
	return cxlsw_dev_run(c->dev, CXLSW_OP_ACTIVATE_FW, req, sizeof(req),
			     NULL, &none, &wait);
}

static void update_answer(const struct change *c, struct json_object *r)
{
	const struct fw_args *a = c->ctx;

	json_add(r, "image", json_object_new_string(a->image));
	json_add(r, "image_bytes", json_int((int64_t)a->len));
	json_add(r, "slot", json_int(a->plan.slot));
	json_add(r, "requests", json_int((int64_t)a->plan.requests));
	json_add(r, "bytes_per_request", json_int((int64_t)a->plan.chunk));
	json_add(r, "bytes_transferred", json_int((int64_t)a->xfer.done));
	json_add(r, "activation", a->activate < 0 ? NULL :
		 json_word(activation_word(a->activate)));
}

static const char *revision(const struct cxlsw_fw_info *fi, long slot)
{
	return fi->revision[slot - 1][0] ? fi->revision[slot - 1] : "nothing";
}

/*
 * After a failure or an interruption, the slots and the background
 * operation say what the update left: the slot as it was, a new revision
 * in it (the device did not confirm it), a transfer still running, or a
 * partial transfer the device may keep because its abort failed.
 */
static int update_read_back(struct change *c, int code)
{
	const struct fw_args *a = c->ctx;
	const char *sw = cxlsw_dev_name(c->dev), *was, *now;
	struct cxlsw_bg_status bg;
	struct cxlsw_fw_info fi;

	if (cxlsw_bg_status(c->dev, &bg) || cxlsw_fw_info(c->dev, &fi)) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "the slots could not be read back: the outcome is unknown; see 'cxl-switch fw-info %s'",
			 sw);
		return EXIT_PARTIAL;
	}
	if (bg.running && bg.opcode == CXLSW_OP_TRANSFER_FW) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: the device is still working on the image (%u%%): the outcome is unknown; see 'cxl-switch bg-status %s', then 'cxl-switch fw-info %s'",
			 bg.percent, sw, sw);
		return EXIT_PARTIAL;
	}
	was = revision(&a->before, a->slot);
	now = revision(&fi, a->slot);
	if (!strcmp(was, now) && fi.active_slot == a->before.active_slot &&
	    fi.staged_slot == a->before.staged_slot) {
		if (a->xfer.abort == 1) {
			snprintf(c->outcome, sizeof(c->outcome),
				 "read back: slot %ld holds %s as before, but the device may keep the partial transfer: a new fw-update may answer FW Transfer in Progress until it drops it",
				 a->slot, was);
			return EXIT_PARTIAL;
		}
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: slot %ld holds %s as before, slot %u is active: nothing changed",
			 a->slot, was, fi.active_slot);
		return code;
	}
	if (a->transferred) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: partly done: slot %ld holds %s (it held %s), its activation failed; slot %u is active",
			 a->slot, now, was, fi.active_slot);
		return EXIT_PARTIAL;
	}
	snprintf(c->outcome, sizeof(c->outcome),
		 "read back: slot %ld now holds %s (it held %s), slot %u is active: the device did not confirm the transfer; see 'cxl-switch fw-info %s'",
		 a->slot, now, was, fi.active_slot, sw);
	return EXIT_PARTIAL;
}

static int plan_update(struct change *c, struct fw_args *a,
		       const struct cxlsw_fw_info *fi)
{
	struct cxlsw_identify id;
	size_t max, used;
	uint8_t *first;
	int rc;

	if (cxlsw_identify(c->dev, &id))
		return cli_dev_fail(c->cmd, c->dev);
	/* requests go up to the mailbox's size, not the response limit */
	max = (size_t)1 << (id.max_msg_size_log2 < CXLSW_MSG_LOG2_MIN ?
			    CXLSW_MSG_LOG2_MIN : id.max_msg_size_log2 >
			    CXLSW_MSG_LOG2_MAX ? CXLSW_MSG_LOG2_MAX :
			    id.max_msg_size_log2);
	if (cxlsw_fw_plan(a->data, a->len, (uint8_t)a->slot, max, &a->plan))
		return cli_fail(c->cmd, EXIT_USAGE,
				"image '%s' of %zu bytes cannot be sent in 128-byte units",
				a->image, a->len);
	first = malloc(CXLSW_FW_XFER_HDR_LEN + a->plan.chunk);
	if (!first)
		return cli_fail(c->cmd, EXIT_IO, "out of memory");
	rc = cxlsw_fw_plan_request(&a->plan, 0, first,
				   CXLSW_FW_XFER_HDR_LEN + a->plan.chunk, &used);
	if (!rc) {
		c->req_len = used < sizeof(c->req) ? used : sizeof(c->req);
		memcpy(c->req, first, c->req_len);
	}
	free(first);
	(void)fi;
	return rc ? EXIT_USAGE : 0;
}

static int check_update(const struct switch_state *st, const void *args,
			struct change *c)
{
	struct fw_args *a = (struct fw_args *)args;
	const char *sw = cxlsw_dev_name(c->dev);
	struct cxlsw_fw_info fi;
	char then[64] = "";
	int code;

	(void)st;
	code = read_image(c->cmd, a->image, &a->data, &a->len);
	if (code)
		return code;
	if (!a->len)
		return cli_fail(c->cmd, EXIT_USAGE, "IMAGE '%s' is empty",
				a->image);
	if (cxlsw_fw_info(c->dev, &fi))
		return cli_dev_fail(c->cmd, c->dev);
	a->before = fi;
	if (a->slot < 0) {
		a->slot = default_slot(&fi);
		if (!a->slot)
			return cli_fail(c->cmd, EXIT_USAGE,
					"%s has one firmware slot, the active one: it cannot be written",
					sw);
	}
	code = check_slot(c->cmd, &fi, sw, a->slot);
	if (!code && a->slot == fi.active_slot)
		code = cli_fail(c->cmd, EXIT_USAGE,
				"slot %ld is the active slot: it cannot be written; give --slot %ld",
				a->slot, default_slot(&fi));
	if (!code && a->activate >= 0)
		code = check_activation(c->cmd, &fi, sw, a->slot, a->activate);
	if (!code)
		code = plan_update(c, a, &fi);
	if (code)
		return code;
	if (a->activate >= 0)
		snprintf(then, sizeof(then), ", then activates it %s",
			 a->activate == CXLSW_FW_ONLINE ? "online" :
			 "at the next cold reset");
	snprintf(c->what, sizeof(c->what),
		 "writes '%s' (%zu bytes) to firmware slot %ld (now %s) in %zu request%s of up to %zu bytes%s; active slot %u stays as it is",
		 a->image, a->len, a->slot,
		 fi.revision[a->slot - 1][0] ? fi.revision[a->slot - 1] : "empty",
		 a->plan.requests, a->plan.requests == 1 ? "" : "s",
		 a->plan.chunk, then, fi.active_slot);
	snprintf(c->whom, sizeof(c->whom), "%s",
		 a->activate == CXLSW_FW_ONLINE ?
		 cxlsw_catalog_find(CXLSW_OP_ACTIVATE_FW)->affects :
		 cxlsw_catalog_find(CXLSW_OP_TRANSFER_FW)->affects);
	device_whom(c, a->activate == CXLSW_FW_ONLINE);
	snprintf(c->args, sizeof(c->args), "image=%s bytes=%zu slot=%ld activate=%s",
		 a->image, a->len, a->slot,
		 a->activate < 0 ? "no" : activation_word(a->activate));
	c->opcode = CXLSW_OP_TRANSFER_FW;
	c->send = fw_send;
	c->answer = update_answer;
	c->read_back = update_read_back;
	c->ctx = a;
	return 0;
}

int cmd_fw_update(int argc, char **argv)
{
	struct fw_args a = { .slot = -1, .activate = -1 };
	int code;

	cli_parse(&update_argp, "fw-update", argc, argv, &a);
	code = change_run("fw-update", a.name, &a, check_update, STATE_NONE,
			  &a.change);
	free(a.data);
	return code;
}

/* ---- fw-activate -------------------------------------------------------- */

static const struct argp_option activate_options[] = {
	{ "slot", OPT_SLOT, "N", 0, "The slot to activate", 0 },
	{ "activate", OPT_ACTIVATE, "WHEN", 0,
	  "Activate it now (online, the default) or at the next cold reset", 0 },
	/* fw-update's spelling is the one; these stay, hidden, as the
	 * README has them (cxl-switch(1), OPTIONS) */
	{ "online", OPT_ONLINE, NULL, OPTION_HIDDEN, NULL, 0 },
	{ "on-reset", OPT_ON_RESET, NULL, OPTION_HIDDEN, NULL, 0 },
	{ 0 },
};

static error_t activate_parse(int key, char *arg, struct argp_state *state)
{
	struct fw_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case OPT_SLOT:
		a->slot = (long)id_arg(state, "--slot", arg, 255);
		return 0;
	case OPT_ACTIVATE:
		if (strcmp(arg, "online") && strcmp(arg, "reset"))
			usage_error(state, "invalid --activate '%s': expected online or reset",
				    arg);
		key = strcmp(arg, "online") ? OPT_ON_RESET : OPT_ONLINE;
		/* fall through */
	case OPT_ONLINE:
	case OPT_ON_RESET:
		if (a->activate >= 0)
			usage_error(state, "give --activate once: online or reset");
		a->activate = key == OPT_ONLINE ? CXLSW_FW_ONLINE :
			      CXLSW_FW_ON_RESET;
		return 0;
	case ARGP_KEY_END:
		if (a->name && a->slot < 0)
			usage_error(state, "missing --slot: the slot to activate");
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp activate_argp = {
	.options = activate_options,
	.parser = activate_parse,
	.args_doc = "SWITCH --slot N [--activate online|reset]",
	.doc = "Activate the firmware in a slot now or at the next cold reset "
	       "(Activate FW, 0x0202).",
	.children = target_change_children,
};

static int check_activate(const struct switch_state *st, const void *args,
			  struct change *c)
{
	const struct fw_args *a = args;
	const char *sw = cxlsw_dev_name(c->dev);
	int how = a->activate < 0 ? CXLSW_FW_ONLINE : a->activate;
	struct cxlsw_fw_info fi;
	int code;

	(void)st;
	if (cxlsw_fw_info(c->dev, &fi))
		return cli_dev_fail(c->cmd, c->dev);
	code = check_slot(c->cmd, &fi, sw, a->slot);
	if (!code && !fi.revision[a->slot - 1][0])
		code = cli_fail(c->cmd, EXIT_USAGE,
				"slot %ld is empty: nothing to activate", a->slot);
	if (!code)
		code = check_activation(c->cmd, &fi, sw, a->slot, how);
	if (code)
		return code;
	snprintf(c->what, sizeof(c->what),
		 "activates firmware %s in slot %ld %s (slot %u is active now)",
		 fi.revision[a->slot - 1], a->slot,
		 how == CXLSW_FW_ONLINE ? "now" : "at the next cold reset",
		 fi.active_slot);
	snprintf(c->whom, sizeof(c->whom), "%s",
		 cxlsw_catalog_find(CXLSW_OP_ACTIVATE_FW)->affects);
	device_whom(c, true);
	snprintf(c->args, sizeof(c->args), "slot=%ld when=%s", a->slot,
		 activation_word(how));
	c->opcode = CXLSW_OP_ACTIVATE_FW;
	c->req_len = CXLSW_FW_ACTIVATE_LEN;
	return cxlsw_fw_activate_encode((uint8_t)how, (uint8_t)a->slot,
					c->req, sizeof(c->req)) ?
	       EXIT_USAGE : 0;
}

int cmd_fw_activate(int argc, char **argv)
{
	struct fw_args a = { .slot = -1, .activate = -1 };

	cli_parse(&activate_argp, "fw-activate", argc, argv, &a);
	return change_run("fw-activate", a.name, &a, check_activate,
			  STATE_NONE, &a.change);
}
