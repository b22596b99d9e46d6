/*
 * The town's dossier form (issue 11, "Towns"): GET and POST /dossier (the
 * town's own) and /dossier/TOWN (the same page by town id, for the
 * organizer; any other town gets 404 from permit()).
 *
 * The form is generated from the campaign's rubric through palmares/rubric.h
 * only: one <section> per category, one block per criterion with an input
 * per kind. What applies and what the engine says come from scoring the
 * dossier as it stands: the answers (as typed, from the store, overlaid
 * with the request's) are written as one JSON dossier, read by
 * pal_campaign_add_dossiers_text() exactly as an uploaded file would be,
 * scored, and read back through palmares/town.h. A save stores every
 * changed answer as typed (store_answers_save(), with the form's revision:
 * a second tab is told what changed and nothing it typed is lost), then
 * shows the page again with the engine's messages next to their fields.
 *
 * Field names: a.ID (the answer; several for a multi), na.ID (the "not
 * applicable" box of a number, percent or info), e.ID (the evidence link),
 * and o.ID / oe.ID (hidden: the answer and the evidence as the page showed
 * them), so that a save sends only what this page changed and an untouched
 * field of an old tab is never a conflict.
 *
 * The page also carries the dossier's state, deadline and server time, the
 * upload of a filled dossier file (dossier_upload.c), evidence files (f.ID
 * inputs, so the form is multipart; evidence.c, stored in the save's
 * transaction, a refused file refusing the whole save) and the submission
 * (submit.c). dossier.h says what they share.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "dossier.h"

/* One scoring of the dossier: the campaign and its town's results. */
typedef struct {
	pal_campaign *c;
	pal_town_results *tr;
	int scored; /* applies is known (scored or pending, not invalid) */
} scoring;

/* What the engine makes of the dossier: its messages (on the typed answers),
 * and what applies: from the typed answers or, when the engine refused some
 * of them and so decided nothing, from the answers it accepted. */
typedef struct {
	scoring typed, accepted;
	const scoring *applies; /* NULL: unknown, every criterion is shown */
} engine_view;

static void scoring_free(scoring *s)
{
	pal_town_results_free(s->tr);
	pal_campaign_free(s->c);
}

static void engine_free(engine_view *e)
{
	scoring_free(&e->typed);
	scoring_free(&e->accepted);
}

static int score_json(scoring *s, const pal_rubric *rb, const char *json)
{
	pal_diags *d = pal_diags_new();
	memset(s, 0, sizeof *s);
	if (!d || !json) {
		pal_diags_free(d);
		return -1;
	}
	s->c = pal_campaign_new(rb);
	if (s->c && pal_campaign_add_dossiers_text(s->c, "dossier.json", json, strlen(json), PAL_DOSSIER_JSON,
						   d) != PAL_IOERR)
		pal_campaign_score(s->c, d);
	pal_diags_free(d);
	if (!s->c || pal_campaign_count(s->c) != 1)
		return -1;
	s->tr = pal_campaign_town_results(s->c, 0);
	const char *status = pal_campaign_town_status(s->c, 0);
	s->scored = status && strcmp(status, "invalid") != 0;
	return s->tr ? 0 : -1;
}

static int engine_run(engine_view *e, const pal_rubric *rb, const char *town, const char *name,
		      const char *attrs, const answers *a)
{
	char *json = answers_dossier_json(rb, town, name, attrs, a);
	int rc = score_json(&e->typed, rb, json);
	free(json);
	if (rc != 0)
		return -1;
	if (e->typed.scored) {
		e->applies = &e->typed;
		return 0;
	}
	/* Invalid: once more without the answers the engine refused. */
	answers kept = *a;
	const pal_town_results *tr = e->typed.tr;
	if (!(kept.val = calloc(a->n ? a->n : 1, sizeof *kept.val)))
		return -1;
	if (a->n)
		memcpy(kept.val, a->val, a->n * sizeof *kept.val);
	for (size_t k = 0; k < pal_town_results_count_messages(tr); k++) {
		const pal_town_message *m = pal_town_results_message(tr, k);
		if (m->severity == PAL_ERROR && m->criterion >= 0 && (size_t)m->criterion < a->n)
			kept.val[m->criterion] = NULL;
	}
	json = answers_dossier_json(rb, town, name, attrs, &kept);
	free(kept.val); /* its strings are a's */
	if (score_json(&e->accepted, rb, json) == 0 && e->accepted.scored)
		e->applies = &e->accepted;
	free(json);
	return 0;
}

/* A number for a sentence in the page's language ("12,5" in French, "12.5"
 * in English), without the process locale's say. */
