/*
 * Shared argument handling of the campaign commands: positional RUBRIC and
 * DOSSIER files, repeatable --marks, and the options of SPEC §7. Also the one
 * place where a campaign is loaded for the command line, so that check,
 * score and explain report exactly the same problems.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"

int args_worst(int a, int b)
{
	return a > b ? a : b;
}

void args_flush(pal_diags *diags, size_t *printed)
{
	pal_diags_print(diags, *printed, stderr);
	*printed = pal_diags_count(diags);
}

static int takes_value(const char *opt, unsigned opts, const char ***slot, struct campaign_args *a)
{
	static const struct {
		const char *name;
		unsigned flag;
		size_t off;
	} table[] = {
		{"--overrides", OPT_OVERRIDES, offsetof(struct campaign_args, overrides)},
		{"--previous", OPT_PREVIOUS, offsetof(struct campaign_args, previous)},
		{"--assignments", OPT_ASSIGNMENTS, offsetof(struct campaign_args, assignments)},
		{"--format", OPT_FORMAT, offsetof(struct campaign_args, format)},
		{"-o", OPT_OUTPUT, offsetof(struct campaign_args, output)},
		{"--output", OPT_OUTPUT, offsetof(struct campaign_args, output)},
		{"--town", OPT_TOWN, offsetof(struct campaign_args, town)},
		{"--lang", OPT_LANG, offsetof(struct campaign_args, lang)},
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if ((opts & table[i].flag) && strcmp(opt, table[i].name) == 0) {
			*slot = (const char **)((char *)a + table[i].off);
			return 1;
		}
	return 0;
}

int args_parse(int argc, char **argv, const char *usage, unsigned opts, struct campaign_args *a,
               int (*extra)(void *ctx, const char *opt, const char *val), void *ctx)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char **slot;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage, stdout);
			return 3;
		}
		if (arg[0] == '-' && arg[1] != '\0') {
			const char *val = i + 1 < argc ? argv[i + 1] : NULL;
			if ((opts & OPT_MARKS) && strcmp(arg, "--marks") == 0) {
				if (!val)
					goto missing;
				if (a->nmarks == ARGS_MAX_FILES)
					goto toomany;
				a->marks[a->nmarks++] = val;
				i++;
				continue;
			}
			if (takes_value(arg, opts, &slot, a)) {
				if (!val)
					goto missing;
				*slot = val;
				i++;
				continue;
			}
			int r = extra ? extra(ctx, arg, val) : 0;
			if (r < 0)
				return EXIT_USAGE;
			if (r > 0) {
				i += r - 1;
				continue;
			}
			fprintf(stderr, "palmares: error: %s: unknown option \"%s\"\n%s", argv[0], arg, usage);
			return EXIT_USAGE;
		}
		if (!a->rubric) {
			a->rubric = arg;
		} else {
			if (a->ndossiers == ARGS_MAX_FILES)
				goto toomany;
			a->dossiers[a->ndossiers++] = arg;
		}
		continue;
missing:
		fprintf(stderr, "palmares: error: %s: option \"%s\" needs a value\n", argv[0], arg);
		return EXIT_USAGE;
	}
	if (a->lang && strcmp(a->lang, "fr") != 0 && strcmp(a->lang, "en") != 0) {
		fprintf(stderr, "palmares: error: %s: --lang is fr or en, not \"%s\"\n", argv[0], a->lang);
		return EXIT_USAGE;
	}
	return 0;
toomany:
	fprintf(stderr, "palmares: error: %s: more than %d files\n", argv[0], ARGS_MAX_FILES);
	return EXIT_USAGE;
}

pal_campaign *args_load(const struct campaign_args *a, pal_rubric **rubric, pal_diags *diags,
                        int *status)
{
	size_t printed = 0;
	int st;
	pal_rubric *r = pal_rubric_load(a->rubric, diags, &st);
	*status = st;
	*rubric = r;
	if (!r) {
		args_flush(diags, &printed);
		return NULL;
	}
	pal_campaign *c = pal_campaign_new(r);
	if (!c) {
		fputs("palmares: error: out of memory\n", stderr);
		*status = EXIT_USAGE;
		return NULL;
	}
	for (size_t i = 0; i < a->ndossiers; i++)
		*status = args_worst(*status, pal_campaign_add_dossiers(c, a->dossiers[i], diags));
	if (a->assignments)
		*status = args_worst(*status, pal_campaign_set_assignments(c, a->assignments, diags));
	if (a->previous)
		*status = args_worst(*status, pal_campaign_set_previous(c, a->previous, diags));
	for (size_t i = 0; i < a->nmarks; i++)
		*status = args_worst(*status, pal_campaign_add_marks(c, a->marks[i], diags));
	args_flush(diags, &printed);
	return c;
}

int args_write_output(const char *path, int (*write)(void *ctx, FILE *out), void *ctx)
{
	char err[1024];
	pal_output *o = pal_output_open(path, err, sizeof err);
	if (!o) {
		fprintf(stderr, "palmares: error: %s\n", err);
		return EXIT_USAGE;
	}
	if (write(ctx, pal_output_stream(o)) != 0) {
		pal_output_abort(o);
		fprintf(stderr, "palmares: error: cannot write \"%s\"\n", path ? path : "<stdout>");
		return EXIT_USAGE;
	}
	if (pal_output_commit(o, err, sizeof err) != 0) {
		fprintf(stderr, "palmares: error: %s\n", err);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
