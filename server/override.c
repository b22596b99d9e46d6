/*
 * Level overrides (POST /organizer/override) and their form at the bottom of
 * a dossier's deliberation page (deliberation.c). An override is stored
 * (store_override.h) with its audit line; the engine applies it the next
 * time it scores the campaign, which every change makes happen (scores.h).
 * A level that is not one of the rubric's (its number, "0" for none, or
 * its exact name), "remove" when there is nothing to remove, or no reason,
 * is refused whole: the dossier's page again, status 400, with what was
 * typed and the message next to the field. Who: permit(override-set), in
 * the deliberation and published phases; 404 otherwise, and for a town
 * that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answers.h"
#include "deliberation.h"
#include "pages.h"
#include "store_override.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

static int allowed(const http_req *r, const char *town)
{
	permit_target on = {town, 0, 0, 0, 0, SEE_NEVER, 0};
	return permit(&r->who, ACT_OVERRIDE_SET, &on, r->phase) == PERMIT_ALLOW;
}

/* A field's message after it, tied to it for screen readers. */
static void field_error(html *h, const http_req *r, const char *id, words_key k)
{
	html_open(h, "span");
	html_attr(h, "class", "error");
	html_attr(h, "id", id);
	html_text(h, " ");
	html_text(h, tr(r, k));
	html_close(h, "span");
}

static void option(html *h, const char *value, const char *text, const char *chosen)
{
	html_open(h, "option");
	html_attr(h, "value", value);
	html_attr_flag(h, "selected", chosen && strcmp(chosen, value) == 0);
	html_text(h, text);
	html_close(h, "option");
}

void override_section(html *h, const http_req *r, const pal_rubric *rb, const char *town,
		      const override_form *f)
{
	store_override o;
	char lv[32];
	html_element_text(h, "h2", tr(r, W_DELIB_OVERRIDE_TITLE));
	if (http_query(r, "saved") && !f->refused) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_attr(h, "id", "override-saved");
		html_text(h, tr(r, W_DELIB_OVERRIDE_SAVED));
		html_close(h, "p");
	}
	html_open(h, "p");
	html_attr(h, "id", "override-current");
	if (store_override_get(r->st, town, &o) == STORE_OK) {
		char *end;
		long n = strtol(o.level, &end, 10);
		html_attr(h, "data-level", o.level);
		html_attr(h, "data-reason", o.reason);
		html_text(h, tr(r, W_DELIB_OVERRIDE_CURRENT));
		html_text(h, " ");
		html_open(h, "strong");
		if (!*end && n > 0 && (size_t)n <= pal_rubric_count_levels(rb))
			html_text(h, pal_rubric_level_name(rb, (size_t)n - 1));
		else if (!*end && n == 0)
			html_text(h, tr(r, W_NOT_LABELLED));
		else
			html_text(h, o.level);
		html_close(h, "strong");
		html_text(h, " — ");
		html_text(h, o.reason);
		store_override_clear(&o);
	} else {
		html_text(h, tr(r, W_DELIB_OVERRIDE_NONE));
	}
	html_close(h, "p");
	if (!allowed(r, town)) {
		html_open(h, "p");
		html_attr(h, "class", "note");
		html_attr(h, "id", "override-closed");
		html_text(h, tr(r, W_DELIB_OVERRIDE_CLOSED));
		html_close(h, "p");
		return;
	}
	if (f->refused) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_attr(h, "id", "override-refused");
		html_text(h, tr(r, W_DELIB_OVERRIDE_REFUSED));
		html_close(h, "p");
	}
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/override");
	html_attr(h, "id", "override-form");
	html_attr_flag(h, "novalidate", 1);
	csrf_field(h, r);
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", "town");
	html_attr(h, "value", town);
	html_open(h, "p");
	html_open(h, "label");
	html_attr(h, "for", "override-level");
	html_text(h, tr(r, W_DELIB_OVERRIDE_LEVEL));
	html_close(h, "label");
	html_text(h, " ");
	html_open(h, "select");
	html_attr(h, "id", "override-level");
	html_attr(h, "name", "level");
	if (f->level_error) {
		html_attr(h, "class", "field-error");
		html_attr(h, "aria-describedby", "error-level");
	}
	option(h, "", "—", f->level ? f->level : "");
	for (size_t k = 0; k <= pal_rubric_count_levels(rb); k++) {
		snprintf(lv, sizeof lv, "%zu", k);
		option(h, lv, k ? pal_rubric_level_name(rb, k - 1) : tr(r, W_NOT_LABELLED), f->level);
	}
	option(h, "remove", tr(r, W_DELIB_OVERRIDE_REMOVE), f->level);
	/* a refused value that is no option is kept as typed, selected */
	int known = !f->level || !*f->level || !strcmp(f->level, "remove");
	for (size_t k = 0; !known && k <= pal_rubric_count_levels(rb); k++) {
		snprintf(lv, sizeof lv, "%zu", k);
		known = !strcmp(f->level, lv);
	}
	if (!known)
		option(h, f->level, f->level, f->level);
	html_close(h, "select");
	if (f->level_error)
		field_error(h, r, "error-level", f->level_error);
	html_close(h, "p");
	html_open(h, "p");
	html_open(h, "label");
	html_attr(h, "for", "override-reason");
	html_text(h, tr(r, W_DELIB_OVERRIDE_REASON));
	html_close(h, "label");
	html_open(h, "br");
	html_open(h, "textarea");
	html_attr(h, "id", "override-reason");
	html_attr(h, "name", "reason");
	html_attr(h, "rows", "4");
	html_attr(h, "cols", "60");
	if (f->reason_error) {
		html_attr(h, "class", "field-error");
		html_attr(h, "aria-describedby", "error-reason");
	}
	if (f->reason)
		html_text_n(h, f->reason, strlen(f->reason), HTML_MULTILINE);
	html_close(h, "textarea");
	if (f->reason_error)
		field_error(h, r, "error-reason", f->reason_error);
	html_close(h, "p");
	html_open(h, "p");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_attr(h, "class", "primary");
	html_text(h, tr(r, W_DELIB_OVERRIDE_SAVE));
	html_close(h, "button");
	html_close(h, "p");
	html_close(h, "form");
}

