/*
 * Unit tests of engine/jurystats.c: aggregates, z calibration (SPEC.md §5.1)
 * and Krippendorff's alpha (§5.2). The module is compiled in here so that its
 * allocations go through cmocka (leaks fail) and can be made to fail.
 */
#include <math.h>
#include <stdio.h>

#include "failing_alloc.h"

#include "../../engine/jurystats.c"

#define EPS 1e-12

/* ---- aggregates ---- */

static void check_aggregates(const double *v, size_t n, double mean, double median, double trimmed)
{
	double *copy = malloc(n * sizeof *copy);
	assert_non_null(copy);
	memcpy(copy, v, n * sizeof *v);
	assert_float_equal(eng_aggregate_compute(PAL_AGG_MEAN, v, n), mean, EPS);
	assert_float_equal(eng_aggregate_compute(PAL_AGG_MEDIAN, v, n), median, EPS);
	assert_float_equal(eng_aggregate_compute(PAL_AGG_TRIMMED, v, n), trimmed, EPS);
	assert_memory_equal(copy, v, n * sizeof *v); /* the caller's order is kept */
	free(copy);
}

static void test_aggregates(void **state)
{
	(void)state;
	const double one[] = { 3 };
	const double three[] = { 4, 1, 3 };
	const double four[] = { 5, 1, 2, 2 };
	const double five[] = { 1, 10, 2, 3, 4 };
	const double ties[] = { 1, 1, 5, 5 };
	const double same[] = { 2, 2, 2, 2 };
	const double six[] = { 7, 7, 1, 9, 9, 9 };
	const double halves[] = { 0.1, 0.2 };

	check_aggregates(one, 1, 3, 3, 3);
	check_aggregates(three, 3, 8.0 / 3, 3, 8.0 / 3); /* fewer than 4: trimmed = mean */
	check_aggregates(four, 4, 2.5, 2, 2);
	check_aggregates(five, 5, 4, 3, 3);
	check_aggregates(ties, 4, 3, 3, 3);           /* one 1 and one 5 dropped */
	check_aggregates(same, 4, 2, 2, 2);
	check_aggregates(six, 6, 7, 8, 8);            /* median (7 + 9) / 2; trimmed {7,7,9,9} */
	check_aggregates(halves, 2, 0.15, 0.15, 0.15);

	/* Values in insertion order reversed give the same answers. */
	const double rev[] = { 9, 9, 9, 1, 7, 7 };
	check_aggregates(rev, 6, 7, 8, 8);

	assert_true(isnan(eng_aggregate_compute(PAL_AGG_MEAN, one, 0)));
	assert_true(isnan(eng_aggregate_compute(PAL_AGG_MEDIAN, NULL, 3)));
	assert_true(isnan(eng_aggregate_compute((pal_aggregate)42, one, 1)));
}

static void test_mean_is_compensated(void **state)
{
	(void)state;
	/* Naive left-to-right summation loses both 1s and returns 0.25. */
	const double v[] = { 1e16, 1, -1e16, 1 };
	assert_float_equal(eng_aggregate_compute(PAL_AGG_MEAN, v, 4), 0.5, 0);
}

static void test_aggregate_names(void **state)
{
	(void)state;
	pal_aggregate a = PAL_AGG_MEAN;
	assert_int_equal(eng_aggregate_parse("median", &a), PAL_STATS_OK);
	assert_int_equal(a, PAL_AGG_MEDIAN);
	assert_int_equal(eng_aggregate_parse("trimmed-mean", &a), PAL_STATS_OK);
	assert_int_equal(a, PAL_AGG_TRIMMED);
	assert_int_equal(eng_aggregate_parse("mean", &a), PAL_STATS_OK);
	assert_int_equal(a, PAL_AGG_MEAN);
	assert_int_equal(eng_aggregate_parse("average", &a), PAL_STATS_EINVAL);
	assert_int_equal(eng_aggregate_parse("Mean", &a), PAL_STATS_EINVAL);
	assert_int_equal(eng_aggregate_parse(NULL, &a), PAL_STATS_EINVAL);
	assert_string_equal(eng_aggregate_name(PAL_AGG_TRIMMED), "trimmed-mean");
	assert_string_equal(eng_aggregate_name(PAL_AGG_MEDIAN), "median");
	assert_string_equal(eng_aggregate_name((pal_aggregate)42), "?");
}

/* ---- z calibration ---- */

