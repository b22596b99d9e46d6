/*
 * Office-suite CSV reader (SPEC §3.2) over libcsv.
 *
 * Data flow, through one fixed 64 KiB read buffer (the file is never loaded),
 * filled by textsrc.c, which converts a UTF-16 file (byte-order mark) to
 * UTF-8 on the way, so that both passes only ever see UTF-8 or Windows-1252:
 *   pass 1, scan_file(): reads the whole file once for the size limit, the
 *     BOM and zip signatures, NUL bytes, UTF-8 validity (else the
 *     file is Windows-1252) and the separator, counted outside quotes in the
 *     header record;
 *   pass 2, parse_file(): reads it again, converts Windows-1252 to UTF-8 if
 *     needed, cuts the bytes after every CR and LF and feeds libcsv one
 *     physical line (or one buffer) at a time (segment()), so that the line
 *     where each record starts is known exactly, even after quoted line
 *     breaks and in CR-only files. libcsv's field callback (on_field) copies
 *     each field into the record being built; its row callback (on_record)
 *     hands the record to the caller, or reports why it cannot.
 *
 * Memory: the record (bounded by max_fields and PAL_CSV_MAX_RECORD) plus
 * libcsv's field buffer, which cut_long_field() keeps under max_field + one
 * segment.
 *
 * libcsv runs in strict mode only so that it stops on the two quote
 * irregularities (see feed()): a stray quote inside an unquoted field is put
 * back as a literal character; text after a closing quote is an error.
 */
#include "csvread.h"
#include "csvwrite.h"
#include "fileio.h"

#include "palmares/limits.h"
#include "text.h"
#include "textsrc.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CHUNK PAL_TEXTSRC_CHUNK

/* What pass 1 learnt about the file. */
struct scan {
	uint64_t size;
	size_t bom;     /* bytes of UTF-8 BOM to skip */
	long bad_line;  /* line of the first invalid UTF-8 byte, 0 = valid UTF-8 */
	long nul_line;  /* line of the first NUL byte, 0 = none */
	long bad16_line; /* UTF-16 file: line of the first invalid unit (read as U+FFFD), 0 = none */
	int zip, too_big;
	int sep;
};

/* Separator detection: counts of ';' tab ',' outside quotes in the header record. */
struct sniff {
	int done, content, at_start, in_quote, quote_seen;
	size_t count[3];
};

/* Why the record being read will not be delivered. */
enum bad {
	BAD_NONE,
	BAD_FIELD_LONG,
	BAD_TOO_MANY,
	BAD_RECORD_LONG,
	BAD_QUOTE,
	BAD_ENCODING,
	BAD_OOM,
};

typedef struct reader {
	const char *path;
	pal_diags *diags;
	pal_csv_cb cb;
	void *ctx;
	size_t max_field, max_fields, max_record;
	int utf8; /* else the bytes were converted from Windows-1252 */
	struct csv_parser p;

	/* the record being built: field bytes, each NUL-terminated, in buf */
	char *buf;
	size_t used, cap;
	size_t *offs, *lens;
	const char **ptrs;
	size_t nf, fcap; /* fields stored; room in offs, lens and ptrs */
	size_t nfields;  /* fields seen, stored or not */
	enum bad bad;
	size_t bad_field;
	int cut; /* the field in progress was cut short by cut_long_field() */

	/* positions */
	long line;       /* physical line of the next byte */
	int prev_cr;     /* the last byte was CR: a following LF ends no new line */
	int open;        /* a record has begun and not ended */
	long start;      /* line where it began */
	long quote_line; /* first line whose break went into the current field, 0 = none */
	int skip_line;   /* dropping the rest of a physical line */

	int stop;
	int keep_refused; /* hand refused records to cb (pal_csv_options.keep_refused) */
	size_t ref_width, ref_comma; /* the record being refused for its width (pal_csv_record) */
	int check_width;  /* pal_csv_options.check_width */
	size_t width;     /* fields of the header record; 0 until it is delivered */
	int sep;
	int fatal; /* out of memory: reading stopped, the file counts as unread (status 2) */
	size_t errors;
} reader;

