/*
 * Scoring (SPEC §4, §5): applicability, fractions, jury aggregates (with z
 * calibration), categories under redistribute or exclude, totals, levels
 * with their `requires` rules, overrides, mentions, next level and ranks.
 *
 * Data flow: pass 1 decides applicability for every dossier (applies rules
 * see town and answers only); pass 2 gathers the marks that count and
 * calibrates jurors over the whole campaign; pass 3 scores each dossier;
 * then overrides (read by overrides.c), mentions and next levels; finally
 * ranks.
 *
 * The data a rule sees is built in ruleview.c, the jurors' calibration
 * and the aggregates in jurycal.c.
 *
 * Rules see full-precision numbers (SPEC §4.5: "computation uses full
 * precision"); only the level thresholds compare the rounded total percent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "campaign.h"
#include "jurycal.h"
#include "markindex.h"
#include "overrides.h"
#include "num.h"
#include "ruleview.h"
#include "score.h"

/* ---- pass 1: applicability ---- */

/*
 * same[i]: the first criterion whose applicability rule equals criterion i's
 * (json_equal), i itself for the first of its kind. A rule deciding
 * applicability sees only the town and its answers, which deciding it does
 * not change (PAL_STAGE_APPLIES in ruleview.c): a dossier evaluates each distinct
 * rule once, not once per criterion, and the first evaluation is the one
 * that would fail first. The national benchmark tests the population 33
 * times per town with one rule. NULL: out of memory.
 */
static size_t *same_applies(const pal_rubric *r)
{
	size_t *same = malloc((r->ncriteria + 1) * sizeof(*same));
	if (!same)
		return NULL;
	for (size_t i = 0; i < r->ncriteria; i++) {
		same[i] = i;
		for (size_t j = 0; r->criteria[i].applies && j < i; j++)
			if (same[j] == j && r->criteria[j].applies &&
			    json_equal(r->criteria[j].applies, r->criteria[i].applies)) {
				same[i] = j;
				break;
			}
	}
	return same;
}

/*
 * "Not applicable" on a criterion without allow_na, kept at intake because
 * its `applies` rule might agree (answer.c): it does not, the criterion
 * applies to this town, so the answer is refused as it would have been.
 */
static void na_refused(pal_campaign *c, pal_dossier *d, const pal_criterion *cr, pal_diags *diags)
{
	eng_dossier_msg_info(c, d, diags, PAL_ERROR, d->file, d->line, d->col,
	                     PAL_MSG_INFO("na-refused", (long)(cr - c->rubric->criteria), NULL, NULL),
	                     "town %s \"%s\", criterion \"%s\": expected %s, found \"not applicable\": "
	                     "this criterion applies to this town and does not accept \"not applicable\"",
	                     d->town_id, d->town_name, cr->id, eng_answer_expected(cr));
}

/*
 * A dossier invalid for other reasons is not scored, but the town should
 * learn every problem at once: a kept "not applicable" (criteria from `from`
 * on) whose rule says the criterion applies is refused too. A rule that fails
 * here says nothing: the dossier already has its errors, and this one would
 * be a guess.
 */
static void na_refused_quietly(pal_campaign *c, pal_dossier *d, size_t from, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	int quiet = c->quiet;
	c->quiet = 1;
	for (size_t i = from; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		if ((d->meta[i] & PAL_META_TYPE) != PAL_ANS_NA || cr->allow_na || !cr->applies)
			continue;
		struct pal_rule_at at = {"categories[%zu].criteria[%zu].applies", cr->category,
		                         i - r->categories[cr->category].first};
		if (eng_rule_view_eval(c, d, NULL, NULL, cr->applies, PAL_STAGE_APPLIES, at, diags) == 1) {
			c->quiet = quiet;
			na_refused(c, d, cr, diags);
			c->quiet = 1;
		}
	}
	c->quiet = quiet;
}

