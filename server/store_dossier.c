/*
 * The store's dossiers (store.h): answers saved with the revision check of
 * two tabs, status, submission and reopening, evidence files, and the
 * rate-limit counters. Each change and its audit lines are one transaction.
 */
#include "store_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- dossiers and answers ---- */

static void dossier_from_row(sqlite3_stmt *q, int c, store_dossier *d)
{
	const unsigned char *r = sqlite3_column_text(q, c + 3);
	memset(d, 0, sizeof *d);
	d->state = sdb_state_of(sqlite3_column_text(q, c));
	d->revision = sqlite3_column_int64(q, c + 1);
	d->submitted_at = sqlite3_column_type(q, c + 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, c + 2);
	if (r)
		snprintf(d->receipt, sizeof d->receipt, "%s", (const char *)r);
	d->reopened = sqlite3_column_int(q, c + 4) != 0;
}

store_status store_dossier_get(store *s, const char *town, store_dossier *d)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_DOSSIER_GET, &st);
	int rc;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, town);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		dossier_from_row(q, 0, d);
		st = STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such dossier") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	return st;
}

void store_conflicts_clear(store_conflicts *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].criterion);
		free(c->v[i].theirs);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

static store_status conflict_add(store *s, store_conflicts *c, const char *criterion, sqlite3_stmt *q)
{
	store_conflict *v, *e;
	int oom = 0;
	if (!c)
		return STORE_OK;
	v = realloc(c->v, (c->n + 1) * sizeof *v);
	if (!v)
		return sdb_err(s, STORE_NOMEM, "out of memory");
	c->v = v;
	e = &v[c->n];
	memset(e, 0, sizeof *e);
	e->criterion = malloc(strlen(criterion) + 1);
	if (e->criterion)
		memcpy(e->criterion, criterion, strlen(criterion) + 1);
	e->theirs = sdb_col_dup(q, 0, &oom);
	e->revision = sqlite3_column_int64(q, 1);
	e->updated_at = sqlite3_column_int64(q, 2);
	e->updated_by = sqlite3_column_int64(q, 3);
	c->n++; /* counted even when incomplete, so that clear frees it */
	if (!e->criterion || oom)
		return sdb_err(s, STORE_NOMEM, "out of memory");
	return STORE_OK;
}

struct save_args {
	const char *town;
	int64_t base;
	const store_answer *a;
	size_t n;
	int64_t who, now;
	int64_t *new_revision;
	store_conflicts *c;
};

/* Whether an answer changes what is stored (*changed) and whether someone
 * else changed it since the form was read (*conflict, then listed). */
static store_status answer_check(store *s, const struct save_args *a, const store_answer *x, int *changed,
				 int *conflict)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_ANSWER_GET, &st);
	int rc;
	*changed = 1;
	*conflict = 0;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, a->town);
	sdb_bind_text(s, q, 2, x->criterion);
	rc = sdb_step(s, q);
	st = STORE_OK;
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(q, 0);
		*changed = !v || strcmp(v, x->value) != 0;
		/* Someone saved another value after the form was read. */
		if (*changed && sqlite3_column_int64(q, 1) > a->base) {
			*conflict = 1;
			st = conflict_add(s, a->c, x->criterion, q);
		}
	} else if (rc != SQLITE_DONE) {
		st = sdb_rc(s, rc);
	}
	sdb_done(s, q);
	return st;
}

/* Writes one answer and its audit line (old value read again: the statement
 * of answer_check() was reset). */
static store_status answer_put(store *s, const struct save_args *a, const store_answer *x, int64_t rev)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_ANSWER_GET, &st);
	char *old = NULL, *subject;
	size_t n;
	int oom = 0, rc;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, a->town);
	sdb_bind_text(s, q, 2, x->criterion);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW)
		old = sdb_col_dup(q, 0, &oom);
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	if (st == STORE_OK && oom)
		st = sdb_err(s, STORE_NOMEM, "out of memory");
	if (st == STORE_OK && (q = sdb_stmt(s, Q_ANSWER_PUT, &st))) {
		sdb_bind_text(s, q, 1, a->town);
		sdb_bind_text(s, q, 2, x->criterion);
		sdb_bind_text(s, q, 3, x->value);
		sqlite3_bind_int64(q, 4, rev);
		sqlite3_bind_int64(q, 5, a->now);
		sdb_bind_who(q, 6, a->who);
		st = sdb_run(s, q);
	}
	if (st == STORE_OK) {
		n = strlen(a->town) + strlen(x->criterion) + 2;
		subject = malloc(n);
		if (!subject) {
			st = sdb_err(s, STORE_NOMEM, "out of memory");
		} else {
			snprintf(subject, n, "%s/%s", a->town, x->criterion);
			st = store_audit_append(s, a->who, a->now, "answer", subject, old, x->value);
			free(subject);
		}
	}
	free(old);
	return st;
}

