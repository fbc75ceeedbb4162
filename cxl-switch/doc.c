// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The JSON contract (cxl-switch(1), JSON OUTPUT; man/cxl-switch-output.
 * schema.json): in -j mode a run prints exactly one object on stdout,
 *
 *   { "version": 1, "command": "list-ports", "switch": "switch0",
 *     "target": null | {"port": 5} | {"port": 5, "ld": 2} |
 *               {"port": 5, "pool": true},
 *     "<key>": [list] or an object's members, "error": {...} }
 *
 * whatever happened.  Results and errors are held here until the run
 * ends (main, or exit() through on_exit): an error after a result, or a
 * result after an error (a rollback), joins the same document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static struct {
	const char *command;
	const char *key;		/* the payload's key for this command */
	char sw[128];			/* the switch's name; "" none yet */
	struct json_object *target;	/* null: the switch itself */
	struct json_object *payload;
	struct json_object *error;
	bool printed;
	bool many;			/* list: no one switch */
	bool nested;			/* an object payload under its key */
} doc;

void doc_command(const char *command, const char *key)
{
	doc.command = command;
	doc.key = key;
}

void doc_many_switches(void)
{
	doc.many = true;
}

void doc_switch(const char *name)
{
	if (!doc.many && !doc.sw[0] && name)
		snprintf(doc.sw, sizeof(doc.sw), "%s", name);
}

/* {"port": P, "ld": L} / {"port": P, "pool": true}; NULL for port < 0. */
struct json_object *doc_target_json(int port, int ld, bool pool)
{
	struct json_object *t;

	if (port < 0)
		return NULL;
	t = json_object_new_object();
	json_add(t, "port", json_int(port));
	if (pool)
		json_add(t, "pool", json_boolean(true));
	else if (ld >= 0)
		json_add(t, "ld", json_int(ld));
	return t;
}

/* "port 5", "port 5 LD 2", "LD pool of port 5" (lib/tunnel.c's names). */
static struct json_object *target_parse(const char *t)
{
	unsigned int port, ld;

	if (sscanf(t, "port %u LD %u", &port, &ld) == 2)
		return doc_target_json((int)port, (int)ld, false);
	if (sscanf(t, "LD pool of port %u", &port) == 1)
		return doc_target_json((int)port, -1, true);
	if (sscanf(t, "port %u", &port) == 1)
		return doc_target_json((int)port, -1, false);
	return NULL;
}

/* A tunnelled device's target, from its name. */
struct json_object *doc_dev_target(struct cxlsw_dev *dev)
{
	if (!dev || !cxlsw_dev_outer(dev))
		return NULL;
	return target_parse(target_name(dev));
}

void doc_target(int port, int ld, bool pool)
{
	json_object_put(doc.target);
	doc.target = doc_target_json(port, ld, pool);
}

/* "switch" (a string) and "target" (free text) go to the envelope. */
static void take_identity(struct json_object *payload)
{
	struct json_object *v;

	if (!json_object_is_type(payload, json_type_object))
		return;
	if (json_object_object_get_ex(payload, "switch", &v)) {
		if (json_object_is_type(v, json_type_string))
			doc_switch(json_object_get_string(v));
		json_object_object_del(payload, "switch");
	}
	/* a device the command reached by itself, not by --port */
	if (!doc.target && json_object_object_get_ex(payload, "target", &v) &&
	    json_object_is_type(v, json_type_string))
		doc.target = target_parse(json_object_get_string(v));
	json_object_object_del(payload, "target");
	json_object_object_del(payload, "version");
	json_object_object_del(payload, "command");
}

void doc_result(struct json_object *payload)
{
	if (doc.printed) {
		json_object_put(payload);
		return;
	}
	if (doc.payload) {
		/* a second result (a rollback's): kept beside the first */
		if (!doc.nested && json_object_is_type(doc.payload, json_type_object)) {
			take_identity(payload);
			json_object_object_add(doc.payload, "rollback", payload);
			return;
		}
		json_object_put(payload);
		return;
	}
	take_identity(payload);
	doc.payload = payload;
}

/* A document of its own (export's fabric file): whole, under the key. */
void doc_result_nested(struct json_object *payload)
{
	if (doc.payload || doc.printed) {
		json_object_put(payload);
		return;
	}
	doc.nested = true;
	doc.payload = payload;
}

void doc_error(struct cxlsw_dev *dev, struct json_object *error)
{
	if (doc.error || doc.printed) {
		json_object_put(error);
		return;
	}
	if (dev) {
		doc_switch(cxlsw_dev_name(target_switch(dev)));
		if (cxlsw_dev_outer(dev)) {
			json_object_put(doc.target);
			doc.target = doc_dev_target(dev);
		}
	}
	doc.error = error;
}

/* The envelope's own members, before the payload. */
static struct json_object *envelope(void)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "version", json_int(CXLSW_JSON_VERSION));
	json_add(o, "command", doc.command ?
		 json_object_new_string(doc.command) : NULL);
	json_add(o, "switch", doc.sw[0] ? json_object_new_string(doc.sw) :
		 NULL);
	json_add(o, "target", json_object_get(doc.target));
	return o;
}

