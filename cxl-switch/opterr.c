// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Option errors in the tool's own words: one line naming the option and
 * the command, the same text in the -j document, exit 2.
 *
 * argp has one switch for the messages of the getopt it runs: it sets
 * opterr from ARGP_NO_ERRS alone (glibc argp-parse.c, parser_init), after
 * every parser's ARGP_KEY_INIT, so setting opterr ourselves does nothing.
 * argp_parse runs with ARGP_NO_ERRS, getopt says nothing, argp gives
 * every parser ARGP_KEY_ERROR, and std_parse reads the command line
 * again, by getopt's rules, to name what was wrong.  ARGP_NO_ERRS also silences argp's own --help and
 * --usage (argp_state_help prints nothing under it), so std_options
 * stand in for argp's default options (ARGP_NO_HELP) with their words,
 * groups and translation domain, and clear the flag before printing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_USAGE = -3 };

static const struct argp_option std_options[] = {
	{ "help", '?', NULL, 0, "Give this help list", -1 },
	{ "usage", OPT_USAGE, NULL, 0, "Give a short usage message", 0 },
	{ "version", 'V', NULL, 0, "Print program version", -1 },
	{ 0 },
};

/* One option as getopt was given it (argp-parse.c, convert_options). */
struct optent {
	const char *name;	/* long name; NULL: none, or shadowed */
	int key;		/* a short option's letter, else 0 */
	bool arg;		/* takes a value */
	bool optional;		/* ... only as --name=VALUE or -kVALUE */
	const char *arg_name;
	const void *id;		/* one per option and its aliases */
};

struct opttab {
	struct optent *e;
	size_t n, cap;
};

static bool is_short(const struct argp_option *o)
{
	return !(o->flags & OPTION_DOC) && o->key > 0 && o->key <= 255 &&
	       isprint(o->key);
}

static bool is_end(const struct argp_option *o)
{
	return !o->key && !o->name && !o->doc && !o->group;
}

static const struct optent *long_find(const struct opttab *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].name && !strcmp(t->e[i].name, name))
			return &t->e[i];
	return NULL;
}

/* Depth first, each argp's options before its children's, as argp does. */
static void collect(struct opttab *t, const struct argp *argp)
{
	const struct argp_option *o, *real = argp->options;
	const struct argp_child *c;

	for (o = argp->options; o && !is_end(o); o++) {
		struct optent *e;

		if (!(o->flags & OPTION_ALIAS))
			real = o;
		if (real->flags & OPTION_DOC)
			continue;
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 32;
			t->e = realloc(t->e, t->cap * sizeof(*t->e));
			if (!t->e)
				abort();
		}
		e = &t->e[t->n];
		/* an earlier argp's long name shadows a later one's */
		e->name = o->name && !long_find(t, o->name) ? o->name : NULL;
		t->n++;
		e->key = is_short(o) ? o->key : 0;
		e->arg = real->arg;
		e->optional = real->flags & OPTION_ARG_OPTIONAL;
		e->arg_name = real->arg;
		e->id = real;
	}
	for (c = argp->children; c && c->argp; c++)
		collect(t, c->argp);
}

static const struct optent *short_find(const struct opttab *t, int key)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->e[i].key == key)
			return &t->e[i];
	return NULL;
}

/*
 * The options "--NAME" abbreviates (an exact name is itself), one per
 * option: aliases of one option are not ambiguous.  Returns how many.
 */
static size_t abbreviates(const struct opttab *t, const char *name,
			  size_t nlen, const struct optent **out, size_t max)
{
	size_t n = 0;

	for (size_t k = 0; k < t->n; k++)
		if (t->e[k].name && strlen(t->e[k].name) == nlen &&
		    !strncmp(t->e[k].name, name, nlen)) {
			out[0] = &t->e[k];
			return 1;
		}
	for (size_t k = 0; nlen && k < t->n; k++) {
		bool seen = false;

		if (!t->e[k].name || strncmp(t->e[k].name, name, nlen))
			continue;
		for (size_t m = 0; m < n && m < max; m++)
			seen |= out[m]->id == t->e[k].id;
		if (seen)
			continue;
		if (n < max)
			out[n] = &t->e[k];
		n++;
	}
	return n;
}

