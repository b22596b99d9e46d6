/*
 * The store's statements and the helpers that run them (store_db.h). Every
 * SQL text the store runs is in sql[] below, prepared once per connection
 * on first use (SQLITE_PREPARE_PERSISTENT) and reused with bound values:
 * no SQL is ever built from input.
 */
#include "store_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sql[Q_COUNT] = {
	[Q_CAMPAIGN_INSERT] =
		"INSERT INTO campaign (id, label, rubric_json, created_at) VALUES (1, ?1, ?2, ?3)",
	[Q_CAMPAIGN_GET] = "SELECT label, rubric_json FROM campaign WHERE id = 1",
	[Q_PHASE_SET] = "INSERT INTO phase (phase, starts_at) VALUES (?1, ?2)"
			" ON CONFLICT (phase) DO UPDATE SET starts_at = excluded.starts_at",
	[Q_PHASE_LIST] = "SELECT phase, starts_at FROM phase",
	[Q_TOWN_INSERT] = "INSERT INTO town (id, name, attributes_json, email) VALUES (?1, ?2, ?3, ?4)",
	[Q_DOSSIER_INSERT] = "INSERT INTO dossier (town_id) VALUES (?1)",
	[Q_PERSON_INSERT] = "INSERT INTO person (role, town_id, name, email) VALUES (?1, ?2, ?3, ?4)",
	[Q_PERSON_GET] = "SELECT id, role, town_id, name, email, password_hash FROM person WHERE id = ?1",
	[Q_PERSON_OF_TOWN] = "SELECT id, role, town_id, name, email, password_hash FROM person"
			     " WHERE town_id = ?1 AND role = 'town' ORDER BY id LIMIT 1",
	[Q_ORGANIZER_BY_EMAIL] = "SELECT id, role, town_id, name, email, password_hash FROM person"
				 " WHERE email = ?1 AND role = 'organizer' ORDER BY id LIMIT 1",
	[Q_PERSON_SET_PASSWORD] = "UPDATE person SET password_hash = ?2 WHERE id = ?1",
	[Q_PEOPLE_LIST] = "SELECT id, role, town_id, name, email FROM person ORDER BY id",
	[Q_TOWN_GET] = "SELECT name, attributes_json, email FROM town WHERE id = ?1",
	[Q_INVITATION_INSERT] =
		"INSERT INTO invitation (token_hash, person_id, expires_at) VALUES (?1, ?2, ?3)",
	[Q_INVITATION_FIND] = "SELECT person_id FROM invitation"
			      " WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
	[Q_INVITATION_USE] =
		"UPDATE invitation SET used_at = ?2"
		" WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2 RETURNING person_id",
	[Q_SESSION_INSERT] = "INSERT INTO session (token_hash, person_id, csrf, created_at, expires_at)"
			     " VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_SESSION_FIND] = "SELECT s.person_id, p.role, p.town_id, s.csrf, s.expires_at"
			   " FROM session s JOIN person p ON p.id = s.person_id"
			   " WHERE s.token_hash = ?1 AND s.expires_at > ?2",
	[Q_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?1",
	[Q_SESSION_EXPIRE] = "DELETE FROM session WHERE expires_at <= ?1",
	[Q_DOSSIER_GET] = "SELECT state, revision, submitted_at, receipt_sha256, reopened FROM dossier"
			  " WHERE town_id = ?1",
	[Q_DOSSIER_SET_REVISION] = "UPDATE dossier SET revision = ?2,"
				   " state = CASE state WHEN 'not_started' THEN 'draft' ELSE state END"
				   " WHERE town_id = ?1",
	[Q_DOSSIER_SUBMIT] = "UPDATE dossier SET state = 'submitted', submitted_at = ?2, receipt_sha256 = ?3,"
			     " reopened = 0 WHERE town_id = ?1",
	[Q_DOSSIER_REOPEN] = "UPDATE dossier SET state = 'draft', submitted_at = NULL, receipt_sha256 = NULL,"
			     " reopened = 1 WHERE town_id = ?1",
	[Q_DOSSIER_LIST] =
		"SELECT t.id, t.name, d.state, d.revision, d.submitted_at, d.receipt_sha256, d.reopened"
		" FROM town t JOIN dossier d ON d.town_id = t.id ORDER BY t.id",
	[Q_ANSWER_GET] = "SELECT value, revision, updated_at, updated_by FROM answer"
			 " WHERE town_id = ?1 AND criterion = ?2",
	[Q_ANSWER_PUT] = "INSERT INTO answer (town_id, criterion, value, revision, updated_at, updated_by)"
			 " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (town_id, criterion) DO UPDATE SET"
			 " value = excluded.value, revision = excluded.revision,"
			 " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
	[Q_ANSWER_LIST] = "SELECT criterion, value, revision, updated_at, updated_by FROM answer"
			  " WHERE town_id = ?1 ORDER BY criterion",
	[Q_EVIDENCE_INSERT] = "INSERT INTO evidence (town_id, criterion, sha256, name, type, size, data,"
			      " uploaded_at, uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[Q_EVIDENCE_GET] = "SELECT id, town_id, criterion, sha256, name, type, data FROM evidence"
			   " WHERE id = ?1 AND town_id = ?2 AND data IS NOT NULL",
	[Q_EVIDENCE_FIND] = "SELECT id FROM evidence WHERE town_id = ?1 AND criterion = ?2 AND sha256 = ?3",
	/* no column after data: reading one would walk the blob's overflow pages */
	[Q_EVIDENCE_LIST] = "SELECT id, criterion, name, type, size, sha256 FROM evidence"
			    " WHERE town_id = ?1 ORDER BY criterion, id",
	[Q_EVIDENCE_TOWN] = "SELECT town_id FROM evidence WHERE id = ?1",
	[Q_EVIDENCE_DELETE] =
		"DELETE FROM evidence WHERE id = ?1 AND town_id = ?2 RETURNING criterion, name, sha256",
	[Q_AUDIT_INSERT] =
		"INSERT INTO audit (at, who, what, subject, old, new) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_AUDIT_LIST] = "SELECT id, at, who, what, subject, old, new FROM audit ORDER BY id",
	/* A fixed window per key; in an UPDATE every expression reads the old row. */
	[Q_RATE_HIT] = "INSERT INTO rate_limit (key, window_start, count) VALUES (?1, ?2, 1)"
		       " ON CONFLICT (key) DO UPDATE SET"
		       " count = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE count + 1 END,"
		       " window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END"
		       " RETURNING count",
	[Q_RATE_PRUNE] = "DELETE FROM rate_limit WHERE window_start + ?2 <= ?1",
	[Q_AUDIT_PAGE] = "SELECT id, at, who, what, subject, old, new FROM audit"
			 " WHERE ?1 <= 0 OR id < ?1 ORDER BY id DESC LIMIT ?2",
	/* the organizer's scores (store_scan.c): every change appends to the
	 * audit log in its transaction, so its last id versions the campaign */
	[Q_CAMPAIGN_VERSION] = "SELECT coalesce(max(id), 0) FROM audit",
	[Q_ANSWER_SCAN] = "SELECT t.id, t.name, t.attributes_json, d.state, a.criterion, a.value"
			  " FROM town t JOIN dossier d ON d.town_id = t.id"
			  " LEFT JOIN answer a ON a.town_id = t.id ORDER BY t.id",
	[Q_JUROR_INSERT] = "INSERT INTO juror (person_id, juror_id, town_id, region, conflicts)"
			   " VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_JUROR_OF_PERSON] = "SELECT j.person_id, j.juror_id, p.name, p.email, j.town_id, j.region, j.conflicts"
			      " FROM juror j JOIN person p ON p.id = j.person_id WHERE j.person_id = ?1",
	[Q_JUROR_GET] = "SELECT j.person_id, j.juror_id, p.name, p.email, j.town_id, j.region, j.conflicts"
			" FROM juror j JOIN person p ON p.id = j.person_id WHERE j.juror_id = ?1",
	[Q_JURORS_LIST] = "SELECT j.person_id, j.juror_id, p.name, p.email, j.town_id, j.region, j.conflicts"
			  " FROM juror j JOIN person p ON p.id = j.person_id ORDER BY j.juror_id",
	/* assigned; conflict: own town, listed in conflicts ('|'-separated), or recused */
	[Q_JURY_TARGET] = "SELECT EXISTS (SELECT 1 FROM assignment a WHERE a.juror_id = j.juror_id AND a.town_id = ?2),"
			  " j.town_id = ?2 OR instr('|' || j.conflicts || '|', '|' || ?2 || '|') > 0"
			  " OR EXISTS (SELECT 1 FROM recusal r WHERE r.juror_id = j.juror_id AND r.town_id = ?2)"
			  " FROM juror j WHERE j.juror_id = ?1",
	[Q_JURY_MARKS_GIVEN] = "SELECT count(*) FROM mark WHERE juror_id = ?1 AND town_id = ?2 AND criterion = ?3"
			       " AND value != ''",
	[Q_SETTING_GET] = "SELECT value FROM setting WHERE key = ?1",
	[Q_SETTING_SET] = "INSERT INTO setting (key, value) VALUES (?1, ?2)"
			  " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	/* the organizer's overrides (store_override.c) */
	[Q_OVERRIDE_GET] = "SELECT level, reason, at, coalesce(by, 0) FROM override WHERE town_id = ?1",
	[Q_OVERRIDE_PUT] = "INSERT INTO override (town_id, level, reason, at, by) VALUES (?1, ?2, ?3, ?4, ?5)"
			   " ON CONFLICT (town_id) DO UPDATE SET level = excluded.level,"
			   " reason = excluded.reason, at = excluded.at, by = excluded.by",
	[Q_OVERRIDE_DELETE] = "DELETE FROM override WHERE town_id = ?1",
	[Q_OVERRIDE_LIST] = "SELECT town_id, level, reason, at, coalesce(by, 0) FROM override ORDER BY town_id",
	/* the jury's files for the engine (store_jury_scan.c): each table in
	 * the byte order of its key, so that the same store gives the same
	 * files; a juror's recusals after the conflicts of the jurors file; a
	 * recused pair is no longer assigned; a mark without a value is none */
	[Q_JURY_SCAN_JURORS] = "SELECT j.juror_id, p.name, p.email, j.town_id, j.region, j.conflicts,"
			       " coalesce((SELECT group_concat(r.town_id, '|') FROM"
			       " (SELECT town_id FROM recusal WHERE juror_id = j.juror_id ORDER BY town_id) r), '')"
			       " FROM juror j JOIN person p ON p.id = j.person_id ORDER BY j.juror_id",
	[Q_JURY_SCAN_ASSIGNMENTS] = "SELECT a.juror_id, a.town_id FROM assignment a WHERE NOT EXISTS"
				    " (SELECT 1 FROM recusal r WHERE r.juror_id = a.juror_id AND r.town_id = a.town_id)"
				    " ORDER BY a.juror_id, a.town_id",
	/* only the marks that count: of an assigned pair the juror did not recuse
	 * (a moved dossier's or a recused juror's marks stay in the store, out
	 * of the results, which towns read) */
	[Q_JURY_SCAN_MARKS] = "SELECT m.juror_id, m.town_id, m.criterion, m.value, m.comment FROM mark m"
			      " JOIN assignment a ON a.juror_id = m.juror_id AND a.town_id = m.town_id"
			      " WHERE m.value != '' AND NOT EXISTS (SELECT 1 FROM recusal r"
			      " WHERE r.juror_id = m.juror_id AND r.town_id = m.town_id)"
			      " ORDER BY m.juror_id, m.town_id, m.criterion",
	[Q_JURY_SCAN_OVERRIDES] = "SELECT town_id, level, reason FROM override ORDER BY town_id",
	/* marks and recusals (store_marks.c) */
	[Q_MARK_GET] = "SELECT value, comment, revision FROM mark WHERE juror_id = ?1 AND town_id = ?2 AND criterion = ?3",
	[Q_MARK_PUT] = "INSERT INTO mark (juror_id, town_id, criterion, value, comment, revision, updated_at)"
		       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (juror_id, town_id, criterion) DO UPDATE SET"
		       " value = excluded.value, comment = excluded.comment, revision = excluded.revision,"
		       " updated_at = excluded.updated_at",
	[Q_MARK_REVISION] = "SELECT coalesce(max(revision), 0) FROM mark WHERE juror_id = ?1 AND town_id = ?2",
	[Q_MARKS_OF] = "SELECT juror_id, town_id, criterion, value, comment, revision, updated_at FROM mark"
		       " WHERE juror_id = ?1 AND town_id = ?2 ORDER BY criterion",
	[Q_MARKS_OF_TOWN] = "SELECT juror_id, town_id, criterion, value, comment, revision, updated_at FROM mark"
			    " WHERE town_id = ?1 ORDER BY juror_id, criterion",
	[Q_MARKS_OF_JUROR] = "SELECT juror_id, town_id, criterion, value, comment, revision, updated_at FROM mark"
			     " WHERE juror_id = ?1 ORDER BY town_id, criterion",
	[Q_ASSIGNED_OF_JUROR] = "SELECT a.town_id, t.name FROM assignment a JOIN town t ON t.id = a.town_id"
				" WHERE a.juror_id = ?1 ORDER BY a.town_id",
	[Q_RECUSAL_INSERT] = "INSERT INTO recusal (juror_id, town_id, reason, at) VALUES (?1, ?2, ?3, ?4)",
	[Q_RECUSALS_LIST] = "SELECT r.juror_id, p.name, r.town_id, t.name, r.reason, r.at FROM recusal r"
			    " JOIN juror j ON j.juror_id = r.juror_id JOIN person p ON p.id = j.person_id"
			    " JOIN town t ON t.id = r.town_id ORDER BY r.at, r.juror_id, r.town_id",
	/* the organizer's assignment and jurors page (store_assign.c) */
	[Q_ASSIGN_CLEAR] = "DELETE FROM assignment",
	[Q_ASSIGN_INSERT] = "INSERT INTO assignment (juror_id, town_id, assigned_at) VALUES (?1, ?2, ?3)",
	[Q_ASSIGN_DELETE] = "DELETE FROM assignment WHERE juror_id = ?1 AND town_id = ?2",
	[Q_ASSIGN_LIST] = "SELECT juror_id, town_id FROM assignment ORDER BY juror_id, town_id",
	/* per juror: dossiers assigned, marks with a value on them */
	[Q_ASSIGN_COUNTS] = "SELECT j.juror_id,"
			    " (SELECT count(*) FROM assignment a WHERE a.juror_id = j.juror_id),"
			    " (SELECT count(*) FROM mark m JOIN assignment a"
			    "   ON a.juror_id = m.juror_id AND a.town_id = m.town_id"
			    "   WHERE m.juror_id = j.juror_id AND m.value != '')"
			    " FROM juror j ORDER BY j.juror_id",
	/* per assigned pair with marks: the criteria marked, separated by US (0x1f) */
	[Q_ASSIGNED_MARKS] = "SELECT m.juror_id, m.town_id, group_concat(m.criterion, char(31)) FROM mark m"
			     " JOIN assignment a ON a.juror_id = m.juror_id AND a.town_id = m.town_id"
			     " WHERE m.value != '' GROUP BY m.juror_id, m.town_id ORDER BY m.juror_id, m.town_id",
	/* the published versions (store_publish.c) */
	[Q_PUBLICATION_INSERT] = "INSERT INTO publication (version, published_at, published_by, results_json, sha256)"
				 " VALUES ((SELECT coalesce(max(version), 0) + 1 FROM publication), ?1, ?2, ?3, ?4)"
				 " RETURNING version",
	[Q_PUBLICATION_LIST] = "SELECT p.version, p.published_at, coalesce(p.published_by, 0), p.sha256,"
			       " coalesce(n.name, '') FROM publication p LEFT JOIN person n ON n.id = p.published_by"
			       " ORDER BY p.version DESC",
	[Q_PUBLICATION_GET] = "SELECT p.version, p.published_at, coalesce(p.published_by, 0), p.sha256,"
			      " coalesce(n.name, ''), p.results_json FROM publication p"
			      " LEFT JOIN person n ON n.id = p.published_by WHERE p.version = ?1",
	[Q_PUBLICATION_LATEST] = "SELECT coalesce(max(version), 0) FROM publication",
};

