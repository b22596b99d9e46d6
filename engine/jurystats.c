/*
 * Jury statistics: aggregates of marks, juror calibration (SPEC.md §5.1) and
 * Krippendorff's alpha (§5.2).
 *
 * Data flow: the engine gathers the marks that count (valid dossiers,
 * applicable criteria), turns them into fractions of their scale, and calls
 * in here; what comes back goes into the results' `jury` section. Nothing here
 * knows about files or towns: inputs are arrays of doubles and juror indices.
 *
 * Algorithms and costs (n = number of values):
 *  - mean: Neumaier-compensated sum, O(n). Trimmed mean: one scan for the
 *    lowest and highest, then a compensated sum of the others, O(n).
 *    Median: rank counting without touching the caller's array, O(n^2); a
 *    dossier gets a handful of marks per criterion, so this beats allocating.
 *  - z calibration: two passes over the marks (sums, then squared deviations
 *    from the mean), O(n + jurors), no allocation. A juror whose fractions are
 *    all equal gets σj = 0 exactly (checked on the range, not on a rounded
 *    variance): 0.1 ten times sums to 0.9999999999999999, and a tiny nonzero
 *    σj would blow the calibrated marks up instead of leaving them alone.
 *  - alpha: Krippendorff (2011), coincidence formulation. Pairable values
 *    (units with m_u >= 2) form ordered pairs within their unit, each weighted
 *    1 / (m_u − 1); with n pairable values,
 *        alpha = 1 − (n − 1) · Σ_u Σ_{i≠j in u} δ²(v_i, v_j) / (m_u − 1)
 *                            / Σ_{i≠j over all n} δ²(v_i, v_j).
 *    For the interval metric Σ_{i≠j} (v_i − v_j)² over m values is 2·m·SS
 *    (SS = sum of squared deviations from their mean), so
 *        alpha = 1 − (n − 1)/n · Σ_u (m_u · SS_u / (m_u − 1)) / SS_all,
 *    O(n), two-pass, no allocation. For the nominal metric the disagreeing
 *    ordered pairs among m values are m² − Σ_c m_c² (m_c = copies of value c),
 *    counted on a sorted scratch copy, O(n log n).
 */
#include "jurystats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Aggregates ---------------------------------------------------------- */

/* Neumaier's compensated sum: exact to about one rounding for our small n. */
typedef struct ksum {
	double s, c;
} ksum;

static void ksum_add(ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

/* Mean of v[0..n-1] leaving out indices skip1 and skip2 (pass n to skip nothing). */
static double mean_skipping(const double *v, size_t n, size_t skip1, size_t skip2)
{
	ksum k = { 0.0, 0.0 };
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == skip1 || i == skip2)
			continue;
		ksum_add(&k, v[i]);
		used++;
	}
	return used ? (k.s + k.c) / (double)used : NAN;
}

/* The k-th smallest value (0-based) by counting ranks: v stays untouched. */
static double kth_smallest(const double *v, size_t n, size_t k)
{
	for (size_t i = 0; i < n; i++) {
		size_t less = 0, equal = 0;
		for (size_t j = 0; j < n; j++) {
			if (v[j] < v[i])
				less++;
			else if (v[j] == v[i])
				equal++;
		}
		if (less <= k && k < less + equal)
			return v[i];
	}
	return NAN; /* only with NaN among the values */
}

static double median(const double *v, size_t n)
{
	if (n % 2)
		return kth_smallest(v, n, n / 2);
	/* Halving first cannot overflow; both halvings are exact for normal numbers. */
	return kth_smallest(v, n, n / 2 - 1) / 2 + kth_smallest(v, n, n / 2) / 2;
}

static double trimmed_mean(const double *v, size_t n)
{
	size_t lo = 0, hi = 0;
	if (n < 4)
		return mean_skipping(v, n, n, n);
	for (size_t i = 1; i < n; i++) {
		if (v[i] < v[lo])
			lo = i;
		if (v[i] > v[hi])
			hi = i;
	}
	if (lo == hi) /* every value equal: drop any two */
		hi = lo == 0 ? 1 : 0;
	return mean_skipping(v, n, lo, hi);
}

double eng_aggregate_compute(pal_aggregate agg, const double *v, size_t n)
{
	if (!v || n == 0)
		return NAN;
	switch (agg) {
	case PAL_AGG_MEAN: return mean_skipping(v, n, n, n);
	case PAL_AGG_MEDIAN: return median(v, n);
	case PAL_AGG_TRIMMED: return trimmed_mean(v, n);
	}
	return NAN;
}

