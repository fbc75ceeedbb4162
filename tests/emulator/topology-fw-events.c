// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Emulated CXL switch: the optional topology keys of the firmware slots,
 * the event logs, the MCTP event interrupt policy and the clock
 * (tests/topologies/README.md).  Each is saved only when it differs from
 * the power-on default, so a file without them saves byte for byte the
 * same.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "topology.h"

static const char *const log_keys[MODEL_EVENT_LOGS] = {
	"info", "warning", "failure", "fatal", "dcd",
};

static int bad(const char *file, const char *key, const char *why)
{
	fprintf(stderr, "cxl-switch-emu: %s: %s: %s\n", file, key, why);
	return -1;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static int only_keys(const char *file, const char *where, json_object *o,
		     const char *const *keys)
{
	char k[96];

	json_object_object_foreach(o, key, val) {
		const char *const *a = keys;

		(void)val;
		while (*a && strcmp(*a, key))
			a++;
		if (!*a) {
			snprintf(k, sizeof(k), "%s.%s", where, key);
			return bad(file, k, "unknown key");
		}
	}
	return 0;
}

static int uint_of(const char *file, const char *key, json_object *v,
		   uint64_t max, uint64_t *out)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int))
		return bad(file, key, "expected an integer");
	n = json_object_get_int64(v);
	/* json-c keeps integers above INT64_MAX as uint64 */
	if (n < 0 && json_object_get_uint64(v) <= max)
		n = (int64_t)json_object_get_uint64(v);
	if ((n < 0 && max <= INT64_MAX) || (uint64_t)n > max)
		return bad(file, key, "out of range");
	*out = n < 0 ? json_object_get_uint64(v) : (uint64_t)n;
	return 0;
}

static int load_fw(const char *file, json_object *o, struct model_fw *fw)
{
	static const char *const keys[] = { "slots_supported", "active_slot",
		"staged_slot", "online_activation", "revisions", NULL };
	json_object *revs = member(o, "revisions");
	uint64_t slots, active, staged;

	if (!json_object_is_type(o, json_type_object))
		return bad(file, "firmware", "expected an object");
	if (only_keys(file, "firmware", o, keys))
		return -1;
	for (const char *const *k = keys; *k; k++)
		if (!member(o, *k))
			return bad(file, "firmware", "missing a key");
	if (uint_of(file, "firmware.slots_supported",
		    member(o, "slots_supported"), MODEL_FW_SLOTS_MAX, &slots) ||
	    uint_of(file, "firmware.active_slot", member(o, "active_slot"),
		    slots, &active) ||
	    uint_of(file, "firmware.staged_slot", member(o, "staged_slot"),
		    slots, &staged))
		return -1;
	if (!slots || !active)
		return bad(file, "firmware", "slots and the active slot count from 1");
	if (!json_object_is_type(member(o, "online_activation"),
				 json_type_boolean))
		return bad(file, "firmware.online_activation",
			   "expected true or false");
	if (!json_object_is_type(revs, json_type_array) ||
	    json_object_array_length(revs) != slots)
		return bad(file, "firmware.revisions",
			   "expected one string per slot");
	memset(fw->rev, 0, sizeof(fw->rev));
	for (size_t i = 0; i < slots; i++) {
		json_object *r = json_object_array_get_idx(revs, i);

		if (!json_object_is_type(r, json_type_string) ||
		    json_object_get_string_len(r) > MODEL_FW_REV_LEN)
			return bad(file, "firmware.revisions",
				   "expected strings of at most 16 characters");
		strcpy(fw->rev[i], json_object_get_string(r));
	}
	if (!fw->rev[active - 1][0])
		return bad(file, "firmware.active_slot", "the slot is empty");
	fw->slots = slots;
	fw->active = active;
	fw->staged = staged;
	fw->online = json_object_get_boolean(member(o, "online_activation"));
	return 0;
}

static int hex_record(const char *s, uint8_t *r)
{
	if (strlen(s) != 2 * MODEL_EVENT_LEN)
		return -1;
	for (unsigned int i = 0; i < MODEL_EVENT_LEN; i++) {
		char byte[3] = { s[2 * i], s[2 * i + 1], '\0' };

		if (!isxdigit((unsigned char)byte[0]) ||
		    !isxdigit((unsigned char)byte[1]))
			return -1;
		r[i] = strtoul(byte, NULL, 16);
	}
	return 0;
}

static int load_log(const char *file, const char *name, json_object *o,
		    struct model_events *ev, struct model_event_log *l)
{
	static const char *const keys[] = { "overflow_count",
		"first_overflow_ns", "last_overflow_ns", "records", NULL };
	json_object *recs = member(o, "records");
	uint64_t count, first, last;
	char where[64];

	snprintf(where, sizeof(where), "event_logs.%s", name);
	if (!json_object_is_type(o, json_type_object))
		return bad(file, where, "expected an object");
	if (only_keys(file, where, o, keys) ||
	    uint_of(file, where, member(o, "overflow_count"), 0xffff, &count) ||
	    uint_of(file, where, member(o, "first_overflow_ns"), UINT64_MAX,
		    &first) ||
	    uint_of(file, where, member(o, "last_overflow_ns"), UINT64_MAX,
		    &last))
		return -1;
	if (!json_object_is_type(recs, json_type_array) ||
	    json_object_array_length(recs) > ev->capacity)
		return bad(file, where, "records: expected at most capacity records");
	l->overflow_count = count;
	l->first_overflow = first;
	l->last_overflow = last;
	l->nr = json_object_array_length(recs);
	for (unsigned int i = 0; i < l->nr; i++) {
		json_object *r = json_object_array_get_idx(recs, i);

		if (!json_object_is_type(r, json_type_string) ||
		    hex_record(json_object_get_string(r), l->rec[i]))
			return bad(file, where, "records: expected 256 hex digits each");
	}
	return 0;
}

