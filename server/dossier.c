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
 * scored, and read back through palmares/town.h. A save (dossier_save.c)
 * stores every changed answer as typed (store_answers_save(), with the
 * form's revision: a second tab is told what changed and nothing it typed
 * is lost), then shows the page again with the engine's messages next to
 * their fields.
 *
 * Field names (dossier_criterion.c, which writes one criterion's block):
 * a.ID (the answer; several for a multi), na.ID (the "not applicable" box
 * of a number, percent or info), e.ID (the evidence link), and o.ID / oe.ID
 * (hidden: the answer and the evidence as the page showed them), so that a
 * save sends only what this page changed and an untouched field of an old
 * tab is never a conflict.
 *
 * The page also carries (dossier_notices.c) the dossier's state, deadline
 * and server time, the upload of a filled dossier file (dossier_upload.c),
 * evidence files (f.ID inputs, so the form is multipart; evidence.c, stored
 * in the save's transaction, a refused file refusing the whole save) and
 * the submission (submit.c). dossier_page.h says what the parts of this
 * page share, dossier.h what every dossier page shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dossier_page.h"

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
	struct dossier_page p = {r,  h,  rb,      a, &e, shown, !t->can_edit, t->can_upload && t->can_edit,
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
	dossier_status_html(&p, t);
	dossier_outcome_html(&p, oc);
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
		dossier_upload_form_html(&p);
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
			dossier_criterion_html(&p, i);
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
		dossier_submit_html(&p, oc);
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
