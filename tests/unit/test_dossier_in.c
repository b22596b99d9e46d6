/*
 * Dossier intake from memory (pal_campaign_add_dossiers_text, engine/
 * dossier_in.c): every input is read twice, once from a file at path P and
 * once as a text named P, and both must give the same status, the same
 * messages byte for byte and the same results file. Then what only a text
 * can do: a name without an extension with an explicit format, a name that
 * messages use where they name the file, bytes not ending in NUL, limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "palmares/limits.h"
#include "palmares/palmares.h"
#include "scratch_dir.h"

static const char rubric_json[] =
	"{\"format\":\"palmares-rubric/1\",\"id\":\"r\",\"edition\":2027,\"label\":\"L\","
	"\"categories\":[{\"id\":\"s\",\"criteria\":["
	"{\"id\":\"ok\",\"kind\":\"yes-no\",\"points\":1,\"allow_na\":true},"
	"{\"id\":\"num\",\"kind\":\"number\",\"points\":1,\"steps\":[[1,1]],\"evidence\":\"optional\"},"
	"{\"id\":\"ch\",\"kind\":\"choice\",\"points\":1,\"options\":{\"libre\":1,\"mixte\":0.5}},"
	"{\"id\":\"mu\",\"kind\":\"multi\",\"points\":1,\"options\":{\"a\":0.5,\"b\":0.5}}]}],"
	"\"levels\":[{\"name\":\"L\",\"min_percent\":0}]}";

static pal_rubric *rubric;

/* Every diagnostic of d, formatted, one per line: owned. */
static char *diags_text(const pal_diags *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	pal_diags_print(d, 0, f);
	fclose(f);
	return buf;
}

/* The campaign's results file as JSON, after scoring: owned. */
static char *results_text(pal_campaign *c)
{
	char *buf = NULL;
	size_t len = 0;
	pal_diags *d = pal_diags_new();
	pal_campaign_score(c, d);
	pal_diags_free(d);
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(pal_results_write(c, PAL_RESULTS_JSON, NULL, f), 0);
	fclose(f);
	return buf;
}

/* Reads text as a file named name and as a text of that name; both must agree. Returns the status. */
static int same_as_file(const char *name, const char *text, size_t len)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *w = fopen(path, "wb");
	assert_non_null(w);
	assert_int_equal(fwrite(text, 1, len, w), len);
	fclose(w);
	pal_campaign *a = pal_campaign_new(rubric), *b = pal_campaign_new(rubric);
	pal_diags *da = pal_diags_new(), *db = pal_diags_new();
	int sa = pal_campaign_add_dossiers(a, path, da);
	/* a copy without a final NUL, so that ASan sees a read past its end */
	char *copy = malloc(len ? len : 1);
	memcpy(copy, text, len);
	int sb = pal_campaign_add_dossiers_text(b, path, copy, len, PAL_DOSSIER_BY_NAME, db);
	char *ta = diags_text(da), *tb = diags_text(db);
	assert_string_equal(ta, tb);
	assert_int_equal(sa, sb);
	assert_int_equal(pal_campaign_count(a), pal_campaign_count(b));
	char *ra = results_text(a), *rb = results_text(b);
	assert_string_equal(ra, rb);
	free(copy);
	free(ta);
	free(tb);
	free(ra);
	free(rb);
	pal_diags_free(da);
	pal_diags_free(db);
	pal_campaign_free(a);
	pal_campaign_free(b);
	return sa;
}

static void test_csv_like_file(void **state)
{
	(void)state;
	static const char good[] = "town_id,town_name,population,ok,num,ch,mu\n"
				   "1,Rennes,220000,oui,3,libre,a|b\n2,Brest,140000,non,0,mixte,a\n";
	assert_int_equal(same_as_file("good.csv", good, sizeof good - 1), PAL_OK);
	/* French Excel: ';', decimal comma, BOM, CRLF; errors that keep the other rows */
	static const char fr[] = "\xEF\xBB\xBFtown_id;town_name;ok;num;ch;mu;colonne\r\n"
				 "1;Rennes;oui;2,5;libre;a\r\n2;Brest;peut-être;douze;gratuit;c|a\r\n"
				 "3;Quimper;x\r\n1;Rennes bis;non;1;mixte;b\r\n";
	assert_int_equal(same_as_file("fr.csv", fr, sizeof fr - 1), PAL_REJECTED);
	static const char tsv[] = "town_id\ttown_name\tok\n7\tVannes\toui\n";
	assert_int_equal(same_as_file("t.tsv", tsv, sizeof tsv - 1), PAL_OK);
	/* Windows-1252, UTF-16 with its mark */
	static const char cp[] = "town_id,town_name,ok\n9,Ch\xE2teau,oui\n";
	assert_int_equal(same_as_file("cp.csv", cp, sizeof cp - 1), PAL_OK);
	static const char u16[] = "\xFF\xFEt\0o\0w\0n\0_\0i\0d\0,\0t\0o\0w\0n\0_\0n\0a\0m\0e\0\n\0"
				  "4\0,\0L\0y\0o\0n\0\n\0";
	assert_int_equal(same_as_file("u16.csv", u16, sizeof u16 - 1), PAL_OK);
	/* refused whole: a zip, NUL bytes; empty; a header alone */
	assert_int_equal(same_as_file("zip.csv", "PK\x03\x04zzzz", 8), PAL_REJECTED);
	assert_int_equal(same_as_file("nul.csv", "town_id\n\0\n", 10), PAL_REJECTED);
	assert_int_equal(same_as_file("empty.csv", "", 0), PAL_REJECTED);
	assert_int_equal(same_as_file("header.csv", "town_id,town_name\n", 18), PAL_OK);
	assert_int_equal(same_as_file("noid.csv", "nom,ok\nRennes,oui\n", 18), PAL_REJECTED);
}

