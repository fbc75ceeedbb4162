// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * list-devices: every device behind a switch's downstream ports, whatever
 * its type.  What the switch knows of each (Get Physical Port State,
 * 0x5101: type, mode, link) is shown for all; a Type 3 memory device is
 * also asked through a tunnel who it is (0x0001), what memory it has
 * (0x4000) and, for a pooled device, how many LDs (0x5400); and the name
 * this host's kernel gives it, matched by serial number through libcxl.
 * Only Type 3 devices are asked: what is asked is a memory device's
 * (Identify Memory Device, Get LD Info); a PCIe, Type 1 or Type 2 device
 * is listed with what the switch knows of it.
 */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "cli.h"

struct devices_args {
	const char *name;
};

static error_t devices_parse(int key, char *arg, struct argp_state *state)
{
	struct devices_args *a = state->input;

	return switch_arg(state, key, arg, &a->name);
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp devices_argp = {
	.parser = devices_parse,
	.args_doc = "SWITCH",
	.doc = "List the devices behind a switch's ports, of every type, "
	       "with their link as the switch reports it; for CXL memory "
	       "devices also their identity, capacity and firmware, the LD "
	       "count of pooled devices, and the memdev this host sees them "
	       "as.",
	.children = output_child,
};

bool port_has_memdev(const struct cxlsw_port_state *p)
{
	return p->connected_device_type == CXLSW_DEV_TYPE3_SLD ||
	       p->connected_device_type == CXLSW_DEV_TYPE3_MLD;
}

/*
 * The device behind port p, reached through a tunnel, whatever its LTSSM
 * state says (QEMU's switch reports L2 for ports whose devices answer):
 * the device's type says it is there, its answer says whether it is
 * reachable.  NULL when the tunnel could not be set up.  One handle
 * serves every question to the device, so what it tells once of itself
 * (its message limits, the commands it lacks) is asked once.
 */
struct cxlsw_dev *port_device_open(struct cxlsw_dev *sw,
				   const struct cxlsw_port_state *p)
{
	struct cxlsw_dev *dev;

	(void)p;
	if (cxlsw_dev_tunnel(sw, p->port_id, CXLSW_TUNNEL_PORT_OR_LD, false,
			     &dev))
		return NULL;
	return dev;
}

/*
 * No answer from the device: with its link down that is what to expect
 * (reported, not an error); with the link up, or the switch lacking the
 * tunnel, it is a failure of the command.
 */
static void device_unreachable(struct cxlsw_dev *dev, struct json_object *o,
			       const struct cxlsw_port_state *p, int *code)
{
	char what[320];

	json_add(o, "reachable", json_boolean(false));
	json_add(o, "error", json_object_new_string(cxlsw_error_string(
		 cxlsw_dev_error(dev), what, sizeof(what))));
	/* what the port's state says of it, and what to run: no round trip */
	if (hint_port(cxlsw_dev_name(target_switch(dev)), p, what, sizeof(what)))
		json_add(o, "hint", json_object_new_string(what));
	/* a level that lacks a command is marked: the caller tells it once */
	if (unavailable_add(o, dev))
		return;
	if (p->ltssm_state == CXLSW_LTSSM_L0)
		*code = cli_dev_fail("list-devices", dev);
}

/*
 * One device's description, asked through dev, the tunnel to port p (NULL
 * when port_device_open found none).  A device that does not answer is
 * still listed, with the error, so one broken device does not hide the
 * others.
 */
struct json_object *device_json(struct cxlsw_dev *dev,
				const struct cxlsw_port_state *p,
				const struct cxlsw_host_memdev *host,
				size_t nhost, int *code)
{
	struct json_object *o = json_object_new_object(), *id_o;
	struct cxlsw_memdev_identify mid;
	struct cxlsw_ld_info ld;
	struct cxlsw_identify id;
	const char *memdev;
	char what[320];
	bool mld = p->connected_device_type == CXLSW_DEV_TYPE3_MLD;
	bool have_mid, have_ld = false;

	json_add(o, "port_id", json_int(p->port_id));
	json_add(o, "connected_device_type",
		 json_enum(p->connected_device_type, cxlsw_device_type_name));
	json_add(o, "link_up", json_boolean(p->ltssm_state == CXLSW_LTSSM_L0));
	if (!dev)
		return o;
	if (cxlsw_identify(dev, &id)) {
		device_unreachable(dev, o, p, code);
		return o;
	}
	json_add(o, "reachable", json_boolean(true));
	/* what the device lacks is marked; any other failure is an error */
	have_mid = !cxlsw_memdev_identify(dev, &mid);
	if (!have_mid && !unavailable_add(o, dev))
		goto failed;
	if (mld) {
		have_ld = !cxlsw_ld_info(dev, &ld);
		if (!have_ld && !unavailable_add(o, dev))
			goto failed;
	}
	id_o = json_object_new_object();
	add_identify(id_o, &id);
	json_add(o, "identify", id_o);
	json_add(o, "memdev", have_mid ? memdev_json(&mid) : NULL);
	json_add(o, "ld_count", have_ld ? json_int(ld.ld_count) : NULL);
	memdev = cxlsw_host_memdev_find(host, nhost, id.serial);
	json_add(o, "host_memdev",
		 memdev ? json_object_new_string(memdev) : NULL);
	return o;
failed:
	json_add(o, "error", json_object_new_string(cxlsw_error_string(
		 cxlsw_dev_error(dev), what, sizeof(what))));
	*code = cli_dev_fail("list-devices", dev);
	return o;
}

/*
 * The link as the switch reports it: LTSSM state, then width and speed
 * when a width was negotiated ("l0 x8 32.0GT/s"), and PERST# when the
 * port holds its device in reset ("detect PERST#").
 */
static void link_cell(struct json_object *port, char *buf, size_t len)
{
	struct json_object *speed = jget(port, "current_link_speed_gts");
	int width = json_object_get_int(jget(port, "negotiated_link_width"));
	const char *ltssm = json_object_get_string(jget(port, "ltssm_state"));
	size_t n;

	snprintf(buf, len, "%s", ltssm ? ltssm : "-");
	n = strlen(buf);
	if (width > 0)
		snprintf(buf + n, len - n, " x%d", width);
	n = strlen(buf);
	if (width > 0 && speed)
		snprintf(buf + n, len - n, " %sGT/s",
			 json_object_get_string(speed));
	n = strlen(buf);
	if (json_object_get_boolean(jget(jget(port, "link_state_flags"),
					 "perst_asserted")))
		snprintf(buf + n, len - n, " PERST#");
}

static void mode_cell(struct json_object *port, char *buf, size_t len)
{
	format_value(jget(port, "connected_device_mode"), buf, len);
}

static void serial_cell(struct json_object *id, char *buf, size_t len)
{
	format_value(jget(id, "serial"), buf, len);
}

static void capacity_cell(struct json_object *memdev, char *buf, size_t len)
{
	struct json_object *v = jget(memdev, "total_capacity_bytes");

	if (v)
		format_size((uint64_t)json_object_get_int64(v), buf, len);
	else
		snprintf(buf, len, "-");
}

static void fw_cell(struct json_object *memdev, char *buf, size_t len)
{
	format_value(jget(memdev, "fw_revision"), buf, len);
}

/* Whether a per-device "unavailable" only repeats the list's own. */
static bool same_unavailable(struct json_object *row, struct json_object *r)
{
	struct json_object *a = jget(row, "unavailable"),
			   *b = jget(r, "unavailable");

	return a && b && json_object_equal(a, b);
}

static void devices_human(struct json_object *r)
{
	static const struct column cols[] = {
		{ "PORT", "port_id", NULL },
		{ "TYPE", "connected_device_type", NULL },
		{ "LINK", "port", link_cell },
		{ "MODE", "port", mode_cell },
		{ "SERIAL", "identify", serial_cell },
		{ "CAPACITY", "memdev", capacity_cell },
		{ "FIRMWARE", "memdev", fw_cell },
		{ "LDS", "ld_count", NULL },
		{ "HOST", "host_memdev", NULL },
	};
	struct json_object *a = jget(r, "devices"), *row;

	print_table(a, cols, ARRAY_SIZE(cols), "");
	/* a switch that cannot tunnel: said once, not per device */
	if (jget(r, "unavailable"))
		printf("devices not asked: the switch does not implement %s\n",
		       json_object_get_string(json_object_array_get_idx(
			       jget(r, "unavailable"), 0)));
	/* after the table, per port: what could not be told, and why */
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		char prefix[32];

		row = json_object_array_get_idx(a, i);
		if (same_unavailable(row, r))
			continue;
		snprintf(prefix, sizeof(prefix), "port %d",
			 json_object_get_int(jget(row, "port_id")));
		if (jget(row, "reachable") &&
		    !json_object_get_boolean(jget(row, "reachable")))
			printf("%s: unreachable: %s\n", prefix,
			       json_object_get_string(jget(row, "error")));
		if (jget(row, "hint"))
			printf("  %s\n", json_object_get_string(jget(row, "hint")));
		unavailable_print(row, prefix);
	}
}

