/*
 * Checkpoints out of the writers' way (store_wal_notify(), store_checkpoint()
 * in server/store.c): a connection told to notify never checkpoints in its
 * commits, whatever the log's size, and calls its function past the given
 * size; store_checkpoint() from another connection copies the whole log, the
 * next commit starts it over; past its limit it finishes in the writers'
 * queue; and nothing committed is lost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* The server's checkpointer (store_checkpointer.c) behind a writer: woken
 * past 1,000 pages, it copies the log while the commits go on; every commit
 * is in the file afterwards, which is sound. */
static void test_checkpointer_with_writes(void **state)
{
	(void)state;
	char path[128], err[256];
	store *w = open_db("steady", STORE_CREATE), *c;
	store_checkpointer *k = NULL;
	int rows = 0;
	snprintf(path, sizeof path, "%s/steady.db", dir);
	assert_int_equal(store_checkpointer_start(path, &k, err, sizeof err), STORE_OK);
	store_checkpointer_watch(k, w);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);
	store_checkpointer_stop(k);
	store_close(w);
	c = open_db("steady", 0);
	assert_int_equal(store_integrity_check(c), STORE_OK);
	assert_int_equal(store_audit_list(c, audit_rows, &rows), STORE_OK);
	assert_int_equal(rows, 3000);
	store_close(c);
}

/*
 * The bound: when the first copy leaves pages (appended meanwhile; here, a
 * reader's older snapshot holds them back, which is the same to the copy),
 * store_checkpoint() past its limit copies again in the writers' queue, so
 * it waits for a writer of this process; under its limit it never does.
 */
struct ckpt_call {
	store *c;
	unsigned limit;
	int log, done;
	atomic_int finished;
};

static void *ckpt_thread(void *p)
{
	struct ckpt_call *x = p;
	assert_int_equal(store_checkpoint(x->c, x->limit, &x->log, &x->done), STORE_OK);
	atomic_store(&x->finished, 1);
	return NULL;
}

/* Within a writer's transaction: whether the checkpoint finished meanwhile
 * (waited for up to 5 s, so that a slow machine does not fail the test). */
static store_status hold_queue(store *s, void *ctx)
{
	struct ckpt_call *x = ctx;
	pthread_t t;
	(void)s;
	assert_int_equal(pthread_create(&t, NULL, ckpt_thread, x), 0);
	for (int i = 0; i < (x->limit > 100000 ? 500 : 30) && !atomic_load(&x->finished); i++) {
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
	int finished = atomic_load(&x->finished);
	pthread_detach(t);
	return finished ? STORE_OK : STORE_BUSY;
}

static void test_limit_finishes_in_queue(void **state)
{
	(void)state;
	store *w = open_db("limit", STORE_CREATE), *c = open_db("limit", 0), *r = open_db("limit", 0),
	      *h = open_db("limit", 0);
	sqlite3_stmt *q;
	store_wal_notify(w, 1000000, count_call, &calls);
	for (int i = 0; i < 20; i++)
		assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);
	/* A reader's snapshot at 20 commits; then the log grows past 100 pages. */
	assert_int_equal(sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(r->db, "SELECT count(*) FROM audit", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	for (int i = 0; i < 200; i++)
		assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);

	/* Under the limit: done without waiting for the writer that holds the queue. */
	struct ckpt_call under = {c, 1000000, 0, 0, 0};
	assert_int_equal(store_tx(h, hold_queue, &under), STORE_OK);
	assert_true(under.done < under.log);

	/* Past it: the second copy waits for the queue, then ends. */
	struct ckpt_call past = {c, 100, 0, 0, 0};
	assert_int_equal(store_tx(h, hold_queue, &past), STORE_BUSY);
	for (int i = 0; i < 500 && !atomic_load(&past.finished); i++) {
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, NULL);
	}
	assert_true(atomic_load(&past.finished));
	assert_true(past.log >= 200);

	sqlite3_finalize(q);
	assert_int_equal(sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	/* The reader gone, one more checkpoint copies everything and the log starts over. */
	int log = 0, done = 0;
	assert_int_equal(store_checkpoint(c, 100, &log, &done), STORE_OK);
	assert_int_equal(done, log);
	assert_int_equal(store_tx(w, write_fn, NULL), STORE_OK);
	assert_int_equal(store_checkpoint(c, 100, &log, &done), STORE_OK);
	assert_true(log > 0 && log < 10);
	store_close(w);
	store_close(c);
	store_close(r);
	store_close(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_checkpoints_in_commits),
		cmocka_unit_test(test_notify_instead_of_checkpoint),
		cmocka_unit_test(test_checkpoint_inside_tx),
		cmocka_unit_test(test_checkpointer_with_writes),
		cmocka_unit_test(test_limit_finishes_in_queue),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
