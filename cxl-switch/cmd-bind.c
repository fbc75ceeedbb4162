// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bind and unbind (0x5201, 0x5202): give a host's vPPB a downstream port,
 * or one LD of a pooled device, and take it back.  Both are background
 * operations and both change what a host sees, so both are checked
 * against the switch's state and go through the safety policy.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

/* --vppb any, --ld any: the tool picks the first free one */
#define PICK_ANY	(-2)

struct bind_args {
	const char *name;
	bool unbind;
	long vcs, vppb, port, ld;	/* -1: not given; PICK_ANY */
	uint8_t mode;
	struct change_opts change;
	struct cxlsw_vppb before;	/* the vPPB when checked */
	bool picked_vppb, picked_ld;	/* chosen by the tool */
	bool picked_port;		/* --ld any without --port */
	char warning[256];		/* said before the change: "" none */
};

#define VPPB_OPTIONS \
	{ "vcs", 'v', "ID", 0, "The virtual CXL switch (0-255)", 0 }, \
	{ "vppb", 'b', "ID", 0, "The vPPB of that VCS (0-255; bind: any, the first unbound)", 0 }

static const struct argp_option bind_options[] = {
	VPPB_OPTIONS,
	{ "port", 'p', "ID", 0, "The downstream port to bind", 0 },
	{ "ld", 'l', "ID", 0, "The LD of a pooled device (MLD) on that port; any: the first LD bound nowhere that has memory", 0 },
	{ 0 },
};

static const struct argp_option unbind_options[] = {
	VPPB_OPTIONS,
	{ "mode", 'm', "MODE", 0,
	  "How the host sees it: wait (for the link to go down, default), managed (hot-remove), surprise", 0 },
	{ 0 },
};

