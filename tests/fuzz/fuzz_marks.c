/*
 * Fuzz target: jury marks and overrides (engine/marks.c, engine/jurystats.c
 * through scoring with z calibration and agreement). The fixture towns are
 * loaded, then the input: as marks.json when it starts with '[' or '{'
 * (after white space), else as marks.csv. A line "#overrides" starts an
 * overrides file, a line "#assignments" a juror,town_id assignments file
 * (loaded before the marks, which must then be by assigned jurors).
 */
#include "fuzz_common.h"

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
	if (st != PAL_IOERR)
		fuzz_score_and_write(c, overrides, d);
	pal_campaign_free(c);
	pal_diags_free(d);
	return 0;
}
