/*
 * Tokens, hashes and passwords through libsodium (see auth.h). The only
 * state is libsodium's own, started by auth_init(); every function here is
 * safe to call from the server's threads.
 */
#include "auth.h"

#include <string.h>

#include <sodium.h>

_Static_assert(AUTH_TOKEN_TEXT_SIZE ==
		       sodium_base64_ENCODED_LEN(AUTH_TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	       "token text size");
_Static_assert(AUTH_PASSWORD_HASH_SIZE == crypto_pwhash_STRBYTES, "password hash size");
_Static_assert(AUTH_HASH_BYTES >= crypto_generichash_BYTES_MIN &&
		       AUTH_HASH_BYTES <= crypto_generichash_BYTES_MAX,
	       "token hash size");

auth_status auth_init(void)
{
	/* sodium_init() is thread-safe and returns 1 once already started. */
	return sodium_init() < 0 ? AUTH_FAILED : AUTH_OK;
}

void auth_token_text(const unsigned char raw[AUTH_TOKEN_BYTES], char text[AUTH_TOKEN_TEXT_SIZE])
{
	sodium_bin2base64(text, AUTH_TOKEN_TEXT_SIZE, raw, AUTH_TOKEN_BYTES,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

auth_status auth_token_new(unsigned char raw[AUTH_TOKEN_BYTES], char text[AUTH_TOKEN_TEXT_SIZE])
{
	unsigned char r[AUTH_TOKEN_BYTES];
	randombytes_buf(r, sizeof r);
	if (raw)
		memcpy(raw, r, sizeof r);
	if (text)
		auth_token_text(r, text);
	sodium_memzero(r, sizeof r);
	return AUTH_OK;
}

auth_status auth_token_parse(const char *text, unsigned char raw[AUTH_TOKEN_BYTES])
{
	size_t n = 0;
	const char *end = NULL;
	if (!text || strlen(text) != AUTH_TOKEN_TEXT_SIZE - 1)
		return AUTH_INVALID;
	if (sodium_base642bin(raw, AUTH_TOKEN_BYTES, text, AUTH_TOKEN_TEXT_SIZE - 1, NULL, &n, &end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != AUTH_TOKEN_BYTES || !end || *end != '\0')
		return AUTH_INVALID;
	return AUTH_OK;
}

void auth_token_hash(const unsigned char raw[AUTH_TOKEN_BYTES], unsigned char hash[AUTH_HASH_BYTES])
{
	/* A token has 256 random bits: a fast unkeyed hash is enough, nothing
	 * can be guessed from it (a password, with few bits, needs Argon2id). */
	crypto_generichash(hash, AUTH_HASH_BYTES, raw, AUTH_TOKEN_BYTES, NULL, 0);
}

auth_status auth_token_text_hash(const char *text, unsigned char hash[AUTH_HASH_BYTES])
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	if (auth_token_parse(text, raw) != AUTH_OK)
		return AUTH_INVALID;
	auth_token_hash(raw, hash);
	sodium_memzero(raw, sizeof raw);
	return AUTH_OK;
}

int auth_equal(const unsigned char *a, const unsigned char *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

auth_status auth_password_hash(const char *password, auth_pw_cost cost, char out[AUTH_PASSWORD_HASH_SIZE])
{
	size_t n = password ? strlen(password) : 0;
	unsigned long long ops =
		cost == AUTH_PW_MIN ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = cost == AUTH_PW_MIN ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	if (!password || n > AUTH_PASSWORD_MAX)
		return AUTH_INVALID;
	/* crypto_pwhash_str() uses Argon2id (crypto_pwhash_ALG_DEFAULT). */
	if (crypto_pwhash_str(out, password, n, ops, mem) != 0)
		return AUTH_FAILED;
	return AUTH_OK;
}

auth_status auth_password_verify(const char *hash, const char *password)
{
	size_t n = password ? strlen(password) : 0;
	if (!hash || !password || n > AUTH_PASSWORD_MAX ||
	    strnlen(hash, AUTH_PASSWORD_HASH_SIZE) == AUTH_PASSWORD_HASH_SIZE)
		return AUTH_MISMATCH;
	return crypto_pwhash_str_verify(hash, password, n) == 0 ? AUTH_OK : AUTH_MISMATCH;
}

auth_status auth_csrf_check(const unsigned char session_csrf[AUTH_TOKEN_BYTES], const char *form_token)
{
	unsigned char raw[AUTH_TOKEN_BYTES];
	int same;
	if (auth_token_parse(form_token, raw) != AUTH_OK)
		return AUTH_INVALID;
	same = auth_equal(raw, session_csrf, AUTH_TOKEN_BYTES);
	sodium_memzero(raw, sizeof raw);
	return same ? AUTH_OK : AUTH_MISMATCH;
}
