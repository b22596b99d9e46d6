#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * pal_diags_print writes in 64 KiB batches: every message from `from` on,
 * whole and in order, as pal_diag_format puts it, across batch boundaries
 * and for a message longer than a batch.
 */
static const char *to_french(const char *msgid)
{
	if (strcmp(msgid, "removed: %s") == 0)
		return "supprimé : %s";
	if (strcmp(msgid, "Permission denied") == 0)
		return "permission refusée";
	return NULL; /* no translation: the English stays */
}

/* A translation set on a list words the formats added from then on, until it is put back. */
static void test_translate(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	assert_non_null(d);
	assert_string_equal(pal_diags_tr(d, "Permission denied"), "Permission denied");
	assert_null(pal_diags_set_translate(d, to_french));
	pal_diags_add(d, PAL_NOTE, "a.pdf", 0, 0, "removed: %s", pal_diags_tr(d, "Permission denied"));
	pal_diags_add(d, PAL_NOTE, "b.pdf", 0, 0, "left: %d", 2);
	assert_ptr_equal(pal_diags_set_translate(d, NULL), to_french);
	pal_diags_add(d, PAL_NOTE, "c.pdf", 0, 0, "removed: %s", "x");
	assert_string_equal(pal_diags_get(d, 0)->text, "supprimé : permission refusée");
	assert_string_equal(pal_diags_get(d, 1)->text, "left: 2");
	assert_string_equal(pal_diags_get(d, 2)->text, "removed: x");
	assert_null(pal_diags_set_translate(NULL, to_french));
	assert_string_equal(pal_diags_tr(NULL, "x"), "x");
	pal_diags_free(d);
}

static void test_print_batches(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	size_t long_len = 100 * 1024, n = 0, want_len = 0;
	char *big = malloc(long_len + 1), *got = NULL, *want = malloc(4 << 20), line[256];
	assert_non_null(d);
	assert_non_null(big);
	assert_non_null(want);
	memset(big, 'x', long_len);
	big[long_len] = '\0';
	pal_diags_add(d, PAL_NOTE, NULL, 0, 0, "skipped: before from");
	for (int i = 0; i < 3000; i++) {
		pal_diags_add(d, i % 3 ? PAL_WARNING : PAL_ERROR, i % 2 ? "marks.csv" : NULL, i, i % 5,
		              "message %d", i);
		if (i == 1500)
			pal_diags_add(d, PAL_ERROR, "long.csv", 7, 0, "%s", big);
	}
	for (size_t i = 1; i < pal_diags_count(d); i++) {
		const pal_diag *g = pal_diags_get(d, i);
		if (strlen(g->text) > 1000) {
			want_len += (size_t)snprintf(want + want_len, (4 << 20) - want_len, "long.csv:7: error: %s\n", big);
			continue;
		}
		pal_diag_format(g, line, sizeof line);
		want_len += (size_t)snprintf(want + want_len, (4 << 20) - want_len, "%s\n", line);
	}
	FILE *f = open_memstream(&got, &n);
	assert_non_null(f);
	pal_diags_print(d, 1, f);
	fclose(f);
	assert_int_equal(n, want_len);
	assert_memory_equal(got, want, n);
	free(got);
	free(want);
	free(big);
	pal_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_positions),
		cmocka_unit_test(test_print_batches),
		cmocka_unit_test(test_translate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
