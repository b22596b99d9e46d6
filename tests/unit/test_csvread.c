/*
 * Unit tests for engine/csvread.c: each test writes a small file in a
 * private temporary directory, reads it and compares the records (as
 * "LINE:field|field" lines) and the diagnostics. The module is compiled in
 * through failing_alloc.h, so its allocations are checked for leaks and can
 * be made to fail.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h> /* declared before the macro below renames its calls */

/*
 * The block by which libcsv grows a field's buffer, as the reader sets it:
 * by its default 128 bytes, a 5 MiB cell is copied 40,000 times (minutes).
 * Checked on the value, not on a clock, so no machine is too slow for it.
 */
static size_t csv_blk_seen;
#define csv_set_blk_size(p, n) (csv_blk_seen = (n), csv_set_blk_size((p), (n)))

#include "failing_alloc.h"

#include "../../engine/csvread.c"
#include "../../engine/textsrc.c"
#include "palmares/diag.h"
#include "text.h"

/*
 * The test's own memory uses the real allocator, written (malloc): it must
 * neither take an armed failure meant for the reader nor count as its leak.
 */
static void *test_alloc(size_t n)
{
	void *p = (malloc)(n);
	assert_non_null(p);
	return p;
}

static void test_release(void *p)
{
	(free)(p);
}

static char tmpdir[64];
static char *paths[128];
static size_t npaths;

static int group_setup(void **state)
{
	(void)state;
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/pal-csv-XXXXXX", base && strlen(base) < 40 ? base : "/tmp");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < npaths; i++) {
		unlink(paths[i]);
		test_release(paths[i]);
	}
	rmdir(tmpdir);
	return 0;
}

/* Writes len bytes to a new file in tmpdir; returns its path (freed at teardown). */
static const char *write_file(const char *name, const void *data, size_t len)
{
	size_t n = strlen(tmpdir) + strlen(name) + 2;
	char *p = test_alloc(n); /* freed at group teardown */
	FILE *f;
	assert_non_null(p);
	snprintf(p, n, "%s/%s", tmpdir, name);
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_true(npaths < sizeof(paths) / sizeof(paths[0]));
	paths[npaths++] = p;
	return p;
}

static const char *write_str(const char *name, const char *s)
{
	return write_file(name, s, strlen(s));
}

/* Growable string for collected records. */
struct out {
	char *s;
	size_t len, cap;
	size_t records;
	size_t stop_after; /* 0 = never stop */
};

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->len + n + 1) * 2;
		char *p = (realloc)(o->s, cap);
		assert_non_null(p);
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n);
	o->len += n;
	o->s[o->len] = '\0';
}

/* Appends "LINE:f1|f2\n"; checks what every record must satisfy. */
static int collect(void *ctx, const pal_csv_record *rec)
{
	struct out *o = ctx;
	char num[32];
	assert_true(rec->n >= 1);
	assert_true(rec->line >= 1);
	snprintf(num, sizeof(num), "%ld:", rec->line);
	out_add(o, num, strlen(num));
	for (size_t i = 0; i < rec->n; i++) {
		assert_int_equal(strlen(rec->fields[i]), rec->lens[i]); /* NUL-terminated, no NUL inside */
		assert_true(palx_utf8_valid(rec->fields[i], rec->lens[i], NULL));
		if (i)
			out_add(o, "|", 1);
		out_add(o, rec->fields[i], rec->lens[i]);
	}
	out_add(o, "\n", 1);
	o->records++;
	return o->stop_after && o->records >= o->stop_after;
}

/* Reads path; the records end up in *o (o->s is "" when there are none). */
static int run(const char *path, const pal_csv_options *opt, struct out *o, pal_diags *d)
{
	int rc = eng_csv_read(path, opt, collect, o, d);
	if (!o->s)
		out_add(o, "", 0);
	return rc;
}

static void check_diag(const pal_diags *d, size_t i, pal_severity sev, const char *file, long line,
                       const char *text)
{
	const pal_diag *g = pal_diags_get(d, i);
	assert_non_null(g);
	assert_int_equal(g->severity, sev);
	if (file) {
		assert_non_null(g->file);
		assert_string_equal(g->file, file);
	} else {
		assert_null(g->file);
	}
	assert_int_equal(g->line, line);
	assert_string_equal(g->text, text);
}

/* Reads s as a file and expects exactly these records, rc 0 and no diagnostics. */
static void expect_records(const char *name, const char *s, const char *records)
{
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	const char *p = write_str(name, s);
	assert_non_null(d);
	assert_int_equal(run(p, NULL, &o, d), 0);
	assert_string_equal(o.s, records);
	assert_int_equal(pal_diags_count(d), 0);
	test_release(o.s);
	pal_diags_free(d);
}

