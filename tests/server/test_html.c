/*
 * The HTML writer from the side of the attacker: payloads typed into a form
 * come out as text, never as markup; URLs that run script are not written;
 * raw markup only through html_raw_trusted(). html.c is
 * compiled in with failing allocations, so that running out of memory at
 * any allocation is reported at the end and leaks nothing.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "../unit/failing_alloc.h"
#include "../../server/html.c"

/* The output of a writer that must have succeeded; free with test_free (free). */
static char *take_ok(html *h)
{
	html_status st;
	size_t len = 0;
	char *out = html_take(h, &len, &st);
	assert_int_equal(st, HTML_OK);
	assert_non_null(out);
	assert_int_equal(len, strlen(out));
	return out;
}

static void check_text(const char *in, const char *want)
{
	html *h = html_new(1 << 16);
	char *out;
	assert_non_null(h);
	html_element_text(h, "p", in);
	out = take_ok(h);
	assert_string_equal(out, want);
	free(out);
	html_free(h);
}

static void test_text_escaped(void **state)
{
	(void)state;
	check_text("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	check_text("Tom & \"Jerry\" l'été", "<p>Tom &amp; &quot;Jerry&quot; l&#39;été</p>");
	check_text("&lt;already&gt;", "<p>&amp;lt;already&amp;gt;</p>");
	check_text("'; DROP TABLE town; --", "<p>&#39;; DROP TABLE town; --</p>");
	/* bidi override and zero-width space removed, invalid UTF-8 replaced */
	check_text("Par\xe2\x80\x8bis\xe2\x80\xae<b>", "<p>Paris&lt;b&gt;</p>");
	check_text("a\xff<", "<p>a\xef\xbf\xbd&lt;</p>");
}

static void test_attribute_escaped(void **state)
{
	(void)state;
	html *h = html_new(1 << 16);
	char *out;
	html_open(h, "input");
	html_attr(h, "name", "town");
	html_attr(h, "value", "\" onmouseover=\"alert(1)");
	html_attr_flag(h, "required", 1);
	html_attr_flag(h, "disabled", 0);
	html_open(h, "input");
	html_attr(h, "value", "' autofocus onfocus='x");
	html_attr_int(h, "size", 12);
	out = take_ok(h);
	assert_string_equal(out, "<input name=\"town\" value=\"&quot; onmouseover=&quot;alert(1)\" required>"
				 "<input value=\"&#39; autofocus onfocus=&#39;x\" size=\"12\">");
	free(out);
	html_free(h);
}

static void test_multiline_textarea(void **state)
{
	(void)state;
	html *h = html_new(1 << 16);
	const char *typed = "\nline 1\r\n</textarea><script>x</script>\nline 3";
	char *out;
	html_open(h, "textarea");
	html_attr(h, "name", "c1");
	html_text_n(h, typed, strlen(typed), HTML_MULTILINE);
	html_close(h, "textarea");
	out = take_ok(h);
	assert_string_equal(out,
			    "<textarea name=\"c1\">\n\nline 1\n&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;\n"
			    "line 3</textarea>");
	free(out);
	html_free(h);
}

