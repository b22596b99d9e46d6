/*
 * Text from the web: one strict UTF-8 decoder and the list of characters
 * that are removed, shared by the HTML writer (html.c) and by whatever
 * stores a name typed in a form. Mirrors engine/text.c (see webtext.h).
 */
#include "webtext.h"

#include <stdlib.h>
#include <string.h>

size_t webtext_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, v = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, v = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, v = c & 0x07, min = 0x10000;
	else {
		*cp = WEBTEXT_BAD;
		return 1;
	}
	if (len < n) {
		*cp = WEBTEXT_BAD;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = WEBTEXT_BAD;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = WEBTEXT_BAD;
		return 1;
	}
	*cp = v;
	return n;
}

int webtext_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		i += webtext_next(u + i, len - i, &cp);
		if (cp == WEBTEXT_BAD)
			return 0;
	}
	return 1;
}

static int is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Characters that draw nothing and so can hide or disguise text (the list of
 * engine/text.c: soft hyphen, zero-width space, word joiner, fillers...). */
static int is_invisible(uint32_t cp)
{
	return cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5 ||
	       cp == 0x180E || cp == 0x200B || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x206A && cp <= 0x206F) || cp == 0x3164 || cp == 0xFFA0 ||
	       (cp >= 0xFFF9 && cp <= 0xFFFB);
}

int webtext_is_removed(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFEFF || is_bidi_control(cp) ||
	       is_invisible(cp);
}

size_t webtext_put(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

char *webtext_clean(const char *s, size_t len, unsigned flags, size_t *out_len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	uint32_t base = 0; /* the last character kept; 0 at the start */
	char *out;

	/* An invalid byte becomes U+FFFD (3 bytes): at most 3 bytes per byte. */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(3 * len + 1);
	if (!out)
		return NULL;
	while (i < len) {
		uint32_t cp;
		size_t n = webtext_next(u + i, len - i, &cp);
		if (cp == '\r' && (flags & WEBTEXT_MULTILINE)) {
			/* "\r\n" and a lone "\r" are one line break, as browsers send them */
			if (i + 1 < len && u[i + 1] == '\n')
				n = 2;
			cp = '\n';
		}
		if (cp == WEBTEXT_BAD) {
			o += webtext_put(out + o, WEBTEXT_REPLACEMENT);
			base = WEBTEXT_REPLACEMENT;
		} else if (cp == '\n' && (flags & WEBTEXT_MULTILINE)) {
			out[o++] = '\n';
			base = ' ';
		} else if (cp == '\t' || cp == '\n' || cp == 0x2028 || cp == 0x2029) {
			out[o++] = ' ';
			base = ' ';
		} else if (webtext_is_removed(cp)) {
			/* dropped */
		} else if ((cp == 0x200C || cp == 0x200D) && base < 0x0530) {
			/* zero-width (non-)joiners after Latin, Greek, Cyrillic or at
			 * the start join nothing and only hide a difference */
		} else {
			memcpy(out + o, s + i, n);
			o += n;
			base = cp;
		}
		i += n;
	}
	out[o] = '\0';
	if (flags & WEBTEXT_TRIM) {
		size_t start = 0;
		while (o > 0 && out[o - 1] == ' ')
			out[--o] = '\0';
		while (out[start] == ' ')
			start++;
		memmove(out, out + start, o - start + 1);
		o -= start;
	}
	if (out_len)
		*out_len = o;
	return out;
}
