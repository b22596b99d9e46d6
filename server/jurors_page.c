/*
 * The organizer's jurors page (GET /organizer/jurors): every juror with the
 * columns of the jurors file, their load, progress and recusals; the
 * import of a jurors file (POST /organizer/jurors, multipart field
 * "jurors": the file of `palmares assign`, read by the engine through
 * jurors_file.h as `campaign init --jurors` reads it, the whole file or
 * nothing, a juror already in the campaign refused rather than updated);
 * and the jurors with marks still missing as CSV for a reminder mail
 * (GET /organizer/jurors-missing.csv, formulas guarded by csvout.h).
 * Every route asks permit(ACT_JURY_MANAGE) first.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "jurors_file.h"
#include "jury_organizer.h"
#include "pages.h"
#include "scores.h"
#include "store_marks.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

static int allowed(const http_req *r)
{
	return permit(&r->who, ACT_JURY_MANAGE, NULL, r->phase) == PERMIT_ALLOW;
}

/* The loads of every juror, from the scored campaign (which says which jury criteria apply). */
static store_status loads_of(http_req *r, jury_loads *l)
{
	int pending = 0;
	scores *sc = scores_get(r->st, SCORES_FRESH, &pending);
	store_status st;
	if (!sc)
		return STORE_ERROR;
	st = jury_loads_read(r->st, scores_campaign(sc), scores_rubric(sc), l);
	scores_release(sc);
	return st;
}

struct table_ctx {
	html *h;
	const http_req *r;
	const jury_loads *loads;
	store_status rec_st;
};

struct rec_ctx {
	html *h;
	const char *juror;
	int n;
};

static int recusal_item(void *ctx, const store_recusal *rec)
{
	const char *juror_id = rec->juror_id, *town_id = rec->town_id, *reason = rec->reason;
	int64_t at = rec->at;
	struct rec_ctx *c = ctx;
	(void)at;
	if (strcmp(juror_id, c->juror) != 0)
		return 0;
	if (!c->n++)
		html_open(c->h, "ul");
	html_open(c->h, "li");
	html_element_text(c->h, "strong", town_id);
	html_text(c->h, " : ");
	html_text(c->h, reason);
	html_close(c->h, "li");
	return 0;
}

static void cell_int(html *h, int64_t v)
{
	html_open(h, "td");
	html_attr(h, "class", "num");
	html_int(h, (long long)v);
	html_close(h, "td");
}

/* One line "Label : value" of a juror's ties, only when there is a value. */
static void tie(html *h, const http_req *r, words_key label, const char *value)
{
	if (!value || !*value)
		return;
	html_open(h, "div");
	html_text(h, tr(r, label));
	html_text(h, " : ");
	html_text(h, value);
	html_close(h, "div");
}

static int juror_row(void *ctx, const store_juror *j)
{
	struct table_ctx *t = ctx;
	html *h = t->h;
	const jury_load *l = jury_loads_find(t->loads, j->juror_id);
	jury_load none = {0};
	if (!l)
		l = &none;
	html_open(h, "tr");
	html_attr(h, "data-juror", j->juror_id);
	html_element_text(h, "td", j->juror_id);
	/* name and e-mail in one cell, own town, region and conflicts in
	 * another: the table fits the page's width with its figures */
	html_open(h, "td");
	html_element_text(h, "div", j->name);
	html_open(h, "div");
	html_element_text(h, "small", j->email);
	html_close(h, "div");
	html_close(h, "td");
	html_open(h, "td");
	tie(h, t->r, W_JUROR_OWN_TOWN, j->town_id);
	tie(h, t->r, W_REGION, j->region);
	tie(h, t->r, W_CONFLICTS, j->conflicts);
	html_close(h, "td");
	cell_int(h, l->assigned);
	html_open(h, "td");
	html_attr(h, "class", "num progress");
	html_int(h, (long long)l->marked);
	html_text(h, " / ");
	html_int(h, (long long)l->assigned);
	html_close(h, "td");
	cell_int(h, l->marks);
	cell_int(h, jury_load_missing(l));
	html_open(h, "td");
	struct rec_ctx rc = {h, j->juror_id, 0};
	/* the recusals of this juror (a short list: read once per row) */
	if (store_recusals_list(t->r->st, recusal_item, &rc) != STORE_OK)
		t->rec_st = STORE_ERROR;
	if (rc.n)
		html_close(h, "ul");
	html_close(h, "td");
	html_close(h, "tr");
	return html_status_of(h) != HTML_OK;
}

