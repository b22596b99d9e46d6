/*
 * Juror assignment (SPEC.md §9, `palmares assign`): K distinct eligible jurors
 * per dossier, with loads as even as eligibility allows.
 *
 * Data flow: the command builds the list of dossiers that need jurors and an
 * eligibility predicate (own town, declared conflicts, --avoid-same-region),
 * calls eng_assign_solve(), and writes `juror,town_id` rows from the result,
 * or names every short dossier and writes nothing.
 *
 * Model. As a flow network: source → dossier (capacity K) → eligible juror
 * (capacity 1) → sink (no capacity: loads are not bounded). A juror's load is
 * the flow on its sink arc. Because loads are unbounded, Hall's condition
 * reduces to "every dossier has at least K eligible jurors": those that have
 * not are exactly the dossiers no assignment can serve, and they are all
 * reported before anything else is done.
 *
 * Objective. The load vectors of all assignments are the integer points of a
 * base polyhedron (an M-convex set: flows induced through a network). On such
 * a set, an element is decreasingly minimal — its sorted loads are
 * lexicographically smallest from the top — if and only if no "1-tightening
 * step" exists: no jurors a, b with load(a) >= load(b) + 2 such that one unit
 * can move from a to b, i.e. no path a → b in the residual network (Frank and
 * Murota, "Discrete decreasing minimization", 2022; for one-per-job
 * assignment, Harvey, Ladner, Lovász and Tamir, "Semi-matchings for bipartite
 * graphs and load balancing", 2006). That element also minimises the largest
 * load, maximises the smallest, minimises Σ load², and has max − min <= 1
 * whenever any assignment has. This is cycle cancelling for the convex-cost
 * flow "minimise Σ load²", with a cheap test for negative cycles.
 *
 * Residual paths between jurors always alternate juror → dossier → juror, so
 * they are searched on a contracted graph of jurors only: an edge x → y when
 * some dossier holding x could take y instead. cnt[x][y] counts those
 * dossiers and is updated whenever a dossier's jurors change (O(K·J)). Moving
 * one unit along a path x0 → … → xk moves, for each edge, one such dossier
 * from x_i to x_{i+1}: intermediate loads are unchanged, x0 loses one and xk
 * gains one. Along a shortest (hence simple) path and edge by edge, the
 * dossiers moved on one edge never stop others from serving a later edge, so
 * a path can carry min(cnt on its edges) units at once.
 *
 * Algorithm.
 *  1. Eligibility: the predicate is called once per pair into a D × J bit matrix.
 *  2. Insertion: dossiers in seeded order; each of a dossier's K places goes,
 *     through a breadth-first search of the contracted graph started from the
 *     dossier's eligible jurors it does not hold yet, to the least-loaded
 *     reachable juror (the search stops at the first juror with the global
 *     minimum load). This keeps loads nearly optimal all along, so that step 3
 *     has little left to do.
 *  3. Improvement: take jurors from the most loaded down; search from each
 *     for the least-loaded reachable juror b; when load(a) >= load(b) + 2, move
 *     min(path capacity, (load(a) − load(b)) / 2) units and start again. Each
 *     unit lowers Σ load² by at least 2, so this ends; it ends exactly when no
 *     1-tightening step is left, which certifies the optimum.
 *  Ties are broken by a seeded juror rank (search order) and the seeded
 *  dossier order, drawn from splitmix64: the same problem and seed give the
 *  same assignment on every platform (no floating point, no rand()).
 *
 * Cost, for D dossiers, J jurors: eligibility O(D·J) calls and D·J bits;
 * each insertion one search, O(J) when a least-loaded juror is eligible
 * (the usual case) and O(J²) at worst, plus O(K·J) per dossier moved; each
 * improvement round at most J searches, O(J³); memory O(D·K + D·J/8 + J²).
 * 35,000 dossiers × 60 jurors × K = 3 take a fraction of a second.
 */
#include "assign.h"

#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

/* The slots (d * K + k) held by one juror, in no particular order. */
typedef struct slot_list {
	size_t *v;
	size_t n, cap;
} slot_list;

