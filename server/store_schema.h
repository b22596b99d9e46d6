/*
 * The store's migrations, applied in order on open: migrations[i] takes a
 * file from user_version i to i + 1. A released step is never edited: a
 * change to the schema is a new step at the end (and STORE_SCHEMA_VERSION
 * in store.h follows the count, checked at compile time in store.c).
 * When a table changes: update store_db.c's statements and tests/server/test_store.c.
 */
#ifndef PALMARES_SERVER_STORE_SCHEMA_H
#define PALMARES_SERVER_STORE_SCHEMA_H

static const char *const migrations[] = {
	/* 1: issue 11, the online campaign */
	"CREATE TABLE campaign ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  label TEXT NOT NULL,"
	"  rubric_json TEXT NOT NULL CHECK (json_valid(rubric_json)),"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	/* phases as data: when each starts; the setup phase is the time before */
	"CREATE TABLE phase ("
	"  phase TEXT PRIMARY KEY CHECK (phase IN ('submission', 'marking', 'deliberation', 'published')),"
	"  starts_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE town ("
	"  id TEXT PRIMARY KEY CHECK (length(id) > 0),"
	"  name TEXT NOT NULL,"
	"  attributes_json TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes_json)),"
	"  email TEXT NOT NULL DEFAULT ''"
	") STRICT;"
	"CREATE TABLE person ("
	"  id INTEGER PRIMARY KEY,"
	"  role TEXT NOT NULL CHECK (role IN ('organizer', 'town', 'juror')),"
	"  town_id TEXT REFERENCES town(id),"
	"  name TEXT NOT NULL,"
	"  email TEXT NOT NULL DEFAULT '',"
	"  password_hash TEXT,"
	"  CHECK ((role = 'town') = (town_id IS NOT NULL))"
	") STRICT;"
	"CREATE INDEX person_town ON person(town_id);"
	"CREATE INDEX person_email ON person(email);"
	"CREATE TABLE invitation ("
	"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  expires_at INTEGER NOT NULL,"
	"  used_at INTEGER"
	") STRICT;"
	"CREATE TABLE session ("
	"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
	"  person_id INTEGER NOT NULL REFERENCES person(id),"
	"  csrf BLOB NOT NULL CHECK (length(csrf) = 32),"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX session_expiry ON session(expires_at);"
	"CREATE TABLE dossier ("
	"  town_id TEXT PRIMARY KEY REFERENCES town(id),"
	"  state TEXT NOT NULL DEFAULT 'not_started' CHECK (state IN ('not_started', 'draft', 'submitted')),"
	"  revision INTEGER NOT NULL DEFAULT 0,"
	"  submitted_at INTEGER,"
	"  receipt_sha256 TEXT CHECK (receipt_sha256 IS NULL OR length(receipt_sha256) = 64),"
	"  reopened INTEGER NOT NULL DEFAULT 0,"
	"  CHECK ((state = 'submitted') = (submitted_at IS NOT NULL AND receipt_sha256 IS NOT NULL))"
	") STRICT;"
	"CREATE TABLE answer ("
	"  town_id TEXT NOT NULL REFERENCES dossier(town_id),"
	"  criterion TEXT NOT NULL,"
	"  value TEXT NOT NULL,"
	"  revision INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  updated_by INTEGER REFERENCES person(id),"
	"  PRIMARY KEY (town_id, criterion)"
	") STRICT;"
	"CREATE TABLE evidence ("
	"  id INTEGER PRIMARY KEY,"
	"  town_id TEXT NOT NULL REFERENCES dossier(town_id),"
	"  criterion TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),"
	"  name TEXT NOT NULL,"
	"  type TEXT NOT NULL,"
	"  size INTEGER NOT NULL CHECK (size >= 0),"
	"  data BLOB,"
	"  path TEXT," /* a file beside the database, for a later step that moves large files out */
	"  uploaded_at INTEGER NOT NULL,"
	"  uploaded_by INTEGER REFERENCES person(id),"
	"  CHECK ((data IS NULL) != (path IS NULL))"
	") STRICT;"
	"CREATE INDEX evidence_town ON evidence(town_id, criterion);"
	/* who has no foreign key: the log outlives what it names */
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  at INTEGER NOT NULL,"
	"  who INTEGER,"
	"  what TEXT NOT NULL,"
	"  subject TEXT NOT NULL DEFAULT '',"
	"  old TEXT,"
	"  new TEXT"
	") STRICT;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TABLE rate_limit ("
	"  key TEXT PRIMARY KEY,"
	"  window_start INTEGER NOT NULL,"
	"  count INTEGER NOT NULL"
	") STRICT;",
	/* 2: issue 12, the jury on the web. Jurors are people (person.role
	 * 'juror') with the columns of the jurors file of `palmares assign`;
	 * marks are kept as typed, one row per juror, dossier and criterion, so
	 * that a refused mark comes back as the juror wrote it. */
	"CREATE TABLE juror ("
	"  person_id INTEGER PRIMARY KEY REFERENCES person(id),"
	"  juror_id TEXT NOT NULL UNIQUE CHECK (length(juror_id) > 0),"
	"  town_id TEXT NOT NULL DEFAULT ''," /* the juror's own town ('' none): never theirs to mark */
	"  region TEXT NOT NULL DEFAULT '',"
	"  conflicts TEXT NOT NULL DEFAULT ''" /* town ids separated by '|', as in the jurors file */
	") STRICT;"
	"CREATE TABLE assignment ("
	"  juror_id TEXT NOT NULL REFERENCES juror(juror_id),"
	"  town_id TEXT NOT NULL REFERENCES town(id),"
	"  assigned_at INTEGER NOT NULL,"
	"  PRIMARY KEY (juror_id, town_id)"
	") STRICT;"
	"CREATE INDEX assignment_town ON assignment(town_id);"
	/* A recusal is a conflict the juror declared: the dossier leaves their
	 * queue until the organizer reassigns it. */
	"CREATE TABLE recusal ("
	"  juror_id TEXT NOT NULL REFERENCES juror(juror_id),"
	"  town_id TEXT NOT NULL REFERENCES town(id),"
	"  reason TEXT NOT NULL CHECK (length(reason) > 0),"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (juror_id, town_id)"
	") STRICT;"
	/* value '' is no mark yet (a comment alone is a draft); revision counts
	 * the juror's saves of this dossier, for two tabs. */
	"CREATE TABLE mark ("
	"  juror_id TEXT NOT NULL REFERENCES juror(juror_id),"
	"  town_id TEXT NOT NULL REFERENCES town(id),"
	"  criterion TEXT NOT NULL,"
	"  value TEXT NOT NULL DEFAULT '',"
	"  comment TEXT NOT NULL DEFAULT '',"
	"  revision INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (juror_id, town_id, criterion)"
	") STRICT;"
	"CREATE INDEX mark_town ON mark(town_id);"
	/* level as the overrides file writes it (a level's name or number) */
	"CREATE TABLE override ("
	"  town_id TEXT PRIMARY KEY REFERENCES town(id),"
	"  level TEXT NOT NULL CHECK (length(level) > 0),"
	"  reason TEXT NOT NULL CHECK (length(reason) > 0),"
	"  at INTEGER NOT NULL,"
	"  by INTEGER REFERENCES person(id)"
	") STRICT;"
	/* Published results: immutable, one row per version; a new publication
	 * is a new version and the older ones stay (a certificate of an older
	 * version is shown as superseded). */
	"CREATE TABLE publication ("
	"  version INTEGER PRIMARY KEY CHECK (version > 0),"
	"  published_at INTEGER NOT NULL,"
	"  published_by INTEGER REFERENCES person(id),"
	/* no json_valid() check: SQLite's JSON parser refuses a text of some
	 * hundred megabytes (a national campaign's results), which palmares
	 * writes itself and the publication checks by its SHA-256 */
	"  results_json TEXT NOT NULL CHECK (length(results_json) > 0),"
	"  sha256 TEXT NOT NULL CHECK (length(sha256) = 64)"
	") STRICT;"
	"CREATE TRIGGER publication_no_update BEFORE UPDATE ON publication"
	"  BEGIN SELECT RAISE(ABORT, 'published results are immutable'); END;"
	"CREATE TRIGGER publication_no_delete BEFORE DELETE ON publication"
	"  BEGIN SELECT RAISE(ABORT, 'published results are immutable'); END;"
	/* The campaign's settings as key/value: 'jury.visibility.marking' and
	 * 'jury.visibility.deliberation' ('never', 'after_own', 'always': what a
	 * juror sees of the other jurors' marks on a dossier), the assignment's
	 * parameters... */
	"CREATE TABLE setting ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	") STRICT;",
};

#endif
