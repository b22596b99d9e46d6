/*
 * Results loader of reports/ (and the style loader): the hand-written
 * fixture loads with its names cleaned; every problem of a bad file is
 * reported with the line and column of the value at fault; files that are
 * not results files are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "palmares/documents.h"

#define SHA "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\""
#define RUBRIC "\"rubric\": {\"id\": \"r\", \"edition\": 2027, \"sha256\": " SHA ",\n" \
               "  \"label\": \"L\", \"levels\": [\"@\", \"@@\"], \"mentions\": {\"m\": \"Mention M\"}},\n"

static char tmp_path[64];

static const char *write_tmp(const char *text)
{
	snprintf(tmp_path, sizeof tmp_path, "/tmp/palmares-test-XXXXXX");
	int fd = mkstemp(tmp_path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return tmp_path;
}

/* 1-based line and column (in characters) of the first occurrence of needle, plus skip. */
static void pos_of(const char *text, const char *needle, size_t skip, long *line, long *col)
{
	const char *at = strstr(text, needle);
	assert_non_null(at);
	at += skip;
	*line = 1, *col = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n')
			*line += 1, *col = 1;
		else if ((*p & 0xC0) != 0x80)
			*col += 1;
	}
}

/* The diagnostic whose text contains needle, or fails. */
static const pal_diag *find_diag(const pal_diags *d, const char *needle)
{
	for (size_t i = 0; i < pal_diags_count(d); i++)
		if (strstr(pal_diags_get(d, i)->text, needle))
			return pal_diags_get(d, i);
	fail_msg("no diagnostic containing \"%s\"", needle);
	return NULL;
}

static void test_fixture(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int status = -1;
	pal_doc_results *r = pal_doc_results_load("data/results-fr.json", d, &status);
	assert_non_null(r);
	assert_int_equal(status, PAL_DOC_OK);
	assert_int_equal(pal_diags_errors(d), 0);
	assert_int_equal(pal_doc_results_count(r), 11);
	assert_string_equal(pal_doc_results_language(r), "fr");
	size_t i = pal_doc_results_find(r, "47323");
	assert_true(i != (size_t)-1);
	/* U+202E, U+200F, BEL and SOH are gone. */
	assert_string_equal(pal_doc_town_name(r, i), "Villeneuve-sur-Lot");
	size_t certified = 0;
	for (size_t k = 0; k < pal_doc_results_count(r); k++) {
		if (!pal_doc_town_certified(r, k)) {
			assert_string_equal(pal_doc_town_code(r, k), "");
			continue;
		}
		certified++;
		size_t found[4];
		assert_int_equal(pal_doc_verify(r, pal_doc_town_code(r, k), found, 4), 1);
		assert_int_equal(found[0], k);
	}
	assert_int_equal(certified, 8);
	assert_false(pal_doc_town_certified(r, pal_doc_results_find(r, "31118"))); /* pending */
	assert_false(pal_doc_town_certified(r, pal_doc_results_find(r, "34172"))); /* invalid */
	assert_false(pal_doc_town_certified(r, pal_doc_results_find(r, "80829"))); /* level 0 */
	i = pal_doc_results_find(r, "51477");
	assert_int_equal(pal_doc_town_mention_count(r, i), 3);
	assert_string_equal(pal_doc_town_mention(r, i, 1, "en"), "Digital accessibility mention");
	assert_string_equal(pal_doc_town_mention(r, i, 1, NULL), "Mention accessibilité numérique");
	assert_int_equal(pal_doc_verify(r, "0000-0000-0000", NULL, 0), 0);
	assert_int_equal(pal_doc_verify(r, "not a code", NULL, 0), -1);
	pal_doc_results_free(r);
	pal_diags_free(d);
}

static void test_town_errors_positioned(void **state)
{
	(void)state;
	const char *text =
		"{\"format\": \"palmares-results/1\",\n" RUBRIC
		" \"towns\": [\n"
		"  {\"id\": \"1\", \"name\": \"Ok\", \"status\": \"scored\",\n"
		"   \"score\": {\"points\": 1, \"max\": 2, \"percent\": 50}, \"level\": 1, \"rank\": 1},\n"
		"  {\"id\": \"2\", \"name\": \"Bad\", \"status\": \"scored\",\n"
		"   \"score\": {\"points\": \"1\", \"max\": 2, \"percent\": 50}, \"level\": 7, \"rank\": 1,\n"
		"   \"mentions\": [\"m\", \"zz\"]}\n"
		" ]}\n";
	pal_diags *d = pal_diags_new();
	int status = -1;
	long line, col;
	pal_doc_results *r = pal_doc_results_load(write_tmp(text), d, &status);
	assert_non_null(r);
	assert_int_equal(status, PAL_DOC_REJECTED);
	assert_int_equal(pal_diags_errors(d), 3);
	const pal_diag *g = find_diag(d, "field \"level\"");
	assert_string_equal(g->text, "town 2 \"Bad\", field \"level\": expected an integer from 0 to 2, found 7");
	pos_of(text, "\"level\": 7", 9, &line, &col);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	g = find_diag(d, "score.points");
	assert_string_equal(g->text, "town 2 \"Bad\", field \"score.points\": expected a number, found \"1\"");
	pos_of(text, "\"points\": \"1\"", 10, &line, &col);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	g = find_diag(d, "unknown mention");
	pos_of(text, "\"zz\"", 0, &line, &col);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	assert_true(pal_doc_town_certified(r, 0));
	assert_false(pal_doc_town_certified(r, 1));
	unlink(tmp_path);
	pal_doc_results_free(r);
	pal_diags_free(d);
}

