/*
 * The borderline list of the live campaign (borderline.h): computed by the
 * engine on a scored campaign that no other thread reads, copied into a
 * small list of its own (town ids, reasons, the marks a level hangs on),
 * cached with counted references as scores.c caches the scored campaign.
 */
#include "borderline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "palmares/jury.h"
#include "scores.h"

typedef struct {
	char *juror, *criterion;
} bmark;

typedef struct {
	char *town;
	unsigned why;
	bmark *marks;
	size_t nmarks;
} bentry;

struct border_list {
	bentry *v;
	size_t n;
	size_t *by_id; /* indices of v in byte order of town ids, for border_find() */
	int64_t version;
	char *path; /* the campaign file */
	int refs;   /* under lock */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done = PTHREAD_COND_INITIALIZER; /* a computation ended */
static border_list *cached;
static int computing;

static void list_free(border_list *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++) {
		for (size_t k = 0; k < b->v[i].nmarks; k++) {
			free(b->v[i].marks[k].juror);
			free(b->v[i].marks[k].criterion);
		}
		free(b->v[i].marks);
		free(b->v[i].town);
	}
	free(b->v);
	free(b->by_id);
	free(b->path);
	free(b);
}

void border_release(border_list *b)
{
	if (!b)
		return;
	pthread_mutex_lock(&lock);
	int last = --b->refs == 0;
	pthread_mutex_unlock(&lock);
	if (last)
		list_free(b);
}

static const border_list *sorting; /* qsort has no context: under sort_lock */
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int cmp_ids(const void *a, const void *b)
{
	return strcmp(sorting->v[*(const size_t *)a].town, sorting->v[*(const size_t *)b].town);
}

/* The engine's list copied (it borrows from a campaign that is about to be freed). */
static border_list *copy_of(const pal_borderline *pb, int64_t version, const char *path)
{
	border_list *b = calloc(1, sizeof *b);
	size_t n = pal_borderline_count(pb);
	if (!b || !(b->v = calloc(n + 1, sizeof *b->v)) || !(b->path = strdup(path)))
		goto oom;
	b->refs = 1;
	b->version = version;
	for (size_t i = 0; i < n; i++, b->n++) {
		bentry *e = &b->v[i];
		size_t m = pal_borderline_count_marks(pb, i);
		e->why = pal_borderline_why(pb, i);
		if (!(e->town = strdup(pal_borderline_town(pb, i))) ||
		    !(e->marks = calloc(m + 1, sizeof *e->marks))) {
			b->n++; /* freed with the others */
			goto oom;
		}
		for (size_t k = 0; k < m; k++, e->nmarks++) {
			const char *juror, *crit;
			pal_borderline_mark(pb, i, k, &juror, &crit);
			e->marks[k].juror = strdup(juror ? juror : "");
			e->marks[k].criterion = strdup(crit ? crit : "");
			if (!e->marks[k].juror || !e->marks[k].criterion) {
				e->nmarks++, b->n++;
				goto oom;
			}
		}
	}
	if (!(b->by_id = malloc((b->n + 1) * sizeof *b->by_id)))
		goto oom;
	for (size_t i = 0; i < b->n; i++)
		b->by_id[i] = i;
	pthread_mutex_lock(&sort_lock);
	sorting = b;
	qsort(b->by_id, b->n, sizeof *b->by_id, cmp_ids);
	pthread_mutex_unlock(&sort_lock);
	return b;
oom:
	list_free(b);
	return NULL;
}

/* The list of the campaign in st as it is now; NULL when the store or memory failed. */
static border_list *compute(store *st)
{
	scores *s = scores_build(st);
	pal_borderline *pb = NULL;
	border_list *b = NULL;
	/* scores_build()'s campaign is this thread's alone (no cache holds it),
	 * so the engine may use its scratch space: the const is the cache's
	 * promise to the threads that share a cached one. */
	if (s && pal_borderline_compute((pal_campaign *)scores_campaign(s), &pb) == PAL_OK)
		b = copy_of(pb, scores_version(s), store_path(st));
	pal_borderline_free(pb);
	scores_release(s);
	return b;
}

