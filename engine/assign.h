/*
 * palmares — juror assignment solver for `palmares assign` (SPEC.md §9). Private to the engine.
 *
 * Pure algorithm: dossiers and jurors are indices, eligibility comes from a
 * caller's predicate (the caller decides own town, declared conflicts and
 * --avoid-same-region). No I/O; the result is returned, never printed.
 */
#ifndef PALMARES_ASSIGN_H
#define PALMARES_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

/* Status codes of eng_assign_solve(). */
#define PAL_ASSIGN_OK 0
#define PAL_ASSIGN_SHORT 1          /* some dossiers have fewer than K eligible jurors: see shorts */
#define PAL_ASSIGN_ENOMEM (-1)      /* an allocation failed */
#define PAL_ASSIGN_EINVAL (-2)      /* per_dossier is 0, eligible is NULL, or a size overflows */
#define PAL_ASSIGN_EINTERNAL (-3)   /* a broken invariant: a bug, please report it */

/* Nonzero when juror `juror` may judge dossier `dossier`. Must be a pure function of its arguments. */
typedef int (*pal_assign_eligible_fn)(void *ctx, size_t dossier, size_t juror);

typedef struct pal_assign_problem {
	size_t ndossiers;                /* dossiers that need jurors (numbered 0..ndossiers-1) */
	size_t njurors;
	size_t per_dossier;              /* K >= 1: distinct jurors each dossier gets */
	pal_assign_eligible_fn eligible; /* called once per (dossier, juror) pair, dossier-major, first */
	void *ctx;                       /* passed to eligible */
	uint64_t seed;                   /* breaks ties; same problem + seed = same assignment */
} pal_assign_problem;

/* A dossier that cannot get its K jurors. */
typedef struct pal_assign_short {
	size_t dossier;
	size_t eligible; /* how many jurors may judge it (< K) */
} pal_assign_short;

typedef struct pal_assignment {
	size_t ndossiers, njurors, per_dossier;
	/*
	 * Status PAL_ASSIGN_OK: row d (jurors[d * per_dossier ...], per_dossier
	 * entries) lists dossier d's jurors in increasing order; loads[j] is the
	 * number of dossiers of juror j; min_load/max_load are over all jurors.
	 * Status PAL_ASSIGN_SHORT: jurors and loads are NULL.
	 */
	size_t *jurors;
	size_t *loads;
	size_t min_load, max_load;
	/* Every dossier with fewer than K eligible jurors, by increasing index (PAL_ASSIGN_SHORT only). */
	pal_assign_short *shorts;
	size_t nshort;
} pal_assignment;

/*
 * Assigns per_dossier distinct eligible jurors to every dossier with the most
 * even loads the eligibility allows: the sorted load vector is
 * lexicographically smallest from the top (so the largest load is as small as
 * possible, the smallest as large as possible, max − min <= 1 whenever any
 * assignment achieves it, and the sum of squared loads is minimal).
 *
 * Loads have no upper bound, so an assignment exists exactly when every
 * dossier has at least K eligible jurors; otherwise the result names every
 * dossier that has not (status PAL_ASSIGN_SHORT) and assigns nothing.
 *
 * On PAL_ASSIGN_OK or PAL_ASSIGN_SHORT, *out is an owned result, free with
 * eng_assignment_free(). On errors *out is NULL.
 */
int eng_assign_solve(const pal_assign_problem *p, pal_assignment **out);

/* Accepts NULL. */
void eng_assignment_free(pal_assignment *a);

#endif
