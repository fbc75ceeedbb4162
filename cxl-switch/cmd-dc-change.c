// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dc-add and dc-release (0x5604, 0x5605): offer dynamic capacity to a
 * host and take it back.  Both change what a host sees, so the request is
 * checked against what the device says it supports (0x5600, 0x5601, and
 * for a release the host's extents, 0x5603) before the safety policy; both
 * run in the background on the device, and the host's extents are read
 * again at the end so the result shows what the host holds now.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "dcd.h"

struct dc_args {
	const char *name;
	bool release;
	long host;			/* -1: not given */
	long region;
	uint64_t size;			/* 0: not given */
	int policy;			/* -1: the default */
	bool has_tag;
	uint8_t tag[16];
	bool forced, sanitize;
	uint32_t nr_extents;
	struct cxlsw_dc_extent extents[DC_MAX_EXTENTS];
	struct change_opts change;
	/* the host's extents when checked, for the read-back */
	uint32_t generation;
	uint64_t held_before;
};

enum {
	OPT_HOST = 0x500, OPT_REGION, OPT_SIZE, OPT_POLICY, OPT_TAG,
	OPT_EXTENT, OPT_FORCED, OPT_SANITIZE,
};

#define COMMON_OPTIONS \
	{ "host", OPT_HOST, "HOST", 0, "The host (0-65535)", 0 }, \
	{ "size", OPT_SIZE, "SIZE", 0, "How much: 256M, 4G, 1T or bytes", 0 }, \
	{ "tag", OPT_TAG, "UUID", 0, "The capacity's tag", 0 }, \
	{ "extent", OPT_EXTENT, "DPA:LEN", 0, \
	  "An extent, for the prescriptive policy; may be repeated", 0 }

static const struct argp_option add_options[] = {
	COMMON_OPTIONS,
	{ "region", OPT_REGION, "REGION", 0, "The region to take it from (0-7)", 0 },
	{ "policy", OPT_POLICY, "POLICY", 0,
	  "free (default), contiguous, prescriptive or enable_shared_access", 0 },
	{ 0 },
};

static const struct argp_option release_options[] = {
	COMMON_OPTIONS,
	{ "policy", OPT_POLICY, "POLICY", 0,
	  "tag_based (default without --extent) or prescriptive", 0 },
	{ "forced", OPT_FORCED, NULL, 0,
	  "Release even if the host has not given the capacity up", 0 },
	{ "sanitize", OPT_SANITIZE, NULL, 0, "Sanitize the capacity on release", 0 },
	{ 0 },
};

static void parse_policy(struct argp_state *state, struct dc_args *a,
			 const char *arg)
{
	const char *(*name)(uint8_t) = a->release ?
		cxlsw_dc_removal_policy_name : cxlsw_dc_selection_policy_name;
	char words[96];
	uint8_t v;

	if (parse_enum_word(arg, name, &v)) {
		enum_words(name, words, sizeof(words));
		usage_error(state, "invalid --policy '%s': expected one of %s",
			    arg, words);
	}
	a->policy = v;
}

static void parse_extent_arg(struct argp_state *state, struct dc_args *a,
			     const char *arg)
{
	if (a->nr_extents == DC_MAX_EXTENTS)
		usage_error(state, "too many --extent: one request holds at most %zu",
			    DC_MAX_EXTENTS);
	if (parse_extent(arg, &a->extents[a->nr_extents]))
		usage_error(state, "invalid --extent '%s': expected DPA:LEN with sizes, like 0x40000000:256M",
			    arg);
	a->nr_extents++;
}

static bool prescriptive(const struct dc_args *a)
{
	return a->policy == (a->release ? CXLSW_DC_REM_PRESCRIPTIVE :
			     CXLSW_DC_SEL_PRESCRIPTIVE);
}

static void check_args(struct argp_state *state, struct dc_args *a)
{
	dcd_target_check(state);
	if (a->host < 0)
		usage_error(state, "missing --host: the host whose capacity changes");
	if (!a->release && a->region < 0)
		usage_error(state, "missing --region: the region to take capacity from");
	if (a->policy < 0)
		a->policy = a->release ?
			(a->nr_extents ? CXLSW_DC_REM_PRESCRIPTIVE :
					 CXLSW_DC_REM_TAG_BASED) :
			CXLSW_DC_SEL_FREE;
	if (prescriptive(a) && !a->nr_extents)
		usage_error(state, "--policy prescriptive needs --extent DPA:LEN: the extents to %s",
			    a->release ? "release" : "add");
	if (!prescriptive(a) && a->nr_extents)
		usage_error(state, "--extent applies to --policy prescriptive only");
	if (a->release && a->policy == CXLSW_DC_REM_TAG_BASED && !a->has_tag)
		usage_error(state, "--policy tag_based needs --tag: the tag of the capacity to release");
	/* a tag-based release takes all the tag holds unless told less */
	if (!a->size && !a->nr_extents &&
	    !(a->release && a->policy == CXLSW_DC_REM_TAG_BASED))
		usage_error(state, "missing --size: how much capacity to %s",
			    a->release ? "release" : "add");
}

static error_t dc_parse(int key, char *arg, struct argp_state *state)
{
	struct dc_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case OPT_HOST:
		a->host = dcd_host_arg(state, arg);
		return 0;
	case OPT_REGION:
		a->region = dcd_region_arg(state, arg);
		return 0;
	case OPT_SIZE:
		if (parse_size(arg, &a->size) || !a->size)
			usage_error(state, "invalid --size '%s': expected a size above 0 like 256M, 4G or 1T",
				    arg);
		return 0;
	case OPT_POLICY:
		parse_policy(state, a, arg);
		return 0;
	case OPT_TAG:
		if (cxlsw_uuid_parse(arg, a->tag))
			usage_error(state, "invalid --tag '%s': expected a UUID like 3f1c2b4a-0000-4000-8000-000000000001",
				    arg);
		a->has_tag = true;
		return 0;
	case OPT_EXTENT:
		parse_extent_arg(state, a, arg);
		return 0;
	case OPT_FORCED:
		a->forced = true;
		return 0;
	case OPT_SANITIZE:
		a->sanitize = true;
		return 0;
	case ARGP_KEY_END:
		check_args(state, a);
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp add_argp = {
	.options = add_options,
	.parser = dc_parse,
	.args_doc = "SWITCH --port PORT --host HOST --region REGION --size SIZE",
	.doc = "Offer dynamic capacity from a region of a dynamic capacity "
	       "device to a host (Initiate Dynamic Capacity Add, 0x5604).  "
	       "The device runs it in the background; the host's extents are "
	       "shown when it ends.",
	.children = target_pool_change_children,
};

static const struct argp release_argp = {
	.options = release_options,
	.parser = dc_parse,
	.args_doc = "SWITCH --port PORT --host HOST [--size SIZE] [--tag UUID] "
		    "[--extent DPA:LEN...]",
	.doc = "Take dynamic capacity back from a host, by tag or by extents "
	       "(Initiate Dynamic Capacity Release, 0x5605).  The device runs "
	       "it in the background; the host's extents are shown when it "
	       "ends.",
	.children = target_pool_change_children,
};

/* ---- checks --------------------------------------------------------------- */

static int by_dpa(const void *x, const void *y)
{
	const struct cxlsw_dc_extent *a = x, *b = y;

	return (a->start_dpa > b->start_dpa) - (a->start_dpa < b->start_dpa);
}

static bool inside(const struct cxlsw_dc_extent *e, uint64_t start,
		   uint64_t len)
{
	return e->start_dpa >= start && e->length <= len &&
	       e->start_dpa - start <= len - e->length;
}

/* The region an extent lies in, or -1. */
static int region_of(const struct cxlsw_dc_regions *r,
		     const struct cxlsw_dc_extent *e)
{
	for (unsigned int i = 0; i < r->have; i++)
		if (inside(e, r->region[i].base, r->region[i].length))
			return (int)i;
	return -1;
}

static int extent_fail(const char *cmd, const struct cxlsw_dc_extent *e,
		       const char *why)
{
	char len[32];

	format_size(e->length, len, sizeof(len));
	return cli_fail(cmd, EXIT_USAGE, "extent 0x%llx:%s %s",
			(unsigned long long)e->start_dpa, len, why);
}

/*
 * Each extent inside a region (the one given, for an add), on that
 * region's blocks, none overlapping another; their sum is the size.
 */
static int check_extents(const char *cmd, struct dc_args *a,
			 const struct cxlsw_dc_regions *r)
{
	struct cxlsw_dc_extent sorted[DC_MAX_EXTENTS];
	uint64_t sum = 0;
	char msg[96];

	for (uint32_t i = 0; i < a->nr_extents; i++) {
		const struct cxlsw_dc_extent *e = &a->extents[i];
		int reg = region_of(r, e);
		uint64_t block;

		if (reg < 0 || (!a->release && reg != a->region)) {
			snprintf(msg, sizeof(msg), "is not inside region %ld",
				 a->release ? (long)reg : a->region);
			return extent_fail(cmd, e, a->release ?
					   "is not inside any region" : msg);
		}
		block = r->region[reg].block_size;
		if (block && (e->start_dpa % block || e->length % block)) {
			format_size(block, msg + 64, 32);
			snprintf(msg, 64, "is not on region %d's %s blocks", reg,
				 msg + 64);
			return extent_fail(cmd, e, msg);
		}
		/* regions are the device's word: their sum is checked too */
		if (__builtin_add_overflow(sum, e->length, &sum))
			return extent_fail(cmd, e,
					   "makes the extents' sum overflow 64 bits");
	}
	memcpy(sorted, a->extents, a->nr_extents * sizeof(sorted[0]));
	qsort(sorted, a->nr_extents, sizeof(sorted[0]), by_dpa);
	for (uint32_t i = 1; i < a->nr_extents; i++)
		if (sorted[i].start_dpa - sorted[i - 1].start_dpa <
		    sorted[i - 1].length)
			return extent_fail(cmd, &sorted[i],
					   "overlaps another --extent");
	if (a->size && a->size != sum)
		return cli_fail(cmd, EXIT_USAGE,
				"--size %llu is not the sum of the extents (%llu bytes)",
				(unsigned long long)a->size,
				(unsigned long long)sum);
	a->size = sum;
	return 0;
}

static int check_multiple(const char *cmd, uint64_t size, uint64_t block,
			  const char *of)
{
	char s[32], b[32];

	if (!block || !(size % block))
		return 0;
	format_size(size, s, sizeof(s));
	format_size(block, b, sizeof(b));
	return cli_fail(cmd, EXIT_USAGE,
			"size %s is not a multiple of %s's block size (%s)", s,
			of, b);
}

static int check_policy(const char *cmd, const struct dc_args *a,
			const struct cxlsw_dcd_info *info, struct cxlsw_dev *dev)
{
	uint16_t bits = a->release ? info->removal_policies :
			info->selection_policies;
	const char *(*name)(uint8_t) = a->release ?
		cxlsw_dc_removal_policy_name : cxlsw_dc_selection_policy_name;
	char words[96] = "";
	size_t used = 0;

	if (bits & (1u << a->policy))
		return 0;
	for (unsigned int b = 0; b < 16; b++)
		if (bits & (1u << b) && name((uint8_t)b))
			used += (size_t)snprintf(words + used, sizeof(words) - used,
						 "%s%s", used ? ", " : "",
						 name((uint8_t)b));
	return cli_fail(cmd, EXIT_USAGE,
			"%s does not support the %s %s policy: it supports %s",
			target_name(dev), name((uint8_t)a->policy),
			a->release ? "removal" : "selection",
			used ? words : "none");
}

static int check_fits(struct change *c)
{
	size_t limit;

	if (cxlsw_dev_request_limit(c->dev, &limit))
		return cli_dev_fail(c->cmd, c->dev);
	if (c->req_len <= limit)
		return 0;
	return cli_fail(c->cmd, EXIT_USAGE,
			"the request is %zu bytes, more than the %zu bytes %s takes: give fewer extents",
			c->req_len, limit, target_name(c->dev));
}

static void change_of(const struct dc_args *a, struct cxlsw_dc_change *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->host_id = (uint16_t)a->host;
	ch->policy = (uint8_t)a->policy;
	ch->region = a->region < 0 ? 0 : (uint8_t)a->region;
	ch->forced = a->forced;
	ch->sanitize = a->sanitize;
	ch->length = a->size;
	memcpy(ch->tag, a->tag, 16);
	ch->nr_extents = a->nr_extents;
	ch->extents = a->extents;
}

static uint64_t held(const struct cxlsw_dc_extent_list *l, const uint8_t *tag);
static int dc_read_back(struct change *c, int code);

static int check_add(const struct switch_state *st, const void *args,
		     struct change *c)
{
	struct dc_args *a = (struct dc_args *)args;
	struct cxlsw_dc_extent_list l = { .extents = NULL };
	struct cxlsw_dcd_info info;
	struct cxlsw_dc_regions r;
	struct cxlsw_dc_change ch;
	char size[32], of[32];
	int code;

	(void)st;
	code = dcd_read_info(c->cmd, c->dev, &info);
	if (!code)
		code = dcd_check_host(c->cmd, c->dev, &info, (unsigned int)a->host);
	if (!code && a->region >= info.regions)
		code = cli_fail(c->cmd, EXIT_USAGE,
				"%s has %u regions: there is no region %ld",
				target_name(c->dev), info.regions, a->region);
	if (!code)
		code = check_policy(c->cmd, a, &info, c->dev);
	if (!code)
		code = dcd_read_regions(c->cmd, c->dev, (uint16_t)a->host, &r);
	if (!code && a->nr_extents)
		code = check_extents(c->cmd, a, &r);
	snprintf(of, sizeof(of), "region %ld", a->region);
	if (!code)
		code = check_multiple(c->cmd, a->size,
				      r.region[a->region].block_size, of);
	if (!code && a->size > r.region[a->region].length) {
		format_size(r.region[a->region].length, size, sizeof(size));
		code = cli_fail(c->cmd, EXIT_USAGE,
				"region %ld holds %s: less than --size",
				a->region, size);
	}
	if (code)
		return code;
	format_size(a->size, size, sizeof(size));
	snprintf(c->what, sizeof(c->what),
		 "adds %s from region %ld of the DCD on %s to host %ld (%s selection)",
		 size, a->region, target_name(c->dev), a->host,
		 cxlsw_dc_selection_policy_name((uint8_t)a->policy));
	snprintf(c->whom, sizeof(c->whom),
		 "host %ld of the DCD on %s is offered %s", a->host,
		 target_name(c->dev), size);
	snprintf(c->args, sizeof(c->args),
		 "host=%ld region=%ld size=%llu policy=%s extents=%u", a->host,
		 a->region, (unsigned long long)a->size,
		 cxlsw_dc_selection_policy_name((uint8_t)a->policy),
		 a->nr_extents);
	c->opcode = CXLSW_OP_DC_ADD;
	c->ctx = a;
	c->read_back = dc_read_back;
	code = dcd_read_extents(c->cmd, c->dev, (uint16_t)a->host, &l);
	if (code)
		return code;
	a->generation = l.generation;
	a->held_before = held(&l, NULL);
	free(l.extents);
	change_of(a, &ch);
	if (cxlsw_dc_add_encode(&ch, c->req, sizeof(c->req), &c->req_len))
		return cli_fail(c->cmd, EXIT_USAGE, "the request does not fit");
	return check_fits(c);
}

/* Capacity the host holds: with the tag, or (tag NULL) all of it. */
static uint64_t held(const struct cxlsw_dc_extent_list *l, const uint8_t *tag)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < l->count; i++)
		if (!tag || !memcmp(l->extents[i].tag, tag, 16))
			sum += l->extents[i].length;
	return sum;
}

