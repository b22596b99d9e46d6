/*
 * The assignment in the store (store_jury.h, "assignments"): which juror
 * marks which dossier, replaced whole when the organizer accepts the
 * engine's plan, changed one pair at a time when a dossier moves; and what
 * the jurors page reads of it (loads, marks given on assigned dossiers,
 * recusals). Who may be assigned is the engine's rule, asked by the pages
 * before they call here: the store only keeps the rows consistent.
 */
#include "store_db.h"
#include "store_jury.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct replace_args {
	const store_pair *v;
	size_t n;
	const char *note;
	int64_t who, now;
};

static store_status replace_tx(store *s, void *ctx)
{
	const struct replace_args *a = ctx;
	store_status st;
	sqlite3_stmt *q;
	int64_t before = 0;
	char old[32], neu[400];
	if (!(q = sdb_stmt(s, Q_ASSIGN_COUNTS, &st)))
		return st;
	/* the old count, for the audit line: the sum of the per-juror loads */
	int rc;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW)
		before += sqlite3_column_int64(q, 1);
	sdb_done(s, q);
	if (rc != SQLITE_DONE)
		return sdb_rc(s, rc);
	if (!(q = sdb_stmt(s, Q_ASSIGN_CLEAR, &st)) || (st = sdb_run(s, q)) != STORE_OK)
		return st;
	for (size_t i = 0; i < a->n; i++) {
		if (!(q = sdb_stmt(s, Q_ASSIGN_INSERT, &st)))
			return st;
		sdb_bind_text(s, q, 1, a->v[i].juror_id);
		sdb_bind_text(s, q, 2, a->v[i].town_id);
		sqlite3_bind_int64(q, 3, a->now);
		if ((st = sdb_run(s, q)) != STORE_OK)
			return st;
	}
	snprintf(old, sizeof old, "%lld", (long long)before);
	snprintf(neu, sizeof neu, "%zu%s%s", a->n, a->note && *a->note ? " " : "", a->note ? a->note : "");
	return store_audit_append(s, a->who, a->now, "assignment", "", old, neu);
}

store_status store_assignments_replace(store *s, const store_pair *v, size_t n, const char *note, int64_t who,
				       int64_t now)
{
	struct replace_args a = {v, n, note, who, now};
	if (n && !v)
		return sdb_err(s, STORE_REFUSED, "no pairs");
	return store_tx(s, replace_tx, &a);
}

struct move_args {
	const char *town, *from, *to;
	int64_t who, now;
};

static store_status move_tx(store *s, void *ctx)
{
	const struct move_args *a = ctx;
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_ASSIGN_DELETE, &st);
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, a->from);
	sdb_bind_text(s, q, 2, a->town);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	if (sqlite3_changes(s->db) != 1)
		return sdb_err(s, STORE_NOT_FOUND, "the dossier is not assigned to that juror");
	if (!(q = sdb_stmt(s, Q_ASSIGN_INSERT, &st)))
		return st;
	sdb_bind_text(s, q, 1, a->to);
	sdb_bind_text(s, q, 2, a->town);
	sqlite3_bind_int64(q, 3, a->now);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st; /* the primary key or a foreign key: STORE_REFUSED */
	return store_audit_append(s, a->who, a->now, "assignment-move", a->town, a->from, a->to);
}

store_status store_assignment_move(store *s, const char *town, const char *from, const char *to, int64_t who,
				   int64_t now)
{
	struct move_args a = {town, from, to, who, now};
	if (!town || !from || !to)
		return sdb_err(s, STORE_REFUSED, "a move needs a town and two jurors");
	if (!strcmp(from, to))
		return sdb_err(s, STORE_REFUSED, "the same juror twice");
	return store_tx(s, move_tx, &a);
}

/* Runs a listing statement, handing each row's text columns to row(). */
static store_status each_row(store *s, enum sid id, int (*row)(sqlite3_stmt *q, void *ctx), void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, id, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW)
		if (row(q, ctx))
			break;
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

static const char *col(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return t ? (const char *)t : "";
}

struct pair_ctx {
	store_pair_fn fn;
	store_load_fn load;
	store_mark_key_fn mark;
	void *ctx;
};

static int pair_row(sqlite3_stmt *q, void *ctx)
{
	struct pair_ctx *c = ctx;
	return c->fn(c->ctx, col(q, 0), col(q, 1));
}

store_status store_assignments_list(store *s, store_pair_fn fn, void *ctx)
{
	struct pair_ctx c = {.fn = fn, .ctx = ctx};
	return each_row(s, Q_ASSIGN_LIST, pair_row, &c);
}

static int load_row(sqlite3_stmt *q, void *ctx)
{
	struct pair_ctx *c = ctx;
	return c->load(c->ctx, col(q, 0), sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2));
}

store_status store_assignment_counts(store *s, store_load_fn fn, void *ctx)
{
	struct pair_ctx c = {.load = fn, .ctx = ctx};
	return each_row(s, Q_ASSIGN_COUNTS, load_row, &c);
}

static int mark_row(sqlite3_stmt *q, void *ctx)
{
	struct pair_ctx *c = ctx;
	return c->mark(c->ctx, col(q, 0), col(q, 1), col(q, 2));
}

store_status store_assigned_marks_list(store *s, store_mark_key_fn fn, void *ctx)
{
	struct pair_ctx c = {.mark = fn, .ctx = ctx};
	return each_row(s, Q_ASSIGNED_MARKS, mark_row, &c);
}


