/*
 * The jury workflow (SPEC §9, include/palmares/jury.h): jurors loading,
 * eligibility rules, assignments (with a property test on random instances
 * checked by means independent of the solver: eligibility recomputed from
 * the generated data, and a bounded max-flow deciding whether perfectly
 * even loads exist), sheets, progress counts, level stability and the
 * borderline list. Leaks are caught by the sanitizer build (LeakSanitizer).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "palmares/jury.h"

#include "scratch_dir.h"

static int has_diag(const pal_diags *d, pal_severity sev, const char *needle)
{
	for (size_t i = 0; i < pal_diags_count(d); i++) {
		const pal_diag *g = pal_diags_get(d, i);
		if (g->severity == sev && strstr(g->text, needle))
			return 1;
	}
	return 0;
}

static size_t count_diags(const pal_diags *d, pal_severity sev, const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < pal_diags_count(d); i++) {
		const pal_diag *g = pal_diags_get(d, i);
		n += g->severity == sev && strstr(g->text, needle) != NULL;
	}
	return n;
}

/* A stream into memory; take the text with mem_text(). */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	assert_non_null(m->f);
	return m->f;
}

static char *mem_text(struct mem *m)
{
	fclose(m->f);
	return m->buf;
}

/* ---- campaigns ---- */

struct camp {
	pal_rubric *r;
	pal_campaign *c;
	pal_diags *d;
};

static void camp_open(struct camp *x, const char *rubric_body, const char *dossiers)
{
	char rubric[8192];
	snprintf(rubric, sizeof rubric,
	         "{\"format\":\"palmares-rubric/1\",\"id\":\"t\",\"edition\":2027,\"label\":\"T\","
	         "\"language\":\"fr\",%s}", rubric_body);
	x->d = pal_diags_new();
	x->r = scratch_rubric(rubric, x->d);
	x->c = pal_campaign_new(x->r);
	assert_non_null(x->c);
	pal_campaign_add_dossiers(x->c, write_file("d.json", dossiers), x->d);
}

static void camp_close(struct camp *x)
{
	pal_campaign_free(x->c);
	pal_rubric_free(x->r);
	pal_diags_free(x->d);
}

/* j applies except to EPCIs; k only to towns of 1,000 inhabitants or more. */
static const char jury_rubric[] =
	"\"categories\":[{\"id\":\"c\",\"criteria\":["
	"{\"id\":\"p\",\"kind\":\"percent\",\"points\":10},"
	"{\"id\":\"j\",\"kind\":\"jury\",\"points\":10,\"scale\":[0,10],"
	" \"title\":{\"fr\":\"Jury, appréciation\",\"en\":\"Jury\"},"
	" \"applies\":{\"!=\":[{\"var\":\"town.type\"},\"epci\"]}},"
	"{\"id\":\"k\",\"kind\":\"jury\",\"points\":10,\"scale\":[0,5],"
	" \"applies\":{\">=\":[{\"var\":\"town.population\"},1000]}}]}],"
	"\"jury\":{\"min_marks\":2},"
	"\"levels\":[{\"name\":\"L1\",\"min_percent\":0},{\"name\":\"L2\",\"min_percent\":50},"
	"{\"name\":\"L3\",\"min_percent\":80}]";

/* 1 needs j and k; 2 needs j; 3 needs nothing (EPCI, small); 4 is invalid. */
static const char four_towns[] =
	"[{\"town\":{\"id\":\"1\",\"name\":\"Alpha\",\"population\":5000,\"region\":\"Bretagne\"},"
	"  \"answers\":{\"p\":50}},"
	" {\"town\":{\"id\":\"2\",\"name\":\"=Beta, la ville\",\"population\":500,"
	"  \"region\":\"Île-de-France\"},\"answers\":{\"p\":60}},"
	" {\"town\":{\"id\":\"3\",\"name\":\"Gamma\",\"population\":500,\"type\":\"epci\","
	"  \"region\":\"Occitanie\"},\"answers\":{\"p\":70}},"
	" {\"town\":{\"id\":\"4\",\"name\":\"Delta\",\"population\":2000,\"region\":\"Bretagne\"},"
	"  \"answers\":{\"p\":\"beaucoup\"}}]";

static const char six_jurors[] =
	"juror,name,town_id,region,conflicts,x-note\n"
	"zed,Zed,1,bretagne ,,own town of 1\n"
	"amy,Amy,,ILE-DE-FRANCE,2 | 9,conflict with 2\n"
	",,,,,\n"
	"bob,Bob,,Occitanie,,\n"
	"cat,Cat,,,,no region\n"
	"dan,Dan,,île-de-france,,\n"
	"eve,Eve,,BRETAGNE,,\n";

static pal_jurors *load_jurors(const char *text, pal_diags *d, int *st)
{
	return pal_jurors_load(write_file("jurors.csv", text), d, st);
}

/* ---- jurors ---- */

static void test_jurors_load(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int st;
	pal_jurors *j = load_jurors(six_jurors, d, &st);
	assert_non_null(j);
	assert_int_equal(st, PAL_OK);
	assert_int_equal(pal_diags_count(d), 0);
	assert_int_equal(pal_jurors_count(j), 6);
	/* sorted by id; the blank row is skipped */
	assert_string_equal(pal_jurors_id(j, 0), "amy");
	assert_string_equal(pal_jurors_id(j, 5), "zed");
	assert_int_equal(pal_jurors_find(j, "dan"), 3);
	assert_int_equal(pal_jurors_find(j, "nobody"), -1);
	assert_null(pal_jurors_id(j, 6));
	pal_jurors_free(j);
	pal_jurors_free(NULL);

	/* office dialect: semicolons, Windows-1252, a BOM-less header in another order */
	j = load_jurors("conflicts;juror;region\r\n05061|85113;j-dubois;Occitanie\r\n;\xe9lo\xefse;\r\n",
	                d, &st);
	assert_non_null(j);
	assert_int_equal(st, PAL_OK);
	assert_int_equal(pal_jurors_count(j), 2);
	assert_string_equal(pal_jurors_id(j, 1), "\xc3\xa9lo\xc3\xafse");
	pal_jurors_free(j);
	pal_diags_free(d);
}

