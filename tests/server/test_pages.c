/*
 * The links and numbers every page writes the same way (pages.h):
 * page_path() percent-encodes a town id whatever it holds, page_with_lang()
 * keeps a language chosen by the query, page_number() writes at most two
 * decimals with the page's decimal mark.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "pages.h"

static void test_path(void **state)
{
	(void)state;
	char buf[64];
	assert_string_equal(page_path("/jury/dossier/", "75056", buf, sizeof buf), "/jury/dossier/75056");
	/* every byte but the unreserved ones, UTF-8 included, as %XX: no '/', '?', '#' or space gets through */
	assert_string_equal(page_path("/d/", "a/b?c#d e~f_g.h-i", buf, sizeof buf), "/d/a%2Fb%3Fc%23d%20e~f_g.h-i");
	assert_string_equal(page_path("/d/", "Saint-Médard", buf, sizeof buf), "/d/Saint-M%C3%A9dard");
	assert_string_equal(page_path("/d/", "", buf, sizeof buf), "/d/");
	/* cut, never past the buffer, never half an escape */
	char small[8];
	page_path("/d/", "%%%%%%", small, sizeof small);
	assert_string_equal(small, "/d/%25");
	page_path("/a-long-prefix/", "x", small, sizeof small);
	assert_int_equal(strlen(small), sizeof small - 1);
}

static void test_with_lang(void **state)
{
	(void)state;
	char buf[64];
	http_req r;
	memset(&r, 0, sizeof r);
	r.lang = LANG_EN;
	assert_string_equal(page_with_lang(&r, "/organizer", buf, sizeof buf), "/organizer");
	r.lang_in_query = 1;
	assert_string_equal(page_with_lang(&r, "/organizer", buf, sizeof buf), "/organizer?lang=en");
	assert_string_equal(page_with_lang(&r, "/organizer/scores?page=2", buf, sizeof buf),
			    "/organizer/scores?page=2&lang=en");
}

static void test_number(void **state)
{
	(void)state;
	char buf[32];
	http_req r;
	memset(&r, 0, sizeof r);
	r.lang = LANG_FR;
	page_number(&r, 12.5, buf, sizeof buf);
	assert_string_equal(buf, "12,5");
	page_number(&r, 3.0, buf, sizeof buf);
	assert_string_equal(buf, "3");
	page_number(&r, -0.001, buf, sizeof buf);
	assert_string_equal(buf, "0");
	r.lang = LANG_EN;
	page_number(&r, 2.0 / 3.0, buf, sizeof buf);
	assert_string_equal(buf, "0.67");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_with_lang),
		cmocka_unit_test(test_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
