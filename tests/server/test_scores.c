/*
 * The organizer's scored campaign (server/scores.c) on a real store: one
 * scan of every town's answers in town id order, the version that every
 * change moves, the engine's figures read back, the cache that gives the
 * same campaign while nothing changes and a new one after a change (waited
 * for with SCORES_FRESH, built in the background otherwise), and references
 * that stay valid after the cache moved on.
 * Usage: test_server_scores RUBRIC.json (the bundled villes-internet-2027).
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

#include "scores.h"

static const char *rubric_path;
static char dir[64];
static char *rubric_text;

static const store_town TOWNS[] = {
	{"75056", "Paris",
	 "{\"population\": 2100000, \"region\": \"Île-de-France\", \"department\": \"75\", "
	 "\"type\": \"commune\"}",
	 NULL},
	{"33449", "Saint-Médard-en-Jalles",
	 "{\"population\": 31000, \"region\": \"Nouvelle-Aquitaine\", "
	 "\"department\": \"33\", \"type\": \"commune\"}",
	 NULL},
	{"69123", "Lyon",
	 "{\"population\": 520000, \"region\": \"Auvergne-Rhône-Alpes\", \"department\": \"69\", "
	 "\"type\": \"commune\"}",
	 NULL},
};

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(rubric_path, "rb");
	if (!f)
		return -1;
	rubric_text = calloc(1, 1 << 20);
	size_t n = rubric_text ? fread(rubric_text, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	snprintf(dir, sizeof dir, "/tmp/palmares-scores-XXXXXX");
	return n && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	free(rubric_text);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static store *new_campaign(const char *name)
{
	char path[128], err[256];
	store *s = NULL;
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_campaign_init(s, "Villes Internet 2027", rubric_text, TOWNS, 3, 0, 1000),
			 STORE_OK);
	return s;
}

static void save(store *s, const char *town, const char *criterion, const char *value)
{
	store_dossier d;
	store_answer a = {criterion, value};
	assert_int_equal(store_dossier_get(s, town, &d), STORE_OK);
	assert_int_equal(store_answers_save(s, town, d.revision, &a, 1, 0, 2000, NULL, NULL), STORE_OK);
}

struct seen {
	char towns[8][16];
	int n, answers, empty;
};

static int seen_row(void *ctx, const char *town, const char *name, const char *attrs,
		    store_dossier_state state, const char *criterion, const char *value)
{
	struct seen *v = ctx;
	(void)name, (void)attrs, (void)state, (void)value;
	if (!v->n || strcmp(v->towns[v->n - 1], town) != 0)
		snprintf(v->towns[v->n++], sizeof v->towns[0], "%s", town);
	if (criterion)
		v->answers++;
	else
		v->empty++;
	return 0;
}

static void test_scan_and_version(void **state)
{
	(void)state;
	store *s = new_campaign("scan");
	int64_t v0 = -1, v1 = -1;
	assert_int_equal(store_campaign_version(s, &v0), STORE_OK);
	save(s, "69123", "site-rgaa", "true");
	save(s, "69123", "site-rgaa.evidence", "https://lyon.example/a11y");
	assert_int_equal(store_campaign_version(s, &v1), STORE_OK);
	assert_true(v1 > v0);
	struct seen v;
	memset(&v, 0, sizeof v);
	assert_int_equal(store_answers_scan(s, seen_row, &v), STORE_OK);
	/* Every town once, by id; the two without answers once each, criterion NULL. */
	assert_int_equal(v.n, 3);
	assert_string_equal(v.towns[0], "33449");
	assert_string_equal(v.towns[1], "69123");
	assert_string_equal(v.towns[2], "75056");
	assert_int_equal(v.answers, 2);
	assert_int_equal(v.empty, 2);
	assert_non_null(strstr(store_path(s), "scan.db"));
	store_close(s);
}

static void test_scores_and_cache(void **state)
{
	(void)state;
	store *s = new_campaign("cache");
	double points, max, percent, p0;
	save(s, "69123", "site-rgaa", "true");
	save(s, "69123", "consultations-en-ligne", "12");
	scores *a = scores_get(s, SCORES_FRESH, NULL);
	assert_non_null(a);
	const pal_campaign *c = scores_campaign(a);
	assert_int_equal(scores_count(a), 3);
	assert_string_equal(pal_campaign_town_id(c, 0), "33449");
	assert_string_equal(pal_campaign_town_id(c, 1), "69123");
	assert_int_equal(scores_state(a, 1), DOSSIER_DRAFT);
	assert_int_equal(scores_state(a, 0), DOSSIER_NOT_STARTED);
	assert_true(pal_campaign_town_score(c, 1, &points, &max, &p0));
	assert_true(pal_campaign_town_score(c, 0, &points, &max, &percent));
	assert_true(p0 > percent);
	/* By score: the answered town last; read backwards (descending) first. */
	const size_t *o = scores_order(a, SCORES_BY_SCORE);
	assert_non_null(o);
	assert_int_equal(o[2], 1);
	assert_ptr_equal(scores_order(a, SCORES_BY_SCORE), o); /* computed once */
	o = scores_order(a, SCORES_BY_NAME);
	assert_string_equal(pal_campaign_town_name(c, o[0]), "Lyon");
	assert_true(scores_current(a, s));

	/* Nothing changed: the same campaign. */
	scores *b = scores_get(s, 0, NULL);
	assert_ptr_equal(a, b);
	scores_release(b);

	/* A change: waited for with SCORES_FRESH; the old reference still reads. */
	save(s, "69123", "consultations-en-ligne", "douze");
	assert_false(scores_current(a, s));
	b = scores_get(s, SCORES_FRESH, NULL);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_true(scores_current(b, s));
	assert_string_equal(pal_campaign_town_status(scores_campaign(b), 1), "invalid");
	assert_true(scores_messages(b, 1) > 0);
	assert_string_equal(pal_campaign_town_status(scores_campaign(a), 1),
			    "pending"); /* no jury marks yet */
	scores_release(a);
	scores_release(b);
	store_close(s);
}

static void test_background_rebuild(void **state)
{
	(void)state;
	store *s = new_campaign("background");
	int pending = -1;
	setenv("PALMARES_SCORES_WAIT_MS", "0", 1);
	/* Nothing built yet for this campaign: not waited for, "pending". */
	scores *a = scores_get(s, 0, &pending), *b = NULL;
	assert_true((!a && pending == 1) || (a && pending == 0)); /* unless the build was that quick */
	scores_release(a);
	a = scores_get(s, SCORES_FRESH, &pending);
	assert_non_null(a);
	assert_int_equal(pending, 0);
	save(s, "33449", "site-rgaa", "true");
	/* Not waited for: the previous campaign at once, marked stale. */
	b = scores_get(s, 0, NULL);
	assert_ptr_equal(a, b);
	assert_false(scores_current(b, s));
	scores_release(b);
	/* Then the rebuilt one, soon. */
	for (int k = 0; k < 400; k++) {
		b = scores_get(s, 0, NULL);
		if (scores_current(b, s))
			break;
		scores_release(b);
		b = NULL;
		usleep(25000);
	}
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(scores_state(b, 0), DOSSIER_DRAFT);
	scores_release(a);
	scores_release(b);
	unsetenv("PALMARES_SCORES_WAIT_MS");
	store_close(s);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_server_scores RUBRIC.json\n");
		return 2;
	}
	rubric_path = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_and_version),
		cmocka_unit_test(test_scores_and_cache),
		cmocka_unit_test(test_background_rebuild),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
