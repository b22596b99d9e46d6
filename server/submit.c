/*
 * Submitting a town's dossier and its receipt (issue 11, Towns):
 *  - POST /dossier/submit, with the form's revision: in one transaction the
 *    revision is checked (a stale page is refused, as a stale save is), the
 *    stored answers become the engine's dossier (answers.h, the JSON that
 *    `palmares campaign export` writes), the engine scores it, and a dossier
 *    it finds invalid is not submitted (the page lists what blocks); else
 *    the SHA-256 of that JSON text is the receipt, stored with the time.
 *  - GET /dossier/receipt: town, date and time, revision, SHA-256, the
 *    answers and the files submitted; a printable page.
 *  - GET /dossier/submitted.json: the submitted dossier itself, whose
 *    SHA-256 anyone can compute and compare with the receipt's.
 * After submission permit() keeps the dossier read-only (no save, no
 * upload) until the organizer reopens it; after the deadline nothing is
 * saved or submitted unless reopened.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dossier.h"
#include "evidence_type.h"

char *dossier_json(store *st, const pal_rubric *rb, const char *town, const answers *a)
{
	char *name = NULL, *attrs = NULL, *json = NULL;
	if (store_town_get(st, town, &name, &attrs, NULL) == STORE_OK)
		json = answers_dossier_json(rb, town, name, attrs, a);
	free(name);
	free(attrs);
	return json;
}

/* 1 when the engine finds the dossier json valid (scored or pending), 0
 * when invalid, -1 on failure. */
static int engine_valid(const pal_rubric *rb, const char *json)
{
	pal_diags *d = pal_diags_new();
	pal_campaign *c = d ? pal_campaign_new(rb) : NULL;
	int ok = -1;
	if (c &&
	    pal_campaign_add_dossiers_text(c, "dossier.json", json, strlen(json), PAL_DOSSIER_JSON, d) !=
		    PAL_IOERR &&
	    pal_campaign_count(c) == 1) {
		pal_campaign_score(c, d);
		const char *status = pal_campaign_town_status(c, 0);
		ok = status && strcmp(status, "invalid") != 0;
	}
	pal_campaign_free(c);
	pal_diags_free(d);
	return ok;
}

struct submit_tx {
	http_req *r;
	const pal_rubric *rb;
	const char *town;
	int64_t base;
	answers *a;
	int stale, blocked;
};

static store_status submit_fn(store *s, void *ctx)
{
	struct submit_tx *x = ctx;
	store_dossier d;
	store_status st = store_dossier_get(s, x->town, &d);
	unsigned char sum[crypto_hash_sha256_BYTES];
	char hex[65], *json;
	if (st != STORE_OK)
		return st;
	if (d.revision != x->base) {
		x->stale = 1;
		return STORE_CONFLICT;
	}
	if ((st = answers_load(x->a, s, x->town)) != STORE_OK)
		return st;
	if (!(json = dossier_json(s, x->rb, x->town, x->a)))
		return STORE_NOMEM;
	int valid = engine_valid(x->rb, json);
	if (valid != 1) {
		free(json);
		x->blocked = valid == 0;
		return valid == 0 ? STORE_REFUSED : STORE_NOMEM;
	}
	crypto_hash_sha256(sum, (const unsigned char *)json, strlen(json));
	sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
	free(json);
	return store_dossier_submit(s, x->town, x->base, hex, x->r->who.person_id, x->r->now);
}

