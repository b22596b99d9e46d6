/*
 * Results writers (SPEC §6): JSON (streamed town by town through jsonw.c),
 * CSV (one row per town) and a readable text table. They only read the
 * scored campaign. When the JSON format changes, update SPEC-facing docs
 * (docs/results.md), the reports' loader (reports/) and the reference
 * scorer's comparison (tests/reference/compare.py).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "csvwrite.h"
#include "jsonw.h"
#include "palmares/version.h"
#include "model.h"
#include "num.h"
#include "score.h"
#include "text.h"

static const char *status_name(pal_status s)
{
	return s == PAL_STATUS_SCORED ? "scored" : s == PAL_STATUS_PENDING ? "pending" : "invalid";
}

static void write_text(pal_jw *w, const pal_rubric *r, const json_t *t)
{
	if (!t)
		pal_jw_null(w);
	else
		pal_jw_json(w, t);
	(void)r;
}

static void write_rubric(pal_jw *w, const pal_rubric *r)
{
	pal_jw_key(w, "rubric");
	pal_jw_obj(w);
	pal_jw_key(w, "id");
	pal_jw_str(w, r->id);
	pal_jw_key(w, "edition");
	pal_jw_int(w, r->edition);
	pal_jw_key(w, "sha256");
	pal_jw_str(w, r->sha256);
	pal_jw_key(w, "language");
	pal_jw_str(w, r->language);
	pal_jw_key(w, "label");
	write_text(w, r, r->label);
	pal_jw_key(w, "levels");
	pal_jw_arr(w);
	for (size_t k = 0; k < r->nlevels; k++)
		pal_jw_str(w, r->levels[k].name);
	pal_jw_end_arr(w);
	pal_jw_key(w, "min_percents");
	pal_jw_arr(w);
	for (size_t k = 0; k < r->nlevels; k++)
		pal_jw_num(w, r->levels[k].min_percent);
	pal_jw_end_arr(w);
	pal_jw_key(w, "mentions");
	pal_jw_obj(w);
	for (size_t k = 0; k < r->nmentions; k++) {
		pal_jw_key(w, r->mentions[k].id);
		write_text(w, r, r->mentions[k].name);
	}
	pal_jw_end_obj(w);
	pal_jw_key(w, "categories");
	pal_jw_arr(w);
	for (size_t k = 0; k < r->ncategories; k++) {
		pal_jw_obj(w);
		pal_jw_key(w, "id");
		pal_jw_str(w, r->categories[k].id);
		pal_jw_key(w, "title");
		write_text(w, r, r->categories[k].title);
		pal_jw_end_obj(w);
	}
	pal_jw_end_arr(w);
	pal_jw_key(w, "criteria");
	pal_jw_obj(w);
	for (size_t i = 0; i < r->ncriteria; i++) {
		pal_jw_key(w, r->criteria[i].id);
		write_text(w, r, r->criteria[i].title);
	}
	pal_jw_end_obj(w);
	pal_jw_end_obj(w);
}

static void write_summary(pal_jw *w, const pal_campaign *c)
{
	const pal_rubric *r = c->rubric;
	size_t st[3] = {0, 0, 0};
	size_t lv[65] = {0}; /* at most 64 levels (rubric.c): no allocation that could fail here */
	size_t mc[64] = {0};
	for (size_t k = 0; k < c->ndossiers; k++) {
		const pal_dossier *d = c->dossiers[k];
		st[d->status]++;
		if (d->status != PAL_STATUS_SCORED)
			continue;
		lv[d->level]++;
		for (size_t m = 0; m < r->nmentions; m++)
			mc[m] += (d->mentions >> m) & 1;
	}
	pal_jw_key(w, "summary");
	pal_jw_obj(w);
	pal_jw_key(w, "dossiers");
	pal_jw_int(w, (long long)c->ndossiers);
	pal_jw_key(w, "scored");
	pal_jw_int(w, (long long)st[PAL_STATUS_SCORED]);
	pal_jw_key(w, "pending");
	pal_jw_int(w, (long long)st[PAL_STATUS_PENDING]);
	pal_jw_key(w, "invalid");
	pal_jw_int(w, (long long)st[PAL_STATUS_INVALID]);
	pal_jw_key(w, "levels");
	pal_jw_obj(w);
	for (size_t k = 0; k <= r->nlevels; k++) {
		char key[24];
		snprintf(key, sizeof key, "%zu", k);
		pal_jw_key(w, key);
		pal_jw_int(w, (long long)lv[k]);
	}
	pal_jw_end_obj(w);
	pal_jw_key(w, "mentions");
	pal_jw_obj(w);
	for (size_t m = 0; m < r->nmentions; m++) {
		pal_jw_key(w, r->mentions[m].id);
		pal_jw_int(w, (long long)mc[m]);
	}
	pal_jw_end_obj(w);
	pal_jw_end_obj(w);
}

