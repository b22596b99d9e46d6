/*
 * The option parser of every command (options.h): one loop over argv, the
 * options looked up in the command's table, and the "did you mean" of an
 * unknown option taken from that same table.
 */
#include "options.h"

#include <stdio.h>
#include <string.h>

#include "message.h"
#include "palmares/suggest.h"

#define MAX_CANDIDATES 64

const char *cli_option_closest(const char *opt, const struct cli_option *t, size_t n, char *buf,
                               size_t len)
{
	const char *names[MAX_CANDIDATES];
	size_t k = 0;
	names[k++] = "--help"; /* in no table, but every command takes it */
	for (size_t i = 0; i < n && k < MAX_CANDIDATES; i++)
		if (strncmp(t[i].name, "--", 2) == 0)
			names[k++] = t[i].name;
	const char *best = pal_text_closest(opt, names, k);
	if (!best || strcmp(best, opt) == 0 || !len)
		return NULL;
	snprintf(buf, len, "%s", best);
	return buf;
}

static const struct cli_option *find(const struct cli_parser *p, const char *arg)
{
	for (size_t i = 0; i < p->noptions; i++)
		if (strcmp(arg, p->options[i].name) == 0)
			return &p->options[i];
	return NULL;
}

static void unknown(const struct cli_parser *p, const char *arg)
{
	char near[32];
	if (cli_option_closest(arg, p->options, p->noptions, near, sizeof near))
		cli_error("%s: unknown option \"%s\": did you mean \"%s\"?", p->cmd, arg, near);
	else
		cli_error("%s: unknown option \"%s\"", p->cmd, arg);
	cli_usage(p->usage, 0);
}

cli_parse_result cli_parse_options(const struct cli_parser *p, int argc, char **argv)
{
	int options = 1;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (options && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
			cli_usage(p->usage, 1);
			return CLI_PARSED_HELP;
		}
		if (options && (p->flags & CLI_OPTS_DASH_DASH) && strcmp(arg, "--") == 0) {
			options = 0;
			continue;
		}
		int is_option = (p->flags & CLI_OPTS_LONG_ONLY) ? strncmp(arg, "--", 2) == 0
		                                               : arg[0] == '-' && arg[1] != '\0';
		if (!options || !is_option) {
			if (p->argument(p->ctx, arg) != 0)
				return CLI_PARSE_FAILED;
			continue;
		}
		const struct cli_option *o = find(p, arg);
		if (!o) {
			unknown(p, arg);
			return CLI_PARSE_FAILED;
		}
		const char *val = NULL;
		if (o->takes_value) {
			if (i + 1 >= argc) {
				cli_error("%s: option \"%s\" needs a value", p->cmd, arg);
				return CLI_PARSE_FAILED;
			}
			val = argv[++i];
		}
		if (p->option(p->ctx, o->id, o->name, val) != 0)
			return CLI_PARSE_FAILED;
	}
	return CLI_PARSED;
}
