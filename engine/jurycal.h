/*
 * Private: jury calibration (jurycal.c) as score.c uses it — the pass that
 * calibrates jurors over the campaign, the aggregates of one dossier, the
 * agreement — and what its what-if scoring reads (a juror's index, a mark's
 * fraction of the scale).
 */
#ifndef PAL_JURYCAL_H
#define PAL_JURYCAL_H

#include "model.h"

struct juror_tab {
	const char **ids;  /* sorted */
	size_t n;
	size_t *pos;       /* interned juror id -> index in ids */
};

struct jury_results {
	struct juror_tab jurors;
	pal_zjuror *stats;
	pal_zcal cal;
	pal_alpha *alpha;      /* per jury criterion */
	size_t *alpha_marks;
};

/* A mark's fraction of its criterion's scale. */
static inline double pal_jury_fraction(const pal_criterion *cr, double mark)
{
	return (mark - cr->scale_min) / (cr->scale_max - cr->scale_min);
}

/* Index of a mark's juror among the sorted ids. */
static inline size_t pal_jury_juror_pos(const struct juror_tab *t, const pal_mark *m)
{
	return t->pos[m->juror_id];
}

/* The campaign's jury statistics (c->jury), computed while scoring. Accepts NULL. */
void eng_jury_results_free(void *j);

/*
 * The jurors with marks that count (sorted by id) and their calibration, into
 * j (zeroed, owned by the campaign). Returns 0, or -1 when out of memory.
 */
int eng_jury_calibrate(pal_campaign *c, struct jury_results *j);
/* Aggregates of d's marks on jury criterion i into d->jury; raw and cal: scratch of the longest list. */
int eng_jury_aggregate(pal_campaign *c, const struct jury_results *j, pal_dossier *d, size_t i,
                       double *raw, double *cal);
/* Agreement (alpha) per jury criterion into j. Returns 0, or -1 when out of memory. */
int eng_jury_agreement(pal_campaign *c, struct jury_results *j);

#endif
