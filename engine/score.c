/*
 * Scoring (SPEC §4, §5): applicability, fractions, jury aggregates (with z
 * calibration), categories under redistribute or exclude, totals, levels
 * with their `requires` rules, overrides, mentions, next level and ranks.
 *
 * Data flow: pass 1 decides applicability for every dossier (applies rules
 * see town and answers only); pass 2 gathers the marks that count and
 * calibrates jurors over the whole campaign; pass 3 scores each dossier;
 * then overrides, mentions and next levels; finally ranks.
 *
 * Rules see full-precision numbers (SPEC §4.5: "computation uses full
 * precision"); only the level thresholds compare the rounded total percent.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "campaign.h"
#include "markindex.h"
#include "marks.h"
#include "num.h"
#include "rule.h"
#include "score.h"

enum stage { STAGE_APPLIES, STAGE_REQUIRES, STAGE_MENTION };

struct rule_ctx {
	const pal_campaign *c;
	const pal_dossier *d;
	const pal_crit_result *crit; /* the dossier's results, NULL while applicability is decided */
	const pal_cat_result *cat;
	enum stage stage;
	int oom; /* a value could not be built: the rule must fail, not see it missing */
};

/* v, or NULL with x->oom set when a value that exists could not be built. */
static json_t *built(const struct rule_ctx *x, json_t *v)
{
	if (!v)
		((struct rule_ctx *)x)->oom = 1;
	return v;
}

/* json_object_set_new() that records a failure in x->oom. */
static void put(const struct rule_ctx *x, json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, built(x, v)))
		((struct rule_ctx *)x)->oom = 1;
}

static json_t *num_json(double x)
{
	if (x == floor(x) && fabs(x) < 9007199254740992.0)
		return json_integer((json_int_t)x);
	return json_real(x);
}

/* Walks the rest of a dotted path inside v (steals v). Returns a new reference or NULL. */
static json_t *walk(json_t *v, const char *rest)
{
	while (v && rest && *rest) {
		size_t n = strcspn(rest, ".");
		char key[256];
		json_t *next = NULL;
		snprintf(key, sizeof key, "%.*s", (int)n, rest);
		if (json_is_object(v)) {
			next = json_object_get(v, key);
		} else if (json_is_array(v)) {
			char *end;
			long i = strtol(key, &end, 10);
			if (*key && !*end && i >= 0)
				next = json_array_get(v, (size_t)i);
		}
		json_incref(next);
		json_decref(v);
		v = next;
		rest = rest[n] == '.' ? rest + n + 1 : NULL;
	}
	return v;
}

static json_t *town_json(const pal_dossier *d)
{
	json_t *t = json_deep_copy(d->attrs);
	if (t && (json_object_set_new(t, "id", json_string(d->town_id)) ||
	          json_object_set_new(t, "name", json_string(d->town_name)))) {
		json_decref(t);
		return NULL;
	}
	return t;
}

static json_t *crit_json(const struct rule_ctx *x, size_t i)
{
	const pal_crit_result *cr = &x->crit[i];
	return json_pack("{s:o,s:o,s:o,s:b}", "fraction", num_json(cr->fraction), "points",
	                 num_json(cr->points), "max", num_json(cr->max), "applicable", cr->applicable);
}

static json_t *cat_json(const pal_cat_result *k)
{
	double pct = k->max > 0 ? 100 * k->points / k->max : 0;
	return json_pack("{s:o,s:o,s:o}", "points", num_json(k->points), "max", num_json(k->max),
	                 "percent", num_json(pct));
}

