/*
 * One dossier as the jury reads it (GET and POST /jury/dossier/TOWN) and
 * the recusal (POST /jury/recuse).
 *
 * The page shows the town and its attributes, its answers with the
 * criteria titles and its evidence (dossier_answers_table(), the receipt's
 * table, with the files the juror may download), then one mark per jury
 * criterion that applies to the dossier (as the engine decides on it), on
 * the criterion's scale, with a comment; the other jurors' marks when the
 * campaign's setting lets permit() show them; and the recusal form.
 *
 * A save (field names m.ID the mark, k.ID the comment, om.ID / ok.ID hidden:
 * what the page showed, so that only what this page changed is saved and an
 * untouched field of an old tab is never a conflict) feeds the typed marks
 * of the dossier to the engine's marks reader as a marks CSV text, one line
 * per criterion: a mark it refuses is not saved and comes back as typed with
 * its message; the rest (and every comment: a comment alone is a draft) is
 * saved by store_marks_save() against the revision the form was read at. A
 * save with next=1 that refused nothing goes on to the next dossier of the
 * queue that lacks a mark.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jury.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

/* One dossier of the juror, as the request names it. */
struct jd {
	store_juror me;
	const char *town;
	permit_target on;
	const pal_rubric *rb;
	jury_scoring s;
	size_t *idx, n;    /* the applicable jury criteria */
	char **val, **com; /* the stored mark and comment of each (owned) */
	int64_t revision;
	int can_mark;
};

static void jd_free(struct jd *d)
{
	for (size_t k = 0; k < d->n; k++) {
		free(d->val ? d->val[k] : NULL);
		free(d->com ? d->com[k] : NULL);
	}
	free(d->val);
	free(d->com);
	free(d->idx);
	jury_scoring_free(&d->s);
	store_juror_clear(&d->me);
	memset(d, 0, sizeof *d);
}

struct stored_ctx {
	struct jd *d;
	int oom;
};

static int stored_row(void *ctx, const store_mark_row *m)
{
	struct stored_ctx *x = ctx;
	struct jd *d = x->d;
	for (size_t k = 0; k < d->n; k++)
		if (strcmp(m->criterion, pal_rubric_criterion_id(d->rb, d->idx[k])) == 0) {
			free(d->val[k]);
			free(d->com[k]);
			d->val[k] = strdup(m->value);
			d->com[k] = strdup(m->comment);
			x->oom |= !d->val[k] || !d->com[k];
		}
	return 0;
}

/* The stored marks and revision of the juror on the dossier. 0, or -1. */
static int jd_load_marks(http_req *r, struct jd *d)
{
	struct stored_ctx x = {d, 0};
	for (size_t k = 0; k < d->n; k++) {
		free(d->val[k]);
		free(d->com[k]);
		d->val[k] = strdup("");
		d->com[k] = strdup("");
		if (!d->val[k] || !d->com[k])
			return -1;
	}
	if (store_marks_of(r->st, d->me.juror_id, d->town, stored_row, &x) != STORE_OK || x.oom ||
	    store_marks_revision(r->st, d->me.juror_id, d->town, &d->revision) != STORE_OK)
		return -1;
	return 0;
}

/* Finds the dossier and asks permit() for what: 0, 404 or 500. Nothing is
 * read or scored before permit() has answered. */
static int jd_find(http_req *r, struct jd *d, const char *town, permit_action what)
{
	store_dossier sd;
	memset(d, 0, sizeof *d);
	d->town = town;
	if (jury_me(r, &d->me) != 0 || !town || !*town || store_dossier_get(r->st, town, &sd) != STORE_OK)
		return 404;
	permit_target on = {town, sd.state == DOSSIER_SUBMITTED, sd.reopened, 0, 0, SEE_NEVER, 0};
	d->on = on;
	if (store_jury_target(r->st, d->me.juror_id, town, r->phase, NULL, 0, &d->on) != STORE_OK)
		return 500;
	if (permit(&r->who, ACT_JURY_DOSSIER_VIEW, &d->on, r->phase) != PERMIT_ALLOW ||
	    permit(&r->who, what, &d->on, r->phase) != PERMIT_ALLOW)
		return 404;
	d->can_mark = permit(&r->who, ACT_JURY_MARK, &d->on, r->phase) == PERMIT_ALLOW;
	return (d->rb = campaign_rubric_shared(r->st)) ? 0 : 500;
}

