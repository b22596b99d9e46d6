/* Form bodies (server/form.c) and the choice of language (server/words.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "form.h"
#include "words.h"

static void parse_ok(const char *body, form *f)
{
	memset(f, 0, sizeof *f);
	assert_int_equal(form_parse(body, strlen(body), f), FORM_OK);
}

static void test_decoding(void **state)
{
	form f;
	(void)state;
	parse_ok("a=1&b=x+y%20z&c=%C3%A9t%C3%A9&&d&e=&a=2", &f);
	assert_int_equal(f.n, 6);
	assert_string_equal(form_get(&f, "a"), "1"); /* the first of two */
	assert_string_equal(form_get(&f, "b"), "x y z");
	assert_string_equal(form_get(&f, "c"), "été");
	assert_string_equal(form_get(&f, "d"), "");
	assert_string_equal(form_get(&f, "e"), "");
	assert_null(form_get(&f, "z"));
	form_clear(&f);
	assert_int_equal(f.n, 0);
	parse_ok("", &f);
	assert_int_equal(f.n, 0);
	form_clear(&f);
	parse_ok("%3Cscript%3E=%22%27%26", &f);
	assert_string_equal(form_get(&f, "<script>"), "\"'&"); /* stored as typed; escaping is html.c's */
	form_clear(&f);
	form_clear(NULL);
}

static void test_refused(void **state)
{
	static const struct {
		const char *body;
		form_status want;
	} cases[] = {
		{"a=%FF", FORM_BAD_TEXT},       /* not UTF-8 */
		{"a=%C3%28", FORM_BAD_TEXT},    /* a cut sequence */
		{"a=%C0%AF", FORM_BAD_TEXT},    /* an overlong '/' */
		{"a=%ED%A0%80", FORM_BAD_TEXT}, /* a surrogate */
		{"a=x%00y", FORM_BAD_TEXT},     /* a NUL */
		{"%00=x", FORM_BAD_TEXT},       /* in a name too */
		{"ok=1&a=%G0", FORM_MALFORMED}, /* not hex */
		{"a=%4", FORM_MALFORMED},       /* cut short */
		{"a=%", FORM_MALFORMED},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		form f = {(form_field *)1, 7};
		assert_int_equal(form_parse(cases[i].body, strlen(cases[i].body), &f), cases[i].want);
		assert_null(f.v); /* refused whole */
		assert_int_equal(f.n, 0);
	}
	/* A raw NUL byte in the body, not escaped. */
	form f;
	assert_int_equal(form_parse("a=x\0y", 5, &f), FORM_BAD_TEXT);
}

static void test_too_many_fields(void **state)
{
	static char body[(FORM_MAX_FIELDS + 1) * 4 + 1];
	form f;
	size_t n = 0;
	(void)state;
	for (size_t i = 0; i < FORM_MAX_FIELDS; i++) {
		memcpy(body + n, "a=1&", 4);
		n += 4;
	}
	assert_int_equal(form_parse(body, n, &f), FORM_OK);
	assert_int_equal(f.n, FORM_MAX_FIELDS);
	form_clear(&f);
	memcpy(body + n, "b=2&", 4);
	assert_int_equal(form_parse(body, n + 4, &f), FORM_MALFORMED);
}

static void test_language(void **state)
{
	(void)state;
	assert_int_equal(words_pick(NULL, NULL), LANG_FR);
	assert_int_equal(words_pick("en", "fr"), LANG_EN);
	assert_int_equal(words_pick("fr", "en"), LANG_FR);
	assert_int_equal(words_pick("de", "en-US,en;q=0.9"), LANG_EN);
	assert_int_equal(words_pick(NULL, "de-DE, en;q=0.5, fr;q=0.7"), LANG_FR);
	assert_int_equal(words_pick(NULL, "de-DE, fr;q=0.5, EN-gb;q=0.7"), LANG_EN);
	assert_int_equal(words_pick(NULL, "es, it"), LANG_FR);
	assert_int_equal(words_pick(NULL, "english, en;q=0"), LANG_FR);
	assert_int_equal(words_pick(NULL, "en;q=0.8, fr;q=0.8"), LANG_EN); /* the first on a tie */
	assert_string_equal(words_code(LANG_EN), "en");
	for (int k = 0; k < W_COUNT; k++) {
		assert_true(words(LANG_FR, (words_key)k)[0] != 0);
		assert_true(words(LANG_EN, (words_key)k)[0] != 0);
	}
	assert_string_equal(words(LANG_EN, W_COUNT), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_too_many_fields),
		cmocka_unit_test(test_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
