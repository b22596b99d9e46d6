/*
 * The campaign store over SQLite (see store.h). Data flow: store_open()
 * sets the connection's pragmas and applies the migrations of
 * store_schema.h; every function then runs statements from the table
 * `sql[]` below, each prepared once per connection and reused, with values
 * bound. Functions that change data run in store_tx(), and those that change
 * a dossier or a setting append to the audit log in the same transaction.
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_schema.h"

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION is the number of migrations");

/* Every statement the store runs. When one is added: its id here and its
 * text in sql[], in the same place. */
enum sid {
	Q_CAMPAIGN_INSERT,
	Q_CAMPAIGN_GET,
	Q_PHASE_SET,
	Q_PHASE_LIST,
	Q_TOWN_INSERT,
	Q_DOSSIER_INSERT,
	Q_PERSON_INSERT,
	Q_PERSON_GET,
	Q_PERSON_OF_TOWN,
	Q_ORGANIZER_BY_EMAIL,
	Q_PERSON_SET_PASSWORD,
	Q_PEOPLE_LIST,
	Q_TOWN_GET,
	Q_INVITATION_INSERT,
	Q_INVITATION_FIND,
	Q_INVITATION_USE,
	Q_SESSION_INSERT,
	Q_SESSION_FIND,
	Q_SESSION_DELETE,
	Q_SESSION_EXPIRE,
	Q_DOSSIER_GET,
	Q_DOSSIER_SET_REVISION,
	Q_DOSSIER_SUBMIT,
	Q_DOSSIER_REOPEN,
	Q_DOSSIER_LIST,
	Q_ANSWER_GET,
	Q_ANSWER_PUT,
	Q_ANSWER_LIST,
	Q_EVIDENCE_INSERT,
	Q_EVIDENCE_GET,
	Q_AUDIT_INSERT,
	Q_AUDIT_LIST,
	Q_RATE_HIT,
	Q_RATE_PRUNE,
	Q_COUNT
};

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
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[Q_COUNT]; /* prepared on first use */
	int depth;                 /* store_tx() nesting: 0 outside any transaction */
	int bind_rc;               /* the first failed bind of the statement in use (too big, memory) */
	char err[256];
};

static const char *const role_words[] = {
	[ROLE_ANONYMOUS] = NULL,
	[ROLE_ORGANIZER] = "organizer",
	[ROLE_TOWN] = "town",
	[ROLE_JUROR] = "juror",
};

static const char *const state_words[] = {
	[DOSSIER_NOT_STARTED] = "not_started",
	[DOSSIER_DRAFT] = "draft",
	[DOSSIER_SUBMITTED] = "submitted",
};

/* The phases that have a row, by their column value (PHASE_SETUP has none). */
static const char *const phase_words[PHASE_COUNT] = {
	[PHASE_SUBMISSION] = "submission",
	[PHASE_MARKING] = "marking",
	[PHASE_DELIBERATION] = "deliberation",
	[PHASE_PUBLISHED] = "published",
};

static permit_role role_of(const unsigned char *w)
{
	int r;
	for (r = ROLE_ORGANIZER; r < ROLE_COUNT; r++)
		if (w && !strcmp((const char *)w, role_words[r]))
			return (permit_role)r;
	return ROLE_ANONYMOUS;
}

static store_dossier_state state_of(const unsigned char *w)
{
	int i;
	for (i = 0; i < 3; i++)
		if (w && !strcmp((const char *)w, state_words[i]))
			return (store_dossier_state)i;
	return DOSSIER_NOT_STARTED;
}

/* ---- errors and statements ---- */

static store_status set_err(store *s, store_status st, const char *msg)
{
	snprintf(s->err, sizeof s->err, "%s", msg);
	return st;
}

/* The status of a SQLite result code, with SQLite's message kept. */
static store_status from_rc(store *s, int rc)
{
	switch (rc & 0xFF) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return STORE_OK;
	case SQLITE_CONSTRAINT: return set_err(s, STORE_REFUSED, sqlite3_errmsg(s->db));
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return set_err(s, STORE_BUSY, sqlite3_errmsg(s->db));
	case SQLITE_NOMEM: return set_err(s, STORE_NOMEM, "out of memory");
	case SQLITE_TOOBIG: return set_err(s, STORE_REFUSED, "a value is too big to store");
	default: return set_err(s, STORE_ERROR, sqlite3_errmsg(s->db));
	}
}

/* The prepared statement id, ready to bind; NULL on error (s->err says). */
static sqlite3_stmt *stmt(store *s, enum sid id, store_status *st)
{
	if (!s->st[id]) {
		int rc = sqlite3_prepare_v3(s->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->st[id], NULL);
		if (rc != SQLITE_OK) {
			*st = from_rc(s, rc);
			s->st[id] = NULL;
			return NULL;
		}
	}
	*st = STORE_OK;
	return s->st[id];
}

/* Ends a use of a statement: resets it and drops its bindings. */
static void done(store *s, sqlite3_stmt *q)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	s->bind_rc = SQLITE_OK;
}

