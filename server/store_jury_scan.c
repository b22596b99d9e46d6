/*
 * The jury tables read for the engine's files (store_jury_scan.h). One
 * deferred read transaction around the four statements when none is open
 * (WAL: it sees one committed state and blocks no writer), so that a mark
 * saved meanwhile is either in the marks with its assignment or not at all.
 */
#include "store_jury_scan.h"

#include <sqlite3.h>

#include "store_db.h"

static const enum sid scans[STORE_JURY_TABLES] = {
	[STORE_JURY_JURORS] = Q_JURY_SCAN_JURORS,
	[STORE_JURY_ASSIGNMENTS] = Q_JURY_SCAN_ASSIGNMENTS,
	[STORE_JURY_MARKS] = Q_JURY_SCAN_MARKS,
	[STORE_JURY_OVERRIDES] = Q_JURY_SCAN_OVERRIDES,
};

/* Rows of one statement to fn. 1 in *stopped when fn stopped. */
static store_status scan_one(store *s, store_jury_table t, store_jury_row_fn fn, void *ctx, int *stopped)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, scans[t], &st);
	const char *col[8];
	int rc;
	if (!q)
		return st;
	int n = sqlite3_column_count(q);
	if (n > 8)
		n = 8;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			const unsigned char *v = sqlite3_column_text(q, i);
			/* NULL from a NULL column, or SQLite out of memory converting one */
			if (!v && sqlite3_column_type(q, i) != SQLITE_NULL) {
				sdb_done(s, q);
				return sdb_err(s, STORE_NOMEM, "out of memory");
			}
			col[i] = v ? (const char *)v : "";
		}
		if (fn(ctx, t, col, n)) {
			*stopped = 1;
			break;
		}
	}
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

store_status store_jury_scan(store *s, store_jury_row_fn fn, void *ctx)
{
	int own = sqlite3_get_autocommit(s->db);
	int rc = own ? sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) : SQLITE_OK;
	store_status st = rc == SQLITE_OK ? STORE_OK : sdb_rc(s, rc);
	int stopped = 0;
	for (int t = 0; st == STORE_OK && !stopped && t < STORE_JURY_TABLES; t++)
		st = scan_one(s, (store_jury_table)t, fn, ctx, &stopped);
	/* a read: ending it cannot lose anything; its failure is the scan's only when all else went well */
	if (own && rc == SQLITE_OK) {
		rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			if (st == STORE_OK)
				st = sdb_rc(s, rc);
		}
	}
	return st;
}
