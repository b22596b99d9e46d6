/*
 * The organizer's scores: the live table (GET /organizer/scores), one
 * town's explanation (GET /organizer/explain/TOWN) and the downloads of the
 * live campaign. Everything shown is the engine's: the scored campaign of
 * scores.h (cached while nothing changes), read through palmares/town.h;
 * the explanation is pal_explain_write()'s text, the results are
 * pal_results_write()'s, the documents the renderer's (palmares/documents.h)
 * from those results in memory, never a temporary file.
 *
 * The table is sorted on the server (?sort=COLUMN&dir=asc|desc, no script)
 * and paged, SCORES_PAGE_ROWS rows a page (?page=N): a page of 35,000 rows
 * would be megabytes of HTML that nobody reads whole.
 *
 * Downloads are heavy (the results of 35,000 towns are hundreds of
 * megabytes of JSON; a booklet renders every town): one runs at a time in
 * the process and another asked meanwhile gets a 503 at once, rather than
 * holding one of the few pool threads that every page needs.
 *
 * Who: every route asks permit() first (campaign-view for the table and
 * explain, export for the results, documents-download for the PDFs) and
 * answers 404 otherwise, as for a page that does not exist.
 */
#define _GNU_SOURCE /* open_memstream() */
#include "organizer_scores.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pages.h"
#include "palmares/documents.h"
#include "scores.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

static int allowed(const http_req *r, permit_action a)
{
	return permit(&r->who, a, NULL, r->phase) == PERMIT_ALLOW;
}

static void link(html *h, const http_req *r, const char *path, const char *text)
{
	char buf[1200];
	html_open(h, "a");
	html_attr(h, "href", page_with_lang(r, path, buf, sizeof buf));
	html_text(h, text);
	html_close(h, "a");
}


/* ---- the table ---- */

static const char *const by_names[SCORES_BY_COUNT] = {"town", "name", "state", "score", "level", "messages"};

static scores_by by_of(const char *s)
{
	for (int k = 0; s && k < SCORES_BY_COUNT; k++)
		if (strcmp(s, by_names[k]) == 0)
			return (scores_by)k;
	return SCORES_BY_TOWN;
}

typedef struct {
	scores_by by;
	int desc;
	size_t page, pages; /* 1-based */
} view;

static void view_link(const http_req *r, const view *v, scores_by by, int desc, size_t page, char *buf,
		      size_t len)
{
	char path[200];
	(void)v;
	snprintf(path, sizeof path, "/organizer/scores?sort=%s&dir=%s&page=%zu", by_names[by],
		 desc ? "desc" : "asc", page);
	page_with_lang(r, path, buf, len);
}

/* A column title: a link that sorts by it (again: the other direction). */
static void head_cell(html *h, const http_req *r, const view *v, scores_by by, words_key title)
{
	char buf[300];
	html_open(h, "th");
	if (by == SCORES_BY_COUNT) {
		html_text(h, tr(r, title));
		html_close(h, "th");
		return;
	}
	if (v->by == by)
		html_attr(h, "aria-sort", v->desc ? "descending" : "ascending");
	view_link(r, v, by, v->by == by && !v->desc, 1, buf, sizeof buf);
	html_open(h, "a");
	html_attr(h, "href", buf);
	html_text(h, tr(r, title));
	if (v->by == by)
		html_text(h, v->desc ? " ▼" : " ▲");
	html_close(h, "a");
	html_close(h, "th");
}

static void state_cell(html *h, const http_req *r, store_dossier_state st)
{
	html_element_text(h, "td",
			  tr(r, st == DOSSIER_SUBMITTED ? W_STATE_SUBMITTED
				: st == DOSSIER_DRAFT   ? W_STATE_DRAFT
							: W_STATE_NOT_STARTED));
}