static void test_zcal_hand_example(void **state)
{
	(void)state;
	/* juror 0: 0.2 0.4 0.6 — juror 1: 0.5 five times — juror 2: 0 1 .5 .5 0 1 — juror 3: none */
	const pal_zmark m[] = {
		{ 0, 0.2 }, { 1, 0.5 }, { 2, 0.0 }, { 0, 0.4 }, { 1, 0.5 }, { 2, 1.0 }, { 2, 0.5 },
		{ 1, 0.5 }, { 0, 0.6 }, { 2, 0.5 }, { 1, 0.5 }, { 2, 0.0 }, { 1, 0.5 }, { 2, 1.0 },
	};
	pal_zjuror j[4];
	pal_zcal z;
	/* Σf = 6.7, Σf² = 4.31 over 14 marks. */
	double mu = 6.7 / 14, sigma = sqrt(4.31 / 14 - mu * mu);
	double s0 = sqrt(0.08 / 3), s2 = sqrt(1.0 / 6);

	assert_int_equal(eng_zcal_compute(&z, j, 4, 3, m, 14), PAL_STATS_OK);
	assert_int_equal(z.count, 14);
	assert_float_equal(z.mean, mu, EPS);
	assert_float_equal(z.sd, sigma, EPS);
	assert_ptr_equal(z.jurors, j);
	assert_int_equal(z.njurors, 4);

	assert_int_equal(j[0].count, 3);
	assert_float_equal(j[0].mean, 0.4, EPS);
	assert_float_equal(j[0].sd, s0, EPS);
	assert_true(j[0].calibrated);
	assert_float_equal(j[0].min, 0.2, 0);
	assert_float_equal(j[0].max, 0.6, 0);

	assert_int_equal(j[1].count, 5);
	assert_float_equal(j[1].mean, 0.5, 0);
	assert_float_equal(j[1].sd, 0.0, 0);
	assert_false(j[1].calibrated); /* σj = 0 */

	assert_int_equal(j[2].count, 6);
	assert_float_equal(j[2].mean, 0.5, EPS);
	assert_float_equal(j[2].sd, s2, EPS);
	assert_true(j[2].calibrated);

	assert_int_equal(j[3].count, 0);
	assert_false(j[3].calibrated);

	assert_float_equal(eng_zcal_apply(&z, 0, 0.6), mu + sigma * 0.2 / s0, EPS);
	assert_float_equal(eng_zcal_apply(&z, 0, 0.4), mu, EPS); /* the juror's mean maps to μ */
	assert_float_equal(eng_zcal_apply(&z, 2, 0.25), mu + sigma * -0.25 / s2, EPS);
	assert_float_equal(eng_zcal_apply(&z, 0, 1.0), 1.0, 0); /* 1.51 clamped */
	assert_float_equal(eng_zcal_apply(&z, 0, 0.0), 0.0, 0); /* −0.21 clamped */
	assert_float_equal(eng_zcal_apply(&z, 1, 0.5), 0.5, 0); /* not calibrated: unchanged */
	assert_float_equal(eng_zcal_apply(&z, 3, 0.7), 0.7, 0);
	assert_float_equal(eng_zcal_apply(&z, 99, 0.7), 0.7, 0); /* out of range: unchanged */

	/* calibrate_min 4: juror 0 (3 marks) is left alone, juror 2 (6 marks) is not. */
	assert_int_equal(eng_zcal_compute(&z, j, 4, 4, m, 14), PAL_STATS_OK);
	assert_false(j[0].calibrated);
	assert_true(j[2].calibrated);
	assert_float_equal(eng_zcal_apply(&z, 0, 0.6), 0.6, 0);
}

static void test_zcal_equal_marks_are_not_calibrated(void **state)
{
	(void)state;
	/* Ten times 0.1 sums to 0.9999999999999999: a variance taken from that rounded
	 * mean would be a tiny positive number, and the juror would be "calibrated". */
	pal_zmark m[12];
	pal_zjuror j[2];
	pal_zcal z;
	for (size_t i = 0; i < 10; i++)
		m[i] = (pal_zmark){ 0, 0.1 };
	m[10] = (pal_zmark){ 1, 0.3 };
	m[11] = (pal_zmark){ 1, 0.9 };
	assert_int_equal(eng_zcal_compute(&z, j, 2, 1, m, 12), PAL_STATS_OK);
	assert_float_equal(j[0].mean, 0.1, 0);
	assert_float_equal(j[0].sd, 0.0, 0);
	assert_false(j[0].calibrated);
	assert_float_equal(eng_zcal_apply(&z, 0, 0.1), 0.1, 0);
	assert_true(j[1].calibrated);
	assert_float_equal(j[1].sd, 0.3, EPS);

	/* Every mark equal: σ = 0 exactly, nobody calibrated. */
	assert_int_equal(eng_zcal_compute(&z, j, 2, 1, m, 10), PAL_STATS_OK);
	assert_float_equal(z.sd, 0.0, 0);
	assert_float_equal(z.mean, 0.1, 0);
	assert_int_equal(j[1].count, 0);
	assert_float_equal(j[1].mean, 0.0, 0);

	/* No marks at all. */
	assert_int_equal(eng_zcal_compute(&z, j, 2, 0, NULL, 0), PAL_STATS_OK);
	assert_int_equal(z.count, 0);
	assert_false(j[0].calibrated);
	assert_false(j[1].calibrated);
}

