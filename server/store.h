/*
 * The campaign store: one SQLite file per campaign, everything the web front
 * keeps (settings, towns, people, invitations, sessions, answers, dossier
 * status, evidence, the audit log, rate-limit counters).
 *
 * - Opened in WAL mode with foreign keys on, a busy timeout and
 *   synchronous=NORMAL (docs/decisions.md says why); the schema is versioned
 *   by PRAGMA user_version and migrated on open, one step at a time.
 * - Every change runs in a transaction; store_tx() runs a caller's function
 *   in one (BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when it fails). The
 *   functions below whose change takes several statements use it too, and
 *   nest (as savepoints) inside a caller's transaction; the others change
 *   one row in one statement, atomic on its own.
 * - Every SQL text is a constant of store.c, run as a prepared statement;
 *   values are bound, never pasted into SQL.
 * - Every change to the campaign (settings, towns, people, answers, status,
 *   evidence) appends to the audit log (who, when, what, old, new) in its
 *   transaction; triggers keep the log append-only. Sessions, invitations
 *   and rate-limit counters are the server's bookkeeping, not logged.
 * - Times are seconds since the epoch, given by the caller: the store reads
 *   no clock, so that tests decide what "now" is.
 * A store is used by one thread at a time: the server opens one per thread.
 * Text is stored as given; the caller cleans names and checks values first.
 * Strings passed to callbacks are borrowed, valid during the call only.
 */
#ifndef PALMARES_SERVER_STORE_H
#define PALMARES_SERVER_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "permit.h"

/* The schema version this program writes (the number of migrations). */
#define STORE_SCHEMA_VERSION 2

typedef struct store store;

typedef enum {
	STORE_OK = 0,
	STORE_NOT_FOUND, /* no such row (also an expired or used token or session) */
	STORE_CONFLICT,  /* the revision moved since the caller read it */
	STORE_REFUSED,   /* a constraint refused the change (foreign key, check, unique, a closed dossier) */
	STORE_BUSY,      /* another process held the database past the busy timeout */
	STORE_NOMEM,
	STORE_TOO_NEW, /* the file's schema is newer than this program */
	STORE_ERROR,   /* anything else: store_errmsg() says what */
} store_status;

/* Flags of store_open(). */
#define STORE_CREATE 0x1 /* create the file when missing (else it must exist) */

/* Opens (and migrates) the campaign file path. On STORE_OK, *out is an owned
 * store (close with store_close()); otherwise *out is NULL and, when err is
 * not NULL, a message is written to err[0..errlen). */
store_status store_open(const char *path, unsigned flags, store **out, char *err, size_t errlen);

/* Closes the store; accepts NULL. */
void store_close(store *s);

/* The last error's message (English, lower case), "" when none. Borrowed,
 * valid until the next call on the store. */
const char *store_errmsg(const store *s);

/* The schema version of the open file (PRAGMA user_version), -1 on error. */
int store_schema_version(store *s);

/* Runs fn(s, ctx) in a transaction: committed when fn returns STORE_OK,
 * rolled back otherwise (then fn's status is returned). Nests. */
typedef store_status (*store_tx_fn)(store *s, void *ctx);
store_status store_tx(store *s, store_tx_fn fn, void *ctx);

/*
 * Checkpoints out of the writers' way (the server). By default SQLite's
 * commit that brings the log to 1,000 pages also copies the log into the
 * database file and syncs it (milliseconds), while every writer of the
 * process waits in store_tx()'s queue. After store_wal_notify(), this
 * connection's commits never checkpoint: once the log holds `pages` pages
 * they call fn(ctx) instead (from inside the commit: fn must only wake
 * someone), and that someone calls store_checkpoint() on its own store.
 */
typedef void (*store_wal_fn)(void *ctx);
void store_wal_notify(store *s, unsigned pages, store_wal_fn fn, void *ctx);

/* Copies the log into the database file without stopping the writers
 * (SQLite's PASSIVE checkpoint). When writers kept appending meanwhile and
 * the log has grown past `limit` pages, finishes in store_tx()'s queue, so
 * that the next writer starts the log over and it stays bounded. *log and
 * *done (may be NULL): the pages in the log and those copied, after it. A
 * checkpoint that another process is running is no error. */
store_status store_checkpoint(store *s, unsigned limit, int *log, int *done);