/* Scores the town (with marks when given) to know its applicable jury
 * criteria, and reads the juror's stored marks on them. 0, or 500. */
static int jd_score(http_req *r, struct jd *d, const char *marks, size_t len)
{
	char *towns[1] = {(char *)d->town};
	size_t nc = pal_rubric_count_criteria(d->rb);
	if (jury_score(r->st, d->rb, d->me.juror_id, towns, 1, "marks.csv", marks, len, &d->s) != 0 ||
	    !(d->idx = calloc(nc + 1, sizeof *d->idx)))
		return 500;
	d->n = jury_applicable(&d->s, d->rb, 0, d->idx);
	if (!(d->val = calloc(d->n + 1, sizeof *d->val)) || !(d->com = calloc(d->n + 1, sizeof *d->com)) ||
	    jd_load_marks(r, d) != 0)
		return 500;
	return 0;
}

static int jd_open(http_req *r, struct jd *d, const char *town, permit_action what)
{
	int rc = jd_find(r, d, town, what);
	return rc ? rc : jd_score(r, d, NULL, 0);
}

/* What a save or a recusal has to say on the page. */
typedef struct {
	int saved;
	const store_conflicts *conflicts;
	const char *const *typed_val, *const *typed_com; /* NULL (or a NULL entry): the stored ones */
	const char *const *refused;                      /* by k: the engine's text, NULL when accepted */
	int reason_missing;
} jd_outcome;

static void para(html *h, const char *cls, const char *id, const char *text)
{
	html_open(h, "p");
	if (cls)
		html_attr(h, "class", cls);
	if (id)
		html_attr(h, "id", id);
	html_text(h, text);
	html_close(h, "p");
}

static void hidden(html *h, const char *name, const char *value)
{
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", name);
	html_attr(h, "value", value ? value : "");
}

/* The town's name, id and attributes (a JSON object's text). */
static void attributes(html *h, const http_req *r, const char *town, const char *name, const char *attrs)
{
	json_t *o = attrs ? json_loads(attrs, 0, NULL) : NULL;
	const char *key;
	json_t *v;
	html_element_text(h, "h2", tr(r, W_JURY_ATTRIBUTES));
	html_open(h, "table");
	html_attr(h, "id", "attributes");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_TOWN_NAME));
	html_element_text(h, "td", name);
	html_close(h, "tr");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_TOWN_ID));
	html_element_text(h, "td", town);
	html_close(h, "tr");
	json_object_foreach(o, key, v)
	{
		char *text = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);
		html_open(h, "tr");
		html_attr(h, "data-attribute", key);
		html_element_text(h, "th", key);
		html_element_text(h, "td", json_is_string(v) ? json_string_value(v) : text ? text : "");
		html_close(h, "tr");
		free(text);
	}
	html_close(h, "table");
	json_decref(o);
}

struct others_ctx {
	html *h;
	const http_req *r;
	const struct jd *d;
	int any;
};

static int other_row(void *ctx, const store_mark_row *m)
{
	struct others_ctx *x = ctx;
	html *h = x->h;
	long i;
	if (strcmp(m->juror_id, x->d->me.juror_id) == 0 || (!*m->value && !*m->comment))
		return 0;
	i = pal_rubric_find_criterion(x->d->rb, m->criterion);
	if (!x->any++) {
		html_open(h, "table");
		html_attr(h, "id", "others");
		html_open(h, "tr");
		html_element_text(h, "th", tr(x->r, W_JURY_JUROR));
		html_element_text(h, "th", tr(x->r, W_CRITERION));
		html_element_text(h, "th", tr(x->r, W_JURY_MARK));
		html_element_text(h, "th", tr(x->r, W_JURY_COMMENT));
		html_close(h, "tr");
	}
	html_open(h, "tr");
	html_attr(h, "data-juror", m->juror_id);
	html_element_text(h, "td", m->juror_id);
	html_element_text(h, "td",
			  i >= 0 ? pal_rubric_criterion_title(x->d->rb, (size_t)i, words_code(x->r->lang))
				 : m->criterion);
	html_element_text(h, "td", m->value);
	html_open(h, "td");
	html_text_n(h, m->comment, strlen(m->comment), HTML_MULTILINE);
	html_close(h, "td");
	html_close(h, "tr");
	return 0;
}