static void test_jurors_errors(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int st;
	pal_jurors *j = load_jurors("juror,region\nann,A\nbob,B\nann,C\nAnn,D\n../x,E\n.hidden,F\n"
	                            "a/b,G\n  ,H\nok\x01id,I\n",
	                            d, &st);
	assert_non_null(j);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(pal_jurors_count(j), 2); /* ann (line 2), bob */
	assert_true(has_diag(d, PAL_ERROR, "juror \"ann\" listed twice (also line 2)"));
	assert_true(has_diag(d, PAL_ERROR, "juror \"Ann\" differs from \"ann\" (line 2) only by letter"));
	assert_int_equal(count_diags(d, PAL_ERROR, "cannot name a sheet file"), 4);
	assert_true(has_diag(d, PAL_ERROR, "missing juror id"));
	pal_jurors_free(j);
	pal_diags_free(d);

	/* a typo in a column name would drop the conflicts: the whole file is refused */
	d = pal_diags_new();
	j = load_jurors("juror,conflits\nann,1\n", d, &st);
	assert_null(j);
	assert_int_equal(st, PAL_REJECTED);
	assert_true(has_diag(d, PAL_ERROR, "unknown column \"conflits\": did you mean \"conflicts\"?"));
	j = load_jurors("name,email\nAnn,a@example.org\n", d, &st);
	assert_null(j);
	assert_true(has_diag(d, PAL_ERROR, "the header row has no \"juror\" column"));
	j = pal_jurors_load("/nonexistent/jurors.csv", d, &st);
	assert_null(j);
	assert_int_equal(st, PAL_IOERR);
	pal_diags_free(d);
}

static void test_id_safe(void **state)
{
	(void)state;
	assert_true(pal_jury_id_safe("j-martin"));
	assert_true(pal_jury_id_safe("Hélène Lefebvre"));
	assert_true(pal_jury_id_safe("a..b"));
	assert_false(pal_jury_id_safe(""));
	assert_false(pal_jury_id_safe(NULL));
	assert_false(pal_jury_id_safe("."));
	assert_false(pal_jury_id_safe(".."));
	assert_false(pal_jury_id_safe("../etc"));
	assert_false(pal_jury_id_safe("a/b"));
	assert_false(pal_jury_id_safe("a\\b"));
	assert_false(pal_jury_id_safe("c:x"));
	assert_false(pal_jury_id_safe("tab\there"));
	assert_false(pal_jury_id_safe("c1\xc2\x85"));
	char longid[202];
	memset(longid, 'a', 201);
	longid[201] = '\0';
	assert_false(pal_jury_id_safe(longid));
	longid[200] = '\0';
	assert_true(pal_jury_id_safe(longid));
}

static void test_eligibility(void **state)
{
	(void)state;
	struct camp x;
	int st;
	camp_open(&x, jury_rubric, four_towns);
	pal_jurors *j = load_jurors(six_jurors, x.d, &st);
	long amy = pal_jurors_find(j, "amy"), dan = pal_jurors_find(j, "dan");
	long eve = pal_jurors_find(j, "eve"), zed = pal_jurors_find(j, "zed");
	long cat = pal_jurors_find(j, "cat");
	unsigned avoid = PAL_JURY_AVOID_SAME_REGION;
	/* own town comes first, whatever the region */
	assert_int_equal(pal_jurors_eligibility(j, (size_t)zed, x.c, "1", 0), PAL_INELIGIBLE_OWN_TOWN);
	assert_int_equal(pal_jurors_eligibility(j, (size_t)zed, x.c, "1", avoid),
	                 PAL_INELIGIBLE_OWN_TOWN);
	assert_int_equal(pal_jurors_eligibility(j, (size_t)zed, x.c, "2", avoid), PAL_ELIGIBLE);
	/* declared conflicts, trimmed */
	assert_int_equal(pal_jurors_eligibility(j, (size_t)amy, x.c, "2", 0), PAL_INELIGIBLE_CONFLICT);
	assert_int_equal(pal_jurors_eligibility(j, (size_t)amy, x.c, "1", avoid), PAL_ELIGIBLE);
	/* regions: case, accents and spaces ignored; only with the flag */
	assert_int_equal(pal_jurors_eligibility(j, (size_t)dan, x.c, "2", 0), PAL_ELIGIBLE);
	assert_int_equal(pal_jurors_eligibility(j, (size_t)dan, x.c, "2", avoid),
	                 PAL_INELIGIBLE_SAME_REGION);
	assert_int_equal(pal_jurors_eligibility(j, (size_t)eve, x.c, "1", avoid),
	                 PAL_INELIGIBLE_SAME_REGION);
	assert_int_equal(pal_jurors_eligibility(j, (size_t)eve, x.c, "2", avoid), PAL_ELIGIBLE);
	/* no region is never the same region */
	assert_int_equal(pal_jurors_eligibility(j, (size_t)cat, x.c, "1", avoid), PAL_ELIGIBLE);
	/* unknown town or juror */
	assert_int_equal(pal_jurors_eligibility(j, (size_t)cat, x.c, "99", 0), -1);
	assert_int_equal(pal_jurors_eligibility(j, 6, x.c, "1", 0), -1);
	pal_jurors_free(j);
	camp_close(&x);
}

/* ---- assignment ---- */

static char *plan_text(const pal_jury_plan *p)
{
	struct mem m;
	assert_int_equal(pal_jury_plan_write(p, mem_open(&m)), 0);
	return mem_text(&m);
}