static void add_error(reader *r, long line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void add_error(reader *r, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pal_diags_vadd(r->diags, PAL_ERROR, r->path, line, 0, fmt, ap);
	va_end(ap);
	r->errors++;
}

static void cannot_read(pal_diags *d, const char *path, int err)
{
	pal_diags_add(d, PAL_ERROR, path, 0, 0, "cannot read \"%s\": %s", path, strerror(err));
}

/* ---- pass 1 ---------------------------------------------------------- */

static void sniff_byte(struct sniff *s, unsigned char c)
{
	if (s->in_quote) {
		if (!s->quote_seen) {
			s->quote_seen = c == '"';
			return;
		}
		s->quote_seen = 0;
		if (c == '"') /* doubled quote: still inside */
			return;
		s->in_quote = 0; /* the quote closed the field; c is outside */
	}
	if (c == '\r' || c == '\n') {
		s->done = s->content; /* empty lines before the header don't count */
		s->at_start = 1;
		return;
	}
	s->content = 1;
	if (c == '"' && s->at_start) {
		s->in_quote = 1;
		s->at_start = 0;
		return;
	}
	s->at_start = 1;
	if (c == ';')
		s->count[0]++;
	else if (c == '\t')
		s->count[1]++;
	else if (c == ',')
		s->count[2]++;
	else
		s->at_start = 0;
}

static int sniff_result(const struct sniff *s)
{
	static const int seps[3] = { ';', '\t', ',' }; /* also the order for ties */
	size_t best = 2, most = 0;
	for (size_t i = 0; i < 3; i++) {
		if (s->count[i] > most) {
			most = s->count[i];
			best = i;
		}
	}
	return seps[best]; /* no separator at all: ',' (a one-column file) */
}

/*
 * How many bytes from s[0..n) are plain: ASCII other than NUL, CR and LF,
 * which pass 1 only has to step over. Eight at a time: a byte of x is zero
 * exactly when haszero() sets its high bit.
 */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static size_t plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
#define HASZERO(v) (((v) - ONES) & ~(v) & HIGHS)
		if ((x & HIGHS) | HASZERO(x) | HASZERO(x ^ (ONES * '\r')) | HASZERO(x ^ (ONES * '\n')))
			break;
#undef HASZERO
	}
	while (i < n && s[i] && s[i] < 0x80 && s[i] != '\r' && s[i] != '\n')
		i++;
	return i;
}

/* Returns 0, or -1 on a read error (errno set). Stops early at a NUL byte or a signature. */
static int scan_file(pal_textsrc *src, size_t max_bytes, int detect, unsigned char *in,
                     struct scan *sc)
{
	palx_utf8_stream u8 = { 0 };
	struct sniff sn = { 0 };
	long line = 1;
	int prev_cr = 0, first = 1;
	const unsigned char *buf;
	size_t n;

	memset(sc, 0, sizeof(*sc));
	sn.at_start = 1;
	while ((n = eng_textsrc_read(src, in, &buf)) > 0) {
		size_t i = 0;
		sc->size = src->bytes;
		if (sc->size > max_bytes) {
			sc->too_big = 1;
			return 0;
		}
		if (first) {
			first = 0;
			if (n >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0) {
				sc->zip = 1;
				return 0;
			}
			if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
				i = sc->bom = 3;
		}
		for (; i < n; i++) {
			if (!u8.need && (!detect || sn.done) && (i += plain_run(buf + i, n - i)) == n)
				break;
			unsigned char c = buf[i];
			if (i == src->bad_off && !sc->bad16_line) /* U+FFFD's first byte: never plain */
				sc->bad16_line = line;
			if (c == 0) {
				sc->nul_line = line;
				return 0;
			}
			if (!sc->bad_line && (c >= 0x80 || u8.need) && palx_utf8_stream_byte(&u8, c) < 0)
				sc->bad_line = line;
			if (detect && !sn.done)
				sniff_byte(&sn, c);
			if (c == '\r') {
				line++;
				prev_cr = 1;
			} else {
				if (c == '\n' && !prev_cr)
					line++;
				prev_cr = 0;
			}
		}
	}
	if (src->err) {
		errno = src->err;
		return -1;
	}
	if (ferror(src->f))
		return -1;
	if (!sc->bad_line && palx_utf8_stream_pending(&u8)) /* truncated sequence at the end */
		sc->bad_line = line;
	sc->sep = detect ? sniff_result(&sn) : 0;
	return 0;
}

