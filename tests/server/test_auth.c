/* Tokens, their hashes, constant-time checks, Argon2id passwords, CSRF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth.h"

static int setup(void **state)
{
	(void)state;
	return auth_init() == AUTH_OK && auth_init() == AUTH_OK ? 0 : -1;
}

static void test_token_round_trip(void **state)
{
	(void)state;
	unsigned char raw[AUTH_TOKEN_BYTES], back[AUTH_TOKEN_BYTES], h1[AUTH_HASH_BYTES], h2[AUTH_HASH_BYTES];
	char text[AUTH_TOKEN_TEXT_SIZE];
	size_t i;
	assert_int_equal(auth_token_new(raw, text), AUTH_OK);
	assert_int_equal(strlen(text), 43);
	for (i = 0; text[i]; i++)
		assert_true((text[i] >= 'A' && text[i] <= 'Z') || (text[i] >= 'a' && text[i] <= 'z') ||
			    (text[i] >= '0' && text[i] <= '9') || text[i] == '-' || text[i] == '_');
	assert_int_equal(auth_token_parse(text, back), AUTH_OK);
	assert_memory_equal(raw, back, sizeof raw);
	auth_token_hash(raw, h1);
	assert_int_equal(auth_token_text_hash(text, h2), AUTH_OK);
	assert_memory_equal(h1, h2, sizeof h1);
	/* the hash is not the token */
	assert_memory_not_equal(h1, raw, sizeof h1);
}

static void test_tokens_differ(void **state)
{
	(void)state;
	char a[AUTH_TOKEN_TEXT_SIZE], b[AUTH_TOKEN_TEXT_SIZE];
	auth_token_new(NULL, a);
	auth_token_new(NULL, b);
	assert_string_not_equal(a, b);
}

static void test_token_parse_refuses(void **state)
{
	(void)state;
	unsigned char raw[AUTH_TOKEN_BYTES];
	char text[AUTH_TOKEN_TEXT_SIZE], bad[AUTH_TOKEN_TEXT_SIZE + 1];
	auth_token_new(NULL, text);
	assert_int_equal(auth_token_parse(NULL, raw), AUTH_INVALID);
	assert_int_equal(auth_token_parse("", raw), AUTH_INVALID);
	assert_int_equal(auth_token_parse("abc", raw), AUTH_INVALID);
	/* one character short, one too many */
	memcpy(bad, text, 42);
	bad[42] = '\0';
	assert_int_equal(auth_token_parse(bad, raw), AUTH_INVALID);
	memcpy(bad, text, 43);
	bad[43] = 'A';
	bad[44] = '\0';
	assert_int_equal(auth_token_parse(bad, raw), AUTH_INVALID);
	/* standard base64's '+' and '/', padding, a quote, a NUL inside */
	memcpy(bad, text, 44);
	bad[5] = '+';
	assert_int_equal(auth_token_parse(bad, raw), AUTH_INVALID);
	bad[5] = '/';
	assert_int_equal(auth_token_parse(bad, raw), AUTH_INVALID);
	bad[5] = '=';
	assert_int_equal(auth_token_parse(bad, raw), AUTH_INVALID);
	bad[5] = '\'';
	assert_int_equal(auth_token_parse(bad, raw), AUTH_INVALID);
	/* the last character carries 4 bits: a non-canonical one is refused */
	memcpy(bad, text, 44);
	bad[42] = 'B'; /* 000001: low bits set */
	assert_int_equal(auth_token_parse(bad, raw), AUTH_INVALID);
	bad[42] = 'A';
	assert_int_equal(auth_token_parse(bad, raw), AUTH_OK);
	assert_int_equal(auth_token_text_hash("x' OR 1=1 --", raw), AUTH_INVALID);
}