static void test_url_check(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"",
		"/",
		"dossier/3",
		"/verify/ABCD",
		"?page=2",
		"#top",
		"//example.org/x",
		"http://a.b/",
		"HTTPS://a.b/c?d=e#f",
		"mailto:mairie@example.fr",
		"a/b:c",
		"./x:y",
	};
	static const char *const bad[] = {
		"javascript:alert(1)",
		"JaVaScRiPt:alert(1)",
		" javascript:alert(1)",
		"java\tscript:alert(1)",
		"java\nscript:x",
		"\x01javascript:x",
		"data:text/html;base64,PHNjcmlwdD4=",
		"vbscript:msgbox(1)",
		"file:///etc/passwd",
		"http ://x",
		"https:/\x7f",
		"\xe2\x80\x8bjavascript:x",
		"javascript&colon;x:",
		"ftp://example.org",
		"\xff:",
		NULL,
	};
	size_t i;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (!html_url_ok(ok[i]))
			fail_msg("refused: \"%s\"", ok[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (html_url_ok(bad[i]))
			fail_msg("accepted: \"%s\"", bad[i]);
}

static void test_url_attribute(void **state)
{
	(void)state;
	html *h = html_new(1 << 16);
	char *out;
	html_open(h, "a");
	html_attr(h, "href", "javascript:alert(document.cookie)");
	html_text(h, "x");
	html_close(h, "a");
	html_open(h, "img");
	html_attr(h, "src", "data:image/svg+xml,<svg onload=alert(1)>");
	html_attr(h, "alt", "y");
	html_open(h, "a");
	html_attr(h, "href", "/dossier?town=\"1\"&x=<2>");
	html_close(h, "a");
	html_open(h, "form");
	html_attr(h, "action", "JAVASCRIPT:x");
	html_close(h, "form");
	/* a zero-width space inside the scheme is removed, then the URL is checked */
	html_open(h, "a");
	html_attr(h, "href", "java\xe2\x80\x8bscript:alert(1)");
	html_close(h, "a");
	out = take_ok(h);
	assert_string_equal(out, "<a href=\"#invalid-url\">x</a><img src=\"#invalid-url\" alt=\"y\">"
				 "<a href=\"/dossier?town=&quot;1&quot;&amp;x=&lt;2&gt;\"></a>"
				 "<form action=\"#invalid-url\"></form><a href=\"#invalid-url\"></a>");
	free(out);
	html_free(h);
}

/* Each misuse sets HTML_MISUSE, which sticks, and the page is not given out. */
static void check_misuse(void (*write)(html *h))
{
	html *h = html_new(1 << 16);
	html_status st;
	char *out;
	html_element_text(h, "p", "before");
	write(h);
	assert_int_equal(html_status_of(h), HTML_MISUSE);
	html_element_text(h, "p", "after");
	out = html_take(h, NULL, &st);
	assert_null(out);
	assert_int_equal(st, HTML_MISUSE);
	html_free(h);
}

static void w_script(html *h)
{
	html_open(h, "script");
}
static void w_style(html *h)
{
	html_open(h, "style");
}
static void w_close_script(html *h)
{
	html_close(h, "script");
}
static void w_tag_name(html *h)
{
	html_open(h, "p onclick=alert(1)");
}
static void w_event(html *h)
{
	html_open(h, "div");
	html_attr(h, "onmouseover", "alert(1)");
}
static void w_event_upper(html *h)
{
	html_open(h, "div");
	html_attr(h, "ONCLICK", "alert(1)");
}
static void w_style_attr(html *h)
{
	html_open(h, "div");
	html_attr(h, "style", "background:url(javascript:x)");
}
static void w_attr_name(html *h)
{
	html_open(h, "div");
	html_attr(h, "title=\"x\" onclick", "y");
}
static void w_attr_outside(html *h)
{
	html_text(h, "text");
	html_attr(h, "title", "x");
}
static void w_flag_outside(html *h)
{
	html_attr_flag(h, "checked", 0);
}
static void w_iframe(html *h)
{
	html_open(h, "iframe");
}

static void test_misuse(void **state)
{
	(void)state;
	check_misuse(w_script);
	check_misuse(w_style);
	check_misuse(w_close_script);
	check_misuse(w_tag_name);
	check_misuse(w_event);
	check_misuse(w_event_upper);
	check_misuse(w_style_attr);
	check_misuse(w_attr_name);
	check_misuse(w_attr_outside);
	check_misuse(w_flag_outside);
	check_misuse(w_iframe);
}

static void test_raw_trusted(void **state)
{
	(void)state;
	html *h = html_new(1 << 16);
	char *out;
	html_raw_trusted(h, "<!DOCTYPE html>\n");
	html_open(h, "html");
	html_attr(h, "lang", "fr");
	html_raw_trusted(h, "<meta charset=\"utf-8\">");
	html_int(h, -42);
	html_close(h, "html");
	out = take_ok(h);
	assert_string_equal(out, "<!DOCTYPE html>\n<html lang=\"fr\"><meta charset=\"utf-8\">-42</html>");
	free(out);
	html_free(h);
}

static void test_size_bound(void **state)
{
	(void)state;
	html *h = html_new(100);
	html_status st;
	char *out;
	int i;
	for (i = 0; i < 20; i++)
		html_element_text(h, "p", "0123456789");
	assert_int_equal(html_status_of(h), HTML_TOO_BIG);
	out = html_take(h, NULL, &st);
	assert_null(out);
	assert_int_equal(st, HTML_TOO_BIG);
	/* taken: the writer is empty and usable again, under the same bound */
	html_text(h, "<ok>");
	out = take_ok(h);
	assert_string_equal(out, "&lt;ok&gt;");
	free(out);
	/* exactly at the bound is allowed */
	html_raw_trusted(h, "0123456789012345678901234567890123456789012345678901234567890123456789"
			    "012345678901234567890123456789");
	out = take_ok(h);
	assert_int_equal(strlen(out), 100);
	free(out);
	html_free(h);
	html_free(NULL);
}

/* Plain ASCII attributes (most of the dossier form's) are written without
 * a copy: once the buffer is large enough, a page of them allocates nothing
 * (each used to cost a malloc of three times its length). */
static void test_ascii_attribute_no_copy(void **state)
{
	(void)state;
	html *h = html_new(1 << 20);
	assert_non_null(h);
	html_raw_trusted(h, "<p>");
	failing_alloc_arm(0);
	html_open(h, "input");
	html_attr(h, "name", "site-rgaa.evidence");
	html_attr(h, "value", "12 & <b>\"x\"</b>");
	html_attr(h, "href", "javascript:alert(1)");
	int fired = failing_alloc_fired;
	failing_alloc_disarm();
	/* the first reserve of html_raw_trusted made a 256-byte buffer, enough */
	assert_false(fired);
	char *out = take_ok(h);
	assert_string_equal(out, "<p><input name=\"site-rgaa.evidence\" value=\"12 &amp; &lt;b&gt;&quot;x&quot;&lt;/b&gt;\""
				 " href=\"#invalid-url\">");
	free(out);
	html_free(h);
}

/* Fails the n-th allocation for n = 0, 1, ... until the page is written:
 * every failure ends as HTML_NOMEM at html_take(), and nothing leaks. */
static void test_out_of_memory(void **state)
{
	(void)state;
	long n;
	for (n = 0;; n++) {
		html *h;
		html_status st;
		char *out;
		int fired;
		failing_alloc_arm(n);
		h = html_new(1 << 20);
		if (h) {
			int i;
			for (i = 0; i < 40; i++) {
				html_open(h, "a");
				html_attr(h, "href", "/t\xc3\xa9st?x=1");
				html_attr(h, "title", "\xc3\xa9t\xc3\xa9 <b>");
				html_text(h, "Saint-\xc3\x89tienne & Lyon");
				html_close(h, "a");
			}
		}
		out = html_take(h, NULL, &st);
		fired = failing_alloc_fired;
		failing_alloc_disarm();
		if (!fired) {
			assert_non_null(out);
			assert_int_equal(st, HTML_OK);
			free(out);
			html_free(h);
			break;
		}
		assert_null(out);
		assert_int_equal(st, HTML_NOMEM);
		html_free(h);
	}
	assert_true(n > 3);
}

/*
 * The escaping of the writer against the rules written the slow way (one
 * byte at a time, as before the table of html.c): for every byte value
 * alone and in company, and for random strings biased to the bytes that
 * matter (& < > " ' controls, UTF-8 lead and continuation bytes), text,
 * multi-line text and attribute values (plain and URL) come out the same.
 * The table is a speed-up only: a byte it classes wrongly fails here.
 */
static void ref_escape(char *out, size_t *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *e = NULL;
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: out[(*o)++] = s[i]; continue;
		}
		memcpy(out + *o, e, strlen(e));
		*o += strlen(e);
	}
}

