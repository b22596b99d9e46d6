/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c): a private temporary
 * directory for the input files (the loaders take paths), a small rubric that
 * uses every criterion kind, rule and jury option, fixture dossiers and marks,
 * and the checks every target makes after loading:
 *
 *  - a loader's status is PAL_OK, PAL_REJECTED or PAL_IOERR; OK comes with no
 *    new error, and REJECTED or IOERR with at least one (no silent failure);
 *  - scoring, writing results (JSON, CSV, text) and explaining never fail on
 *    what the loaders accepted.
 *
 * A broken invariant calls abort(), which libFuzzer (and the replay test,
 * under the sanitizer build) reports as a crash with its input.
 */
#ifndef PAL_FUZZ_COMMON_H
#define PAL_FUZZ_COMMON_H

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-function" /* each target uses some helpers */
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "palmares/limits.h"
#include "palmares/palmares.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A rubric with every kind, an applies rule, n/a, evidence, exclude, jury calibration. */
static const char fuzz_rubric_text[] =
	"{\"format\":\"palmares-rubric/1\",\"id\":\"fuzz-2027\",\"edition\":2027,\n"
	" \"label\":{\"fr\":\"Label fuzz\",\"en\":\"Fuzz label\"},\"language\":\"fr\",\n"
	" \"categories\":[\n"
	"  {\"id\":\"services\",\"title\":\"Services\",\"criteria\":[\n"
	"   {\"id\":\"yn\",\"kind\":\"yes-no\",\"points\":4,\"evidence\":\"optional\"},\n"
	"   {\"id\":\"num\",\"kind\":\"number\",\"points\":10,\"steps\":[[1,0.2],[5,0.5],[20,1]]},\n"
	"   {\"id\":\"pct\",\"kind\":\"percent\",\"points\":10},\n"
	"   {\"id\":\"ch\",\"kind\":\"choice\",\"points\":6,\"options\":{\"libre\":1,\"mixte\":0.5,\"na\":0}},\n"
	"   {\"id\":\"mu\",\"kind\":\"multi\",\"points\":8,\"options\":{\"a\":0.4,\"b\":0.4,\"c\":0.4}},\n"
	"   {\"id\":\"big\",\"kind\":\"yes-no\",\"points\":3,\"allow_na\":true,\"evidence\":\"required\",\n"
	"    \"applies\":{\">=\":[{\"var\":\"town.population\"},3500]}},\n"
	"   {\"id\":\"note\",\"kind\":\"info\"}]},\n"
	"  {\"id\":\"jury-cat\",\"not_applicable\":\"exclude\",\"criteria\":[\n"
	"   {\"id\":\"inno\",\"kind\":\"jury\",\"points\":15,\"scale\":[0,5]},\n"
	"   {\"id\":\"proj\",\"kind\":\"jury\",\"points\":5,\"scale\":[0,10],\n"
	"    \"applies\":{\"==\":[{\"var\":\"answers.yn\"},true]}}]}],\n"
	" \"jury\":{\"aggregate\":\"trimmed-mean\",\"min_marks\":1,\"disagreement\":2,\"calibrate\":\"z\","
	"\"calibrate_min\":2},\n"
	" \"levels\":[{\"name\":\"@\",\"min_percent\":0},{\"name\":\"@@\",\"min_percent\":35},\n"
	"  {\"name\":\"@@@\",\"min_percent\":50,\"requires\":{\"==\":[{\"var\":\"answers.yn\"},true]}}],\n"
	" \"mentions\":[{\"id\":\"libre\",\"name\":{\"fr\":\"Mention libre\"},\"min_level\":1,\n"
	"  \"when\":{\">=\":[{\"var\":\"criteria.pct.fraction\"},0.6]}}]}\n";

static const char fuzz_dossiers_csv[] =
	"town_id,town_name,population,yn,num,pct,ch,mu,big,note\n"
	"1,Alpha,100,oui,3,\"72,5\",libre,a|b,,texte\n"
	"2,B\xC3\xAAta,5000,non,25,10,mixte,c,n/a,\n"
	"3,Gamma,40000,x,0,100,na,,oui,\n"
	"4,Delta,20,1,1,0,libre,a|b|c,,\n";

static const char fuzz_marks_csv[] =
	"juror,town_id,criterion,mark,comment\n"
	"j1,1,inno,4,bien\nj2,1,inno,\"2,5\",\nj3,1,inno,1,\nj1,2,inno,5,\nj2,2,inno,0,\n"
	"j1,1,proj,7,\nj2,3,proj,10,\nj1,3,inno,3,\nj2,3,inno,3,\n";

static char fuzz_dir_path[256];

