// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One result, two renderers: every command builds a json-c object; --json
 * prints it, and the human table is drawn from the very same object, so the
 * two can never disagree.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int emit(struct json_object *result, void (*human)(struct json_object *))
{
	int rc = 0;

	if (global_output.json)
		rc = json_print(stdout, result, global_output.pretty);
	else
		human(result);
	json_object_put(result);
	json_shared_release();
	return rc || fflush(stdout) ? EXIT_IO : EXIT_OK;
}

/* ---- human rendering ---------------------------------------------------- */

static bool is_section(struct json_object *v);

static void join_true_keys(struct json_object *v, char *buf, size_t len)
{
	size_t used = 0;
	char item[64];

	buf[0] = '\0';
	if (is_section(v)) {	/* values, not flags: key=value pairs */
		json_object_object_foreach(v, k, m) {
			format_value(m, item, sizeof(item));
			if (used < len)
				used += snprintf(buf + used, len - used,
						 "%s%s=%s", used ? " " : "", k,
						 item);
		}
		return;
	}
	json_object_object_foreach(v, key, val)
		if (json_object_get_boolean(val) && used < len)
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "," : "", key);
	if (!used)
		snprintf(buf, len, "-");
}

static void join_array(struct json_object *v, char *buf, size_t len)
{
	size_t used = 0, n = json_object_array_length(v);
	char item[64];

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		format_value(json_object_array_get_idx(v, i), item,
			     sizeof(item));
		used += snprintf(buf + used, len - used, "%s%s", i ? "," : "",
				 item);
	}
	if (!n)
		snprintf(buf, len, "-");
}

void format_value(struct json_object *v, char *buf, size_t len)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		snprintf(buf, len, "-");
		break;
	case json_type_boolean:
		snprintf(buf, len, "%s", json_object_get_boolean(v) ? "yes" : "no");
		break;
	case json_type_array:
		join_array(v, buf, len);
		break;
	case json_type_object:
		join_true_keys(v, buf, len);
		break;
	default:
		/* ints, strings, and doubles as their own text (8.0) */
		snprintf(buf, len, "%s", json_object_get_string(v));
		break;
	}
}

#define CELL_MAX	96

static void cell(struct json_object *row, const struct column *c, char *buf)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(row, c->key, &v);
	if (c->format)
		c->format(v, buf, CELL_MAX);
	else
		format_value(v, buf, CELL_MAX);
}

/* The last cell of a row is not padded: no trailing blanks. */
static void print_cell(const char *text, size_t width, bool last)
{
	if (last)
		printf("%s\n", text);
	else
		printf("%-*s  ", (int)width, text);
}

void print_table(struct json_object *rows, const struct column *cols,
		 size_t ncols, const char *indent)
{
	size_t n = json_object_array_length(rows);
	size_t *width = calloc(ncols, sizeof(*width));
	char buf[CELL_MAX];

	if (!width)
		return;
	for (size_t c = 0; c < ncols; c++)
		width[c] = strlen(cols[c].header);
	for (size_t r = 0; r < n; r++)
		for (size_t c = 0; c < ncols; c++) {
			cell(json_object_array_get_idx(rows, r), &cols[c], buf);
			if (strlen(buf) > width[c])
				width[c] = strlen(buf);
		}
	fputs(indent, stdout);
	for (size_t c = 0; c < ncols; c++)
		print_cell(cols[c].header, width[c], c + 1 == ncols);
	for (size_t r = 0; r < n; r++) {
		fputs(indent, stdout);
		for (size_t c = 0; c < ncols; c++) {
			cell(json_object_array_get_idx(rows, r), &cols[c], buf);
			print_cell(buf, width[c], c + 1 == ncols);
		}
	}
	free(width);
}

/* An object of more than flags is a section of its own. */
static bool is_section(struct json_object *v)
{
	if (!json_object_is_type(v, json_type_object))
		return false;
	json_object_object_foreach(v, key, val) {
		(void)key;
		if (!json_object_is_type(val, json_type_boolean))
			return true;
	}
	return false;
}

/* An array of objects: a table whose columns are the first row's keys. */
static bool is_rows(struct json_object *v)
{
	return json_object_is_type(v, json_type_array) &&
	       json_object_array_length(v) &&
	       json_object_is_type(json_object_array_get_idx(v, 0),
				   json_type_object);
}

void print_rows(struct json_object *rows, const char *indent)
{
	struct json_object *first = json_object_array_get_idx(rows, 0);
	struct column *cols;
	size_t n = 0;

	if (!first)
		return;
	cols = calloc((size_t)json_object_object_length(first) + 1,
		      sizeof(*cols));
	if (!cols)
		return;
	json_object_object_foreach(first, key, val) {
		(void)val;
		cols[n].header = key;
		cols[n++].key = key;
	}
	print_table(rows, cols, n, indent);
	free(cols);
}

/* A member of a result: a section, a table, or "key  value". */
void print_member(const char *key, struct json_object *val, int width,
		  const char *indent)
{
	char buf[1024], deeper[32];

	snprintf(deeper, sizeof(deeper), "%s  ", indent);
	if (is_section(val)) {
		printf("%s%s:\n", indent, key);
		print_fields(val, deeper);
	} else if (is_rows(val)) {
		printf("%s%s:\n", indent, key);
		print_rows(val, deeper);
	} else {
		format_value(val, buf, sizeof(buf));
		printf("%s%-*s  %s\n", indent, width, key, buf);
	}
}

void print_fields(struct json_object *obj, const char *indent)
{
	size_t width = 0;

	json_object_object_foreach(obj, k1, v1) {
		(void)v1;
		if (strlen(k1) > width)
			width = strlen(k1);
	}
	json_object_object_foreach(obj, key, val)
		print_member(key, val, (int)width, indent);
}
