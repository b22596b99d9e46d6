/*
 * Evidence files of a town's dossier (issue 11, Towns and Security,
 * "Uploads"): attached in the form's save (fields f.ID, multipart), each
 * checked by its bytes (evidence_type.c) and refused with the whole save
 * when it is not allowed; stored by SHA-256 in the store's evidence table;
 * listed under their criterion; removed by a box ticked in a save; served
 * by GET /dossier/evidence/ID as an attachment, to the town and the
 * organizer only (permit(), 404 to anyone else).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dossier.h"
#include "evidence_type.h"
#include "store_jury.h"

/* ---- the list of a town's files ---- */

typedef struct {
	int64_t id;
	char *criterion, *name, *type, sha256[65];
	size_t size;
} evidence_item;

struct evidence_list {
	evidence_item *v;
	size_t n, cap;
	int oom;
};

static int list_one(void *ctx, const store_evidence_info *e)
{
	evidence_list *l = ctx;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		evidence_item *v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return l->oom = 1;
		l->v = v;
		l->cap = cap;
	}
	evidence_item *it = &l->v[l->n];
	memset(it, 0, sizeof *it);
	it->id = e->id;
	it->size = e->size;
	snprintf(it->sha256, sizeof it->sha256, "%s", e->sha256);
	it->criterion = strdup(e->criterion);
	it->name = strdup(e->name);
	it->type = strdup(e->type);
	l->n++;
	if (!it->criterion || !it->name || !it->type)
		return l->oom = 1;
	return 0;
}

void evidence_list_free(evidence_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].criterion);
		free(l->v[i].name);
		free(l->v[i].type);
	}
	free(l->v);
	free(l);
}

evidence_list *evidence_list_load(store *st, const char *town)
{
	evidence_list *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	if (store_evidence_list(st, town, list_one, l) != STORE_OK || l->oom) {
		evidence_list_free(l);
		return NULL;
	}
	return l;
}

static const evidence_item *list_find(const evidence_list *l, int64_t id)
{
	for (size_t i = 0; l && i < l->n; i++)
		if (l->v[i].id == id)
			return &l->v[i];
	return NULL;
}

void evidence_list_html(html *h, const http_req *r, const evidence_list *l, const char *criterion,
			int removable)
{
	int any = 0;
	char buf[64], href[64];
	for (size_t i = 0; l && i < l->n; i++) {
		const evidence_item *it = &l->v[i];
		const evidence_kind *k = evidence_kind_of_type(it->type);
		if (strcmp(it->criterion, criterion) != 0)
			continue;
		if (!any++) {
			html_open(h, "div");
			html_attr(h, "class", "files");
			html_text(h, words(r->lang, W_EVIDENCE_FILES));
			html_open(h, "ul");
		}
		html_open(h, "li");
		html_attr(h, "class", "file");
		snprintf(href, sizeof href, "/dossier/evidence/%lld", (long long)it->id);
		html_open(h, "a");
		html_attr(h, "href", href);
		html_text(h, it->name);
		html_close(h, "a");
		dossier_size_text(r->lang, it->size, buf, sizeof buf);
		html_text(h, " — ");
		html_text(h, buf);
		html_text(h, ", ");
		html_text(h, k ? k->label : it->type);
		html_text(h, " — SHA-256 ");
		html_open(h, "code");
		html_text(h, it->sha256);
		html_close(h, "code");
		if (removable) {
			snprintf(buf, sizeof buf, "rm-%lld", (long long)it->id);
			html_text(h, " ");
			html_open(h, "label");
			html_open(h, "input");
			html_attr(h, "type", "checkbox");
			html_attr(h, "name", "rm");
			html_attr_int(h, "value", it->id);
			html_attr(h, "id", buf);
			html_text(h, " ");
			html_text(h, words(r->lang, W_EVIDENCE_REMOVE));
			html_close(h, "label");
		}
		html_close(h, "li");
	}
	if (any) {
		html_close(h, "ul");
		html_close(h, "div");
	}
}

/* ---- attaching files in a save ---- */

/* The criterion of a file field "f.ID", -1 when none (or the field is no file field). */
static long file_criterion(const pal_rubric *rb, const char *field)
{
	if (strncmp(field, "f.", 2) != 0)
		return -1;
	return pal_rubric_find_criterion(rb, field + 2);
}

int evidence_check(const http_req *r, const pal_rubric *rb, words_key *refused)
{
	int any = 0;
	for (size_t k = 0; k < r->form.nfiles; k++) {
		const form_file *f = &r->form.files[k];
		long i = file_criterion(rb, f->name);
		if (i < 0)
			continue; /* not a field of this form: the dossier upload's is its own route */
		if (strcmp(pal_rubric_criterion_evidence(rb, (size_t)i), "none") == 0)
			refused[i] = W_EVIDENCE_BAD_TYPE, any = 1;
		else if (f->len > EVIDENCE_MAX)
			refused[i] = W_EVIDENCE_TOO_BIG, any = 1;
		else if (!evidence_sniff(f->data, f->len))
			refused[i] = W_EVIDENCE_BAD_TYPE, any = 1;
	}
	return any;
}

/* save[] entry of key, or a new one at *n. */
static store_answer *save_slot(store_answer *save, size_t *n, const char *key)
{
	for (size_t k = 0; k < *n; k++)
		if (strcmp(save[k].criterion, key) == 0)
			return &save[k];
	return &save[(*n)++];
}