static int load_events(const char *file, json_object *o,
		       struct model_events *ev)
{
	static const char *const keys[] = { "capacity", "next_handle",
		"info", "warning", "failure", "fatal", "dcd", NULL };
	uint64_t cap, next;

	if (!json_object_is_type(o, json_type_object))
		return bad(file, "event_logs", "expected an object");
	if (only_keys(file, "event_logs", o, keys) ||
	    uint_of(file, "event_logs.capacity", member(o, "capacity"), 4096,
		    &cap) ||
	    uint_of(file, "event_logs.next_handle", member(o, "next_handle"),
		    0xffff, &next))
		return -1;
	if (!cap || !next)
		return bad(file, "event_logs", "capacity and next_handle start at 1");
	if (model_events_init(ev, cap))
		return bad(file, "event_logs", "out of memory");
	ev->next_handle = next;
	for (unsigned int i = 0; i < MODEL_EVENT_LOGS; i++) {
		json_object *l = member(o, log_keys[i]);

		if (l && load_log(file, log_keys[i], l, ev, &ev->log[i]))
			return -1;
	}
	return 0;
}


int topology_load_fw_events(json_object *root, struct model *m,
			    const char *file)
{
	json_object *v;
	uint64_t ns;

	v = member(root, "firmware");
	if (v && load_fw(file, v, &m->fw))
		return -1;
	v = member(root, "event_logs");
	if (v && load_events(file, v, &m->ev))
		return -1;
	v = member(root, "mctp_event_interrupt_policy");
	if (v) {
		if (uint_of(file, "mctp_event_interrupt_policy", v, 0xffff, &ns))
			return -1;
		m->ev.mctp_policy = (uint16_t)ns;
	}
	v = member(root, "timestamp_ns");
	if (v) {
		if (uint_of(file, "timestamp_ns", v, UINT64_MAX, &ns))
			return -1;
		model_set_time(m, ns);
	}
	return 0;
}

/* ---- saving -------------------------------------------------------------- */

static json_object *u64(uint64_t v)
{
	return v > INT64_MAX ? json_object_new_uint64(v) :
	       json_object_new_int64((int64_t)v);
}

static int fw_is_default(const struct model_fw *fw)
{
	struct model_fw d;

	model_fw_init(&d);
	return fw->slots == d.slots && fw->active == d.active &&
	       fw->staged == d.staged && fw->online == d.online &&
	       !memcmp(fw->rev, d.rev, sizeof(d.rev));
}

static json_object *fw_json(const struct model_fw *fw)
{
	json_object *o = json_object_new_object();
	json_object *a = json_object_new_array();

	json_object_object_add(o, "slots_supported",
			       json_object_new_int(fw->slots));
	json_object_object_add(o, "active_slot", json_object_new_int(fw->active));
	json_object_object_add(o, "staged_slot", json_object_new_int(fw->staged));
	json_object_object_add(o, "online_activation",
			       json_object_new_boolean(fw->online));
	for (unsigned int i = 0; i < fw->slots; i++)
		json_object_array_add(a, json_object_new_string(fw->rev[i]));
	json_object_object_add(o, "revisions", a);
	return o;
}

static int events_are_default(const struct model_events *ev)
{
	if (ev->capacity != MODEL_EVENT_CAPACITY || ev->next_handle != 1)
		return 0;
	for (unsigned int i = 0; i < MODEL_EVENT_LOGS; i++)
		if (ev->log[i].nr || ev->log[i].overflow_count)
			return 0;
	return 1;
}

static json_object *log_json(const struct model_event_log *l)
{
	static const char digits[] = "0123456789abcdef";
	json_object *o = json_object_new_object();
	json_object *a = json_object_new_array();
	char hex[2 * MODEL_EVENT_LEN + 1];

	json_object_object_add(o, "overflow_count",
			       json_object_new_int(l->overflow_count));
	json_object_object_add(o, "first_overflow_ns", u64(l->first_overflow));
	json_object_object_add(o, "last_overflow_ns", u64(l->last_overflow));
	for (unsigned int i = 0; i < l->nr; i++) {
		for (unsigned int b = 0; b < MODEL_EVENT_LEN; b++) {
			hex[2 * b] = digits[l->rec[i][b] >> 4];
			hex[2 * b + 1] = digits[l->rec[i][b] & 0xf];
		}
		hex[2 * MODEL_EVENT_LEN] = '\0';
		json_object_array_add(a, json_object_new_string(hex));
	}
	json_object_object_add(o, "records", a);
	return o;
}

static json_object *events_json(const struct model_events *ev)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "capacity", json_object_new_int(ev->capacity));
	json_object_object_add(o, "next_handle",
			       json_object_new_int(ev->next_handle));
	for (unsigned int i = 0; i < MODEL_EVENT_LOGS; i++)
		json_object_object_add(o, log_keys[i], log_json(&ev->log[i]));
	return o;
}

void topology_save_fw_events(const struct model *m, json_object *o)
{
	if (!fw_is_default(&m->fw))
		json_object_object_add(o, "firmware", fw_json(&m->fw));
	if (!events_are_default(&m->ev))
		json_object_object_add(o, "event_logs", events_json(&m->ev));
	if (m->ev.mctp_policy)
		json_object_object_add(o, "mctp_event_interrupt_policy",
				       json_object_new_int(m->ev.mctp_policy));
	if (m->ts_set)
		json_object_object_add(o, "timestamp_ns", u64(model_now_ns(m)));
}
