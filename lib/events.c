// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Get Event Records (0x0100), Clear Event Records (0x0101) and the event
 * interrupt policy (0x0102): the switch's event logs, and the three
 * switch records (CXL r3.1 section 7.6.8) decoded field by field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "private.h"

/* UUIDs in the byte order of their text, as the records carry them */
const uint8_t cxlsw_physical_switch_event_uuid[16] = {
	0x77, 0xcf, 0x92, 0x71, 0x9c, 0x02, 0x47, 0x0b,
	0x9f, 0xe4, 0xbc, 0x7b, 0x75, 0xf2, 0xda, 0x97,
};
const uint8_t cxlsw_vcs_event_uuid[16] = {
	0x40, 0xd2, 0x64, 0x25, 0x33, 0x96, 0x4c, 0x4d,
	0xa5, 0xda, 0x3d, 0x47, 0x26, 0x3a, 0xf4, 0x25,
};
const uint8_t cxlsw_mld_port_event_uuid[16] = {
	0x8d, 0xc4, 0x43, 0x63, 0x0c, 0x96, 0x47, 0x10,
	0xb7, 0xbf, 0x04, 0xbb, 0x99, 0x53, 0x4c, 0x3f,
};

/* A log holds at most 65535 records: handles are u16 and never 0. */
#define EVENTS_MAX	65535

size_t cxlsw_events_per_msg(size_t limit)
{
	size_t n;

	if (limit < CXLSW_EVENT_HDR_LEN + CXLSW_EVENT_RECORD_LEN)
		return 0;
	n = (limit - CXLSW_EVENT_HDR_LEN) / CXLSW_EVENT_RECORD_LEN;
	return n > EVENTS_MAX ? EVENTS_MAX : n;
}

static void record_decode(const uint8_t *r, struct cxlsw_event_record *e)
{
	memcpy(e->uuid, r, 16);
	e->length = r[16];
	e->flags = (uint32_t)r[17] | (uint32_t)r[18] << 8 |
		   (uint32_t)r[19] << 16;
	e->handle = get_le16(r + 20);
	e->related_handle = get_le16(r + 22);
	e->timestamp = get_le64(r + 24);
	e->maint_class = r[32];
	e->maint_subclass = r[33];
	/* r3.2 common event record: valid only as the flags say */
	e->ld_id_valid = e->flags & CXLSW_EVENT_FLAG_LD_ID_VALID;
	e->head_id_valid = e->flags & CXLSW_EVENT_FLAG_HEAD_ID_VALID;
	e->ld_id = e->ld_id_valid ? get_le16(r + 34) : 0;
	e->head_id = e->head_id_valid ? r[36] : 0;
	memcpy(e->data, r + CXLSW_EVENT_DATA_OFF, CXLSW_EVENT_DATA_LEN);
}

int cxlsw_events_decode(const void *buf, size_t len,
			struct cxlsw_event_page *page,
			struct cxlsw_event_record *records, size_t max)
{
	const uint8_t *p = buf;

	if (len < CXLSW_EVENT_HDR_LEN)
		return -EBADMSG;
	page->overflow = p[0] & 1;
	page->more = p[0] & 2;
	page->overflow_count = get_le16(p + 2);
	page->first_overflow = get_le64(p + 4);
	page->last_overflow = get_le64(p + 12);
	page->count = get_le16(p + 20);
	if (len != CXLSW_EVENT_HDR_LEN +
		   (size_t)page->count * CXLSW_EVENT_RECORD_LEN)
		return -EBADMSG;
	for (size_t i = 0; i < page->count && i < max; i++)
		record_decode(p + CXLSW_EVENT_HDR_LEN +
			      i * CXLSW_EVENT_RECORD_LEN, &records[i]);
	return 0;
}

static bool seen_before(const struct cxlsw_event_record *r, size_t n,
			uint16_t handle)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].handle == handle)
			return true;
	return false;
}

