// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Fabric as code: export a switch's state as a desired-state file, plan
 * the steps from a switch to a file, and apply them: under the switch's
 * lock, every step's policy checked before anything is sent, one
 * confirmation, each step re-checked against a fresh read of the switch,
 * audited with the plan's id, and read back; on a failure the completed
 * steps are undone in reverse and the read-back says what the fabric is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "builtin.h"
#include "cli.h"
#include "fabric.h"

#define FILE_MAX	(16u << 20)

/* ---- arguments ----------------------------------------------------------- */

struct fab_args {
	const char *sw;		/* export, plan: SWITCH ("-": every one) */
	const char *file;
	bool apply;		/* apply FILE, not plan SWITCH FILE */
	struct change_opts change;
};

static const struct argp_child output_children[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static error_t export_parse(int key, char *arg, struct argp_state *state)
{
	struct fab_args *a = state->input;

	return switch_arg(state, key, arg, &a->sw);
}

static const struct argp export_argp = {
	.parser = export_parse,
	.args_doc = "SWITCH",
	.doc = "Write the switch's state as a desired-state file (see "
	       "cxl-switch-apply(1)): its VCSs' vPPB bindings, its pooled "
	       "devices' LD allocations and QoS, and which ports are held in "
	       "reset.",
	.children = output_children,
};

static error_t plan_parse(int key, char *arg, struct argp_state *state)
{
	struct fab_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		if (a->apply)
			state->child_inputs[1] = &a->change;
		return 0;
	case ARGP_KEY_ARG:
		if (!a->sw && !a->file && !a->apply)
			a->sw = arg;
		else if (!a->file)
			a->file = arg;
		else
			usage_error(state, "too many arguments");
		return 0;
	case ARGP_KEY_END:
		if (!a->apply && !a->sw)
			usage_error(state, "missing SWITCH (for example switch0, or - for every switch of FILE)");
		if (!a->file)
			usage_error(state, "missing FILE: the desired-state file (- for stdin)");
		if (a->sw && strcmp(a->sw, "-") && !cxlsw_name_valid(a->sw))
			usage_error(state, "invalid SWITCH '%s': expected switchN, a device path, mctp:NET:EID or -",
				    a->sw);
		if (a->change.no_wait)
			usage_error(state, "--no-wait does not apply: apply waits for every step");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp plan_argp = {
	.parser = plan_parse,
	.args_doc = "SWITCH|- FILE",
	.doc = "Compare a desired-state file with the switch and print the "
	       "ordered steps that would take the switch there, each with its "
	       "effect, whom it affects and its request bytes.  Exit 10 when "
	       "there is nothing to change.",
	.children = output_children,
};

static const struct argp apply_argp = {
	.parser = plan_parse,
	.args_doc = "FILE",
	.doc = "Take every switch of a desired-state file to the state it "
	       "describes, switch by switch, under each switch's lock; on a "
	       "failure undo the switch's completed steps and read it back.  "
	       "Exit 10 when there is nothing to change.",
	.children = change_children,
};

/* ---- the file ------------------------------------------------------------ */

static char *read_file(const char *cmd, const char *path, size_t *len,
		       int *code)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	struct stat st;

	if (!f) {
		*code = cli_fail(cmd, EXIT_USAGE, "cannot read %s: %s", path,
				 strerror(errno));
		return NULL;
	}
	/* a file's size known: one buffer, not a doubling one copied */
	if (!fstat(fileno(f), &st) && S_ISREG(st.st_mode) &&
	    st.st_size >= 0 && (size_t)st.st_size <= FILE_MAX)
		cap = (size_t)st.st_size + 2;
	for (;;) {
		nb = !buf ? malloc(cap) : n + 1 >= cap ? realloc(buf, cap *= 2) : buf;
		if (!nb)
			break;
		buf = nb;
		n += fread(buf + n, 1, cap - n - 1, f);
		if (feof(f) || ferror(f) || n > FILE_MAX)
			break;
	}
	if (!buf || ferror(f) || n > FILE_MAX) {
		*code = cli_fail(cmd, EXIT_USAGE, "cannot read %s: %s", path,
				 n > FILE_MAX ? "larger than 16 MiB" :
				 !buf ? "out of memory" : strerror(errno));
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = n;
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

/* "line 7: " when err starts with the key path of one of sw's entries. */
static void line_of(const struct fab_switch *sw, const char *err, char *buf,
		    size_t len)
{
	const char *colon = strstr(err, ": ");
	char key[FAB_KEY_LEN];
	unsigned int line;

	buf[0] = '\0';
	if (!colon || (size_t)(colon - err) >= sizeof(key))
		return;
	snprintf(key, sizeof(key), "%.*s", (int)(colon - err), err);
	line = fab_key_line(sw, key);
	if (line)
		snprintf(buf, len, "line %u: ", line);
}

/* The file read into f; its text is not kept: entries know their lines. */
static int load(const char *cmd, const char *path, struct fab_file *f)
{
	char err[512], *text;
	size_t len;
	int code = 0;

	text = read_file(cmd, path, &len, &code);
	if (!text)
		return code;
	if (fab_parse(text, len, f, err, sizeof(err)))
		code = cli_fail(cmd, EXIT_USAGE, "%s: %s",
				strcmp(path, "-") ? path : "(stdin)", err);
	free(text);
	return code;
}

/* ---- one switch's run ---------------------------------------------------- */

struct run {
	const struct fab_switch *d;
	struct cxlsw_dev *dev;
	struct cxlsw_dev *pools[CXLSW_MAX_PORTS];
	struct cxlsw_snapshot *before;
	/*
	 * The switch as last read while applying: a step's read-back, which
	 * is also the fresh state the next step is checked against (one
	 * read between two steps, not two).  NULL: read it before using.
	 */
	struct cxlsw_snapshot *now;
	/*
	 * The read before now, and what apply reads again (fab_scope): see
	 * current().
	 */
	struct cxlsw_snapshot *prev;
	struct cxlsw_snapshot_scope scope;
	struct fab_plan plan;
	bool planned;
	const char *status;		/* for the result */
	const char **step_status;
	char error[640];
	char read_back[640];
	bool have_serial;
	uint64_t serial;
};

static struct cxlsw_dev *pool_dev(struct run *r, unsigned int port)
{
	if (!r->pools[port] &&
	    cxlsw_dev_tunnel(r->dev, (uint8_t)port, CXLSW_TUNNEL_PORT_OR_LD,
			     false, &r->pools[port]))
		r->pools[port] = NULL;
	return r->pools[port];
}

static size_t pool_limit(void *ctx, unsigned int port)
{
	struct cxlsw_dev *dev = pool_dev(ctx, port);
	size_t limit = 0;

	if (!dev || cxlsw_dev_request_limit(dev, &limit))
		return 0;
	return limit;
}

static void run_close(struct run *r)
{
	for (size_t i = 0; i < CXLSW_MAX_PORTS; i++)
		if (r->pools[i])
			cxlsw_dev_close(r->pools[i]);
	if (r->dev)
		cxlsw_dev_close(r->dev);
	cxlsw_snapshot_free(r->before);
	cxlsw_snapshot_free(r->now);
	cxlsw_snapshot_free(r->prev);
	fab_plan_free(&r->plan);
	free(r->step_status);
}

static const char *file_name(const char *path)
{
	return strcmp(path, "-") ? path : "(stdin)";
}

/* Open, lock (apply), read and plan one switch; 0 or an exit code. */
static int run_plan(const char *cmd, const char *path, struct run *r,
		    const struct run *prev, size_t nprev,
		    const struct change_opts *o, bool lock)
{
	char err[512];
	int code = 0;

	r->dev = cli_open(cmd, r->d->name, &code);
	if (!r->dev)
		return code;
	/* one switch by two names would wait for its own lock */
	for (size_t i = 0; i < nprev; i++)
		if (!strcmp(cxlsw_dev_name(prev[i].dev), cxlsw_dev_name(r->dev)))
			return cli_fail(cmd, EXIT_USAGE,
					"%s: %s.switch: %s is %s again (also %s)",
					file_name(path), r->d->key, r->d->name,
					cxlsw_dev_name(r->dev), prev[i].d->key);
	if (lock && (code = change_lock(cmd, r->dev, o)))
		return code;
	/* what the file names is all the plan looks at of the devices */
	fab_scope(r->d, &r->scope);
	if (cxlsw_snapshot_reread(r->dev, NULL, &r->scope, &r->before))
		return cli_dev_fail(cmd, r->dev);
	if (lock)	/* for the audit log, refusals included */
		r->have_serial = !cxlsw_dev_serial(r->dev, &r->serial);
	r->plan.sw = cxlsw_dev_name(r->dev);
	if (fab_plan_make(r->d, r->before, pool_limit, r, &r->plan, err,
			  sizeof(err))) {
		char line[32];

		line_of(r->d, err, line, sizeof(line));
		return cli_fail(cmd, EXIT_USAGE, "%s: %s%s: %s", file_name(path),
				line, cxlsw_dev_name(r->dev), err);
	}
	r->plan.sw = cxlsw_dev_name(r->dev);
	r->planned = true;
	r->step_status = calloc(r->plan.nsteps + 1, sizeof(*r->step_status));
	if (!r->step_status)
		return cli_fail(cmd, EXIT_IO, "out of memory");
	/* the policy judges every step before anything is sent */
	for (size_t i = 0; i < r->plan.nsteps; i++) {
		struct fab_step *st = &r->plan.steps[i];
		const struct cxlsw_command *c = cxlsw_catalog_find(st->opcode);

		r->step_status[i] = "planned";
		if (!c || !policy_allows(cxlsw_request_effect(c, st->req, st->req_len),
					 cxlsw_dev_name(r->dev), st->port,
					 st->why, sizeof(st->why))) {
			if (!c)
				snprintf(st->why, sizeof(st->why),
					 "opcode 0x%04x is not in the command catalog",
					 st->opcode);
			st->refused = true;
			r->step_status[i] = "refused";
			r->plan.refused++;
		}
	}
	return 0;
}

static void hex_spaced(const char *hex, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; hex[i] && hex[i + 1] && n + 4 < len; i += 2)
		n += (size_t)snprintf(buf + n, len - n, "%s%.2s", i ? " " : "",
				      hex + i);
	if (!n)
		snprintf(buf, len, "(none)");
}

static struct json_object *run_json(struct run *r)
{
	struct json_object *o = json_object_new_object(), *steps;
	uint8_t wire[sizeof(r->plan.steps->req) + 64];
	char hex[2 * sizeof(wire) + 1];
	uint16_t wop;
	size_t wlen;

	json_add(o, "switch", json_object_new_string(r->dev ? cxlsw_dev_name(r->dev) :
						    r->d->name));
	if (!r->planned) {
		json_add(o, "status", json_word(r->status ? r->status : "not_started"));
		return o;
	}
	json_add(o, "plan_id", json_object_new_string(r->plan.id));
	json_add(o, "status", json_word(r->status ? r->status :
			r->plan.refused ? "refused" :
			r->plan.nsteps ? "planned" : "no_changes"));
	steps = json_object_new_array();
	for (size_t i = 0; i < r->plan.nsteps; i++) {
		struct fab_step *st = &r->plan.steps[i];
		struct json_object *s = fab_step_json(st, (unsigned int)i + 1);
		struct cxlsw_dev *dev = st->pool >= 0 ?
			pool_dev(r, (unsigned int)st->pool) : NULL;

		if (dev && !cxlsw_dev_wire_request(dev, st->opcode, st->req,
						   st->req_len, wire, sizeof(wire),
						   &wlen, &wop)) {
			hex[0] = '\0';
			for (size_t k = 0; k < wlen; k++)
				snprintf(hex + 2 * k, 3, "%02x", wire[k]);
			json_add(s, "wire_opcode", json_hex(wop, 4));
			json_add(s, "wire_request", json_object_new_string(hex));
		}
		if (r->step_status && strcmp(r->step_status[i], "planned") &&
		    strcmp(r->step_status[i], "refused")) {
			json_object_object_del(s, "status");
			json_add(s, "status", json_word(r->step_status[i]));
		}
		json_object_array_add(steps, s);
	}
	json_add(o, "steps", steps);
	if (r->error[0])
		json_add(o, "error", json_object_new_string(r->error));
	if (r->read_back[0])
		json_add(o, "read_back", json_object_new_string(r->read_back));
	return o;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v ? json_object_get_string(v) : "";
}

/* One switch's plan (or outcome) in words. */
static void run_human(FILE *f, struct json_object *o)
{
	struct json_object *steps = jget(o, "steps");
	size_t n = steps ? json_object_array_length(steps) : 0;
	char spaced[3 * 600];

	if (!steps) {
		fprintf(f, "%s: %s\n", str_of(o, "switch"), str_of(o, "status"));
		return;
	}
	if (!n) {
		fprintf(f, "%s: no changes\n", str_of(o, "switch"));
		return;
	}
	fprintf(f, "%s: plan %s, %zu step%s: %s\n", str_of(o, "switch"),
		str_of(o, "plan_id"), n, n == 1 ? "" : "s", str_of(o, "status"));
	for (size_t i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(steps, i);

		fprintf(f, "  %zu. %s: %s (%s) on %s [%s]\n", i + 1,
			str_of(s, "kind"), str_of(s, "name"), str_of(s, "opcode"),
			str_of(s, "target"), str_of(s, "status"));
		fprintf(f, "     effect:  %s\n     affects: %s\n     from:    %s\n",
			str_of(s, "effect"), str_of(s, "affects"), str_of(s, "key"));
		hex_spaced(str_of(s, "request"), spaced, sizeof(spaced));
		fprintf(f, "     request: %s\n", spaced);
		if (jget(s, "wire_request")) {
			hex_spaced(str_of(s, "wire_request"), spaced, sizeof(spaced));
			fprintf(f, "     wire:    %s (%s)\n", spaced,
				str_of(s, "wire_opcode"));
		}
		if (jget(s, "refused"))
			fprintf(f, "     refused: %s\n", str_of(s, "refused"));
	}
	if (jget(o, "error"))
		fprintf(f, "  error: %s\n", str_of(o, "error"));
	if (jget(o, "read_back"))
		fprintf(f, "  read back: %s\n", str_of(o, "read_back"));
}

static void result_human(struct json_object *result)
{
	struct json_object *sws = jget(result, "switches");

	for (size_t i = 0; sws && i < json_object_array_length(sws); i++)
		run_human(stdout, json_object_array_get_idx(sws, i));
}

/* ---- export -------------------------------------------------------------- */

int cmd_export(int argc, char **argv)
{
	struct fab_args a = { NULL };
	struct cxlsw_snapshot *s;
	struct cxlsw_dev *dev;
	struct jw *w;
	int code;

	cli_parse(&export_argp, "export", argc, argv, &a);
	dev = cli_open("export", a.sw, &code);
	if (!dev)
		return code;
	if (cxlsw_snapshot_read(dev, &s)) {
		code = cli_dev_fail("export", dev);
		cxlsw_dev_close(dev);
		return code;
	}
	/* what the file leaves out for want of an answer, said on stderr */
	if (s->vcs_unavailable)
		fprintf(stderr, "cxl-switch export: warning: %s does not implement Get Virtual CXL Switch Info (0x5200): its vPPBs are left out\n",
			cxlsw_dev_name(dev));
	for (size_t i = 0; i < s->npools; i++) {
		char why[200];

		if (s->pools[i].reachable)
			continue;
		fprintf(stderr, "cxl-switch export: warning: the pooled device on port %u does not answer (%s): it is left out\n",
			s->pools[i].port_id, cxlsw_error_string(&s->pools[i].error,
								why, sizeof(why)));
	}
	/* -j: the file under "fabric" in the run's document; otherwise
	 * the file itself, indented; written a piece at a time, never a
	 * whole tree */
	w = jw_new(stdout, !global_output.json || global_output.pretty);
	if (w) {
		if (global_output.json) {
			doc_jw_object_begin(w);
			jw_key(w, doc_key());
		}
		jw_open_bare(w, '{');
		jw_key(w, "version");
		jw_int(w, FAB_VERSION);
		jw_open(w, "switches", '[');
		fab_export_write(w, cxlsw_dev_name(dev), s);
		jw_close(w, ']');
		jw_close(w, '}');
		if (global_output.json)
			doc_jw_object_end(w);
	}
	code = w ? jw_finish(w) : -1;
	cxlsw_snapshot_free(s);
	cxlsw_dev_close(dev);
	json_shared_release();
	return code || fflush(stdout) ? EXIT_IO : EXIT_OK;
}

/* ---- plan ---------------------------------------------------------------- */

/*
 * Does the file's switch name a name the same switch as SWITCH (canon:
 * its canonical name, NULL when it has none)?  Compared as the library
 * knows switches (switch0, /dev/cxl/switch0 and a link to it are one;
 * mctp:01:8 is mctp:1:8), as written when a name does not resolve.
 */
static bool same_switch(const char *sw, const char *canon, const char *name)
{
	struct cxlsw_error err;
	char *c;
	bool same;

	if (!strcmp(sw, name))
		return true;
	if (!canon || cxlsw_name_canonical(name, &c, &err))
		return false;
	same = !strcmp(canon, c);
	free(c);
	return same;
}

/* The runs for the switches asked: every one of the file, or SWITCH's. */
static int select_runs(const char *cmd, const char *path, const char *sw,
		       const struct fab_file *f, struct run **runs, size_t *n)
{
	bool every = !sw || !strcmp(sw, "-");
	struct cxlsw_error err;
	char *canon = NULL;

	*n = 0;
	*runs = calloc(f->nsw + 1, sizeof(**runs));
	if (!*runs)
		return cli_fail(cmd, EXIT_IO, "out of memory");
	if (!every && cxlsw_name_canonical(sw, &canon, &err))
		canon = NULL;
	for (size_t i = 0; i < f->nsw; i++)
		if (every || same_switch(sw, canon, f->sw[i].name))
			(*runs)[(*n)++].d = &f->sw[i];
	free(canon);
	if (!*n && sw && strcmp(sw, "-"))
		return cli_fail(cmd, EXIT_USAGE, "%s has no entry for %s",
				file_name(path), sw);
	if (!*n)
		return cli_fail(cmd, EXIT_USAGE, "%s names no switch",
				file_name(path));
	return 0;
}

static struct json_object *result_of(const char *path, struct run *runs,
				     size_t n)
{
	struct json_object *o = json_object_new_object(), *a;

	json_add(o, "file", json_object_new_string(file_name(path)));
	a = json_object_new_array();
	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, run_json(&runs[i]));
	json_add(o, "switches", a);
	return o;
}

static int plan_or_dry_run(const char *cmd, const struct fab_args *a,
			   const struct change_opts *o)
{
	struct fab_file f = { 0 };
	struct run *runs = NULL;
	size_t n = 0, steps = 0, refused = 0;
	int code = load(cmd, a->file, &f);

	if (code) {
		fab_file_free(&f);
		return code;
	}
	code = select_runs(cmd, a->file, a->sw, &f, &runs, &n);
	for (size_t i = 0; !code && i < n; i++) {
		code = run_plan(cmd, a->file, &runs[i], runs, i, o, false);
		steps += runs[i].plan.nsteps;
		refused += runs[i].plan.refused;
	}
	if (!code) {
		code = emit(result_of(a->file, runs, n), result_human);
		if (!code)
			code = refused ? EXIT_REFUSED : steps ? EXIT_OK :
			       EXIT_NO_CHANGES;
	}
	for (size_t i = 0; i < n; i++)
		run_close(&runs[i]);
	free(runs);
	fab_file_free(&f);
	return code;
}

int cmd_plan(int argc, char **argv)
{
	struct fab_args a = { NULL };

	cli_parse(&plan_argp, "plan", argc, argv, &a);
	return plan_or_dry_run("plan", &a, &a.change);
}

/* ---- apply --------------------------------------------------------------- */

static uint16_t step_opcode(const struct fab_step *st, bool undo)
{
	if (undo && st->kind == FAB_UNBIND)
		return CXLSW_OP_BIND_VPPB;
	if (undo && st->kind == FAB_BIND)
		return CXLSW_OP_UNBIND_VPPB;
	if (undo && st->kind == FAB_DC_ADD)
		return CXLSW_OP_DC_RELEASE;
	if (undo && st->kind == FAB_DC_RELEASE)
		return CXLSW_OP_DC_ADD;
	return st->opcode;
}

static int audit_step(struct run *r, const struct fab_step *st, size_t i,
		      bool undo, struct cxlsw_dev *dev, uint16_t opcode,
		      const char *result, char *why, size_t wlen)
{
	const struct cxlsw_command *c = cxlsw_catalog_find(opcode);
	char args[1400];
	struct audit_entry e = {
		.cmd = "apply",
		.sw = cxlsw_dev_name(r->dev),
		.have_serial = r->have_serial,
		.serial = r->serial,
		.target = dev != r->dev ? target_name(dev) : "switch",
		.opcode = opcode,
		.name = c ? c->name : "none",
		.args = args,
	};

	snprintf(args, sizeof(args), "plan=%s step=%zu/%zu%s %s", r->plan.id,
		 i + 1, r->plan.nsteps, undo ? " undo" : "", st->args);
	return audit_log(&e, result, why, wlen);
}

static void audit_after(struct run *r, const struct fab_step *st, size_t i,
			bool undo, struct cxlsw_dev *dev, uint16_t opcode,
			const char *result)
{
	char why[256];

	if (audit_step(r, st, i, undo, dev, opcode, result, why, sizeof(why)))
		fprintf(stderr, "cxl-switch apply: warning: the audit log did not take this line (%s): %s\n",
			why, result);
}

/*
 * The switch's current state: the last read, or a new one (NULL: failed).
 *
 * The plan's read asks the switch's identity, ports and VCSs and of the
 * devices what the file names (fab_scope: all a step changes, checks or
 * sends, and all the final check compares).  A read after it (a step's
 * read-back, the check before a step or an undo, the final check) asks
 * again every port's state and what the file names, and carries the
 * rest from the read before: the switch's identity and which ports and
 * VCSs it has (no step adds or removes one), the VCSs when the file
 * names no vPPB, an MLD's LD Info and whether a device is a DCD and its
 * regions (facts of the device, which no step changes: learnt once a
 * run, learnt again when the port state shows another device or a link
 * that went down).  Devices the file does not name are never asked:
 * nothing of the apply looks at them.  So a fabric that drifts where the
 * file looks is still caught by the read after it, and a swapped device
 * by its port state, without a request that only repeats a fact.
 */
static struct cxlsw_snapshot *current(struct run *r)
{
	const struct cxlsw_snapshot *prev = r->prev ? r->prev : r->before;

	if (!r->now && cxlsw_snapshot_reread(r->dev, prev, &r->scope, &r->now))
		r->now = NULL;
	return r->now;
}

/* What was read is no longer the switch's state: the next read's base. */
static void stale(struct run *r)
{
	if (!r->now)
		return;
	cxlsw_snapshot_free(r->prev);
	r->prev = r->now;
	r->now = NULL;
}

/*
 * One step (or its undo): take the switch's current state (the previous
 * step's read-back: nothing was sent since; or a read), check that the
 * state the step needs is there (not for an undo, which puts back
 * whatever it finds), log the intent, send every request, log the
 * result, read back; the read-back is the next step's current state.
 */
static int send_step(struct run *r, size_t i, bool undo,
		     const struct change_opts *o, char *err, size_t elen,
		     bool *sent)
{
	struct fab_step *st = &r->plan.steps[i];
	struct cxlsw_wait wait = { .timeout_ms = o->timeout_s * 1000 };
	struct cxlsw_dev *dev = st->pool >= 0 ?
		pool_dev(r, (unsigned int)st->pool) : r->dev;
	uint16_t opcode = step_opcode(st, undo);
	struct cxlsw_snapshot *now;
	char why[320], text[400];
	uint8_t req[4096], out[4096];
	size_t limit = 4096, len, olen;
	int rc;

	if (!dev) {
		snprintf(err, elen, "no tunnel to port %d", st->pool);
		return -ENODEV;
	}
	now = current(r);
	if (!now) {
		snprintf(err, elen, "reading the switch before the step: %s",
			 cxlsw_error_string(cxlsw_dev_error(r->dev), text, sizeof(text)));
		return -EIO;
	}
	if (!undo && !fab_step_ready(st, now, false, why, sizeof(why))) {
		snprintf(err, elen, "the switch changed since the plan: %s", why);
		return -ESTALE;
	}
	/* a step that fits what every device takes needs no question */
	if (st->pool >= 0 && fab_step_fits_sure(st))
		limit = FAB_SURE_LIMIT;
	else if (st->pool >= 0 && cxlsw_dev_request_limit(dev, &limit)) {
		snprintf(err, elen, "%s", cxlsw_error_string(cxlsw_dev_error(dev),
							     text, sizeof(text)));
		return -EIO;
	}
	if (audit_step(r, st, i, undo, dev, opcode, "sending", why, sizeof(why))) {
		snprintf(err, elen, "the audit log cannot be written (%s): the step was not sent",
			 why);
		return -EPERM;
	}
	*sent = true;
	rc = 0;
	for (unsigned int n = 0; !rc; n++) {
		rc = fab_step_request(st, now, undo, limit, n, req, sizeof(req), &len);
		if (rc == -ENOENT) {
			rc = 0;
			break;
		}
		if (rc) {
			snprintf(err, elen, "the request cannot be made: %s",
				 strerror(-rc));
			break;
		}
		olen = sizeof(out);
		rc = cxlsw_dev_run(dev, opcode, req, len, out, &olen, &wait);
		if (rc) {
			cxlsw_error_string(cxlsw_dev_error(dev), text, sizeof(text));
			snprintf(err, elen, "%s", text);
		}
	}
	/* something may have been sent: what was read is past */
	stale(r);
	if (rc) {
		snprintf(text, sizeof(text), "failed: %s", err);
		audit_after(r, st, i, undo, dev, opcode, text);
		return rc;
	}
	audit_after(r, st, i, undo, dev, opcode, "success");
	now = current(r);
	if (!now) {
		snprintf(err, elen, "the step was sent but the switch could not be read back");
		return -EIO;
	}
	rc = fab_step_ready(st, now, !undo, why, sizeof(why)) ? 0 : -EIO;
	if (rc)
		snprintf(err, elen, "read back: %s", why);
	return rc;
}

static void progress(struct run *r, size_t i, bool undo, const char *what)
{
	fprintf(stderr, "%s: %sstep %zu/%zu (%s): %s\n", cxlsw_dev_name(r->dev),
		undo ? "undo " : "", i + 1, r->plan.nsteps,
		fab_step_kind_name(r->plan.steps[i].kind), what);
}

/*
 * Undo steps failed..0 in reverse (the failed one too when something of
 * it was sent: it may have been partly applied; not one that stopped
 * before sending, whose state before may be gone for another reason),
 * then read back: EXIT_ROLLED_BACK when every undone step's state before
 * is there again, EXIT_PARTIAL with what differs otherwise.
 */
static int roll_back(struct run *r, size_t failed, bool sent,
		     const struct change_opts *o)
{
	struct cxlsw_snapshot *now;
	char why[320], err[400];
	size_t used = 0, count = failed + sent;
	bool all = true, any;

	for (size_t k = count; k-- > 0;) {
		now = current(r);
		if (now) {
			bool before = fab_step_ready(&r->plan.steps[k], now, false,
						     why, sizeof(why));

			if (before) {
				if (k != failed)
					r->step_status[k] = "undone";
				continue;
			}
		}
		any = false;
		if (send_step(r, k, true, o, err, sizeof(err), &any)) {
			r->step_status[k] = "undo_failed";
			progress(r, k, true, err);
		} else {
			r->step_status[k] = "undone";
			progress(r, k, true, "done");
		}
	}
	/* the read-back: the last undo's, or what the last check read */
	now = current(r);
	if (!now) {
		snprintf(r->read_back, sizeof(r->read_back),
			 "the switch could not be read back: the fabric's state is unknown; see 'cxl-switch export %s'",
			 cxlsw_dev_name(r->dev));
		r->status = "unknown";
		return EXIT_PARTIAL;
	}
	for (size_t k = 0; k < count; k++) {
		if (fab_step_ready(&r->plan.steps[k], now, false, why, sizeof(why)))
			continue;
		all = false;
		if (used < sizeof(r->read_back))
			used += (size_t)snprintf(r->read_back + used,
						 sizeof(r->read_back) - used,
						 "%sstep %zu not undone: %s",
						 used ? "; " : "", k + 1, why);
	}
	if (all) {
		snprintf(r->read_back, sizeof(r->read_back),
			 "the fabric is as it was before the apply");
		r->status = "rolled_back";
		return EXIT_ROLLED_BACK;
	}
	r->status = "partial";
	return EXIT_PARTIAL;
}

static int apply_run(struct run *r, const struct change_opts *o, bool fresh)
{
	struct cxlsw_snapshot *now;
	bool stopped = false, sent = false;
	char err[400];
	size_t i;

	/*
	 * The first step is checked against a read made now, not the
	 * plan's, when something came between (a confirmation, or other
	 * switches); fresh: nothing did, the plan's read under the lock is
	 * the switch's state.
	 */
	if (fresh) {
		r->now = r->before;
		r->before = NULL;
	}
	for (i = 0; i < r->plan.nsteps; i++) {
		/* between steps: the step not sent stays "planned" */
		if (change_signal()) {
			snprintf(err, sizeof(err), "interrupted by SIG%s",
				 sigabbrev_np(change_signal()) ?: "?");
			stopped = true;
			break;
		}
		sent = false;
		if (send_step(r, i, false, o, err, sizeof(err), &sent))
			break;
		r->step_status[i] = "done";
		progress(r, i, false, "done");
	}
	if (i == r->plan.nsteps) {
		/* never done unless a read-back matches the file: the last step's */
		sent = true;
		now = current(r);
		if (!now) {
			snprintf(err, sizeof(err), "the switch could not be read back");
			i = r->plan.nsteps - 1;
		} else {
			bool same = fab_matches(r->d, now, err, sizeof(err));

			if (same) {
				r->status = "done";
				snprintf(r->read_back, sizeof(r->read_back),
					 "the switch matches the file");
				return EXIT_OK;
			}
			i = r->plan.nsteps - 1;
		}
	} else {
		if (!stopped)
			r->step_status[i] = "failed";
		progress(r, i, false, err);
	}
	snprintf(r->error, sizeof(r->error), "step %zu/%zu (%s): %s", i + 1,
		 r->plan.nsteps, fab_step_kind_name(r->plan.steps[i].kind), err);
	return roll_back(r, i, sent, o);
}

static bool confirmed(struct run *runs, size_t n, size_t steps)
{
	struct json_object *o;
	char line[64];

	for (size_t i = 0; i < n; i++) {
		o = run_json(&runs[i]);
		run_human(stderr, o);
		json_object_put(o);
	}
	fprintf(stderr, "Type 'yes' to apply these %zu steps: ", steps);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\n")] = '\0';
	return !strcmp(line, "yes");
}

/* A refusal before anything is sent: every step of every switch logged. */
static void audit_refusal_all(struct run *runs, size_t n, const char *reason)
{
	char result[400];

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; runs[i].planned && k < runs[i].plan.nsteps; k++) {
			struct fab_step *st = &runs[i].plan.steps[k];

			snprintf(result, sizeof(result), "refused: %s",
				 reason ? reason : st->refused ? st->why :
				 "another step is refused");
			audit_after(&runs[i], st, k, false,
				    st->pool >= 0 ? pool_dev(&runs[i], (unsigned int)st->pool) ?: runs[i].dev :
				    runs[i].dev, st->opcode, result);
		}
}

