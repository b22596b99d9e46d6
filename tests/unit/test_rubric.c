/*
 * Rubric loading (SPEC §1): a valid rubric's model, and invalid ones whose
 * problems are all reported at once, each with line and column.
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

#include "jsonpos.h"
#include "model.h"

static char path[64];

static pal_rubric *load(const char *text, pal_diags **d, int *st)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	*d = pal_diags_new();
	return pal_rubric_load(path, *d, st);
}

/* Finds a diagnostic containing needle; returns it or fails. */
static const pal_diag *find(pal_diags *d, const char *needle)
{
	for (size_t i = 0; i < pal_diags_count(d); i++)
		if (strstr(pal_diags_get(d, i)->text, needle))
			return pal_diags_get(d, i);
	pal_diags_print(d, 0, stderr);
	fail_msg("no diagnostic contains \"%s\"", needle);
	return NULL;
}

#define HEAD "{\"format\":\"palmares-rubric/1\",\"id\":\"r\",\"edition\":2027,\"label\":\"L\",\n"

static void test_valid_model(void **state)
{
	(void)state;
	pal_diags *d;
	int st;
	pal_rubric *r = load(HEAD
		"\"language\":\"en\",\"x-note\":{\"anything\":[1,2]},\n"
		"\"categories\":[{\"id\":\"s\",\"not_applicable\":\"exclude\",\"criteria\":[\n"
		" {\"id\":\"a\",\"kind\":\"yes-no\",\"points\":4.25},\n"
		" {\"id\":\"n\",\"kind\":\"number\",\"points\":10,\"steps\":[[1,0.2],[5,0.5]]},\n"
		" {\"id\":\"j\",\"kind\":\"jury\",\"points\":15,\"scale\":[0,5]},\n"
		" {\"id\":\"i\",\"kind\":\"info\",\"title\":{\"fr\":\"Note\",\"en\":\"Note\"}}]}],\n"
		"\"jury\":{\"aggregate\":\"median\",\"min_marks\":2,\"calibrate\":\"z\"},\n"
		"\"levels\":[{\"name\":\"@\",\"min_percent\":0},{\"name\":\"@@\",\"min_percent\":50,"
		"\"requires\":{\"==\":[{\"var\":\"answers.a\"},true]}}],\n"
		"\"mentions\":[{\"id\":\"m\",\"name\":\"M\",\"min_level\":2,"
		"\"when\":{\">\":[{\"var\":\"level\"},1]}}]}", &d, &st);
	assert_non_null(r);
	assert_int_equal(st, PAL_OK);
	assert_int_equal(r->ncategories, 1);
	assert_int_equal(r->ncriteria, 4);
	assert_int_equal(r->njury, 1);
	assert_true(r->categories[0].exclude);
	assert_true(r->criteria[0].points == 4.25);
	assert_int_equal(r->criteria[1].nsteps, 2);
	assert_int_equal(r->aggregate, PAL_AGG_MEDIAN);
	assert_int_equal(r->min_marks, 2);
	assert_true(r->calibrate_z);
	assert_int_equal(r->calibrate_min, 5);
	assert_int_equal(r->nlevels, 2);
	assert_int_equal(r->mentions[0].min_level, 2);
	assert_string_equal(r->language, "en");
	assert_int_equal(eng_rubric_find_criterion(r, "j"), 2);
	assert_int_equal(eng_rubric_find_criterion(r, "zz"), -1);
	assert_string_equal(eng_rubric_text(r, r->criteria[3].title, "fr"), "Note");
	assert_int_equal(strlen(r->sha256), 64);
	pal_rubric_free(r);
	pal_diags_free(d);
}