void dossier_submit_post(http_req *r, http_resp *out)
{
	dossier_target t;
	answers a = {0};
	const pal_rubric *rb = NULL;
	int64_t base;
	if (!dossier_find(r, &t, ACT_DOSSIER_SUBMIT) || r->who.role != ROLE_TOWN) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (dossier_form_revision(r, &base) != 0) {
		http_error_page(r, out, 400, W_ERR_BAD_REQUEST);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st)) || answers_init(&a, rb) != 0)
		goto fail;
	struct submit_tx x = {r, rb, t.town, base, &a, 0, 0};
	store_status st = store_tx(r->st, submit_fn, &x);
	if (st == STORE_OK) {
		out->status = 303;
		snprintf(out->location, sizeof out->location, "/dossier/receipt");
		goto done;
	}
	/* a second tab's submit a moment after the first: submitted already */
	int twice = st == STORE_REFUSED && !x.blocked;
	if (!x.stale && !x.blocked && !twice)
		goto fail;
	/* the page as it stands, with what blocked the submission */
	dossier_outcome oc;
	memset(&oc, 0, sizeof oc);
	oc.submit_stale = x.stale;
	oc.submit_blocked = x.blocked;
	oc.refused = twice;
	if (twice)
		t.can_edit = t.can_submit = t.can_upload = 0;
	answers_free(&a);
	if (answers_init(&a, rb) != 0 || answers_load(&a, r->st, t.town) != STORE_OK ||
	    store_dossier_get(r->st, t.town, &t.d) != STORE_OK)
		goto fail;
	dossier_render(r, out, &t, rb, &a, &a, t.d.revision, &oc);
	goto done;
fail:
	http_error_page(r, out, 500, W_ERR_SERVER);
done:
	answers_free(&a);
}

/* A row of the receipt's table: a heading and a value. */
static void row(html *h, const char *head, const char *value, const char *id)
{
	html_open(h, "tr");
	html_element_text(h, "th", head);
	html_open(h, "td");
	if (id)
		html_attr(h, "id", id);
	html_text(h, value);
	html_close(h, "td");
	html_close(h, "tr");
}

struct files_ctx {
	html *h;
	const http_req *r;
	const pal_rubric *rb;
	int any;
};

static int file_row(void *ctx, const store_evidence_info *e)
{
	struct files_ctx *f = ctx;
	html *h = f->h;
	char size[64];
	long i = pal_rubric_find_criterion(f->rb, e->criterion);
	if (!f->any++) {
		html_element_text(h, "h2", words(f->r->lang, W_EVIDENCE_FILES));
		html_open(h, "table");
		html_attr(h, "id", "receipt-files");
	}
	html_open(h, "tr");
	html_element_text(h, "td",
			  i >= 0 ? pal_rubric_criterion_title(f->rb, (size_t)i, words_code(f->r->lang))
				 : e->criterion);
	html_element_text(h, "td", e->name);
	dossier_size_text(f->r->lang, e->size, size, sizeof size);
	html_element_text(h, "td", size);
	html_open(h, "td");
	html_element_text(h, "code", e->sha256);
	html_close(h, "td");
	html_close(h, "tr");
	return 0;
}

/* The answers of a dossier as a read-only table, in the rubric's order (the
 * receipt, and the jury's reading of the dossier, with its files). */
void dossier_answers_table(html *h, const http_req *r, const pal_rubric *rb, const answers *a,
			   const evidence_list *files, const char *id)
{
	const char *lang = words_code(r->lang);
	html_open(h, "table");
	html_attr(h, "id", id);
	for (size_t i = 0; i < a->n; i++) {
		const char *v = a->val[i], *ev = a->ev[i];
		if ((!v || !*v) && (!ev || !*ev))
			continue;
		if (v && strcmp(pal_rubric_criterion_kind(rb, i), "yes-no") == 0 &&
		    (!strcmp(v, "true") || !strcmp(v, "false")))
			v = words(r->lang, strcmp(v, "true") == 0 ? W_YES : W_NO);
		else if (v && strcmp(v, "n/a") == 0)
			v = words(r->lang, W_NA);
		html_open(h, "tr");
		html_attr(h, "data-criterion", pal_rubric_criterion_id(rb, i));
		html_element_text(h, "th", pal_rubric_criterion_title(rb, i, lang));
		html_open(h, "td");
		html_text_n(h, v ? v : "", v ? strlen(v) : 0, HTML_MULTILINE);
		html_close(h, "td");
		html_open(h, "td");
		html_text(h, ev ? ev : "");
		if (files)
			evidence_list_html(h, r, files, pal_rubric_criterion_id(rb, i), 0);
		html_close(h, "td");
		html_close(h, "tr");
	}
	html_close(h, "table");
}

