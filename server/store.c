/*
 * The campaign store over SQLite (see store.h): opening (the connection's
 * pragmas, then the migrations of store_schema.h), transactions, backups,
 * the audit log, the campaign and its towns and phases. People and sessions
 * are in store_people.c, dossiers and what hangs on them in store_dossier.c,
 * the statements and their helpers in store_db.c. Functions that change
 * several rows run in store_tx(), and append to the audit log in the same
 * transaction.
 */
#include "store_db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_schema.h"

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
	       "STORE_SCHEMA_VERSION is the number of migrations");

/* ---- open, migrate, close ---- */

static store_status exec(store *s, const char *text)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, text, NULL, NULL, &msg);
	store_status st = STORE_OK;
	if (rc != SQLITE_OK) {
		st = sdb_rc(s, rc);
		if (msg)
			sdb_err(s, st, msg);
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
		return sdb_err(s, STORE_ERROR, sqlite3_errmsg(s->db));
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
		return sdb_rc(s, sqlite3_errcode(s->db));
	st = exec(s, "PRAGMA journal_mode = WAL");
	if (st == STORE_OK)
		st = exec(s, "PRAGMA synchronous = NORMAL");
	if (st == STORE_OK)
		st = exec(s, "PRAGMA foreign_keys = ON");
	if (st != STORE_OK)
		return st;
	/* A pragma that SQLite does not know is silently ignored: check. */
	if (pragma_int(s, "PRAGMA foreign_keys") != 1)
		return sdb_err(s, STORE_ERROR, "foreign keys cannot be turned on");
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
		st = s->db ? sdb_rc(s, sqlite3_errcode(s->db)) : sdb_err(s, STORE_NOMEM, "out of memory");
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
		return sdb_err(s, STORE_NOMEM, "out of memory");
	snprintf(tmp, n, "%s.partial", out_path);
	remove(tmp);
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		st = sdb_err(s, STORE_ERROR, dst ? sqlite3_errmsg(dst) : "out of memory");
	} else if (!(b = sqlite3_backup_init(dst, "main", s->db, "main"))) {
		st = sdb_err(s, STORE_ERROR, sqlite3_errmsg(dst));
	} else {
		/* All pages in one step: under WAL the source's writers are not
		 * blocked by this read, and a step restarted by a write from
		 * another connection simply copies again. */
		rc = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
		st = rc == SQLITE_DONE ? STORE_OK : sdb_err(s, STORE_ERROR, sqlite3_errstr(rc));
		if (st == STORE_OK && (rc = sqlite3_errcode(dst)) != SQLITE_OK)
			st = sdb_err(s, STORE_ERROR, sqlite3_errmsg(dst));
	}
	if (sqlite3_close(dst) != SQLITE_OK && st == STORE_OK)
		st = sdb_err(s, STORE_ERROR, "cannot close the copy");
	if (st == STORE_OK && rename(tmp, out_path) != 0)
		st = sdb_err(s, STORE_ERROR, "cannot rename the copy into place");
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
		return sdb_rc(s, rc);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(q, 0);
		st = r && !strcmp(r, "ok") ? STORE_OK
					   : sdb_err(s, STORE_ERROR, r ? r : "integrity check failed");
	} else {
		st = sdb_rc(s, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	}
	sqlite3_finalize(q);
	return st;
}

/* ---- transactions ---- */

/*
 * Writers of this process queue on one mutex before BEGIN IMMEDIATE: a
 * writer that found SQLite's write lock taken slept on its busy ladder (1,
 * 2, 5 ... 100 ms) instead of waking when the lock was free, and a server
 * thread asleep there held up every connection it served (bench/README.md).
 * The busy timeout stays for other processes (`palmares campaign` while the
 * server runs). Held per thread, counted, so that a store_tx() inside
 * another one, even on another store, never waits for itself.
 */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int write_held;

static store_status tx_run(store *s, store_tx_fn fn, void *ctx)
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

