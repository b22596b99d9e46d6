/* palmares template RUBRIC [--format csv|json|schema] [-o OUT]: what a town fills in. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "commands.h"

static const char usage[] =
	"usage: palmares template RUBRIC [--format csv|json|schema] [-o OUT] [--lang fr|en]\n"
	"                         [--csv-dialect plain|excel-fr]\n"
	"Writes what a town fills in: a CSV header row (default), a JSON dossier skeleton,\n"
	"or a JSON Schema of the dossier format for this rubric. The extension of -o names\n"
	"the format (.csv, .json: a skeleton unless --format schema); any other extension,\n"
	"or a --format that contradicts it, is refused.\n"
	ARGS_CSV_DIALECT_HELP;

/* The extension of -o names the format; a schema is JSON too. */
static const struct args_format template_formats[] = {
	{"csv", ".csv", PAL_TEMPLATE_CSV},
	{"json", ".json", PAL_TEMPLATE_JSON},
	{"schema", ".json", PAL_TEMPLATE_SCHEMA},
};

struct tctx {
	const pal_rubric *r;
	pal_template_format fmt;
	const char *lang;
	pal_csv_dialect dialect;
};

static int write_template(void *ctx, FILE *out)
{
	const struct tctx *t = ctx;
	if (t->fmt == PAL_TEMPLATE_CSV)
		return pal_template_write_csv(t->r, t->dialect, out);
	return pal_template_write(t->r, t->fmt, t->lang, out);
}

cli_status cmd_template(int argc, char **argv)
{
	struct campaign_args a;
	pal_template_format fmt = PAL_TEMPLATE_CSV;
	cli_parse_result rc = args_parse(argc, argv, usage,
	                                 OPT_FORMAT | OPT_OUTPUT | OPT_LANG | OPT_CSV_DIALECT, &a, NULL, 0,
	                                 NULL, NULL);
	if (rc != CLI_PARSED)
		return rc == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.rubric)
		return args_usage_error(usage, "template needs a rubric file");
	if (a.ndossiers)
		return args_usage_error(usage, "template takes one rubric file, not also \"%s\"",
		                        a.dossiers[0]);
	int v;
	if (args_pick_format("template", a.format, a.output, template_formats,
	                     sizeof template_formats / sizeof template_formats[0], &v))
		return CLI_FAILED;
	fmt = (pal_template_format)v;
	pal_csv_dialect dialect;
	if (args_csv_dialect("template", &a, fmt == PAL_TEMPLATE_CSV, &dialect))
		return CLI_FAILED;
	pal_diags *d = pal_diags_new();
	int st;
	if (!d)
		return CLI_FAILED;
	pal_rubric *r = pal_rubric_load(a.rubric, d, &st);
	pal_diags_print(d, 0, stderr);
	pal_diags_free(d);
	if (!r)
		return cli_status_of(st);
	struct tctx t = {r, fmt, a.lang, dialect};
	cli_status written = args_write_output(a.output, write_template, &t);
	pal_rubric_free(r);
	return written;
}
