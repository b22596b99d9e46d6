/*
 * What the jury commands (assign, sheets, progress, sensitivity) share on
 * top of args.h: number options, the report format, and loading a campaign
 * whose marks are restricted to an assignments file.
 */
#ifndef PALMARES_CLI_JURYCLI_H
#define PALMARES_CLI_JURYCLI_H

#include <stddef.h>
#include <stdint.h>

#include <palmares/jury.h>

#include "args.h"

/* --seed N: 0 <= N <= 2^63 - 1. Prints the error and returns -1 when val is not that. */
int jurycli_seed(const char *cmd, const char *val, uint64_t *out);
/* A whole number in [min, max] for option opt. Prints the error and returns -1 otherwise. */
int jurycli_size(const char *cmd, const char *opt, const char *val, size_t min, size_t max,
                 size_t *out);
/* A number in [min, max] for option opt ('.' or ',' as decimal point). -1 with a message otherwise. */
int jurycli_real(const char *cmd, const char *opt, const char *val, double min, double max,
                 double *out);
/* --format text|json, named by the extension of -o (.txt, .json), else text. -1 with a message. */
int jurycli_format(const char *cmd, const struct campaign_args *a, pal_jury_format *fmt);

/*
 * Loads the rubric and dossiers; with a->assignments, the plan (*plan, which
 * restricts the marks) before the marks; then the marks, and scores the
 * campaign (overrides ignored). Prints every diagnostic. *status is the
 * worst status. Returns the campaign, or NULL (nothing can be done; *status
 * tells why). A non-NULL campaign with *status CLI_FAILED means an input
 * file could not be read: the caller writes nothing.
 */
pal_campaign *jurycli_load(const char *cmd, const struct campaign_args *a, pal_rubric **rubric,
                           pal_jury_plan **plan, pal_diags *diags, cli_status *status);

#endif