const char *const sdb_role_words[ROLE_COUNT] = {
	[ROLE_ANONYMOUS] = NULL,
	[ROLE_ORGANIZER] = "organizer",
	[ROLE_TOWN] = "town",
	[ROLE_JUROR] = "juror",
};

const char *const sdb_state_words[3] = {
	[DOSSIER_NOT_STARTED] = "not_started",
	[DOSSIER_DRAFT] = "draft",
	[DOSSIER_SUBMITTED] = "submitted",
};

/* The phases that have a row, by their column value (PHASE_SETUP has none). */
const char *const sdb_phase_words[PHASE_COUNT] = {
	[PHASE_SUBMISSION] = "submission",
	[PHASE_MARKING] = "marking",
	[PHASE_DELIBERATION] = "deliberation",
	[PHASE_PUBLISHED] = "published",
};

permit_role sdb_role_of(const unsigned char *w)
{
	int r;
	for (r = ROLE_ORGANIZER; r < ROLE_COUNT; r++)
		if (w && !strcmp((const char *)w, sdb_role_words[r]))
			return (permit_role)r;
	return ROLE_ANONYMOUS;
}

store_dossier_state sdb_state_of(const unsigned char *w)
{
	int i;
	for (i = 0; i < 3; i++)
		if (w && !strcmp((const char *)w, sdb_state_words[i]))
			return (store_dossier_state)i;
	return DOSSIER_NOT_STARTED;
}

