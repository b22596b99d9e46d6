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
		eng_jw_null(w);
	else
		eng_jw_json(w, t);
	(void)r;
}

static void write_rubric(pal_jw *w, const pal_rubric *r)
{
	eng_jw_key(w, "rubric");
	eng_jw_obj(w);
	eng_jw_key(w, "id");
	eng_jw_str(w, r->id);
	eng_jw_key(w, "edition");
	eng_jw_int(w, r->edition);
	eng_jw_key(w, "sha256");
	eng_jw_str(w, r->sha256);
	eng_jw_key(w, "language");
	eng_jw_str(w, r->language);
	eng_jw_key(w, "label");
	write_text(w, r, r->label);
	eng_jw_key(w, "levels");
	eng_jw_arr(w);
	for (size_t k = 0; k < r->nlevels; k++)
		eng_jw_str(w, r->levels[k].name);
	eng_jw_end_arr(w);
	eng_jw_key(w, "min_percents");
	eng_jw_arr(w);
	for (size_t k = 0; k < r->nlevels; k++)
		eng_jw_num(w, r->levels[k].min_percent);
	eng_jw_end_arr(w);
	eng_jw_key(w, "mentions");
	eng_jw_obj(w);
	for (size_t k = 0; k < r->nmentions; k++) {
		eng_jw_key(w, r->mentions[k].id);
		write_text(w, r, r->mentions[k].name);
	}
	eng_jw_end_obj(w);
	eng_jw_key(w, "categories");
	eng_jw_arr(w);
	for (size_t k = 0; k < r->ncategories; k++) {
		eng_jw_obj(w);
		eng_jw_key(w, "id");
		eng_jw_str(w, r->categories[k].id);
		eng_jw_key(w, "title");
		write_text(w, r, r->categories[k].title);
		eng_jw_end_obj(w);
	}
	eng_jw_end_arr(w);
	eng_jw_key(w, "criteria");
	eng_jw_obj(w);
	for (size_t i = 0; i < r->ncriteria; i++) {
		eng_jw_key(w, r->criteria[i].id);
		write_text(w, r, r->criteria[i].title);
	}
	eng_jw_end_obj(w);
	eng_jw_end_obj(w);
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
	eng_jw_key(w, "summary");
	eng_jw_obj(w);
	eng_jw_key(w, "dossiers");
	eng_jw_int(w, (long long)c->ndossiers);
	eng_jw_key(w, "scored");
	eng_jw_int(w, (long long)st[PAL_STATUS_SCORED]);
	eng_jw_key(w, "pending");
	eng_jw_int(w, (long long)st[PAL_STATUS_PENDING]);
	eng_jw_key(w, "invalid");
	eng_jw_int(w, (long long)st[PAL_STATUS_INVALID]);
	eng_jw_key(w, "levels");
	eng_jw_obj(w);
	for (size_t k = 0; k <= r->nlevels; k++) {
		char key[24];
		snprintf(key, sizeof key, "%zu", k);
		eng_jw_key(w, key);
		eng_jw_int(w, (long long)lv[k]);
	}
	eng_jw_end_obj(w);
	eng_jw_key(w, "mentions");
	eng_jw_obj(w);
	for (size_t m = 0; m < r->nmentions; m++) {
		eng_jw_key(w, r->mentions[m].id);
		eng_jw_int(w, (long long)mc[m]);
	}
	eng_jw_end_obj(w);
	eng_jw_end_obj(w);
}

