/*
 * The organizer's running of the jury: the jurors page (jurors_page.c:
 * jurors, load, progress, recusals, the jurors file's import, the reminder
 * CSV) and the assignment page (assignment_page.c: the current assignment,
 * the engine's plan previewed then accepted, moving one dossier). What they
 * share: each juror's progress, computed from the store's rows and the
 * engine's answer to "which jury criteria apply to this dossier".
 */
#ifndef PALMARES_SERVER_JURY_ORGANIZER_H
#define PALMARES_SERVER_JURY_ORGANIZER_H

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "palmares/palmares.h"
#include "store_jury.h"

/* One juror's load and progress. */
typedef struct {
	char *juror_id;   /* owned */
	int64_t assigned; /* dossiers assigned */
	int64_t marks;    /* marks with a value given on them */
	int64_t marked;   /* dossiers with every applicable jury criterion marked (none applying: marked) */
	int64_t recused;  /* assigned dossiers the juror recused from (not to mark: to reassign) */
} jury_load;

typedef struct {
	jury_load *v; /* by juror id */
	size_t n;
} jury_loads;

/* Dossiers still to mark: assigned, not fully marked, not recused. */
int64_t jury_load_missing(const jury_load *l);

/* Every juror's load in s, "fully marked" decided by the scored campaign c
 * (palmares/town.h: which jury criteria apply to each town). STORE_OK, or
 * the store's failure (STORE_NOMEM). Free with jury_loads_free(). */
store_status jury_loads_read(store *s, const pal_campaign *c, const pal_rubric *rb, jury_loads *out);
void jury_loads_free(jury_loads *l);
/* The load of juror_id, NULL when none. */
const jury_load *jury_loads_find(const jury_loads *l, const char *juror_id);

/* The handlers (pages.c's router). */
void jurors_page_get(http_req *r, http_resp *out);
void jurors_import_post(http_req *r, http_resp *out);
void jurors_missing_csv_get(http_req *r, http_resp *out);
void assignment_get(http_req *r, http_resp *out);
void assignment_preview_post(http_req *r, http_resp *out);
void assignment_accept_post(http_req *r, http_resp *out);
void assignment_move_post(http_req *r, http_resp *out);

#endif