static void test_every_problem_at_once(void **state)
{
	(void)state;
	pal_diags *d;
	int st;
	pal_rubric *r = load(HEAD
		"\"categories\":[{\"id\":\"s\",\"criteria\":[\n"
		" {\"id\":\"Bad_Id\",\"kind\":\"yes-no\",\"points\":4},\n"
		" {\"id\":\"n\",\"kind\":\"number\",\"points\":-1,\"steps\":[[5,0.2],[1,0.5],[9,1.5]]},\n"
		" {\"id\":\"s\",\"kind\":\"yes-no\",\"points\":1.234},\n"
		" {\"id\":\"j\",\"kind\":\"jury\",\"points\":1,\"scale\":[5,5],\"pionts\":3}]}],\n"
		"\"levels\":[{\"name\":\"a\",\"min_percent\":50},{\"name\":\"b\",\"min_percent\":40,"
		"\"requires\":{\"=>\":[1,2]}},\n"
		" {\"name\":\"c\",\"min_percent\":60,\"requires\":{\"==\":[{\"var\":\"answers.nope\"},1]}}]}",
		&d, &st);
	assert_null(r);
	assert_int_equal(st, PAL_REJECTED);
	const pal_diag *g = find(d, "invalid id \"Bad_Id\"");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->col, 8); /* the value "Bad_Id" */
	g = find(d, "expected a number > 0, found -1");
	assert_int_equal(g->line, 4);
	find(d, "thresholds must be strictly increasing");
	find(d, "expected a fraction in [0, 1], found 1.5");
	find(d, "points have at most two decimals");
	find(d, "the scale is empty");
	find(d, "unknown field \"pionts\" (did you mean \"points\"?)");
	find(d, "\"s\" is also a category id");
	g = find(d, "levels go from lowest to highest");
	assert_int_equal(g->line, 7);
	find(d, "unknown operator \"=>\"");
	find(d, "no criterion \"nope\"");
	assert_true(pal_diags_errors(d) >= 11);
	pal_diags_free(d);
}

static void test_rule_scopes(void **state)
{
	(void)state;
	pal_diags *d;
	int st;
	pal_rubric *r = load(HEAD
		"\"categories\":[{\"id\":\"s\",\"criteria\":[{\"id\":\"a\",\"kind\":\"yes-no\",\"points\":1,"
		"\"applies\":{\">\":[{\"var\":\"total.percent\"},1]}}]}],\n"
		"\"levels\":[{\"name\":\"a\",\"min_percent\":0,\"requires\":{\"var\":\"level\"}},"
		"{\"name\":\"b\",\"min_percent\":1,\"requires\":{\"var\":\"criteria.a.bogus\"}}]}", &d, &st);
	assert_null(r);
	find(d, "applies rules see only town and answers");
	find(d, "the level is known to mention rules only");
	find(d, "a criterion has fraction, points, max and applicable");
	pal_diags_free(d);
}

/* Answers match options as the same word (case, accents, " "/"-"/"_"): two options one word apart are refused. */
static void test_option_words(void **state)
{
	(void)state;
	pal_diags *d;
	int st;
	pal_rubric *r = load(HEAD
		"\"categories\":[{\"id\":\"s\",\"criteria\":[{\"id\":\"a\",\"kind\":\"choice\",\"points\":1,"
		"\"options\":{\"en-cours\":1,\"En cours\":0,\"voté\":1,\"VOTE\":0,\"ok\":1}}]}],\n"
		"\"levels\":[{\"name\":\"a\",\"min_percent\":0}]}", &d, &st);
	assert_null(r);
	find(d, "options \"en-cours\" and \"En cours\" are the same answer");
	find(d, "options \"voté\" and \"VOTE\" are the same answer");
	assert_int_equal(pal_diags_count(d), 2);
	pal_diags_free(d);
}

