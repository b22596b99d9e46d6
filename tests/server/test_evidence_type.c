/*
 * Unit tests of server/evidence_type.c: a file's kind from its bytes (the
 * allow-list, and what is refused however it is named), the stored name,
 * and the Content-Disposition of a download.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "evidence_type.h"

static unsigned char zipbuf[4096];

static size_t put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	return 2;
}

static size_t put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
	return 4;
}

/* A zip of stored entries names[i] holding texts[i], as office suites write one. */
static size_t make_zip(const char *const *names, const char *const *texts, size_t n)
{
	size_t at = 0, offs[8], cd;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]), tl = strlen(texts[i]);
		offs[i] = at;
		memcpy(zipbuf + at, "PK\3\4", 4);
		memset(zipbuf + at + 4, 0, 26);
		put32(zipbuf + at + 18, (uint32_t)tl);
		put32(zipbuf + at + 22, (uint32_t)tl);
		put16(zipbuf + at + 26, (unsigned)nl);
		memcpy(zipbuf + at + 30, names[i], nl);
		memcpy(zipbuf + at + 30 + nl, texts[i], tl);
		at += 30 + nl + tl;
	}
	cd = at;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		memcpy(zipbuf + at, "PK\1\2", 4);
		memset(zipbuf + at + 4, 0, 42);
		put16(zipbuf + at + 28, (unsigned)nl);
		put32(zipbuf + at + 42, (uint32_t)offs[i]);
		memcpy(zipbuf + at + 46, names[i], nl);
		at += 46 + nl;
	}
	memcpy(zipbuf + at, "PK\5\6", 4);
	memset(zipbuf + at + 4, 0, 18);
	put16(zipbuf + at + 8, (unsigned)n);
	put16(zipbuf + at + 10, (unsigned)n);
	put32(zipbuf + at + 12, (uint32_t)(at - cd));
	put32(zipbuf + at + 16, (uint32_t)cd);
	return at + 22;
}

static const char *kind_of(const void *d, size_t len)
{
	const evidence_kind *k = evidence_sniff(d, len);
	return k ? k->ext : "refused";
}

