/*
 * The organizer's overview (GET /organizer): the campaign, its current
 * phase, the navigation to the organizer's other pages, the towns with
 * their dossier's status and a "reopen" button where permit() allows it,
 * and the form that imports more towns (POST /organizer/towns, the same
 * CSV as `campaign init --towns`, read by towns_csv.c, all or nothing).
 * POST /organizer/reopen reopens one dossier. Every change is audited by
 * the store in its transaction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "pages.h"
#include "towns_csv.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

static int allowed(const http_req *r, permit_action a, const permit_target *t)
{
	return permit(&r->who, a, t, r->phase) == PERMIT_ALLOW;
}

const char *phase_word(const http_req *r, permit_phase p)
{
	static const words_key keys[PHASE_COUNT] = {
		[PHASE_SETUP] = W_PHASE_SETUP,         [PHASE_SUBMISSION] = W_PHASE_SUBMISSION,
		[PHASE_MARKING] = W_PHASE_MARKING,     [PHASE_DELIBERATION] = W_PHASE_DELIBERATION,
		[PHASE_PUBLISHED] = W_PHASE_PUBLISHED,
	};
	return (unsigned)p < PHASE_COUNT ? tr(r, keys[p]) : "?";
}

/* A link of the navigation, only when its page would answer. */
static void nav_link(html *h, const http_req *r, permit_action a, const char *path, words_key text)
{
	if (!allowed(r, a, NULL))
		return;
	html_open(h, "li");
	html_open(h, "a");
	html_attr(h, "href", path);
	html_text(h, tr(r, text));
	html_close(h, "a");
	html_close(h, "li");
}

void organizer_nav(html *h, const http_req *r)
{
	html_open(h, "nav");
	html_open(h, "ul");
	html_attr(h, "class", "organizer-nav");
	/* in the order of a campaign, then the campaign's settings and records */
	nav_link(h, r, ACT_CAMPAIGN_VIEW, "/organizer", W_ORGANIZER_PAGE);
	nav_link(h, r, ACT_CAMPAIGN_VIEW, "/organizer/scores", W_NAV_SCORES);          /* organizer_scores.c */
	nav_link(h, r, ACT_JURY_MANAGE, "/organizer/jurors", W_NAV_JURORS);            /* jurors_page.c */
	nav_link(h, r, ACT_JURY_MANAGE, "/organizer/assignment", W_NAV_ASSIGNMENT);    /* assignment_page.c */
	nav_link(h, r, ACT_DELIBERATION_VIEW, "/organizer/deliberation", W_NAV_DELIBERATION); /* deliberation.c */
	nav_link(h, r, ACT_PUBLISH, "/organizer/publish", W_NAV_PUBLISH);              /* publish.c */
	nav_link(h, r, ACT_SETTINGS_EDIT, "/organizer/settings", W_NAV_SETTINGS);
	nav_link(h, r, ACT_AUDIT_VIEW, "/organizer/audit", W_NAV_AUDIT);
	nav_link(h, r, ACT_PASSWORD_SET, "/organizer/password", W_NAV_PASSWORD);
	html_close(h, "ul");
	html_close(h, "nav");
	/* every organizer page says the current phase, under the menu */
	html_open(h, "p");
	html_text(h, tr(r, W_CURRENT_PHASE));
	html_text(h, " ");
	html_open(h, "strong");
	html_attr(h, "id", "phase");
	html_attr(h, "data-phase", permit_phase_name(r->phase));
	html_text(h, phase_word(r, r->phase));
	html_close(h, "strong");
	html_close(h, "p");
}

struct table_ctx {
	html *h;
	const http_req *r;
};

