/*
 * The organizer's jury rows (store_assign.c) and the jurors file's one path
 * into the store (jurors_file.c), on a real SQLite file: the assignment
 * replaced whole or not at all, a move that refuses what it must and leaves
 * the marks, the listings the jurors page reads; a jurors file refused whole
 * with the engine's lines, its cells stored as read, and the store's jurors
 * given back to the engine with their recusals as conflicts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "jurors_file.h"
#include "store.h"
#include "store_jury.h"

static char path[80];

static const store_town TOWNS[] = {
	{"33449", "Saint-Médard-en-Jalles", "{}", ""},
	{"75056", "Paris", NULL, NULL},
	{"69123", "Lyon", "{}", ""},
};

static const char JURORS[] = "juror,name,email,town_id,region,conflicts\n"
			     "j-martin,Claire Martin,claire@example.org,33449,Nouvelle-Aquitaine,69123\n"
			     "\n"
			     "j-nguyen,Thomas Nguyen,thomas@example.org,,,\n";

static store *campaign(void)
{
	store *s = NULL;
	snprintf(path, sizeof path, "/tmp/palmares-assign-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	assert_int_equal(store_open(path, STORE_CREATE, &s, NULL, 0), STORE_OK);
	assert_int_equal(
		store_campaign_init(s, "label", "{\"id\": \"x\", \"criteria\": []}", TOWNS, 3, 0, 1000),
		STORE_OK);
	jurors_list l;
	memset(&l, 0, sizeof l);
	assert_int_equal(jurors_file_read("jurors.csv", JURORS, sizeof JURORS - 1, &l), 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.line[1], 4); /* the file's line, after the blank one */
	assert_int_equal(jurors_list_store(s, &l, 0, 1000), STORE_OK);
	jurors_list_free(&l);
	return s;
}

