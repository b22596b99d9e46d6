/*
 * palmares rule RULE [DATA] — evaluates one JsonLogic rule (SPEC.md §2, §7),
 * for trying rules out before putting them in a rubric.
 *
 * Data flow: RULE and DATA are JSON text, or @FILE to read a file (@- for
 * standard input); both are parsed with jansson, handed to pal_rule_eval(),
 * and the result is printed as compact JSON on one line. Exit status: 0 on
 * success, 1 for malformed JSON or an evaluation error, 2 for a usage error
 * or a file that cannot be read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "palmares/input.h"
#include "palmares/limits.h"
#include "palmares/rule.h"

/* Duplicate keys in a rule are nearly always a mistake; jansson would keep the last. */
#define LOAD_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES)

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

/* json_load_callback()'s reader: stops one byte past PALMARES_MAX_JSON, like every JSON input. */
struct capped {
	FILE *f;
	size_t left;
	int over;
};

static size_t read_capped(void *buf, size_t len, void *data)
{
	struct capped *c = data;
	size_t n;
	if (c->left == 0) {
		c->over = fgetc(c->f) != EOF;
		return c->over ? (size_t)-1 : 0;
	}
	n = fread(buf, 1, len < c->left ? len : c->left, c->f);
	c->left -= n;
	return n;
}

/* Reads @FILE; returns a new reference or NULL with *status set. */
static json_t *load_file(const char *path, cli_status *status)
{
	json_error_t je;
	json_t *v;
	char why[128];
	long long size = -1;
	size_t max = pal_limits_current()->max_json;
	int is_stdin = strcmp(path, "-") == 0;
	/* Not a device, never a wait on open (docs/limits.md); a pipe is fine, as @- is. */
	FILE *f = is_stdin ? stdin : pal_input_open(path, PAL_INPUT_STREAM, &size, why, sizeof why);
	struct capped cap = {f, max, 0};

	if (!f) {
		cli_error("rule: cannot read %s: %s", path, why);
		*status = CLI_FAILED;
		return NULL;
	}
	if (size >= 0 && (unsigned long long)size > max) {
		cap.over = 1;
		v = NULL;
	} else {
		errno = 0;
		v = json_load_callback(read_capped, &cap, LOAD_FLAGS, &je);
	}
	if (cap.over) {
		cli_error("rule: %s: file is larger than the limit of %zu bytes (limit set by "
		          "PALMARES_MAX_JSON)", path, max);
		json_decref(v);
		v = NULL;
		*status = CLI_FAILED;
	} else if (ferror(f)) {
		cli_error("rule: cannot read %s: %s", path, errno ? strerror(errno) : "read error");
		json_decref(v);
		v = NULL;
		*status = CLI_FAILED;
	} else if (!v) {
		cli_diag("%s:%d:%d: error: %s", is_stdin ? "<stdin>" : path, je.line, je.column, je.text);
		*status = CLI_REJECTED;
	}
	if (!is_stdin)
		fclose(f);
	return v;
}

/* Parses a RULE or DATA argument; returns a new reference or NULL with *status set. */
static json_t *load_arg(const char *arg, cli_status *status)
{
	json_error_t je;
	json_t *v;
	if (arg[0] == '@') {
		if (arg[1] == '\0') {
			cli_error("rule: a file name must follow @");
			*status = CLI_FAILED;
			return NULL;
		}
		return load_file(arg + 1, status);
	}
	v = json_loads(arg, LOAD_FLAGS, &je);
	if (!v) {
		cli_error("rule: line %d, column %d: %s", je.line, je.column, je.text);
		*status = CLI_REJECTED;
	}
	return v;
}

/* Prints the result; returns the status. */
static cli_status print_result(const json_t *result)
{
	pal_json_print(stdout, result);
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
	cli_status status = CLI_OK;
	json_t *rule = NULL, *data = NULL, *result = NULL;
	char err[1024];

	cli_parse_result parsed = cli_parse_options(&parser, argc, argv);
	if (parsed != CLI_PARSED)
		return parsed == CLI_PARSED_HELP ? CLI_OK : CLI_FAILED;
	int npos = args.npos;
	if (npos == 0) {
		cli_error("rule needs a rule (JSON text, or @FILE)");
		cli_usage(usage, 0);
		return CLI_FAILED;
	}
	if (!(rule = load_arg(pos[0], &status)))
		return status;
	if (npos > 1 && !(data = load_arg(pos[1], &status))) {
		json_decref(rule);
		return status;
	}
	pal_rule_env env = {data, NULL, NULL, 0};
	if (pal_rule_eval(rule, &env, &result, err, sizeof err) != 0) {
		cli_error("rule: %s", err);
		status = CLI_REJECTED;
	} else {
		status = print_result(result);
	}
	json_decref(result);
	json_decref(data);
	json_decref(rule);
	return status;
}
