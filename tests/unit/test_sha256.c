/* SHA-256 against the FIPS 180-2 appendix B vectors, one-shot and incremental. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void check(const void *data, size_t len, const char *want)
{
	unsigned char d[PALX_SHA256_LEN];
	char hex[PALX_SHA256_HEX_LEN + 1];
	palx_sha256(data, len, d);
	palx_sha256_hex(d, hex);
	assert_string_equal(hex, want);
}

static void test_fips_one_block(void **state)
{
	(void)state;
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_fips_two_blocks(void **state)
{
	(void)state;
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	check(m, strlen(m), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_fips_million_a(void **state)
{
	(void)state;
	size_t n = 1000000;
	char *m = malloc(n);
	assert_non_null(m);
	memset(m, 'a', n);
	check(m, n, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}

static void test_empty(void **state)
{
	(void)state;
	check(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* Padding edge: 55, 56 and 64 bytes put the length in the same or the next block. */
static void test_padding_edges(void **state)
{
	(void)state;
	char m[64];
	memset(m, 'a', sizeof m);
	check(m, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check(m, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	check(m, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

/* Feeding the message in pieces of every size gives the same digest. */
static void test_incremental(void **state)
{
	(void)state;
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	size_t len = strlen(m);
	for (size_t step = 1; step <= len; step++) {
		palx_sha256_ctx c;
		unsigned char d[PALX_SHA256_LEN];
		char hex[PALX_SHA256_HEX_LEN + 1];
		palx_sha256_init(&c);
		for (size_t off = 0; off < len; off += step)
			palx_sha256_update(&c, m + off, off + step <= len ? step : len - off);
		palx_sha256_final(&c, d);
		palx_sha256_hex(d, hex);
		assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	}
}

/* HMAC-SHA-256 against RFC 4231's test cases 1, 2, 4, 6 and 7 (keyed certificate codes). */
static void hmac_check(const void *key, size_t klen, const void *data, size_t len, const char *want)
{
	unsigned char d[PALX_SHA256_LEN];
	char hex[PALX_SHA256_HEX_LEN + 1];
	palx_hmac_sha256_ctx c;
	palx_hmac_sha256_init(&c, key, klen);
	palx_hmac_sha256_update(&c, data, len / 2);
	palx_hmac_sha256_update(&c, (const char *)data + len / 2, len - len / 2);
	palx_hmac_sha256_final(&c, d);
	palx_sha256_hex(d, hex);
	assert_string_equal(hex, want);
}

static void test_hmac_rfc4231(void **state)
{
	(void)state;
	unsigned char k[131], data[50];
	memset(k, 0x0b, 20);
	hmac_check(k, 20, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	hmac_check("Jefe", 4, "what do ya want for nothing?", 28,
	           "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	for (int i = 0; i < 25; i++)
		k[i] = (unsigned char)(i + 1);
	memset(data, 0xcd, sizeof data);
	hmac_check(k, 25, data, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
	memset(k, 0xaa, sizeof k);
	hmac_check(k, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	           "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	static const char text7[] = "This is a test using a larger than block-size key and a larger than "
	                            "block-size data. The key needs to be hashed before being used by the "
	                            "HMAC algorithm.";
	hmac_check(k, 131, text7, sizeof text7 - 1,
	           "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_one_block),
		cmocka_unit_test(test_fips_two_blocks),
		cmocka_unit_test(test_fips_million_a),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_padding_edges),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_hmac_rfc4231),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