static json_t *section(const struct rule_ctx *x, const char *head)
{
	const pal_rubric *r = x->c->rubric;
	const pal_dossier *d = x->d;
	json_t *o;
	if (strcmp(head, "town") == 0)
		return built(x, town_json(d));
	if (strcmp(head, "answers") == 0) {
		o = built(x, json_object());
		for (size_t i = 0; o && i < r->ncriteria; i++) {
			pal_answer a = pal_dossier_answer(d, i);
			put(x, o, r->criteria[i].id, pal_answer_to_json(&r->criteria[i], &a));
		}
		return o;
	}
	if (x->stage == STAGE_APPLIES)
		return NULL;
	if (strcmp(head, "criteria") == 0) {
		o = built(x, json_object());
		for (size_t i = 0; o && i < r->ncriteria; i++)
			put(x, o, r->criteria[i].id, crit_json(x, i));
		return o;
	}
	if (strcmp(head, "categories") == 0) {
		o = built(x, json_object());
		for (size_t i = 0; o && i < r->ncategories; i++)
			put(x, o, r->categories[i].id, cat_json(&x->cat[i]));
		return o;
	}
	if (strcmp(head, "total") == 0) {
		pal_cat_result t = {d->points, d->max};
		return built(x, cat_json(&t));
	}
	if (strcmp(head, "level") == 0)
		return x->stage == STAGE_MENTION ? built(x, json_integer(d->level)) : NULL;
	if (strcmp(head, "history") == 0) {
		o = built(x, json_object());
		json_t *lv = x->c->prev_levels ? json_object_get(x->c->prev_levels, d->town_id) : NULL;
		if (o && lv) {
			char ed[32];
			snprintf(ed, sizeof ed, "%ld", x->c->prev_edition);
			put(x, o, ed, json_incref(lv));
		}
		return o;
	}
	return NULL;
}

/* Resolves a var path without building the whole data for the common cases. */
static json_t *resolve(void *ctx, const char *path)
{
	const struct rule_ctx *x = ctx;
	const pal_rubric *r = x->c->rubric;
	const pal_dossier *d = x->d;
	char head[32], id[256];
	size_t n = strcspn(path, ".");
	if (!*path) {
		static const char *const heads[] = {"town", "answers", "criteria", "categories", "total",
		                                    "level", "history", NULL};
		json_t *all = built(x, json_object());
		for (const char *const *h = heads; all && *h; h++) {
			json_t *s = section(x, *h);
			if (s)
				put(x, all, *h, s);
		}
		return all;
	}
	if (n >= sizeof head)
		return NULL;
	snprintf(head, sizeof head, "%.*s", (int)n, path);
	if (path[n] != '.')
		return section(x, head);
	const char *rest = path + n + 1;
	size_t m = strcspn(rest, ".");
	const char *rest2 = rest[m] == '.' ? rest + m + 1 : NULL;
	if (m >= sizeof id)
		return NULL;
	snprintf(id, sizeof id, "%.*s", (int)m, rest);
	if (strcmp(head, "town") == 0) {
		if (strcmp(id, "id") == 0)
			return walk(built(x, json_string(d->town_id)), rest2);
		if (strcmp(id, "name") == 0)
			return walk(built(x, json_string(d->town_name)), rest2);
		return walk(json_incref(json_object_get(d->attrs, id)), rest2);
	}
	if (strcmp(head, "answers") == 0) {
		long i = pal_rubric_find_criterion(r, id);
		if (i < 0)
			return NULL;
		pal_answer a = pal_dossier_answer(d, (size_t)i);
		return walk(built(x, pal_answer_to_json(&r->criteria[i], &a)), rest2);
	}
	if (x->stage != STAGE_APPLIES && strcmp(head, "criteria") == 0) {
		long i = pal_rubric_find_criterion(r, id);
		return i < 0 ? NULL : walk(built(x, crit_json(x, (size_t)i)), rest2);
	}
	if (x->stage != STAGE_APPLIES && strcmp(head, "categories") == 0) {
		long i = pal_rubric_find_category(r, id);
		return i < 0 ? NULL : walk(built(x, cat_json(&x->cat[i])), rest2);
	}
	return walk(section(x, head), rest);
}

/* Evaluates a rule; on failure the dossier becomes invalid with the rule named. */
/*
 * Where a rule is in the rubric, for its failure message: built only then
 * (formatting it before every evaluation was a measurable part of scoring).
 */
struct rule_at {
	const char *fmt; /* with one or two %zu */
	size_t i, j;
};