/* A rule naming an unknown id or field gets the nearest known one, as column names do. */
static void test_var_suggestions(void **state)
{
	(void)state;
	pal_diags *d;
	int st;
	pal_rubric *r = load(HEAD
		"\"categories\":[{\"id\":\"services\",\"criteria\":[{\"id\":\"site-accessible\",\"kind\":\"yes-no\","
		"\"points\":1}]}],\n"
		"\"levels\":[{\"name\":\"a\",\"min_percent\":0,\"requires\":{\"and\":["
		"{\"var\":\"answers.site-acessible\"},{\"var\":\"criteria.site-accessible.fractoin\"},"
		"{\"var\":\"categories.servics.percent\"},{\"var\":\"totl.percent\"},"
		"{\"var\":\"criteria.zzzzzz.points\"}]}}]}", &d, &st);
	assert_null(r);
	find(d, "no criterion \"site-acessible\" in this rubric: did you mean \"site-accessible\"?");
	find(d, "\"criteria.site-accessible.fractoin\": did you mean \"fraction\"?");
	find(d, "no category \"servics\" in this rubric: did you mean \"services\"?");
	find(d, "\"totl.percent\": unknown data: did you mean \"total\"?");
	const pal_diag *g = find(d, "no criterion \"zzzzzz\" in this rubric");
	assert_null(strstr(g->text, "did you mean"));
	pal_diags_free(d);
}

/* town.<attr> may be any attribute dossiers give: one close to a known field is only a warning. */
static void test_town_field_typo(void **state)
{
	(void)state;
	pal_diags *d;
	int st;
	pal_rubric *r = load(HEAD
		"\"categories\":[{\"id\":\"s\",\"criteria\":[{\"id\":\"a\",\"kind\":\"yes-no\",\"points\":1,"
		"\"applies\":{\"and\":[{\">=\":[{\"var\":\"town.populaton\"},3500]},{\"var\":\"town.epci\"},"
		"{\"var\":\"town.population\"}]}}]}],\n"
		"\"levels\":[{\"name\":\"a\",\"min_percent\":0}]}", &d, &st);
	assert_non_null(r);
	assert_int_equal(st, PAL_OK);
	assert_int_equal(pal_diags_count(d), 1);
	const pal_diag *g = find(d, "\"town.populaton\": not a field palmares knows: did you mean "
	                            "\"population\"?");
	assert_int_equal(g->severity, PAL_WARNING);
	pal_rubric_free(r);
	pal_diags_free(d);
}

static void test_malformed_json_position(void **state)
{
	(void)state;
	pal_diags *d;
	int st;
	pal_rubric *r = load("{\n  \"format\": \"palmares-rubric/1\",\n  \"id\": \"x\" \"edition\": 1\n}", &d,
	                     &st);
	assert_null(r);
	assert_int_equal(st, PAL_REJECTED);
	const pal_diag *g = find(d, "malformed JSON");
	assert_int_equal(g->line, 3);
	assert_true(g->col > 0);
	pal_diags_free(d);
	r = load("{\"a\":1,\"a\":2}", &d, &st);
	assert_null(r);
	find(d, "duplicate object key");
	pal_diags_free(d);
}

/* A rubric given as text (the web front keeps it in its store) reads as the same file would. */
static void test_load_text(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"{\n  \"format\": \"palmares-rubric/1\",\n  \"id\": \"x\" \"edition\": 1\n}",
		"{\"a\":1,\"a\":2}",
		HEAD "\"levels\": []}",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		pal_diags *df, *dt = pal_diags_new();
		int sf, stt;
		pal_rubric *rf = load(texts[i], &df, &sf);
		pal_rubric *rt = pal_rubric_load_text(path, texts[i], strlen(texts[i]), dt, &stt);
		assert_int_equal(sf, stt);
		assert_int_equal(rf == NULL, rt == NULL);
		assert_int_equal(pal_diags_count(df), pal_diags_count(dt));
		assert_true(pal_diags_count(dt) > 0);
		for (size_t k = 0; k < pal_diags_count(dt); k++) {
			char a[512], b[512];
			pal_diag_format(pal_diags_get(df, k), a, sizeof a);
			pal_diag_format(pal_diags_get(dt, k), b, sizeof b);
			assert_string_equal(a, b);
		}
		pal_rubric_free(rf);
		pal_rubric_free(rt);
		pal_diags_free(df);
		pal_diags_free(dt);
	}
}

