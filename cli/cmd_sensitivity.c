/*
 * palmares sensitivity: level stability of each scored dossier under random
 * rubrics (SPEC §9), fragile dossiers first, then the borderline list. The
 * work is pal_sensitivity_compute() and pal_sensitivity_write().
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "jurycli.h"

static const char sensitivity_usage[] =
	"usage: palmares sensitivity RUBRIC DOSSIER... [--marks FILE]... [--assignments FILE]\n"
	"                            [--spread 0.1] [--samples 1000] [--seed N]\n"
	"                            [--format text|json] [-o OUT]\n"
	"For each scored dossier, the share of SAMPLES random rubrics (each criterion's points\n"
	"times a factor drawn uniformly from [1 - SPREAD, 1 + SPREAD]) under which it keeps\n"
	"its computed level (overrides ignored). Dossiers under 0.9 are fragile and come\n"
	"first. Then the borderline dossiers: within one point of a threshold, or whose level\n"
	"hangs on a single jury mark. The same inputs and seed (default 0) give the same result.\n"
	"The extension of -o names the format: .txt (text, the default) or .json.\n";

enum { SPREAD = ARGS_EXTRA, SAMPLES, SEED };

static const struct cli_option sens_options[] = {
	{"--spread", SPREAD, 1},
	{"--samples", SAMPLES, 1},
	{"--seed", SEED, 1},
};

static int sens_extra(void *ctx, int id, const char *val)
{
	pal_sensitivity_options *o = ctx;
	if (id == SPREAD)
		return jurycli_real("sensitivity", "--spread", val, 0, 1, &o->spread);
	if (id == SAMPLES)
		return jurycli_size("sensitivity", "--samples", val, 1, 10000000, &o->samples);
	return jurycli_seed("sensitivity", val, &o->seed);
}

struct sctx {
	const pal_sensitivity *s;
	pal_campaign *c;
	pal_jury_format fmt;
};

static int write_sens(void *ctx, FILE *out)
{
	struct sctx *x = ctx;
	return pal_sensitivity_write(x->s, x->c, x->fmt, out);
}

cli_status cmd_sensitivity(int argc, char **argv)
{
	struct campaign_args a;
	pal_sensitivity_options o = {0.1, 1000, 0};
	pal_sensitivity *s = NULL;
	pal_jury_format fmt;
	pal_rubric *r = NULL;
	pal_jury_plan *plan = NULL;
	pal_diags *diags;
	cli_status st;
	cli_parse_result rc = args_parse(argc, argv, sensitivity_usage,
	                                 OPT_MARKS | OPT_ASSIGNMENTS | OPT_FORMAT | OPT_OUTPUT, &a,
	                                 sens_options, sizeof sens_options / sizeof sens_options[0],
	                                 sens_extra, &o);
	if (rc != CLI_PARSED)
		return rc == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.rubric || !a.ndossiers)
		return args_usage_error(sensitivity_usage, "sensitivity needs a rubric file and at least "
		                        "one dossier file");
	if (jurycli_format("sensitivity", &a, &fmt))
		return CLI_FAILED;
	if (!(diags = pal_diags_new())) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	pal_campaign *c = jurycli_load("sensitivity", &a, &r, &plan, diags, &st);
	if (c && st != CLI_FAILED && (!a.assignments || plan)) {
		if (pal_sensitivity_compute(c, &o, &s) == PAL_OK) {
			struct sctx x = {s, c, fmt};
			st = cli_worst(st, args_write_output(a.output, write_sens, &x));
		} else {
			cli_error("sensitivity: out of memory");
			st = CLI_FAILED;
		}
	}
	pal_sensitivity_free(s);
	pal_jury_plan_free(plan);
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(diags);
	return st;
}