static void write_jury(pal_jw *w, const pal_campaign *c)
{
	const pal_rubric *r = c->rubric;
	const struct jury_results *j = eng_campaign_jury(c);
	eng_jw_key(w, "jury");
	eng_jw_obj(w);
	eng_jw_key(w, "aggregate");
	eng_jw_str(w, eng_aggregate_name(r->aggregate));
	eng_jw_key(w, "calibrate");
	eng_jw_str(w, r->calibrate_z ? "z" : "none");
	eng_jw_key(w, "criteria");
	eng_jw_arr(w);
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		if (cr->kind != PAL_KIND_JURY)
			continue;
		const pal_alpha *a = j ? eng_jury_alpha(j, cr->jury_index) : NULL;
		eng_jw_obj(w);
		eng_jw_key(w, "id");
		eng_jw_str(w, cr->id);
		eng_jw_key(w, "alpha");
		if (a && a->defined)
			eng_jw_num(w, a->alpha);
		else
			eng_jw_null(w);
		eng_jw_key(w, "dossiers");
		eng_jw_int(w, a ? (long long)a->units : 0);
		eng_jw_key(w, "marks");
		eng_jw_int(w, a ? (long long)a->values : 0);
		eng_jw_end_obj(w);
	}
	eng_jw_end_arr(w);
	eng_jw_key(w, "jurors");
	eng_jw_arr(w);
	for (size_t k = 0; k < eng_jury_count_jurors(j); k++) {
		const pal_zjuror *z = eng_jury_juror_stats(j, k);
		eng_jw_obj(w);
		eng_jw_key(w, "id");
		eng_jw_str(w, eng_jury_juror_id(j, k));
		eng_jw_key(w, "marks");
		eng_jw_int(w, (long long)z->count);
		eng_jw_key(w, "mean");
		eng_jw_num(w, z->mean);
		eng_jw_key(w, "sd");
		eng_jw_num(w, z->sd);
		eng_jw_key(w, "calibrated");
		eng_jw_bool(w, z->calibrated);
		eng_jw_end_obj(w);
	}
	eng_jw_end_arr(w);
	eng_jw_end_obj(w);
}

static void write_msgs(pal_jw *w, const pal_dossier *d, pal_severity sev)
{
	eng_jw_arr(w);
	for (const pal_msg *m = d->msgs; m; m = m->next)
		if (m->severity == sev)
			eng_jw_str(w, m->text);
	eng_jw_end_arr(w);
}

/*
 * The structured form of the town's messages (docs/results.md, "messages"),
 * which the feedback report words in its language. When a code is added or
 * changes meaning, update docs/results.md, the report (reports/report.c,
 * coded()) and po/fr.po.
 */
static void write_messages(pal_jw *w, const pal_rubric *r, const pal_dossier *d)
{
	eng_jw_arr(w);
	for (const pal_msg *m = d->msgs; m; m = m->next) {
		const pal_criterion *cr = m->info.crit >= 0 && (size_t)m->info.crit < r->ncriteria
		                          ? &r->criteria[m->info.crit] : NULL;
		eng_jw_obj(w);
		eng_jw_key(w, "severity");
		eng_jw_str(w, m->severity == PAL_ERROR ? "error" : m->severity == PAL_WARNING ? "warning" : "note");
		eng_jw_key(w, "code");
		eng_jw_str(w, m->info.code);
		if (cr) {
			eng_jw_key(w, "criterion");
			eng_jw_str(w, cr->id);
			eng_jw_key(w, "kind");
			eng_jw_str(w, eng_kinds[cr->kind].name);
			if (eng_kinds[cr->kind].fields & PAL_FIELD_OPTIONS) {
				eng_jw_key(w, "options");
				eng_jw_arr(w);
				for (size_t k = 0; k < cr->noptions; k++)
					eng_jw_str(w, cr->options[k].id);
				eng_jw_end_arr(w);
			}
		}
		if (m->info.value) {
			eng_jw_key(w, "value");
			eng_jw_str(w, m->info.value);
		}
		if (m->info.extra) {
			eng_jw_key(w, "extra");
			eng_jw_str(w, m->info.extra);
		}
		eng_jw_key(w, "text");
		eng_jw_str(w, m->body);
		eng_jw_end_obj(w);
	}
	eng_jw_end_arr(w);
}

