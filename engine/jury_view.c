/*
 * The jury's figures of a scored campaign in memory (palmares/jury_view.h):
 * what results.c's write_jury() and write_town() write of the jury, read
 * from the campaign instead of a file, for the web front's deliberation
 * page. The figures are those scoring computed (jurycal.c); nothing here
 * computes them again. One town's marks and aggregates are read through
 * pal_town_results (town_view.c, which keeps its criterion results).
 *
 * When results.c changes what one of these fields means, change it here too.
 */
#include "palmares/jury_view.h"

#include "jurycal.h"
#include "score.h"

/* The rubric index of jury criterion j (jury criteria in rubric order). */
static size_t jury_criterion(const pal_rubric *r, size_t j)
{
	for (size_t i = 0; i < r->ncriteria; i++)
		if (r->criteria[i].kind == PAL_KIND_JURY && r->criteria[i].jury_index == j)
			return i;
	return r->ncriteria; /* not reached for j < njury */
}

size_t pal_campaign_jury_count_criteria(const pal_campaign *c)
{
	return c->rubric->njury;
}

const char *pal_campaign_jury_criterion(const pal_campaign *c, size_t j)
{
	return c->rubric->criteria[jury_criterion(c->rubric, j)].id;
}

size_t pal_campaign_jury_criterion_index(const pal_campaign *c, size_t j)
{
	return jury_criterion(c->rubric, j);
}

int pal_campaign_jury_alpha(const pal_campaign *c, size_t j, double *alpha, size_t *dossiers, size_t *marks)
{
	const struct jury_results *jr = eng_campaign_jury(c);
	const pal_alpha *a = jr ? eng_jury_alpha(jr, j) : NULL;
	int defined = a && a->defined;
	*alpha = defined ? a->alpha : 0;
	if (dossiers)
		*dossiers = a ? a->units : 0;
	if (marks)
		*marks = a ? a->values : 0;
	return defined;
}

size_t pal_campaign_jury_count_jurors(const pal_campaign *c)
{
	const struct jury_results *jr = eng_campaign_jury(c);
	return jr ? eng_jury_count_jurors(jr) : 0;
}

const char *pal_campaign_jury_juror(const pal_campaign *c, size_t k)
{
	return eng_jury_juror_id(eng_campaign_jury(c), k);
}

void pal_campaign_jury_juror_stats(const pal_campaign *c, size_t k, size_t *marks, double *mean, double *sd,
				   int *calibrated)
{
	const pal_zjuror *z = eng_jury_juror_stats(eng_campaign_jury(c), k);
	*marks = z->count;
	*mean = z->mean;
	*sd = z->sd;
	*calibrated = z->calibrated;
}

/* As results.c: level, computed_level and override are written for scored dossiers only. */
static int scored(const pal_campaign *c, const pal_dossier *d)
{
	return c->scored && d->status == PAL_STATUS_SCORED;
}

int pal_campaign_town_computed_level(const pal_campaign *c, size_t t)
{
	const pal_dossier *d = c->dossiers[t];
	return scored(c, d) ? d->computed_level : -1;
}

const char *pal_campaign_town_override_reason(const pal_campaign *c, size_t t)
{
	const pal_dossier *d = c->dossiers[t];
	return scored(c, d) && d->has_override ? d->override_reason : NULL;
}

size_t pal_campaign_town_count_disagreements(const pal_campaign *c, size_t t)
{
	const pal_dossier *d = c->dossiers[t];
	size_t n = 0;
	/* an invalid dossier's criteria are null in the results: no flag */
	if (!c->scored || d->status == PAL_STATUS_INVALID || !d->jury)
		return 0;
	for (size_t j = 0; j < c->rubric->njury; j++)
		n += d->jury[j].disagreement != 0;
	return n;
}