/* The other jurors' marks, when the campaign's setting shows them. -1 on failure. */
static int others(html *h, http_req *r, struct jd *d)
{
	const char **crit = calloc(d->n + 1, sizeof *crit);
	struct others_ctx x = {h, r, d, 0};
	permit_target on = d->on;
	int rc = -1;
	if (!crit)
		return -1;
	for (size_t k = 0; k < d->n; k++)
		crit[k] = pal_rubric_criterion_id(d->rb, d->idx[k]);
	if (store_jury_target(r->st, d->me.juror_id, d->town, r->phase, crit, d->n, &on) != STORE_OK)
		goto done;
	rc = 0;
	if (permit(&r->who, ACT_JURY_OTHERS_VIEW, &on, r->phase) != PERMIT_ALLOW)
		goto done;
	html_open(h, "section");
	html_attr(h, "id", "others-section");
	html_element_text(h, "h2", tr(r, W_JURY_OTHERS));
	if (store_marks_of_town(r->st, d->town, other_row, &x) != STORE_OK)
		rc = -1;
	if (x.any)
		html_close(h, "table");
	else
		para(h, "note", "others-none", tr(r, W_JURY_OTHERS_NONE));
	html_close(h, "section");
done:
	free(crit);
	return rc;
}

static void conflict_list(html *h, const http_req *r, const struct jd *d, const store_conflicts *c)
{
	html_open(h, "div");
	html_attr(h, "class", "error");
	html_attr(h, "id", "conflict");
	html_element_text(h, "p", tr(r, W_CONFLICT));
	html_open(h, "ul");
	for (size_t k = 0; k < c->n; k++) {
		char id[512];
		size_t len;
		long i;
		snprintf(id, sizeof id, "%s", c->v[k].criterion);
		len = strlen(id);
		if (len > 8 && strcmp(id + len - 8, ".comment") == 0)
			id[len - 8] = 0;
		i = pal_rubric_find_criterion(d->rb, id);
		html_open(h, "li");
		html_text(h, i >= 0 ? pal_rubric_criterion_title(d->rb, (size_t)i, words_code(r->lang)) : id);
		html_text(h, " — ");
		html_text(h, tr(r, W_CONFLICT_THEIRS));
		html_text(h, " « ");
		html_text(h, c->v[k].theirs ? c->v[k].theirs : "");
		html_text(h, " »");
		html_close(h, "li");
	}
	html_close(h, "ul");
	html_close(h, "div");
}

/* One jury criterion's mark and comment. */
static void mark_block(html *h, const http_req *r, const struct jd *d, size_t k, const jd_outcome *oc)
{
	size_t i = d->idx[k];
	const char *id = pal_rubric_criterion_id(d->rb, i), *lang = words_code(r->lang);
	const char *v = oc && oc->typed_val && oc->typed_val[k] ? oc->typed_val[k] : d->val[k];
	const char *c = oc && oc->typed_com && oc->typed_com[k] ? oc->typed_com[k] : d->com[k];
	char name[600], dom[600], buf[64];
	double min = 0, max = 0;
	snprintf(dom, sizeof dom, "m.%s", id);
	html_open(h, "div");
	html_attr(h, "class", "mark");
	html_attr(h, "id", dom);
	html_element_text(h, "h3", pal_rubric_criterion_title(d->rb, i, lang));
	snprintf(dom, sizeof dom, "in-m-%s", id);
	html_open(h, "label");
	html_attr(h, "for", dom);
	html_text(h, tr(r, W_JURY_MARK));
	if (pal_rubric_criterion_bounds(d->rb, i, &min, &max)) {
		html_text(h, " (");
		html_text(h, tr(r, W_BETWEEN));
		snprintf(buf, sizeof buf, " %.15g ", min);
		words_decimal(r->lang, buf);
		html_text(h, buf);
		html_text(h, tr(r, W_AND));
		snprintf(buf, sizeof buf, " %.15g", max);
		words_decimal(r->lang, buf);
		html_text(h, buf);
		html_text(h, ")");
	}
	html_close(h, "label");
	html_text(h, " ");
	/* A text input, as the town's numbers: what is typed reaches the
	 * engine as typed ("3,5"), never dropped by a browser's number input. */
	snprintf(name, sizeof name, "m.%s", id);
	html_open(h, "input");
	html_attr(h, "type", "text");
	html_attr(h, "inputmode", "decimal");
	html_attr(h, "name", name);
	html_attr(h, "id", dom);
	html_attr(h, "value", v ? v : "");
	html_attr_flag(h, "disabled", !d->can_mark);
	snprintf(name, sizeof name, "om.%s", id);
	hidden(h, name, d->val[k]);
	if (oc && oc->refused && oc->refused[k]) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_attr(h, "data-code", "mark-refused");
		html_text(h, tr(r, W_JURY_REFUSED));
		html_text(h, " ");
		jury_message_html(h, r, oc->refused[k]);
		html_close(h, "p");
	}
	snprintf(dom, sizeof dom, "in-k-%s", id);
	snprintf(name, sizeof name, "k.%s", id);
	html_open(h, "div");
	html_open(h, "label");
	html_attr(h, "for", dom);
	html_text(h, tr(r, W_JURY_COMMENT));
	html_close(h, "label");
	html_open(h, "textarea");
	html_attr(h, "name", name);
	html_attr(h, "id", dom);
	html_attr_flag(h, "disabled", !d->can_mark);
	html_text_n(h, c ? c : "", c ? strlen(c) : 0, HTML_MULTILINE);
	html_close(h, "textarea");
	html_close(h, "div");
	snprintf(name, sizeof name, "ok.%s", id);
	hidden(h, name, d->com[k]);
	html_close(h, "div");
}

