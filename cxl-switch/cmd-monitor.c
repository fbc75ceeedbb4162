// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * monitor: poll the switch and print one line per change, a port whose
 * state or link changed, a vPPB whose binding changed, a new event
 * record, each with the time it was seen, until interrupted.  Reads only:
 * the event logs are not cleared, so monitoring takes nothing away from
 * the switch's other managers.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"
#include "cli.h"

#define INTERVAL_MIN	0.01
#define SECONDS_MAX	86400.0

struct monitor_args {
	const char *name;
	double interval;
	unsigned long count;		/* 0: no limit */
	double duration;		/* 0: no limit */
	bool have_duration;
};

enum { OPT_INTERVAL = 0x600, OPT_COUNT, OPT_DURATION };

static const struct argp_option monitor_options[] = {
	{ "interval", OPT_INTERVAL, "SECONDS", 0,
	  "Poll every SECONDS, decimals allowed (default 1)", 0 },
	{ "count", OPT_COUNT, "N", 0, "Stop after N changes", 0 },
	{ "duration", OPT_DURATION, "SECONDS", 0, "Stop after SECONDS", 0 },
	{ 0 },
};

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static error_t monitor_parse(int key, char *arg, struct argp_state *state)
{
	struct monitor_args *a = state->input;

	switch (key) {
	case OPT_INTERVAL:
		if (parse_seconds(arg, SECONDS_MAX, &a->interval) ||
		    a->interval < INTERVAL_MIN)
			usage_error(state, "invalid --interval '%s': expected seconds from 0.01 to 86400, like 0.2",
				    arg);
		return 0;
	case OPT_COUNT:
		if (parse_uint(arg, 1000000000, &a->count) || !a->count)
			usage_error(state, "invalid --count '%s': expected a number of changes from 1",
				    arg);
		return 0;
	case OPT_DURATION:
		if (parse_seconds(arg, SECONDS_MAX, &a->duration))
			usage_error(state, "invalid --duration '%s': expected seconds from 0 to 86400, like 2.5",
				    arg);
		a->have_duration = true;
		return 0;
	case ARGP_KEY_END:
		if (a->count && a->have_duration)
			usage_error(state, "give one of --count and --duration");
		return switch_arg(state, key, arg, &a->name);
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp monitor_argp = {
	.options = monitor_options,
	.parser = monitor_parse,
	.args_doc = "SWITCH [--interval SECONDS] [--count N | --duration SECONDS]",
	.doc = "Poll the switch's ports (0x5101), virtual CXL switches "
	       "(0x5200) and event logs (0x0100, not cleared) and print one "
	       "line per change until interrupted (SIGINT or SIGTERM: exit 0).",
	.children = output_child,
};

/* ---- what one poll sees --------------------------------------------------- */

struct snapshot {
	struct switch_state st;
	struct cxlsw_event_record *rec[CXLSW_LOG_FATAL + 1];
	size_t nrec[CXLSW_LOG_FATAL + 1];
	/* a device without Get Event Records: no events to watch, and why */
	bool events_unavailable;
	char events_why[96];
};

static void snapshot_free(struct snapshot *s)
{
	state_free(&s->st);
	for (unsigned int l = 0; l <= CXLSW_LOG_FATAL; l++) {
		free(s->rec[l]);
		s->rec[l] = NULL;
		s->nrec[l] = 0;
	}
}

static int snapshot_read(struct cxlsw_dev *dev, struct snapshot *s)
{
	struct cxlsw_event_page pg;
	bool more;
	int rc;

	memset(s, 0, sizeof(*s));
	rc = state_read(dev, &s->st, STATE_ALL);
	for (uint8_t l = 0; !rc && l <= CXLSW_LOG_FATAL; l++)
		rc = cxlsw_read_events(dev, l, &s->rec[l], &s->nrec[l], &pg,
				       &more);
	/* what the device lacks is watched no more (it is asked once) */
	if (rc && cli_dev_lacking(dev, s->events_why, sizeof(s->events_why))) {
		s->events_unavailable = true;
		rc = 0;
	}
	return rc;
}

/* ---- one line per change -------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct out_state {
	const char *sw;
	unsigned long lines;
};

static const char *str(struct json_object *o, const char *key, char *buf,
		       size_t len)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	format_value(v, buf, len);
	return buf;
}

/* " key from -> to" for each change of a port */
static size_t port_text(struct json_object *o, char *buf, size_t len)
{
	struct json_object *ch = NULL;
	size_t used = 0;

	json_object_object_get_ex(o, "changes", &ch);
	json_object_object_foreach(ch, key, d) {
		char f[64], t[64];

		if (used >= len)
			break;
		used += (size_t)snprintf(buf + used, len - used, "%s %s %s -> %s",
					 used ? "," : "", key,
					 str(d, "from", f, sizeof(f)),
					 str(d, "to", t, sizeof(t)));
	}
	return used;
}

/* "unbound" or "bound_ld (port 5, LD 2)" */
static void vppb_text(struct json_object *v, char *buf, size_t len)
{
	char b[24], p[8], l[8];

	str(v, "binding_status", b, sizeof(b));
	str(v, "port_id", p, sizeof(p));
	str(v, "ld_id", l, sizeof(l));
	if (!strcmp(p, "-"))
		snprintf(buf, len, "%s", b);
	else if (!strcmp(l, "-"))
		snprintf(buf, len, "%s (port %s)", b, p);
	else
		snprintf(buf, len, "%s (port %s, LD %s)", b, p, l);
}

/* "TIME SWITCH what: details", from the line's JSON object */
static void line_human(struct json_object *o)
{
	char t[48], sw[64], kind[24], a[96], b[96], text[1536], data[200];
	struct json_object *x = NULL, *y = NULL, *rec = NULL, *ev = NULL;
	size_t used = 0;

	str(o, "time", t, sizeof(t));
	str(o, "switch", sw, sizeof(sw));
	str(o, "change", kind, sizeof(kind));
	if (!strcmp(kind, "port")) {
		port_text(o, text, sizeof(text));
		printf("%s %s port %s:%s\n", t, sw,
		       str(o, "port_id", a, sizeof(a)), text);
		return;
	}
	if (!strcmp(kind, "unavailable")) {
		snprintf(text, sizeof(text), "%s %s not watched", t, sw);
		unavailable_print(o, text);
		return;
	}
	if (!strcmp(kind, "vppb")) {
		json_object_object_get_ex(o, "from", &x);
		json_object_object_get_ex(o, "to", &y);
		vppb_text(x, a, sizeof(a));
		vppb_text(y, b, sizeof(b));
		printf("%s %s vcs %s vppb %s: %s -> %s\n", t, sw,
		       str(o, "vcs_id", text, 16),
		       str(o, "vppb_id", data, 16), a, b);
		return;
	}
	json_object_object_get_ex(o, "record", &rec);
	json_object_object_get_ex(rec, "event", &ev);
	json_object_object_foreach(ev, key, v) {
		char val[128];

		if (used >= sizeof(text))
			break;
		format_value(v, val, sizeof(val));
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 " %s=%s", key, val);
	}
	if (!ev)
		snprintf(text, sizeof(text), " data=%s",
			 str(rec, "data", data, sizeof(data)));
	printf("%s %s event %s log, handle %s: %s%s\n", t, sw,
	       str(o, "log", a, sizeof(a)), str(o, "handle", b, sizeof(b)),
	       str(o, "record_type", kind, sizeof(kind)), text);
}

/* One whole line or nothing: stdout is flushed per line. */
static void put_line(struct out_state *out, struct json_object *o)
{
	if (global_output.json)
		json_print(stdout, o, false);
	else
		line_human(o);
	fflush(stdout);
	json_object_put(o);
	out->lines++;
}

static struct json_object *line_new(const struct out_state *out,
				    const char *change)
{
	struct json_object *o = json_object_new_object();

	/* -j: JSON Lines, each line an object of the contract's shape
	 * (cxl-switch(1), JSON OUTPUT) */
	json_add(o, "version", json_int(CXLSW_JSON_VERSION));
	json_add(o, "command", json_word("monitor"));
	json_add(o, "switch", json_object_new_string(out->sw));
	json_add(o, "target", NULL);
	json_add(o, "time", json_time(now_ns()));
	json_add(o, "change", json_word(change));
	return o;
}

static void add_diff(struct json_object *changes, const char *key,
		     struct json_object *from, struct json_object *to)
{
	struct json_object *d = json_object_new_object();

	json_add(d, "from", from);
	json_add(d, "to", to);
	json_object_object_add(changes, key, d);
}

static struct json_object *flags_words(uint16_t f)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int b = 0; b < 16; b++)
		if (f & (1u << b))
			json_object_array_add(a, cxlsw_link_flag_name(b) ?
				json_word(cxlsw_link_flag_name(b)) : json_int(b));
	return a;
}

