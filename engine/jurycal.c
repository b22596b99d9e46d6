/*
 * Jury calibration (SPEC §5): which jurors have marks that count, their z
 * calibration over the whole campaign, each dossier's aggregate on each jury
 * criterion and the agreement (Krippendorff's alpha) per criterion. Moved
 * out of score.c, which calls it in its pass 2 (eng_jury_calibrate), pass 3
 * (eng_jury_aggregate) and after (eng_jury_agreement); the statistics
 * themselves are jurystats.c's. The results' jury section reads the
 * accessors at the end (score.h).
 */
#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "jurycal.h"
#include "score.h"
static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t juror_index(const struct juror_tab *t, const char *id)
{
	const char **p = bsearch(&id, t->ids, t->n, sizeof(char *), str_cmp);
	return p ? (size_t)(p - t->ids) : 0;
}

void eng_jury_results_free(void *p)
{
	struct jury_results *j = p;
	if (!j)
		return;
	free(j->jurors.ids);
	free(j->jurors.pos);
	free(j->stats);
	free(j->alpha);
	free(j->alpha_marks);
	free(j);
}

/*
 * The marks that count, in calibration order: jury criterion by criterion,
 * dossier by dossier, each dossier's in input order, as the juror's index
 * and the mark's fraction (pal_zmark_source). Calibration reads them three
 * times: following each dossier's list criterion by criterion was a cache
 * miss per mark, where two arrays are read straight through. Built in two
 * passes over the dossiers in memory order.
 */
struct counted_marks {
	size_t n, at;
	uint32_t *juror;
	double *f;
};

static void counted_rewind(void *ctx)
{
	((struct counted_marks *)ctx)->at = 0;
}

static int counted_next(void *ctx, pal_zmark *out)
{
	struct counted_marks *it = ctx;
	if (it->at == it->n)
		return 0;
	out->juror = it->juror[it->at];
	out->f = it->f[it->at++];
	return 1;
}

static int counted_marks(const pal_campaign *c, const struct juror_tab *jurors, struct counted_marks *it)
{
	const pal_rubric *r = c->rubric;
	size_t *fill = calloc(r->njury + 1, sizeof(*fill)), total = 0;
	memset(it, 0, sizeof(*it));
	if (!fill)
		return -1;
	for (size_t k = 0; k < c->ndossiers; k++) {
		const pal_dossier *d = c->dossiers[k];
		for (size_t q = 0; !d->invalid && q < r->njury; q++)
			for (const pal_mark *m = d->marks[q]; m; m = m->next)
				fill[q]++;
	}
	/* fill[q]: where criterion q's marks start, the criteria in rubric order */
	for (size_t i = 0; i < r->ncriteria; i++)
		if (r->criteria[i].kind == PAL_KIND_JURY) {
			size_t q = r->criteria[i].jury_index, n = fill[q];
			fill[q] = total;
			total += n;
		}
	it->n = total;
	it->juror = malloc((total + 1) * sizeof(*it->juror));
	it->f = malloc((total + 1) * sizeof(*it->f));
	if (!it->juror || !it->f) {
		free(fill);
		free(it->juror);
		free(it->f);
		return -1;
	}
	for (size_t k = 0; k < c->ndossiers; k++) {
		const pal_dossier *d = c->dossiers[k];
		for (size_t i = 0; !d->invalid && i < r->ncriteria; i++) {
			const pal_criterion *cr = &r->criteria[i];
			if (cr->kind != PAL_KIND_JURY)
				continue;
			for (const pal_mark *m = d->marks[cr->jury_index]; m; m = m->next) {
				size_t at = fill[cr->jury_index]++;
				it->juror[at] = (uint32_t)pal_jury_juror_pos(jurors, m);
				it->f[at] = pal_jury_fraction(cr, m->mark);
			}
		}
	}
	free(fill);
	return 0;
}

/*
 * heads[q * ndossiers + k]: the marks of dossier k on jury criterion q, NULL
 * for an invalid dossier. Agreement reads the marks criterion by criterion,
 * dossier by dossier (units); going through the dossiers for each criterion
 * was a cache miss each.
 */
static const pal_mark **mark_heads(const pal_campaign *c)
{
	const pal_rubric *r = c->rubric;
	size_t nd = c->ndossiers;
	const pal_mark **heads;
	if (r->njury && nd > SIZE_MAX / sizeof(*heads) / r->njury)
		return NULL;
	if (!(heads = malloc(r->njury * nd * sizeof(*heads) + 1)))
		return NULL;
	for (size_t k = 0; k < nd; k++) {
		const pal_dossier *d = c->dossiers[k];
		for (size_t q = 0; q < r->njury; q++)
			heads[q * nd + k] = d->invalid ? NULL : d->marks[q];
	}
	return heads;
}