static const char *num_text(const http_req *r, double v, char *buf, size_t len)
{
	/* A whole number (most points and bounds) is written as its digits, what
	 * "%.15g" writes below 1e15, without snprintf: the form writes a few per
	 * criterion at each save. -0 and the rest go through snprintf. */
	if (fabs(v) < 1e15 && v == (double)(long long)v && !(v == 0 && signbit(v)) && len >= 32) {
		char digits[32], *d = digits + sizeof digits;
		long long n = (long long)v;
		unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
		*--d = '\0';
		do {
			*--d = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		if (n < 0)
			*--d = '-';
		memcpy(buf, d, (size_t)(digits + sizeof digits - d));
		return buf;
	}
	snprintf(buf, len, "%.15g", v);
	words_decimal(r->lang, buf);
	return buf;
}

struct page {
	http_req *r;
	html *h;
	const pal_rubric *rb;
	const answers *a;
	const engine_view *e;
	const answers *shown; /* what the store holds: the hidden o.ID fields */
	int ro;               /* read-only: no input takes a value */
	int files;            /* evidence files may be attached (the form is multipart) */
	const evidence_list *ev;
	const dossier_outcome *oc;
	int64_t oc_revision; /* the revision the page's forms are based on */
};

static const char *tr(const struct page *p, words_key k)
{
	return words(p->r->lang, k);
}

/* buf = prefix "." id, cut to len - 1 bytes as snprintf would (it was
 * snprintf: a dozen calls per criterion at each save). */
static void field_name(char *buf, size_t len, const char *prefix, const char *id)
{
	size_t pl = strlen(prefix), il = strlen(id), o = 0;
	if (!len)
		return;
	size_t room = len - 1;
	size_t n = pl < room ? pl : room;
	memcpy(buf, prefix, n);
	o = n;
	if (o < room)
		buf[o++] = '.';
	n = il < room - o ? il : room - o;
	memcpy(buf + o, id, n);
	o += n;
	buf[o] = '\0';
}

/* A radio button or checkbox with its label. */
static void choice_input(struct page *p, const char *type, const char *name, const char *value,
			 const char *label, int checked, const char *dom_id)
{
	html *h = p->h;
	html_open(h, "label");
	html_open(h, "input");
	html_attr(h, "type", type);
	html_attr(h, "name", name);
	html_attr(h, "value", value);
	html_attr(h, "id", dom_id);
	html_attr_flag(h, "checked", checked);
	html_attr_flag(h, "disabled", p->ro);
	html_text(h, " ");
	html_text(h, label);
	html_close(h, "label");
}

/* 1 when option opt is among v's options ("a|b"). */
static int has_option(const char *v, const char *opt)
{
	size_t ol = strlen(opt);
	while (v && *v) {
		size_t len = strcspn(v, "|");
		if (len == ol && strncmp(v, opt, ol) == 0)
			return 1;
		v += len + (v[len] == '|');
	}
	return 0;
}

static void hidden(html *h, const char *name, const char *value)
{
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", name);
	html_attr(h, "value", value ? value : "");
}

/* The inputs of criterion i by its kind. */
static void criterion_inputs(struct page *p, size_t i, const char *id, const char *kind)
{
	html *h = p->h;
	const pal_rubric *rb = p->rb;
	const char *v = p->a->val[i] ? p->a->val[i] : "";
	int na = strcmp(v, "n/a") == 0, allow_na = pal_rubric_criterion_allows_na(rb, i);
	char name[600], dom[600], buf[64];
	field_name(name, sizeof name, "a", id);
	html_open(h, "div");
	html_attr(h, "class", "inputs");
	if (strcmp(kind, "yes-no") == 0 || strcmp(kind, "choice") == 0) {
		if (strcmp(kind, "yes-no") == 0) {
			field_name(dom, sizeof dom, "in-yes", id);
			choice_input(p, "radio", name, "true", tr(p, W_YES), strcmp(v, "true") == 0, dom);
			field_name(dom, sizeof dom, "in-no", id);
			choice_input(p, "radio", name, "false", tr(p, W_NO), strcmp(v, "false") == 0, dom);
		} else {
			for (size_t o = 0; o < pal_rubric_criterion_count_options(rb, i); o++) {
				const char *opt = pal_rubric_criterion_option(rb, i, o);
				snprintf(dom, sizeof dom, "in-%s-%zu", id, o);
				choice_input(p, "radio", name, opt, opt, strcmp(v, opt) == 0, dom);
			}
		}
		if (allow_na) {
			field_name(dom, sizeof dom, "in-na", id);
			choice_input(p, "radio", name, "n/a", tr(p, W_NA), na, dom);
		}
	} else if (strcmp(kind, "multi") == 0) {
		for (size_t o = 0; o < pal_rubric_criterion_count_options(rb, i); o++) {
			const char *opt = pal_rubric_criterion_option(rb, i, o);
			snprintf(dom, sizeof dom, "in-%s-%zu", id, o);
			choice_input(p, "checkbox", name, opt, opt, has_option(v, opt), dom);
		}
		if (allow_na) {
			field_name(dom, sizeof dom, "in-na", id);
			choice_input(p, "checkbox", name, "n/a", tr(p, W_NA), na, dom);
		}
	} else {
		int number = strcmp(kind, "number") == 0 || strcmp(kind, "percent") == 0;
		double min, max;
		field_name(dom, sizeof dom, "in", id);
		html_open(h, "label");
		html_attr(h, "for", dom);
		html_text(h, tr(p, W_ANSWER));
		if (number && pal_rubric_criterion_bounds(rb, i, &min, &max)) {
			html_text(h, " (");
			if (isinf(max)) {
				html_text(h, tr(p, W_AT_LEAST));
				html_text(h, " ");
				html_text(h, num_text(p->r, min, buf, sizeof buf));
			} else {
				html_text(h, tr(p, W_BETWEEN));
				html_text(h, " ");
				html_text(h, num_text(p->r, min, buf, sizeof buf));
				html_text(h, " ");
				html_text(h, tr(p, W_AND));
				html_text(h, " ");
				html_text(h, num_text(p->r, max, buf, sizeof buf));
			}
			html_text(h, ")");
		}
		html_close(h, "label");
		html_text(h, " ");
		if (number) {
			/* A text input, never type=number: a browser's number
			 * input sends what it cannot read as "" (the answer would
			 * be erased without a word) and reads "12,5" by its own
			 * locale. What is typed reaches the server as typed, and is
			 * read by the rule of a dossier CSV's cells (answers.c):
			 * "12,5", "1 234", "40 %". inputmode asks phones for a
			 * keypad with a decimal separator. */
			const char *shown = na ? "" : v;
			html_open(h, "input");
			html_attr(h, "type", "text");
			html_attr(h, "inputmode", "decimal");
			html_attr(h, "name", name);
			html_attr(h, "id", dom);
			html_attr(h, "value", shown);
			html_attr_flag(h, "disabled", p->ro);
		} else {
			html_open(h, "textarea");
			html_attr(h, "name", name);
			html_attr(h, "id", dom);
			html_attr_flag(h, "disabled", p->ro);
			if (!na)
				html_text_n(h, v, strlen(v), HTML_MULTILINE);
			html_close(h, "textarea");
		}
		if (allow_na) {
			char naname[600];
			field_name(naname, sizeof naname, "na", id);
			field_name(dom, sizeof dom, "in-na", id);
			html_text(h, " ");
			choice_input(p, "checkbox", naname, "n/a", tr(p, W_NA), na, dom);
		}
	}
	html_close(h, "div");
	field_name(name, sizeof name, "o", id);
	hidden(h, name, p->shown->val[i]);
	/* Evidence, where the rubric asks for it. */
	const char *evid = pal_rubric_criterion_evidence(rb, i);
	if (strcmp(evid, "none") != 0) {
		field_name(name, sizeof name, "e", id);
		field_name(dom, sizeof dom, "in-e", id);
		html_open(h, "div");
		html_open(h, "label");
		html_attr(h, "for", dom);
		html_text(h, tr(p, W_EVIDENCE));
		if (strcmp(evid, "required") == 0) {
			html_text(h, " (");
			html_text(h, tr(p, W_EVIDENCE_REQUIRED));
			html_text(h, ")");
		}
		html_close(h, "label");
		html_text(h, " ");
		html_open(h, "input");
		html_attr(h, "type", "text");
		html_attr(h, "inputmode", "url");
		html_attr(h, "name", name);
		html_attr(h, "id", dom);
		html_attr(h, "value", p->a->ev[i] ? p->a->ev[i] : "");
		html_attr_flag(h, "disabled", p->ro);
		html_close(h, "div");
		field_name(name, sizeof name, "oe", id);
		hidden(h, name, p->shown->ev[i]);
		evidence_list_html(h, p->r, p->ev, id, p->files);
		if (p->files) {
			field_name(name, sizeof name, "f", id);
			field_name(dom, sizeof dom, "in-f", id);
			html_open(h, "div");
			html_open(h, "label");
			html_attr(h, "for", dom);
			html_text(h, tr(p, W_EVIDENCE_FILE));
			html_close(h, "label");
			html_text(h, " ");
			html_open(h, "input");
			html_attr(h, "type", "file");
			html_attr(h, "name", name);
			html_attr(h, "id", dom);
			html_close(h, "div");
		}
		if (p->oc && p->oc->file_refused && p->oc->file_refused[i]) {
			html_open(h, "p");
			html_attr(h, "class", "error");
			html_attr(h, "data-code", "evidence-refused");
			html_text(h, tr(p, p->oc->file_refused[i]));
			html_close(h, "p");
		}
	}
}

/* The engine's messages about criterion i, next to its field. */
static void criterion_messages(struct page *p, size_t i)
{
	const pal_town_results *tr = p->e->typed.tr;
	for (size_t k = 0; tr && k < pal_town_results_count_messages(tr); k++) {
		const pal_town_message *m = pal_town_results_message(tr, k);
		if (m->criterion < 0 || (size_t)m->criterion != i || m->severity == PAL_NOTE)
			continue;
		const char *said = words_message(p->r->lang, m->code);
		html_open(p->h, "p");
		html_attr(p->h, "class", m->severity == PAL_ERROR ? "error" : "note");
		html_attr(p->h, "data-code", m->code ? m->code : "");
		/* The value is in the field, as typed, right above. */
		html_text(p->h, said ? said : m->text);
		html_close(p->h, "p");
	}
}

static void criterion_block(struct page *p, size_t i)
{
	html *h = p->h;
	const pal_rubric *rb = p->rb;
	const char *id = pal_rubric_criterion_id(rb, i), *kind = pal_rubric_criterion_kind(rb, i);
	const char *lang = words_code(p->r->lang), *desc = pal_rubric_criterion_description(rb, i, lang);
	int applies = !p->e->applies || pal_town_results_applies(p->e->applies->tr, i);
	char dom[600], buf[64];
	field_name(dom, sizeof dom, "c", id);
	html_open(h, "div");
	html_attr(h, "class", applies ? "criterion" : "criterion not-applying");
	html_attr(h, "id", dom);
	html_attr(h, "data-kind", kind);
	html_element_text(h, "h3", pal_rubric_criterion_title(rb, i, lang));
	if (desc)
		html_element_text(h, "p", desc);
	if (strcmp(kind, "info") != 0) {
		html_open(h, "p");
		html_attr(h, "class", "note");
		html_text(h, num_text(p->r, pal_rubric_criterion_points(rb, i), buf, sizeof buf));
		html_text(h, " ");
		html_text(h, tr(p, W_POINTS));
		html_close(h, "p");
	}
	size_t nsteps = pal_rubric_criterion_count_steps(rb, i);
	if (nsteps && applies) {
		/* A number's steps: from which value it earns which part of its points. */
		html_open(h, "p");
		html_attr(h, "class", "note");
		html_text(h, tr(p, W_STEPS));
		for (size_t s = 0; s < nsteps; s++) {
			double at, frac;
			pal_rubric_criterion_step(rb, i, s, &at, &frac);
			html_text(h, s ? " ; " : " ");
			html_text(h, tr(p, W_FROM));
			html_text(h, " ");
			html_text(h, num_text(p->r, at, buf, sizeof buf));
			html_text(h, " → ");
			html_text(h, num_text(p->r, frac * 100, buf, sizeof buf));
			html_text(h, " %");
		}
		html_close(h, "p");
	}
	if (strcmp(kind, "jury") == 0) {
		html_element_text(h, "p", tr(p, W_JURY_CRITERION));
	} else if (!applies) {
		html_open(h, "p");
		html_attr(h, "class", "note");
		html_text(h, tr(p, W_NOT_APPLYING));
		html_close(h, "p");
	} else {
		criterion_inputs(p, i, id, kind);
	}
	criterion_messages(p, i);
	html_close(h, "div");
}

static void conflict_list(struct page *p, const store_conflicts *c)
{
	html *h = p->h;
	html_open(h, "div");
	html_attr(h, "class", "error");
	html_attr(h, "id", "conflict");
	html_element_text(h, "p", tr(p, W_CONFLICT));
	html_open(h, "ul");
	for (size_t k = 0; k < c->n; k++) {
		const char *cid = c->v[k].criterion;
		char id[512];
		size_t len = strlen(cid);
		long i;
		snprintf(id, sizeof id, "%s", cid);
		if (len > 9 && strcmp(cid + len - 9, ".evidence") == 0 && len - 9 < sizeof id)
			id[len - 9] = 0;
		i = pal_rubric_find_criterion(p->rb, id);
		html_open(h, "li");
		html_text(h, i >= 0 ? pal_rubric_criterion_title(p->rb, (size_t)i, words_code(p->r->lang))
				    : cid);
		html_text(h, " — ");
		html_text(h, tr(p, W_CONFLICT_THEIRS));
		html_text(h, " « ");
		const char *theirs = c->v[k].theirs ? c->v[k].theirs : "";
		/* A yes-no answer (not its evidence) in words. */
		if (i >= 0 && strcmp(id, cid) == 0 &&
		    strcmp(pal_rubric_criterion_kind(p->rb, (size_t)i), "yes-no") == 0 &&
		    (strcmp(theirs, "true") == 0 || strcmp(theirs, "false") == 0))
			theirs = tr(p, strcmp(theirs, "true") == 0 ? W_YES : W_NO);
		html_text(h, theirs);
		html_text(h, " »");
		html_close(h, "li");
	}
	html_close(h, "ul");
	html_close(h, "div");
}

/* A paragraph of one sentence, with a class and an id (either may be NULL). */
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

/* The state of the dossier, the deadline and the server's time, and why it
 * cannot be changed when it cannot. */
static void status_block(struct page *p, const dossier_target *t)
{
	html *h = p->h;
	http_req *r = p->r;
	int64_t deadline = -1;
	char buf[64];
	html_open(h, "div");
	html_attr(h, "id", "status");
	html_open(h, "p");
	html_text(h, tr(p, W_DEADLINE));
	html_text(h, " ");
	if (store_phase_get(r->st, PHASE_MARKING, &deadline) == STORE_OK && deadline >= 0) {
		page_time(deadline, buf);
		html_open(h, "strong");
		html_attr(h, "id", "deadline");
		html_text(h, buf);
		html_close(h, "strong");
	} else {
		html_text(h, tr(p, W_NO_DEADLINE));
	}
	html_text(h, " — ");
	html_text(h, tr(p, W_SERVER_TIME_MID));
	html_text(h, " ");
	page_time(r->now, buf);
	html_open(h, "span");
	html_attr(h, "id", "server-time");
	html_text(h, buf);
	html_close(h, "span");
	html_close(h, "p");
	if (t->d.state == DOSSIER_SUBMITTED) {
		html_open(h, "p");
		html_attr(h, "id", "submitted");
		html_text(h, tr(p, W_SUBMITTED_ON));
		html_text(h, " ");
		page_time(t->d.submitted_at, buf);
		html_text(h, buf);
		html_text(h, " — ");
		if (r->who.role == ROLE_TOWN) {
			html_open(h, "a");
			html_attr(h, "href", "/dossier/receipt");
			html_text(h, tr(p, W_RECEIPT_LINK));
			html_close(h, "a");
		} else {
			html_text(h, "SHA-256 ");
			html_text(h, t->d.receipt);
		}
		html_close(h, "p");
	} else if (t->d.reopened && t->can_edit) {
		para(h, "note", "reopened", tr(p, W_REOPENED_NOTE));
	}
	if (!t->can_edit) {
		words_key why = W_READ_ONLY;
		if (r->who.role == ROLE_TOWN)
			why = t->d.state == DOSSIER_SUBMITTED ? W_SUBMITTED_RO
			      : r->phase == PHASE_SETUP       ? W_CLOSED_NOT_OPEN
			      : r->phase > PHASE_SUBMISSION   ? W_CLOSED_DEADLINE
							      : W_READ_ONLY;
		para(h, "note", "read-only", tr(p, why));
	}
	html_close(h, "div");
}

/* One message of the intake: in the page's language when it is one of the
 * town's messages that words.c words (found by its text: the diagnostic's
 * text ends with the message's), with its criterion and the value read;
 * otherwise the engine's own words, as `palmares check` prints them. */
static void upload_message(struct page *p, const pal_town_results *res, const char *text)
{
	html *h = p->h;
	for (size_t k = 0; res && k < pal_town_results_count_messages(res); k++) {
		const pal_town_message *m = pal_town_results_message(res, k);
		const char *said = words_message(p->r->lang, m->code);
		size_t tl = strlen(text), ml = m->text ? strlen(m->text) : 0;
		if (!said || !ml || ml > tl || strcmp(text + tl - ml, m->text) != 0)
			continue;
		if (m->criterion >= 0 && (size_t)m->criterion < p->a->n) {
			html_text(h, pal_rubric_criterion_title(p->rb, (size_t)m->criterion,
								words_code(p->r->lang)));
			html_text(h, " — ");
		}
		html_text(h, said);
		if (m->value && *m->value) {
			int fr = p->r->lang == LANG_FR;
			html_text(h, fr ? " « " : " “");
			html_text(h, m->value);
			html_text(h, fr ? " »" : "”");
		}
		return;
	}
	html_text(h, text);
}

/* What reading an uploaded dossier file said, refused or not. */
static void upload_result(struct page *p, const dossier_outcome *oc)
{
	html *h = p->h;
	char buf[64];
	html_open(h, "div");
	html_attr(h, "id", "upload-result");
	if (oc->upload_refused) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_text(h, tr(p, W_UPLOAD_REFUSED));
		if (oc->upload_why) {
			html_text(h, " ");
			html_text(h, tr(p, oc->upload_why));
		}
		html_close(h, "p");
	} else if (oc->uploaded) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_attr(h, "id", "saved");
		if (oc->upload_changed) {
			html_text(h, tr(p, W_UPLOAD_DONE));
			html_text(h, " ");
			snprintf(buf, sizeof buf, "%zu", oc->upload_changed);
			html_text(h, buf);
		} else {
			html_text(h, tr(p, W_UPLOAD_UNCHANGED));
		}
		html_close(h, "p");
	}
	size_t n = oc->upload_diags ? pal_diags_count(oc->upload_diags) : 0;
	if (n) {
		html_element_text(h, "p", tr(p, W_UPLOAD_MESSAGES));
		html_open(h, "ul");
		html_attr(h, "id", "upload-messages");
		for (size_t k = 0; k < n; k++) {
			const pal_diag *d = pal_diags_get(oc->upload_diags, k);
			html_open(h, "li");
			html_attr(h, "class", d->severity == PAL_ERROR ? "error" : "note");
			if (d->line > 0) {
				html_text(h, tr(p, W_LINE));
				snprintf(buf, sizeof buf, " %ld%s", d->line,
					 p->r->lang == LANG_FR ? " : " : ": ");
				html_text(h, buf);
			}
			upload_message(p, oc->upload_tr, d->text);
			html_close(h, "li");
		}
		html_close(h, "ul");
	}
	html_close(h, "div");
}

