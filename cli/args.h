/*
 * Argument parsing shared by the commands that read a campaign (check,
 * score, explain, and the jury commands): RUBRIC DOSSIER... and options.
 */
#ifndef PALMARES_CLI_ARGS_H
#define PALMARES_CLI_ARGS_H

#include <palmares/palmares.h>

#include "message.h"
#include "options.h"
#include "status.h"

#define ARGS_MAX_FILES 4096

struct campaign_args {
	const char *command; /* argv[0], for messages */
	const char *rubric;
	const char *dossiers[ARGS_MAX_FILES];
	size_t ndossiers;
	const char *marks[ARGS_MAX_FILES];
	size_t nmarks;
	const char *overrides;
	const char *previous;
	const char *assignments;
	const char *format;
	const char *output;
	const char *town;
	const char *lang;
	const char *csv_dialect;
};

/* Option names a command accepts, as flags. */
enum {
	OPT_MARKS = 1 << 0,
	OPT_OVERRIDES = 1 << 1,
	OPT_PREVIOUS = 1 << 2,
	OPT_FORMAT = 1 << 3,
	OPT_OUTPUT = 1 << 4,
	OPT_TOWN = 1 << 5,
	OPT_ASSIGNMENTS = 1 << 6,
	OPT_LANG = 1 << 7,
	OPT_CSV_DIALECT = 1 << 8,
};

/*
 * The --csv-dialect of a command that writes CSV (plain, the default, or
 * excel-fr), into *d. csv: whether this run writes CSV at all; the option on
 * a run that writes no CSV is refused rather than ignored. Prints the error
 * and returns CLI_FAILED, else CLI_OK.
 */
cli_status args_csv_dialect(const char *cmd, const struct campaign_args *a, int csv,
                            pal_csv_dialect *d);

/* The line of a --help text that documents --csv-dialect (one text for every command). */
#define ARGS_CSV_DIALECT_HELP \
	"--csv-dialect plain (the default: ',' between cells, '.' in numbers) or excel-fr\n" \
	"(';', decimal comma, UTF-8 byte order mark: what French Excel opens in columns).\n"

/* The first id of a command's own options (assign's --jurors...), above every OPT_*. */
#define ARGS_EXTRA (1 << 16)
/* The most options of its own a command may add. */
#define ARGS_MAX_EXTRA 16

/*
 * Parses argv (argv[0] is the command name) with cli_parse_options(): the
 * options of the OPT_* flags in opts, and the command's own options extra
 * (ids from ARGS_EXTRA up), handed to on_extra (0, or -1 once it has said
 * why; val is NULL for an option that takes no value).
 */
cli_parse_result args_parse(int argc, char **argv, const char *usage, unsigned opts,
                            struct campaign_args *a, const struct cli_option *extra, size_t nextra,
                            int (*on_extra)(void *ctx, int id, const char *val), void *ctx);

/*
 * Loads the rubric, the dossiers, assignments, previous results and marks.
 * Prints every diagnostic. *status gets the worst status.
 * Returns the campaign (and *rubric), or NULL when nothing can be scored.
 */
pal_campaign *args_load(const struct campaign_args *a, pal_rubric **rubric, pal_diags *diags,
                        cli_status *status);

/*
 * Adds one --marks argument: a marks file, or a directory whose visible .csv,
 * .tsv and .json files (filled juror sheets) are added in name order.
 * Returns the worst status of the files.
 */
cli_status args_add_marks(pal_campaign *c, const char *path, pal_diags *diags);

/*
 * A dossiers file (by its extension: .csv, .xlsx, .jsonl…) given where the
 * rubric is expected: prints that the argument must be the rubric and returns
 * 1; else 0, printing nothing. what names the argument ("the first argument").
 */
int args_not_a_rubric(const char *command, const char *path, const char *what);

/*
 * Arguments that are missing: prints "palmares: error: " and the printf-style
 * reason (no final newline in fmt), then the usage, on stderr. Returns
 * CLI_FAILED. A usage alone does not say what was wrong with the command line.
 */
cli_status args_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One output format of a command: its --format name, the extension of -o that names it, its value. */
struct args_format {
	const char *name;
	const char *ext; /* ".json"; two formats may share one (template: json and schema) */
	int value;
};

/* Why args_output_format refused. */
enum { ARGS_FORMAT_UNKNOWN = -1, ARGS_FORMAT_BAD_EXT = -2, ARGS_FORMAT_CONTRADICTS = -3 };

/*
 * The format of a command's output, from --format (may be NULL) and the name
 * given to -o (may be NULL or "-"): the extension of -o decides, so that one
 * format is never written under another's name. Without --format, the first
 * format of the table with that extension; without either, table[0]. An
 * extension none of the formats has (".xlsx"), or a --format whose extension
 * is not that of -o, is refused. A name without extension says nothing.
 * Returns 0 with *value set, or an ARGS_FORMAT_* reason; prints nothing.
 */
int args_output_format(const char *format, const char *output, const struct args_format *table,
                       size_t n, int *value);

/*
 * args_output_format, with the reason of a refusal printed for command cmd
 * (palmares: error: ...). Returns CLI_OK, or CLI_FAILED.
 */
cli_status args_pick_format(const char *cmd, const char *format, const char *output,
                            const struct args_format *table, size_t n, int *value);

/* The extension of path's last component (".json"), or NULL when it has none. Borrowed. */
const char *args_extension(const char *path);

/* Prints diagnostics from index *printed on, and advances it. */
void args_flush(pal_diags *diags, size_t *printed);

/*
 * Writes an output atomically (path NULL or "-" = stdout) through write(ctx,
 * stream). Prints the error and returns CLI_FAILED on failure, else CLI_OK.
 */
#include <stdio.h>
cli_status args_write_output(const char *path, int (*write)(void *ctx, FILE *out), void *ctx);

#endif
