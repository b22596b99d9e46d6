/*
 * Fuzz target: jury marks and overrides (engine/marks.c, engine/overrides.c, engine/jurystats.c
 * through scoring with z calibration and agreement). The fixture towns are
 * loaded, then the input: as marks.json when it starts with '[' or '{'
 * (after white space), else as marks.csv. A line "#overrides" starts an
 * overrides file, a line "#assignments" a juror,town_id assignments file
 * (loaded before the marks, which must then be by assigned jurors).
 *
 * A CSV input is also read ahead on a thread (pal_marks_prefetch) into a
 * second campaign: the status, every message and the JSON results must be
 * those of reading it in order.
 */
#include "fuzz_common.h"

/* The JSON results of c, scored, in a malloc'd string (NULL when scoring fails). */
static char *results_json(pal_campaign *c, const char *overrides, pal_diags *d, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	int so = overrides ? pal_campaign_set_overrides(c, overrides, d) : PAL_OK;
	int st = pal_campaign_score(c, d);
	if (so > st)
		st = so;
	if (st == PAL_IOERR || pal_results_write(c, PAL_RESULTS_JSON, NULL, f) != 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* Loads the fixture dossiers, the assignments if any, then the marks read ahead on a thread. */
static void compare_read_ahead(const char *dpath, const char *assignments, const char *mpath,
                               const char *overrides, int st, const pal_diags *d, size_t from)
{
	pal_diags *d2 = pal_diags_new();
	pal_campaign *c2 = d2 ? pal_campaign_new(fuzz_fixture_rubric()) : NULL;
	const char *paths[1] = {mpath};
	pal_marks_prefetch *p = c2 ? pal_marks_prefetch_start(fuzz_fixture_rubric(), paths, 1) : NULL;
	if (p) {
		pal_campaign_add_dossiers(c2, dpath, d2);
		if (assignments)
			pal_campaign_set_assignments(c2, assignments, d2);
		size_t from2 = pal_diags_count(d2);
		int st2 = pal_campaign_add_prefetched_marks(c2, p, 0, d2);
		if (st2 != st || pal_diags_count(d2) - from2 != pal_diags_count(d) - from)
			fuzz_fail("marks read ahead: another status or another number of messages");
		for (size_t i = 0; i < pal_diags_count(d) - from; i++) {
			const pal_diag *g = pal_diags_get(d, from + i), *h = pal_diags_get(d2, from2 + i);
			if (g->severity != h->severity || g->line != h->line || g->col != h->col ||
			    strcmp(g->text, h->text) != 0) {
				fprintf(stderr, "fuzz: in order: %ld: %s\nfuzz: read ahead: %ld: %s\n", g->line,
				        g->text, h->line, h->text);
				fuzz_fail("marks read ahead: another message");
			}
		}
	}
	pal_marks_prefetch_free(p);
	if (p && st != PAL_IOERR) {
		pal_diags *d1 = pal_diags_new();
		pal_campaign *c1 = d1 ? pal_campaign_new(fuzz_fixture_rubric()) : NULL;
		size_t n1 = 0, n2 = 0;
		char *r1 = NULL, *r2 = NULL;
		if (c1 && pal_campaign_add_dossiers(c1, dpath, d1) != PAL_IOERR) {
			if (assignments)
				pal_campaign_set_assignments(c1, assignments, d1);
			pal_campaign_add_marks(c1, mpath, d1);
			r1 = results_json(c1, overrides, d1, &n1);
			r2 = results_json(c2, overrides, d2, &n2);
			if (r1 && r2 && (n1 != n2 || memcmp(r1, r2, n1) != 0))
				fuzz_fail("marks read ahead: other results");
		}
		free(r1);
		free(r2);
		pal_campaign_free(c1);
		pal_diags_free(d1);
	}
	pal_campaign_free(c2);
	pal_diags_free(d2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dpath[400], mpath[400], opath[400], apath[400];
	const char *overrides = NULL, *assignments = NULL;
	size_t msize = size;
	pal_diags *d = pal_diags_new();
	pal_campaign *c = d ? pal_campaign_new(fuzz_fixture_rubric()) : NULL;
	fuzz_limits();
	if (!c) {
		pal_diags_free(d);
		return 0;
	}
	/* Sections, in any order: each ends where the next begins. */
	static const char *const marker[2] = {"#overrides\n", "#assignments\n"};
	size_t at[2] = {size, size};
	for (size_t i = 0; i < size; i++)
		for (int k = 0; k < 2; k++)
			if (at[k] == size && (i == 0 || data[i - 1] == '\n') &&
			    size - i >= strlen(marker[k]) && memcmp(data + i, marker[k], strlen(marker[k])) == 0)
				at[k] = i;
	for (int k = 0; k < 2; k++) {
		if (at[k] == size)
			continue;
		size_t from = at[k] + strlen(marker[k]), to = at[1 - k] > at[k] ? at[1 - k] : size;
		if (from > to)
			from = to;
		if (k == 0)
			overrides = fuzz_write("overrides.csv", data + from, to - from, opath, sizeof opath);
		else
			assignments = fuzz_write("assignments.csv", data + from, to - from, apath, sizeof apath);
		msize = at[k] < msize ? at[k] : msize;
	}
	fuzz_write("dossiers.csv", fuzz_dossiers_csv, sizeof fuzz_dossiers_csv - 1, dpath, sizeof dpath);
	int st = pal_campaign_add_dossiers(c, dpath, d);
	if (st != PAL_OK)
		fuzz_fail("the fixture dossiers do not load");
	if (assignments) {
		size_t from = pal_diags_count(d);
		st = pal_campaign_set_assignments(c, assignments, d);
		fuzz_check_status("assignments", st, d, from);
	}
	size_t k = 0;
	while (k < msize && strchr(" \t\r\n", data[k]))
		k++;
	int json = k < msize && (data[k] == '[' || data[k] == '{');
	fuzz_write(json ? "marks.json" : "marks.csv", data, msize, mpath, sizeof mpath);
	size_t from = pal_diags_count(d);
	st = pal_campaign_add_marks(c, mpath, d);
	fuzz_check_status("marks", st, d, from);
	if (!json)
		compare_read_ahead(dpath, assignments, mpath, overrides, st, d, from);
	if (st != PAL_IOERR)
		fuzz_score_and_write(c, overrides, d);
	pal_campaign_free(c);
	pal_diags_free(d);
	return 0;
}
