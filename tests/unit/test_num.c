/*
 * Unit tests for engine/num.c. Every check runs once in the C locale and
 * once more under a locale whose decimal point is ',' (fr_FR.UTF-8 or
 * similar) when one is installed; that run is skipped otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "num.h"
#include "palmares/text.h"

static void accept(const char *s, double want, int want_pct)
{
	double v = -999;
	int pct = -1;
	if (eng_num_parse_office(s, &v, &pct) != 0)
		fail_msg("rejected \"%s\"", s);
	if (v != want || pct != want_pct)
		fail_msg("\"%s\": got %.17g pct %d, want %.17g pct %d", s, v, pct, want, want_pct);
	assert_false(signbit(v) && v == 0);
}

static void reject(const char *s)
{
	double v = -999;
	int pct = -1;
	if (eng_num_parse_office(s, &v, &pct) != -1)
		fail_msg("accepted \"%s\" as %.17g", s, v);
	assert_true(v == -999 && pct == -1); /* outputs untouched */
}

static void check_parse(void)
{
	accept("12", 12, 0);
	accept("12.5", 12.5, 0);
	accept("12,5", 12.5, 0);
	accept("-3", -3, 0);
	accept("-0", 0, 0);
	accept("0", 0, 0);
	accept("007", 7, 0);
	accept("  42  ", 42, 0);
	accept("\t42\r\n", 42, 0);
	accept("\xC2\xA0" "42\xE2\x80\xAF", 42, 0);
	accept("1 234", 1234, 0);
	accept("1 234,5", 1234.5, 0);
	accept("1 234 567.25", 1234567.25, 0);
	accept("-1 234 567,25", -1234567.25, 0);
	accept("1\xC2\xA0" "234", 1234, 0);      /* no-break space */
	accept("1\xE2\x80\xAF" "234,5", 1234.5, 0); /* narrow no-break space */
	accept("12 345 678", 12345678, 0);
	accept("123 456", 123456, 0);
	accept("72.5%", 72.5, 1);
	accept("72,5 %", 72.5, 1);
	accept("72,5\xE2\x80\xAF%", 72.5, 1);
	accept("100%", 100, 1);
	accept("-5%", -5, 1);
	accept(".5", 0.5, 0);
	accept(",5", 0.5, 0);
	accept("0,5", 0.5, 0);
	accept("-.25", -0.25, 0);
	accept("0.1", 0.1, 0);
	accept("1,234", 1.234, 0); /* a decimal comma, never a thousands separator */
	accept("3.14159265358979323846", 3.14159265358979323846, 0);
	accept("0.30000000000000004", 0.30000000000000004, 0);
	accept("9007199254740993", 9007199254740992.0, 0); /* correctly rounded */

	reject(NULL);
	reject("");
	reject("   ");
	reject("douze");
	reject("12 douze");
	reject("1.234,5");
	reject("1,234.5");
	reject("1e5");
	reject("1E5");
	reject("12.");
	reject("12,");
	reject(".");
	reject("-");
	reject("%");
	reject("-%");
	reject("1,2,3");
	reject("1.2.3");
	reject("12%%");
	reject("12 %%");
	reject("% 12");
	reject("inf");
	reject("-inf");
	reject("nan");
	reject("infinity");
	reject("0x1A");
	reject("+3");
	reject("- 3");
	reject("--3");
	reject("1 23");
	reject("12 34");
	reject("1 2345");
	reject("1234 567");
	reject("1 234 56");
	reject("1  234");
	reject("1\t234");
	reject("1 234 ,5");
	reject("0,123 456");
	reject("1_000");
	reject("1'000");
	reject("12abc");
	reject("\xC2\xA0");
	/* numbers too long to be real are refused, huge values overflow */
	{
		char big[512];
		memset(big, '9', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		reject(big);
		big[350] = '\0';
		reject(big); /* 1e350 is not a double */
		big[300] = '\0';
		accept(big, 1e300, 0);
	}
}

static void check_yesno_na(void)
{
	static const char *const yes[] = { "true", "TRUE", "yes", "Yes", "oui", " OUI ", "vrai", "Vrai", "1", "x", "X",
	                                    "\xC2\xA0oui\xC2\xA0" };
	static const char *const no[] = { "false", "False", "no", "NO", "non", "Non", "faux", "FAUX", "0", " 0 " };
	static const char *const neither[] = { "", " ", "y", "n", "2", "01", "xx", "ouii", "vrai faux", "true1",
	                                       "non concerné", "-", "1.0" };
	int b;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		b = -1;
		assert_int_equal(eng_num_parse_yesno(yes[i], &b), 0);
		assert_int_equal(b, 1);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		b = -1;
		assert_int_equal(eng_num_parse_yesno(no[i], &b), 0);
		assert_int_equal(b, 0);
	}
	for (size_t i = 0; i < sizeof(neither) / sizeof(neither[0]); i++) {
		b = -1;
		assert_int_equal(eng_num_parse_yesno(neither[i], &b), -1);
		assert_int_equal(b, -1);
	}
	assert_int_equal(eng_num_parse_yesno(NULL, &b), -1);

	assert_true(eng_num_is_na("n/a"));
	assert_true(eng_num_is_na("N/A"));
	assert_true(eng_num_is_na(" na "));
	assert_true(eng_num_is_na("NA"));
	assert_true(eng_num_is_na("sans objet"));
	assert_true(eng_num_is_na("Sans  Objet"));
	assert_true(eng_num_is_na("non concerné"));
	assert_true(eng_num_is_na("Non Concerné"));
	assert_true(eng_num_is_na("NON CONCERNÉ"));
	assert_true(eng_num_is_na("non concerne"));
	assert_true(eng_num_is_na("Non concernée"));
	assert_true(eng_num_is_na("\xC2\xA0non\xC2\xA0" "concernée "));
	assert_false(eng_num_is_na(NULL));
	assert_false(eng_num_is_na(""));
	assert_false(eng_num_is_na("n"));
	assert_false(eng_num_is_na("nan"));
	assert_false(eng_num_is_na("n/a/"));
	assert_false(eng_num_is_na("non"));
	assert_false(eng_num_is_na("non concernés"));
	assert_false(eng_num_is_na("sans"));
	assert_false(eng_num_is_na("0"));
}

