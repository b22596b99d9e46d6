/*
 * palmares — command-line entry point. Parses nothing but the command name
 * and the global --help/--version, then hands argv to the subcommand.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "palmares/limits.h"
#include "palmares/version.h"
#include "palmares/suggest.h"

static int cmd_help(int argc, char **argv);

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* When a command is added: see the checklist in commands.h. */
static const struct command commands[] = {
	{"validate", cmd_validate, "check a rubric file"},
	{"template", cmd_template, "write what a town fills in (CSV, JSON, JSON Schema)"},
	{"check", cmd_check, "validate dossiers and marks against a rubric"},
	{"score", cmd_score, "score a campaign and write the results"},
	{"explain", cmd_explain, "explain one town's score criterion by criterion"},
	{"assign", cmd_assign, "give each dossier K eligible jurors, loads balanced"},
	{"sheets", cmd_sheets, "write one marking sheet (CSV) per juror"},
	{"progress", cmd_progress, "show what the jury still has to mark"},
	{"sensitivity", cmd_sensitivity, "level stability under random weights; borderline list"},
	{"certificates", cmd_certificates, "render certificates from a results file"},
	{"report", cmd_report, "render feedback reports from a results file"},
	{"booklet", cmd_booklet, "render the ceremony booklet from a results file"},
	{"verify", cmd_verify, "tell which certificate carries a verification code"},
	{"rule", cmd_rule, "evaluate a JsonLogic rule"},
	{"help", cmd_help, "show this help"},
};

static void usage(FILE *out)
{
	fputs("usage: palmares COMMAND [ARGS...]\n"
	      "       palmares --help | -h | --version | -V\n"
	      "       palmares COMMAND --help\n"
	      "       palmares help COMMAND\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

/* 'unknown command "X"', with the nearest command name when one is near. */
static void unknown_command(const char *name)
{
	const char *names[sizeof(commands) / sizeof(commands[0])];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	const char *near = pal_text_closest(name, names, sizeof(commands) / sizeof(commands[0]));
	if (near)
		fprintf(stderr, "palmares: error: unknown command \"%s\": did you mean \"%s\"?\n", name,
		        near);
	else
		fprintf(stderr, "palmares: error: unknown command \"%s\"\n", name);
	usage(stderr);
}

/* "palmares help COMMAND" is "palmares COMMAND --help": the one help text of that command. */
static int cmd_help(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2) {
		fprintf(stderr, "palmares: error: help takes one command name, not also \"%s\"\n",
		        argv[2]);
		return EXIT_USAGE;
	}
	const struct command *cmd = find_command(argv[1]);
	if (!cmd) {
		unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	char *sub[] = {argv[1], (char *)"--help", NULL};
	return cmd->run(2, sub);
}

int main(int argc, char **argv)
{
	/* Output formats never depend on the locale: numbers always use '.'. */
	setlocale(LC_ALL, "C");
	/* Input limits raised or lowered through PALMARES_MAX_* (docs/limits.md). */
	pal_limits lim;
	char lim_err[256];
	if (pal_limits_from_env(&lim, lim_err, sizeof lim_err) != 0) {
		fprintf(stderr, "palmares: error: %s (see docs/limits.md)\n", lim_err);
		return EXIT_USAGE;
	}
	pal_limits_set(&lim);
	if (argc < 2) {
		fputs("palmares: error: no command given\n", stderr);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("palmares %s\n", PAL_VERSION);
		return EXIT_OK;
	}
	const struct command *cmd = find_command(argv[1]);
	if (cmd) {
		int rc = cmd->run(argc - 1, argv + 1);
		/* Whatever a command printed must have reached standard output (a full
		 * disk, a closed pipe): said here once for all, unless it said so itself. */
		errno = 0;
		if ((fflush(stdout) != 0 || ferror(stdout)) && rc < EXIT_USAGE) {
			fprintf(stderr, "palmares: error: cannot write to standard output: %s\n",
			        strerror(errno ? errno : EIO));
			rc = EXIT_USAGE;
		}
		return rc;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "palmares: error: unknown option \"%s\": the command comes first\n",
		        argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	unknown_command(argv[1]);
	return EXIT_USAGE;
}
