/*
 * Certificate verification codes (docs/verification-code.md).
 *
 * code = the first 60 bits of
 *   SHA-256("palmares-certificate/1" NUL rubric-sha256-hex NUL town-id NUL
 *           level-decimal [NUL mention-id]...)
 * with the mention ids sorted bytewise, written as 12 Crockford base32
 * symbols, most significant first, grouped XXXX-XXXX-XXXX.
 *
 * With a campaign secret (docs/verification-code.md, "Keyed codes") the
 * digest is HMAC-SHA-256 keyed with the secret, over the same fields behind
 * the tag "palmares-certificate-keyed/1": without the secret nobody can
 * compute a town's code from the published results.
 *
 * When this definition changes, bump the "/1" domain tag, and update
 * docs/verification-code.md, tests/unit/test_verify.c and code_of() in
 * tests/cli/documents.py together.
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "sha256.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The digest being computed: SHA-256, or HMAC-SHA-256 when keyed. */
typedef struct hasher {
	int keyed;
	palx_sha256_ctx sha;
	palx_hmac_sha256_ctx mac;
} hasher;

static void feed(hasher *h, const void *data, size_t len)
{
	if (h->keyed)
		palx_hmac_sha256_update(&h->mac, data, len);
	else
		palx_sha256_update(&h->sha, data, len);
}

int pal_doc_code_keyed(const void *secret, size_t secret_len, const char *rubric_sha256,
                       const char *town_id, int level, const char *const *mentions, size_t nmentions,
                       char out[PAL_CODE_SIZE])
{
	static const char tag[] = "palmares-certificate/1";
	static const char keyed_tag[] = "palmares-certificate-keyed/1";
	const char **sorted = malloc((nmentions ? nmentions : 1) * sizeof(char *));
	unsigned char d[32];
	char num[16];
	hasher h;
	if (!sorted)
		return -1;
	if (nmentions)
		memcpy(sorted, mentions, nmentions * sizeof(char *));
	qsort(sorted, nmentions, sizeof(char *), cmp_str);
	snprintf(num, sizeof num, "%d", level);
	h.keyed = secret_len > 0;
	if (h.keyed) {
		palx_hmac_sha256_init(&h.mac, secret, secret_len);
		feed(&h, keyed_tag, sizeof keyed_tag); /* includes its NUL separator */
	} else {
		palx_sha256_init(&h.sha);
		feed(&h, tag, sizeof tag);
	}
	feed(&h, rubric_sha256, strlen(rubric_sha256) + 1);
	feed(&h, town_id, strlen(town_id) + 1);
	feed(&h, num, strlen(num));
	for (size_t i = 0; i < nmentions; i++) {
		feed(&h, "", 1);
		feed(&h, sorted[i], strlen(sorted[i]));
	}
	if (h.keyed)
		palx_hmac_sha256_final(&h.mac, d);
	else
		palx_sha256_final(&h.sha, d);
	free(sorted);
	uint64_t bits = 0;
	for (int i = 0; i < 8; i++)
		bits = bits << 8 | d[i];
	bits >>= 4; /* the first 60 bits */
	for (int i = 0, o = 0; i < PAL_CODE_SYMBOLS; i++) {
		if (i == 4 || i == 8)
			out[o++] = '-';
		out[o++] = crockford[(bits >> (5 * (PAL_CODE_SYMBOLS - 1 - i))) & 31];
	}
	out[PAL_CODE_SIZE - 1] = '\0';
	return 0;
}

int pal_doc_code(const char *rubric_sha256, const char *town_id, int level,
                 const char *const *mentions, size_t nmentions, char out[PAL_CODE_SIZE])
{
	return pal_doc_code_keyed(NULL, 0, rubric_sha256, town_id, level, mentions, nmentions, out);
}

int rep_codes(pal_doc_results *r, const void *secret, size_t secret_len)
{
	for (size_t i = 0; i < r->ntowns; i++) {
		rep_town *t = &r->towns[i];
		t->code[0] = '\0';
		if (!t->usable || t->status != REP_SCORED || t->level < 1 || !r->sha256)
			continue;
		if (pal_doc_code_keyed(secret, secret_len, r->sha256, t->id, t->level, t->mentions,
		                       t->nmentions, t->code) != 0)
			return -1;
	}
	return 0;
}

int pal_doc_results_set_secret(pal_doc_results *r, const void *secret, size_t len)
{
	return rep_codes(r, secret, len);
}

static int symbol(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	if (c == 'I' || c == 'L')
		c = '1';
	else if (c == 'O')
		c = '0';
	const char *p = c ? strchr(crockford, c) : NULL;
	return p ? (int)(p - crockford) : -1;
}

int pal_doc_code_normalize(const char *in, char out[PAL_CODE_SIZE])
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		int v = symbol(*p);
		if (v < 0 || n == PAL_CODE_SYMBOLS)
			return -1;
		if (n == 4 || n == 8)
			*out++ = '-';
		*out++ = crockford[v];
		n++;
	}
	*out = '\0';
	return n == PAL_CODE_SYMBOLS ? 0 : -1;
}
