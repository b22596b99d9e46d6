/*
 * The store read whole, for the organizer's scores (scores.c): the
 * campaign's version (the audit log's last id) and every town's answers in
 * one statement. A read outside any transaction sees one committed state
 * per statement (WAL); the caller reads the version before the answers,
 * so that what it caches is never labelled newer than it is.
 */
#include <sqlite3.h>

#include "store_db.h"

store_status store_campaign_version(store *s, int64_t *version)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_CAMPAIGN_VERSION, &st);
	if (!q)
		return st;
	return sdb_one_id(s, q, version, "no audit log");
}

store_status store_answers_scan(store *s, store_scan_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_ANSWER_SCAN, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
		       (const char *)sqlite3_column_text(q, 2), sdb_state_of(sqlite3_column_text(q, 3)),
		       (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 5)))
			break;
	}
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

const char *store_path(store *s)
{
	const char *p = sqlite3_db_filename(s->db, "main");
	return p ? p : "";
}
