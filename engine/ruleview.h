/* Private: evaluating a rubric rule on one dossier's data while scoring (ruleview.c, score.c). */
#ifndef PAL_RULEVIEW_H
#define PAL_RULEVIEW_H

#include "model.h"

/* What a rule may see: applicability sees no results, requires no level, mentions everything. */
enum pal_rule_stage { PAL_STAGE_APPLIES, PAL_STAGE_REQUIRES, PAL_STAGE_MENTION };

/*
 * Where a rule is in the rubric, for its failure message: built only then
 * (formatting it before every evaluation was a measurable part of scoring).
 */
struct pal_rule_at {
	const char *fmt; /* with one or two %zu */
	size_t i, j;
};

/*
 * Evaluates a rule (NULL: true) on d's data, crit and cat its results (NULL
 * while applicability is decided). Returns 1 or 0 (truthy or not), or -1
 * when the rule fails: then the dossier's results name it (unless the
 * campaign is quiet, as in what-if scoring).
 */
int eng_rule_view_eval(pal_campaign *c, pal_dossier *d, const pal_crit_result *crit,
                       const pal_cat_result *cat, const json_t *rule, enum pal_rule_stage st,
                       struct pal_rule_at at, pal_diags *diags);

#endif
