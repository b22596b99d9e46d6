/*
 * Private: UTF-8 and text helpers shared by the loaders (engine/ only).
 *
 * palx_text_clean() is THE neutraliser: every name or free text that reaches
 * an output or a document goes through it. palx_text_fold() is the key used
 * for case- and accent-insensitive word matching (option ids, yes/no, n/a).
 * All functions are locale-independent.
 */
#ifndef PAL_ENGINE_TEXT_H
#define PAL_ENGINE_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Incremental UTF-8 validator, for input that arrives in chunks. Zero-initialise,
 * then feed every byte: palx_utf8_stream_byte() returns 0 while the bytes so far
 * are a valid prefix, -1 on the first byte that makes them invalid (the state is
 * then reset, so feeding may go on). At the end, palx_utf8_stream_pending() is
 * nonzero when the input stopped inside a sequence (truncated: invalid).
 */
typedef struct palx_utf8_stream {
	unsigned need;         /* continuation bytes still expected */
	unsigned char lo, hi;  /* allowed range of the next continuation byte */
} palx_utf8_stream;

int palx_utf8_stream_byte(palx_utf8_stream *st, unsigned char c);
int palx_utf8_stream_pending(const palx_utf8_stream *st);

/*
 * Returns 1 when s[0..len) is valid UTF-8 (shortest forms only, no surrogates,
 * nothing above U+10FFFF; U+0000 is valid), else 0 and, when bad_offset is not
 * NULL, the offset of the first byte of the first invalid sequence.
 */
int palx_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/*
 * Windows-1252 to UTF-8. palx_cp1252_to_utf8() returns an owned NUL-terminated
 * string (free with free()), or NULL when out of memory. The five bytes that
 * Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) become U+FFFD.
 * palx_cp1252_to_utf8_into() writes into out, which must hold 3 * len bytes
 * (no NUL added), and returns the number of bytes written.
 */
char *palx_cp1252_to_utf8(const char *s, size_t len);
size_t palx_cp1252_to_utf8_into(const char *s, size_t len, char *out);

/*
 * Returns an owned copy of s (free with free()) that is safe to print in a
 * terminal, a JSON/CSV output or a PDF: tab and line feed become spaces, and
 * so do U+2028 and U+2029; other C0 controls, DEL, C1 controls, U+FEFF, the
 * bidirectional controls (U+061C U+200E U+200F U+202A-U+202E U+2066-U+2069)
 * and the invisible characters (U+00AD U+034F U+115F U+1160 U+17B4 U+17B5
 * U+180E U+200B U+2060-U+2064 U+206A-U+206F U+3164 U+FFA0 U+FFF9-U+FFFB) are
 * removed, and so are U+200C and U+200D after a Latin, Greek or Cyrillic
 * character or at the start; combining marks past the 30th after one base
 * character are dropped (Unicode's stream-safe format); invalid UTF-8
 * becomes U+FFFD (one per maximal invalid subsequence). Returns NULL when s
 * is NULL or out of memory.
 */
char *palx_text_clean(const char *s);
/* The same into out, which holds 3 * strlen(s) + 1 bytes; returns the length written. */
size_t palx_text_clean_to(const char *s, char *out);
/* 1 when palx_text_clean(s) would return s unchanged; does not allocate. */
int palx_text_is_clean(const char *s);

/*
 * palx_text_clean, then surrounding spaces trimmed, copied into the arena:
 * how every text a user submits is stored. NULL when out of memory.
 */
struct palx_arena;
char *palx_text_clean_in(struct palx_arena *a, const char *s);

/*
 * Returns 1 when a word of s mixes Latin letters with Cyrillic or Greek ones
 * ("Раris", Cyrillic Р: a name that looks like another), with *script the
 * script of the odd letter out ("Cyrillic", a static string) and odd its
 * first such character, NUL-terminated; else 0. Words are runs of letters,
 * digits and combining marks. Does not allocate.
 */
int palx_text_mixed_scripts(const char *s, const char **script, char odd[8]);

/*
 * Returns an owned matching key for s (free with free()), or NULL when s is
 * NULL or out of memory: white space (ASCII, U+00A0, U+2000-U+200A, U+202F)
 * trimmed and runs of it collapsed to one space; ASCII, Latin-1 and Latin
 * Extended-A letters lower-cased and stripped of accents (é→e, Ç→c, œ→oe, ß→ss);
 * U+2018 U+2019 U+02BC → '. Other characters are kept; invalid UTF-8 → U+FFFD.
 */
char *palx_text_fold(const char *s);

/*
 * Returns 1 when palx_text_fold(s) equals key, which must already be folded
 * (lower case, no accents: "non concerne"), else 0. Does not allocate; NULL
 * arguments give 0. For matching option ids and fixed words.
 */
int palx_text_fold_eq(const char *s, const char *key);

/*
 * Returns 1 when a[0..alen) and b[0..blen) are the same word for a user: equal
 * after palx_text_fold(), with '-', '_' and white space counted as one separator
 * (runs of them are one, at both ends none): "En cours" = "en-cours" =
 * "EN_COURS", "École" = "ecole". Does not allocate. For option ids.
 */
int palx_text_same_word(const char *a, size_t alen, const char *b, size_t blen);

/*
 * A hash of the word s[0..n) that is equal for any two words
 * palx_text_same_word() finds the same. For the rubric's table of option ids.
 */
uint64_t palx_text_word_hash(const char *s, size_t n);

/*
 * A hash of s[0..n) with ASCII letters lower-cased: equal for any two strings
 * strncasecmp() finds equal in the C locale. For the table of column
 * names, which are matched case-insensitively.
 */
uint64_t palx_text_hash_nocase(const char *s, size_t n);

/* Levenshtein distance between the bytes of a and b; O(min(|a|,|b|)) memory.
 * Returns (size_t)-1 when out of memory. */
size_t palx_text_distance(const char *a, const char *b);

/*
 * Returns the candidate closest to word (compared folded, see palx_text_fold),
 * borrowed from candidates, when its distance is at most max(2, length/3) of
 * the folded word, else NULL. Ties go to the earliest candidate; NULL entries
 * are skipped. For "unknown column "x": did you mean "y"?".
 */
const char *pal_text_closest(const char *word, const char *const *candidates, size_t n);

/*
 * Shows one character of s[0..len) (len >= 1) for a message, without
 * allocating: into out, returning its length, with *used the bytes of s it
 * stands for. What palx_text_clean() would remove (controls, bidirectional
 * overrides, U+FEFF...) becomes visible, "<U+202E>", or "\u202e" when json is
 * set (which also escapes '"', '\\', LF, CR and tab as JSON does); invalid
 * UTF-8 becomes U+FFFD.
 */
size_t palx_text_show(const char *s, size_t len, int json, char out[16], size_t *used);

/*
 * An excerpt of s[0..len) for a message ("found \"douze\""): the characters
 * shown by palx_text_show(), at most max bytes of them, cut between two
 * characters with "…" added. Writes a NUL-terminated string into out (outlen
 * bytes) and returns its length. Never allocates: a message about a failure
 * must not fail itself.
 */
size_t palx_text_excerpt(const char *s, size_t len, size_t max, char *out, size_t outlen);

#endif