static void rewrite(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Reads path, expecting rc; returns the records (free with test_release). */
static char *records_of(const char *path, int rc, pal_diags *d)
{
	struct out o = { 0 };
	assert_int_equal(run(path, NULL, &o, d), rc);
	return o.s;
}

/*
 * Pass 1 steps over plain ASCII eight bytes at a time (plain_run in
 * csvread.c): a NUL, an invalid UTF-8 byte, a valid multi-byte character or
 * a lone CR must still be seen with its line, wherever it falls in the
 * eight-byte steps and around the 64 KiB read buffer.
 */
static void test_scan_offsets(void **state)
{
	(void)state;
	const size_t chunk = 64 * 1024;
	const size_t offsets[] = {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65,
	                          chunk - 9, chunk - 8, chunk - 7, chunk - 1, chunk, chunk + 1, chunk + 7};
	const char *p = write_file("scan.csv", "", 0);
	char *buf = malloc(chunk + 64), *rec;
	assert_non_null(buf);
	for (size_t k = 0; k < sizeof offsets / sizeof *offsets; k++) {
		/* line 1 "a", line 2 "b", then line 3 of x's holding one special byte at offset off */
		size_t off = offsets[k], pre = 4, len = pre + off + 20;
		pal_diags *d = pal_diags_new();
		memset(buf, 'x', len);
		memcpy(buf, "a\nb\n", 4);
		buf[len - 1] = '\n';

		buf[pre + off] = '\0';
		rewrite(p, buf, len);
		test_release(records_of(p, 3, d));
		assert_int_equal(pal_diags_count(d), 1);
		check_diag(d, 0, PAL_ERROR, p, 3, "NUL byte: this is not a text file (save as UTF-8 CSV)");
		pal_diags_free(d);

		d = pal_diags_new();
		buf[pre + off] = (char)0xE9; /* é in Windows-1252, invalid as UTF-8 */
		rewrite(p, buf, len);
		test_release(records_of(p, 0, d));
		assert_int_equal(pal_diags_count(d), 1);
		check_diag(d, 0, PAL_WARNING, p, 0,
		           "not valid UTF-8 (first invalid byte at line 3): read as Windows-1252");
		pal_diags_free(d);

		d = pal_diags_new();
		memcpy(buf + pre + off, "\xC3\xA9", 2); /* é in UTF-8, maybe across the buffer's end */
		rewrite(p, buf, len);
		rec = records_of(p, 0, d);
		assert_int_equal(pal_diags_count(d), 0);
		assert_non_null(strstr(rec, "\n3:"));
		assert_non_null(strstr(rec, "é"));
		test_release(rec);
		pal_diags_free(d);

		d = pal_diags_new();
		memset(buf + pre + off, 'x', 2);
		buf[pre + off] = '\r'; /* a line break of its own: the x's after it are line 4 */
		buf[len - 3] = (char)0xE9;
		rewrite(p, buf, len);
		rec = records_of(p, 0, d);
		assert_int_equal(pal_diags_count(d), 1);
		check_diag(d, 0, PAL_WARNING, p, 0,
		           "not valid UTF-8 (first invalid byte at line 4): read as Windows-1252");
		assert_non_null(strstr(rec, off ? "\n4:" : "\n4:x"));
		test_release(rec);
		pal_diags_free(d);
	}
	free(buf);
}

static void test_basic(void **state)
{
	(void)state;
	expect_records("basic.csv", "town_id,town_name\n33449,Saint-Médard\n", "1:town_id|town_name\n2:33449|Saint-Médard\n");
	/* no final line break */
	expect_records("nolf.csv", "a,b\n1,2", "1:a|b\n2:1|2\n");
	/* empty fields are "" and counted; spaces are kept */
	expect_records("empty-fields.csv", "a,b,c\n,,\n a , b ,\"\"\n", "1:a|b|c\n2:||\n3: a | b |\n");
	expect_records("empty.csv", "", "");
	expect_records("only-newlines.csv", "\n\r\n\r\n", "");
}

static void test_bom(void **state)
{
	(void)state;
	expect_records("bom.csv", "\xEF\xBB\xBFtown_id;town_name\n1;Agen\n", "1:town_id|town_name\n2:1|Agen\n");
	expect_records("bom-only.csv", "\xEF\xBB\xBF", "");
}

static void test_cp1252(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	/* é = E9, œ = 9C, ’ = 92, € = 80 in Windows-1252 */
	const char *p = write_str("cp1252.csv", "nom;texte\r\nSaint-M\xE9" "dard;l\x92\x9C" "uvre \x80\r\n");
	assert_int_equal(run(p, NULL, &o, d), 0);
	assert_string_equal(o.s, "1:nom|texte\n2:Saint-Médard|l’œuvre €\n");
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_WARNING, p, 0, "not valid UTF-8 (first invalid byte at line 2): read as Windows-1252");
	test_release(o.s);
	pal_diags_free(d);

	/* a truncated UTF-8 sequence at the very end is invalid too */
	d = pal_diags_new();
	memset(&o, 0, sizeof(o));
	p = write_str("truncated.csv", "a\nb\nc\xC3");
	assert_int_equal(run(p, NULL, &o, d), 0);
	assert_string_equal(o.s, "1:a\n2:b\n3:cÃ\n");
	check_diag(d, 0, PAL_WARNING, p, 0, "not valid UTF-8 (first invalid byte at line 3): read as Windows-1252");
	test_release(o.s);
	pal_diags_free(d);
}