static void test_assign(void **state)
{
	(void)state;
	struct camp x;
	int st;
	pal_jury_plan *p = NULL, *q = NULL;
	camp_open(&x, jury_rubric, four_towns);
	pal_jurors *j = load_jurors(six_jurors, x.d, &st);
	/* the campaign is scored by assign when it has not been */
	assert_int_equal(pal_jury_assign(x.c, j, 2, PAL_JURY_AVOID_SAME_REGION, 7, &p, x.d), PAL_OK);
	assert_non_null(p);
	/* town 3 needs no juror, town 4 is invalid: 2 dossiers × 2 jurors */
	assert_int_equal(pal_jury_plan_count(p), 4);
	const char *ju[4], *town[4];
	for (size_t i = 0; i < 4; i++)
		pal_jury_plan_pair(p, i, &ju[i], &town[i]);
	/* dossiers in input order, each one's jurors sorted */
	assert_string_equal(town[0], "1");
	assert_string_equal(town[1], "1");
	assert_string_equal(town[2], "2");
	assert_string_equal(town[3], "2");
	assert_true(strcmp(ju[0], ju[1]) < 0);
	assert_true(strcmp(ju[2], ju[3]) < 0);
	/* 4 places for 6 jurors: nobody twice; every pair eligible */
	for (size_t i = 0; i < 4; i++) {
		for (size_t k = i + 1; k < 4; k++)
			assert_string_not_equal(ju[i], ju[k]);
		assert_int_equal(pal_jurors_eligibility(j, (size_t)pal_jurors_find(j, ju[i]), x.c, town[i],
		                                        PAL_JURY_AVOID_SAME_REGION),
		                 PAL_ELIGIBLE);
	}
	/* same inputs and seed: same plan */
	assert_int_equal(pal_jury_assign(x.c, j, 2, PAL_JURY_AVOID_SAME_REGION, 7, &q, x.d), PAL_OK);
	char *a = plan_text(p), *b = plan_text(q);
	assert_string_equal(a, b);
	assert_memory_equal(a, "juror,town_id\n", 14);
	free(a);
	free(b);
	pal_jury_plan_free(p);
	pal_jury_plan_free(q);
	pal_jury_plan_free(NULL);

	/* impossible: every short dossier is named, nothing is assigned */
	size_t before = pal_diags_errors(x.d);
	q = (pal_jury_plan *)1;
	assert_int_equal(pal_jury_assign(x.c, j, 5, PAL_JURY_AVOID_SAME_REGION, 7, &q, x.d),
	                 PAL_REJECTED);
	assert_null(q);
	assert_int_equal(pal_diags_errors(x.d) - before, 2);
	assert_true(has_diag(x.d, PAL_ERROR, "town 1 \"Alpha\": only 4 eligible jurors for 5 (of 6 "
	                                     "jurors: 1 of its town, 1 of its region)"));
	assert_true(has_diag(x.d, PAL_ERROR, "town 2 \"=Beta, la ville\": only 4 eligible jurors for 5 "
	                                     "(of 6 jurors: 1 with a declared conflict, 1 of its region)"));
	assert_int_equal(pal_jury_assign(x.c, j, 0, 0, 7, &q, x.d), PAL_REJECTED);
	pal_jurors_free(j);
	camp_close(&x);
}

/* ---- property test: random instances ---- */

#define PD 12
#define PJ 7
static const char *const region_spelling[] = {"", "Bretagne", "BRETAGNE ", " bretagne", "Occitanie",
                                              "occitanie", "Île-de-France", "ile-de-france"};
static const int region_of[] = {0, 1, 1, 1, 2, 2, 3, 3}; /* 0: none */

struct inst {
	size_t D, J, K;
	unsigned flags;
	int dreg[PD], jreg[PJ];
	int jtown[PJ];          /* dossier index or -1 */
	int conflict[PJ][PD];
	int elig[PD][PJ];
};

static uint64_t rng = 12345;
static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static void inst_files(struct inst *in, const char **dossiers, const char **jurors)
{
	static char dj[16384], jc[8192];
	size_t o = 0;
	o += (size_t)snprintf(dj + o, sizeof dj - o, "[");
	for (size_t d = 0; d < in->D; d++) {
		int v = (int)rnd(8);
		in->dreg[d] = region_of[v];
		o += (size_t)snprintf(dj + o, sizeof dj - o, "%s{\"town\":{\"id\":\"t%zu\",\"name\":\"T\"%s%s%s},"
		                      "\"answers\":{}}", d ? "," : "", d, v ? ",\"region\":\"" : "",
		                      region_spelling[v], v ? "\"" : "");
	}
	snprintf(dj + o, sizeof dj - o, "]");
	o = (size_t)snprintf(jc, sizeof jc, "juror,town_id,region,conflicts\n");
	for (size_t j = 0; j < in->J; j++) {
		int v = (int)rnd(8), first = 1;
		in->jreg[j] = region_of[v];
		in->jtown[j] = rnd(3) == 0 ? (int)rnd((unsigned)in->D) : -1;
		o += (size_t)snprintf(jc + o, sizeof jc - o, "j%zu,", j);
		if (in->jtown[j] >= 0)
			o += (size_t)snprintf(jc + o, sizeof jc - o, "t%d", in->jtown[j]);
		o += (size_t)snprintf(jc + o, sizeof jc - o, ",%s,", region_spelling[v]);
		for (size_t d = 0; d < in->D; d++) {
			in->conflict[j][d] = rnd(6) == 0;
			if (in->conflict[j][d]) {
				o += (size_t)snprintf(jc + o, sizeof jc - o, "%st%zu", first ? "" : "|", d);
				first = 0;
			}
		}
		o += (size_t)snprintf(jc + o, sizeof jc - o, "\n");
	}
	for (size_t d = 0; d < in->D; d++) {
		for (size_t j = 0; j < in->J; j++) {
			int same = in->dreg[d] && in->jreg[j] && in->dreg[d] == in->jreg[j];
			in->elig[d][j] = in->jtown[j] != (int)d && !in->conflict[j][d] &&
			                 !((in->flags & PAL_JURY_AVOID_SAME_REGION) && same);
		}
	}
	*dossiers = write_file("p.json", dj);
	*jurors = write_file("pj.csv", jc);
}

