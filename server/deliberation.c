/*
 * The organizer's deliberation: the page of every dossier (GET
 * /organizer/deliberation), one dossier's marks (GET
 * /organizer/deliberation/TOWN); the level overrides are override.c's.
 *
 * Every figure is the engine's, read from the scored campaign of scores.h
 * through palmares/town.h and palmares/jury_view.h: levels, computed
 * levels, overrides in force, disagreement flags, marks, aggregates,
 * Krippendorff's alpha per jury criterion and the jurors' calibration; the
 * borderline list is pal_borderline_compute()'s (borderline.h, computed in
 * the background). Nothing of the jury's statistics is computed here.
 *
 * The table is sorted on the server (?sort=score|level|flags|town&dir=
 * asc|desc), filtered to the dossiers on an edge with ?edge=1, and paged,
 * DELIBERATION_PAGE_ROWS rows a page (?page=N), as the scores table is;
 * the borderline list above it shows its first DELIBERATION_PAGE_ROWS
 * dossiers, so that a page stays bounded at national size.
 *
 * A dossier's page ends with the override form of override.c.
 *
 * Who: every route asks permit(deliberation-view) first and answers 404
 * otherwise.
 */
#include "deliberation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "borderline.h"
#include "pages.h"
#include "palmares/jury.h"
#include "palmares/jury_view.h"
#include "scores.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

static int allowed(const http_req *r, permit_action a, const char *town)
{
	permit_target on = {town, 0, 0, 0, 0, SEE_NEVER, 0};
	return permit(&r->who, a, town ? &on : NULL, r->phase) == PERMIT_ALLOW;
}

static void link(html *h, const http_req *r, const char *path, const char *text)
{
	char buf[1200];
	html_open(h, "a");
	html_attr(h, "href", page_with_lang(r, path, buf, sizeof buf));
	html_text(h, text);
	html_close(h, "a");
}

const char *deliberation_town_path(const char *town, char *buf, size_t len)
{
	return page_path("/organizer/deliberation/", town, buf, len);
}


/* A cell with the number shown and in full in a data- attribute (for tests and scripts). */
static void number_cell(html *h, const http_req *r, const char *attr, double v)
{
	char buf[64];
	html_open(h, "td");
	snprintf(buf, sizeof buf, "%.17g", v);
	html_attr(h, attr, buf);
	page_number(r, v, buf, sizeof buf);
	html_text(h, buf);
	html_close(h, "td");
}

/* A level as the scores table words it: its name, "not labelled", pending or a dash. */
static void level_text(html *h, const http_req *r, const pal_rubric *rb, int level, const char *status)
{
	if (level > 0)
		html_text(h, pal_rubric_level_name(rb, (size_t)level - 1));
	else if (level == 0)
		html_text(h, tr(r, W_NOT_LABELLED));
	else if (status && strcmp(status, "pending") == 0)
		html_text(h, tr(r, W_PENDING));
	else
		html_text(h, "—");
}

/* The reasons a dossier is on an edge, in words. */
static void edge_text(html *h, const http_req *r, const border_list *b, long i)
{
	unsigned why = border_why(b, (size_t)i);
	int first = 1;
	static const struct {
		unsigned bit;
		words_key text;
	} reasons[] = {
		{PAL_BORDER_BELOW_NEXT, W_DELIB_BELOW_NEXT},
		{PAL_BORDER_ABOVE_OWN, W_DELIB_ABOVE_OWN},
		{PAL_BORDER_ONE_MARK, W_DELIB_ONE_MARK},
	};
	for (size_t k = 0; k < sizeof reasons / sizeof reasons[0]; k++) {
		if (!(why & reasons[k].bit))
			continue;
		if (!first)
			html_text(h, " ; ");
		first = 0;
		html_text(h, tr(r, reasons[k].text));
	}
	for (size_t k = 0; k < border_count_marks(b, (size_t)i); k++) {
		const char *juror, *crit;
		border_mark(b, (size_t)i, k, &juror, &crit);
		html_text(h, " ");
		html_open(h, "span");
		html_attr(h, "class", "hanging-mark");
		html_attr(h, "data-juror", juror);
		html_attr(h, "data-criterion", crit);
		html_text(h, juror);
		html_text(h, " / ");
		html_text(h, crit);
		html_close(h, "span");
	}
}