static void port_changes(struct out_state *out, const struct cxlsw_port_state *a,
			 const struct cxlsw_port_state *b)
{
	struct json_object *ch = json_object_new_object(), *o;

	if (a->config_state != b->config_state)
		add_diff(ch, "config_state",
			 json_enum(a->config_state, cxlsw_port_config_state_name),
			 json_enum(b->config_state, cxlsw_port_config_state_name));
	if (a->connected_device_type != b->connected_device_type)
		add_diff(ch, "connected_device_type",
			 json_enum(a->connected_device_type, cxlsw_device_type_name),
			 json_enum(b->connected_device_type, cxlsw_device_type_name));
	if (a->ltssm_state != b->ltssm_state)
		add_diff(ch, "ltssm_state", json_enum(a->ltssm_state, cxlsw_ltssm_name),
			 json_enum(b->ltssm_state, cxlsw_ltssm_name));
	if (a->negotiated_link_width != b->negotiated_link_width)
		add_diff(ch, "negotiated_link_width",
			 json_int(a->negotiated_link_width),
			 json_int(b->negotiated_link_width));
	if (a->current_link_speed != b->current_link_speed)
		add_diff(ch, "current_link_speed_gts",
			 json_link_speed(a->current_link_speed),
			 json_link_speed(b->current_link_speed));
	if (a->link_flags != b->link_flags)
		add_diff(ch, "link_state_flags", flags_words(a->link_flags),
			 flags_words(b->link_flags));
	if (!json_object_object_length(ch)) {
		json_object_put(ch);
		return;
	}
	o = line_new(out, "port");
	json_add(o, "port_id", json_int(b->port_id));
	json_add(o, "changes", ch);
	put_line(out, o);
}

