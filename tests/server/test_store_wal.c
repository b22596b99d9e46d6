/*
 * Checkpoints out of the writers' way (store_wal_notify(), store_checkpoint()
 * in server/store.c): a connection told to notify never checkpoints in its
 * commits, whatever the log's size, and calls its function past the given
 * size; store_checkpoint() from another connection copies the whole log, the
 * next commit starts it over, also under writes that never pause, and
 * nothing committed is lost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <unistd.h>

#include "store_db.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-storewal-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static store *open_db(const char *name, unsigned flags)
{
	char path[128], err[256];
	store *s = NULL;
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	assert_int_equal(store_open(path, flags, &s, err, sizeof err), STORE_OK);
	return s;
}

/* The pages in the log file: its size over a frame's (page and header). */
static long wal_pages(const char *name)
{
	char path[128];
	struct stat sb;
	snprintf(path, sizeof path, "%s/%s.db-wal", dir, name);
	if (stat(path, &sb) != 0)
		return 0;
	return (long)(sb.st_size / (4096 + 24));
}

static store_status write_fn(store *s, void *ctx)
{
	(void)ctx;
	return store_audit_append(s, 0, 1000, "test", "x", NULL, NULL);
}

static int audit_rows(void *ctx, int64_t id, int64_t at, int64_t who, const char *what, const char *subject,
		      const char *o, const char *n)
{
	(void)id, (void)at, (void)who, (void)what, (void)subject, (void)o, (void)n;
	(*(int *)ctx)++;
	return 0;
}

static int calls;
static void count_call(void *ctx)
{
	assert_ptr_equal(ctx, &calls);
	calls++;
}

/* Without a notify, SQLite's own checkpoint keeps the log near 1,000 pages. */
static void test_default_checkpoints_in_commits(void **state)
{
	(void)state;
	store *s = open_db("plain", STORE_CREATE);
	for (int i = 0; i < 1500; i++)
		assert_int_equal(store_tx(s, write_fn, NULL), STORE_OK);
	assert_true(wal_pages("plain") <= 1100);
	store_close(s);
}

static void test_notify_instead_of_checkpoint(void **state)
{
	(void)state;
	store *w = open_db("wal", STORE_CREATE), *c = open_db("wal", 0);
	int log = -1, done = -1, rows = 0;
	calls = 0;
	store_wal_notify(w, 100, count_call, &calls);
	for (int i = 0; i < 1500; i++)
		assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);
	/* No checkpoint in the commits: the log holds them all... */
	assert_true(wal_pages("wal") >= 1500);
	/* ...and the function was called past 100 pages, at each commit. */
	assert_true(calls >= 1300 && calls <= 1500);

	/* Another connection copies the whole log. */
	assert_int_equal(store_checkpoint(c, 1000, &log, &done), STORE_OK);
	assert_true(log >= 1500);
	assert_int_equal(done, log);
	/* The next commit starts the log over: a few pages, not 1,500 more. */
	calls = 0;
	assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);
	assert_int_equal(calls, 0);
	assert_int_equal(store_checkpoint(c, 1000, &log, &done), STORE_OK);
	assert_true(log > 0 && log < 10);
	assert_int_equal(done, log);
	store_close(w);
	store_close(c);

	/* Every commit is in the file, which is sound. */
	c = open_db("wal", 0);
	assert_int_equal(store_integrity_check(c), STORE_OK);
	assert_int_equal(store_audit_list(c, audit_rows, &rows), STORE_OK);
	assert_true(rows >= 1501);
	store_close(c);
}

/* store_checkpoint() inside a store_tx() of the same thread (past its limit,
 * where it takes the writers' queue) does not wait for itself. */
static store_status checkpoint_inside(store *s, void *ctx)
{
	store *c = ctx;
	int log = 0, done = 0;
	store_status st = store_audit_append(s, 0, 1000, "test", "y", NULL, NULL);
	return st == STORE_OK ? store_checkpoint(c, 0, &log, &done) : st;
}

static void test_checkpoint_inside_tx(void **state)
{
	(void)state;
	store *w = open_db("inside", STORE_CREATE), *c = open_db("inside", 0);
	store_wal_notify(w, 1000, count_call, &calls);
	for (int i = 0; i < 20; i++)
		assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);
	assert_int_equal(store_tx(w, checkpoint_inside, c), STORE_OK);
	store_close(w);
	store_close(c);
}

/* The server's checkpointer (store_checkpointer.c) behind a writer that never
 * pauses: PASSIVE checkpoints alone would never let the log start over (the
 * writer appends during each copy); past 4,000 pages the checkpointer
 * finishes in the writers' queue, and the log starts over. (Without that
 * step, about one run in three here never started the log over.) */
static void test_bounded_under_steady_writes(void **state)
{
	(void)state;
	char path[128], err[256];
	store *w = open_db("steady", STORE_CREATE), *c;
	store_checkpointer *k = NULL;
	int rows = 0;
	snprintf(path, sizeof path, "%s/steady.db", dir);
	assert_int_equal(store_checkpointer_start(path, &k, err, sizeof err), STORE_OK);
	store_checkpointer_watch(k, w);
	for (int i = 0; i < 4000; i++) {
		/* At about a save's pace, so that the checkpointer keeps up. */
		struct timespec ts = {0, 100000};
		assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);
		nanosleep(&ts, NULL);
	}
	/* About 8,000 pages written: a smaller file is a log that started over. */
	assert_true(wal_pages("steady") < 7000);
	store_checkpointer_stop(k);
	store_close(w);
	c = open_db("steady", 0);
	assert_int_equal(store_integrity_check(c), STORE_OK);
	assert_int_equal(store_audit_list(c, audit_rows, &rows), STORE_OK);
	assert_int_equal(rows, 4000);
	store_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_checkpoints_in_commits),
		cmocka_unit_test(test_notify_instead_of_checkpoint),
		cmocka_unit_test(test_checkpoint_inside_tx),
		cmocka_unit_test(test_bounded_under_steady_writes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
