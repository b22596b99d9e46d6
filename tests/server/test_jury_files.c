/*
 * The store's jury as the command line's four files (server/jury_files.c)
 * on a real store: a store without a jury gives the header rows alone; a
 * filled one gives each table in the byte order of its key, a recused pair
 * out of the assignments and among the juror's conflicts, a mark without a
 * value left out, a refused one kept as typed, and cells the engine reads
 * back whole (a comma, a quote, a line break, a formula guarded). Then the
 * organizer's scored campaign (scores_build) holds those marks and the
 * override, and the engine's message about the refused mark names
 * marks.csv and its line.
 * Usage: test_server_jury_files RUBRIC.json (the bundled villes-internet-2027).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <unistd.h>

#include "jury_files.h"
#include "palmares/town.h"
#include "scores.h"
#include "store_db.h"
#include "store_jury.h"

static const char *rubric_path;
static char dir[64];
static char *rubric_text;

static const store_town TOWNS[] = {
	{"75056", "Paris", "{\"region\": \"Île-de-France\"}", NULL},
	{"33449", "Saint-Médard-en-Jalles", "{\"region\": \"Nouvelle-Aquitaine\"}", NULL},
	{"69123", "Lyon", "{\"region\": \"Auvergne-Rhône-Alpes\"}", NULL},
};

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(rubric_path, "rb");
	if (!f)
		return -1;
	rubric_text = calloc(1, 1 << 20);
	size_t n = rubric_text ? fread(rubric_text, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	snprintf(dir, sizeof dir, "/tmp/palmares-juryfiles-XXXXXX");
	return n && mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	free(rubric_text);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static store *new_campaign(const char *name)
{
	char path[128], err[256];
	store *s = NULL;
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	assert_int_equal(store_open(path, STORE_CREATE, &s, err, sizeof err), STORE_OK);
	assert_int_equal(store_campaign_init(s, "Villes Internet 2027", rubric_text, TOWNS, 3, 0, 1000),
			 STORE_OK);
	return s;
}

static void sql(store *s, const char *text)
{
	char *e = NULL;
	if (sqlite3_exec(s->db, text, NULL, NULL, &e) != SQLITE_OK)
		fail_msg("%s: %s", text, e ? e : "?");
}

static void add_juror(store *s, const char *id, const char *town, const char *region, const char *conflicts)
{
	store_juror j = {0, (char *)id, (char *)"Name, \"the\" juror", (char *)"j@example.org", (char *)town,
			 (char *)region, (char *)conflicts};
	assert_int_equal(store_juror_add(s, &j, 0, 1000, NULL), STORE_OK);
}

static void test_empty_store(void **state)
{
	(void)state;
	store *s = new_campaign("empty");
	jury_files f;
	assert_int_equal(jury_files_read(s, &f), STORE_OK);
	assert_string_equal(f.text[JURY_JURORS], "juror,name,email,town_id,region,conflicts\r\n");
	assert_string_equal(f.text[JURY_ASSIGNMENTS], "juror,town_id\r\n");
	assert_string_equal(f.text[JURY_MARKS], "juror,town_id,criterion,mark,comment\r\n");
	assert_string_equal(f.text[JURY_OVERRIDES], "town_id,level,reason\r\n");
	for (int k = 0; k < JURY_FILES; k++)
		assert_int_equal(f.len[k], strlen(f.text[k]));
	assert_string_equal(jury_file_names[JURY_MARKS], "marks.csv");
	jury_files_clear(&f);
	jury_files_clear(&f); /* twice: cleared means empty */
	store_close(s);
}

