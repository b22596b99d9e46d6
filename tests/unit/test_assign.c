/*
 * Unit and property tests of engine/assign.c (SPEC.md §9, `palmares assign`).
 *
 * Every solution is checked against the constraints (K distinct eligible
 * jurors per dossier, loads as reported), and its optimality is checked by
 * means independent of the solver: exhaustive search on tiny instances, and on
 * larger ones a breadth-first search of the full residual network (no juror
 * can pass a unit to one two below it) plus a max-flow showing that the
 * largest load cannot be lowered. The module is compiled in, so that its
 * allocations go through cmocka (leaks fail) and can be made to fail.
 */
#include <stdio.h>

#include "failing_alloc.h"

#include "../../engine/assign.c"

/* ---- instances ---- */

typedef struct instance {
	size_t D, J, K;
	unsigned char *e; /* D × J: 1 when juror j may judge dossier d */
	long calls;       /* predicate calls, to check the "once per pair" promise */
} instance;

static int inst_eligible(void *ctx, size_t d, size_t j)
{
	instance *in = ctx;
	in->calls++;
	return in->e[d * in->J + j];
}

static uint64_t test_rng = 42;
static size_t rnd(size_t bound) /* uniform enough for test data */
{
	return (size_t)(splitmix64(&test_rng) % bound);
}

static instance inst_new(size_t D, size_t J, size_t K)
{
	instance in = { D, J, K, NULL, 0 };
	in.e = calloc(D * J > 0 ? D * J : 1, 1);
	assert_non_null(in.e);
	return in;
}

/* Random eligibility: each pair refused with probability pct_off / 100. */
static instance inst_random(size_t D, size_t J, size_t K, unsigned pct_off)
{
	instance in = inst_new(D, J, K);
	for (size_t i = 0; i < D * J; i++)
		in.e[i] = rnd(100) >= pct_off;
	return in;
}

static void inst_free(instance *in)
{
	free(in->e);
	in->e = NULL;
}

static int solve(instance *in, uint64_t seed, pal_assignment **out)
{
	pal_assign_problem p = { in->D, in->J, in->K, inst_eligible, in, seed };
	in->calls = 0;
	return eng_assign_solve(&p, out);
}

static size_t count_eligible(const instance *in, size_t d)
{
	size_t c = 0;
	for (size_t j = 0; j < in->J; j++)
		c += in->e[d * in->J + j];
	return c;
}

/* ---- checks ---- */

/* Constraints, and the reported loads and extremes. */
static void check_valid(const instance *in, const pal_assignment *a)
{
	size_t *loads = calloc(in->J ? in->J : 1, sizeof *loads);
	size_t lo = SIZE_MAX, hi = 0;
	assert_non_null(loads);
	assert_int_equal(a->ndossiers, in->D);
	assert_int_equal(a->njurors, in->J);
	assert_int_equal(a->per_dossier, in->K);
	assert_int_equal(a->nshort, 0);
	assert_non_null(a->jurors);
	assert_non_null(a->loads);
	for (size_t d = 0; d < in->D; d++) {
		const size_t *row = &a->jurors[d * in->K];
		for (size_t k = 0; k < in->K; k++) {
			assert_true(row[k] < in->J);
			assert_true(in->e[d * in->J + row[k]]);   /* eligible */
			if (k > 0)
				assert_true(row[k - 1] < row[k]); /* distinct, increasing */
			loads[row[k]]++;
		}
	}
	for (size_t j = 0; j < in->J; j++) {
		assert_int_equal(a->loads[j], loads[j]);
		if (loads[j] < lo)
			lo = loads[j];
		if (loads[j] > hi)
			hi = loads[j];
	}
	if (in->J) {
		assert_int_equal(a->min_load, lo);
		assert_int_equal(a->max_load, hi);
	}
	free(loads);
}

static int holds_juror(const pal_assignment *a, size_t d, size_t j)
{
	for (size_t k = 0; k < a->per_dossier; k++) {
		if (a->jurors[d * a->per_dossier + k] == j)
			return 1;
	}
	return 0;
}

/*
 * Optimality certificate on the full residual network (jurors and dossiers,
 * not the solver's contracted graph): from each juror a, no juror reachable by
 * juror → held dossier → eligible, unheld juror steps is 2 or more below a.
 */
