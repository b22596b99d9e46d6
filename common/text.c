/*
 * UTF-8 and text helpers. Loaders decode (palx_utf8_valid, palx_cp1252_to_utf8)
 * and match user words (palx_text_fold, pal_text_closest); everything that
 * reaches an output first goes through palx_text_clean. One UTF-8 decoder
 * (lead_info + next_cp) serves all of them, so "valid" means the same thing
 * everywhere. Nothing here depends on the C locale.
 */
#include "text.h"
#include "palmares/text.h"
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAD_CP UINT32_MAX
#define REPLACEMENT 0xFFFDu

/*
 * For a lead byte: how many continuation bytes follow and the allowed range
 * of the first one (the narrow ranges exclude overlong forms, surrogates and
 * code points above U+10FFFF). Returns -1 when c cannot start a sequence.
 */
static int lead_info(unsigned char c, unsigned *need, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c < 0x80) {
		*need = 0;
	} else if (c >= 0xC2 && c <= 0xDF) {
		*need = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		*need = 2;
		if (c == 0xE0)
			*lo = 0xA0;
		else if (c == 0xED)
			*hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		*need = 3;
		if (c == 0xF0)
			*lo = 0x90;
		else if (c == 0xF4)
			*hi = 0x8F;
	} else {
		return -1;
	}
	return 0;
}

int palx_utf8_stream_byte(palx_utf8_stream *st, unsigned char c)
{
	if (st->need == 0) {
		unsigned need;
		unsigned char lo, hi;
		if (lead_info(c, &need, &lo, &hi) < 0)
			return -1;
		st->need = need;
		st->lo = lo;
		st->hi = hi;
		return 0;
	}
	if (c < st->lo || c > st->hi) {
		st->need = 0;
		return -1;
	}
	st->need--;
	st->lo = 0x80;
	st->hi = 0xBF;
	return 0;
}

int palx_utf8_stream_pending(const palx_utf8_stream *st)
{
	return st->need != 0;
}

/*
 * Decodes the code point at s[0..len), len >= 1. Returns the bytes consumed:
 * the whole sequence, or for invalid input the maximal invalid subpart (at
 * least 1 byte), with *cp = BAD_CP.
 */
static size_t next_cp(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned need;
	unsigned char lo, hi;
	uint32_t v;

	if (lead_info(s[0], &need, &lo, &hi) < 0) {
		*cp = BAD_CP;
		return 1;
	}
	if (need == 0) {
		*cp = s[0];
		return 1;
	}
	v = s[0] & (0x3Fu >> need);
	for (size_t i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*cp = BAD_CP;
			return i;
		}
		v = (v << 6) | (s[i] & 0x3Fu);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	unsigned char *u = (unsigned char *)o;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	u[0] = (unsigned char)(0xF0 | (cp >> 18));
	u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	u[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

int palx_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n;
		if (u[i] < 0x80) { /* fast path for ASCII */
			i++;
			continue;
		}
		n = next_cp(u + i, len - i, &cp);
		if (cp == BAD_CP) {
			if (bad_offset)
				*bad_offset = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

/* Windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

size_t palx_cp1252_to_utf8_into(const char *s, size_t len, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0xA0) {
			uint32_t cp = cp1252_high[c - 0x80];
			o += put_utf8(out + o, cp ? cp : REPLACEMENT);
		} else {
			o += put_utf8(out + o, c); /* 0xA0..0xFF are U+00A0..U+00FF */
		}
	}
	return o;
}

char *palx_cp1252_to_utf8(const char *s, size_t len)
{
	char *out;
	size_t n;
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	out = malloc(3 * len + 1);
	if (!out)
		return NULL;
	n = palx_cp1252_to_utf8_into(s, len, out);
	out[n] = '\0';
	return out;
}

/* Allocates room for any transformation that writes at most 3 bytes per input byte. */
static char *alloc_x3(size_t len)
{
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	return malloc(3 * len + 1);
}

static int is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Characters that draw nothing, or a box, and so can hide or disguise text
 * (issue 19, item 17: "Par\u200bis" read "Paris"): soft hyphen, combining
 * grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian vowel
 * separator, zero-width space, word joiner and invisible operators,
 * deprecated format characters, interlinear annotation characters. Variation
 * selectors stay (emoji need them).
 */