typedef struct solver {
	size_t D, J, K, W; /* W: 64-bit words per eligibility row */
	uint64_t *elig;    /* D × W bits: juror j may judge dossier d */
	size_t *asg;       /* D × K: juror in each slot, NONE while empty */
	size_t *pos;       /* D × K: index of each filled slot in its juror's list */
	size_t *load;      /* J */
	size_t *cnt;       /* J × J: dossiers holding x that could take y instead */
	slot_list *lists;  /* J */
	size_t *rank;      /* J: seeded tie-break rank of each juror */
	size_t *by_rank;   /* J: jurors by rank */
	size_t *dorder;    /* D: seeded insertion order */
	/* Scratch for searches and moves. */
	size_t *prev, *queue, *path, *order; /* J each */
	unsigned char *seen, *held;          /* J each */
	size_t *wit;                         /* D: dossiers to move along one edge */
} solver;

/* ---- seeded order -------------------------------------------------------- */

/* splitmix64 (Steele, Lea, Flood 2014; Vigna's reference code). */
static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n >= 1, by rejection: no modulo bias, same on every platform. */
static uint64_t below(uint64_t *state, uint64_t n)
{
	uint64_t limit = (0 - n) % n; /* 2^64 mod n: values under it are rejected */
	for (;;) {
		uint64_t r = splitmix64(state);
		if (r >= limit)
			return r % n;
	}
}

/* v = a seeded permutation of 0..n-1 (Fisher–Yates). */
static void shuffle(size_t *v, size_t n, uint64_t *state)
{
	for (size_t i = 0; i < n; i++)
		v[i] = i;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)below(state, (uint64_t)i), t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* ---- state --------------------------------------------------------------- */

static int eligible(const solver *s, size_t d, size_t j)
{
	return (int)(s->elig[d * s->W + j / 64] >> (j % 64) & 1);
}

static int holds(const solver *s, size_t d, size_t j)
{
	const size_t *a = &s->asg[d * s->K];
	for (size_t k = 0; k < s->K; k++) {
		if (a[k] == j)
			return 1;
	}
	return 0;
}

/* Adds (add = 1) or removes (add = 0) dossier d's share of cnt: x held, y eligible and not held. */
static void contrib(solver *s, size_t d, int add)
{
	const size_t *a = &s->asg[d * s->K];
	for (size_t k = 0; k < s->K; k++) {
		if (a[k] != NONE)
			s->held[a[k]] = 1;
	}
	for (size_t k = 0; k < s->K; k++) {
		size_t *c;
		if (a[k] == NONE)
			continue;
		c = &s->cnt[a[k] * s->J];
		for (size_t y = 0; y < s->J; y++) {
			if (s->held[y] || !eligible(s, d, y))
				continue;
			if (add)
				c[y]++;
			else
				c[y]--;
		}
	}
	for (size_t k = 0; k < s->K; k++) {
		if (a[k] != NONE)
			s->held[a[k]] = 0;
	}
}

/* Makes room for one more slot in juror j's list, so that the next append cannot fail. */
static int list_reserve(solver *s, size_t j)
{
	slot_list *l = &s->lists[j];
	size_t cap;
	size_t *v;
	if (l->n < l->cap)
		return PAL_ASSIGN_OK;
	cap = l->cap ? l->cap * 2 : 16;
	if (cap < l->cap || cap > SIZE_MAX / sizeof *v)
		return PAL_ASSIGN_ENOMEM;
	v = realloc(l->v, cap * sizeof *v);
	if (!v)
		return PAL_ASSIGN_ENOMEM;
	l->v = v;
	l->cap = cap;
	return PAL_ASSIGN_OK;
}

/* Puts juror j in an empty slot (room reserved). cnt is the caller's business. */
static void slot_fill(solver *s, size_t slot, size_t j)
{
	slot_list *l = &s->lists[j];
	s->asg[slot] = j;
	s->pos[slot] = l->n;
	l->v[l->n++] = slot;
	s->load[j]++;
}

static void slot_empty(solver *s, size_t slot)
{
	slot_list *l = &s->lists[s->asg[slot]];
	size_t last = l->v[--l->n];
	l->v[s->pos[slot]] = last;
	s->pos[last] = s->pos[slot];
	s->load[s->asg[slot]]--;
	s->asg[slot] = NONE;
}

/* Dossier d, which holds x and not y, takes y instead of x. */
static int move(solver *s, size_t d, size_t x, size_t y)
{
	size_t slot = d * s->K, k;
	int r;
	for (k = 0; k < s->K && s->asg[slot + k] != x; k++)
		;
	if (k == s->K)
		return PAL_ASSIGN_EINTERNAL;
	if ((r = list_reserve(s, y)) != PAL_ASSIGN_OK)
		return r;
	contrib(s, d, 0);
	slot_empty(s, slot + k);
	slot_fill(s, slot + k, y);
	contrib(s, d, 1);
	return PAL_ASSIGN_OK;
}

