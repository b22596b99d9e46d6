/*
 * What the store's files share, private to them (store.c, store_db.c,
 * store_people.c, store_dossier.c): the connection with its prepared
 * statements, the statements' ids, and the helpers that run them. Every SQL
 * text is in store_db.c's table; the others name statements by id.
 */
#ifndef PALMARES_SERVER_STORE_DB_H
#define PALMARES_SERVER_STORE_DB_H

#include <sqlite3.h>

#include "store.h"

/* Every statement the store runs. When one is added: its id here and its
 * text in store_db.c's sql[], at the same place. */
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
	/* evidence files of the dossier pages (dedup, lists, removal) */
	Q_EVIDENCE_FIND,
	Q_EVIDENCE_LIST,
	Q_EVIDENCE_TOWN,
	Q_EVIDENCE_DELETE,
	Q_AUDIT_INSERT,
	Q_AUDIT_LIST,
	Q_RATE_HIT,
	Q_RATE_PRUNE,
	Q_AUDIT_PAGE,
	/* the organizer's scores (store_scan.c) */
	Q_CAMPAIGN_VERSION,
	Q_ANSWER_SCAN,
	/* the jury's shared rows (store_jury.c) */
	Q_JUROR_INSERT,
	Q_JUROR_OF_PERSON,
	Q_JUROR_GET,
	Q_JURORS_LIST,
	Q_JURY_TARGET,
	Q_JURY_MARKS_GIVEN,
	Q_SETTING_GET,
	Q_SETTING_SET,
	/* the organizer's overrides (store_override.c) */
	Q_OVERRIDE_GET,
	Q_OVERRIDE_PUT,
	Q_OVERRIDE_DELETE,
	Q_OVERRIDE_LIST,
	/* the jury's files for the engine (store_jury_scan.c) */
	Q_JURY_SCAN_JURORS,
	Q_JURY_SCAN_ASSIGNMENTS,
	Q_JURY_SCAN_MARKS,
	Q_JURY_SCAN_OVERRIDES,
	/* marks and recusals (store_marks.c) */
	Q_MARK_GET,
	Q_MARK_PUT,
	Q_MARK_REVISION,
	Q_MARKS_OF,
	Q_MARKS_OF_TOWN,
	Q_MARKS_OF_JUROR,
	Q_ASSIGNED_OF_JUROR,
	Q_RECUSAL_INSERT,
	Q_RECUSALS_LIST,
	/* the organizer's assignment and jurors page (store_assign.c) */
	Q_ASSIGN_CLEAR,
	Q_ASSIGN_INSERT,
	Q_ASSIGN_DELETE,
	Q_ASSIGN_LIST,
	Q_ASSIGN_COUNTS,
	Q_ASSIGNED_MARKS,
	/* the published versions (store_publish.c) */
	Q_PUBLICATION_INSERT,
	Q_PUBLICATION_LIST,
	Q_PUBLICATION_GET,
	Q_PUBLICATION_LATEST,
	Q_COUNT
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *st[Q_COUNT]; /* prepared on first use */
	int depth;                 /* store_tx() nesting: 0 outside any transaction */
	int bind_rc;               /* the first failed bind of the statement in use (too big, memory) */
	char err[256];
	struct wal_notify {        /* store_wal_notify(): who checkpoints for this connection */
		unsigned pages;
		store_wal_fn fn;
		void *ctx;
	} wal;
};

/* The words of the role, state and phase columns, by enum (NULL: no row). */
extern const char *const sdb_role_words[ROLE_COUNT];
extern const char *const sdb_state_words[3];
extern const char *const sdb_phase_words[PHASE_COUNT];
permit_role sdb_role_of(const unsigned char *w);
store_dossier_state sdb_state_of(const unsigned char *w);

/* Keeps msg as the store's error; returns st. */
store_status sdb_err(store *s, store_status st, const char *msg);

/* The status of a SQLite result code, SQLite's message kept. */
store_status sdb_rc(store *s, int rc);

/* The prepared statement id, ready to bind; NULL on error (*st says which). */
sqlite3_stmt *sdb_stmt(store *s, enum sid id, store_status *st);

/* Steps q, or returns the code of a failed bind without running it. */
int sdb_step(store *s, sqlite3_stmt *q);

/* Ends a use of a statement: reset, bindings dropped. */
void sdb_done(store *s, sqlite3_stmt *q);

/* Steps a statement that returns no row, then ends its use. */
store_status sdb_run(store *s, sqlite3_stmt *q);

/* Binds without a copy (the value outlives the statement's use); a failure
 * is kept for sdb_step(). */
void sdb_bind_text(store *s, sqlite3_stmt *q, int i, const char *v);
void sdb_bind_blob(store *s, sqlite3_stmt *q, int i, const void *v, size_t n);

/* A person id, or NULL for 0 (the command line). */
int sdb_bind_who(sqlite3_stmt *q, int i, int64_t who);

/* An owned copy of a text column, NULL for NULL; *oom set when out of memory. */
char *sdb_col_dup(sqlite3_stmt *q, int i, int *oom);

/* Steps q for one integer (an id, a count) into *id (may be NULL), running
 * it to its end; STORE_NOT_FOUND, with missing as the message, without a row. */
store_status sdb_one_id(store *s, sqlite3_stmt *q, int64_t *id, const char *missing);

/* Inserts a person without an audit line (store_people.c; towns write their own). */
store_status sdb_person_insert(store *s, permit_role role, const char *town_id, const char *name,
			       const char *email, int64_t *id);

#endif
