/*
 * The one status vocabulary of the command line. Every command and every
 * helper of cli/ says how a run went with a cli_status; only main() turns it
 * into the process's exit code (SPEC §7), as jq's main.c does. The library's
 * statuses (PAL_* of palmares.h, PAL_DOC_* of documents.h) enter through
 * cli_status_of(), the one place they are read as command-line statuses.
 */
#ifndef PALMARES_CLI_STATUS_H
#define PALMARES_CLI_STATUS_H

#include "palmares/documents.h"
#include "palmares/palmares.h"

/* Ordered by gravity: the worst of two is the greater (cli_worst). */
typedef enum cli_status {
	CLI_OK,       /* done (warnings possible) */
	CLI_REJECTED, /* some input was rejected; the valid part was processed */
	CLI_FAILED,   /* a usage error, or a file that could not be read or written */
} cli_status;

/* The library's statuses have the same meanings in the same order. */
_Static_assert(PAL_OK == 0 && PAL_REJECTED == 1 && PAL_IOERR == 2, "PAL_* statuses moved");
_Static_assert(PAL_DOC_OK == PAL_OK && PAL_DOC_REJECTED == PAL_REJECTED &&
               PAL_DOC_IOERR == PAL_IOERR, "PAL_DOC_* statuses moved");

/* A PAL_* or PAL_DOC_* status as a command-line status; anything else is a failure. */
static inline cli_status cli_status_of(int pal_status)
{
	return pal_status == PAL_OK ? CLI_OK : pal_status == PAL_REJECTED ? CLI_REJECTED : CLI_FAILED;
}

/* The worse of two statuses. */
static inline cli_status cli_worst(cli_status a, cli_status b)
{
	return a > b ? a : b;
}

#endif
