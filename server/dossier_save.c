/*
 * Saving the town's dossier form (issue 11, "Towns"): POST /dossier (the
 * town's own) and /dossier/TOWN. What the form typed is read back by the
 * field names dossier_criterion.c gives (a.ID, na.ID, e.ID, and the hidden
 * o.ID / oe.ID as the page showed them), laid over the stored answers, and
 * only what this page changed is saved, with the form's revision, in one
 * transaction with the evidence files attached and removed (evidence.c).
 * The page is then shown again (dossier.c) with the engine's messages, what
 * changed meanwhile, or the files refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dossier_page.h"

/* What this form typed for criterion i (owned), NULL when the form had no
 * field for it (a criterion it did not show). */
static char *typed_answer(const form *f, const char *id, const char *kind, int *oom)
{
	char name[600], naname[600], oname[600];
	size_t len = 0;
	char *v;
	dossier_field_name(name, sizeof name, "a", id);
	dossier_field_name(naname, sizeof naname, "na", id);
	dossier_field_name(oname, sizeof oname, "o", id);
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
		dossier_field_name(oname, sizeof oname, "o", id);
		if (v && strcmp(v, form_get(&r->form, oname)) != 0) {
			save[n].criterion = id;
			save[n++].value = v;
		}
		if (v) {
			free(a.val[i]);
			a.val[i] = v;
		}
		dossier_field_name(oname, sizeof oname, "oe", id);
		dossier_field_name(ename, sizeof ename, "e", id);
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