/* "--NAME[=VALUE]" at argv[*i]; true and msg when it is wrong. */
static bool long_option(int argc, char **argv, const struct opttab *t,
			int *i, char *msg, size_t len)
{
	const char *name = argv[*i] + 2;
	size_t nlen = strcspn(name, "="), n, said;
	const struct optent *cand[16], *o;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f;

	n = abbreviates(t, name, nlen, cand, ARRAY_SIZE(cand));
	if (!n) {
		/* "--=VALUE" names no option: the word as given */
		snprintf(msg, len, "unknown option '--%.*s'",
			 (int)(nlen ? nlen : strlen(name)), name);
		return true;
	}
	if (n > 1) {
		f = open_memstream(&buf, &blen);
		if (!f) {
			snprintf(msg, len, "ambiguous option '--%.*s'",
				 (int)nlen, name);
			return true;
		}
		fprintf(f, "ambiguous option '--%.*s': could be ", (int)nlen,
			name);
		said = n < ARRAY_SIZE(cand) ? n : ARRAY_SIZE(cand);
		for (size_t k = 0; k < said; k++)
			fprintf(f, "%s--%s", !k ? "" : k + 1 == n ? " or " : ", ",
				cand[k]->name);
		if (said < n)
			fprintf(f, ", ...");
		fclose(f);
		snprintf(msg, len, "%s", buf ? buf : "");
		free(buf);
		return true;
	}
	o = cand[0];
	if (name[nlen] == '=' && !o->arg) {
		snprintf(msg, len, "option '--%s' takes no value", o->name);
		return true;
	}
	if (o->arg && !o->optional && !name[nlen]) {
		if (*i + 1 >= argc) {
			snprintf(msg, len, "missing %s after '--%s'",
				 o->arg_name, o->name);
			return true;
		}
		++*i;	/* the next word is its value, whatever it looks like */
	}
	return false;
}

/*
 * What getopt found wrong (glibc posix/getopt.c): the first bad option
 * from the left, with a value an option takes from the next word
 * skipped.  In order (main.c's global options) the first argument, the
 * command, ends the options.  msg is empty when every option is fine.
 */
static void diagnose(int argc, char **argv, unsigned int flags,
		     const struct opttab *t, char *msg, size_t len)
{
	bool in_order = (flags & ARGP_IN_ORDER) || getenv("POSIXLY_CORRECT");

	msg[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			return;
		if (a[0] != '-' || !a[1]) {
			if (in_order)
				return;
			continue;
		}
		if (a[1] == '-') {
			if (long_option(argc, argv, t, &i, msg, len))
				return;
			continue;
		}
		for (const char *p = a + 1; *p; p++) {
			const struct optent *e = short_find(t, (unsigned char)*p);

			if (!e) {
				snprintf(msg, len, "unknown option '-%c'", *p);
				return;
			}
			if (!e->arg)
				continue;
			if (!p[1] && !e->optional) {
				if (i + 1 >= argc) {
					snprintf(msg, len, "missing %s after '-%c'",
						 e->arg_name, *p);
					return;
				}
				i++;
			}
			break;
		}
	}
}

void cli_option_problem(const struct argp *argp, int argc, char **argv,
			unsigned int flags, char *msg, size_t len)
{
	struct opttab t = { NULL, 0, 0 };

	collect(&t, argp);
	diagnose(argc, argv, flags, &t, msg, len);
	free(t.e);
}

/* argp found the command line wrong: say what, and exit EXIT_USAGE. */
static __attribute__((noreturn)) void option_error(struct argp_state *state)
{
	const char *cmd = strchr(state->name, ' ');
	char msg[400], help[96];

	cli_option_problem(state->root_argp, state->argc, state->argv,
			   state->flags, msg, sizeof(msg));
	/* state->name is "cxl-switch CMD" (cli_parse), or the program's */
	snprintf(help, sizeof(help), "cxl-switch%s%s --help",
		 cmd ? " " : "", cmd ? cmd + 1 : "");
	if (!strncmp(msg, "ambiguous", 9))
		usage_error(state, "%s", msg);
	if (msg[0])
		usage_error(state, "%s: see '%s'", msg, help);
	/* no option is wrong: an argument nobody takes ("Too many arguments") */
	if (state->next < state->argc)
		usage_error(state, "unexpected argument '%s': see '%s'",
			    state->argv[state->next], help);
	usage_error(state, "invalid command line: see '%s'", help);
}

static error_t std_parse(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case '?':
		state->flags &= ~ARGP_NO_ERRS;
		argp_state_help(state, state->out_stream, ARGP_HELP_STD_HELP);
		return 0;
	case OPT_USAGE:
		state->flags &= ~ARGP_NO_ERRS;
		argp_state_help(state, state->out_stream,
				ARGP_HELP_USAGE | ARGP_HELP_EXIT_OK);
		return 0;
	case 'V':
		fprintf(state->out_stream, "%s\n", argp_program_version);
		exit(EXIT_OK);
	case ARGP_KEY_ERROR:
		option_error(state);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp std_argp = {
	.options = std_options,
	.parser = std_parse,
	.argp_domain = "libc",	/* argp's own words, as argp translates them */
};

void cli_argp_parse(const struct argp *argp, int argc, char **argv,
		    unsigned int flags, void *input)
{
	const struct argp_child children[] = {
		{ argp, 0, NULL, 0 },
		{ &std_argp, 0, NULL, 0 },
		{ 0 },
	};
	const struct argp top = { .children = children };

	argp_parse(&top, argc, argv, flags | ARGP_NO_ERRS | ARGP_NO_HELP,
		   NULL, input);
}
