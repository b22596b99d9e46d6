/*
 * The organizer's assignment page (GET /organizer/assignment): the current
 * assignment per juror and per dossier; the engine's assignment
 * (pal_jury_assign on the scored campaign with the store's jurors, their
 * recusals counted as conflicts) previewed without saving
 * (POST /organizer/assignment/preview) and accepted
 * (POST /organizer/assignment/accept): the form carries the parameters and
 * the SHA-256 of the plan shown, the plan is computed again and saved only
 * when it is the one shown (else the new one is shown, nothing saved); and
 * one dossier moved from a juror to another
 * (POST /organizer/assignment/move), refused with the reason the engine's
 * pal_jurors_eligibility gives. Every route asks permit(ACT_JURY_MANAGE).
 */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jurors_file.h"
#include "jury_organizer.h"
#include "pages.h"
#include "palmares/town.h"
#include "scores.h"

#define PER_DOSSIER_MAX 50 /* more jurors per dossier than any jury has */

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

static int allowed(const http_req *r)
{
	return permit(&r->who, ACT_JURY_MANAGE, NULL, r->phase) == PERMIT_ALLOW;
}

/* The assignment's parameters, as typed (kept to show them again) and read. */
typedef struct {
	const char *per_text, *seed_text;
	size_t per_dossier;
	uint64_t seed;
	int avoid_region;
	int bad_per, bad_seed;
} params;

static int digits(const char *s)
{
	if (!s || !*s || strlen(s) > 19)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void params_read(const http_req *r, params *p)
{
	memset(p, 0, sizeof *p);
	p->per_text = form_get(&r->form, "per_dossier");
	p->seed_text = form_get(&r->form, "seed");
	const char *avoid = form_get(&r->form, "avoid_region");
	p->avoid_region = avoid && !strcmp(avoid, "1");
	if (!p->per_text)
		p->per_text = "";
	if (!p->seed_text || !*p->seed_text)
		p->seed_text = "0";
	if (digits(p->per_text)) {
		unsigned long long v = strtoull(p->per_text, NULL, 10);
		p->per_dossier = v >= 1 && v <= PER_DOSSIER_MAX ? (size_t)v : 0;
	}
	p->bad_per = p->per_dossier == 0;
	if (digits(p->seed_text))
		p->seed = strtoull(p->seed_text, NULL, 10);
	else
		p->bad_seed = 1;
}

/* A plan computed: the engine's answer, its SHA-256, and the scored campaign it names. */
typedef struct {
	scores *sc;
	pal_diags *d;
	pal_jury_plan *plan; /* NULL when the engine refused (messages in d) */
	char sha[65];
	int failed; /* the store or memory failed */
} computed;

static void computed_free(computed *c)
{
	pal_jury_plan_free(c->plan);
	pal_diags_free(c->d);
	scores_release(c->sc);
	memset(c, 0, sizeof *c);
}

/* The plan's SHA-256 (hex): of its CSV, as `palmares assign` writes it. */
static int plan_sha(const pal_jury_plan *p, char hex[65])
{
	char *buf = NULL;
	size_t len = 0;
	unsigned char h[crypto_hash_sha256_BYTES];
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return -1;
	int bad = pal_jury_plan_write(p, f) != 0;
	if (fclose(f) != 0 || bad || !buf) {
		free(buf);
		return -1;
	}
	crypto_hash_sha256(h, (const unsigned char *)buf, len);
	free(buf);
	sodium_bin2hex(hex, 65, h, sizeof h);
	return 0;
}

/* The engine's assignment for p, on the current answers and jurors. */
static void compute(http_req *r, const params *p, computed *c)
{
	int pending = 0;
	memset(c, 0, sizeof *c);
	if (!(c->d = pal_diags_new()) || !(c->sc = scores_get(r->st, SCORES_FRESH, &pending))) {
		c->failed = 1;
		return;
	}
	pal_jurors *j = jurors_from_store(r->st, c->d);
	if (!j) {
		c->failed = !pal_diags_errors(c->d);
		return;
	}
	/* The cached campaign is shared between requests: it is scored
	 * already, and pal_jury_assign() only reads a scored campaign. */
	int rc = pal_jury_assign((pal_campaign *)scores_campaign(c->sc), j, p->per_dossier,
				 p->avoid_region ? PAL_JURY_AVOID_SAME_REGION : 0, p->seed, &c->plan, c->d);
	pal_jurors_free(j);
	if (rc == PAL_IOERR || (c->plan && plan_sha(c->plan, c->sha) != 0))
		c->failed = 1;
}

/* ---- the page ---- */

static void hidden(html *h, const char *name, const char *value)
{
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", name);
	html_attr(h, "value", value);
}

static void message(html *h, const char *cls, const char *id, const char *text, const char *subject)
{
	html_open(h, "p");
	html_attr(h, "class", cls);
	if (id)
		html_attr(h, "id", id);
	html_text(h, text);
	if (subject) {
		html_text(h, " ");
		html_text(h, subject);
	}
	html_close(h, "p");
}

/* The name of a town in the scored campaign, "" when unknown. */
static const char *town_name(const scores *sc, const char *town)
{
	const pal_campaign *c = sc ? scores_campaign(sc) : NULL;
	long t = c ? pal_campaign_find_town(c, town) : -1;
	const char *n = t >= 0 ? pal_campaign_town_name(c, (size_t)t) : NULL;
	return n ? n : "";
}

typedef struct {
	char *juror, *town; /* owned */
} pair;

typedef struct {
	pair *v;
	size_t n;
	int nomem;
} pairs;

static void pairs_free(pairs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].juror);
		free(p->v[i].town);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

