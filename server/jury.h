/*
 * What the juror's pages share (jury_queue.c: the queue and the home of a
 * juror; jury_dossier.c: one dossier as the jury reads it, its marks and the
 * recusal; jury_sheet.c: the offline sheet). The engine decides everything
 * about marks: which jury criteria apply to a dossier (the town's dossier
 * scored, answers.h's one conversion) and whether a mark is accepted (the
 * marks reader, fed the marks as a marks CSV text). Nothing of its rules is
 * recomputed here.
 */
#ifndef PALMARES_SERVER_JURY_H
#define PALMARES_SERVER_JURY_H

#include <stddef.h>

#include "dossier.h"
#include "palmares/jury.h"
#include "store_jury.h"
#include "store_marks.h"

/* The logged-in juror (owned fields, free with store_juror_clear()): 0, or
 * -1 when the session is no juror's. */
int jury_me(http_req *r, store_juror *me);

/* The towns of a juror's queue: assigned, and open to the juror now
 * (permit(ACT_JURY_DOSSIER_VIEW): no conflict, no recusal, the phase). */
typedef struct {
	char **id, **name; /* owned */
	size_t n;
} jury_towns;
int jury_queue_towns(http_req *r, const char *juror, jury_towns *out);
void jury_towns_free(jury_towns *t);

/* A marks CSV text being written: "juror,town_id,criterion,mark,comment". */
typedef struct {
	char *buf;
	size_t len, cap;
	int oom;
} jury_csv;
void jury_csv_init(jury_csv *b); /* writes the header row */
void jury_csv_row(jury_csv *b, const char *juror, const char *town, const char *crit, const char *mark,
		  const char *comment);
void jury_csv_free(jury_csv *b);

/* A juror's dossiers read and scored by the engine, with the juror's plan
 * (one pair per town) and marks. */
typedef struct {
	pal_campaign *c;
	pal_jury_plan *plan;
	pal_diags *marks; /* what the marks reader said (NULL when no marks were given) */
} jury_scoring;

/* Scores towns[0..n) of juror, then reads marks (len bytes, named name as
 * a file would be; NULL: none) through the engine's marks reader. 0, or -1
 * when out of memory or the store failed. */
int jury_score(store *st, const pal_rubric *rb, const char *juror, char *const *towns, size_t n,
	       const char *name, const char *marks, size_t len, jury_scoring *out);
void jury_scoring_free(jury_scoring *s);

/* The rubric indices of the jury criteria that apply to town t of s, in
 * rubric order, into idx (room for every criterion); their count. */
size_t jury_applicable(const jury_scoring *s, const pal_rubric *rb, size_t t, size_t *idx);

/* given[k] = 1 when juror has a mark (not only a comment) on criterion
 * idx[k] of town, for k < n. 0, or -1 when the store failed. */
int jury_given(store *st, const pal_rubric *rb, const char *juror, const char *town, const size_t *idx,
	       size_t n, unsigned char *given);

/* An engine message of the marks reader, in the page's language: the
 * sentence of its kind (refused mark, unknown town...) followed by the
 * engine's own text, so nothing it says is lost. */
void jury_message_html(html *h, const http_req *r, const char *text);

/* The next dossier of the queue after town (wrapping) that still lacks a
 * mark, into path ("/jury/dossier/ID", or "/jury" when every one is marked). */
int jury_next_unmarked(http_req *r, const pal_rubric *rb, const char *juror, const char *town, char *path,
		       size_t len);

/* The offline sheet: its download link and upload form (jury_queue.c). */
void jury_sheet_section(html *h, const http_req *r);

/* The queue's page, with what an action (the sheet's upload) has to say
 * above it, written by fn (NULL: nothing). */
typedef void (*jury_result_fn)(html *h, const http_req *r, const void *ctx);
void jury_queue_page(http_req *r, http_resp *out, const void *ctx, jury_result_fn fn, int status);

/* Routes (pages.c). */
void jury_queue_get(http_req *r, http_resp *out);
void jury_dossier_get(http_req *r, http_resp *out);
void jury_dossier_post(http_req *r, http_resp *out);
void jury_recuse_post(http_req *r, http_resp *out);
void jury_sheet_get(http_req *r, http_resp *out);
void jury_sheet_post(http_req *r, http_resp *out);

#endif
