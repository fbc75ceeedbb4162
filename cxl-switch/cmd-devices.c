// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * list-devices: the memory devices behind a switch's ports, each asked
 * through a tunnel who it is (0x0001), what memory it has (0x4000) and,
 * for a pooled device, how many LDs (0x5400); and the name this host's
 * kernel gives it, matched by serial number through libcxl.
 */
#include <stdlib.h>

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
	.doc = "List the CXL memory devices behind a switch's ports: their "
	       "identity, capacity and firmware, the LD count of pooled "
	       "devices, and the memdev this host sees them as.",
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

static void str_cell(struct json_object *row, const char *obj,
		     const char *key, char *buf, size_t len)
{
	struct json_object *o, *v = NULL;

	if (json_object_object_get_ex(row, obj, &o))
		json_object_object_get_ex(o, key, &v);
	format_value(v, buf, len);
}

static void devices_human(struct json_object *r)
{
	struct json_object *a, *row, *v;
	char type[32], serial[24], cap[24], fw[24], lds[8], host[16];

	json_object_object_get_ex(r, "devices", &a);
	printf("%-4s  %-14s  %-18s  %-10s  %-16s  %-3s  %s\n", "PORT", "TYPE",
	       "SERIAL", "CAPACITY", "FIRMWARE", "LDS", "HOST");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		row = json_object_array_get_idx(a, i);
		json_object_object_get_ex(row, "connected_device_type", &v);
		format_value(v, type, sizeof(type));
		str_cell(row, "identify", "serial", serial, sizeof(serial));
		str_cell(row, "memdev", "fw_revision", fw, sizeof(fw));
		v = NULL;
		if (json_object_object_get_ex(row, "memdev", &v))
			json_object_object_get_ex(v, "total_capacity_bytes", &v);
		if (v)
			format_size((uint64_t)json_object_get_int64(v), cap,
				    sizeof(cap));
		else
			snprintf(cap, sizeof(cap), "-");
		v = NULL;
		json_object_object_get_ex(row, "ld_count", &v);
		format_value(v, lds, sizeof(lds));
		v = NULL;
		json_object_object_get_ex(row, "host_memdev", &v);
		format_value(v, host, sizeof(host));
		json_object_object_get_ex(row, "port_id", &v);
		printf("%-4d  %-14s  %-18s  %-10s  %-16s  %-3s  %s\n",
		       json_object_get_int(v), type, serial, cap, fw, lds, host);
	}
	/* after the table, per port: what could not be told, and why */
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		char prefix[32];

		row = json_object_array_get_idx(a, i);
		snprintf(prefix, sizeof(prefix), "port %d",
			 json_object_get_int(jget(row, "port_id")));
		if (jget(row, "reachable") &&
		    !json_object_get_boolean(jget(row, "reachable")))
			printf("%s: unreachable: %s\n", prefix,
			       json_object_get_string(jget(row, "error")));
		unavailable_print(row, prefix);
	}
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
	for (size_t i = 0; i < st.nports; i++) {
		struct cxlsw_dev *dev;

		if (!port_has_memdev(&st.ports[i]))
			continue;
		dev = port_device_open(sw, &st.ports[i]);
		json_object_array_add(list, device_json(dev, &st.ports[i],
							host, nhost, &code));
		cxlsw_dev_close(dev);
		/* a switch without tunnels reaches no device: say it once */
		if (cxlsw_dev_lacks(sw, CXLSW_OP_TUNNEL))
			break;
	}
	cli_errors_into(NULL);
	quieted = cli_errors_quiet(false);
	json_object_put(errors);
	free(host);
	if (cxlsw_dev_lacks(sw, CXLSW_OP_TUNNEL)) {
		json_object_put(list);
		code = cli_dev_fail("list-devices", sw);
		goto out;
	}
	if (quieted)	/* errors stay: counted in one line */
		fprintf(stderr, "cxl-switch list-devices: %u device%s failed to answer: see %s rows (-v: each here)\n",
			quieted, quieted == 1 ? "" : "s",
			quieted == 1 ? "its" : "their");
	o = json_object_new_object();
	json_add(o, "switch", json_object_new_string(cxlsw_dev_name(sw)));
	json_add(o, "devices", list);
	code = emit(o, devices_human) ?: code;
out:
	state_free(&st);
	cxlsw_dev_close(sw);
	return code;
}