static int pairs_add(void *ctx, const char *juror, const char *town)
{
	pairs *p = ctx;
	pair *v = realloc(p->v, (p->n + 1) * sizeof *v);
	if (!v) {
		p->nomem = 1;
		return 1;
	}
	p->v = v;
	v[p->n].juror = strdup(juror);
	v[p->n].town = strdup(town);
	if (!v[p->n].juror || !v[p->n].town) {
		free(v[p->n].juror);
		free(v[p->n].town);
		p->nomem = 1;
		return 1;
	}
	p->n++;
	return 0;
}

static int by_town(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	int c = strcmp(x->town, y->town);
	return c ? c : strcmp(x->juror, y->juror);
}

static int by_juror(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	int c = strcmp(x->juror, y->juror);
	return c ? c : strcmp(x->town, y->town);
}

/* The two views of a list of pairs: per juror (their load and dossiers), per dossier (its jurors). */
static void pairs_tables(html *h, const http_req *r, pairs *p, const scores *sc, const char *id)
{
	char buf[64];
	html_element_text(h, "h3", tr(r, W_ASSIGN_BY_JUROR));
	html_open(h, "table");
	snprintf(buf, sizeof buf, "%s-by-juror", id);
	html_attr(h, "id", buf);
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_JUROR_ID));
	html_element_text(h, "th", tr(r, W_JUROR_LOAD));
	html_element_text(h, "th", tr(r, W_ASSIGN_DOSSIERS));
	html_close(h, "tr");
	if (p->n) /* never NULL to qsort(), even for no element */
		qsort(p->v, p->n, sizeof *p->v, by_juror);
	for (size_t i = 0; i < p->n;) {
		size_t k = i;
		while (k < p->n && !strcmp(p->v[k].juror, p->v[i].juror))
			k++;
		html_open(h, "tr");
		html_attr(h, "data-juror", p->v[i].juror);
		html_element_text(h, "td", p->v[i].juror);
		html_open(h, "td");
		html_attr(h, "class", "num load");
		html_int(h, (long long)(k - i));
		html_close(h, "td");
		html_open(h, "td");
		for (size_t m = i; m < k; m++) {
			if (m > i)
				html_text(h, ", ");
			html_text(h, p->v[m].town);
		}
		html_close(h, "td");
		html_close(h, "tr");
		i = k;
	}
	html_close(h, "table");
	html_element_text(h, "h3", tr(r, W_ASSIGN_BY_DOSSIER));
	html_open(h, "table");
	snprintf(buf, sizeof buf, "%s-by-dossier", id);
	html_attr(h, "id", buf);
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_TOWN_ID));
	html_element_text(h, "th", tr(r, W_TOWN_NAME));
	html_element_text(h, "th", tr(r, W_ASSIGN_JURORS));
	html_close(h, "tr");
	if (p->n)
		qsort(p->v, p->n, sizeof *p->v, by_town);
	for (size_t i = 0; i < p->n;) {
		size_t k = i;
		while (k < p->n && !strcmp(p->v[k].town, p->v[i].town))
			k++;
		html_open(h, "tr");
		html_attr(h, "data-town", p->v[i].town);
		html_element_text(h, "td", p->v[i].town);
		html_element_text(h, "td", town_name(sc, p->v[i].town));
		html_open(h, "td");
		for (size_t m = i; m < k; m++) {
			if (m > i)
				html_text(h, ", ");
			html_text(h, p->v[m].juror);
		}
		html_close(h, "td");
		html_close(h, "tr");
		i = k;
	}
	html_close(h, "table");
}