/* Sets criterion i's evidence text to v in a and in the save. */
static store_status set_evidence_text(const pal_rubric *rb, size_t i, const char *v, answers *a,
				      store_answer *save, char **keys, size_t *n)
{
	const char *id = pal_rubric_criterion_id(rb, i);
	size_t len = strlen(id) + sizeof ".evidence";
	char *key = malloc(len);
	if (!key || answers_set_text(&a->ev[i], v) != 0) {
		free(key);
		return STORE_NOMEM;
	}
	snprintf(key, len, "%s.evidence", id);
	size_t before = *n;
	store_answer *slot = save_slot(save, n, key);
	if (*n > before) {
		keys[before] = key; /* owned by keys[] from now on */
		slot->criterion = key;
	} else {
		free(key);
	}
	slot->value = a->ev[i];
	return STORE_OK;
}

/* "NAME (SHA-256 HEX)": how the dossier names an attached file. */
static char *file_ref(const char *name, const char *sha)
{
	size_t len = strlen(name) + 80;
	char *v = malloc(len);
	if (v)
		snprintf(v, len, "%s (SHA-256 %s)", name, sha);
	return v;
}

store_status evidence_store(http_req *r, const pal_rubric *rb, const char *town, answers *a,
			    store_answer *save, char **keys, size_t *n)
{
	store_status st = STORE_OK;
	evidence_list *before = NULL;
	/* removals first: the ticked files of this town (another's id is not found, and ignored) */
	for (size_t k = 0; k < r->form.n && st == STORE_OK; k++) {
		const form_field *f = &r->form.v[k];
		char *end;
		long long id;
		if (strcmp(f->name, "rm") != 0)
			continue;
		id = strtoll(f->value, &end, 10);
		if (!*f->value || *end || id <= 0)
			continue;
		if (!before && !(before = evidence_list_load(r->st, town)))
			return STORE_NOMEM;
		const evidence_item *it = list_find(before, id);
		if (!it)
			continue;
		st = store_evidence_remove(r->st, town, id, r->who.person_id, r->now);
		if (st == STORE_NOT_FOUND) {
			st = STORE_OK;
			continue;
		}
		/* the evidence text that named this file names nothing now */
		long i = pal_rubric_find_criterion(rb, it->criterion);
		char *ref = file_ref(it->name, it->sha256);
		if (!ref)
			st = STORE_NOMEM;
		else if (st == STORE_OK && i >= 0 && a->ev[i] && strcmp(a->ev[i], ref) == 0)
			st = set_evidence_text(rb, (size_t)i, "", a, save, keys, n);
		free(ref);
	}
	evidence_list_free(before);
	for (size_t k = 0; k < r->form.nfiles && st == STORE_OK; k++) {
		const form_file *f = &r->form.files[k];
		long i = file_criterion(rb, f->name);
		const evidence_kind *kind = f->len <= EVIDENCE_MAX ? evidence_sniff(f->data, f->len) : NULL;
		char name[3 * EVIDENCE_NAME_MAX + 16], hex[65];
		unsigned char sum[crypto_hash_sha256_BYTES];
		if (i < 0 || !kind) /* evidence_check() refused the save */
			continue;
		if (evidence_name(f->filename, kind, name, sizeof name) != 0)
			return STORE_ERROR;
		crypto_hash_sha256(sum, f->data, f->len);
		sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
		st = store_evidence_add(r->st, town, pal_rubric_criterion_id(rb, (size_t)i), hex, name,
					kind->type, f->data, f->len, r->who.person_id, r->now, NULL);
		if (st == STORE_OK && (!a->ev[i] || !*a->ev[i])) {
			char *ref = file_ref(name, hex);
			st = ref ? set_evidence_text(rb, (size_t)i, ref, a, save, keys, n) : STORE_NOMEM;
			free(ref);
		}
	}
	return st;
}

/* ---- GET /dossier/evidence/ID ---- */

void evidence_get(http_req *r, http_resp *out)
{
	static _Thread_local char disposition[2048];
	char *town = NULL, *end;
	long long id;
	store_dossier d;
	store_evidence e;
	const evidence_kind *kind;
	if (!r->arg || !*r->arg || *r->arg < '1' || *r->arg > '9' || strlen(r->arg) > 18) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	id = strtoll(r->arg, &end, 10);
	if (*end || store_evidence_town(r->st, id, &town) != STORE_OK ||
	    store_dossier_get(r->st, town, &d) != STORE_OK) {
		free(town);
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	permit_target pt = {town, d.state == DOSSIER_SUBMITTED, d.reopened, 0, 0, SEE_NEVER, 0};
	/* A juror's assignment and conflicts are part of the target (store_jury.h). */
	store_juror me;
	if (store_juror_of_person(r->st, r->who.person_id, &me) == STORE_OK) {
		store_status js = store_jury_target(r->st, me.juror_id, town, r->phase, NULL, 0, &pt);
		store_juror_clear(&me);
		if (js != STORE_OK) {
			free(town);
			http_error_page(r, out, 500, W_ERR_SERVER);
			return;
		}
	}
	if (permit(&r->who, ACT_EVIDENCE_DOWNLOAD, &pt, r->phase) != PERMIT_ALLOW ||
	    store_evidence_get(r->st, town, id, &e) != STORE_OK) {
		free(town);
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	free(town);
	/* served as what its bytes are, under the allow-list's own type */
	kind = evidence_kind_of_type(e.type);
	if (!kind || evidence_disposition(e.name, disposition, sizeof disposition) != 0) {
		store_evidence_clear(&e);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	out->status = 200;
	out->body = e.data;
	out->len = e.size;
	e.data = NULL;
	out->type = kind->type;
	out->disposition = disposition;
	out->personal = 1;
	store_evidence_clear(&e);
}