/*
 * One port's Get Physical Port State block, with the keys and values
 * list-ports prints for it (cmd-ports.c streams its own; this is the
 * json-c object a device's entry holds).
 */
static struct json_object *port_state_json(const struct cxlsw_port_state *p)
{
	struct json_object *o = json_object_new_object();

	json_add(o, "port_id", json_int(p->port_id));
	json_add(o, "config_state",
		 json_enum(p->config_state, cxlsw_port_config_state_name));
	json_add(o, "connected_device_mode",
		 json_enum(p->connected_cxl_version, cxlsw_cxl_version_name));
	json_add(o, "connected_device_type",
		 json_enum(p->connected_device_type, cxlsw_device_type_name));
	json_add(o, "supported_cxl_modes",
		 json_bit_words(p->cxl_versions, cxlsw_cxl_version_bit_name));
	json_add(o, "max_link_width", json_int(p->max_link_width));
	json_add(o, "negotiated_link_width",
		 json_int(p->negotiated_link_width));
	json_add(o, "supported_link_speeds_gts",
		 json_speeds(p->supported_speeds));
	json_add(o, "max_link_speed_gts", json_link_speed(p->max_link_speed));
	json_add(o, "current_link_speed_gts",
		 json_link_speed(p->current_link_speed));
	json_add(o, "ltssm_state", json_enum(p->ltssm_state, cxlsw_ltssm_name));
	json_add(o, "first_negotiated_lane",
		 json_int(p->first_negotiated_lane));
	json_add(o, "link_state_flags",
		 json_flags(p->link_flags, cxlsw_link_flag_name));
	json_add(o, "supported_ld_count", json_int(p->supported_ld_count));
	return o;
}