static void round_is(double x, double want)
{
	double r = eng_round2(x);
	if (r != want)
		fail_msg("eng_round2(%.17g) = %.17g, want %.17g", x, r, want);
	assert_false(r == 0 && signbit(r)); /* never -0 */
}

static void check_round2(void)
{
	round_is(1.005, 1.01);
	round_is(2.675, 2.68);
	round_is(-0.125, -0.13);
	round_is(0.125, 0.13);
	round_is(0.1 + 0.2, 0.3);
	round_is(1.0049999, 1.0);
	round_is(73.456, 73.46);
	round_is(72.5, 72.5);
	round_is(0.005, 0.01);
	round_is(-0.005, -0.01);
	round_is(0.0049, 0);
	round_is(-0.0049, 0);
	round_is(-0.001, 0);
	round_is(1e-300, 0);
	round_is(0, 0);
	round_is(-0.0, 0);
	round_is(99.995, 100);
	round_is(-99.995, -100);
	round_is(100.0 * 2 / 3, 66.67);
	round_is(100.0 / 3, 33.33);
	round_is(12345678.125, 12345678.13);
	round_is(1e20, 1e20);
	round_is(-1.5e300, -1.5e300);
	round_is(1.23456789012345678e17, 1.23456789012346e17); /* 15 significant digits */
	round_is(1.7976931348623157e308, 1.7976931348623157e308); /* 15 digits would overflow */
	round_is(4.35 * 100 / 100, 4.35);
	round_is(0.285, 0.29); /* binary 0.28499999999999998 */
	round_is(1.45, 1.45);
	assert_true(isnan(eng_round2(NAN)));
	assert_true(isinf(eng_round2(INFINITY)));
}

