// SPDX-License-Identifier: LGPL-2.1-or-later
/* list and identify: who a switch is (0x0001) and its shape (0x5100). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/mctp.h>

#include "builtin.h"
#include "cli.h"

static struct json_object *id_list(const uint8_t *bitmap)
{
	struct json_object *a = json_object_new_array();

	for (unsigned int i = 0; i < CXLSW_MAX_PORTS; i++)
		if (cxlsw_bit_test(bitmap, i))
			json_object_array_add(a, json_int(i));
	return a;
}

/* "0x" and digits digits of v, lower case, into buf; its length */
static size_t hex_digits(uint64_t v, int digits, char *buf)
{
	static const char xdigits[] = "0123456789abcdef";

	buf[0] = '0';
	buf[1] = 'x';
	for (int i = digits - 1; i >= 0; i--, v >>= 4)
		buf[2 + i] = xdigits[v & 0xf];
	buf[2 + digits] = '\0';
	return 2 + (size_t)digits;
}

static void field_hex16(struct field *f, const char *key, size_t key_len,
			uint16_t v, char *text)
{
	field_key(f, key, key_len, FIELD_HEX);
	f->i = v;
	f->text = text;
	hex_digits(v, 4, text);
}

/*
 * Identify's answer (0x0001): codes in JSON as numbers, shown in hex;
 * the serial number a string (JSON numbers are exact only to 2^53).
 */
size_t identify_fields(const struct cxlsw_identify *id, struct field *f,
		       struct identify_texts *t)
{
	uint8_t n = id->max_msg_size_log2;

	field_hex16(&f[0], FKEY("vendor_id"), id->vendor_id, t->hex[0]);
	field_hex16(&f[1], FKEY("device_id"), id->device_id, t->hex[1]);
	field_hex16(&f[2], FKEY("subsys_vendor_id"), id->subsys_vendor_id,
		    t->hex[2]);
	field_hex16(&f[3], FKEY("subsys_id"), id->subsys_id, t->hex[3]);
	hex_digits(id->serial, 16, t->serial);
	field_string(&f[IDENTIFY_SERIAL], FKEY("serial"), t->serial);
	if (n < 63)
		field_int(&f[5], FKEY("max_msg_size"), 1LL << n);
	else
		field_key(&f[5], FKEY("max_msg_size"), FIELD_NULL);
	field_enum(&f[6], FKEY("component_type"), id->component_type,
		   cxlsw_component_type_name);
	return IDENTIFY_FIELDS;
}

void add_identify(struct json_object *o, const struct cxlsw_identify *id)
{
	struct field f[IDENTIFY_FIELDS];
	struct identify_texts t;

	fields_add(o, f, identify_fields(id, f, &t));
}

static void add_switch_info(struct json_object *o,
			    const struct cxlsw_switch_info *si)
{
	json_add(o, "ingress_port_id", json_int(si->ingress_port_id));
	json_add(o, "num_physical_ports",
	    json_int(si->num_physical_ports));
	json_add(o, "num_vcss", json_int(si->num_vcss));
	json_add(o, "active_ports", id_list(si->active_ports));
	json_add(o, "active_vcss", id_list(si->active_vcss));
	json_add(o, "total_vppbs", json_int(si->total_vppbs));
	json_add(o, "bound_vppbs", json_int(si->bound_vppbs));
	json_add(o, "hdm_decoders_per_usp",
	    json_int(si->hdm_decoders_per_usp));
}

/*
 * A device behind the switch, or a Type 3 device reached directly over
 * MCTP (message type 0x08): who it is (its Identify, @id), and for a
 * memory device its capacities (Identify Memory Device).  A device
 * without that command (QEMU's FM-owned LD CCI) still shows its
 * Identify: "memdev" is null and "unavailable" names the command.
 */
