/*
 * The store's jury as the four files the command line reads: the one
 * conversion, for the organizer's scores (scores.c) and `campaign export`
 * (export.c), so that `palmares score` on the export scores what the server
 * does. Each text is what the file holds: jurors.csv (`juror,name,email,
 * town_id,region,conflicts`, the conflicts followed by the juror's
 * recusals), assignments.csv (`juror,town_id`, without the recused pairs),
 * marks.csv (`juror,town_id,criterion,mark,comment`, the marks with a value,
 * as typed: one the engine refuses is kept, so that its message shows) and
 * overrides.csv (`town_id,level,reason`). Cells are written as the web
 * front's other CSV (csvout.h: quoted when needed, a formula guarded by an
 * apostrophe that the engine's reader takes off), rows in the byte order of
 * their key.
 */
#ifndef PALMARES_SERVER_JURY_FILES_H
#define PALMARES_SERVER_JURY_FILES_H

#include <stddef.h>

#include "palmares/palmares.h"
#include "store.h"

typedef enum { JURY_JURORS, JURY_ASSIGNMENTS, JURY_MARKS, JURY_OVERRIDES, JURY_FILES } jury_file;

/* Each file's name: what export.c writes and what the engine's messages and
 * results name, as `palmares score` run in the export folder names them. */
extern const char *const jury_file_names[JURY_FILES];

typedef struct {
	char *text[JURY_FILES]; /* owned, NUL-terminated; at least the header row */
	size_t len[JURY_FILES];
} jury_files;

/* Reads the four texts from s (one moment's state). STORE_OK, or the store's
 * failure (STORE_NOMEM when out of memory); *f is cleared on failure. */
store_status jury_files_read(store *s, jury_files *f);

/* Frees the texts; accepts a zeroed or cleared f. */
void jury_files_clear(jury_files *f);

/*
 * Gives the jury to c, whose dossiers are all added, as `palmares score
 * --assignments --marks --overrides` does in that order: the assignments
 * (always: a campaign without any lets no mark count, as on the pages
 * where a juror marks only what is assigned), the marks, the overrides
 * (applied by the next pal_campaign_score()). Messages go to d. Returns
 * the worst of the engine's statuses (PAL_IOERR: out of memory).
 */
int jury_files_apply(const jury_files *f, pal_campaign *c, pal_diags *d);

#endif