/* Steps q, unless a value could not be bound: a value left unbound is NULL,
 * and running the statement would store NULL instead of it. */
static int step(store *s, sqlite3_stmt *q)
{
	return s->bind_rc != SQLITE_OK ? s->bind_rc : sqlite3_step(q);
}

/* Steps a statement that returns no row, then ends its use. */
static store_status run(store *s, sqlite3_stmt *q)
{
	int rc = step(s, q);
	store_status st = rc == SQLITE_DONE ? STORE_OK : from_rc(s, rc == SQLITE_ROW ? SQLITE_ERROR : rc);
	if (rc == SQLITE_ROW)
		st = set_err(s, STORE_ERROR, "statement returned a row");
	done(s, q);
	return st;
}

/* Strings and blobs are bound without a copy (SQLITE_STATIC): they outlive
 * the statement's use, ended by done(). A failure is kept for step(). */
static void bind_text(store *s, sqlite3_stmt *q, int i, const char *v)
{
	int rc = v ? sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

static void bind_blob(store *s, sqlite3_stmt *q, int i, const void *v, size_t n)
{
	int rc = sqlite3_bind_blob64(q, i, v, n, SQLITE_STATIC);
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

/* A person id or NULL for 0 (the command line). */
static int bind_who(sqlite3_stmt *q, int i, int64_t who)
{
	return who > 0 ? sqlite3_bind_int64(q, i, who) : sqlite3_bind_null(q, i);
}

/* An owned copy of a text column, NULL for NULL; *oom set when out of memory. */
static char *col_dup(sqlite3_stmt *q, int i, int *oom)
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

/* ---- open, migrate, close ---- */

static store_status exec(store *s, const char *text)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, text, NULL, NULL, &msg);
	store_status st = STORE_OK;
	if (rc != SQLITE_OK) {
		st = from_rc(s, rc);
		if (msg)
			set_err(s, st, msg);
	}
	sqlite3_free(msg);
	return st;
}

/* A pragma that returns one integer (user_version, foreign_keys): -1 on error. */
static long long pragma_int(store *s, const char *text)
{
	sqlite3_stmt *q = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(s->db, text, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

int store_schema_version(store *s)
{
	return s ? (int)pragma_int(s, "PRAGMA user_version") : -1;
}

/* Applies the migrations past the file's version, each in its own
 * transaction with the new version, so that a crash leaves a whole step. */
static store_status migrate(store *s)
{
	long long v = pragma_int(s, "PRAGMA user_version");
	store_status st;
	if (v < 0)
		return set_err(s, STORE_ERROR, sqlite3_errmsg(s->db));
	if (v > STORE_SCHEMA_VERSION) {
		snprintf(s->err, sizeof s->err,
			 "the campaign file has schema version %lld, newer than this program's %d", v,
			 STORE_SCHEMA_VERSION);
		return STORE_TOO_NEW;
	}
	for (; v < STORE_SCHEMA_VERSION; v++) {
		char set_version[64];
		/* A pragma takes no bound value; v + 1 is a number of this program. */
		snprintf(set_version, sizeof set_version, "PRAGMA user_version = %lld", v + 1);
		st = exec(s, "BEGIN IMMEDIATE");
		if (st != STORE_OK)
			return st;
		st = exec(s, migrations[v]);
		if (st == STORE_OK)
			st = exec(s, set_version);
		if (st == STORE_OK)
			st = exec(s, "COMMIT");
		if (st != STORE_OK) {
			char keep[sizeof s->err];
			memcpy(keep, s->err, sizeof keep);
			exec(s, "ROLLBACK");
			memcpy(s->err, keep, sizeof keep);
			return st;
		}
	}
	return STORE_OK;
}

static store_status configure(store *s)
{
	store_status st;
	int on = 0;
	/* Defensive mode: no writable_schema, no corrupting the file through SQL. */
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
	/* trusted_schema stays on: the schema's CHECKs call json_valid(), which
	 * SQLite 3.40 does not mark innocuous. The file is the campaign's own. */
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_busy_timeout(s->db, 5000) != SQLITE_OK)
		return from_rc(s, sqlite3_errcode(s->db));
	st = exec(s, "PRAGMA journal_mode = WAL");
	if (st == STORE_OK)
		st = exec(s, "PRAGMA synchronous = NORMAL");
	if (st == STORE_OK)
		st = exec(s, "PRAGMA foreign_keys = ON");
	if (st != STORE_OK)
		return st;
	/* A pragma that SQLite does not know is silently ignored: check. */
	if (pragma_int(s, "PRAGMA foreign_keys") != 1)
		return set_err(s, STORE_ERROR, "foreign keys cannot be turned on");
	return STORE_OK;
}

store_status store_open(const char *path, unsigned flags, store **out, char *err, size_t errlen)
{
	store *s;
	store_status st;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	s = calloc(1, sizeof *s);
	if (!s) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return STORE_NOMEM;
	}
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		st = s->db ? from_rc(s, sqlite3_errcode(s->db)) : set_err(s, STORE_NOMEM, "out of memory");
		if (st == STORE_OK)
			st = STORE_ERROR;
	} else {
		st = configure(s);
		if (st == STORE_OK)
			st = migrate(s);
	}
	if (st != STORE_OK) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, s->err);
		store_close(s);
		return st;
	}
	*out = s;
	return STORE_OK;
}