static void write_jury(pal_jw *w, const pal_campaign *c)
{
	const pal_rubric *r = c->rubric;
	const struct jury_results *j = pal_campaign_jury(c);
	pal_jw_key(w, "jury");
	pal_jw_obj(w);
	pal_jw_key(w, "aggregate");
	pal_jw_str(w, pal_aggregate_name(r->aggregate));
	pal_jw_key(w, "calibrate");
	pal_jw_str(w, r->calibrate_z ? "z" : "none");
	pal_jw_key(w, "criteria");
	pal_jw_arr(w);
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		if (cr->kind != PAL_KIND_JURY)
			continue;
		const pal_alpha *a = j ? pal_jury_alpha(j, cr->jury_index) : NULL;
		pal_jw_obj(w);
		pal_jw_key(w, "id");
		pal_jw_str(w, cr->id);
		pal_jw_key(w, "alpha");
		if (a && a->defined)
			pal_jw_num(w, a->alpha);
		else
			pal_jw_null(w);
		pal_jw_key(w, "dossiers");
		pal_jw_int(w, a ? (long long)a->units : 0);
		pal_jw_key(w, "marks");
		pal_jw_int(w, a ? (long long)a->values : 0);
		pal_jw_end_obj(w);
	}
	pal_jw_end_arr(w);
	pal_jw_key(w, "jurors");
	pal_jw_arr(w);
	for (size_t k = 0; k < pal_jury_count_jurors(j); k++) {
		const pal_zjuror *z = pal_jury_juror_stats(j, k);
		pal_jw_obj(w);
		pal_jw_key(w, "id");
		pal_jw_str(w, pal_jury_juror_id(j, k));
		pal_jw_key(w, "marks");
		pal_jw_int(w, (long long)z->count);
		pal_jw_key(w, "mean");
		pal_jw_num(w, z->mean);
		pal_jw_key(w, "sd");
		pal_jw_num(w, z->sd);
		pal_jw_key(w, "calibrated");
		pal_jw_bool(w, z->calibrated);
		pal_jw_end_obj(w);
	}
	pal_jw_end_arr(w);
	pal_jw_end_obj(w);
}

static void write_msgs(pal_jw *w, const pal_dossier *d, pal_severity sev)
{
	pal_jw_arr(w);
	for (const pal_msg *m = d->msgs; m; m = m->next)
		if (m->severity == sev)
			pal_jw_str(w, m->text);
	pal_jw_end_arr(w);
}

/*
 * The structured form of the town's messages (docs/results.md, "messages"),
 * which the feedback report words in its language. When a code is added or
 * changes meaning, update docs/results.md, the report (reports/report.c,
 * coded()) and po/fr.po.
 */
static void write_messages(pal_jw *w, const pal_rubric *r, const pal_dossier *d)
{
	pal_jw_arr(w);
	for (const pal_msg *m = d->msgs; m; m = m->next) {
		const pal_criterion *cr = m->info.crit >= 0 && (size_t)m->info.crit < r->ncriteria
		                          ? &r->criteria[m->info.crit] : NULL;
		pal_jw_obj(w);
		pal_jw_key(w, "severity");
		pal_jw_str(w, m->severity == PAL_ERROR ? "error" : m->severity == PAL_WARNING ? "warning" : "note");
		pal_jw_key(w, "code");
		pal_jw_str(w, m->info.code);
		if (cr) {
			pal_jw_key(w, "criterion");
			pal_jw_str(w, cr->id);
			pal_jw_key(w, "kind");
			pal_jw_str(w, pal_kinds[cr->kind].name);
			if (pal_kinds[cr->kind].fields & PAL_FIELD_OPTIONS) {
				pal_jw_key(w, "options");
				pal_jw_arr(w);
				for (size_t k = 0; k < cr->noptions; k++)
					pal_jw_str(w, cr->options[k].id);
				pal_jw_end_arr(w);
			}
		}
		if (m->info.value) {
			pal_jw_key(w, "value");
			pal_jw_str(w, m->info.value);
		}
		if (m->info.extra) {
			pal_jw_key(w, "extra");
			pal_jw_str(w, m->info.extra);
		}
		pal_jw_key(w, "text");
		pal_jw_str(w, m->body);
		pal_jw_end_obj(w);
	}
	pal_jw_end_arr(w);
}

