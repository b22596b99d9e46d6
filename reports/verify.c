/*
 * Certificate verification codes (docs/verification-code.md).
 *
 * code = the first 60 bits of
 *   SHA-256("palmares-certificate/1" NUL rubric-sha256-hex NUL town-id NUL
 *           level-decimal [NUL mention-id]...)
 * with the mention ids sorted bytewise, written as 12 Crockford base32
 * symbols, most significant first, grouped XXXX-XXXX-XXXX.
 *
 * When this definition changes, bump the "/1" domain tag, and update
 * docs/verification-code.md and tests/unit/test_verify.c together.
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

int pal_doc_code(const char *rubric_sha256, const char *town_id, int level,
                 const char *const *mentions, size_t nmentions, char out[PAL_CODE_SIZE])
{
	static const char tag[] = "palmares-certificate/1";
	const char **sorted = malloc((nmentions ? nmentions : 1) * sizeof(char *));
	unsigned char d[32];
	char num[16];
	pal_sha256_ctx c;
	if (!sorted)
		return -1;
	if (nmentions)
		memcpy(sorted, mentions, nmentions * sizeof(char *));
	qsort(sorted, nmentions, sizeof(char *), cmp_str);
	snprintf(num, sizeof num, "%d", level);
	pal_sha256_init(&c);
	pal_sha256_update(&c, tag, sizeof tag); /* includes its NUL separator */
	pal_sha256_update(&c, rubric_sha256, strlen(rubric_sha256) + 1);
	pal_sha256_update(&c, town_id, strlen(town_id) + 1);
	pal_sha256_update(&c, num, strlen(num));
	for (size_t i = 0; i < nmentions; i++) {
		pal_sha256_update(&c, "", 1);
		pal_sha256_update(&c, sorted[i], strlen(sorted[i]));
	}
	pal_sha256_final(&c, d);
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

long pal_doc_verify(const pal_doc_results *r, const char *code, size_t *found, size_t max)
{
	char norm[PAL_CODE_SIZE];
	long n = 0;
	if (pal_doc_code_normalize(code, norm) != 0)
		return -1;
	for (size_t i = 0; i < r->ntowns; i++) {
		if (pal_doc_town_certified(r, i) && strcmp(r->towns[i].code, norm) == 0) {
			if ((size_t)n < max)
				found[n] = i;
			n++;
		}
	}
	return n;
}
