/*
 * palmares assign: K distinct eligible jurors per dossier that needs marks
 * (SPEC §9), written as `juror,town_id` rows. The work is done by
 * pal_jury_assign() (include/palmares/jury.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "jurycli.h"

static const char assign_usage[] =
	"usage: palmares assign RUBRIC DOSSIER... --jurors JURORS.csv --per-dossier K\n"
	"                       [--avoid-same-region] [--seed N] [-o ASSIGNMENTS.csv]\n"
	"                       [--csv-dialect plain|excel-fr]\n"
	"Gives each dossier with an applicable jury criterion exactly K distinct jurors: never\n"
	"one of its own town, never one who declared a conflict with it, and with\n"
	"--avoid-same-region never one of its region; loads as even as that allows. The same\n"
	"inputs and seed (default 0) give the same assignment. Writes `juror,town_id` rows.\n"
	"Exit status: 0 ok; 1 some input was rejected, or some dossier cannot get K jurors\n"
	"(each is named, and nothing is written); 2 usage or unreadable/unwritable file.\n"
	ARGS_CSV_DIALECT_HELP;

struct assign_opts {
	const char *jurors;
	size_t per_dossier;
	int have_k;
	unsigned flags;
	uint64_t seed;
	pal_csv_dialect dialect;
};

enum { JURORS = ARGS_EXTRA, PER_DOSSIER, AVOID_SAME_REGION, SEED };

static const struct cli_option assign_options[] = {
	{"--jurors", JURORS, 1},
	{"--per-dossier", PER_DOSSIER, 1},
	{"--avoid-same-region", AVOID_SAME_REGION, 0},
	{"--seed", SEED, 1},
};

static int assign_extra(void *ctx, int id, const char *val)
{
	struct assign_opts *o = ctx;
	switch (id) {
	case JURORS:
		o->jurors = val;
		return 0;
	case AVOID_SAME_REGION:
		o->flags |= PAL_JURY_AVOID_SAME_REGION;
		return 0;
	case SEED:
		return jurycli_seed("assign", val, &o->seed);
	default:
		if (jurycli_size("assign", "--per-dossier", val, 1, 1000, &o->per_dossier))
			return -1;
		o->have_k = 1;
		return 0;
	}
}

struct plan_out {
	const pal_jury_plan *plan;
	pal_csv_dialect dialect;
};

static int write_plan(void *ctx, FILE *out)
{
	const struct plan_out *p = ctx;
	return pal_jury_plan_write_csv(p->plan, p->dialect, out);
}

/* One line on stderr: how many pairs, and the spread of the loads. */
static void summary(const pal_jury_plan *p, const pal_jurors *j, size_t k)
{
	size_t n = pal_jurors_count(j), lo = (size_t)-1, hi = 0;
	size_t *load = calloc(n + 1, sizeof *load);
	if (!load)
		return;
	for (size_t i = 0; i < pal_jury_plan_count(p); i++) {
		const char *juror, *town;
		long at;
		pal_jury_plan_pair(p, i, &juror, &town);
		if ((at = pal_jurors_find(j, juror)) >= 0)
			load[at]++;
	}
	for (size_t i = 0; i < n; i++) {
		lo = load[i] < lo ? load[i] : lo;
		hi = load[i] > hi ? load[i] : hi;
	}
	cli_note("assign: %zu dossier%s × %zu juror%s, %zu juror%s with %zu to %zu dossiers each",
	         pal_jury_plan_count(p) / k, pal_jury_plan_count(p) / k == 1 ? "" : "s", k,
	         k == 1 ? "" : "s", n, n == 1 ? "" : "s", n ? lo : 0, hi);
	free(load);
}

static cli_status assign_run(const struct campaign_args *a, const struct assign_opts *o, pal_diags *diags)
{
	pal_rubric *r = NULL;
	pal_campaign *c = NULL;
	pal_jury_plan *plan = NULL, *none = NULL;
	pal_jurors *j = NULL;
	size_t printed;
	cli_status st;
	int js;
	c = jurycli_load("assign", a, &r, &none, diags, &st);
	printed = pal_diags_count(diags);
	if (!c || st == CLI_FAILED)
		goto out;
	j = pal_jurors_load(o->jurors, diags, &js);
	args_flush(diags, &printed);
	st = cli_worst(st, cli_status_of(js));
	if (!j) {
		if (js == PAL_REJECTED)
			cli_error("assign: the jurors file cannot be used: nothing written");
		goto out;
	}
	js = pal_jury_assign(c, j, o->per_dossier, o->flags, o->seed, &plan, diags);
	args_flush(diags, &printed);
	if (js == PAL_REJECTED) {
		cli_error("assign: some dossiers cannot get %zu juror%s: nothing written", o->per_dossier,
		          o->per_dossier == 1 ? "" : "s");
		st = CLI_REJECTED;
	} else if (js != PAL_OK) {
		st = CLI_FAILED;
	} else {
		if (pal_jury_plan_count(plan) == 0)
			cli_warn("assign: no dossier needs jurors");
		else
			summary(plan, j, o->per_dossier);
		struct plan_out po = {plan, o->dialect};
		st = cli_worst(st, args_write_output(a->output, write_plan, &po));
	}
out:
	pal_jury_plan_free(plan);
	pal_jury_plan_free(none);
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_jurors_free(j);
	return st;
}

cli_status cmd_assign(int argc, char **argv)
{
	struct campaign_args a;
	struct assign_opts o = {0};
	pal_diags *diags;
	cli_parse_result rc = args_parse(argc, argv, assign_usage, OPT_OUTPUT | OPT_CSV_DIALECT, &a,
	                                 assign_options, sizeof assign_options / sizeof assign_options[0],
	                                 assign_extra, &o);
	if (rc != CLI_PARSED)
		return rc == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.rubric || !a.ndossiers)
		return args_usage_error(assign_usage, "assign needs a rubric file and at least one dossier "
		                        "file");
	if (!o.jurors)
		return args_usage_error(assign_usage, "assign needs --jurors JURORS.csv");
	if (!o.have_k)
		return args_usage_error(assign_usage, "assign needs --per-dossier K, the jurors per "
		                        "dossier");
	static const struct args_format csv_only[] = {{"csv", ".csv", 0}};
	int v;
	if (args_pick_format("assign", NULL, a.output, csv_only, 1, &v) ||
	    args_csv_dialect("assign", &a, 1, &o.dialect))
		return CLI_FAILED;
	if (!(diags = pal_diags_new())) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	cli_status st = assign_run(&a, &o, diags);
	pal_diags_free(diags);
	return st;
}
