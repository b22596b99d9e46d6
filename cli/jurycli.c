/*
 * Shared option parsing and campaign loading of the jury commands
 * (cmd_assign.c, cmd_sheets.c, cmd_progress.c, cmd_sensitivity.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "jurycli.h"

int jurycli_seed(const char *cmd, const char *val, uint64_t *out)
{
	char *end;
	unsigned long long v;
	errno = 0;
	v = val && *val >= '0' && *val <= '9' ? strtoull(val, &end, 10) : 0;
	if (!val || !(*val >= '0' && *val <= '9') || *end || errno || v > 9223372036854775807ULL) {
		cli_error("%s: --seed is a whole number from 0 to 9223372036854775807, not \"%s\"", cmd,
		          val ? val : "");
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

int jurycli_size(const char *cmd, const char *opt, const char *val, size_t min, size_t max,
                 size_t *out)
{
	char *end;
	unsigned long long v = 0;
	errno = 0;
	if (val && *val >= '0' && *val <= '9')
		v = strtoull(val, &end, 10);
	if (!val || !(*val >= '0' && *val <= '9') || *end || errno || v < min || v > max) {
		cli_error("%s: %s is a whole number from %zu to %zu, not \"%s\"", cmd, opt, min, max,
		          val ? val : "");
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

int jurycli_real(const char *cmd, const char *opt, const char *val, double min, double max,
                 double *out)
{
	/* main() runs in the C locale, so strtod reads '.'; a decimal comma is accepted too. */
	char buf[64], *end = NULL, *comma;
	double v = 0;
	int ok = val && *val && strlen(val) < sizeof buf && strspn(val, "0123456789.,") == strlen(val);
	if (ok) {
		snprintf(buf, sizeof buf, "%s", val);
		if ((comma = strchr(buf, ',')) != NULL)
			*comma = '.';
		errno = 0;
		v = strtod(buf, &end);
		ok = *end == '\0' && !errno && v >= min && v <= max;
	}
	if (!ok) {
		cli_error("%s: %s is a number from %g to %g, not \"%s\"", cmd, opt, min, max,
		          val ? val : "");
		return -1;
	}
	*out = v;
	return 0;
}

int jurycli_format(const char *cmd, const struct campaign_args *a, pal_jury_format *fmt)
{
	static const struct args_format formats[] = {
		{"text", ".txt", PAL_JURY_TEXT},
		{"json", ".json", PAL_JURY_JSON},
	};
	int v;
	if (args_pick_format(cmd, a->format, a->output, formats, sizeof formats / sizeof formats[0], &v))
		return -1;
	*fmt = (pal_jury_format)v;
	return 0;
}

pal_campaign *jurycli_load(const char *cmd, const struct campaign_args *a, pal_rubric **rubric,
                           pal_jury_plan **plan, pal_diags *diags, cli_status *status)
{
	/* The plan must restrict the marks before they are read: load it between the two. */
	struct campaign_args base;
	size_t printed;
	int st;
	pal_campaign *c;
	*plan = NULL;
	base = *a;
	base.assignments = NULL;
	base.nmarks = 0;
	c = args_load(&base, rubric, diags, status);
	printed = pal_diags_count(diags);
	if (!c || *status == CLI_FAILED)
		goto unreadable;
	if (a->assignments) {
		*plan = pal_jury_plan_load(c, a->assignments, diags, &st);
		*status = cli_worst(*status, cli_status_of(st));
		if (!*plan) {
			args_flush(diags, &printed);
			return c;
		}
	}
	for (size_t i = 0; i < a->nmarks; i++)
		*status = cli_worst(*status, args_add_marks(c, a->marks[i], diags));
	args_flush(diags, &printed);
	if (*status == CLI_FAILED)
		goto unreadable;
	*status = cli_worst(*status, cli_status_of(pal_campaign_score(c, diags)));
	args_flush(diags, &printed);
	return c;
unreadable:
	if (c)
		cli_error("%s: an input file could not be read: nothing written", cmd);
	return c;
}
