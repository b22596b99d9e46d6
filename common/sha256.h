/*
 * SHA-256 (FIPS 180-4), private to libpalmares.
 *
 * Used for the rubric's fingerprint in results (sha256 of the rubric file's
 * bytes, lowercase hex) and for certificate verification codes (reports/).
 * Small and dependency-free on purpose: the project needs one hash, not a
 * crypto library.
 */
#ifndef PALMARES_SHA256_H
#define PALMARES_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define PALX_SHA256_LEN 32
#define PALX_SHA256_HEX_LEN 64

typedef struct palx_sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;          /* message length so far */
	unsigned char buf[64];   /* pending partial block */
	size_t fill;
} palx_sha256_ctx;

void palx_sha256_init(palx_sha256_ctx *c);
/* Feeds len bytes; data may be NULL when len is 0. */
void palx_sha256_update(palx_sha256_ctx *c, const void *data, size_t len);
/* Writes the digest into out; the context must be initialised again before reuse. */
void palx_sha256_final(palx_sha256_ctx *c, unsigned char out[PALX_SHA256_LEN]);

/* One-shot digest of data[0..len). */
void palx_sha256(const void *data, size_t len, unsigned char out[PALX_SHA256_LEN]);

/*
 * HMAC-SHA-256 (RFC 2104): keyed certificate codes (docs/verification-code.md).
 * A key longer than the 64-byte block is hashed first, as the RFC says.
 */
typedef struct palx_hmac_sha256_ctx {
	palx_sha256_ctx inner, outer;
} palx_hmac_sha256_ctx;

void palx_hmac_sha256_init(palx_hmac_sha256_ctx *c, const void *key, size_t keylen);
void palx_hmac_sha256_update(palx_hmac_sha256_ctx *c, const void *data, size_t len);
/* Writes the MAC into out and wipes the context (it held the key). */
void palx_hmac_sha256_final(palx_hmac_sha256_ctx *c, unsigned char out[PALX_SHA256_LEN]);

/* Writes the digest as 64 lowercase hex digits plus a NUL into hex. */
void palx_sha256_hex(const unsigned char digest[PALX_SHA256_LEN], char hex[PALX_SHA256_HEX_LEN + 1]);

#endif