/* Max flow on a small dense graph (Edmonds–Karp). */
#define PN (4 + PD + PJ)
static long maxflow(long cap[PN][PN], int n, int s, int t)
{
	long flow = 0;
	for (;;) {
		int prev[PN], queue[PN], head = 0, tail = 0;
		for (int i = 0; i < n; i++)
			prev[i] = -1;
		prev[s] = s;
		queue[tail++] = s;
		while (head < tail && prev[t] < 0) {
			int u = queue[head++];
			for (int v = 0; v < n; v++) {
				if (prev[v] < 0 && cap[u][v] > 0) {
					prev[v] = u;
					queue[tail++] = v;
				}
			}
		}
		if (prev[t] < 0)
			return flow;
		long push = LONG_MAX;
		for (int v = t; v != s; v = prev[v])
			push = cap[prev[v]][v] < push ? cap[prev[v]][v] : push;
		for (int v = t; v != s; v = prev[v]) {
			cap[prev[v]][v] -= push;
			cap[v][prev[v]] += push;
		}
		flow += push;
	}
}

/*
 * Whether an assignment with every load in {lo, hi} (lo = ⌊DK/J⌋, hi = ⌈DK/J⌉,
 * the only loads with max − min ≤ 1 and sum DK) exists: a circulation with
 * lower bounds, source → dossier exactly K, juror → sink within [lo, hi].
 */
static int even_possible(const struct inst *in)
{
	static long cap[PN][PN];
	long excess[PN] = {0}, need = 0;
	int S = 0, T = 1, s = 2, t = 3, n = 4 + (int)in->D + (int)in->J;
	size_t total = in->D * in->K, lo = total / in->J, hi = lo + (total % in->J != 0);
	memset(cap, 0, sizeof cap);
	for (size_t d = 0; d < in->D; d++) {
		excess[4 + d] += (long)in->K;
		excess[s] -= (long)in->K;
		for (size_t j = 0; j < in->J; j++)
			cap[4 + d][4 + in->D + j] = in->elig[d][j];
	}
	for (size_t j = 0; j < in->J; j++) {
		cap[4 + in->D + j][t] = (long)(hi - lo);
		excess[t] += (long)lo;
		excess[4 + in->D + j] -= (long)lo;
	}
	cap[t][s] = 1L << 40;
	for (int v = 2; v < n; v++) {
		if (excess[v] > 0) {
			cap[S][v] = excess[v];
			need += excess[v];
		} else if (excess[v] < 0) {
			cap[v][T] = -excess[v];
		}
	}
	return maxflow(cap, n, S, T) == need;
}

static void check_instance(struct inst *in, uint64_t seed)
{
	const char *dpath, *jpath;
	pal_diags *d = pal_diags_new();
	pal_rubric *r;
	pal_campaign *c;
	pal_jurors *j;
	pal_jury_plan *p = NULL;
	size_t load[PJ] = {0}, got[PD] = {0}, nshort = 0;
	int st;
	inst_files(in, &dpath, &jpath);
	r = pal_rubric_load(write_file("pr.json", "{\"format\":\"palmares-rubric/1\",\"id\":\"p\","
	                    "\"edition\":2027,\"label\":\"P\",\"categories\":[{\"id\":\"c\","
	                    "\"criteria\":[{\"id\":\"j\",\"kind\":\"jury\",\"points\":1,\"scale\":[0,5]}]}],"
	                    "\"levels\":[{\"name\":\"L\",\"min_percent\":0}]}"), d, &st);
	assert_non_null(r);
	c = pal_campaign_new(r);
	assert_int_equal(pal_campaign_add_dossiers(c, dpath, d), PAL_OK);
	j = pal_jurors_load(jpath, d, &st);
	assert_non_null(j);
	assert_int_equal(pal_jurors_count(j), in->J);
	for (size_t x = 0; x < in->D; x++) {
		size_t e = 0;
		for (size_t y = 0; y < in->J; y++)
			e += (size_t)in->elig[x][y];
		nshort += e < in->K;
	}
	st = pal_jury_assign(c, j, in->K, in->flags, seed, &p, d);
	if (nshort) {
		assert_int_equal(st, PAL_REJECTED);
		assert_null(p);
		assert_int_equal(count_diags(d, PAL_ERROR, "eligible juror"), nshort);
	} else {
		assert_int_equal(st, PAL_OK);
		assert_int_equal(pal_jury_plan_count(p), in->D * in->K);
		for (size_t i = 0; i < pal_jury_plan_count(p); i++) {
			const char *ju, *town;
			unsigned long dx, jx;
			pal_jury_plan_pair(p, i, &ju, &town);
			assert_int_equal(sscanf(town, "t%lu", &dx), 1);
			assert_int_equal(sscanf(ju, "j%lu", &jx), 1);
			/* every constraint holds: own town, conflicts, region */
			assert_true(in->elig[dx][jx]);
			/* distinct jurors: pairs of one dossier are consecutive and strictly increasing */
			if (got[dx]) {
				const char *pj, *pt;
				pal_jury_plan_pair(p, i - 1, &pj, &pt);
				assert_string_equal(pt, town);
				assert_true(strcmp(pj, ju) < 0);
			}
			got[dx]++;
			load[jx]++;
		}
		size_t lo = SIZE_MAX, hi = 0;
		for (size_t x = 0; x < in->D; x++)
			assert_int_equal(got[x], in->K);
		for (size_t y = 0; y < in->J; y++) {
			lo = load[y] < lo ? load[y] : lo;
			hi = load[y] > hi ? load[y] : hi;
		}
		if (even_possible(in))
			assert_true(hi - lo <= 1);
		else
			assert_true(hi - lo >= 2);
	}
	pal_jury_plan_free(p);
	pal_jurors_free(j);
	pal_campaign_free(c);
	pal_rubric_free(r);
	pal_diags_free(d);
}

