/*
 * Fuzz target: dossiers given as text (pal_campaign_add_dossiers_text, the
 * web front's way in: an upload or a form) against the same bytes read from
 * a file. The first byte picks the name (.csv, .tsv, .json or .jsonl), the
 * rest is the content. Both must give the same status, the same messages and
 * the same results, byte for byte: one set of readers, two ways in.
 */
#define _GNU_SOURCE /* open_memstream */
#include "fuzz_common.h"

/* The results JSON of a campaign, scored, into a new buffer (never NULL). */
static char *results_of(pal_campaign *c, pal_diags *d, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	if (!f)
		abort();
	pal_campaign_score(c, d);
	if (pal_results_write(c, PAL_RESULTS_JSON, NULL, f) != 0 || fclose(f) != 0)
		fuzz_fail("writing results to memory failed");
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"in.csv", "in.tsv", "in.json", "in.jsonl"};
	char path[400];
	const pal_rubric *r = fuzz_fixture_rubric();
	fuzz_limits();
	if (size == 0)
		return 0;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	fuzz_write(names[data[0] & 3], text, len, path, sizeof path);

	pal_diags *dt = pal_diags_new(), *df = pal_diags_new();
	pal_campaign *ct = dt ? pal_campaign_new(r) : NULL, *cf = df ? pal_campaign_new(r) : NULL;
	if (!ct || !cf)
		abort();
	/* The text is named like the file, so that every message reads the same. */
	int st = pal_campaign_add_dossiers_text(ct, path, text, len, PAL_DOSSIER_BY_NAME, dt);
	int sf = pal_campaign_add_dossiers(cf, path, df);
	fuzz_check_status("dossiers from text", st, dt, 0);
	if (st != sf) {
		fprintf(stderr, "fuzz: status %d from text, %d from the file\n", st, sf);
		fuzz_fail("text and file disagree on the status");
	}
	if (pal_diags_count(dt) != pal_diags_count(df))
		fuzz_fail("text and file disagree on the number of messages");
	for (size_t i = 0; i < pal_diags_count(dt); i++)
		if (strcmp(pal_diags_get(dt, i)->text, pal_diags_get(df, i)->text) != 0) {
			fprintf(stderr, "fuzz: \"%s\" / \"%s\"\n", pal_diags_get(dt, i)->text, pal_diags_get(df, i)->text);
			fuzz_fail("text and file disagree on a message");
		}
	if (st != PAL_IOERR) {
		size_t lt, lf;
		char *rt = results_of(ct, dt, &lt), *rf = results_of(cf, df, &lf);
		if (lt != lf || memcmp(rt, rf, lt) != 0)
			fuzz_fail("text and file give different results");
		free(rt);
		free(rf);
	}
	pal_campaign_free(ct);
	pal_campaign_free(cf);
	pal_diags_free(dt);
	pal_diags_free(df);
	return 0;
}
