/*
 * The jury's figures in memory (palmares/jury_view.h, engine/jury_view.c):
 * the sample campaign with its marks and overrides is scored and written
 * as a results file; the accessors must say what the file says — alpha
 * per jury criterion, each juror's calibration, each town's computed
 * level, override, disagreement flags, marks, comments and aggregates.
 * Before scoring, nothing is claimed.
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

#include "palmares/jury_view.h"
#include "palmares/palmares.h"

/* The results file writes statistics rounded to 2 decimals. */
static void near(double a, double b)
{
	if (fabs(a - b) > 0.0051)
		fail_msg("%.17g is not %.17g", a, b);
}

static void check_jury(const pal_campaign *c, const json_t *jury)
{
	const json_t *crit = json_object_get(jury, "criteria"), *jurors = json_object_get(jury, "jurors");
	assert_int_equal(pal_campaign_jury_count_criteria(c), json_array_size(crit));
	int some_alpha = 0;
	for (size_t j = 0; j < json_array_size(crit); j++) {
		const json_t *o = json_array_get(crit, j), *a = json_object_get(o, "alpha");
		double alpha;
		size_t dossiers, marks;
		assert_string_equal(pal_campaign_jury_criterion(c, j),
				    json_string_value(json_object_get(o, "id")));
		assert_int_equal(pal_campaign_jury_alpha(c, j, &alpha, &dossiers, &marks), !json_is_null(a));
		if (!json_is_null(a)) {
			near(alpha, json_number_value(a));
			some_alpha = 1;
		}
		assert_int_equal(dossiers, json_integer_value(json_object_get(o, "dossiers")));
		assert_int_equal(marks, json_integer_value(json_object_get(o, "marks")));
	}
	assert_true(some_alpha); /* the sample's marks define at least one */
	assert_int_equal(pal_campaign_jury_count_jurors(c), json_array_size(jurors));
	assert_true(json_array_size(jurors) > 1);
	for (size_t k = 0; k < json_array_size(jurors); k++) {
		const json_t *o = json_array_get(jurors, k);
		size_t marks;
		double mean, sd;
		int cal;
		assert_string_equal(pal_campaign_jury_juror(c, k),
				    json_string_value(json_object_get(o, "id")));
		pal_campaign_jury_juror_stats(c, k, &marks, &mean, &sd, &cal);
		assert_int_equal(marks, json_integer_value(json_object_get(o, "marks")));
		near(mean, json_number_value(json_object_get(o, "mean")));
		near(sd, json_number_value(json_object_get(o, "sd")));
		assert_int_equal(cal, json_is_true(json_object_get(o, "calibrated")));
	}
}

/* Returns the town's number of disagreeing criteria found in the file. */
static size_t check_town(const pal_rubric *r, const pal_campaign *c, size_t t, const json_t *town)
{
	const json_t *cl = json_object_get(town, "computed_level"), *ov = json_object_get(town, "override");
	assert_int_equal(pal_campaign_town_computed_level(c, t),
			 json_is_null(cl) ? -1 : json_integer_value(cl));
	const char *reason = pal_campaign_town_override_reason(c, t);
	if (json_is_null(ov))
		assert_null(reason);
	else
		assert_string_equal(reason, json_string_value(json_object_get(ov, "reason")));
	const json_t *crits = json_object_get(town, "criteria");
	pal_town_results *tr = pal_campaign_town_results(c, t);
	assert_non_null(tr);
	size_t flags = 0;
	for (size_t i = 0; i < json_array_size(crits); i++) {
		const json_t *o = json_array_get(crits, i), *marks = json_object_get(o, "marks");
		double agg, raw;
		if (!marks) {
			assert_int_equal(pal_town_results_count_marks(tr, i), 0);
			assert_int_equal(pal_town_results_disagreement(tr, i), 0);
			continue;
		}
		assert_int_equal(pal_town_results_count_marks(tr, i), json_array_size(marks));
		for (size_t k = 0; k < json_array_size(marks); k++) {
			const json_t *m = json_array_get(marks, k);
			const char *juror, *comment;
			double mark;
			pal_town_results_mark(tr, i, k, &juror, &mark, &comment);
			assert_string_equal(juror, json_string_value(json_object_get(m, "juror")));
			assert_true(fabs(mark - json_number_value(json_object_get(m, "mark"))) < 1e-9);
			assert_string_equal(comment, json_string_value(json_object_get(m, "comment")));
		}
		const json_t *a = json_object_get(o, "aggregate");
		assert_int_equal(pal_town_results_aggregate(tr, i, &agg, &raw), !json_is_null(a));
		if (!json_is_null(a)) {
			near(agg, json_number_value(a));
			near(raw, json_number_value(json_object_get(o, "aggregate_raw")));
		}
		int dis = json_is_true(json_object_get(o, "disagreement"));
		assert_int_equal(pal_town_results_disagreement(tr, i), dis);
		flags += (size_t)dis;
	}
	if (!json_is_array(crits))
		assert_int_equal(pal_campaign_town_count_disagreements(c, t), 0);
	else
		assert_int_equal(pal_campaign_town_count_disagreements(c, t), flags);
	(void)r;
	pal_town_results_free(tr);
	return flags;
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
	assert_int_equal(pal_campaign_add_marks(c, "../examples/marks.csv", d), PAL_OK);
	assert_int_equal(pal_campaign_set_overrides(c, "../examples/overrides.csv", d), PAL_OK);
	/* before scoring: no statistics, no level */
	double alpha;
	size_t dossiers = 9, marks = 9;
	assert_true(pal_campaign_jury_count_criteria(c) > 0);
	assert_int_equal(pal_campaign_jury_alpha(c, 0, &alpha, &dossiers, &marks), 0);
	assert_int_equal(dossiers + marks, 0);
	assert_int_equal(pal_campaign_jury_count_jurors(c), 0);
	assert_int_equal(pal_campaign_town_computed_level(c, 0), -1);
	assert_null(pal_campaign_town_override_reason(c, 0));
	assert_int_equal(pal_campaign_town_count_disagreements(c, 0), 0);
	pal_campaign_score(c, d);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_int_equal(pal_results_write(c, PAL_RESULTS_JSON, NULL, f), 0);
	fclose(f);
	json_error_t e;
	json_t *res = json_loadb(buf, len, 0, &e);
	assert_non_null(res);
	check_jury(c, json_object_get(res, "jury"));
	json_t *towns = json_object_get(res, "towns");
	assert_int_equal(json_array_size(towns), pal_campaign_count(c));
	size_t flags = 0, overrides = 0;
	for (size_t t = 0; t < json_array_size(towns); t++) {
		flags += check_town(r, c, t, json_array_get(towns, t));
		overrides += pal_campaign_town_override_reason(c, t) != NULL;
	}
	/* the sample has both, or the comparisons above prove little */
	assert_true(flags > 0);
	assert_true(overrides > 0);
	/* each jury criterion's rubric index names it */
	for (size_t j = 0; j < pal_campaign_jury_count_criteria(c); j++)
		assert_string_equal(pal_rubric_criterion_id(r, pal_campaign_jury_criterion_index(c, j)),
				    pal_campaign_jury_criterion(c, j));
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