static void format_is(double x, const char *want)
{
	char buf[64];
	int n = eng_format_number(x, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void full_is(double x, const char *want)
{
	char buf[32];
	int n = eng_format_number_full(x, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void check_format(void)
{
	char small[4];
	format_is(73.5, "73.5");
	format_is(100, "100");
	format_is(0.05, "0.05");
	format_is(-1.25, "-1.25");
	format_is(0, "0");
	format_is(-0.0, "0");
	format_is(-0.001, "0");
	format_is(1.005, "1.01");
	format_is(2.675, "2.68");
	format_is(0.1 + 0.2, "0.3");
	format_is(66.666666, "66.67");
	format_is(10, "10");
	format_is(1234567.891, "1234567.89");
	format_is(0.5, "0.5");
	format_is(-0.07, "-0.07");
	format_is(1e20, "100000000000000000000");
	format_is(123456789012345678.0, "123456789012346000");
	format_is(1e-10, "0");
	assert_int_equal(eng_format_number(NAN, small, sizeof(small)), -1);
	assert_string_equal(small, "");
	assert_int_equal(eng_format_number(-INFINITY, small, sizeof(small)), -1);
	/* truncation is reported as snprintf does */
	assert_int_equal(eng_format_number(12345.67, small, sizeof(small)), 8);
	assert_string_equal(small, "123");
	{ /* the largest double fits the documented room */
		char big[400];
		int n = eng_format_number(-1.7976931348623157e308, big, sizeof(big));
		assert_int_equal(n, 310);
		assert_int_equal(strncmp(big, "-179769313486232000", 19), 0);
	}

	full_is(0.1, "0.1");
	full_is(0.1 + 0.2, "0.30000000000000004");
	full_is(72.5, "72.5");
	full_is(-3, "-3");
	full_is(0, "0");
	full_is(-0.0, "0");
	full_is(1.0 / 3, "0.3333333333333333");
	full_is(2.0 / 3, "0.6666666666666666");
	full_is(0.1 * 3, "0.30000000000000004");
	full_is(100.0 / 7, "14.285714285714286");
	full_is(1e20, "1e+20");
	full_is(1.5e-7, "1.5e-07");
	full_is(123456789.125, "123456789.125");
	full_is(5e-324, "4.94065645841247e-324"); /* 15 digits already read back */
	full_is(1.7976931348623157e308, "1.7976931348623157e+308");
	assert_int_equal(eng_format_number_full(NAN, small, sizeof(small)), -1);
	assert_string_equal(small, "");
}

static void test_parse(void **state)
{
	(void)state;
	check_parse();
}

static void test_yesno_na(void **state)
{
	(void)state;
	check_yesno_na();
}

/* A count typed with '.' or ',' as thousands separator: the digits it stands for, or nothing. */
static void guess_is(const char *s, const char *digits)
{
	char out[32] = "unchanged";
	char sep = 0;
	int r = eng_num_thousands_guess(s, out, sizeof out, &sep);
	if (!digits) {
		assert_int_equal(r, 0);
		assert_string_equal(out, ""); /* not the digits read before the refusal */
		return;
	}
	assert_int_equal(r, 1);
	assert_string_equal(out, digits);
	assert_true(sep == '.' || sep == ',');
}

static void test_thousands_guess(void **state)
{
	(void)state;
	char out[8], sep;
	guess_is("320.732", "320732");
	guess_is("222,485", "222485");
	guess_is(" 1.234.567 ", "1234567");
	guess_is("1,000", "1000");
	guess_is("-2.500", NULL);    /* a count is never negative */
	guess_is("2.5", NULL);       /* a decimal: not three digits after the separator */
	guess_is("3500,50", NULL);
	guess_is("1234.567", NULL);  /* more than three digits before the first group */
	guess_is("1.234,567", NULL); /* two separators: a decimal part, not groups */
	guess_is("12", NULL);
	guess_is("", NULL);
	guess_is(".500", NULL);
	guess_is("1.23.456", NULL);
	assert_int_equal(eng_num_thousands_guess("1.234.567", out, 7, &sep), 0); /* no room */
	assert_string_equal(out, "");
	assert_int_equal(eng_num_thousands_guess("1.234.567", out, 8, &sep), 1);
	assert_string_equal(out, "1234567");
	assert_int_equal(sep, '.');
}

static void test_round2(void **state)
{
	(void)state;
	check_round2();
}

static void test_format(void **state)
{
	(void)state;
	check_format();
}

/* Everything again under a locale whose decimal point is a comma. */
static void test_comma_locale(void **state)
{
	(void)state;
	static const char *const names[] = { "fr_FR.UTF-8", "fr_FR.utf8", "fr_FR", "de_DE.UTF-8", "de_DE.utf8" };
	const char *got = NULL;
	char probe[16];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !got; i++)
		got = setlocale(LC_ALL, names[i]);
	if (!got) {
		print_message("no fr_FR/de_DE locale installed: comma-locale checks skipped\n");
		skip();
	}
	snprintf(probe, sizeof(probe), "%.1f", 1.5);
	assert_string_equal(probe, "1,5"); /* the locale really is active */
	check_parse();
	check_yesno_na();
	check_round2();
	check_format();
	setlocale(LC_ALL, "C");
}

/* The public reading of a typed number (the web form's) is the office rule. */
static void test_public_number(void **state)
{
	double d = -1;
	int pc = -1;
	(void)state;
	assert_int_equal(pal_text_number("1 234,5", &d, &pc), 0);
	assert_true(d == 1234.5 && pc == 0);
	assert_int_equal(pal_text_number("40 %", &d, &pc), 0);
	assert_true(d == 40 && pc == 1);
	assert_int_equal(pal_text_number("12,5", &d, NULL), 0);
	assert_true(d == 12.5);
	d = 7;
	assert_int_equal(pal_text_number("douze", &d, &pc), -1);
	assert_true(d == 7); /* untouched */
	assert_int_equal(pal_text_number("1e3", &d, &pc), -1);
	assert_int_equal(pal_text_number(NULL, &d, &pc), -1);
	assert_int_equal(pal_text_number("1", NULL, &pc), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_yesno_na),
		cmocka_unit_test(test_thousands_guess),
		cmocka_unit_test(test_round2),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_comma_locale),
		cmocka_unit_test(test_public_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