static error_t bind_parse(int key, char *arg, struct argp_state *state)
{
	struct bind_args *a = state->input;
	bool unbind = a->unbind;
	uint8_t mode;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case 'v':
		a->vcs = (long)id_arg(state, "--vcs", arg, 255);
		return 0;
	case 'b':
		if (!unbind && !strcmp(arg, "any"))
			a->vppb = PICK_ANY;
		else
			a->vppb = (long)id_arg(state, "--vppb", arg, 255);
		return 0;
	case 'p':
		a->port = (long)id_arg(state, "--port", arg, 255);
		return 0;
	case 'l':
		if (!strcmp(arg, "any"))
			a->ld = PICK_ANY;
		else
			a->ld = (long)id_arg(state, "--ld", arg, 0xFFFE);
		return 0;
	case 'm':
		if (parse_enum_word(arg, cxlsw_unbind_mode_name, &mode))
			usage_error(state, "invalid --mode '%s': expected wait, managed or surprise",
				    arg);
		a->mode = mode;
		return 0;
	case ARGP_KEY_ARG:
		if (a->name)
			usage_error(state, "too many arguments: expected one SWITCH");
		a->name = arg;
		return 0;
	case ARGP_KEY_END:
		if (!a->name)
			usage_error(state, "missing SWITCH (for example switch0)");
		if (a->vcs < 0 || a->vppb == -1)
			usage_error(state, "missing %s: give --vcs and --vppb",
				    a->vcs < 0 ? "--vcs" : "--vppb");
		if (!unbind && a->port < 0 && a->ld != PICK_ANY)
			usage_error(state, "missing --port: the downstream port to bind (or --ld any: an LD of any pooled device)");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp bind_argp = {
	.options = bind_options,
	.parser = bind_parse,
	.args_doc = "SWITCH --vcs V --vppb B|any (--port P [--ld L|any] | --ld any)",
	.doc = "Bind a downstream port, or one LD of a pooled device, to a "
	       "vPPB of a virtual CXL switch (Bind vPPB, 0x5201).  With "
	       "--vppb any the first unbound vPPB of the VCS is taken, with "
	       "--ld any the first LD that is bound nowhere and has memory "
	       "(without --port, of the first pooled device that has one); "
	       "the effect says which, --dry-run too.",
	.children = change_children,
};

static const struct argp unbind_argp = {
	.options = unbind_options,
	.parser = bind_parse,
	.args_doc = "SWITCH --vcs V --vppb B [--mode wait|managed|surprise]",
	.doc = "Unbind a vPPB of a virtual CXL switch from what it is bound to "
	       "(Unbind vPPB, 0x5202).",
	.children = change_children,
};

/* The vPPB that bound the port (or its LD), or NULL. */
static const struct cxlsw_vcs_info *bound_where(const struct switch_state *st,
						unsigned int port,
						unsigned int ld,
						unsigned int *vppb)
{
	for (size_t i = 0; i < st->nvcs; i++)
		for (unsigned int b = 0; b < st->vcs[i].num_vppbs; b++) {
			const struct cxlsw_vppb *e = &st->vcs[i].vppbs[b];

			if (e->binding_status == CXLSW_VPPB_UNBOUND ||
			    e->port_id != port)
				continue;
			if (ld != CXLSW_WHOLE_PORT &&
			    e->binding_status == CXLSW_VPPB_BOUND_LD &&
			    e->ld_id != ld)
				continue;
			*vppb = b;
			return &st->vcs[i];
		}
	return NULL;
}

/* The VCS and vPPB named on the command line, or an error. */
static int check_vppb(const char *cmd, const struct switch_state *st,
		      const struct bind_args *a, const char *sw,
		      const struct cxlsw_vcs_info **vcs)
{
	*vcs = state_vcs(st, a->vcs);
	if (!*vcs)
		return cli_fail(cmd, EXIT_USAGE, "VCS %ld does not exist on %s",
				a->vcs, sw);
	if ((*vcs)->state != CXLSW_VCS_ENABLED)
		return cli_fail(cmd, EXIT_USAGE, "VCS %ld is not enabled", a->vcs);
	if (a->vppb >= (*vcs)->num_vppbs)
		return cli_fail(cmd, EXIT_USAGE,
				"VCS %ld has %u vPPBs: there is no vPPB %ld",
				a->vcs, (*vcs)->num_vppbs, a->vppb);
	return 0;
}

static int check_port(const struct switch_state *st,
		      const struct bind_args *a, const char *sw,
		      const struct cxlsw_port_state **port)
{
	const char *state;
	bool mld;

	*port = state_port(st, a->port);
	if (!*port)
		return cli_fail("bind", EXIT_USAGE, "port %ld does not exist on %s",
				a->port, sw);
	if ((*port)->config_state != CXLSW_PORT_DSP) {
		state = cxlsw_port_config_state_name((*port)->config_state);
		return cli_fail("bind", EXIT_USAGE,
				"port %ld is not a downstream port (it is %s)",
				a->port, state ? state : "in an unknown state");
	}
	mld = (*port)->connected_device_type == CXLSW_DEV_TYPE3_MLD;
	if (mld && a->ld < 0)
		return cli_fail("bind", EXIT_USAGE,
				"port %ld holds a pooled device (CXL Type 3 MLD): give --ld 0-%d",
				a->port, (*port)->supported_ld_count - 1);
	if (!mld && a->ld >= 0)
		return cli_fail("bind", EXIT_USAGE,
				"port %ld holds no pooled device: --ld applies to a CXL Type 3 MLD",
				a->port);
	if (mld && a->ld >= (*port)->supported_ld_count)
		return cli_fail("bind", EXIT_USAGE,
				"port %ld has %u LDs: there is no LD %ld", a->port,
				(*port)->supported_ld_count, a->ld);
	return 0;
}

static int bind_read_back(struct change *c, int code);

/* --vppb any: the first unbound vPPB of the VCS. */
static int pick_vppb(const struct switch_state *st, struct bind_args *a,
		     const char *sw)
{
	const struct cxlsw_vcs_info *vcs = state_vcs(st, a->vcs);

	if (a->vppb != PICK_ANY)
		return 0;
	if (!vcs)
		return cli_fail("bind", EXIT_USAGE, "VCS %ld does not exist on %s",
				a->vcs, sw);
	for (unsigned int b = 0; b < vcs->num_vppbs && b < vcs->have; b++)
		if (vcs->vppbs[b].binding_status == CXLSW_VPPB_UNBOUND) {
			a->vppb = b;
			a->picked_vppb = true;
			return 0;
		}
	return cli_fail("bind", EXIT_USAGE,
			"VCS %ld has no unbound vPPB: all %u are bound or in progress; see 'cxl-switch list-vcs %s --vcs %ld'",
			a->vcs, vcs->num_vppbs, sw, a->vcs);
}

/*
 * The LDs of a pooled device: --ld any picks the first that is bound
 * nowhere and has memory; an LD with no memory is bound only with a
 * warning, said before anything is asked or sent.  Allocations that
 * cannot be read leave the choice impossible and the warning unsaid.
 */
/* The first LD of l bound nowhere that has memory, or -1. */
static int free_ld(const struct switch_state *st, unsigned int port,
		   const struct cxlsw_ld_alloc_list *l)
{
	for (unsigned int i = 0; i < l->ld_count; i++)
		if (!state_ld_bound(st, port, i) && l->lds[i].range1 + l->lds[i].range2)
			return (int)i;
	return -1;
}

/*
 * --ld any without --port: the first pooled device, in port order, whose
 * link is up and that has such an LD.
 */
static int pick_port(struct change *c, const struct switch_state *st,
		     struct bind_args *a)
{
	for (size_t i = 0; i < st->nports; i++) {
		const struct cxlsw_port_state *p = &st->ports[i];
		struct cxlsw_ld_alloc_list l;
		struct cxlsw_dev *dev;
		bool have;

		if (p->config_state != CXLSW_PORT_DSP ||
		    p->connected_device_type != CXLSW_DEV_TYPE3_MLD ||
		    port_link_down(p))
			continue;
		dev = port_device_open(c->dev, p);
		have = dev && !cxlsw_ld_alloc_get(dev, &l);
		cxlsw_dev_close(dev);
		if (have && free_ld(st, p->port_id, &l) >= 0) {
			a->port = p->port_id;
			a->picked_port = true;
			return 0;
		}
	}
	return cli_fail("bind", EXIT_USAGE,
			"no pooled device has an LD that is bound nowhere and has memory; see 'cxl-switch topology %s'",
			cxlsw_dev_name(c->dev));
}

static int pick_ld(struct change *c, const struct switch_state *st,
		   struct bind_args *a, const struct cxlsw_port_state *port)
{
	struct cxlsw_dev *dev = port_device_open(c->dev, port);
	struct cxlsw_ld_alloc_list l;
	bool have = dev && !cxlsw_ld_alloc_get(dev, &l);
	const char *sw = cxlsw_dev_name(c->dev);
	int ld;

	cxlsw_dev_close(dev);
	if (a->ld == PICK_ANY) {
		if (!have)
			return cli_fail("bind", EXIT_IO,
					"--ld any: the LD allocations of port %ld cannot be read; give --ld",
					a->port);
		ld = free_ld(st, port->port_id, &l);
		if (ld >= 0) {
			a->ld = ld;
			a->picked_ld = true;
			return 0;
		}
		return cli_fail("bind", EXIT_USAGE,
				"port %ld has no LD that is bound nowhere and has memory; give one some with 'cxl-switch set-lds %s --port %ld LD=SIZE'",
				a->port, sw, a->port);
	}
	if (have && a->ld < l.ld_count &&
	    !(l.lds[a->ld].range1 + l.lds[a->ld].range2)) {
		snprintf(a->warning, sizeof(a->warning),
			 "LD %ld of port %ld has no memory allocated: the host sees a device without capacity; give it some with 'cxl-switch set-lds %s --port %ld %ld=SIZE'",
			 a->ld, a->port, sw, a->port, a->ld);
		fprintf(stderr, "cxl-switch bind: warning: %s\n", a->warning);
	}
	return 0;
}

/* What the tool chose, and its warning, in the result (dry run too). */
static void bind_answer(const struct change *c, struct json_object *result)
{
	const struct bind_args *a = c->ctx;
	struct json_object *p;

	if (a->picked_vppb || a->picked_ld) {
		p = json_object_new_object();
		if (a->picked_vppb)
			json_add(p, "vppb_id", json_int(a->vppb));
		if (a->picked_port)
			json_add(p, "port_id", json_int(a->port));
		if (a->picked_ld)
			json_add(p, "ld_id", json_int(a->ld));
		json_add(result, "picked", p);
	}
	if (a->warning[0])
		json_add(result, "warning", json_object_new_string(a->warning));
}

/*
 * Without Get VCS Info the vPPB cannot be checked: the port still is, and
 * the description says what was not (the device itself refuses a bad
 * vPPB with Invalid Input).
 */
static int check_bind_blind(const struct switch_state *st,
			    const struct bind_args *a, struct change *c)
{
	const struct cxlsw_port_state *port;
	unsigned int ld = a->ld < 0 ? CXLSW_WHOLE_PORT : (unsigned int)a->ld;
	char pdesc[96];
	int code = check_port(st, a, cxlsw_dev_name(c->dev), &port);

	if (code)
		return code;
	describe_port(port->port_id, port, ld, pdesc, sizeof(pdesc));
	snprintf(c->what, sizeof(c->what),
		 "binds %.64s to vPPB %ld of VCS %ld (vPPB not checked: no %.96s)",
		 pdesc, a->vppb, a->vcs, st->vcs_why);
	snprintf(c->whom, sizeof(c->whom),
		 "the host of VCS %ld gains it (its upstream port is unknown)",
		 a->vcs);
	return 0;
}

static int check_bind(const struct switch_state *st, const void *args,
		      struct change *c)
{
	const struct bind_args *a = args;
	const char *sw = cxlsw_dev_name(c->dev);
	const struct cxlsw_vcs_info *vcs, *other;
	const struct cxlsw_port_state *port;
	unsigned int ld = a->ld < 0 ? CXLSW_WHOLE_PORT : (unsigned int)a->ld;
	unsigned int at;
	char pdesc[96];
	int code;

	if (st->vcs_unavailable && (a->vppb == PICK_ANY || a->ld == PICK_ANY))
		return cli_fail("bind", EXIT_UNSUPPORTED,
				"'any' needs to see the vPPBs: %s does not implement %s; give numbers",
				sw, st->vcs_why);
	if (st->vcs_unavailable) {
		code = check_bind_blind(st, a, c);
		if (code)
			return code;
		goto encode;
	}
	code = pick_vppb(st, (struct bind_args *)a, sw);
	if (!code)
		code = check_vppb("bind", st, a, sw, &vcs);
	if (!code && a->port < 0)	/* --ld any alone: any pooled device */
		code = pick_port(c, st, (struct bind_args *)a);
	if (!code && a->ld == PICK_ANY)	/* an LD of an MLD, whichever */
		code = check_port(st, &(struct bind_args){ .port = a->port,
							   .ld = 0 }, sw, &port);
	else if (!code)
		code = check_port(st, a, sw, &port);
	if (!code && port->connected_device_type == CXLSW_DEV_TYPE3_MLD)
		code = pick_ld(c, st, (struct bind_args *)a, port);
	if (code)
		return code;
	ld = a->ld < 0 ? CXLSW_WHOLE_PORT : (unsigned int)a->ld;
	if (vcs->vppbs[a->vppb].binding_status != CXLSW_VPPB_UNBOUND)
		return cli_fail("bind", EXIT_USAGE,
				"vPPB %ld of VCS %ld is not unbound: unbind it first",
				a->vppb, a->vcs);
	other = bound_where(st, a->port, ld, &at);
	if (other)
		return cli_fail("bind", EXIT_USAGE,
				"port %ld%s is already bound to vPPB %u of VCS %u",
				a->port, ld == CXLSW_WHOLE_PORT ? "" : " (that LD)",
				at, other->vcs_id);
	describe_port(port->port_id, port, ld, pdesc, sizeof(pdesc));
	snprintf(c->what, sizeof(c->what), "binds %s to vPPB %ld of VCS %ld%s%s%s",
		 pdesc, a->vppb, a->vcs,
		 a->picked_vppb || a->picked_ld ? " (picked: " : "",
		 a->picked_vppb ? (a->picked_port ? "the first unbound vPPB, the first pooled device with a free LD with memory, that LD" :
				   a->picked_ld ? "the first unbound vPPB, the first free LD with memory" :
				   "the first unbound vPPB") :
		 a->picked_port ? "the first pooled device with a free LD with memory, that LD" :
		 a->picked_ld ? "the first free LD with memory" : "",
		 a->picked_vppb || a->picked_ld ? ")" : "");
	snprintf(c->whom, sizeof(c->whom), "the host on upstream port %u (VCS %ld) gains it",
		 vcs->usp_id, a->vcs);
	/* without Get VCS Info there is nothing to read the outcome back from */
	((struct bind_args *)a)->before = vcs->vppbs[a->vppb];
	c->ctx = a;
	c->read_back = bind_read_back;
	c->answer = bind_answer;
encode:
	snprintf(c->args, sizeof(c->args), "vcs=%ld vppb=%ld port=%ld ld=%ld",
		 a->vcs, a->vppb, a->port, a->ld);
	c->opcode = CXLSW_OP_BIND_VPPB;
	c->port = (int)a->port;
	c->req_len = CXLSW_BIND_LEN;
	return cxlsw_bind_encode(a->vcs, a->vppb, a->port, ld, c->req,
				 sizeof(c->req)) ? EXIT_USAGE : 0;
}

static int check_unbind(const struct switch_state *st, const void *args,
			struct change *c)
{
	const struct bind_args *a = args;
	const char *sw = cxlsw_dev_name(c->dev);
	const struct cxlsw_vcs_info *vcs;
	const struct cxlsw_vppb *e;
	char pdesc[96];
	int code;

	if (st->vcs_unavailable) {
		/* what the vPPB holds is unknown: say so, the device checks */
		snprintf(c->what, sizeof(c->what),
			 "unbinding vPPB %ld of VCS %ld (%s) removes what it is bound to (unknown: no %.96s)",
			 a->vppb, a->vcs, cxlsw_unbind_mode_name(a->mode),
			 st->vcs_why);
		snprintf(c->whom, sizeof(c->whom),
			 "the host of VCS %ld loses it (its upstream port is unknown)",
			 a->vcs);
		c->port = -1;
		goto encode;
	}
	code = check_vppb("unbind", st, a, sw, &vcs);
	if (code)
		return code;
	e = &vcs->vppbs[a->vppb];
	if (e->binding_status != CXLSW_VPPB_BOUND_PORT &&
	    e->binding_status != CXLSW_VPPB_BOUND_LD)
		return cli_fail("unbind", EXIT_USAGE,
				"vPPB %ld of VCS %ld is not bound (it is %s)",
				a->vppb, a->vcs,
				cxlsw_vppb_binding_name(e->binding_status) ?:
				"in an unknown state");
	describe_port(e->port_id, state_port(st, e->port_id),
		      e->binding_status == CXLSW_VPPB_BOUND_LD ? e->ld_id :
		      CXLSW_WHOLE_PORT, pdesc, sizeof(pdesc));
	snprintf(c->what, sizeof(c->what),
		 "unbinding vPPB %ld of VCS %ld removes %s from the host on upstream port %u (%s)",
		 a->vppb, a->vcs, pdesc, vcs->usp_id,
		 cxlsw_unbind_mode_name(a->mode));
	snprintf(c->whom, sizeof(c->whom), "the host on upstream port %u (VCS %ld) loses it",
		 vcs->usp_id, a->vcs);
	c->port = e->port_id;
	/* without Get VCS Info there is nothing to read the outcome back from */
	((struct bind_args *)a)->before = *e;
	c->ctx = a;
	c->read_back = bind_read_back;
	c->answer = bind_answer;
encode:
	snprintf(c->args, sizeof(c->args), "vcs=%ld vppb=%ld mode=%s", a->vcs,
		 a->vppb, cxlsw_unbind_mode_name(a->mode));
	c->opcode = CXLSW_OP_UNBIND_VPPB;
	c->req_len = CXLSW_UNBIND_LEN;
	return cxlsw_unbind_encode(a->vcs, a->vppb, a->mode, c->req,
				   sizeof(c->req)) ? EXIT_USAGE : 0;
}

/* What the vPPB is now, read back: "unbound", "bound to port 7 LD 3". */
static int vppb_now(struct change *c, const struct bind_args *a,
		    struct cxlsw_vppb *now)
{
	struct switch_state st = { .nports = 0 };
	const struct cxlsw_vcs_info *vcs;
	int rc = -1;

	if (!state_read(c->dev, &st, STATE_ALL)) {
		vcs = state_vcs(&st, (unsigned int)a->vcs);
		if (vcs && a->vppb < vcs->num_vppbs) {
			*now = vcs->vppbs[a->vppb];
			rc = 0;
		}
	}
	state_free(&st);
	return rc;
}

static void vppb_text(const struct cxlsw_vppb *v, char *buf, size_t len)
{
	const char *status = cxlsw_vppb_binding_name(v->binding_status);

	if (v->binding_status == CXLSW_VPPB_BOUND_PORT)
		snprintf(buf, len, "bound to port %u", v->port_id);
	else if (v->binding_status == CXLSW_VPPB_BOUND_LD)
		snprintf(buf, len, "bound to port %u LD %u", v->port_id,
			 v->ld_id);
	else if (v->binding_status == CXLSW_VPPB_IN_PROGRESS)
		snprintf(buf, len, "still in progress");
	else
		snprintf(buf, len, "%s", status ? status : "in an unknown state");
}

static bool is_bound_as(const struct cxlsw_vppb *v, unsigned int port,
			unsigned int ld)
{
	if (ld == CXLSW_WHOLE_PORT)
		return v->binding_status == CXLSW_VPPB_BOUND_PORT &&
		       v->port_id == port;
	return v->binding_status == CXLSW_VPPB_BOUND_LD &&
	       v->port_id == port && v->ld_id == ld;
}

/*
 * After a failed, interrupted or timed-out bind or unbind: the vPPB says
 * what happened.  In progress: it goes on in the device (an interrupted
 * wait keeps its code; a failed status poll is not a failed bind).
 */
static int bind_read_back(struct change *c, int code)
{
	const struct bind_args *a = c->ctx;
	const char *sw = cxlsw_dev_name(c->dev), *op = a->unbind ? "unbind" :
			 "bind";
	unsigned int ld = a->ld < 0 ? CXLSW_WHOLE_PORT : (unsigned int)a->ld;
	struct cxlsw_vppb now;
	bool done, same;
	char text[64];

	if (vppb_now(c, a, &now)) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "the vPPB could not be read back: the outcome is unknown; see 'cxl-switch list-vcs %s --vcs %ld'",
			 sw, a->vcs);
		return EXIT_PARTIAL;
	}
	vppb_text(&now, text, sizeof(text));
	done = a->unbind ? now.binding_status == CXLSW_VPPB_UNBOUND :
	       is_bound_as(&now, (unsigned int)a->port, ld);
	same = !memcmp(&now, &a->before, sizeof(now));
	if (done) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: vPPB %ld of VCS %ld is %s: the %s is done",
			 a->vppb, a->vcs, text, op);
		return EXIT_OK;
	}
	if (same) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: vPPB %ld of VCS %ld is %s as before: nothing changed",
			 a->vppb, a->vcs, text);
		return code;
	}
	if (now.binding_status == CXLSW_VPPB_IN_PROGRESS) {
		snprintf(c->outcome, sizeof(c->outcome),
			 "read back: vPPB %ld of VCS %ld is still in progress: the %s goes on in the device; see 'cxl-switch bg-status %s' and 'cxl-switch list-vcs %s --vcs %ld'",
			 a->vppb, a->vcs, op, sw, sw, a->vcs);
		return code == EXIT_PENDING ? code : EXIT_PARTIAL;
	}
	snprintf(c->outcome, sizeof(c->outcome),
		 "read back: vPPB %ld of VCS %ld is %s: the outcome is not what was asked",
		 a->vppb, a->vcs, text);
	return EXIT_PARTIAL;
}

int cmd_bind(int argc, char **argv)
{
	struct bind_args a = { .vcs = -1, .vppb = -1, .port = -1, .ld = -1 };

	cli_parse(&bind_argp, "bind", argc, argv, &a);
	return change_run("bind", a.name, &a, check_bind, STATE_ALL,
			  &a.change);
}

int cmd_unbind(int argc, char **argv)
{
	struct bind_args a = { .unbind = true, .vcs = -1, .vppb = -1,
			       .port = -1, .ld = -1 };

	cli_parse(&unbind_argp, "unbind", argc, argv, &a);
	return change_run("unbind", a.name, &a, check_unbind, STATE_ALL,
			  &a.change);
}