static struct json_object *device_identity_from(struct cxlsw_dev *dev,
						const struct cxlsw_identify *id)
{
	struct cxlsw_memdev_identify mid;
	struct json_object *o;

	o = json_object_new_object();
	json_add_target(o, dev);
	add_identify(o, id);
	/* an LD pool CCI is no memory device: it has no 0x4000 */
	if (id->component_type == CXLSW_COMPONENT_TYPE3 &&
	    !global_target.ld_pool) {
		if (!cxlsw_memdev_identify(dev, &mid)) {
			json_add(o, "memdev", memdev_json(&mid));
		} else if (unavailable_add(o, dev)) {
			json_add(o, "memdev", NULL);
		} else {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

static struct json_object *device_identity_json(struct cxlsw_dev *dev)
{
	struct cxlsw_identify id;

	if (cxlsw_identify(dev, &id))
		return NULL;
	return device_identity_from(dev, &id);
}

/*
 * The identity of one open switch, or NULL with the error left in dev.
 * An MCTP endpoint that is a Type 3 device (its Identify says so) is
 * shown as the device it is: it has no Identify Switch Device.
 */
static struct json_object *identity_json(struct cxlsw_dev *dev)
{
	struct cxlsw_switch_info si;
	struct cxlsw_identify id;
	struct json_object *o;

	if (cxlsw_identify(dev, &id))
		return NULL;
	if (id.component_type == CXLSW_COMPONENT_TYPE3 &&
	    !cxlsw_dev_outer(dev))
		return device_identity_from(dev, &id);
	if (cxlsw_identify_switch(dev, &si))
		return NULL;
	o = json_object_new_object();
	json_add(o, "switch", json_object_new_string(cxlsw_dev_name(dev)));
	json_add(o, "path", json_object_new_string(cxlsw_dev_path(dev)));
	add_identify(o, &id);
	add_switch_info(o, &si);
	return o;
}

/* ---- identify ------------------------------------------------------------ */

struct switch_arg {
	const char *name;
};

static error_t switch_arg_parse(int key, char *arg, struct argp_state *state)
{
	struct switch_arg *a = state->input;

	switch (key) {
	default:
		return switch_arg(state, key, arg, &a->name);
	}
}

static const struct argp_child output_child[] = {
	{ &output_argp, 0, NULL, 0 },
	{ 0 },
};

static const struct argp identify_argp = {
	.parser = switch_arg_parse,
	.args_doc = "SWITCH",
	.doc = "Show a switch's Identify and Identify Switch Device answers; "
	       "with --port, the Identify and Identify Memory Device answers "
	       "of the device behind that port (or of one of its LDs).",
	.children = target_children,
};

static void identify_human(struct json_object *o)
{
	print_fields(o, "");
}

int cmd_identify(int argc, char **argv)
{
	struct switch_arg a = { NULL };
	struct cxlsw_dev *dev;
	struct json_object *o;
	int code;

	cli_parse(&identify_argp, "identify", argc, argv, &a);
	dev = cli_open_target("identify", a.name, &code);
	if (!dev)
		return code;
	o = target_is_device() ? device_identity_json(dev) : identity_json(dev);
	code = o ? emit(o, identify_human) : cli_dev_fail("identify", dev);
	cxlsw_dev_close(dev);
	return code;
}

/* ---- list ---------------------------------------------------------------- */

#define LIST_MCTP_MAX	16
enum { OPT_MCTP = 0x400, OPT_NAMES };

/* list's MCTP endpoints, as switch names "mctp:NET:EID" */
struct list_args {
	char *mctp[LIST_MCTP_MAX];
	unsigned int nr_mctp;
	bool names;
};

static const struct argp_option list_options[] = {
	{ "mctp", OPT_MCTP, "NET:EID", 0,
	  "Also list the switch at this MCTP endpoint (repeatable)", 0 },
	{ "names", OPT_NAMES, NULL, 0,
	  "Print the names only, one a line; open nothing", 0 },
	{ 0 },
};

static error_t list_parse(int key, char *arg, struct argp_state *state)
{
	struct list_args *a = state->input;
	char *name;

	if (key == OPT_NAMES) {
		a->names = true;
		return 0;
	}
	if (key != OPT_MCTP)
		return ARGP_ERR_UNKNOWN;
	if (a->nr_mctp == LIST_MCTP_MAX)
		usage_error(state, "--mctp given more than %d times",
			    LIST_MCTP_MAX);
	if (asprintf(&name, CXLSW_MCTP_PREFIX "%s", arg) < 0)
		usage_error(state, "out of memory");
	if (!cxlsw_mctp_name_parse(name, NULL, NULL)) {
		free(name);
		usage_error(state, "invalid --mctp '%s': expected NET:EID with EID 8-254, e.g. 1:8",
			    arg);
	}
	a->mctp[a->nr_mctp++] = name;
	return 0;
}

static const struct argp list_argp = {
	.options = list_options,
	.parser = list_parse,
	.doc = "List every switch CCI device of this host with its identity, "
	       "the CXL endpoints that mctpd knows (message type 0x07 or "
	       "0x08) and the switches at the MCTP endpoints given with "
	       "--mctp.",
	.children = output_child,
};

static void list_human(struct json_object *a)
{
	static const struct column cols[] = {
		{ "SWITCH", "switch", NULL },
		{ "VENDOR", "vendor_id", NULL },
		{ "DEVICE", "device_id", NULL },
		{ "SERIAL", "serial", NULL },
		{ "TYPE", "component_type", NULL },
		{ "MSG_SIZE", "max_msg_size", NULL },
		{ "PORTS", "num_physical_ports", NULL },
		{ "VCSS", "num_vcss", NULL },
		{ "VPPBS", "total_vppbs", NULL },
		{ "BOUND", "bound_vppbs", NULL },
	};

	if (!json_object_array_length(a))
		printf("no CXL switch CCI devices found (looked for %s/switch* and %s/switch*)\n",
		       CXLSW_DEV_DIR, CXLSW_SYSFS_DEVICES);
	else
		print_table(a, cols, ARRAY_SIZE(cols), "");
}

static struct json_object *list_one(const char *name, int *code)
{
	struct cxlsw_dev *dev = cli_open("list", name, code);
	struct json_object *o;

	if (!dev)
		return NULL;
	o = identity_json(dev);
	if (!o)
		*code = cli_dev_fail("list", dev);
	cxlsw_dev_close(dev);
	return o;
}

/*
 * The MCTP names to list: --mctp's, then mctpd's CXL endpoints that
 * --mctp did not name, into @a (grown).  0, or the exit code after an
 * error that was reported (the names found are still there).
 */
static int mctp_names(struct list_args *args, char ***a, size_t *n)
{
	struct mctpd_endpoint *eps;
	size_t ne, i, j;
	char why[160], *name;
	char **grown;
	int code = EXIT_OK;

	*a = NULL;
	*n = 0;
	if (mctpd_endpoints(&eps, &ne, why, sizeof(why))) {
		code = cli_fail("list", EXIT_IO,
				"mctpd runs, but its endpoints could not be read: %s",
				why);
		ne = 0;
		eps = NULL;
	}
	grown = calloc(args->nr_mctp + ne + 1, sizeof(char *));
	if (!grown) {
		free(eps);
		return cli_fail("list", EXIT_IO, "out of memory");
	}
	for (i = 0; i < args->nr_mctp; i++) {
		grown[(*n)++] = args->mctp[i];
		args->mctp[i] = NULL;
	}
	for (i = 0; i < ne; i++) {
		if (asprintf(&name, CXLSW_MCTP_PREFIX "%u:%u", eps[i].net,
			     eps[i].eid) < 0)
			break;
		for (j = 0; j < *n && strcmp(grown[j], name); j++)
			;
		if (j < *n)
			free(name);
		else
			grown[(*n)++] = name;
	}
	free(eps);
	*a = grown;
	return code;
}

static void names_human(struct json_object *a)
{
	for (size_t i = 0; i < json_object_array_length(a); i++)
		printf("%s\n", json_object_get_string(
				json_object_array_get_idx(a, i)));
}

/* list --names: what a SWITCH may be, for completion; nothing is opened */
static int list_names(char **host, size_t nh, char **mctp, size_t nm,
		      int code)
{
	struct json_object *a = json_object_new_array();
	int rc;

	for (size_t i = 0; i < nh; i++)
		json_object_array_add(a, json_object_new_string(host[i]));
	for (size_t i = 0; i < nm; i++)
		json_object_array_add(a, json_object_new_string(mctp[i]));
	rc = emit(a, names_human);
	return code ? code : rc;
}

/* Can this machine open an AF_MCTP socket at all? */
static bool have_af_mctp(void)
{
	int fd = socket(AF_MCTP, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		close(fd);
	return fd >= 0 || errno != EAFNOSUPPORT;
}

int cmd_list(int argc, char **argv)
{
	struct list_args args = { { NULL }, 0, false };
	struct json_object *a, *o;
	int code = EXIT_OK, rc;
	char **names, **mctp = NULL;
	size_t n, nm = 0, todo;

	doc_many_switches();
	cli_parse(&list_argp, "list", argc, argv, &args);
	rc = cxlsw_discover(&names, &n);
	if (rc) {
		for (unsigned int i = 0; i < args.nr_mctp; i++)
			free(args.mctp[i]);
		return cli_fail("list", EXIT_IO, "cannot list %s or %s: %s",
				CXLSW_DEV_DIR, CXLSW_SYSFS_DEVICES, strerror(-rc));
	}
	a = json_object_new_array();
	/* A switch that fails is reported and the others still listed: in
	 * JSON, as an entry with an "error" object. */
	cli_errors_into(args.names ? NULL : a);
	if (args.names) {
		json_object_put(a);
		code = mctp_names(&args, &mctp, &nm);
		rc = list_names(names, n, mctp, nm, code);
		cxlsw_names_free(names, n);
		cxlsw_names_free(mctp, nm);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		o = list_one(names[i], &code);
		if (o)
			json_object_array_add(a, o);
	}
	cxlsw_names_free(names, n);
	rc = mctp_names(&args, &mctp, &nm);
	if (rc)
		code = rc;
	/* without AF_MCTP every endpoint fails alike: the first says so */
	todo = nm > 1 && !have_af_mctp() ? 1 : nm;
	for (size_t i = 0; i < todo; i++) {
		o = list_one(mctp[i], &code);
		if (o)
			json_object_array_add(a, o);
	}
	cxlsw_names_free(mctp, nm);
	cli_errors_into(NULL);
	/*
	 * Every switch failed and said why: "none found" would be wrong.
	 * One failure is its own line; after several, say none was listed.
	 */
	if (code && !global_output.json && !json_object_array_length(a)) {
		json_object_put(a);
		if (n + todo > 1)
			fprintf(stderr, "cxl-switch list: no switch listed: all %zu failed (above)\n",
				n + todo);
		return code;
	}
	rc = emit(a, list_human);
	return code ? code : rc;
}