/* The answer as typed, written directly (pal_answer_to_json's twin for output). */
static void write_answer(pal_jw *w, const pal_criterion *cr, const pal_answer *a)
{
	switch (a->type) {
	case PAL_ANS_NA: pal_jw_str(w, "n/a"); break;
	case PAL_ANS_BOOL: pal_jw_bool(w, a->v.b); break;
	case PAL_ANS_NUMBER: pal_jw_full(w, a->v.num); break;
	case PAL_ANS_CHOICE: pal_jw_str(w, cr->options[a->v.choice].id); break;
	case PAL_ANS_MULTI:
		pal_jw_arr(w);
		for (size_t i = 0; i < a->nchoices; i++)
			pal_jw_str(w, cr->options[a->v.choices[i]].id);
		pal_jw_end_arr(w);
		break;
	case PAL_ANS_TEXT: pal_jw_str(w, a->v.text); break;
	default: pal_jw_null(w); break;
	}
}

static void write_criterion(pal_jw *w, const pal_campaign *c, const pal_dossier *d, size_t i,
                            const pal_crit_result *res)
{
	const pal_rubric *r = c->rubric;
	const pal_criterion *cr = &r->criteria[i];
	const pal_answer av = pal_dossier_answer(d, i), *a = &av;
	pal_jw_obj(w);
	pal_jw_key(w, "id");
	pal_jw_str(w, cr->id);
	pal_jw_key(w, "category");
	pal_jw_str(w, r->categories[cr->category].id);
	pal_jw_key(w, "applicable");
	pal_jw_bool(w, res->applicable);
	if (cr->kind != PAL_KIND_JURY) {
		pal_jw_key(w, "answer");
		write_answer(w, cr, a);
	} else {
		pal_jw_key(w, "marks");
		pal_jw_arr(w);
		for (const pal_mark *m = d->marks[cr->jury_index]; m; m = m->next) {
			pal_jw_obj(w);
			pal_jw_key(w, "juror");
			pal_jw_str(w, m->juror);
			pal_jw_key(w, "mark");
			pal_jw_full(w, m->mark);
			pal_jw_key(w, "comment");
			pal_jw_str(w, m->comment);
			pal_jw_end_obj(w);
		}
		pal_jw_end_arr(w);
		pal_jw_key(w, "aggregate");
		if (res->has_aggregate)
			pal_jw_num(w, res->aggregate);
		else
			pal_jw_null(w);
		pal_jw_key(w, "aggregate_raw");
		if (res->has_aggregate)
			pal_jw_num(w, res->aggregate_raw);
		else
			pal_jw_null(w);
		pal_jw_key(w, "disagreement");
		pal_jw_bool(w, res->disagreement);
	}
	if (a->has_evidence) {
		pal_jw_key(w, "evidence");
		pal_jw_str(w, pal_dossier_evidence(d, i));
	}
	if (cr->kind == PAL_KIND_INFO) {
		pal_jw_key(w, "fraction");
		pal_jw_null(w);
		pal_jw_key(w, "points");
		pal_jw_null(w);
		pal_jw_key(w, "max");
		pal_jw_null(w);
	} else {
		pal_jw_key(w, "fraction");
		pal_jw_num(w, res->fraction);
		pal_jw_key(w, "points");
		pal_jw_num(w, res->points);
		pal_jw_key(w, "max");
		pal_jw_num(w, res->max);
	}
	pal_jw_key(w, "notes");
	pal_jw_arr(w);
	if (a->type == PAL_ANS_NA)
		pal_jw_str(w, "answered not applicable");
	else if (!res->applicable && cr->applies)
		pal_jw_str(w, a->ignored ? "does not apply to this town: answer ignored"
		                         : "does not apply to this town");
	else if (cr->kind == PAL_KIND_JURY && res->applicable && (int)res->nmarks < r->min_marks)
		pal_jw_str(w, "waiting for jury marks");
	else if (a->type == PAL_ANS_NONE && cr->kind != PAL_KIND_JURY && cr->kind != PAL_KIND_INFO)
		pal_jw_str(w, "unanswered: scored 0");
	if (res->evidence_missing)
		pal_jw_str(w, "required evidence missing: scored 0");
	if (res->disagreement)
		pal_jw_str(w, "jurors disagree: to deliberate");
	pal_jw_end_arr(w);
	pal_jw_end_obj(w);
}