static void test_assign_random_instances(void **state)
{
	(void)state;
	size_t feasible = 0, uneven = 0;
	for (int it = 0; it < 400; it++) {
		struct inst in;
		memset(&in, 0, sizeof in);
		in.D = 1 + rnd(PD);
		in.J = 1 + rnd(PJ);
		in.K = 1 + rnd(3);
		in.flags = rnd(2) ? PAL_JURY_AVOID_SAME_REGION : 0;
		check_instance(&in, rnd(1000));
		size_t ok = 1;
		for (size_t x = 0; x < in.D; x++) {
			size_t e = 0;
			for (size_t y = 0; y < in.J; y++)
				e += (size_t)in.elig[x][y];
			ok &= e >= in.K;
		}
		feasible += ok;
		uneven += ok && !even_possible(&in);
	}
	/* the generator covers both feasible and impossible instances, and some uneven ones */
	assert_true(feasible > 100 && feasible < 390);
	assert_true(uneven > 0);
}

/* ---- plans, sheets, marks ---- */

static void test_plan_load(void **state)
{
	(void)state;
	struct camp x;
	int st;
	camp_open(&x, jury_rubric, four_towns);
	pal_jury_plan *p = pal_jury_plan_load(
		x.c, write_file("a.csv", "juror,town_id\namy,1\n bob ,2\namy,1\n,2\ncat,99\n"), x.d, &st);
	assert_non_null(p);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(pal_jury_plan_count(p), 2);
	assert_true(has_diag(x.d, PAL_WARNING, "juror amy assigned to town 1 twice (also line 2)"));
	assert_true(has_diag(x.d, PAL_ERROR, "missing juror"));
	assert_true(has_diag(x.d, PAL_ERROR, "juror cat: unknown town \"99\""));
	const char *ju, *town;
	pal_jury_plan_pair(p, 1, &ju, &town);
	assert_string_equal(ju, "bob");
	assert_string_equal(town, "2");
	pal_jury_plan_free(p);
	p = pal_jury_plan_load(x.c, write_file("b.csv", "juror,town-id\namy,1\n"), x.d, &st);
	assert_null(p);
	assert_int_equal(st, PAL_REJECTED);
	assert_true(has_diag(x.d, PAL_ERROR, "unknown column \"town-id\": did you mean \"town_id\"?"));
	camp_close(&x);
}

static const char amy_sheet[] =
	"juror,town_id,town_name,criterion,title,scale,mark,comment\n"
	"amy,1,Alpha,j,\"Jury, appréciation\",\"[0, 10]\",,\n"
	"amy,1,Alpha,k,k,\"[0, 5]\",,\n"
	"amy,2,\"'=Beta, la ville\",j,\"Jury, appréciation\",\"[0, 10]\",,\n";

/* Loads four_towns with a plan, scores without marks. */
static pal_jury_plan *planned(struct camp *x, const char *plan)
{
	int st;
	camp_open(x, jury_rubric, four_towns);
	pal_jury_plan *p = pal_jury_plan_load(x->c, write_file("plan.csv", plan), x->d, &st);
	assert_non_null(p);
	return p;
}