void store_close(store *s)
{
	int i;
	if (!s)
		return;
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s);
}

const char *store_errmsg(const store *s)
{
	return s ? s->err : "out of memory";
}

store_status store_backup(store *s, const char *out_path)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	store_status st;
	size_t n = strlen(out_path) + sizeof ".partial";
	char *tmp = malloc(n);
	int rc;
	if (!tmp)
		return set_err(s, STORE_NOMEM, "out of memory");
	snprintf(tmp, n, "%s.partial", out_path);
	remove(tmp);
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		st = set_err(s, STORE_ERROR, dst ? sqlite3_errmsg(dst) : "out of memory");
	} else if (!(b = sqlite3_backup_init(dst, "main", s->db, "main"))) {
		st = set_err(s, STORE_ERROR, sqlite3_errmsg(dst));
	} else {
		/* All pages in one step: under WAL the source's writers are not
		 * blocked by this read, and a step restarted by a write from
		 * another connection simply copies again. */
		rc = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
		st = rc == SQLITE_DONE ? STORE_OK : set_err(s, STORE_ERROR, sqlite3_errstr(rc));
		if (st == STORE_OK && (rc = sqlite3_errcode(dst)) != SQLITE_OK)
			st = set_err(s, STORE_ERROR, sqlite3_errmsg(dst));
	}
	if (sqlite3_close(dst) != SQLITE_OK && st == STORE_OK)
		st = set_err(s, STORE_ERROR, "cannot close the copy");
	if (st == STORE_OK && rename(tmp, out_path) != 0)
		st = set_err(s, STORE_ERROR, "cannot rename the copy into place");
	if (st != STORE_OK)
		remove(tmp);
	free(tmp);
	return st;
}

store_status store_integrity_check(store *s)
{
	sqlite3_stmt *q = NULL;
	store_status st;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return from_rc(s, rc);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(q, 0);
		st = r && !strcmp(r, "ok") ? STORE_OK
					   : set_err(s, STORE_ERROR, r ? r : "integrity check failed");
	} else {
		st = from_rc(s, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	}
	sqlite3_finalize(q);
	return st;
}

/* ---- transactions ---- */

store_status store_tx(store *s, store_tx_fn fn, void *ctx)
{
	store_status st;
	/* Outermost: BEGIN IMMEDIATE takes the write lock at once, so that two
	 * writers wait (busy timeout) instead of failing at their first write.
	 * Inside another: a savepoint, so that a failing step undoes only itself. */
	st = exec(s, s->depth ? "SAVEPOINT tx" : "BEGIN IMMEDIATE");
	if (st != STORE_OK)
		return st;
	s->depth++;
	st = fn(s, ctx);
	s->depth--;
	if (st == STORE_OK) {
		st = exec(s, s->depth ? "RELEASE tx" : "COMMIT");
		if (st == STORE_OK)
			return STORE_OK;
	}
	{
		/* Keep the failure's message, not the rollback's. */
		char keep[sizeof s->err];
		memcpy(keep, s->err, sizeof keep);
		exec(s, s->depth ? "ROLLBACK TO tx; RELEASE tx" : "ROLLBACK");
		memcpy(s->err, keep, sizeof keep);
	}
	return st;
}

/* ---- audit ---- */

store_status store_audit_append(store *s, int64_t who, int64_t now, const char *what, const char *subject,
				const char *old_value, const char *new_value)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_AUDIT_INSERT, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, now);
	bind_who(q, 2, who);
	bind_text(s, q, 3, what);
	bind_text(s, q, 4, subject ? subject : "");
	bind_text(s, q, 5, old_value);
	bind_text(s, q, 6, new_value);
	return run(s, q);
}

store_status store_audit_list(store *s, store_audit_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_AUDIT_LIST, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = step(s, q)) == SQLITE_ROW) {
		if (fn(ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
		       sqlite3_column_int64(q, 2), (const char *)sqlite3_column_text(q, 3),
		       (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 5),
		       (const char *)sqlite3_column_text(q, 6)))
			break;
	}
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : from_rc(s, rc);
	done(s, q);
	return st;
}

/* ---- campaign, towns, phases ---- */

struct towns_args {
	const char *label, *rubric_json; /* NULL: add towns to an existing campaign */
	const store_town *towns;
	size_t n;
	int64_t who, now;
};

static store_status person_insert(store *s, permit_role role, const char *town_id, const char *name,
				  const char *email, int64_t *id);