/* applies[i]: the result of criterion i's rule for the dossier being decided. */
static int applicability(pal_campaign *c, pal_dossier *d, const size_t *same, signed char *applies,
                         pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	d->decided = 1;
	for (size_t i = 0; i < r->ncriteria; i++)
		d->meta[i] &= (uint8_t)~PAL_META_APPLIES;
	d->jury = palx_arena_alloc(&c->arena, (r->njury + 1) * sizeof(*d->jury));
	d->cat = palx_arena_alloc(&c->arena, (r->ncategories + 1) * sizeof(*d->cat));
	if (!d->jury || !d->cat)
		return -1;
	if (d->invalid) {
		na_refused_quietly(c, d, 0, diags);
		return 0;
	}
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		int type = d->meta[i] & PAL_META_TYPE;
		int ap = 1;
		if (cr->applies) {
			struct pal_rule_at at = {"categories[%zu].criteria[%zu].applies", cr->category,
			                         i - r->categories[cr->category].first};
			ap = same[i] != i ? applies[same[i]]
			                  : eng_rule_view_eval(c, d, NULL, NULL, cr->applies, PAL_STAGE_APPLIES,
			                                       at, diags);
			if (ap < 0)
				return 0;
			applies[i] = (signed char)ap;
			if (!ap && type != PAL_ANS_NONE && type != PAL_ANS_NA) {
				d->meta[i] |= PAL_META_IGNORED;
				eng_dossier_msg_info(c, d, diags, PAL_WARNING, d->file, d->line, d->col,
				                     PAL_MSG_INFO("not-applicable-ignored", (long)i, NULL, NULL),
				                     "town %s \"%s\": answer to \"%s\" ignored: the criterion does "
				                     "not apply to this town", d->town_id, d->town_name, cr->id);
			}
		}
		if (type == PAL_ANS_NA && ap && !cr->allow_na) {
			na_refused(c, d, cr, diags);
			na_refused_quietly(c, d, i + 1, diags); /* the dossier is invalid now */
			return 0;
		}
		if (type == PAL_ANS_NA)
			ap = 0;
		if (ap)
			d->meta[i] |= PAL_META_APPLIES;
	}
	return 0;
}

/* ---- pass 2: marks that count, calibration ---- */
/*
 * Drops duplicate marks (rejected while loading) and marks on criteria that
 * don't apply (with a warning); neither ever counts.
 */
static void drop_inapplicable_marks(pal_campaign *c, pal_dossier *d, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	for (size_t q = 0; q < r->njury; q++)
		for (pal_mark **p = &d->marks[q]; *p;)
			if ((*p)->rejected)
				*p = (*p)->next;
			else
				p = &(*p)->next;
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		if (cr->kind != PAL_KIND_JURY || d->invalid || pal_dossier_applies(d, i))
			continue;
		for (pal_mark *m = d->marks[cr->jury_index]; m; m = m->next)
			eng_dossier_msg_info(c, d, diags, PAL_WARNING, eng_mark_file(c, m), (long)m->line, 0,
			                     PAL_MSG_INFO("mark-ignored", (long)i, NULL, m->juror),
			                     "juror %s, town %s: mark on \"%s\" ignored: the criterion does not "
			                     "apply to this town", m->juror, d->town_id, cr->id);
		d->marks[cr->jury_index] = NULL;
	}
}

/* ---- pass 3: scores ---- */

/* What the answer earns, by its kind's row of eng_kinds[] (kinds.c): n/a and no answer earn 0. */
static double crit_fraction(const pal_criterion *cr, const pal_answer *a)
{
	const pal_kind_info *k = &eng_kinds[cr->kind];
	return k->fraction && a->type == k->answer_type ? k->fraction(cr, a) : 0;
}

/* Criterion i of d as scoring computed it, before weighting (points and max are left 0). */
static void crit_view(const pal_rubric *r, const pal_dossier *d, size_t i, pal_crit_result *res)
{
	const pal_criterion *cr = &r->criteria[i];
	const pal_answer av = pal_dossier_answer(d, i), *a = &av;
	const pal_jury_result *j = cr->kind == PAL_KIND_JURY ? &d->jury[cr->jury_index] : NULL;
	memset(res, 0, sizeof(*res));
	res->applicable = pal_dossier_applies(d, i);
	if (j) {
		/* as eng_jury_aggregate() would have stored it: the same expression, the same bits */
		if (j->has_aggregate)
			res->aggregate = cr->scale_min + j->fraction * (cr->scale_max - cr->scale_min);
		res->aggregate_raw = j->aggregate_raw;
		res->nmarks = j->nmarks;
		res->has_aggregate = j->has_aggregate;
		res->disagreement = j->disagreement;
	}
	if (!d->computed || cr->kind == PAL_KIND_INFO || !res->applicable)
		return;
	res->fraction = j ? (j->has_aggregate ? j->fraction : 0) : crit_fraction(cr, a);
	if (cr->evidence == PAL_EVIDENCE_REQUIRED && !a->has_evidence &&
	    (j || a->type != PAL_ANS_NONE)) {
		res->fraction = 0;
		res->evidence_missing = 1;
	}
}

