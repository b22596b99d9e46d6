/*
 * One town's results (engine/town_view.c) under allocation failures: the
 * module is compiled into this test through failing_alloc.h, and the n-th
 * of its allocations is made to fail for n = 0, 1, 2… until
 * pal_campaign_town_results() succeeds. Every failure must return NULL and
 * free what it took (cmocka fails a test that leaks); the handle then
 * obtained must say what a handle obtained at once says.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failing_alloc.h"

#include "../../engine/town_view.c"

static void test_town_results_alloc(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int st;
	pal_rubric *r = pal_rubric_load("../criteria/villes-internet-2027.json", d, &st);
	assert_non_null(r);
	pal_campaign *c = pal_campaign_new(r);
	assert_int_equal(pal_campaign_add_dossiers(c, "../examples/dossiers.json", d), PAL_OK);
	static const char bad[] = "{\"town\":{\"id\":\"99001\",\"name\":\"E\"},\"answers\":{\"epn\":\"x\"}}";
	assert_int_equal(
		pal_campaign_add_dossiers_text(c, "web.json", bad, sizeof bad - 1, PAL_DOSSIER_JSON, d),
		PAL_REJECTED);
	/* marks for towns of the other files are refused: not the point here */
	assert_int_not_equal(pal_campaign_add_marks(c, "../examples/marks.csv", d), PAL_IOERR);
	pal_campaign_score(c, d);
	for (size_t t = 0; t < pal_campaign_count(c); t++) {
		pal_town_results *want = pal_campaign_town_results(c, t), *got = NULL;
		assert_non_null(want);
		long n = 0;
		for (;; n++) {
			failing_alloc_arm(n);
			got = pal_campaign_town_results(c, t);
			int fired = failing_alloc_fired;
			failing_alloc_disarm();
			if (!fired)
				break;
			assert_null(got);
		}
		assert_non_null(got);
		assert_true(n > 0); /* some allocation was made to fail */
		assert_int_equal(pal_town_results_count_messages(got), pal_town_results_count_messages(want));
		for (size_t i = 0; i < pal_rubric_count_criteria(r); i++) {
			double p1, m1, p2, m2;
			assert_int_equal(pal_town_results_points(got, i, &p1, &m1),
					 pal_town_results_points(want, i, &p2, &m2));
			assert_true(p1 == p2 && m1 == m2);
			assert_int_equal(pal_town_results_applies(got, i), pal_town_results_applies(want, i));
		}
		pal_town_results_free(got);
		pal_town_results_free(want);
	}
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_town_results_alloc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