static void mentions_cell(html *h, const http_req *r, const scores *s, size_t t)
{
	const pal_campaign *c = scores_campaign(s);
	const pal_rubric *rb = scores_rubric(s);
	html_open(h, "td");
	for (size_t m = 0; m < pal_campaign_town_count_mentions(c, t); m++) {
		const char *id = pal_campaign_town_mention(c, t, m), *name = id;
		for (size_t k = 0; k < pal_rubric_count_mentions(rb); k++)
			if (strcmp(pal_rubric_mention_id(rb, k), id) == 0)
				name = pal_rubric_mention_name(rb, k, words_code(r->lang));
		if (m)
			html_text(h, " ; ");
		html_open(h, "span");
		html_attr(h, "class", "mention");
		html_attr(h, "data-id", id);
		html_text(h, name ? name : id);
		html_close(h, "span");
	}
	html_close(h, "td");
}

static void row(html *h, const http_req *r, const scores *s, size_t t)
{
	const pal_campaign *c = scores_campaign(s);
	const char *id = pal_campaign_town_id(c, t), *status = pal_campaign_town_status(c, t);
	double points, max, percent;
	int scored = pal_campaign_town_score(c, t, &points, &max, &percent);
	int level = pal_campaign_town_level(c, t);
	char buf[64], path[700];
	html_open(h, "tr");
	html_attr(h, "data-town", id);
	html_attr(h, "data-status", status ? status : "");
	html_element_text(h, "td", id);
	html_element_text(h, "td", pal_campaign_town_name(c, t));
	state_cell(h, r, scores_state(s, t));
	html_open(h, "td");
	if (scored) {
		snprintf(buf, sizeof buf, "%.17g", points);
		html_attr(h, "data-points", buf);
		page_number(r, points, buf, sizeof buf);
		html_text(h, buf);
		html_text(h, " / ");
		page_number(r, max, buf, sizeof buf);
		html_text(h, buf);
	} else {
		html_attr(h, "class", "error");
		html_text(h, tr(r, W_INVALID));
	}
	html_close(h, "td");
	html_open(h, "td");
	if (scored) {
		snprintf(buf, sizeof buf, "%.17g", percent);
		html_attr(h, "data-percent", buf);
		page_number(r, percent, buf, sizeof buf);
		html_text(h, buf);
	}
	html_close(h, "td");
	html_open(h, "td");
	html_attr_int(h, "data-level", level);
	if (level > 0)
		html_text(h, pal_campaign_town_level_name(c, t));
	else if (level == 0)
		html_text(h, tr(r, W_NOT_LABELLED));
	else if (status && strcmp(status, "pending") == 0)
		html_text(h, tr(r, W_PENDING));
	else
		html_text(h, "—");
	html_close(h, "td");
	mentions_cell(h, r, s, t);
	html_open(h, "td");
	if (status && strcmp(status, "invalid") == 0)
		html_attr(h, "class", "error");
	html_int(h, (long long)scores_messages(s, t));
	html_close(h, "td");
	html_open(h, "td");
	page_path("/organizer/explain/", id, path, sizeof path);
	link(h, r, path, tr(r, W_EXPLAIN));
	html_close(h, "td");
	html_close(h, "tr");
}

static void downloads(html *h, const http_req *r)
{
	static const struct {
		const char *path;
		words_key text;
		permit_action need;
	} d[] = {
		{"/organizer/results.json", W_DL_RESULTS_JSON, ACT_EXPORT},
		{"/organizer/results.csv", W_DL_RESULTS_CSV, ACT_EXPORT},
		{"/organizer/certificates.pdf", W_DL_CERTIFICATES, ACT_DOCUMENTS_DOWNLOAD},
		{"/organizer/booklet.pdf", W_DL_BOOKLET, ACT_DOCUMENTS_DOWNLOAD},
	};
	html_element_text(h, "h2", tr(r, W_DOWNLOADS));
	html_open(h, "ul");
	for (size_t k = 0; k < sizeof d / sizeof d[0]; k++) {
		if (!allowed(r, d[k].need))
			continue;
		html_open(h, "li");
		link(h, r, d[k].path, tr(r, d[k].text));
		html_close(h, "li");
	}
	html_close(h, "ul");
}

static void pager(html *h, const http_req *r, const view *v)
{
	char prev[300] = "", next[300] = "";
	if (v->page > 1)
		view_link(r, v, v->by, v->desc, v->page - 1, prev, sizeof prev);
	if (v->page < v->pages)
		view_link(r, v, v->by, v->desc, v->page + 1, next, sizeof next);
	page_pager(h, r, v->page, v->pages, prev, next);
}