/* The level typed as the store keeps it (its number, "0" for none), NULL for "remove";
 * 0 when it is neither a level of rb (number or name) nor "remove". */
static int level_of(const pal_rubric *rb, const char *typed, char *num, size_t len, const char **level)
{
	size_t n = pal_rubric_count_levels(rb);
	*level = NULL;
	if (!typed || !*typed)
		return 0;
	if (strcmp(typed, "remove") == 0)
		return 1;
	if (strspn(typed, "0123456789") == strlen(typed) && strlen(typed) < 10) {
		char *end;
		unsigned long v = strtoul(typed, &end, 10);
		if (v > n)
			return 0;
		snprintf(num, len, "%lu", v);
		*level = num;
		return 1;
	}
	for (size_t k = 0; k < n; k++)
		if (strcmp(pal_rubric_level_name(rb, k), typed) == 0) {
			snprintf(num, len, "%zu", k + 1);
			*level = num;
			return 1;
		}
	return 0;
}

/* Blank: nothing but spaces, tabs and line breaks. */
static int blank(const char *s)
{
	return !s || strspn(s, " \t\r\n") == strlen(s);
}

void override_post(http_req *r, http_resp *out)
{
	const char *town = form_get(&r->form, "town");
	override_form f = {form_get(&r->form, "level"), form_get(&r->form, "reason"), 0, 0, 0};
	char num[32], path[1000], to[1100];
	const char *level = NULL;
	/* an unknown town is not found, as one the organizer may not change */
	if (!town || !*town || store_town_get(r->st, town, NULL, NULL, NULL) != STORE_OK ||
	    !allowed(r, town)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	const pal_rubric *rb = campaign_rubric_shared(r->st);
	if (!rb) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	if (!level_of(rb, f.level, num, sizeof num, &level))
		f.level_error = W_DELIB_ERR_LEVEL;
	if (blank(f.reason))
		f.reason_error = W_DELIB_ERR_REASON;
	if (!f.level_error && !f.reason_error) {
		store_status st = store_override_set(r->st, town, level, f.reason, r->who.person_id, r->now);
		if (st == STORE_NOT_FOUND && !level) {
			f.level_error = W_DELIB_ERR_NOTHING;
		} else if (st != STORE_OK) {
			http_error_page(r, out, 500, W_ERR_SERVER);
			return;
		}
	}
	if (f.level_error || f.reason_error) {
		f.refused = 1;
		deliberation_dossier(r, out, town, &f, 400);
		return;
	}
	snprintf(to, sizeof to, "%s?saved=1", deliberation_town_path(town, path, sizeof path));
	page_redirect(out, page_with_lang(r, to, path, sizeof path));
}