/* ---- searches and moves -------------------------------------------------- */

static size_t min_load(const solver *s)
{
	size_t m = NONE;
	for (size_t j = 0; j < s->J; j++) {
		if (s->load[j] < m)
			m = s->load[j];
	}
	return m;
}

/*
 * Breadth-first search of the contracted graph from the nroots jurors in
 * queue[0..nroots) (flagged in seen, prev NONE), neighbours taken in rank
 * order. Returns the least-loaded juror reached, the first reached among
 * equals, the roots included only when roots_count; NONE when there is none.
 * Stops at the first juror whose load is `floor` (nothing is lower). Leaves
 * prev set along the search tree and seen cleared.
 */
static size_t search(solver *s, size_t nroots, int roots_count, size_t floor)
{
	size_t head = 0, tail = nroots, best = NONE;
	if (roots_count) {
		for (size_t i = 0; i < nroots; i++) {
			size_t r = s->queue[i];
			if (best == NONE || s->load[r] < s->load[best])
				best = r;
		}
	}
	while (head < tail && !(best != NONE && s->load[best] == floor)) {
		size_t x = s->queue[head++];
		const size_t *c = &s->cnt[x * s->J];
		for (size_t i = 0; i < s->J; i++) {
			size_t y = s->by_rank[i];
			if (s->seen[y] || !c[y])
				continue;
			s->seen[y] = 1;
			s->prev[y] = x;
			s->queue[tail++] = y;
			if (best == NONE || s->load[y] < s->load[best]) {
				best = y;
				if (s->load[y] == floor)
					break;
			}
		}
	}
	for (size_t i = 0; i < tail; i++)
		s->seen[s->queue[i]] = 0;
	return best;
}

/* path[0..len) = the search tree's path from its root to b. Returns len (>= 1). */
static size_t trace(solver *s, size_t b)
{
	size_t len = 0;
	for (size_t x = b; x != NONE; x = s->prev[x])
		s->path[len++] = x;
	for (size_t i = 0; i < len / 2; i++) {
		size_t t = s->path[i];
		s->path[i] = s->path[len - 1 - i];
		s->path[len - 1 - i] = t;
	}
	return len;
}

/*
 * Moves m units along path[0..len): for each edge x → y, m dossiers holding x
 * and able to take y switch from x to y. Witnesses are picked on the current
 * state, edge after edge; moves on one edge only add witnesses to the next
 * edges (see the header comment), so m <= min(cnt on the path) always works.
 */
static int push(solver *s, size_t len, size_t m)
{
	for (size_t i = 0; i + 1 < len; i++) {
		size_t x = s->path[i], y = s->path[i + 1], c = 0;
		const slot_list *l = &s->lists[x];
		for (size_t t = 0; t < l->n && c < m; t++) {
			size_t d = l->v[t] / s->K;
			if (eligible(s, d, y) && !holds(s, d, y))
				s->wit[c++] = d;
		}
		if (c < m)
			return PAL_ASSIGN_EINTERNAL;
		for (size_t t = 0; t < c; t++) {
			int r = move(s, s->wit[t], x, y);
			if (r != PAL_ASSIGN_OK)
				return r;
		}
	}
	return PAL_ASSIGN_OK;
}

/* Step 2: every place of every dossier goes to the least-loaded juror it can reach. */
static int insert_all(solver *s)
{
	for (size_t t = 0; t < s->D; t++) {
		size_t d = s->dorder[t];
		for (size_t k = 0; k < s->K; k++) {
			size_t nroots = 0, b, len;
			int r;
			for (size_t i = 0; i < s->J; i++) {
				size_t j = s->by_rank[i];
				if (eligible(s, d, j) && !holds(s, d, j)) {
					s->seen[j] = 1;
					s->prev[j] = NONE;
					s->queue[nroots++] = j;
				}
			}
			if (nroots == 0) /* excluded by the eligibility count */
				return PAL_ASSIGN_EINTERNAL;
			b = search(s, nroots, 1, min_load(s));
			len = trace(s, b);
			if ((r = list_reserve(s, s->path[0])) != PAL_ASSIGN_OK)
				return r;
			contrib(s, d, 0);
			slot_fill(s, d * s->K + k, s->path[0]);
			contrib(s, d, 1);
			if ((r = push(s, len, 1)) != PAL_ASSIGN_OK)
				return r;
		}
	}
	return PAL_ASSIGN_OK;
}