/* Append one answer's records; false when it brought nothing new. */
static int add_page(struct cxlsw_dev *dev, const uint8_t *buf, size_t len,
		    struct cxlsw_event_page *pg, struct cxlsw_event_record **all,
		    size_t *count, bool *fresh)
{
	struct cxlsw_event_record *grown;
	size_t n = *count;

	if (cxlsw_events_decode(buf, len, pg, NULL, 0))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_EVENT_RECORDS,
				"answer of %zu bytes does not hold the %u records it counts",
				len, len >= 22 ? get_le16(buf + 20) : 0);
	*fresh = false;
	if (!pg->count)
		return 0;
	if (n + pg->count > EVENTS_MAX)
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_EVENT_RECORDS,
				"more than %u records in one log", EVENTS_MAX);
	grown = realloc(*all, (n + pg->count) * sizeof(**all));
	if (!grown)
		return -ENOMEM;
	*all = grown;
	for (size_t i = 0; i < pg->count; i++) {
		struct cxlsw_event_record *r = &grown[n];

		record_decode(buf + CXLSW_EVENT_HDR_LEN +
			      i * CXLSW_EVENT_RECORD_LEN, r);
		/* the same record again: the device keeps them until cleared */
		if (seen_before(grown, n, r->handle))
			continue;
		*fresh = true;
		n++;
	}
	*count = n;
	return 0;
}

int cxlsw_read_events(struct cxlsw_dev *dev, uint8_t log,
		      struct cxlsw_event_record **records, size_t *count,
		      struct cxlsw_event_page *page, bool *more)
{
	struct cxlsw_event_page pg;
	size_t limit, got;
	uint8_t *buf;
	bool fresh = true;
	int rc;

	*records = NULL;
	*count = 0;
	*more = false;
	memset(page, 0, sizeof(*page));
	/*
	 * Get Event Records names no count: the device answers as many
	 * records as its own limit holds, so the buffer must be that
	 * limit, asked before the first page (once a run).
	 */
	rc = cxlsw_dev_msg_limit(dev, &limit);
	if (rc)
		return rc;
	/* zeroed: a transport may hand back only the bytes it changed */
	buf = calloc(1, limit);
	if (!buf)
		return -ENOMEM;
	for (unsigned int i = 0; fresh; i++) {
		got = limit;
		rc = cxlsw_dev_send(dev, CXLSW_OP_GET_EVENT_RECORDS, &log, 1,
				    buf, &got);
		if (!rc)
			rc = add_page(dev, buf, got, &pg, records, count,
				      &fresh);
		if (rc)
			break;
		if (!i)
			*page = pg;
		*more = pg.more;
		if (!pg.more)
			break;
	}
	free(buf);
	if (rc) {
		free(*records);
		*records = NULL;
		*count = 0;
	}
	return rc;
}

enum cxlsw_event_kind cxlsw_event_kind_of(const uint8_t *uuid)
{
	if (!memcmp(uuid, cxlsw_physical_switch_event_uuid, 16))
		return CXLSW_EVENT_PHYSICAL_SWITCH;
	if (!memcmp(uuid, cxlsw_vcs_event_uuid, 16))
		return CXLSW_EVENT_VIRTUAL_SWITCH;
	if (!memcmp(uuid, cxlsw_mld_port_event_uuid, 16))
		return CXLSW_EVENT_MLD_PORT;
	return CXLSW_EVENT_UNKNOWN;
}

/* data is the 80 bytes from record offset 30h; offsets below are 30h-based */
void cxlsw_physical_switch_event_decode(const uint8_t *d,
					struct cxlsw_physical_switch_event *e)
{
	e->port_id = d[0x00];
	e->event_type = d[0x01];
	e->slot_status = get_le16(d + 0x02);
	e->config_state = d[0x05] & 0xf;
	e->connected_device_mode = d[0x06] & 0xf;
	e->connected_device_type = d[0x08];
	e->supported_cxl_modes = d[0x09];
	e->max_link_width = d[0x0a] & 0x3f;
	e->negotiated_link_width = d[0x0b] & 0x3f;
	e->supported_speeds = d[0x0c] & 0x3f;
	e->max_link_speed = d[0x0d] & 0x3f;
	e->current_link_speed = d[0x0e] & 0x3f;
	e->ltssm_state = d[0x0f];
	e->first_negotiated_lane = d[0x10];
	e->link_flags = get_le16(d + 0x11);
}

