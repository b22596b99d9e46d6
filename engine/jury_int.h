/*
 * Private: what the jury modules share (jury.c: jurors, assignments;
 * jury_sheets.c: sheets and progress; jury_sens.c: sensitivity and the
 * borderline list). The public API is include/palmares/jury.h.
 */
#ifndef PAL_JURY_INT_H
#define PAL_JURY_INT_H

#include <stdio.h>

#include "jsonw.h"
#include "model.h"
#include "palmares/jury.h"

/* One assigned (juror, dossier) pair. */
typedef struct pal_jury_pair {
	const char *juror;  /* plan arena */
	const char *town;   /* plan arena */
	pal_dossier *d;     /* borrowed from the campaign */
	long line;          /* 0 when made by pal_jury_assign */
} pal_jury_pair;

struct pal_jury_plan {
	palx_arena arena;
	pal_jury_pair *v;   /* malloc'd */
	size_t n, cap;
};

/* Nonzero when the dossier needs jurors: scored or pending, one applicable jury criterion. */
int eng_jury_needs_marks(const pal_rubric *r, const pal_dossier *d);

/* The juror's mark on jury criterion i of d, or NULL. Borrowed. */
const pal_mark *eng_jury_mark_of(const pal_rubric *r, const pal_dossier *d, size_t i,
                                 const char *juror);

/*
 * The distinct jurors of a plan, sorted by id: *ids is an owned array (free
 * with free()) of borrowed strings. Returns 0, or -1 when out of memory.
 */
int eng_jury_plan_jurors(const pal_jury_plan *p, const char ***ids, size_t *n);

/* Level name of level k (1..N), "0" wording for 0. Borrowed. */
const char *eng_jury_level_name(const pal_rubric *r, int level);

/* The borderline list as a JSON array value / as a text section (see jury_sens.c). */
void eng_borderline_json(pal_jw *w, const pal_borderline *b, const pal_campaign *c);
void eng_borderline_text(const pal_borderline *b, const pal_campaign *c, FILE *out);

#endif
