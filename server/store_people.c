/*
 * The store's people, their invitation links and their sessions (store.h).
 * Tokens are kept only as their hash (auth.h); an invitation is used by one
 * UPDATE that checks and marks it at once.
 */
#include "store_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
store_status sdb_person_insert(store *s, permit_role role, const char *town_id, const char *name,
			       const char *email, int64_t *id)
{
	store_status st;
	sqlite3_stmt *q;
	if ((unsigned)role >= ROLE_COUNT || !sdb_role_words[role] || !name)
		return sdb_err(s, STORE_REFUSED, "a person needs a role and a name");
	if (!(q = sdb_stmt(s, Q_PERSON_INSERT, &st)))
		return st;
	sdb_bind_text(s, q, 1, sdb_role_words[role]);
	sdb_bind_text(s, q, 2, town_id);
	sdb_bind_text(s, q, 3, name);
	sdb_bind_text(s, q, 4, email ? email : "");
	st = sdb_run(s, q);
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
	store_status st = sdb_person_insert(s, a->role, a->town_id, a->name, a->email, &id);
	if (st != STORE_OK)
		return st;
	if (a->id)
		*a->id = id;
	snprintf(subject, sizeof subject, "person/%lld", (long long)id);
	return store_audit_append(s, a->who, a->now, "person-add", subject, NULL, sdb_role_words[a->role]);
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
	int rc = sdb_step(s, q), oom = 0;
	store_status st;
	memset(p, 0, sizeof *p);
	if (rc == SQLITE_ROW) {
		p->id = sqlite3_column_int64(q, 0);
		p->role = sdb_role_of(sqlite3_column_text(q, 1));
		p->town_id = sdb_col_dup(q, 2, &oom);
		p->name = sdb_col_dup(q, 3, &oom);
		p->email = sdb_col_dup(q, 4, &oom);
		p->password_hash = sdb_col_dup(q, 5, &oom);
		st = oom ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such person") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	if (st != STORE_OK)
		store_person_clear(p);
	return st;
}

store_status store_person_get(store *s, int64_t id, store_person *p)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_PERSON_GET, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, id);
	return person_row(s, q, p);
}

store_status store_person_of_town(store *s, const char *town_id, store_person *p)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_PERSON_OF_TOWN, &st);
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, town_id);
	return person_row(s, q, p);
}

store_status store_organizer_by_email(store *s, const char *email, store_person *p)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_ORGANIZER_BY_EMAIL, &st);
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, email);
	return person_row(s, q, p);
}

store_status store_people_list(store *s, store_person_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_PEOPLE_LIST, &st);
	int rc;
	if (!q)
		return st;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW)
		if (fn(ctx, sqlite3_column_int64(q, 0), sdb_role_of(sqlite3_column_text(q, 1)),
		       (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
		       (const char *)sqlite3_column_text(q, 4)))
			break;
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
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
	sqlite3_stmt *q = sdb_stmt(s, Q_PERSON_SET_PASSWORD, &st);
	char subject[32];
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, a->id);
	sdb_bind_text(s, q, 2, a->hash);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	if (sqlite3_changes(s->db) != 1)
		return sdb_err(s, STORE_NOT_FOUND, "no such person");
	snprintf(subject, sizeof subject, "person/%lld", (long long)a->id);
	/* the hash itself stays out of the log */
	return store_audit_append(s, a->who, a->now, "password-set", subject, NULL, NULL);
}

store_status store_person_set_password(store *s, int64_t id, const char *hash, int64_t who, int64_t now)
{
	struct password_args a = {id, hash, who, now};
	if (!hash)
		return sdb_err(s, STORE_REFUSED, "no password hash");
	return store_tx(s, password_tx, &a);
}

/* ---- invitations ---- */

store_status store_invitation_add(store *s, int64_t person, const unsigned char hash[AUTH_HASH_BYTES],
				  int64_t expires_at)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_INVITATION_INSERT, &st);
	if (!q)
		return st;
	sdb_bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, person);
	sqlite3_bind_int64(q, 3, expires_at);
	return sdb_run(s, q);
}

store_status store_invitation_find(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				   int64_t *person)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_INVITATION_FIND, &st);
	if (!q)
		return st;
	sdb_bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, now);
	return sdb_one_id(s, q, person, "no such invitation");
}

store_status store_invitation_use(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				  int64_t *person)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_INVITATION_USE, &st);
	if (!q)
		return st;
	/* One UPDATE that both checks and marks: two requests with the same
	 * link cannot both see it unused. */
	sdb_bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, now);
	return sdb_one_id(s, q, person, "no such invitation");
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
	sqlite3_stmt *q = sdb_stmt(s, Q_SESSION_INSERT, &st);
	if (!q)
		return st;
	sdb_bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, person);
	sdb_bind_blob(s, q, 3, csrf, AUTH_TOKEN_BYTES);
	sqlite3_bind_int64(q, 4, now);
	sqlite3_bind_int64(q, 5, expires_at);
	return sdb_run(s, q);
}

store_status store_session_find(store *s, const unsigned char hash[AUTH_HASH_BYTES], int64_t now,
				store_session *ss)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_SESSION_FIND, &st);
	int rc, oom = 0;
	memset(ss, 0, sizeof *ss);
	if (!q)
		return st;
	sdb_bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	sqlite3_bind_int64(q, 2, now);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		const void *csrf = sqlite3_column_blob(q, 3);
		ss->person_id = sqlite3_column_int64(q, 0);
		ss->role = sdb_role_of(sqlite3_column_text(q, 1));
		ss->town_id = sdb_col_dup(q, 2, &oom);
		ss->expires_at = sqlite3_column_int64(q, 4);
		if (csrf && sqlite3_column_bytes(q, 3) == AUTH_TOKEN_BYTES)
			memcpy(ss->csrf, csrf, AUTH_TOKEN_BYTES);
		else
			oom = 1;
		st = oom ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such session") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	if (st != STORE_OK)
		store_session_clear(ss);
	return st;
}

store_status store_session_delete(store *s, const unsigned char hash[AUTH_HASH_BYTES])
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_SESSION_DELETE, &st);
	if (!q)
		return st;
	sdb_bind_blob(s, q, 1, hash, AUTH_HASH_BYTES);
	return sdb_run(s, q);
}

store_status store_sessions_expire(store *s, int64_t now, int64_t *removed)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_SESSION_EXPIRE, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, now);
	st = sdb_run(s, q);
	if (st == STORE_OK && removed)
		*removed = sqlite3_changes(s->db);
	return st;
}
