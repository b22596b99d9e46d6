/*
 * The jury's shared rows in the store (store_jury.h): jurors, the
 * permission target of a juror on a dossier, the campaign's settings.
 */
#include "store_db.h"
#include "store_jury.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_juror_clear(store_juror *j)
{
	if (!j)
		return;
	free(j->juror_id);
	free(j->name);
	free(j->email);
	free(j->town_id);
	free(j->region);
	free(j->conflicts);
	memset(j, 0, sizeof *j);
}

struct juror_args {
	const store_juror *j;
	int64_t who, now, *id;
};

static store_status juror_tx(store *s, void *ctx)
{
	const struct juror_args *a = ctx;
	const store_juror *j = a->j;
	int64_t id = 0;
	store_status st;
	sqlite3_stmt *q;
	if (!j->juror_id || !*j->juror_id)
		return sdb_err(s, STORE_REFUSED, "a juror needs an id");
	st = sdb_person_insert(s, ROLE_JUROR, NULL, j->name && *j->name ? j->name : j->juror_id, j->email, &id);
	if (st != STORE_OK)
		return st;
	if (!(q = sdb_stmt(s, Q_JUROR_INSERT, &st)))
		return st;
	sqlite3_bind_int64(q, 1, id);
	sdb_bind_text(s, q, 2, j->juror_id);
	sdb_bind_text(s, q, 3, j->town_id ? j->town_id : "");
	sdb_bind_text(s, q, 4, j->region ? j->region : "");
	sdb_bind_text(s, q, 5, j->conflicts ? j->conflicts : "");
	if ((st = sdb_run(s, q)) != STORE_OK)
		return st;
	if (a->id)
		*a->id = id;
	return store_audit_append(s, a->who, a->now, "juror-add", j->juror_id, NULL, j->name);
}

store_status store_juror_add(store *s, const store_juror *j, int64_t who, int64_t now, int64_t *person_id)
{
	struct juror_args a = {j, who, now, person_id};
	if (!j)
		return sdb_err(s, STORE_REFUSED, "no juror");
	return store_tx(s, juror_tx, &a);
}

/* Fills j from the current row of a juror statement. */
static int juror_row(sqlite3_stmt *q, store_juror *j)
{
	int oom = 0;
	memset(j, 0, sizeof *j);
	j->person_id = sqlite3_column_int64(q, 0);
	j->juror_id = sdb_col_dup(q, 1, &oom);
	j->name = sdb_col_dup(q, 2, &oom);
	j->email = sdb_col_dup(q, 3, &oom);
	j->town_id = sdb_col_dup(q, 4, &oom);
	j->region = sdb_col_dup(q, 5, &oom);
	j->conflicts = sdb_col_dup(q, 6, &oom);
	if (oom)
		store_juror_clear(j);
	return oom ? -1 : 0;
}

static store_status juror_one(store *s, sqlite3_stmt *q, store_juror *out)
{
	int rc = sdb_step(s, q);
	store_status st;
	if (rc == SQLITE_ROW)
		st = juror_row(q, out) ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	else
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such juror") : sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

store_status store_juror_of_person(store *s, int64_t person_id, store_juror *out)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_JUROR_OF_PERSON, &st);
	memset(out, 0, sizeof *out);
	if (!q)
		return st;
	sqlite3_bind_int64(q, 1, person_id);
	return juror_one(s, q, out);
}

store_status store_juror_get(store *s, const char *juror_id, store_juror *out)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_JUROR_GET, &st);
	memset(out, 0, sizeof *out);
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, juror_id);
	return juror_one(s, q, out);
}

store_status store_jurors_list(store *s, store_juror_fn fn, void *ctx)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_JURORS_LIST, &st);
	int rc;
	if (!q)
		return st;
	st = STORE_OK;
	while ((rc = sdb_step(s, q)) == SQLITE_ROW) {
		store_juror j;
		int stop;
		if (juror_row(q, &j)) {
			st = sdb_err(s, STORE_NOMEM, "out of memory");
			break;
		}
		stop = fn(ctx, &j);
		store_juror_clear(&j);
		if (stop)
			break;
	}
	if (st == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = sdb_rc(s, rc);
	sdb_done(s, q);
	return st;
}

