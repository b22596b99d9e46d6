/*
 * The store when memory runs out: every allocation, the store's own and
 * SQLite's, fails in turn (n = 0, 1, ... until a whole run succeeds), like
 * jansson's test_chaos.c. Each run opens a new campaign file, creates the
 * campaign, saves answers, lists them, opens a session, and adds, lists,
 * finds and removes an evidence file. A failure must
 * come back as a status (no crash), leak nothing (the store's allocations
 * go through cmocka's allocator; SQLite's are checked by ASan and
 * valgrind), and leave each transaction whole or absent: reopened with
 * memory to spare, the file is sound and holds the campaign with all its
 * towns or none of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../unit/failing_alloc.h"
#include "../../server/store_db.c"
#include "../../server/store.c"
#include "../../server/store_people.c"
#include "../../server/store_dossier.c"

static sqlite3_mem_methods sqlite_mem; /* SQLite's own allocator, wrapped below */

static void *sq_malloc(int n)
{
	return failing_alloc_should_fail() ? NULL : sqlite_mem.xMalloc(n);
}

static void *sq_realloc(void *p, int n)
{
	return failing_alloc_should_fail() ? NULL : sqlite_mem.xRealloc(p, n);
}

static char dir[64];

static int setup(void **state)
{
	(void)state;
	sqlite3_mem_methods wrapped;
	/* Hundreds of small files, each synced: in memory where the system has it. */
	snprintf(dir, sizeof dir, "%s/palmares-store-alloc-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	/* The allocator can only be changed before SQLite starts. */
	if (sqlite3_shutdown() != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) != SQLITE_OK)
		return -1;
	wrapped = sqlite_mem;
	wrapped.xMalloc = sq_malloc;
	wrapped.xRealloc = sq_realloc;
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &wrapped) == SQLITE_OK &&
			       sqlite3_initialize() == SQLITE_OK
		       ? 0
		       : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const store_town TOWNS[] = {
	{"33449",
	 "Saint-M\xc3\xa9"
	 "dard-en-Jalles",
	 "{\"population\": 31000}", "mairie@smj.example"},
	{"75056", "Paris", NULL, NULL},
};

static int count_fn(void *ctx, const char *criterion, const char *value, int64_t revision, int64_t at,
		    int64_t by)
{
	(void)criterion, (void)value, (void)revision, (void)at, (void)by;
	(*(int *)ctx)++;
	return 0;
}

static int evidence_fn(void *ctx, const store_evidence_info *e)
{
	(void)e;
	(*(int *)ctx)++;
	return 0;
}

/* One run of the store's work; returns the first status that is not STORE_OK. */
static store_status work(const char *path)
{
	store *s = NULL;
	store_status st = store_open(path, STORE_CREATE, &s, NULL, 0);
	unsigned char h[AUTH_HASH_BYTES] = {9}, csrf[AUTH_TOKEN_BYTES] = {8};
	const store_answer a[] = {{"open-data", "12"}, {"wifi", "yes"}};
	const store_answer b[] = {{"open-data", "15"}};
	store_conflicts c = {0};
	store_session ss = {0};
	store_person p = {0};
	char *label = NULL;
	int n = 0;
	if (st != STORE_OK)
		return st;
	st = store_campaign_init(s, "VI 2027", "{}", TOWNS, 2, 0, 1);
	if (st == STORE_OK)
		st = store_answers_save(s, "33449", 0, a, 2, 0, 2, NULL, &c);
	if (st == STORE_OK && store_answers_save(s, "33449", 0, b, 1, 0, 3, NULL, &c) != STORE_CONFLICT)
		st = STORE_ERROR; /* a conflict, or the failure that prevented seeing it */
	if (st == STORE_OK)
		st = store_answers_list(s, "33449", count_fn, &n);
	if (st == STORE_OK)
		st = store_person_of_town(s, "33449", &p);
	if (st == STORE_OK)
		st = store_session_add(s, h, p.id, csrf, 1, 100);
	if (st == STORE_OK)
		st = store_session_find(s, h, 2, &ss);
	if (st == STORE_OK)
		st = store_campaign_get(s, &label, NULL);
	/* an evidence file, again (the same bytes: one file), listed, found, removed */
	static const char sha[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	int64_t id = 0, again = -1;
	char *town = NULL;
	if (st == STORE_OK)
		st = store_evidence_add(s, "33449", "open-data", sha, "a.pdf", "application/pdf", "%PDF-", 5,
					0, 4, &id);
	if (st == STORE_OK)
		st = store_evidence_add(s, "33449", "open-data", sha, "b.pdf", "application/pdf", "%PDF-", 5,
					0, 5, &again);
	if (st == STORE_OK && again != id)
		st = STORE_ERROR;
	if (st == STORE_OK)
		st = store_evidence_list(s, "33449", evidence_fn, &n);
	if (st == STORE_OK)
		st = store_evidence_town(s, id, &town);
	free(town);
	if (st == STORE_OK)
		st = store_evidence_remove(s, "33449", id, 0, 6);
	free(label);
	store_session_clear(&ss);
	store_person_clear(&p);
	store_conflicts_clear(&c);
	store_close(s);
	return st;
}

/* With memory to spare: the file is sound, and the campaign is whole or
 * absent (whole when the work succeeded). */
static void check_whole(const char *path, int done)
{
	store *s = NULL;
	char err[256];
	store_dossier d;
	store_status st = store_open(path, 0, &s, err, sizeof err);
	if (!done && (st == STORE_ERROR || st == STORE_NOT_FOUND)) {
		/* failed before the file had any content: SQLite may leave an empty file */
		return;
	}
	assert_int_equal(st, STORE_OK);
	assert_int_equal(store_integrity_check(s), STORE_OK);
	st = store_campaign_get(s, NULL, NULL);
	if (done)
		assert_int_equal(st, STORE_OK);
	if (st == STORE_OK) {
		assert_int_equal(store_dossier_get(s, "33449", &d), STORE_OK);
		assert_int_equal(store_dossier_get(s, "75056", &d), STORE_OK);
	} else {
		assert_int_equal(st, STORE_NOT_FOUND);
		assert_int_equal(store_dossier_get(s, "33449", &d), STORE_NOT_FOUND);
	}
	store_close(s);
}

/* The file and what WAL mode leaves beside it. */
static void remove_campaign(const char *path)
{
	char p[160];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static void test_every_allocation_fails(void **state)
{
	(void)state;
	long n, survived = 0;
	for (n = 0;; n++) {
		char path[128];
		store_status st;
		int fired;
		snprintf(path, sizeof path, "%s/c%ld.db", dir, n);
		failing_alloc_arm(n);
		st = work(path);
		fired = failing_alloc_fired;
		failing_alloc_disarm();
		if (!fired) {
			assert_int_equal(st, STORE_OK);
			break;
		}
		/* SQLite survives some failed allocations by itself (benign ones:
		 * a cache that does not grow); then the work is done. Either way
		 * the file holds whole transactions. */
		if (st == STORE_OK)
			survived++;
		check_whole(path, st == STORE_OK);
		remove_campaign(path);
	}
	print_message("%ld allocations failed in turn, %ld survived by SQLite\n", n, survived);
	assert_true(n > 100);
	/* most failures are reported: this test does make the store fail */
	assert_true(survived < n / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allocation_fails),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