static void test_zcal_small_spread_is_accurate(void **state)
{
	(void)state;
	/* 100,000 marks 0.5 ± 1e-7: E[f²] − E[f]² would cancel to noise (about 1e-2
	 * relative error at this size); two passes keep σ to about 1e-9. */
	enum { N = 100000 };
	pal_zmark *m = malloc(N * sizeof *m);
	pal_zjuror j[1];
	pal_zcal z;
	assert_non_null(m);
	for (size_t i = 0; i < N; i++)
		m[i] = (pal_zmark){ 0, 0.5 + (i % 2 ? 1e-7 : -1e-7) };
	assert_int_equal(eng_zcal_compute(&z, j, 1, 5, m, N), PAL_STATS_OK);
	assert_float_equal(j[0].sd / 1e-7, 1.0, 1e-6);
	assert_float_equal(z.sd / 1e-7, 1.0, 1e-6);
	assert_float_equal(j[0].mean, 0.5, 1e-12);
	free(m);
}

static void test_zcal_invalid(void **state)
{
	(void)state;
	pal_zjuror j[2];
	pal_zcal z;
	pal_zmark bad_juror[] = { { 0, 0.5 }, { 2, 0.5 } };
	pal_zmark above[] = { { 0, 0.5 }, { 1, 1.5 } };
	pal_zmark below[] = { { 0, -0.01 } };
	pal_zmark nan[] = { { 0, NAN } };
	pal_zmark ok[] = { { 0, 0.5 } };
	assert_int_equal(eng_zcal_compute(&z, j, 2, 1, bad_juror, 2), PAL_STATS_EINVAL);
	assert_int_equal(eng_zcal_compute(&z, j, 2, 1, above, 2), PAL_STATS_EINVAL);
	assert_int_equal(eng_zcal_compute(&z, j, 2, 1, below, 1), PAL_STATS_EINVAL);
	assert_int_equal(eng_zcal_compute(&z, j, 2, 1, nan, 1), PAL_STATS_EINVAL);
	assert_int_equal(eng_zcal_compute(NULL, j, 2, 1, ok, 1), PAL_STATS_EINVAL);
	assert_int_equal(eng_zcal_compute(&z, NULL, 2, 1, ok, 1), PAL_STATS_EINVAL);
	assert_int_equal(eng_zcal_compute(&z, j, 2, 1, NULL, 1), PAL_STATS_EINVAL);
	assert_float_equal(eng_zcal_apply(NULL, 0, 0.25), 0.25, 0);
}

/* ---- Krippendorff's alpha ---- */

#define NA NAN /* a missing value in the reliability data below */

/* Units from a rows-by-observers table with NA for missing values. */
static size_t table_units(const double *table, size_t observers, size_t nunits,
                          double *store, pal_alpha_unit *units)
{
	size_t k = 0;
	for (size_t u = 0; u < nunits; u++) {
		units[u].values = store + k;
		units[u].n = 0;
		for (size_t o = 0; o < observers; o++) {
			double v = table[o * nunits + u];
			if (!isnan(v)) {
				store[k++] = v;
				units[u].n++;
			}
		}
	}
	return k;
}

static void test_alpha_krippendorff_2011(void **state)
{
	(void)state;
	/* Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
	 * 4 observers, 12 units, missing values; unit 12 has a single value.
	 * Published: nominal 0.743, interval 0.849 (n = 40). */
	const double table[4 * 12] = {
		1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA,
		1, 2, 3, 3, 2, 2, 4, 1, 2, 5,  NA, 3,
		NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1,  NA,
		1, 2, 3, 3, 2, 4, 4, 1, 2, 5,  1,  NA,
	};
	double store[48];
	pal_alpha_unit units[12];
	pal_alpha a;
	table_units(table, 4, 12, store, units);

	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, units, 12), PAL_STATS_OK);
	assert_true(a.defined);
	assert_int_equal(a.units, 11);
	assert_int_equal(a.values, 40);
	assert_float_equal(a.alpha, 0.849, 5e-4);
	assert_float_equal(a.alpha, 951.0 / 1120, 1e-12); /* exact value, by rational arithmetic */

	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_NOMINAL, units, 12), PAL_STATS_OK);
	assert_true(a.defined);
	assert_int_equal(a.values, 40);
	assert_float_equal(a.alpha, 0.743, 5e-4);
	assert_float_equal(a.alpha, 113.0 / 152, 1e-12);
}

