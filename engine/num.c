/*
 * Numbers in and out. Loaders read cells with eng_num_parse_office /
 * _yesno / _is_na; everything reported goes through eng_round2 and
 * eng_format_number (SPEC §4.5: what the jury reads is what decides).
 *
 * Locale independence: the C library's conversions use the locale's decimal
 * point (',' under fr_FR). So numbers are only ever handed to strtod as
 * "DIGITSe-N" (no decimal point at all, which no locale changes), and printf
 * output is only taken apart digit by digit or with its decimal point
 * replaced, never trusted to contain '.'.
 */
#include "num.h"

#include "palmares/text.h"
#include "text.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NUMBER_CHARS 400

/* Reads [-]digits × 10^exp10 as a double, correctly rounded by strtod. */
static int digits_to_double(int neg, const char *digits, size_t nd, long exp10, double *out)
{
	char buf[MAX_NUMBER_CHARS + 32];
	char *end;
	double v;
	int n;

	if (nd == 0 || nd > MAX_NUMBER_CHARS)
		return -1;
	/*
	 * Clinger's fast path: up to 15 digits are exact in a double, and so are
	 * the powers of ten up to 1e22, so one multiplication or division is
	 * correctly rounded — the same result as strtod, without a printf.
	 */
	if (nd <= 15 && exp10 >= -22 && exp10 <= 22) {
		static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
			1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
		uint64_t m = 0;
		for (size_t i = 0; i < nd; i++)
			m = m * 10 + (uint64_t)(digits[i] - '0');
		v = exp10 < 0 ? (double)m / pow10[-exp10] : (double)m * pow10[exp10];
		*out = neg && v != 0 ? -v : v;
		return 0;
	}
	n = snprintf(buf, sizeof(buf), "%s%.*se%ld", neg ? "-" : "", (int)nd, digits, exp10);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(v))
		return -1;
	/* ERANGE with a finite result is underflow: the value is as close as a double gets */
	*out = v == 0 ? 0.0 : v; /* no -0 */
	return 0;
}

/* Length of a thousands separator at p (space, U+00A0, U+202F), else 0. */
static size_t group_sep(const char *p, const char *end)
{
	size_t left = (size_t)(end - p);
	if (left >= 1 && p[0] == ' ')
		return 1;
	if (left >= 2 && memcmp(p, "\xC2\xA0", 2) == 0)
		return 2;
	if (left >= 3 && memcmp(p, "\xE2\x80\xAF", 3) == 0)
		return 3;
	return 0;
}

static size_t space_at(const char *p, const char *end)
{
	if (p < end && (*p == '\t' || *p == '\r' || *p == '\n'))
		return 1;
	return group_sep(p, end);
}