static void number_field(html *h, const char *id, const char *name, words_key label, const char *value,
			 int bad, const http_req *r)
{
	html_open(h, "p");
	html_open(h, "label");
	html_attr(h, "for", id);
	html_text(h, tr(r, label));
	html_close(h, "label");
	html_text(h, " ");
	html_open(h, "input");
	html_attr(h, "type", "text");
	html_attr(h, "inputmode", "numeric");
	html_attr(h, "id", id);
	html_attr(h, "name", name);
	html_attr(h, "value", value);
	if (bad) {
		html_text(h, " ");
		html_open(h, "span");
		html_attr(h, "class", "error");
		html_text(h, tr(r, W_ASSIGN_BAD_NUMBER));
		html_close(h, "span");
	}
	html_close(h, "p");
}

static void run_form(html *h, const http_req *r, const params *p)
{
	html_element_text(h, "h2", tr(r, W_ASSIGN_RUN_TITLE));
	html_element_text(h, "p", tr(r, W_ASSIGN_RUN_INTRO));
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/assignment/preview");
	html_attr(h, "id", "run");
	csrf_field(h, r);
	number_field(h, "per-dossier", "per_dossier", W_ASSIGN_PER_DOSSIER, p ? p->per_text : "2",
		     p && p->bad_per, r);
	html_open(h, "p");
	html_open(h, "input");
	html_attr(h, "type", "checkbox");
	html_attr(h, "id", "avoid-region");
	html_attr(h, "name", "avoid_region");
	html_attr(h, "value", "1");
	html_attr_flag(h, "checked", p && p->avoid_region);
	html_text(h, " ");
	html_open(h, "label");
	html_attr(h, "for", "avoid-region");
	html_text(h, tr(r, W_ASSIGN_AVOID_REGION));
	html_close(h, "label");
	html_close(h, "p");
	number_field(h, "seed", "seed", W_ASSIGN_SEED, p ? p->seed_text : "0", p && p->bad_seed, r);
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_text(h, tr(r, W_ASSIGN_PREVIEW));
	html_close(h, "button");
	html_close(h, "form");
}

struct juror_opts {
	html *h;
	const char *selected;
};

static int juror_option(void *ctx, const store_juror *j)
{
	struct juror_opts *o = ctx;
	html_open(o->h, "option");
	html_attr(o->h, "value", j->juror_id);
	html_attr_flag(o->h, "selected", o->selected && !strcmp(o->selected, j->juror_id));
	html_text(o->h, j->juror_id);
	if (j->name && *j->name && strcmp(j->name, j->juror_id) != 0) {
		html_text(o->h, " — ");
		html_text(o->h, j->name);
	}
	html_close(o->h, "option");
	return html_status_of(o->h) != HTML_OK;
}

