/*
 * palmares progress: how far the jury is (SPEC §9): per juror, dossiers
 * assigned / fully marked / missing; per dossier, what keeps it pending;
 * then the borderline list. The work is pal_jury_progress_write().
 */
#include <stdio.h>

#include "commands.h"
#include "jurycli.h"

static const char progress_usage[] =
	"usage: palmares progress RUBRIC DOSSIER... --assignments ASSIGNMENTS.csv\n"
	"                         [--marks FILE]... [--format text|json] [-o OUT]\n"
	"Reports, per juror, the dossiers assigned, fully marked and missing; per dossier, the\n"
	"jury criteria short of marks and the assigned jurors who have not marked; then the\n"
	"borderline dossiers. A mark by a juror not assigned to that dossier is an error.\n"
	"The extension of -o names the format: .txt (text, the default) or .json.\n";

struct pctx {
	pal_campaign *c;
	const pal_jury_plan *plan;
	pal_jury_format fmt;
};

static int write_progress(void *ctx, FILE *out)
{
	struct pctx *x = ctx;
	return pal_jury_progress_write(x->c, x->plan, x->fmt, out);
}

cli_status cmd_progress(int argc, char **argv)
{
	struct campaign_args a;
	pal_jury_format fmt;
	pal_rubric *r = NULL;
	pal_jury_plan *plan = NULL;
	pal_diags *diags;
	cli_status st;
	cli_parse_result rc = args_parse(argc, argv, progress_usage,
	                                 OPT_MARKS | OPT_ASSIGNMENTS | OPT_FORMAT | OPT_OUTPUT, &a, NULL, 0,
	                                 NULL, NULL);
	if (rc != CLI_PARSED)
		return rc == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.rubric || !a.ndossiers)
		return args_usage_error(progress_usage, "progress needs a rubric file and at least one "
		                        "dossier file");
	if (!a.assignments)
		return args_usage_error(progress_usage, "progress needs --assignments ASSIGNMENTS.csv");
	if (jurycli_format("progress", &a, &fmt))
		return CLI_FAILED;
	if (!(diags = pal_diags_new())) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	pal_campaign *c = jurycli_load("progress", &a, &r, &plan, diags, &st);
	if (c && plan && st != CLI_FAILED) {
		struct pctx x = {c, plan, fmt};
		st = cli_worst(st, args_write_output(a.output, write_progress, &x));
	}
	pal_jury_plan_free(plan);
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(diags);
	return st;
}