static store_status add_town(store *s, const store_town *t, int64_t who, int64_t now)
{
	store_status st;
	sqlite3_stmt *q;
	if (!t->id || !t->name)
		return set_err(s, STORE_REFUSED, "a town needs an id and a name");
	if (!(q = stmt(s, Q_TOWN_INSERT, &st)))
		return st;
	bind_text(s, q, 1, t->id);
	bind_text(s, q, 2, t->name);
	bind_text(s, q, 3, t->attributes_json ? t->attributes_json : "{}");
	bind_text(s, q, 4, t->email ? t->email : "");
	if ((st = run(s, q)) != STORE_OK)
		return st;
	if (!(q = stmt(s, Q_DOSSIER_INSERT, &st)))
		return st;
	bind_text(s, q, 1, t->id);
	if ((st = run(s, q)) != STORE_OK)
		return st;
	st = person_insert(s, ROLE_TOWN, t->id, t->name, t->email ? t->email : "", NULL);
	if (st == STORE_OK)
		st = store_audit_append(s, who, now, "town-add", t->id, NULL, t->name);
	return st;
}

static store_status towns_tx(store *s, void *ctx)
{
	const struct towns_args *a = ctx;
	store_status st;
	size_t i;
	if (a->label) {
		sqlite3_stmt *q = stmt(s, Q_CAMPAIGN_INSERT, &st);
		if (!q)
			return st;
		bind_text(s, q, 1, a->label);
		bind_text(s, q, 2, a->rubric_json);
		sqlite3_bind_int64(q, 3, a->now);
		if ((st = run(s, q)) != STORE_OK)
			return st;
		if ((st = store_audit_append(s, a->who, a->now, "campaign-init", "", NULL, a->label)) !=
		    STORE_OK)
			return st;
	} else {
		st = store_campaign_get(s, NULL, NULL);
		if (st != STORE_OK)
			return st;
	}
	for (i = 0; i < a->n; i++)
		if ((st = add_town(s, &a->towns[i], a->who, a->now)) != STORE_OK)
			return st;
	return STORE_OK;
}

store_status store_campaign_init(store *s, const char *label, const char *rubric_json,
				 const store_town *towns, size_t n, int64_t who, int64_t now)
{
	struct towns_args a = {label, rubric_json, towns, n, who, now};
	if (!label || !rubric_json)
		return set_err(s, STORE_REFUSED, "a campaign needs a label and a rubric");
	return store_tx(s, towns_tx, &a);
}

store_status store_towns_add(store *s, const store_town *towns, size_t n, int64_t who, int64_t now)
{
	struct towns_args a = {NULL, NULL, towns, n, who, now};
	return store_tx(s, towns_tx, &a);
}

store_status store_campaign_get(store *s, char **label, char **rubric_json)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_CAMPAIGN_GET, &st);
	int rc, oom = 0;
	char *l = NULL, *r = NULL;
	if (!q)
		return st;
	rc = step(s, q);
	if (rc == SQLITE_ROW) {
		if (label)
			l = col_dup(q, 0, &oom);
		if (rubric_json)
			r = col_dup(q, 1, &oom);
		st = oom ? set_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? set_err(s, STORE_NOT_FOUND, "no campaign in this file")
				       : from_rc(s, rc);
	}
	done(s, q);
	if (st != STORE_OK) {
		free(l);
		free(r);
		return st;
	}
	if (label)
		*label = l;
	if (rubric_json)
		*rubric_json = r;
	return STORE_OK;
}

store_status store_town_get(store *s, const char *id, char **name, char **attributes_json, char **email)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_TOWN_GET, &st);
	char *v[3] = {NULL, NULL, NULL};
	char **out[3] = {name, attributes_json, email};
	int rc, oom = 0, i;
	if (!q)
		return st;
	bind_text(s, q, 1, id);
	rc = step(s, q);
	if (rc == SQLITE_ROW) {
		for (i = 0; i < 3; i++)
			if (out[i])
				v[i] = col_dup(q, i, &oom);
		st = oom ? set_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? set_err(s, STORE_NOT_FOUND, "no such town") : from_rc(s, rc);
	}
	done(s, q);
	for (i = 0; i < 3; i++) {
		if (st != STORE_OK)
			free(v[i]);
		else if (out[i])
			*out[i] = v[i];
	}
	return st;
}

struct phase_args {
	permit_phase p;
	int64_t starts_at, who, now;
};

static store_status phase_tx(store *s, void *ctx)
{
	const struct phase_args *a = ctx;
	store_status st;
	int64_t old = -1;
	char was[32], is[32];
	sqlite3_stmt *q;
	if ((st = store_phase_get(s, a->p, &old)) != STORE_OK)
		return st;
	if (!(q = stmt(s, Q_PHASE_SET, &st)))
		return st;
	bind_text(s, q, 1, phase_words[a->p]);
	sqlite3_bind_int64(q, 2, a->starts_at);
	if ((st = run(s, q)) != STORE_OK)
		return st;
	snprintf(was, sizeof was, "%lld", (long long)old);
	snprintf(is, sizeof is, "%lld", (long long)a->starts_at);
	return store_audit_append(s, a->who, a->now, "phase-set", phase_words[a->p], old < 0 ? NULL : was,
				  is);
}

store_status store_phase_set(store *s, permit_phase p, int64_t starts_at, int64_t who, int64_t now)
{
	struct phase_args a = {p, starts_at, who, now};
	if ((unsigned)p >= PHASE_COUNT || !phase_words[p])
		return set_err(s, STORE_REFUSED, "no such phase");
	return store_tx(s, phase_tx, &a);
}