static void test_alpha_two_raters(void **state)
{
	(void)state;
	/* Two raters, five units: (1,2) (2,2) (3,4) (4,4) (5,3), plus a lone value.
	 * n = 10, mean 3, SS_all = 14; within-unit Σ (a − b)² = 1 + 0 + 1 + 0 + 4 = 6.
	 * interval: 1 − (9/10)(6/14) = 43/70.
	 * nominal: D_o = 6/10 (3 disagreeing units, 2 ordered pairs each);
	 *          D_e = (10² − (1 + 9 + 4 + 9 + 1)) / (10 · 9) = 76/90; 1 − 54/76 = 11/38. */
	const double u1[] = { 1, 2 }, u2[] = { 2, 2 }, u3[] = { 3, 4 }, u4[] = { 4, 4 },
	             u5[] = { 5, 3 }, u6[] = { 7 };
	const pal_alpha_unit units[] = {
		{ u1, 2 }, { u2, 2 }, { u6, 1 }, { u3, 2 }, { u4, 2 }, { u5, 2 }, { NULL, 0 },
	};
	pal_alpha a;
	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, units, 7), PAL_STATS_OK);
	assert_true(a.defined);
	assert_int_equal(a.units, 5);
	assert_int_equal(a.values, 10);
	assert_float_equal(a.alpha, 43.0 / 70, 1e-12);
	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_NOMINAL, units, 7), PAL_STATS_OK);
	assert_float_equal(a.alpha, 11.0 / 38, 1e-12);
}

static void test_alpha_undefined_and_perfect(void **state)
{
	(void)state;
	const double one[] = { 4 }, two[] = { 3 }, eq1[] = { 3, 3 }, eq2[] = { 3, 3, 3 };
	const double p1[] = { 1, 1 }, p2[] = { 4, 4, 4 }, p3[] = { 2.5, 2.5 };
	const pal_alpha_unit lone[] = { { one, 1 }, { two, 1 } };
	const pal_alpha_unit equal[] = { { eq1, 2 }, { eq2, 3 }, { one, 1 } };
	const pal_alpha_unit perfect[] = { { p1, 2 }, { p2, 3 }, { p3, 2 } };
	pal_alpha a;

	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, lone, 2), PAL_STATS_OK);
	assert_false(a.defined);
	assert_int_equal(a.units, 0);
	assert_int_equal(a.values, 0);

	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, NULL, 0), PAL_STATS_OK);
	assert_false(a.defined);

	/* Every pairable mark equal (the lone 4 does not count): undefined. */
	for (int metric = 0; metric < 2; metric++) {
		assert_int_equal(eng_alpha_compute(&a, (pal_alpha_metric)metric, equal, 3), PAL_STATS_OK);
		assert_false(a.defined);
		assert_int_equal(a.units, 2);
		assert_int_equal(a.values, 5);
	}

	for (int metric = 0; metric < 2; metric++) {
		assert_int_equal(eng_alpha_compute(&a, (pal_alpha_metric)metric, perfect, 3), PAL_STATS_OK);
		assert_true(a.defined);
		assert_float_equal(a.alpha, 1.0, 0);
	}
}