static void test_separator(void **state)
{
	(void)state;
	expect_records("tab.csv", "a\tb\tc\n1\t2,5\t3\n", "1:a|b|c\n2:1|2,5|3\n");
	expect_records("semi.csv", "a;b;c\n1;2,5;3\n", "1:a|b|c\n2:1|2,5|3\n");
	/* separators inside quotes don't count */
	expect_records("quoted-semi.csv", "\"a;b;c\",d,e\n", "1:a;b;c|d|e\n");
	expect_records("quoted-comma.csv", "\"a,b,c,d\";e;\"f,g\"\n", "1:a,b,c,d|e|f,g\n");
	/* ties: ';' then tab then ',' */
	expect_records("tie1.csv", "a;b,c\n", "1:a|b,c\n");
	expect_records("tie2.csv", "a\tb,c\n", "1:a|b,c\n");
	expect_records("tie3.csv", "a\tb;c\n", "1:a\tb|c\n");
	/* none: ',' (one column) */
	expect_records("none.csv", "town_id\n1,2\n", "1:town_id\n2:1|2\n");
	/* only the header decides; leading empty lines skipped */
	expect_records("header.csv", "\n\na;b\n1,2,3;4\n", "3:a|b\n4:1,2,3|4\n");
	/* a header record spanning lines */
	expect_records("header-multi.csv", "\"a\nb\";c;d\n1;2;3\n", "1:a\nb|c|d\n3:1|2|3\n");
}

static void test_force_sep(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	pal_csv_options opt = { 0 };
	const char *p = write_str("forced.tsv", "a,b\tc;d\n");
	opt.force_sep = eng_csv_sep_for_path(p);
	assert_int_equal(opt.force_sep, '\t');
	assert_int_equal(run(p, &opt, &o, d), 0);
	assert_string_equal(o.s, "1:a,b|c;d\n");
	test_release(o.s);

	memset(&o, 0, sizeof(o));
	opt.force_sep = '"';
	assert_int_equal(run(p, &opt, &o, d), 2);
	assert_string_equal(o.s, "");
	check_diag(d, 0, PAL_ERROR, p, 0, "invalid separator 34");
	test_release(o.s);
	pal_diags_free(d);

	assert_int_equal(eng_csv_sep_for_path("x.TSV"), '\t');
	assert_int_equal(eng_csv_sep_for_path("x.csv"), 0);
	assert_int_equal(eng_csv_sep_for_path("tsv"), 0);
	assert_int_equal(eng_csv_sep_for_path(".tsv"), '\t');
	assert_int_equal(eng_csv_sep_for_path(NULL), 0);
}

static void test_line_endings(void **state)
{
	(void)state;
	expect_records("crlf.csv", "a,b\r\nc,d\r\n", "1:a|b\n2:c|d\n");
	expect_records("cr.csv", "a,b\rc,d\r", "1:a|b\n2:c|d\n");
	expect_records("mixed.csv", "a\r\nb\rc\nd", "1:a\n2:b\n3:c\n4:d\n");
	/* LF CR is two line breaks */
	expect_records("lfcr.csv", "a\n\rb\n", "1:a\n3:b\n");
	expect_records("empty-lines.csv", "a,b\n\n\n1,2\n\r\n\r\n3,4", "1:a|b\n4:1|2\n7:3|4\n");
	expect_records("empty-lines-cr.csv", "a\r\r\rb\r", "1:a\n4:b\n");
}

static void test_quotes(void **state)
{
	(void)state;
	expect_records("quoted.csv",
	               "h1,h2\n"
	               "\"x,y\",\"say \"\"hi\"\"\"\n"
	               "\"multi\nline\",z\n"
	               "last,1\n",
	               "1:h1|h2\n2:x,y|say \"hi\"\n3:multi\nline|z\n5:last|1\n");
	/* line breaks inside quotes are kept as they are */
	expect_records("quoted-cr.csv", "\"a\rb\",c\rd,e\r", "1:a\rb|c\n3:d|e\n");
	expect_records("quoted-crlf.csv", "\"a\r\nb\",c\r\nd,e\r\n", "1:a\r\nb|c\n3:d|e\n");
	/* several multi-line fields in one record, empty lines inside quotes */
	expect_records("quoted-many.csv", "h;i;j\n\"1\n\n2\";\"3\r\n4\";5\nnext;6;7\n",
	               "1:h|i|j\n2:1\n\n2|3\r\n4|5\n6:next|6|7\n");
	/* a stray quote inside an unquoted field is literal */
	expect_records("stray.csv", "a,b\n5\" screen,x\"y\"\n", "1:a|b\n2:5\" screen|x\"y\"\n");
	/* a quote after a space is not at the start of the field */
	expect_records("space-quote.csv", "a, \"b\"\n", "1:a| \"b\"\n");
	/* a quoted field at the end of a file with no final line break */
	expect_records("quoted-eof.csv", "a,\"b\nc\"", "1:a|b\nc\n");
	/* a doubled quote at the end of a field */
	expect_records("quote-end.csv", "\"a\"\"\",b\n", "1:a\"|b\n");
}

