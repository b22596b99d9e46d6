#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "palmares/diag.h"

static void test_format_positions(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	char buf[256];
	assert_non_null(d);
	pal_diags_add(d, PAL_ERROR, "dossiers.csv", 14, 0, "town %s: expected %s", "33449", "a number");
	pal_diags_add(d, PAL_WARNING, "r.json", 3, 7, "unknown");
	pal_diags_add(d, PAL_NOTE, NULL, 0, 0, "plain");
	assert_int_equal(pal_diags_count(d), 3);
	assert_int_equal(pal_diags_errors(d), 1);
	assert_int_equal(pal_diags_warnings(d), 1);
	pal_diag_format(pal_diags_get(d, 0), buf, sizeof buf);
	assert_string_equal(buf, "dossiers.csv:14: error: town 33449: expected a number");
	pal_diag_format(pal_diags_get(d, 1), buf, sizeof buf);
	assert_string_equal(buf, "r.json:3:7: warning: unknown");
	pal_diag_format(pal_diags_get(d, 2), buf, sizeof buf);
	assert_string_equal(buf, "note: plain");
	assert_null(pal_diags_get(d, 3));
	pal_diags_free(d);
	pal_diags_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
