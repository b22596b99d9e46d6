/*
 * Dossier intake (SPEC §3): the office CSV dialect into typed answers, JSON
 * and JSON Lines with line:column positions, duplicates, and rejected rows
 * that still appear as invalid dossiers.
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

#include "model.h"

static char dir[64];
static pal_rubric *rubric;

static const char rubric_text[] =
	"{\"format\":\"palmares-rubric/1\",\"id\":\"r\",\"edition\":2027,\"label\":\"L\","
	"\"categories\":[{\"id\":\"s\",\"criteria\":["
	"{\"id\":\"ok\",\"kind\":\"yes-no\",\"points\":1,\"allow_na\":true},"
	"{\"id\":\"num\",\"kind\":\"number\",\"points\":1,\"steps\":[[1,1]],\"evidence\":\"optional\"},"
	"{\"id\":\"pct\",\"kind\":\"percent\",\"points\":1},"
	"{\"id\":\"ch\",\"kind\":\"choice\",\"points\":1,\"options\":{\"libre\":1,\"mixte\":0.5}},"
	"{\"id\":\"mu\",\"kind\":\"multi\",\"points\":1,\"options\":{\"a\":0.5,\"b\":0.5}},"
	"{\"id\":\"ju\",\"kind\":\"jury\",\"points\":1,\"scale\":[0,5]}]}],"
	"\"levels\":[{\"name\":\"L\",\"min_percent\":0}]}";

static const char *write_file(const char *name, const char *text, size_t len)
{
	static char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
	return p;
}

static pal_campaign *intake(const char *name, const char *text, size_t len, pal_diags **d, int *st)
{
	pal_campaign *c = pal_campaign_new(rubric);
	*d = pal_diags_new();
	*st = pal_campaign_add_dossiers(c, write_file(name, text, len), *d);
	return c;
}

static const pal_diag *find(pal_diags *d, const char *needle)
{
	for (size_t i = 0; i < pal_diags_count(d); i++)
		if (strstr(pal_diags_get(d, i)->text, needle))
			return pal_diags_get(d, i);
	pal_diags_print(d, 0, stderr);
	fail_msg("no diagnostic contains \"%s\"", needle);
	return NULL;
}

static void test_office_dialect(void **state)
{
	(void)state;
	/* Excel-style: BOM, ';', CRLF, decimal comma, no-break thousands, oui, x, n/a, '|'. */
	static const char csv[] =
		"\xEF\xBB\xBFTown_ID;town_name;population;ok;num;num.evidence;pct;ch;mu\r\n"
		"1;\"Saint-Jean; \"\"le\"\"\r\nbas\";1\xC2\xA0" "234;oui;12,5;http://x;72,5 %; MIXTE ;a | B\r\n"
		"2;Deux;;x;;;;;\r\n"
		"3;Trois;;Non Concern\xC3\xA9;0;;100%;libre;\r\n";
	pal_diags *d;
	int st;
	pal_campaign *c = intake("excel.csv", csv, sizeof csv - 1, &d, &st);
	assert_int_equal(st, PAL_OK);
	assert_int_equal(c->ndossiers, 3);
	pal_dossier *x = c->dossiers[0];
	assert_string_equal(x->town_name, "Saint-Jean; \"le\" bas");
	assert_int_equal(x->line, 2);
	assert_true(json_number_value(json_object_get(x->attrs, "population")) == 1234);
	assert_int_equal(pal_dossier_answer(x, 0).type, PAL_ANS_BOOL);
	assert_true(pal_dossier_answer(x, 0).v.b);
	assert_true(pal_dossier_answer(x, 1).v.num == 12.5);
	assert_string_equal(eng_dossier_evidence(x, 1), "http://x");
	assert_true(pal_dossier_answer(x, 2).v.num == 72.5);
	assert_int_equal(pal_dossier_answer(x, 3).v.choice, 1);
	assert_int_equal(pal_dossier_answer(x, 4).nchoices, 2);
	assert_int_equal(c->dossiers[1]->line, 4); /* after a quoted line break */
	assert_true(pal_dossier_answer(c->dossiers[1], 0).v.b);
	assert_int_equal(pal_dossier_answer(c->dossiers[1], 1).type, PAL_ANS_NONE);
	assert_int_equal(pal_dossier_answer(c->dossiers[2], 0).type, PAL_ANS_NA);
	/* Jury criteria need no column: nothing to warn about. */
	assert_int_equal(pal_diags_count(d), 0);
	pal_campaign_free(c);
	pal_diags_free(d);
}