static void recuse_form(html *h, const http_req *r, const struct jd *d)
{
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/jury/recuse");
	html_attr(h, "id", "recuse");
	html_element_text(h, "h2", tr(r, W_JURY_RECUSE_TITLE));
	html_element_text(h, "p", tr(r, W_JURY_RECUSE_HELP));
	csrf_field(h, r);
	hidden(h, "town", d->town);
	html_open(h, "label");
	html_attr(h, "for", "in-reason");
	html_text(h, tr(r, W_JURY_REASON));
	html_close(h, "label");
	html_text(h, " ");
	html_open(h, "textarea");
	html_attr(h, "name", "reason");
	html_attr(h, "id", "in-reason");
	html_attr_flag(h, "required", 1);
	html_close(h, "textarea");
	html_text(h, " ");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_text(h, tr(r, W_JURY_RECUSE_BUTTON));
	html_close(h, "button");
	html_close(h, "form");
}

static void jd_render(http_req *r, http_resp *out, struct jd *d, const jd_outcome *oc, int status)
{
	char *name = NULL, *attrs = NULL, action[600];
	answers a = {0};
	evidence_list *ev = NULL;
	if (answers_init(&a, d->rb) != 0 || answers_load(&a, r->st, d->town) != STORE_OK ||
	    store_town_get(r->st, d->town, &name, &attrs, NULL) != STORE_OK ||
	    !(ev = evidence_list_load(r->st, d->town))) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		goto done;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_JURY_DOSSIER_TITLE));
	html_open(h, "p");
	html_text(h, tr(r, W_TOWN));
	html_text(h, " ");
	html_element_text(h, "strong", name);
	html_text(h, " — ");
	html_open(h, "a");
	html_attr(h, "href", "/jury");
	html_text(h, tr(r, W_JURY_BACK));
	html_close(h, "a");
	html_close(h, "p");
	if (oc && oc->saved)
		para(h, "saved", "saved", tr(r, W_JURY_SAVED));
	if (oc && oc->conflicts)
		conflict_list(h, r, d, oc->conflicts);
	if (oc && oc->reason_missing)
		para(h, "error", "reason-missing", tr(r, W_JURY_REASON_REQUIRED));
	attributes(h, r, d->town, name, attrs);
	html_element_text(h, "h2", tr(r, W_JURY_ANSWERS));
	dossier_answers_table(h, r, d->rb, &a, ev, "jury-answers");
	/* the marks */
	page_path("/jury/dossier/", d->town, action, sizeof action);
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", action);
	html_attr(h, "id", "marks");
	html_attr_flag(h, "novalidate", 1);
	html_element_text(h, "h2", tr(r, W_JURY_YOUR_MARKS));
	if (!d->can_mark)
		para(h, "note", "read-only", tr(r, W_JURY_MARKING_CLOSED));
	csrf_field(h, r);
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", "revision");
	html_attr_int(h, "value", d->revision);
	for (size_t k = 0; k < d->n; k++)
		mark_block(h, r, d, k, oc);
	if (d->can_mark) {
		html_open(h, "button");
		html_attr(h, "type", "submit");
		html_attr(h, "id", "save");
		html_text(h, tr(r, W_JURY_SAVE));
		html_close(h, "button");
		html_text(h, " ");
		html_open(h, "button");
		html_attr(h, "type", "submit");
		html_attr(h, "class", "primary");
		html_attr(h, "name", "next");
		html_attr(h, "value", "1");
		html_attr(h, "id", "save-next");
		html_text(h, tr(r, W_JURY_SAVE_NEXT));
		html_close(h, "button");
	}
	html_close(h, "form");
	if (others(h, r, d) != 0) {
		html_free(h);
		http_error_page(r, out, 500, W_ERR_SERVER);
		goto done;
	}
	if (permit(&r->who, ACT_JURY_RECUSE, &d->on, r->phase) == PERMIT_ALLOW)
		recuse_form(h, r, d);
	page_end(h, out, status);
	out->personal = 1;