/* A released extent must be capacity the host holds now. */
static int check_held(const char *cmd, struct dc_args *a,
		      const struct cxlsw_dc_extent_list *l)
{
	char have[32], want[32], tag[37];

	for (uint32_t i = 0; i < a->nr_extents; i++) {
		bool found = false;

		for (uint32_t j = 0; j < l->count && !found; j++)
			found = inside(&a->extents[i], l->extents[j].start_dpa,
				       l->extents[j].length);
		if (!found)
			return extent_fail(cmd, &a->extents[i],
					   "is not held by the host (see dc-extents)");
	}
	if (a->nr_extents)
		return 0;
	if (!a->size)
		a->size = held(l, a->tag);
	if (a->size && held(l, a->tag) >= a->size)
		return 0;
	cxlsw_uuid_format(a->tag, tag);
	format_size(held(l, a->tag), have, sizeof(have));
	format_size(a->size, want, sizeof(want));
	if (!held(l, a->tag))
		return cli_fail(cmd, EXIT_USAGE,
				"host %ld holds no capacity with tag %s (see dc-extents)",
				a->host, tag);
	return cli_fail(cmd, EXIT_USAGE,
			"host %ld holds %s with tag %s: cannot release %s",
			a->host, have, tag, want);
}

/* The smallest block size of all regions: any release is made of them. */
static uint64_t smallest_block(const struct cxlsw_dc_regions *r)
{
	uint64_t min = 0;

	for (unsigned int i = 0; i < r->have; i++)
		if (r->region[i].block_size &&
		    (!min || r->region[i].block_size < min))
			min = r->region[i].block_size;
	return min;
}

