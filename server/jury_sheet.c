/*
 * The juror's offline sheet: GET /jury/sheet.csv (the sheet of `palmares
 * sheets`, written by pal_jury_sheet_write() for the juror's queue: the
 * dossiers assigned and without a conflict) and POST /jury/sheet (the
 * filled sheet uploaded back).
 *
 * An upload is all or nothing. The file goes through the engine's marks
 * reader (pal_campaign_add_marks_text(), on the juror's dossiers that may be
 * marked now, restricted to the juror's plan): every line it refuses (a
 * mark off the scale or not a number, a dossier not assigned to this juror
 * or in conflict, another juror's id, the same mark twice) is listed with
 * its number, and nothing is saved. A line the engine lets pass because its
 * mark is empty may still carry a comment: such a line must be the juror's
 * own, on a dossier they may mark. When every line passes, each filled mark
 * and comment is saved as typed, in one transaction; an empty cell leaves
 * what is stored as it is (a sheet is downloaded empty: its blank rows
 * erase nothing).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jury.h"
#include "towns_csv.h"

#define JURY_SHEET_MAX (4u << 20) /* a filled sheet: 4 MiB (45 dossiers × 4 criteria is a few KiB) */

/* The towns of the queue the juror may mark now. */
static int markable(http_req *r, const char *juror, jury_towns *q)
{
	size_t k = 0;
	if (jury_queue_towns(r, juror, q) != 0)
		return -1;
	for (size_t i = 0; i < q->n; i++) {
		permit_target on = {q->id[i], 0, 0, 0, 0, SEE_NEVER, 0};
		if (store_jury_target(r->st, juror, q->id[i], r->phase, NULL, 0, &on) != STORE_OK)
			return -1;
		if (permit(&r->who, ACT_JURY_MARK, &on, r->phase) == PERMIT_ALLOW) {
			q->id[k] = q->id[i];
			q->name[k++] = q->name[i];
		} else {
			free(q->id[i]);
			free(q->name[i]);
		}
	}
	q->n = k;
	return 0;
}

void jury_sheet_get(http_req *r, http_resp *out)
{
	store_juror me;
	jury_towns q = {0};
	jury_scoring s = {0};
	const pal_rubric *rb;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	if (permit(&r->who, ACT_JURY_QUEUE, NULL, r->phase) != PERMIT_ALLOW || jury_me(r, &me) != 0) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st)) || jury_queue_towns(r, me.juror_id, &q) != 0 ||
	    jury_score(r->st, rb, me.juror_id, q.id, q.n, NULL, NULL, 0, &s) != 0 ||
	    !(f = open_memstream(&buf, &len)) ||
	    pal_jury_sheet_write(s.c, s.plan, me.juror_id, words_code(r->lang), 0, f) != 0 ||
	    fclose(f) != 0) {
		if (f)
			fclose(f);
		free(buf);
		http_error_page(r, out, 500, W_ERR_SERVER);
	} else {
		out->status = 200;
		out->body = buf;
		out->len = len;
		out->type = "text/csv; charset=utf-8";
		out->disposition = "attachment; filename=\"sheet.csv\"";
		out->personal = 1;
	}
	jury_scoring_free(&s);
	jury_towns_free(&q);
	store_juror_clear(&me);
}

/* A line refused: its number and what is wrong (text owned or a page sentence). */
typedef struct {
	long line;
	char *text;    /* the engine's message (owned), or NULL */
	words_key say; /* else this page sentence */
} bad_line;

typedef struct {
	int no_file, unreadable;
	bad_line *bad;
	size_t nbad;
	size_t saved; /* lines saved */
	const csv_table *t;
	long cj, ct, cc, cm, ck; /* its columns */
	const char *const *saved_rows;
} sheet_result;

static int bad_add(sheet_result *res, long line, const char *text, words_key say)
{
	bad_line *b = realloc(res->bad, (res->nbad + 1) * sizeof *b);
	if (!b)
		return -1;
	res->bad = b;
	b[res->nbad].line = line;
	b[res->nbad].say = say;
	b[res->nbad].text = text ? strdup(text) : NULL;
	if (text && !b[res->nbad].text)
		return -1;
	res->nbad++;
	return 0;
}

