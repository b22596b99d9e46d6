/*
 * The one option parser of the command line. A command describes the options
 * it takes in a table (name, whether a value follows, an id for its handler);
 * cli_parse_options() walks argv once, hands each option and each other
 * argument to the command's handlers, answers --help, and refuses an unknown
 * option with the nearest name of the table ("did you mean"): the table is
 * the one place that says which options a command takes.
 */
#ifndef PALMARES_CLI_OPTIONS_H
#define PALMARES_CLI_OPTIONS_H

#include <stddef.h>

/* One option of a command. */
struct cli_option {
	const char *name; /* "--marks", "-o" */
	int id;           /* what the handler is told; two names may share one (-o, --output) */
	int takes_value;  /* the next argument is its value */
};

enum {
	CLI_OPTS_LONG_ONLY = 1 << 0, /* only "--name" is an option: "-1" is an argument (rule) */
	CLI_OPTS_DASH_DASH = 1 << 1, /* "--" ends the options */
};

struct cli_parser {
	const char *cmd;   /* the command's name, for messages */
	const char *usage; /* printed for --help (stdout) and after an unknown option (stderr) */
	const struct cli_option *options;
	size_t noptions;
	unsigned flags; /* CLI_OPTS_* */
	/* An option of the table (val NULL when it takes none). 0, or -1 once it has said why. */
	int (*option)(void *ctx, int id, const char *name, const char *val);
	/* Any other argument. 0, or -1 once it has said why. */
	int (*argument)(void *ctx, const char *arg);
	void *ctx;
};

typedef enum cli_parse_result {
	CLI_PARSED,       /* every argument taken */
	CLI_PARSED_HELP,  /* --help or -h: the usage was printed on stdout */
	CLI_PARSE_FAILED, /* the reason was said on stderr */
} cli_parse_result;

/*
 * Parses argv[1..argc-1] (argv[0] is the command). An option the table does
 * not have: 'palmares: error: CMD: unknown option "X"', with the nearest
 * option when one is near, then the usage. An option without its value:
 * 'palmares: error: CMD: option "X" needs a value'.
 */
cli_parse_result cli_parse_options(const struct cli_parser *p, int argc, char **argv);

/*
 * The "--" option of the table nearest to opt, or "--help" (which every
 * command takes), for "did you mean". Writes it into buf and returns buf, or
 * returns NULL when none is near.
 */
const char *cli_option_closest(const char *opt, const struct cli_option *t, size_t n, char *buf,
                               size_t len);

#endif
