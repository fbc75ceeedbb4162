// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * events (0x0100, 0x0101): the switch's event logs, every record decoded,
 * and clearing exactly the records that were shown (never "clear all": a
 * record that arrives between reading and clearing stays).  Clearing goes
 * through the safety policy.  event-policy is cmd-event-policy.c.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct events_args {
	const char *name;
	int log;			/* -1: info to fatal */
	bool clear;
	struct change_opts change;
};

enum { OPT_LOG = 0x500, OPT_CLEAR };

static const struct argp_option events_options[] = {
	{ "log", OPT_LOG, "LOG", 0,
	  "Only this log: info, warning, failure, fatal or dcd (default: info to fatal)", 0 },
	{ "clear", OPT_CLEAR, NULL, 0,
	  "Then clear the records shown (Clear Event Records)", 0 },
	{ 0 },
};

static error_t events_parse(int key, char *arg, struct argp_state *state)
{
	struct events_args *a = state->input;
	uint8_t log;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[1] = &a->change;
		return 0;
	case OPT_LOG:
		if (parse_enum_word(arg, cxlsw_event_log_name, &log))
			usage_error(state, "invalid --log '%s': expected info, warning, failure, fatal or dcd",
				    arg);
		a->log = log;
		return 0;
	case OPT_CLEAR:
		a->clear = true;
		return 0;
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp events_argp = {
	.options = events_options,
	.parser = events_parse,
	.args_doc = "SWITCH [--log LOG] [--clear]",
	.doc = "Show the records of the switch's event logs, every field "
	       "decoded (Get Event Records, 0x0100), and optionally clear "
	       "them (Clear Event Records, 0x0101); with --port, the logs of "
	       "the device behind that port.",
	.children = target_change_nobg_children,
};

/*
 * What one log held: its records, in the order read.  A device hands out
 * the oldest records again until they are cleared (r3.1 8.2.9.2.2), so
 * when it says more records exist beyond what one answer holds, the rest
 * are read only by clearing these first: --clear does that, in turns.
 */
struct log_read {
	uint8_t log;
	struct cxlsw_event_record *recs;
	size_t n;
	struct cxlsw_event_page pg;	/* the first answer's overflow */
	bool more;
};

struct clear_plan {
	struct log_read logs[CXLSW_EVENT_LOGS];
	size_t nlogs;
	size_t per_request;
	size_t total;
	bool more;			/* some log holds more than was read */
};

static struct json_object *log_json(const struct log_read *lr)
{
	const struct cxlsw_event_page *pg = &lr->pg;
	struct json_object *o = json_object_new_object();
	struct json_object *recs = json_object_new_array();

	json_add(o, "log", json_word(cxlsw_event_log_name(lr->log)));
	json_add(o, "overflow", json_boolean(pg->overflow));
	json_add(o, "overflow_count", json_int(pg->overflow_count));
	json_add(o, "first_overflow", json_time(pg->first_overflow));
	json_add(o, "first_overflow_ns", json_int((int64_t)pg->first_overflow));
	json_add(o, "last_overflow", json_time(pg->last_overflow));
	json_add(o, "last_overflow_ns", json_int((int64_t)pg->last_overflow));
	json_add(o, "more_records", json_boolean(lr->more));
	for (size_t i = 0; i < lr->n; i++)
		json_object_array_add(recs, event_record_json(&lr->recs[i]));
	json_add(o, "records", recs);
	return o;
}

static int read_log(struct cxlsw_dev *dev, uint8_t log, struct log_read *lr)
{
	lr->log = log;
	return cxlsw_read_events(dev, log, &lr->recs, &lr->n, &lr->pg,
				 &lr->more) ? -1 : 0;
}

/* After its records were cleared, the log's next ones, appended. */
static int read_more(struct cxlsw_dev *dev, struct log_read *lr)
{
	struct cxlsw_event_record *r, *all;
	struct cxlsw_event_page pg;
	size_t n;

	if (cxlsw_read_events(dev, lr->log, &r, &n, &pg, &lr->more))
		return -1;
	all = realloc(lr->recs, (lr->n + n + 1) * sizeof(*all));
	if (!all) {
		free(r);
		return -1;
	}
	memcpy(all + lr->n, r, n * sizeof(*r));
	lr->recs = all;
	lr->n += n;
	free(r);
	return 0;
}

/* Clear Event Records for records [at, n) of a log, in requests that fit. */
static int clear_range(struct change *c, const struct clear_plan *p,
		       const struct log_read *lr, size_t at, uint8_t *req,
		       bool (*progress)(const struct cxlsw_bg_status *st,
					void *ctx),
		       void *pctx, size_t *sent)
{
	uint16_t handles[255];
	size_t used, none;
	int rc = 0;

	for (; !rc && at < lr->n; at += p->per_request) {
		size_t k = lr->n - at < p->per_request ? lr->n - at :
			   p->per_request;
		struct cxlsw_bg_status st = {
			.running = true,
			.percent = (uint8_t)(*sent * 100 /
					     (p->total ? p->total : 1) % 100),
		};

		if (!progress(&st, pctx))
			return 1;	/* Ctrl-C: what is cleared stays cleared */
		for (size_t i = 0; i < k; i++)
			handles[i] = lr->recs[at + i].handle;
		rc = cxlsw_clear_events_encode(lr->log, handles, k, req,
					       CXLSW_CLEAR_HDR_LEN +
					       2 * p->per_request, &used);
		none = 0;
		if (!rc)
			rc = cxlsw_dev_send(c->dev, CXLSW_OP_CLEAR_EVENT_RECORDS,
					    req, used, NULL, &none);
		*sent += k;
	}
	return rc;
}

/*
 * Clear what was read; while the device says a log holds more, read its
 * next records and clear those too: every record cleared was read and
 * is shown, and none is cleared unread.
 */
static int clear_send(struct change *c, const struct change_opts *o,
		      bool (*progress)(const struct cxlsw_bg_status *st,
				       void *ctx),
		      void *pctx)
{
	struct clear_plan *p = (struct clear_plan *)c->ctx;
	uint8_t *req = malloc(CXLSW_CLEAR_HDR_LEN + 2 * p->per_request);
	size_t sent = 0;
	int rc = 0;

	(void)o;
	if (!req)
		return -1;
	for (size_t l = 0; !rc && l < p->nlogs; l++) {
		struct log_read *lr = &p->logs[l];
		size_t at = 0, before;

		for (;;) {
			rc = clear_range(c, p, lr, at, req, progress, pctx,
					 &sent);
			if (rc || !lr->more)
				break;
			before = lr->n;
			rc = read_more(c->dev, lr);
			if (rc || lr->n == before)
				break;
			at = before;
		}
	}
	free(req);
	p->total = sent;
	return rc > 0 ? 0 : rc;
}

static void clear_answer(const struct change *c, struct json_object *r)
{
	const struct clear_plan *p = c->ctx;

	json_add(r, "records_cleared", json_int((int64_t)p->total));
}

/* One change for every handle read, split to fit the message limit. */
static int clear_records(struct cxlsw_dev *dev, struct clear_plan *p,
			 const struct change_opts *o,
			 struct json_object **result)
{
	struct change c = { .cmd = "events", .dev = dev,
			    .port = global_target.port };
	char logs[64] = "";
	size_t limit, used = 0, first = 0;
	int rc;

	if (cxlsw_dev_msg_limit(dev, &limit))
		return cli_dev_fail("events", dev);
	p->per_request = cxlsw_clear_per_msg(limit);
	for (size_t l = 0; l < p->nlogs; l++) {
		if (!p->logs[l].n)
			continue;
		if (!used)
			first = l;
		used += (size_t)snprintf(logs + used, sizeof(logs) - used,
					 "%s%s", used ? ", " : "",
					 cxlsw_event_log_name(p->logs[l].log));
	}
	snprintf(c.what, sizeof(c.what),
		 "clears the %zu record%s shown from the %s log%s of %s%s",
		 p->total, p->total == 1 ? "" : "s", logs,
		 strchr(logs, ',') ? "s" : "", cxlsw_dev_name(dev),
		 p->more ? ", then reads and clears the further records the device holds, in turns" :
		 "");
	snprintf(c.whom, sizeof(c.whom), "%s",
		 cxlsw_catalog_find(CXLSW_OP_CLEAR_EVENT_RECORDS)->affects);
	snprintf(c.args, sizeof(c.args), "records=%zu logs=%s", p->total, logs);
	c.opcode = CXLSW_OP_CLEAR_EVENT_RECORDS;
	{
		uint16_t handles[255];
		size_t k = p->logs[first].n < p->per_request ?
			   p->logs[first].n : p->per_request;

		for (size_t i = 0; i < k; i++)
			handles[i] = p->logs[first].recs[i].handle;
		rc = cxlsw_clear_events_encode(p->logs[first].log, handles,
					       k, c.req, sizeof(c.req),
					       &c.req_len);
	}
	if (rc)	/* the first request is longer than what we show of it */
		c.req_len = 0;
	c.send = clear_send;
	c.ctx = p;
	c.out_len = sizeof(c.out);
	rc = change_apply(&c, o, c.out, &c.out_len, result);
	if (!rc && *result)
		clear_answer(&c, *result);
	return rc;
}

static void print_record(struct json_object *rec)
{
	json_object_object_foreach(rec, key, val) {
		char buf[1024];

		if (!strcmp(key, "event")) {
			printf("    event:\n");
			print_fields(val, "      ");
			continue;
		}
		format_value(val, buf, sizeof(buf));
		printf("    %-20s  %s\n", key, buf);
	}
}

/* Without -v: one line per record, the event's fields as key=value. */
static void record_line(struct json_object *r)
{
	char sev[32], ts[48], type[48], ev[512];

	format_value(jget(r, "severity"), sev, sizeof(sev));
	format_value(jget(r, "timestamp"), ts, sizeof(ts));
	format_value(jget(r, "record_type"), type, sizeof(type));
	format_value(jget(r, "event"), ev, sizeof(ev));
	printf("  %-6s  %-8s  %-30s  %-20s  %s\n",
	       json_object_get_string(jget(r, "handle")), sev, ts, type, ev);
}

/* Without -v: a log's overflow only when it overflowed. */
static void log_short(struct json_object *l, struct json_object *recs)
{
	if (json_object_get_boolean(jget(l, "overflow")))
		printf("  overflow: %d records lost, first %s, last %s\n",
		       json_object_get_int(jget(l, "overflow_count")),
		       json_object_get_string(jget(l, "first_overflow")) ?: "-",
		       json_object_get_string(jget(l, "last_overflow")) ?: "-");
	if (!json_object_array_length(recs))
		return;
	printf("  %-6s  %-8s  %-30s  %-20s  %s\n", "HANDLE", "SEVERITY",
	       "TIMESTAMP", "RECORD_TYPE", "EVENT");
	for (size_t r = 0; r < json_object_array_length(recs); r++)
		record_line(json_object_array_get_idx(recs, r));
}

static void events_human(struct json_object *o)
{
	struct json_object *logs = NULL, *clear = NULL;

	json_object_object_get_ex(o, "logs", &logs);
	json_object_object_get_ex(o, "clear", &clear);
	for (size_t i = 0; i < json_object_array_length(logs); i++) {
		struct json_object *l = json_object_array_get_idx(logs, i);
		struct json_object *recs = NULL, *v;

		json_object_object_get_ex(l, "records", &recs);
		json_object_object_get_ex(l, "log", &v);
		printf("%s log: %zu record%s\n", json_object_get_string(v),
		       json_object_array_length(recs),
		       json_object_array_length(recs) == 1 ? "" : "s");
		if (!global_output.verbose) {
			log_short(l, recs);
			goto more;
		}
		json_object_object_foreach(l, key, val) {
			char buf[128];

			if (!strcmp(key, "log") || !strcmp(key, "records"))
				continue;
			format_value(val, buf, sizeof(buf));
			printf("  %-17s  %s\n", key, buf);
		}
		for (size_t r = 0; r < json_object_array_length(recs); r++) {
			printf("  record %zu:\n", r + 1);
			print_record(json_object_array_get_idx(recs, r));
		}
more:
		if (json_object_get_boolean(jget(l, "more_records")))
			printf("  (the device holds more records: it hands them out once these are cleared, with --clear)\n");
	}
	if (clear)
		change_human(clear);
}

int cmd_events(int argc, char **argv)
{
	struct events_args a = { .log = -1 };
	struct clear_plan p = { .nlogs = 0 };
	struct json_object *o, *logs, *cleared = NULL;
	struct cxlsw_dev *dev;
	int code = 0;

	cli_parse(&events_argp, "events", argc, argv, &a);
	dev = cli_open_target("events", a.name, &code);
	if (!dev)
		return code;
	/* the records cleared are those read: no one else's in between */
	if (a.clear)
		code = change_lock("events", dev, &a.change);
	if (code) {
		cxlsw_dev_close(dev);
		return code;
	}
	o = json_object_new_object();
	logs = json_object_new_array();
	json_add_target(o, dev);
	json_add(o, "logs", logs);
	for (unsigned int l = 0; l <= CXLSW_LOG_FATAL || (int)l == a.log; l++) {
		if (a.log >= 0 && (int)l != a.log)
			continue;
		if (read_log(dev, (uint8_t)l, &p.logs[p.nlogs])) {
			code = cli_dev_fail("events", dev);
			break;
		}
		p.more |= p.logs[p.nlogs].more;
		p.total += p.logs[p.nlogs++].n;
	}
	if (!code && a.clear && p.total)
		code = clear_records(dev, &p, &a.change, &cleared);
	/* the records as read, those read while clearing included */
	for (size_t l = 0; l < p.nlogs; l++)
		json_object_array_add(logs, log_json(&p.logs[l]));
	if (!code) {
		json_add(o, "clear", cleared);
		code = emit(o, events_human);
	} else {
		json_object_put(o);
		json_object_put(cleared);
	}
	for (size_t l = 0; l < p.nlogs; l++)
		free(p.logs[l].recs);
	cxlsw_dev_close(dev);
	return code;
}
