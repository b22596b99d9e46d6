/*
 * palmares — text as the documents show it, for every client of the library
 * (the command line, the web front): one cleaner, so that a name typed in a
 * form is cleaned exactly as the same name read from a CSV file.
 */
#ifndef PALMARES_TEXT_H
#define PALMARES_TEXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags of pal_text_clean_into(). */
#define PAL_TEXT_MULTILINE 0x1u /* keep line breaks as "\n" (CR LF and a lone CR are one), as a textarea sends them */
#define PAL_TEXT_TRIM 0x2u      /* remove the spaces at both ends, as the documents do for names */

/*
 * Cleans s[0..len) (which may hold NUL bytes: they are removed) into out,
 * which holds at least 3 * len + 1 bytes, and returns the length written
 * (out is NUL-terminated). The rules are the documents': invalid UTF-8
 * becomes U+FFFD; C0 and C1 controls, DEL, U+FEFF, the bidirectional
 * controls and the invisible characters are removed; tab, line feed, U+2028
 * and U+2029 become spaces (line feeds are kept with PAL_TEXT_MULTILINE);
 * zero-width joiners that join nothing are removed; past 30 combining marks
 * on one character the rest are dropped. Does not allocate.
 */
size_t pal_text_clean_into(const char *s, size_t len, unsigned flags, char *out);

/* 1 when s[0..len) is valid UTF-8 (no overlong form, no surrogate, nothing cut short), else 0. */
int pal_text_utf8_valid(const char *s, size_t len);

/*
 * Reads a number as a person types it, by the rule the dossier readers apply
 * to a CSV cell: "12", "12.5", "12,5", "1 234,5" (a space, U+00A0 or U+202F
 * between groups of three digits), an optional "%" ("12 %": *percent set to
 * 1, the value not divided). Returns 0 with *out set, or -1 for anything else
 * (words, "1.234,5", exponents, "+"). Never depends on the C locale. The
 * web form reads its number fields with it, so that a town types what its
 * spreadsheet would hold.
 */
int pal_text_number(const char *s, double *out, int *percent);

/*
 * 1 when a spreadsheet would run the cell s[0..len) as a formula: it starts
 * (after any leading ') with = @ tab or CR, or with + or - not followed by
 * a plain number ("-5" and "+3,5" are numbers). Every CSV palmares writes
 * puts a ' before such a cell, so that a town's name or answer never runs
 * on the organizer's computer.
 */
int pal_text_csv_formula(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
