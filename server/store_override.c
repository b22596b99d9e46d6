/*
 * The organizer's level overrides in the store (store_override.h): one row
 * per town in the override table, set, replaced or removed in a
 * transaction together with its audit line, so that the audit log says who
 * moved which town's level, from what, to what, and why.
 */
#include "store_override.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_db.h"

void store_override_clear(store_override *o)
{
	if (!o)
		return;
	free(o->level);
	free(o->reason);
	memset(o, 0, sizeof *o);
}

/* Fills o from a row whose columns from i are level, reason, at, by. */
static store_status row_of(store *s, sqlite3_stmt *q, int i, store_override *o)
{
	int oom = 0;
	o->level = sdb_col_dup(q, i, &oom);
	o->reason = sdb_col_dup(q, i + 1, &oom);
	o->at = sqlite3_column_int64(q, i + 2);
	o->by = sqlite3_column_int64(q, i + 3);
	if (oom || !o->level || !o->reason) {
		store_override_clear(o);
		return sdb_err(s, STORE_NOMEM, "out of memory");
	}
	return STORE_OK;
}

store_status store_override_get(store *s, const char *town_id, store_override *o)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_OVERRIDE_GET, &st);
	int rc;
	memset(o, 0, sizeof *o);
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, town_id);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW)
		st = row_of(s, q, 0, o);
	else
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no override") : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

/* "LEVEL: REASON", owned; NULL when out of memory. */
static char *audit_text(const char *level, const char *reason)
{
	size_t n = strlen(level) + strlen(reason) + 3;
	char *t = malloc(n);
	if (t)
		snprintf(t, n, "%s: %s", level, reason);
	return t;
}

struct set_args {
	const char *town, *level, *reason;
	int64_t who, now;
};

static store_status set_tx(store *s, void *ctx)
{
	const struct set_args *a = ctx;
	store_override old = {0};
	store_status st = store_town_get(s, a->town, NULL, NULL, NULL);
	sqlite3_stmt *q;
	char *was = NULL, *now = NULL;
	if (st == STORE_NOT_FOUND)
		return sdb_err(s, STORE_REFUSED, "no such town");
	if (st != STORE_OK)
		return st;
	st = store_override_get(s, a->town, &old);
	if (st == STORE_NOT_FOUND && !a->level)
		return st; /* nothing to remove */
	if (st != STORE_OK && st != STORE_NOT_FOUND)
		return st;
	if ((st == STORE_OK && !(was = audit_text(old.level, old.reason))) ||
	    !(now = audit_text(a->level ? a->level : "remove", a->reason))) {
		st = sdb_err(s, STORE_NOMEM, "out of memory");
		goto done;
	}
	if (!(q = sdb_stmt(s, a->level ? Q_OVERRIDE_PUT : Q_OVERRIDE_DELETE, &st)))
		goto done;
	sdb_bind_text(s, q, 1, a->town);
	if (a->level) {
		sdb_bind_text(s, q, 2, a->level);
		sdb_bind_text(s, q, 3, a->reason);
		sqlite3_bind_int64(q, 4, a->now);
		sdb_bind_who(q, 5, a->who);
	}
	st = sdb_run(s, q);
	if (st == STORE_OK)
		st = store_audit_append(s, a->who, a->now, "override", a->town, was, now);
done:
	store_override_clear(&old);
	free(was);
	free(now);
	return st;
}

store_status store_override_set(store *s, const char *town_id, const char *level, const char *reason,
				int64_t who, int64_t now)
{
	struct set_args a = {town_id, level, reason, who, now};
	if (!town_id || !*town_id || !reason || !*reason || (level && !*level))
		return sdb_err(s, STORE_REFUSED, "an override needs a town, a level and a reason");
	return store_tx(s, set_tx, &a);
}

store_status store_overrides_list(store *s, store_override_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_OVERRIDE_LIST, &st);
	int rc = SQLITE_DONE, stop = 0;
	if (!q)
		return st;
	st = STORE_OK;
	while (st == STORE_OK && !stop && (rc = sdb_step(s, q)) == SQLITE_ROW) {
		store_override o = {0};
		int oom = 0;
		char *town = sdb_col_dup(q, 0, &oom);
		if (!town || oom)
			st = sdb_err(s, STORE_NOMEM, "out of memory");
		else if ((st = row_of(s, q, 1, &o)) == STORE_OK)
			stop = fn(ctx, town, &o) != 0;
		free(town);
		store_override_clear(&o);
	}
	if (st == STORE_OK && !stop && rc != SQLITE_DONE)
		st = sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}