static void test_text_after_quote(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	const char *p = write_str("junk.csv", "a,b\n1,\"ab\"c,d\nnext,\"ok\"\n\"x\"y\r\nlast,1");
	assert_int_equal(run(p, NULL, &o, d), 1);
	/* the bad records are reported, not merged into the following ones */
	assert_string_equal(o.s, "1:a|b\n3:next|ok\n5:last|1\n");
	assert_int_equal(pal_diags_count(d), 2);
	check_diag(d, 0, PAL_ERROR, p, 2,
	           "field 2: text after its closing quote (a quote inside a quoted field is written \"\")");
	check_diag(d, 1, PAL_ERROR, p, 4,
	           "field 1: text after its closing quote (a quote inside a quoted field is written \"\")");
	test_release(o.s);
	pal_diags_free(d);
}

static void test_unterminated(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	const char *p = write_str("open.csv", "h\nok\n\"open\nmore\n");
	assert_int_equal(run(p, NULL, &o, d), 1);
	assert_string_equal(o.s, "1:h\n2:ok\n");
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_ERROR, p, 3, "unterminated quoted field (opened on line 3)");
	test_release(o.s);
	pal_diags_free(d);

	/* the record starts on line 1, the field left open on line 2 */
	d = pal_diags_new();
	memset(&o, 0, sizeof(o));
	p = write_str("open2.csv", "a,\"b\nc\",\"d\ne");
	assert_int_equal(run(p, NULL, &o, d), 1);
	assert_string_equal(o.s, "");
	check_diag(d, 0, PAL_ERROR, p, 1, "unterminated quoted field (opened on line 2)");
	pal_diags_free(d);
	test_release(o.s);

	/* opened on the last line, no final line break, CR line ends */
	d = pal_diags_new();
	memset(&o, 0, sizeof(o));
	p = write_str("open3.csv", "h\r1\r\"abc");
	assert_int_equal(run(p, NULL, &o, d), 1);
	assert_string_equal(o.s, "1:h\n2:1\n");
	check_diag(d, 0, PAL_ERROR, p, 3, "unterminated quoted field (opened on line 3)");
	pal_diags_free(d);
	test_release(o.s);
}

/* Like collect(), marking a refused record "!reason" after its fields. */
static int collect_refused(void *ctx, const pal_csv_record *rec)
{
	struct out *o = ctx;
	collect(ctx, rec);
	if (rec->refused) {
		o->len--; /* before the line break */
		out_add(o, "!", 1);
		out_add(o, rec->refused, strlen(rec->refused));
		out_add(o, "\n", 1);
	}
	return 0;
}

/*
 * check_width: every record after the header has its width, or is refused
 * whole with both counts and a hint, never cut or padded (issue 13, items 1
 * and 9). Without it the reader stays a plain record reader.
 */
static void test_row_width(void **state)
{
	(void)state;
	pal_csv_options opt = eng_csv_table_options("w.csv");
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	const char *p = write_str("width.csv", "id,name,share\n"
	                                       "1,a,72.5\n"
	                                       "2,b,72,5\n"
	                                       "3,c\n"
	                                       "4,d,ok,more\n"
	                                       "5,\"e,f\",\"1,5\"\n"
	                                       "6,\"x\ny\",- 1 234,50 %\n");
	assert_int_equal(opt.check_width, 1);
	assert_int_equal(opt.force_sep, 0);
	assert_int_equal(eng_csv_table_options("w.TSV").force_sep, '\t');
	assert_int_equal(eng_csv_read(p, &opt, collect, &o, d), 1);
	assert_string_equal(o.s, "1:id|name|share\n2:1|a|72.5\n6:5|e,f|1,5\n");
	assert_int_equal(pal_diags_count(d), 4);
	check_diag(d, 0, PAL_ERROR, p, 3, "row has 4 cells where the header has 3: cells 3 and 4, "
	           "\"72\" and \"5\", look like one number with a decimal comma (write 72.5, or put the "
	           "cell in quotes)");
	check_diag(d, 1, PAL_ERROR, p, 4, "row has 2 cells where the header has 3: every row needs "
	           "all its cells, empty ones included (a line break inside a cell must be in quotes)");
	check_diag(d, 2, PAL_ERROR, p, 5, "row has 4 cells where the header has 3: a cell holding the "
	           "separator (\",\") must be put in quotes");
	/* "- 1 234" is no integer part: the sign is glued to its number */
	check_diag(d, 3, PAL_ERROR, p, 7, "row has 4 cells where the header has 3: a cell holding the "
	           "separator (\",\") must be put in quotes");
	pal_diags_free(d);
	test_release(o.s);

	/* with keep_refused, the refused row comes whole, with its reason, and is not reported */
	d = pal_diags_new();
	memset(&o, 0, sizeof(o));
	opt.keep_refused = 1;
	p = write_str("width2.csv", "a;b\n1\n1;2;3,5;4\n\n1;2\n");
	assert_int_equal(eng_csv_read(p, &opt, collect_refused, &o, d), 1);
	assert_string_equal(o.s, "1:a|b\n2:1!row has 1 cell where the header has 2: every row needs "
	                    "all its cells, empty ones included (a line break inside a cell must be in "
	                    "quotes)\n3:1|2|3,5|4!row has 4 cells where the header has 2: a cell holding "
	                    "the separator (\";\") must be put in quotes\n5:1|2\n");
	assert_int_equal(pal_diags_count(d), 0);
	pal_diags_free(d);
	test_release(o.s);

	/* tab-separated; a refused header does not set the width: the next record is the header */
	d = pal_diags_new();
	memset(&o, 0, sizeof(o));
	opt.keep_refused = 0;
	p = write_str("width3.tsv", "\"a\"x\tb\nc\td\te\n1\t2\t3\n1\t2\t3\t4\n");
	opt.force_sep = '\t';
	assert_int_equal(eng_csv_read(p, &opt, collect, &o, d), 1);
	assert_string_equal(o.s, "2:c|d|e\n3:1|2|3\n");
	assert_int_equal(pal_diags_count(d), 2);
	check_diag(d, 1, PAL_ERROR, p, 4, "row has 4 cells where the header has 3: a cell holding the "
	           "separator (a tab) must be put in quotes");
	pal_diags_free(d);
	test_release(o.s);

	/* without check_width, any width is delivered */
	expect_records("any.csv", "a,b\n1\n1,2,3\n", "1:a|b\n2:1\n3:1|2|3\n");
}