static void check_no_tightening(const instance *in, const pal_assignment *a)
{
	size_t N = in->J + in->D;
	size_t *queue = malloc(N * sizeof *queue);
	unsigned char *seen = malloc(N);
	assert_non_null(queue);
	assert_non_null(seen);
	for (size_t src = 0; src < in->J; src++) {
		size_t head = 0, tail = 0;
		memset(seen, 0, N);
		seen[src] = 1;
		queue[tail++] = src;
		while (head < tail) {
			size_t x = queue[head++];
			if (x < in->J) {
				assert_true(a->loads[x] + 1 >= a->loads[src]);
				for (size_t d = 0; d < in->D; d++) {
					if (!seen[in->J + d] && holds_juror(a, d, x)) {
						seen[in->J + d] = 1;
						queue[tail++] = in->J + d;
					}
				}
			} else {
				size_t d = x - in->J;
				for (size_t y = 0; y < in->J; y++) {
					if (!seen[y] && in->e[d * in->J + y] && !holds_juror(a, d, y)) {
						seen[y] = 1;
						queue[tail++] = y;
					}
				}
			}
		}
	}
	free(queue);
	free(seen);
}

/* Max-flow with every juror capped at cap (augmenting paths, dense, small instances only). */
static size_t max_flow_capped(const instance *in, size_t cap)
{
	/* Nodes: 0 source, 1..D dossiers, D+1..D+J jurors, D+J+1 sink. */
	size_t N = in->D + in->J + 2, S = 0, T = N - 1, flow = 0;
	long *c = calloc(N * N, sizeof *c);
	size_t *prev = malloc(N * sizeof *prev), *queue = malloc(N * sizeof *queue);
	assert_non_null(c);
	assert_non_null(prev);
	assert_non_null(queue);
	for (size_t d = 0; d < in->D; d++) {
		c[S * N + 1 + d] = (long)in->K;
		for (size_t j = 0; j < in->J; j++)
			c[(1 + d) * N + 1 + in->D + j] = in->e[d * in->J + j];
	}
	for (size_t j = 0; j < in->J; j++)
		c[(1 + in->D + j) * N + T] = (long)cap;
	for (;;) {
		size_t head = 0, tail = 0;
		for (size_t i = 0; i < N; i++)
			prev[i] = SIZE_MAX;
		prev[S] = S;
		queue[tail++] = S;
		while (head < tail && prev[T] == SIZE_MAX) {
			size_t x = queue[head++];
			for (size_t y = 0; y < N; y++) {
				if (prev[y] == SIZE_MAX && c[x * N + y] > 0) {
					prev[y] = x;
					queue[tail++] = y;
				}
			}
		}
		if (prev[T] == SIZE_MAX)
			break;
		for (size_t y = T; y != S; y = prev[y]) {
			c[prev[y] * N + y]--;
			c[y * N + prev[y]]++;
		}
		flow++;
	}
	free(c);
	free(prev);
	free(queue);
	return flow;
}

static int cmp_desc(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	return (a < b) - (a > b);
}

/* ---- exhaustive search (tiny instances) ---- */

typedef struct brute {
	const instance *in;
	size_t load[8];
	size_t best[8]; /* best sorted (descending) load vector so far */
	int found;
} brute;

static void brute_rec(brute *b, size_t d)
{
	const instance *in = b->in;
	if (d == in->D) {
		size_t v[8];
		memcpy(v, b->load, in->J * sizeof *v);
		qsort(v, in->J, sizeof *v, cmp_desc);
		int better = !b->found;
		for (size_t i = 0; i < in->J && b->found; i++) {
			if (v[i] != b->best[i]) {
				better = v[i] < b->best[i];
				break;
			}
		}
		if (better) {
			memcpy(b->best, v, in->J * sizeof *v);
			b->found = 1;
		}
		return;
	}
	for (unsigned mask = 0; mask < 1u << in->J; mask++) {
		size_t bits = 0;
		int ok = 1;
		for (size_t j = 0; j < in->J; j++) {
			if (mask >> j & 1) {
				bits++;
				ok &= in->e[d * in->J + j];
			}
		}
		if (!ok || bits != in->K)
			continue;
		for (size_t j = 0; j < in->J; j++)
			b->load[j] += mask >> j & 1;
		brute_rec(b, d + 1);
		for (size_t j = 0; j < in->J; j++)
			b->load[j] -= mask >> j & 1;
	}
}

static void check_shorts(const instance *in, const pal_assignment *a)
{
	size_t n = 0;
	assert_null(a->jurors);
	assert_null(a->loads);
	for (size_t d = 0; d < in->D; d++) {
		size_t c = count_eligible(in, d);
		if (c >= in->K)
			continue;
		assert_true(n < a->nshort);
		assert_int_equal(a->shorts[n].dossier, d);
		assert_int_equal(a->shorts[n].eligible, c);
		n++;
	}
	assert_int_equal(n, a->nshort);
	assert_true(n > 0);
}