/* ---- errors and statements ---- */

store_status sdb_err(store *s, store_status st, const char *msg)
{
	snprintf(s->err, sizeof s->err, "%s", msg);
	return st;
}

/* The status of a SQLite result code, with SQLite's message kept. */
store_status sdb_rc(store *s, int rc)
{
	switch (rc & 0xFF) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return STORE_OK;
	case SQLITE_CONSTRAINT: return sdb_err(s, STORE_REFUSED, sqlite3_errmsg(s->db));
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return sdb_err(s, STORE_BUSY, sqlite3_errmsg(s->db));
	case SQLITE_NOMEM: return sdb_err(s, STORE_NOMEM, "out of memory");
	case SQLITE_TOOBIG: return sdb_err(s, STORE_REFUSED, "a value is too big to store");
	default: return sdb_err(s, STORE_ERROR, sqlite3_errmsg(s->db));
	}
}

/* The prepared statement id, ready to bind; NULL on error (s->err says). */
sqlite3_stmt *sdb_stmt(store *s, enum sid id, store_status *st)
{
	if (!s->st[id]) {
		int rc = sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->st[id], NULL);
		if (rc != SQLITE_OK) {
			*st = sdb_rc(s, rc);
			s->st[id] = NULL;
			return NULL;
		}
	}
	*st = STORE_OK;
	return s->st[id];
}