/* ---- pass 2: building records ---------------------------------------- */

static void set_bad(reader *r, enum bad why, size_t field)
{
	if (r->bad == BAD_NONE) { /* the first problem of a record is the one reported */
		r->bad = why;
		r->bad_field = field;
	}
}

static void reset_record(reader *r)
{
	r->nf = r->used = r->nfields = 0;
	r->bad = BAD_NONE;
	r->bad_field = 0;
	r->cut = 0;
	r->open = 0;
	r->quote_line = 0;
	r->ref_width = r->ref_comma = 0;
}

/* Makes room for one more field of len bytes. Returns 0, or -1 when out of memory. */
static int reserve(reader *r, size_t len)
{
	if (r->nf == r->fcap) {
		size_t cap = r->fcap ? r->fcap * 2 : 64;
		size_t *offs = realloc(r->offs, cap * sizeof(*offs));
		if (!offs)
			return -1;
		r->offs = offs;
		size_t *lens = realloc(r->lens, cap * sizeof(*lens));
		if (!lens)
			return -1;
		r->lens = lens;
		const char **ptrs = realloc(r->ptrs, cap * sizeof(*ptrs));
		if (!ptrs)
			return -1;
		r->ptrs = ptrs;
		r->fcap = cap;
	}
	if (len + 1 > r->cap - r->used) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		char *buf;
		if (cap < r->used + len + 1)
			cap = r->used + len + 1;
		buf = realloc(r->buf, cap);
		if (!buf)
			return -1;
		r->buf = buf;
		r->cap = cap;
	}
	return 0;
}

/* libcsv: a field ended. */
static void on_field(void *data, size_t len, void *ctx)
{
	reader *r = ctx;
	size_t idx = ++r->nfields;
	int cut = r->cut;

	r->cut = 0;
	r->quote_line = 0;
	if (r->bad != BAD_NONE)
		return;
	/* A cell the writer neutralised ("'=1+1", csvwrite.c): the value is what follows the apostrophe. */
	if (len > 1 && ((const char *)data)[0] == '\'' &&
	    eng_csv_formula((const char *)data + 1, len - 1)) {
		data = (char *)data + 1;
		len--;
	}
	if (idx > r->max_fields) {
		set_bad(r, BAD_TOO_MANY, idx);
	} else if (cut || len > r->max_field) {
		set_bad(r, BAD_FIELD_LONG, idx);
	} else if (len + 1 > r->max_record - r->used) {
		set_bad(r, BAD_RECORD_LONG, idx);
	} else if (r->utf8 && len > 0 && !palx_utf8_valid(data, len, NULL)) {
		set_bad(r, BAD_ENCODING, idx); /* the file changed after pass 1 */
	} else if (reserve(r, len) < 0) {
		set_bad(r, BAD_OOM, idx);
	} else {
		if (len > 0)
			memcpy(r->buf + r->used, data, len);
		r->buf[r->used + len] = '\0';
		r->offs[r->nf] = r->used;
		r->lens[r->nf] = len;
		r->nf++;
		r->used += len + 1;
	}
}