static store_status save_tx(store *s, void *ctx)
{
	const struct save_args *a = ctx;
	store_dossier d;
	store_status st;
	sqlite3_stmt *q;
	size_t i, nchanged = 0;
	int any_conflict = 0;
	unsigned char *changed;

	if ((st = store_dossier_get(s, a->town, &d)) != STORE_OK)
		return st;
	if (d.state == DOSSIER_SUBMITTED)
		return sdb_err(s, STORE_REFUSED, "the dossier is submitted");
	changed = calloc(a->n ? a->n : 1, 1);
	if (!changed)
		return sdb_err(s, STORE_NOMEM, "out of memory");
	/* Every check before any write: a conflict leaves everything as it was. */
	for (i = 0; i < a->n && st == STORE_OK; i++) {
		int ch, co;
		if (!a->a[i].criterion || !a->a[i].value) {
			st = sdb_err(s, STORE_REFUSED, "an answer needs a criterion and a value");
			break;
		}
		st = answer_check(s, a, &a->a[i], &ch, &co);
		changed[i] = (unsigned char)ch;
		nchanged += ch != 0;
		any_conflict |= co;
	}
	if (st == STORE_OK && any_conflict)
		st = sdb_err(s, STORE_CONFLICT, "answers were changed since the form was read");
	if (st == STORE_OK && nchanged) {
		int64_t rev = d.revision + 1;
		for (i = 0; i < a->n && st == STORE_OK; i++)
			if (changed[i])
				st = answer_put(s, a, &a->a[i], rev);
		if (st == STORE_OK && (q = sdb_stmt(s, Q_DOSSIER_SET_REVISION, &st))) {
			sdb_bind_text(s, q, 1, a->town);
			sqlite3_bind_int64(q, 2, rev);
			st = sdb_run(s, q);
		}
		d.revision = rev;
	}
	free(changed);
	if (st == STORE_OK && a->new_revision)
		*a->new_revision = d.revision;
	return st;
}

store_status store_answers_save(store *s, const char *town, int64_t base_revision, const store_answer *a,
				size_t n, int64_t who, int64_t now, int64_t *new_revision, store_conflicts *c)
{
	struct save_args args = {town, base_revision, a, n, who, now, new_revision, c};
	if (c)
		store_conflicts_clear(c);
	if (!town)
		return sdb_err(s, STORE_NOT_FOUND, "no such dossier");
	return store_tx(s, save_tx, &args);
}

store_status store_answers_list(store *s, const char *town, store_answer_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_ANSWER_LIST, &st);
	int rc;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, town);
	while ((rc = sdb_step(s, q)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
		       sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4)))
			break;
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

struct submit_args {
	const char *town;
	int64_t base;
	const char *receipt;
	int64_t who, now;
	int reopen; /* 1: store_dossier_reopen() */
};

