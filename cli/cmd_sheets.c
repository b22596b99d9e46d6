/*
 * palmares sheets: one CSV per juror, DIR/<juror>.csv, a row per assigned
 * dossier and applicable jury criterion, ready to fill in a spreadsheet and
 * to give back as --marks (SPEC §9). The work is pal_jury_sheets_write().
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "jurycli.h"

static const char sheets_usage[] =
	"usage: palmares sheets RUBRIC DOSSIER... --assignments ASSIGNMENTS.csv -o DIR/\n"
	"                       [--lang fr|en] [--bom] [--csv-dialect plain|excel-fr]\n"
	"Writes DIR/<juror>.csv for each juror of the assignments:\n"
	"juror,town_id,town_name,criterion,title,scale,mark,comment with mark and comment empty.\n"
	"A filled sheet is a valid --marks file as it stands. --bom starts each sheet with a\n"
	"UTF-8 byte order mark, so that Excel shows accents right. DIR is created if needed.\n"
	ARGS_CSV_DIALECT_HELP
	"A filled excel-fr sheet is a valid --marks file too.\n";

static const struct cli_option sheets_options[] = {{"--bom", ARGS_EXTRA, 0}};

static int sheets_extra(void *ctx, int id, const char *val)
{
	(void)id; /* --bom, the one option of its own */
	(void)val;
	*(unsigned *)ctx |= PAL_SHEETS_BOM;
	return 0;
}

cli_status cmd_sheets(int argc, char **argv)
{
	struct campaign_args a;
	unsigned flags = 0;
	pal_rubric *r = NULL;
	pal_jury_plan *plan = NULL;
	pal_diags *diags;
	size_t printed;
	cli_status st;
	cli_parse_result rc = args_parse(argc, argv, sheets_usage,
	                                 OPT_ASSIGNMENTS | OPT_OUTPUT | OPT_LANG | OPT_CSV_DIALECT, &a,
	                                 sheets_options, 1, sheets_extra, &flags);
	if (rc != CLI_PARSED)
		return rc == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.rubric || !a.ndossiers)
		return args_usage_error(sheets_usage, "sheets needs a rubric file and at least one dossier "
		                        "file");
	if (!a.assignments)
		return args_usage_error(sheets_usage, "sheets needs --assignments ASSIGNMENTS.csv");
	if (!a.output || strcmp(a.output, "-") == 0)
		return args_usage_error(sheets_usage, "sheets writes one file per juror: it needs -o DIR/");
	/* "-o sheets.csv" would make a directory named like a CSV file: say so instead. */
	struct stat sb;
	size_t olen = strlen(a.output);
	if (args_extension(a.output) && a.output[olen - 1] != '/' &&
	    !(stat(a.output, &sb) == 0 && S_ISDIR(sb.st_mode)))
		return args_usage_error(sheets_usage, "sheets writes one file per juror into a directory: "
		                        "-o DIR/, not \"%s\"", a.output);
	pal_csv_dialect dialect;
	if (args_csv_dialect("sheets", &a, 1, &dialect))
		return CLI_FAILED;
	if (dialect == PAL_CSV_EXCEL_FR)
		flags |= PAL_SHEETS_EXCEL_FR;
	if (!(diags = pal_diags_new())) {
		cli_error("out of memory");
		return CLI_FAILED;
	}
	pal_campaign *c = jurycli_load("sheets", &a, &r, &plan, diags, &st);
	printed = pal_diags_count(diags);
	if (c && plan && st != CLI_FAILED) {
		int wr = pal_jury_sheets_write(c, plan, a.output, a.lang, flags, diags);
		args_flush(diags, &printed);
		st = cli_worst(st, cli_status_of(wr));
		if (wr != PAL_IOERR)
			cli_note("sheets: sheets for %zu assignment%s written to %s", pal_jury_plan_count(plan),
			         pal_jury_plan_count(plan) == 1 ? "" : "s", a.output);
	}
	pal_jury_plan_free(plan);
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(diags);
	return st;
}
