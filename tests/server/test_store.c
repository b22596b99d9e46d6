/*
 * The campaign store as a file, on real SQLite files in a scratch directory:
 * the schema from empty, from the first schema and on reopen, files it
 * refuses to open, foreign keys and checks that refuse, transactions that
 * leave nothing when they fail, SQL payloads stored as typed, two
 * connections and a backup, a writer killed mid-burst. The dossiers' rows
 * are in test_store_dossier.c, the people's in test_store_people.c. Times
 * are given, never read.
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
#include "store_schema.h"
#include "store_scratch.h"

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
		cmocka_unit_test(test_open_refuses),
		cmocka_unit_test(test_reopen),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_transaction_rollback),
		cmocka_unit_test(test_payloads_as_typed),
		cmocka_unit_test(test_two_connections_backup),
		cmocka_unit_test(test_killed_writer),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