static void result_html(html *h, const http_req *r, const sheet_result *res)
{
	char buf[64];
	html_open(h, "div");
	html_attr(h, "id", "sheet-result");
	if (res->no_file || res->unreadable) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_text(h, words(r->lang, res->no_file ? W_JURY_SHEET_NO_FILE : W_UPLOAD_UNREADABLE));
		html_close(h, "p");
	} else if (res->nbad) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_attr(h, "id", "sheet-refused");
		html_text(h, words(r->lang, W_JURY_SHEET_REFUSED));
		html_close(h, "p");
		html_open(h, "ul");
		html_attr(h, "id", "sheet-lines");
		for (size_t i = 0; i < res->nbad; i++) {
			html_open(h, "li");
			html_attr_int(h, "data-line", res->bad[i].line);
			if (res->bad[i].line > 0) {
				html_text(h, words(r->lang, W_LINE));
				snprintf(buf, sizeof buf, " %ld%s", res->bad[i].line,
					 r->lang == LANG_FR ? " : " : ": ");
				html_text(h, buf);
			}
			if (res->bad[i].text)
				jury_message_html(h, r, res->bad[i].text);
			else
				html_text(h, words(r->lang, res->bad[i].say));
			html_close(h, "li");
		}
		html_close(h, "ul");
	} else {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_attr(h, "id", "sheet-saved");
		html_text(h, words(r->lang, W_JURY_SHEET_SAVED));
		snprintf(buf, sizeof buf, " %zu", res->saved);
		html_text(h, buf);
		html_close(h, "p");
		html_open(h, "table");
		html_attr(h, "id", "sheet-saved-rows");
		for (size_t row = 1; res->t && row < res->t->n; row++) {
			const char *m = csv_table_cell(res->t, row, res->cm),
				   *k = csv_table_cell(res->t, row, res->ck);
			if (!*m && !*k)
				continue;
			html_open(h, "tr");
			html_element_text(h, "td", csv_table_cell(res->t, row, res->ct));
			html_element_text(h, "td", csv_table_cell(res->t, row, res->cc));
			html_element_text(h, "td", m);
			html_element_text(h, "td", k);
			html_close(h, "tr");
		}
		html_close(h, "table");
	}
	html_close(h, "div");
}

static int by_line(const void *a, const void *b)
{
	long x = ((const bad_line *)a)->line, y = ((const bad_line *)b)->line;
	return (x > y) - (x < y);
}

static void result_html_cb(html *h, const http_req *r, const void *ctx)
{
	result_html(h, r, ctx);
}

static void result_free(sheet_result *res)
{
	for (size_t i = 0; i < res->nbad; i++)
		free(res->bad[i].text);
	free(res->bad);
}

struct save_ctx {
	const char *juror;
	const csv_table *t;
	long ct, cc, cm, ck;
	int64_t who, now;
	size_t saved;
};

/* Every filled line, each a save of one mark on its dossier (nested in this transaction). */
static store_status save_all(store *s, void *ctx)
{
	struct save_ctx *x = ctx;
	for (size_t row = 1; row < x->t->n; row++) {
		const char *m = csv_table_cell(x->t, row, x->cm),
			   *k = x->ck >= 0 ? csv_table_cell(x->t, row, x->ck) : "";
		if (!*m && !*k)
			continue;
		store_mark_edit e = {csv_table_cell(x->t, row, x->cc), *m ? m : NULL, *k ? k : NULL};
		store_status st = store_marks_save(s, x->juror, csv_table_cell(x->t, row, x->ct), INT64_MAX,
						   &e, 1, x->who, x->now, NULL, NULL);
		if (st != STORE_OK)
			return st;
		x->saved++;
	}
	return STORE_OK;
}

