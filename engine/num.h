/*
 * Private: numbers as users type them (SPEC §3.2, §5) and as palmares reports
 * them (SPEC §4.5). Every function here behaves the same under any C locale
 * (LC_NUMERIC=fr_FR included): none relies on the locale's decimal point.
 */
#ifndef PAL_ENGINE_NUM_H
#define PAL_ENGINE_NUM_H

#include <stddef.h>

/*
 * Parses a number written by an office suite. Surrounding white space
 * (ASCII, U+00A0, U+202F) is ignored. Accepted: an optional '-', digits with
 * an optional decimal part after '.' or ',' (`12`, `12.5`, `12,5`, `.5`, `,5`),
 * digits grouped by three with a space, U+00A0 or U+202F as thousands
 * separator (`1 234`, `1 234 567,25`), then an optional '%' (spaces allowed
 * before it, as in French "12 %"): *percent is set to 1 and the value is NOT
 * divided by 100. Rejected (-1, *out untouched): empty, words, `12.`, `1.234,5`,
 * `1,2,3`, `1 23`, `12%%`, exponents, hex, inf, nan, '+', and numbers over 400
 * characters. Returns 0 on success. out and percent may not be NULL; *percent
 * is set to 0 when there is no '%'. -0 is read as 0.
 */
int eng_num_parse_office(const char *s, double *out, int *percent);

/*
 * For messages about a count (a population): when s looks like a whole number
 * written with '.' or ',' as thousands separator — 1 to 3 digits, then groups
 * of that separator and exactly three digits, one separator throughout
 * (`320.732`, `222,485`, `1.234.567`; surrounding spaces ignored) — writes
 * the digits alone into out (NUL-terminated), the separator into *sep, and
 * returns 1; else returns 0 with out "" (out too small included). The office reader takes
 * `320.732` for a decimal number: this says what the typist likely meant.
 */
int eng_num_thousands_guess(const char *s, char *out, size_t outlen, char *sep);

/*
 * Yes-no answers: true/false, yes/no, oui/non, vrai/faux, 1/0, x (yes);
 * case- and accent-insensitive, surrounding spaces ignored. Returns 0 and sets
 * *out to 1 or 0, or -1 when s is none of these (or NULL).
 */
int eng_num_parse_yesno(const char *s, int *out);

/*
 * Returns 1 when s says "not applicable": n/a, na, sans objet, non concerné,
 * non concernée (case- and accent-insensitive, spaces trimmed), else 0.
 */
int eng_num_is_na(const char *s);

/*
 * Rounds x to 2 decimals, half away from zero, as a decimal number: x is first
 * rounded to 15 significant digits, which removes binary noise (1.005 → 1.01,
 * 2.675 → 2.68, 0.1 + 0.2 → 0.3). Returns 0 for -0; NaN and infinities are
 * returned unchanged.
 */
double eng_round2(double x);

/*
 * Writes eng_round2(x) into buf in its shortest plain form, '.' as decimal
 * point whatever the locale, never an exponent, never "-0": `73.5`, `100`,
 * `0.05`, `-1.25`. Returns the length of the full text (as snprintf does: the
 * output was truncated when it is >= len), or -1 for NaN and infinities
 * (buf then holds ""). 32 bytes hold any |x| < 1e29.
 */
int eng_format_number(double x, char *buf, size_t len);

/*
 * Writes x unrounded: the shortest of %.15g, %.16g, %.17g that reads back as
 * the same double, '.' as decimal point whatever the locale (an exponent is
 * possible: 1e+20, 1e-07, valid JSON); -0 is written "0". Returns the length
 * as eng_format_number() does, or -1 for NaN and infinities. 32 bytes always
 * suffice.
 */
int eng_format_number_full(double x, char *buf, size_t len);

#endif