static void problems(html *h, const http_req *r, const jurors_list *l)
{
	html_open(h, "div");
	html_attr(h, "class", "error");
	html_attr(h, "id", "import-problems");
	html_element_text(h, "p", tr(r, W_JURORS_IMPORT_REFUSED));
	html_open(h, "ul");
	for (size_t i = 0; i < l->nproblems; i++) {
		html_open(h, "li");
		if (l->problems[i].line > 0) {
			html_text(h, tr(r, W_LINE));
			html_text(h, " ");
			html_int(h, l->problems[i].line);
			html_text(h, " : ");
		}
		html_text(h, l->problems[i].text);
		html_close(h, "li");
	}
	if (l->nomem)
		html_element_text(h, "li", tr(r, W_ERR_SERVER));
	html_close(h, "ul");
	html_close(h, "div");
}

static void import_form(html *h, const http_req *r, const jurors_list *refused, int no_file)
{
	html_element_text(h, "h2", tr(r, W_JURORS_IMPORT_TITLE));
	html_element_text(h, "p", tr(r, W_JURORS_IMPORT_INTRO));
	if (refused)
		problems(h, r, refused);
	page_csv_form(h, r, "/organizer/jurors", "jurors", "jurors-file", W_JURORS_IMPORT_BUTTON, no_file);
}

static void page(http_req *r, http_resp *out, const jurors_list *refused, int no_file, int status)
{
	jury_loads loads;
	html *h;
	if (loads_of(r, &loads) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_NAV_JURORS));
	organizer_nav(h, r);
	const char *added = http_query(r, "added");
	if (added && !refused) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_text(h, tr(r, W_JURORS_IMPORT_DONE));
		html_text(h, " ");
		html_text(h, added);
		html_close(h, "p");
	}
	html_open(h, "p");
	html_open(h, "a");
	html_attr(h, "href", "/organizer/jurors-missing.csv");
	html_attr(h, "id", "missing-csv");
	html_text(h, tr(r, W_JURORS_MISSING_CSV));
	html_close(h, "a");
	html_text(h, " · ");
	html_open(h, "a");
	html_attr(h, "href", "/organizer/assignment");
	html_text(h, tr(r, W_NAV_ASSIGNMENT));
	html_close(h, "a");
	html_close(h, "p");
	/* the invitation links of everyone, new jurors included (pages.c's links CSV) */
	if (permit(&r->who, ACT_EXPORT, NULL, r->phase) == PERMIT_ALLOW) {
		html_open(h, "form");
		html_attr(h, "method", "post");
		html_attr(h, "action", "/organizer/links.csv");
		csrf_field(h, r);
		html_open(h, "button");
		html_attr(h, "type", "submit");
		html_text(h, tr(r, W_LINKS_BUTTON));
		html_close(h, "button");
		html_close(h, "form");
		html_element_text(h, "p", tr(r, W_LINKS_NOTE));
	}
	html_open(h, "table");
	html_attr(h, "id", "jurors");
	html_open(h, "tr");
	static const words_key heads[] = {W_JUROR_ID,     W_JUROR_NAME,  W_JUROR_TIES,    W_JUROR_LOAD,
					  W_JUROR_MARKED, W_JUROR_MARKS, W_JUROR_MISSING, W_RECUSALS};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++)
		html_element_text(h, "th", tr(r, heads[i]));
	html_close(h, "tr");
	struct table_ctx t = {h, r, &loads, STORE_OK};
	store_status st = store_jurors_list(r->st, juror_row, &t);
	jury_loads_free(&loads);
	if (st != STORE_OK || t.rec_st != STORE_OK) {
		html_free(h);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	html_close(h, "table");
	import_form(h, r, refused, no_file);
	page_end(h, out, status);
	out->personal = 1;
}

