/*
 * The scored campaign (scores.h): built from one scan of the store
 * (store_answers_scan(), town id order), each town's answers made into its
 * dossier by answers_dossier_json(), the dossiers added to one campaign in
 * chunks of CHUNK lines of a "dossiers.jsonl" text, then scored. Chunks
 * keep the text in memory small (a whole 35,000-town text would be tens of
 * megabytes); each chunk starts with as many empty lines as the lines
 * before it, which the JSON Lines reader skips and counts, so that every
 * dossier's "source" line is its line in the one file `palmares score`
 * reads. The jury (assignments, marks, overrides) is then given as the
 * files of jury_files.h, read by the engine's own readers.
 *
 * The cache: one scored campaign per process, under a lock held while it is
 * built (two requests that find it stale build it once; the second waits
 * and takes the first's), counted references so that a rebuild never
 * frees what a request still reads.
 */
#include "scores.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "answers.h"
#include "jury_files.h"

#define CHUNK 512 /* towns per text given to the engine */

struct scores {
	pal_rubric *rb;
	pal_campaign *c;
	size_t n;
	store_dossier_state *state;
	size_t *messages;
	int64_t version;
	int64_t built_at; /* when (seconds since the epoch) */
	char *path;       /* the campaign file it was built from */
	int refs;         /* under cache_lock */
	pthread_mutex_t order_lock;
	size_t *order[SCORES_BY_COUNT]; /* computed on first use, under order_lock */
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t built = PTHREAD_COND_INITIALIZER; /* a build ended */
static scores *cached;
static int building;     /* a build runs (one at a time) */
static int build_failed; /* the last background build failed */

/* How long a request waits for a build before it shows the previous figures
 * (PALMARES_SCORES_WAIT_MS, default 150 ms). */
static double wait_ms(void)
{
	const char *e = getenv("PALMARES_SCORES_WAIT_MS");
	char *end;
	double v = e && *e ? strtod(e, &end) : 150;
	return e && *e && (*end || v < 0) ? 150 : v;
}

static void scores_free(scores *s)
{
	if (!s)
		return;
	pal_campaign_free(s->c);
	pal_rubric_free(s->rb);
	free(s->state);
	free(s->messages);
	free(s->path);
	for (int k = 0; k < SCORES_BY_COUNT; k++)
		free(s->order[k]);
	pthread_mutex_destroy(&s->order_lock);
	free(s);
}

void scores_release(scores *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&cache_lock);
	int last = --s->refs == 0;
	pthread_mutex_unlock(&cache_lock);
	if (last)
		scores_free(s);
}

/* ---- building ---- */

/* A growing text: the current chunk of dossier lines. */
typedef struct {
	char *p;
	size_t len, cap;
} buf;

static int buf_add(buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p, b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

typedef struct {
	scores *s;
	answers a;
	char *town, *name, *attrs; /* the town being read (owned) */
	store_dossier_state state;
	size_t lines;    /* dossier lines so far (the file's line of the next is lines + 1) */
	size_t in_chunk; /* of them in the chunk */
	size_t cap;      /* of s->state */
	buf chunk;
	int failed;
} build;

static void answers_clear(answers *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->val[i]);
		free(a->ev[i]);
		a->val[i] = a->ev[i] = NULL;
	}
}

/* Gives the chunk to the engine and starts the next one with an empty line
 * for every dossier line before it. */
static int flush_chunk(build *b)
{
	if (!b->in_chunk)
		return 0;
	pal_diags *d = pal_diags_new();
	/* The messages stay with each dossier (palmares/town.h); the list is not kept. */
	int rc = d ? pal_campaign_add_dossiers_text(b->s->c, SCORES_DOSSIERS_NAME, b->chunk.p, b->chunk.len,
						    PAL_DOSSIER_JSONL, d)
		   : PAL_IOERR;
	pal_diags_free(d);
	b->chunk.len = 0;
	b->in_chunk = 0;
	if (rc == PAL_IOERR)
		return -1;
	for (size_t i = 0; i < b->lines; i++)
		if (buf_add(&b->chunk, "\n", 1) != 0)
			return -1;
	return 0;
}

/* The town read so far becomes a line of the chunk. */
static int end_town(build *b)
{
	if (!b->town)
		return 0;
	char *json = answers_dossier_json(b->s->rb, b->town, b->name, b->attrs, &b->a);
	int bad = !json || buf_add(&b->chunk, json, strlen(json)) != 0 || buf_add(&b->chunk, "\n", 1) != 0;
	free(json);
	if (!bad && b->lines == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 1024;
		store_dossier_state *v = realloc(b->s->state, cap * sizeof *v);
		bad = !v;
		if (v)
			b->s->state = v, b->cap = cap;
	}
	if (!bad)
		b->s->state[b->lines] = b->state;
	b->lines++, b->in_chunk++;
	answers_clear(&b->a);
	free(b->town), free(b->name), free(b->attrs);
	b->town = b->name = b->attrs = NULL;
	if (!bad && b->in_chunk == CHUNK)
		bad = flush_chunk(b) != 0;
	return bad ? -1 : 0;
}