static void write_next(pal_jw *w, const pal_rubric *r, const pal_dossier *d)
{
	pal_jw_key(w, "next_level");
	if (d->status != PAL_STATUS_SCORED || !d->next_level) {
		pal_jw_null(w);
		return;
	}
	const pal_level *l = &r->levels[d->next_level - 1];
	pal_jw_obj(w);
	pal_jw_key(w, "level");
	pal_jw_int(w, d->next_level);
	pal_jw_key(w, "name");
	pal_jw_str(w, l->name);
	pal_jw_key(w, "min_percent");
	pal_jw_num(w, l->min_percent);
	pal_jw_key(w, "points_missing");
	pal_jw_num(w, d->points_missing);
	pal_jw_key(w, "unmet_requires");
	pal_jw_arr(w);
	for (int k = 1; k <= d->next_level; k++)
		if ((d->unmet >> (k - 1)) & 1)
			pal_jw_int(w, k);
	pal_jw_end_arr(w);
	pal_jw_end_obj(w);
}

static void write_level(pal_jw *w, const pal_rubric *r, const char *key, int level, int known)
{
	pal_jw_key(w, key);
	if (known)
		pal_jw_int(w, level);
	else
		pal_jw_null(w);
}

/* crit and cat: scratch arrays for the dossier's results (pal_dossier_results()). */
static void write_town(pal_jw *w, const pal_campaign *c, const pal_dossier *d,
                       pal_crit_result *crit, pal_cat_result *cat)
{
	const pal_rubric *r = c->rubric;
	int scored = d->status == PAL_STATUS_SCORED, invalid = d->status == PAL_STATUS_INVALID;
	pal_jw_obj(w);
	pal_jw_key(w, "id");
	pal_jw_str(w, d->town_id);
	pal_jw_key(w, "name");
	pal_jw_str(w, d->town_name);
	pal_jw_key(w, "attributes");
	pal_jw_json(w, d->attrs);
	pal_jw_key(w, "source");
	pal_jw_obj(w);
	pal_jw_key(w, "file");
	pal_jw_str(w, d->file);
	pal_jw_key(w, "line");
	pal_jw_int(w, d->line);
	pal_jw_end_obj(w);
	pal_jw_key(w, "status");
	pal_jw_str(w, status_name(d->status));
	pal_jw_key(w, "score");
	if (invalid) {
		pal_jw_null(w);
	} else {
		pal_jw_obj(w);
		pal_jw_key(w, "points");
		pal_jw_num(w, d->points);
		pal_jw_key(w, "max");
		pal_jw_num(w, d->max);
		pal_jw_key(w, "percent");
		pal_jw_num(w, d->percent);
		pal_jw_end_obj(w);
	}
	write_level(w, r, "computed_level", d->computed_level, scored);
	write_level(w, r, "level", d->level, scored);
	pal_jw_key(w, "level_name");
	pal_jw_str(w, scored && d->level > 0 ? r->levels[d->level - 1].name : NULL);
	pal_jw_key(w, "override");
	if (scored && d->has_override) {
		pal_jw_obj(w);
		pal_jw_key(w, "level");
		pal_jw_int(w, d->level);
		pal_jw_key(w, "reason");
		pal_jw_str(w, d->override_reason);
		pal_jw_end_obj(w);
	} else {
		pal_jw_null(w);
	}
	write_level(w, r, "previous_level", d->previous_level, d->previous_level >= 0);
	pal_jw_key(w, "mentions");
	pal_jw_arr(w);
	for (size_t m = 0; scored && m < r->nmentions; m++)
		if ((d->mentions >> m) & 1)
			pal_jw_str(w, r->mentions[m].id);
	pal_jw_end_arr(w);
	pal_jw_key(w, "rank");
	if (scored)
		pal_jw_int(w, d->rank);
	else
		pal_jw_null(w);
	pal_jw_key(w, "categories");
	if (invalid) {
		pal_jw_null(w);
	} else {
		pal_jw_arr(w);
		for (size_t k = 0; k < r->ncategories; k++) {
			const pal_cat_result *cr = &d->cat[k];
			pal_jw_obj(w);
			pal_jw_key(w, "id");
			pal_jw_str(w, r->categories[k].id);
			pal_jw_key(w, "points");
			pal_jw_num(w, cr->points);
			pal_jw_key(w, "max");
			pal_jw_num(w, cr->max);
			pal_jw_key(w, "percent");
			pal_jw_num(w, cr->max > 0 ? 100 * cr->points / cr->max : 0);
			pal_jw_end_obj(w);
		}
		pal_jw_end_arr(w);
	}
	pal_jw_key(w, "criteria");
	if (invalid) {
		pal_jw_null(w);
	} else {
		pal_dossier_results(c, d, NULL, crit, cat);
		pal_jw_arr(w);
		for (size_t i = 0; i < r->ncriteria; i++)
			write_criterion(w, c, d, i, &crit[i]);
		pal_jw_end_arr(w);
	}
	write_next(w, r, d);
	pal_jw_key(w, "errors");
	write_msgs(w, d, PAL_ERROR);
	pal_jw_key(w, "warnings");
	write_msgs(w, d, PAL_WARNING);
	pal_jw_key(w, "messages");
	write_messages(w, r, d);
	pal_jw_end_obj(w);
}

