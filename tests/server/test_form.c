/* Form bodies (server/form.c) and the choice of language (server/words.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
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
		form f = {(form_field *)1, 7, NULL, 0};
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

/* A body as a browser sends it: parts after "--B", closed by "--B--". */
#define B "----WebKitFormBoundaryx7Y"
#define PART(name) "--" B "\r\nContent-Disposition: form-data; name=\"" name "\"\r\n\r\n"

static void test_boundary(void **state)
{
	char b[FORM_BOUNDARY_MAX + 1];
	(void)state;
	assert_int_equal(form_multipart_boundary("multipart/form-data; boundary=" B, b), 0);
	assert_string_equal(b, B);
	assert_int_equal(form_multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\"", b), -1); /* a space */
	assert_int_equal(form_multipart_boundary("multipart/form-data; charset=utf-8; boundary=\"q'(x)\"", b), 0);
	assert_string_equal(b, "q'(x)");
	assert_int_equal(form_multipart_boundary("multipart/form-data", b), -1);
	assert_int_equal(form_multipart_boundary("multipart/form-data; boundary=", b), -1);
	assert_int_equal(form_multipart_boundary("multipart/form-data; boundary=\"open", b), -1);
	assert_int_equal(form_multipart_boundary("multipart/mixed; boundary=x", b), -1);
	assert_int_equal(form_multipart_boundary("application/x-www-form-urlencoded", b), -1);
	assert_int_equal(form_multipart_boundary(NULL, b), -1);
	char longer[120] = "multipart/form-data; boundary=";
	memset(longer + strlen(longer), 'x', 71);
	assert_int_equal(form_multipart_boundary(longer, b), -1); /* 71 > 70 */
	longer[strlen(longer) - 1] = 0;
	assert_int_equal(form_multipart_boundary(longer, b), 0);
}

static void test_multipart(void **state)
{
	static const char body[] =
		"preamble, ignored\r\n"
		PART("csrf") "tok\r\n"
		PART("note") "\xc3\xa9t\xc3\xa9\r\nline 2\r\n"
		"--" B "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"C:\\\\dir\\\\dossier %22x%22.csv\"\r\n"
		"Content-Type: text/csv\r\n\r\n"
		"town_id;town_name\r\n\x00\xff bytes kept\r\n"
		"--" B "\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
		"Content-Type: application/octet-stream\r\n\r\n"
		"\r\n--" B "--\r\nepilogue";
	form f;
	(void)state;
	assert_int_equal(form_parse_multipart(body, sizeof body - 1, B, &f), FORM_OK);
	assert_int_equal(f.n, 2);
	assert_string_equal(form_get(&f, "csrf"), "tok");
	assert_string_equal(form_get(&f, "note"), "été\r\nline 2");
	assert_int_equal(f.nfiles, 1); /* the empty file input is not kept */
	const form_file *file = form_get_file(&f, "file");
	assert_non_null(file);
	assert_string_equal(file->filename, "dossier \"x\".csv"); /* the last path component, %22 decoded */
	assert_string_equal(file->type, "text/csv");
	assert_int_equal(file->len, 32);
	assert_memory_equal(file->data, "town_id;town_name\r\n\x00\xff bytes kept", 32);
	assert_null(form_get_file(&f, "empty"));
	form_clear(&f);
	assert_int_equal(f.nfiles, 0);
	/* Starting right at the first delimiter, with transport padding after one. */
	static const char tight[] = "--" B "  \r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--" B "--";
	assert_int_equal(form_parse_multipart(tight, sizeof tight - 1, B, &f), FORM_OK);
	assert_string_equal(form_get(&f, "a"), "1");
	form_clear(&f);
}

#define CASE(body, want) {body, sizeof body - 1, want}
static void test_multipart_refused(void **state)
{
	static const struct {
		const char *body;
		size_t len;
		form_status want;
	} cases[] = {
		CASE("", FORM_MALFORMED),
		CASE("no delimiter at all", FORM_MALFORMED),
		CASE(PART("a") "1", FORM_MALFORMED),                        /* cut short: no closing delimiter */
		CASE(PART("a") "1\r\n--" B, FORM_MALFORMED),                /* neither "--" nor CRLF after it */
		CASE("--" B "\r\n\r\n1\r\n--" B "--", FORM_MALFORMED),      /* no headers, so no name */
		CASE("--" B "\r\nContent-Type: text/plain\r\n\r\n1\r\n--" B "--", FORM_MALFORMED),
		CASE("--" B "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\n1\r\n--" B "--", FORM_MALFORMED),
		CASE("--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--" B "--", FORM_MALFORMED),
		CASE("--" B "\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\n1\r\n--" B "--", FORM_MALFORMED),
		CASE("--" B "\r\nContent-Disposition form-data\r\n\r\n1\r\n--" B "--", FORM_MALFORMED),
		CASE("--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n", FORM_MALFORMED),
		CASE(PART("a") "\xc3(\r\n--" B "--", FORM_BAD_TEXT),          /* a text field: UTF-8 */
		CASE(PART("a") "x\x00y\r\n--" B "--", FORM_BAD_TEXT),
		CASE(PART("\xff") "1\r\n--" B "--", FORM_BAD_TEXT),
		CASE("--" B "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\xff\"\r\n\r\n1\r\n--" B "--",
		     FORM_BAD_TEXT),
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		form f;
		assert_int_equal(form_parse_multipart(cases[i].body, cases[i].len, B, &f), cases[i].want);
		assert_null(f.v);
		assert_null(f.files);
	}
	form f;
	assert_int_equal(form_parse_multipart("x", 1, "", &f), FORM_MALFORMED);
}

static void test_multipart_too_many(void **state)
{
	size_t one = strlen(PART("a") "1\r\n"), cap = one * (FORM_MAX_FIELDS + 1) + 64;
	char *body = malloc(cap);
	form f;
	(void)state;
	assert_non_null(body);
	for (size_t n = FORM_MAX_FIELDS; n <= FORM_MAX_FIELDS + 1; n++) {
		size_t len = 0;
		for (size_t i = 0; i < n; i++) {
			memcpy(body + len, PART("a") "1\r\n", one);
			len += one;
		}
		memcpy(body + len, "--" B "--", strlen("--" B "--"));
		len += strlen("--" B "--");
		assert_int_equal(form_parse_multipart(body, len, B, &f),
				 n == FORM_MAX_FIELDS ? FORM_OK : FORM_MALFORMED);
		if (n == FORM_MAX_FIELDS)
			assert_int_equal(f.n, FORM_MAX_FIELDS);
		form_clear(&f);
	}
	free(body);
}

static void test_decimal(void **state)
{
	char fr[] = "95.32 / 99", en[] = "95.32", none[] = "12";
	(void)state;
	words_decimal(LANG_FR, fr);
	words_decimal(LANG_EN, en);
	words_decimal(LANG_FR, none);
	assert_string_equal(fr, "95,32 / 99");
	assert_string_equal(en, "95.32");
	assert_string_equal(none, "12");
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
		cmocka_unit_test(test_boundary),
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_multipart_refused),
		cmocka_unit_test(test_multipart_too_many),
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_decimal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