static int eval_rule(pal_campaign *c, pal_dossier *d, const pal_crit_result *crit,
                     const pal_cat_result *cat, const json_t *rule, enum stage st,
                     struct rule_at at, pal_diags *diags)
{
	char name[96];
	struct rule_ctx x = {c, d, crit, cat, st, 0};
	pal_rule_env env = {NULL, resolve, &x, 0};
	json_t *res = NULL;
	char err[512];
	if (!rule)
		return 1;
	int rc = pal_rule_eval(rule, &env, &res, err, sizeof err);
	if (x.oom) { /* the rule saw missing values where there were some: its result is void */
		json_decref(res);
		snprintf(err, sizeof err, "out of memory");
		rc = -1;
	}
	if (rc != 0) {
		if (c->quiet)
			return -1;
		snprintf(name, sizeof name, at.fmt, at.i, at.j);
		pal_dossier_msg_info(c, d, diags, PAL_ERROR, d->file, d->line, d->col,
		                     PAL_MSG_INFO("rule-failed", -1, NULL, name),
		                     "town %s \"%s\": rule %s failed: %s", d->town_id, d->town_name, name, err);
		return -1;
	}
	int t = pal_rule_truthy(res);
	json_decref(res);
	return t;
}

/* ---- pass 1: applicability ---- */

/*
 * same[i]: the first criterion whose applicability rule equals criterion i's
 * (json_equal), i itself for the first of its kind. A rule deciding
 * applicability sees only the town and its answers, which deciding it does
 * not change (STAGE_APPLIES in section()): a dossier evaluates each distinct
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
	pal_dossier_msg_info(c, d, diags, PAL_ERROR, d->file, d->line, d->col,
	                     PAL_MSG_INFO("na-refused", (long)(cr - c->rubric->criteria), NULL, NULL),
	                     "town %s \"%s\", criterion \"%s\": expected %s, found \"not applicable\": "
	                     "this criterion applies to this town and does not accept \"not applicable\"",
	                     d->town_id, d->town_name, cr->id, pal_answer_expected(cr));
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
		struct rule_at at = {"categories[%zu].criteria[%zu].applies", cr->category,
		                     i - r->categories[cr->category].first};
		if (eval_rule(c, d, NULL, NULL, cr->applies, STAGE_APPLIES, at, diags) == 1) {
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
	d->jury = pal_arena_alloc(&c->arena, (r->njury + 1) * sizeof(*d->jury));
	d->cat = pal_arena_alloc(&c->arena, (r->ncategories + 1) * sizeof(*d->cat));
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
			struct rule_at at = {"categories[%zu].criteria[%zu].applies", cr->category,
			                     i - r->categories[cr->category].first};
			ap = same[i] != i ? applies[same[i]]
			                  : eval_rule(c, d, NULL, NULL, cr->applies, STAGE_APPLIES, at, diags);
			if (ap < 0)
				return 0;
			applies[i] = (signed char)ap;
			if (!ap && type != PAL_ANS_NONE && type != PAL_ANS_NA) {
				d->meta[i] |= PAL_META_IGNORED;
				pal_dossier_msg_info(c, d, diags, PAL_WARNING, d->file, d->line, d->col,
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

struct juror_tab {
	const char **ids;  /* sorted */
	size_t n;
	size_t *pos;       /* interned juror id -> index in ids */
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Index of a mark's juror among the sorted ids. */
static size_t juror_pos(const struct juror_tab *t, const pal_mark *m)
{
	return t->pos[m->juror_id];
}

static size_t juror_index(const struct juror_tab *t, const char *id)
{
	const char **p = bsearch(&id, t->ids, t->n, sizeof(char *), str_cmp);
	return p ? (size_t)(p - t->ids) : 0;
}

struct jury_results {
	struct juror_tab jurors;
	pal_zjuror *stats;
	pal_zcal cal;
	pal_alpha *alpha;      /* per jury criterion */
	size_t *alpha_marks;
};

void pal_jury_results_free(void *p)
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
			pal_dossier_msg_info(c, d, diags, PAL_WARNING, pal_mark_file(c, m), (long)m->line, 0,
			                     PAL_MSG_INFO("mark-ignored", (long)i, NULL, m->juror),
			                     "juror %s, town %s: mark on \"%s\" ignored: the criterion does not "
			                     "apply to this town", m->juror, d->town_id, cr->id);
		d->marks[cr->jury_index] = NULL;
	}
}