store_status store_tx(store *s, store_tx_fn fn, void *ctx)
{
	int take = !write_held;
	if (take)
		pthread_mutex_lock(&write_lock);
	write_held++;
	store_status st = tx_run(s, fn, ctx);
	write_held--;
	if (take)
		pthread_mutex_unlock(&write_lock);
	return st;
}

/* ---- checkpoints ---- */

/* SQLite's WAL hook, after each commit: replaces its automatic checkpoint. */
static int wal_hook(void *p, sqlite3 *db, const char *name, int pages)
{
	const struct wal_notify *w = p;
	(void)db;
	(void)name;
	if (pages >= 0 && (unsigned)pages >= w->pages)
		w->fn(w->ctx);
	return SQLITE_OK;
}

void store_wal_notify(store *s, unsigned pages, store_wal_fn fn, void *ctx)
{
	s->wal.pages = pages ? pages : 1;
	s->wal.fn = fn;
	s->wal.ctx = ctx;
	/* Replaces sqlite3_wal_autocheckpoint()'s hook: one hook a connection. */
	sqlite3_wal_hook(s->db, wal_hook, &s->wal);
}

static store_status checkpoint_once(store *s, int *log, int *done)
{
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, log, done);
	/* BUSY: another connection (another process) is checkpointing. */
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? STORE_OK : sdb_rc(s, rc);
}

store_status store_checkpoint(store *s, unsigned limit, int *log, int *done)
{
	int l = 0, d = 0;
	store_status st = checkpoint_once(s, &l, &d);
	if (st == STORE_OK && d < l && (unsigned)l >= limit) {
		/* The pages appended during the copy: few, copied while no writer
		 * of this process appends more, so that the log is whole in the
		 * file and the next writer starts it over. */
		int take = !write_held;
		if (take)
			pthread_mutex_lock(&write_lock);
		st = checkpoint_once(s, &l, &d);
		if (take)
			pthread_mutex_unlock(&write_lock);
	}
	if (log)
		*log = l;
	if (done)
		*done = d;
	return st;
}

/* ---- audit ---- */

store_status store_audit_append(store *s, int64_t who, int64_t now, const char *what, const char *subject,
				const char *old_value, const char *new_value)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_AUDIT_INSERT, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, now);
	sdb_bind_who(q, 2, who);
	sdb_bind_text(s, q, 3, what);
	sdb_bind_text(s, q, 4, subject ? subject : "");
	sdb_bind_text(s, q, 5, old_value);
	sdb_bind_text(s, q, 6, new_value);
	return sdb_run(s, q);
}

/* Runs an audit query (already bound) through fn. */
static store_status audit_rows(store *s, sqlite3_stmt *q, store_audit_fn fn, void *ctx)
{
	store_status st;
	int rc;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		if (fn(ctx, sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 1),
		       sqlite3_column_int64(q, 2), (const char *)sqlite3_column_text(q, 3),
		       (const char *)sqlite3_column_text(q, 4), (const char *)sqlite3_column_text(q, 5),
		       (const char *)sqlite3_column_text(q, 6)))
			break;
	}
	st = rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

store_status store_audit_list(store *s, store_audit_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_AUDIT_LIST, &st);
	return q ? audit_rows(s, q, fn, ctx) : st;
}

store_status store_audit_page(store *s, int64_t before_id, int64_t limit, store_audit_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_AUDIT_PAGE, &st);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, before_id);
	sqlite3_bind_int64(q, 2, limit);
	return audit_rows(s, q, fn, ctx);
}

/* ---- campaign, towns, phases ---- */

struct towns_args {
	const char *label, *rubric_json; /* NULL: add towns to an existing campaign */
	const store_town *towns;
	size_t n;
	int64_t who, now;
};