static void juror_select(html *h, const http_req *r, const char *id, const char *name, words_key label,
			 const char *selected)
{
	struct juror_opts o = {h, selected};
	html_open(h, "label");
	html_attr(h, "for", id);
	html_text(h, tr(r, label));
	html_close(h, "label");
	html_text(h, " ");
	html_open(h, "select");
	html_attr(h, "id", id);
	html_attr(h, "name", name);
	store_jurors_list(r->st, juror_option, &o);
	html_close(h, "select");
	html_text(h, " ");
}

static void move_form(html *h, const http_req *r, const pairs *cur, const scores *sc, words_key refused)
{
	const char *town = form_get(&r->form, "town");
	html_element_text(h, "h2", tr(r, W_MOVE_TITLE));
	if (refused != W_COUNT)
		message(h, "error", "move-refused", tr(r, refused), NULL);
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/assignment/move");
	html_attr(h, "id", "move");
	csrf_field(h, r);
	html_open(h, "label");
	html_attr(h, "for", "move-town");
	html_text(h, tr(r, W_TOWN));
	html_close(h, "label");
	html_text(h, " ");
	html_open(h, "select");
	html_attr(h, "id", "move-town");
	html_attr(h, "name", "town");
	for (size_t i = 0; i < cur->n; i++) {
		if (i && !strcmp(cur->v[i].town, cur->v[i - 1].town))
			continue; /* cur is by town */
		html_open(h, "option");
		html_attr(h, "value", cur->v[i].town);
		html_attr_flag(h, "selected", town && !strcmp(town, cur->v[i].town));
		html_text(h, cur->v[i].town);
		html_text(h, " ");
		html_text(h, town_name(sc, cur->v[i].town));
		html_close(h, "option");
	}
	html_close(h, "select");
	html_text(h, " ");
	juror_select(h, r, "move-from", "from", W_MOVE_FROM, form_get(&r->form, "from"));
	juror_select(h, r, "move-to", "to", W_MOVE_TO, form_get(&r->form, "to"));
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_text(h, tr(r, W_MOVE_BUTTON));
	html_close(h, "button");
	html_close(h, "form");
}

/* The plan computed (preview, or a refused accept): its tables and the accept form, or the engine's messages. */
static void plan_section(html *h, const http_req *r, const params *p, const computed *c)
{
	html_open(h, "section");
	html_attr(h, "id", "plan");
	html_element_text(h, "h2", tr(r, W_PLAN_TITLE));
	if (!c->plan) {
		html_open(h, "div");
		html_attr(h, "class", "error");
		html_attr(h, "id", "plan-refused");
		html_element_text(h, "p", tr(r, W_PLAN_REFUSED));
		html_open(h, "ul");
		for (size_t i = 0; i < pal_diags_count(c->d); i++) {
			const pal_diag *g = pal_diags_get(c->d, i);
			if (g->severity == PAL_ERROR)
				html_element_text(h, "li", g->text);
		}
		html_close(h, "ul");
		html_close(h, "div");
		html_close(h, "section");
		return;
	}
	pairs plan = {0};
	for (size_t i = 0; i < pal_jury_plan_count(c->plan); i++) {
		const char *j, *t;
		pal_jury_plan_pair(c->plan, i, &j, &t);
		if (pairs_add(&plan, j, t))
			break;
	}
	html_open(h, "p");
	html_text(h, tr(r, W_PLAN_PAIRS));
	html_text(h, " ");
	html_open(h, "strong");
	html_attr(h, "id", "plan-pairs");
	html_int(h, (long long)pal_jury_plan_count(c->plan));
	html_close(h, "strong");
	html_text(h, " · SHA-256 ");
	html_open(h, "code");
	html_attr(h, "id", "plan-sha");
	html_text(h, c->sha);
	html_close(h, "code");
	html_close(h, "p");
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/assignment/accept");
	html_attr(h, "id", "accept");
	csrf_field(h, r);
	hidden(h, "per_dossier", p->per_text);
	hidden(h, "seed", p->seed_text);
	hidden(h, "avoid_region", p->avoid_region ? "1" : "0");
	hidden(h, "plan", c->sha);
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_attr(h, "class", "primary");
	html_text(h, tr(r, W_ASSIGN_ACCEPT));
	html_close(h, "button");
	html_close(h, "form");
	pairs_tables(h, r, &plan, c->sc, "plan");
	pairs_free(&plan);
	html_close(h, "section");
}

