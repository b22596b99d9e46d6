/*
 * Fuzz target: CSV dossiers (engine/csvread.c over libcsv, engine/dossier.c,
 * engine/answer.c, engine/num.c, common/text.c) against the fixture rubric,
 * then scoring with the fixture marks, and every results format.
 * The input is read as a .csv file, and as a .tsv file when its first byte
 * is odd (the tab separator is forced by the extension).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[400], mpath[400];
	const pal_rubric *r = fuzz_fixture_rubric();
	pal_diags *d = pal_diags_new();
	pal_campaign *c = d ? pal_campaign_new(r) : NULL;
	fuzz_limits();
	if (!c) {
		pal_diags_free(d);
		return 0;
	}
	fuzz_write(size && (data[0] & 1) ? "in.tsv" : "in.csv", data, size, path, sizeof path);
	int st = pal_campaign_add_dossiers(c, path, d);
	fuzz_check_status("csv dossiers", st, d, 0);
	if (st != PAL_IOERR) {
		size_t from = pal_diags_count(d);
		fuzz_write("marks.csv", fuzz_marks_csv, sizeof fuzz_marks_csv - 1, mpath, sizeof mpath);
		st = pal_campaign_add_marks(c, mpath, d);
		fuzz_check_status("marks", st, d, from);
		fuzz_score_and_write(c, NULL, d);
	}
	pal_campaign_free(c);
	pal_diags_free(d);
	return 0;
}