void jury_sheet_post(http_req *r, http_resp *out)
{
	store_juror me;
	jury_towns q = {0};
	jury_scoring s = {0};
	csv_table t;
	sheet_result res;
	const pal_rubric *rb;
	const form_file *f;
	char err[256];
	int status = 200, oom = 0;
	memset(&res, 0, sizeof res);
	memset(&t, 0, sizeof t);
	if (permit(&r->who, ACT_JURY_QUEUE, NULL, r->phase) != PERMIT_ALLOW || jury_me(r, &me) != 0) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	f = form_get_file(&r->form, "sheet");
	if (!(rb = campaign_rubric_shared(r->st)) || markable(r, me.juror_id, &q) != 0) {
		oom = 1;
		goto page;
	}
	if (!f || !f->len) {
		res.no_file = 1;
		status = 400;
		goto page;
	}
	if (f->len > JURY_SHEET_MAX ||
	    csv_table_read((const char *)f->data, f->len, &t, err, sizeof err) != 0) {
		res.unreadable = 1;
		status = 422;
		goto page;
	}
	if (jury_score(r->st, rb, me.juror_id, q.id, q.n,
		       f->filename && *f->filename ? f->filename : "sheet.csv", (const char *)f->data, f->len,
		       &s) != 0) {
		oom = 1;
		goto page;
	}
	/* the engine's word on every line */
	for (size_t i = 0; i < pal_diags_count(s.marks) && !oom; i++) {
		const pal_diag *g = pal_diags_get(s.marks, i);
		if (g->severity == PAL_ERROR)
			oom |= bad_add(&res, g->line, g->text, 0) != 0;
	}
	res.t = &t;
	res.cj = csv_table_column(&t, "juror");
	res.ct = csv_table_column(&t, "town_id");
	res.cc = csv_table_column(&t, "criterion");
	res.cm = csv_table_column(&t, "mark");
	res.ck = csv_table_column(&t, "comment");
	if (!res.nbad && (res.cj < 0 || res.ct < 0 || res.cc < 0 || res.cm < 0))
		res.unreadable = 1;
	/* A comment on a line without a mark: the engine read nothing there. */
	for (size_t row = 1; !res.unreadable && row < t.n && !oom; row++) {
		const char *town = csv_table_cell(&t, row, res.ct), *k = csv_table_cell(&t, row, res.ck);
		int mine = strcmp(csv_table_cell(&t, row, res.cj), me.juror_id) == 0, open = 0;
		long ci = pal_rubric_find_criterion(rb, csv_table_cell(&t, row, res.cc));
		for (size_t i = 0; i < q.n && !open; i++)
			open = strcmp(q.id[i], town) == 0;
		int said = 0;
		for (size_t i = 0; i < res.nbad; i++)
			said |= res.bad[i].line == (long)t.lines[row];
		if (said)
			continue; /* the engine named it already */
		if (*k && (!mine || !open))
			oom |= bad_add(&res, (long)t.lines[row], NULL, W_JURY_MSG_NOT_YOURS) != 0;
		else if (*k && (ci < 0 || strcmp(pal_rubric_criterion_kind(rb, (size_t)ci), "jury") != 0))
			oom |= bad_add(&res, (long)t.lines[row], NULL, W_JURY_MSG_CRITERION) != 0;
	}
	if (oom)
		goto page;
	if (res.nbad)
		qsort(res.bad, res.nbad, sizeof *res.bad, by_line);
	if (res.nbad || res.unreadable) {
		status = 422;
		goto page;
	}
	struct save_ctx x = {me.juror_id, &t, res.ct, res.cc, res.cm, res.ck, r->who.person_id, r->now, 0};
	if (store_tx(r->st, save_all, &x) != STORE_OK)
		oom = 1;
	res.saved = x.saved;
page:
	if (oom)
		http_error_page(r, out, 500, W_ERR_SERVER);
	else
		jury_queue_page(r, out, &res, result_html_cb, status);
	result_free(&res);
	csv_table_free(&t);
	jury_scoring_free(&s);
	jury_towns_free(&q);
	store_juror_clear(&me);
}
