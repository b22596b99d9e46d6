/*
 * What the juror's pages share (jury.h): who the juror is, their queue, and
 * the engine's view of their dossiers. A juror's dossiers are turned into
 * dossiers by answers.h (the one conversion the scores and the export use),
 * read as one JSON text by pal_campaign_add_dossiers_text(), restricted to
 * the juror's plan (pal_jury_plan_load_text(): the engine's own "not
 * assigned" rule for a sheet's lines), given the marks as a marks CSV text
 * (pal_campaign_add_marks_text(): the marks reader of `palmares score`,
 * with its messages) and scored. What applies and what is refused is read
 * back from the engine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jury.h"

int jury_me(http_req *r, store_juror *me)
{
	memset(me, 0, sizeof *me);
	if (r->who.role == ROLE_ANONYMOUS || store_juror_of_person(r->st, r->who.person_id, me) != STORE_OK)
		return -1;
	return 0;
}

void jury_towns_free(jury_towns *t)
{
	for (size_t i = 0; t && i < t->n; i++) {
		free(t->id[i]);
		free(t->name[i]);
	}
	if (t) {
		free(t->id);
		free(t->name);
		memset(t, 0, sizeof *t);
	}
}

struct queue_ctx {
	http_req *r;
	const char *juror;
	jury_towns *t;
	store_status st;
	int oom;
};

/* Assigned towns are listed first, then each is asked of permit(): the
 * store's statement cannot be reused while it steps. */
static int assigned_row(void *ctx, const char *town, const char *name)
{
	struct queue_ctx *q = ctx;
	jury_towns *t = q->t;
	char **id = realloc(t->id, (t->n + 1) * sizeof *id), **nm;
	if (id)
		t->id = id;
	nm = id ? realloc(t->name, (t->n + 1) * sizeof *nm) : NULL;
	if (nm)
		t->name = nm;
	if (!id || !nm || !(t->id[t->n] = strdup(town))) {
		q->oom = 1;
		return 1;
	}
	if (!(t->name[t->n] = strdup(name))) {
		free(t->id[t->n]);
		q->oom = 1;
		return 1;
	}
	t->n++;
	return 0;
}

int jury_queue_towns(http_req *r, const char *juror, jury_towns *out)
{
	struct queue_ctx q = {r, juror, out, STORE_OK, 0};
	size_t k = 0;
	memset(out, 0, sizeof *out);
	if (store_assigned_of_juror(r->st, juror, assigned_row, &q) != STORE_OK || q.oom) {
		jury_towns_free(out);
		return -1;
	}
	for (size_t i = 0; i < out->n; i++) {
		permit_target on = {out->id[i], 0, 0, 0, 0, SEE_NEVER, 0};
		if (store_jury_target(r->st, juror, out->id[i], r->phase, NULL, 0, &on) != STORE_OK) {
			jury_towns_free(out);
			return -1;
		}
		if (permit(&r->who, ACT_JURY_DOSSIER_VIEW, &on, r->phase) == PERMIT_ALLOW) {
			out->id[k] = out->id[i];
			out->name[k++] = out->name[i];
		} else {
			free(out->id[i]);
			free(out->name[i]);
		}
	}
	out->n = k;
	return 0;
}

/* ---- marks as CSV text ---- */

static void csv_put(jury_csv *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 1024) + n;
		char *p = realloc(b->buf, cap);
		if (!p) {
			b->oom = 1;
			return;
		}
		b->buf = p;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = 0;
}

/* A cell always quoted, its quotes doubled: the office CSV the reader reads. */
static void csv_cell(jury_csv *b, const char *v, int last)
{
	csv_put(b, "\"", 1);
	for (const char *p = v ? v : ""; *p; p++) {
		csv_put(b, p, 1);
		if (*p == '"')
			csv_put(b, "\"", 1);
	}
	csv_put(b, last ? "\"\n" : "\",", 2);
}

void jury_csv_init(jury_csv *b)
{
	memset(b, 0, sizeof *b);
	csv_put(b, "juror,town_id,criterion,mark,comment\n", 37);
}

void jury_csv_row(jury_csv *b, const char *juror, const char *town, const char *crit, const char *mark,
		  const char *comment)
{
	csv_cell(b, juror, 0);
	csv_cell(b, town, 0);
	csv_cell(b, crit, 0);
	csv_cell(b, mark, 0);
	csv_cell(b, comment, 1);
}

void jury_csv_free(jury_csv *b)
{
	free(b->buf);
	memset(b, 0, sizeof *b);
}

/* ---- the engine ---- */

void jury_scoring_free(jury_scoring *s)
{
	pal_jury_plan_free(s->plan);
	pal_campaign_free(s->c);
	pal_diags_free(s->marks);
	memset(s, 0, sizeof *s);
}

