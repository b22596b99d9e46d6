/*
 * What the store's unit tests (test_store.c, test_store_dossier.c,
 * test_store_people.c) share: a scratch directory for their SQLite files
 * (scratch_setup and scratch_teardown are cmocka group fixtures), a campaign
 * of three towns created at t = 1000, a second raw connection to a file as
 * another process would have, a dossier's answers and the audit log as
 * strings to compare. The functions are static inline so that a test that
 * uses only some of them compiles without warnings. Include after cmocka.h.
 */
#ifndef PAL_TEST_STORE_SCRATCH_H
#define PAL_TEST_STORE_SCRATCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"

static char dir[64];
static int nfile;

static inline int scratch_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-store-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static inline int scratch_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A new file name in the scratch directory, valid until the next call. */
static inline const char *new_path(void)
{
	static char p[128];
	snprintf(p, sizeof p, "%s/campaign-%d.db", dir, nfile++);
	return p;
}

static const char *const RUBRIC = "{\"id\": \"vi-2027\", \"criteria\": []}";

static const store_town TOWNS[] = {
	{"33449", "Saint-Médard-en-Jalles", "{\"population\": 31000}", "mairie@smj.example"},
	{"75056", "Paris", NULL, NULL},
	{"69123", "Lyon", "{}", "contact@lyon.example"},
};

/* A store with the campaign of TOWNS, created at t = 1000. */
static inline store *new_campaign(void)
{
	store *s = NULL;
	char err[256];
	assert_int_equal(store_open(new_path(), STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_campaign_init(s, "Villes Internet 2027", RUBRIC, TOWNS, 3, 0, 1000), STORE_OK);
	return s;
}

/* A second, raw connection to the same file, as another process would have. */
static inline sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static inline long long raw_int(sqlite3 *db, const char *q)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static inline int count_dossiers_fn(void *ctx, const char *id, const char *name, const store_dossier *d)
{
	(void)id, (void)name, (void)d;
	(*(int *)ctx)++;
	return 0;
}

static inline int count_dossiers(store *s)
{
	int n = 0;
	assert_int_equal(store_dossiers_list(s, count_dossiers_fn, &n), STORE_OK);
	return n;
}

struct answers {
	char text[4096]; /* 50 answers of test_killed_writer: c49=99999@99999; each */
};

static inline int collect_answer(void *ctx, const char *criterion, const char *value, int64_t revision,
				 int64_t updated_at, int64_t updated_by)
{
	struct answers *a = ctx;
	size_t n = strlen(a->text);
	(void)updated_at, (void)updated_by;
	snprintf(a->text + n, sizeof a->text - n, "%s=%s@%lld;", criterion, value, (long long)revision);
	return 0;
}

static inline const char *answers_of(store *s, const char *town)
{
	static struct answers a;
	a.text[0] = '\0';
	assert_int_equal(store_answers_list(s, town, collect_answer, &a), STORE_OK);
	return a.text;
}

struct audit_lines {
	char text[2048];
	int n;
};

static inline int collect_audit(void *ctx, int64_t id, int64_t at, int64_t who, const char *what,
				const char *subject, const char *old_value, const char *new_value)
{
	struct audit_lines *a = ctx;
	size_t n = strlen(a->text);
	(void)id;
	snprintf(a->text + n, sizeof a->text - n, "%lld %lld %s %s %s>%s\n", (long long)at, (long long)who,
		 what, subject, old_value ? old_value : "-", new_value ? new_value : "-");
	a->n++;
	return 0;
}

#endif