/* Fractions of every applicable criterion; marks the dossier pending and warns on gaps. */
static void fractions(pal_campaign *c, pal_dossier *d, pal_crit_result *crit, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	char list[1024];
	size_t off = 0, unanswered = 0;
	d->status = PAL_STATUS_SCORED;
	d->computed = 1;
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		crit_view(r, d, i, &crit[i]);
		if (cr->kind == PAL_KIND_INFO || !crit[i].applicable)
			continue;
		if (cr->kind == PAL_KIND_JURY) {
			if ((int)crit[i].nmarks < r->min_marks)
				d->status = PAL_STATUS_PENDING;
		} else if ((d->meta[i] & PAL_META_TYPE) == PAL_ANS_NONE &&
		           (!d->has_column || d->has_column[i])) {
			unanswered++;
			int w = snprintf(list + off, sizeof list - off, "%s%s", off ? ", " : "", cr->id);
			if (w > 0 && (size_t)w < sizeof list - off)
				off += (size_t)w;
		}
	}
	list[off] = '\0'; /* without the part of an id that did not fit */
	if (unanswered)
		eng_dossier_msg_info(c, d, diags, PAL_WARNING, d->file, d->line, d->col,
		                     PAL_MSG_INFO("unanswered", -1, NULL, list),
		                     "town %s \"%s\": %zu %s unanswered (scored 0): %s%s", d->town_id,
		                     d->town_name, unanswered, unanswered == 1 ? "criterion" : "criteria", list,
		                     off + 8 >= sizeof list ? "…" : "");
}

/*
 * Categories and total from the fractions (SPEC §4.3–4.5). points[i] is the
 * weight of criterion i (the rubric's, or perturbed ones for sensitivity).
 */
static void tally(const pal_rubric *r, const double *points, pal_crit_result *crit,
                  pal_cat_result *cat_res, double *total, double *total_max)
{
	double sum = 0, sum_max = 0;
	for (size_t k = 0; k < r->ncategories; k++) {
		const pal_category *cat = &r->categories[k];
		double P = 0, A = 0, E = 0;
		for (size_t i = cat->first; i < cat->first + cat->count; i++) {
			if (r->criteria[i].kind == PAL_KIND_INFO)
				continue;
			P += points[i];
			if (crit[i].applicable) {
				A += points[i];
				E += points[i] * crit[i].fraction;
			}
		}
		pal_cat_result *cres = &cat_res[k];
		if (cat->exclude) {
			cres->points = E;
			cres->max = A;
		} else if (A > 0) {
			cres->points = P * E / A;
			cres->max = P;
		} else {
			cres->points = cres->max = 0;
		}
		for (size_t i = cat->first; i < cat->first + cat->count; i++) {
			pal_crit_result *res = &crit[i];
			if (r->criteria[i].kind == PAL_KIND_INFO || !res->applicable)
				res->max = 0;
			else
				res->max = cat->exclude ? points[i] : points[i] * P / A;
			res->points = res->max * res->fraction;
		}
		sum += cres->points;
		sum_max += cres->max;
	}
	*total = sum;
	*total_max = sum_max;
}

/* The dossier's totals from tally()'s. */
static void set_total(pal_dossier *d, double points, double max)
{
	d->points = points;
	d->max = max;
	d->percent = d->max > 0 ? 100 * d->points / d->max : 0;
	d->percent_r = eng_round2(d->percent);
}

/* Every criterion of d through crit_view(): 1 when they can be weighted (tally()), else 0. */
static int crit_views(const pal_rubric *r, const pal_dossier *d, pal_crit_result *crit)
{
	if (!d->decided || !d->jury) {
		memset(crit, 0, r->ncriteria * sizeof(*crit));
		return 0;
	}
	for (size_t i = 0; i < r->ncriteria; i++)
		crit_view(r, d, i, &crit[i]);
	return d->computed;
}

void eng_dossier_results(const pal_campaign *c, const pal_dossier *d, const double *points,
                         pal_crit_result *crit, pal_cat_result *cat)
{
	const pal_rubric *r = c->rubric;
	double p, m;
	if (crit_views(r, d, crit))
		tally(r, points ? points : c->points, crit, cat, &p, &m);
	else
		memset(cat, 0, r->ncategories * sizeof(*cat));
}