/* order = jurors by load, highest first, rank breaking ties (insertion sort: J is small). */
static void sort_by_load(solver *s)
{
	for (size_t i = 0; i < s->J; i++) {
		size_t j = s->by_rank[i], k = i;
		while (k > 0 && s->load[s->order[k - 1]] < s->load[j]) {
			s->order[k] = s->order[k - 1];
			k--;
		}
		s->order[k] = j;
	}
}

/* Step 3: apply 1-tightening moves until none is left. */
static int improve(solver *s)
{
	for (;;) {
		size_t floor;
		int moved = 0;
		if (s->J == 0)
			return PAL_ASSIGN_OK;
		sort_by_load(s);
		floor = s->load[s->order[s->J - 1]];
		for (size_t i = 0; i < s->J && !moved; i++) {
			size_t a = s->order[i], b, len, m;
			int r;
			if (s->load[a] < floor + 2)
				break; /* no juror is 2 below this one or any after it */
			s->seen[a] = 1;
			s->prev[a] = NONE;
			s->queue[0] = a;
			b = search(s, 1, 0, floor);
			if (b == NONE || s->load[a] < s->load[b] + 2)
				continue;
			len = trace(s, b);
			m = (s->load[a] - s->load[b]) / 2;
			for (size_t e = 0; e + 1 < len; e++) {
				size_t c = s->cnt[s->path[e] * s->J + s->path[e + 1]];
				if (c < m)
					m = c;
			}
			if ((r = push(s, len, m)) != PAL_ASSIGN_OK)
				return r;
			moved = 1;
		}
		if (!moved)
			return PAL_ASSIGN_OK;
	}
}

/* ---- setup and result ---------------------------------------------------- */

static void solver_free(solver *s)
{
	if (s->lists) {
		for (size_t j = 0; j < s->J; j++)
			free(s->lists[j].v);
	}
	free(s->elig);
	free(s->asg);
	free(s->pos);
	free(s->load);
	free(s->cnt);
	free(s->lists);
	free(s->rank);
	free(s->by_rank);
	free(s->dorder);
	free(s->prev);
	free(s->queue);
	free(s->path);
	free(s->order);
	free(s->seen);
	free(s->held);
	free(s->wit);
}

/* calloc that never asks for 0 bytes (so NULL always means out of memory). */
static void *zalloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static int solver_init(solver *s, const pal_assign_problem *p)
{
	size_t dk, dw, jj;
	uint64_t state = p->seed;

	memset(s, 0, sizeof *s);
	s->D = p->ndossiers;
	s->J = p->njurors;
	s->K = p->per_dossier;
	s->W = s->J / 64 + (s->J % 64 != 0);
	if ((s->D && s->K > SIZE_MAX / s->D) || (s->D && s->W > SIZE_MAX / s->D) ||
	    (s->J && s->J > SIZE_MAX / s->J))
		return PAL_ASSIGN_EINVAL;
	dk = s->D * s->K;
	dw = s->D * s->W;
	jj = s->J * s->J;
	s->elig = zalloc(dw, sizeof *s->elig);
	s->asg = zalloc(dk, sizeof *s->asg);
	s->pos = zalloc(dk, sizeof *s->pos);
	s->load = zalloc(s->J, sizeof *s->load);
	s->cnt = zalloc(jj, sizeof *s->cnt);
	s->lists = zalloc(s->J, sizeof *s->lists);
	s->rank = zalloc(s->J, sizeof *s->rank);
	s->by_rank = zalloc(s->J, sizeof *s->by_rank);
	s->dorder = zalloc(s->D, sizeof *s->dorder);
	s->prev = zalloc(s->J, sizeof *s->prev);
	s->queue = zalloc(s->J, sizeof *s->queue);
	s->path = zalloc(s->J, sizeof *s->path);
	s->order = zalloc(s->J, sizeof *s->order);
	s->seen = zalloc(s->J, 1);
	s->held = zalloc(s->J, 1);
	s->wit = zalloc(s->D, sizeof *s->wit);
	if (!s->elig || !s->asg || !s->pos || !s->load || !s->cnt || !s->lists || !s->rank ||
	    !s->by_rank || !s->dorder || !s->prev || !s->queue || !s->path || !s->order ||
	    !s->seen || !s->held || !s->wit)
		return PAL_ASSIGN_ENOMEM;
	for (size_t i = 0; i < dk; i++)
		s->asg[i] = NONE;
	/* Jurors first, then dossiers: changing one count does not reshuffle the other. */
	shuffle(s->by_rank, s->J, &state);
	for (size_t i = 0; i < s->J; i++)
		s->rank[s->by_rank[i]] = i;
	shuffle(s->dorder, s->D, &state);
	return PAL_ASSIGN_OK;
}