static void done(store *s)
{
	store_close(s);
	char p[100];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static int64_t count(store *s, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t n = -1;
	assert_int_equal(sqlite3_open(store_path(s), &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

static void exec(store *s, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(store_path(s), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

struct seen {
	char text[512];
};

static int pair_seen(void *ctx, const char *juror, const char *town)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%s:%s ", juror, town);
	return 0;
}

static int load_seen(void *ctx, const char *juror, int64_t assigned, int64_t marks)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);
	snprintf(s->text + n, sizeof s->text - n, "%s=%lld/%lld ", juror, (long long)assigned,
		 (long long)marks);
	return 0;
}

static int marks_seen(void *ctx, const char *juror, const char *town, const char *criteria)
{
	struct seen *s = ctx;
	size_t n = strlen(s->text);
	/* the criteria's order within a pair is SQLite's: only their number is checked */
	size_t k = 1;
	for (const char *c = criteria; *c; c++)
		k += *c == '\x1f';
	snprintf(s->text + n, sizeof s->text - n, "%s:%s#%zu ", juror, town, k);
	return 0;
}

static void test_replace_and_move(void **state)
{
	(void)state;
	store *s = campaign();
	struct seen seen = {""};
	const store_pair plan[] = {{"j-martin", "75056"}, {"j-nguyen", "75056"}, {"j-nguyen", "33449"}};
	const store_pair twice[] = {{"j-martin", "75056"}, {"j-martin", "75056"}};
	const store_pair unknown[] = {{"j-martin", "75056"}, {"j-nobody", "33449"}};
	assert_int_equal(store_assignments_replace(s, plan, 3, "seed=1", 0, 2000), STORE_OK);
	assert_int_equal(store_assignments_list(s, pair_seen, &seen), STORE_OK);
	assert_string_equal(seen.text, "j-martin:75056 j-nguyen:33449 j-nguyen:75056 ");
	/* all or nothing: a pair twice, an unknown juror */
	assert_int_equal(store_assignments_replace(s, twice, 2, "", 0, 2001), STORE_REFUSED);
	assert_int_equal(store_assignments_replace(s, unknown, 2, "", 0, 2001), STORE_REFUSED);
	assert_int_equal(count(s, "SELECT count(*) FROM assignment"), 3);
	assert_int_equal(count(s, "SELECT count(*) FROM audit WHERE what = 'assignment' AND old = '0'"
				  " AND new = '3 seed=1'"),
			 1);
	exec(s, "INSERT INTO mark VALUES ('j-martin', '75056', 'a', '4', '', 1, 0),"
		" ('j-martin', '75056', 'b', '2', '', 1, 0), ('j-martin', '75056', 'c', '', 'draft', 1, 0),"
		" ('j-martin', '69123', 'a', '4', '', 1, 0);"
		"INSERT INTO recusal VALUES ('j-nguyen', '33449', 'a neighbour', 5)");
	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_assignment_counts(s, load_seen, &seen), STORE_OK);
	/* a draft (no value) and a mark on a pair not assigned do not count */
	assert_string_equal(seen.text, "j-martin=1/2 j-nguyen=2/0 ");
	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_assigned_marks_list(s, marks_seen, &seen), STORE_OK);
	assert_string_equal(seen.text, "j-martin:75056#2 ");
	/* moves: not assigned, the same juror, already assigned, unknown; nothing changed */
	assert_int_equal(store_assignment_move(s, "33449", "j-martin", "j-nguyen", 0, 3000), STORE_NOT_FOUND);
	assert_int_equal(store_assignment_move(s, "75056", "j-martin", "j-martin", 0, 3000), STORE_REFUSED);
	assert_int_equal(store_assignment_move(s, "75056", "j-martin", "j-nguyen", 0, 3000), STORE_REFUSED);
	assert_int_equal(store_assignment_move(s, "75056", "j-martin", "j-nobody", 0, 3000), STORE_REFUSED);
	assert_int_equal(count(s, "SELECT count(*) FROM assignment WHERE juror_id = 'j-martin'"), 1);
	assert_int_equal(count(s, "SELECT count(*) FROM audit WHERE what = 'assignment-move'"), 0);
	/* a move: the pair changes hands, the old juror's marks stay in the store and stop counting */
	assert_int_equal(store_assignment_move(s, "33449", "j-nguyen", "j-martin", 0, 3000), STORE_OK);
	assert_int_equal(store_assignment_move(s, "75056", "j-martin", "j-nguyen", 0, 3000), STORE_REFUSED);
	exec(s, "DELETE FROM assignment WHERE juror_id = 'j-nguyen' AND town_id = '75056'");
	assert_int_equal(store_assignment_move(s, "75056", "j-martin", "j-nguyen", 0, 3001), STORE_OK);
	assert_int_equal(
		count(s, "SELECT count(*) FROM mark WHERE juror_id = 'j-martin' AND town_id = '75056'"), 3);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(store_assignment_counts(s, load_seen, &seen), STORE_OK);
	assert_string_equal(seen.text, "j-martin=1/0 j-nguyen=1/0 ");
	assert_int_equal(
		count(s, "SELECT count(*) FROM audit WHERE what = 'assignment-move' AND subject = '75056'"
			 " AND old = 'j-martin' AND new = 'j-nguyen'"),
		1);
	done(s);
}

static void test_jurors_file(void **state)
{
	(void)state;
	jurors_list l;
	/* the engine's errors, each with its line; nothing to store */
	static const char bad[] = "juror,name\nj-a,A\n,nobody\nj-a,again\n";
	memset(&l, 0, sizeof l);
	assert_int_equal(jurors_file_read("x.csv", bad, sizeof bad - 1, &l), -1);
	assert_true(l.nproblems >= 2);
	int line3 = 0, line4 = 0;
	for (size_t i = 0; i < l.nproblems; i++) {
		line3 |= l.problems[i].line == 3;
		line4 |= l.problems[i].line == 4 && strstr(l.problems[i].text, "j-a") != NULL;
	}
	assert_true(line3 && line4);
	jurors_list_free(&l);
	/* a header problem, and an empty file */
	static const char col[] = "juror,colour\nj-a,red\n";
	assert_int_equal(jurors_file_read("x.csv", col, sizeof col - 1, &l), -1);
	assert_non_null(strstr(l.problems[0].text, "colour"));
	jurors_list_free(&l);
	assert_int_equal(jurors_file_read("x.csv", "", 0, &l), -1);
	assert_true(l.nproblems > 0);
	jurors_list_free(&l);
	/* ';' and a BOM, as the engine reads office files: the cells stored as read */
	static const char semi[] = "\xEF\xBB\xBFjuror;name;conflicts\nj-b;Bé;1|2\n";
	assert_int_equal(jurors_file_read("x.csv", semi, sizeof semi - 1, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].juror_id, "j-b");
	assert_string_equal(l.v[0].name, "Bé");
	assert_string_equal(l.v[0].conflicts, "1|2");
	assert_string_equal(l.v[0].region, "");
	jurors_list_free(&l);
}

static void test_jurors_from_store(void **state)
{
	(void)state;
	store *s = campaign();
	pal_diags *d = pal_diags_new();
	exec(s, "INSERT INTO recusal VALUES ('j-nguyen', '75056', 'a neighbour', 5),"
		" ('j-nguyen', '33449', 'another', 6)");
	pal_jurors *j = jurors_from_store(s, d);
	assert_non_null(j);
	assert_int_equal(pal_jurors_count(j), 2);
	assert_true(pal_jurors_find(j, "j-martin") >= 0 && pal_jurors_find(j, "j-nguyen") >= 0);
	assert_int_equal(pal_diags_errors(d), 0);
	pal_jurors_free(j);
	pal_diags_free(d);
	done(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_and_move),
		cmocka_unit_test(test_jurors_file),
		cmocka_unit_test(test_jurors_from_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