/* The answer as typed, written directly (eng_answer_to_json's twin for output). */
static void write_answer(pal_jw *w, const pal_criterion *cr, const pal_answer *a)
{
	switch (a->type) {
	case PAL_ANS_NA: eng_jw_str(w, "n/a"); break;
	case PAL_ANS_BOOL: eng_jw_bool(w, a->v.b); break;
	case PAL_ANS_NUMBER: eng_jw_full(w, a->v.num); break;
	case PAL_ANS_CHOICE: eng_jw_str(w, cr->options[a->v.choice].id); break;
	case PAL_ANS_MULTI:
		eng_jw_arr(w);
		for (size_t i = 0; i < a->nchoices; i++)
			eng_jw_str(w, cr->options[a->v.choices[i]].id);
		eng_jw_end_arr(w);
		break;
	case PAL_ANS_TEXT: eng_jw_str(w, a->v.text); break;
	default: eng_jw_null(w); break;
	}
}

static void write_criterion(pal_jw *w, const pal_campaign *c, const pal_dossier *d, size_t i,
                            const pal_crit_result *res)
{
	const pal_rubric *r = c->rubric;
	const pal_criterion *cr = &r->criteria[i];
	const pal_answer av = pal_dossier_answer(d, i), *a = &av;
	eng_jw_obj(w);
	eng_jw_key(w, "id");
	eng_jw_str(w, cr->id);
	eng_jw_key(w, "category");
	eng_jw_str(w, r->categories[cr->category].id);
	eng_jw_key(w, "applicable");
	eng_jw_bool(w, res->applicable);
	if (cr->kind != PAL_KIND_JURY) {
		eng_jw_key(w, "answer");
		write_answer(w, cr, a);
	} else {
		eng_jw_key(w, "marks");
		eng_jw_arr(w);
		for (const pal_mark *m = d->marks[cr->jury_index]; m; m = m->next) {
			eng_jw_obj(w);
			eng_jw_key(w, "juror");
			eng_jw_str(w, m->juror);
			eng_jw_key(w, "mark");
			eng_jw_full(w, m->mark);
			eng_jw_key(w, "comment");
			eng_jw_str(w, m->comment);
			eng_jw_end_obj(w);
		}
		eng_jw_end_arr(w);
		eng_jw_key(w, "aggregate");
		if (res->has_aggregate)
			eng_jw_num(w, res->aggregate);
		else
			eng_jw_null(w);
		eng_jw_key(w, "aggregate_raw");
		if (res->has_aggregate)
			eng_jw_num(w, res->aggregate_raw);
		else
			eng_jw_null(w);
		eng_jw_key(w, "disagreement");
		eng_jw_bool(w, res->disagreement);
	}
	if (a->has_evidence) {
		eng_jw_key(w, "evidence");
		eng_jw_str(w, eng_dossier_evidence(d, i));
	}
	if (cr->kind == PAL_KIND_INFO) {
		eng_jw_key(w, "fraction");
		eng_jw_null(w);
		eng_jw_key(w, "points");
		eng_jw_null(w);
		eng_jw_key(w, "max");
		eng_jw_null(w);
	} else {
		eng_jw_key(w, "fraction");
		eng_jw_num(w, res->fraction);
		eng_jw_key(w, "points");
		eng_jw_num(w, res->points);
		eng_jw_key(w, "max");
		eng_jw_num(w, res->max);
	}
	eng_jw_key(w, "notes");
	eng_jw_arr(w);
	if (a->type == PAL_ANS_NA)
		eng_jw_str(w, "answered not applicable");
	else if (!res->applicable && cr->applies)
		eng_jw_str(w, a->ignored ? "does not apply to this town: answer ignored"
		                         : "does not apply to this town");
	else if (cr->kind == PAL_KIND_JURY && res->applicable && (int)res->nmarks < r->min_marks)
		eng_jw_str(w, "waiting for jury marks");
	else if (a->type == PAL_ANS_NONE && cr->kind != PAL_KIND_JURY && cr->kind != PAL_KIND_INFO)
		eng_jw_str(w, "unanswered: scored 0");
	if (res->evidence_missing)
		eng_jw_str(w, "required evidence missing: scored 0");
	if (res->disagreement)
		eng_jw_str(w, "jurors disagree: to deliberate");
	eng_jw_end_arr(w);
	eng_jw_end_obj(w);
}

