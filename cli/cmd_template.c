/* palmares template RUBRIC [--format csv|json|schema] [-o OUT]: what a town fills in. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"

static const char usage[] =
	"usage: palmares template RUBRIC [--format csv|json|schema] [-o OUT] [--lang fr|en]\n"
	"Writes what a town fills in: a CSV header row (default), a JSON dossier skeleton,\n"
	"or a JSON Schema of the dossier format for this rubric.\n";

struct tctx {
	const pal_rubric *r;
	pal_template_format fmt;
	const char *lang;
};

static int write_template(void *ctx, FILE *out)
{
	const struct tctx *t = ctx;
	return pal_template_write(t->r, t->fmt, t->lang, out);
}

int cmd_template(int argc, char **argv)
{
	struct campaign_args a;
	pal_template_format fmt = PAL_TEMPLATE_CSV;
	int rc = args_parse(argc, argv, usage, OPT_FORMAT | OPT_OUTPUT | OPT_LANG, &a, NULL, NULL);
	if (rc)
		return rc == 3 ? EXIT_OK : rc;
	if (!a.rubric)
		return args_usage_error(usage, "template needs a rubric file");
	if (a.ndossiers)
		return args_usage_error(usage, "template takes one rubric file, not also \"%s\"",
		                        a.dossiers[0]);
	if (a.format && strcmp(a.format, "json") == 0)
		fmt = PAL_TEMPLATE_JSON;
	else if (a.format && strcmp(a.format, "schema") == 0)
		fmt = PAL_TEMPLATE_SCHEMA;
	else if (a.format && strcmp(a.format, "csv") != 0) {
		fprintf(stderr, "palmares: error: template: --format is csv, json or schema, not \"%s\"\n",
		        a.format);
		return EXIT_USAGE;
	}
	pal_diags *d = pal_diags_new();
	int st;
	if (!d)
		return EXIT_USAGE;
	pal_rubric *r = pal_rubric_load(a.rubric, d, &st);
	pal_diags_print(d, 0, stderr);
	pal_diags_free(d);
	if (!r)
		return st;
	struct tctx t = {r, fmt, a.lang};
	rc = args_write_output(a.output, write_template, &t);
	pal_rubric_free(r);
	return rc;
}