static int refuse_all(struct run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < runs[i].plan.nsteps; k++) {
			struct fab_step *st = &runs[i].plan.steps[k];

			if (!st->refused)
				continue;
			audit_refusal_all(runs, n, NULL);
			return cli_fail("apply", EXIT_REFUSED,
					"refused: %s step %zu (%s): %s: nothing was sent",
					runs[i].plan.sw, k + 1,
					fab_step_kind_name(st->kind), st->why);
		}
	return 0;
}

static int apply_all(const struct fab_args *a, struct run *runs, size_t n)
{
	const struct change_opts *o = &a->change;
	size_t steps = 0, k;
	int code = refuse_all(runs, n);

	if (code)
		return code;
	for (size_t i = 0; i < n; i++)
		steps += runs[i].plan.nsteps;
	if (!steps) {
		for (size_t i = 0; i < n; i++)
			runs[i].status = "no_changes";
		return EXIT_NO_CHANGES;
	}
	if (!o->force) {
		const char *why = !strcmp(a->file, "-") ?
			"the file is read from stdin" : "stdin is not a terminal";

		if (!strcmp(a->file, "-") || !isatty(STDIN_FILENO)) {
			audit_refusal_all(runs, n, "no --force");
			return cli_fail("apply", EXIT_REFUSED,
					"refusing to apply %zu steps without --force: %s",
					steps, why);
		}
		if (!confirmed(runs, n, steps) && !change_signal()) {
			audit_refusal_all(runs, n, "not confirmed");
			return cli_fail("apply", EXIT_REFUSED,
					"not confirmed: nothing was sent");
		}
	}
	if (change_signal())
		return change_stopped_before_sending("apply");
	for (k = 0; k < n; k++) {
		struct run *r = &runs[k];

		if (!r->plan.nsteps) {
			r->status = "no_changes";
			continue;
		}
		/* one switch, no confirmation: nothing came after its plan */
		code = apply_run(r, o, n == 1 && o->force);
		if (code)
			break;
	}
	if (!code)
		return EXIT_OK;
	{
		char done[256] = "", rest[256] = "";
		size_t du = 0, ru = 0;

		for (size_t i = 0; i < n; i++) {
			if (i < k && du < sizeof(done))
				du += (size_t)snprintf(done + du, sizeof(done) - du,
						       "%s%s", du ? ", " : "", runs[i].plan.sw);
			if (i > k && ru < sizeof(rest))
				ru += (size_t)snprintf(rest + ru, sizeof(rest) - ru,
						       "%s%s", ru ? ", " : "",
						       runs[i].plan.sw ?: runs[i].d->name);
		}
		return cli_fail("apply", code,
				"%s: %s; %s: %s%s%s%s%s",
				runs[k].plan.sw, runs[k].error,
				code == EXIT_ROLLED_BACK ? "rolled back" : "not rolled back",
				runs[k].read_back,
				du ? "; done before it: " : "", done,
				ru ? "; not started: " : "", rest);
	}
}