int jury_score(store *st, const pal_rubric *rb, const char *juror, char *const *towns, size_t n,
	       const char *name, const char *marks, size_t len, jury_scoring *out)
{
	jury_csv dossiers, plan;
	pal_diags *d = pal_diags_new();
	int status = 0, ok = 0;
	memset(out, 0, sizeof *out);
	memset(&dossiers, 0, sizeof dossiers);
	memset(&plan, 0, sizeof plan);
	csv_put(&dossiers, "[", 1);
	csv_put(&plan, "juror,town_id\n", 14);
	for (size_t i = 0; i < n && !dossiers.oom; i++) {
		answers a = {0};
		char *json = NULL;
		if (answers_init(&a, rb) != 0 || answers_load(&a, st, towns[i]) != STORE_OK ||
		    !(json = dossier_json(st, rb, towns[i], &a)))
			dossiers.oom = 1;
		else {
			if (i)
				csv_put(&dossiers, ",", 1);
			csv_put(&dossiers, json, strlen(json));
		}
		free(json);
		answers_free(&a);
		csv_cell(&plan, juror, 0);
		csv_cell(&plan, towns[i], 1);
	}
	csv_put(&dossiers, "]", 1);
	if (!d || dossiers.oom || plan.oom || !(out->c = pal_campaign_new(rb)))
		goto done;
	if (pal_campaign_add_dossiers_text(out->c, "dossiers.json", dossiers.buf, dossiers.len,
					   PAL_DOSSIER_JSON, d) == PAL_IOERR ||
	    pal_campaign_count(out->c) != n)
		goto done;
	if (!(out->plan = pal_jury_plan_load_text(out->c, "assignments.csv", plan.buf, plan.len, d, &status)))
		goto done;
	if (marks) {
		if (!(out->marks = pal_diags_new()) ||
		    pal_campaign_add_marks_text(out->c, name, marks, len, out->marks) == PAL_IOERR)
			goto done;
	}
	pal_campaign_score(out->c, d);
	ok = !pal_diags_oom(d);
done:
	pal_diags_free(d);
	jury_csv_free(&dossiers);
	jury_csv_free(&plan);
	if (!ok)
		jury_scoring_free(out);
	return ok ? 0 : -1;
}

size_t jury_applicable(const jury_scoring *s, const pal_rubric *rb, size_t t, size_t *idx)
{
	pal_town_results *tr = pal_campaign_town_results(s->c, t);
	size_t n = 0;
	if (!tr)
		return 0;
	for (size_t i = 0; i < pal_rubric_count_criteria(rb); i++)
		if (strcmp(pal_rubric_criterion_kind(rb, i), "jury") == 0 && pal_town_results_applies(tr, i))
			idx[n++] = i;
	pal_town_results_free(tr);
	return n;
}

/* What a marks reader's message is about, by the engine's wording (marks.c):
 * the page's sentence for it. The engine's text follows it on the page. */
static const struct {
	const char *part;
	words_key say;
} kinds[] = {
	{"expected a mark from", W_JURY_MSG_SCALE},
	{"is not assigned to town", W_JURY_MSG_NOT_YOURS},
	{": unknown town", W_JURY_MSG_NOT_YOURS},
	{"criterion \"", W_JURY_MSG_CRITERION},
	{"twice", W_JURY_MSG_TWICE},
	{"missing juror", W_JURY_MSG_JUROR},
};

void jury_message_html(html *h, const http_req *r, const char *text)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strstr(text, kinds[i].part)) {
			html_text(h, words(r->lang, kinds[i].say));
			html_text(h, " (");
			html_text(h, text);
			html_text(h, ")");
			return;
		}
	html_text(h, text);
}

struct given_ctx {
	const pal_rubric *rb;
	const size_t *idx;
	size_t n;
	unsigned char *given;
};

static int given_row(void *ctx, const store_mark_row *m)
{
	struct given_ctx *g = ctx;
	for (size_t k = 0; k < g->n; k++)
		if (*m->value && strcmp(m->criterion, pal_rubric_criterion_id(g->rb, g->idx[k])) == 0)
			g->given[k] = 1;
	return 0;
}

int jury_given(store *st, const pal_rubric *rb, const char *juror, const char *town, const size_t *idx,
	       size_t n, unsigned char *given)
{
	struct given_ctx g = {rb, idx, n, given};
	memset(given, 0, n ? n : 1);
	return store_marks_of(st, juror, town, given_row, &g) == STORE_OK ? 0 : -1;
}

int jury_next_unmarked(http_req *r, const pal_rubric *rb, const char *juror, const char *town, char *path,
		       size_t len)
{
	jury_towns q;
	jury_scoring s;
	size_t *idx = NULL, from = 0, nc = pal_rubric_count_criteria(rb);
	unsigned char *given = NULL;
	int err = 0;
	snprintf(path, len, "/jury");
	if (jury_queue_towns(r, juror, &q) != 0)
		return -1;
	if (!(idx = calloc(nc + 1, sizeof *idx)) || !(given = calloc(nc + 1, 1)) ||
	    jury_score(r->st, rb, juror, q.id, q.n, NULL, NULL, 0, &s) != 0) {
		free(idx);
		free(given);
		jury_towns_free(&q);
		return -1;
	}
	for (size_t i = 0; i < q.n; i++)
		if (strcmp(q.id[i], town) == 0)
			from = i + 1;
	for (size_t k = 0; k < q.n && !err; k++) {
		size_t t = (from + k) % q.n, n, lack = 0;
		if (strcmp(q.id[t], town) == 0 || !(n = jury_applicable(&s, rb, t, idx)))
			continue;
		if (jury_given(r->st, rb, juror, q.id[t], idx, n, given) != 0) {
			err = 1;
			break;
		}
		for (size_t c = 0; c < n; c++)
			lack += !given[c];
		if (lack) {
			page_path("/jury/dossier/", q.id[t], path, len);
			break;
		}
	}
	jury_scoring_free(&s);
	jury_towns_free(&q);
	free(idx);
	free(given);
	return err ? -1 : 0;
}
