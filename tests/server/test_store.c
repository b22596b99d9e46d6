/*
 * The campaign store on real SQLite files in a scratch directory: the schema
 * from empty and on reopen, foreign keys and checks that refuse, the
 * revision check of two tabs, the append-only audit log, transactions that
 * leave nothing when they fail, SQL payloads stored as typed, tokens,
 * sessions, phases, evidence and rate limits. Times are given, never read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "store_jury.h"
#include "store_schema.h"

static char dir[64];
static int nfile;

static int scratch_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-store-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int scratch_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A new file name in the scratch directory, valid until the next call. */
static const char *new_path(void)
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
static store *new_campaign(void)
{
	store *s = NULL;
	char err[256];
	assert_int_equal(store_open(new_path(), STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_campaign_init(s, "Villes Internet 2027", RUBRIC, TOWNS, 3, 0, 1000), STORE_OK);
	return s;
}

/* A second, raw connection to the same file, as another process would have. */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static long long raw_int(sqlite3 *db, const char *q)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int count_dossiers_fn(void *ctx, const char *id, const char *name, const store_dossier *d)
{
	(void)id, (void)name, (void)d;
	(*(int *)ctx)++;
	return 0;
}

static int count_dossiers(store *s)
{
	int n = 0;
	assert_int_equal(store_dossiers_list(s, count_dossiers_fn, &n), STORE_OK);
	return n;
}

static void test_migrate_from_empty(void **state)
{
	(void)state;
	store *s = NULL;
	char err[256];
	const char *path = new_path();
	sqlite3 *db;
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_campaign_get(s, NULL, NULL), STORE_NOT_FOUND);
	store_close(s);
	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(
		raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
			    " ('campaign', 'phase', 'town', 'person', 'invitation', 'session', 'dossier',"
			    " 'answer', 'evidence', 'audit', 'rate_limit', 'juror', 'assignment', 'recusal',"
			    " 'mark', 'override', 'publication', 'setting')"),
		18);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"), 4);
	/* WAL is a property of the file: it stays */
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_close(db);
}

/* A campaign file of the first schema (the online campaign without its
 * jury) opens as the current one, its rows kept. */
