/*
 * Fuzz target: the two readers of results files. reports/results.c is the
 * loader documents are rendered from (every accessor is called, each
 * certificate's code verified); engine/history.c's pal_campaign_set_previous
 * reads an earlier edition's results for history. With PAL_FUZZ_RENDER set
 * in the environment, the first certified town's certificate, report and
 * the booklet are also rendered to PDF (slow: cairo and pango dominate).
 */
#include "fuzz_common.h"
#include "palmares/documents.h"

static void use_results(const pal_doc_results *r, const char *dir)
{
	size_t n = pal_doc_results_count(r);
	const char *lang = pal_doc_results_language(r);
	long first = -1;
	if (!lang)
		fuzz_fail("no language");
	for (size_t i = 0; i < n; i++) {
		const char *id = pal_doc_town_id(r, i), *name = pal_doc_town_name(r, i);
		if (!id || !name || !pal_doc_town_level_name(r, i))
			fuzz_fail("a town without id, name or level name");
		(void)pal_doc_results_find(r, id);
		for (size_t m = 0; m < pal_doc_town_mention_count(r, i); m++)
			if (!pal_doc_town_mention(r, i, m, "en"))
				fuzz_fail("a mention without a name");
		const char *code = pal_doc_town_code(r, i);
		if (pal_doc_town_certified(r, i)) {
			size_t found[4];
			if (first < 0)
				first = (long)i;
			if (!code || pal_doc_verify(r, code, found, 4) < 1)
				fuzz_fail("a certificate's code does not verify");
		}
	}
	if (first >= 0 && getenv("PAL_FUZZ_RENDER")) {
		char out[400];
		pal_diags *d = pal_diags_new();
		const char *towns[1] = {pal_doc_town_id(r, (size_t)first)};
		static const pal_doc_kind kinds[] = {PAL_DOC_CERTIFICATES, PAL_DOC_REPORT, PAL_DOC_BOOKLET};
		snprintf(out, sizeof out, "%s/out.pdf", dir);
		for (size_t k = 0; d && k < 3; k++) {
			pal_doc_options o = {0};
			o.kind = kinds[k];
			o.towns = kinds[k] == PAL_DOC_BOOKLET ? NULL : towns;
			o.ntowns = kinds[k] == PAL_DOC_BOOKLET ? 0 : 1;
			size_t from = pal_diags_count(d);
			int st = pal_doc_render(r, &o, out, d);
			fuzz_check_status("render", st, d, from);
		}
		pal_diags_free(d);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[400];
	int st;
	pal_diags *d = pal_diags_new();
	if (!d)
		return 0;
	fuzz_limits();
	fuzz_write("results.json", data, size, path, sizeof path);
	pal_doc_results *r = pal_doc_results_load(path, d, &st);
	fuzz_check_status("results", st, d, 0);
	if (r)
		use_results(r, fuzz_dir());
	pal_doc_results_free(r);

	/* The same text as an earlier edition's results. */
	pal_campaign *c = pal_campaign_new(fuzz_fixture_rubric());
	if (c) {
		size_t from = pal_diags_count(d);
		st = pal_campaign_set_previous(c, path, d);
		fuzz_check_status("previous", st, d, from);
		if (st == PAL_OK) {
			char dpath[400];
			fuzz_write("dossiers.csv", fuzz_dossiers_csv, sizeof fuzz_dossiers_csv - 1, dpath,
			           sizeof dpath);
			if (pal_campaign_add_dossiers(c, dpath, d) != PAL_OK)
				fuzz_fail("the fixture dossiers do not load");
			fuzz_score_and_write(c, NULL, d);
		}
	}
	pal_campaign_free(c);
	pal_diags_free(d);
	return 0;
}