/* The upload of a filled dossier file: its own form (multipart). */
static void upload_form(struct page *p)
{
	html *h = p->h;
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/dossier/upload");
	html_attr(h, "enctype", "multipart/form-data");
	html_attr(h, "id", "upload");
	html_element_text(h, "h2", tr(p, W_UPLOAD_TITLE));
	html_element_text(h, "p", tr(p, W_UPLOAD_HELP));
	csrf_field(h, p->r);
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", "revision");
	html_attr_int(h, "value", p->oc_revision);
	html_open(h, "input");
	html_attr(h, "type", "file");
	html_attr(h, "name", "dossier");
	html_attr(h, "accept", ".csv,.tsv,.txt,.json,.jsonl,text/csv,application/json");
	html_text(h, " ");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_text(h, tr(p, W_UPLOAD_BUTTON));
	html_close(h, "button");
	html_close(h, "form");
}

/* The submission: what blocks it, or its button. */
static void submit_section(struct page *p, const dossier_outcome *oc)
{
	html *h = p->h;
	const pal_town_results *res = p->e->typed.tr;
	const char *status = pal_campaign_town_status(p->e->typed.c, 0);
	int invalid = !status || strcmp(status, "invalid") == 0;
	html_open(h, "div");
	html_attr(h, "id", "submit");
	html_element_text(h, "h2", tr(p, W_SUBMIT_BUTTON));
	if (oc && oc->submit_stale)
		para(h, "error", "submit-stale", tr(p, W_SUBMIT_STALE));
	if (invalid) {
		html_open(h, "div");
		html_attr(h, "class", "error");
		html_attr(h, "id", "submit-blocked");
		html_element_text(h, "p", tr(p, W_SUBMIT_BLOCKED));
		html_open(h, "ul");
		for (size_t k = 0; res && k < pal_town_results_count_messages(res); k++) {
			const pal_town_message *m = pal_town_results_message(res, k);
			if (m->severity != PAL_ERROR)
				continue;
			const char *said = words_message(p->r->lang, m->code);
			html_open(h, "li");
			if (m->criterion >= 0 && (size_t)m->criterion < p->a->n) {
				char href[600];
				snprintf(href, sizeof href, "#c.%s",
					 pal_rubric_criterion_id(p->rb, (size_t)m->criterion));
				html_open(h, "a");
				html_attr(h, "href", href);
				html_text(h, pal_rubric_criterion_title(p->rb, (size_t)m->criterion,
									words_code(p->r->lang)));
				html_close(h, "a");
				html_text(h, " — ");
			}
			html_text(h, said ? said : m->text);
			html_close(h, "li");
		}
		html_close(h, "ul");
		html_close(h, "div");
	} else {
		html_element_text(h, "p", tr(p, W_SUBMIT_HELP));
		html_open(h, "form");
		html_attr(h, "method", "post");
		html_attr(h, "action", "/dossier/submit");
		csrf_field(h, p->r);
		html_open(h, "input");
		html_attr(h, "type", "hidden");
		html_attr(h, "name", "revision");
		html_attr_int(h, "value", p->oc_revision);
		html_open(h, "button");
		html_attr(h, "type", "submit");
		html_attr(h, "class", "primary");
		html_text(h, tr(p, W_SUBMIT_BUTTON));
		html_close(h, "button");
		html_close(h, "form");
	}
	html_close(h, "div");
}