/* Length of a space ending just before end, else 0. */
static size_t space_before(const char *begin, const char *end)
{
	size_t left = (size_t)(end - begin);
	if (left >= 1 && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		return 1;
	if (left >= 2 && memcmp(end - 2, "\xC2\xA0", 2) == 0)
		return 2;
	if (left >= 3 && memcmp(end - 3, "\xE2\x80\xAF", 3) == 0)
		return 3;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static size_t digit_run(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && is_digit(*q))
		q++;
	return (size_t)(q - p);
}

int eng_num_parse_office(const char *s, double *out, int *percent)
{
	char digits[MAX_NUMBER_CHARS];
	size_t nd = 0, run, k, nfrac = 0;
	const char *p, *end;
	int neg = 0, pct = 0;

	if (!s)
		return -1;
	p = s;
	end = s + strlen(s);
	if ((size_t)(end - p) > MAX_NUMBER_CHARS)
		return -1;
	while ((k = space_at(p, end)) > 0)
		p += k;
	while ((k = space_before(p, end)) > 0)
		end -= k;
	if (p < end && end[-1] == '%') {
		pct = 1;
		end--;
		while ((k = space_before(p, end)) > 0) /* French "12 %" */
			end -= k;
	}
	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	/* integer part: plain digits, or 1-3 digits then groups of exactly 3 */
	run = digit_run(p, end);
	memcpy(digits, p, run);
	nd = run;
	p += run;
	if (run > 0 && run <= 3) {
		while ((k = group_sep(p, end)) > 0) {
			if (digit_run(p + k, end) != 3)
				return -1;
			memcpy(digits + nd, p + k, 3);
			nd += 3;
			p += k + 3;
		}
	} /* "1234 567": p stops at the space and the number is rejected below */
	if (p < end && (*p == '.' || *p == ',')) {
		nfrac = digit_run(p + 1, end);
		if (nfrac == 0) /* "12." */
			return -1;
		memcpy(digits + nd, p + 1, nfrac);
		nd += nfrac;
		p += 1 + nfrac;
	}
	if (p != end || nd == 0)
		return -1;
	if (digits_to_double(neg, digits, nd, -(long)nfrac, out) < 0)
		return -1;
	*percent = pct;
	return 0;
}

int eng_num_thousands_guess(const char *s, char *out, size_t outlen, char *sep)
{
	const char *p = s, *end;
	size_t o = 0, run = 0, groups = 0;
	char sp = 0;
	while (*p == ' ')
		p++;
	end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		end--;
	for (; p < end; p++) {
		if (is_digit(*p)) {
			if (o + 1 >= outlen)
				goto no;
			out[o++] = *p;
			run++;
			continue;
		}
		if ((*p != '.' && *p != ',') || (sp && *p != sp))
			goto no;
		/* the first run has 1 to 3 digits, every group exactly 3 */
		if (run == 0 || run > 3 || (groups && run != 3))
			goto no;
		sp = *p;
		groups++;
		run = 0;
	}
	if (!groups || run != 3)
		goto no;
	out[o] = '\0';
	*sep = sp;
	return 1;
no:
	/* a caller reading out without looking at the result finds "", not half a number */
	if (outlen)
		out[0] = '\0';
	return 0;
}

int eng_num_parse_yesno(const char *s, int *out)
{
	static const char *const yes[] = { "true", "yes", "oui", "vrai", "1", "x" };
	static const char *const no[] = { "false", "no", "non", "faux", "0" };
	/* The spreadsheet's usual single characters, without folding. */
	if (s && s[0] && !s[1] && (s[0] == '1' || s[0] == 'x' || s[0] == 'X' || s[0] == '0')) {
		*out = s[0] != '0';
		return 0;
	}
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (palx_text_fold_eq(s, yes[i])) {
			*out = 1;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (palx_text_fold_eq(s, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

int eng_num_is_na(const char *s)
{
	static const char *const na[] = { "n/a", "na", "sans objet", "non concerne", "non concernee" };
	unsigned char c0 = s ? (unsigned char)*s : 0;
	/* Every word starts with n or s (after spaces): most cells, numbers and ids, stop here. */
	if (c0 < 0x80 && c0 != ' ' && c0 != '\t' && c0 != 'n' && c0 != 'N' && c0 != 's' && c0 != 'S')
		return 0;
	for (size_t i = 0; i < sizeof(na) / sizeof(na[0]); i++) {
		if (palx_text_fold_eq(s, na[i]))
			return 1;
	}
	return 0;
}

/*
 * x rounded as SPEC §4.5 says, as a decimal: |result| = *mant × 10^*exp10,
 * with *mant free of trailing zeros (0 for zero). x must be finite.
 */
static void round2_decimal(double x, int *neg, uint64_t *mant, int *exp10)
{
	char buf[64], digits[16] = "000000000000000";
	const char *p;
	size_t nd = 0;
	int e = 0, esign = 1, keep;
	uint64_t m = 0;

	*neg = x < 0;
	*mant = 0;
	*exp10 = 0;
	if (x == 0)
		return;
	/* 15 significant digits; printf rounds the exact binary value correctly */
	snprintf(buf, sizeof(buf), "%.14e", fabs(x));
	for (p = buf; *p && *p != 'e' && *p != 'E'; p++) { /* skip whatever the decimal point is */
		if (is_digit(*p) && nd < 15)
			digits[nd++] = *p;
	}
	if (*p)
		p++;
	if (*p == '-' || *p == '+')
		esign = *p++ == '-' ? -1 : 1;
	for (; is_digit(*p); p++)
		e = e * 10 + (*p - '0');
	e *= esign;
	/* value = 0.d1…d15 × 10^(e+1): the digits kept up to 10^-2 are the first e + 3 */
	keep = e + 3;
	if (keep >= 15) {
		for (size_t i = 0; i < nd; i++)
			m = m * 10 + (uint64_t)(digits[i] - '0');
		*exp10 = e - 14;
	} else if (keep >= 0) {
		for (int i = 0; i < keep; i++)
			m = m * 10 + (uint64_t)(digits[i] - '0');
		if (digits[keep] >= '5') /* half away from zero: the magnitude goes up */
			m++;
		*exp10 = -2;
	} /* else |x| < 0.001: rounds to 0 */
	if (m == 0) {
		*exp10 = 0;
		*neg = 0;
	}
	while (m != 0 && m % 10 == 0) {
		m /= 10;
		(*exp10)++;
	}
	*mant = m;
}

static double round2_slow(double x)
{
	char buf[64];
	int neg, e10;
	uint64_t m;
	double r;

	if (!isfinite(x))
		return x;
	round2_decimal(x, &neg, &m, &e10);
	if (m == 0)
		return 0.0;
	/* "DIGITSe-N" has no decimal point, so strtod reads it the same in every locale */
	snprintf(buf, sizeof(buf), "%s%" PRIu64 "e%d", neg ? "-" : "", m, e10);
	r = strtod(buf, NULL);
	return isfinite(r) ? r : x; /* 15 digits of DBL_MAX round above it */
}

/*
 * Fast path of the SPEC §4.5 rounding: when |x| × 100 is clearly away from a
 * half (farther than the 15-digit step could move it), the rounded value is
 * plain integer cents. Returns 0 and the signed cents, or -1 when the decimal
 * method must decide (a near-half, or a huge value).
 */
static int fast_cents(double x, int64_t *cents)
{
	double y = fabs(x) * 100;
	if (!(y < 1e12))
		return -1;
	double fl = floor(y), frac = y - fl;
	double margin = 1e-9 + y * 1e-13;
	if (fabs(frac - 0.5) <= margin)
		return -1;
	int64_t c = (int64_t)fl + (frac > 0.5);
	*cents = x < 0 ? -c : c;
	return 0;
}

double eng_round2(double x)
{
	int64_t cents;
	if (isfinite(x) && fast_cents(x, &cents) == 0)
		return cents == 0 ? 0.0 : (double)cents / 100;
	return round2_slow(x);
}

/* Copies the text into buf as snprintf would; returns its full length. */
static int emit(const char *text, char *buf, size_t len)
{
	size_t n = strlen(text);
	if (len > 0) {
		size_t c = n < len ? n : len - 1;
		memcpy(buf, text, c);
		buf[c] = '\0';
	}
	return (int)n;
}

/* Writes |cents| (with a sign when neg) as the shortest decimal: 1250 -> "12.5". */
static int snprintf_cents(char *out, size_t size, int neg, uint64_t a)
{
	char tmp[32];
	size_t o = 0, n = 0;
	uint64_t ip = a / 100;
	unsigned fr = (unsigned)(a % 100);
	if (neg)
		out[o++] = '-';
	do {
		tmp[n++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	while (n && o + 1 < size)
		out[o++] = tmp[--n];
	if (fr) {
		out[o++] = '.';
		out[o++] = (char)('0' + fr / 10);
		if (fr % 10)
			out[o++] = (char)('0' + fr % 10);
	}
	out[o] = '\0';
	return (int)o;
}

int eng_format_number(double x, char *buf, size_t len)
{
	char digits[32], text[400];
	size_t nd, o = 0;
	int neg, e10;
	uint64_t m;

	if (!isfinite(x)) {
		emit("", buf, len);
		return -1;
	}
	int64_t cents;
	if (fast_cents(x, &cents) == 0) {
		/* integer cents: "-12.5", "100", "0.05" */
		uint64_t a = cents < 0 ? (uint64_t)-cents : (uint64_t)cents;
		int n = snprintf_cents(text, sizeof text, cents < 0 && a != 0, a);
		(void)n;
		return emit(text, buf, len);
	}
	round2_decimal(x, &neg, &m, &e10);
	snprintf(digits, sizeof(digits), "%" PRIu64, m);
	nd = strlen(digits);
	if (neg)
		text[o++] = '-';
	if (e10 >= 0) { /* integer: digits then zeros (e10 <= 308 - 14) */
		memcpy(text + o, digits, nd);
		o += nd;
		if (m != 0) {
			for (int i = 0; i < e10; i++)
				text[o++] = '0';
		}
	} else { /* e10 is -1 or -2 */
		size_t frac = (size_t)-e10;
		if (nd > frac) {
			memcpy(text + o, digits, nd - frac);
			o += nd - frac;
		} else {
			text[o++] = '0';
		}
		text[o++] = '.';
		for (size_t i = nd; i < frac; i++)
			text[o++] = '0';
		memcpy(text + o, digits + (nd > frac ? nd - frac : 0), nd < frac ? nd : frac);
		o += nd < frac ? nd : frac;
	}
	text[o] = '\0';
	return emit(text, buf, len);
}

/*
 * Reads back what printf("%.*g") wrote once its decimal point has been made
 * '.': [-]D[.D][e±D] becomes "[-]DDe±N" for strtod.
 */
static int read_back(const char *s, double *out)
{
	char digits[32];
	size_t nd = 0;
	long frac = 0, e = 0;
	int neg = 0, esign = 1, in_frac = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s && *s != 'e'; s++) {
		if (*s == '.') {
			in_frac = 1;
		} else if (is_digit(*s) && nd < sizeof(digits)) {
			digits[nd++] = *s;
			frac += in_frac;
		} else {
			return -1;
		}
	}
	if (*s == 'e') {
		s++;
		if (*s == '-' || *s == '+')
			esign = *s++ == '-' ? -1 : 1;
		for (; is_digit(*s); s++)
			e = e * 10 + (*s - '0');
	}
	return digits_to_double(neg, digits, nd, esign * e - frac, out);
}

int eng_format_number_full(double x, char *buf, size_t len)
{
	char raw[64], text[64];

	if (!isfinite(x)) {
		emit("", buf, len);
		return -1;
	}
	if (x == 0)
		return emit("0", buf, len); /* also -0 */
	/*
	 * Most answers and marks are integers or have two decimals: when a number
	 * of cents reads back as exactly x, that short form is the shortest one.
	 */
	double y = x * 100;
	if (fabs(y) < 1e15 && y == floor(y) && (double)(int64_t)y / 100 == x) {
		int64_t c = (int64_t)y;
		snprintf_cents(text, sizeof text, c < 0, c < 0 ? (uint64_t)-c : (uint64_t)c);
		return emit(text, buf, len);
	}
	for (int prec = 15; prec <= 17; prec++) {
		size_t o = 0;
		double back;
		snprintf(raw, sizeof(raw), "%.*g", prec, x);
		/* the locale's decimal point (',' or several bytes) becomes '.' */
		for (const char *p = raw; *p; p++) {
			if (is_digit(*p) || *p == '-' || *p == '+' || *p == 'e') {
				text[o++] = *p;
			} else if (o == 0 || text[o - 1] != '.') {
				text[o++] = '.';
			}
		}
		text[o] = '\0';
		if (prec == 17 || (read_back(text, &back) == 0 && back == x))
			break;
	}
	return emit(text, buf, len);
}

int pal_text_number(const char *s, double *out, int *percent)
{
	int pc = 0;
	if (!s || !out)
		return -1;
	int rc = eng_num_parse_office(s, out, &pc);
	if (percent)
		*percent = pc;
	return rc;
}