static void test_sheet_content(void **state)
{
	(void)state;
	struct camp x;
	struct mem m;
	/* plan order does not matter: sheets follow the dossiers' input order */
	pal_jury_plan *p = planned(&x, "juror,town_id\namy,2\namy,3\namy,1\namy,4\nbob,1\n");
	pal_campaign_score(x.c, x.d);
	assert_int_equal(pal_jury_sheet_write(x.c, p, "amy", NULL, 0, mem_open(&m)), 0);
	char *text = mem_text(&m);
	assert_string_equal(text, amy_sheet);
	free(text);
	/* English titles, and a BOM for Excel */
	assert_int_equal(pal_jury_sheet_write(x.c, p, "bob", "en", PAL_SHEETS_BOM, mem_open(&m)), 0);
	text = mem_text(&m);
	assert_string_equal(text, "\xef\xbb\xbfjuror,town_id,town_name,criterion,title,scale,mark,comment\n"
	                          "bob,1,Alpha,j,Jury,\"[0, 10]\",,\n"
	                          "bob,1,Alpha,k,k,\"[0, 5]\",,\n");
	free(text);
	/* a juror without assignment gets the header only */
	assert_int_equal(pal_jury_sheet_write(x.c, p, "nobody", NULL, 0, mem_open(&m)), 0);
	text = mem_text(&m);
	assert_string_equal(text, "juror,town_id,town_name,criterion,title,scale,mark,comment\n");
	free(text);
	pal_jury_plan_free(p);
	camp_close(&x);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = calloc(1, 65536);
	assert_non_null(buf);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_sheets_files_and_marks(void **state)
{
	(void)state;
	struct camp x;
	char sheets[128], path[256];
	pal_jury_plan *p = planned(&x, "juror,town_id\namy,1\namy,2\namy,3\n../evil,1\nAMY,2\nbob,1\n");
	pal_campaign_score(x.c, x.d);
	snprintf(sheets, sizeof sheets, "%s/sheets/", dir);
	assert_int_equal(pal_jury_sheets_write(x.c, p, sheets, NULL, 0, x.d), PAL_REJECTED);
	assert_true(has_diag(x.d, PAL_ERROR, "juror \"../evil\": the id cannot name a file"));
	assert_true(has_diag(x.d, PAL_ERROR, "juror \"amy\": differs from another juror only by letter"));
	assert_true(has_diag(x.d, PAL_WARNING, "town 3 \"Gamma\" is assigned but has no applicable"));
	snprintf(path, sizeof path, "%s/evil.csv", dir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof path, "%s/sheets/bob.csv", dir);
	char *bob = read_all(path);
	assert_non_null(bob);
	assert_non_null(strstr(bob, "bob,1,Alpha,k,k,\"[0, 5]\",,\n"));
	free(bob);
	/* "AMY" sorts first and got its sheet; "amy" clashes with it */
	snprintf(path, sizeof path, "%s/sheets/AMY.csv", dir);
	char *amy = read_all(path);
	assert_non_null(amy);
	free(amy);
	/* no temporary file left behind */
	snprintf(path, sizeof path, "%s/sheets", dir);
	DIR *dd = opendir(path);
	struct dirent *e;
	size_t files = 0;
	while ((e = readdir(dd)) != NULL)
		files += e->d_name[0] != '.';
	closedir(dd);
	assert_int_equal(files, 2);
	pal_jury_plan_free(p);
	camp_close(&x);

	/* a filled sheet is a marks file as it stands; empty marks are "not marked yet" */
	p = planned(&x, "juror,town_id\namy,1\namy,2\nbob,1\n");
	const char *filled = write_file("amy-filled.csv",
		"\xef\xbb\xbfjuror,town_id,town_name,criterion,title,scale,mark,comment\n"
		"amy,1,Alpha,j,\"Jury, appréciation\",\"[0, 10]\",\"7,5\",\"Très bien ; « net »\"\n"
		"amy,1,Alpha,k,k,\"[0, 5]\",,\n"
		"amy,2,\"'=Beta, la ville\",j,\"Jury, appréciation\",\"[0, 10]\",3,\n");
	size_t errors = pal_diags_errors(x.d);
	assert_int_equal(pal_campaign_add_marks(x.c, filled, x.d), PAL_OK);
	assert_int_equal(pal_diags_errors(x.d), errors);
	pal_dossier *d1 = eng_campaign_find(x.c, "1");
	assert_non_null(d1->marks[0]);
	assert_true(fabs(d1->marks[0]->mark - 7.5) < 1e-12);
	assert_null(d1->marks[1]);
	/* a mark by a juror not assigned to that dossier is an error */
	const char *stray = write_file("stray.csv", "juror,town_id,criterion,mark\nbob,2,j,4\n");
	assert_int_equal(pal_campaign_add_marks(x.c, stray, x.d), PAL_REJECTED);
	assert_true(has_diag(x.d, PAL_ERROR, "juror bob is not assigned to town 2"));
	pal_jury_plan_free(p);
	camp_close(&x);
}

/* ---- progress ---- */

static json_t *progress_json(pal_campaign *c, const pal_jury_plan *p)
{
	struct mem m;
	json_error_t err;
	assert_int_equal(pal_jury_progress_write(c, p, PAL_JURY_JSON, mem_open(&m)), 0);
	char *text = mem_text(&m);
	json_t *root = json_loads(text, 0, &err);
	if (!root)
		fail_msg("progress JSON: %s\n%s", err.text, text);
	free(text);
	return root;
}

static json_t *find_id(json_t *arr, const char *id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0)
			return v;
	}
	fail_msg("no entry \"%s\"", id);
	return NULL;
}

#define JINT(o, k) json_integer_value(json_object_get((o), (k)))

static void test_progress_counts(void **state)
{
	(void)state;
	struct camp x;
	pal_jury_plan *p = planned(&x, "juror,town_id\namy,1\nbob,1\namy,2\ncat,2\ncat,3\n");
	pal_campaign_add_marks(x.c, write_file("m.csv", "juror,town_id,criterion,mark\n"
	                                                "amy,1,j,5\namy,1,k,4\nbob,1,j,6\namy,2,j,8\n"),
	                       x.d);
	pal_campaign_score(x.c, x.d);
	json_t *root = progress_json(x.c, p);
	json_t *sum = json_object_get(root, "summary"), *jurors = json_object_get(root, "jurors");
	assert_int_equal(JINT(sum, "dossiers"), 2);
	assert_int_equal(JINT(sum, "complete"), 0);
	assert_int_equal(JINT(sum, "pending"), 2);
	assert_int_equal(json_array_size(jurors), 3);
	json_t *amy = find_id(jurors, "amy"), *bob = find_id(jurors, "bob"), *cat = find_id(jurors, "cat");
	assert_int_equal(JINT(amy, "assigned"), 2);
	assert_int_equal(JINT(amy, "complete"), 2);
	assert_int_equal(JINT(amy, "missing"), 0);
	assert_int_equal(JINT(bob, "assigned"), 1);
	assert_int_equal(JINT(bob, "complete"), 0);
	assert_int_equal(JINT(bob, "missing"), 1);
	/* town 3 needs no mark: it does not count */
	assert_int_equal(JINT(cat, "assigned"), 1);
	assert_int_equal(JINT(cat, "missing"), 1);
	json_t *towns = json_object_get(root, "towns");
	assert_int_equal(json_array_size(towns), 2);
	json_t *t1 = find_id(towns, "1"), *c1 = json_object_get(t1, "criteria");
	assert_string_equal(json_string_value(json_object_get(t1, "status")), "pending");
	assert_int_equal(json_array_size(c1), 2);
	json_t *k = find_id(c1, "k"), *jj = find_id(c1, "j");
	assert_int_equal(JINT(jj, "marks"), 2);
	assert_int_equal(JINT(jj, "lacking"), 0);
	assert_int_equal(JINT(k, "marks"), 1);
	assert_int_equal(JINT(k, "lacking"), 1);
	assert_int_equal(json_array_size(json_object_get(k, "unmarked_by")), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(k, "unmarked_by"), 0)), "bob");
	json_t *t2 = find_id(towns, "2");
	assert_string_equal(json_string_value(json_array_get(json_object_get(t2, "unmarked_by"), 0)), "cat");
	json_decref(root);

	/* text: the same story */
	struct mem m;
	assert_int_equal(pal_jury_progress_write(x.c, p, PAL_JURY_TEXT, mem_open(&m)), 0);
	char *text = mem_text(&m);
	assert_non_null(strstr(text, "2 dossiers to mark, 0 complete, 2 pending"));
	assert_non_null(strstr(text, "k: 1 mark, 1 more needed; not marked by bob"));
	free(text);
	pal_jury_plan_free(p);
	camp_close(&x);
}