static int scan_row(void *ctx, const char *town, const char *name, const char *attrs,
		    store_dossier_state state, const char *criterion, const char *value)
{
	build *b = ctx;
	if (!b->town || strcmp(b->town, town) != 0) {
		if (end_town(b) != 0)
			return b->failed = 1;
		b->town = strdup(town);
		b->name = strdup(name ? name : "");
		b->attrs = strdup(attrs ? attrs : "{}");
		b->state = state;
		if (!b->town || !b->name || !b->attrs)
			return b->failed = 1;
	}
	if (criterion && answers_put(&b->a, criterion, value) != 0)
		return b->failed = 1;
	return 0;
}

/* Each town's message count, from its results (computed once, here). */
static int count_messages(scores *s)
{
	s->messages = calloc(s->n ? s->n : 1, sizeof *s->messages);
	if (!s->messages)
		return -1;
	for (size_t t = 0; t < s->n; t++) {
		pal_town_results *tr = pal_campaign_town_results(s->c, t);
		if (!tr)
			return -1;
		s->messages[t] = pal_town_results_count_messages(tr);
		pal_town_results_free(tr);
	}
	return 0;
}

static scores *build_at(store *st, int64_t version)
{
	scores *s = calloc(1, sizeof *s);
	build b;
	memset(&b, 0, sizeof b);
	if (!s)
		return NULL;
	pthread_mutex_init(&s->order_lock, NULL);
	s->refs = 1;
	s->version = version;
	b.s = s;
	int ok = (s->path = strdup(store_path(st))) && (s->rb = campaign_rubric(st)) &&
		 (s->c = pal_campaign_new(s->rb)) && answers_init(&b.a, s->rb) == 0 &&
		 store_answers_scan(st, scan_row, &b) == STORE_OK && !b.failed && end_town(&b) == 0 &&
		 flush_chunk(&b) == 0;
	answers_free(&b.a);
	free(b.town), free(b.name), free(b.attrs), free(b.chunk.p);
	if (ok) {
		/* The jury after every dossier, as `palmares score --assignments --marks --overrides`. */
		jury_files jf;
		memset(&jf, 0, sizeof jf);
		pal_diags *d = pal_diags_new();
		ok = d && jury_files_read(st, &jf) == STORE_OK;
		ok = ok && jury_files_apply(&jf, s->c, d) != PAL_IOERR;
		ok = ok && pal_campaign_score(s->c, d) != PAL_IOERR && !pal_diags_oom(d);
		jury_files_clear(&jf);
		pal_diags_free(d);
	}
	s->n = ok ? pal_campaign_count(s->c) : 0;
	/* One dossier per town line: anything else would misalign the states. */
	if (!ok || s->n != b.lines || count_messages(s) != 0) {
		scores_free(s);
		return NULL;
	}
	s->built_at = (int64_t)time(NULL);
	return s;
}

scores *scores_build(store *st)
{
	int64_t version;
	if (store_campaign_version(st, &version) != STORE_OK)
		return NULL;
	return build_at(st, version);
}

/* Installs s as the cached campaign unless a newer one is there; under cache_lock. */
static void install(scores *s)
{
	if (cached && strcmp(cached->path, s->path) == 0 && cached->version > s->version)
		return;
	if (cached && --cached->refs == 0)
		scores_free(cached);
	cached = s;
	s->refs++;
}

/* The background rebuild: its own store connection (a store is one thread's). */
static void *rebuild(void *arg)
{
	char *path = arg;
	store *st = NULL;
	scores *s = NULL;
	if (store_open(path, 0, &st, NULL, 0) == STORE_OK)
		s = scores_build(st);
	store_close(st);
	free(path);
	pthread_mutex_lock(&cache_lock);
	if (s)
		install(s);
	build_failed = !s;
	building = 0;
	pthread_cond_broadcast(&built);
	pthread_mutex_unlock(&cache_lock);
	scores_release(s);
	return NULL;
}

/* Starts the background rebuild; under cache_lock. 0, or -1 when no thread could start. */
static int start_rebuild(const char *path)
{
	pthread_t t;
	pthread_attr_t a;
	char *p = strdup(path);
	int rc = -1;
	if (p && pthread_attr_init(&a) == 0) {
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&t, &a, rebuild, p) == 0 ? 0 : -1;
		pthread_attr_destroy(&a);
	}
	if (rc != 0)
		free(p);
	else
		building = 1;
	return rc;
}

