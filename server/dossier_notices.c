/*
 * What the town's dossier form page (dossier.c) says around the form: the
 * dossier's state, the deadline and the server's time and why it cannot be
 * changed; what the last action did (a save, its conflicts and the answers
 * to correct, refused files, what reading an uploaded file found); the
 * upload form of a filled dossier file (dossier_upload.c handles it) and
 * the submission's section (submit.c). dossier_page.h says what the parts
 * of the page share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dossier_page.h"

static void conflict_list(struct dossier_page *p, const store_conflicts *c)
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
void dossier_status_html(struct dossier_page *p, const dossier_target *t)
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
static void upload_message(struct dossier_page *p, const pal_town_results *res, const char *text)
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
static void upload_result(struct dossier_page *p, const dossier_outcome *oc)
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
void dossier_upload_form_html(struct dossier_page *p)
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
void dossier_submit_html(struct dossier_page *p, const dossier_outcome *oc)
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
static void to_correct(struct dossier_page *p, const char *lang)
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

void dossier_outcome_html(struct dossier_page *p, const dossier_outcome *oc)
{
	if (!oc)
		return;
	if (oc->saved) {
		para(p->h, "saved", "saved", tr(p, W_SAVED));
		to_correct(p, words_code(p->r->lang));
	}
	if (oc->refused)
		para(p->h, "error", NULL, tr(p, W_SUBMITTED_REFUSED));
	if (oc->conflicts)
		conflict_list(p, oc->conflicts);
	if (oc->file_refused)
		para(p->h, "error", "files-refused", tr(p, W_EVIDENCE_REFUSED));
	if (oc->upload_refused || oc->uploaded || oc->upload_diags)
		upload_result(p, oc);
}