static void test_json_like_file(void **state)
{
	(void)state;
	static const char one[] = "{\"format\":\"palmares-dossier/1\",\"rubric\":\"r\","
				  "\"town\":{\"id\":\"1\",\"name\":\"Rennes\",\"population\":1000},"
				  "\"answers\":{\"ok\":true,\"num\":4,\"ch\":\"libre\",\"mu\":[\"a\"]},"
				  "\"evidence\":{\"num\":\"https://example.org\"}}";
	assert_int_equal(same_as_file("one.json", one, sizeof one - 1), PAL_OK);
	static const char bad[] = "[{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"ok\":\"peut\","
				  "\"nope\":1,\"num\":-1}},\n {\"town\":{\"id\":\"2\"},\"extra\":1},\n"
				  " 5]";
	assert_int_equal(same_as_file("bad.json", bad, sizeof bad - 1), PAL_REJECTED);
	assert_int_equal(same_as_file("malformed.json", "{\"town\": ", 9), PAL_REJECTED);
	assert_int_equal(same_as_file("emptyarray.json", "[]", 2), PAL_OK);
	static const char lines[] =
		"{\"town\":{\"id\":\"1\",\"name\":\"A\"},\"answers\":{\"ok\":true}}\n"
		"{oops\n\n{\"town\":{\"id\":\"2\",\"name\":\"B\"},\"answers\":{\"ch\":\"x\"}}";
	assert_int_equal(same_as_file("l.jsonl", lines, sizeof lines - 1), PAL_REJECTED);
	assert_int_equal(same_as_file("none.ndjson", "\n\n", 2), PAL_OK);
}

static void test_names_decide_like_paths(void **state)
{
	(void)state;
	assert_int_equal(same_as_file("sheet.xlsx", "PK\x03\x04", 4), PAL_REJECTED);
	assert_int_equal(same_as_file("notes.pdf", "%PDF", 4), PAL_IOERR);
}

/* An explicit format: the name is only what messages say. */
static void test_explicit_format(void **state)
{
	(void)state;
	pal_campaign *c = pal_campaign_new(rubric);
	pal_diags *d = pal_diags_new();
	static const char csv[] = "town_id,town_name,ok\n1,Rennes,peut-être\n";
	assert_int_equal(pal_campaign_add_dossiers_text(c, "upload", csv, sizeof csv - 1, PAL_DOSSIER_CSV, d),
			 PAL_REJECTED);
	const pal_diag *g = NULL; /* the error, after the header's warnings */
	for (size_t k = 0; k < pal_diags_count(d) && !g; k++)
		if (pal_diags_get(d, k)->severity == PAL_ERROR)
			g = pal_diags_get(d, k);
	assert_non_null(g);
	assert_string_equal(g->file, "upload");
	assert_int_equal(g->line, 2);
	assert_non_null(strstr(g->text, "town 1 \"Rennes\", column \"ok\""));
	static const char json[] = "{\"town\":{\"id\":\"2\",\"name\":\"B\"},\"answers\":{\"ok\":true}}";
	assert_int_equal(
		pal_campaign_add_dossiers_text(c, "form", json, sizeof json - 1, PAL_DOSSIER_JSON, d),
		PAL_OK);
	static const char jl[] = "{\"town\":{\"id\":\"3\",\"name\":\"C\"}}\n";
	assert_int_equal(pal_campaign_add_dossiers_text(c, "lines", jl, sizeof jl - 1, PAL_DOSSIER_JSONL, d),
			 PAL_OK);
	assert_int_equal(pal_campaign_count(c), 3);
	/* no text at all */
	assert_int_equal(pal_campaign_add_dossiers_text(c, "nothing", NULL, 0, PAL_DOSSIER_JSON, d),
			 PAL_REJECTED);
	/* no extension to go by */
	size_t n = pal_diags_count(d);
	assert_int_equal(
		pal_campaign_add_dossiers_text(c, "upload", csv, sizeof csv - 1, PAL_DOSSIER_BY_NAME, d),
		PAL_IOERR);
	assert_non_null(strstr(pal_diags_get(d, n)->text, "unknown dossier file type"));
	pal_diags_free(d);
	pal_campaign_free(c);
}

/* The limits of files apply to texts, with the same messages. */
static void test_limits(void **state)
{
	(void)state;
	pal_limits saved, l;
	pal_limits_get(&saved);
	l = saved;
	l.max_json = 10;
	l.max_file = 20;
	pal_limits_set(&l);
	static const char json[] = "{\"town\":{\"id\":\"1\",\"name\":\"A\"}}";
	assert_int_equal(same_as_file("big.json", json, sizeof json - 1), PAL_IOERR);
	assert_int_equal(same_as_file("big.jsonl", json, sizeof json - 1), PAL_IOERR);
	static const char csv[] = "town_id,town_name\n1,Rennes\n2,Brest\n";
	assert_int_equal(same_as_file("big.csv", csv, sizeof csv - 1), PAL_IOERR);
	pal_limits_set(&saved);
}

static int setup(void **state)
{
	if (scratch_setup(state))
		return -1;
	pal_diags *d = pal_diags_new();
	rubric = scratch_rubric(rubric_json, d);
	pal_diags_free(d);
	return 0;
}

static int teardown(void **state)
{
	pal_rubric_free(rubric);
	return scratch_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_like_file),
		cmocka_unit_test(test_json_like_file),
		cmocka_unit_test(test_names_decide_like_paths),
		cmocka_unit_test(test_explicit_format),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