/* ---- tests ---- */

static void test_splitmix64_reference(void **state)
{
	(void)state;
	/* Vigna's splitmix64.c from state 0: ties must not depend on the platform. */
	uint64_t s = 0;
	assert_true(splitmix64(&s) == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(splitmix64(&s) == UINT64_C(0x6e789e6aa1b965f4));
	assert_true(splitmix64(&s) == UINT64_C(0x06c45d188009454f));
}

static void test_tiny_match_exhaustive_search(void **state)
{
	(void)state;
	int compared = 0, shorts = 0, unbalanced = 0;
	test_rng = 1;
	for (int round = 0; round < 400; round++) {
		size_t J = 1 + rnd(6), K = 1 + rnd(J < 3 ? J : 3), D = 1 + rnd(5);
		instance in = inst_random(D, J, K, (unsigned)rnd(60));
		pal_assignment *a = NULL;
		int r = solve(&in, (uint64_t)round, &a);
		size_t need = 0;
		for (size_t d = 0; d < D; d++)
			need += count_eligible(&in, d) < K;
		assert_int_equal(in.calls, (long)(D * J));
		if (need) {
			assert_int_equal(r, PAL_ASSIGN_SHORT);
			check_shorts(&in, a);
			shorts++;
		} else {
			brute b;
			size_t v[8];
			memset(&b, 0, sizeof b);
			b.in = &in;
			brute_rec(&b, 0);
			assert_int_equal(r, PAL_ASSIGN_OK);
			check_valid(&in, a);
			assert_true(b.found);
			memcpy(v, a->loads, J * sizeof *v);
			qsort(v, J, sizeof *v, cmp_desc);
			/* Same sorted loads as the best of all assignments: the largest load
			 * is minimal, and max − min <= 1 whenever any assignment has it. */
			assert_memory_equal(v, b.best, J * sizeof *v);
			unbalanced += b.best[0] > b.best[J - 1] + 1;
			compared++;
		}
		eng_assignment_free(a);
		inst_free(&in);
	}
	/* The generator must exercise all three cases. */
	assert_true(compared > 200);
	assert_true(shorts > 20);
	assert_true(unbalanced > 5);
}

static void test_random_instances_are_optimal(void **state)
{
	(void)state;
	int solved = 0;
	test_rng = 2;
	for (int round = 0; round < 300; round++) {
		size_t J = 1 + rnd(12), K = 1 + rnd(J < 4 ? J : 4), D = 1 + rnd(60);
		instance in = inst_random(D, J, K, (unsigned)rnd(K < J ? 45 : 8));
		pal_assignment *a = NULL, *again = NULL;
		int r = solve(&in, (uint64_t)round * 7919, &a);
		if (r == PAL_ASSIGN_SHORT) {
			check_shorts(&in, a);
		} else {
			assert_int_equal(r, PAL_ASSIGN_OK);
			check_valid(&in, a);
			check_no_tightening(&in, a);
			/* No assignment has a smaller largest load. */
			assert_int_equal(max_flow_capped(&in, a->max_load), D * K);
			if (a->max_load > 0)
				assert_true(max_flow_capped(&in, a->max_load - 1) < D * K);
			/* Deterministic. */
			assert_int_equal(solve(&in, (uint64_t)round * 7919, &again), PAL_ASSIGN_OK);
			assert_memory_equal(a->jurors, again->jurors, D * K * sizeof *a->jurors);
			eng_assignment_free(again);
			solved++;
		}
		eng_assignment_free(a);
		inst_free(&in);
	}
	assert_true(solved > 150);
}

/*
 * Step 3 on its own (white box): from a deliberately bad start, each dossier on
 * its first K eligible jurors, improve() must still reach the optimum. The
 * insertion step alone already reaches it on every instance tried, so without
 * this test the safety net would go unchecked.
 */
static void test_improve_repairs_any_start(void **state)
{
	(void)state;
	int repaired = 0;
	test_rng = 3;
	for (int round = 0; round < 200; round++) {
		size_t J = 2 + rnd(10), K = 1 + rnd(J < 4 ? J - 1 : 3), D = 1 + rnd(60);
		instance in = inst_random(D, J, K, (unsigned)rnd(30));
		pal_assign_problem p = { D, J, K, inst_eligible, &in, (uint64_t)round };
		pal_assignment *a, *best = NULL;
		size_t *count = calloc(D, sizeof *count), before = 0;
		size_t u[12], v[12];
		solver s;
		assert_non_null(count);
		assert_int_equal(solver_init(&s, &p), PAL_ASSIGN_OK);
		if (read_eligibility(&s, &p, count)) {
			solver_free(&s);
			free(count);
			inst_free(&in);
			continue;
		}
		for (size_t d = 0; d < D; d++) {
			size_t k = 0;
			for (size_t j = 0; j < J && k < K; j++) {
				if (!eligible(&s, d, j))
					continue;
				assert_int_equal(list_reserve(&s, j), PAL_ASSIGN_OK);
				slot_fill(&s, d * K + k++, j);
			}
			contrib(&s, d, 1);
		}
		for (size_t j = 0; j < J; j++)
			before += s.load[j] * s.load[j];
		assert_int_equal(improve(&s), PAL_ASSIGN_OK);
		a = result_new(&s);
		assert_non_null(a);
		assert_int_equal(result_fill(a, &s), PAL_ASSIGN_OK);
		check_valid(&in, a);
		check_no_tightening(&in, a);
		assert_int_equal(eng_assign_solve(&p, &best), PAL_ASSIGN_OK);
		memcpy(u, a->loads, J * sizeof *u);
		memcpy(v, best->loads, J * sizeof *v);
		qsort(u, J, sizeof *u, cmp_desc);
		qsort(v, J, sizeof *v, cmp_desc);
		assert_memory_equal(u, v, J * sizeof *u);
		for (size_t j = 0; j < J; j++)
			before -= a->loads[j] * a->loads[j];
		repaired += before > 0;
		eng_assignment_free(a);
		eng_assignment_free(best);
		solver_free(&s);
		free(count);
		inst_free(&in);
	}
	assert_true(repaired > 50); /* the bad start was bad often enough */
}

/* Instances where a greedy pass goes wrong: half the dossiers can only go to
 * jurors 0..2, so everything else must move off them. */
static void test_restricted_half(void **state)
{
	(void)state;
	instance in = inst_new(200, 10, 3);
	pal_assignment *a = NULL;
	size_t v[10];
	const size_t want[10] = { 100, 100, 100, 43, 43, 43, 43, 43, 43, 42 };
	for (size_t d = 0; d < 200; d++)
		for (size_t j = 0; j < 10; j++)
			in.e[d * 10 + j] = d % 2 == 0 ? j < 3 : 1;
	for (uint64_t seed = 0; seed < 5; seed++) {
		assert_int_equal(solve(&in, seed, &a), PAL_ASSIGN_OK);
		check_valid(&in, a);
		check_no_tightening(&in, a);
		memcpy(v, a->loads, sizeof v);
		qsort(v, 10, sizeof *v, cmp_desc);
		assert_memory_equal(v, want, sizeof v); /* 300 other places over 7 jurors */
		eng_assignment_free(a);
	}
	inst_free(&in);
}

/* A chain: dossier i may go to jurors i and i+1 only, and the first jurors are
 * asked first; balancing needs moves along long paths. */
static void test_chain_needs_long_paths(void **state)
{
	(void)state;
	enum { J = 12, D = 60 };
	instance in = inst_new(D, J, 1);
	pal_assignment *a = NULL;
	for (size_t d = 0; d < D; d++) {
		size_t j = d < 40 ? d % 3 : 3 + (d - 40) % (J - 4);
		in.e[d * J + j] = 1;
		in.e[d * J + j + 1] = 1;
	}
	assert_int_equal(solve(&in, 3, &a), PAL_ASSIGN_OK);
	check_valid(&in, a);
	check_no_tightening(&in, a);
	assert_int_equal(max_flow_capped(&in, a->max_load), D);
	assert_true(max_flow_capped(&in, a->max_load - 1) < D);
	assert_int_equal(a->max_load, 10); /* 40 dossiers on jurors 0..3 */
	eng_assignment_free(a);
	inst_free(&in);
}

static void test_seed_breaks_ties_only(void **state)
{
	(void)state;
	instance in = inst_new(12, 6, 2);
	pal_assignment *first = NULL;
	int differ = 0;
	memset(in.e, 1, 12 * 6);
	assert_int_equal(solve(&in, 0, &first), PAL_ASSIGN_OK);
	for (uint64_t seed = 1; seed < 20; seed++) {
		pal_assignment *a = NULL;
		assert_int_equal(solve(&in, seed, &a), PAL_ASSIGN_OK);
		check_valid(&in, a);
		assert_int_equal(a->min_load, 4); /* 24 places over 6 jurors */
		assert_int_equal(a->max_load, 4);
		differ += memcmp(a->jurors, first->jurors, 24 * sizeof *a->jurors) != 0;
		eng_assignment_free(a);
	}
	assert_true(differ > 0);
	eng_assignment_free(first);
	inst_free(&in);
}

/* FNV-1a over the assignment, written as 32-bit little-endian numbers. */
static uint64_t digest(const pal_assignment *a)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (size_t i = 0; i < a->ndossiers * a->per_dossier; i++)
		for (int b = 0; b < 4; b++) {
			h ^= (uint64_t)(a->jurors[i] >> (8 * b) & 0xff);
			h *= UINT64_C(0x100000001b3);
		}
	return h;
}