static int write_json(const pal_campaign *c, FILE *out)
{
	pal_jw w;
	pal_jw_init(&w, out, 1);
	pal_jw_obj(&w);
	pal_jw_key(&w, "format");
	pal_jw_str(&w, "palmares-results/1");
	pal_jw_key(&w, "generator");
	pal_jw_str(&w, "palmares " PAL_VERSION);
	write_rubric(&w, c->rubric);
	write_summary(&w, c);
	if (c->rubric->njury)
		write_jury(&w, c);
	pal_jw_key(&w, "towns");
	pal_jw_arr(&w);
	for (size_t k = 0; k < c->ndossiers; k++) {
		if (c->progress && k % 256 == 0)
			c->progress(c->progress_ctx, "writing", k, c->ndossiers);
		write_town(&w, c, c->dossiers[k], c->view_crit, c->view_cat);
	}
	pal_jw_end_arr(&w);
	pal_jw_end_obj(&w);
	return ferror(out) ? -1 : 0;
}

/* ---- CSV ---- */

static int write_csv(const pal_campaign *c, pal_csv_dialect dialect, FILE *out)
{
	static const char *const head[] = {"town_id", "town_name", "status", "points", "max", "percent",
	                                   "level", "level_name", "mentions", "rank"};
	const pal_rubric *r = c->rubric;
	pal_csvw w;
	pal_csvw_init(&w, out, dialect);
	pal_csvw_fields(&w, head, sizeof head / sizeof head[0]);
	for (size_t k = 0; k < r->ncategories; k++) {
		pal_csvw_sep(&w);
		pal_csvw_field(&w, r->categories[k].id);
	}
	pal_csvw_end(&w);
	for (size_t n = 0; n < c->ndossiers; n++) {
		const pal_dossier *d = c->dossiers[n];
		if (c->progress && n % 256 == 0)
			c->progress(c->progress_ctx, "writing", n, c->ndossiers);
		int scored = d->status == PAL_STATUS_SCORED, invalid = d->status == PAL_STATUS_INVALID;
		pal_csvw_field(&w, d->town_id);
		pal_csvw_sep(&w);
		pal_csvw_field(&w, d->town_name);
		pal_csvw_sep(&w);
		pal_csvw_field(&w, status_name(d->status));
		pal_csvw_sep(&w);
		if (!invalid) { /* else points, max, percent: empty */
			pal_csvw_num(&w, d->points);
			pal_csvw_sep(&w);
			pal_csvw_num(&w, d->max);
			pal_csvw_sep(&w);
			pal_csvw_num(&w, d->percent);
		} else {
			pal_csvw_sep(&w);
			pal_csvw_sep(&w);
		}
		pal_csvw_sep(&w);
		if (scored) {
			fprintf(out, "%d", d->level);
			pal_csvw_sep(&w);
			pal_csvw_field(&w, d->level > 0 ? r->levels[d->level - 1].name : "");
		} else {
			pal_csvw_sep(&w);
		}
		pal_csvw_sep(&w);
		int first = 1;
		char ms[4096];
		size_t off = 0;
		ms[0] = '\0';
		for (size_t m = 0; scored && m < r->nmentions; m++)
			if ((d->mentions >> m) & 1) {
				int wr = snprintf(ms + off, sizeof ms - off, "%s%s", first ? "" : "|",
				                  r->mentions[m].id);
				if (wr > 0 && (size_t)wr < sizeof ms - off)
					off += (size_t)wr;
				first = 0;
			}
		pal_csvw_field(&w, ms);
		pal_csvw_sep(&w);
		if (scored)
			fprintf(out, "%ld", d->rank);
		for (size_t k = 0; k < r->ncategories; k++) {
			pal_csvw_sep(&w);
			if (!invalid)
				pal_csvw_num(&w, d->cat[k].max > 0 ? 100 * d->cat[k].points / d->cat[k].max : 0);
		}
		pal_csvw_end(&w);
	}
	return ferror(out) ? -1 : 0;
}