/* Hands the record built so far to the callback; refused is NULL for a good record. */
static void deliver(reader *r, const char *refused)
{
	pal_csv_record rec;
	if (r->stop || !r->cb)
		return;
	for (size_t i = 0; i < r->nf; i++) /* buf may have moved while the record grew */
		r->ptrs[i] = r->buf + r->offs[i];
	rec.n = r->nf;
	rec.fields = r->ptrs;
	rec.lens = r->lens;
	rec.line = r->start;
	rec.refused = refused;
	rec.width = refused ? r->ref_width : 0;
	rec.comma = refused ? r->ref_comma : 0;
	if (r->cb(r->ctx, &rec) != 0)
		r->stop = 1;
}

/*
 * A record that cannot be read whole: an error at the line where it starts,
 * or, with keep_refused, the fields read before the problem handed to the
 * callback with the reason, for the caller to report (and list the row).
 */
static void refuse(reader *r, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void refuse(reader *r, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	if (!r->keep_refused || r->stop || !r->cb) {
		add_error(r, r->start, "%s", why);
		return;
	}
	r->errors++;
	deliver(r, why);
}

static void report(reader *r)
{
	switch (r->bad) {
	case BAD_FIELD_LONG:
		refuse(r, "field %zu is longer than %zu bytes (limit set by PALMARES_MAX_FIELD)",
		       r->bad_field, r->max_field);
		break;
	case BAD_TOO_MANY:
		refuse(r, "record has more than %zu fields (limit set by PALMARES_MAX_COLUMNS)",
		       r->max_fields);
		break;
	case BAD_RECORD_LONG:
		refuse(r, "record is longer than %zu bytes", r->max_record);
		break;
	case BAD_QUOTE:
		refuse(r, "field %zu: text after its closing quote (a quote inside a quoted field is written \"\")",
		       r->bad_field);
		break;
	case BAD_ENCODING:
		refuse(r, "field %zu is not valid UTF-8 (did the file change while it was read?)",
		       r->bad_field);
		break;
	case BAD_OOM:
		add_error(r, r->start, "out of memory reading this record: reading stopped here");
		r->fatal = r->stop = 1; /* going on would take the next record for this one */
		break;
	case BAD_NONE:
		break;
	}
}

/* "12" or "-1 234": a number's integer part, as the cell before a decimal comma would hold it. */
static int int_part(const char *s)
{
	s += strspn(s, " ");
	if (*s == '-' || *s == '+')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	s += strspn(s, "0123456789 ");
	return !*s && s[-1] != ' ';
}

/* "5" or "25 %": the decimals after a decimal comma. */
static int decimals(const char *s)
{
	size_t n = strspn(s, "0123456789");
	if (!n)
		return 0;
	s += n;
	s += strspn(s, " ");
	if (*s == '%')
		s++;
	return !s[strspn(s, " ")];
}

/*
 * A record whose number of fields is not the header's: its cells cannot be
 * matched to columns (a cell split in two shifts every cell after it), so
 * it is refused whole, with one message and a hint at the usual cause.
 */
static void refuse_width(reader *r)
{
	size_t n = r->nfields;
	r->ref_width = r->width;
	if (n > r->width && r->sep == ',') {
		/* a decimal comma in an unquoted cell: "12,5" became "12" and "5" */
		for (size_t i = 0; i + 1 < r->nf; i++) {
			const char *a = r->buf + r->offs[i], *b = r->buf + r->offs[i + 1];
			if (r->lens[i] <= 24 && r->lens[i + 1] <= 24 && int_part(a) && decimals(b)) {
				r->ref_comma = i + 1;
				refuse(r, "row has %zu cells where the header has %zu: cells %zu and %zu, \"%s\" "
				       "and \"%s\", look like one number with a decimal comma (write %s.%s, or put "
				       "the cell in quotes)", n, r->width, i + 1, i + 2, a, b, a + strspn(a, " "), b);
				return;
			}
		}
	}
	if (n > r->width)
		refuse(r, "row has %zu cells where the header has %zu: a cell holding the separator "
		       "(%s) must be put in quotes", n, r->width, r->sep == '\t' ? "a tab" :
		       r->sep == ';' ? "\";\"" : r->sep == ',' ? "\",\"" : "the separator");
	else
		refuse(r, "row has %zu cell%s where the header has %zu: every row needs all its cells, "
		       "empty ones included (a line break inside a cell must be in quotes)", n,
		       n == 1 ? "" : "s", r->width);
}

/* libcsv: a record ended. */
static void on_record(int c, void *ctx)
{
	reader *r = ctx;
	(void)c;
	if (r->bad != BAD_NONE) {
		report(r);
	} else if (r->check_width && r->width && r->nfields != r->width) {
		refuse_width(r);
	} else {
		/* the callback's first record is the header, whose width every record must have */
		if (r->check_width && !r->width && !r->stop && r->cb)
			r->width = r->nfields;
		deliver(r, NULL);
	}
	reset_record(r);
}

/* ---- pass 2: feeding libcsv ------------------------------------------ */

/*
 * Feeds bytes to libcsv. Strict mode makes it stop (CSV_EPARSE, returning the
 * offset of the byte) in two cases, which are handled here:
 * - a quote inside an unquoted field (5" screen): spreadsheets keep it, so
 *   it is fed again with quoting switched off, which makes it a plain byte;
 * - text after a closing quote ("ab"c): non-strict libcsv would stay inside
 *   the field and swallow the following lines up to the next quote, merging
 *   records silently. Instead the record is reported, the parser reset and
 *   the rest of the physical line skipped.
 */
static void feed(reader *r, const char *s, size_t len)
{
	while (len > 0 && !r->stop) {
		size_t n = csv_parse(&r->p, s, len, on_field, on_record, r);
		if (n == len)
			return;
		if (csv_error(&r->p) != CSV_EPARSE) { /* CSV_ENOMEM, CSV_ETOOBIG */
			add_error(r, r->open ? r->start : r->line, "out of memory: reading stopped here");
			r->fatal = r->stop = 1;
			return;
		}
		if (s[n] == '"') {
			size_t k;
			csv_set_quote(&r->p, 0); /* no NUL reaches the parser: pass 1 refused them */
			k = csv_parse(&r->p, "\"", 1, on_field, on_record, r);
			csv_set_quote(&r->p, '"');
			if (k != 1) {
				add_error(r, r->start, "out of memory: reading stopped here");
				r->fatal = r->stop = 1;
				return;
			}
			n++;
		} else {
			set_bad(r, BAD_QUOTE, r->nfields + 1);
			csv_fini(&r->p, NULL, NULL, NULL); /* back to "no record", delivering nothing */
			report(r);
			reset_record(r);
			r->skip_line = 1;
			return;
		}
		s += n;
		len -= n;
	}
}

/*
 * libcsv grows its field buffer without limit and has no call to empty it.
 * struct csv_parser is declared in csv.h with entry_buf/entry_pos described
 * as the current field, so once the field in progress is known to be too
 * long its content is dropped here, keeping only the last byte: if the field
 * is quoted, that byte may be the closing quote, which libcsv takes back
 * (entry_pos - 1) when the field ends. Memory stays at max_field + 1 segment.
 * Checklist: if libcsv's struct or its FIELD_MIGHT_HAVE_ENDED handling
 * changes, revisit this and test_csvread.c's long-cell tests.
 */
static void cut_long_field(reader *r)
{
	/* not max_field + 1: that wraps when the limit is SIZE_MAX */
	if (r->p.entry_pos > r->max_field && r->p.entry_pos - r->max_field > 1) {
		r->p.entry_buf[0] = r->p.entry_buf[r->p.entry_pos - 1];
		r->p.entry_pos = 1;
		r->cut = 1;
	}
}

/*
 * One physical line, or the part of one that fits in a buffer: s[0..n) holds
 * no CR or LF except possibly its last byte.
 */
static void segment(reader *r, const char *s, size_t n)
{
	unsigned char last = (unsigned char)s[n - 1];
	int term = last == '\r' || last == '\n';

	if (!r->skip_line) {
		/* Outside a record only a line break can come before content, and a
		 * record ends only at a line break: content here starts a record on
		 * this line. (libcsv skips empty lines.) */
		if (!r->open && !(n == 1 && term)) {
			r->open = 1;
			r->start = r->line;
		}
		feed(r, s, n);
		cut_long_field(r);
		/* a line break that did not end the record went into a quoted field */
		if (term && r->open && !r->quote_line)
			r->quote_line = r->line;
	}
	if (term) {
		/* an LF ends no new line only right after a CR (CRLF, maybe cut by the buffer) */
		int crlf = last == '\n' && n == 1 && r->prev_cr;
		r->skip_line = 0;
		if (!crlf)
			r->line++;
		r->prev_cr = last == '\r';
	} else {
		r->prev_cr = 0;
	}
}

static void process(reader *r, const char *s, size_t len)
{
	/* The next CR and LF at or after s + i, NULL when there is none: found with memchr */
	const char *cr = memchr(s, '\r', len), *lf = memchr(s, '\n', len);
	size_t i = 0;
	while (i < len && !r->stop) {
		if (cr && cr < s + i)
			cr = memchr(s + i, '\r', len - i);
		if (lf && lf < s + i)
			lf = memchr(s + i, '\n', len - i);
		const char *brk = !cr ? lf : !lf ? cr : cr < lf ? cr : lf;
		size_t j = brk ? (size_t)(brk - s) + 1 : len; /* the line break ends the segment */
		segment(r, s + i, j - i);
		i = j;
	}
}

/* At the end of the file: end the last record, or report its open quote. */
static void finish(reader *r)
{
	if (r->open && !r->stop) {
		long last = r->line;
		feed(r, "\n", 1); /* the last line had no line break */
		if (r->open) {    /* the line break went into a quoted field */
			refuse(r, "unterminated quoted field (opened on line %ld)",
			       r->quote_line ? r->quote_line : last);
			reset_record(r);
		}
	}
	csv_fini(&r->p, NULL, NULL, NULL);
}

static int parse_file(pal_textsrc *src, reader *r, const struct scan *sc, unsigned char *in,
                      char *conv, const pal_csv_options *o)
{
	size_t skip = sc->bom, n;
	const unsigned char *data;
	uint64_t done = 0;
	while (!r->stop && (n = eng_textsrc_read(src, in, &data)) > 0) {
		if (o->progress)
			o->progress(o->progress_ctx, "reading", done, sc->size);
		done = src->bytes;
		const char *s = (const char *)data;
		size_t len = n;
		if (skip) {
			size_t k = skip < len ? skip : len;
			s += k;
			len -= k;
			skip -= k;
		}
		if (!r->utf8) {
			len = palx_cp1252_to_utf8_into(s, len, conv);
			s = conv;
		}
		process(r, s, len);
	}
	if (src->err) {
		errno = src->err;
		return -1;
	}
	if (ferror(src->f))
		return -1;
	finish(r);
	return 0;
}

static int no_space(unsigned char c)
{
	(void)c;
	return 0; /* libcsv would trim spaces and tabs around unquoted fields */
}

/* ---- entry points ---------------------------------------------------- */

int eng_csv_sep_for_path(const char *path)
{
	size_t n = path ? strlen(path) : 0;
	return n >= 4 && strcasecmp(path + n - 4, ".tsv") == 0 ? '\t' : 0;
}

pal_csv_options eng_csv_table_options(const char *path)
{
	pal_csv_options o = { 0 };
	o.force_sep = eng_csv_sep_for_path(path);
	o.check_width = 1;
	return o;
}

/* Reports what makes the whole file unreadable; returns 1 if something does. */
static int check_scan(const struct scan *sc, const char *path, size_t max_bytes, pal_diags *d)
{
	if (sc->too_big)
		pal_diags_add(d, PAL_ERROR, path, 0, 0,
		              "file is larger than %zu bytes (limit set by PALMARES_MAX_FILE)", max_bytes);
	else if (sc->zip)
		pal_diags_add(d, PAL_ERROR, path, 0, 0,
		              "not CSV but a zip archive (an .xlsx or .ods spreadsheet?): save as UTF-8 CSV");
	else if (sc->nul_line)
		pal_diags_add(d, PAL_ERROR, path, sc->nul_line, 0,
		              "NUL byte: this is not a text file (save as UTF-8 CSV)");
	else
		return 0;
	return 1;
}

/* The options with the process limits filled in; -1 (said in diags) for an invalid separator. */
static int resolve_options(const pal_csv_options *opt, const char *path, pal_csv_options *o,
                           pal_diags *diags)
{
	memset(o, 0, sizeof(*o));
	if (opt)
		*o = *opt;
	if (!o->max_field)
		o->max_field = pal_limits_current()->max_field;
	if (!o->max_fields)
		o->max_fields = pal_limits_current()->max_columns;
	if (!o->max_bytes)
		o->max_bytes = pal_limits_current()->max_file;
	if (o->force_sep < 0 || o->force_sep > 127 || o->force_sep == '"' || o->force_sep == '\r' ||
	    o->force_sep == '\n') {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "invalid separator %d", o->force_sep);
		return -1;
	}
	return 0;
}