static int hex64(const char *h)
{
	size_t i;
	for (i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return h[64] == '\0';
}

static store_status submit_tx(store *s, void *ctx)
{
	const struct submit_args *a = ctx;
	store_dossier d;
	store_status st;
	sqlite3_stmt *q;

	if ((st = store_dossier_get(s, a->town, &d)) != STORE_OK)
		return st;
	if (a->reopen) {
		if (!(q = sdb_stmt(s, Q_DOSSIER_REOPEN, &st)))
			return st;
		sdb_bind_text(s, q, 1, a->town);
		if ((st = sdb_run(s, q)) != STORE_OK)
			return st;
		return store_audit_append(s, a->who, a->now, "reopen", a->town, sdb_state_words[d.state],
					  "draft");
	}
	if (d.state == DOSSIER_SUBMITTED)
		return sdb_err(s, STORE_REFUSED, "the dossier is submitted already");
	if (d.revision != a->base)
		return sdb_err(s, STORE_CONFLICT, "answers were changed since the dossier was read");
	if (!(q = sdb_stmt(s, Q_DOSSIER_SUBMIT, &st)))
		return st;
	sdb_bind_text(s, q, 1, a->town);
	sqlite3_bind_int64(q, 2, a->now);
	sdb_bind_text(s, q, 3, a->receipt);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	return store_audit_append(s, a->who, a->now, "submit", a->town, sdb_state_words[d.state], a->receipt);
}

store_status store_dossier_submit(store *s, const char *town, int64_t base_revision, const char *receipt_hex,
				  int64_t who, int64_t now)
{
	struct submit_args a = {town, base_revision, receipt_hex, who, now, 0};
	if (!receipt_hex || !hex64(receipt_hex))
		return sdb_err(s, STORE_REFUSED, "a receipt is 64 lower-case hexadecimal digits");
	return store_tx(s, submit_tx, &a);
}

store_status store_dossier_reopen(store *s, const char *town, int64_t who, int64_t now)
{
	struct submit_args a = {town, 0, NULL, who, now, 1};
	return store_tx(s, submit_tx, &a);
}

store_status store_dossiers_list(store *s, store_dossier_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_DOSSIER_LIST, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		store_dossier d;
		dossier_from_row(q, 2, &d);
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
		       &d))
			break;
	}
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

/* ---- evidence ---- */

void store_evidence_clear(store_evidence *e)
{
	if (!e)
		return;
	free(e->town_id);
	free(e->criterion);
	free(e->name);
	free(e->type);
	free(e->data);
	memset(e, 0, sizeof *e);
}

struct evidence_args {
	const char *town, *criterion, *sha, *name, *type;
	const void *data;
	size_t size;
	int64_t who, now, *id;
};

static store_status evidence_tx(store *s, void *ctx)
{
	const struct evidence_args *a = ctx;
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_EVIDENCE_INSERT, &st);
	int64_t id;
	char subject[512];
	sqlite3_stmt *f;
	if (!q)
		return st;
	/* The same bytes for the same criterion are stored once: the earlier
	 * file is the answer (a second upload changes nothing, so no audit). */
	if (!(f = sdb_stmt(s, Q_EVIDENCE_FIND, &st)))
		return st;
	sdb_bind_text(s, f, 1, a->town);
	sdb_bind_text(s, f, 2, a->criterion);
	sdb_bind_text(s, f, 3, a->sha);
	st = sdb_one_id(s, f, &id, "no such file");
	if (st == STORE_OK) {
		if (a->id)
			*a->id = id;
		return STORE_OK;
	}
	if (st != STORE_NOT_FOUND)
		return st;
	sdb_bind_text(s, q, 1, a->town);
	sdb_bind_text(s, q, 2, a->criterion);
	sdb_bind_text(s, q, 3, a->sha);
	sdb_bind_text(s, q, 4, a->name);
	sdb_bind_text(s, q, 5, a->type);
	sqlite3_bind_int64(q, 6, (sqlite3_int64)a->size);
	/* an empty file is a zero-length blob, not NULL */
	if (a->size)
		sdb_bind_blob(s, q, 7, a->data, a->size);
	else
		sqlite3_bind_zeroblob(q, 7, 0);
	sqlite3_bind_int64(q, 8, a->now);
	sdb_bind_who(q, 9, a->who);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	id = sqlite3_last_insert_rowid(s->db);
	if (a->id)
		*a->id = id;
	snprintf(subject, sizeof subject, "%s/%s", a->town, a->criterion);
	return store_audit_append(s, a->who, a->now, "evidence", subject, NULL, a->sha);
}

store_status store_evidence_add(store *s, const char *town, const char *criterion, const char *sha256_hex,
				const char *name, const char *type, const void *data, size_t size,
				int64_t who, int64_t now, int64_t *id)
{
	struct evidence_args a = {town, criterion, sha256_hex, name, type, data, size, who, now, id};
	if (!town || !criterion || !name || !type || (!data && size))
		return sdb_err(s, STORE_REFUSED,
			       "evidence needs a town, a criterion, a name, a type and data");
	if (!sha256_hex || !hex64(sha256_hex))
		return sdb_err(s, STORE_REFUSED, "a SHA-256 is 64 lower-case hexadecimal digits");
	return store_tx(s, evidence_tx, &a);
}