/* After a save: the answers the engine refused, each a link down to its
 * field, so that the message next to it is found without scrolling through
 * the whole form. Nothing when every answer was accepted. */
static void to_correct(struct page *p, const char *lang)
{
	const pal_town_results *res = p->e->typed.tr;
	size_t n = pal_rubric_count_criteria(p->rb), shown = 0;
	unsigned char *seen = calloc(n ? n : 1, 1);
	if (!seen)
		return;
	for (size_t k = 0; k < pal_town_results_count_messages(res); k++) {
		const pal_town_message *m = pal_town_results_message(res, k);
		if (m->severity != PAL_ERROR || m->criterion < 0 || (size_t)m->criterion >= n || seen[m->criterion])
			continue;
		seen[m->criterion] = 1;
		if (shown++ == 0) {
			html_open(p->h, "p");
			html_attr(p->h, "class", "error");
			html_attr(p->h, "id", "to-correct");
			html_text(p->h, tr(p, W_TO_CORRECT));
			html_text(p->h, " ");
		} else {
			html_text(p->h, ", ");
		}
		char href[600];
		snprintf(href, sizeof href, "#c.%s", pal_rubric_criterion_id(p->rb, (size_t)m->criterion));
		html_open(p->h, "a");
		html_attr(p->h, "href", href);
		html_text(p->h, pal_rubric_criterion_title(p->rb, (size_t)m->criterion, lang));
		html_close(p->h, "a");
	}
	if (shown)
		html_close(p->h, "p");
	free(seen);
}

