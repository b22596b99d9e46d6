/*
 * Fuzz target: JSON dossiers (engine/dossier.c's JSON and JSON Lines
 * readers, engine/answer.c, common/jsonpos.c) against the fixture rubric,
 * then scoring with the fixture marks, and every results format. Each input
 * is read twice: as one .json document and as a .jsonl file.
 */
#include "fuzz_common.h"

static void run(const char *name, const uint8_t *data, size_t size)
{
	char path[400], mpath[400];
	pal_diags *d = pal_diags_new();
	pal_campaign *c = d ? pal_campaign_new(fuzz_fixture_rubric()) : NULL;
	if (!c) {
		pal_diags_free(d);
		return;
	}
	fuzz_write(name, data, size, path, sizeof path);
	int st = pal_campaign_add_dossiers(c, path, d);
	fuzz_check_status(name, st, d, 0);
	if (st != PAL_IOERR) {
		size_t from = pal_diags_count(d);
		fuzz_write("marks.csv", fuzz_marks_csv, sizeof fuzz_marks_csv - 1, mpath, sizeof mpath);
		st = pal_campaign_add_marks(c, mpath, d);
		fuzz_check_status("marks", st, d, from);
		fuzz_score_and_write(c, NULL, d);
	}
	pal_campaign_free(c);
	pal_diags_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_limits();
	run("in.json", data, size);
	run("in.jsonl", data, size);
	return 0;
}
