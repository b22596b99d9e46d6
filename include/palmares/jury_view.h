/*
 * palmares — the jury's figures of a scored campaign in memory: what the
 * results file's "jury" section and each town's jury criteria say
 * (docs/results.md), for a program that shows them without writing and
 * reading a results file (the web front's deliberation page). The
 * statistics are the engine's, computed by pal_campaign_score(); nothing
 * here computes them again.
 *
 * Jury criteria are numbered j = 0 .. pal_campaign_jury_count_criteria() - 1
 * in rubric order; towns by index t as in palmares/town.h; a town's
 * criteria by the rubric's index i, through pal_town_results. Strings are
 * borrowed, valid while the campaign lives and is not changed. An index out
 * of range is the caller's error (not checked), as in palmares/town.h.
 */
#ifndef PALMARES_JURY_VIEW_H
#define PALMARES_JURY_VIEW_H

#include <stddef.h>

#include "palmares/town.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the campaign's jury statistics (the results' "jury") ---- */

/* The rubric's jury criteria. */
size_t pal_campaign_jury_count_criteria(const pal_campaign *c);
/* Jury criterion j's id. */
const char *pal_campaign_jury_criterion(const pal_campaign *c, size_t j);
/* Its rubric index (palmares/rubric.h), for a town's pal_town_results. */
size_t pal_campaign_jury_criterion_index(const pal_campaign *c, size_t j);
/*
 * Krippendorff's alpha (interval) of jury criterion j over the dossiers and
 * marks it used, as the results' jury.criteria[]: returns 1 and sets *alpha
 * when it is defined, 0 (*alpha 0) when it is not (null in the results).
 * dossiers and marks may be NULL. Before scoring: 0, and both counts 0.
 */
int pal_campaign_jury_alpha(const pal_campaign *c, size_t j, double *alpha, size_t *dossiers, size_t *marks);

/* The jurors who gave counted marks, sorted by id (the results' jury.jurors[]); 0 before scoring. */
size_t pal_campaign_jury_count_jurors(const pal_campaign *c);
const char *pal_campaign_jury_juror(const pal_campaign *c, size_t k);
/* Juror k's calibration figures: marks counted, mean and sd of their fractions, calibrated (1/0). */
void pal_campaign_jury_juror_stats(const pal_campaign *c, size_t k, size_t *marks, double *mean, double *sd,
				   int *calibrated);

/* ---- one town ---- */

/*
 * Its computed level, before overrides (the results' "computed_level"):
 * 1 .. levels, 0 for none, -1 when it is not scored.
 */
int pal_campaign_town_computed_level(const pal_campaign *c, size_t t);
/* The reason of the override that set its level, or NULL when none applies (the results' "override"). */
const char *pal_campaign_town_override_reason(const pal_campaign *c, size_t t);
/*
 * The number of its jury criteria whose marks disagree (the criteria with
 * "disagreement": true in its results); 0 for an invalid dossier.
 */
size_t pal_campaign_town_count_disagreements(const pal_campaign *c, size_t t);

/* ---- one town's jury criterion i (rubric index) ---- */

/* Its marks, in the order the results list them; 0 for a criterion that is not a jury criterion. */
size_t pal_town_results_count_marks(const pal_town_results *tr, size_t i);
/* Mark k: the juror, the mark as given, the comment ("" when none). */
void pal_town_results_mark(const pal_town_results *tr, size_t i, size_t k, const char **juror, double *mark,
			   const char **comment);
/*
 * Its aggregate on the criterion's scale after calibration and before
 * (raw): returns 1, or 0 (both 0) when the results write null.
 */
int pal_town_results_aggregate(const pal_town_results *tr, size_t i, double *aggregate, double *raw);
/* 1 when its jurors disagree (the results' "disagreement"). */
int pal_town_results_disagreement(const pal_town_results *tr, size_t i);

#ifdef __cplusplus
}
#endif
#endif