static void test_csv_errors_keep_other_rows(void **state)
{
	(void)state;
	static const char csv[] =
		"town_id,town_name,ok,num,pct,ch,mu,ju,nmu\n"
		"1,Un,peut-être,douze,101,rouge,a|z,3,\n"
		"2,Deux,n/a,1,50,libre,a,,\n"
		"1,Encore,oui,1,50,libre,a,,\n";
	pal_diags *d;
	int st;
	pal_campaign *c = intake("bad.csv", csv, sizeof csv - 1, &d, &st);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(c->ndossiers, 3);
	const pal_diag *g = find(d, "column \"num\": expected a number ≥ 0, found \"douze\"");
	assert_int_equal(g->line, 2);
	find(d, "town 1 \"Un\", column \"ok\": expected yes or no");
	find(d, "expected a percentage from 0 to 100, found \"101\"");
	find(d, "unknown option \"rouge\" (expected one of: libre, mixte)");
	find(d, "unknown option \"z\"");
	find(d, "an answer to a jury criterion");
	find(d, "unknown column \"nmu\": did you mean \"mu\"?");
	find(d, "submitted twice: here and at ");
	assert_true(c->dossiers[0]->invalid);
	assert_false(c->dossiers[1]->invalid);
	assert_true(c->dossiers[2]->invalid);
	pal_campaign_free(c);
	pal_diags_free(d);
}

static void test_json_positions(void **state)
{
	(void)state;
	static const char js[] =
		"[\n"
		" {\"town\": {\"id\": \"1\", \"name\": \"Un\"},\n"
		"  \"answers\": {\"ok\": \"oui\", \"num\": -3, \"ch\": \"LIBRE\", \"mu\": [\"a\"], \"zz\": 1}},\n"
		" {\"town\": {\"id\": 2, \"name\": \"Deux\"}, \"rubric\": \"other\"}\n"
		"]\n";
	pal_diags *d;
	int st;
	pal_campaign *c = intake("d.json", js, sizeof js - 1, &d, &st);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(c->ndossiers, 2);
	const pal_diag *g = find(d, "answer \"ok\": expected true or false, found \"oui\"");
	assert_int_equal(g->line, 3);
	assert_int_equal(g->col, 21);
	g = find(d, "answer \"num\": expected a number ≥ 0, found -3");
	assert_int_equal(g->line, 3);
	find(d, "unknown criterion \"zz\"");
	g = find(d, "town.id: expected a non-empty string, found 2");
	assert_int_equal(g->line, 4);
	find(d, "rubric: this dossier is for \"other\"");
	assert_int_equal(pal_dossier_answer(c->dossiers[0], 3).v.choice, 0);
	pal_campaign_free(c);
	pal_diags_free(d);
}

static void test_jsonl_bad_line_is_listed(void **state)
{
	(void)state;
	static const char js[] =
		"{\"town\":{\"id\":\"1\",\"name\":\"Un\"},\"answers\":{\"pct\":50}}\n"
		"\n"
		"{\"town\":{\"id\":\"2\",\"name\":\n"
		"{\"town\":{\"id\":\"3\",\"name\":\"Trois\"},\"answers\":{\"pct\":\"x\"}}\n";
	pal_diags *d;
	int st;
	pal_campaign *c = intake("d.jsonl", js, sizeof js - 1, &d, &st);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(c->ndossiers, 3); /* the malformed line is an invalid dossier */
	assert_int_equal(find(d, "malformed JSON")->line, 3);
	assert_int_equal(find(d, "answer \"pct\"")->line, 4);
	assert_false(c->dossiers[0]->invalid);
	pal_campaign_free(c);
	pal_diags_free(d);
}

/* A record the CSV reader refuses is still a dossier, invalid, named in its error. */
static void test_refused_records_are_listed(void **state)
{
	(void)state;
	static const char csv[] =
		"town_id,town_name,ok,pct\n"
		"1,Un,oui,50\n"
		"2,\"Deux\"x,oui,50\n"
		"3,Trois,oui,50\n"
		"4,Quatre,oui,\"50\n";
	pal_diags *d;
	int st;
	pal_campaign *c = intake("refused.csv", csv, sizeof csv - 1, &d, &st);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(c->ndossiers, 4);
	const pal_diag *g = find(d, "town 2 \"\": field 2: text after its closing quote");
	assert_int_equal(g->line, 3);
	g = find(d, "town 4 \"Quatre\": unterminated quoted field (opened on line 5)");
	assert_int_equal(g->line, 5);
	assert_int_equal(pal_diags_errors(d), 2);
	assert_false(c->dossiers[0]->invalid);
	assert_true(c->dossiers[1]->invalid);
	assert_string_equal(c->dossiers[1]->town_id, "2");
	assert_false(c->dossiers[2]->invalid);
	assert_true(c->dossiers[3]->invalid);
	assert_int_equal(c->dossiers[3]->line, 5);
	pal_campaign_free(c);
	pal_diags_free(d);
}