static void test_same_output_everywhere(void **state)
{
	(void)state;
	/* A fixed instance and seed give one fixed assignment: a change of this
	 * digest means `palmares assign` output changed (platform or code). */
	instance in = inst_new(300, 17, 3);
	pal_assignment *a = NULL;
	for (size_t d = 0; d < 300; d++)
		for (size_t j = 0; j < 17; j++)
			in.e[d * 17 + j] = (d * 7 + j * 13) % 11 != 0;
	assert_int_equal(solve(&in, UINT64_C(20240611), &a), PAL_ASSIGN_OK);
	check_valid(&in, a);
	assert_true(digest(a) == UINT64_C(0xfeac9045b05df0b1));
	eng_assignment_free(a);
	inst_free(&in);
}

static void test_short_dossiers_are_all_named(void **state)
{
	(void)state;
	instance in = inst_new(9, 4, 3);
	pal_assignment *a = NULL;
	memset(in.e, 1, 9 * 4);
	in.e[1 * 4 + 0] = in.e[1 * 4 + 2] = 0; /* dossier 1: 2 jurors */
	in.e[4 * 4 + 3] = 0;                   /* dossier 4: 3, enough */
	memset(&in.e[6 * 4], 0, 4);            /* dossier 6: none */
	in.e[8 * 4 + 1] = in.e[8 * 4 + 2] = in.e[8 * 4 + 3] = 0; /* dossier 8: 1 */
	assert_int_equal(solve(&in, 0, &a), PAL_ASSIGN_SHORT);
	assert_int_equal(a->nshort, 3);
	assert_int_equal(a->shorts[0].dossier, 1);
	assert_int_equal(a->shorts[0].eligible, 2);
	assert_int_equal(a->shorts[1].dossier, 6);
	assert_int_equal(a->shorts[1].eligible, 0);
	assert_int_equal(a->shorts[2].dossier, 8);
	assert_int_equal(a->shorts[2].eligible, 1);
	check_shorts(&in, a);
	eng_assignment_free(a);
	inst_free(&in);

	/* More places than jurors: every dossier is short. */
	in = inst_new(3, 2, 3);
	memset(in.e, 1, 6);
	assert_int_equal(solve(&in, 0, &a), PAL_ASSIGN_SHORT);
	assert_int_equal(a->nshort, 3);
	check_shorts(&in, a);
	eng_assignment_free(a);
	inst_free(&in);

	/* No jurors at all. */
	in = inst_new(2, 0, 1);
	assert_int_equal(solve(&in, 0, &a), PAL_ASSIGN_SHORT);
	assert_int_equal(a->nshort, 2);
	eng_assignment_free(a);
	inst_free(&in);

	/* No dossiers: nothing to do, every load 0. */
	in = inst_new(0, 3, 2);
	assert_int_equal(solve(&in, 0, &a), PAL_ASSIGN_OK);
	assert_int_equal(a->max_load, 0);
	assert_int_equal(a->loads[2], 0);
	eng_assignment_free(a);
	inst_free(&in);
}

