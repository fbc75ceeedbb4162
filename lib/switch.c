// SPDX-License-Identifier: LGPL-2.1-or-later
/* Codecs of the physical switch commands (command set 0x51). */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

int cxlsw_switch_info_decode(const void *buf, size_t len,
			     struct cxlsw_switch_info *info)
{
	const uint8_t *p = buf;

	if (len != CXLSW_SWITCH_INFO_LEN)
		return -EBADMSG;
	info->ingress_port_id = p[0];
	info->num_physical_ports = p[2];
	info->num_vcss = p[3];
	memcpy(info->active_ports, p + 4, CXLSW_BITMAP_BYTES);
	memcpy(info->active_vcss, p + 36, CXLSW_BITMAP_BYTES);
	info->total_vppbs = get_le16(p + 68);
	info->bound_vppbs = get_le16(p + 70);
	info->hdm_decoders_per_usp = p[72];
	return 0;
}

int cxlsw_identify_switch(struct cxlsw_dev *dev,
			  struct cxlsw_switch_info *info)
{
	uint8_t buf[CXLSW_SWITCH_INFO_LEN];
	int rc = dev_query_fixed(dev, CXLSW_OP_IDENTIFY_SWITCH, buf,
				 sizeof(buf));

	if (rc)
		return rc;
	rc = cxlsw_switch_info_decode(buf, sizeof(buf), info);
	if (!rc) {
		dev->vppb_total = info->total_vppbs;
		dev->have_vppb_total = true;
	}
	return rc;
}

size_t cxlsw_id_set(uint8_t count, const uint8_t *bitmap, uint8_t *ids)
{
	size_t n = 0;

	for (unsigned int id = 0; id < CXLSW_MAX_PORTS; id++)
		if (id < count || cxlsw_bit_test(bitmap, id))
			ids[n++] = (uint8_t)id;
	return n;
}

/* The request's count is a byte, so one request never asks for more. */
#define PORTS_PER_REQUEST_MAX	255

size_t cxlsw_port_state_per_msg(size_t limit)
{
	size_t n;

	if (limit < 4 + CXLSW_PORT_BLOCK_LEN)
		return 0;
	n = (limit - 4) / CXLSW_PORT_BLOCK_LEN;
	return n > PORTS_PER_REQUEST_MAX ? PORTS_PER_REQUEST_MAX : n;
}

int cxlsw_port_state_encode(const uint8_t *ids, size_t n, void *buf,
			    size_t len, size_t *used)
{
	uint8_t *p = buf;

	if (!n || n > PORTS_PER_REQUEST_MAX || len < 1 + n)
		return -EINVAL;
	p[0] = (uint8_t)n;
	memcpy(p + 1, ids, n);
	*used = 1 + n;
	return 0;
}

static void port_block_decode(const uint8_t *b, struct cxlsw_port_state *ps)
{
	ps->port_id = b[0];
	ps->config_state = b[1] & 0xf;
	ps->connected_cxl_version = b[2] & 0xf;
	ps->connected_device_type = b[4];
	ps->cxl_versions = b[5];
	ps->max_link_width = b[6];
	ps->negotiated_link_width = b[7];
	ps->supported_speeds = b[8];
	ps->max_link_speed = b[9];
	ps->current_link_speed = b[10];
	ps->ltssm_state = b[11];
	ps->first_negotiated_lane = b[12];
	ps->link_flags = get_le16(b + 13);
	ps->supported_ld_count = b[15];
}

int cxlsw_port_state_decode(const void *buf, size_t len, size_t expected,
			    struct cxlsw_port_state *ports)
{
	const uint8_t *p = buf;

	if (len < 4 || p[0] != expected ||
	    len != 4 + expected * CXLSW_PORT_BLOCK_LEN)
		return -EBADMSG;
	for (size_t i = 0; i < expected; i++)
		port_block_decode(p + 4 + i * CXLSW_PORT_BLOCK_LEN, &ports[i]);
	return 0;
}

static int port_state_chunk(struct cxlsw_dev *dev, const uint8_t *ids,
			    size_t n, uint8_t *buf, size_t limit,
			    struct cxlsw_port_state *ports)
{
	uint8_t req[1 + PORTS_PER_REQUEST_MAX];
	size_t req_len, got = limit;
	int rc;

