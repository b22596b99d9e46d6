/*
 * Unit tests for engine/csvwrite.c: the two dialects palmares writes CSV in
 * (plain; excel-fr for French Excel) and the quoting every CSV file shares.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvwrite.h"

/* A row of cells written in dialect d, returned as an owned string. */
static char *row(pal_csv_dialect d, const char *const *cells, size_t n, const double *nums, size_t k)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pal_csvw w;
	assert_non_null(f);
	pal_csvw_init(&w, f, d);
	for (size_t i = 0; i < n; i++) {
		if (i)
			pal_csvw_sep(&w);
		pal_csvw_field(&w, cells[i], i == 0);
	}
	for (size_t i = 0; i < k; i++) {
		pal_csvw_sep(&w);
		pal_csvw_num(&w, nums[i]);
	}
	pal_csvw_end(&w);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_excel_fr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