static void test_invalid_arguments(void **state)
{
	(void)state;
	instance in = inst_new(2, 2, 1);
	pal_assignment *a = (pal_assignment *)&in; /* must be reset to NULL */
	pal_assign_problem p = { 2, 2, 0, inst_eligible, &in, 0 };
	assert_int_equal(eng_assign_solve(&p, &a), PAL_ASSIGN_EINVAL);
	assert_null(a);
	p.per_dossier = 1;
	p.eligible = NULL;
	assert_int_equal(eng_assign_solve(&p, &a), PAL_ASSIGN_EINVAL);
	assert_int_equal(eng_assign_solve(NULL, &a), PAL_ASSIGN_EINVAL);
	p.eligible = inst_eligible;
	assert_int_equal(eng_assign_solve(&p, NULL), PAL_ASSIGN_EINVAL);
	/* Sizes whose products overflow are refused before any call or allocation. */
	p.ndossiers = SIZE_MAX / 2;
	p.per_dossier = 3;
	in.calls = 0;
	assert_int_equal(eng_assign_solve(&p, &a), PAL_ASSIGN_EINVAL);
	assert_int_equal(in.calls, 0);
	eng_assignment_free(NULL);
	inst_free(&in);
}

static void test_every_allocation_failure_is_reported(void **state)
{
	(void)state;
	/* Large enough for the jurors' slot lists to grow more than once. */
	instance ok, bad;
	int failures = 0;
	test_rng = 5;
	ok = inst_random(120, 5, 2, 20);
	for (size_t d = 0; d < 120; d++)
		ok.e[d * 5] = ok.e[d * 5 + 1] = 1;
	bad = inst_random(10, 4, 3, 60);
	memset(bad.e, 0, 4); /* dossier 0 is short */
	for (int which = 0; which < 2; which++) {
		instance *in = which ? &bad : &ok;
		for (long n = 0;; n++) {
			pal_assignment *a = NULL;
			int r;
			failing_alloc_arm(n);
			r = solve(in, 9, &a);
			if (!failing_alloc_fired) {
				failing_alloc_disarm();
				assert_int_equal(r, which ? PAL_ASSIGN_SHORT : PAL_ASSIGN_OK);
				eng_assignment_free(a);
				break;
			}
			assert_int_equal(r, PAL_ASSIGN_ENOMEM);
			assert_null(a);
			failures++;
		}
	}
	failing_alloc_disarm();
	assert_true(failures > 25);
	inst_free(&ok);
	inst_free(&bad);
}