static void write_next(pal_jw *w, const pal_rubric *r, const pal_dossier *d)
{
	eng_jw_key(w, "next_level");
	if (d->status != PAL_STATUS_SCORED || !d->next_level) {
		eng_jw_null(w);
		return;
	}
	const pal_level *l = &r->levels[d->next_level - 1];
	eng_jw_obj(w);
	eng_jw_key(w, "level");
	eng_jw_int(w, d->next_level);
	eng_jw_key(w, "name");
	eng_jw_str(w, l->name);
	eng_jw_key(w, "min_percent");
	eng_jw_num(w, l->min_percent);
	eng_jw_key(w, "points_missing");
	eng_jw_num(w, d->points_missing);
	eng_jw_key(w, "unmet_requires");
	eng_jw_arr(w);
	for (int k = 1; k <= d->next_level; k++)
		if ((d->unmet >> (k - 1)) & 1)
			eng_jw_int(w, k);
	eng_jw_end_arr(w);
	eng_jw_end_obj(w);
}

static void write_level(pal_jw *w, const pal_rubric *r, const char *key, int level, int known)
{
	eng_jw_key(w, key);
	if (known)
		eng_jw_int(w, level);
	else
		eng_jw_null(w);
}

/* crit and cat: scratch arrays for the dossier's results (eng_dossier_results()). */
static void write_town(pal_jw *w, const pal_campaign *c, const pal_dossier *d,
                       pal_crit_result *crit, pal_cat_result *cat)
{
	const pal_rubric *r = c->rubric;
	int scored = d->status == PAL_STATUS_SCORED, invalid = d->status == PAL_STATUS_INVALID;
	eng_jw_obj(w);
	eng_jw_key(w, "id");
	eng_jw_str(w, d->town_id);
	eng_jw_key(w, "name");
	eng_jw_str(w, d->town_name);
	eng_jw_key(w, "attributes");
	eng_jw_json(w, d->attrs);
	eng_jw_key(w, "source");
	eng_jw_obj(w);
	eng_jw_key(w, "file");
	eng_jw_str(w, d->file);
	eng_jw_key(w, "line");
	eng_jw_int(w, d->line);
	eng_jw_end_obj(w);
	eng_jw_key(w, "status");
	eng_jw_str(w, status_name(d->status));
	eng_jw_key(w, "score");
	if (invalid) {
		eng_jw_null(w);
	} else {
		eng_jw_obj(w);
		eng_jw_key(w, "points");
		eng_jw_num(w, d->points);
		eng_jw_key(w, "max");
		eng_jw_num(w, d->max);
		eng_jw_key(w, "percent");
		eng_jw_num(w, d->percent);
		eng_jw_end_obj(w);
	}
	write_level(w, r, "computed_level", d->computed_level, scored);
	write_level(w, r, "level", d->level, scored);
	eng_jw_key(w, "level_name");
	eng_jw_str(w, scored && d->level > 0 ? r->levels[d->level - 1].name : NULL);
	eng_jw_key(w, "override");
	if (scored && d->has_override) {
		eng_jw_obj(w);
		eng_jw_key(w, "level");
		eng_jw_int(w, d->level);
		eng_jw_key(w, "reason");
		eng_jw_str(w, d->override_reason);
		eng_jw_end_obj(w);
	} else {
		eng_jw_null(w);
	}
	write_level(w, r, "previous_level", d->previous_level, d->previous_level >= 0);
	eng_jw_key(w, "mentions");
	eng_jw_arr(w);
	for (size_t m = 0; scored && m < r->nmentions; m++)
		if ((d->mentions >> m) & 1)
			eng_jw_str(w, r->mentions[m].id);
	eng_jw_end_arr(w);
	eng_jw_key(w, "rank");
	if (scored)
		eng_jw_int(w, d->rank);
	else
		eng_jw_null(w);
	eng_jw_key(w, "categories");
	if (invalid) {
		eng_jw_null(w);
	} else {
		eng_jw_arr(w);
		for (size_t k = 0; k < r->ncategories; k++) {
			const pal_cat_result *cr = &d->cat[k];
			eng_jw_obj(w);
			eng_jw_key(w, "id");
			eng_jw_str(w, r->categories[k].id);
			eng_jw_key(w, "points");
			eng_jw_num(w, cr->points);
			eng_jw_key(w, "max");
			eng_jw_num(w, cr->max);
			eng_jw_key(w, "percent");
			eng_jw_num(w, cr->max > 0 ? 100 * cr->points / cr->max : 0);
			eng_jw_end_obj(w);
		}
		eng_jw_end_arr(w);
	}
	eng_jw_key(w, "criteria");
	if (invalid) {
		eng_jw_null(w);
	} else {
		eng_dossier_results(c, d, NULL, crit, cat);
		eng_jw_arr(w);
		for (size_t i = 0; i < r->ncriteria; i++)
			write_criterion(w, c, d, i, &crit[i]);
		eng_jw_end_arr(w);
	}
	write_next(w, r, d);
	eng_jw_key(w, "errors");
	write_msgs(w, d, PAL_ERROR);
	eng_jw_key(w, "warnings");
	write_msgs(w, d, PAL_WARNING);
	eng_jw_key(w, "messages");
	write_messages(w, r, d);
	eng_jw_end_obj(w);
}