/*
 * Writes utf8 to a new file as UTF-16 with its byte-order mark (be: big-endian),
 * then extra raw bytes; returns its path.
 */
static const char *write_utf16(const char *name, const char *utf8, int be, const char *extra,
                               size_t nextra)
{
	size_t inleft = strlen(utf8), cap = 2 * inleft + 2 + nextra, outleft = cap - 2 - nextra;
	char *buf = test_alloc(cap), *in = (char *)utf8, *o = buf + 2;
	iconv_t cd = iconv_open(be ? "UTF-16BE" : "UTF-16LE", "UTF-8");
	const char *p;
	assert_true(cd != (iconv_t)-1);
	assert_int_equal(iconv(cd, &in, &inleft, &o, &outleft), 0);
	iconv_close(cd);
	memcpy(buf, be ? "\xFE\xFF" : "\xFF\xFE", 2);
	memcpy(o, extra, nextra);
	p = write_file(name, buf, (size_t)(o - buf) + nextra);
	test_release(buf);
	return p;
}

/*
 * UTF-16 with a byte-order mark (Excel's "Texte Unicode": little-endian,
 * tab-separated, CRLF) is read like any office file: same records, same
 * lines, same messages; invalid UTF-16 becomes U+FFFD with one warning.
 */
static void test_utf16(void **state)
{
	(void)state;
	static const char text[] = "id\tnom\r\n1\tAcign\xC3\xA9\r\n\r\n2\t\"Ch\xC3\xA2teau\r\nfort "
	                           "\xF0\x9F\x8F\xB0\"\r\n3\t\"x\"y\r\n4\t\xE2\x82\xAC";
	static const char expected[] = "1:id|nom\n2:1|Acign\xC3\xA9\n4:2|Ch\xC3\xA2teau\r\nfort "
	                               "\xF0\x9F\x8F\xB0\n7:4|\xE2\x82\xAC\n";
	const char *msg = "field 2: text after its closing quote (a quote inside a quoted field is written \"\")";
	for (int be = 0; be < 2; be++) {
		pal_diags *d = pal_diags_new();
		struct out o = { 0 };
		const char *p = write_utf16(be ? "u16be.csv" : "u16le.csv", text, be, "", 0);
		assert_int_equal(run(p, NULL, &o, d), 1);
		assert_string_equal(o.s, expected); /* tab detected, lines counted in characters */
		assert_int_equal(pal_diags_count(d), 1);
		check_diag(d, 0, PAL_ERROR, p, 6, msg);
		test_release(o.s);
		pal_diags_free(d);
	}

	/* a byte-order mark alone: an empty file */
	expect_records("bom16.csv", "\xFF\xFE", "");

	/* an odd byte count: the last byte is U+FFFD, with a warning naming its line */
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	const char *p = write_utf16("odd.csv", "a,b\n1,2\n", 0, "x", 1);
	assert_int_equal(run(p, NULL, &o, d), 0);
	assert_string_equal(o.s, "1:a|b\n2:1|2\n3:\xEF\xBF\xBD\n");
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_WARNING, p, 0, "not valid UTF-16 (first invalid character at line 3): each "
	           "invalid character read as \"\xEF\xBF\xBD\" (U+FFFD)");
	test_release(o.s);
	pal_diags_free(d);

	/* lone surrogates: a low one inside a line, a high one before a plain character, one at the end */
	d = pal_diags_new();
	memset(&o, 0, sizeof(o));
	p = write_file("lone.csv", "\xFF\xFE" "a\0,\0b\0\n\0" "1\0\x00\xDC,\0" "2\0\n\0"
	               "\x00\xD8" "3\0,\0" "4\0\x00\xD8", 30);
	assert_int_equal(run(p, NULL, &o, d), 0);
	assert_string_equal(o.s, "1:a|b\n2:1\xEF\xBF\xBD|2\n3:\xEF\xBF\xBD" "3|4\xEF\xBF\xBD\n");
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_WARNING, p, 0, "not valid UTF-16 (first invalid character at line 2): each "
	           "invalid character read as \"\xEF\xBF\xBD\" (U+FFFD)");
	test_release(o.s);
	pal_diags_free(d);

	/* past the 64 KiB buffer: surrogate pairs and units cut by the chunks' ends, lines still exact */
	size_t n = 3 * CHUNK, len = 1;
	char *big = test_alloc(n + 64);
	big[0] = 'k'; /* big + 1 is the same text shifted by one unit: other cuts */
	len += (size_t)snprintf(big + len, n - len, "k,v\n");
	for (long i = 0; len + 40 < n; i++)
		len += (size_t)snprintf(big + len, n - len, "%ld,\xF0\x9F\x8F\xB0%s\n", i, i % 3 ? "" : "ab");
	len += (size_t)snprintf(big + len, n + 64 - len, "end,\"x\"y\n");
	long lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += big[i] == '\n';
	for (int shift = 0; shift < 2; shift++) {
		d = pal_diags_new();
		memset(&o, 0, sizeof(o));
		p = write_utf16(shift ? "big2.csv" : "big.csv", big + 1 - shift, 0, "", 0);
		assert_int_equal(run(p, NULL, &o, d), 1);
		assert_int_equal(o.records, (size_t)lines - 1);
		assert_int_equal(pal_diags_count(d), 1);
		check_diag(d, 0, PAL_ERROR, p, lines, msg);
		test_release(o.s);
		pal_diags_free(d);
	}
	test_release(big);
}