/* The server's checkpointer (store_checkpointer.c): a thread with its own
 * connection to path, doing store_checkpoint() for the stores it watches
 * (store_wal_notify() at SQLite's usual 1,000 pages). Stop it after the
 * last commit of the stores it watches. */
typedef struct store_checkpointer store_checkpointer;
store_status store_checkpointer_start(const char *path, store_checkpointer **out, char *err, size_t errlen);
void store_checkpointer_watch(store_checkpointer *k, store *s);
void store_checkpointer_stop(store_checkpointer *k); /* accepts NULL */

/* Copies the whole campaign to out_path with SQLite's online backup API,
 * while other connections go on reading and writing: the copy is the state
 * of one moment. Written to out_path + ".partial" then renamed, so that
 * out_path is never half a copy. */
store_status store_backup(store *s, const char *out_path);

/* PRAGMA integrity_check: STORE_OK when SQLite finds the file sound, else
 * STORE_ERROR with its first finding in store_errmsg(). */
store_status store_integrity_check(store *s);

/* ---- the campaign ---- */

/* A town to add: id and name required; attributes_json an object ("{}" when
 * NULL), email "" when NULL. */
typedef struct {
	const char *id, *name, *attributes_json, *email;
} store_town;

/* Creates the campaign: its label, its rubric (JSON text), and its towns,
 * each with an empty dossier and one "town" person. STORE_REFUSED when the
 * campaign exists already, or a town is a duplicate or invalid (then nothing
 * is written). who: the person doing it, 0 for the command line. */
store_status store_campaign_init(store *s, const char *label, const char *rubric_json,
				 const store_town *towns, size_t n, int64_t who, int64_t now);

/* Adds towns to the campaign (the organizer's import), all or none. */
store_status store_towns_add(store *s, const store_town *towns, size_t n, int64_t who, int64_t now);

/* The label and the rubric: owned strings (free with free()) in *label and *rubric_json
 * (either may be NULL when not wanted). STORE_NOT_FOUND before store_campaign_init(). */
store_status store_campaign_get(store *s, char **label, char **rubric_json);

/* One town: owned strings (free with free()) in each non-NULL pointer. */
store_status store_town_get(store *s, const char *id, char **name, char **attributes_json, char **email);

/* Sets when a phase starts (PHASE_SUBMISSION to PHASE_PUBLISHED; PHASE_SETUP
 * is the time before the first). */
store_status store_phase_set(store *s, permit_phase p, int64_t starts_at, int64_t who, int64_t now);

/* The phase at time t: the latest phase, in the order of permit_phase, that
 * has started by t; PHASE_SETUP when none has. *starts_at (may be NULL) is
 * the start of p, or -1 when p has no date. */
store_status store_phase_at(store *s, int64_t t, permit_phase *p);
store_status store_phase_get(store *s, permit_phase p, int64_t *starts_at);

/* ---- people ---- */

typedef struct {
	int64_t id;
	permit_role role;
	char *town_id;       /* owned; NULL unless role is ROLE_TOWN */
	char *name, *email;  /* owned */
	char *password_hash; /* owned; NULL when the person has none */
} store_person;

/* Frees the strings of p (not p); accepts NULL. */
void store_person_clear(store_person *p);

/* Adds a person (ROLE_ORGANIZER, ROLE_TOWN with town_id, or ROLE_JUROR); its
 * id in *id (may be NULL). who and now as for the audit log. */
store_status store_person_add(store *s, permit_role role, const char *town_id, const char *name,
			      const char *email, int64_t who, int64_t now, int64_t *id);

/* The person id, or the first town person of a town. p is filled on STORE_OK. */
store_status store_person_get(store *s, int64_t id, store_person *p);
store_status store_person_of_town(store *s, const char *town_id, store_person *p);

/* The organizer with this e-mail address (for a password login). */
store_status store_organizer_by_email(store *s, const char *email, store_person *p);

/* Calls fn for each person, by id (for the invitation links' CSV); a
 * non-zero return stops. town_id is NULL unless role is ROLE_TOWN. */
typedef int (*store_person_fn)(void *ctx, int64_t id, permit_role role, const char *town_id, const char *name,
			       const char *email);
store_status store_people_list(store *s, store_person_fn fn, void *ctx);

/* Stores the Argon2id string of a person's new password (audited without the hash). */
store_status store_person_set_password(store *s, int64_t id, const char *hash, int64_t who, int64_t now);