/* A behaviour test at scale, not a timing test: 5,000 dossiers, 40 jurors in 8
 * regions, K = 3, --avoid-same-region and random declared conflicts. */
static void test_scale_regions_and_conflicts(void **state)
{
	(void)state;
	enum { D = 5000, J = 40, K = 3, REGIONS = 8 };
	instance in = inst_new(D, J, K);
	pal_assignment *a = NULL, *again = NULL;
	test_rng = 6;
	for (size_t d = 0; d < D; d++) {
		size_t region = rnd(REGIONS);
		for (size_t j = 0; j < J; j++)
			in.e[d * J + j] = j % REGIONS != region && rnd(100) >= 3;
	}
	assert_int_equal(solve(&in, 77, &a), PAL_ASSIGN_OK);
	check_valid(&in, a);
	assert_true(a->max_load - a->min_load <= 1);
	assert_int_equal(a->max_load, 375); /* 15,000 places over 40 jurors */
	check_no_tightening(&in, a);
	assert_int_equal(solve(&in, 77, &again), PAL_ASSIGN_OK);
	assert_memory_equal(a->jurors, again->jurors, D * K * sizeof *a->jurors);
	eng_assignment_free(a);
	eng_assignment_free(again);

	/* Half the dossiers restricted to 3 jurors: those take 2,500 each, the
	 * other 7,500 places spread over 37 jurors (202 or 203). */
	for (size_t d = 0; d < D; d += 2)
		for (size_t j = 0; j < J; j++)
			in.e[d * J + j] = j < 3;
	assert_int_equal(solve(&in, 78, &a), PAL_ASSIGN_OK);
	check_valid(&in, a);
	for (size_t j = 0; j < J; j++) {
		if (j < 3)
			assert_int_equal(a->loads[j], 2500);
		else
			assert_true(a->loads[j] == 202 || a->loads[j] == 203);
	}
	eng_assignment_free(a);
	inst_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_splitmix64_reference),
		cmocka_unit_test(test_tiny_match_exhaustive_search),
		cmocka_unit_test(test_random_instances_are_optimal),
		cmocka_unit_test(test_improve_repairs_any_start),
		cmocka_unit_test(test_restricted_half),
		cmocka_unit_test(test_chain_needs_long_paths),
		cmocka_unit_test(test_seed_breaks_ties_only),
		cmocka_unit_test(test_same_output_everywhere),
		cmocka_unit_test(test_short_dossiers_are_all_named),
		cmocka_unit_test(test_invalid_arguments),
		cmocka_unit_test(test_every_allocation_failure_is_reported),
		cmocka_unit_test(test_scale_regions_and_conflicts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