/* The reference of one text: cleaned unless printable ASCII, then escaped. */
static void ref_text(char *out, size_t *o, const char *s, size_t n, unsigned flags)
{
	int plain = 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7F)
			plain = 0;
	if (plain) {
		ref_escape(out, o, s, n);
		return;
	}
	char *clean = malloc(3 * n + 1);
	assert_non_null(clean);
	size_t cn = pal_text_clean_into(s, n, flags, clean);
	clean[cn] = '\0';
	ref_escape(out, o, clean, cn);
	free(clean);
}

static void check_against_reference(const char *s, size_t n)
{
	char *want = malloc(40 * n + 200);
	size_t o = 0;
	assert_non_null(want);
	html *h = html_new(1 << 20);
	assert_non_null(h);
	/* text (no NUL inside: html_text_n's contract), multi-line text, value, href */
	html_open(h, "p");
	html_text_n(h, s, n, 0);
	html_close(h, "p");
	memcpy(want + o, "<p>", 3), o += 3;
	ref_text(want, &o, s, n, 0);
	memcpy(want + o, "</p>", 4), o += 4;
	html_open(h, "textarea");
	html_text_n(h, s, n, HTML_MULTILINE);
	html_close(h, "textarea");
	memcpy(want + o, "<textarea>\n", 11), o += 11;
	ref_text(want, &o, s, n, PAL_TEXT_MULTILINE);
	memcpy(want + o, "</textarea>", 11), o += 11;
	char *z = malloc(n + 1);
	assert_non_null(z);
	memcpy(z, s, n);
	z[n] = '\0';
	html_open(h, "a");
	html_attr(h, "title", z);
	html_attr(h, "href", z);
	memcpy(want + o, "<a title=\"", 10), o += 10;
	size_t start = o;
	ref_text(want, &o, z, n, 0);
	/* the URL check sees the cleaned, unescaped value */
	char *clean = malloc(3 * n + 1);
	assert_non_null(clean);
	int plain = 1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)z[i] < 0x20 || (unsigned char)z[i] >= 0x7F)
			plain = 0;
	size_t cn = plain ? n : pal_text_clean_into(z, n, 0, clean);
	if (plain)
		memcpy(clean, z, n);
	clean[cn] = '\0';
	size_t vlen = o - start;
	memcpy(want + o, "\" href=\"", 8), o += 8;
	if (html_url_ok(clean)) {
		memmove(want + o, want + start, vlen);
		o += vlen;
	} else {
		memcpy(want + o, "#invalid-url", 12), o += 12;
	}
	memcpy(want + o, "\">", 2), o += 2;
	want[o] = '\0';
	char *out = take_ok(h);
	assert_string_equal(out, want);
	free(out);
	free(clean);
	free(z);
	free(want);
	html_free(h);
}

