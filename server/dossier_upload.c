/*
 * POST /dossier/upload (issue 11, Towns): a filled dossier file instead of
 * typing. The file goes through the engine's intake, exactly as `palmares
 * check` reads it (pal_campaign_add_dossiers_text(), the format from the
 * file's name as the command line decides, or from its first byte when the
 * name says nothing), with the intake's messages; then what the engine read
 * of each criterion is saved as the form would type it (the CSV cell of
 * pal_town_results_answer_cell(), or the value as written for an answer the
 * engine refused, so that the page shows it with its message), in one save
 * based on the form's revision. A file is refused whole, nothing saved,
 * when it is unreadable, holds no dossier or several, or another town's, or
 * is over DOSSIER_FILE_MAX. A criterion the file leaves blank keeps its
 * answer (docs/decisions.md, "Web front: dossier files, evidence,
 * submission").
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dossier.h"

#define DOSSIER_FILE_MAX (1u << 20) /* a dossier file: 1 MiB (one town's dossier is a few KiB) */

/* The format and the name the intake reads the file under: its own name
 * when its extension is one the command line knows (or a spreadsheet's,
 * which the intake refuses with its advice), else by its first byte. */
static pal_dossier_format format_of(const form_file *f, const char **name)
{
	static const char *const known[] = {"csv",  "tsv",  "txt", "json", "jsonl",   "ndjson", "xlsx",
					    "xlsm", "xlsb", "xls", "ods",  "numbers", NULL};
	const char *dot = f->filename ? strrchr(f->filename, '.') : NULL;
	for (const char *const *k = known; dot && *k; k++)
		if (!strcasecmp(dot + 1, *k)) {
			*name = f->filename;
			return PAL_DOSSIER_BY_NAME;
		}
	size_t i = 0;
	if (f->len >= 3 && memcmp(f->data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < f->len && strchr(" \t\r\n", f->data[i]) && f->data[i])
		i++;
	if (i < f->len && (f->data[i] == '{' || f->data[i] == '[')) {
		*name = "dossier.json";
		return PAL_DOSSIER_JSON;
	}
	*name = "dossier.csv";
	return PAL_DOSSIER_CSV;
}

/* What the town typed, as the engine read the file: the value written for a
 * refused answer (its message says what was written), NULL to keep the
 * current answer. Owned. */
static char *read_value(const pal_town_results *tr, size_t i, int *oom)
{
	pal_answer_form form = pal_town_results_answer(tr, i);
	char buf[4096], *v;
	if (form == PAL_ANSWER_NONE)
		return NULL;
	if (form == PAL_ANSWER_REFUSED) {
		for (size_t k = 0; k < pal_town_results_count_messages(tr); k++) {
			const pal_town_message *m = pal_town_results_message(tr, k);
			if (m->criterion == (long)i && m->severity == PAL_ERROR && m->value && *m->value)
				return (v = strdup(m->value)) ? v : (*oom = 1, NULL);
		}
		return NULL;
	}
	size_t len = pal_town_results_answer_cell(tr, i, buf, sizeof buf);
	if (len >= sizeof buf) {
		if (!(v = malloc(len + 1)))
			return *oom = 1, NULL;
		pal_town_results_answer_cell(tr, i, v, len + 1);
		return v;
	}
	if (!len)
		return NULL;
	return (v = strdup(buf)) ? v : (*oom = 1, NULL);
}

/* The answers of the file's one dossier into save[] (values owned by vals[],
 * keys by keys[]), only those that differ from a's; a takes them. */
static int collect(const pal_rubric *rb, const pal_town_results *tr, answers *a, store_answer *save,
		   char **keys, char **vals, size_t *n)
{
	int oom = 0;
	for (size_t i = 0; i < a->n && !oom; i++) {
		const char *id = pal_rubric_criterion_id(rb, i);
		char *v = read_value(tr, i, &oom);
		if (v && (!a->val[i] || strcmp(a->val[i], v) != 0)) {
			if (answers_set_text(&a->val[i], v) != 0) {
				free(v);
				return -1;
			}
			save[*n].criterion = id;
			save[*n].value = vals[*n] = v;
			(*n)++;
		} else {
			free(v);
		}
		const char *ev = pal_town_results_evidence(tr, i);
		if (ev && *ev && (!a->ev[i] || strcmp(a->ev[i], ev) != 0)) {
			size_t len = strlen(id) + sizeof ".evidence";
			if (!(keys[*n] = malloc(len)) || answers_set_text(&a->ev[i], ev) != 0)
				return -1;
			snprintf(keys[*n], len, "%s.evidence", id);
			save[*n].criterion = keys[*n];
			save[*n].value = a->ev[i];
			(*n)++;
		}
	}
	return oom ? -1 : 0;
}

void dossier_upload_post(http_req *r, http_resp *out)
{
	dossier_target t;
	answers a = {0}, stored = {0};
	const pal_rubric *rb = NULL;
	pal_campaign *c = NULL;
	pal_town_results *tr = NULL;
	pal_diags *d = NULL, *scoring = NULL;
	store_answer *save = NULL;
	char **keys = NULL, **vals = NULL;
	store_conflicts conflicts = {0};
	size_t n = 0;
	int64_t base, rev = 0;
	dossier_outcome oc;
	const form_file *f = form_get_file(&r->form, "dossier");
	memset(&oc, 0, sizeof oc);
	if (!dossier_find(r, &t, ACT_DOSSIER_EDIT) || r->who.role != ROLE_TOWN) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (dossier_form_revision(r, &base) != 0) {
		http_error_page(r, out, 400, W_ERR_BAD_REQUEST);
		return;
	}
	if (!(rb = campaign_rubric_shared(r->st)) || answers_init(&a, rb) != 0 || answers_init(&stored, rb) != 0 ||
	    answers_load(&a, r->st, t.town) != STORE_OK || !(d = pal_diags_new()) ||
	    !(scoring = pal_diags_new()) || !(save = calloc(2 * a.n + 1, sizeof *save)) ||
	    !(keys = calloc(2 * a.n + 1, sizeof *keys)) || !(vals = calloc(2 * a.n + 1, sizeof *vals)))
		goto fail;
	oc.upload_refused = 1;
	if (!f) {
		oc.upload_why = W_UPLOAD_NO_FILE;
	} else if (f->len > DOSSIER_FILE_MAX) {
		oc.upload_why = W_UPLOAD_TOO_BIG;
	} else {
		const char *name = NULL;
		pal_dossier_format fmt = format_of(f, &name);
		if (!(c = pal_campaign_new(rb)))
			goto fail;
		int rc = pal_campaign_add_dossiers_text(c, name, (const char *)f->data, f->len, fmt, d);
		size_t count = pal_campaign_count(c);
		oc.upload_diags = d;
		if (pal_diags_oom(d))
			goto fail;
		if (rc == PAL_IOERR)
			oc.upload_why = W_UPLOAD_UNREADABLE;
		else if (count == 0)
			oc.upload_why = W_UPLOAD_NONE;
		else if (count > 1)
			oc.upload_why = W_UPLOAD_SEVERAL;
		else if (strcmp(pal_campaign_town_id(c, 0), t.town) != 0)
			oc.upload_why = W_UPLOAD_OTHER_TOWN;
		else
			oc.upload_refused = 0;
	}
	if (!oc.upload_refused) {
		/* scored only to read the answers back (its messages are the page's, next to the fields) */
		pal_campaign_score(c, scoring);
		if (!(tr = pal_campaign_town_results(c, 0)) || collect(rb, tr, &a, save, keys, vals, &n) != 0)
			goto fail;
		oc.upload_tr = tr;
		store_status st = store_answers_save(r->st, t.town, base, save, n, r->who.person_id, r->now,
						     &rev, &conflicts);
		if (st == STORE_OK) {
			oc.uploaded = 1;
			oc.upload_changed = n;
		} else if (st == STORE_CONFLICT) {
			oc.conflicts = &conflicts;
		} else if (st == STORE_REFUSED) {
			oc.refused = 1;
			t.can_edit = t.can_submit = t.can_upload = 0;
		} else {
			goto fail;
		}
	}
	/* the page shows what the store holds now (a conflict: the file's answers over it, unsaved) */
	if (answers_load(&stored, r->st, t.town) != STORE_OK ||
	    store_dossier_get(r->st, t.town, &t.d) != STORE_OK)
		goto fail;
	dossier_render(r, out, &t, rb, oc.conflicts ? &a : &stored, &stored, t.d.revision, &oc);
	goto done;
fail:
	http_error_page(r, out, 500, W_ERR_SERVER);
done:
	for (size_t k = 0; keys && k < 2 * a.n + 1; k++) {
		free(keys[k]);
		if (vals)
			free(vals[k]);
	}
	free(keys);
	free(vals);
	free(save);
	store_conflicts_clear(&conflicts);
	pal_town_results_free(tr);
	pal_campaign_free(c);
	pal_diags_free(d);
	pal_diags_free(scoring);
	answers_free(&a);
	answers_free(&stored);
}