static int read_opened(FILE *f, const char *path, const pal_csv_options *opt, pal_csv_cb cb,
                       void *ctx, pal_diags *diags);

int eng_csv_read(const char *path, const pal_csv_options *opt, pal_csv_cb cb, void *ctx,
                 pal_diags *diags)
{
	pal_csv_options o;
	FILE *f;
	if (resolve_options(opt, path, &o, diags) < 0)
		return 2;
	{ /* a regular file only: it is read twice (encoding, then records); never waits on a FIFO */
		char why[128];
		long long size;
		if (!(f = pal_input_open(path, 0, &size, why, sizeof why))) {
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": %s", path, why);
			return 2;
		}
	}
	int rc = read_opened(f, path, &o, cb, ctx, diags);
	fclose(f);
	return rc;
}

int eng_csv_read_stream(FILE *f, const char *name, const pal_csv_options *opt, pal_csv_cb cb,
                        void *ctx, pal_diags *diags)
{
	pal_csv_options o;
	if (resolve_options(opt, name, &o, diags) < 0)
		return 2;
	return read_opened(f, name, &o, cb, ctx, diags);
}

int eng_csv_read_in(const eng_csv_in *in, const pal_csv_options *opt, pal_csv_cb cb, void *ctx,
                    pal_diags *diags)
{
	if (!in->mem)
		return eng_csv_read(in->name, opt, cb, ctx, diags);
	/* Read only ("r" never writes into the buffer, hence the cast), seekable as the reader needs. */
	FILE *f = fmemopen((void *)(uintptr_t)(in->text ? in->text : ""), in->len, "r");
	if (!f) {
		cannot_read(diags, in->name, ENOMEM);
		return 2;
	}
	int rc = eng_csv_read_stream(f, in->name, opt, cb, ctx, diags);
	fclose(f);
	return rc;
}