/* Invalid Input: which part of the release the device refused. */
static void release_explain(struct change *c, const struct cxlsw_error *err,
			    char *why, size_t len)
{
	const struct dc_args *a = c->ctx;

	hint_dc_release(c->dev, err, (unsigned int)a->host,
			a->has_tag && !a->nr_extents ? a->tag : NULL, a->size,
			why, len);
}

static int check_release(const struct switch_state *st, const void *args,
			 struct change *c)
{
	struct dc_args *a = (struct dc_args *)args;
	struct cxlsw_dc_extent_list l = { .extents = NULL };
	struct cxlsw_dcd_info info;
	struct cxlsw_dc_regions r;
	struct cxlsw_dc_change ch;
	char size[32];
	int code;

	(void)st;
	code = dcd_read_info(c->cmd, c->dev, &info);
	if (!code)
		code = dcd_check_host(c->cmd, c->dev, &info, (unsigned int)a->host);
	if (!code)
		code = check_policy(c->cmd, a, &info, c->dev);
	if (!code)
		code = dcd_read_regions(c->cmd, c->dev, (uint16_t)a->host, &r);
	if (!code && a->nr_extents)
		code = check_extents(c->cmd, a, &r);
	if (!code)
		code = dcd_read_extents(c->cmd, c->dev, (uint16_t)a->host, &l);
	if (!code)
		code = check_held(c->cmd, a, &l);
	a->generation = l.generation;
	a->held_before = held(&l, NULL);
	if (!code)
		code = check_multiple(c->cmd, a->size, smallest_block(&r),
				      "every region");
	free(l.extents);
	if (code)
		return code;
	format_size(a->size, size, sizeof(size));
	snprintf(c->what, sizeof(c->what),
		 "releases %s from host %ld of the DCD on %s (%s removal%s%s)",
		 size, a->host, target_name(c->dev),
		 cxlsw_dc_removal_policy_name((uint8_t)a->policy),
		 a->forced ? ", forced" : "", a->sanitize ? ", sanitized" : "");
	snprintf(c->whom, sizeof(c->whom),
		 "host %ld of the DCD on %s loses %s", a->host,
		 target_name(c->dev), size);
	snprintf(c->args, sizeof(c->args),
		 "host=%ld size=%llu policy=%s extents=%u forced=%d sanitize=%d",
		 a->host, (unsigned long long)a->size,
		 cxlsw_dc_removal_policy_name((uint8_t)a->policy),
		 a->nr_extents, a->forced, a->sanitize);
	c->opcode = CXLSW_OP_DC_RELEASE;
	c->ctx = a;
	c->read_back = dc_read_back;
	c->explain = release_explain;
	change_of(a, &ch);
	if (cxlsw_dc_release_encode(&ch, c->req, sizeof(c->req), &c->req_len))
		return cli_fail(c->cmd, EXIT_USAGE, "the request does not fit");
	return check_fits(c);
}