/* Two jurors on Paris and Lyon; b recused from Lyon; marks of every kind. */
static void fill(store *s)
{
	add_juror(s, "b", "33449", "Bretagne", "");
	add_juror(s, "a", "", "", "69123");
	add_juror(s, "c", "", "", "");
	sql(s, "INSERT INTO assignment (juror_id, town_id, assigned_at) VALUES"
	       " ('b', '75056', 0), ('a', '75056', 0), ('b', '69123', 0), ('c', '75056', 0);"
	       "INSERT INTO recusal (juror_id, town_id, reason, at) VALUES ('b', '69123', 'my cousin', 0),"
	       " ('c', '33449', 'my town''s twin', 0);"
	       "INSERT INTO mark (juror_id, town_id, criterion, value, comment, revision, updated_at) VALUES"
	       " ('b', '75056', 'mediation-qualite', '9,5', 'Bien, \"très\" bien\nvraiment', 1, 0),"
	       " ('a', '75056', 'mediation-qualite', '7', '=1+1', 1, 0),"
	       " ('a', '75056', 'projet-educatif', '', 'a draft', 1, 0),"
	       " ('a', '75056', 'innovation-democratique', 'beaucoup', '', 1, 0),"
	       " ('b', '69123', 'projet-educatif', '4', 'before recusing', 1, 0);"
	       "INSERT INTO override (town_id, level, reason, at) VALUES ('33449', '0', 'jury, \"unanimous\"', 0);"
	       "INSERT INTO audit (at, what) VALUES (0, 'test');");
}

static void test_filled_store(void **state)
{
	(void)state;
	store *s = new_campaign("filled");
	fill(s);
	jury_files f;
	assert_int_equal(jury_files_read(s, &f), STORE_OK);
	/* jurors by id; conflicts then recusals, '|' between, none when neither */
	assert_string_equal(f.text[JURY_JURORS],
			    "juror,name,email,town_id,region,conflicts\r\n"
			    "a,\"Name, \"\"the\"\" juror\",j@example.org,,,69123\r\n"
			    "b,\"Name, \"\"the\"\" juror\",j@example.org,33449,Bretagne,69123\r\n"
			    "c,\"Name, \"\"the\"\" juror\",j@example.org,,,33449\r\n");
	/* by juror then town, the recused pair left out */
	assert_string_equal(f.text[JURY_ASSIGNMENTS], "juror,town_id\r\na,75056\r\nb,75056\r\nc,75056\r\n");
	/* by juror, town, criterion; the draft out; the refused and the recused juror's marks kept as typed */
	assert_string_equal(f.text[JURY_MARKS],
			    "juror,town_id,criterion,mark,comment\r\n"
			    "a,75056,innovation-democratique,beaucoup,\r\n"
			    "a,75056,mediation-qualite,7,'=1+1\r\n"
			    "b,69123,projet-educatif,4,before recusing\r\n"
			    "b,75056,mediation-qualite,\"9,5\",\"Bien, \"\"très\"\" bien\nvraiment\"\r\n");
	assert_string_equal(f.text[JURY_OVERRIDES], "town_id,level,reason\r\n33449,0,\"jury, \"\"unanimous\"\"\"\r\n");
	jury_files_clear(&f);
	store_close(s);
}

/* What the engine makes of them: the organizer's scored campaign. */
static void test_scored_with_the_jury(void **state)
{
	(void)state;
	store *s = new_campaign("scored");
	fill(s);
	scores *sc = scores_build(s);
	assert_non_null(sc);
	const pal_campaign *c = scores_campaign(sc);
	char *json = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&json, &len);
	assert_non_null(out);
	assert_int_equal(pal_results_write(c, PAL_RESULTS_JSON, NULL, out), 0);
	fclose(out);
	/* the marks kept, read back whole: the formula's guard taken off, the line break a space */
	assert_non_null(strstr(json, "{\"juror\":\"a\",\"mark\":7,\"comment\":\"=1+1\"}"));
	assert_non_null(strstr(json, "{\"juror\":\"b\",\"mark\":9.5,\"comment\":\"Bien, \\\"très\\\" bien vraiment\"}"));
	/* the refused mark and the recused juror's mark, named by the engine at their line of marks.csv */
	assert_non_null(strstr(json, "marks.csv:2: "));
	assert_non_null(strstr(json, "\\\"beaucoup\\\""));
	assert_non_null(strstr(json, "marks.csv:4: "));
	assert_non_null(strstr(json, "juror b is not assigned to town 69123"));
	/* the override with its reason (Saint-Médard has no jury criterion marked: pending, so ignored
	 * with a message that names overrides.csv) */
	assert_non_null(strstr(json, "overrides.csv"));
	free(json);
	scores_release(sc);
	store_close(s);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s RUBRIC.json\n", argv[0]);
		return 2;
	}
	rubric_path = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_store),
		cmocka_unit_test(test_filled_store),
		cmocka_unit_test(test_scored_with_the_jury),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
