/*
 * Secrets of the web front, all from libsodium:
 *  - tokens (invitation links, session cookies, CSRF): 256 random bits,
 *    shown as URL-safe base64 without padding (43 characters), stored only
 *    as their BLAKE2b hash (crypto_generichash), so that a copy of the
 *    database opens no session;
 *  - comparisons of secrets in constant time (sodium_memcmp);
 *  - organizer passwords hashed with Argon2id (crypto_pwhash_str).
 * auth_init() must have succeeded before any other call; it may be called
 * more than once, from any thread.
 */
#ifndef PALMARES_SERVER_AUTH_H
#define PALMARES_SERVER_AUTH_H

#include <stddef.h>

#define AUTH_TOKEN_BYTES 32         /* 256 bits */
#define AUTH_TOKEN_TEXT_SIZE 44     /* 43 base64 characters and the NUL */
#define AUTH_HASH_BYTES 32          /* what the store keeps of a token */
#define AUTH_PASSWORD_HASH_SIZE 128 /* crypto_pwhash_STRBYTES: an Argon2id string and its NUL */
#define AUTH_PASSWORD_MAX 1024      /* longer passwords are refused, to bound the hashing cost */

typedef enum {
	AUTH_OK = 0,
	AUTH_FAILED,   /* libsodium could not start, or hashing failed (out of memory) */
	AUTH_INVALID,  /* a token that is not 43 URL-safe base64 characters; a password too long */
	AUTH_MISMATCH, /* a password or CSRF token that does not match */
} auth_status;

/* How much Argon2id costs: the interactive limits for real passwords, the
 * minimum for tests (never for a stored password). */
typedef enum { AUTH_PW_INTERACTIVE, AUTH_PW_MIN } auth_pw_cost;

/* Starts libsodium once. AUTH_OK or AUTH_FAILED. */
auth_status auth_init(void);

/* A new random token: its bytes in raw (may be NULL) and its text in text. */
auth_status auth_token_new(unsigned char raw[AUTH_TOKEN_BYTES], char text[AUTH_TOKEN_TEXT_SIZE]);

/* Reads a token from its text (a link, a cookie, a form): AUTH_OK and its
 * bytes in raw, or AUTH_INVALID for anything but 43 URL-safe base64 characters. */
auth_status auth_token_parse(const char *text, unsigned char raw[AUTH_TOKEN_BYTES]);

/* The hash under which the store keeps a token. */
void auth_token_hash(const unsigned char raw[AUTH_TOKEN_BYTES], unsigned char hash[AUTH_HASH_BYTES]);

/* The hash of a token given as text: AUTH_OK, or AUTH_INVALID. */
auth_status auth_token_text_hash(const char *text, unsigned char hash[AUTH_HASH_BYTES]);

/* 1 when the two n-byte secrets are equal, compared in constant time. */
int auth_equal(const unsigned char *a, const unsigned char *b, size_t n);

/* The Argon2id string of password (NUL-terminated) into out. AUTH_OK,
 * AUTH_INVALID when longer than AUTH_PASSWORD_MAX, AUTH_FAILED when out of memory. */
auth_status auth_password_hash(const char *password, auth_pw_cost cost, char out[AUTH_PASSWORD_HASH_SIZE]);

/* Checks password against a string of auth_password_hash(): AUTH_OK or
 * AUTH_MISMATCH (also for a malformed hash or a password too long). */
auth_status auth_password_verify(const char *hash, const char *password);

/* The CSRF check of a POST: the token text the form carried against the CSRF
 * secret stored with the session (made by auth_token_new()), in constant
 * time. AUTH_OK, AUTH_MISMATCH, or AUTH_INVALID for a malformed token. */
auth_status auth_csrf_check(const unsigned char session_csrf[AUTH_TOKEN_BYTES], const char *form_token);

/* The text of a CSRF secret, to put in a form. */
void auth_token_text(const unsigned char raw[AUTH_TOKEN_BYTES], char text[AUTH_TOKEN_TEXT_SIZE]);

#endif
