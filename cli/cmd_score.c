/*
 * palmares score / check / explain: load a campaign, score it, then write
 * the results (score), only report problems (check), or explain one town.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"

static const char score_usage[] =
	"usage: palmares score RUBRIC DOSSIER... [--marks FILE]... [--overrides FILE]\n"
	"                      [--previous RESULTS] [--assignments FILE]\n"
	"                      [--format text|json|csv] [-o OUT] [--lang fr|en]\n"
	"                      [--csv-dialect plain|excel-fr]\n"
	"Scores every dossier and writes the results: a text table ranked by\n"
	"score (the default), JSON or CSV. The extension of -o names the format (.txt,\n"
	".json, .csv); any other extension, or a --format that contradicts it, is refused.\n"
	ARGS_CSV_DIALECT_HELP
	"Exit status: 0 ok, 1 some input was rejected (the rest is scored and written),\n"
	"2 usage or unreadable/unwritable file.\n";

static const char check_usage[] =
	"usage: palmares check RUBRIC DOSSIER... [--marks FILE]... [--assignments FILE]\n"
	"Validates dossiers and marks against the rubric and reports every problem;\n"
	"writes no results. Exit status as for score.\n";

static const char explain_usage[] =
	"usage: palmares explain RUBRIC DOSSIER... --town ID|NAME [--marks FILE]... [--overrides FILE]\n"
	"                        [--previous RESULTS] [--lang fr|en]\n"
	"Explains one town's score criterion by criterion, with what is missing for the\n"
	"next level. --town takes the town's id, or its name when no other town has it.\n";

struct wctx {
	const pal_campaign *c;
	pal_results_format fmt;
	const char *lang;
	pal_csv_dialect dialect;
};

static int write_results(void *ctx, FILE *out)
{
	const struct wctx *w = ctx;
	if (w->fmt == PAL_RESULTS_CSV)
		return pal_results_write_csv(w->c, w->dialect, out);
	return pal_results_write(w->c, w->fmt, w->lang, out);
}

/* What -o and --format may name (SPEC §7): the extension of -o decides. */
static const struct args_format results_formats[] = {
	{"text", ".txt", PAL_RESULTS_TEXT},
	{"json", ".json", PAL_RESULTS_JSON},
	{"csv", ".csv", PAL_RESULTS_CSV},
};

enum mode { MODE_SCORE, MODE_CHECK, MODE_EXPLAIN };

/* --town NAME that nn towns have: the first eight of them, id and name, in one message. */
static void homonyms(const char *town, size_t nn, const char *const *named,
                     const char *const *names)
{
	char *list = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&list, &len);
	for (size_t i = 0; m && i < nn && i < 8; i++)
		fprintf(m, "%s%s \"%s\"", i ? ", " : "", named[i], names[i]);
	if (!m || fclose(m) != 0 || !list) {
		free(list);
		cli_error("out of memory");
		return;
	}
	cli_error("explain: %zu towns are named \"%s\": %s%s; give the id", nn, town, list,
	          nn > 8 ? ", …" : "");
	free(list);
}

