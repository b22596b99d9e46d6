/*
 * Text from the web, cleaned the way the documents clean theirs: invalid
 * UTF-8 becomes U+FFFD, control, bidi and invisible characters are removed.
 * The same rules as the engine's text cleaner (engine/text.c), restated here
 * because the server may use only the public API of libpalmares.
 * When engine/text.c changes what it removes, change is_removed() here too.
 */
#ifndef PALMARES_SERVER_WEBTEXT_H
#define PALMARES_SERVER_WEBTEXT_H

#include <stddef.h>
#include <stdint.h>

/* What webtext_next() gives for a byte that starts no valid sequence. */
#define WEBTEXT_BAD 0xFFFFFFFFu
#define WEBTEXT_REPLACEMENT 0xFFFDu

/* Flags of webtext_clean(). */
#define WEBTEXT_MULTILINE 0x1 /* keep line breaks (as "\n"), as typed in a textarea; else they are spaces */
#define WEBTEXT_TRIM 0x2 /* remove spaces at both ends, as the documents do for names (reports/clean.c) */

/* Decodes one code point of s[0..len) (len > 0) into *cp, WEBTEXT_BAD for an
 * invalid, overlong, surrogate or truncated sequence (then 1 byte is used).
 * Returns the number of bytes used. */
size_t webtext_next(const unsigned char *s, size_t len, uint32_t *cp);

/* 1 when s[0..len) is valid UTF-8 (no overlong form, no surrogate). */
int webtext_utf8_valid(const char *s, size_t len);

/* 1 for a character that the documents never show: C0 and C1 controls, DEL,
 * bidi controls, U+FEFF and invisible characters (tab and line breaks are
 * not handled here: see webtext_clean()). */
int webtext_is_removed(uint32_t cp);

/* Writes the UTF-8 form of cp (at most 4 bytes) to out; returns its length. */
size_t webtext_put(char *out, uint32_t cp);

/* The cleaned copy of s[0..len): returns an owned string (free with free()),
 * its length in *out_len when not NULL; NULL when out of memory. */
char *webtext_clean(const char *s, size_t len, unsigned flags, size_t *out_len);

#endif
