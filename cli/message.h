/*
 * The one way a message of the command line reaches the user. Every error,
 * warning and note of cli/ goes through cli_error(), cli_warn(), cli_note()
 * or cli_diag(), which write one whole line on stderr; and that line, prefix
 * and final newline included, goes through cli_tr(), the one place where a
 * message is translated. Results written to standard output are not messages.
 *
 * fmt is the English text without prefix and without final newline:
 *   cli_error("%s: --lang is fr or en, not \"%s\"", cmd, lang)
 * writes 'palmares: error: score: --lang is fr or en, not "de"'.
 */
#ifndef PALMARES_CLI_MESSAGE_H
#define PALMARES_CLI_MESSAGE_H

#include <stdarg.h>

/*
 * The message msgid in the user's language (the environment's: LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG), or msgid itself when the catalogue (po/) has no
 * translation of it. Today only the document commands' messages have one.
 */
const char *cli_tr(const char *msgid) __attribute__((format_arg(1)));

/* "palmares: error: " fmt "\n". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "palmares: warning: " fmt "\n". */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "palmares: " fmt "\n": what a run did (e.g. "report: 3 files written to out/"). */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fmt "\n", no prefix: a line that starts with its file, as diagnostics do ("rubric.json: 2 errors"). */
void cli_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cli_error with a va_list. */
void cli_verror(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* The usage text of a command, translated, on stderr after an error (or stdout for --help). */
void cli_usage(const char *usage, int to_stdout);

#endif