void cxlsw_vcs_event_decode(const uint8_t *d, struct cxlsw_vcs_event *e)
{
	e->vcs_id = d[0x00];
	e->vppb_id = d[0x01];
	e->event_type = d[0x02];
	e->binding_status = d[0x03];
	e->port_id = d[0x04];
	e->ld_id = d[0x05];
	e->link_control = get_le16(d + 0x06);
	e->slot_control = get_le16(d + 0x08);
}

void cxlsw_mld_port_event_decode(const uint8_t *d,
				 struct cxlsw_mld_port_event *e)
{
	e->event_type = d[0x00];
	e->port_id = d[0x01];
	e->error_message = get_le64(d + 0x04);
}

size_t cxlsw_clear_per_msg(size_t max)
{
	size_t n;

	if (max < CXLSW_CLEAR_HDR_LEN + 2)
		return 0;
	n = (max - CXLSW_CLEAR_HDR_LEN) / 2;
	return n > 255 ? 255 : n;	/* the count is a byte */
}

int cxlsw_clear_events_encode(uint8_t log, const uint16_t *handles,
			      size_t n, void *buf, size_t len, size_t *used)
{
	uint8_t *p = buf;

	if (log >= CXLSW_EVENT_LOGS || !n || n > 255 ||
	    len < CXLSW_CLEAR_HDR_LEN + 2 * n)
		return -EINVAL;
	memset(p, 0, CXLSW_CLEAR_HDR_LEN);
	p[0] = log;
	p[1] = 0;		/* not "clear all": exactly these handles */
	p[2] = (uint8_t)n;
	for (size_t i = 0; i < n; i++)
		put_le16(p + CXLSW_CLEAR_HDR_LEN + 2 * i, handles[i]);
	*used = CXLSW_CLEAR_HDR_LEN + 2 * n;
	return 0;
}

int cxlsw_event_policy_decode(const void *buf, size_t len, uint8_t *policy,
			      size_t *n)
{
	if (len < CXLSW_POLICY_LEN_MIN || len > CXLSW_POLICY_LEN)
		return -EBADMSG;
	memset(policy, 0, CXLSW_POLICY_LEN);
	memcpy(policy, buf, len);
	*n = len;
	return 0;
}

int cxlsw_get_event_policy(struct cxlsw_dev *dev, uint8_t *policy, size_t *n)
{
	uint8_t buf[CXLSW_POLICY_LEN] = { 0 };	/* see cxlsw_read_events */
	size_t got = sizeof(buf);
	int rc = cxlsw_dev_send(dev, CXLSW_OP_GET_EVENT_POLICY, NULL, 0, buf,
				&got);

	if (rc)
		return rc;
	return cxlsw_event_policy_decode(buf, got, policy, n);
}

int cxlsw_mctp_event_policy_decode(const void *buf, size_t len,
				   uint16_t *settings)
{
	if (len != CXLSW_MCTP_POLICY_LEN)
		return -EBADMSG;
	*settings = get_le16(buf);
	return 0;
}

int cxlsw_mctp_event_policy_encode(uint16_t settings, void *buf, size_t len)
{
	if (len < CXLSW_MCTP_POLICY_LEN)
		return -ENOSPC;
	put_le16(buf, settings);
	return 0;
}

int cxlsw_get_mctp_event_policy(struct cxlsw_dev *dev, uint16_t *settings)
{
	uint8_t buf[CXLSW_MCTP_POLICY_LEN] = { 0 };
	size_t got = sizeof(buf);
	int rc = cxlsw_dev_send(dev, CXLSW_OP_GET_MCTP_EVENT_POLICY, NULL, 0,
				buf, &got);

	if (rc)
		return rc;
	return cxlsw_mctp_event_policy_decode(buf, got, settings);
}

void cxlsw_uuid_string(const uint8_t *u, char *buf)
{
	snprintf(buf, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}