/* Reads the predicate into the bit matrix; returns how many dossiers have fewer than K jurors. */
static size_t read_eligibility(solver *s, const pal_assign_problem *p, size_t *count)
{
	size_t nshort = 0;
	for (size_t d = 0; d < s->D; d++) {
		uint64_t *row = &s->elig[d * s->W];
		size_t c = 0;
		for (size_t j = 0; j < s->J; j++) {
			if (p->eligible(p->ctx, d, j)) {
				row[j / 64] |= UINT64_C(1) << (j % 64);
				c++;
			}
		}
		count[d] = c;
		nshort += c < s->K;
	}
	return nshort;
}

void eng_assignment_free(pal_assignment *a)
{
	if (!a)
		return;
	free(a->jurors);
	free(a->loads);
	free(a->shorts);
	free(a);
}

static pal_assignment *result_new(const solver *s)
{
	pal_assignment *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->ndossiers = s->D;
	a->njurors = s->J;
	a->per_dossier = s->K;
	return a;
}

static int result_shorts(pal_assignment *a, const size_t *count, size_t nshort, size_t k)
{
	size_t i = 0;
	a->shorts = zalloc(nshort, sizeof *a->shorts);
	if (!a->shorts)
		return PAL_ASSIGN_ENOMEM;
	for (size_t d = 0; d < a->ndossiers; d++) {
		if (count[d] < k)
			a->shorts[i++] = (pal_assign_short){ d, count[d] };
	}
	a->nshort = nshort;
	return PAL_ASSIGN_SHORT;
}

static int result_fill(pal_assignment *a, const solver *s)
{
	a->jurors = zalloc(s->D * s->K, sizeof *a->jurors);
	a->loads = zalloc(s->J, sizeof *a->loads);
	if (!a->jurors || !a->loads)
		return PAL_ASSIGN_ENOMEM;
	memcpy(a->jurors, s->asg, s->D * s->K * sizeof *a->jurors);
	for (size_t d = 0; d < s->D; d++) {
		size_t *row = &a->jurors[d * s->K];
		for (size_t i = 1; i < s->K; i++) {
			size_t v = row[i], k = i;
			for (; k > 0 && row[k - 1] > v; k--)
				row[k] = row[k - 1];
			row[k] = v;
		}
	}
	memcpy(a->loads, s->load, s->J * sizeof *a->loads);
	a->min_load = s->J ? min_load(s) : 0;
	for (size_t j = 0; j < s->J; j++) {
		if (s->load[j] > a->max_load)
			a->max_load = s->load[j];
	}
	return PAL_ASSIGN_OK;
}

int eng_assign_solve(const pal_assign_problem *p, pal_assignment **out)
{
	solver s;
	pal_assignment *a = NULL;
	size_t *count = NULL, nshort;
	int r;

	if (!out)
		return PAL_ASSIGN_EINVAL;
	*out = NULL;
	if (!p || !p->eligible || p->per_dossier == 0)
		return PAL_ASSIGN_EINVAL;
	r = solver_init(&s, p);
	if (r == PAL_ASSIGN_OK && !(count = zalloc(s.D, sizeof *count)))
		r = PAL_ASSIGN_ENOMEM;
	if (r == PAL_ASSIGN_OK && !(a = result_new(&s)))
		r = PAL_ASSIGN_ENOMEM;
	if (r == PAL_ASSIGN_OK) {
		nshort = read_eligibility(&s, p, count);
		if (nshort)
			r = result_shorts(a, count, nshort, s.K);
		else if ((r = insert_all(&s)) == PAL_ASSIGN_OK && (r = improve(&s)) == PAL_ASSIGN_OK)
			r = result_fill(a, &s);
	}
	free(count);
	solver_free(&s);
	if (r != PAL_ASSIGN_OK && r != PAL_ASSIGN_SHORT) {
		eng_assignment_free(a);
		return r;
	}
	*out = a;
	return r;
}