/* Reads every phase's start into starts[] (-1 when it has none). */
static store_status phase_starts(store *s, int64_t starts[PHASE_COUNT])
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_PHASE_LIST, &st);
	int rc, p;
	for (p = 0; p < PHASE_COUNT; p++)
		starts[p] = -1;
	if (!q)
		return st;
	while ((rc = step(s, q)) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(q, 0);
		for (p = 0; p < PHASE_COUNT; p++)
			if (w && phase_words[p] && !strcmp(w, phase_words[p]))
				starts[p] = sqlite3_column_int64(q, 1);
	}
	st = rc == SQLITE_DONE ? STORE_OK : from_rc(s, rc);
	done(s, q);
	return st;
}

store_status store_phase_get(store *s, permit_phase p, int64_t *starts_at)
{
	int64_t starts[PHASE_COUNT];
	store_status st;
	if ((unsigned)p >= PHASE_COUNT)
		return set_err(s, STORE_REFUSED, "no such phase");
	st = phase_starts(s, starts);
	if (st == STORE_OK && starts_at)
		*starts_at = starts[p];
	return st;
}

store_status store_phase_at(store *s, int64_t t, permit_phase *out)
{
	int64_t starts[PHASE_COUNT];
	store_status st = phase_starts(s, starts);
	int p;
	if (st != STORE_OK)
		return st;
	*out = PHASE_SETUP;
	for (p = PHASE_SUBMISSION; p < PHASE_COUNT; p++)
		if (starts[p] >= 0 && starts[p] <= t)
			*out = (permit_phase)p;
	return STORE_OK;
}

/* ---- people ---- */

void store_person_clear(store_person *p)
{
	if (!p)
		return;
	free(p->town_id);
	free(p->name);
	free(p->email);
	free(p->password_hash);
	memset(p, 0, sizeof *p);
}

/* Inserts a person; no audit line (add_town() writes the town's). */
static store_status person_insert(store *s, permit_role role, const char *town_id, const char *name,
				  const char *email, int64_t *id)
{
	store_status st;
	sqlite3_stmt *q;
	if ((unsigned)role >= ROLE_COUNT || !role_words[role] || !name)
		return set_err(s, STORE_REFUSED, "a person needs a role and a name");
	if (!(q = stmt(s, Q_PERSON_INSERT, &st)))
		return st;
	bind_text(s, q, 1, role_words[role]);
	bind_text(s, q, 2, town_id);
	bind_text(s, q, 3, name);
	bind_text(s, q, 4, email ? email : "");
	st = run(s, q);
	if (st == STORE_OK && id)
		*id = sqlite3_last_insert_rowid(s->db);
	return st;
}

struct person_args {
	permit_role role;
	const char *town_id, *name, *email;
	int64_t who, now, *id;
};

static store_status person_tx(store *s, void *ctx)
{
	const struct person_args *a = ctx;
	int64_t id = 0;
	char subject[32];
	store_status st = person_insert(s, a->role, a->town_id, a->name, a->email, &id);
	if (st != STORE_OK)
		return st;
	if (a->id)
		*a->id = id;
	snprintf(subject, sizeof subject, "person/%lld", (long long)id);
	return store_audit_append(s, a->who, a->now, "person-add", subject, NULL, role_words[a->role]);
}

store_status store_person_add(store *s, permit_role role, const char *town_id, const char *name,
			      const char *email, int64_t who, int64_t now, int64_t *id)
{
	struct person_args a = {role, town_id, name, email, who, now, id};
	return store_tx(s, person_tx, &a);
}

/* Reads one person row (id, role, town_id, name, email, password_hash). */
static store_status person_row(store *s, sqlite3_stmt *q, store_person *p)
{
	int rc = step(s, q), oom = 0;
	store_status st;
	memset(p, 0, sizeof *p);
	if (rc == SQLITE_ROW) {
		p->id = sqlite3_column_int64(q, 0);
		p->role = role_of(sqlite3_column_text(q, 1));
		p->town_id = col_dup(q, 2, &oom);
		p->name = col_dup(q, 3, &oom);
		p->email = col_dup(q, 4, &oom);
		p->password_hash = col_dup(q, 5, &oom);
		st = oom ? set_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? set_err(s, STORE_NOT_FOUND, "no such person") : from_rc(s, rc);
	}
	done(s, q);
	if (st != STORE_OK)
		store_person_clear(p);
	return st;
}

store_status store_person_get(store *s, int64_t id, store_person *p)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_PERSON_GET, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, id);
	return person_row(s, q, p);
}

store_status store_person_of_town(store *s, const char *town_id, store_person *p)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_PERSON_OF_TOWN, &st);
	if (!q)
		return st;
	bind_text(s, q, 1, town_id);
	return person_row(s, q, p);
}

store_status store_organizer_by_email(store *s, const char *email, store_person *p)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_ORGANIZER_BY_EMAIL, &st);
	if (!q)
		return st;
	bind_text(s, q, 1, email);
	return person_row(s, q, p);
}