void dossier_render(http_req *r, http_resp *out, const dossier_target *t, const pal_rubric *rb,
		    const answers *a, const answers *shown, int64_t revision, const dossier_outcome *oc)
{
	char *name = NULL, *attrs = NULL, action[600];
	engine_view e;
	evidence_list *ev = NULL;
	memset(&e, 0, sizeof e);
	int ok = store_town_get(r->st, t->town, &name, &attrs, NULL) == STORE_OK &&
		 engine_run(&e, rb, t->town, name, attrs, a) == 0 &&
		 (ev = evidence_list_load(r->st, t->town));
	free(attrs);
	if (!ok) {
		engine_free(&e);
		evidence_list_free(ev);
		free(name);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	struct page p = {r,  h,  rb,      a, &e, shown, !t->can_edit, t->can_upload && t->can_edit,
			 ev, oc, revision};
	const char *lang = words_code(r->lang);
	page_begin(h, r, tr(&p, W_DOSSIER_TITLE));
	html_open(h, "p");
	html_text(h, tr(&p, W_TOWN));
	html_text(h, " ");
	html_element_text(h, "strong", name);
	html_text(h, " — ");
	html_text(h, pal_rubric_label(rb, lang));
	html_close(h, "p");
	free(name);
	status_block(&p, t);
	if (oc && oc->saved) {
		para(h, "saved", "saved", tr(&p, W_SAVED));
		to_correct(&p, lang);
	}
	if (oc && oc->refused)
		para(h, "error", NULL, tr(&p, W_SUBMITTED_REFUSED));
	if (oc && oc->conflicts)
		conflict_list(&p, oc->conflicts);
	if (oc && oc->file_refused)
		para(h, "error", "files-refused", tr(&p, W_EVIDENCE_REFUSED));
	if (oc && (oc->upload_refused || oc->uploaded || oc->upload_diags))
		upload_result(&p, oc);
	/* The dossier's own errors, about no criterion (its town's attributes). */
	for (size_t k = 0; k < pal_town_results_count_messages(e.typed.tr); k++) {
		const pal_town_message *m = pal_town_results_message(e.typed.tr, k);
		if (m->criterion >= 0 || m->severity != PAL_ERROR)
			continue;
		const char *said = words_message(r->lang, m->code);
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_attr(h, "data-code", m->code ? m->code : "");
		html_text(h, said ? said : m->text);
		html_close(h, "p");
	}
	if (t->can_edit && r->who.role == ROLE_TOWN && !(r->arg && *r->arg))
		upload_form(&p);
	/* The form posts to the dossier's page, whichever action showed it. */
	if (r->arg && *r->arg)
		page_path("/dossier/", r->arg, action, sizeof action);
	else
		snprintf(action, sizeof action, "/dossier");
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", action);
	if (p.files)
		html_attr(h, "enctype", "multipart/form-data");
	html_attr_flag(h, "novalidate", 1);
	csrf_field(h, r);
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", "revision");
	html_attr_int(h, "value", revision);
	for (size_t k = 0; k < pal_rubric_count_categories(rb); k++) {
		size_t first, n = pal_rubric_category_criteria(rb, k, &first);
		const char *desc = pal_rubric_category_description(rb, k, lang);
		html_open(h, "section");
		html_attr(h, "class", "category");
		html_attr(h, "id", pal_rubric_category_id(rb, k));
		html_element_text(h, "h2", pal_rubric_category_title(rb, k, lang));
		if (desc)
			html_element_text(h, "p", desc);
		for (size_t i = first; i < first + n; i++)
			criterion_block(&p, i);
		html_close(h, "section");
	}
	if (!p.ro) {
		html_open(h, "button");
		html_attr(h, "type", "submit");
		html_attr(h, "class", "primary");
		html_text(h, tr(&p, W_SAVE));
		html_close(h, "button");
	}
	html_close(h, "form");
	if (t->can_submit && r->who.role == ROLE_TOWN && !(r->arg && *r->arg))
		submit_section(&p, oc);
	engine_free(&e);
	evidence_list_free(ev);
	page_end(h, out, 200);
	out->personal = 1;
}

/* GET /dossier, /dossier/TOWN: the form with the saved answers. */
void dossier_get(http_req *r, http_resp *out)
{
	dossier_target t;
	answers a = {0};
	const pal_rubric *rb;
	if (!dossier_find(r, &t, ACT_DOSSIER_VIEW)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st)) || answers_init(&a, rb) != 0 ||
	    answers_load(&a, r->st, t.town) != STORE_OK)
		http_error_page(r, out, 500, W_ERR_SERVER);
	else
		dossier_render(r, out, &t, rb, &a, &a, t.d.revision, NULL);
	answers_free(&a);
}