static bool runs_sent(const struct run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (runs[i].status && strcmp(runs[i].status, "no_changes"))
			return true;
	return false;
}

int cmd_apply(int argc, char **argv)
{
	struct fab_args a = { .apply = true };
	struct json_object *errors = json_object_new_array(), *result;
	struct fab_file f = { 0 };
	struct run *runs = NULL;
	size_t n = 0;
	int code;

	cli_parse(&apply_argp, "apply", argc, argv, &a);
	if (a.change.dry_run) {
		json_object_put(errors);
		return plan_or_dry_run("apply", &a, &a.change);
	}
	code = load("apply", a.file, &f);
	if (code) {
		json_object_put(errors);
		fab_file_free(&f);
		return code;
	}
	code = select_runs("apply", a.file, NULL, &f, &runs, &n);
	for (size_t i = 0; !code && i < n; i++)
		code = run_plan("apply", a.file, &runs[i], runs, i, &a.change,
				true);
	if (!code) {
		/* the outcome's errors go into its one JSON document */
		cli_errors_into(errors);
		code = apply_all(&a, runs, n);
		cli_errors_into(NULL);
		result = result_of(a.file, runs, n);
		if (json_object_array_length(errors))
			json_add(result, "errors", json_object_get(errors));
		/* in words only when something was sent, or nothing is to be */
		if (global_output.json || !code || code == EXIT_NO_CHANGES ||
		    runs_sent(runs, n)) {
			if (emit(result, result_human) && !code)
				code = EXIT_IO;
		} else {
			json_object_put(result);
		}
	}
	json_object_put(errors);
	for (size_t i = 0; i < n; i++)
		run_close(&runs[i]);
	free(runs);
	fab_file_free(&f);
	return code;
}
