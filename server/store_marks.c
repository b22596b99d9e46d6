/*
 * Marks and recusals in the store (store_marks.h): a juror's save of one
 * dossier's marks and comments (checked against the revision the form read,
 * then written with an audit line per change, all in one transaction), the
 * lists the jury's pages read, and recusals.
 */
#include "store_db.h"
#include "store_marks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_text(const char *v)
{
	size_t n = strlen(v) + 1;
	char *c = malloc(n);
	if (c)
		memcpy(c, v, n);
	return c;
}

store_status store_marks_revision(store *s, const char *juror, const char *town, int64_t *revision)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_MARK_REVISION, &st);
	*revision = 0;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, juror);
	sdb_bind_text(s, q, 2, town);
	return sdb_one_id(s, q, revision, "no revision");
}

/* A stored mark row, read for a save: value, comment (owned) and revision; *found 0 without a row. */
struct stored {
	int found;
	char *value, *comment;
	int64_t revision;
};

static store_status stored_get(store *s, const char *juror, const char *town, const char *crit,
			       struct stored *o)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_MARK_GET, &st);
	int rc, oom = 0;
	memset(o, 0, sizeof *o);
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, juror);
	sdb_bind_text(s, q, 2, town);
	sdb_bind_text(s, q, 3, crit);
	rc = sdb_step(s, q);
	st = STORE_OK;
	if (rc == SQLITE_ROW) {
		o->found = 1;
		o->value = sdb_col_dup(q, 0, &oom);
		o->comment = sdb_col_dup(q, 1, &oom);
		o->revision = sqlite3_column_int64(q, 2);
		if (oom || !o->value || !o->comment)
			st = sdb_err(s, STORE_NOMEM, "out of memory");
	} else if (rc != SQLITE_DONE) {
		st = sdb_rc(s, rc);
	}
	sdb_done(s, q);
	return st;
}

static void stored_clear(struct stored *o)
{
	free(o->value);
	free(o->comment);
	memset(o, 0, sizeof *o);
}

/* Lists a conflict: key ("ID" or "ID.comment") and what is stored. */
static store_status conflict_add(store *s, store_conflicts *c, const char *crit, const char *suffix,
				 const char *theirs, int64_t revision)
{
	store_conflict *v;
	size_t n;
	if (!c)
		return STORE_OK;
	if (!(v = realloc(c->v, (c->n + 1) * sizeof *v)))
		return sdb_err(s, STORE_NOMEM, "out of memory");
	c->v = v;
	v = &c->v[c->n++]; /* counted even when incomplete, so that clear frees it */
	memset(v, 0, sizeof *v);
	n = strlen(crit) + strlen(suffix) + 1;
	if ((v->criterion = malloc(n)))
		snprintf(v->criterion, n, "%s%s", crit, suffix);
	v->theirs = dup_text(theirs);
	v->revision = revision;
	return v->criterion && v->theirs ? STORE_OK : sdb_err(s, STORE_NOMEM, "out of memory");
}

struct save_args {
	const char *juror, *town;
	int64_t base;
	const store_mark_edit *e;
	size_t n;
	int64_t who, now, *new_revision;
	store_conflicts *c;
};

static store_status audit_mark(store *s, const struct save_args *a, const char *what, const char *crit,
			       const char *old, const char *new_value)
{
	size_t n = strlen(a->juror) + strlen(a->town) + strlen(crit) + 3;
	char *subject = malloc(n);
	store_status st;
	if (!subject)
		return sdb_err(s, STORE_NOMEM, "out of memory");
	snprintf(subject, n, "%s/%s/%s", a->juror, a->town, crit);
	st = store_audit_append(s, a->who, a->now, what, subject, old, new_value);
	free(subject);
	return st;
}

static store_status save_tx(store *s, void *ctx)
{
	const struct save_args *a = ctx;
	store_status st;
	int64_t rev = 0;
	int conflict = 0;
	size_t i, changes = 0;
	if ((st = store_marks_revision(s, a->juror, a->town, &rev)) != STORE_OK)
		return st;
	/* Every check before any write: a conflict leaves everything as it was. */
	for (i = 0; i < a->n && st == STORE_OK; i++) {
		const store_mark_edit *e = &a->e[i];
		struct stored o;
		if (!e->criterion || !*e->criterion)
			return sdb_err(s, STORE_REFUSED, "a mark needs a criterion");
		if ((st = stored_get(s, a->juror, a->town, e->criterion, &o)) != STORE_OK)
			break;
		const char *ov = o.found ? o.value : "", *oc = o.found ? o.comment : "";
		int vch = e->value && strcmp(e->value, ov) != 0,
		    cch = e->comment && strcmp(e->comment, oc) != 0;
		changes += vch + cch;
		/* Someone saved something else after the form was read. */
		if (vch && o.found && o.revision > a->base) {
			conflict = 1;
			st = conflict_add(s, a->c, e->criterion, "", ov, o.revision);
		}
		if (st == STORE_OK && cch && o.found && o.revision > a->base) {
			conflict = 1;
			st = conflict_add(s, a->c, e->criterion, ".comment", oc, o.revision);
		}
		stored_clear(&o);
	}
	if (st == STORE_OK && conflict)
		st = sdb_err(s, STORE_CONFLICT, "marks were changed since the form was read");
	if (st == STORE_OK && changes) {
		rev++;
		for (i = 0; i < a->n && st == STORE_OK; i++) {
			const store_mark_edit *e = &a->e[i];
			struct stored o;
			sqlite3_stmt *q;
			if ((st = stored_get(s, a->juror, a->town, e->criterion, &o)) != STORE_OK)
				break;
			const char *ov = o.found ? o.value : "", *oc = o.found ? o.comment : "";
			const char *nv = e->value ? e->value : ov, *nc = e->comment ? e->comment : oc;
			int vch = strcmp(nv, ov) != 0, cch = strcmp(nc, oc) != 0;
			if ((vch || cch) && (q = sdb_stmt(s, Q_MARK_PUT, &st))) {
				sdb_bind_text(s, q, 1, a->juror);
				sdb_bind_text(s, q, 2, a->town);
				sdb_bind_text(s, q, 3, e->criterion);
				sdb_bind_text(s, q, 4, nv);
				sdb_bind_text(s, q, 5, nc);
				sqlite3_bind_int64(q, 6, rev);
				sqlite3_bind_int64(q, 7, a->now);
				st = sdb_run(s, q);
			}
			if (st == STORE_OK && vch)
				st = audit_mark(s, a, "mark", e->criterion, o.found ? ov : NULL, nv);
			if (st == STORE_OK && cch)
				st = audit_mark(s, a, "mark-comment", e->criterion, o.found ? oc : NULL, nc);
			stored_clear(&o);
		}
	}
	if (st == STORE_OK && a->new_revision)
		*a->new_revision = rev;
	return st;
}