store_status store_people_list(store *s, store_person_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_PEOPLE_LIST, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = step(s, q)) == SQLITE_ROW)
		if (fn(ctx, sqlite3_column_int64(q, 0), role_of(sqlite3_column_text(q, 1)),
		       (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
		       (const char *)sqlite3_column_text(q, 4)))
			break;
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : from_rc(s, rc);
	done(s, q);
	return st;
}

struct password_args {
	int64_t id;
	const char *hash;
	int64_t who, now;
};

static store_status password_tx(store *s, void *ctx)
{
	const struct password_args *a = ctx;
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_PERSON_SET_PASSWORD, &st);
	char subject[32];
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, a->id);
	bind_text(s, q, 2, a->hash);
	if ((st = run(s, q)) != STORE_OK)
		return st;
	if (sqlite3_changes(s->db) != 1)
		return set_err(s, STORE_NOT_FOUND, "no such person");
	snprintf(subject, sizeof subject, "person/%lld", (long long)a->id);
	/* the hash itself stays out of the log */
	return store_audit_append(s, a->who, a->now, "password-set", subject, NULL, NULL);
}

store_status store_person_set_password(store *s, int64_t id, const char *hash, int64_t who, int64_t now)
{
	struct password_args a = {id, hash, who, now};
	if (!hash)
		return set_err(s, STORE_REFUSED, "no password hash");
	return store_tx(s, password_tx, &a);
}

/* ---- invitations ---- */

store_status store_invitation_add(store *s, int64_t person, const unsigned char hash[AUTH_HASH_BYTES],
				  int64_t expires_at)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_INVITATION_INSERT, &st);
	if (!q)
		return st;
	bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, person);
	sqlite3_bind_int64(q, 3, expires_at);
	return run(s, q);
}

/* Steps q for one person id: STORE_OK, or STORE_NOT_FOUND without a row. */
static store_status one_id(store *s, sqlite3_stmt *q, int64_t *id, const char *missing)
{
	int rc = step(s, q);
	store_status st;
	if (rc == SQLITE_ROW) {
		if (id)
			*id = sqlite3_column_int64(q, 0);
		st = STORE_OK;
		/* RETURNING: the change is made when the statement runs to its end */
		while ((rc = step(s, q)) == SQLITE_ROW)
			;
		if (rc != SQLITE_DONE)
			st = from_rc(s, rc);
	} else {
		st = rc == SQLITE_DONE ? set_err(s, STORE_NOT_FOUND, missing) : from_rc(s, rc);
	}
	done(s, q);
	return st;
}

store_status store_invitation_find(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				   int64_t *person)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_INVITATION_FIND, &st);
	if (!q)
		return st;
	bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, now);
	return one_id(s, q, person, "no such invitation");
}

store_status store_invitation_use(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				  int64_t *person)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_INVITATION_USE, &st);
	if (!q)
		return st;
	/* One UPDATE that both checks and marks: two requests with the same
	 * link cannot both see it unused. */
	bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, now);
	return one_id(s, q, person, "no such invitation");
}

/* ---- sessions ---- */

void store_session_clear(store_session *ss)
{
	if (!ss)
		return;
	free(ss->town_id);
	memset(ss, 0, sizeof *ss);
}

store_status store_session_add(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t person,
			       const unsigned char csrf[AUTH_TOKEN_BYTES], int64_t now, int64_t expires_at)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_SESSION_INSERT, &st);
	if (!q)
		return st;
	bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, person);
	bind_blob(s, q, 3, csrf, AUTH_TOKEN_BYTES);
	sqlite3_bind_int64(q, 4, now);
	sqlite3_bind_int64(q, 5, expires_at);
	return run(s, q);
}

store_status store_session_find(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				store_session *ss)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_SESSION_FIND, &st);
	int rc, oom = 0;
	memset(ss, 0, sizeof *ss);
	if (!q)
		return st;
	bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, now);
	rc = step(s, q);
	if (rc == SQLITE_ROW) {
		const void *csrf = sqlite3_column_blob(q, 3);
		ss->person_id = sqlite3_column_int64(q, 0);
		ss->role = role_of(sqlite3_column_text(q, 1));
		ss->town_id = col_dup(q, 2, &oom);
		ss->expires_at = sqlite3_column_int64(q, 4);
		if (csrf && sqlite3_column_bytes(q, 3) == AUTH_TOKEN_BYTES)
			memcpy(ss->csrf, csrf, AUTH_TOKEN_BYTES);
		else
			oom = 1;
		st = oom ? set_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? set_err(s, STORE_NOT_FOUND, "no such session") : from_rc(s, rc);
	}
	done(s, q);
	if (st != STORE_OK)
		store_session_clear(ss);
	return st;
}

store_status store_session_delete(store *s, const unsigned char hash[AUTH_HASH_BYTES])
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_SESSION_DELETE, &st);
	if (!q)
		return st;
	bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	return run(s, q);
}

store_status store_sessions_expire(store *s, int64_t now, int64_t *removed)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_SESSION_EXPIRE, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, now);
	st = run(s, q);
	if (st == STORE_OK && removed)
		*removed = sqlite3_changes(s->db);
	return st;
}

