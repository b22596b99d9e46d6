/* Scoring internals the writers read (results.c, explain.c). */
#ifndef PAL_SCORE_H
#define PAL_SCORE_H

#include "model.h"

/*
 * A dossier's criterion and category results as scoring computed them, with
 * criterion i weighing points[i] (NULL: the rubric's points), into caller
 * scratch arrays of ncriteria and ncategories entries. Before scoring, and
 * for a dossier that was invalid before its fractions were computed,
 * everything is zero but the applicability flags.
 */
void eng_dossier_results(const pal_campaign *c, const pal_dossier *d, const double *points,
                         pal_crit_result *crit, pal_cat_result *cat);

struct jury_results;
/* Borrowed; NULL before scoring. */
const struct jury_results *eng_campaign_jury(const pal_campaign *c);

/* Per-juror and per-criterion statistics for the results' jury section. */
size_t eng_jury_count_jurors(const struct jury_results *j);
const char *eng_jury_juror_id(const struct jury_results *j, size_t i);
const pal_zjuror *eng_jury_juror_stats(const struct jury_results *j, size_t i);
const pal_alpha *eng_jury_alpha(const struct jury_results *j, size_t jury_index);

/*
 * What-if scoring for `sensitivity`: the computed level of a scored dossier
 * if criterion i weighed points[i]. Works in the campaign's scratch views
 * (c->view_crit, c->view_cat: one scoring or writer at a time). The dossier
 * is left as it was. Returns the level, or -1 when a rule fails or the
 * dossier is not scored.
 */
int eng_score_level_with_points(pal_campaign *c, pal_dossier *d, const double *points);

/* Prints UTF-8 text cut on a character boundary or padded to w columns (results.c). */
#include <stdio.h>
void eng_print_cell(FILE *out, const char *s, size_t w);
/* Columns UTF-8 text takes in a text table: characters, not bytes (results.c). */
size_t eng_display_width(const char *s);

/*
 * What-if scoring for the borderline list: the computed level of a scored
 * dossier if `mark` (one of its marks on jury criterion i) were removed
 * (remove nonzero) or worth `value`, the other marks and the jurors'
 * calibration (μj, σj over the whole campaign) as scored. Scratch views as
 * for eng_score_level_with_points(); the dossier is left as it was. Returns
 * the level, -1 when a rule fails or the dossier is not scored, -2 when out
 * of memory.
 */
int eng_score_level_with_mark(pal_campaign *c, pal_dossier *d, size_t i, const pal_mark *mark,
                              int remove, double value);

#endif