static int write_json(const pal_campaign *c, FILE *out)
{
	pal_jw w;
	eng_jw_init(&w, out, 1);
	eng_jw_obj(&w);
	eng_jw_key(&w, "format");
	eng_jw_str(&w, "palmares-results/1");
	eng_jw_key(&w, "generator");
	eng_jw_str(&w, "palmares " PAL_VERSION);
	write_rubric(&w, c->rubric);
	write_summary(&w, c);
	if (c->rubric->njury)
		write_jury(&w, c);
	eng_jw_key(&w, "towns");
	eng_jw_arr(&w);
	for (size_t k = 0; k < c->ndossiers; k++) {
		if (c->progress && k % 256 == 0)
			c->progress(c->progress_ctx, "writing", k, c->ndossiers);
		write_town(&w, c, c->dossiers[k], c->view_crit, c->view_cat);
	}
	eng_jw_end_arr(&w);
	eng_jw_end_obj(&w);
	return ferror(out) ? -1 : 0;
}

/* ---- CSV ---- */

static int write_csv(const pal_campaign *c, pal_csv_dialect dialect, FILE *out)
{
	static const char *const head[] = {"town_id", "town_name", "status", "points", "max", "percent",
	                                   "level", "level_name", "mentions", "rank"};
	const pal_rubric *r = c->rubric;
	pal_csvw w;
	eng_csvw_init(&w, out, dialect);
	eng_csvw_fields(&w, head, sizeof head / sizeof head[0]);
	for (size_t k = 0; k < r->ncategories; k++) {
		eng_csvw_sep(&w);
		eng_csvw_field(&w, r->categories[k].id);
	}
	eng_csvw_end(&w);
	for (size_t n = 0; n < c->ndossiers; n++) {
		const pal_dossier *d = c->dossiers[n];
		if (c->progress && n % 256 == 0)
			c->progress(c->progress_ctx, "writing", n, c->ndossiers);
		int scored = d->status == PAL_STATUS_SCORED, invalid = d->status == PAL_STATUS_INVALID;
		eng_csvw_field(&w, d->town_id);
		eng_csvw_sep(&w);
		eng_csvw_field(&w, d->town_name);
		eng_csvw_sep(&w);
		eng_csvw_field(&w, status_name(d->status));
		eng_csvw_sep(&w);
		if (!invalid) { /* else points, max, percent: empty */
			eng_csvw_num(&w, d->points);
			eng_csvw_sep(&w);
			eng_csvw_num(&w, d->max);
			eng_csvw_sep(&w);
			eng_csvw_num(&w, d->percent);
		} else {
			eng_csvw_sep(&w);
			eng_csvw_sep(&w);
		}
		eng_csvw_sep(&w);
		if (scored) {
			fprintf(out, "%d", d->level);
			eng_csvw_sep(&w);
			eng_csvw_field(&w, d->level > 0 ? r->levels[d->level - 1].name : "");
		} else {
			eng_csvw_sep(&w);
		}
		eng_csvw_sep(&w);
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
		eng_csvw_field(&w, ms);
		eng_csvw_sep(&w);
		if (scored)
			fprintf(out, "%ld", d->rank);
		for (size_t k = 0; k < r->ncategories; k++) {
			eng_csvw_sep(&w);
			if (!invalid)
				eng_csvw_num(&w, d->cat[k].max > 0 ? 100 * d->cat[k].points / d->cat[k].max : 0);
		}
		eng_csvw_end(&w);
	}
	return ferror(out) ? -1 : 0;
}