/* score writes "id": "" for a dossier without a town id: it is invalid, and kept usable for its report. */
static void test_invalid_town_without_id(void **state)
{
	(void)state;
	const char *text =
		"{\"format\": \"palmares-results/1\",\n" RUBRIC
		" \"towns\": [\n"
		"  {\"id\": \"\", \"name\": \"Nameless\", \"status\": \"invalid\", \"score\": null,\n"
		"   \"errors\": [\"d.csv:3: town  \\\"Nameless\\\": missing town_id\"]},\n"
		"  {\"id\": \"\", \"name\": \"Scored\", \"status\": \"scored\",\n"
		"   \"score\": {\"points\": 1, \"max\": 2, \"percent\": 50}, \"level\": 1, \"rank\": 1}\n"
		" ]}\n";
	pal_diags *d = pal_diags_new();
	int status = -1;
	long line, col;
	pal_doc_results *r = pal_doc_results_load(write_tmp(text), d, &status);
	assert_non_null(r);
	assert_int_equal(status, PAL_DOC_REJECTED);
	assert_int_equal(pal_diags_errors(d), 1);
	const pal_diag *g = find_diag(d, "non-empty town id");
	assert_string_equal(g->text, "town without id \"Scored\", field \"id\": expected a non-empty town id: "
	                             "only an invalid dossier may lack one");
	pos_of(text, "\"id\": \"\", \"name\": \"Scored", 6, &line, &col);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	assert_int_equal(pal_doc_town_level(r, 0), -1);
	assert_string_equal(pal_doc_town_id(r, 0), "");
	assert_false(pal_doc_town_certified(r, 1));
	unlink(tmp_path);
	pal_doc_results_free(r);
	pal_diags_free(d);
}

/* "messages" (the structured form of errors and warnings) is read, and checked like the rest. */
static void test_messages(void **state)
{
	(void)state;
	const char *text =
		"{\"format\": \"palmares-results/1\",\n" RUBRIC
		" \"towns\": [\n"
		"  {\"id\": \"1\", \"name\": \"N\", \"status\": \"invalid\", \"score\": null, \"messages\": [\n"
		"   {\"severity\": \"error\", \"code\": \"invalid-answer\", \"criterion\": \"c\", \"kind\": \"choice\",\n"
		"    \"options\": [\"a\", \"b\"], \"value\": \"z\", \"text\": \"column c: unknown option\"},\n"
		"   {\"severity\": \"warning\", \"code\": 7, \"text\": \"x\"}]}\n"
		" ]}\n";
	pal_diags *d = pal_diags_new();
	int status = -1;
	long line, col;
	pal_doc_results *r = pal_doc_results_load(write_tmp(text), d, &status);
	assert_non_null(r);
	assert_int_equal(status, PAL_DOC_REJECTED);
	assert_int_equal(pal_diags_errors(d), 1);
	const pal_diag *g = find_diag(d, "messages[1].code");
	assert_string_equal(g->text, "town 1 \"N\", field \"messages[1].code\": expected a string, found 7");
	pos_of(text, "\"code\": 7", 8, &line, &col);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	unlink(tmp_path);
	pal_doc_results_free(r);
	pal_diags_free(d);
}

static void expect_refused(const char *text, const char *needle, long line)
{
	pal_diags *d = pal_diags_new();
	int status = -1;
	pal_doc_results *r = pal_doc_results_load(write_tmp(text), d, &status);
	assert_null(r);
	assert_int_equal(status, PAL_DOC_REJECTED);
	const pal_diag *g = find_diag(d, needle);
	assert_int_equal(g->line, line);
	assert_true(g->col > 0);
	unlink(tmp_path);
	pal_diags_free(d);
}