static int is_invisible(uint32_t cp)
{
	return cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 ||
	       cp == 0x17B5 || cp == 0x180E || cp == 0x200B || (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x206A && cp <= 0x206F) || cp == 0x3164 || cp == 0xFFA0 ||
	       (cp >= 0xFFF9 && cp <= 0xFFFB);
}

/* Removed wherever they are: controls, bidi controls, U+FEFF, invisible characters. */
static int is_removed(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFEFF ||
	       is_bidi_control(cp) || is_invisible(cp);
}

#include "text_marks.h"

/* 1 for a combining mark (general category M). */
static int is_mark(uint32_t cp)
{
	size_t lo = 0, hi = sizeof text_marks / sizeof text_marks[0];
	if (cp < 0x0300)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < text_marks[mid][0])
			hi = mid;
		else if (cp > text_marks[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/*
 * Unicode's stream-safe text format (UAX #15) allows 30 combining marks in a
 * row; no writing system needs more, and "Lyon" with 300 accents drew a
 * column of them across a certificate (issue 19, item 16). Marks past the
 * 30th after one base character are dropped.
 */
#define MAX_MARKS 30

/* What the cleaner does with each character; shared by clean_to and is_clean. */
enum clean_op { KEEP, DROP, SPACE, REPLACE };

struct clean_state {
	uint32_t base; /* the last character kept that is not a mark; 0 at the start */
	int marks;     /* marks kept since base */
};

static enum clean_op clean_op(struct clean_state *st, uint32_t cp)
{
	if (cp == BAD_CP) {
		st->base = REPLACEMENT, st->marks = 0;
		return REPLACE;
	}
	if (cp == '\t' || cp == '\n' || cp == 0x2028 || cp == 0x2029) {
		st->base = ' ', st->marks = 0;
		return SPACE;
	}
	if (is_removed(cp))
		return DROP;
	/* Zero-width (non-)joiners shape Arabic, Indic scripts and emoji; after
	 * Latin, Greek or Cyrillic (below U+0530), or at the start, they join
	 * nothing and only hide a difference ("Pa\u200dris"). */
	if ((cp == 0x200C || cp == 0x200D) && st->base < 0x0530)
		return DROP;
	if (is_mark(cp))
		return ++st->marks > MAX_MARKS ? DROP : KEEP;
	st->base = cp, st->marks = 0;
	return KEEP;
}

char *palx_text_clean(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i = 0;
	char *out;

	if (!s)
		return NULL;
	len = strlen(s);
	/* Printable ASCII, by far the common case, has nothing to clean. */
	while (i < len && u[i] >= 0x20 && u[i] < 0x7F)
		i++;
	if (i == len) {
		out = malloc(len + 1);
		if (out)
			memcpy(out, s, len + 1);
		return out;
	}
	out = alloc_x3(len);
	if (!out)
		return NULL;
	palx_text_clean_to(s, out);
	return out;
}

size_t palx_text_clean_to(const char *s, char *out)
{
	return pal_text_clean_into(s, strlen(s), 0, out); /* one loop for both */
}

size_t pal_text_clean_into(const char *s, size_t len, unsigned flags, char *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	struct clean_state st = {0, 0};
	while (i < len) {
		uint32_t cp;
		size_t n = next_cp(u + i, len - i, &cp);
		if (cp == '\r' && (flags & PAL_TEXT_MULTILINE)) {
			if (i + 1 < len && u[i + 1] == '\n') /* CR LF: one line break */
				n = 2;
			cp = '\n';
		}
		if (cp == '\n' && (flags & PAL_TEXT_MULTILINE)) {
			st.base = ' ', st.marks = 0;
			out[o++] = '\n';
			i += n;
			continue;
		}
		switch (clean_op(&st, cp)) {
		case REPLACE: o += put_utf8(out + o, REPLACEMENT); break;
		case SPACE: out[o++] = ' '; break;
		case DROP: break;
		case KEEP:
			memcpy(out + o, s + i, n);
			o += n;
			break;
		}
		i += n;
	}
	out[o] = '\0';
	if (flags & PAL_TEXT_TRIM) {
		size_t start = 0;
		while (o > 0 && out[o - 1] == ' ')
			out[--o] = '\0';
		while (out[start] == ' ')
			start++;
		memmove(out, out + start, o - start + 1);
		o -= start;
	}
	return o;
}

int pal_text_utf8_valid(const char *s, size_t len)
{
	return palx_utf8_valid(s, len, NULL);
}

int palx_text_is_clean(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	struct clean_state st = {0, 0};
	while (i < len) {
		uint32_t cp;
		if (u[i] >= 0x20 && u[i] < 0x7F) {
			st.base = u[i++], st.marks = 0;
			continue;
		}
		i += next_cp(u + i, len - i, &cp);
		if (clean_op(&st, cp) != KEEP)
			return 0;
	}
	return 1;
}

/* The script of a letter, for look-alike names: 0 none of these, 'L', 'C' or 'G'. */
static int letter_script(uint32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	    (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF) ||
	    (cp >= 0x2C60 && cp <= 0x2C7F) || (cp >= 0xA720 && cp <= 0xA7FF) ||
	    (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
		return 'L';
	if ((cp >= 0x400 && cp <= 0x52F) || (cp >= 0x1C80 && cp <= 0x1C8F) ||
	    (cp >= 0x2DE0 && cp <= 0x2DFF) || (cp >= 0xA640 && cp <= 0xA69F))
		return 'C';
	if ((cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1F00 && cp <= 0x1FFF))
		return 'G';
	return 0;
}

int palx_text_mixed_scripts(const char *s, const char **script, char odd[8])
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = s ? strlen(s) : 0, i = 0;
	size_t count[3] = {0, 0, 0}, first[3] = {0, 0, 0}, firstlen[3] = {0, 0, 0};
	static const char *const names[3] = {"Latin", "Cyrillic", "Greek"};
	for (;;) {
		uint32_t cp = 0;
		size_t n = i < len ? next_cp(u + i, len - i, &cp) : 0;
		int sc = n && cp != BAD_CP ? letter_script(cp) : 0;
		int k = sc == 'L' ? 0 : sc == 'C' ? 1 : sc == 'G' ? 2 : -1;
		if (k >= 0) {
			if (!count[k]++)
				first[k] = i, firstlen[k] = n;
		} else if (!n || cp == BAD_CP || !((cp >= '0' && cp <= '9') || is_mark(cp))) {
			/* the end of a word: digits and marks belong to it, anything else ends it */
			if (count[0] && (count[1] || count[2])) {
				/* the odd one out: the script with fewer letters in the word */
				int other = count[1] >= count[2] ? 1 : 2;
				int w = count[0] <= count[other] ? 0 : other;
				*script = names[w];
				memcpy(odd, s + first[w], firstlen[w]);
				odd[firstlen[w]] = '\0';
				return 1;
			}
			count[0] = count[1] = count[2] = 0;
		}
		if (!n)
			return 0;
		i += n;
	}
}

/*
 * Folded forms of U+00C0..U+017F (Latin-1 letters and Latin Extended-A);
 * NULL keeps the character (× and ÷).
 */
static const char *const fold_latin[192] = {
	/* U+00C0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00D0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "ss",
	/* U+00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	/* U+00F0 */ "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y",
	/* U+0100 */ "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
	/* U+0110 */ "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	/* U+0120 */ "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
	/* U+0130 */ "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
	/* U+0140 */ "l", "l", "l", "n", "n", "n", "n", "n", "n", "'n", "n", "n", "o", "o", "o", "o",
	/* U+0150 */ "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
	/* U+0160 */ "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
	/* U+0170 */ "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};

static int is_fold_space(uint32_t cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x202F;
}

/*
 * Folding runs as an iterator so that palx_text_fold() (allocating) and
 * palx_text_fold_eq() (comparing on the fly) share one definition of the key.
 */
struct fold_iter {
	const unsigned char *s;
	size_t len, i;
	int emitted;  /* something was produced: a later space run counts */
	int space;    /* a space run is pending, written before the next character */
};

/* Writes the next piece of the folded text into out (at most 3 bytes), returns its length, 0 at the end. */
static size_t fold_next(struct fold_iter *it, char out[4])
{
	while (it->i < it->len) {
		uint32_t cp;
		size_t n = next_cp(it->s + it->i, it->len - it->i, &cp);
		if (cp != BAD_CP && is_fold_space(cp)) {
			it->space = it->emitted; /* leading space is dropped, inner runs become one */
			it->i += n;
			continue;
		}
		if (it->space) { /* the character itself comes at the next call */
			it->space = 0;
			out[0] = ' ';
			return 1;
		}
		it->emitted = 1;
		it->i += n;
		if (cp == BAD_CP)
			return put_utf8(out, REPLACEMENT);
		if (cp < 0x80) {
			out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
			return 1;
		}
		if (cp >= 0xC0 && cp <= 0x17F && fold_latin[cp - 0xC0]) {
			const char *f = fold_latin[cp - 0xC0];
			size_t fl = strlen(f);
			memcpy(out, f, fl);
			return fl;
		}
		if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) {
			out[0] = '\'';
			return 1;
		}
		memcpy(out, it->s + it->i - n, n);
		return n;
	}
	return 0; /* a pending space at the end is trailing: dropped */
}

/* Folds s into out (room for 3 * strlen(s) + 1 bytes). */
static void fold_into(const char *s, char *out)
{
	struct fold_iter it = { 0 };
	size_t o = 0, k;
	char piece[4];
	it.s = (const unsigned char *)s;
	it.len = strlen(s);
	while ((k = fold_next(&it, piece)) > 0) {
		memcpy(out + o, piece, k);
		o += k;
	}
	out[o] = '\0';
}

/* palx_text_fold() into buf when it fits (names are short), else allocated; NULL when out of memory. */
static char *fold_short(const char *s, char *buf, size_t size)
{
	if (3 * strlen(s) + 1 <= size) {
		fold_into(s, buf);
		return buf;
	}
	return palx_text_fold(s);
}

char *palx_text_fold(const char *s)
{
	struct fold_iter it = { 0 };
	size_t o = 0, k;
	char piece[4], *out;

	if (!s)
		return NULL;
	it.s = (const unsigned char *)s;
	it.len = strlen(s);
	out = alloc_x3(it.len); /* no piece is longer than 3 bytes per input byte */
	if (!out)
		return NULL;
	while ((k = fold_next(&it, piece)) > 0) {
		memcpy(out + o, piece, k);
		o += k;
	}
	out[o] = '\0';
	return out;
}

int palx_text_fold_eq(const char *s, const char *key)
{
	struct fold_iter it = { 0 };
	size_t k;
	char piece[4];

	if (!s || !key)
		return 0;
	it.s = (const unsigned char *)s;
	it.len = strlen(s);
	while ((k = fold_next(&it, piece)) > 0) {
		if (strncmp(key, piece, k) != 0) /* stops at the end of key */
			return 0;
		key += k;
	}
	return *key == '\0';
}

/*
 * The folded key of a word as a byte stream in which '-', '_' and white space
 * are one separator: runs of them become one ' ', dropped at both ends. Built
 * on fold_next() so that it can never disagree with palx_text_fold().
 */
struct word_iter {
	struct fold_iter f;
	char piece[4];
	size_t pl, pi;
	int sep;  /* a separator is pending, written before the next other byte */
};

/* The next byte of the key, or -1 at its end. */
static int word_next(struct word_iter *w)
{
	for (;;) {
		if (w->pi == w->pl) {
			w->pl = fold_next(&w->f, w->piece);
			w->pi = 0;
			if (w->pl == 0)
				return -1; /* a pending separator is trailing: dropped */
		}
		char c = w->piece[w->pi];
		if (c == ' ' || c == '-' || c == '_') {
			if (w->sep >= 0)
				w->sep = 1;
			w->pi++;
			continue;
		}
		if (w->sep == 1) {
			w->sep = 0;
			return ' ';
		}
		w->sep = 0;
		w->pi++;
		return (unsigned char)c;
	}
}

int palx_text_same_word(const char *a, size_t alen, const char *b, size_t blen)
{
	struct word_iter x = { 0 }, y = { 0 };
	int ca, cb;
	/* leading separators are dropped: sep -1 until the first other byte */
	x.sep = y.sep = -1;
	x.f.s = (const unsigned char *)a;
	x.f.len = a ? alen : 0;
	y.f.s = (const unsigned char *)b;
	y.f.len = b ? blen : 0;
	do {
		ca = word_next(&x);
		cb = word_next(&y);
		if (ca != cb)
			return 0;
	} while (ca >= 0);
	return 1;
}

uint64_t palx_text_word_hash(const char *s, size_t n)
{
	struct word_iter x = { 0 };
	uint64_t h = 1469598103934665603ULL; /* FNV-1a over the word's key */
	int c;
	x.sep = -1;
	x.f.s = (const unsigned char *)s;
	x.f.len = s ? n : 0;
	while ((c = word_next(&x)) >= 0) {
		h ^= (unsigned)c;
		h *= 1099511628211ULL;
	}
	return h ^ h >> 32;
}

size_t palx_text_distance(const char *a, const char *b)
{
	size_t la, lb, *row, small[128]; /* names are short: no allocation that could fail */

	if (!a)
		a = "";
	if (!b)
		b = "";
	la = strlen(a);
	lb = strlen(b);
	if (la < lb) { /* keep the row for the shorter string */
		const char *t = a;
		size_t tl = la;
		a = b;
		b = t;
		la = lb;
		lb = tl;
	}
	if (lb == 0)
		return la;
	row = lb < sizeof small / sizeof small[0] ? small : malloc((lb + 1) * sizeof(*row));
	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	la = row[lb];
	if (row != small)
		free(row);
	return la;
}

const char *pal_text_closest(const char *word, const char *const *candidates, size_t n)
{
	char *fw;
	const char *w, *best = NULL;
	size_t wl, limit, best_d = (size_t)-1;

	if (!word || !candidates)
		return NULL;
	char wbuf[256], cbuf[256];
	fw = fold_short(word, wbuf, sizeof wbuf);
	w = fw ? fw : word; /* out of memory: compare the raw bytes */
	wl = strlen(w);
	limit = wl / 3 > 2 ? wl / 3 : 2;
	for (size_t i = 0; i < n; i++) {
		char *fc;
		const char *c;
		size_t cl, d;
		if (!candidates[i])
			continue;
		fc = fold_short(candidates[i], cbuf, sizeof cbuf);
		c = fc ? fc : candidates[i];
		cl = strlen(c);
		/* the distance is at least the difference of lengths: skip hopeless
		 * candidates without the quadratic computation (a 1 MB header cell) */
		if ((wl > cl ? wl - cl : cl - wl) > limit) {
			if (fc != cbuf)
				free(fc);
			continue;
		}
		d = palx_text_distance(w, c);
		if (fc != cbuf)
			free(fc);
		if (d <= limit && d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	if (fw != wbuf)
		free(fw);
	return best;
}

/* s[0..strlen) without its surrounding spaces, copied into the arena. */
static char *trimmed_in(struct palx_arena *a, const char *s)
{
	const char *b = s, *e = s + strlen(s);
	while (*b == ' ')
		b++;
	while (e > b && e[-1] == ' ')
		e--;
	return palx_arena_strndup(a, b, (size_t)(e - b));
}

char *palx_text_clean_in(struct palx_arena *a, const char *s)
{
	if (!s)
		return NULL;
	/* Nearly every cell is clean already: no cleaned copy to allocate and free. */
	if (palx_text_is_clean(s))
		return trimmed_in(a, s);
	char *t = palx_text_clean(s), *out = t ? trimmed_in(a, t) : NULL;
	free(t);
	return out;
}

/* 1 for the characters palx_text_clean() removes or turns into a space. */
static int hidden_cp(uint32_t cp)
{
	return is_removed(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0x200C || cp == 0x200D;
}

size_t palx_text_show(const char *s, size_t len, int json, char out[16], size_t *used)
{
	uint32_t cp;
	size_t n = next_cp((const unsigned char *)s, len, &cp);
	*used = n;
	if (cp == BAD_CP)
		return put_utf8(out, REPLACEMENT);
	if (json && (cp == '"' || cp == '\\')) {
		out[0] = '\\';
		out[1] = (char)cp;
		return 2;
	}
	if (json && (cp == '\n' || cp == '\t' || cp == '\r')) {
		out[0] = '\\';
		out[1] = cp == '\n' ? 'n' : cp == '\t' ? 't' : 'r';
		return 2;
	}
	if (hidden_cp(cp))
		return (size_t)snprintf(out, 16, json ? "\\u%04x" : "<U+%04X>", (unsigned)cp);
	memcpy(out, s, n);
	return n;
}

size_t palx_text_excerpt(const char *s, size_t len, size_t max, char *out, size_t outlen)
{
	size_t i = 0, o = 0;
	if (!outlen)
		return 0;
	while (i < len) {
		char piece[16];
		size_t used, k = palx_text_show(s + i, len - i, 0, piece, &used);
		if (o + k > max || o + k + 4 > outlen) {
			if (o + 4 <= outlen) {
				memcpy(out + o, "\xE2\x80\xA6", 3); /* … */
				o += 3;
			}
			break;
		}
		memcpy(out + o, piece, k);
		o += k;
		i += used;
	}
	out[o] = '\0';
	return o;
}

uint64_t palx_text_hash_nocase(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		h ^= c >= 'A' && c <= 'Z' ? c + 32u : c;
		h *= 1099511628211ULL;
	}
	return h ^ h >> 32;
}