/* ---- text ---- */

/*
 * Display width of UTF-8 text: its characters, not its bytes ("é" is one
 * column, two bytes), combining marks (U+0300..U+036F) taking none. Good for
 * Latin scripts, which is what town and level names are.
 */
size_t eng_display_width(const char *s)
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
void eng_print_cell(FILE *out, const char *s, size_t w)
{
	size_t n = 0;
	const char *p = s;
	while (*p && n < w) {
		const char *q = p + 1;
		char one[5] = {0};
		while ((*q & 0xC0) == 0x80)
			q++;
		if (n == w - 1 && eng_display_width(p) > 1) {
			fputs("…", out);
			n++;
			break;
		}
		fwrite(p, 1, (size_t)(q - p), out);
		memcpy(one, p, (size_t)(q - p) < 4 ? (size_t)(q - p) : 4);
		n += eng_display_width(one); /* 0 for a combining mark */
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
		if (!(v[n].key = palx_text_fold(c->dossiers[n]->town_name ? c->dossiers[n]->town_name : ""))) {
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
	size_t w = eng_display_width("pending");
	for (size_t k = 0; k < r->nlevels; k++)
		if (eng_display_width(r->levels[k].name) > w)
			w = eng_display_width(r->levels[k].name);
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
	eng_print_cell(out, d->town_id, 10);
	fputc(' ', out);
	eng_print_cell(out, d->town_name, 32);
	fprintf(out, " %-8s ", status_name(d->status));
	if (d->status == PAL_STATUS_INVALID) {
		fprintf(out, "%8s %8s %7s  ", "-", "-", "-");
		eng_print_cell(out, "-", lw);
	} else {
		eng_format_number(d->points, b1, sizeof b1);
		eng_format_number(d->max, b2, sizeof b2);
		eng_format_number(d->percent, b3, sizeof b3);
		fprintf(out, "%8s %8s %7s  ", b1, b2, b3);
		if (d->status == PAL_STATUS_SCORED)
			eng_print_cell(out, d->level > 0 ? r->levels[d->level - 1].name : "—", lw);
		else
			eng_print_cell(out, "pending", lw);
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
	const char *label = eng_rubric_text(r, r->label, lang);
	struct text_row *rows = rows_sorted(c);
	if (!rows) {
		errno = ENOMEM; /* the caller says why nothing was written */
		return -1;
	}
	fprintf(out, "%s — %ld\n\n", label ? label : r->id, r->edition);
	fprintf(out, "%-5s %-10s ", "rank", "town");
	eng_print_cell(out, "name", 32);
	fprintf(out, " %-8s %8s %8s %7s  ", "status", "points", "max", "%");
	eng_print_cell(out, "level", lw);
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