done:
	evidence_list_free(ev);
	answers_free(&a);
	free(name);
	free(attrs);
}

void jury_dossier_get(http_req *r, http_resp *out)
{
	struct jd d;
	int rc = jd_open(r, &d, r->arg, ACT_JURY_DOSSIER_VIEW);
	if (rc)
		http_error_page(r, out, rc, rc == 404 ? W_ERR_NOT_FOUND : W_ERR_SERVER);
	else
		jd_render(r, out, &d, NULL, 200);
	jd_free(&d);
}

static const char *field(const http_req *r, const char *prefix, const char *id)
{
	char name[600];
	snprintf(name, sizeof name, "%s.%s", prefix, id);
	return form_get(&r->form, name);
}

struct typed_ctx {
	const pal_rubric *rb;
	const long *line_of; /* by rubric index: its line in the marks text, 0 for none */
	char **val, **com;   /* by rubric index: what is stored (owned) */
	int oom;
};

static int typed_stored(void *ctx, const store_mark_row *m)
{
	struct typed_ctx *x = ctx;
	long i = pal_rubric_find_criterion(x->rb, m->criterion);
	if (i >= 0) {
		free(x->val[i]);
		free(x->com[i]);
		x->val[i] = strdup(m->value);
		x->com[i] = strdup(m->comment);
		x->oom |= !x->val[i] || !x->com[i];
	}
	return 0;
}

/* POST /jury/dossier/TOWN: the marks this page changed. The marks text has
 * a line per jury criterion the form has a field for (the applicable ones,
 * unless forged: those are left aside once the engine says what applies),
 * the typed mark and comment over the stored ones; the engine reads it and
 * scores the town once, and its messages are matched to criteria by line. */