static void test_alpha_invalid_and_oom(void **state)
{
	(void)state;
	const double bad[] = { 1, NAN }, inf[] = { 1, INFINITY }, ok[] = { 1, 2 }, ok2[] = { 2, 2 };
	const pal_alpha_unit with_nan[] = { { ok, 2 }, { bad, 2 } };
	const pal_alpha_unit with_inf[] = { { inf, 2 } };
	const pal_alpha_unit with_null[] = { { ok, 2 }, { NULL, 1 } };
	const pal_alpha_unit good[] = { { ok, 2 }, { ok2, 2 } };
	pal_alpha a = { 42.0, 7, 7, 7 };

	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, with_nan, 2), PAL_STATS_EINVAL);
	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, with_inf, 1), PAL_STATS_EINVAL);
	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_NOMINAL, with_null, 2), PAL_STATS_EINVAL);
	assert_int_equal(eng_alpha_compute(&a, (pal_alpha_metric)9, good, 2), PAL_STATS_EINVAL);
	assert_int_equal(eng_alpha_compute(NULL, PAL_ALPHA_INTERVAL, good, 2), PAL_STATS_EINVAL);
	assert_float_equal(a.alpha, 42.0, 0); /* untouched on error */

	failing_alloc_arm(0);
	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_NOMINAL, good, 2), PAL_STATS_ENOMEM);
	assert_true(failing_alloc_fired);
	assert_float_equal(a.alpha, 42.0, 0);
	assert_int_equal(a.units, 7);
	/* The interval metric never allocates. */
	failing_alloc_arm(0);
	assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, good, 2), PAL_STATS_OK);
	assert_false(failing_alloc_fired);
	failing_alloc_disarm();
	/* n = 4, mean 1.75, SS_all = 0.75, Σ m·SS_u/(m − 1) = 1: alpha = 1 − (3/4)·1/0.75 = 0 */
	assert_true(a.defined);
	assert_float_equal(a.alpha, 0.0, EPS);
}

/* Interval alpha straight from its definition, O(n²) over ordered pairs. */
static double alpha_by_pairs(const pal_alpha_unit *units, size_t nunits)
{
	double within = 0, all = 0;
	size_t n = 0;
	for (size_t u = 0; u < nunits; u++) {
		if (units[u].n < 2)
			continue;
		n += units[u].n;
		for (size_t i = 0; i < units[u].n; i++)
			for (size_t j = 0; j < units[u].n; j++) {
				double d = units[u].values[i] - units[u].values[j];
				within += d * d / (double)(units[u].n - 1);
			}
		for (size_t w = 0; w < nunits; w++) {
			if (units[w].n < 2)
				continue;
			for (size_t i = 0; i < units[u].n; i++)
				for (size_t j = 0; j < units[w].n; j++) {
					double d = units[u].values[i] - units[w].values[j];
					all += d * d;
				}
		}
	}
	return 1.0 - (double)(n - 1) * within / all;
}

static uint64_t lcg_state = 12345;
static unsigned small_random(unsigned bound)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((lcg_state >> 33) % bound);
}

static void test_alpha_matches_definition(void **state)
{
	(void)state;
	/* Random marks on a 0..10 scale (as juror marks are), 2 to 5 per dossier, some
	 * dossiers with a single mark; compared with the pairwise definition, and
	 * unchanged by a shift and a scale change (interval metric). */
	for (int round = 0; round < 200; round++) {
		double store[40 * 5], moved[40 * 5];
		pal_alpha_unit units[40], shifted[40];
		size_t nunits = 2 + small_random(38), k = 0;
		pal_alpha a, b;
		for (size_t u = 0; u < nunits; u++) {
			size_t m = 1 + small_random(5);
			double base = small_random(11);
			units[u].values = store + k;
			shifted[u].values = moved + k;
			units[u].n = shifted[u].n = m;
			for (size_t i = 0; i < m; i++, k++) {
				double v = base + (double)small_random(5) - 2;
				store[k] = v < 0 ? 0 : v > 10 ? 10 : v;
				moved[k] = 3.5 * store[k] - 20;
			}
		}
		assert_int_equal(eng_alpha_compute(&a, PAL_ALPHA_INTERVAL, units, nunits), PAL_STATS_OK);
		assert_int_equal(eng_alpha_compute(&b, PAL_ALPHA_INTERVAL, shifted, nunits), PAL_STATS_OK);
		assert_int_equal(a.defined, b.defined);
		if (!a.defined)
			continue;
		assert_float_equal(a.alpha, alpha_by_pairs(units, nunits), 1e-9);
		assert_float_equal(a.alpha, b.alpha, 1e-9);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aggregates),
		cmocka_unit_test(test_mean_is_compensated),
		cmocka_unit_test(test_aggregate_names),
		cmocka_unit_test(test_zcal_hand_example),
		cmocka_unit_test(test_zcal_equal_marks_are_not_calibrated),
		cmocka_unit_test(test_zcal_small_spread_is_accurate),
		cmocka_unit_test(test_zcal_invalid),
		cmocka_unit_test(test_alpha_krippendorff_2011),
		cmocka_unit_test(test_alpha_two_raters),
		cmocka_unit_test(test_alpha_undefined_and_perfect),
		cmocka_unit_test(test_alpha_invalid_and_oom),
		cmocka_unit_test(test_alpha_matches_definition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
