// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The QoS control fields of a pooled device, one table for the qos
 * command's --set and the desired-state file, so both take exactly what
 * the device takes.  Ranges from r3.1 Get/Set QoS Control (0x5405/0x5406):
 * the percentages 1-100, the backpressure sample interval 0-15 (0
 * disables), ReqCmpBasis 0-65535, the completion collection interval
 * 0-255.  Outside them the device answers Invalid Input; refuse first.
 */
#include "cli.h"

const struct qos_field_info qos_fields[QOS_FIELD_COUNT] = {
	[QOS_EGRESS_CONGESTION] = { "egress_port_congestion_enable", 0, 1 },
	[QOS_THROUGHPUT_REDUCTION] = { "temporary_throughput_reduction_enable", 0, 1 },
	[QOS_MODERATE] = { "egress_moderate_percent", 1, 100 },
	[QOS_SEVERE] = { "egress_severe_percent", 1, 100 },
	[QOS_BP_INTERVAL] = { "backpressure_sample_interval", 0, 15 },
	[QOS_REQ_CMPL_BASIS] = { "req_cmpl_basis", 0, 0xFFFF },
	[QOS_CC_INTERVAL] = { "completion_collection_interval", 0, 255 },
};

static uint8_t flag_of(enum qos_field f)
{
	return f == QOS_EGRESS_CONGESTION ? CXLSW_QOS_CTL_EGRESS_CONGESTION :
					    CXLSW_QOS_CTL_THROUGHPUT_REDUCTION;
}

unsigned long qos_field_get(const struct cxlsw_qos_control *q,
			    enum qos_field f)
{
	switch (f) {
	case QOS_EGRESS_CONGESTION:
	case QOS_THROUGHPUT_REDUCTION:
		return !!(q->telemetry_control & flag_of(f));
	case QOS_MODERATE:
		return q->egress_moderate_percent;
	case QOS_SEVERE:
		return q->egress_severe_percent;
	case QOS_BP_INTERVAL:
		return q->backpressure_sample_interval;
	case QOS_REQ_CMPL_BASIS:
		return q->req_cmpl_basis;
	default:
		return q->completion_collection_interval;
	}
}

void qos_field_set(struct cxlsw_qos_control *q, enum qos_field f,
		   unsigned long v)
{
	switch (f) {
	case QOS_EGRESS_CONGESTION:
	case QOS_THROUGHPUT_REDUCTION:
		q->telemetry_control = v ? q->telemetry_control | flag_of(f) :
			q->telemetry_control & (uint8_t)~flag_of(f);
		break;
	case QOS_MODERATE:
		q->egress_moderate_percent = (uint8_t)v;
		break;
	case QOS_SEVERE:
		q->egress_severe_percent = (uint8_t)v;
		break;
	case QOS_BP_INTERVAL:
		q->backpressure_sample_interval = (uint8_t)v;
		break;
	case QOS_REQ_CMPL_BASIS:
		q->req_cmpl_basis = (uint16_t)v;
		break;
	default:
		q->completion_collection_interval = (uint8_t)v;
		break;
	}
}

/*
 * Whether Set QoS Control can carry @v in field @f.  A device may report
 * a value outside (a percentage of 0 before anyone set one), which a Set
 * carrying it back would have refused.
 */
bool qos_field_settable(enum qos_field f, unsigned long v)
{
	return v >= qos_fields[f].min && v <= qos_fields[f].max;
}

/* The first field of @q a Set could not carry, or -1. */
int qos_first_unsettable(const struct cxlsw_qos_control *q)
{
	for (int f = 0; f < QOS_FIELD_COUNT; f++)
		if (!qos_field_settable(f, qos_field_get(q, f)))
			return f;
	return -1;
}

/*
 * The control fields as JSON, in wire order: every field for the qos
 * command; for export (@settable_only) those a Set could carry back, so
 * that the file re-applies.
 */
struct json_object *qos_control_json(const struct cxlsw_qos_control *q,
				     bool settable_only)
{
	struct json_object *o = json_object_new_object();

	for (int f = 0; f < QOS_FIELD_COUNT; f++) {
		unsigned long v = qos_field_get(q, (enum qos_field)f);

		if (settable_only && !qos_field_settable(f, v))
			continue;
		json_add(o, qos_fields[f].name, qos_fields[f].max == 1 ?
			 json_boolean(v) : json_int((int64_t)v));
	}
	return o;
}