/* Ends a use of a statement: resets it and drops its bindings. */
void sdb_done(store *s, sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	s->bind_rc = SQLITE_OK;
}

/* Steps q, unless a value could not be bound: a value left unbound is NULL,
 * and running the statement would store NULL instead of it. */
int sdb_step(store *s, sqlite3_stmt *q)
{
	return s->bind_rc != SQLITE_OK ? s->bind_rc : sqlite3_step(q);
}

/* Steps a statement that returns no row, then ends its use. */
store_status sdb_run(store *s, sqlite3_stmt *q)
{
	int rc = sdb_step(s, q);
	store_status st = rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc == SQLITE_ROW ? SQLITE_ERROR : rc);
	if (rc == SQLITE_ROW)
		st = sdb_err(s, STORE_ERROR, "statement returned a row");
	sdb_done(s, q);
	return st;
}

/* Strings and blobs are bound without a copy (SQLITE_STATIC): they outlive
 * the statement's use, ended by sdb_done(). A failure is kept for sdb_step(). */
void sdb_bind_text(store *s, sqlite3_stmt *q, int i, const char *v)
{
	int rc = v ? sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

void sdb_bind_blob(store *s, sqlite3_stmt *q, int i, const void *v, size_t n)
{
	int rc = sqlite3_bind_blob64(q, i, v, n, SQLITE_STATIC);
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

/* A person id or NULL for 0 (the command line). */
int sdb_bind_who(sqlite3_stmt *q, int i, int64_t who)
{
	return who > 0 ? sqlite3_bind_int64(q, i, who) : sqlite3_bind_null(q, i);
}

/* An owned copy of a text column, NULL for NULL; *oom set when out of memory. */
char *sdb_col_dup(sqlite3_stmt *q, int i, int *oom)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	size_t n;
	char *c;
	if (!t) {
		if (sqlite3_column_type(q, i) != SQLITE_NULL)
			*oom = 1;
		return NULL;
	}
	n = (size_t)sqlite3_column_bytes(q, i);
	c = malloc(n + 1);
	if (!c) {
		*oom = 1;
		return NULL;
	}
	memcpy(c, t, n);
	c[n] = '\0';
	return c;
}

/* Steps q for one person id: STORE_OK, or STORE_NOT_FOUND without a row. */
store_status sdb_one_id(store *s, sqlite3_stmt *q, int64_t *id, const char *missing)
{
	int rc = sdb_step(s, q);
	store_status st;
	if (rc == SQLITE_ROW) {
		if (id)
			*id = sqlite3_column_int64(q, 0);
		st = STORE_OK;
		/* RETURNING: the change is made when the statement runs to its end */
		while ((rc = sdb_step(s, q)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE)
			st = sdb_rc(s, rc);
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, missing) : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	return st;
}
