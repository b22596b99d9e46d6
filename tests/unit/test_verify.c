/*
 * Verification codes (docs/verification-code.md): known vectors computed
 * independently (Python hashlib, see the doc), mention order independence,
 * sensitivity to every input, and normalization of typed codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "palmares/documents.h"

static const char *const A64 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static void test_vectors(void **state)
{
	(void)state;
	char out[PAL_CODE_SIZE];
	const char *m2[] = {"logiciel-libre", "accessibilite"};
	const char *m1[] = {"x"};
	assert_int_equal(pal_doc_code(A64, "33449", 4, m2, 2, out), 0);
	assert_string_equal(out, "2N4Q-F98Z-AJR9");
	assert_int_equal(pal_doc_code(A64, "33449", 4, NULL, 0, out), 0);
	assert_string_equal(out, "VWTQ-S8YW-AYFW");
	assert_int_equal(pal_doc_code("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	                              "2A004", 1, m1, 1, out), 0);
	assert_string_equal(out, "6ZAW-KFQ0-X06Z");
}

/* Keyed codes (issue 19, item 18): vectors from the Python of docs/verification-code.md. */
static void test_keyed_vectors(void **state)
{
	(void)state;
	static const char key[] = "correct horse battery staple";
	char out[PAL_CODE_SIZE], plain[PAL_CODE_SIZE], longkey[100];
	const char *m2[] = {"logiciel-libre", "accessibilite"};
	assert_int_equal(pal_doc_code_keyed(key, sizeof key - 1, A64, "33449", 4, m2, 2, out), 0);
	assert_string_equal(out, "K6RD-79WM-9EPQ");
	assert_int_equal(pal_doc_code_keyed(key, sizeof key - 1, A64, "33449", 4, NULL, 0, out), 0);
	assert_string_equal(out, "PDZK-C2PM-WWA6");
	memset(longkey, 'x', sizeof longkey); /* longer than a block: hashed first */
	assert_int_equal(pal_doc_code_keyed(longkey, sizeof longkey, A64, "33449", 4, NULL, 0, out), 0);
	assert_string_equal(out, "E0WS-A3ZM-A2YC");
	/* no secret: the unkeyed code */
	assert_int_equal(pal_doc_code_keyed(NULL, 0, A64, "33449", 4, m2, 2, out), 0);
	assert_int_equal(pal_doc_code(A64, "33449", 4, m2, 2, plain), 0);
	assert_string_equal(out, plain);
	assert_string_equal(out, "2N4Q-F98Z-AJR9");
}

static void test_mention_order(void **state)
{
	(void)state;
	char a[PAL_CODE_SIZE], b[PAL_CODE_SIZE];
	const char *m[] = {"logiciel-libre", "accessibilite"};
	const char *r[] = {"accessibilite", "logiciel-libre"};
	pal_doc_code(A64, "33449", 4, m, 2, a);
	pal_doc_code(A64, "33449", 4, r, 2, b);
	assert_string_equal(a, b);
}

/* Each input changes the code: rubric, town, level, mentions. */
static void test_sensitivity(void **state)
{
	(void)state;
	char base[PAL_CODE_SIZE], other[PAL_CODE_SIZE];
	const char *m[] = {"logiciel-libre"};
	const char *m2[] = {"logiciel-libre", "sobriete"};
	char sha[65];
	memcpy(sha, A64, 65);
	sha[63] = 'b';
	pal_doc_code(A64, "33449", 4, m, 1, base);
	pal_doc_code(sha, "33449", 4, m, 1, other);
	assert_string_not_equal(base, other);
	pal_doc_code(A64, "33448", 4, m, 1, other);
	assert_string_not_equal(base, other);
	pal_doc_code(A64, "33449", 3, m, 1, other);
	assert_string_not_equal(base, other);
	pal_doc_code(A64, "33449", 4, m2, 2, other);
	assert_string_not_equal(base, other);
	pal_doc_code(A64, "33449", 4, NULL, 0, other);
	assert_string_not_equal(base, other);
}

static void test_normalize(void **state)
{
	(void)state;
	char out[PAL_CODE_SIZE];
	assert_int_equal(pal_doc_code_normalize("2n4q-f98z-ajr9", out), 0);
	assert_string_equal(out, "2N4Q-F98Z-AJR9");
	assert_int_equal(pal_doc_code_normalize("2N4QF98ZAJR9", out), 0);
	assert_string_equal(out, "2N4Q-F98Z-AJR9");
	assert_int_equal(pal_doc_code_normalize(" 2N4Q F98Z AJR9 ", out), 0);
	assert_string_equal(out, "2N4Q-F98Z-AJR9");
	/* Crockford: I and L read as 1, O as 0. */
	assert_int_equal(pal_doc_code_normalize("ilo0-IlOo-1111", out), 0);
	assert_string_equal(out, "1100-1100-1111");
	assert_int_equal(pal_doc_code_normalize("2N4Q-F98Z-AJRU", out), -1); /* no U */
	assert_int_equal(pal_doc_code_normalize("2N4Q-F98Z-AJR", out), -1);  /* 11 symbols */
	assert_int_equal(pal_doc_code_normalize("2N4Q-F98Z-AJR99", out), -1); /* 13 symbols */
	assert_int_equal(pal_doc_code_normalize("", out), -1);
	assert_int_equal(pal_doc_code_normalize("2N4Q_F98Z_AJR9", out), -1);
	assert_int_equal(pal_doc_code_normalize("2N4Q-F98Z-AJ\xc3\xa9", out), -1);
}

/* A document that cannot be written says why in French too: cairo's status words are in the catalogue. */
static void test_cairo_words(void **state)
{
	(void)state;
	static const char *const words[] = {"out of memory", "error while writing to output stream",
	                                    "invalid value (typically too big) for the size of the input "
	                                    "(surface, pattern, etc.)", "error occurred in libfreetype"};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		const char *fr = pal_doc_gettext("fr", words[i]);
		assert_non_null(fr);
		assert_string_not_equal(fr, words[i]);
		assert_string_equal(pal_doc_gettext("en", words[i]), words[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_keyed_vectors),
		cmocka_unit_test(test_mention_order),
		cmocka_unit_test(test_sensitivity),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_cairo_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