store_status store_evidence_get(store *s, const char *town, int64_t id, store_evidence *e)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_EVIDENCE_GET, &st);
	int rc, oom = 0;
	memset(e, 0, sizeof *e);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, id);
	sdb_bind_text(s, q, 2, town);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(q, 6);
		size_t n = (size_t)sqlite3_column_bytes(q, 6);
		const unsigned char *h = sqlite3_column_text(q, 3);
		e->id = sqlite3_column_int64(q, 0);
		e->town_id = sdb_col_dup(q, 1, &oom);
		e->criterion = sdb_col_dup(q, 2, &oom);
		e->name = sdb_col_dup(q, 4, &oom);
		e->type = sdb_col_dup(q, 5, &oom);
		if (h)
			snprintf(e->sha256, sizeof e->sha256, "%s", (const char *)h);
		e->data = malloc(n ? n : 1);
		if (e->data && n)
			memcpy(e->data, b, n);
		e->size = n;
		if (!e->data)
			oom = 1;
		st = oom ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such file") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	if (st != STORE_OK)
		store_evidence_clear(e);
	return st;
}

store_status store_evidence_list(store *s, const char *town, store_evidence_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_EVIDENCE_LIST, &st);
	int rc;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, town);
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		store_evidence_info e;
		e.id = sqlite3_column_int64(q, 0);
		e.criterion = (const char *)sqlite3_column_text(q, 1);
		e.name = (const char *)sqlite3_column_text(q, 2);
		e.type = (const char *)sqlite3_column_text(q, 3);
		e.size = (size_t)sqlite3_column_int64(q, 4);
		e.sha256 = (const char *)sqlite3_column_text(q, 5);
		if (!e.criterion || !e.name || !e.type || !e.sha256) {
			rc = SQLITE_NOMEM;
			break;
		}
		if (fn(ctx, &e))
			break;
	}
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

store_status store_evidence_town(store *s, int64_t id, char **town)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_EVIDENCE_TOWN, &st);
	int rc, oom = 0;
	*town = NULL;
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, id);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		*town = sdb_col_dup(q, 0, &oom);
		st = oom ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such file") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	return st;
}

struct remove_args {
	const char *town;
	int64_t id, who, now;
};

static store_status remove_tx(store *s, void *ctx)
{
	const struct remove_args *a = ctx;
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_EVIDENCE_DELETE, &st);
	char subject[512], old[1024];
	int rc;
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, a->id);
	sdb_bind_text(s, q, 2, a->town);
	rc = sdb_step(s, q);
	if (rc != SQLITE_ROW) {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such file") : sdb_rc(s, rc);
		sdb_done(s, q);
		return st;
	}
	snprintf(subject, sizeof subject, "%s/%s", a->town, (const char *)sqlite3_column_text(q, 0));
	snprintf(old, sizeof old, "%s %s", (const char *)sqlite3_column_text(q, 2),
		 (const char *)sqlite3_column_text(q, 1));
	/* RETURNING: the row is gone once the statement has run to its end */
	while ((rc = sdb_step(s, q)) == SQLITE_ROW)
		;
	st = rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	if (st != STORE_OK)
		return st;
	return store_audit_append(s, a->who, a->now, "evidence-remove", subject, old, NULL);
}

store_status store_evidence_remove(store *s, const char *town, int64_t id, int64_t who, int64_t now)
{
	struct remove_args a = {town, id, who, now};
	if (!town)
		return sdb_err(s, STORE_REFUSED, "a file is removed from a town's dossier");
	return store_tx(s, remove_tx, &a);
}

/* ---- rate limits ---- */

store_status store_rate_hit(store *s, const char *key, int64_t now, int64_t window, int64_t limit,
			    int *allowed)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_RATE_HIT, &st);
	int64_t count = 0;
	*allowed = 0;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, key);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, window);
	st = sdb_one_id(s, q, &count, "no rate-limit counter");
	if (st == STORE_OK)
		*allowed = count <= limit;
	return st;
}

store_status store_rate_prune(store *s, int64_t now, int64_t window)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_RATE_PRUNE, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, window);
	return sdb_run(s, q);
}