/* GET /dossier/receipt: the town's receipt, while its dossier is submitted. */
void dossier_receipt_get(http_req *r, http_resp *out)
{
	dossier_target t;
	answers a = {0};
	const pal_rubric *rb = NULL;
	char *name = NULL, buf[64];
	if (!dossier_find(r, &t, ACT_DOSSIER_VIEW) || r->who.role != ROLE_TOWN) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st)) || answers_init(&a, rb) != 0 ||
	    answers_load(&a, r->st, t.town) != STORE_OK ||
	    store_town_get(r->st, t.town, &name, NULL, NULL) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		goto done;
	}
	const char *lang = words_code(r->lang);
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, words(r->lang, W_RECEIPT_TITLE));
	if (t.d.state != DOSSIER_SUBMITTED) {
		html_open(h, "p");
		html_attr(h, "id", "no-receipt");
		html_text(h, words(r->lang, W_RECEIPT_NONE));
		html_close(h, "p");
	} else {
		html_element_text(h, "p", words(r->lang, W_RECEIPT_INTRO));
		html_open(h, "table");
		html_attr(h, "id", "receipt");
		row(h, words(r->lang, W_TOWN), name, "receipt-town");
		row(h, words(r->lang, W_TOWN_ID), t.town, "receipt-town-id");
		html_open(h, "tr");
		html_element_text(h, "th", pal_rubric_label(rb, lang));
		html_element_text(h, "td", pal_rubric_id(rb));
		html_close(h, "tr");
		page_time(t.d.submitted_at, buf);
		row(h, words(r->lang, W_SUBMITTED_ON), buf, "receipt-date");
		snprintf(buf, sizeof buf, "%lld", (long long)t.d.revision);
		row(h, words(r->lang, W_REVISION), buf, "receipt-revision");
		html_open(h, "tr");
		html_element_text(h, "th", words(r->lang, W_RECEIPT_SHA));
		html_open(h, "td");
		html_open(h, "code");
		html_attr(h, "id", "receipt-sha256");
		html_text(h, t.d.receipt);
		html_close(h, "code");
		html_close(h, "td");
		html_close(h, "tr");
		html_close(h, "table");
		html_open(h, "p");
		html_open(h, "a");
		html_attr(h, "href", "/dossier/submitted.json");
		html_attr(h, "id", "receipt-download");
		html_text(h, words(r->lang, W_RECEIPT_DOWNLOAD));
		html_close(h, "a");
		html_close(h, "p");
		/* what was submitted: the answers as stored (read-only since), in the rubric's order */
		html_element_text(h, "h2", words(r->lang, W_RECEIPT_ANSWERS));
		dossier_answers_table(h, r, rb, &a, NULL, "receipt-answers");
		struct files_ctx fc = {h, r, rb, 0};
		if (store_evidence_list(r->st, t.town, file_row, &fc) != STORE_OK) {
			html_free(h);
			http_error_page(r, out, 500, W_ERR_SERVER);
			goto done;
		}
		if (fc.any)
			html_close(h, "table");
	}
	page_end(h, out, 200);
	out->personal = 1;
done:
	free(name);
	answers_free(&a);
}

/* GET /dossier/submitted.json: the submitted dossier, as its receipt's SHA-256 was computed. */
void dossier_submitted_json_get(http_req *r, http_resp *out)
{
	dossier_target t;
	answers a = {0};
	const pal_rubric *rb = NULL;
	char *json = NULL;
	if (!dossier_find(r, &t, ACT_DOSSIER_VIEW) || r->who.role != ROLE_TOWN ||
	    t.d.state != DOSSIER_SUBMITTED) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st)) || answers_init(&a, rb) != 0 ||
	    answers_load(&a, r->st, t.town) != STORE_OK || !(json = dossier_json(r->st, rb, t.town, &a))) {
		http_error_page(r, out, 500, W_ERR_SERVER);
	} else {
		out->status = 200;
		out->len = strlen(json);
		out->body = json;
		out->type = "application/json";
		out->disposition = "attachment; filename=\"dossier.json\"";
		out->personal = 1;
	}
	answers_free(&a);
}
