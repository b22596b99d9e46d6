/* palmares validate RUBRIC: loads a rubric and reports every problem. */
#include <stdio.h>

#include "args.h"
#include "commands.h"

static const char usage[] =
	"usage: palmares validate RUBRIC\n"
	"Checks a rubric file (its format: README.md) and reports every problem with its\n"
	"line and column.\n";

cli_status cmd_validate(int argc, char **argv)
{
	struct campaign_args a;
	cli_parse_result rc = args_parse(argc, argv, usage, 0, &a, NULL, 0, NULL, NULL);
	if (rc != CLI_PARSED)
		return rc == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	if (!a.rubric)
		return args_usage_error(usage, "validate needs a rubric file");
	if (a.ndossiers)
		return args_usage_error(usage, "validate takes one rubric file, not also \"%s\"",
		                        a.dossiers[0]);
	/* a dossiers file here is a mix-up of arguments, not a rubric with syntax errors */
	if (args_not_a_rubric("validate", a.rubric, "the argument"))
		return CLI_FAILED;
	pal_diags *d = pal_diags_new();
	int st;
	if (!d)
		return CLI_FAILED;
	pal_rubric *r = pal_rubric_load(a.rubric, d, &st);
	pal_diags_print(d, 0, stderr);
	if (r)
		printf("%s: ok: rubric \"%s\" %ld: %zu categories, %zu criteria (%zu jury), %zu levels\n",
		       a.rubric, pal_rubric_id(r), pal_rubric_edition(r), pal_rubric_count_categories(r),
		       pal_rubric_count_criteria(r), pal_rubric_count_jury(r), pal_rubric_count_levels(r));
	else
		cli_diag("%s: %zu error%s", a.rubric, pal_diags_errors(d),
		         pal_diags_errors(d) == 1 ? "" : "s");
	pal_rubric_free(r);
	pal_diags_free(d);
	return cli_status_of(st);
}
