/*
 * palmares — jury statistics (SPEC.md §1.1 `jury`, §5.1, §5.2). Private to the engine.
 *
 * Pure computations over numbers the caller has already loaded and checked:
 * the aggregate of a dossier's marks on one criterion, juror calibration by
 * z-scores, and Krippendorff's alpha. Nothing here reads files, prints or
 * keeps global state; only eng_alpha_compute() with the nominal metric
 * allocates (a scratch copy, freed before it returns).
 */
#ifndef PALMARES_JURYSTATS_H
#define PALMARES_JURYSTATS_H

#include <stddef.h>

/* Status codes of this module. */
#define PAL_STATS_OK 0
#define PAL_STATS_ENOMEM (-1) /* an allocation failed; nothing was written */
#define PAL_STATS_EINVAL (-2) /* an argument is out of its documented domain */

/* ---- Aggregates (§1.1 `aggregate`) ---------------------------------------- */

typedef enum pal_aggregate {
	PAL_AGG_MEAN = 0,
	PAL_AGG_MEDIAN,
	PAL_AGG_TRIMMED, /* "trimmed-mean" */
} pal_aggregate;

/*
 * The aggregate of v[0..n-1] (finite numbers, n >= 1):
 *   mean     the arithmetic mean (compensated summation);
 *   median   the middle value, or the mean of the two middle values when n is even;
 *   trimmed  the mean after dropping one lowest and one highest value when n >= 4,
 *            the plain mean otherwise.
 * v is only read: the caller's order is kept and no memory is allocated. The
 * median is found by counting ranks, O(n^2), which is meant for the handful of
 * marks one dossier gets on one criterion. Returns NaN when n is 0, v is NULL
 * or agg is unknown.
 */
double eng_aggregate_compute(pal_aggregate agg, const double *v, size_t n);

/* Rubric name ("mean", "median", "trimmed-mean") to enum: PAL_STATS_OK or PAL_STATS_EINVAL. */
int eng_aggregate_parse(const char *name, pal_aggregate *out);
/* Enum to rubric name; a static string, "?" for an unknown value. */
const char *eng_aggregate_name(pal_aggregate agg);

/* ---- Juror calibration by z-scores (§5.1) ---------------------------------- */

/* One counted mark: a juror index and the mark as a fraction of its scale. */
typedef struct pal_zmark {
	size_t juror; /* < njurors */
	double f;     /* in [0, 1] */
} pal_zmark;

/* Per-juror figures, as the results report them. */
typedef struct pal_zjuror {
	double mean;    /* μj: mean of the juror's fractions (0 when count is 0) */
	double sd;      /* σj: population standard deviation; exactly 0 when all are equal */
	double min, max; /* range of the juror's fractions (0 when count is 0) */
	size_t count;   /* number of counted marks */
	int calibrated; /* count >= calibrate_min and σj > 0 */
} pal_zjuror;

/* Calibration of one campaign: §5.1 takes every counted mark of the campaign, all jury criteria together. */
typedef struct pal_zcal {
	double mean;        /* μ over every counted mark */
	double sd;          /* σ over every counted mark (population) */
	size_t count;       /* number of counted marks */
	size_t njurors;
	pal_zjuror *jurors; /* borrowed: the caller's array given to eng_zcal_compute() */
} pal_zcal;

/*
 * Counted marks read in order, three times (check, sums, deviations): for a
 * campaign whose marks are in its dossiers, so that they need not be copied
 * into one array (16 bytes a mark). rewind() starts again from the first;
 * next() fills *m and returns 1, or returns 0 after the last.
 */
typedef struct pal_zmark_source {
	void (*rewind)(void *ctx);
	int (*next)(void *ctx, pal_zmark *m);
	void *ctx;
} pal_zmark_source;

/* eng_zcal_compute() over a source. */
int eng_zcal_compute_from(pal_zcal *z, pal_zjuror *jurors, size_t njurors, size_t calibrate_min,
                          const pal_zmark_source *src);

/*
 * Fills z and jurors[0..njurors-1] from marks[0..nmarks-1] (two passes: sums,
 * then squared deviations from the mean). jurors is caller-owned and is
 * referenced by z afterwards; nothing is allocated, so there is nothing to
 * free. Returns PAL_STATS_OK, or PAL_STATS_EINVAL (z and jurors then hold
 * nothing meaningful) when a juror index is >= njurors, a fraction is outside
 * [0, 1] or NaN, or z, or jurors or marks with a non-zero count, is NULL.
 */
int eng_zcal_compute(pal_zcal *z, pal_zjuror *jurors, size_t njurors, size_t calibrate_min,
                     const pal_zmark *marks, size_t nmarks);

/*
 * The calibrated value of fraction f given by juror `juror`:
 * μ + σ × (f − μj) / σj clamped to [0, 1] for a calibrated juror, f itself
 * otherwise (and for a juror index out of range).
 */
double eng_zcal_apply(const pal_zcal *z, size_t juror, double f);

/* ---- Krippendorff's alpha (§5.2) ------------------------------------------- */

typedef enum pal_alpha_metric {
	PAL_ALPHA_INTERVAL = 0, /* δ² = (v − v')², what §5.2 reports */
	PAL_ALPHA_NOMINAL,      /* δ² = [v ≠ v'] */
} pal_alpha_metric;

/* One unit (a dossier): the values (raw marks) it received. Borrowed. */
typedef struct pal_alpha_unit {
	const double *values;
	size_t n;
} pal_alpha_unit;

typedef struct pal_alpha {
	double alpha; /* meaningful only when defined */
	int defined;  /* 0 when no unit has 2 values, or when every value is equal */
	size_t units; /* units used: those with at least 2 values */
	size_t values; /* values in those units (Krippendorff's n) */
} pal_alpha;

/*
 * Krippendorff's alpha over units[0..nunits-1]; units with fewer than 2 values
 * are not pairable and are left out. Values must be finite. Returns
 * PAL_STATS_OK with *out filled, PAL_STATS_EINVAL for a NaN or infinite value
 * or a NULL pointer where values are expected, PAL_STATS_ENOMEM when the
 * nominal metric cannot get its scratch copy (the interval metric never
 * allocates).
 */
int eng_alpha_compute(pal_alpha *out, pal_alpha_metric metric, const pal_alpha_unit *units,
                      size_t nunits);

#endif