/* What this form typed for criterion i (owned), NULL when the form had no
 * field for it (a criterion it did not show). */
static char *typed_answer(const form *f, const char *id, const char *kind, int *oom)
{
	char name[600], naname[600], oname[600];
	size_t len = 0;
	char *v;
	field_name(name, sizeof name, "a", id);
	field_name(naname, sizeof naname, "na", id);
	field_name(oname, sizeof oname, "o", id);
	if (!form_get(f, oname))
		return NULL;
	if (form_get(f, naname))
		return (v = strdup("n/a")) ? v : (*oom = 1, NULL);
	if (strcmp(kind, "multi") != 0) {
		const char *x = form_get(f, name);
		return (v = strdup(x ? x : "")) ? v : (*oom = 1, NULL);
	}
	/* A multi: its boxes joined by '|' (the dossier's CSV cell), "n/a" when ticked. */
	for (size_t k = 0; k < f->n; k++)
		if (strcmp(f->v[k].name, name) == 0) {
			if (strcmp(f->v[k].value, "n/a") == 0)
				return (v = strdup("n/a")) ? v : (*oom = 1, NULL);
			len += strlen(f->v[k].value) + 1;
		}
	if (!(v = malloc(len + 1)))
		return *oom = 1, NULL;
	v[0] = 0;
	for (size_t k = 0, at = 0; k < f->n; k++)
		if (strcmp(f->v[k].name, name) == 0) {
			size_t l = strlen(f->v[k].value);
			if (at)
				v[at++] = '|';
			memcpy(v + at, f->v[k].value, l + 1);
			at += l;
		}
	return v;
}