/* A refused header row stops the file: no data row is read as the header. */
static void test_refused_header(void **state)
{
	(void)state;
	static const char csv[] = "town_id,\"town_name\"x,ok\n1,Un,oui\n";
	pal_diags *d;
	int st;
	pal_campaign *c = intake("header.csv", csv, sizeof csv - 1, &d, &st);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(c->ndossiers, 0);
	assert_int_equal(find(d, "header row: field 2: text after its closing quote")->line, 1);
	assert_int_equal(pal_diags_count(d), 1);
	pal_campaign_free(c);
	pal_diags_free(d);
}

/* SPEC §3.1: town.id and town.name are required; "population": null is "not given". */
static void test_json_town_required(void **state)
{
	(void)state;
	static const char js[] =
		"[{\"town\": {\"name\": \"Sans id\"}},\n"
		" {\"town\": {\"id\": \"2\"}},\n"
		" {\"town\": {\"id\": \"3\", \"name\": \"Trois\", \"population\": null}}]\n";
	pal_diags *d;
	int st;
	pal_campaign *c = intake("town.json", js, sizeof js - 1, &d, &st);
	assert_int_equal(st, PAL_REJECTED);
	assert_int_equal(c->ndossiers, 3);
	assert_int_equal(find(d, "town.id: expected a non-empty string, found nothing")->line, 1);
	assert_int_equal(find(d, "town.name: expected a non-empty string, found nothing")->line, 2);
	assert_int_equal(pal_diags_errors(d), 2);
	assert_true(c->dossiers[0]->invalid);
	assert_true(c->dossiers[1]->invalid);
	assert_false(c->dossiers[2]->invalid);
	assert_null(json_object_get(c->dossiers[2]->attrs, "population"));
	pal_campaign_free(c);
	pal_diags_free(d);
}

static void test_unreadable_and_unknown_type(void **state)
{
	(void)state;
	pal_campaign *c = pal_campaign_new(rubric);
	pal_diags *d = pal_diags_new();
	assert_int_equal(pal_campaign_add_dossiers(c, "/nonexistent/x.csv", d), PAL_IOERR);
	assert_int_equal(pal_campaign_add_dossiers(c, "/nonexistent/x.pdf", d), PAL_IOERR);
	find(d, "unknown dossier file type \".pdf\"");
	/* a spreadsheet's own file: missing, it cannot be read; there, it is refused with advice */
	assert_int_equal(pal_campaign_add_dossiers(c, "/nonexistent/x.xlsx", d), PAL_IOERR);
	find(d, "cannot read \"/nonexistent/x.xlsx\"");
	assert_int_equal(pal_campaign_add_dossiers(c, write_file("s.ODS", "PK\3\4", 4), d), PAL_REJECTED);
	find(d, "not CSV but a spreadsheet file (.ODS): save as UTF-8 CSV");
	assert_int_equal(pal_campaign_add_dossiers(c, write_file("e.csv", "", 0), d), PAL_REJECTED);
	find(d, "empty file");
	pal_campaign_free(c);
	pal_diags_free(d);
}

static int setup(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	int st;
	snprintf(dir, sizeof dir, "/tmp/palmares-dossier-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	rubric = pal_rubric_load(write_file("r.json", rubric_text, sizeof rubric_text - 1), d, &st);
	pal_diags_print(d, 0, stderr);
	pal_diags_free(d);
	return rubric ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	const char *names[] = {"r.json", "excel.csv", "bad.csv", "d.json", "d.jsonl", "e.csv",
	                       "refused.csv", "header.csv", "town.json"};
	char p[256];
	pal_rubric_free(rubric);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_office_dialect),
		cmocka_unit_test(test_csv_errors_keep_other_rows),
		cmocka_unit_test(test_json_positions),
		cmocka_unit_test(test_jsonl_bad_line_is_listed),
		cmocka_unit_test(test_refused_records_are_listed),
		cmocka_unit_test(test_refused_header),
		cmocka_unit_test(test_json_town_required),
		cmocka_unit_test(test_unreadable_and_unknown_type),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