static const struct {
	pal_aggregate agg;
	const char *name;
} agg_names[] = {
	{ PAL_AGG_MEAN, "mean" },
	{ PAL_AGG_MEDIAN, "median" },
	{ PAL_AGG_TRIMMED, "trimmed-mean" },
};

int eng_aggregate_parse(const char *name, pal_aggregate *out)
{
	if (!name || !out)
		return PAL_STATS_EINVAL;
	for (size_t i = 0; i < sizeof agg_names / sizeof agg_names[0]; i++) {
		if (strcmp(name, agg_names[i].name) == 0) {
			*out = agg_names[i].agg;
			return PAL_STATS_OK;
		}
	}
	return PAL_STATS_EINVAL;
}

const char *eng_aggregate_name(pal_aggregate agg)
{
	for (size_t i = 0; i < sizeof agg_names / sizeof agg_names[0]; i++) {
		if (agg_names[i].agg == agg)
			return agg_names[i].name;
	}
	return "?";
}

/* ---- z calibration ------------------------------------------------------- */

struct zarray {
	const pal_zmark *v;
	size_t n, i;
};

static void zarray_rewind(void *ctx)
{
	((struct zarray *)ctx)->i = 0;
}

static int zarray_next(void *ctx, pal_zmark *m)
{
	struct zarray *a = ctx;
	if (a->i >= a->n)
		return 0;
	*m = a->v[a->i++];
	return 1;
}

int eng_zcal_compute(pal_zcal *z, pal_zjuror *jurors, size_t njurors, size_t calibrate_min,
                     const pal_zmark *marks, size_t nmarks)
{
	struct zarray a = {marks, nmarks, 0};
	pal_zmark_source src = {zarray_rewind, zarray_next, &a};
	if (nmarks && !marks)
		return PAL_STATS_EINVAL;
	return eng_zcal_compute_from(z, jurors, njurors, calibrate_min, &src);
}

int eng_zcal_compute_from(pal_zcal *z, pal_zjuror *jurors, size_t njurors, size_t calibrate_min,
                          const pal_zmark_source *src)
{
	double sum = 0.0, ss = 0.0, gmin = 0.0, gmax = 0.0;
	size_t nmarks = 0;
	pal_zmark mk;

	if (!z || (njurors && !jurors) || !src)
		return PAL_STATS_EINVAL;
	/* Check everything before writing anything. `!(f >= 0 && f <= 1)` also catches NaN. */
	src->rewind(src->ctx);
	while (src->next(src->ctx, &mk)) {
		if (mk.juror >= njurors || !(mk.f >= 0.0 && mk.f <= 1.0))
			return PAL_STATS_EINVAL;
	}
	if (njurors)
		memset(jurors, 0, njurors * sizeof *jurors);

	/* Pass 1: counts, sums (kept in .mean until divided) and ranges. */
	src->rewind(src->ctx);
	while (src->next(src->ctx, &mk)) {
		pal_zjuror *j = &jurors[mk.juror];
		double f = mk.f;
		if (j->count == 0 || f < j->min)
			j->min = f;
		if (j->count == 0 || f > j->max)
			j->max = f;
		j->count++;
		j->mean += f;
		if (nmarks == 0 || f < gmin)
			gmin = f;
		if (nmarks == 0 || f > gmax)
			gmax = f;
		sum += f;
		nmarks++;
	}
	for (size_t j = 0; j < njurors; j++) {
		pal_zjuror *r = &jurors[j];
		if (r->count)
			r->mean = r->min == r->max ? r->min : r->mean / (double)r->count;
	}
	z->count = nmarks;
	z->mean = nmarks ? (gmin == gmax ? gmin : sum / (double)nmarks) : 0.0;

	/* Pass 2: squared deviations from the means (accumulated in .sd). */
	src->rewind(src->ctx);
	while (src->next(src->ctx, &mk)) {
		pal_zjuror *j = &jurors[mk.juror];
		double d = mk.f - j->mean, g = mk.f - z->mean;
		j->sd += d * d;
		ss += g * g;
	}
	for (size_t j = 0; j < njurors; j++) {
		pal_zjuror *r = &jurors[j];
		r->sd = r->count && r->min < r->max ? sqrt(r->sd / (double)r->count) : 0.0;
		r->calibrated = r->count >= calibrate_min && r->sd > 0.0;
	}
	z->sd = nmarks && gmin < gmax ? sqrt(ss / (double)nmarks) : 0.0;
	z->njurors = njurors;
	z->jurors = jurors;
	return PAL_STATS_OK;
}