/* Level reached: the largest k whose levels 1..k all pass. -1 when a rule failed. */
static int compute_level(pal_campaign *c, pal_dossier *d, const pal_crit_result *crit,
                         const pal_cat_result *cat, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	int level = 0;
	for (size_t k = 0; k < r->nlevels; k++) {
		if (d->percent_r < r->levels[k].min_percent)
			break;
		struct pal_rule_at at = {"levels[%zu].requires", k, 0};
		int ok = eng_rule_view_eval(c, d, crit, cat, r->levels[k].requires, PAL_STAGE_REQUIRES, at,
		                            diags);
		if (ok < 0)
			return -1;
		if (!ok)
			break;
		level = (int)k + 1;
	}
	return level;
}

/* Next level, points missing and unmet prerequisites, from the final level. */
static int next_level(pal_campaign *c, pal_dossier *d, const pal_crit_result *crit,
                      const pal_cat_result *cat, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	d->next_level = 0;
	d->unmet = 0;
	if ((size_t)d->level >= r->nlevels)
		return 0;
	int nx = d->level + 1;
	const pal_level *l = &r->levels[nx - 1];
	double need = l->min_percent * d->max / 100 - d->points;
	d->next_level = nx;
	d->points_missing = need > 0 ? need : 0;
	for (int k = 1; k <= nx; k++) {
		struct pal_rule_at at = {"levels[%zu].requires", (size_t)k - 1, 0};
		int ok = eng_rule_view_eval(c, d, crit, cat, r->levels[k - 1].requires, PAL_STAGE_REQUIRES, at,
		                            diags);
		if (ok < 0)
			return -1;
		if (!ok)
			d->unmet |= (uint64_t)1 << (k - 1);
	}
	return 0;
}

static int mentions(pal_campaign *c, pal_dossier *d, const pal_crit_result *crit,
                    const pal_cat_result *cat, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	d->mentions = 0;
	for (size_t k = 0; k < r->nmentions; k++) {
		if (d->level < r->mentions[k].min_level)
			continue;
		struct pal_rule_at at = {"mentions[%zu].when", k, 0};
		int ok = eng_rule_view_eval(c, d, crit, cat, r->mentions[k].when, PAL_STAGE_MENTION, at, diags);
		if (ok < 0)
			return -1;
		if (ok)
			d->mentions |= (uint64_t)1 << k;
	}
	return 0;
}

/* ---- ranks and overrides ---- */

static int by_percent(const void *a, const void *b)
{
	const pal_dossier *x = *(pal_dossier *const *)a, *y = *(pal_dossier *const *)b;
	if (x->percent_r != y->percent_r)
		return x->percent_r > y->percent_r ? -1 : 1;
	return 0;
}

static int rank(pal_campaign *c)
{
	pal_dossier **v = malloc((c->ndossiers + 1) * sizeof(*v));
	size_t n = 0;
	if (!v)
		return -1;
	for (size_t k = 0; k < c->ndossiers; k++)
		if (c->dossiers[k]->status == PAL_STATUS_SCORED)
			v[n++] = c->dossiers[k];
	qsort(v, n, sizeof(*v), by_percent);
	for (size_t k = 0; k < n; k++)
		v[k]->rank = k > 0 && v[k]->percent_r == v[k - 1]->percent_r ? v[k - 1]->rank : (long)k + 1;
	free(v);
	return 0;
}

/*
 * Applies the overrides set (pal_campaign_set_overrides) to the scored
 * dossiers, after the reading's messages: a town unknown or overridden
 * twice is an error, a dossier not scored a warning. Returns the worst of
 * the reading's status and these.
 */