/* ---- dossiers and answers ---- */

static void dossier_from_row(sqlite3_stmt *q, int c, store_dossier *d)
{
	const unsigned char *r = sqlite3_column_text(q, c + 3);
	memset(d, 0, sizeof *d);
	d->state = state_of(sqlite3_column_text(q, c));
	d->revision = sqlite3_column_int64(q, c + 1);
	d->submitted_at = sqlite3_column_type(q, c + 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, c + 2);
	if (r)
		snprintf(d->receipt, sizeof d->receipt, "%s", (const char *)r);
	d->reopened = sqlite3_column_int(q, c + 4) != 0;
}

store_status store_dossier_get(store *s, const char *town, store_dossier *d)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_DOSSIER_GET, &st);
	int rc;
	if (!q)
		return st;
	bind_text(s, q, 1, town);
	rc = step(s, q);
	if (rc == SQLITE_ROW) {
		dossier_from_row(q, 0, d);
		st = STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? set_err(s, STORE_NOT_FOUND, "no such dossier") : from_rc(s, rc);
	}
	done(s, q);
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
		return set_err(s, STORE_NOMEM, "out of memory");
	c->v = v;
	e = &v[c->n];
	memset(e, 0, sizeof *e);
	e->criterion = strdup(criterion);
	e->theirs = col_dup(q, 0, &oom);
	e->revision = sqlite3_column_int64(q, 1);
	e->updated_at = sqlite3_column_int64(q, 2);
	e->updated_by = sqlite3_column_int64(q, 3);
	c->n++; /* counted even when incomplete, so that clear frees it */
	if (!e->criterion || oom)
		return set_err(s, STORE_NOMEM, "out of memory");
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
	sqlite3_stmt *q = stmt(s, Q_ANSWER_GET, &st);
	int rc;
	*changed = 1;
	*conflict = 0;
	if (!q)
		return st;
	bind_text(s, q, 1, a->town);
	bind_text(s, q, 2, x->criterion);
	rc = step(s, q);
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
		st = from_rc(s, rc);
	}
	done(s, q);
	return st;
}

/* Writes one answer and its audit line (old value read again: the statement
 * of answer_check() was reset). */
static store_status answer_put(store *s, const struct save_args *a, const store_answer *x, int64_t rev)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_ANSWER_GET, &st);
	char *old = NULL, *subject;
	size_t n;
	int oom = 0, rc;
	if (!q)
		return st;
	bind_text(s, q, 1, a->town);
	bind_text(s, q, 2, x->criterion);
	rc = step(s, q);
	if (rc == SQLITE_ROW)
		old = col_dup(q, 0, &oom);
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : from_rc(s, rc);
	done(s, q);
	if (st == STORE_OK && oom)
		st = set_err(s, STORE_NOMEM, "out of memory");
	if (st == STORE_OK && (q = stmt(s, Q_ANSWER_PUT, &st))) {
		bind_text(s, q, 1, a->town);
		bind_text(s, q, 2, x->criterion);
		bind_text(s, q, 3, x->value);
		sqlite3_bind_int64(q, 4, rev);
		sqlite3_bind_int64(q, 5, a->now);
		bind_who(q, 6, a->who);
		st = run(s, q);
	}
	if (st == STORE_OK) {
		n = strlen(a->town) + strlen(x->criterion) + 2;
		subject = malloc(n);
		if (!subject) {
			st = set_err(s, STORE_NOMEM, "out of memory");
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
		return set_err(s, STORE_REFUSED, "the dossier is submitted");
	changed = calloc(a->n ? a->n : 1, 1);
	if (!changed)
		return set_err(s, STORE_NOMEM, "out of memory");
	/* Every check before any write: a conflict leaves everything as it was. */
	for (i = 0; i < a->n && st == STORE_OK; i++) {
		int ch, co;
		if (!a->a[i].criterion || !a->a[i].value) {
			st = set_err(s, STORE_REFUSED, "an answer needs a criterion and a value");
			break;
		}
		st = answer_check(s, a, &a->a[i], &ch, &co);
		changed[i] = (unsigned char)ch;
		nchanged += ch != 0;
		any_conflict |= co;
	}
	if (st == STORE_OK && any_conflict)
		st = set_err(s, STORE_CONFLICT, "answers were changed since the form was read");
	if (st == STORE_OK && nchanged) {
		int64_t rev = d.revision + 1;
		for (i = 0; i < a->n && st == STORE_OK; i++)
			if (changed[i])
				st = answer_put(s, a, &a->a[i], rev);
		if (st == STORE_OK && (q = stmt(s, Q_DOSSIER_SET_REVISION, &st))) {
			bind_text(s, q, 1, a->town);
			sqlite3_bind_int64(q, 2, rev);
			st = run(s, q);
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
		return set_err(s, STORE_NOT_FOUND, "no such dossier");
	return store_tx(s, save_tx, &args);
}

store_status store_answers_list(store *s, const char *town, store_answer_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_ANSWER_LIST, &st);
	int rc;
	if (!q)
		return st;
	bind_text(s, q, 1, town);
	while ((rc = step(s, q)) == SQLITE_ROW)
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
		       sqlite3_column_int64(q, 2), sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4)))
			break;
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : from_rc(s, rc);
	done(s, q);
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
		if (!(q = stmt(s, Q_DOSSIER_REOPEN, &st)))
			return st;
		bind_text(s, q, 1, a->town);
		if ((st = run(s, q)) != STORE_OK)
			return st;
		return store_audit_append(s, a->who, a->now, "reopen", a->town, state_words[d.state],
					  "draft");
	}
	if (d.state == DOSSIER_SUBMITTED)
		return set_err(s, STORE_REFUSED, "the dossier is submitted already");
	if (d.revision != a->base)
		return set_err(s, STORE_CONFLICT, "answers were changed since the dossier was read");
	if (!(q = stmt(s, Q_DOSSIER_SUBMIT, &st)))
		return st;
	bind_text(s, q, 1, a->town);
	sqlite3_bind_int64(q, 2, a->now);
	bind_text(s, q, 3, a->receipt);
	if ((st = run(s, q)) != STORE_OK)
		return st;
	return store_audit_append(s, a->who, a->now, "submit", a->town, state_words[d.state], a->receipt);
}

