// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * doctor: walk a switch's ports, vPPBs, LDs and event logs (its own and
 * its devices') and list what looks wrong, each finding with the command
 * that would fix it: a device held in reset (PERST#), a link that is
 * down with a device present, a vPPB stuck binding or unbinding, an LD
 * bound to a host with no memory allocated, an event log that
 * overflowed.  Read-only: it sends nothing that changes state.  Exit 0
 * when nothing was found, EXIT_FINDINGS (12) when something was.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct doctor_args {
	const char *name;
};

static error_t doctor_parse(int key, char *arg, struct argp_state *state)
{
	struct doctor_args *a = state->input;

	return switch_arg(state, key, arg, &a->name);
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp doctor_argp = {
	.parser = doctor_parse,
	.args_doc = "SWITCH",
	.doc = "Look a switch over and list what looks wrong, with the command "
	       "that would fix each: ports held in reset (PERST#) or whose link "
	       "is down, vPPBs stuck binding or unbinding, LDs bound to a host "
	       "with no memory, event logs that overflowed.  Exit 0 when "
	       "nothing was found, 12 when something was.",
	.children = output_child,
};

struct doctor {
	struct cxlsw_dev *sw;
	const char *name;		/* the switch's */
	struct switch_state st;
	struct json_object *findings;
	struct json_object *checked;
	struct json_object *result;	/* for "unavailable" */
	unsigned int lds, logs;
};

/* One finding: what, where, and what to run ("" when there is nothing). */
static void finding(struct doctor *d, const char *kind, int port, int vcs,
		    int vppb, int ld, const char *log, const char *what,
		    const char *fix)
{
	struct json_object *f = json_object_new_object();

	json_add(f, "kind", json_object_new_string(kind));
	json_add(f, "port_id", port >= 0 ? json_int(port) : NULL);
	json_add(f, "vcs_id", vcs >= 0 ? json_int(vcs) : NULL);
	json_add(f, "vppb_id", vppb >= 0 ? json_int(vppb) : NULL);
	json_add(f, "ld_id", ld >= 0 ? json_int(ld) : NULL);
	json_add(f, "log", log ? json_object_new_string(log) : NULL);
	json_add(f, "problem", json_object_new_string(what));
	json_add(f, "fix", *fix ? json_object_new_string(fix) : NULL);
	json_object_array_add(d->findings, f);
}

static bool device_present(const struct cxlsw_port_state *p)
{
	return p->connected_device_type != CXLSW_DEV_NONE ||
	       (p->link_flags & CXLSW_LINK_PRSNT_DETECTED);
}

/* Ports: a device held in reset, or present with its link down. */
static void check_ports(struct doctor *d)
{
	char what[160], fix[160];

	for (size_t i = 0; i < d->st.nports; i++) {
		const struct cxlsw_port_state *p = &d->st.ports[i];

		if (p->config_state != CXLSW_PORT_DSP || !device_present(p))
			continue;
		if (p->link_flags & CXLSW_LINK_PERST_ASSERTED) {
			snprintf(what, sizeof(what),
				 "port %u is held in reset (PERST#): its %s cannot be reached",
				 p->port_id,
				 cxlsw_device_type_name(p->connected_device_type) ?: "device");
			snprintf(fix, sizeof(fix),
				 "cxl-switch port-control %s --port %u --deassert-perst",
				 d->name, p->port_id);
			finding(d, "perst_held", p->port_id, -1, -1, -1, NULL,
				what, fix);
		} else if (port_link_down(p)) {
			snprintf(what, sizeof(what),
				 "the link of port %u is down (LTSSM %s) with a device present",
				 p->port_id,
				 cxlsw_ltssm_name(p->ltssm_state) ?: "unknown");
			snprintf(fix, sizeof(fix),
				 "cxl-switch port-control %s --port %u --reset",
				 d->name, p->port_id);
			finding(d, "link_down", p->port_id, -1, -1, -1, NULL,
				what, fix);
		}
	}
}

/* vPPBs in progress: a running bind or unbind, or one left stuck. */
static void check_vppbs(struct doctor *d, unsigned int *nvppbs)
{
	struct cxlsw_bg_status bg;
	/* asked at the first vPPB in progress: with none, never */
	int running = -1;
	char what[200], fix[160];

	for (size_t i = 0; i < d->st.nvcs; i++) {
		const struct cxlsw_vcs_info *v = &d->st.vcs[i];

		*nvppbs += v->have;
		for (unsigned int b = 0; b < v->have; b++) {
			const struct cxlsw_vppb *e = &v->vppbs[b];

			if (e->binding_status != CXLSW_VPPB_IN_PROGRESS)
				continue;
			if (running < 0)
				running = !cxlsw_bg_status(d->sw, &bg) &&
					  bg.running &&
					  (bg.opcode == CXLSW_OP_BIND_VPPB ||
					   bg.opcode == CXLSW_OP_UNBIND_VPPB);
			if (running) {
				snprintf(what, sizeof(what),
					 "vPPB %u of VCS %u is binding or unbinding: %u%% done",
					 b, v->vcs_id, bg.percent);
				snprintf(fix, sizeof(fix),
					 "cxl-switch bg-status %s", d->name);
				finding(d, "vppb_in_progress", -1, v->vcs_id,
					(int)b, -1, NULL, what, fix);
				continue;
			}
			snprintf(what, sizeof(what),
				 "vPPB %u of VCS %u is stuck binding or unbinding port %u: no background operation runs",
				 b, v->vcs_id, e->port_id);
			snprintf(fix, sizeof(fix),
				 "cxl-switch port-control %s --port %u --reset",
				 d->name, e->port_id);
			finding(d, "vppb_stuck", e->port_id, v->vcs_id, (int)b,
				-1, NULL, what, fix);
		}
	}
}

/* An MLD's LDs bound to a vPPB: each needs memory, or its host sees none. */
static void check_lds(struct doctor *d, struct cxlsw_dev *dev,
		      const struct cxlsw_port_state *p)
{
	struct cxlsw_ld_alloc_list l;
	char what[200], fix[160], gran[32];
	uint64_t g;

	if (cxlsw_ld_alloc_get(dev, &l)) {
		unavailable_add(d->result, dev);
		return;
	}
	d->lds += l.ld_count;
	g = cxlsw_ld_granularity_bytes(l.granularity);
	format_size(g, gran, sizeof(gran));
	for (size_t v = 0; v < d->st.nvcs; v++)
		for (unsigned int b = 0; b < d->st.vcs[v].have; b++) {
			const struct cxlsw_vppb *e = &d->st.vcs[v].vppbs[b];

			if (e->binding_status != CXLSW_VPPB_BOUND_LD ||
			    e->port_id != p->port_id ||
			    e->ld_id >= l.ld_count ||
			    l.lds[e->ld_id].range1 + l.lds[e->ld_id].range2)
				continue;
			snprintf(what, sizeof(what),
				 "LD %u of port %u is bound to vPPB %u of VCS %u but has no memory allocated",
				 e->ld_id, p->port_id, b,
				 d->st.vcs[v].vcs_id);
			/* the size is the admin's: one granule shown */
			snprintf(fix, sizeof(fix),
				 "cxl-switch set-lds %s --port %u %u=SIZE (a multiple of %s)",
				 d->name, p->port_id, e->ld_id, gran);
			finding(d, "ld_no_memory", p->port_id,
				d->st.vcs[v].vcs_id, (int)b, e->ld_id,
				NULL, what, fix);
		}
}

/* One CCI's event logs: a log that overflowed lost records. */
static void check_logs_of(struct doctor *d, struct cxlsw_dev *dev, int port)
{
	char what[200], fix[160], where[32] = "";

	if (port >= 0)
		snprintf(where, sizeof(where), " --port %d", port);
	for (uint8_t log = 0; log < CXLSW_EVENT_LOGS; log++) {
		struct cxlsw_event_record *rec = NULL;
		struct cxlsw_event_page pg;
		size_t n;
		bool more;

		if (cxlsw_read_events(dev, log, &rec, &n, &pg, &more)) {
			char why[320];

			/* a device without event logs has nothing to check */
			if (port >= 0 || unavailable_add(d->result, dev))
				return;
			snprintf(why, sizeof(why), "the event logs of %s (%s)",
				 d->name, cxlsw_error_string(cxlsw_dev_error(dev),
							     what, sizeof(what)));
			unavailable_add_text(d->result, why);
			return;
		}
		free(rec);
		d->logs++;
		if (!pg.overflow)
			continue;
		snprintf(what, sizeof(what),
			 "the %s event log of %s overflowed: %u record%s lost",
			 cxlsw_event_log_name(log) ?: "unknown",
			 port >= 0 ? target_name(dev) : d->name,
			 pg.overflow_count, pg.overflow_count == 1 ? "" : "s");
		snprintf(fix, sizeof(fix),
			 "cxl-switch events %s%s --log %s --clear",
			 d->name, where, cxlsw_event_log_name(log) ?: "?");
		finding(d, "event_log_overflow", port, -1, -1, -1,
			cxlsw_event_log_name(log), what, fix);
	}
}

/*
 * Every Type 3 device whose link is up, through one tunnel: an MLD's LDs,
 * then the device's event logs; the switch's logs between the two in the
 * findings (LDs, the switch's logs, the devices' logs).  The device's
 * limit, which reading its event records needs whatever they hold, is
 * asked first: the allocations then take the fewest pages.
 */
static void check_devices(struct doctor *d)
{
	struct json_object *all = d->findings, *logs = json_object_new_array();
	bool tunnel = !cxlsw_dev_lacks(d->sw, CXLSW_OP_TUNNEL);
	size_t limit;

	for (size_t i = 0; tunnel && i < d->st.nports; i++) {
		const struct cxlsw_port_state *p = &d->st.ports[i];
		struct cxlsw_dev *dev;

		if (!port_has_memdev(p) || port_link_down(p))
			continue;
		dev = port_device_open(d->sw, p);
		if (!dev)
			continue;
		cxlsw_dev_msg_limit(dev, &limit);
		if (p->connected_device_type == CXLSW_DEV_TYPE3_MLD)
			check_lds(d, dev, p);
		d->findings = logs;
		check_logs_of(d, dev, p->port_id);
		d->findings = all;
		cxlsw_dev_close(dev);
	}
	check_logs_of(d, d->sw, -1);
	for (size_t i = 0; i < json_object_array_length(logs); i++)
		json_object_array_add(all, json_object_get(
				      json_object_array_get_idx(logs, i)));
	json_object_put(logs);
}

static void doctor_human(struct json_object *r)
{
	struct json_object *f = jget(r, "findings"), *c = jget(r, "checked");
	size_t n = json_object_array_length(f);

	printf("%s: %zu finding%s (checked %d ports, %d VCSs, %d vPPBs, %d LDs, %d event logs)\n",
	       json_object_get_string(jget(r, "switch")), n, n == 1 ? "" : "s",
	       json_object_get_int(jget(c, "ports")),
	       json_object_get_int(jget(c, "vcss")),
	       json_object_get_int(jget(c, "vppbs")),
	       json_object_get_int(jget(c, "lds")),
	       json_object_get_int(jget(c, "event_logs")));
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(f, i);

		printf("  %s\n", json_object_get_string(jget(e, "problem")));
		if (jget(e, "fix"))
			printf("    fix: %s\n",
			       json_object_get_string(jget(e, "fix")));
	}
	unavailable_print(r, "not checked");
}

int cmd_doctor(int argc, char **argv)
{
	struct doctor_args a = { NULL };
	struct doctor d = { .st.nports = 0 };
	unsigned int nvppbs = 0;
	size_t n, limit;
	int code = 0;

	cli_parse(&doctor_argp, "doctor", argc, argv, &a);
	d.sw = cli_open("doctor", a.name, &code);
	if (!d.sw)
		return code;
	d.name = cxlsw_dev_name(d.sw);
	/* reading the event records needs the limit whatever they hold:
	 * learned first, every paged answer then takes the fewest pages */
	cxlsw_dev_msg_limit(d.sw, &limit);
	if (state_read(d.sw, &d.st, STATE_ALL)) {
		code = cli_dev_fail("doctor", d.sw);
		goto out;
	}
	d.result = json_object_new_object();
	d.findings = json_object_new_array();
	d.checked = json_object_new_object();
	json_add(d.result, "switch", json_object_new_string(d.name));
	check_ports(&d);
	if (d.st.vcs_unavailable)	/* no vPPBs to look at */
		unavailable_add_text(d.result, d.st.vcs_why);
	check_vppbs(&d, &nvppbs);
	check_devices(&d);
	n = json_object_array_length(d.findings);
	json_add(d.result, "healthy", json_boolean(!n));
	json_add(d.checked, "ports", json_int((int64_t)d.st.nports));
	json_add(d.checked, "vcss", json_int((int64_t)d.st.nvcs));
	json_add(d.checked, "vppbs", json_int(nvppbs));
	json_add(d.checked, "lds", json_int(d.lds));
	json_add(d.checked, "event_logs", json_int(d.logs));
	json_add(d.result, "checked", d.checked);
	json_add(d.result, "findings", d.findings);
	code = emit(d.result, doctor_human) ?: (n ? EXIT_FINDINGS : EXIT_OK);
out:
	state_free(&d.st);
	cxlsw_dev_close(d.sw);
	return code;
}