int eng_jury_calibrate(pal_campaign *c, struct jury_results *j)
{
	const pal_rubric *r = c->rubric;
	/* Jurors with at least one mark that counts, sorted by id. */
	size_t nint = eng_campaign_njurors(c), u = 0;
	size_t *counted = calloc(nint + 1, sizeof(*counted));
	const char **ids = malloc((nint + 1) * sizeof(*ids));
	j->jurors.pos = calloc(nint + 1, sizeof(size_t));
	if (!counted || !ids || !j->jurors.pos)
		goto oom;
	for (size_t k = 0; k < c->ndossiers; k++) {
		const pal_dossier *d = c->dossiers[k];
		for (size_t q = 0; !d->invalid && q < r->njury; q++)
			for (const pal_mark *m = d->marks[q]; m; m = m->next)
				counted[m->juror_id]++;
	}
	for (size_t i = 0; i < nint; i++)
		if (counted[i])
			ids[u++] = eng_campaign_juror_name(c, (uint32_t)i);
	qsort(ids, u, sizeof(*ids), str_cmp);
	for (size_t i = 0; i < nint; i++)
		if (counted[i])
			j->jurors.pos[i] = juror_index(&(struct juror_tab){ids, u, NULL},
			                               eng_campaign_juror_name(c, (uint32_t)i));
	free(counted);
	counted = NULL;
	j->jurors.ids = ids;
	j->jurors.n = u;
	ids = NULL;
	j->stats = calloc(u + 1, sizeof(*j->stats));
	if (!j->stats)
		goto oom;
	/* 12 bytes a mark, while calibrating only. */
	struct counted_marks it;
	if (counted_marks(c, &j->jurors, &it))
		goto oom;
	pal_zmark_source src = {counted_rewind, counted_next, &it};
	int st = eng_zcal_compute_from(&j->cal, j->stats, u, (size_t)r->calibrate_min, &src);
	free(it.juror);
	free(it.f);
	if (st != PAL_STATS_OK)
		goto oom;
	if (!r->calibrate_z)
		for (size_t i = 0; i < u; i++)
			j->stats[i].calibrated = 0;
	return 0;
oom:
	free(counted);
	free(ids);
	return -1;
}

/* Aggregates of one dossier's marks on one jury criterion. */
int eng_jury_aggregate(pal_campaign *c, const struct jury_results *j, pal_dossier *d, size_t i,
                       double *raw, double *cal)
{
	const pal_rubric *r = c->rubric;
	const pal_criterion *cr = &r->criteria[i];
	pal_jury_result *res = &d->jury[cr->jury_index];
	size_t n = 0;
	double lo = 0, hi = 0;
	for (const pal_mark *m = d->marks[cr->jury_index]; m; m = m->next) {
		raw[n] = m->mark;
		double f = pal_jury_fraction(cr, m->mark);
		size_t ji = pal_jury_juror_pos(&j->jurors, m);
		cal[n] = r->calibrate_z && j->stats[ji].calibrated ? eng_zcal_apply(&j->cal, ji, f) : f;
		lo = n == 0 || m->mark < lo ? m->mark : lo;
		hi = n == 0 || m->mark > hi ? m->mark : hi;
		n++;
	}
	res->nmarks = (uint32_t)n;
	if (n == 0)
		return 0;
	res->has_aggregate = 1;
	res->aggregate_raw = eng_aggregate_compute(r->aggregate, raw, n);
	double fr = eng_aggregate_compute(r->aggregate, cal, n);
	res->fraction = fr;
	res->disagreement = (uint8_t)(r->disagreement >= 0 && hi - lo > r->disagreement);
	return 0;
}

int eng_jury_agreement(pal_campaign *c, struct jury_results *j)
{
	const pal_rubric *r = c->rubric;
	j->alpha = calloc(r->njury + 1, sizeof(*j->alpha));
	j->alpha_marks = calloc(r->njury + 1, sizeof(size_t));
	pal_alpha_unit *units = malloc((c->ndossiers + 1) * sizeof(*units));
	const pal_mark **heads = mark_heads(c);
	double *vals = NULL;
	size_t nv = 0, nd = c->ndossiers;
	if (!j->alpha || !j->alpha_marks || !units || !heads)
		goto oom;
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		if (cr->kind != PAL_KIND_JURY)
			continue;
		const pal_mark *const *h = heads + cr->jury_index * nd;
		size_t total = 0, nu = 0, off = 0;
		for (size_t k = 0; k < nd; k++)
			for (const pal_mark *m = h[k]; m; m = m->next)
				total++;
		if (total > nv) {
			free(vals);
			if (!(vals = malloc(total * sizeof(*vals))))
				goto oom;
			nv = total;
		}
		for (size_t k = 0; k < nd; k++) {
			if (!h[k])
				continue;
			units[nu].values = vals + off;
			units[nu].n = 0;
			for (const pal_mark *m = h[k]; m; m = m->next)
				vals[off + units[nu].n++] = m->mark;
			off += units[nu].n;
			nu++;
		}
		if (eng_alpha_compute(&j->alpha[cr->jury_index], PAL_ALPHA_INTERVAL, units, nu) ==
		    PAL_STATS_ENOMEM)
			goto oom;
	}
	free(units);
	free(heads);
	free(vals);
	return 0;
oom:
	free(units);
	free(heads);
	free(vals);
	return -1;
}


const struct jury_results *eng_campaign_jury(const pal_campaign *c)
{
	return c->jury;
}

size_t eng_jury_count_jurors(const struct jury_results *j) { return j ? j->jurors.n : 0; }
const char *eng_jury_juror_id(const struct jury_results *j, size_t i) { return j->jurors.ids[i]; }
const pal_zjuror *eng_jury_juror_stats(const struct jury_results *j, size_t i) { return &j->stats[i]; }
const pal_alpha *eng_jury_alpha(const struct jury_results *j, size_t q) { return &j->alpha[q]; }