/* When the figures were computed, and whether newer ones are on their way. */
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

/* The first scores since the server started are being computed: reload later. */
static void pending_page(http_req *r, http_resp *out, words_key title)
{
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, title));
	organizer_nav(h, r);
	html_open(h, "p");
	html_attr(h, "id", "scores-pending");
	html_attr(h, "class", "note");
	html_text(h, tr(r, W_SCORES_PENDING));
	html_close(h, "p");
	html_open(h, "p");
	link(h, r, "/organizer/deliberation", tr(r, W_RELOAD));
	html_close(h, "p");
	page_end(h, out, 200);
	out->personal = 1;
}

/* ---- the jury's statistics ---- */

static void alpha_table(html *h, const http_req *r, const pal_campaign *c, const pal_rubric *rb)
{
	char buf[64];
	html_element_text(h, "h2", tr(r, W_DELIB_ALPHA_TITLE));
	html_open(h, "table");
	html_attr(h, "id", "alpha");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_DELIB_CRITERION));
	html_element_text(h, "th", tr(r, W_DELIB_ALPHA));
	html_element_text(h, "th", tr(r, W_DELIB_DOSSIERS));
	html_element_text(h, "th", tr(r, W_DELIB_MARKS));
	html_close(h, "tr");
	for (size_t j = 0; j < pal_campaign_jury_count_criteria(c); j++) {
		double alpha;
		size_t dossiers, marks;
		int defined = pal_campaign_jury_alpha(c, j, &alpha, &dossiers, &marks);
		const char *id = pal_campaign_jury_criterion(c, j);
		const char *title = pal_rubric_criterion_title(rb, pal_campaign_jury_criterion_index(c, j),
							       words_code(r->lang));
		html_open(h, "tr");
		html_attr(h, "data-criterion", id);
		html_open(h, "td");
		html_text(h, title ? title : id);
		html_close(h, "td");
		if (defined) {
			number_cell(h, r, "data-alpha", alpha);
		} else {
			html_open(h, "td");
			html_attr(h, "data-alpha", "");
			html_attr(h, "class", "note");
			html_text(h, tr(r, W_DELIB_UNDEFINED));
			html_close(h, "td");
		}
		snprintf(buf, sizeof buf, "%zu", dossiers);
		html_open(h, "td");
		html_attr(h, "data-dossiers", buf);
		html_text(h, buf);
		html_close(h, "td");
		snprintf(buf, sizeof buf, "%zu", marks);
		html_open(h, "td");
		html_attr(h, "data-marks", buf);
		html_text(h, buf);
		html_close(h, "td");
		html_close(h, "tr");
	}
	html_close(h, "table");
}

static void jurors_table(html *h, const http_req *r, const pal_campaign *c)
{
	char buf[64];
	size_t n = pal_campaign_jury_count_jurors(c);
	html_element_text(h, "h2", tr(r, W_DELIB_JURORS_TITLE));
	if (!n) {
		html_element_text(h, "p", tr(r, W_DELIB_NO_JURY));
		return;
	}
	html_open(h, "table");
	html_attr(h, "id", "calibration");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_DELIB_JUROR));
	html_element_text(h, "th", tr(r, W_DELIB_MARKS));
	html_element_text(h, "th", tr(r, W_DELIB_MEAN));
	html_element_text(h, "th", tr(r, W_DELIB_SD));
	html_element_text(h, "th", tr(r, W_DELIB_CALIBRATED));
	html_close(h, "tr");
	for (size_t k = 0; k < n; k++) {
		size_t marks;
		double mean, sd;
		int cal;
		pal_campaign_jury_juror_stats(c, k, &marks, &mean, &sd, &cal);
		html_open(h, "tr");
		html_attr(h, "data-juror", pal_campaign_jury_juror(c, k));
		html_element_text(h, "td", pal_campaign_jury_juror(c, k));
		snprintf(buf, sizeof buf, "%zu", marks);
		html_open(h, "td");
		html_attr(h, "data-marks", buf);
		html_text(h, buf);
		html_close(h, "td");
		number_cell(h, r, "data-mean", mean);
		number_cell(h, r, "data-sd", sd);
		html_open(h, "td");
		html_attr_int(h, "data-calibrated", cal);
		html_text(h, tr(r, cal ? W_YES : W_NO));
		html_close(h, "td");
		html_close(h, "tr");
	}
	html_close(h, "table");
}