/* ---- text ---- */

/*
 * Display width of UTF-8 text: its characters, not its bytes ("é" is one
 * column, two bytes), combining marks (U+0300..U+036F) taking none. Good for
 * Latin scripts, which is what town and level names are.
 */
size_t pal_display_width(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		/* U+0300..U+036F is CC 80 .. CD AF */
		if ((*p == 0xCC && (p[1] & 0xC0) == 0x80) || (*p == 0xCD && p[1] >= 0x80 && p[1] <= 0xAF))
			continue;
		n++;
	}
	return n;
}

/* Prints s cut (on a character boundary) or padded to w columns. */
void pal_print_cell(FILE *out, const char *s, size_t w)
{
	size_t n = 0;
	const char *p = s;
	while (*p && n < w) {
		const char *q = p + 1;
		char one[5] = {0};
		while ((*q & 0xC0) == 0x80)
			q++;
		if (n == w - 1 && pal_display_width(p) > 1) {
			fputs("…", out);
			n++;
			break;
		}
		fwrite(p, 1, (size_t)(q - p), out);
		memcpy(one, p, (size_t)(q - p) < 4 ? (size_t)(q - p) : 4);
		n += pal_display_width(one); /* 0 for a combining mark */
		p = q;
	}
	for (; n < w; n++)
		fputc(' ', out);
}

/* Order of the text table: scored by rank, then pending, then invalid; ties by name. */
struct text_row {
	const pal_dossier *d;
	char *key; /* the folded name: "Éclaircie" sorts with "Eclaircie" */
	size_t input;
};

static int row_class(const pal_dossier *d)
{
	return d->status == PAL_STATUS_SCORED ? 0 : d->status == PAL_STATUS_PENDING ? 1 : 2;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct text_row *a = pa, *b = pb;
	int ca = row_class(a->d), cb = row_class(b->d), k;
	if (ca != cb)
		return ca < cb ? -1 : 1;
	if (ca == 0 && a->d->rank != b->d->rank)
		return a->d->rank < b->d->rank ? -1 : 1;
	if ((k = strcmp(a->key, b->key)) != 0)
		return k;
	return a->input < b->input ? -1 : a->input > b->input;
}

/* The rows in table order: an owned array (free with rows_free), or NULL when out of memory. */
static struct text_row *rows_sorted(const pal_campaign *c)
{
	struct text_row *v = calloc(c->ndossiers + 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t n = 0; n < c->ndossiers; n++) {
		v[n].d = c->dossiers[n];
		v[n].input = n;
		if (!(v[n].key = pal_text_fold(c->dossiers[n]->town_name ? c->dossiers[n]->town_name : ""))) {
			for (size_t k = 0; k < n; k++)
				free(v[k].key);
			free(v);
			return NULL;
		}
	}
	qsort(v, c->ndossiers, sizeof *v, row_cmp);
	return v;
}