static void test_refused(void **state)
{
	(void)state;
	expect_refused("{\"format\": \"palmares-results/1\",\n \"rubric\": {,\n}\n", "malformed JSON", 2);
	expect_refused("{\"format\": \"palmares-results/2\", \"towns\": []}\n", "palmares-results/1", 1);
	expect_refused("{\"format\": \"palmares-results/1\",\n \"rubric\": {\"id\": \"r\", \"edition\": 2027,\n"
	               "  \"sha256\": \"abc\", \"label\": \"L\", \"levels\": [\"@\"]},\n \"towns\": []}\n",
	               "64 hexadecimal digits", 3);
	expect_refused("[1, 2]\n", "expected a results object", 1);
	pal_diags *d = pal_diags_new();
	int status = -1;
	assert_null(pal_doc_results_load("data/no-such-file.json", d, &status));
	assert_int_equal(status, PAL_DOC_IOERR);
	pal_diags_free(d);
}

static void test_style(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int status = -1;
	pal_doc_style *s = pal_doc_style_load("data/style.json", d, &status);
	assert_non_null(s);
	assert_int_equal(status, PAL_DOC_OK);
	pal_doc_style_free(s);
	const char *bad = "{\"colours\": {},\n \"colors\": {\"primary\": \"navy\"},\n"
	                  " \"award_date\": \"12/12/2027\", \"x-note\": \"free\"}\n";
	assert_null(pal_doc_style_load(write_tmp(bad), d, &status));
	assert_int_equal(status, PAL_DOC_REJECTED);
	assert_int_equal(pal_diags_errors(d), 3);
	assert_int_equal(find_diag(d, "unknown field")->line, 1);
	assert_int_equal(find_diag(d, "#rrggbb")->line, 2);
	assert_int_equal(find_diag(d, "YYYY-MM-DD")->line, 3);
	unlink(tmp_path);
	pal_doc_style_free(NULL);
	pal_doc_results_free(NULL);
	pal_diags_free(d);
}

/* pal_doc_results_load_text: the same results as from the file, messages
 * named as asked; pal_doc_render_stream: a PDF in the caller's stream. */
static void test_from_memory(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int status = -1, status2 = -1;
	FILE *f = fopen("data/results-fr.json", "rb");
	assert_non_null(f);
	char *text = malloc(1 << 20);
	assert_non_null(text);
	size_t len = fread(text, 1, 1 << 20, f);
	fclose(f);
	/* Not NUL-terminated: the length alone bounds the text. */
	text[len] = '}';
	pal_doc_results *file = pal_doc_results_load("data/results-fr.json", d, &status);
	pal_doc_results *mem = pal_doc_results_load_text("live.json", text, len, d, &status2);
	assert_non_null(file);
	assert_non_null(mem);
	assert_int_equal(status2, PAL_DOC_OK);
	assert_int_equal(pal_doc_results_count(mem), pal_doc_results_count(file));
	for (size_t k = 0; k < pal_doc_results_count(file); k++) {
		assert_string_equal(pal_doc_town_id(mem, k), pal_doc_town_id(file, k));
		assert_string_equal(pal_doc_town_code(mem, k), pal_doc_town_code(file, k));
	}

	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	assert_non_null(out);
	pal_doc_options o = {.kind = PAL_DOC_CERTIFICATES, .format = PAL_DOC_PDF};
	assert_int_equal(pal_doc_render_stream(mem, &o, out, "certificates.pdf", d), PAL_DOC_OK);
	assert_int_equal(fclose(out), 0);
	assert_true(size > 1000);
	assert_memory_equal(buf, "%PDF-", 5);
	free(buf);
	/* An unknown town: refused with its message, nothing written. */
	const char *towns[] = {"00000"};
	o = (pal_doc_options){.kind = PAL_DOC_REPORT, .format = PAL_DOC_PDF, .towns = towns, .ntowns = 1};
	buf = NULL, size = 0;
	out = open_memstream(&buf, &size);
	assert_int_equal(pal_doc_render_stream(mem, &o, out, "report.pdf", d), PAL_DOC_REJECTED);
	fclose(out);
	assert_int_equal(size, 0);
	free(buf);
	pal_doc_results_free(mem);
	pal_doc_results_free(file);

	/* A malformed text: its position under the name given. */
	pal_diags *e = pal_diags_new();
	assert_null(pal_doc_results_load_text("live.json", "{\n  \"format\": }", 17, e, &status));
	assert_int_equal(status, PAL_DOC_REJECTED);
	assert_string_equal(pal_diags_get(e, 0)->file, "live.json");
	assert_int_equal(pal_diags_get(e, 0)->line, 2);
	pal_diags_free(e);
	free(text);
	pal_diags_free(d);
}

int main(void)
{
	/* Messages follow the environment's language (rep_msg): these tests read the English ones. */
	setenv("LANGUAGE", "en", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_town_errors_positioned),
		cmocka_unit_test(test_invalid_town_without_id),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_style),
		cmocka_unit_test(test_from_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