/* The first scores since the server started are being computed: reload later. */
static void pending_page(http_req *r, http_resp *out)
{
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_SCORES_TITLE));
	organizer_nav(h, r);
	html_open(h, "p");
	html_attr(h, "id", "scores-pending");
	html_attr(h, "class", "note");
	html_text(h, tr(r, W_SCORES_PENDING));
	html_close(h, "p");
	html_open(h, "p");
	link(h, r, "/organizer/scores", tr(r, W_RELOAD));
	html_close(h, "p");
	page_end(h, out, 200);
	out->personal = 1;
}

/* When the figures were computed, and whether newer answers are being scored. */
static void as_of(html *h, const http_req *r, const scores *s)
{
	int current = scores_current(s, r->st);
	time_t t = (time_t)scores_built_at(s);
	struct tm tm;
	char when[64] = "";
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
	html_open(h, "p");
	html_attr(h, "id", "scores-as-of");
	html_attr(h, "class", current ? "note" : "note stale");
	html_attr_int(h, "data-current", current);
	html_text(h, tr(r, W_SCORES_AS_OF));
	html_text(h, " ");
	html_text(h, when);
	if (!current) {
		html_text(h, ". ");
		html_text(h, tr(r, W_SCORES_STALE));
	}
	html_close(h, "p");
}

void scores_page(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_CAMPAIGN_VIEW)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	int pending;
	scores *s = scores_get(r->st, 0, &pending);
	const size_t *order = s ? scores_order(s, by_of(http_query(r, "sort"))) : NULL;
	if (!s && pending) {
		pending_page(r, out);
		return;
	}
	if (!order) {
		scores_release(s);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	const char *dir = http_query(r, "dir");
	size_t n = scores_count(s);
	view v = {by_of(http_query(r, "sort")), dir && strcmp(dir, "desc") == 0,
		  page_of_query(http_query(r, "page")), 0};
	v.pages = n ? (n + SCORES_PAGE_ROWS - 1) / SCORES_PAGE_ROWS : 1;
	if (v.page > v.pages)
		v.page = v.pages;
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_SCORES_TITLE));
	organizer_nav(h, r);
	html_element_text(h, "p", tr(r, W_SCORES_INTRO));
	as_of(h, r, s);
	html_open(h, "p");
	html_int(h, (long long)n);
	html_text(h, " ");
	html_text(h, tr(r, W_TOWNS_COUNT));
	html_close(h, "p");
	downloads(h, r);
	pager(h, r, &v);
	html_open(h, "table");
	html_attr(h, "class", "scores");
	html_open(h, "tr");
	head_cell(h, r, &v, SCORES_BY_TOWN, W_TOWN_ID);
	head_cell(h, r, &v, SCORES_BY_NAME, W_TOWN_NAME);
	head_cell(h, r, &v, SCORES_BY_STATE, W_STATUS);
	head_cell(h, r, &v, SCORES_BY_SCORE, W_SCORE);
	head_cell(h, r, &v, SCORES_BY_SCORE, W_PERCENT);
	head_cell(h, r, &v, SCORES_BY_LEVEL, W_LEVEL);
	head_cell(h, r, &v, SCORES_BY_COUNT, W_MENTIONS);
	head_cell(h, r, &v, SCORES_BY_MESSAGES, W_MESSAGES);
	head_cell(h, r, &v, SCORES_BY_COUNT, W_EXPLAIN);
	html_close(h, "tr");
	size_t first = (v.page - 1) * SCORES_PAGE_ROWS;
	for (size_t k = first; k < n && k < first + SCORES_PAGE_ROWS; k++)
		row(h, r, s, order[v.desc ? n - 1 - k : k]);
	html_close(h, "table");
	pager(h, r, &v);
	scores_release(s);
	page_end(h, out, 200);
	out->personal = 1;
}

/* ---- explain ---- */

/* What fn writes into a stream, as an owned buffer of *len bytes; NULL when it fails. */
typedef int (*write_fn)(void *ctx, FILE *fp);

static char *written(write_fn fn, void *ctx, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	if (!fp)
		return NULL;
	int rc = fn(ctx, fp);
	if (fclose(fp) != 0 || rc != 0) {
		free(buf);
		return NULL;
	}
	*len = size;
	return buf;
}

