/* Web text: the strict UTF-8 decoder and the cleaner that mirrors the documents'. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "webtext.h"

static void check_clean(const char *in, size_t len, unsigned flags, const char *want)
{
	size_t n = 0;
	char *out = webtext_clean(in, len, flags, &n);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	free(out);
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(webtext_utf8_valid("", 0));
	assert_true(webtext_utf8_valid("Bézier €", strlen("Bézier €")));
	assert_true(webtext_utf8_valid("\xf0\x9f\x98\x80", 4));  /* U+1F600 */
	assert_false(webtext_utf8_valid("\xc0\xaf", 2));         /* overlong "/" */
	assert_false(webtext_utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
	assert_false(webtext_utf8_valid("\xed\xa0\x80", 3));     /* surrogate U+D800 */
	assert_false(webtext_utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */
	assert_false(webtext_utf8_valid("\xc3", 1));             /* truncated */
	assert_false(webtext_utf8_valid("\xff", 1));
	assert_false(webtext_utf8_valid("a\x80z", 3));
}

static void test_clean_removes(void **state)
{
	(void)state;
	/* controls, DEL, C1 */
	check_clean("a\x01"
		    "b\x7f"
		    "c\xc2\x85"
		    "d",
		    8, 0, "abcd");
	/* bidi overrides and isolates: "evil\u202Etxt.exe" */
	check_clean("evil\xe2\x80\xaetxt.exe", strlen("evil\xe2\x80\xaetxt.exe"), 0, "eviltxt.exe");
	check_clean("\xe2\x81\xa6x\xe2\x81\xa9", 7, 0, "x");
	/* zero-width space, BOM, soft hyphen: "Par\u200bis" is "Paris" */
	check_clean("Par\xe2\x80\x8bis\xef\xbb\xbf", strlen("Par\xe2\x80\x8bis\xef\xbb\xbf"), 0, "Paris");
	check_clean("Pa\xc2\xadris", strlen("Pa\xc2\xadris"), 0, "Paris");
	/* a zero-width joiner after a Latin letter hides a difference; after Arabic it shapes */
	check_clean("Pa\xe2\x80\x8dris", strlen("Pa\xe2\x80\x8dris"), 0, "Paris");
	check_clean("\xd9\x84\xe2\x80\x8d", 5, 0, "\xd9\x84\xe2\x80\x8d");
}

static void test_clean_replaces_invalid(void **state)
{
	(void)state;
	check_clean("a\xffz", 3, 0, "a\xef\xbf\xbdz");
	check_clean("\xc0\xaf", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd");
	/* a NUL inside the length is a control: removed */
	check_clean("a\0b", 3, 0, "ab");
}

static void test_clean_lines(void **state)
{
	(void)state;
	check_clean("a\tb\nc\r\nd", 8, 0, "a b c d");
	check_clean("a\r\nb\rc\nd", 8, WEBTEXT_MULTILINE, "a\nb\nc\nd");
	/* names: trimmed after cleaning, inner spaces kept */
	check_clean(" \t Saint  Malo\xe2\x80\x8b \n", 19, WEBTEXT_TRIM, "Saint  Malo");
	check_clean("   ", 3, WEBTEXT_TRIM, "");
	check_clean("\xe2\x80\xae", 3, WEBTEXT_TRIM, "");
	check_clean("a\xe2\x80\xa8"
		    "b",
		    5, 0, "a b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_clean_removes),
		cmocka_unit_test(test_clean_replaces_invalid),
		cmocka_unit_test(test_clean_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