static void test_escaping_matches_reference(void **state)
{
	(void)state;
	static const char bias[] = "&<>\"'\n\r\t\x01\x7f\x80\xbf\xc3\xa9\xe2\x80\xae\xf0\x9f aZ:/#?"
				   "\xcc\x81\xe2\x80\x8d\xc2\xad\xc2\xa0\xe2\x80\xa8\xe2\x86\x92\xe2\x80\x94"
				   "\xef\xbb\xbf\xed\xa0\x80\xe0\x80\xaf\xc2\x85";
	char s[64];
	for (int c = 1; c < 256; c++) {
		s[0] = (char)c;
		check_against_reference(s, 1);
		s[0] = 'a', s[1] = (char)c, s[2] = 'b', s[3] = (char)c;
		check_against_reference(s, 4);
	}
	/* every character of two and three bytes, alone, in a word, in a run */
	for (unsigned cp = 0x80; cp < 0x10000; cp++) {
		char e[3];
		size_t len;
		if (cp < 0x800) {
			e[0] = (char)(0xC0 | (cp >> 6)), e[1] = (char)(0x80 | (cp & 0x3F)), len = 2;
		} else {
			e[0] = (char)(0xE0 | (cp >> 12)), e[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			e[2] = (char)(0x80 | (cp & 0x3F)), len = 3;
		}
		if (cp % 7 == 0 || cp < 0x800 || (cp >= 0x2000 && cp < 0x2100) || cp >= 0xFE00) {
			memcpy(s, e, len);
			check_against_reference(s, len);
			s[0] = 'x';
			memcpy(s + 1, e, len);
			memcpy(s + 1 + len, e, len);
			s[1 + 2 * len] = '<';
			check_against_reference(s, 2 + 2 * len);
		}
	}
	unsigned seed = 12345;
	for (int t = 0; t < 20000; t++) {
		size_t n = (size_t)(t % 40);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 16;
			s[i] = (r & 1) ? bias[(r >> 1) % (sizeof bias - 1)] : (char)(1 + (r >> 1) % 255);
		}
		check_against_reference(s, n);
	}
}

/* Numbers without snprintf: the extremes and around the powers of ten. */
static void test_numbers(void **state)
{
	(void)state;
	static const long long v[] = {0, 1, -1, 9, 10, -10, 99, 100, 123456789, -987654321,
				      LLONG_MAX, LLONG_MIN, LLONG_MIN + 1, 1000000000000LL};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char want[128];
		html *h = html_new(1 << 10);
		assert_non_null(h);
		html_open(h, "i");
		html_attr_int(h, "value", v[i]);
		html_int(h, v[i]);
		html_close(h, "i");
		snprintf(want, sizeof want, "<i value=\"%lld\">%lld</i>", v[i], v[i]);
		char *out = take_ok(h);
		assert_string_equal(out, want);
		free(out);
		html_free(h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_escaped),       cmocka_unit_test(test_attribute_escaped),
		cmocka_unit_test(test_multiline_textarea), cmocka_unit_test(test_url_check),
		cmocka_unit_test(test_url_attribute),      cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_raw_trusted),        cmocka_unit_test(test_size_bound),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_ascii_attribute_no_copy),
		cmocka_unit_test(test_escaping_matches_reference),
		cmocka_unit_test(test_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