static void test_migrate_from_v1(void **state)
{
	(void)state;
	store *s = NULL;
	char err[256];
	const char *path = new_path();
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, migrations[0], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO town (id, name) VALUES ('75056', 'Paris');"
				      "PRAGMA user_version = 1;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, 0, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM town WHERE name = 'Paris'"), 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM mark"), 0);
	/* published results cannot change */
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO publication VALUES (1, 0, NULL, '{}', "
				      "'0000000000000000000000000000000000000000000000000000000000000000')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE publication SET results_json = '[]'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM publication", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* A string literal as the char * of a store_juror given to the store (never freed). */
#define S(x) ((char *)(x))

/* Jurors, the permission target of a juror on a dossier, the settings. */
static void test_jury_basics(void **state)
{
	(void)state;
	store *s = new_campaign();
	store_juror j = {0, S("j-martin"), S("Claire Martin"), S("claire@example.org"), S("33449"), S("Nouvelle-Aquitaine"),
			 S("69123|00001")};
	store_juror nguyen = {0, S("j-nguyen"), S(""), S(""), S(""), S(""), S("")}, got;
	store_juror dup = {0, S("j-martin"), S("Another"), S(""), S(""), S(""), S("")};
	int64_t id = 0, id2 = 0;
	char *v = NULL;
	const char *crit[] = {"innovation", "mediation"};
	permit_target on;
	assert_int_equal(store_juror_add(s, &j, 0, 2000, &id), STORE_OK);
	assert_int_equal(store_juror_add(s, &nguyen, 0, 2000, &id2), STORE_OK);
	assert_int_equal(store_juror_add(s, &dup, 0, 2000, NULL), STORE_REFUSED);
	assert_int_equal(store_juror_of_person(s, id, &got), STORE_OK);
	assert_string_equal(got.juror_id, "j-martin");
	assert_string_equal(got.name, "Claire Martin");
	assert_string_equal(got.conflicts, "69123|00001");
	store_juror_clear(&got);
	/* a juror without a name is named by their id */
	assert_int_equal(store_juror_get(s, "j-nguyen", &got), STORE_OK);
	assert_string_equal(got.name, "j-nguyen");
	store_juror_clear(&got);
	assert_int_equal(store_juror_get(s, "j-nobody", &got), STORE_NOT_FOUND);
	/* the first person (the campaign's towns come first) is no juror */
	assert_int_equal(store_juror_of_person(s, 1, &got), STORE_NOT_FOUND);

	sqlite3 *db = raw_open(store_path(s));
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO assignment VALUES ('j-martin', '75056', 0), ('j-martin', '69123', 0),"
				      " ('j-nguyen', '33449', 0), ('j-nguyen', '75056', 0);"
				      "INSERT INTO recusal VALUES ('j-nguyen', '75056', 'my cousin is the mayor', 0);"
				      "INSERT INTO mark VALUES ('j-martin', '75056', 'innovation', '4', '', 1, 0),"
				      " ('j-martin', '75056', 'mediation', '', 'draft comment', 1, 0);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* assigned, no conflict; one mark given of two */
	assert_int_equal(store_jury_target(s, "j-martin", "75056", PHASE_MARKING, crit, 2, &on), STORE_OK);
	assert_true(on.assigned && !on.conflict && !on.own_marks_given && on.visibility == SEE_NEVER);
	assert_int_equal(store_jury_target(s, "j-martin", "75056", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.own_marks_given);
	/* assigned but a conflict of the jurors file; own town, not assigned; not assigned */
	assert_int_equal(store_jury_target(s, "j-martin", "69123", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.assigned && on.conflict);
	assert_int_equal(store_jury_target(s, "j-martin", "33449", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(!on.assigned && on.conflict);
	/* "6912" is not "69123" */
	assert_int_equal(store_jury_target(s, "j-martin", "6912", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(!on.assigned && !on.conflict);
	/* recused */
	assert_int_equal(store_jury_target(s, "j-nguyen", "75056", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.assigned && on.conflict);
	assert_int_equal(store_jury_target(s, "j-nguyen", "33449", PHASE_MARKING, crit, 1, &on), STORE_OK);
	assert_true(on.assigned && !on.conflict && !on.own_marks_given);
	assert_int_equal(store_jury_target(s, "j-nobody", "33449", PHASE_MARKING, crit, 1, &on), STORE_NOT_FOUND);
	assert_true(!on.assigned);

	/* settings: unset is never; set per phase; an unknown word is never */
	assert_int_equal(store_visibility(s, PHASE_MARKING), SEE_NEVER);
	assert_int_equal(store_setting_get(s, SETTING_VISIBILITY_MARKING, &v), STORE_NOT_FOUND);
	assert_null(v);
	assert_int_equal(store_setting_set(s, SETTING_VISIBILITY_MARKING, "after_own", 0, 3000), STORE_OK);
	assert_int_equal(store_setting_set(s, SETTING_VISIBILITY_DELIBERATION, "always", 0, 3000), STORE_OK);
	assert_int_equal(store_visibility(s, PHASE_MARKING), SEE_AFTER_OWN);
	assert_int_equal(store_visibility(s, PHASE_DELIBERATION), SEE_ALWAYS);
	assert_int_equal(store_visibility(s, PHASE_SUBMISSION), SEE_NEVER);
	assert_int_equal(store_jury_target(s, "j-martin", "75056", PHASE_DELIBERATION, crit, 1, &on), STORE_OK);
	assert_int_equal(on.visibility, SEE_ALWAYS);
	assert_int_equal(store_setting_set(s, SETTING_VISIBILITY_MARKING, "sometimes", 0, 3000), STORE_OK);
	assert_int_equal(store_visibility(s, PHASE_MARKING), SEE_NEVER);
	assert_int_equal(store_visibility_of("always"), SEE_ALWAYS);
	assert_int_equal(store_visibility_of("Always"), -1);
	assert_null(store_visibility_word(SEE_COUNT));
	/* every change is in the log */
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE what = 'juror-add'"), 2);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE what = 'setting'"), 3);
	sqlite3_close(db);
	store_close(s);
}

static void test_open_refuses(void **state)
{
	(void)state;
	store *s = (store *)1;
	char err[256];
	const char *path = new_path();
	sqlite3 *db;
	/* missing, without STORE_CREATE */
	assert_int_not_equal(store_open(path, 0, &s, err, sizeof err), STORE_OK);
	assert_null(s);
	assert_non_null(strstr(err, path));
	/* newer than this program */
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	store_close(s);
	db = raw_open(path);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_open(path, 0, &s, err, sizeof err), STORE_TOO_NEW);
	assert_null(s);
	assert_non_null(strstr(err, "99"));
	/* not a database */
	path = new_path();
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("town_id,town_name\n33449,Saint-Médard\n", f);
	fclose(f);
	assert_int_not_equal(store_open(path, 0, &s, err, sizeof err), STORE_OK);
	assert_null(s);
	store_close(NULL);
}

static void test_reopen(void **state)
{
	(void)state;
	store *s = new_campaign();
	char path[128], err[256], *label = NULL, *rubric = NULL;
	int64_t rev = -1;
	const store_answer a[] = {{"open-data", "12"}};
	snprintf(path, sizeof path, "%s/campaign-%d.db", dir, nfile - 1);
	assert_int_equal(store_answers_save(s, "75056", 0, a, 1, 0, 2000, &rev, NULL), STORE_OK);
	assert_int_equal(rev, 1);
	store_close(s);
	assert_int_equal(store_open(path, 0, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_campaign_get(s, &label, &rubric), STORE_OK);
	assert_string_equal(label, "Villes Internet 2027");
	assert_string_equal(rubric, RUBRIC);
	free(label);
	free(rubric);
	assert_int_equal(count_dossiers(s), 3);
	store_dossier d;
	assert_int_equal(store_dossier_get(s, "75056", &d), STORE_OK);
	assert_int_equal(d.state, DOSSIER_DRAFT);
	assert_int_equal(d.revision, 1);
	store_close(s);
}

static void test_refusals(void **state)
{
	(void)state;
	store *s = new_campaign();
	int64_t id = 0, person = 0;
	unsigned char h[AUTH_HASH_BYTES] = {1}, csrf[AUTH_TOKEN_BYTES] = {2};
	const store_answer a[] = {{"c", "1"}};
	const store_town dup[] = {{"99999", "Nouvelle", NULL, NULL}, {"33449", "Doublon", NULL, NULL}};
	const store_town bad_json[] = {{"11111", "X", "{not json", NULL}};
	const store_town empty_id[] = {{"", "X", NULL, NULL}};
	/* foreign keys */
	assert_int_equal(store_person_add(s, ROLE_TOWN, "00000", "Nowhere", NULL, 0, 1, &id), STORE_REFUSED);
	assert_int_equal(store_session_add(s, h, 424242, csrf, 1, 2), STORE_REFUSED);
	assert_int_equal(store_invitation_add(s, 424242, h, 2), STORE_REFUSED);
	assert_int_equal(
		store_evidence_add(s, "00000", "c",
				   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
				   "x.pdf", "application/pdf", "", 0, 0, 1, NULL),
		STORE_REFUSED);
	assert_int_equal(store_answers_save(s, "00000", 0, a, 1, 0, 1, NULL, NULL), STORE_NOT_FOUND);
	/* checks: a town person needs its town, others none */
	assert_int_equal(store_person_add(s, ROLE_TOWN, NULL, "X", NULL, 0, 1, &id), STORE_REFUSED);
	assert_int_equal(store_person_add(s, ROLE_JUROR, "33449", "X", NULL, 0, 1, &id), STORE_REFUSED);
	assert_int_equal(store_person_add(s, ROLE_ANONYMOUS, NULL, "X", NULL, 0, 1, &id), STORE_REFUSED);
	assert_int_equal(store_person_add(s, ROLE_JUROR, NULL, "Jeanne", "j@example.org", 0, 1, &person),
			 STORE_OK);
	assert_true(person > 0);
	/* a second campaign, a duplicate town (all or nothing), invalid JSON, an empty id */
	assert_int_equal(store_campaign_init(s, "Again", RUBRIC, NULL, 0, 0, 1), STORE_REFUSED);
	assert_int_equal(store_towns_add(s, dup, 2, 0, 1), STORE_REFUSED);
	assert_int_equal(store_dossier_get(s, "99999", &(store_dossier){0}), STORE_NOT_FOUND);
	assert_int_equal(store_towns_add(s, bad_json, 1, 0, 1), STORE_REFUSED);
	assert_int_equal(store_towns_add(s, empty_id, 1, 0, 1), STORE_REFUSED);
	assert_int_equal(count_dossiers(s), 3);
	assert_int_equal(store_towns_add(s, dup, 1, 0, 1), STORE_OK);
	assert_int_equal(count_dossiers(s), 4);
	store_close(s);
	/* towns need a campaign */
	char err[256];
	assert_int_equal(store_open(new_path(), STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_towns_add(s, dup, 1, 0, 1), STORE_NOT_FOUND);
	assert_int_equal(store_campaign_init(s, "X", "{broken", NULL, 0, 0, 1), STORE_REFUSED);
	store_close(s);
}

struct answers {
	char text[4096]; /* 50 answers of test_killed_writer: c49=99999@99999; each */
};

static int collect_answer(void *ctx, const char *criterion, const char *value, int64_t revision,
			  int64_t updated_at, int64_t updated_by)
{
	struct answers *a = ctx;
	size_t n = strlen(a->text);
	(void)updated_at, (void)updated_by;
	snprintf(a->text + n, sizeof a->text - n, "%s=%s@%lld;", criterion, value, (long long)revision);
	return 0;
}

static const char *answers_of(store *s, const char *town)
{
	static struct answers a;
	a.text[0] = '\0';
	assert_int_equal(store_answers_list(s, town, collect_answer, &a), STORE_OK);
	return a.text;
}

static void test_two_tabs(void **state)
{
	(void)state;
	store *s = new_campaign();
	store_person town;
	store_conflicts c = {0};
	int64_t rev = -1;
	assert_int_equal(store_person_of_town(s, "33449", &town), STORE_OK);
	assert_int_equal(town.role, ROLE_TOWN);
	assert_string_equal(town.town_id, "33449");
	/* both tabs read the dossier at revision 0; tab A saves first */
	const store_answer tab_a[] = {{"open-data", "12"}, {"wifi", "yes"}};
	assert_int_equal(store_answers_save(s, "33449", 0, tab_a, 2, town.id, 2000, &rev, &c), STORE_OK);
	assert_int_equal(rev, 1);
	assert_int_equal(c.n, 0);
	/* tab B changes open-data too: refused whole, told what A saved */
	const store_answer tab_b[] = {{"budget", "5000"}, {"open-data", "15"}};
	assert_int_equal(store_answers_save(s, "33449", 0, tab_b, 2, town.id, 2001, &rev, &c),
			 STORE_CONFLICT);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].criterion, "open-data");
	assert_string_equal(c.v[0].theirs, "12");
	assert_int_equal(c.v[0].revision, 1);
	assert_int_equal(c.v[0].updated_at, 2000);
	assert_int_equal(c.v[0].updated_by, town.id);
	assert_string_equal(answers_of(s, "33449"), "open-data=12@1;wifi=yes@1;");
	/* B saving other criteria, or the same value as A, is no conflict */
	const store_answer tab_b2[] = {{"budget", "5000"}, {"open-data", "12"}};
	assert_int_equal(store_answers_save(s, "33449", 0, tab_b2, 2, town.id, 2002, &rev, &c), STORE_OK);
	assert_int_equal(c.n, 0);
	assert_int_equal(rev, 2);
	assert_string_equal(answers_of(s, "33449"), "budget=5000@2;open-data=12@1;wifi=yes@1;");
	/* a save that changes nothing keeps the revision */
	assert_int_equal(store_answers_save(s, "33449", 2, tab_b2, 2, town.id, 2003, &rev, &c), STORE_OK);
	assert_int_equal(rev, 2);
	/* with the current revision, a change goes through */
	const store_answer tab_a2[] = {{"open-data", "15"}};
	assert_int_equal(store_answers_save(s, "33449", 2, tab_a2, 1, town.id, 2004, &rev, &c), STORE_OK);
	assert_int_equal(rev, 3);
	/* another town's dossier is untouched */
	assert_string_equal(answers_of(s, "75056"), "");
	store_conflicts_clear(&c);
	store_conflicts_clear(NULL);
	store_person_clear(&town);
	store_close(s);
}

static void test_submit_reopen(void **state)
{
	(void)state;
	store *s = new_campaign();
	store_dossier d;
	int64_t rev = 0;
	const char *receipt = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	const store_answer a[] = {{"wifi", "yes"}};
	assert_int_equal(store_dossier_get(s, "69123", &d), STORE_OK);
	assert_int_equal(d.state, DOSSIER_NOT_STARTED);
	assert_int_equal(d.submitted_at, -1);
	assert_int_equal(store_answers_save(s, "69123", 0, a, 1, 0, 10, &rev, NULL), STORE_OK);
	/* what the town saw is not what is stored: refused */
	assert_int_equal(store_dossier_submit(s, "69123", 0, receipt, 0, 11), STORE_CONFLICT);
	assert_int_equal(store_dossier_submit(s, "69123", rev, "not a sha", 0, 11), STORE_REFUSED);
	assert_int_equal(store_dossier_submit(
				 s, "69123", rev,
				 "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08", 0, 11),
			 STORE_REFUSED);
	assert_int_equal(store_dossier_submit(s, "69123", rev, receipt, 0, 12), STORE_OK);
	assert_int_equal(store_dossier_get(s, "69123", &d), STORE_OK);
	assert_int_equal(d.state, DOSSIER_SUBMITTED);
	assert_int_equal(d.submitted_at, 12);
	assert_string_equal(d.receipt, receipt);
	/* submitted: no more saves, no second submission */
	assert_int_equal(store_answers_save(s, "69123", rev, a, 1, 0, 13, NULL, NULL), STORE_REFUSED);
	assert_int_equal(store_dossier_submit(s, "69123", rev, receipt, 0, 13), STORE_REFUSED);
	/* reopened by the organizer: a draft again */
	assert_int_equal(store_dossier_reopen(s, "69123", 0, 14), STORE_OK);
	assert_int_equal(store_dossier_get(s, "69123", &d), STORE_OK);
	assert_int_equal(d.state, DOSSIER_DRAFT);
	assert_true(d.reopened);
	assert_string_equal(d.receipt, "");
	const store_answer b[] = {{"wifi", "no"}};
	assert_int_equal(store_answers_save(s, "69123", rev, b, 1, 0, 15, &rev, NULL), STORE_OK);
	assert_int_equal(store_dossier_reopen(s, "00000", 0, 14), STORE_NOT_FOUND);
	store_close(s);
}

struct audit_lines {
	char text[2048];
	int n;
};

static int collect_audit(void *ctx, int64_t id, int64_t at, int64_t who, const char *what,
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

static void test_audit_append_only(void **state)
{
	(void)state;
	store *s = new_campaign();
	char path[128];
	struct audit_lines a = {{0}, 0};
	store_person town;
	sqlite3 *db;
	char *msg = NULL;
	snprintf(path, sizeof path, "%s/campaign-%d.db", dir, nfile - 1);
	assert_int_equal(store_person_of_town(s, "75056", &town), STORE_OK);
	const store_answer x[] = {{"wifi", "yes"}};
	const store_answer y[] = {{"wifi", "no"}};
	assert_int_equal(store_answers_save(s, "75056", 0, x, 1, town.id, 500, NULL, NULL), STORE_OK);
	assert_int_equal(store_answers_save(s, "75056", 1, y, 1, town.id, 501, NULL, NULL), STORE_OK);
	assert_int_equal(store_audit_append(s, 0, 502, "note", "", NULL, "by hand"), STORE_OK);
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	/* campaign-init, 3 towns, 2 answers, the note */
	assert_int_equal(a.n, 7);
	char want[256];
	snprintf(want, sizeof want, "500 %lld answer 75056/wifi ->yes\n501 %lld answer 75056/wifi yes>no\n",
		 (long long)town.id, (long long)town.id);
	assert_non_null(strstr(a.text, want));
	assert_non_null(strstr(a.text, "1000 0 campaign-init  ->Villes Internet 2027\n"));
	/* another connection cannot rewrite or erase it */
	db = raw_open(path);
	assert_int_equal(
		sqlite3_exec(db, "UPDATE audit SET new = 'forged' WHERE what = 'answer'", NULL, NULL, &msg),
		SQLITE_CONSTRAINT);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, &msg), SQLITE_CONSTRAINT);
	sqlite3_free(msg);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit WHERE new = 'forged'"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM audit"), 7);
	sqlite3_close(db);
	store_person_clear(&town);
	store_close(s);
}

/* The organizer's page of the log: newest first, limited, then older than a line. */
static void test_audit_page(void **state)
{
	(void)state;
	store *s = new_campaign();
	struct audit_lines a = {{0}, 0};
	for (int i = 0; i < 5; i++) {
		char v[16];
		snprintf(v, sizeof v, "n%d", i);
		assert_int_equal(store_audit_append(s, 0, 600 + i, "note", "", NULL, v), STORE_OK);
	}
	assert_int_equal(store_audit_page(s, 0, 2, collect_audit, &a), STORE_OK);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.text, "604 0 note  ->n4\n603 0 note  ->n3\n");
	/* campaign-init and 3 towns come first: ids 1-4, the notes 5-9 */
	memset(&a, 0, sizeof a);
	assert_int_equal(store_audit_page(s, 7, 3, collect_audit, &a), STORE_OK);
	assert_int_equal(a.n, 3);
	assert_string_equal(a.text, "601 0 note  ->n1\n600 0 note  ->n0\n1000 0 town-add 69123 ->Lyon\n");
	memset(&a, 0, sizeof a);
	assert_int_equal(store_audit_page(s, 1, 10, collect_audit, &a), STORE_OK);
	assert_int_equal(a.n, 0);
	store_close(s);
}

struct tx_ctx {
	const store_town *town;
	store_status result;
};

static store_status add_then(store *s, void *ctx)
{
	struct tx_ctx *c = ctx;
	const store_answer a[] = {{"wifi", "yes"}};
	store_status st = store_towns_add(s, c->town, 1, 0, 7);
	if (st == STORE_OK)
		st = store_answers_save(s, c->town->id, 0, a, 1, 0, 7, NULL, NULL);
	if (st == STORE_OK)
		st = store_audit_append(s, 0, 7, "test", c->town->id, NULL, NULL);
	return st == STORE_OK ? c->result : st;
}

static store_status outer_keeps(store *s, void *ctx)
{
	(void)ctx;
	const store_town t1 = {"10001", "Kept", NULL, NULL}, t2 = {"10002", "Dropped", NULL, NULL};
	struct tx_ctx ok = {&t1, STORE_OK}, bad = {&t2, STORE_ERROR};
	store_status st = store_tx(s, add_then, &ok);
	if (st != STORE_OK)
		return st;
	/* an inner failure undoes only itself */
	if (store_tx(s, add_then, &bad) != STORE_ERROR)
		return STORE_ERROR;
	return STORE_OK;
}

static void test_transaction_rollback(void **state)
{
	(void)state;
	store *s = new_campaign();
	const store_town t = {"20001", "Rolled back", NULL, NULL};
	struct tx_ctx fail_ctx = {&t, STORE_CONFLICT};
	struct audit_lines a = {{0}, 0};
	store_dossier d;
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	int lines = a.n;
	assert_int_equal(store_tx(s, add_then, &fail_ctx), STORE_CONFLICT);
	assert_int_equal(store_dossier_get(s, "20001", &d), STORE_NOT_FOUND);
	assert_string_equal(answers_of(s, "20001"), "");
	assert_int_equal(count_dossiers(s), 3);
	a.n = 0;
	a.text[0] = '\0';
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	assert_int_equal(a.n, lines);
	/* nested */
	assert_int_equal(store_tx(s, outer_keeps, NULL), STORE_OK);
	assert_int_equal(store_dossier_get(s, "10001", &d), STORE_OK);
	assert_int_equal(d.revision, 1);
	assert_int_equal(store_dossier_get(s, "10002", &d), STORE_NOT_FOUND);
	assert_int_equal(count_dossiers(s), 4);
	/* after all that, the store still works outside a transaction */
	fail_ctx.result = STORE_OK;
	assert_int_equal(store_tx(s, add_then, &fail_ctx), STORE_OK);
	assert_int_equal(count_dossiers(s), 5);
	store_close(s);
}

static void test_payloads_as_typed(void **state)
{
	(void)state;
	store *s = new_campaign();
	const store_town evil = {"1' OR '1'='1", "Robert'); DROP TABLE town;--",
				 "{\"x\": \"'; DELETE FROM answer; --\"}", "a@b.c\"; --"};
	const char *values[] = {
		"'; DELETE FROM answer; --",         "<script>alert(1)</script>",
		"\" onmouseover=\"alert(1)",         "%s%n%x",
		"Saint-\xc3\x89tienne \xe2\x80\xae", "",
	};
	const store_answer a[] = {{"c1", values[0]},    {"c2", values[1]}, {"c3", values[2]},
				  {"c4'--", values[3]}, {"c5", values[4]}, {"c6", values[5]}};
	store_person p;
	char want[512];
	assert_int_equal(store_towns_add(s, &evil, 1, 0, 1), STORE_OK);
	assert_int_equal(store_answers_save(s, evil.id, 0, a, 6, 0, 2, NULL, NULL), STORE_OK);
	snprintf(want, sizeof want, "c1=%s@1;c2=%s@1;c3=%s@1;c4'--=%s@1;c5=%s@1;c6=%s@1;", values[0],
		 values[1], values[2], values[3], values[4], values[5]);
	assert_string_equal(answers_of(s, evil.id), want);
	assert_int_equal(store_person_of_town(s, evil.id, &p), STORE_OK);
	assert_string_equal(p.name, evil.name);
	assert_string_equal(p.email, evil.email);
	store_person_clear(&p);
	assert_int_equal(count_dossiers(s), 4);
	/* the other towns' answers are where they were: nothing was run */
	const store_answer b[] = {{"wifi", "yes"}};
	assert_int_equal(store_answers_save(s, "75056", 0, b, 1, 0, 3, NULL, NULL), STORE_OK);
	assert_string_equal(answers_of(s, "75056"), "wifi=yes@1;");
	store_close(s);
}

static void test_invitations_sessions(void **state)
{
	(void)state;
	store *s = new_campaign();
	unsigned char raw[AUTH_TOKEN_BYTES], h[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES], csrf[AUTH_TOKEN_BYTES];
	char text[AUTH_TOKEN_TEXT_SIZE];
	int64_t org = 0, person = 0, removed = -1;
	store_session ss;
	store_person p;
	assert_int_equal(auth_init(), AUTH_OK);
	assert_int_equal(store_person_add(s, ROLE_ORGANIZER, NULL, "Orga", "orga@example.org", 0, 1, &org),
			 STORE_OK);
	auth_token_new(raw, text);
	auth_token_hash(raw, h);
	assert_int_equal(store_invitation_add(s, org, h, 5000), STORE_OK);
	/* found (a GET) as often as wanted, used (a POST) once, before it expires */
	assert_int_equal(store_invitation_find(s, h, 4000, &person), STORE_OK);
	assert_int_equal(person, org);
	assert_int_equal(store_invitation_find(s, h, 5000, &person), STORE_NOT_FOUND);
	person = 0;
	assert_int_equal(store_invitation_use(s, h, 4001, &person), STORE_OK);
	assert_int_equal(person, org);
	assert_int_equal(store_invitation_use(s, h, 4002, &person), STORE_NOT_FOUND);
	assert_int_equal(store_invitation_find(s, h, 4002, &person), STORE_NOT_FOUND);
	/* expired unused */
	auth_token_new(raw, NULL);
	auth_token_hash(raw, h2);
	assert_int_equal(store_invitation_add(s, org, h2, 100), STORE_OK);
	assert_int_equal(store_invitation_use(s, h2, 100, &person), STORE_NOT_FOUND);
	/* the token itself is not a key: only its hash */
	assert_int_equal(store_invitation_find(s, raw, 1, &person), STORE_NOT_FOUND);

	/* sessions */
	auth_token_new(raw, NULL);
	auth_token_hash(raw, h);
	auth_token_new(csrf, NULL);
	assert_int_equal(store_session_add(s, h, org, csrf, 4001, 4001 + 3600), STORE_OK);
	assert_int_equal(store_session_find(s, h, 4500, &ss), STORE_OK);
	assert_int_equal(ss.person_id, org);
	assert_int_equal(ss.role, ROLE_ORGANIZER);
	assert_null(ss.town_id);
	assert_memory_equal(ss.csrf, csrf, sizeof csrf);
	store_session_clear(&ss);
	assert_int_equal(store_session_find(s, h, 4001 + 3600, &ss), STORE_NOT_FOUND);
	assert_int_equal(store_session_find(s, h2, 4500, &ss), STORE_NOT_FOUND);
	/* a town's session carries its town */
	assert_int_equal(store_person_of_town(s, "33449", &p), STORE_OK);
	assert_int_equal(store_session_add(s, h2, p.id, csrf, 1, 9000), STORE_OK);
	assert_int_equal(store_session_find(s, h2, 4500, &ss), STORE_OK);
	assert_int_equal(ss.role, ROLE_TOWN);
	assert_string_equal(ss.town_id, "33449");
	store_session_clear(&ss);
	store_person_clear(&p);
	/* logout, expiry */
	assert_int_equal(store_session_delete(s, h2), STORE_OK);
	assert_int_equal(store_session_find(s, h2, 4500, &ss), STORE_NOT_FOUND);
	assert_int_equal(store_session_delete(s, h2), STORE_OK);
	assert_int_equal(store_sessions_expire(s, 8000, &removed), STORE_OK);
	assert_int_equal(removed, 1);
	/* the organizer's password, by e-mail */
	assert_int_equal(store_person_set_password(s, org, "$argon2id$v=19$m=8,t=1,p=1$x$y", org, 9),
			 STORE_OK);
	assert_int_equal(store_organizer_by_email(s, "orga@example.org", &p), STORE_OK);
	assert_int_equal(p.id, org);
	assert_string_equal(p.password_hash, "$argon2id$v=19$m=8,t=1,p=1$x$y");
	store_person_clear(&p);
	assert_int_equal(store_organizer_by_email(s, "mairie@smj.example", &p), STORE_NOT_FOUND);
	assert_int_equal(store_person_set_password(s, 424242, "x", org, 9), STORE_NOT_FOUND);
	assert_int_equal(store_person_get(s, org, &p), STORE_OK);
	assert_string_equal(p.name, "Orga");
	store_person_clear(&p);
	store_person_clear(NULL);
	store_close(s);
}

static void test_phases(void **state)
{
	(void)state;
	store *s = new_campaign();
	permit_phase p = PHASE_COUNT;
	int64_t at = 0;
	assert_int_equal(store_phase_at(s, 0, &p), STORE_OK);
	assert_int_equal(p, PHASE_SETUP);
	assert_int_equal(store_phase_set(s, PHASE_SUBMISSION, 100, 0, 1), STORE_OK);
	assert_int_equal(store_phase_set(s, PHASE_MARKING, 200, 0, 1), STORE_OK);
	assert_int_equal(store_phase_set(s, PHASE_PUBLISHED, 400, 0, 1), STORE_OK);
	assert_int_equal(store_phase_set(s, PHASE_SETUP, 0, 0, 1), STORE_REFUSED);
	assert_int_equal(store_phase_at(s, 99, &p), STORE_OK);
	assert_int_equal(p, PHASE_SETUP);
	assert_int_equal(store_phase_at(s, 100, &p), STORE_OK);
	assert_int_equal(p, PHASE_SUBMISSION);
	assert_int_equal(store_phase_at(s, 399, &p), STORE_OK);
	assert_int_equal(p, PHASE_MARKING);
	assert_int_equal(store_phase_at(s, 400, &p), STORE_OK);
	assert_int_equal(p, PHASE_PUBLISHED);
	/* the deadline moved: audited with old and new */
	assert_int_equal(store_phase_set(s, PHASE_MARKING, 250, 0, 2), STORE_OK);
	assert_int_equal(store_phase_get(s, PHASE_MARKING, &at), STORE_OK);
	assert_int_equal(at, 250);
	assert_int_equal(store_phase_get(s, PHASE_DELIBERATION, &at), STORE_OK);
	assert_int_equal(at, -1);
	struct audit_lines a = {{0}, 0};
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	assert_non_null(strstr(a.text, "2 0 phase-set marking 200>250\n"));
	store_close(s);
}

static void test_evidence(void **state)
{
	(void)state;
	store *s = new_campaign();
	const char pdf[] = "%PDF-1.4\n\0binary\xff";
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	int64_t id = 0, id2 = 0;
	store_evidence e;
	assert_int_equal(store_evidence_add(s, "33449", "open-data", sha, "délibération.pdf",
					    "application/pdf", pdf, sizeof pdf, 0, 5, &id),
			 STORE_OK);
	assert_int_equal(store_evidence_get(s, "33449", id, &e), STORE_OK);
	assert_int_equal(e.size, sizeof pdf);
	assert_memory_equal(e.data, pdf, sizeof pdf);
	assert_string_equal(e.name, "délibération.pdf");
	assert_string_equal(e.sha256, sha);
	store_evidence_clear(&e);
	store_evidence_clear(NULL);
	/* another town's file is not found, as a missing one */
	assert_int_equal(store_evidence_get(s, "75056", id, &e), STORE_NOT_FOUND);
	assert_int_equal(store_evidence_get(s, "33449", id + 100, &e), STORE_NOT_FOUND);
	/* an empty file */
	assert_int_equal(
		store_evidence_add(s, "33449", "x", sha, "empty.txt", "text/plain", NULL, 0, 0, 5, &id2),
		STORE_OK);
	assert_int_equal(store_evidence_get(s, "33449", id2, &e), STORE_OK);
	assert_int_equal(e.size, 0);
	store_evidence_clear(&e);
	assert_int_equal(store_evidence_add(s, "33449", "x", "abc", "a", "b", "", 0, 0, 5, NULL),
			 STORE_REFUSED);
	store_close(s);
}

static int count_files(void *ctx, const store_evidence_info *e)
{
	char *acc = ctx;
	size_t n = strlen(acc);
	snprintf(acc + n, 512 - n, "%lld %s %s %s %zu;", (long long)e->id, e->criterion, e->name, e->type,
		 e->size);
	return 0;
}

/* The same bytes twice are one file; lists; the town of a file; removal, audited. */
static void test_evidence_dedup_remove(void **state)
{
	(void)state;
	store *s = new_campaign();
	const char *sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	const char *sha2 = "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	int64_t id = 0, again = 0, other = 0, third = 0;
	char acc[512] = "", *town = NULL, expect[512];
	assert_int_equal(
		store_evidence_add(s, "33449", "c", sha, "a.pdf", "application/pdf", "%PDF", 4, 0, 5, &id),
		STORE_OK);
	assert_int_equal(
		store_evidence_add(s, "33449", "c", sha, "b.pdf", "application/pdf", "%PDF", 4, 0, 6, &again),
		STORE_OK);
	assert_int_equal(again, id);
	/* another criterion, or another town, keeps its own copy */
	assert_int_equal(
		store_evidence_add(s, "33449", "d", sha, "a.pdf", "application/pdf", "%PDF", 4, 0, 6, &other),
		STORE_OK);
	assert_int_not_equal(other, id);
	assert_int_equal(
		store_evidence_add(s, "75056", "c", sha2, "x.txt", "text/plain", "xy", 2, 0, 6, &third),
		STORE_OK);
	assert_int_equal(store_evidence_list(s, "33449", count_files, acc), STORE_OK);
	snprintf(expect, sizeof expect, "%lld c a.pdf application/pdf 4;%lld d a.pdf application/pdf 4;",
		 (long long)id, (long long)other);
	assert_string_equal(acc, expect);
	assert_int_equal(store_evidence_town(s, third, &town), STORE_OK);
	assert_string_equal(town, "75056");
	free(town);
	assert_int_equal(store_evidence_town(s, third + 100, &town), STORE_NOT_FOUND);
	assert_null(town);
	/* removing: only the town's own file */
	assert_int_equal(store_evidence_remove(s, "33449", third, 0, 7), STORE_NOT_FOUND);
	assert_int_equal(store_evidence_remove(s, "33449", id, 0, 7), STORE_OK);
	assert_int_equal(store_evidence_remove(s, "33449", id, 0, 7), STORE_NOT_FOUND);
	acc[0] = 0;
	assert_int_equal(store_evidence_list(s, "33449", count_files, acc), STORE_OK);
	snprintf(expect, sizeof expect, "%lld d a.pdf application/pdf 4;", (long long)other);
	assert_string_equal(acc, expect);
	struct audit_lines a = {{0}, 0};
	assert_int_equal(store_audit_list(s, collect_audit, &a), STORE_OK);
	assert_non_null(strstr(a.text, "7 0 evidence-remove 33449/c "
				       "0123456789abcdef0123456789abcdef"
				       "0123456789abcdef0123456789abcdef a.pdf>-\n"));
	store_close(s);
}

static void test_rate_limit(void **state)
{
	(void)state;
	store *s = new_campaign();
	int allowed = -1, i;
	for (i = 0; i < 3; i++) {
		assert_int_equal(store_rate_hit(s, "login:203.0.113.5", 1000 + i, 60, 3, &allowed), STORE_OK);
		assert_true(allowed);
	}
	assert_int_equal(store_rate_hit(s, "login:203.0.113.5", 1010, 60, 3, &allowed), STORE_OK);
	assert_false(allowed);
	/* another key has its own counter */
	assert_int_equal(store_rate_hit(s, "login:198.51.100.7", 1010, 60, 3, &allowed), STORE_OK);
	assert_true(allowed);
	/* the next window starts afresh */
	assert_int_equal(store_rate_hit(s, "login:203.0.113.5", 1060, 60, 3, &allowed), STORE_OK);
	assert_true(allowed);
	assert_int_equal(store_rate_prune(s, 2000, 60), STORE_OK);
	store_close(s);
}

/* Two connections to one file, as two server threads: each sees what the
 * other committed, and the revision check holds across them. Then an online
 * backup taken while both are open is a campaign file of its own. */
static void test_two_connections_backup(void **state)
{
	(void)state;
	store *a = new_campaign(), *b = NULL;
	char path[128], copy[160], err[256];
	int64_t rev = -1;
	store_conflicts c = {0};
	snprintf(path, sizeof path, "%s/campaign-%d.db", dir, nfile - 1);
	assert_int_equal(store_open(path, 0, &b, err, sizeof err), STORE_OK);
	const store_answer x[] = {{"wifi", "yes"}}, y[] = {{"wifi", "no"}};
	assert_int_equal(store_answers_save(a, "33449", 0, x, 1, 0, 10, &rev, NULL), STORE_OK);
	assert_string_equal(answers_of(b, "33449"), "wifi=yes@1;");
	assert_int_equal(store_answers_save(b, "33449", 0, y, 1, 0, 11, &rev, &c), STORE_CONFLICT);
	assert_int_equal(c.n, 1);
	store_conflicts_clear(&c);
	snprintf(copy, sizeof copy, "%s/backup.db", dir);
	assert_int_equal(store_backup(b, copy), STORE_OK);
	store_close(a);
	store_close(b);
	assert_int_equal(store_open(copy, 0, &b, err, sizeof err), STORE_OK);
	assert_string_equal(answers_of(b, "33449"), "wifi=yes@1;");
	assert_int_equal(count_dossiers(b), 3);
	store_close(b);
	/* a place that cannot be written: refused, nothing left behind */
	assert_int_equal(store_open(copy, 0, &b, err, sizeof err), STORE_OK);
	snprintf(copy, sizeof copy, "%s/no-such-dir/backup.db", dir);
	assert_int_equal(store_backup(b, copy), STORE_ERROR);
	store_close(b);
}

static int collect_person(void *ctx, int64_t id, permit_role role, const char *town_id, const char *name,
			  const char *email)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 1024 - n, "%lld,%s,%s,%s,%s\n", (long long)id, permit_role_name(role),
		 town_id ? town_id : "-", name, email);
	return 0;
}