store_status store_jury_target(store *s, const char *juror_id, const char *town_id, permit_phase phase,
			       const char *const *crit, size_t ncrit, permit_target *on)
{
	store_status st;
	sqlite3_stmt *q;
	int rc;
	size_t i;
	on->assigned = on->conflict = on->own_marks_given = 0;
	on->visibility = SEE_NEVER;
	if (!juror_id || !town_id)
		return sdb_err(s, STORE_NOT_FOUND, "no juror or town");
	if (!(q = sdb_stmt(s, Q_JURY_TARGET, &st)))
		return st;
	sdb_bind_text(s, q, 1, juror_id);
	sdb_bind_text(s, q, 2, town_id);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		on->assigned = sqlite3_column_int(q, 0) != 0;
		on->conflict = sqlite3_column_int(q, 1) != 0;
		st = STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such juror") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	if (st != STORE_OK)
		return st;
	on->visibility = store_visibility(s, phase);
	on->own_marks_given = ncrit > 0;
	for (i = 0; i < ncrit && on->own_marks_given; i++) {
		int64_t n = 0;
		if (!(q = sdb_stmt(s, Q_JURY_MARKS_GIVEN, &st)))
			return st;
		sdb_bind_text(s, q, 1, juror_id);
		sdb_bind_text(s, q, 2, town_id);
		sdb_bind_text(s, q, 3, crit[i]);
		if ((st = sdb_one_id(s, q, &n, "no count")) != STORE_OK)
			return st;
		on->own_marks_given = n > 0;
	}
	return STORE_OK;
}

/* ---- settings ---- */

store_status store_setting_get(store *s, const char *key, char **value)
{
	store_status st;
	sqlite3_stmt *q = sdb_stmt(s, Q_SETTING_GET, &st);
	int rc, oom = 0;
	*value = NULL;
	if (!q)
		return st;
	sdb_bind_text(s, q, 1, key);
	rc = sdb_step(s, q);
	if (rc == SQLITE_ROW) {
		*value = sdb_col_dup(q, 0, &oom);
		st = oom || !*value ? sdb_err(s, STORE_NOMEM, "out of memory") : STORE_OK;
	} else {
		st = rc == SQLITE_DONE ? sdb_err(s, STORE_NOT_FOUND, "no such setting") : sdb_rc(s, rc);
	}
	sdb_done(s, q);
	return st;
}

struct setting_args {
	const char *key, *value;
	int64_t who, now;
};

static store_status setting_tx(store *s, void *ctx)
{
	const struct setting_args *a = ctx;
	char *old = NULL;
	store_status st = store_setting_get(s, a->key, &old);
	sqlite3_stmt *q;
	if (st != STORE_OK && st != STORE_NOT_FOUND)
		return st;
	if (!(q = sdb_stmt(s, Q_SETTING_SET, &st))) {
		free(old);
		return st;
	}
	sdb_bind_text(s, q, 1, a->key);
	sdb_bind_text(s, q, 2, a->value);
	st = sdb_run(s, q);
	if (st == STORE_OK)
		st = store_audit_append(s, a->who, a->now, "setting", a->key, old, a->value);
	free(old);
	return st;
}

store_status store_setting_set(store *s, const char *key, const char *value, int64_t who, int64_t now)
{
	struct setting_args a = {key, value, who, now};
	if (!key || !*key || !value)
		return sdb_err(s, STORE_REFUSED, "a setting needs a key and a value");
	return store_tx(s, setting_tx, &a);
}

static const char *const visibility_words[SEE_COUNT] = {
	[SEE_NEVER] = "never",
	[SEE_AFTER_OWN] = "after_own",
	[SEE_ALWAYS] = "always",
};

const char *store_visibility_word(permit_visibility v)
{
	return (unsigned)v < SEE_COUNT ? visibility_words[v] : NULL;
}

int store_visibility_of(const char *word)
{
	int v;
	for (v = 0; word && v < SEE_COUNT; v++)
		if (!strcmp(word, visibility_words[v]))
			return v;
	return -1;
}

permit_visibility store_visibility(store *s, permit_phase phase)
{
	const char *key = phase == PHASE_MARKING	? SETTING_VISIBILITY_MARKING
			  : phase == PHASE_DELIBERATION ? SETTING_VISIBILITY_DELIBERATION
							: NULL;
	char *value = NULL;
	int v;
	if (!key || store_setting_get(s, key, &value) != STORE_OK)
		return SEE_NEVER;
	v = store_visibility_of(value);
	free(value);
	return v < 0 ? SEE_NEVER : (permit_visibility)v;
}