double eng_zcal_apply(const pal_zcal *z, size_t juror, double f)
{
	const pal_zjuror *j;
	double g;
	if (!z || juror >= z->njurors || !z->jurors[juror].calibrated)
		return f;
	j = &z->jurors[juror];
	g = z->mean + z->sd * ((f - j->mean) / j->sd);
	if (g < 0.0)
		return 0.0;
	if (g > 1.0)
		return 1.0;
	return g;
}

/* ---- Krippendorff's alpha ------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Σ_c m_c² over the distinct values of a sorted array: the agreeing ordered pairs plus m. */
static double sum_sq_runs(const double *s, size_t m)
{
	double acc = 0.0;
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		while (j < m && s[j] == s[i])
			j++;
		acc += (double)(j - i) * (double)(j - i);
		i = j;
	}
	return acc;
}

/* Sum of squared deviations of v[0..m-1] from their mean, two passes; 0 when all are equal. */
static double sum_sq_dev(const double *v, size_t m)
{
	double lo = v[0], hi = v[0], sum = 0.0, ss = 0.0, mean;
	for (size_t i = 0; i < m; i++) {
		sum += v[i];
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	if (lo == hi)
		return 0.0;
	mean = sum / (double)m;
	for (size_t i = 0; i < m; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	return ss;
}

static double alpha_interval(const pal_alpha_unit *units, size_t nunits, size_t n, double mean)
{
	double within = 0.0, total = 0.0;
	for (size_t u = 0; u < nunits; u++) {
		size_t m = units[u].n;
		if (m < 2)
			continue;
		within += (double)m * sum_sq_dev(units[u].values, m) / (double)(m - 1);
		for (size_t i = 0; i < m; i++)
			total += (units[u].values[i] - mean) * (units[u].values[i] - mean);
	}
	if (!(total > 0.0)) /* differences so small their squares underflow */
		return NAN;
	return 1.0 - (double)(n - 1) / (double)n * within / total;
}

static int alpha_nominal(const pal_alpha_unit *units, size_t nunits, size_t n, double *alpha)
{
	double within = 0.0, expected;
	double *s = malloc(n * sizeof *s);
	size_t k = 0;
	if (!s)
		return PAL_STATS_ENOMEM;
	for (size_t u = 0; u < nunits; u++) {
		size_t m = units[u].n;
		if (m < 2)
			continue;
		memcpy(s, units[u].values, m * sizeof *s);
		qsort(s, m, sizeof *s, cmp_double);
		within += ((double)m * (double)m - sum_sq_runs(s, m)) / (double)(m - 1);
	}
	for (size_t u = 0; u < nunits; u++) {
		if (units[u].n < 2)
			continue;
		memcpy(s + k, units[u].values, units[u].n * sizeof *s);
		k += units[u].n;
	}
	qsort(s, n, sizeof *s, cmp_double);
	expected = (double)n * (double)n - sum_sq_runs(s, n);
	free(s);
	/* expected > 0: the caller has checked that not every value is equal. */
	*alpha = 1.0 - (double)(n - 1) * within / expected;
	return PAL_STATS_OK;
}

int eng_alpha_compute(pal_alpha *out, pal_alpha_metric metric, const pal_alpha_unit *units,
                      size_t nunits)
{
	size_t n = 0, used = 0;
	double lo = 0.0, hi = 0.0, sum = 0.0, alpha = NAN;

	if (!out || (nunits && !units) ||
	    (metric != PAL_ALPHA_INTERVAL && metric != PAL_ALPHA_NOMINAL))
		return PAL_STATS_EINVAL;
	for (size_t u = 0; u < nunits; u++) {
		if (units[u].n && !units[u].values)
			return PAL_STATS_EINVAL;
		if (units[u].n < 2)
			continue;
		for (size_t i = 0; i < units[u].n; i++) {
			double v = units[u].values[i];
			if (!isfinite(v))
				return PAL_STATS_EINVAL;
			if (n == 0 || v < lo)
				lo = v;
			if (n == 0 || v > hi)
				hi = v;
			sum += v;
			n++;
		}
		used++;
	}
	/* Undefined with nothing pairable, or when no disagreement is even possible. */
	if (used && lo < hi) {
		if (metric == PAL_ALPHA_INTERVAL) {
			alpha = alpha_interval(units, nunits, n, sum / (double)n);
		} else {
			int r = alpha_nominal(units, nunits, n, &alpha);
			if (r != PAL_STATS_OK)
				return r;
		}
	}
	out->units = used;
	out->values = n;
	out->defined = !isnan(alpha);
	out->alpha = alpha;
	return PAL_STATS_OK;
}