/* The page: notices, the plan computed (when given), the current assignment, the run and move forms. */
static void page(http_req *r, http_resp *out, const params *p, const computed *c, words_key notice,
		 words_key refused, int status)
{
	pairs cur = {0};
	int pending = 0;
	scores *sc = c && c->sc ? NULL : scores_get(r->st, SCORES_FRESH, &pending);
	const scores *names = c && c->sc ? c->sc : sc;
	if (store_assignments_list(r->st, pairs_add, &cur) != STORE_OK || cur.nomem) {
		pairs_free(&cur);
		scores_release(sc);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_NAV_ASSIGNMENT));
	organizer_nav(h, r);
	const char *saved = http_query(r, "saved"), *moved = http_query(r, "moved");
	if (saved && !c && refused == W_COUNT)
		message(h, "saved", "saved", tr(r, W_ASSIGN_SAVED), saved);
	if (moved && !c && refused == W_COUNT)
		message(h, "saved", "moved", tr(r, W_MOVE_DONE), moved);
	if (notice != W_COUNT)
		message(h, "error", "notice", tr(r, notice), NULL);
	if (c)
		plan_section(h, r, p, c);
	html_element_text(h, "h2", tr(r, W_ASSIGN_CURRENT));
	if (!cur.n)
		html_element_text(h, "p", tr(r, W_ASSIGN_NONE));
	else
		pairs_tables(h, r, &cur, names, "current");
	run_form(h, r, p);
	if (cur.n)
		move_form(h, r, &cur, names, refused); /* cur is by town after pairs_tables() */
	else if (refused != W_COUNT)
		message(h, "error", "move-refused", tr(r, refused), NULL);
	pairs_free(&cur);
	scores_release(sc);
	page_end(h, out, status);
	out->personal = 1;
}