static void test_unreadable(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int st;
	assert_null(pal_rubric_load("/nonexistent/rubric.json", d, &st));
	assert_int_equal(st, PAL_IOERR);
	find(d, "cannot read");
	pal_diags_free(d);
}

static void test_jsonpos(void **state)
{
	(void)state;
	const char *text = "{\"a\": [1, {\"b~/c\": \"x\"}],\n \"é\": {\"d\": null}}";
	const char *ptrs[] = {"/a/1/b~0~1c", "/é/d", "/a/0", "/a/7", ""};
	long lines[5], cols[5];
	assert_int_equal(palx_jsonpos_find(text, strlen(text), ptrs, 5, lines, cols), 0);
	assert_int_equal(lines[0], 1);
	assert_int_equal(cols[0], 20);
	assert_int_equal(lines[1], 2);
	assert_int_equal(cols[1], 13);
	assert_int_equal(cols[2], 8);
	assert_int_equal(cols[3], 7); /* no such element: the enclosing array */
	assert_int_equal(cols[4], 1);
}

/*
 * Rubrics loaded on several threads at once (the web front's pool loads its
 * rubric per request): each finds its own criteria. The index by id was once
 * sorted through a static pointer, and two loads at once sorted each other's
 * (a crash in the server, or a lookup that fails).
 */
static void *load_many(void *arg)
{
	size_t k = (size_t)(uintptr_t)arg, n = 400 + k * 100;
	size_t cap = 400 + n * 80;
	char *text = malloc(cap), *o = text;
	o += snprintf(o, cap, HEAD "\"categories\":[{\"id\":\"s\",\"criteria\":[");
	for (size_t i = 0; i < n; i++) /* ids in reverse order, so that the sort has work */
		o += snprintf(o, cap - (size_t)(o - text), "%s{\"id\":\"c%zu-%03zu\",\"kind\":\"yes-no\",\"points\":1}", i ? "," : "", k,
		             n - i);
	snprintf(o, cap - (size_t)(o - text), "]}],\"levels\":[{\"name\":\"@\",\"min_percent\":0}]}");
	int bad = 0;
	for (int round = 0; round < 60 && !bad; round++) {
		pal_diags *d = pal_diags_new();
		int st;
		pal_rubric *r = pal_rubric_load_text("r.json", text, strlen(text), d, &st);
		bad = !r || r->ncriteria != n;
		for (size_t i = 0; !bad && i < n; i++) {
			char id[32];
			snprintf(id, sizeof id, "c%zu-%03zu", k, n - i);
			bad = eng_rubric_find_criterion(r, id) != (long)i;
		}
		pal_rubric_free(r);
		pal_diags_free(d);
	}
	free(text);
	return (void *)(uintptr_t)bad;
}

static void test_loads_on_threads(void **state)
{
	(void)state;
	pthread_t th[4];
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(pthread_create(&th[k], NULL, load_many, (void *)(uintptr_t)k), 0);
	for (size_t k = 0; k < 4; k++) {
		void *bad;
		pthread_join(th[k], &bad);
		assert_null(bad);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_model),
		cmocka_unit_test(test_every_problem_at_once),
		cmocka_unit_test(test_rule_scopes),
		cmocka_unit_test(test_option_words),
		cmocka_unit_test(test_var_suggestions),
		cmocka_unit_test(test_town_field_typo),
		cmocka_unit_test(test_malformed_json_position),
		cmocka_unit_test(test_load_text),
		cmocka_unit_test(test_loads_on_threads),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_jsonpos),
	};
	snprintf(path, sizeof path, "/tmp/palmares-rubric-%d.json", (int)getpid());
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(path);
	return rc;
}