/* ---- invitations (single-use login links; only their hash is kept) ---- */

store_status store_invitation_add(store *s, int64_t person, const unsigned char hash[AUTH_HASH_BYTES],
				  int64_t expires_at);

/* The person of an unused, unexpired invitation, without using it (a GET
 * shows the login button; only the POST uses the link). */
store_status store_invitation_find(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				   int64_t *person);

/* Uses an invitation: STORE_OK and its person, once; STORE_NOT_FOUND when
 * missing, used or expired. */
store_status store_invitation_use(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				  int64_t *person);

/* ---- sessions ---- */

typedef struct {
	int64_t person_id;
	permit_role role;
	char *town_id; /* owned; NULL unless role is ROLE_TOWN */
	unsigned char csrf[AUTH_TOKEN_BYTES];
	int64_t expires_at;
} store_session;

void store_session_clear(store_session *ss);

store_status store_session_add(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t person,
			       const unsigned char csrf[AUTH_TOKEN_BYTES], int64_t now, int64_t expires_at);

/* The session of a cookie's hash: STORE_NOT_FOUND when missing or expired. */
store_status store_session_find(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				store_session *ss);

/* Logout: the session is gone (STORE_OK even when it was). */
store_status store_session_delete(store *s, const unsigned char hash[AUTH_HASH_BYTES]);

/* Removes expired sessions; their number in *removed (may be NULL). */
store_status store_sessions_expire(store *s, int64_t now, int64_t *removed);

/* ---- dossiers ---- */

typedef enum { DOSSIER_NOT_STARTED = 0, DOSSIER_DRAFT, DOSSIER_SUBMITTED } store_dossier_state;

typedef struct {
	store_dossier_state state;
	int64_t revision;     /* 0 before the first save; +1 at each save that changes something */
	int64_t submitted_at; /* -1 unless submitted */
	char receipt[65];     /* the SHA-256 (hex) of what was submitted; "" unless submitted */
	int reopened;         /* the organizer reopened it */
} store_dossier;

/* An answer to save: the criterion's id and the value as typed. */
typedef struct {
	const char *criterion, *value;
} store_answer;

/* An answer that someone else changed since base_revision to another value
 * than the one being saved: what they saved, when, by whom. */
typedef struct {
	char *criterion, *theirs; /* owned */
	int64_t revision, updated_at, updated_by;
} store_conflict;

typedef struct {
	store_conflict *v;
	size_t n;
} store_conflicts;

/* Frees the list's contents; accepts NULL. */
void store_conflicts_clear(store_conflicts *c);

/*
 * Saves answers of town's dossier that the form read at base_revision.
 * An answer changed by someone else since then (revision > base_revision) to
 * another value than the one being saved is a conflict: then nothing is
 * saved, STORE_CONFLICT is returned and c (may be NULL) lists them all, so
 * that a second tab is told what changed instead of overwriting it. Answers
 * equal to what is stored are not written. *new_revision (may be NULL) is
 * the dossier's revision after the save. STORE_REFUSED for a submitted
 * dossier, STORE_NOT_FOUND for an unknown town.
 */
store_status store_answers_save(store *s, const char *town, int64_t base_revision, const store_answer *a,
				size_t n, int64_t who, int64_t now, int64_t *new_revision,
				store_conflicts *c);

/* Calls fn for each answer of town, by criterion; a non-zero return stops. */
typedef int (*store_answer_fn)(void *ctx, const char *criterion, const char *value, int64_t revision,
			       int64_t updated_at, int64_t updated_by);
store_status store_answers_list(store *s, const char *town, store_answer_fn fn, void *ctx);

store_status store_dossier_get(store *s, const char *town, store_dossier *d);

/* Submits the dossier as read at base_revision, with the SHA-256 (64 hex
 * digits) of what was submitted: STORE_CONFLICT when the revision moved,
 * STORE_REFUSED when submitted already or the receipt is malformed. */
store_status store_dossier_submit(store *s, const char *town, int64_t base_revision, const char *receipt_hex,
				  int64_t who, int64_t now);

/* The organizer reopens a dossier: back to draft, editable past the deadline. */
store_status store_dossier_reopen(store *s, const char *town, int64_t who, int64_t now);