static void test_equal(void **state)
{
	(void)state;
	unsigned char a[32], b[32];
	memset(a, 7, sizeof a);
	memcpy(b, a, sizeof b);
	assert_true(auth_equal(a, b, 32));
	b[31] ^= 1;
	assert_false(auth_equal(a, b, 32));
	b[31] ^= 1;
	b[0] ^= 0x80;
	assert_false(auth_equal(a, b, 32));
}

static void test_password(void **state)
{
	(void)state;
	char h[AUTH_PASSWORD_HASH_SIZE], h2[AUTH_PASSWORD_HASH_SIZE];
	char long_pw[AUTH_PASSWORD_MAX + 2];
	assert_int_equal(auth_password_hash("correct horse battery staple", AUTH_PW_MIN, h), AUTH_OK);
	assert_memory_equal(h, "$argon2id$", 10);
	assert_int_equal(auth_password_verify(h, "correct horse battery staple"), AUTH_OK);
	assert_int_equal(auth_password_verify(h, "correct horse battery stapl"), AUTH_MISMATCH);
	assert_int_equal(auth_password_verify(h, ""), AUTH_MISMATCH);
	assert_int_equal(auth_password_verify(h, NULL), AUTH_MISMATCH);
	assert_int_equal(auth_password_verify(NULL, "x"), AUTH_MISMATCH);
	assert_int_equal(auth_password_verify("not a hash", "x"), AUTH_MISMATCH);
	/* salted: the same password hashes differently */
	assert_int_equal(auth_password_hash("correct horse battery staple", AUTH_PW_MIN, h2), AUTH_OK);
	assert_string_not_equal(h, h2);
	/* bounded cost: a password past the maximum is refused */
	memset(long_pw, 'a', sizeof long_pw - 1);
	long_pw[sizeof long_pw - 1] = '\0';
	assert_int_equal(auth_password_hash(long_pw, AUTH_PW_MIN, h2), AUTH_INVALID);
	assert_int_equal(auth_password_verify(h, long_pw), AUTH_MISMATCH);
	long_pw[AUTH_PASSWORD_MAX] = '\0';
	assert_int_equal(auth_password_hash(long_pw, AUTH_PW_MIN, h2), AUTH_OK);
	assert_int_equal(auth_password_verify(h2, long_pw), AUTH_OK);
}

/* The interactive limits, once: what a real organizer password costs. */
static void test_password_interactive(void **state)
{
	(void)state;
	char h[AUTH_PASSWORD_HASH_SIZE];
	assert_int_equal(auth_password_hash("s3cret", AUTH_PW_INTERACTIVE, h), AUTH_OK);
	assert_non_null(strstr(h, "m=65536"));
	assert_int_equal(auth_password_verify(h, "s3cret"), AUTH_OK);
}

static void test_csrf(void **state)
{
	(void)state;
	unsigned char session_a[AUTH_TOKEN_BYTES], session_b[AUTH_TOKEN_BYTES];
	char form_a[AUTH_TOKEN_TEXT_SIZE], form_b[AUTH_TOKEN_TEXT_SIZE];
	auth_token_new(session_a, form_a);
	auth_token_new(session_b, form_b);
	assert_int_equal(auth_csrf_check(session_a, form_a), AUTH_OK);
	/* another session's token, a missing one, a forged one */
	assert_int_equal(auth_csrf_check(session_a, form_b), AUTH_MISMATCH);
	assert_int_equal(auth_csrf_check(session_a, NULL), AUTH_INVALID);
	assert_int_equal(auth_csrf_check(session_a, ""), AUTH_INVALID);
	assert_int_equal(auth_csrf_check(session_a, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
			 AUTH_MISMATCH);
	/* the text of a stored secret is what the form carries */
	auth_token_text(session_b, form_a);
	assert_string_equal(form_a, form_b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_round_trip),
		cmocka_unit_test(test_tokens_differ),
		cmocka_unit_test(test_token_parse_refuses),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_password),
		cmocka_unit_test(test_password_interactive),
		cmocka_unit_test(test_csrf),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