void assignment_get(http_req *r, http_resp *out)
{
	if (!allowed(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	page(r, out, NULL, NULL, W_COUNT, W_COUNT, 200);
}

void assignment_preview_post(http_req *r, http_resp *out)
{
	params p;
	computed c;
	if (!allowed(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	params_read(r, &p);
	if (p.bad_per || p.bad_seed) {
		page(r, out, &p, NULL, W_COUNT, W_COUNT, 400);
		return;
	}
	compute(r, &p, &c);
	if (c.failed) {
		computed_free(&c);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	page(r, out, &p, &c, W_COUNT, W_COUNT, c.plan ? 200 : 400);
	computed_free(&c);
}

void assignment_accept_post(http_req *r, http_resp *out)
{
	params p;
	computed c;
	char note[200], to[64];
	const char *shown = form_get(&r->form, "plan");
	if (!allowed(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	params_read(r, &p);
	if (p.bad_per || p.bad_seed || !shown) {
		page(r, out, &p, NULL, W_COUNT, W_COUNT, 400);
		return;
	}
	compute(r, &p, &c);
	if (c.failed) {
		computed_free(&c);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	/* Only the plan that was shown is saved: another (the answers, the
	 * jurors or the form changed since) is shown instead, nothing saved. */
	if (!c.plan || strlen(shown) != 64 || sodium_memcmp(shown, c.sha, 64) != 0) {
		page(r, out, &p, &c, W_PLAN_CHANGED, W_COUNT, 409);
		computed_free(&c);
		return;
	}
	size_t n = pal_jury_plan_count(c.plan);
	store_pair *v = calloc(n + 1, sizeof *v);
	if (!v) {
		computed_free(&c);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	for (size_t i = 0; i < n; i++)
		pal_jury_plan_pair(c.plan, i, &v[i].juror_id, &v[i].town_id);
	snprintf(note, sizeof note, "per-dossier=%zu seed=%" PRIu64 " avoid-same-region=%d sha256=%s",
		 p.per_dossier, p.seed, p.avoid_region, c.sha);
	store_status st = store_assignments_replace(r->st, v, n, note, r->who.person_id, r->now);
	free(v);
	computed_free(&c);
	if (st != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	snprintf(to, sizeof to, "/organizer/assignment?saved=%zu", n);
	page_redirect(out, to);
}

/* Why to may not take town's dossier, by the engine's rule; W_COUNT when they may. */
static words_key move_refusal(http_req *r, const char *town, const char *to, int *failed)
{
	int pending = 0;
	words_key why = W_MOVE_UNKNOWN;
	pal_diags *d = pal_diags_new();
	scores *sc = d ? scores_get(r->st, SCORES_FRESH, &pending) : NULL;
	pal_jurors *j = sc ? jurors_from_store(r->st, d) : NULL;
	*failed = !j;
	if (j) {
		long i = pal_jurors_find(j, to);
		int e = i < 0 ? -1 : pal_jurors_eligibility(j, (size_t)i, scores_campaign(sc), town, 0);
		why = e == PAL_ELIGIBLE              ? W_COUNT
		      : e == PAL_INELIGIBLE_OWN_TOWN ? W_MOVE_OWN_TOWN
		      : e == PAL_INELIGIBLE_CONFLICT ? W_MOVE_CONFLICT
						     : W_MOVE_UNKNOWN;
	}
	pal_jurors_free(j);
	scores_release(sc);
	pal_diags_free(d);
	return why;
}

void assignment_move_post(http_req *r, http_resp *out)
{
	const char *town = form_get(&r->form, "town"), *from = form_get(&r->form, "from"),
		   *to = form_get(&r->form, "to");
	char where[500]; /* within a redirect's Location (http.h) */
	int failed = 0;
	permit_target on;
	if (!allowed(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!town || !from || !to) {
		page(r, out, NULL, NULL, W_COUNT, W_MOVE_UNKNOWN, 400);
		return;
	}
	words_key why = W_COUNT;
	memset(&on, 0, sizeof on);
	if (store_jury_target(r->st, from, town, r->phase, NULL, 0, &on) != STORE_OK || !on.assigned)
		why = W_MOVE_NOT_ASSIGNED;
	else if (!strcmp(from, to) ||
		 (store_jury_target(r->st, to, town, r->phase, NULL, 0, &on) == STORE_OK && on.assigned))
		why = W_MOVE_TWICE;
	else
		why = move_refusal(r, town, to, &failed);
	if (failed) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	if (why != W_COUNT) {
		page(r, out, NULL, NULL, W_COUNT, why, 409);
		return;
	}
	store_status st = store_assignment_move(r->st, town, from, to, r->who.person_id, r->now);
	if (st != STORE_OK) {
		page(r, out, NULL, NULL, W_COUNT,
		     st == STORE_NOT_FOUND ? W_MOVE_NOT_ASSIGNED : W_MOVE_UNKNOWN,
		     st == STORE_NOT_FOUND || st == STORE_REFUSED ? 409 : 500);
		return;
	}
	/* the town id percent-encoded in the query (an id may hold anything) */
	page_path("/organizer/assignment?moved=", town, where, sizeof where);
	page_redirect(out, where);
}
