/*
 * The towns file (server/towns_csv.c), read as campaign init and the web's
 * import read it: lines numbered as in the file (blank lines and quoted
 * line breaks included), every problem listed in the file's order, the
 * attributes typed, the dialects; and the CSV cells the web writes for a
 * spreadsheet (server/csvout.c), formulas guarded by the command line's rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "towns_csv.h"

static int read_towns(const char *text, towns_list *l)
{
	memset(l, 0, sizeof *l);
	return towns_csv_read(text, strlen(text), l);
}

static void test_good_file(void **state)
{
	towns_list l;
	(void)state;
	/* a BOM, ';' as the header says, a blank line, a quoted line break, numbers as numbers */
	assert_int_equal(read_towns("\xEF\xBB\xBFtown_id;town_name;population;region;email\r\n"
				    "38185;Grenoble;156389;Auvergne;g@example.org\r\n"
				    "\r\n"
				    "29001;\"Petite\nville\";800.5;Bretagne;\r\n"
				    "75056; Paris ;2100000;;p@example.org\r\n",
				    &l),
			 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].id, "38185");
	assert_string_equal(l.v[0].email, "g@example.org");
	assert_string_equal(l.v[0].attributes_json, "{\"population\":156389,\"region\":\"Auvergne\"}");
	assert_int_equal(l.line[0], 2);
	assert_int_equal(l.line[1], 4);
	assert_string_equal(l.v[1].attributes_json, "{\"population\":800.5,\"region\":\"Bretagne\"}");
	assert_int_equal(l.line[2], 6);            /* after the quoted line break */
	assert_string_equal(l.v[2].name, "Paris"); /* cleaned: trimmed */
	assert_string_equal(l.v[2].attributes_json, "{\"population\":2100000}");
	assert_int_equal(l.nproblems, 0);
	towns_list_free(&l);
	towns_list_free(NULL);
}

static void test_every_problem_with_its_line(void **state)
{
	towns_list l;
	char text[200];
	(void)state;
	assert_int_equal(read_towns("town_id,town_name\n"
				    "1,A\n"
				    "2,\n"
				    "\n"
				    "1,B\n"
				    ",C\n"
				    "3,D\n"
				    "1,E\n",
				    &l),
			 -1);
	assert_int_equal(l.nproblems, 4);
	assert_int_equal(l.problems[0].code, TOWNS_NO_ID_NAME);
	assert_int_equal(l.problems[0].line, 3);
	assert_int_equal(l.problems[1].code, TOWNS_DUPLICATE);
	assert_int_equal(l.problems[1].line, 5);
	assert_int_equal(l.problems[1].other_line, 2);
	assert_string_equal(l.problems[1].subject, "1");
	assert_int_equal(l.problems[2].code, TOWNS_NO_ID_NAME);
	assert_int_equal(l.problems[2].line, 6);
	assert_int_equal(l.problems[3].code, TOWNS_DUPLICATE);
	assert_int_equal(l.problems[3].line, 8);
	assert_int_equal(l.problems[3].other_line,
			 2); /* the first line of that id, not the previous duplicate */
	towns_problem_text(&l.problems[1], text, sizeof text);
	assert_string_equal(text, "town \"1\" is listed twice (line 2)");
	assert_int_equal(towns_problem_add(&l, TOWNS_EXISTS, 7, 0, "3"), 0);
	towns_problem_text(&l.problems[4], text, sizeof text);
	assert_string_equal(text, "town \"3\" is in the campaign already");
	towns_list_free(&l);
}

/* Old Mac files end lines with CR alone; a NUL byte is no line end. */
static void test_line_ends(void **state)
{
	towns_list l;
	static const char text[] = "town_id,town_name\r1,A\r\r2,\r3,C\0D\n4,E\r\n";
	(void)state;
	memset(&l, 0, sizeof l);
	assert_int_equal(towns_csv_read(text, sizeof text - 1, &l), -1);
	assert_int_equal(l.nproblems, 1);
	assert_int_equal(l.problems[0].code, TOWNS_NO_ID_NAME);
	assert_int_equal(l.problems[0].line, 4);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.line[0], 2);
	assert_int_equal(l.line[1], 5);
	assert_int_equal(l.line[2], 6);
	towns_list_free(&l);
}

