/*
 * The server's checkpointer (store.h): one thread, with its own connection,
 * that copies the log into the database file when a commit of the server's
 * connections finds it past CHECKPOINT_PAGES. A commit only wakes it, so
 * that the copy and its syncs no longer happen inside a save while every
 * other save of the process waits in store_tx()'s queue (bench/README.md).
 * Durability is SQLite's either way: a commit is in the log before it is
 * acknowledged, and a checkpoint interrupted by a crash is redone from it.
 */
#include "store_db.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

/* SQLite's own threshold for its automatic checkpoint; past four times
 * it, the checkpointer finishes in the writers' queue (store_checkpoint()). */
#define CHECKPOINT_PAGES 1000
#define CHECKPOINT_LIMIT (4 * CHECKPOINT_PAGES)

struct store_checkpointer {
	store *s;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_int wanted; /* a commit asked; read without the lock by the commits */
	int stop;
};

static void *run(void *p)
{
	store_checkpointer *k = p;
	pthread_mutex_lock(&k->lock);
	for (;;) {
		while (!atomic_load(&k->wanted) && !k->stop)
			pthread_cond_wait(&k->wake, &k->lock);
		if (k->stop)
			break;
		/* Cleared before the copy: a commit during it asks again. */
		atomic_store(&k->wanted, 0);
		pthread_mutex_unlock(&k->lock);
		if (store_checkpoint(k->s, CHECKPOINT_LIMIT, NULL, NULL) != STORE_OK)
			fprintf(stderr, "palmares: serve: checkpoint: %s\n", store_errmsg(k->s));
		pthread_mutex_lock(&k->lock);
	}
	pthread_mutex_unlock(&k->lock);
	return NULL;
}

/* Called inside a commit, past CHECKPOINT_PAGES: only a wake-up, and only
 * when none is pending (commits go on calling until the log starts over). */
static void wake(void *p)
{
	store_checkpointer *k = p;
	if (atomic_load(&k->wanted))
		return;
	pthread_mutex_lock(&k->lock);
	atomic_store(&k->wanted, 1);
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
}

store_status store_checkpointer_start(const char *path, store_checkpointer **out, char *err, size_t errlen)
{
	store_checkpointer *k = calloc(1, sizeof *k);
	store_status st;
	*out = NULL;
	if (!k) {
		snprintf(err, errlen, "out of memory");
		return STORE_NOMEM;
	}
	st = store_open(path, 0, &k->s, err, errlen);
	if (st != STORE_OK) {
		free(k);
		return st;
	}
	pthread_mutex_init(&k->lock, NULL);
	pthread_cond_init(&k->wake, NULL);
	if (pthread_create(&k->thread, NULL, run, k) != 0) {
		snprintf(err, errlen, "cannot start the checkpoint thread");
		pthread_cond_destroy(&k->wake);
		pthread_mutex_destroy(&k->lock);
		store_close(k->s);
		free(k);
		return STORE_ERROR;
	}
	*out = k;
	return STORE_OK;
}

void store_checkpointer_watch(store_checkpointer *k, store *s)
{
	store_wal_notify(s, CHECKPOINT_PAGES, wake, k);
}

void store_checkpointer_stop(store_checkpointer *k)
{
	if (!k)
		return;
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	pthread_cond_signal(&k->wake);
	pthread_mutex_unlock(&k->lock);
	pthread_join(k->thread, NULL);
	pthread_cond_destroy(&k->wake);
	pthread_mutex_destroy(&k->lock);
	store_close(k->s);
	free(k);
}