static cli_status run(int argc, char **argv, enum mode mode)
{
	static const unsigned opts[] = {
		OPT_MARKS | OPT_OVERRIDES | OPT_PREVIOUS | OPT_FORMAT | OPT_OUTPUT | OPT_ASSIGNMENTS |
			OPT_LANG | OPT_CSV_DIALECT,
		OPT_MARKS | OPT_ASSIGNMENTS | OPT_OVERRIDES | OPT_PREVIOUS,
		OPT_MARKS | OPT_OVERRIDES | OPT_PREVIOUS | OPT_TOWN | OPT_ASSIGNMENTS | OPT_LANG,
	};
	const char *usage = mode == MODE_SCORE ? score_usage : mode == MODE_CHECK ? check_usage
	                                                                          : explain_usage;
	struct campaign_args a;
	pal_results_format fmt = PAL_RESULTS_TEXT;
	cli_parse_result rc = args_parse(argc, argv, usage, opts[mode], &a, NULL, 0, NULL, NULL);
	if (rc != CLI_PARSED)
		return rc == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.rubric)
		return args_usage_error(usage, "%s needs a rubric file and at least one dossier file",
		                        argv[0]);
	if (!a.ndossiers)
		return args_usage_error(usage, "%s needs at least one dossier file", argv[0]);
	if (mode == MODE_EXPLAIN && !a.town)
		return args_usage_error(usage, "explain needs --town ID|NAME, the town to explain");
	int v = PAL_RESULTS_TEXT;
	if (mode == MODE_SCORE && args_pick_format("score", a.format, a.output, results_formats,
	                                           sizeof results_formats / sizeof results_formats[0], &v))
		return CLI_FAILED;
	fmt = (pal_results_format)v;
	pal_csv_dialect dialect;
	if (args_csv_dialect(argv[0], &a, fmt == PAL_RESULTS_CSV, &dialect))
		return CLI_FAILED;
	pal_diags *diags = pal_diags_new();
	pal_rubric *r = NULL;
	size_t printed;
	cli_status st;
	if (!diags)
		return CLI_FAILED;
	pal_campaign *c = args_load(&a, &r, diags, &st);
	printed = pal_diags_count(diags);
	if (!c || st == CLI_FAILED) {
		/* check writes nothing by design: saying so would suggest it failed to */
		if (c)
			cli_error("%s: an input file could not be read%s", argv[0],
			          mode == MODE_CHECK ? "" : ": nothing written");
		goto out;
	}
	if (a.overrides)
		st = cli_worst(st, cli_status_of(pal_campaign_set_overrides(c, a.overrides, diags)));
	st = cli_worst(st, cli_status_of(pal_campaign_score(c, diags)));
	args_flush(diags, &printed);
	if (pal_diags_oom(diags))
		st = CLI_FAILED; /* a message was lost: results without it would not be complete */
	if (st == CLI_FAILED)
		goto out;
	if (mode == MODE_SCORE) {
		struct wctx w = {c, fmt, a.lang, dialect};
		st = cli_worst(st, args_write_output(a.output, write_results, &w));
	} else if (mode == MODE_EXPLAIN) {
		const char *named[8], *names[8];
		size_t nn = 0;
		int e = pal_explain_write(c, a.town, a.lang, stdout);
		/* not an id: a name that one town has will do (a clerk knows "Rennes", not 35238) */
		if (e == 1 && (nn = pal_campaign_towns_named(c, a.town, named, names, 8)) == 1)
			e = pal_explain_write(c, named[0], a.lang, stdout);
		if (e == 0 && fflush(stdout) != 0)
			e = -1;
		if (e == 1 && nn > 1) {
			homonyms(a.town, nn, named, names);
			st = CLI_FAILED;
		} else if (e == 1) {
			cli_error("explain: no dossier for town \"%s\" (neither an id nor a name)", a.town);
			st = CLI_FAILED;
		} else if (e < 0) {
			cli_error("explain: cannot write to standard output: %s", strerror(errno ? errno : EIO));
			st = CLI_FAILED;
		}
	} else {
		printf("%zu dossier%s checked: %zu error%s, %zu warning%s\n", pal_campaign_count(c),
		       pal_campaign_count(c) == 1 ? "" : "s", pal_diags_errors(diags),
		       pal_diags_errors(diags) == 1 ? "" : "s", pal_diags_warnings(diags),
		       pal_diags_warnings(diags) == 1 ? "" : "s");
	}
out:
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(diags);
	return st;
}

cli_status cmd_score(int argc, char **argv) { return run(argc, argv, MODE_SCORE); }
cli_status cmd_check(int argc, char **argv) { return run(argc, argv, MODE_CHECK); }
cli_status cmd_explain(int argc, char **argv) { return run(argc, argv, MODE_EXPLAIN); }