static void test_refused_files(void **state)
{
	towns_list l;
	char text[200];
	(void)state;
	assert_int_equal(read_towns("", &l), -1);
	assert_int_equal(l.nproblems, 1);
	assert_int_equal(l.problems[0].code, TOWNS_EMPTY);
	towns_list_free(&l);
	assert_int_equal(read_towns("id;name\n1;x\n", &l), -1);
	assert_int_equal(l.problems[0].code, TOWNS_NO_COLUMNS);
	assert_int_equal(l.problems[0].line, 1);
	towns_problem_text(&l.problems[0], text, sizeof text);
	assert_string_equal(text, "the header row needs \"town_id\" and \"town_name\" columns");
	towns_list_free(&l);
	/* a header alone: no town, no problem */
	assert_int_equal(read_towns("town_id,town_name\n", &l), 0);
	assert_int_equal(l.n, 0);
	towns_list_free(&l);
}

static void test_table(void **state)
{
	csv_table t;
	char err[200];
	(void)state;
	assert_int_equal(csv_table_read("juror,name\nj1,Ana\nj2\n", 21, &t, err, sizeof err), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(csv_table_column(&t, "name"), 1);
	assert_int_equal(csv_table_column(&t, "email"), -1);
	assert_string_equal(csv_table_cell(&t, 1, 1), "Ana");
	assert_string_equal(csv_table_cell(&t, 2, 1), ""); /* a short row */
	assert_string_equal(csv_table_cell(&t, 1, -1), "");
	csv_table_free(&t);
	csv_table_free(NULL);
}

static const char *cell(const char *s)
{
	static csvout b;
	free(b.s);
	memset(&b, 0, sizeof b);
	csvout_cell(&b, s, 1);
	assert_false(b.nomem);
	return b.s;
}

static void test_csv_cells(void **state)
{
	(void)state;
	assert_string_equal(cell("Grenoble"), "Grenoble\r\n");
	assert_string_equal(cell("=1+1"), "'=1+1\r\n");
	assert_string_equal(cell("@SUM(A1)"), "'@SUM(A1)\r\n");
	assert_string_equal(cell("+33 1 23"), "'+33 1 23\r\n");
	assert_string_equal(cell("-A1"), "'-A1\r\n");
	assert_string_equal(cell("'=x"), "''=x\r\n"); /* a quote first does not hide the formula */
	/* plain numbers stay numbers */
	assert_string_equal(cell("-12"), "-12\r\n");
	assert_string_equal(cell("+3,5"), "\"+3,5\"\r\n");
	assert_string_equal(cell("1700000000"), "1700000000\r\n");
	/* quoted when a separator, a quote or a line break is inside, or a space at an end */
	assert_string_equal(cell("a,b"), "\"a,b\"\r\n");
	assert_string_equal(cell("say \"hi\""), "\"say \"\"hi\"\"\"\r\n");
	assert_string_equal(cell("two\nlines"), "\"two\nlines\"\r\n");
	assert_string_equal(cell(" x"), "\" x\"\r\n");
	assert_string_equal(cell("=HYPERLINK(\"u\",\"c\")"), "\"'=HYPERLINK(\"\"u\"\",\"\"c\"\")\"\r\n");
	assert_string_equal(cell(NULL), "\r\n");
	assert_string_equal(cell(""), "\r\n");
	csvout b;
	memset(&b, 0, sizeof b);
	csvout_cell(&b, "a", 0);
	csvout_cell(&b, "b", 1);
	assert_string_equal(b.s, "a,b\r\n");
	free(b.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),     cmocka_unit_test(test_every_problem_with_its_line),
		cmocka_unit_test(test_refused_files), cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_table),         cmocka_unit_test(test_csv_cells),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