/* eng_csv_read() once f is open; o has its limits filled in. Leaves f open. */
static int read_opened(FILE *f, const char *path, const pal_csv_options *opt, pal_csv_cb cb,
                       void *ctx, pal_diags *diags)
{
	const pal_csv_options o = *opt;
	unsigned char *in = NULL;
	char *conv = NULL;
	struct scan sc;
	pal_textsrc src;
	reader r;
	int sep, rc = 2;

	memset(&src, 0, sizeof(src));
	src.cd = (iconv_t)-1;
	in = malloc(CHUNK);
	if (!in) {
		cannot_read(diags, path, ENOMEM);
		goto out;
	}
	{ /* fail fast on a huge file; scan_file() counts anyway (pipes, growing files) */
		struct stat st;
		if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size > o.max_bytes) {
			pal_diags_add(diags, PAL_ERROR, path, 0, 0, "file is larger than %zu bytes (limit set by "
			              "PALMARES_MAX_FILE)", o.max_bytes);
			goto out;
		}
	}
	if (eng_textsrc_open(&src, f) < 0 || scan_file(&src, o.max_bytes, !o.force_sep, in, &sc) < 0) {
		cannot_read(diags, path, errno);
		goto out;
	}
	if (check_scan(&sc, path, o.max_bytes, diags)) {
		/* over a limit: unread (2); zip, NUL bytes: refused for what it holds (3) */
		rc = sc.too_big ? 2 : 3;
		goto out;
	}
	sep = o.force_sep ? o.force_sep : sc.sep;
	if (sc.bad_line)
		pal_diags_add(diags, PAL_WARNING, path, 0, 0,
		              "not valid UTF-8 (first invalid byte at line %ld): read as Windows-1252", sc.bad_line);
	if (sc.bad16_line)
		pal_diags_add(diags, PAL_WARNING, path, 0, 0, "not valid UTF-16 (first invalid character at "
		              "line %ld): each invalid character read as \"\xEF\xBF\xBD\" (U+FFFD)", sc.bad16_line);
	if (eng_textsrc_rewind(&src) != 0) {
		cannot_read(diags, path, errno);
		goto out;
	}
	if (sc.bad_line) {
		conv = malloc(3 * CHUNK); /* a Windows-1252 byte is at most 3 UTF-8 bytes */
		if (!conv) {
			cannot_read(diags, path, ENOMEM);
			goto out;
		}
	}

	memset(&r, 0, sizeof(r));
	r.path = path;
	r.diags = diags;
	r.cb = cb;
	r.ctx = ctx;
	r.max_field = o.max_field;
	r.max_fields = o.max_fields;
	r.keep_refused = o.keep_refused;
	r.check_width = o.check_width;
	r.sep = sep;
	r.max_record = o.max_field > PAL_CSV_MAX_RECORD ? o.max_field : PAL_CSV_MAX_RECORD;
	r.utf8 = !sc.bad_line;
	r.line = 1;
	if (csv_init(&r.p, CSV_STRICT) != 0) {
		cannot_read(diags, path, ENOMEM);
		goto out;
	}
	csv_set_delim(&r.p, (unsigned char)sep);
	/* libcsv grows its field buffer by fixed blocks (128 bytes by default):
	 * copying a 1 MiB field 8000 times is quadratic, so grow by a buffer-full */
	csv_set_blk_size(&r.p, CHUNK);
	csv_set_space_func(&r.p, no_space);
	/* libcsv's own default is the C library's realloc: naming ours routes its
	 * field buffer through the allocator the allocation-failure tests wrap. */
	csv_set_realloc_func(&r.p, realloc);
	csv_set_free_func(&r.p, free);
	if (parse_file(&src, &r, &sc, in, conv, &o) < 0) {
		/* rare after pass 1: records may have been delivered, but not the whole file */
		cannot_read(diags, path, errno);
		rc = 2;
	} else {
		rc = r.fatal ? 2 : r.errors ? 1 : 0;
	}
	csv_free(&r.p);
	free(r.buf);
	free(r.offs);
	free(r.lens);
	free(r.ptrs);
out:
	eng_textsrc_close(&src);
	free(conv);
	free(in);
	return rc;
}