struct explain_ctx {
	const pal_campaign *c;
	const char *town, *lang;
	int unknown;
};

static int write_explain(void *ctx, FILE *fp)
{
	struct explain_ctx *e = ctx;
	int rc = pal_explain_write(e->c, e->town, e->lang, fp);
	e->unknown = rc == 1;
	return rc;
}

void explain_page(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_CAMPAIGN_VIEW) || !r->arg || !*r->arg) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	/* The figures of the table it is reached from (the cached campaign). */
	int pending;
	scores *s = scores_get(r->st, 0, &pending);
	if (!s) {
		if (pending)
			pending_page(r, out);
		else
			http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	struct explain_ctx e = {scores_campaign(s), r->arg, words_code(r->lang), 0};
	size_t len = 0;
	char *text = written(write_explain, &e, &len);
	if (!text) {
		scores_release(s);
		http_error_page(r, out, e.unknown ? 404 : 500, e.unknown ? W_ERR_NOT_FOUND : W_ERR_SERVER);
		return;
	}
	long t = pal_campaign_find_town(e.c, r->arg);
	char path[700];
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_EXPLAIN_TITLE));
	organizer_nav(h, r);
	html_open(h, "p");
	html_text(h, r->arg);
	if (t >= 0) {
		html_text(h, " ");
		html_element_text(h, "strong", pal_campaign_town_name(e.c, (size_t)t));
	}
	html_close(h, "p");
	html_open(h, "pre");
	html_attr(h, "class", "explain");
	html_text_n(h, text, len, HTML_MULTILINE);
	html_close(h, "pre");
	free(text);
	html_open(h, "p");
	if (allowed(r, ACT_DOCUMENTS_DOWNLOAD)) {
		page_path("/organizer/report/", r->arg, path, sizeof path);
		link(h, r, path, tr(r, W_DL_REPORT));
		html_text(h, " · ");
	}
	link(h, r, "/organizer/scores", tr(r, W_BACK_TO_SCORES));
	html_close(h, "p");
	scores_release(s);
	page_end(h, out, 200);
	out->personal = 1;
}

/* ---- downloads ---- */

/* One download at a time in the process (see the top of the file). */
static atomic_int busy;

static int download_begin(http_req *r, http_resp *out, permit_action a)
{
	int idle = 0;
	if (!allowed(r, a)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return 0;
	}
	if (!atomic_compare_exchange_strong(&busy, &idle, 1)) {
		http_error_page(r, out, 503, W_ERR_BUSY);
		return 0;
	}
	return 1;
}

static void download_end(void)
{
	atomic_store(&busy, 0);
}

static void attachment(http_resp *out, char *body, size_t len, const char *type, const char *disposition)
{
	out->body = body;
	out->len = len;
	out->status = 200;
	out->type = type;
	out->disposition = disposition;
	out->personal = 1;
}

struct results_ctx {
	const pal_campaign *c;
	pal_results_format fmt;
};

static int write_results(void *ctx, FILE *fp)
{
	const struct results_ctx *w = ctx;
	/* As `palmares score -o results.json` / `--format csv` write them (plain CSV). */
	return w->fmt == PAL_RESULTS_CSV ? pal_results_write_csv(w->c, PAL_CSV_PLAIN, fp)
					 : pal_results_write(w->c, w->fmt, NULL, fp);
}

/* The live results as the engine writes them; NULL on failure. */
static char *live_results(const scores *s, pal_results_format fmt, size_t *len)
{
	struct results_ctx w = {scores_campaign(s), fmt};
	return written(write_results, &w, len);
}

static void results_download(http_req *r, http_resp *out, pal_results_format fmt)
{
	if (!download_begin(r, out, ACT_EXPORT))
		return;
	scores *s = scores_get(r->st, SCORES_FRESH, NULL);
	size_t len = 0;
	char *body = s ? live_results(s, fmt, &len) : NULL;
	scores_release(s);
	download_end();
	if (!body) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	if (fmt == PAL_RESULTS_CSV)
		attachment(out, body, len, "text/csv; charset=utf-8", "attachment; filename=\"results.csv\"");
	else
		attachment(out, body, len, "application/json", "attachment; filename=\"results.json\"");
}