static double to_fraction(const pal_criterion *cr, double mark)
{
	return (mark - cr->scale_min) / (cr->scale_max - cr->scale_min);
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
				it->juror[at] = (uint32_t)juror_pos(jurors, m);
				it->f[at] = to_fraction(cr, m->mark);
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

static int jury_calibrate(pal_campaign *c, struct jury_results *j)
{
	const pal_rubric *r = c->rubric;
	/* Jurors with at least one mark that counts, sorted by id. */
	size_t nint = pal_campaign_njurors(c), u = 0;
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
			ids[u++] = pal_campaign_juror_name(c, (uint32_t)i);
	qsort(ids, u, sizeof(*ids), str_cmp);
	for (size_t i = 0; i < nint; i++)
		if (counted[i])
			j->jurors.pos[i] = juror_index(&(struct juror_tab){ids, u, NULL},
			                               pal_campaign_juror_name(c, (uint32_t)i));
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
	int st = pal_zcal_compute_from(&j->cal, j->stats, u, (size_t)r->calibrate_min, &src);
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
static int jury_aggregate(pal_campaign *c, const struct jury_results *j, pal_dossier *d, size_t i,
                          double *raw, double *cal)
{
	const pal_rubric *r = c->rubric;
	const pal_criterion *cr = &r->criteria[i];
	pal_jury_result *res = &d->jury[cr->jury_index];
	size_t n = 0;
	double lo = 0, hi = 0;
	for (const pal_mark *m = d->marks[cr->jury_index]; m; m = m->next) {
		raw[n] = m->mark;
		double f = to_fraction(cr, m->mark);
		size_t ji = juror_pos(&j->jurors, m);
		cal[n] = r->calibrate_z && j->stats[ji].calibrated ? pal_zcal_apply(&j->cal, ji, f) : f;
		lo = n == 0 || m->mark < lo ? m->mark : lo;
		hi = n == 0 || m->mark > hi ? m->mark : hi;
		n++;
	}
	res->nmarks = (uint32_t)n;
	if (n == 0)
		return 0;
	res->has_aggregate = 1;
	res->aggregate_raw = pal_aggregate_compute(r->aggregate, raw, n);
	double fr = pal_aggregate_compute(r->aggregate, cal, n);
	res->fraction = fr;
	res->disagreement = (uint8_t)(r->disagreement >= 0 && hi - lo > r->disagreement);
	return 0;
}

static int jury_alpha(pal_campaign *c, struct jury_results *j)
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
		if (pal_alpha_compute(&j->alpha[cr->jury_index], PAL_ALPHA_INTERVAL, units, nu) ==
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

/* ---- pass 3: scores ---- */

/* What the answer earns, by its kind's row of pal_kinds[] (kinds.c): n/a and no answer earn 0. */
static double crit_fraction(const pal_criterion *cr, const pal_answer *a)
{
	const pal_kind_info *k = &pal_kinds[cr->kind];
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
		/* as jury_aggregate() would have stored it: the same expression, the same bits */
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
		pal_dossier_msg_info(c, d, diags, PAL_WARNING, d->file, d->line, d->col,
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
	d->percent_r = pal_round2(d->percent);
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

void pal_dossier_results(const pal_campaign *c, const pal_dossier *d, const double *points,
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
		struct rule_at at = {"levels[%zu].requires", k, 0};
		int ok = eval_rule(c, d, crit, cat, r->levels[k].requires, STAGE_REQUIRES, at, diags);
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
		struct rule_at at = {"levels[%zu].requires", (size_t)k - 1, 0};
		int ok = eval_rule(c, d, crit, cat, r->levels[k - 1].requires, STAGE_REQUIRES, at,
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
		struct rule_at at = {"mentions[%zu].when", k, 0};
		int ok = eval_rule(c, d, crit, cat, r->mentions[k].when, STAGE_MENTION, at, diags);
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

static int apply_overrides(pal_campaign *c, const char *path, pal_diags *diags)
{
	pal_override *ov;
	size_t n;
	int rc = pal_overrides_load(c, path, &ov, &n, diags);
	if (rc == PAL_IOERR)
		return rc;
	for (size_t k = 0; k < n; k++) {
		pal_dossier *d = pal_campaign_find(c, ov[k].town_id);
		if (d)
			d->override_count++;
	}
	for (size_t k = 0; k < n; k++) {
		pal_dossier *d = pal_campaign_find(c, ov[k].town_id);
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
			pal_dossier_msg_info(c, d, diags, PAL_WARNING, ov[k].file, ov[k].line, 0,
			                     PAL_MSG_INFO("override-ignored", -1, NULL, NULL),
			                     "override for town %s ignored: the dossier is %s", d->town_id,
			                     d->status == PAL_STATUS_PENDING ? "pending" : "invalid");
			continue;
		}
		d->has_override = 1;
		d->level = ov[k].level;
		d->override_reason = ov[k].reason;
	}
	free(ov);
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

int pal_campaign_score(pal_campaign *c, const char *overrides_path, pal_diags *diags)
{
	const pal_rubric *r = c->rubric;
	int rc = PAL_OK;
	size_t maxm = 1;
	struct jury_results *j = calloc(1, sizeof(*j));
	if (!j)
		goto oom;
	pal_jury_results_free(c->jury);
	c->jury = j;
	if (!c->points && !(c->points = pal_arena_alloc(&c->arena, (r->ncriteria + 1) * sizeof(double))))
		goto oom;
	for (size_t i = 0; i < r->ncriteria; i++)
		c->points[i] = r->criteria[i].points;
	if (!c->view_crit &&
	    !(c->view_crit = pal_arena_alloc(&c->arena, (r->ncriteria + 1) * sizeof(*c->view_crit))))
		goto oom;
	if (!c->view_cat &&
	    !(c->view_cat = pal_arena_alloc(&c->arena, (r->ncategories + 1) * sizeof(*c->view_cat))))
		goto oom;
	size_t *same = same_applies(r);
	signed char *applies = malloc(r->ncriteria + 1);
	if (!same || !applies) {
		free(same);
		free(applies);
		goto oom;
	}
	/* The lists change below: the index of long ones is stale, and no longer needed. */
	pal_mark_index_free(&c->mark_index);
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
	if (jury_calibrate(c, j))
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
				jury_aggregate(c, j, d, i, raw, cal);
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
	if (jury_alpha(c, j))
		goto oom;
	if (overrides_path)
		rc = apply_overrides(c, overrides_path, diags);
	for (size_t k = 0; k < c->ndossiers; k++) {
		pal_dossier *d = c->dossiers[k];
		if (d->status != PAL_STATUS_SCORED)
			continue;
		pal_dossier_results(c, d, c->points, crit, cat);
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

const struct jury_results *pal_campaign_jury(const pal_campaign *c)
{
	return c->jury;
}

size_t pal_jury_count_jurors(const struct jury_results *j) { return j ? j->jurors.n : 0; }
const char *pal_jury_juror_id(const struct jury_results *j, size_t i) { return j->jurors.ids[i]; }
const pal_zjuror *pal_jury_juror_stats(const struct jury_results *j, size_t i) { return &j->stats[i]; }
const pal_alpha *pal_jury_alpha(const struct jury_results *j, size_t q) { return &j->alpha[q]; }

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

int pal_score_level_with_points(pal_campaign *c, pal_dossier *d, const double *points)
{
	if (d->status != PAL_STATUS_SCORED)
		return -1;
	crit_views(c->rubric, d, c->view_crit);
	return what_if_level(c, d, points);
}

/*
 * What-if scoring with one jury mark changed, for the borderline list
 * (jury_sens.c). Added after pal_score_level_with_points(), same contract:
 * the dossier and the campaign are left as they were.
 */
int pal_score_level_with_mark(pal_campaign *c, pal_dossier *d, size_t i, const pal_mark *mark,
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
		double f = to_fraction(cr, mk == mark ? value : mk->mark);
		size_t ji = juror_pos(&j->jurors, mk);
		cal[k++] = r->calibrate_z && j->stats[ji].calibrated ? pal_zcal_apply(&j->cal, ji, f) : f;
	}
	crit_views(r, d, crit);
	crit[i].fraction = k && !crit[i].evidence_missing ? pal_aggregate_compute(r->aggregate, cal, k)
	                                                  : 0;
	free(cal);
	return what_if_level(c, d, c->points);
}