store_status store_dossier_submit(store *s, const char *town, int64_t base_revision, const char *receipt_hex,
				  int64_t who, int64_t now)
{
	struct submit_args a = {town, base_revision, receipt_hex, who, now, 0};
	if (!receipt_hex || !hex64(receipt_hex))
		return set_err(s, STORE_REFUSED, "a receipt is 64 lower-case hexadecimal digits");
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
	sqlite3_stmt *q = stmt(s, Q_DOSSIER_LIST, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = step(s, q)) == SQLITE_ROW) {
		store_dossier d;
		dossier_from_row(q, 2, &d);
		if (fn(ctx, (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
		       &d))
			break;
	}
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : from_rc(s, rc);
	done(s, q);
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
	sqlite3_stmt *q = stmt(s, Q_EVIDENCE_INSERT, &st);
	int64_t id;
	char subject[512];
	if (!q)
		return st;
	bind_text(s, q, 1, a->town);
	bind_text(s, q, 2, a->criterion);
	bind_text(s, q, 3, a->sha);
	bind_text(s, q, 4, a->name);
	bind_text(s, q, 5, a->type);
	sqlite3_bind_int64(q, 6, (sqlite3_int64)a->size);
	/* an empty file is a zero-length blob, not NULL */
	if (a->size)
		bind_blob(s, q, 7, a->data, a->size);
	else
		sqlite3_bind_zeroblob(q, 7, 0);
	sqlite3_bind_int64(q, 8, a->now);
	bind_who(q, 9, a->who);
	if ((st = run(s, q)) != STORE_OK)
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
		return set_err(s, STORE_REFUSED,
			       "evidence needs a town, a criterion, a name, a type and data");
	if (!sha256_hex || !hex64(sha256_hex))
		return set_err(s, STORE_REFUSED, "a SHA-256 is 64 lower-case hexadecimal digits");
	return store_tx(s, evidence_tx, &a);
}

store_status store_evidence_get(store *s, const char *town, int64_t id, store_evidence *e)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_EVIDENCE_GET, &st);
	int rc, oom = 0;
	memset(e, 0, sizeof *e);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, id);
	bind_text(s, q, 2, town);
	rc = step(s, q);
	if (rc == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(q, 6);
		size_t n = (size_t)sqlite3_column_bytes(q, 6);
		const unsigned char *h = sqlite3_column_text(q, 3);
		e->id = sqlite3_column_int64(q, 0);
		e->town_id = col_dup(q, 1, &oom);
		e->criterion = col_dup(q, 2, &oom);
		e->name = col_dup(q, 4, &oom);
		e->type = col_dup(q, 5, &oom);
		if (h)
			snprintf(e->sha256, sizeof e->sha256, "%s", (const char *)h);
		e->data = malloc(n ? n : 1);
		if (e->data && n)
			memcpy(e->data, b, n);
		e->size = n;
		if (!e->data)
			oom = 1;
		st = oom ? set_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? set_err(s, STORE_NOT_FOUND, "no such file") : from_rc(s, rc);
	}
	done(s, q);
	if (st != STORE_OK)
		store_evidence_clear(e);
	return st;
}

/* ---- rate limits ---- */

store_status store_rate_hit(store *s, const char *key, int64_t now, int64_t window, int64_t limit,
			    int *allowed)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_RATE_HIT, &st);
	int64_t count = 0;
	*allowed = 0;
	if (!q)
		return st;
	bind_text(s, q, 1, key);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_int64(q, 3, window);
	st = one_id(s, q, &count, "no rate-limit counter");
	if (st == STORE_OK)
		*allowed = count <= limit;
	return st;
}

store_status store_rate_prune(store *s, int64_t now, int64_t window)
{
	store_status st;
	sqlite3_stmt *q = stmt(s, Q_RATE_PRUNE, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, window);
	return run(s, q);
}