static void test_allowed(void **state)
{
	(void)state;
	assert_string_equal(kind_of("%PDF-1.7\n%\xe2\xe3\n", 14), "pdf");
	assert_string_equal(kind_of("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "png");
	assert_string_equal(kind_of("\xff\xd8\xff\xe0\0\x10JFIF", 10), "jpg");
	assert_string_equal(kind_of("Délibération du conseil\r\nn° 12\n", 33), "txt");
	assert_string_equal(evidence_sniff((const unsigned char *)"x", 1)->type, "text/plain; charset=utf-8");
	const char *odt_n[] = {"mimetype", "content.xml"},
		   *odt_t[] = {"application/vnd.oasis.opendocument.text", "<x/>"};
	assert_string_equal(kind_of(zipbuf, make_zip(odt_n, odt_t, 2)), "odt");
	const char *ods_t[] = {"application/vnd.oasis.opendocument.spreadsheet", "<x/>"};
	assert_string_equal(kind_of(zipbuf, make_zip(odt_n, ods_t, 2)), "ods");
	const char *docx_n[] = {"[Content_Types].xml", "_rels/.rels", "word/document.xml"},
		   *docx_t[] = {"<Types/>", "<R/>", "<w/>"};
	assert_string_equal(kind_of(zipbuf, make_zip(docx_n, docx_t, 3)), "docx");
	const char *xlsx_n[] = {"[Content_Types].xml", "xl/workbook.xml"}, *xlsx_t[] = {"<Types/>", "<w/>"};
	assert_string_equal(kind_of(zipbuf, make_zip(xlsx_n, xlsx_t, 2)), "xlsx");
}

static void test_refused(void **state)
{
	(void)state;
	assert_string_equal(kind_of("MZ\x90\0\3\0\0\0", 8), "refused"); /* a Windows executable */
	assert_string_equal(kind_of("\x7f"
				    "ELF\2\1\1\0",
				    8),
			    "refused");                                       /* an ELF one */
	assert_string_equal(kind_of("#!/bin/sh\nrm -rf /\n", 19), "refused"); /* a script */
	assert_string_equal(kind_of("<!DOCTYPE html><script>x</script>", 33), "refused");
	assert_string_equal(kind_of("\xef\xbb\xbf  \n<svg onload=x>", 20),
			    "refused"); /* BOM, spaces, markup */
	assert_string_equal(kind_of("text\0with NUL", 13), "refused");
	assert_string_equal(kind_of("caf\xe9", 4), "refused"); /* not UTF-8 */
	assert_string_equal(kind_of("bell\a", 5), "refused");
	assert_string_equal(kind_of("", 0), "refused");
	assert_null(evidence_sniff(NULL, 0));
	/* a zip that is no document, one with macros, one whose names climb out, a truncated one */
	const char *zip_n[] = {"a.txt"}, *zip_t[] = {"hello"};
	assert_string_equal(kind_of(zipbuf, make_zip(zip_n, zip_t, 1)), "refused");
	const char *m_n[] = {"[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"},
		   *m_t[] = {"<Types/>", "<w/>", "x"};
	assert_string_equal(kind_of(zipbuf, make_zip(m_n, m_t, 3)), "refused");
	const char *d_n[] = {"[Content_Types].xml", "word/document.xml", "../../etc/x"},
		   *d_t[] = {"a", "b", "c"};
	size_t len = make_zip(d_n, d_t, 3);
	assert_string_equal(kind_of(zipbuf, len), "refused");
	const char *b_n[] = {"mimetype"}, *b_t[] = {"application/vnd.oasis.opendocument.base"};
	assert_string_equal(kind_of(zipbuf, make_zip(b_n, b_t, 1)), "refused");
	const char *docx_n[] = {"[Content_Types].xml", "word/document.xml"}, *docx_t[] = {"<Types/>", "<w/>"};
	len = make_zip(docx_n, docx_t, 2);
	for (size_t cut = 0; cut < len; cut++)
		evidence_sniff(zipbuf, cut); /* never reads past the end (ASan, valgrind) */
	assert_string_equal(kind_of(zipbuf, len - 1), "refused");
}

static void test_name(void **state)
{
	(void)state;
	char out[3 * EVIDENCE_NAME_MAX + 16], long_name[400];
	const evidence_kind *pdf = evidence_sniff((const unsigned char *)"%PDF-1.4", 8);
	const evidence_kind *txt = evidence_sniff((const unsigned char *)"a,b\n", 4);
	assert_int_equal(evidence_name("délibération.pdf", pdf, out, sizeof out), 0);
	assert_string_equal(out, "délibération.pdf");
	assert_int_equal(evidence_name("photo.png", pdf, out, sizeof out), 0); /* a PDF named .png */
	assert_string_equal(out, "photo.png.pdf");
	assert_int_equal(evidence_name("  a\u202Egnp.exe ", pdf, out, sizeof out), 0); /* bidi, spaces */
	assert_string_equal(out, "agnp.exe.pdf");
	assert_int_equal(evidence_name("", txt, out, sizeof out), 0);
	assert_string_equal(out, "evidence.txt");
	assert_int_equal(evidence_name("..", txt, out, sizeof out), 0);
	assert_string_equal(out, "evidence.txt");
	assert_int_equal(evidence_name("budget.CSV", txt, out, sizeof out), 0);
	assert_string_equal(out, "budget.CSV");
	memset(long_name, 0, sizeof long_name);
	for (size_t i = 0; i + 2 < 300; i += 2)
		memcpy(long_name + i, "é", 2);
	assert_int_equal(evidence_name(long_name, txt, out, sizeof out), 0);
	assert_int_equal(strlen(out), EVIDENCE_NAME_MAX + 4);
	assert_string_equal(out + EVIDENCE_NAME_MAX - 2, "é.txt");
	assert_int_equal(evidence_name("x", txt, out, 10), -1);
}

static void test_disposition(void **state)
{
	(void)state;
	char out[1024];
	assert_int_equal(evidence_disposition("délib \"n°1\";.pdf", out, sizeof out), 0);
	assert_string_equal(out, "attachment; filename=\"d_lib__n_1__.pdf\"; "
				 "filename*=UTF-8''d%C3%A9lib%20%22n%C2%B01%22%3B.pdf");
	assert_int_equal(evidence_disposition(".htaccess", out, sizeof out), 0);
	assert_string_equal(out, "attachment; filename=\"_htaccess\"; filename*=UTF-8''.htaccess");
	assert_int_equal(evidence_disposition("a.pdf", out, 20), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_disposition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