/* POST /dossier, /dossier/TOWN: saves what this page changed, then shows it
 * again with the engine's messages (or what changed meanwhile). */
/* A save in one transaction: the files attached and removed, then the answers. */
struct save_tx {
	http_req *r;
	const pal_rubric *rb;
	const char *town;
	answers *a;
	store_answer *save;
	char **keys;
	size_t *n;
	int64_t base, *rev;
	store_conflicts *c;
};

static store_status save_fn(store *s, void *ctx)
{
	struct save_tx *x = ctx;
	store_status st;
	if (x->r->form.nfiles || form_get(&x->r->form, "rm")) {
		st = evidence_store(x->r, x->rb, x->town, x->a, x->save, x->keys, x->n);
		if (st != STORE_OK)
			return st;
	}
	return store_answers_save(s, x->town, x->base, x->save, *x->n, x->r->who.person_id, x->r->now, x->rev,
				  x->c);
}

void dossier_post(http_req *r, http_resp *out)
{
	dossier_target t;
	answers a = {0}, stored = {0};
	const pal_rubric *rb = NULL;
	store_answer *save = NULL;
	char **keys = NULL;
	words_key *refused = NULL;
	size_t n = 0;
	int oom = 0;
	int64_t base;
	if (!dossier_find(r, &t, ACT_DOSSIER_EDIT) ||
	    ((r->form.nfiles || form_get(&r->form, "rm")) && !t.can_upload)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (dossier_form_revision(r, &base) != 0) {
		http_error_page(r, out, 400, W_ERR_BAD_REQUEST);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st)) || answers_init(&a, rb) != 0 || answers_init(&stored, rb) != 0 ||
	    answers_load(&a, r->st, t.town) != STORE_OK || !(save = calloc(3 * a.n + 1, sizeof *save)) ||
	    !(keys = calloc(3 * a.n + 1, sizeof *keys)) || !(refused = calloc(a.n + 1, sizeof *refused)))
		goto fail;
	/* The typed values over the stored ones; a changed field is saved. */
	for (size_t i = 0; i < a.n && !oom; i++) {
		const char *id = pal_rubric_criterion_id(rb, i);
		char *v = typed_answer(&r->form, id, pal_rubric_criterion_kind(rb, i), &oom);
		char oname[600], ename[600];
		field_name(oname, sizeof oname, "o", id);
		if (v && strcmp(v, form_get(&r->form, oname)) != 0) {
			save[n].criterion = id;
			save[n++].value = v;
		}
		if (v) {
			free(a.val[i]);
			a.val[i] = v;
		}
		field_name(oname, sizeof oname, "oe", id);
		field_name(ename, sizeof ename, "e", id);
		const char *ev = form_get(&r->form, ename), *oev = form_get(&r->form, oname);
		if (ev && oev && strcmp(ev, oev) != 0) {
			size_t len = strlen(id) + sizeof ".evidence";
			if (!(keys[n] = malloc(len)) || answers_set_text(&a.ev[i], ev) != 0) {
				oom = 1;
				break;
			}
			snprintf(keys[n], len, "%s.evidence", id);
			save[n].criterion = keys[n];
			save[n++].value = a.ev[i];
		}
	}
	if (oom)
		goto fail;
	store_conflicts c = {0};
	int64_t rev = 0;
	dossier_outcome oc;
	memset(&oc, 0, sizeof oc);
	store_status st;
	/* A file that is not allowed refuses the whole save: what was typed is shown again. */
	if (evidence_check(r, rb, refused)) {
		oc.file_refused = refused;
	} else {
		struct save_tx x = {r, rb, t.town, &a, save, keys, &n, base, &rev, &c};
		st = store_tx(r->st, save_fn, &x);
		if (st == STORE_OK) {
			oc.saved = 1;
		} else if (st == STORE_CONFLICT) {
			oc.conflicts = &c;
		} else if (st == STORE_REFUSED) {
			oc.refused = 1;
		} else {
			store_conflicts_clear(&c);
			goto fail;
		}
	}
	/* The hidden fields hold what the store has now, so that saving this
	 * page again sends what the person typed over it. */
	if (answers_load(&stored, r->st, t.town) != STORE_OK ||
	    store_dossier_get(r->st, t.town, &t.d) != STORE_OK) {
		store_conflicts_clear(&c);
		goto fail;
	}
	if (oc.refused)
		t.can_edit = t.can_submit = t.can_upload = 0;
	dossier_render(r, out, &t, rb, &a, &stored, t.d.revision, &oc);
	store_conflicts_clear(&c);
	goto done;
fail:
	http_error_page(r, out, 500, W_ERR_SERVER);
done:
	for (size_t k = 0; keys && k < 3 * a.n + 1; k++)
		free(keys[k]);
	free(keys);
	free(refused);
	free(save);
	answers_free(&a);
	answers_free(&stored);
}