/*
 * After a failed or interrupted add or release: the device's background
 * status and the host's extents say what happened.  The generation moves
 * when the host's list is replaced; the capacity it holds says by what.
 */
static int dc_read_back(struct change *c, int code)
{
	const struct dc_args *a = c->ctx;
	const char *op = a->release ? "release" : "add";
	struct cxlsw_dc_extent_list l = { .extents = NULL };
	struct cxlsw_bg_status bg;
	char sw[64], was[32], now[32];
	uint64_t want, have;

	snprintf(sw, sizeof(sw), "%s --port %d",
		 cxlsw_dev_name(target_switch(c->dev)), c->port);
	if (cxlsw_bg_status(c->dev, &bg) ||
	    cxlsw_get_dc_extents(c->dev, (uint16_t)a->host, &l)) {
		free(l.extents);
		snprintf(c->outcome, sizeof(c->outcome),
			 "the host's extents could not be read back: the outcome is unknown; see 'cxl-switch dc-extents %s --host %ld'",
			 sw, a->host);
		return EXIT_PARTIAL;
	}
	have = held(&l, NULL);
	free(l.extents);
	format_size(a->held_before, was, sizeof(was));
	format_size(have, now, sizeof(now));
	want = a->release ? a->held_before - a->size : a->held_before + a->size;
	if (bg.running && bg.opcode == c->opcode) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: the %s is still running on the device (%u%%): it goes on; see 'cxl-switch bg-status %s' and 'cxl-switch dc-extents %s --host %ld'",
			 op, bg.percent, sw, sw, a->host);
		return code == EXIT_PENDING ? code : EXIT_PARTIAL;
	}
	if (l.generation == a->generation && have == a->held_before) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: host %ld holds %s as before: nothing changed",
			 a->host, now);
		return code;
	}
	if (have == want) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: host %ld holds %s (it held %s): the %s is done",
			 a->host, now, was, op);
		return EXIT_OK;
	}
	snprintf(c->outcome, sizeof(c->outcome),
		 "read back: host %ld holds %s (it held %s): not what was asked; see 'cxl-switch dc-extents %s --host %ld'",
		 a->host, now, was, sw, a->host);
	return EXIT_PARTIAL;
}

