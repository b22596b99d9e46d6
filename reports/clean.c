/*
 * Text cleaning: one pass over the UTF-8 input, decoding each sequence
 * strictly (no overlongs, no surrogates, nothing above U+10FFFF) and
 * re-encoding what may be shown. The output is never longer than 3 bytes per
 * input byte (one invalid byte becomes the 3-byte U+FFFD).
 */
#include "clean.h"

#include <string.h>

/* Decodes one sequence at s (n bytes left); returns its length, *cp = -1 when invalid. */
static size_t decode(const unsigned char *s, size_t n, long *cp)
{
	unsigned char c = s[0];
	size_t len;
	long v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		len = 2, v = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, v = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, v = c & 0x07, min = 0x10000;
	else
		goto bad;
	if (len > n)
		goto bad;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = -1;
	return 1;
}

static int hidden(long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C || cp == 0xFEFF;
}

static size_t encode(long cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

char *rep_clean(pal_arena *a, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out = pal_arena_alloc(a, 3 * len + 1);
	size_t o = 0, i = 0;
	if (!out)
		return NULL;
	while (i < len) {
		long cp;
		i += decode(u + i, len - i, &cp);
		if (cp < 0)
			cp = 0xFFFD;
		if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
			cp = ' ';
		if (hidden(cp))
			continue;
		o += encode(cp, out + o);
	}
	out[o] = '\0';
	size_t start = 0;
	while (out[start] == ' ')
		start++;
	while (o > start && out[o - 1] == ' ')
		out[--o] = '\0';
	return start ? memmove(out, out + start, o - start + 1) : out;
}
