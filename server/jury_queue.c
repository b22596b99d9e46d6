/*
 * GET /jury: the juror's queue. The dossiers assigned to the logged-in
 * juror that permit() opens to them now (no conflict: own town, the jurors
 * file's conflicts, a recusal), the progress ("12 / 45 marked": a dossier
 * is marked when every jury criterion that applies to it, as the engine
 * decides on its dossier, has a mark) and, per dossier, the criteria still
 * without a mark; then the offline sheet (jury_sheet.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jury.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

/* The sheet's download link and upload form (its result, when given, above). */
void jury_sheet_section(html *h, const http_req *r)
{
	html_open(h, "section");
	html_attr(h, "id", "sheet");
	html_element_text(h, "h2", tr(r, W_JURY_SHEET_TITLE));
	html_element_text(h, "p", tr(r, W_JURY_SHEET_HELP));
	html_open(h, "p");
	html_open(h, "a");
	html_attr(h, "href", "/jury/sheet.csv");
	html_attr(h, "id", "sheet-download");
	html_text(h, tr(r, W_JURY_SHEET_DOWNLOAD));
	html_close(h, "a");
	html_close(h, "p");
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/jury/sheet");
	html_attr(h, "enctype", "multipart/form-data");
	html_attr(h, "id", "sheet-upload");
	csrf_field(h, r);
	html_open(h, "input");
	html_attr(h, "type", "file");
	html_attr(h, "name", "sheet");
	html_attr(h, "id", "sheet-file");
	html_attr(h, "accept", ".csv,.tsv,.txt,text/csv");
	html_text(h, " ");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_text(h, tr(r, W_JURY_SHEET_UPLOAD));
	html_close(h, "button");
	html_close(h, "form");
	html_close(h, "section");
}

/* The queue's table and progress into h. -1 when the store or memory failed. */
static int queue_table(html *h, http_req *r, const pal_rubric *rb, const char *juror)
{
	jury_towns q;
	jury_scoring s;
	size_t nc = pal_rubric_count_criteria(rb), done = 0;
	size_t *idx = calloc(nc + 1, sizeof *idx);
	unsigned char *given = calloc(nc + 1, 1);
	int rc = -1;
	const char *lang = words_code(r->lang);
	char buf[128];
	if (!idx || !given || jury_queue_towns(r, juror, &q) != 0) {
		free(idx);
		free(given);
		return -1;
	}
	if (jury_score(r->st, rb, juror, q.id, q.n, NULL, NULL, 0, &s) != 0)
		goto done;
	if (!q.n) {
		html_open(h, "p");
		html_attr(h, "id", "queue-empty");
		html_text(h, tr(r, r->phase == PHASE_MARKING || r->phase == PHASE_DELIBERATION
					   ? W_JURY_NO_DOSSIER
					   : W_JURY_CLOSED));
		html_close(h, "p");
		rc = 0;
		goto done;
	}
	/* The progress first, as the page shows it above the list. */
	for (size_t t = 0; t < q.n; t++) {
		size_t n = jury_applicable(&s, rb, t, idx), lack = 0;
		if (jury_given(r->st, rb, juror, q.id[t], idx, n, given) != 0)
			goto done;
		for (size_t k = 0; k < n; k++)
			lack += !given[k];
		done += lack == 0;
	}
	html_open(h, "p");
	html_attr(h, "id", "progress");
	snprintf(buf, sizeof buf, "%zu / %zu ", done, q.n);
	html_text(h, buf);
	html_text(h, tr(r, W_JURY_MARKED));
	html_close(h, "p");
	html_open(h, "table");
	html_attr(h, "id", "queue");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_TOWN_ID));
	html_element_text(h, "th", tr(r, W_TOWN_NAME));
	html_element_text(h, "th", tr(r, W_STATUS));
	html_close(h, "tr");
	for (size_t t = 0; t < q.n; t++) {
		size_t n = jury_applicable(&s, rb, t, idx), lack = 0;
		char href[600];
		if (jury_given(r->st, rb, juror, q.id[t], idx, n, given) != 0) {
			html_close(h, "table");
			goto done;
		}
		for (size_t k = 0; k < n; k++)
			lack += !given[k];
		page_path("/jury/dossier/", q.id[t], href, sizeof href);
		html_open(h, "tr");
		html_attr(h, "data-town", q.id[t]);
		html_attr(h, "class", lack ? "lacking" : "marked");
		html_element_text(h, "td", q.id[t]);
		html_open(h, "td");
		html_open(h, "a");
		html_attr(h, "href", href);
		html_text(h, q.name[t]);
		html_close(h, "a");
		html_close(h, "td");
		html_open(h, "td");
		if (!lack) {
			html_text(h, tr(r, W_JURY_ALL_MARKED));
		} else {
			html_text(h, tr(r, W_JURY_LACKS));
			html_open(h, "ul");
			html_attr(h, "class", "lacks");
			for (size_t k = 0; k < n; k++)
				if (!given[k]) {
					html_open(h, "li");
					html_attr(h, "data-criterion", pal_rubric_criterion_id(rb, idx[k]));
					html_text(h, pal_rubric_criterion_title(rb, idx[k], lang));
					html_close(h, "li");
				}
			html_close(h, "ul");
		}
		html_close(h, "td");
		html_close(h, "tr");
	}
	html_close(h, "table");
	rc = 0;
done:
	jury_scoring_free(&s);
	jury_towns_free(&q);
	free(idx);
	free(given);
	return rc;
}

void jury_queue_page(http_req *r, http_resp *out, const void *ctx, jury_result_fn fn, int status)
{
	store_juror me;
	const pal_rubric *rb;
	if (permit(&r->who, ACT_JURY_QUEUE, NULL, r->phase) != PERMIT_ALLOW || jury_me(r, &me) != 0) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st))) {
		store_juror_clear(&me);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_JURY_QUEUE_TITLE));
	if (http_query(r, "recused")) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_attr(h, "id", "recused");
		html_text(h, tr(r, W_JURY_RECUSED));
		html_close(h, "p");
	}
	if (fn)
		fn(h, r, ctx);
	if (queue_table(h, r, rb, me.juror_id) != 0) {
		html_free(h);
		store_juror_clear(&me);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	jury_sheet_section(h, r);
	store_juror_clear(&me);
	page_end(h, out, status);
	out->personal = 1;
}

void jury_queue_get(http_req *r, http_resp *out)
{
	jury_queue_page(r, out, NULL, NULL, 200);
}