static struct json_object *vppb_json(const struct cxlsw_vppb *v)
{
	struct json_object *o = json_object_new_object();
	bool bound = v->binding_status != CXLSW_VPPB_UNBOUND;

	json_add(o, "binding_status", json_enum(v->binding_status,
						cxlsw_vppb_binding_name));
	json_add(o, "port_id", bound ? json_int(v->port_id) : NULL);
	json_add(o, "ld_id", bound && v->ld_id != CXLSW_NO_LD ?
		 json_int(v->ld_id) : NULL);
	return o;
}

static void vcs_changes(struct out_state *out, const struct cxlsw_vcs_info *a,
			const struct cxlsw_vcs_info *b)
{
	unsigned int n = a->num_vppbs < b->num_vppbs ? a->num_vppbs :
			 b->num_vppbs;

	for (unsigned int i = 0; i < n && !stop; i++) {
		const struct cxlsw_vppb *x = &a->vppbs[i], *y = &b->vppbs[i];
		struct json_object *o;

		if (x->binding_status == y->binding_status &&
		    x->port_id == y->port_id && x->ld_id == y->ld_id)
			continue;
		o = line_new(out, "vppb");
		json_add(o, "vcs_id", json_int(b->vcs_id));
		json_add(o, "vppb_id", json_int(i));
		json_add(o, "from", vppb_json(x));
		json_add(o, "to", vppb_json(y));
		put_line(out, o);
	}
}

static bool had(const struct snapshot *s, unsigned int log, uint16_t handle,
		uint64_t ts)
{
	for (size_t i = 0; i < s->nrec[log]; i++)
		if (s->rec[log][i].handle == handle &&
		    s->rec[log][i].timestamp == ts)
			return true;
	return false;
}

