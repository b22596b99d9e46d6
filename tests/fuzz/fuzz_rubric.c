/*
 * Fuzz target: the rubric loader (engine/rubric.c, with rule_check.c for the
 * rules it validates). A rubric that loads is then used for real: templates
 * in the three formats, and a campaign of fixture towns scored, its results
 * written and explained, so that whatever the loader accepts is something
 * the scorer and the writers cope with.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char towns[] = "town_id,town_name,population\n1,Alpha,100\n2,Beta,5000\n";
	char path[400], dpath[400];
	pal_diags *d = pal_diags_new();
	int st;
	fuzz_limits();
	if (!d)
		return 0;
	fuzz_write("rubric.json", data, size, path, sizeof path);
	pal_rubric *r = pal_rubric_load(path, d, &st);
	fuzz_check_status("rubric", st, d, 0);
	if ((r != NULL) != (st == PAL_OK))
		fuzz_fail("a rubric returned with a failure status, or none with success");
	if (r) {
		pal_template_write(r, PAL_TEMPLATE_CSV, NULL, fuzz_null());
		pal_template_write(r, PAL_TEMPLATE_JSON, "en", fuzz_null());
		pal_template_write(r, PAL_TEMPLATE_SCHEMA, "fr", fuzz_null());
		pal_campaign *c = pal_campaign_new(r);
		if (c) {
			fuzz_write("dossiers.csv", towns, sizeof towns - 1, dpath, sizeof dpath);
			size_t from = pal_diags_count(d);
			st = pal_campaign_add_dossiers(c, dpath, d);
			fuzz_check_status("dossiers", st, d, from);
			fuzz_score_and_write(c, NULL, d);
		}
		pal_campaign_free(c);
	}
	pal_rubric_free(r);
	pal_diags_free(d);
	return 0;
}