/* Keeps b unless a newer list is there; under lock. */
static void install(border_list *b)
{
	if (cached && strcmp(cached->path, b->path) == 0 && cached->version > b->version)
		return;
	if (cached && --cached->refs == 0)
		list_free(cached);
	cached = b;
	b->refs++;
}

static void *worker(void *arg)
{
	char *path = arg;
	store *st = NULL;
	border_list *b = NULL;
	if (store_open(path, 0, &st, NULL, 0) == STORE_OK)
		b = compute(st);
	store_close(st);
	free(path);
	pthread_mutex_lock(&lock);
	if (b)
		install(b);
	computing = 0;
	pthread_cond_broadcast(&done);
	pthread_mutex_unlock(&lock);
	border_release(b);
	return NULL;
}

/* Under lock. 0, or -1 when no thread could start. */
static int start(const char *path)
{
	pthread_t t;
	pthread_attr_t a;
	char *p = strdup(path);
	int rc = -1;
	if (p && pthread_attr_init(&a) == 0) {
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&t, &a, worker, p) == 0 ? 0 : -1;
		pthread_attr_destroy(&a);
	}
	if (rc != 0)
		free(p);
	else
		computing = 1;
	return rc;
}

/* As scores.c: PALMARES_SCORES_WAIT_MS, default 150 ms. */
static struct timespec deadline(void)
{
	const char *e = getenv("PALMARES_SCORES_WAIT_MS");
	char *end;
	double ms = e && *e ? strtod(e, &end) : 150;
	if (e && *e && (*end || ms < 0))
		ms = 150;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long ns = ts.tv_nsec + (long long)(ms * 1e6);
	ts.tv_sec += (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	return ts;
}

border_list *border_get(store *st, int64_t version, int *pending)
{
	const char *path = store_path(st);
	struct timespec until = deadline();
	*pending = 0;
	pthread_mutex_lock(&lock);
	for (;;) {
		int same = cached && strcmp(cached->path, path) == 0;
		if (same && cached->version >= version)
			break;
		if (!computing && start(path) != 0) {
			/* no thread: compute here */
			computing = 1;
			pthread_mutex_unlock(&lock);
			border_list *b = compute(st);
			pthread_mutex_lock(&lock);
			computing = 0;
			pthread_cond_broadcast(&done);
			if (!b)
				break;
			install(b);
			if (--b->refs == 0)
				list_free(b);
			continue;
		}
		if (pthread_cond_timedwait(&done, &lock, &until) != 0) {
			*pending = !(cached && strcmp(cached->path, path) == 0);
			break;
		}
		/* A computation ended: the list it made (perhaps of a version read
		 * before this request's) or a failure, not tried again here. */
		if (!computing)
			break;
	}
	border_list *b = cached && strcmp(cached->path, path) == 0 && !*pending ? cached : NULL;
	if (b)
		b->refs++;
	pthread_mutex_unlock(&lock);
	return b;
}

int64_t border_version(const border_list *b)
{
	return b->version;
}

size_t border_count(const border_list *b)
{
	return b ? b->n : 0;
}

const char *border_town(const border_list *b, size_t i)
{
	return b->v[i].town;
}

unsigned border_why(const border_list *b, size_t i)
{
	return b->v[i].why;
}

size_t border_count_marks(const border_list *b, size_t i)
{
	return b->v[i].nmarks;
}

void border_mark(const border_list *b, size_t i, size_t k, const char **juror, const char **criterion)
{
	*juror = b->v[i].marks[k].juror;
	*criterion = b->v[i].marks[k].criterion;
}

long border_find(const border_list *b, const char *town_id)
{
	size_t lo = 0, hi = b ? b->n : 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(b->v[b->by_id[mid]].town, town_id);
		if (c == 0)
			return (long)b->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