void jury_dossier_post(http_req *r, http_resp *out)
{
	struct jd d;
	size_t nc = 0, ne = 0;
	long *line_of = NULL, line = 1;
	char **sval = NULL, **scom = NULL;
	const char **refused = NULL, **tv = NULL, **tc = NULL;
	store_mark_edit *edits = NULL;
	store_conflicts c = {0};
	jury_csv csv;
	int64_t base, rev = 0;
	int rc = jd_find(r, &d, r->arg, ACT_JURY_MARK);
	jury_csv_init(&csv);
	if (rc) {
		jd_free(&d);
		jury_csv_free(&csv);
		http_error_page(r, out, rc, rc == 404 ? W_ERR_NOT_FOUND : W_ERR_SERVER);
		return;
	}
	if (dossier_form_revision(r, &base) != 0) {
		jd_free(&d);
		jury_csv_free(&csv);
		http_error_page(r, out, 400, W_ERR_BAD_REQUEST);
		return;
	}
	nc = pal_rubric_count_criteria(d.rb);
	if (!(line_of = calloc(nc + 1, sizeof *line_of)) || !(sval = calloc(nc + 1, sizeof *sval)) ||
	    !(scom = calloc(nc + 1, sizeof *scom)))
		goto fail;
	struct typed_ctx tx = {d.rb, line_of, sval, scom, 0};
	if (store_marks_of(r->st, d.me.juror_id, d.town, typed_stored, &tx) != STORE_OK || tx.oom)
		goto fail;
	for (size_t i = 0; i < nc; i++) {
		const char *id = pal_rubric_criterion_id(d.rb, i), *m = field(r, "m", id),
			   *cm = field(r, "k", id);
		if (strcmp(pal_rubric_criterion_kind(d.rb, i), "jury") != 0 || (!m && !cm))
			continue;
		line_of[i] = ++line;
		jury_csv_row(&csv, d.me.juror_id, d.town, id,
			     m         ? m
			     : sval[i] ? sval[i]
				       : "",
			     cm        ? cm
			     : scom[i] ? scom[i]
				       : "");
	}
	if (csv.oom || (rc = jd_score(r, &d, csv.buf, csv.len)) != 0)
		goto fail;
	if (!(refused = calloc(d.n + 1, sizeof *refused)) || !(edits = calloc(d.n + 1, sizeof *edits)) ||
	    !(tv = calloc(d.n + 1, sizeof *tv)) || !(tc = calloc(d.n + 1, sizeof *tc)))
		goto fail;
	for (size_t g = 0; d.s.marks && g < pal_diags_count(d.s.marks); g++) {
		const pal_diag *e = pal_diags_get(d.s.marks, g);
		for (size_t k = 0; k < d.n && e->severity == PAL_ERROR; k++)
			if (line_of[d.idx[k]] && line_of[d.idx[k]] == e->line)
				refused[k] = e->text;
	}
	for (size_t k = 0; k < d.n; k++) {
		const char *id = pal_rubric_criterion_id(d.rb, d.idx[k]);
		const char *m = field(r, "m", id), *om = field(r, "om", id);
		const char *cm = field(r, "k", id), *ocm = field(r, "ok", id);
		store_mark_edit e = {id, NULL, NULL};
		tv[k] = m; /* NULL: the form had no field, the stored one is shown (read again below) */
		tc[k] = cm;
		if (m && om && strcmp(m, om) != 0 && !refused[k])
			e.value = m;
		if (cm && ocm && strcmp(cm, ocm) != 0)
			e.comment = cm;
		if (e.value || e.comment)
			edits[ne++] = e;
	}
	jd_outcome oc = {0};
	oc.typed_val = tv;
	oc.typed_com = tc;
	oc.refused = refused;
	store_status st = store_marks_save(r->st, d.me.juror_id, d.town, base, edits, ne, r->who.person_id,
					   r->now, &rev, &c);
	if (st == STORE_OK) {
		size_t nref = 0;
		for (size_t k = 0; k < d.n; k++)
			nref += refused[k] != NULL;
		oc.saved = 1;
		if (form_get(&r->form, "next") && !nref) {
			char path[600];
			if (jury_next_unmarked(r, d.rb, d.me.juror_id, d.town, path, sizeof path) != 0)
				goto fail;
			page_redirect(out, path);
			goto done;
		}
	} else if (st == STORE_CONFLICT) {
		oc.conflicts = &c;
	} else {
		goto fail;
	}
	/* The hidden fields hold what the store has now, so that saving this
	 * page again sends what the juror typed over it. */
	if (jd_load_marks(r, &d) != 0)
		goto fail;
	jd_render(r, out, &d, &oc, 200);
	goto done;
fail:
	http_error_page(r, out, 500, W_ERR_SERVER);
done:
	for (size_t i = 0; i < nc; i++) {
		free(sval ? sval[i] : NULL);
		free(scom ? scom[i] : NULL);
	}
	free(sval);
	free(scom);
	free(line_of);
	store_conflicts_clear(&c);
	jury_csv_free(&csv);
	free(tv);
	free(tc);
	free(refused);
	free(edits);
	jd_free(&d);
}

/* POST /jury/recuse: town, reason. */
void jury_recuse_post(http_req *r, http_resp *out)
{
	struct jd d;
	const char *town = form_get(&r->form, "town"), *reason = form_get(&r->form, "reason");
	int rc = jd_open(r, &d, town, ACT_JURY_RECUSE);
	if (rc) {
		jd_free(&d);
		http_error_page(r, out, rc, rc == 404 ? W_ERR_NOT_FOUND : W_ERR_SERVER);
		return;
	}
	if (!reason || !reason[strspn(reason, " \t\r\n")]) {
		jd_outcome oc = {0};
		oc.reason_missing = 1;
		jd_render(r, out, &d, &oc, 400);
	} else if (store_recusal_add(r->st, d.me.juror_id, d.town, reason, r->who.person_id, r->now) !=
		   STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
	} else {
		page_redirect(out, "/jury?recused=1");
	}
	jd_free(&d);
}