static void event_changes(struct out_state *out, const struct snapshot *a,
			  const struct snapshot *b, unsigned long max)
{
	for (unsigned int l = 0; l <= CXLSW_LOG_FATAL; l++)
		for (size_t i = 0; i < b->nrec[l]; i++) {
			const struct cxlsw_event_record *r = &b->rec[l][i];
			struct json_object *o;

			if ((max && out->lines >= max) || stop)
				return;
			if (had(a, l, r->handle, r->timestamp))
				continue;
			o = line_new(out, "event");
			json_add(o, "log", json_word(cxlsw_event_log_name((uint8_t)l)));
			json_add(o, "handle", json_int(r->handle));
			json_add(o, "record_type", json_word(cxlsw_event_kind_name(
					cxlsw_event_kind_of(r->uuid))));
			json_add(o, "record", event_record_json(r));
			put_line(out, o);
		}
}

static void report_changes(struct out_state *out, const struct snapshot *a,
			   const struct snapshot *b, unsigned long max)
{
	for (size_t i = 0; i < b->st.nports; i++) {
		const struct cxlsw_port_state *p = &b->st.ports[i];
		const struct cxlsw_port_state *was = state_port(&a->st, p->port_id);

		if ((max && out->lines >= max) || stop)
			return;
		if (was)
			port_changes(out, was, p);
	}
	for (size_t i = 0; i < b->st.nvcs; i++) {
		const struct cxlsw_vcs_info *v = &b->st.vcs[i];
		const struct cxlsw_vcs_info *was = state_vcs(&a->st, v->vcs_id);

		if ((max && out->lines >= max) || stop)
			return;
		if (was)
			vcs_changes(out, was, v);
	}
	event_changes(out, a, b, max);
}

/*
 * Once, first: what cannot be watched because the device lacks it.  Not
 * a change, so it does not count towards --count.
 */
static void report_unavailable(struct out_state *out, const struct snapshot *s)
{
	struct json_object *o;

	if (!s->st.vcs_unavailable && !s->events_unavailable)
		return;
	o = line_new(out, "unavailable");
	if (s->st.vcs_unavailable)
		unavailable_add_text(o, s->st.vcs_why);
	if (s->events_unavailable)
		unavailable_add_text(o, s->events_why);
	put_line(out, o);
	out->lines--;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A signal cuts the sleep short; the loop looks at the flag. */
static void sleep_s(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };

	if (s > 0 && !stop)
		nanosleep(&ts, NULL);
}

static int watch(struct cxlsw_dev *dev, const struct monitor_args *a)
{
	struct out_state out = { cxlsw_dev_name(dev), 0 };
	struct snapshot prev, cur;
	double end = mono_s() + a->duration, left;
	int code = EXIT_OK;

	if (snapshot_read(dev, &prev)) {
		snapshot_free(&prev);
		return cli_dev_fail("monitor", dev);
	}
	report_unavailable(&out, &prev);
	while (!stop) {
		left = a->have_duration ? end - mono_s() : a->interval;
		if (left <= 0)
			break;
		sleep_s(left < a->interval ? left : a->interval);
		if (stop || (a->have_duration && mono_s() >= end))
			break;
		if (snapshot_read(dev, &cur)) {
			snapshot_free(&cur);
			/* a read cut short by the signal is not an error */
			if (!stop)
				code = cli_dev_fail("monitor", dev);
			break;
		}
		report_changes(&out, &prev, &cur, a->count);
		snapshot_free(&prev);
		prev = cur;
		if (a->count && out.lines >= a->count)
			break;
	}
	snapshot_free(&prev);
	json_shared_release();
	return code;
}

int cmd_monitor(int argc, char **argv)
{
	struct monitor_args a = { .interval = 1.0 };
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	struct cxlsw_dev *dev;
	int code;

	cli_parse(&monitor_argp, "monitor", argc, argv, &a);
	dev = cli_open("monitor", a.name, &code);
	if (!dev)
		return code;
	/* what its Command Effects Log leaves out is not watched */
	cxlsw_dev_learn_cel(dev);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	code = watch(dev, &a);
	cxlsw_dev_close(dev);
	return code;
}