static void test_towns_people(void **state)
{
	(void)state;
	store *s = new_campaign();
	char *name = NULL, *attrs = NULL, *email = NULL, people[1024] = "";
	int64_t juror = 0;
	assert_int_equal(store_town_get(s, "33449", &name, &attrs, &email), STORE_OK);
	assert_string_equal(name, "Saint-Médard-en-Jalles");
	assert_string_equal(attrs, "{\"population\": 31000}");
	assert_string_equal(email, "mairie@smj.example");
	free(name);
	free(attrs);
	free(email);
	name = attrs = NULL;
	assert_int_equal(store_town_get(s, "75056", NULL, &attrs, NULL), STORE_OK);
	assert_string_equal(attrs, "{}");
	free(attrs);
	assert_int_equal(store_town_get(s, "00000", &name, NULL, NULL), STORE_NOT_FOUND);
	assert_null(name);
	assert_int_equal(store_person_add(s, ROLE_JUROR, NULL, "Jeanne", "j@example.org", 0, 1, &juror),
			 STORE_OK);
	assert_int_equal(store_people_list(s, collect_person, people), STORE_OK);
	char want[512];
	snprintf(want, sizeof want,
		 "1,town,33449,Saint-Médard-en-Jalles,mairie@smj.example\n2,town,75056,Paris,\n"
		 "3,town,69123,Lyon,contact@lyon.example\n%lld,juror,-,Jeanne,j@example.org\n",
		 (long long)juror);
	assert_string_equal(people, want);
	store_close(s);
}