static store_status add_town(store *s, const store_town *t, int64_t who, int64_t now)
{
	store_status st;
	sqlite3_stmt *q;
	if (!t->id || !t->name)
		return sdb_err(s, STORE_REFUSED, "a town needs an id and a name");
	if (!(q = sdb_stmt(s, Q_TOWN_INSERT, &st)))
		return st;
	sdb_bind_text(s, q, 1, t->id);
	sdb_bind_text(s, q, 2, t->name);
	sdb_bind_text(s, q, 3, t->attributes_json ? t->attributes_json : "{}");
	sdb_bind_text(s, q, 4, t->email ? t->email : "");
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	if (!(q = sdb_stmt(s, Q_DOSSIER_INSERT, &st)))
		return st;
	sdb_bind_text(s, q, 1, t->id);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	st = sdb_person_insert(s, ROLE_TOWN, t->id, t->name, t->email ? t->email : "", NULL);
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
		sqlite3_stmt *q = sdb_stmt(s, Q_CAMPAIGN_INSERT, &st);
		if (!q)
			return st;
		sdb_bind_text(s, q, 1, a->label);
		sdb_bind_text(s, q, 2, a->rubric_json);
		sqlite3_bind_int64(q, 3, a->now);
		if ((st = sdb_run(s, q)) != STORE_OK)
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
		return sdb_err(s, STORE_REFUSED, "a campaign needs a label and a rubric");
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
	sqlite3_stmt *q = sdb_stmt(s, Q_CAMPAIGN_GET, &st);
	int rc, oom = 0;
	char *l = NULL, *r = NULL;
	if (!q)
		return st;
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		if (label)
			l = sdb_col_dup(q, 0, &oom);
		if (rubric_json)
			r = sdb_col_dup(q, 1, &oom);
		st = oom ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no campaign in this file")
				       : sdb_rc(s, rc);
	}
	sdb_done(s, q);
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
	sqlite3_stmt *q = sdb_stmt(s, Q_TOWN_GET, &st);
	char *v[3] = {NULL, NULL, NULL};
	char **out[3] = {name, attributes_json, email};
	int rc, oom = 0, i;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, id);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		for (i = 0; i < 3; i++)
			if (out[i])
				v[i] = sdb_col_dup(q, i, &oom);
		st = oom ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such town") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
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
	if (!(q = sdb_stmt(s, Q_PHASE_SET, &st)))
		return st;
	sdb_bind_text(s, q, 1, sdb_phase_words[a->p]);
	sqlite3_bind_int64(q, 2, a->starts_at);
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	snprintf(was, sizeof was, "%lld", (long long)old);
	snprintf(is, sizeof is, "%lld", (long long)a->starts_at);
	return store_audit_append(s, a->who, a->now, "phase-set", sdb_phase_words[a->p], old < 0 ? NULL : was,
				  is);
}

store_status store_phase_set(store *s, permit_phase p, int64_t starts_at, int64_t who, int64_t now)
{
	struct phase_args a = {p, starts_at, who, now};
	if ((unsigned)p >= PHASE_COUNT || !sdb_phase_words[p])
		return sdb_err(s, STORE_REFUSED, "no such phase");
	return store_tx(s, phase_tx, &a);
}

/* Reads every phase's start into starts[] (-1 when it has none). */
static store_status phase_starts(store *s, int64_t starts[PHASE_COUNT])
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_PHASE_LIST, &st);
	int rc, p;
	for (p = 0; p < PHASE_COUNT; p++)
		starts[p] = -1;
	if (!q)
		return st;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		const char *w = (const char *)sqlite3_column_text(q, 0);
		for (p = 0; p < PHASE_COUNT; p++)
			if (w && sdb_phase_words[p] && !strcmp(w, sdb_phase_words[p]))
				starts[p] = sqlite3_column_int64(q, 1);
	}
	st = rc == SQLITE_DONE ? STORE_OK : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

store_status store_phase_get(store *s, permit_phase p, int64_t *starts_at)
{
	int64_t starts[PHASE_COUNT];
	store_status st;
	if ((unsigned)p >= PHASE_COUNT)
		return sdb_err(s, STORE_REFUSED, "no such phase");
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