	if (cxlsw_port_state_encode(ids, n, req, sizeof(req), &req_len))
		return dev_fail(dev, CXLSW_ERR_INVALID, EINVAL,
				CXLSW_OP_GET_PORT_STATE,
				"cannot ask for %zu ports in one request", n);
	rc = cxlsw_dev_send(dev, CXLSW_OP_GET_PORT_STATE, req, req_len, buf,
			    &got);
	if (rc)
		return rc;
	if (cxlsw_port_state_decode(buf, got, n, ports))
		return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
				CXLSW_OP_GET_PORT_STATE,
				"answer of %zu bytes for %zu ports", got, n);
	for (size_t i = 0; i < n; i++)
		if (ports[i].port_id != ids[i])
			return dev_fail(dev, CXLSW_ERR_MALFORMED, EBADMSG,
					CXLSW_OP_GET_PORT_STATE,
					"asked for port %u, got port %u",
					ids[i], ports[i].port_id);
	return 0;
}

int cxlsw_get_port_state(struct cxlsw_dev *dev, const uint8_t *ids, size_t n,
			 struct cxlsw_port_state *ports)
{
	size_t limit, per, chunk;
	uint8_t *buf;
	int rc;

	rc = dev_page_limit(dev, 4, CXLSW_PORT_BLOCK_LEN, n, &limit);
	if (rc)
		return rc;
	per = cxlsw_port_state_per_msg(limit);
	buf = malloc(4 + per * CXLSW_PORT_BLOCK_LEN);
	if (!buf)
		return -ENOMEM;
	for (size_t done = 0; done < n; done += chunk) {
		chunk = n - done < per ? n - done : per;
		rc = port_state_chunk(dev, ids + done, chunk, buf,
				      4 + chunk * CXLSW_PORT_BLOCK_LEN,
				      ports + done);
		if (rc)
			break;
	}
	free(buf);
	return rc;
}

int cxlsw_port_control_encode(uint8_t port, uint8_t op, void *buf,
			      size_t len)
{
	uint8_t *p = buf;

	if (len < CXLSW_PORT_CONTROL_LEN || op > CXLSW_PORT_RESET)
		return -EINVAL;
	p[0] = port;
	p[1] = op;
	return 0;
}

/* The first-DWORD byte enables of an access of width at offset. */
static uint8_t byte_enables(const struct cxlsw_config_request *req)
{
	return (uint8_t)(((1u << req->width) - 1) << (req->offset & 3));
}

int cxlsw_config_encode(const struct cxlsw_config_request *req, void *buf,
			size_t len)
{
	uint32_t data = 0;
	uint8_t *p = buf;

	if (len < CXLSW_CONFIG_REQ_LEN || req->offset > 4095 ||
	    (req->width != 1 && req->width != 2 && req->width != 4) ||
	    req->offset % req->width)
		return -EINVAL;
	if (req->write) {
		if (req->width < 4 && req->value >> (8 * req->width))
			return -ERANGE;
		data = req->value << (8 * (req->offset & 3));
	}
	/*
	 * The fields of a PCIe configuration request: the register number is
	 * offset bits 7:2 and sits in bits 7:2, the extended register number
	 * is offset bits 11:8.
	 */
	p[0] = req->port;
	p[1] = req->offset & 0xfc;
	p[2] = (uint8_t)((req->offset >> 8) | byte_enables(req) << 4);
	p[3] = req->write ? 0x80 : 0;
	for (int i = 0; i < 4; i++)
		p[4 + i] = (uint8_t)(data >> (8 * i));
	return 0;
}

int cxlsw_config_decode(const struct cxlsw_config_request *req,
			const void *buf, size_t len, uint32_t *value)
{
	const uint8_t *p = buf;
	uint32_t dword;

	if (len != CXLSW_CONFIG_RSP_LEN)
		return -EBADMSG;
	dword = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
	dword >>= 8 * (req->offset & 3);
	*value = req->width == 4 ? dword :
		 dword & ((1u << (8 * req->width)) - 1);
	return 0;
}

/* A read changes nothing; a write may change what a host sees. */
enum cxlsw_effect cxlsw_config_effect(const void *req, size_t len)
{
	const uint8_t *p = req;

	if (len >= 4 && !(p[3] & 0x80))
		return CXLSW_EFFECT_READ_ONLY;
	return CXLSW_EFFECT_HOST_VISIBLE;
}
