/*
 * The command line's option parser (cli/options.c), message funnel
 * (cli/message.c) and status vocabulary (cli/status.h): a table of options
 * walked over argv, "did you mean" from that table, the lines said on stderr
 * (caught in a file standing in for it), and library statuses read as
 * command-line ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "message.h"
#include "options.h"
#include "status.h"

static const struct cli_option table[] = {
	{"--marks", 1, 1},
	{"-o", 2, 1},
	{"--output", 2, 1},
	{"--bom", 3, 0},
};

struct seen {
	char opts[256];
	char args[256];
	int fail_on; /* the id whose handler refuses, or 0 */
};

static int on_option(void *ctx, int id, const char *name, const char *val)
{
	struct seen *s = ctx;
	size_t n = strlen(s->opts);
	snprintf(s->opts + n, sizeof s->opts - n, "%d%s=%s;", id, name, val ? val : "(none)");
	return id == s->fail_on ? -1 : 0;
}

static int on_argument(void *ctx, const char *arg)
{
	struct seen *s = ctx;
	size_t n = strlen(s->args);
	snprintf(s->args + n, sizeof s->args - n, "%s;", arg);
	return 0;
}

static const char usage[] = "usage: palmares demo FILE... [--marks FILE] [-o OUT] [--bom]\n";

/* Parses argv with the table and flags; what stderr received goes into err (may be NULL). */
static cli_parse_result parse(int argc, const char **argv, unsigned flags, struct seen *s,
                              char *err, size_t len)
{
	struct cli_parser p = {"demo", usage, table, sizeof table / sizeof table[0], flags, on_option,
	                       on_argument, s};
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	assert_non_null(f);
	assert_true(saved >= 0);
	fflush(stderr);
	assert_true(dup2(fileno(f), STDERR_FILENO) >= 0);
	cli_parse_result rc = cli_parse_options(&p, argc, (char **)argv); /* never written */
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	if (err) {
		size_t n;
		rewind(f);
		n = fread(err, 1, len - 1, f);
		err[n] = '\0';
	}
	fclose(f);
	return rc;
}

static void test_options_and_arguments(void **state)
{
	(void)state;
	const char *argv[] = {"demo", "a.csv", "--marks", "m.csv", "-", "--bom", "--output", "x.json", "b.csv"};
	struct seen s = {{0}, {0}, 0};
	char err[512];
	assert_int_equal(parse(9, argv, 0, &s, err, sizeof err), CLI_PARSED);
	assert_string_equal(s.opts, "1--marks=m.csv;3--bom=(none);2--output=x.json;");
	assert_string_equal(s.args, "a.csv;-;b.csv;"); /* "-" alone is an argument (stdin) */
	assert_string_equal(err, "");
}

static void test_help(void **state)
{
	(void)state;
	const char *argv[] = {"demo", "a.csv", "-h", "--bogus"};
	struct seen s = {{0}, {0}, 0};
	assert_int_equal(parse(4, argv, 0, &s, NULL, 0), CLI_PARSED_HELP);
	/* a value is taken as it is, even "--help" */
	const char *argv2[] = {"demo", "--marks", "--help"};
	assert_int_equal(parse(3, argv2, 0, &s, NULL, 0), CLI_PARSED);
	assert_string_equal(s.opts, "1--marks=--help;");
}

static void test_missing_value(void **state)
{
	(void)state;
	const char *argv[] = {"demo", "a.csv", "-o"};
	struct seen s = {{0}, {0}, 0};
	char err[512];
	assert_int_equal(parse(3, argv, 0, &s, err, sizeof err), CLI_PARSE_FAILED);
	assert_string_equal(err, "palmares: error: demo: option \"-o\" needs a value\n");
}

static void test_unknown_option(void **state)
{
	(void)state;
	const char *argv[] = {"demo", "--mark", "m.csv"};
	struct seen s = {{0}, {0}, 0};
	char err[512], want[512];
	assert_int_equal(parse(3, argv, 0, &s, err, sizeof err), CLI_PARSE_FAILED);
	snprintf(want, sizeof want, "palmares: error: demo: unknown option \"--mark\": did you mean "
	         "\"--marks\"?\n%s", usage);
	assert_string_equal(err, want);
	const char *argv2[] = {"demo", "--frobnicate"};
	assert_int_equal(parse(2, argv2, 0, &s, err, sizeof err), CLI_PARSE_FAILED);
	snprintf(want, sizeof want, "palmares: error: demo: unknown option \"--frobnicate\"\n%s", usage);
	assert_string_equal(err, want);
}

static void test_handler_refuses(void **state)
{
	(void)state;
	const char *argv[] = {"demo", "--bom", "a.csv"};
	struct seen s = {{0}, {0}, 3};
	assert_int_equal(parse(3, argv, 0, &s, NULL, 0), CLI_PARSE_FAILED);
	assert_string_equal(s.args, ""); /* stopped at the refusal */
}

static void test_long_only_and_dash_dash(void **state)
{
	(void)state;
	const char *argv[] = {"demo", "-1", "--", "--bom"};
	struct seen s = {{0}, {0}, 0};
	assert_int_equal(parse(4, argv, CLI_OPTS_LONG_ONLY | CLI_OPTS_DASH_DASH, &s, NULL, 0),
	                 CLI_PARSED);
	assert_string_equal(s.args, "-1;--bom;");
	assert_string_equal(s.opts, "");
}

static void test_closest(void **state)
{
	(void)state;
	char buf[32];
	size_t n = sizeof table / sizeof table[0];
	assert_string_equal(cli_option_closest("--outptu", table, n, buf, sizeof buf), "--output");
	assert_string_equal(cli_option_closest("--hlep", table, n, buf, sizeof buf), "--help");
	assert_null(cli_option_closest("--marks", table, n, buf, sizeof buf)); /* itself: no advice */
	assert_null(cli_option_closest("--frobnicate", table, n, buf, sizeof buf));
	assert_null(cli_option_closest("-p", table, n, buf, sizeof buf)); /* "-o" is never offered */
}

static void test_status(void **state)
{
	(void)state;
	assert_int_equal(cli_status_of(PAL_OK), CLI_OK);
	assert_int_equal(cli_status_of(PAL_REJECTED), CLI_REJECTED);
	assert_int_equal(cli_status_of(PAL_IOERR), CLI_FAILED);
	assert_int_equal(cli_status_of(PAL_DOC_IOERR), CLI_FAILED);
	assert_int_equal(cli_status_of(-1), CLI_FAILED);
	assert_int_equal(cli_worst(CLI_REJECTED, CLI_OK), CLI_REJECTED);
	assert_int_equal(cli_worst(CLI_REJECTED, CLI_FAILED), CLI_FAILED);
}

static void test_translation_hook(void **state)
{
	(void)state;
	/* English environment: every message comes back unchanged */
	setenv("LANGUAGE", "en", 1);
	assert_string_equal(cli_tr("palmares: error: %s: unknown option \"%s\"\n"),
	                    "palmares: error: %s: unknown option \"%s\"\n");
	/* French: the catalogue's line, prefix included */
	setenv("LANGUAGE", "fr", 1);
	assert_string_equal(cli_tr("palmares: error: %s: unknown option \"%s\"\n"),
	                    "palmares : erreur : %s : option inconnue « %s »\n");
	unsetenv("LANGUAGE");
}

int main(void)
{
	unsetenv("LANGUAGE");
	setenv("LC_ALL", "C", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options_and_arguments),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_handler_refuses),
		cmocka_unit_test(test_long_only_and_dash_dash),
		cmocka_unit_test(test_closest),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_translation_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