static void test_field_limit(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	pal_csv_options opt = { 0 };
	const char *p = write_str("limit.csv", "a,b\n0123456789,x\n0123456789A,y\n\"0123456789\",z\n\"012345678\"\"\",w\nok,1\n");
	opt.max_field = 10;
	assert_int_equal(run(p, &opt, &o, d), 1);
	assert_string_equal(o.s, "1:a|b\n2:0123456789|x\n4:0123456789|z\n5:012345678\"|w\n6:ok|1\n");
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_ERROR, p, 3, "field 1 is longer than 10 bytes (limit set by PALMARES_MAX_FIELD)");
	test_release(o.s);
	pal_diags_free(d);

	/* too many fields */
	d = pal_diags_new();
	memset(&o, 0, sizeof(o));
	opt.max_field = 0;
	opt.max_fields = 3;
	p = write_str("fields.csv", "a,b,c\n1,2,3,4\n5,6,7\n");
	assert_int_equal(run(p, &opt, &o, d), 1);
	assert_string_equal(o.s, "1:a|b|c\n3:5|6|7\n");
	check_diag(d, 0, PAL_ERROR, p, 2, "record has more than 3 fields (limit set by PALMARES_MAX_COLUMNS)");
	test_release(o.s);
	pal_diags_free(d);
}

/* Writes "a,b\n1," + a cell of n bytes + "\n2,ok\n"; quoted cells get line breaks and quotes. */
static void big_cell(const char *name, size_t n, int quoted)
{
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	size_t len = 0, cap = n * 2 + 64;
	char *buf = test_alloc(cap);
	const char *p;
	assert_non_null(buf);
	memcpy(buf, "a,b\n1,", 6);
	len = 6;
	if (quoted)
		buf[len++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (quoted && i % 1000 == 999) {
			memcpy(buf + len, "\"\"\n", 3);
			len += 3;
		} else {
			buf[len++] = (char)('a' + i % 26);
		}
	}
	if (quoted)
		buf[len++] = '"';
	memcpy(buf + len, "\n2,ok\n", 6);
	len += 6;
	p = write_file(name, buf, len);
	test_release(buf);
	assert_int_equal(run(p, NULL, &o, d), 1);
	if (quoted) { /* n / 1000 line breaks inside the cell */
		char want[64];
		snprintf(want, sizeof(want), "1:a|b\n%zu:2|ok\n", 3 + n / 1000);
		assert_string_equal(o.s, want);
	} else {
		assert_string_equal(o.s, "1:a|b\n3:2|ok\n");
	}
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_ERROR, p, 2, "field 2 is longer than 1048576 bytes (limit set by PALMARES_MAX_FIELD)");
	test_release(o.s);
	pal_diags_free(d);
}

static void test_big_cell(void **state)
{
	(void)state;
	csv_blk_seen = 0;
	big_cell("big.csv", 5u << 20, 0);
	big_cell("big-quoted.csv", 5u << 20, 1);
	/* libcsv's buffer grows by a whole read buffer: linear in the cell's size */
	assert_true(csv_blk_seen >= CHUNK);
}

