/*
 * A progress line on stderr for long runs (issue 5): phase, done / total,
 * percent, rate and time left, redrawn in place. Only when stderr is a
 * terminal (or PALMARES_PROGRESS=1); see docs/progress.md. Private to cli/.
 *
 * There is one stderr per process, so the reporter is one per process too:
 * progress_start() switches it on, progress_update() is the callback given
 * to the library (pal_progress_fn), and progress_clear() must run before
 * anything else is written to stderr while a line may be shown.
 */
#ifndef PALMARES_CLI_PROGRESS_H
#define PALMARES_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Switches the reporter on when stderr is a terminal and PALMARES_PROGRESS
 * is not 0, or when PALMARES_PROGRESS is 1. Reads PALMARES_PROGRESS_INTERVAL.
 * Idempotent; the first call is the start of the run (no line is drawn in
 * its first 0.3 s, so short runs print nothing). The line is erased at exit.
 * Returns 1 when the reporter is on: only then give progress_update to the
 * library.
 */
int progress_start(void);

/*
 * The callback (same shape as pal_progress_fn; ctx is unused): records the
 * phase's progress and redraws the line when it is due. Safe to call from
 * several threads at once; cheap when nothing is drawn.
 */
void progress_update(void *ctx, const char *phase, uint64_t done, uint64_t total);

/* Erases the line if one is shown; a later update draws it again. Thread-safe. */
void progress_clear(void);

/* Erases the line and switches the reporter off for the rest of the run. */
void progress_end(void);

/*
 * Formats the text of one line (no "\r", no escape sequence) into buf of
 * size n: "scoring 1024 / 35000 dossiers (2%), 5120/s, 0:06 left". The unit
 * comes from the phase ("reading": bytes shown as MB); elapsed is the
 * seconds since the phase began. Rate and time left are left out while
 * nothing is done or elapsed is under 0.05 s; percent and time left when
 * total is 0 (unknown). Returns what snprintf returns. Pure: for the tests.
 */
int progress_format(char *buf, size_t n, const char *phase, uint64_t done, uint64_t total,
                    double elapsed);

#endif