store_status store_marks_save(store *s, const char *juror, const char *town, int64_t base_revision,
			      const store_mark_edit *e, size_t n, int64_t who, int64_t now,
			      int64_t *new_revision, store_conflicts *c)
{
	struct save_args a = {juror, town, base_revision, e, n, who, now, new_revision, c};
	if (c)
		store_conflicts_clear(c);
	if (!juror || !town)
		return sdb_err(s, STORE_NOT_FOUND, "no juror or town");
	return store_tx(s, save_tx, &a);
}

/* Runs a statement of mark rows, bound to one or two texts, through fn. */
static store_status marks_run(store *s, enum sid id, const char *a, const char *b, store_mark_fn fn,
			      void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, id, &st);
	int rc;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, a);
	if (b)
		sdb_bind_text(s, q, 2, b);
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		store_mark_row m = {
			(const char *)sqlite3_column_text(q, 0),
			(const char *)sqlite3_column_text(q, 1),
			(const char *)sqlite3_column_text(q, 2),
			(const char *)sqlite3_column_text(q, 3),
			(const char *)sqlite3_column_text(q, 4),
			sqlite3_column_int64(q, 5),
			sqlite3_column_int64(q, 6),
		};
		if (!m.juror_id || !m.town_id || !m.criterion || !m.value || !m.comment) {
			sdb_done(s, q);
			return sdb_err(s, STORE_NOMEM, "out of memory");
		}
		if (fn(ctx, &m)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	st = rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

store_status store_marks_of(store *s, const char *juror, const char *town, store_mark_fn fn, void *ctx)
{
	return marks_run(s, Q_MARKS_OF, juror, town, fn, ctx);
}

store_status store_marks_of_town(store *s, const char *town, store_mark_fn fn, void *ctx)
{
	return marks_run(s, Q_MARKS_OF_TOWN, town, NULL, fn, ctx);
}

store_status store_marks_of_juror(store *s, const char *juror, store_mark_fn fn, void *ctx)
{
	return marks_run(s, Q_MARKS_OF_JUROR, juror, NULL, fn, ctx);
}

store_status store_assigned_of_juror(store *s, const char *juror, store_assigned_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_ASSIGNED_OF_JUROR, &st);
	int rc;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, juror);
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0),
			   *name = (const char *)sqlite3_column_text(q, 1);
		if (!t || !name) {
			sdb_done(s, q);
			return sdb_err(s, STORE_NOMEM, "out of memory");
		}
		if (fn(ctx, t, name)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	st = rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

/* ---- recusals ---- */

struct recuse_args {
	const char *juror, *town, *reason;
	int64_t who, now;
};

static store_status recuse_tx(store *s, void *ctx)
{
	const struct recuse_args *a = ctx;
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_RECUSAL_INSERT, &st);
	size_t n;
	char *subject;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, a->juror);
	sdb_bind_text(s, q, 2, a->town);
	sdb_bind_text(s, q, 3, a->reason);
	sqlite3_bind_int64(q, 4, a->now);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	n = strlen(a->juror) + strlen(a->town) + 2;
	if (!(subject = malloc(n)))
		return sdb_err(s, STORE_NOMEM, "out of memory");
	snprintf(subject, n, "%s/%s", a->juror, a->town);
	st = store_audit_append(s, a->who, a->now, "recuse", subject, NULL, a->reason);
	free(subject);
	return st;
}

store_status store_recusal_add(store *s, const char *juror, const char *town, const char *reason, int64_t who,
			       int64_t now)
{
	struct recuse_args a = {juror, town, reason, who, now};
	if (!juror || !town || !reason || !*reason)
		return sdb_err(s, STORE_REFUSED, "a recusal needs a reason");
	return store_tx(s, recuse_tx, &a);
}

store_status store_recusals_list(store *s, store_recusal_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_RECUSALS_LIST, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		store_recusal r = {
			(const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
			(const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
			(const char *)sqlite3_column_text(q, 4), sqlite3_column_int64(q, 5),
		};
		if (!r.juror_id || !r.juror_name || !r.town_id || !r.town_name || !r.reason) {
			sdb_done(s, q);
			return sdb_err(s, STORE_NOMEM, "out of memory");
		}
		if (fn(ctx, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	st = rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}
