/*
 * One criterion's block on the town's dossier form (dossier.c): its title,
 * description, points and a number's steps, its inputs by kind (radio
 * buttons, boxes, a text input for numbers, a textarea), its "not
 * applicable" box, its evidence link and files, and the engine's messages
 * about it. Field names are made here (dossier_field_name()), the one place
 * the save (dossier_save.c) reads them back from; dossier_page.h says what
 * the parts of the page share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dossier_page.h"

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

/* buf = prefix "." id, cut to len - 1 bytes as snprintf would (it was
 * snprintf: a dozen calls per criterion at each save). */
void dossier_field_name(char *buf, size_t len, const char *prefix, const char *id)
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
static void choice_input(struct dossier_page *p, const char *type, const char *name, const char *value,
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
static void criterion_inputs(struct dossier_page *p, size_t i, const char *id, const char *kind)
{
	html *h = p->h;
	const pal_rubric *rb = p->rb;
	const char *v = p->a->val[i] ? p->a->val[i] : "";
	int na = strcmp(v, "n/a") == 0, allow_na = pal_rubric_criterion_allows_na(rb, i);
	char name[600], dom[600], buf[64];
	dossier_field_name(name, sizeof name, "a", id);
	html_open(h, "div");
	html_attr(h, "class", "inputs");
	if (strcmp(kind, "yes-no") == 0 || strcmp(kind, "choice") == 0) {
		if (strcmp(kind, "yes-no") == 0) {
			dossier_field_name(dom, sizeof dom, "in-yes", id);
			choice_input(p, "radio", name, "true", tr(p, W_YES), strcmp(v, "true") == 0, dom);
			dossier_field_name(dom, sizeof dom, "in-no", id);
			choice_input(p, "radio", name, "false", tr(p, W_NO), strcmp(v, "false") == 0, dom);
		} else {
			for (size_t o = 0; o < pal_rubric_criterion_count_options(rb, i); o++) {
				const char *opt = pal_rubric_criterion_option(rb, i, o);
				snprintf(dom, sizeof dom, "in-%s-%zu", id, o);
				choice_input(p, "radio", name, opt, opt, strcmp(v, opt) == 0, dom);
			}
		}
		if (allow_na) {
			dossier_field_name(dom, sizeof dom, "in-na", id);
			choice_input(p, "radio", name, "n/a", tr(p, W_NA), na, dom);
		}
	} else if (strcmp(kind, "multi") == 0) {
		for (size_t o = 0; o < pal_rubric_criterion_count_options(rb, i); o++) {
			const char *opt = pal_rubric_criterion_option(rb, i, o);
			snprintf(dom, sizeof dom, "in-%s-%zu", id, o);
			choice_input(p, "checkbox", name, opt, opt, has_option(v, opt), dom);
		}
		if (allow_na) {
			dossier_field_name(dom, sizeof dom, "in-na", id);
			choice_input(p, "checkbox", name, "n/a", tr(p, W_NA), na, dom);
		}
	} else {
		int number = strcmp(kind, "number") == 0 || strcmp(kind, "percent") == 0;
		double min, max;
		dossier_field_name(dom, sizeof dom, "in", id);
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
			dossier_field_name(naname, sizeof naname, "na", id);
			dossier_field_name(dom, sizeof dom, "in-na", id);
			html_text(h, " ");
			choice_input(p, "checkbox", naname, "n/a", tr(p, W_NA), na, dom);
		}
	}
	html_close(h, "div");
	dossier_field_name(name, sizeof name, "o", id);
	hidden(h, name, p->shown->val[i]);
	/* Evidence, where the rubric asks for it. */
	const char *evid = pal_rubric_criterion_evidence(rb, i);
	if (strcmp(evid, "none") != 0) {
		dossier_field_name(name, sizeof name, "e", id);
		dossier_field_name(dom, sizeof dom, "in-e", id);
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
		dossier_field_name(name, sizeof name, "oe", id);
		hidden(h, name, p->shown->ev[i]);
		evidence_list_html(h, p->r, p->ev, id, p->files);
		if (p->files) {
			dossier_field_name(name, sizeof name, "f", id);
			dossier_field_name(dom, sizeof dom, "in-f", id);
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
static void criterion_messages(struct dossier_page *p, size_t i)
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

void dossier_criterion_html(struct dossier_page *p, size_t i)
{
	html *h = p->h;
	const pal_rubric *rb = p->rb;
	const char *id = pal_rubric_criterion_id(rb, i), *kind = pal_rubric_criterion_kind(rb, i);
	const char *lang = words_code(p->r->lang), *desc = pal_rubric_criterion_description(rb, i, lang);
	int applies = !p->e->applies || pal_town_results_applies(p->e->applies->tr, i);
	char dom[600], buf[64];
	dossier_field_name(dom, sizeof dom, "c", id);
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