/* The borderline list, or why it is not there yet. */
static void border_section(html *h, const http_req *r, const pal_campaign *c, const border_list *b,
			   int pending)
{
	char path[1000];
	html_element_text(h, "h2", tr(r, W_DELIB_BORDER_TITLE));
	if (!b) {
		html_open(h, "p");
		html_attr(h, "id", "borderline-pending");
		html_attr(h, "class", "note");
		html_text(h, tr(r, pending ? W_DELIB_BORDER_PENDING : W_ERR_SERVER));
		html_close(h, "p");
		return;
	}
	if (!border_count(b)) {
		html_open(h, "p");
		html_attr(h, "id", "borderline-none");
		html_text(h, tr(r, W_DELIB_BORDER_NONE));
		html_close(h, "p");
		return;
	}
	/* a page is bounded: at national size the list has thousands of dossiers,
	 * which the table shows filtered (?edge=1), 100 a page */
	if (border_count(b) > DELIBERATION_PAGE_ROWS) {
		html_open(h, "p");
		html_attr(h, "id", "borderline-more");
		html_int(h, (long long)border_count(b));
		html_text(h, " ");
		html_text(h, tr(r, W_DELIB_BORDER_MORE));
		html_text(h, " ");
		link(h, r, "/organizer/deliberation?edge=1", tr(r, W_DELIB_EDGE_ONLY));
		html_close(h, "p");
	}
	html_open(h, "ul");
	html_attr(h, "id", "borderline");
	for (size_t i = 0; i < border_count(b) && i < DELIBERATION_PAGE_ROWS; i++) {
		const char *town = border_town(b, i);
		long t = pal_campaign_find_town(c, town);
		html_open(h, "li");
		html_attr(h, "data-town", town);
		html_attr_int(h, "data-why", (long long)border_why(b, i));
		link(h, r, deliberation_town_path(town, path, sizeof path), town);
		if (t >= 0) {
			html_text(h, " ");
			html_element_text(h, "strong", pal_campaign_town_name(c, (size_t)t));
		}
		html_text(h, " — ");
		edge_text(h, r, b, (long)i);
		html_close(h, "li");
	}
	html_close(h, "ul");
}

/* ---- the dossiers' table ---- */

typedef enum { BY_TOWN = 0, BY_SCORE, BY_LEVEL, BY_FLAGS, BY_COUNT } delib_by;

static const char *const by_names[BY_COUNT] = {"town", "score", "level", "flags"};

static delib_by by_of(const char *s)
{
	for (int k = 0; s && k < BY_COUNT; k++)
		if (strcmp(s, by_names[k]) == 0)
			return (delib_by)k;
	return BY_TOWN;
}

typedef struct {
	delib_by by;
	int desc;
	int edge;           /* only the dossiers on an edge (?edge=1) */
	size_t page, pages; /* 1-based */
} view;

static void view_link(const http_req *r, const view *v, delib_by by, int desc, size_t page, char *buf,
		      size_t len)
{
	char path[200];
	snprintf(path, sizeof path, "/organizer/deliberation?sort=%s&dir=%s&page=%zu%s", by_names[by],
		 desc ? "desc" : "asc", page, v->edge ? "&edge=1" : "");
	page_with_lang(r, path, buf, len);
}