/* What the host holds now: its extents, read again. */
static void extents_after(struct change *c, struct json_object *result)
{
	const struct dc_args *a = c->ctx;
	struct cxlsw_dc_extent_list l;

	if (cxlsw_get_dc_extents(c->dev, (uint16_t)a->host, &l))
		return;
	dc_extents_add(result, &l);
	free(l.extents);
}

int cmd_dc_add(int argc, char **argv)
{
	struct dc_args *a = calloc(1, sizeof(*a));
	int code;

	if (!a)
		return cli_fail("dc-add", EXIT_IO, "out of memory");
	a->host = a->region = -1;
	a->policy = -1;
	cli_parse(&add_argp, "dc-add", argc, argv, a);
	code = dc_change_run("dc-add", a->name, a, check_add, extents_after,
			     &a->change);
	free(a);
	return code;
}

int cmd_dc_release(int argc, char **argv)
{
	struct dc_args *a = calloc(1, sizeof(*a));
	int code;

	if (!a)
		return cli_fail("dc-release", EXIT_IO, "out of memory");
	a->release = true;
	a->host = a->region = -1;
	a->policy = -1;
	cli_parse(&release_argp, "dc-release", argc, argv, a);
	code = dc_change_run("dc-release", a->name, a, check_release,
			     extents_after, &a->change);
	free(a);
	return code;
}