/*
 * Whether port p has a device to list: something is connected, and it is
 * behind the switch (an upstream port's partner is a host).
 */
static bool port_has_device(const struct cxlsw_port_state *p)
{
	return p->connected_device_type != CXLSW_DEV_NONE &&
	       p->config_state != CXLSW_PORT_USP;
}

/*
 * One port's entry: what the switch says of the port, and for a Type 3
 * device what the device says of itself.  A device of another type is
 * not asked: "reachable" is null.
 */
static struct json_object *port_device_json(struct cxlsw_dev *sw,
					    const struct cxlsw_port_state *p,
					    const struct cxlsw_host_memdev *host,
					    size_t nhost, int *code)
{
	struct json_object *o;
	struct cxlsw_dev *dev;

	if (!port_has_memdev(p)) {
		o = json_object_new_object();
		json_add(o, "port_id", json_int(p->port_id));
		json_add(o, "connected_device_type",
			 json_enum(p->connected_device_type,
				   cxlsw_device_type_name));
		json_add(o, "link_up",
			 json_boolean(p->ltssm_state == CXLSW_LTSSM_L0));
		json_add(o, "reachable", NULL);
	} else {
		dev = port_device_open(sw, p);
		o = device_json(dev, p, host, nhost, code);
		cxlsw_dev_close(dev);
	}
	json_add(o, "port", port_state_json(p));
	return o;
}

int cmd_list_devices(int argc, char **argv)
{
	struct devices_args a = { NULL };
	struct cxlsw_host_memdev *host;
	struct json_object *o, *list, *errors;
	struct switch_state st;
	struct cxlsw_dev *sw;
	size_t nhost;
	unsigned int quieted;
	int code = 0;

	cli_parse(&devices_argp, "list-devices", argc, argv, &a);
	sw = cli_open("list-devices", a.name, &code);
	if (!sw)
		return code;
	if (state_read(sw, &st, STATE_PORTS)) {
		code = cli_dev_fail("list-devices", sw);
		goto out;
	}
	/* no host view (no CXL bus here) is not an error: nothing matches */
	if (cxlsw_host_memdevs(&host, &nhost)) {
		host = NULL;
		nhost = 0;
	}
	/* a device that fails is listed with its error: one JSON document */
	errors = json_object_new_array();
	cli_errors_into(errors);
	/* each row says why it is short: stderr repeats it only with -v */
	cli_errors_quiet(!global_output.verbose);
	list = json_object_new_array();
	for (size_t i = 0; i < st.nports; i++)
		if (port_has_device(&st.ports[i]))
			json_object_array_add(list, port_device_json(sw,
				&st.ports[i], host, nhost, &code));
	cli_errors_into(NULL);
	quieted = cli_errors_quiet(false);
	json_object_put(errors);
	free(host);
	if (quieted)	/* errors stay: counted in one line */
		fprintf(stderr, "cxl-switch list-devices: %u device%s failed to answer: see %s rows (-v: each here)\n",
			quieted, quieted == 1 ? "" : "s",
			quieted == 1 ? "its" : "their");
	o = json_object_new_object();
	json_add(o, "switch", json_object_new_string(cxlsw_dev_name(sw)));
	/* a switch that cannot tunnel: the devices as the switch sees them */
	if (cxlsw_dev_lacks(sw, CXLSW_OP_TUNNEL)) {
		char what[96];

		snprintf(what, sizeof(what), "%s (0x%04x)",
			 cxlsw_catalog_find(CXLSW_OP_TUNNEL)->name,
			 CXLSW_OP_TUNNEL);
		unavailable_add_text(o, what);
	}
	json_add(o, "devices", list);
	code = emit(o, devices_human) ?: code;
out:
	state_free(&st);
	cxlsw_dev_close(sw);
	return code;
}
