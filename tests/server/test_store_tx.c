/*
 * The writers' queue of store_tx() (server/store.c): threads of one process
 * writing the same campaign file wait on one mutex, never on SQLite's busy
 * ladder; a store_tx() inside another one, even on another store, does not
 * wait for itself.
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
#include <time.h>

#include <unistd.h>

#include "store_db.h"

static char dir[64];
static atomic_int busy_calls;

static const store_town TOWNS[] = {
	{"75056", "Paris", "{\"population\": 2100000}", NULL},
};

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/palmares-storetx-XXXXXX");
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

/* Counts SQLite's busy waits and retries after a short nap (a test of
 * who waits, not of how long). */
static int count_busy(void *ctx, int n)
{
	(void)ctx;
	atomic_fetch_add(&busy_calls, 1);
	struct timespec ts = {0, 200000};
	nanosleep(&ts, NULL);
	return n < 50000;
}

/* One audit row, holding the write lock a little while so that writers overlap. */
static store_status write_fn(store *s, void *ctx)
{
	(void)ctx;
	store_status st = store_audit_append(s, 0, 1000, "test", "x", NULL, NULL);
	struct timespec ts = {0, 300000};
	nanosleep(&ts, NULL);
	return st;
}

static void *writer(void *p)
{
	(void)p;
	store *s = open_db("q", 0);
	sqlite3_busy_handler(s->db, count_busy, NULL);
	for (int i = 0; i < 40; i++)
		if (store_tx(s, write_fn, NULL) != STORE_OK)
			fail_msg("store_tx failed");
	store_close(s);
	return NULL;
}

static void test_writers_queue_not_busy(void **state)
{
	(void)state;
	enum { N = 6 };
	store *s = open_db("q", STORE_CREATE);
	assert_int_equal(store_campaign_init(s, "Label", "{}", TOWNS, 1, 0, 1000), STORE_OK);
	atomic_store(&busy_calls, 0);
	pthread_t th[N];
	for (int i = 0; i < N; i++)
		assert_int_equal(pthread_create(&th[i], NULL, writer, NULL), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	/* Every writer of this process waited on the queue: SQLite never found the lock taken. */
	assert_int_equal(atomic_load(&busy_calls), 0);
	sqlite3_stmt *q = NULL;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT count(*) FROM audit WHERE what = 'test'", -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), N * 40);
	sqlite3_finalize(q);
	store_close(s);
}

struct nest {
	store *other;
	int inner_ran;
};

static store_status inner_fn(store *s, void *ctx)
{
	struct nest *n = ctx;
	n->inner_ran++;
	return store_audit_append(s, 0, 1000, "inner", "y", NULL, NULL);
}

static store_status outer_fn(store *s, void *ctx)
{
	struct nest *n = ctx;
	store_status st = store_tx(s, inner_fn, n); /* the same store: a savepoint */
	if (st == STORE_OK)
		st = store_tx(n->other, inner_fn, n); /* another file, same thread */
	return st;
}

static void test_nested_does_not_wait_for_itself(void **state)
{
	(void)state;
	store *a = open_db("na", STORE_CREATE), *b = open_db("nb", STORE_CREATE);
	assert_int_equal(store_campaign_init(a, "A", "{}", TOWNS, 1, 0, 1000), STORE_OK);
	assert_int_equal(store_campaign_init(b, "B", "{}", TOWNS, 1, 0, 1000), STORE_OK);
	struct nest n = {b, 0};
	assert_int_equal(store_tx(a, outer_fn, &n), STORE_OK);
	assert_int_equal(n.inner_ran, 2);
	/* and the queue is free again for the next writer */
	assert_int_equal(store_tx(b, inner_fn, &n), STORE_OK);
	store_close(a);
	store_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writers_queue_not_busy),
		cmocka_unit_test(test_nested_does_not_wait_for_itself),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