/* A 32 MB cell, written in pieces: reading it must not hold it in memory. */
static void test_big_cell_memory(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	struct rusage before, after;
	char piece[4096];
	const char *p = write_str("huge.csv", "a,b\n1,");
	FILE *f = fopen(p, "ab");
	assert_non_null(f);
	memset(piece, 'z', sizeof(piece));
	for (int i = 0; i < 8192; i++)
		assert_int_equal(fwrite(piece, 1, sizeof(piece), f), sizeof(piece));
	assert_int_equal(fputs("\n2,ok\n", f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	getrusage(RUSAGE_SELF, &before);
	assert_int_equal(run(p, NULL, &o, d), 1);
	getrusage(RUSAGE_SELF, &after);
	assert_string_equal(o.s, "1:a|b\n3:2|ok\n");
	check_diag(d, 0, PAL_ERROR, p, 2, "field 2 is longer than 1048576 bytes (limit set by PALMARES_MAX_FIELD)");
#if !defined(__SANITIZE_ADDRESS__) /* ASan's quarantine and shadow memory distort RSS */
	assert_true(after.ru_maxrss - before.ru_maxrss < 16 * 1024); /* KiB */
#endif
	test_release(o.s);
	pal_diags_free(d);
}

/* The closing quote of a too-long field is the last byte of the first 64 KiB read. */
static void test_cut_at_quote(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	pal_csv_options opt = { 0 };
	size_t chunk = 64 * 1024, len;
	char *buf = test_alloc(chunk + 64);
	const char *p;
	assert_non_null(buf);
	memcpy(buf, "h\n\"", 3);
	memset(buf + 3, 'x', chunk - 4);
	buf[chunk - 1] = '"';
	memcpy(buf + chunk, ",next\nlast\n", 11);
	len = chunk + 11;
	p = write_file("cut.csv", buf, len);
	test_release(buf);
	opt.max_field = 10;
	assert_int_equal(run(p, &opt, &o, d), 1);
	assert_string_equal(o.s, "1:h\n3:last\n");
	check_diag(d, 0, PAL_ERROR, p, 2, "field 1 is longer than 10 bytes (limit set by PALMARES_MAX_FIELD)");
	test_release(o.s);
	pal_diags_free(d);
}

static void test_many_columns(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	size_t cols = 100000, len = 0;
	char *buf = test_alloc(cols * 8 + 64);
	const char *p;
	assert_non_null(buf);
	for (size_t i = 0; i < cols; i++)
		len += (size_t)snprintf(buf + len, cols * 8 + 64 - len, "%sc%zu", i ? "," : "", i);
	memcpy(buf + len, "\n1,2\n", 5);
	len += 5;
	p = write_file("wide.csv", buf, len);
	test_release(buf);
	assert_int_equal(run(p, NULL, &o, d), 1);
	assert_string_equal(o.s, "2:1|2\n");
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_ERROR, p, 1, "record has more than 10000 fields (limit set by PALMARES_MAX_COLUMNS)");
	test_release(o.s);
	pal_diags_free(d);
}

/* A file that cannot be read at all: rc 2, one error, no record. */
/* status 2: cannot be read; 3: read but refused for what it holds */
static void expect_refused(const char *path, int status, const char *file, long line, const char *text)
{
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	assert_int_equal(run(path, NULL, &o, d), status);
	assert_string_equal(o.s, "");
	assert_int_equal(pal_diags_count(d), 1);
	check_diag(d, 0, PAL_ERROR, file, line, text);
	test_release(o.s);
	pal_diags_free(d);
}

static void test_unreadable(void **state)
{
	(void)state;
	char missing[128], text[256];
	const char *p;

	/* UTF-16 is read (test_utf16), but a NUL character is still no text */
	p = write_file("utf16nul.csv", "\xFF\xFE" "a\0\n\0b\0\0\0", 10);
	expect_refused(p, 3, p, 2, "NUL byte: this is not a text file (save as UTF-8 CSV)");
	p = write_file("nul.csv", "a,b\r\nc\0d\n", 9);
	expect_refused(p, 3, p, 2, "NUL byte: this is not a text file (save as UTF-8 CSV)");
	p = write_file("sheet.csv", "PK\x03\x04\x14\0\0\0", 8);
	expect_refused(p, 3, p, 0, "not CSV but a zip archive (an .xlsx or .ods spreadsheet?): save as UTF-8 CSV");

	snprintf(missing, sizeof(missing), "%s/nope.csv", tmpdir);
	snprintf(text, sizeof(text), "cannot read \"%s\": %s", missing, strerror(ENOENT));
	expect_refused(missing, 2, missing, 0, text);
	snprintf(text, sizeof(text), "cannot read \"%s\": is a directory", tmpdir);
	expect_refused(tmpdir, 2, tmpdir, 0, text);
}

static void test_max_bytes(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	pal_csv_options opt = { 0 };
	const char *p = write_str("size.csv", "a,b\n1,2\n3,4\n");
	opt.max_bytes = 10;
	assert_int_equal(run(p, &opt, &o, d), 2);
	assert_string_equal(o.s, "");
	check_diag(d, 0, PAL_ERROR, p, 0, "file is larger than 10 bytes (limit set by PALMARES_MAX_FILE)");
	test_release(o.s);
	pal_diags_free(d);
}

/* Issue 19, item 12: a field limit of SIZE_MAX wrapped in max_field + 1 and cut every long field. */
static void test_max_field_huge(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	pal_csv_options opt = { 0 };
	size_t len = 200000;
	char *buf = test_alloc(len + 4);
	assert_non_null(buf);
	memset(buf, 'x', len);
	memcpy(buf + len, ",y\n", 3);
	const char *p = write_file("hugefield.csv", buf, len + 3);
	opt.max_field = SIZE_MAX;
	assert_int_equal(run(p, &opt, &o, d), 0);
	assert_int_equal(pal_diags_count(d), 0);
	assert_int_equal(o.len, 2 + len + 3); /* "1:" field "|y\n" */
	test_release(o.s);
	test_release(buf);
	pal_diags_free(d);
}

static void test_stop(void **state)
{
	(void)state;
	pal_diags *d = pal_diags_new();
	struct out o = { 0 };
	const char *p = write_str("stop.csv", "a\nb\nc\n\"unterminated");
	o.stop_after = 2;
	assert_int_equal(run(p, NULL, &o, d), 0);
	assert_string_equal(o.s, "1:a\n2:b\n");
	assert_int_equal(pal_diags_count(d), 0);
	test_release(o.s);
	pal_diags_free(d);
}

/* Line breaks and a BOM cut by the 64 KiB read buffer. */
static void test_chunk_boundaries(void **state)
{
	(void)state;
	size_t chunk = 64 * 1024;
	char *buf = test_alloc(2 * chunk + 64), want[64];
	struct out o = { 0 };
	pal_diags *d = pal_diags_new();
	const char *p;
	assert_non_null(buf);
	/* line 1 fills the first read up to a CR that is its last byte; LF comes next */
	memset(buf, 'x', chunk - 1);
	buf[chunk - 1] = '\r';
	memcpy(buf + chunk, "\nb\r\n\"c\r", 7);
	memcpy(buf + chunk + 7, "\nd\"\r\ne", 6);
	p = write_file("boundary.csv", buf, chunk + 13);
	assert_int_equal(run(p, NULL, &o, d), 0);
	snprintf(want, sizeof(want), "2:b\n3:c\r\nd\n5:e\n");
	assert_non_null(strstr(o.s, want));
	assert_int_equal(o.records, 4);
	assert_int_equal(strncmp(o.s, "1:xxx", 5), 0);
	test_release(o.s);
	test_release(buf);
	pal_diags_free(d);
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned char next_byte(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned char)(rng >> 24);
}

/* Random bytes (with and without NULs, biased towards CSV syntax): no crash, valid records only. */
static void test_random_bytes(void **state)
{
	(void)state;
	static const char syntax[] = "\"\",;\t\r\n";
	size_t len = 300000;
	unsigned char *buf = test_alloc(len);
	assert_non_null(buf);
	for (int round = 0; round < 12; round++) {
		pal_diags *d = pal_diags_new();
		struct out o = { 0 };
		pal_csv_options opt = { 0 };
		char name[32];
		const char *p;
		int rc;
		for (size_t i = 0; i < len; i++) {
			unsigned char c = next_byte();
			if (round % 3 == 1 && c < 64)
				c = (unsigned char)syntax[c % (sizeof(syntax) - 1)];
			if (round % 3 != 0 && c == 0)
				c = '\n';
			buf[i] = c;
		}
		if (round >= 6)
			opt.max_field = 1 + round * 7; /* small limits: exercise the cut path */
		snprintf(name, sizeof(name), "random%d.csv", round);
		p = write_file(name, buf, round == 11 ? 3 : len);
		rc = run(p, &opt, &o, d);
		assert_true(rc >= 0 && rc <= 3);
		if (round % 3 == 0)
			assert_int_equal(rc, 3); /* a NUL byte in 300000 random bytes: refused */
		test_release(o.s);
		pal_diags_free(d);
	}
	test_release(buf);
}

/* Fails each allocation of the reader in turn: always reported, never a leak or a crash. */
static void test_out_of_memory(void **state)
{
	(void)state;
	const char *p = write_str("oom.csv", "a;b;c\n1;\"x\ny\";3\n\n4;5;6\n7;\xE9;9\n");
	long n;
	for (n = 0;; n++) {
		pal_diags *d = pal_diags_new();
		struct out o = { 0 };
		int rc;
		assert_non_null(d);
		failing_alloc_arm(n);
		rc = eng_csv_read(p, NULL, collect, &o, d);
		failing_alloc_disarm();
		if (!failing_alloc_fired) {
			assert_int_equal(rc, 0);
			assert_string_equal(o.s, "1:a|b|c\n2:1|x\ny|3\n5:4|5|6\n6:7|é|9\n");
			test_release(o.s);
			pal_diags_free(d);
			break;
		}
		assert_int_not_equal(rc, 0);
		assert_true(pal_diags_errors(d) >= 1); /* nothing lost silently */
		test_release(o.s);
		pal_diags_free(d);
	}
	assert_true(n >= 4); /* read buffer, conversion buffer, record arrays */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_scan_offsets),
		cmocka_unit_test(test_separator),
		cmocka_unit_test(test_force_sep),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_text_after_quote),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_row_width),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_big_cell),
		cmocka_unit_test(test_big_cell_memory),
		cmocka_unit_test(test_cut_at_quote),
		cmocka_unit_test(test_many_columns),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_max_bytes),
		cmocka_unit_test(test_max_field_huge),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_chunk_boundaries),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