static const char *payload_key(void)
{
	return doc.key ? doc.key : "result";
}

/* A streamed document's '{' and the envelope's version, command, switch. */
static void jw_envelope_head(struct jw *w)
{
	jw_open_bare(w, '{');
	jw_key(w, "version");
	jw_int(w, CXLSW_JSON_VERSION);
	jw_key(w, "command");
	doc.command ? jw_string(w, doc.command) : jw_raw(w, "null");
	jw_key(w, "switch");
	doc.sw[0] ? jw_string(w, doc.sw) : jw_raw(w, "null");
}

/* Streaming listings: the envelope's head, then the payload's array. */
void doc_jw_begin(struct jw *w)
{
	jw_envelope_head(w);
	jw_key(w, "target");
	jw_raw(w, "null");
	jw_open(w, payload_key(), '[');
	doc.printed = true;
}

void doc_jw_end(struct jw *w)
{
	jw_close(w, ']');
	jw_close(w, '}');
}

/*
 * Streaming one object (topology, export's file): '{' and the envelope's
 * members; the caller's members follow (its switch is the envelope's),
 * then doc_jw_object_end.  Said once: nothing is printed after it.
 */
void doc_jw_object_begin(struct jw *w)
{
	jw_envelope_head(w);
	jw_json(w, "target", doc.target);
	doc.printed = true;
}

void doc_jw_object_end(struct jw *w)
{
	jw_close(w, '}');
}

/* The key a nested document goes under (export's "fabric"). */
const char *doc_key(void)
{
	return payload_key();
}

/*
 * The run is over: print its document.  status is the exit code: an
 * exit that reported nothing still ends in an error object.
 */
int doc_flush(int status)
{
	struct json_object *o;
	int rc;

	if (!global_output.json || doc.printed) {
		json_object_put(doc.target);
		doc.target = NULL;
		return 0;
	}
	doc.printed = true;
	if (!doc.payload && !doc.error) {
		if (!status)
			return 0;	/* --help, --version: text was asked for */
		doc.error = json_object_new_object();
		json_add(doc.error, "command", doc.command ?
			 json_object_new_string(doc.command) : NULL);
		json_add(doc.error, "exit_code", json_int(status));
		json_add(doc.error, "message", json_object_new_string(
			"failed: see the line on stderr"));
	}
	o = envelope();
	if (!doc.nested && json_object_is_type(doc.payload, json_type_object)) {
		/* one object: its members beside the envelope's */
		json_object_object_foreach(doc.payload, k, v)
			json_object_object_add(o, k, json_object_get(v));
		json_object_put(doc.payload);
	} else if (doc.payload) {
		/* a list: under the command's key */
		json_add(o, payload_key(), doc.payload);
	}
	if (doc.error)
		json_add(o, "error", doc.error);
	doc.payload = doc.error = NULL;
	rc = json_print(stdout, o, global_output.pretty);
	json_object_put(o);
	json_object_put(doc.target);
	doc.target = NULL;
	json_shared_release();
	return rc || fflush(stdout) ? -1 : 0;
}

static void doc_at_exit(int status, void *arg)
{
	(void)arg;
	doc_flush(status);
}

/*
 * -j anywhere on the line: known before argp parses, so that an option
 * error before -j (opterr.c) still ends in the document.
 */
void doc_start(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (!strcmp(a, "--json") || !strcmp(a, "--pretty") ||
		    (a[0] == '-' && a[1] != '-' && strchr(a, 'j') &&
		     strspn(a + 1, "jv") == strlen(a + 1)))
			global_output.json = true;
	}
	on_exit(doc_at_exit, NULL);
}
