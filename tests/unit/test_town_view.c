/*
 * One town's results in memory (palmares/town.h, engine/town_view.c): the
 * sample campaign, with a few dossiers in error added as texts, is scored
 * and written as a results file; every town's accessors must say what the
 * file says of it (status, score, level, mentions, each criterion's
 * applicability, answer, points and evidence, each message's code,
 * criterion, value, extra and text). Before scoring, nothing is claimed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "palmares/palmares.h"

/* The results file writes points and percents rounded to 2 decimals (eng_format_number). */
static void near(double a, double b)
{
	if (fabs(a - b) > 0.0051)
		fail_msg("%.17g is not %.17g", a, b);
}

/* Answers are written in full (eng_format_number_full). */
static void same(double a, double b)
{
	if (fabs(a - b) > 1e-12 * (1 + fabs(b)))
		fail_msg("%.17g is not %.17g", a, b);
}

/* A string member, or NULL when null or absent. */
static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void same_string(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void check_answer(const pal_rubric *r, const pal_town_results *tr, size_t i, const json_t *a)
{
	pal_answer_form f = pal_town_results_answer(tr, i);
	if (!a)
		return; /* a jury criterion: marks, no answer */
	if (json_is_null(a)) {
		assert_true(f == PAL_ANSWER_NONE || f == PAL_ANSWER_REFUSED);
	} else if (json_is_boolean(a)) {
		assert_int_equal(f, PAL_ANSWER_YES_NO);
		assert_int_equal(pal_town_results_answer_yes(tr, i), json_is_true(a));
	} else if (json_is_number(a)) {
		assert_int_equal(f, PAL_ANSWER_NUMBER);
		same(pal_town_results_answer_number(tr, i), json_number_value(a));
	} else if (json_is_array(a)) {
		assert_int_equal(f, PAL_ANSWER_OPTIONS);
		assert_int_equal(pal_town_results_answer_count_options(tr, i), json_array_size(a));
		for (size_t k = 0; k < json_array_size(a); k++)
			assert_string_equal(
				pal_rubric_criterion_option(r, i, pal_town_results_answer_option(tr, i, k)),
				json_string_value(json_array_get(a, k)));
	} else if (f == PAL_ANSWER_NA) {
		assert_string_equal(json_string_value(a), "n/a");
	} else if (f == PAL_ANSWER_OPTIONS) {
		assert_int_equal(pal_town_results_answer_count_options(tr, i), 1);
		assert_string_equal(
			pal_rubric_criterion_option(r, i, pal_town_results_answer_option(tr, i, 0)),
			json_string_value(a));
	} else {
		assert_int_equal(f, PAL_ANSWER_TEXT);
		assert_string_equal(pal_town_results_answer_text(tr, i), json_string_value(a));
	}
}

static void check_town(const pal_rubric *r, const pal_campaign *c, size_t t, const json_t *town)
{
	double p, m, pc;
	const json_t *score = json_object_get(town, "score");
	assert_string_equal(pal_campaign_town_id(c, t), str(town, "id"));
	assert_string_equal(pal_campaign_town_name(c, t), str(town, "name"));
	assert_string_equal(pal_campaign_town_status(c, t), str(town, "status"));
	assert_int_equal(pal_campaign_town_score(c, t, &p, &m, &pc), !json_is_null(score));
	if (!json_is_null(score)) {
		near(p, json_number_value(json_object_get(score, "points")));
		near(m, json_number_value(json_object_get(score, "max")));
		near(pc, json_number_value(json_object_get(score, "percent")));
	}
	const json_t *level = json_object_get(town, "level");
	assert_int_equal(pal_campaign_town_level(c, t), json_is_null(level) ? -1 : json_integer_value(level));
	same_string(pal_campaign_town_level_name(c, t), str(town, "level_name"));
	const json_t *mentions = json_object_get(town, "mentions");
	assert_int_equal(pal_campaign_town_count_mentions(c, t), json_array_size(mentions));
	for (size_t k = 0; k < json_array_size(mentions); k++)
		assert_string_equal(pal_campaign_town_mention(c, t, k),
				    json_string_value(json_array_get(mentions, k)));

	pal_town_results *tr = pal_campaign_town_results(c, t);
	assert_non_null(tr);
	const json_t *crits = json_object_get(town, "criteria");
	for (size_t i = 0; i < pal_rubric_count_criteria(r); i++) {
		const json_t *cr = json_array_get(crits, i);
		int counted = pal_town_results_points(tr, i, &p, &m);
		if (!cr) { /* an invalid dossier: criteria null */
			assert_int_equal(counted, 0);
			continue;
		}
		assert_string_equal(str(cr, "id"), pal_rubric_criterion_id(r, i));
		assert_int_equal(pal_town_results_applies(tr, i),
				 json_is_true(json_object_get(cr, "applicable")));
		assert_int_equal(counted, !json_is_null(json_object_get(cr, "points")));
		if (counted) {
			near(p, json_number_value(json_object_get(cr, "points")));
			near(m, json_number_value(json_object_get(cr, "max")));
		}
		check_answer(r, tr, i, json_object_get(cr, "answer"));
		same_string(pal_town_results_evidence(tr, i), str(cr, "evidence"));
	}
	const json_t *msgs = json_object_get(town, "messages");
	assert_int_equal(pal_town_results_count_messages(tr), json_array_size(msgs));
	size_t nerr = 0, nwarn = 0;
	for (size_t k = 0; k < json_array_size(msgs); k++) {
		const json_t *jm = json_array_get(msgs, k);
		const pal_town_message *g = pal_town_results_message(tr, k);
		same_string(g->code, str(jm, "code"));
		same_string(g->value, str(jm, "value"));
		same_string(g->extra, str(jm, "extra"));
		assert_string_equal(g->text, str(jm, "text"));
		const char *crit = str(jm, "criterion");
		if (crit)
			assert_string_equal(pal_rubric_criterion_id(r, (size_t)g->criterion), crit);
		else
			assert_int_equal(g->criterion, -1);
		/* full: the errors' and warnings' lists, in the same order */
		const char *list = g->severity == PAL_ERROR ? "errors" : "warnings";
		size_t *n = g->severity == PAL_ERROR ? &nerr : &nwarn;
		assert_string_equal(g->full,
				    json_string_value(json_array_get(json_object_get(town, list), (*n)++)));
	}
	pal_town_results_free(tr);
}

/* Appends cell to the CSV text in f, quoted as CSV quotes it. */
static void put_cell(FILE *f, const char *cell, int first)
{
	if (!first)
		fputc(',', f);
	fputc('"', f);
	for (const char *p = cell; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/*
 * Every scored town's answers written as cells (pal_town_results_answer_cell)
 * into one CSV, read back as a text: each answer is the same.
 */
static void check_cells_read_back(const pal_rubric *r, const pal_campaign *c)
{
	char *csv = NULL, cell[4096];
	size_t len = 0, n = pal_rubric_count_criteria(r);
	FILE *f = open_memstream(&csv, &len);
	assert_non_null(f);
	fputs("town_id,town_name", f);
	for (size_t i = 0; i < n; i++)
		if (strcmp(pal_rubric_criterion_kind(r, i), "jury") != 0)
			put_cell(f, pal_rubric_criterion_id(r, i), 0);
	fputc('\n', f);
	size_t rows = 0;
	for (size_t t = 0; t < 30; t++) {
		pal_town_results *tr = pal_campaign_town_results(c, t);
		put_cell(f, pal_campaign_town_id(c, t), 1);
		put_cell(f, pal_campaign_town_name(c, t), 0);
		for (size_t i = 0; i < n; i++) {
			if (strcmp(pal_rubric_criterion_kind(r, i), "jury") == 0)
				continue;
			size_t w = pal_town_results_answer_cell(tr, i, cell, sizeof cell);
			assert_true(w < sizeof cell);
			assert_int_equal(w, strlen(cell));
			put_cell(f, cell, 0);
		}
		fputc('\n', f);
		rows++;
		pal_town_results_free(tr);
	}
	fclose(f);
	pal_campaign *back = pal_campaign_new(r);
	pal_diags *d = pal_diags_new();
	int st = pal_campaign_add_dossiers_text(back, "cells.csv", csv, len, PAL_DOSSIER_BY_NAME, d);
	if (st != PAL_OK)
		pal_diags_print(d, 0, stderr);
	assert_int_equal(st, PAL_OK);
	assert_int_equal(pal_campaign_count(back), rows);
	for (size_t t = 0; t < rows; t++) {
		pal_town_results *a = pal_campaign_town_results(c, t),
				 *b = pal_campaign_town_results(back, t);
		for (size_t i = 0; i < n; i++) {
			pal_answer_form fa = pal_town_results_answer(a, i),
					fb = pal_town_results_answer(b, i);
			if (fa == PAL_ANSWER_OPTIONS && pal_town_results_answer_count_options(a, i) == 0) {
				assert_int_equal(fb,
						 PAL_ANSWER_NONE); /* an empty multi: no cell can say it */
				continue;
			}
			assert_int_equal(fa, fb);
			assert_int_equal(pal_town_results_answer_yes(a, i),
					 pal_town_results_answer_yes(b, i));
			assert_true(pal_town_results_answer_number(a, i) ==
				    pal_town_results_answer_number(b, i));
			size_t k = pal_town_results_answer_count_options(a, i);
			assert_int_equal(k, pal_town_results_answer_count_options(b, i));
			while (k--)
				assert_int_equal(pal_town_results_answer_option(a, i, k),
						 pal_town_results_answer_option(b, i, k));
			same_string(pal_town_results_answer_text(a, i), pal_town_results_answer_text(b, i));
		}
		pal_town_results_free(a);
		pal_town_results_free(b);
	}
	/* a buffer too short: cut, NUL-terminated, the full length returned */
	pal_town_results *tr = pal_campaign_town_results(c, 0);
	for (size_t i = 0; i < n; i++) {
		size_t w = pal_town_results_answer_cell(tr, i, cell, sizeof cell);
		char small[3];
		assert_int_equal(pal_town_results_answer_cell(tr, i, small, sizeof small), w);
		assert_true(strlen(small) == (w < 2 ? w : 2));
		assert_memory_equal(small, cell, strlen(small));
	}
	pal_town_results_free(tr);
	pal_diags_free(d);
	pal_campaign_free(back);
	free(csv);
}

static void test_sample_campaign(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int st;
	pal_rubric *r = pal_rubric_load("../criteria/villes-internet-2027.json", d, &st);
	assert_non_null(r);
	pal_campaign *c = pal_campaign_new(r);
	static const char *const files[] = {"../examples/dossiers-excel.csv",
					    "../examples/dossiers-libreoffice.csv",
					    "../examples/dossiers-google.csv", "../examples/dossiers.json"};
	for (size_t k = 0; k < 4; k++)
		assert_int_equal(pal_campaign_add_dossiers(c, files[k], d), PAL_OK);
	/* towns in error: an answer refused, an unknown criterion, a duplicate id, a missing name */
	static const char bad[] =
		"[{\"town\":{\"id\":\"99001\",\"name\":\"Erreurville\",\"population\":5000},"
		"\"answers\":{\"budget-participatif\":\"peut-être\",\"nope\":1}},"
		"{\"town\":{\"id\":\"99002\"}},"
		"{\"town\":{\"id\":\"99001\",\"name\":\"Erreurville bis\"}}]";
	assert_int_equal(
		pal_campaign_add_dossiers_text(c, "web.json", bad, sizeof bad - 1, PAL_DOSSIER_BY_NAME, d),
		PAL_REJECTED);
	size_t n = pal_campaign_count(c);
	assert_int_equal(n, 33);
	/* before scoring: no status, no level, no points */
	double p, m, pc;
	assert_null(pal_campaign_town_status(c, 0));
	assert_int_equal(pal_campaign_town_level(c, 0), -1);
	assert_int_equal(pal_campaign_town_score(c, 0, &p, &m, &pc), 0);
	assert_int_equal(pal_campaign_add_marks(c, "../examples/marks.csv", d), PAL_OK);
	assert_int_equal(pal_campaign_set_overrides(c, "../examples/overrides.csv", d), PAL_OK);
	pal_campaign_score(c, d);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(pal_results_write(c, PAL_RESULTS_JSON, NULL, f), 0);
	fclose(f);
	json_error_t e;
	json_t *res = json_loadb(buf, len, 0, &e);
	assert_non_null(res);
	json_t *towns = json_object_get(res, "towns");
	assert_int_equal(json_array_size(towns), n);
	for (size_t t = 0; t < n; t++)
		check_town(r, c, t, json_array_get(towns, t));

	/* by id: the first dossier of a duplicated id; an unknown one */
	long t = pal_campaign_find_town(c, "99001");
	assert_int_equal(t, 30);
	assert_string_equal(pal_campaign_town_status(c, (size_t)t), "invalid");
	assert_int_equal(pal_campaign_find_town(c, "00000"), -1);
	/* the refused answer: its message names the criterion and keeps what was typed */
	pal_town_results *tr = pal_campaign_town_results(c, (size_t)t);
	long site = pal_rubric_find_criterion(r, "budget-participatif");
	assert_true(site >= 0);
	int found = 0;
	assert_int_equal(pal_town_results_answer(tr, (size_t)site), PAL_ANSWER_REFUSED);
	for (size_t k = 0; k < pal_town_results_count_messages(tr); k++) {
		const pal_town_message *g = pal_town_results_message(tr, k);
		if (g->criterion == site) {
			assert_string_equal(g->code, "invalid-answer");
			assert_non_null(strstr(g->value, "peut-être"));
			assert_non_null(strstr(g->full, "web.json:"));
			found = 1;
		}
	}
	assert_true(found);
	pal_town_results_free(tr);
	pal_town_results_free(NULL);
	check_cells_read_back(r, c);
	/* a scored town has a level and its name */
	t = pal_campaign_find_town(c, str(json_array_get(towns, 0), "id"));
	assert_int_equal(t, 0);
	assert_true(pal_campaign_town_level(c, 0) >= 0);

	json_decref(res);
	free(buf);
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_campaign),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