static void rows_free(struct text_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].key);
	free(v);
}

/* Width of the level column: its widest possible cell, so that long level names keep the columns. */
static size_t level_width(const pal_rubric *r)
{
	size_t w = pal_display_width("pending");
	for (size_t k = 0; k < r->nlevels; k++)
		if (pal_display_width(r->levels[k].name) > w)
			w = pal_display_width(r->levels[k].name);
	return w;
}

static void text_row(const pal_campaign *c, const pal_dossier *d, size_t lw, FILE *out)
{
	const pal_rubric *r = c->rubric;
	char b1[32], b2[32], b3[32];
	if (d->status == PAL_STATUS_SCORED)
		fprintf(out, "%-5ld ", d->rank);
	else
		fprintf(out, "%-5s ", "-");
	pal_print_cell(out, d->town_id, 10);
	fputc(' ', out);
	pal_print_cell(out, d->town_name, 32);
	fprintf(out, " %-8s ", status_name(d->status));
	if (d->status == PAL_STATUS_INVALID) {
		fprintf(out, "%8s %8s %7s  ", "-", "-", "-");
		pal_print_cell(out, "-", lw);
	} else {
		pal_format_number(d->points, b1, sizeof b1);
		pal_format_number(d->max, b2, sizeof b2);
		pal_format_number(d->percent, b3, sizeof b3);
		fprintf(out, "%8s %8s %7s  ", b1, b2, b3);
		if (d->status == PAL_STATUS_SCORED)
			pal_print_cell(out, d->level > 0 ? r->levels[d->level - 1].name : "—", lw);
		else
			pal_print_cell(out, "pending", lw);
	}
	int first = 1;
	for (size_t m = 0; d->status == PAL_STATUS_SCORED && m < r->nmentions; m++)
		if ((d->mentions >> m) & 1) {
			fprintf(out, "%s%s", first ? " " : ", ", r->mentions[m].id);
			first = 0;
		}
	if (d->has_override && d->status == PAL_STATUS_SCORED)
		fprintf(out, " (override: computed %d)", d->computed_level);
	for (size_t i = 0; d->status != PAL_STATUS_INVALID && i < r->ncriteria; i++)
		if (r->criteria[i].kind == PAL_KIND_JURY && d->jury[r->criteria[i].jury_index].disagreement)
			fprintf(out, " [disagreement: %s]", r->criteria[i].id);
	fputc('\n', out);
}

static int write_text_table(const pal_campaign *c, const char *lang, FILE *out)
{
	const pal_rubric *r = c->rubric;
	size_t st[3] = {0, 0, 0}, lw = level_width(r);
	const char *label = pal_rubric_text(r, r->label, lang);
	struct text_row *rows = rows_sorted(c);
	if (!rows) {
		errno = ENOMEM; /* the caller says why nothing was written */
		return -1;
	}
	fprintf(out, "%s — %ld\n\n", label ? label : r->id, r->edition);
	fprintf(out, "%-5s %-10s ", "rank", "town");
	pal_print_cell(out, "name", 32);
	fprintf(out, " %-8s %8s %8s %7s  ", "status", "points", "max", "%");
	pal_print_cell(out, "level", lw);
	fputs(" mentions\n", out);
	for (size_t n = 0; n < c->ndossiers; n++) {
		st[rows[n].d->status]++;
		text_row(c, rows[n].d, lw, out);
	}
	rows_free(rows, c->ndossiers);
	fprintf(out, "\n%zu dossiers: %zu scored, %zu pending, %zu invalid\n", c->ndossiers,
	        st[PAL_STATUS_SCORED], st[PAL_STATUS_PENDING], st[PAL_STATUS_INVALID]);
	return ferror(out) ? -1 : 0;
}

int pal_results_write(const pal_campaign *c, pal_results_format fmt, const char *lang, FILE *out)
{
	if (!c->scored)
		return -1;
	switch (fmt) {
	case PAL_RESULTS_JSON: return write_json(c, out);
	case PAL_RESULTS_CSV: return write_csv(c, PAL_CSV_PLAIN, out);
	default: return write_text_table(c, lang, out);
	}
}

int pal_results_write_csv(const pal_campaign *c, pal_csv_dialect d, FILE *out)
{
	return c->scored ? write_csv(c, d, out) : -1;
}