static int dossier_row(void *ctx, const char *town_id, const char *town_name, const store_dossier *d)
{
	struct table_ctx *t = ctx;
	html *h = t->h;
	char buf[1024];
	words_key state = d->state == DOSSIER_SUBMITTED ? W_STATE_SUBMITTED
			  : d->state == DOSSIER_DRAFT   ? W_STATE_DRAFT
							: W_STATE_NOT_STARTED;
	permit_target on = {town_id, d->state == DOSSIER_SUBMITTED, d->reopened, 0, 0, SEE_NEVER, 0};
	html_open(h, "tr");
	html_element_text(h, "td", town_id);
	html_element_text(h, "td", town_name);
	html_open(h, "td");
	html_text(h, tr(t->r, state));
	if (d->reopened) {
		html_text(h, " (");
		html_text(h, tr(t->r, W_REOPENED));
		html_text(h, ")");
	}
	html_close(h, "td");
	html_open(h, "td");
	html_int(h, d->revision);
	html_close(h, "td");
	html_open(h, "td");
	if (allowed(t->r, ACT_DOSSIER_VIEW, &on)) {
		html_open(h, "a");
		html_attr(h, "href", page_path("/dossier/", town_id, buf, sizeof buf));
		html_text(h, tr(t->r, W_VIEW));
		html_close(h, "a");
	}
	if (allowed(t->r, ACT_DOSSIER_REOPEN, &on)) {
		/* one form around the table: a button per town, not a form per row */
		html_text(h, " ");
		html_open(h, "button");
		html_attr(h, "type", "submit");
		html_attr(h, "name", "town");
		html_attr(h, "value", town_id);
		html_text(h, tr(t->r, W_REOPEN));
		html_close(h, "button");
	}
	html_close(h, "td");
	html_close(h, "tr");
	return html_status_of(h) != HTML_OK;
}

/* The problems of a refused towns file, each with its line. */
static void import_problems(html *h, const http_req *r, const towns_list *l)
{
	static const words_key text[] = {
		[TOWNS_MALFORMED] = W_TOWNS_MALFORMED,
		[TOWNS_EMPTY] = W_TOWNS_EMPTY,
		[TOWNS_NO_COLUMNS] = W_TOWNS_NO_COLUMNS,
		[TOWNS_NO_ID_NAME] = W_TOWNS_NO_ID_NAME,
		[TOWNS_DUPLICATE] = W_TOWNS_DUPLICATE,
		[TOWNS_EXISTS] = W_TOWNS_EXISTS,
		[TOWNS_NOMEM] = W_ERR_SERVER,
	};
	html_open(h, "div");
	html_attr(h, "class", "error");
	html_attr(h, "id", "import-problems");
	html_element_text(h, "p", tr(r, W_IMPORT_REFUSED));
	html_open(h, "ul");
	for (size_t i = 0; i < l->nproblems; i++) {
		const towns_problem *p = &l->problems[i];
		html_open(h, "li");
		if (p->line) {
			html_text(h, tr(r, W_LINE));
			html_text(h, " ");
			html_int(h, (long long)p->line);
			html_text(h, " : ");
		}
		html_text(h, tr(r, text[p->code]));
		if (p->subject && p->subject[0] && p->code != TOWNS_NO_ID_NAME) {
			html_text(h, " « ");
			html_text(h, p->subject);
			html_text(h, " »");
		}
		if (p->code == TOWNS_DUPLICATE) {
			html_text(h, " (");
			html_text(h, tr(r, W_ALREADY_LINE));
			html_text(h, " ");
			html_int(h, (long long)p->other_line);
			html_text(h, ")");
		}
		html_close(h, "li");
	}
	if (l->nomem)
		html_element_text(h, "li", tr(r, W_ERR_SERVER));
	html_close(h, "ul");
	html_close(h, "div");
}

static void import_form(html *h, const http_req *r, const towns_list *refused, int no_file)
{
	html_element_text(h, "h2", tr(r, W_IMPORT_TITLE));
	html_element_text(h, "p", tr(r, W_IMPORT_INTRO));
	if (refused)
		import_problems(h, r, refused);
	page_csv_form(h, r, "/organizer/towns", "towns", "towns-file", W_IMPORT_BUTTON, no_file);
}

