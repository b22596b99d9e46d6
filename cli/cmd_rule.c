/*
 * palmares rule RULE [DATA] — evaluates one JsonLogic rule (SPEC.md §2, §7),
 * for trying rules out before putting them in a rubric.
 *
 * Data flow: RULE and DATA are JSON text, or @FILE to read a file (@- for
 * standard input); both are handed to pal_rule_eval_text(), and the result
 * is printed as compact JSON on one line. Exit status: 0 on
 * success, 1 for malformed JSON or an evaluation error, 2 for a usage error
 * or a file that cannot be read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "palmares/input.h"
#include "palmares/limits.h"
#include "palmares/rule.h"

static const char usage[] =
	"usage: palmares rule RULE [DATA]\n"
	"\n"
	"Evaluates the JsonLogic rule RULE against DATA (default null) and prints\n"
	"the result as compact JSON on one line. RULE and DATA are JSON text, or\n"
	"@FILE to read a file (@- reads standard input).\n"
	"\n"
	"example: palmares rule '{\">=\": [{\"var\": \"town.population\"}, 3500]}' \\\n"
	"                       '{\"town\": {\"population\": 4200}}'\n";

struct rule_args {
	const char *pos[2];
	int npos;
};

/* rule takes no option but --help: its table is empty, and "-1" is JSON, not an option. */
static int on_option(void *ctx, int id, const char *name, const char *val)
{
	(void)ctx, (void)id, (void)name, (void)val;
	return 0;
}

static int on_argument(void *ctx, const char *arg)
{
	struct rule_args *r = ctx;
	if (r->npos == 2) {
		cli_error("%s: unexpected argument \"%s\"", "rule", arg);
		cli_usage(usage, 0);
		return -1;
	}
	r->pos[r->npos++] = arg;
	return 0;
}

/*
 * Reads @FILE (or standard input for @-) into *text, stopping one byte past
 * PALMARES_MAX_JSON as every JSON input does. Returns CLI_OK or the status of
 * the message it said.
 */
static cli_status read_file(const char *path, char **text, size_t *len)
{
	char why[128];
	long long size = -1;
	size_t max = pal_limits_current()->max_json, cap = 0, n = 0;
	int is_stdin = strcmp(path, "-") == 0, over = 0;
	/* Not a device, never a wait on open (docs/limits.md); a pipe is fine, as @- is. */
	FILE *f = is_stdin ? stdin : pal_input_open(path, PAL_INPUT_STREAM, &size, why, sizeof why);
	char *buf = NULL;
	cli_status st = CLI_OK;

	if (!f) {
		cli_error("rule: cannot read %s: %s", path, why);
		return CLI_FAILED;
	}
	if (size >= 0 && (unsigned long long)size > max)
		over = 1;
	errno = 0;
	while (!over) {
		if (cap - n < 4096) {
			size_t nc = cap ? 2 * cap : 65536;
			char *nb = realloc(buf, nc + 1);
			if (!nb) {
				cli_error("rule: cannot read %s: %s", path, strerror(ENOMEM));
				st = CLI_FAILED;
				break;
			}
			buf = nb;
			cap = nc;
		}
		size_t want = cap - n, left = max + 1 - n; /* one byte past the limit tells it is over */
		size_t got = fread(buf + n, 1, want < left ? want : left, f);
		n += got;
		over = n > max;
		if (got == 0)
			break;
	}
	if (st == CLI_OK && over) {
		cli_error("rule: %s: file is larger than the limit of %zu bytes (limit set by "
		          "PALMARES_MAX_JSON)", path, max);
		st = CLI_FAILED;
	} else if (st == CLI_OK && ferror(f)) {
		cli_error("rule: cannot read %s: %s", path, errno ? strerror(errno) : "read error");
		st = CLI_FAILED;
	}
	if (!is_stdin)
		fclose(f);
	if (st != CLI_OK) {
		free(buf);
		return st;
	}
	if (!buf && !(buf = malloc(1))) {
		cli_error("rule: cannot read %s: %s", path, strerror(ENOMEM));
		return CLI_FAILED;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return CLI_OK;
}

/* One RULE or DATA argument: its JSON text, read from the file after an @. */
struct arg_text {
	const char *text; /* the argument, or file */
	size_t len;
	char *file;       /* what @FILE held, or NULL */
	const char *path; /* the file's name for messages, or NULL for text given inline */
};

static cli_status arg_text(const char *arg, struct arg_text *t)
{
	memset(t, 0, sizeof *t);
	if (arg[0] != '@') {
		t->text = arg;
		t->len = strlen(arg);
		return CLI_OK;
	}
	if (arg[1] == '\0') {
		cli_error("rule: a file name must follow @");
		return CLI_FAILED;
	}
	cli_status st = read_file(arg + 1, &t->file, &t->len);
	t->text = t->file;
	t->path = strcmp(arg + 1, "-") == 0 ? "<stdin>" : arg + 1;
	return st;
}

/* Says where a RULE or DATA text is not JSON. */
static void bad_json(const struct arg_text *t, const pal_rule_error *e)
{
	if (t->path)
		cli_diag("%s:%d:%d: error: %s", t->path, e->line, e->column, e->text);
	else
		cli_error("rule: line %d, column %d: %s", e->line, e->column, e->text);
}

/* Prints the result; returns the status. */
static cli_status print_result(const char *result)
{
	fputs(result, stdout);
	putchar('\n');
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("rule: cannot write the result: %s", strerror(errno));
		return CLI_FAILED;
	}
	return CLI_OK;
}

cli_status cmd_rule(int argc, char **argv)
{
	struct rule_args args = {{NULL, NULL}, 0};
	struct cli_parser parser = {"rule", usage, NULL, 0, CLI_OPTS_LONG_ONLY | CLI_OPTS_DASH_DASH,
	                            on_option, on_argument, &args};
	const char *const *pos = args.pos;
	struct arg_text rule = {0}, data = {0};
	pal_rule_error e;
	char *result = NULL;

	cli_parse_result parsed = cli_parse_options(&parser, argc, argv);
	if (parsed != CLI_PARSED)
		return parsed == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	int npos = args.npos;
	if (npos == 0) {
		cli_error("rule needs a rule (JSON text, or @FILE)");
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	/* Both texts are read before either is parsed: a DATA file that cannot be read stops first. */
	cli_status status = arg_text(pos[0], &rule);
	if (status == CLI_OK && npos > 1)
		status = arg_text(pos[1], &data);
	if (status == CLI_OK) {
		switch (pal_rule_eval_text(rule.text, rule.len, npos > 1 ? data.text : NULL, data.len, &result, &e)) {
		case PAL_RULE_OK: status = print_result(result); break;
		case PAL_RULE_BAD_RULE: bad_json(&rule, &e), status = CLI_REJECTED; break;
		case PAL_RULE_BAD_DATA: bad_json(&data, &e), status = CLI_REJECTED; break;
		case PAL_RULE_FAILED: cli_error("rule: %s", e.text), status = CLI_REJECTED; break;
		case PAL_RULE_NOMEM: cli_error("rule: %s", strerror(ENOMEM)), status = CLI_FAILED; break;
		}
	}
	free(result);
	free(rule.file);
	free(data.file);
	return status;
}