static int apply_overrides(pal_campaign *c, pal_diags *diags)
{
	const struct pal_overrides *o = c->overrides;
	pal_override *ov = o->v;
	size_t n = o->n;
	int rc = o->status;
	for (size_t k = 0; k < pal_diags_count(o->diags); k++) {
		const pal_diag *g = pal_diags_get(o->diags, k);
		pal_diags_add(diags, g->severity, g->file, g->line, g->col, "%s", g->text);
	}
	if (pal_diags_oom(o->diags)) { /* one of the reading's messages was lost */
		pal_diags_add(diags, PAL_ERROR, o->path, 0, 0, "out of memory while reading overrides");
		rc = PAL_IOERR;
	}
	if (rc == PAL_IOERR)
		return rc;
	for (size_t k = 0; k < n; k++) {
		pal_dossier *d = eng_campaign_find(c, ov[k].town_id);
		if (d)
			d->override_count++;
	}
	for (size_t k = 0; k < n; k++) {
		pal_dossier *d = eng_campaign_find(c, ov[k].town_id);
		if (!d) {
			pal_diags_add(diags, PAL_ERROR, ov[k].file, ov[k].line, 0,
			              "override for unknown town \"%s\"", ov[k].town_id);
			rc = PAL_REJECTED;
			continue;
		}
		if (d->override_count > 1) {
			/* Which decision stands is the jury's to say: none is applied. */
			pal_diags_add(diags, PAL_ERROR, ov[k].file, ov[k].line, 0,
			              "town %s has %d overrides: none is applied", d->town_id,
			              d->override_count);
			rc = PAL_REJECTED;
			continue;
		}
		if (d->status != PAL_STATUS_SCORED) {
			eng_dossier_msg_info(c, d, diags, PAL_WARNING, ov[k].file, ov[k].line, 0,
			                     PAL_MSG_INFO("override-ignored", -1, NULL, NULL),
			                     "override for town %s ignored: the dossier is %s", d->town_id,
			                     d->status == PAL_STATUS_PENDING ? "pending" : "invalid");
			continue;
		}
		d->has_override = 1;
		d->level = ov[k].level;
		d->override_reason = ov[k].reason;
	}
	return rc;
}

/* ---- orchestration ---- */

static int finish_dossier(pal_campaign *c, pal_dossier *d, const pal_crit_result *crit,
                          pal_diags *diags)
{
	if (d->invalid) {
		d->status = PAL_STATUS_INVALID;
		return 0;
	}
	if (d->status != PAL_STATUS_SCORED)
		return 0;
	int lv = compute_level(c, d, crit, d->cat, diags);
	if (lv < 0) {
		d->status = PAL_STATUS_INVALID;
		return 0;
	}
	d->computed_level = d->level = lv;
	return 0;
}

int pal_campaign_score(pal_campaign *c, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	int rc = PAL_OK;
	size_t maxm = 1;
	struct jury_results *j = calloc(1, sizeof(*j));
	if (!j)
		goto oom;
	eng_jury_results_free(c->jury);
	c->jury = j;
	if (!c->points && !(c->points = palx_arena_alloc(&c->arena, (r->ncriteria + 1) * sizeof(double))))
		goto oom;
	for (size_t i = 0; i < r->ncriteria; i++)
		c->points[i] = r->criteria[i].points;
	if (!c->view_crit &&
	    !(c->view_crit = palx_arena_alloc(&c->arena, (r->ncriteria + 1) * sizeof(*c->view_crit))))
		goto oom;
	if (!c->view_cat &&
	    !(c->view_cat = palx_arena_alloc(&c->arena, (r->ncategories + 1) * sizeof(*c->view_cat))))
		goto oom;
	size_t *same = same_applies(r);
	signed char *applies = malloc(r->ncriteria + 1);
	if (!same || !applies) {
		free(same);
		free(applies);
		goto oom;
	}
	/* The lists change below: the index of long ones is stale, and no longer needed. */
	eng_mark_index_free(&c->mark_index);
	for (size_t k = 0; k < c->ndossiers; k++) {
		pal_dossier *d = c->dossiers[k];
		if (c->prev_levels) {
			json_t *lv = json_object_get(c->prev_levels, d->town_id);
			d->previous_level = lv ? (int)json_integer_value(lv) : -1;
		}
		if (applicability(c, d, same, applies, diags)) {
			free(same);
			free(applies);
			goto oom;
		}
		drop_inapplicable_marks(c, d, diags);
		for (size_t q = 0; q < r->njury; q++) {
			size_t n = 0;
			for (const pal_mark *m = d->marks[q]; m; m = m->next)
				n++;
			maxm = n > maxm ? n : maxm;
		}
	}
	free(same);
	free(applies);
	if (eng_jury_calibrate(c, j))
		goto oom;
	double *raw = malloc(maxm * sizeof(double)), *cal = malloc(maxm * sizeof(double));
	pal_crit_result *crit = c->view_crit;
	pal_cat_result *cat = c->view_cat;
	if (!raw || !cal) {
		free(raw);
		free(cal);
		goto oom;
	}
	for (size_t k = 0; k < c->ndossiers; k++) {
		pal_dossier *d = c->dossiers[k];
		if (c->progress && k % 256 == 0)
			c->progress(c->progress_ctx, "scoring", k, c->ndossiers);
		for (size_t i = 0; !d->invalid && i < r->ncriteria; i++)
			if (r->criteria[i].kind == PAL_KIND_JURY && pal_dossier_applies(d, i))
				eng_jury_aggregate(c, j, d, i, raw, cal);
		if (!d->invalid) {
			double p, m;
			fractions(c, d, crit, diags);
			tally(r, c->points, crit, d->cat, &p, &m);
			set_total(d, p, m);
		}
		finish_dossier(c, d, crit, diags);
	}
	free(raw);
	free(cal);
	if (eng_jury_agreement(c, j))
		goto oom;
	if (c->overrides)
		rc = apply_overrides(c, diags);
	for (size_t k = 0; k < c->ndossiers; k++) {
		pal_dossier *d = c->dossiers[k];
		if (d->status != PAL_STATUS_SCORED)
			continue;
		eng_dossier_results(c, d, c->points, crit, cat);
		if (mentions(c, d, crit, cat, diags) || next_level(c, d, crit, cat, diags)) {
			d->status = PAL_STATUS_INVALID;
			d->mentions = 0;
			d->next_level = 0;
		}
	}
	if (rank(c))
		goto oom;
	if (c->oom) /* a town's message was lost (campaign.c): its results would be incomplete */
		goto oom;
	c->scored = 1;
	for (size_t k = 0; k < c->ndossiers && rc == PAL_OK; k++)
		if (c->dossiers[k]->status == PAL_STATUS_INVALID)
			rc = PAL_REJECTED;
	return rc;
oom:
	pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "out of memory while scoring");
	return PAL_IOERR;
}