/* The deadline of a wait of ms milliseconds from now, for pthread_cond_timedwait. */
static struct timespec deadline_in(double ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long ns = ts.tv_nsec + (long long)(ms * 1e6);
	ts.tv_sec += (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	return ts;
}

scores *scores_get(store *st, unsigned flags, int *pending)
{
	int64_t version;
	const char *path = store_path(st);
	struct timespec until = deadline_in(wait_ms());
	if (pending)
		*pending = 0;
	/* Read before the answers: a change in between makes the next request build again. */
	if (store_campaign_version(st, &version) != STORE_OK)
		return NULL;
	pthread_mutex_lock(&cache_lock);
	for (;;) {
		int same = cached && strcmp(cached->path, path) == 0;
		if (same && cached->version >= version)
			break;
		if (!building && start_rebuild(path) != 0) {
			/* No thread to build in the background: build here. */
			building = 1;
			pthread_mutex_unlock(&cache_lock);
			scores *s = build_at(st, version);
			pthread_mutex_lock(&cache_lock);
			building = 0;
			pthread_cond_broadcast(&built);
			if (!s)
				break;
			install(s);
			if (--s->refs == 0) /* not installed: a newer one was */
				scores_free(s);
			continue;
		}
		/* A build runs: wait for it, a while at most unless SCORES_FRESH; then
		 * look again (it may have read an older version than this request). */
		int rc = flags & SCORES_FRESH ? pthread_cond_wait(&built, &cache_lock)
					      : pthread_cond_timedwait(&built, &cache_lock, &until);
		if (rc == 0 && !building && build_failed)
			break;
		if (rc != 0 && !(flags & SCORES_FRESH)) {
			if (same)
				break; /* the previous figures meanwhile */
			if (pending)
				*pending = 1;
			break;
		}
	}
	int have = cached && strcmp(cached->path, path) == 0 && !(pending && *pending) &&
		   (!(flags & SCORES_FRESH) || cached->version >= version);
	scores *s = have ? cached : NULL;
	if (s)
		s->refs++;
	pthread_mutex_unlock(&cache_lock);
	return s;
}

int scores_current(const scores *s, store *st)
{
	int64_t version;
	return store_campaign_version(st, &version) == STORE_OK && s->version >= version;
}

/* ---- reading ---- */

const pal_campaign *scores_campaign(const scores *s)
{
	return s->c;
}
const pal_rubric *scores_rubric(const scores *s)
{
	return s->rb;
}
size_t scores_count(const scores *s)
{
	return s->n;
}
store_dossier_state scores_state(const scores *s, size_t t)
{
	return s->state[t];
}
size_t scores_messages(const scores *s, size_t t)
{
	return s->messages[t];
}
int64_t scores_version(const scores *s)
{
	return s->version;
}

/* qsort has no context argument: each sort gets its keys in an array. */
typedef struct {
	double key;
	const char *text; /* NULL: sort by key */
	size_t t;
} sort_item;

static int cmp_items(const void *x, const void *y)
{
	const sort_item *a = x, *b = y;
	int c = a->text ? strcmp(a->text, b->text) : (a->key > b->key) - (a->key < b->key);
	return c ? c : (a->t > b->t) - (a->t < b->t);
}

static void item_of(const scores *s, scores_by by, size_t t, sort_item *it)
{
	double points, max, percent;
	it->t = t;
	it->text = NULL;
	it->key = 0;
	switch (by) {
	case SCORES_BY_NAME: it->text = pal_campaign_town_name(s->c, t); break;
	case SCORES_BY_STATE: it->key = s->state[t]; break;
	case SCORES_BY_SCORE:
		it->key = pal_campaign_town_score(s->c, t, &points, &max, &percent) ? percent : -1;
		break;
	case SCORES_BY_LEVEL: it->key = pal_campaign_town_level(s->c, t); break;
	case SCORES_BY_MESSAGES: it->key = (double)s->messages[t]; break;
	default: /* the town id: the campaign's order already */ break;
	}
	if (by == SCORES_BY_NAME && !it->text)
		it->text = "";
}

const size_t *scores_order(scores *s, scores_by by)
{
	if (by < 0 || by >= SCORES_BY_COUNT)
		by = SCORES_BY_TOWN;
	pthread_mutex_lock(&s->order_lock);
	if (!s->order[by]) {
		size_t *o = malloc((s->n ? s->n : 1) * sizeof *o);
		sort_item *it = by != SCORES_BY_TOWN ? malloc((s->n ? s->n : 1) * sizeof *it) : NULL;
		if (o && by == SCORES_BY_TOWN) {
			for (size_t t = 0; t < s->n; t++)
				o[t] = t;
			s->order[by] = o;
		} else if (o && it) {
			for (size_t t = 0; t < s->n; t++)
				item_of(s, by, t, &it[t]);
			qsort(it, s->n, sizeof *it, cmp_items);
			for (size_t t = 0; t < s->n; t++)
				o[t] = it[t].t;
			s->order[by] = o;
		} else {
			free(o);
		}
		free(it);
	}
	const size_t *o = s->order[by];
	pthread_mutex_unlock(&s->order_lock);
	return o;
}

int64_t scores_built_at(const scores *s)
{
	return s->built_at;
}
