/*
 * The shared rubric (server/answers.c, campaign_rubric_shared): parsed once
 * per stored text and handed to every thread, never a rubric of another
 * text: two campaign files with different rubrics get each their own, the
 * same text the same one, and threads asking at once all get that one.
 * Usage: test_server_rubric_cache RUBRIC.json OTHER_RUBRIC.json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "answers.h"
#include "palmares/rubric.h"

static const char *paths[2];
static char *texts[2];
static char dir[64];

static const store_town TOWNS[] = {
	{"75056", "Paris",
	 "{\"population\": 2100000, \"region\": \"Île-de-France\", \"department\": \"75\", "
	 "\"type\": \"commune\"}",
	 NULL},
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *t = calloc(1, 1 << 20);
	size_t n = t ? fread(t, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (!n) {
		free(t);
		return NULL;
	}
	return t;
}

static int setup(void **state)
{
	(void)state;
	texts[0] = slurp(paths[0]);
	texts[1] = slurp(paths[1]);
	snprintf(dir, sizeof dir, "/tmp/palmares-rubcache-XXXXXX");
	return texts[0] && texts[1] && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	free(texts[0]);
	free(texts[1]);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static store *new_campaign(const char *name, const char *rubric)
{
	char path[128], err[256];
	store *s = NULL;
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_campaign_init(s, "Label", rubric, TOWNS, 1, 0, 1000), STORE_OK);
	return s;
}

static void test_one_per_text(void **state)
{
	(void)state;
	store *a = new_campaign("a", texts[0]), *a2 = new_campaign("a2", texts[0]);
	store *b = new_campaign("b", texts[1]);
	const pal_rubric *ra = campaign_rubric_shared(a);
	assert_non_null(ra);
	/* Parsed once: the same rubric again, and for another file of the same text. */
	assert_ptr_equal(campaign_rubric_shared(a), ra);
	assert_ptr_equal(campaign_rubric_shared(a2), ra);
	/* Another text, another rubric: never the first one's. */
	const pal_rubric *rb = campaign_rubric_shared(b);
	assert_non_null(rb);
	assert_ptr_not_equal(rb, ra);
	assert_string_not_equal(pal_rubric_id(ra), pal_rubric_id(rb));
	/* The first one is still there and still right. */
	assert_ptr_equal(campaign_rubric_shared(a), ra);
	pal_rubric *own = campaign_rubric(a);
	assert_non_null(own);
	assert_string_equal(pal_rubric_id(own), pal_rubric_id(ra));
	assert_int_equal(pal_rubric_count_criteria(own), pal_rubric_count_criteria(ra));
	pal_rubric_free(own);
	campaign_rubric_cache_free();
	/* After a free, parsed again (no dangling entry). */
	assert_non_null(campaign_rubric_shared(b));
	campaign_rubric_cache_free();
	store_close(a);
	store_close(a2);
	store_close(b);
}

struct asker {
	char path[128];
	const pal_rubric *got;
};

static void *ask(void *p)
{
	struct asker *k = p;
	char err[256];
	store *s = NULL;
	if (store_open(k->path, 0, &s, err, sizeof err) == STORE_OK) {
		for (int i = 0; i < 20; i++) {
			const pal_rubric *r = campaign_rubric_shared(s);
			if (i && r != k->got)
				r = NULL;
			k->got = r;
		}
		store_close(s);
	}
	return NULL;
}

static void test_threads_share_one(void **state)
{
	(void)state;
	enum { N = 6 };
	store *a = new_campaign("t", texts[0]);
	struct asker k[N];
	pthread_t th[N];
	for (int i = 0; i < N; i++) {
		k[i].got = NULL;
		snprintf(k[i].path, sizeof k[i].path, "%s/t.db", dir);
		assert_int_equal(pthread_create(&th[i], NULL, ask, &k[i]), 0);
	}
	for (int i = 0; i < N; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	for (int i = 0; i < N; i++) {
		assert_non_null(k[i].got);
		assert_ptr_equal(k[i].got, k[0].got);
	}
	campaign_rubric_cache_free();
	store_close(a);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s RUBRIC.json OTHER_RUBRIC.json\n", argv[0]);
		return 2;
	}
	paths[0] = argv[1];
	paths[1] = argv[2];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_per_text),
		cmocka_unit_test(test_threads_share_one),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