/* ---- sensitivity ---- */

static const char spread_rubric[] =
	"\"categories\":[{\"id\":\"c\",\"criteria\":["
	"{\"id\":\"a\",\"kind\":\"percent\",\"points\":10},"
	"{\"id\":\"b\",\"kind\":\"percent\",\"points\":20},"
	"{\"id\":\"c2\",\"kind\":\"percent\",\"points\":30}]}],"
	"\"levels\":[{\"name\":\"L1\",\"min_percent\":0},{\"name\":\"L2\",\"min_percent\":50}]";

static const char spread_towns[] =
	"[{\"town\":{\"id\":\"far\",\"name\":\"F\"},\"answers\":{\"a\":90,\"b\":90,\"c2\":90}},"
	" {\"town\":{\"id\":\"edge\",\"name\":\"E\"},\"answers\":{\"a\":100,\"b\":0,\"c2\":70}},"
	" {\"town\":{\"id\":\"low\",\"name\":\"L\"},\"answers\":{\"a\":0,\"b\":60,\"c2\":45}},"
	" {\"town\":{\"id\":\"bad\",\"name\":\"B\"},\"answers\":{\"a\":\"x\"}}]";

static void test_sensitivity(void **state)
{
	(void)state;
	struct camp x;
	pal_sensitivity *s = NULL, *t = NULL;
	pal_sensitivity_options o = {0.3, 500, 42};
	camp_open(&x, spread_rubric, spread_towns);
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &s), PAL_REJECTED); /* not scored */
	pal_campaign_score(x.c, x.d);
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &s), PAL_OK);
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &t), PAL_OK);
	/* the invalid dossier is left out; same seed, same result */
	assert_int_equal(pal_sensitivity_count(s), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(pal_sensitivity_town(s, i), pal_sensitivity_town(t, i));
		assert_true(pal_sensitivity_stability(s, i) == pal_sensitivity_stability(t, i));
	}
	/* edge: 100×10 + 0×20 + 70×30 = 31/60 = 51.7 %, moved below 50 % by b's weight (about a
	 * third of the time): least stable */
	assert_string_equal(pal_sensitivity_town(s, 0), "edge");
	assert_true(pal_sensitivity_stability(s, 0) < PAL_SENSITIVITY_FRAGILE);
	assert_true(pal_sensitivity_stability(s, 0) > 0.3);
	assert_int_equal(pal_sensitivity_level(s, 0), 2);
	assert_int_equal(pal_sensitivity_reached(s, 0, 1) + pal_sensitivity_reached(s, 0, 2), 500);
	assert_int_equal(pal_sensitivity_reached(s, 0, 9), 0);
	/* far (90 %) and low (42.5 %, at most 46 %) never move; ties keep the input order */
	assert_string_equal(pal_sensitivity_town(s, 1), "far");
	assert_true(pal_sensitivity_stability(s, 1) == 1.0);
	assert_string_equal(pal_sensitivity_town(s, 2), "low");
	assert_true(pal_sensitivity_stability(s, 2) == 1.0);
	pal_sensitivity_free(t);
	t = NULL;
	/* another seed: other draws */
	o.seed = 43;
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &t), PAL_OK);
	assert_true(pal_sensitivity_stability(s, 0) != pal_sensitivity_stability(t, 0));
	pal_sensitivity_free(t);
	/* spread 0: every scored dossier keeps its level in every sample */
	o.spread = 0;
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &t), PAL_OK);
	for (size_t i = 0; i < pal_sensitivity_count(t); i++)
		assert_true(pal_sensitivity_stability(t, i) == 1.0);
	/* JSON output */
	struct mem m;
	assert_int_equal(pal_sensitivity_write(s, x.c, PAL_JURY_JSON, mem_open(&m)), 0);
	char *text = mem_text(&m);
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	assert_non_null(root);
	json_t *first = json_array_get(json_object_get(root, "towns"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "id")), "edge");
	assert_true(json_is_true(json_object_get(first, "fragile")));
	assert_true(fabs(json_number_value(json_object_get(first, "stability")) -
	                 pal_sensitivity_stability(s, 0)) < 1e-15);
	json_decref(root);
	free(text);
	pal_sensitivity_free(s);
	pal_sensitivity_free(t);
	pal_sensitivity_free(NULL);
	/* options out of range */
	o.spread = 1.5;
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &t), PAL_REJECTED);
	o.spread = NAN;
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &t), PAL_REJECTED);
	o.spread = 0.1;
	o.samples = 0;
	assert_int_equal(pal_sensitivity_compute(x.c, &o, &t), PAL_REJECTED);
	assert_null(t);
	camp_close(&x);
}

/* ---- borderline ---- */

static const char border_rubric[] =
	"\"categories\":[{\"id\":\"c\",\"criteria\":["
	"{\"id\":\"p\",\"kind\":\"percent\",\"points\":10},"
	"{\"id\":\"j\",\"kind\":\"jury\",\"points\":10,\"scale\":[0,10],"
	" \"applies\":{\">=\":[{\"var\":\"town.population\"},1000]}}]}],"
	"\"jury\":{\"min_marks\":1},"
	"\"levels\":[{\"name\":\"L1\",\"min_percent\":0},{\"name\":\"L2\",\"min_percent\":50},"
	"{\"name\":\"L3\",\"min_percent\":80}]";