/* Calls fn for each dossier, by town id; a non-zero return stops. */
typedef int (*store_dossier_fn)(void *ctx, const char *town_id, const char *town_name,
				const store_dossier *d);
store_status store_dossiers_list(store *s, store_dossier_fn fn, void *ctx);

/* ---- evidence files ---- */

typedef struct {
	int64_t id;
	char *town_id, *criterion, *name, *type; /* owned */
	char sha256[65];
	void *data; /* owned, size bytes */
	size_t size;
} store_evidence;

void store_evidence_clear(store_evidence *e);

/* Stores a file of town's dossier for a criterion, with its SHA-256 (hex)
 * computed by the caller; its id in *id (may be NULL). */
store_status store_evidence_add(store *s, const char *town, const char *criterion, const char *sha256_hex,
				const char *name, const char *type, const void *data, size_t size,
				int64_t who, int64_t now, int64_t *id);

/* The file id, only when it belongs to town (else STORE_NOT_FOUND). */
store_status store_evidence_get(store *s, const char *town, int64_t id, store_evidence *e);

/* Files of the same bytes (SHA-256) for the same criterion of a town are
 * stored once: store_evidence_add() then gives the earlier file's id. */

/* A file as lists show it, without its bytes (strings borrowed, valid during the call). */
typedef struct {
	int64_t id;
	const char *criterion, *name, *type, *sha256;
	size_t size;
} store_evidence_info;

/* Calls fn for each file of town, by criterion then upload order; a non-zero return stops. */
typedef int (*store_evidence_fn)(void *ctx, const store_evidence_info *e);
store_status store_evidence_list(store *s, const char *town, store_evidence_fn fn, void *ctx);

/* The town whose dossier holds file id (owned, free()): for a permission
 * check before store_evidence_get(); STORE_NOT_FOUND when there is none. */
store_status store_evidence_town(store *s, int64_t id, char **town);

/* Removes file id of town's dossier (audited: "evidence-remove", old value
 * "SHA-256 NAME"); STORE_NOT_FOUND when town holds no such file. */
store_status store_evidence_remove(store *s, const char *town, int64_t id, int64_t who, int64_t now);

/* ---- the audit log (append-only) ---- */

/* Appends a line: who (0: the command line), what ("answer", "submit"...),
 * subject (a town, "town/criterion"), old and new values (NULL when none). */
store_status store_audit_append(store *s, int64_t who, int64_t now, const char *what, const char *subject,
				const char *old_value, const char *new_value);

typedef int (*store_audit_fn)(void *ctx, int64_t id, int64_t at, int64_t who, const char *what,
			      const char *subject, const char *old_value, const char *new_value);
store_status store_audit_list(store *s, store_audit_fn fn, void *ctx);

/* The organizer's page of the log: at most limit lines older than before_id
 * (0: from the newest), newest first, by the same callback. */
store_status store_audit_page(store *s, int64_t before_id, int64_t limit, store_audit_fn fn, void *ctx);

/* ---- rate limits ---- */

/* Counts one hit of key (e.g. "login:203.0.113.5") in a fixed window of
 * window seconds: *allowed is 1 while the window holds at most limit hits. */
store_status store_rate_hit(store *s, const char *key, int64_t now, int64_t window, int64_t limit,
			    int *allowed);

/* Forgets the counters whose window ended before now - window. */
store_status store_rate_prune(store *s, int64_t now, int64_t window);

/* ---- the whole campaign at once (the organizer's scores, store_scan.c) ---- */

/* A number that grows at every change to the campaign (the audit log's
 * last id: every change appends to it in its transaction), for caches of
 * what is computed from the whole campaign. */
store_status store_campaign_version(store *s, int64_t *version);

/* The campaign file's full path (SQLite's name of it), "" for a database in
 * memory. Borrowed, valid while the store is open. */
const char *store_path(store *s);

/* Calls fn for every answer of every town, by town id then criterion, in
 * one statement (one query for 35,000 towns, not one per town); a town
 * without answers gets one call with criterion and value NULL. attrs is
 * the town's attributes (a JSON object's text). A non-zero return stops. */
typedef int (*store_scan_fn)(void *ctx, const char *town_id, const char *town_name, const char *attrs,
			     store_dossier_state state, const char *criterion, const char *value);
store_status store_answers_scan(store *s, store_scan_fn fn, void *ctx);

#endif
