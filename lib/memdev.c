// SPDX-License-Identifier: LGPL-2.1-or-later
/* Identify Memory Device (0x4000): a Type 3 device's capacities. */
#include <errno.h>

#include "private.h"

static void fw_revision(char *dst, const uint8_t *src)
{
	size_t n = 0;

	/* ASCII, padded with NULs (or spaces); keep only what prints */
	for (size_t i = 0; i < 16 && src[i]; i++)
		dst[n++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	while (n && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

int cxlsw_memdev_identify_decode(const void *buf, size_t len,
				 struct cxlsw_memdev_identify *id)
{
	const uint8_t *p = buf;

	if (len != CXLSW_MEMDEV_ID_LEN_2_0 && len != CXLSW_MEMDEV_ID_LEN)
		return -EBADMSG;
	memset(id, 0, sizeof(*id));
	fw_revision(id->fw_revision, p);
	id->total_capacity = get_le64(p + 16) * CXLSW_CAPACITY_UNIT;
	id->volatile_only_capacity = get_le64(p + 24) * CXLSW_CAPACITY_UNIT;
	id->persistent_only_capacity = get_le64(p + 32) * CXLSW_CAPACITY_UNIT;
	id->partition_align = get_le64(p + 40) * CXLSW_CAPACITY_UNIT;
	id->info_event_log_size = get_le16(p + 48);
	id->warning_event_log_size = get_le16(p + 50);
	id->failure_event_log_size = get_le16(p + 52);
	id->fatal_event_log_size = get_le16(p + 54);
	id->lsa_size = get_le32(p + 56);
	id->poison_list_max_records = (uint32_t)(p[60] | p[61] << 8 |
						 p[62] << 16);
	id->inject_poison_limit = get_le16(p + 63);
	id->poison_handling_caps = p[65];
	id->qos_telemetry_caps = p[66];
	if (len == CXLSW_MEMDEV_ID_LEN) {
		id->has_dc_event_log_size = true;
		id->dc_event_log_size = get_le16(p + 67);
	}
	return 0;
}

int cxlsw_memdev_identify(struct cxlsw_dev *dev,
			  struct cxlsw_memdev_identify *id)
{
	uint8_t buf[CXLSW_MEMDEV_ID_LEN];
	size_t len = sizeof(buf);
	int rc = cxlsw_dev_send(dev, CXLSW_OP_IDENTIFY_MEMDEV, NULL, 0, buf,
				&len);

	if (rc)
		return rc;
	return cxlsw_memdev_identify_decode(buf, len, id);
}

const char *cxlsw_qos_telemetry_cap_name(unsigned int bit)
{
	switch (bit) {
	case 0:
		return "egress_port_congestion";
	case 1:
		return "temporary_throughput_reduction";
	}
	return NULL;
}

const char *cxlsw_poison_cap_name(unsigned int bit)
{
	switch (bit) {
	case 0:
		return "injects_persistent_poison";
	case 1:
		return "scans_for_poison";
	}
	return NULL;
}
