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

static cli_status cmd_help(int argc, char **argv);

struct command {
	const char *name;
	cli_status (*run)(int argc, char **argv);
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
	{"campaign", cmd_campaign, "create an online campaign's file, print its invitation links"},
	{"serve", cmd_serve, "serve an online campaign on the web"},
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
		cli_error("unknown command \"%s\": did you mean \"%s\"?", name, near);
	else
		cli_error("unknown command \"%s\"", name);
	usage(stderr);
}

/* "palmares help COMMAND" is "palmares COMMAND --help": the one help text of that command. */
static cli_status cmd_help(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (argc > 2) {
		cli_error("help takes one command name, not also \"%s\"", argv[2]);
		return CLI_FAILED;
	}
	const struct command *cmd = find_command(argv[1]);
	if (!cmd) {
		unknown_command(argv[1]);
		return CLI_FAILED;
	}
	char *sub[] = {argv[1], (char *)"--help", NULL};
	return cmd->run(2, sub);
}

/* The one place where a status becomes the exit code of the process (SPEC §7). */
static int exit_code(cli_status s)
{
	switch (s) {
	case CLI_OK: return 0;
	case CLI_REJECTED: return 1;
	case CLI_FAILED: return 2;
	}
	return 2;
}

/* The run of the command line, as a status: main() only maps it to the exit code. */
static cli_status run(int argc, char **argv)
{
	/* Output formats never depend on the locale: numbers always use '.'. */
	setlocale(LC_ALL, "C");
	/* Input limits raised or lowered through PALMARES_MAX_* (docs/limits.md). */
	pal_limits lim;
	char lim_err[256];
	if (pal_limits_from_env(&lim, lim_err, sizeof lim_err) != 0) {
		cli_error("%s (see docs/limits.md)", lim_err);
		return CLI_FAILED;
	}
	pal_limits_set(&lim);
	/* jansson's allocator is the program's to wrap: a failed allocation is then never a wrong byte. */
	pal_json_watch_allocations();
	if (argc < 2) {
		cli_error("no command given");
		usage(stderr);
		return CLI_FAILED;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("palmares %s\n", PAL_VERSION);
		return CLI_OK;
	}
	const struct command *cmd = find_command(argv[1]);
	if (cmd) {
		cli_status rc = cmd->run(argc - 1, argv + 1);
		/* Whatever a command printed must have reached standard output (a full
		 * disk, a closed pipe): said here once for all, unless it said so itself. */
		errno = 0;
		if ((fflush(stdout) != 0 || ferror(stdout)) && rc != CLI_FAILED) {
			cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
			rc = CLI_FAILED;
		}
		return rc;
	}
	if (argv[1][0] == '-') {
		cli_error("unknown option \"%s\": the command comes first", argv[1]);
		usage(stderr);
		return CLI_FAILED;
	}
	unknown_command(argv[1]);
	return CLI_FAILED;
}

int main(int argc, char **argv)
{
	return exit_code(run(argc, argv));
}