/* A writer killed with SIGKILL in the middle of a burst of saves: every
 * save it acknowledged (after its commit returned) is there on reopen, and
 * the file passes the integrity check. The child acknowledges each save on
 * a pipe; the parent kills it after reading some, not after a delay. */
static void test_killed_writer(void **state)
{
	(void)state;
	store *s = new_campaign(), *w = NULL;
	char path[128], err[256];
	int fd[2], acked = 0, i;
	pid_t pid;
	snprintf(path, sizeof path, "%s/campaign-%d.db", dir, nfile - 1);
	store_close(s);
	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		if (store_open(path, 0, &w, err, sizeof err) != STORE_OK)
			_exit(2);
		for (i = 1; i < 100000; i++) {
			char c[32], v[32];
			int64_t rev = 0;
			snprintf(c, sizeof c, "c%d", i % 50);
			snprintf(v, sizeof v, "%d", i);
			const store_answer a[] = {{c, v}};
			store_dossier d;
			if (store_dossier_get(w, "33449", &d) != STORE_OK ||
			    store_answers_save(w, "33449", d.revision, a, 1, 0, i, &rev, NULL) != STORE_OK)
				_exit(3);
			if (write(fd[1], &i, sizeof i) != sizeof i)
				_exit(4);
		}
		_exit(0);
	}
	close(fd[1]);
	for (;;) {
		int got;
		if (read(fd[0], &got, sizeof got) != sizeof got)
			break;
		acked = got;
		if (acked == 300)
			kill(pid, SIGKILL);
	}
	close(fd[0]);
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	assert_true(acked >= 300);
	assert_int_equal(store_open(path, 0, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_integrity_check(s), STORE_OK);
	store_dossier d;
	assert_int_equal(store_dossier_get(s, "33449", &d), STORE_OK);
	/* each save changes one answer: the revision counts them */
	assert_true(d.revision >= acked);
	/* the last acknowledged value of its criterion is there, or a later one */
	char c[32];
	snprintf(c, sizeof c, "c%d=", acked % 50);
	const char *list = answers_of(s, "33449");
	const char *at = strstr(list, c);
	assert_non_null(at);
	assert_true(strtol(at + strlen(c), NULL, 10) >= acked);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_from_empty),
		cmocka_unit_test(test_migrate_from_v1),
		cmocka_unit_test(test_jury_basics),
		cmocka_unit_test(test_open_refuses),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_two_tabs),
		cmocka_unit_test(test_submit_reopen),
		cmocka_unit_test(test_audit_append_only),
		cmocka_unit_test(test_audit_page),
		cmocka_unit_test(test_transaction_rollback),
		cmocka_unit_test(test_payloads_as_typed),
		cmocka_unit_test(test_invitations_sessions),
		cmocka_unit_test(test_phases),
		cmocka_unit_test(test_evidence),
		cmocka_unit_test(test_evidence_dedup_remove),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_two_connections_backup),
		cmocka_unit_test(test_towns_people),
		cmocka_unit_test(test_killed_writer),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