void results_json(http_req *r, http_resp *out)
{
	results_download(r, out, PAL_RESULTS_JSON);
}

void results_csv(http_req *r, http_resp *out)
{
	results_download(r, out, PAL_RESULTS_CSV);
}

struct render_ctx {
	const pal_doc_results *res;
	const pal_doc_options *o;
	const char *name;
	int status;
};

static int write_document(void *ctx, FILE *fp)
{
	struct render_ctx *d = ctx;
	pal_diags *diags = pal_diags_new();
	d->status = diags ? pal_doc_render_stream(d->res, d->o, fp, d->name, diags) : PAL_DOC_IOERR;
	pal_diags_free(diags);
	return d->status == PAL_DOC_OK ? 0 : -1;
}

/* Renders the live results' document (town: one town's report, else NULL). */
static void document(http_req *r, http_resp *out, pal_doc_kind kind, const char *town, const char *name,
		     const char *disposition)
{
	if (!download_begin(r, out, ACT_DOCUMENTS_DOWNLOAD))
		return;
	scores *s = scores_get(r->st, SCORES_FRESH, NULL);
	size_t len = 0, pdf_len = 0;
	char *json = s ? live_results(s, PAL_RESULTS_JSON, &len) : NULL, *pdf = NULL;
	int unknown = 0, status = PAL_DOC_IOERR;
	scores_release(s);
	pal_diags *diags = pal_diags_new();
	pal_doc_results *res =
		json && diags ? pal_doc_results_load_text("results.json", json, len, diags, &status) : NULL;
	free(json);
	pal_diags_free(diags);
	if (res && town && pal_doc_results_find(res, town) == (size_t)-1)
		unknown = 1;
	char verify[600];
	/* The QR code of a certificate leads to this server's /verify. */
	snprintf(verify, sizeof verify, "%s/verify/{code}", http_base_url(r->srv));
	const char *towns[1] = {town};
	pal_doc_options o = {
		.kind = kind,
		.format = PAL_DOC_PDF,
		.lang = words_code(r->lang),
		.verify_url = kind == PAL_DOC_CERTIFICATES ? verify : NULL,
		.towns = town ? towns : NULL,
		.ntowns = town ? 1 : 0,
		.jobs = 1,
	};
	struct render_ctx d = {res, &o, name, PAL_DOC_IOERR};
	int loaded = res != NULL;
	if (res && !unknown)
		pdf = written(write_document, &d, &pdf_len);
	pal_doc_results_free(res);
	download_end();
	if (unknown) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!pdf) {
		/* Refused: no town gets the document yet (nothing is wrong with the server). */
		if (loaded && d.status == PAL_DOC_REJECTED)
			http_error_page(r, out, 409, W_NO_DOCUMENT);
		else
			http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	attachment(out, pdf, pdf_len, "application/pdf", disposition);
}

void certificates_pdf(http_req *r, http_resp *out)
{
	document(r, out, PAL_DOC_CERTIFICATES, NULL, "certificates.pdf",
		 "attachment; filename=\"certificates.pdf\"");
}

void booklet_pdf(http_req *r, http_resp *out)
{
	document(r, out, PAL_DOC_BOOKLET, NULL, "booklet.pdf", "attachment; filename=\"booklet.pdf\"");
}

void report_pdf(http_req *r, http_resp *out)
{
	/* The file name says the town: its id's characters outside [A-Za-z0-9._-]
	 * become '_' (as pal_doc_render_dir names files), so that the header
	 * needs no quoting. Kept per thread: http.c copies it when it answers. */
	static _Thread_local char disposition[300];
	char name[200];
	size_t k = 0;
	if (!r->arg || !*r->arg) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	for (const char *p = r->arg; *p && k + 1 < sizeof name; p++)
		name[k++] = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
					    (*p >= '0' && *p <= '9') || strchr("._-", *p)
				    ? *p
				    : '_';
	name[k] = 0;
	snprintf(disposition, sizeof disposition, "attachment; filename=\"report-%s.pdf\"", name);
	document(r, out, PAL_DOC_REPORT, r->arg, "report.pdf", disposition);
}