static void fuzz_cleanup(void)
{
	static const char *const names[] = {"rubric.json", "in.csv", "in.json", "in.jsonl", "in.tsv",
	                                    "marks.csv", "marks.json", "overrides.csv", "dossiers.csv",
	                                    "results.json", "out.pdf", "assignments.csv", NULL};
	char p[400];
	for (const char *const *n = names; *n; n++) {
		snprintf(p, sizeof p, "%s/%s", fuzz_dir_path, *n);
		unlink(p);
	}
	rmdir(fuzz_dir_path);
}

/* The process's private directory, made on first use and removed at exit. */
static const char *fuzz_dir(void)
{
	if (!fuzz_dir_path[0]) {
		const char *base = getenv("TMPDIR");
		snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/palmares-fuzz-XXXXXX",
		         base && *base && strlen(base) < 200 ? base : "/tmp");
		if (!mkdtemp(fuzz_dir_path)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(fuzz_cleanup);
	}
	return fuzz_dir_path;
}

/* Writes data to DIR/name; returns the path in out. */
static const char *fuzz_write(const char *name, const void *data, size_t size, char *out,
                              size_t outlen)
{
	snprintf(out, outlen, "%s/%s", fuzz_dir(), name);
	FILE *f = fopen(out, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
		perror("fuzz: writing the input file");
		abort();
	}
	return out;
}

static FILE *fuzz_null(void)
{
	static FILE *null;
	if (!null && !(null = fopen("/dev/null", "w")))
		abort();
	return null;
}

/* Fails loudly: libFuzzer and the replay test report the input. */
static void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}

/*
 * A loader's status agrees with the errors it added since diagnostic `from`.
 * Scoring is looser (pass "score"): it also returns PAL_REJECTED for dossiers
 * found invalid, and reported, while loading.
 */
static void fuzz_check_status(const char *what, int st, const pal_diags *d, size_t from)
{
	int loose = strcmp(what, "score") == 0;
	size_t errors = 0;
	for (size_t i = from; i < pal_diags_count(d); i++)
		errors += pal_diags_get(d, i)->severity == PAL_ERROR;
	if (st != PAL_OK && st != PAL_REJECTED && st != PAL_IOERR) {
		fprintf(stderr, "fuzz: %s: status %d\n", what, st);
		fuzz_fail("a status outside 0..2");
	}
	if (st == PAL_OK && errors) {
		fprintf(stderr, "fuzz: %s: status 0 with %zu error(s): %s\n", what, errors,
		        pal_diags_get(d, from)->text);
		fuzz_fail("success reported with errors");
	}
	if (st != PAL_OK && !errors && !pal_diags_oom(d) && !(loose && st == PAL_REJECTED)) {
		fprintf(stderr, "fuzz: %s: status %d without an error message\n", what, st);
		fuzz_fail("a failure without a message");
	}
}

/* Rules in fuzzed rubrics may loop a long time: keep each run short. */
static void fuzz_limits(void)
{
	static int done;
	if (!done) {
		pal_limits l;
		pal_limits_get(&l);
		l.max_rule_steps = 20000;
		pal_limits_set(&l);
		done = 1;
	}
}

/* Scores, then writes every results format and one explanation to /dev/null. */
static void fuzz_score_and_write(pal_campaign *c, const char *overrides, pal_diags *d)
{
	size_t from = pal_diags_count(d);
	int so = overrides ? pal_campaign_set_overrides(c, overrides, d) : PAL_OK;
	int st = pal_campaign_score(c, d);
	if (so > st)
		st = so;
	fuzz_check_status("score", st, d, from);
	if (st == PAL_IOERR)
		return;
	if (pal_results_write(c, PAL_RESULTS_JSON, NULL, fuzz_null()) != 0 ||
	    pal_results_write(c, PAL_RESULTS_CSV, "en", fuzz_null()) != 0 ||
	    pal_results_write(c, PAL_RESULTS_TEXT, "fr", fuzz_null()) != 0)
		fuzz_fail("writing results to /dev/null failed");
	if (pal_explain_write(c, "1", NULL, fuzz_null()) < 0)
		fuzz_fail("explain to /dev/null failed");
}

/* Loads the fixture rubric (once per process; never freed, shared by every run). */
static const pal_rubric *fuzz_fixture_rubric(void)
{
	static pal_rubric *r;
	if (!r) {
		char path[400];
		int st;
		pal_diags *d = pal_diags_new();
		fuzz_write("rubric.json", fuzz_rubric_text, sizeof fuzz_rubric_text - 1, path, sizeof path);
		r = pal_rubric_load(path, d, &st);
		if (!r) {
			pal_diags_print(d, 0, stderr);
			fuzz_fail("the fixture rubric does not load");
		}
		pal_diags_free(d);
	}
	return r;
}

#endif
