/*
 * Fuzz target: jury marks and overrides (engine/marks.c, engine/jurystats.c
 * through scoring with z calibration and agreement). The fixture towns are
 * loaded, then the input: as marks.json when it starts with '[' or '{'
 * (after white space), else as marks.csv. When a line "#overrides" appears,
 * what follows it is an overrides file instead.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dpath[400], mpath[400], opath[400];
	const char *overrides = NULL;
	size_t msize = size;
	pal_diags *d = pal_diags_new();
	pal_campaign *c = d ? pal_campaign_new(fuzz_fixture_rubric()) : NULL;
	fuzz_limits();
	if (!c) {
		pal_diags_free(d);
		return 0;
	}
	for (size_t i = 0; i + 11 <= size; i++)
		if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, "#overrides\n", 11) == 0) {
			msize = i;
			overrides = fuzz_write("overrides.csv", data + i + 11, size - i - 11, opath,
			                       sizeof opath);
			break;
		}
	fuzz_write("dossiers.csv", fuzz_dossiers_csv, sizeof fuzz_dossiers_csv - 1, dpath, sizeof dpath);
	int st = pal_campaign_add_dossiers(c, dpath, d);
	if (st != PAL_OK)
		fuzz_fail("the fixture dossiers do not load");
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
