/*
 * Unit tests for engine/csvwrite.c: the two dialects palmares writes CSV in
 * (plain; excel-fr for French Excel), the quoting every CSV file shares, and
 * formula cells neutralised in every column and restored by the reader
 * (issue 19, item 5).
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

#include "csvread.h"
#include "csvwrite.h"
#include "palmares/text.h"

/* A row of cells written in dialect d, returned as an owned string. */
static char *row(pal_csv_dialect d, const char *const *cells, size_t n, const double *nums, size_t k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pal_csvw w;
	assert_non_null(f);
	eng_csvw_init(&w, f, d);
	for (size_t i = 0; i < n; i++) {
		if (i)
			eng_csvw_sep(&w);
		eng_csvw_field(&w, cells[i]);
	}
	for (size_t i = 0; i < k; i++) {
		eng_csvw_sep(&w);
		eng_csvw_num(&w, nums[i]);
	}
	eng_csvw_end(&w);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_plain(void **state)
{
	(void)state;
	const char *cells[] = {"=1+1", "a,b", "c;d", "say \"hi\"", " edge", "Île"};
	const double nums[] = {61.5, 100, 0.05};
	char *s = row(PAL_CSV_PLAIN, cells, 6, nums, 3);
	assert_string_equal(s, "'=1+1,\"a,b\",\"c;d\",\"say \"\"hi\"\"\",\" edge\",Île,61.5,100,0.05\n");
	free(s);
}

static void test_excel_fr(void **state)
{
	(void)state;
	const char *cells[] = {"Saint-Jean", "a,b", "c;d"};
	const double nums[] = {61.5, -1.25, 12};
	char *s = row(PAL_CSV_EXCEL_FR, cells, 3, nums, 3);
	/* the byte order mark, ';' between cells, decimal commas (never quoted: ',' is no separator here) */
	assert_string_equal(s, "\xef\xbb\xbfSaint-Jean;\"a,b\";\"c;d\";61,5;-1,25;12\n");
	free(s);
}

/* The cells an attacker would plant, each in any column, and cells that must stay as they are. */
static const char *const hostile[] = {
	"=1+1", "=HYPERLINK(\"http://x\",\"Click\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-",
	"'=1+1", "''@x", "-3", "+1.5", "-2,5", "12", "O'Neil", "'quoted'", "a-b", "",
};

static void test_formula_neutralised(void **state)
{
	(void)state;
	size_t n = sizeof hostile / sizeof hostile[0];
	char *s = row(PAL_CSV_PLAIN, hostile, n, NULL, 0);
	assert_string_equal(s, "'=1+1,\"'=HYPERLINK(\"\"http://x\"\",\"\"Click\"\")\",'+1+1,'-2+3,'@SUM(A1),"
	                       "\"'\tx\",\"'\rx\",'-,''=1+1,'''@x,-3,+1.5,\"-2,5\",12,O'Neil,'quoted',a-b,\n");
	free(s);
	/* numbers stay numbers: a number cell is never touched */
	const double nums[] = {-3, -0.5};
	s = row(PAL_CSV_EXCEL_FR, NULL, 0, nums, 2);
	assert_string_equal(s, "\xef\xbb\xbf;-3;-0,5\n");
	free(s);
}

typedef struct got {
	size_t n;
	char cells[32][64];
} got;

static int keep_row(void *ctx, const pal_csv_record *rec)
{
	got *g = ctx;
	for (size_t i = 0; i < rec->n && i < 32; i++)
		snprintf(g->cells[i], sizeof g->cells[i], "%s", rec->fields[i]);
	g->n = rec->n;
	return 0;
}

/* What was written reads back as it was, in both dialects: a filled sheet gives back its values. */
static void test_formula_round_trip(void **state)
{
	(void)state;
	size_t n = sizeof hostile / sizeof hostile[0];
	for (int d = 0; d < 2; d++) {
		char path[] = "/tmp/palmares-csvw-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		char *s = row(d ? PAL_CSV_EXCEL_FR : PAL_CSV_PLAIN, hostile, n, NULL, 0);
		assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
		close(fd);
		free(s);
		got g = {0};
		pal_diags *diags = pal_diags_new();
		assert_int_equal(eng_csv_read(path, NULL, keep_row, &g, diags), 0);
		assert_int_equal(g.n, n);
		for (size_t i = 0; i < n; i++)
			assert_string_equal(g.cells[i], hostile[i]);
		pal_diags_free(diags);
		unlink(path);
	}
}

/* The public predicate the web front's CSV uses is the writer's own rule. */
static void test_public_formula_rule(void **state)
{
	static const char *const cells[] = {"=1+1", "@SUM(A1)", "\tx", "\rx", "+33 1 23", "-x", "'=x", "''@x",
					    "-5", "+3,5", "-0.25", "12", "", "'", "Saint-Denis", "- 5", "1-2"};
	static const int want[] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	(void)state;
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		assert_int_equal(pal_text_csv_formula(cells[i], strlen(cells[i])), want[i]);
		assert_int_equal(eng_csv_formula(cells[i], strlen(cells[i])), want[i]);
	}
	assert_int_equal(pal_text_csv_formula(NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_excel_fr),
		cmocka_unit_test(test_formula_neutralised),
		cmocka_unit_test(test_formula_round_trip),
		cmocka_unit_test(test_public_formula_rule),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