/*
 * The level d would compute from crit (c->view_crit, weights points), leaving
 * d as it was. The what-if scorings below fill the campaign's scratch views.
 */
static int what_if_level(pal_campaign *c, pal_dossier *d, const double *points)
{
	pal_crit_result *crit = c->view_crit;
	pal_cat_result *cat = c->view_cat;
	double sp = d->points, sm = d->max, spc = d->percent, spr = d->percent_r, p, m;
	tally(c->rubric, points, crit, cat, &p, &m);
	set_total(d, p, m);
	c->quiet = 1;
	int level = compute_level(c, d, crit, cat, NULL);
	c->quiet = 0;
	d->points = sp;
	d->max = sm;
	d->percent = spc;
	d->percent_r = spr;
	return level;
}

int eng_score_level_with_points(pal_campaign *c, pal_dossier *d, const double *points)
{
	if (d->status != PAL_STATUS_SCORED)
		return -1;
	crit_views(c->rubric, d, c->view_crit);
	return what_if_level(c, d, points);
}

/*
 * What-if scoring with one jury mark changed, for the borderline list
 * (jury_sens.c). Added after eng_score_level_with_points(), same contract:
 * the dossier and the campaign are left as they were.
 */
int eng_score_level_with_mark(pal_campaign *c, pal_dossier *d, size_t i, const pal_mark *mark,
                              int remove, double value)
{
	pal_crit_result *crit = c->view_crit;
	const pal_rubric *r = c->rubric;
	const pal_criterion *cr = &r->criteria[i];
	const struct jury_results *j = c->jury;
	size_t n = 0, k = 0;
	double *cal;
	if (d->status != PAL_STATUS_SCORED || !j || cr->kind != PAL_KIND_JURY)
		return -1;
	for (const pal_mark *mk = d->marks[cr->jury_index]; mk; mk = mk->next)
		n++;
	if (!(cal = malloc((n + 1) * sizeof(*cal))))
		return -2;
	for (const pal_mark *mk = d->marks[cr->jury_index]; mk; mk = mk->next) {
		if (mk == mark && remove)
			continue;
		double f = pal_jury_fraction(cr, mk == mark ? value : mk->mark);
		size_t ji = pal_jury_juror_pos(&j->jurors, mk);
		cal[k++] = r->calibrate_z && j->stats[ji].calibrated ? eng_zcal_apply(&j->cal, ji, f) : f;
	}
	crit_views(r, d, crit);
	crit[i].fraction = k && !crit[i].evidence_missing ? eng_aggregate_compute(r->aggregate, cal, k)
	                                                  : 0;
	free(cal);
	return what_if_level(c, d, c->points);
}