/* The overview; refused/no_file: the import's refusal shown above its form. */
static void overview(http_req *r, http_resp *out, const towns_list *refused, int no_file, int status)
{
	char *label = NULL;
	html *h = html_new(HTTP_PAGE_MAX);
	store_campaign_get(r->st, &label, NULL);
	page_begin(h, r, tr(r, W_ORGANIZER_PAGE));
	organizer_nav(h, r);
	if (label)
		html_element_text(h, "p", label);
	free(label);
	const char *added = http_query(r, "added"), *reopened = http_query(r, "reopened");
	if (added && !refused) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_text(h, tr(r, W_IMPORT_DONE));
		html_text(h, " ");
		html_text(h, added);
		html_close(h, "p");
	}
	if (reopened && !refused) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_text(h, tr(r, W_REOPEN_DONE));
		html_text(h, " ");
		html_text(h, reopened);
		html_close(h, "p");
	}
	if (allowed(r, ACT_EXPORT, NULL)) {
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
	html_element_text(h, "h2", tr(r, W_TOWNS_TITLE));
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/reopen");
	csrf_field(h, r);
	html_open(h, "table");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_TOWN_ID));
	html_element_text(h, "th", tr(r, W_TOWN_NAME));
	html_element_text(h, "th", tr(r, W_STATUS));
	html_element_text(h, "th", tr(r, W_REVISION));
	html_element_text(h, "th", "");
	html_close(h, "tr");
	struct table_ctx t = {h, r};
	if (store_dossiers_list(r->st, dossier_row, &t) != STORE_OK) {
		html_free(h);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	html_close(h, "table");
	html_close(h, "form");
	if (allowed(r, ACT_TOWNS_IMPORT, NULL))
		import_form(h, r, refused, no_file);
	page_end(h, out, status);
	out->personal = 1;
}

/* GET /organizer: the towns and the status of their dossiers. */
void organizer_get(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_CAMPAIGN_VIEW, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	overview(r, out, NULL, 0, 200);
}

struct import_ctx {
	const towns_list *l;
	const char *filename;
	int64_t who, now;
};

/* The towns and one line saying which file brought them, in one transaction. */
static store_status import_tx(store *s, void *ctx)
{
	const struct import_ctx *c = ctx;
	char n[32];
	store_status st = store_towns_add(s, c->l->v, c->l->n, c->who, c->now);
	if (st != STORE_OK)
		return st;
	snprintf(n, sizeof n, "%zu", c->l->n);
	return store_audit_append(s, c->who, c->now, "towns-import", c->filename, NULL, n);
}

/* POST /organizer/towns (multipart, field "towns"): the whole file or nothing. */
void towns_import_post(http_req *r, http_resp *out)
{
	towns_list l;
	char to[64];
	if (!allowed(r, ACT_TOWNS_IMPORT, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	const form_file *f = form_get_file(&r->form, "towns");
	if (!f || f->len == 0) {
		overview(r, out, NULL, 1, 400);
		return;
	}
	memset(&l, 0, sizeof l);
	towns_csv_read((const char *)f->data, f->len, &l);
	/* A town already in the campaign is refused, not updated: its
	 * attributes decide what applies to its dossier and its score, which a
	 * file must not change behind the organizer's back (docs/decisions.md). */
	for (size_t i = 0; i < l.n && !l.nomem; i++) {
		store_status st = store_town_get(r->st, l.v[i].id, NULL, NULL, NULL);
		if (st == STORE_OK) {
			if (towns_problem_add(&l, TOWNS_EXISTS, l.line[i], 0, l.v[i].id) != 0)
				l.nomem = 1;
		} else if (st != STORE_NOT_FOUND) {
			l.nomem = 1;
		}
	}
	if (l.nproblems || l.nomem) {
		overview(r, out, &l, 0, l.nproblems ? 400 : 500);
		towns_list_free(&l);
		return;
	}
	struct import_ctx c = {&l, f->filename, r->who.person_id, r->now};
	store_status st = store_tx(r->st, import_tx, &c);
	if (st != STORE_OK) {
		towns_list_free(&l);
		http_error_page(r, out, st == STORE_REFUSED ? 409 : 500,
				st == STORE_REFUSED ? W_ERR_BAD_REQUEST : W_ERR_SERVER);
		return;
	}
	snprintf(to, sizeof to, "/organizer?added=%zu", l.n);
	towns_list_free(&l);
	page_redirect(out, to);
}

/* POST /organizer/reopen (field "town"): the dossier goes back to draft,
 * its town may change and submit it again (past the deadline too). */
void reopen_post(http_req *r, http_resp *out)
{
	const char *town = form_get(&r->form, "town");
	store_dossier d;
	char to[1024];
	if (!town || store_dossier_get(r->st, town, &d) != STORE_OK) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	permit_target on = {town, d.state == DOSSIER_SUBMITTED, d.reopened, 0, 0, SEE_NEVER, 0};
	if (!allowed(r, ACT_DOSSIER_REOPEN, &on)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (store_dossier_reopen(r->st, town, r->who.person_id, r->now) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	page_redirect(out, page_path("/organizer?reopened=", town, to, sizeof to));
}