static const char border_towns[] =
	"[{\"town\":{\"id\":\"A\",\"name\":\"A\",\"population\":5000},\"answers\":{\"p\":75}},"
	" {\"town\":{\"id\":\"B\",\"name\":\"B\",\"population\":500},\"answers\":{\"p\":52}},"
	" {\"town\":{\"id\":\"C\",\"name\":\"C\",\"population\":5000},\"answers\":{\"p\":100}},"
	" {\"town\":{\"id\":\"D\",\"name\":\"D\",\"population\":5000},\"answers\":{\"p\":100}},"
	" {\"town\":{\"id\":\"E\",\"name\":\"E\",\"population\":5000},\"answers\":{\"p\":0}},"
	" {\"town\":{\"id\":\"F\",\"name\":\"F\",\"population\":500},\"answers\":{\"p\":49.996}}]";

static void test_borderline(void **state)
{
	(void)state;
	struct camp x;
	pal_borderline *b = NULL;
	camp_open(&x, border_rubric, border_towns);
	/* A: 7.5 + 8 = 15.5 / 20, 0.5 short of L3; its one mark decides (0 → L1, 10 → L3).
	 * B: j does not apply; 52 %, 0.4 point above L2. C: 10 + 5 = 15, exactly 1 short of L3,
	 * and either mark at 10 reaches L3. D: three 10s, no single mark moves L3. E: three 0s, at 0 %.
	 * F: 49.996 % is 50.00 % once rounded: L2 by rounding only. */
	pal_campaign_add_marks(x.c, write_file("bm.csv", "juror,town_id,criterion,mark\n"
	                       "x,A,j,8\nx,C,j,5\ny,C,j,5\nx,D,j,10\ny,D,j,10\nz,D,j,10\n"
	                       "x,E,j,0\ny,E,j,0\nz,E,j,0\n"), x.d);
	pal_campaign_score(x.c, x.d);
	assert_int_equal(pal_borderline_compute(x.c, &b), PAL_OK);
	assert_int_equal(pal_borderline_count(b), 4);
	assert_string_equal(pal_borderline_town(b, 3), "F");
	assert_int_equal(pal_borderline_why(b, 3), PAL_BORDER_ABOVE_OWN);
	assert_string_equal(pal_borderline_town(b, 0), "A");
	assert_int_equal(pal_borderline_why(b, 0), PAL_BORDER_BELOW_NEXT | PAL_BORDER_ONE_MARK);
	assert_int_equal(pal_borderline_count_marks(b, 0), 1);
	const char *ju, *crit;
	pal_borderline_mark(b, 0, 0, &ju, &crit);
	assert_string_equal(ju, "x");
	assert_string_equal(crit, "j");
	assert_string_equal(pal_borderline_town(b, 1), "B");
	assert_int_equal(pal_borderline_why(b, 1), PAL_BORDER_ABOVE_OWN);
	assert_int_equal(pal_borderline_count_marks(b, 1), 0);
	assert_string_equal(pal_borderline_town(b, 2), "C");
	assert_int_equal(pal_borderline_why(b, 2), PAL_BORDER_BELOW_NEXT | PAL_BORDER_ONE_MARK);
	assert_int_equal(pal_borderline_count_marks(b, 2), 2);
	/* the campaign is untouched by the what-ifs */
	pal_dossier *a = eng_campaign_find(x.c, "A");
	assert_int_equal(a->computed_level, 2);
	assert_true(fabs(a->points - 15.5) < 1e-12);
	struct mem m;
	assert_int_equal(pal_borderline_write(b, x.c, PAL_JURY_TEXT, mem_open(&m)), 0);
	char *text = mem_text(&m);
	assert_non_null(strstr(text, "0.5 points short of L3 (80 %)"));
	assert_non_null(strstr(text, "0.4 points above the L2 threshold (50 %)"));
	assert_non_null(strstr(text, "hangs on x's mark 8 on j: at 0 → L1; at 10 → L3"));
	assert_non_null(strstr(text, "reaches the L2 threshold (50 %) only because the percent is rounded"));
	free(text);
	assert_int_equal(pal_borderline_write(b, x.c, PAL_JURY_JSON, mem_open(&m)), 0);
	text = mem_text(&m);
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	assert_non_null(root);
	json_t *first = json_array_get(json_object_get(root, "borderline"), 0);
	assert_true(fabs(json_number_value(json_object_get(first, "points_missing")) - 0.5) < 1e-12);
	json_t *mk = json_array_get(json_object_get(first, "marks"), 0);
	assert_int_equal(JINT(mk, "level_at_min"), 1);
	assert_int_equal(JINT(mk, "level_at_max"), 3);
	assert_true(json_is_null(json_object_get(mk, "level_without")));
	json_t *f = json_array_get(json_object_get(root, "borderline"), 3);
	assert_true(json_is_true(json_object_get(f, "by_rounding")));
	json_decref(root);
	free(text);
	pal_borderline_free(b);
	pal_borderline_free(NULL);
	camp_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jurors_load),
		cmocka_unit_test(test_jurors_errors),
		cmocka_unit_test(test_id_safe),
		cmocka_unit_test(test_eligibility),
		cmocka_unit_test(test_assign),
		cmocka_unit_test(test_assign_random_instances),
		cmocka_unit_test(test_plan_load),
		cmocka_unit_test(test_sheet_content),
		cmocka_unit_test(test_sheets_files_and_marks),
		cmocka_unit_test(test_progress_counts),
		cmocka_unit_test(test_sensitivity),
		cmocka_unit_test(test_borderline),
	};
	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