static void head_cell(html *h, const http_req *r, const view *v, delib_by by, words_key title)
{
	char buf[300];
	html_open(h, "th");
	if (by == BY_COUNT) {
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

static void pager(html *h, const http_req *r, const view *v)
{
	char prev[300] = "", next[300] = "";
	if (v->page > 1)
		view_link(r, v, v->by, v->desc, v->page - 1, prev, sizeof prev);
	if (v->page < v->pages)
		view_link(r, v, v->by, v->desc, v->page + 1, next, sizeof next);
	page_pager(h, r, v->page, v->pages, prev, next);
}

/* The towns by number of disagreements (ties in town id order): computed
 * per request, a count per town that the engine keeps at hand. */
typedef struct {
	size_t flags, t;
} flag_item;

static int cmp_flags(const void *a, const void *b)
{
	const flag_item *x = a, *y = b;
	if (x->flags != y->flags)
		return x->flags < y->flags ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

static size_t *flags_order(const pal_campaign *c, size_t n)
{
	flag_item *it = malloc((n ? n : 1) * sizeof *it);
	size_t *o = malloc((n ? n : 1) * sizeof *o);
	if (!it || !o) {
		free(it);
		free(o);
		return NULL;
	}
	for (size_t t = 0; t < n; t++)
		it[t] = (flag_item){pal_campaign_town_count_disagreements(c, t), t};
	qsort(it, n, sizeof *it, cmp_flags);
	for (size_t t = 0; t < n; t++)
		o[t] = it[t].t;
	free(it);
	return o;
}

static void row(html *h, const http_req *r, const scores *s, const border_list *b, size_t t)
{
	const pal_campaign *c = scores_campaign(s);
	const pal_rubric *rb = scores_rubric(s);
	const char *id = pal_campaign_town_id(c, t), *status = pal_campaign_town_status(c, t);
	double points, max, percent;
	int scored = pal_campaign_town_score(c, t, &points, &max, &percent);
	int level = pal_campaign_town_level(c, t), computed = pal_campaign_town_computed_level(c, t);
	const char *reason = pal_campaign_town_override_reason(c, t);
	size_t flags = pal_campaign_town_count_disagreements(c, t);
	char path[1000];
	html_open(h, "tr");
	html_attr(h, "data-town", id);
	html_attr(h, "data-status", status ? status : "");
	html_element_text(h, "td", id);
	html_element_text(h, "td", pal_campaign_town_name(c, t));
	if (scored) {
		number_cell(h, r, "data-percent", percent);
	} else {
		html_open(h, "td");
		html_attr(h, "class", "error");
		html_text(h, tr(r, W_INVALID));
		html_close(h, "td");
	}
	html_open(h, "td");
	html_attr_int(h, "data-level", level);
	html_attr_int(h, "data-computed-level", computed);
	html_attr_int(h, "data-override", reason != NULL);
	level_text(h, r, rb, level, status);
	if (reason) {
		html_text(h, " (");
		html_text(h, tr(r, W_DELIB_COMPUTED_LEVEL));
		html_text(h, " : ");
		level_text(h, r, rb, computed, status);
		html_text(h, ")");
	}
	html_close(h, "td");
	html_open(h, "td");
	html_attr_int(h, "data-flags", (long long)flags);
	if (flags) {
		pal_town_results *res = pal_campaign_town_results(c, t);
		html_attr(h, "class", "error");
		for (size_t j = 0, shown = 0; res && j < pal_campaign_jury_count_criteria(c); j++) {
			if (!pal_town_results_disagreement(res, pal_campaign_jury_criterion_index(c, j)))
				continue;
			if (shown++)
				html_text(h, ", ");
			html_text(h, pal_campaign_jury_criterion(c, j));
		}
		if (!res)
			html_int(h, (long long)flags);
		pal_town_results_free(res);
	}
	html_close(h, "td");
	html_open(h, "td");
	long e = border_find(b, id);
	html_attr_int(h, "data-why", e >= 0 ? (long long)border_why(b, (size_t)e) : 0);
	if (e >= 0)
		edge_text(h, r, b, e);
	html_close(h, "td");
	html_open(h, "td");
	link(h, r, deliberation_town_path(id, path, sizeof path), tr(r, W_DELIB_OPEN));
	html_close(h, "td");
	html_close(h, "tr");
}

void deliberation_page(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_DELIBERATION_VIEW, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	int pending, border_pending = 0;
	scores *s = scores_get(r->st, 0, &pending);
	if (!s) {
		if (pending)
			pending_page(r, out, W_DELIB_TITLE);
		else
			http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	const char *dir = http_query(r, "dir");
	const pal_campaign *c = scores_campaign(s);
	size_t n = scores_count(s);
	const char *edge = http_query(r, "edge");
	view v = {by_of(http_query(r, "sort")), dir && strcmp(dir, "desc") == 0,
		  edge && strcmp(edge, "1") == 0, page_of_query(http_query(r, "page")), 0};
	size_t *owned = NULL;
	const size_t *order = v.by == BY_FLAGS   ? (owned = flags_order(c, n))
			      : v.by == BY_SCORE ? scores_order(s, SCORES_BY_SCORE)
			      : v.by == BY_LEVEL ? scores_order(s, SCORES_BY_LEVEL)
						 : scores_order(s, SCORES_BY_TOWN);
	if (!order) {
		scores_release(s);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	border_list *b = border_get(r->st, scores_version(s), &border_pending);
	size_t *edged = v.edge ? malloc((n ? n : 1) * sizeof *edged) : NULL;
	if (v.edge && !edged) {
		free(owned);
		border_release(b);
		scores_release(s);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	if (edged) {
		/* the same order, only the dossiers on an edge (none while the list is computed) */
		size_t m = 0;
		for (size_t k = 0; k < n; k++)
			if (border_find(b, pal_campaign_town_id(c, order[k])) >= 0)
				edged[m++] = order[k];
		order = edged, n = m;
	}
	v.pages = n ? (n + DELIBERATION_PAGE_ROWS - 1) / DELIBERATION_PAGE_ROWS : 1;
	if (v.page > v.pages)
		v.page = v.pages;
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_DELIB_TITLE));
	organizer_nav(h, r);
	html_element_text(h, "p", tr(r, W_DELIB_INTRO));
	as_of(h, r, s);
	alpha_table(h, r, c, scores_rubric(s));
	jurors_table(h, r, c);
	border_section(h, r, c, b, border_pending);
	html_element_text(h, "h2", tr(r, W_DELIB_DOSSIERS));
	html_open(h, "p");
	html_int(h, (long long)n);
	html_text(h, " ");
	html_text(h, tr(r, W_TOWNS_COUNT));
	html_text(h, " — ");
	link(h, r, v.edge ? "/organizer/deliberation" : "/organizer/deliberation?edge=1",
	     tr(r, v.edge ? W_DELIB_ALL : W_DELIB_EDGE_ONLY));
	html_close(h, "p");
	pager(h, r, &v);
	html_open(h, "table");
	html_attr(h, "id", "deliberation");
	html_attr(h, "class", "scores");
	html_open(h, "tr");
	head_cell(h, r, &v, BY_TOWN, W_TOWN_ID);
	head_cell(h, r, &v, BY_COUNT, W_TOWN_NAME);
	head_cell(h, r, &v, BY_SCORE, W_PERCENT);
	head_cell(h, r, &v, BY_LEVEL, W_LEVEL);
	head_cell(h, r, &v, BY_FLAGS, W_DELIB_FLAGS);
	head_cell(h, r, &v, BY_COUNT, W_DELIB_EDGE);
	head_cell(h, r, &v, BY_COUNT, W_DELIB_OPEN);
	html_close(h, "tr");
	size_t first = (v.page - 1) * DELIBERATION_PAGE_ROWS;
	for (size_t k = first; k < n && k < first + DELIBERATION_PAGE_ROWS; k++)
		row(h, r, s, b, order[v.desc ? n - 1 - k : k]);
	html_close(h, "table");
	pager(h, r, &v);
	free(edged);
	free(owned);
	border_release(b);
	scores_release(s);
	page_end(h, out, 200);
	out->personal = 1;
}
/* ---- one dossier ---- */

static void jury_criterion(html *h, const http_req *r, const pal_campaign *c, const pal_rubric *rb,
			   const pal_town_results *res, size_t j)
{
	size_t i = pal_campaign_jury_criterion_index(c, j);
	const char *id = pal_campaign_jury_criterion(c, j);
	const char *title = pal_rubric_criterion_title(rb, i, words_code(r->lang));
	int applies = pal_town_results_applies(res, i);
	double agg, raw, mark;
	html_open(h, "section");
	html_attr(h, "class", "jury-criterion");
	html_attr(h, "data-criterion", id);
	html_attr_int(h, "data-applies", applies);
	html_attr_int(h, "data-disagreement", pal_town_results_disagreement(res, i));
	html_open(h, "h3");
	html_text(h, title ? title : id);
	html_text(h, " ");
	html_open(h, "span");
	html_attr(h, "class", "note");
	html_text(h, id);
	html_close(h, "span");
	html_close(h, "h3");
	if (!applies) {
		html_open(h, "p");
		html_attr(h, "class", "note");
		html_text(h, tr(r, W_DELIB_NOT_APPLICABLE));
		html_close(h, "p");
	}
	size_t n = pal_town_results_count_marks(res, i);
	if (!n && applies)
		html_element_text(h, "p", tr(r, W_DELIB_NO_MARKS));
	if (n) {
		html_open(h, "table");
		html_attr(h, "class", "marks");
		html_open(h, "tr");
		html_element_text(h, "th", tr(r, W_DELIB_JUROR));
		html_element_text(h, "th", tr(r, W_DELIB_MARK));
		html_element_text(h, "th", tr(r, W_DELIB_COMMENT));
		html_close(h, "tr");
		for (size_t k = 0; k < n; k++) {
			const char *juror, *comment;
			pal_town_results_mark(res, i, k, &juror, &mark, &comment);
			html_open(h, "tr");
			html_attr(h, "data-juror", juror);
			html_element_text(h, "td", juror);
			number_cell(h, r, "data-mark", mark);
			html_open(h, "td");
			html_attr(h, "class", "comment");
			html_text_n(h, comment, strlen(comment), HTML_MULTILINE);
			html_close(h, "td");
			html_close(h, "tr");
		}
		html_close(h, "table");
	}
	if (pal_town_results_aggregate(res, i, &agg, &raw)) {
		html_open(h, "table");
		html_attr(h, "class", "aggregates");
		html_open(h, "tr");
		html_element_text(h, "th", tr(r, W_DELIB_AGGREGATE_RAW));
		number_cell(h, r, "data-aggregate-raw", raw);
		html_close(h, "tr");
		html_open(h, "tr");
		html_element_text(h, "th", tr(r, W_DELIB_AGGREGATE));
		number_cell(h, r, "data-aggregate", agg);
		html_close(h, "tr");
		html_close(h, "table");
	}
	if (pal_town_results_disagreement(res, i)) {
		html_open(h, "p");
		html_attr(h, "class", "error disagreement");
		html_text(h, tr(r, W_DELIB_DISAGREE));
		html_close(h, "p");
	}
	html_close(h, "section");
}

void deliberation_dossier(http_req *r, http_resp *out, const char *town, const override_form *f, int status)
{
	int pending, border_pending = 0;
	scores *s = scores_get(r->st, 0, &pending);
	if (!s) {
		if (pending)
			pending_page(r, out, W_DELIB_DOSSIER_TITLE);
		else
			http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	const pal_campaign *c = scores_campaign(s);
	const pal_rubric *rb = scores_rubric(s);
	long t = pal_campaign_find_town(c, town);
	pal_town_results *res = t >= 0 ? pal_campaign_town_results(c, (size_t)t) : NULL;
	if (!res) {
		scores_release(s);
		http_error_page(r, out, t < 0 ? 404 : 500, t < 0 ? W_ERR_NOT_FOUND : W_ERR_SERVER);
		return;
	}
	border_list *b = border_get(r->st, scores_version(s), &border_pending);
	const char *status_word = pal_campaign_town_status(c, (size_t)t);
	double points, max, percent;
	int scored = pal_campaign_town_score(c, (size_t)t, &points, &max, &percent);
	int level = pal_campaign_town_level(c, (size_t)t);
	int computed = pal_campaign_town_computed_level(c, (size_t)t);
	const char *reason = pal_campaign_town_override_reason(c, (size_t)t);
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_DELIB_DOSSIER_TITLE));
	organizer_nav(h, r);
	html_open(h, "p");
	link(h, r, "/organizer/deliberation", tr(r, W_DELIB_TITLE));
	html_close(h, "p");
	as_of(h, r, s);
	html_open(h, "table");
	html_attr(h, "id", "dossier-summary");
	html_attr(h, "data-town", town);
	html_attr(h, "data-status", status_word ? status_word : "");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_TOWN));
	html_open(h, "td");
	html_text(h, town);
	html_text(h, " ");
	html_element_text(h, "strong", pal_campaign_town_name(c, (size_t)t));
	html_close(h, "td");
	html_close(h, "tr");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_PERCENT));
	if (scored)
		number_cell(h, r, "data-percent", percent);
	else
		html_element_text(h, "td", tr(r, W_INVALID));
	html_close(h, "tr");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_LEVEL));
	html_open(h, "td");
	html_attr_int(h, "data-level", level);
	html_attr_int(h, "data-override", reason != NULL);
	level_text(h, r, rb, level, status_word);
	if (reason) {
		html_text(h, " — ");
		html_text(h, reason);
	}
	html_close(h, "td");
	html_close(h, "tr");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_DELIB_COMPUTED_LEVEL));
	html_open(h, "td");
	html_attr_int(h, "data-computed-level", computed);
	level_text(h, r, rb, computed, status_word);
	html_close(h, "td");
	html_close(h, "tr");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_DELIB_FLAGS));
	html_open(h, "td");
	html_attr_int(h, "data-flags", (long long)pal_campaign_town_count_disagreements(c, (size_t)t));
	html_int(h, (long long)pal_campaign_town_count_disagreements(c, (size_t)t));
	html_close(h, "td");
	html_close(h, "tr");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_DELIB_EDGE));
	html_open(h, "td");
	long e = border_find(b, town);
	html_attr_int(h, "data-why", e >= 0 ? (long long)border_why(b, (size_t)e) : 0);
	if (e >= 0)
		edge_text(h, r, b, e);
	else if (!b && border_pending)
		html_text(h, tr(r, W_DELIB_BORDER_PENDING));
	else
		html_text(h, "—");
	html_close(h, "td");
	html_close(h, "tr");
	html_close(h, "table");
	html_element_text(h, "h2", tr(r, W_DELIB_MARKS));
	for (size_t j = 0; j < pal_campaign_jury_count_criteria(c); j++)
		jury_criterion(h, r, c, rb, res, j);
	override_section(h, r, rb, town, f);
	pal_town_results_free(res);
	border_release(b);
	scores_release(s);
	page_end(h, out, status);
	out->personal = 1;
}

void deliberation_town_page(http_req *r, http_resp *out)
{
	override_form f = {NULL, NULL, 0, 0, 0};
	if (!r->arg || !*r->arg || !allowed(r, ACT_DELIBERATION_VIEW, r->arg)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	deliberation_dossier(r, out, r->arg, &f, 200);
}