void jurors_page_get(http_req *r, http_resp *out)
{
	if (!allowed(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	page(r, out, NULL, 0, 200);
}

struct import_ctx {
	const jurors_list *l;
	const char *filename;
	int64_t who, now;
};

static store_status import_tx(store *s, void *ctx)
{
	const struct import_ctx *c = ctx;
	char n[32];
	store_status st = jurors_list_store(s, c->l, c->who, c->now);
	if (st != STORE_OK)
		return st;
	snprintf(n, sizeof n, "%zu", c->l->n);
	return store_audit_append(s, c->who, c->now, "jurors-import", c->filename, NULL, n);
}

void jurors_import_post(http_req *r, http_resp *out)
{
	jurors_list l;
	char to[64], msg[400];
	if (!allowed(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	const form_file *f = form_get_file(&r->form, "jurors");
	if (!f || f->len == 0) {
		page(r, out, NULL, 1, 400);
		return;
	}
	memset(&l, 0, sizeof l);
	jurors_file_read(f->filename && *f->filename ? f->filename : "jurors.csv", (const char *)f->data,
			 f->len, &l);
	/* A juror already in the campaign is refused, not updated: their
	 * conflicts decide what they may mark, and a file must not change them
	 * behind the organizer's back (docs/decisions.md). */
	for (size_t i = 0; i < l.n && !l.nomem; i++) {
		store_juror j;
		store_status st = store_juror_get(r->st, l.v[i].juror_id, &j);
		store_juror_clear(&j);
		if (st == STORE_OK) {
			snprintf(msg, sizeof msg, "%s \"%.200s\"", tr(r, W_JUROR_EXISTS), l.v[i].juror_id);
			jurors_problem_add(&l, (long)l.line[i], msg);
		} else if (st != STORE_NOT_FOUND) {
			l.nomem = 1;
		}
	}
	if (l.nproblems || l.nomem) {
		page(r, out, &l, 0, l.nproblems ? 400 : 500);
		jurors_list_free(&l);
		return;
	}
	struct import_ctx c = {&l, f->filename, r->who.person_id, r->now};
	store_status st = store_tx(r->st, import_tx, &c);
	if (st != STORE_OK) {
		jurors_list_free(&l);
		http_error_page(r, out, st == STORE_REFUSED ? 409 : 500,
				st == STORE_REFUSED ? W_ERR_BAD_REQUEST : W_ERR_SERVER);
		return;
	}
	snprintf(to, sizeof to, "/organizer/jurors?added=%zu", l.n);
	jurors_list_free(&l);
	page_redirect(out, to);
}

struct missing_ctx {
	csvout b;
	const jury_loads *loads;
};

static int missing_row(void *ctx, const store_juror *j)
{
	struct missing_ctx *c = ctx;
	const jury_load *l = jury_loads_find(c->loads, j->juror_id);
	char n[3][24];
	if (!l || jury_load_missing(l) == 0)
		return 0;
	snprintf(n[0], sizeof n[0], "%" PRId64, l->assigned);
	snprintf(n[1], sizeof n[1], "%" PRId64, l->marked);
	snprintf(n[2], sizeof n[2], "%" PRId64, jury_load_missing(l));
	csvout_cell(&c->b, j->juror_id, 0);
	csvout_cell(&c->b, j->name, 0);
	csvout_cell(&c->b, j->email, 0);
	csvout_cell(&c->b, n[0], 0);
	csvout_cell(&c->b, n[1], 0);
	csvout_cell(&c->b, n[2], 1);
	return c->b.nomem;
}

/* GET /organizer/jurors-missing.csv: the jurors with dossiers still to mark. */
void jurors_missing_csv_get(http_req *r, http_resp *out)
{
	jury_loads loads;
	struct missing_ctx c;
	if (!allowed(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (loads_of(r, &loads) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	memset(&c, 0, sizeof c);
	c.loads = &loads;
	static const char *const head[] = {"juror", "name", "email", "assigned", "marked", "missing"};
	for (size_t i = 0; i < 6; i++)
		csvout_cell(&c.b, head[i], i == 5);
	store_status st = store_jurors_list(r->st, missing_row, &c);
	jury_loads_free(&loads);
	if (st != STORE_OK || c.b.nomem) {
		free(c.b.s);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	out->body = c.b.s;
	out->len = c.b.len;
	out->status = 200;
	out->type = "text/csv; charset=utf-8";
	out->disposition = "attachment; filename=\"jurors-missing.csv\"";
	out->personal = 1;
}
