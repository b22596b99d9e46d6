/*
 * Private: streaming reader for the CSV dialect of office suites (SPEC §3.2),
 * over libcsv. Used by every table loader: dossiers, marks, overrides, jurors
 * and assignments.
 *
 * Encoding UTF-8 (BOM or not), UTF-16 with a BOM (converted, textsrc.h), else
 * Windows-1252 with one warning; separator ',' ';' or tab detected from the
 * header record; LF, CRLF and CR line ends;
 * quoted fields with separators, doubled quotes and line breaks. Records are
 * handed to a callback one at a time with the physical line where each
 * starts; memory stays bounded whatever the input.
 */
#ifndef PAL_ENGINE_CSVREAD_H
#define PAL_ENGINE_CSVREAD_H

#include <stddef.h>
#include <stdio.h>

#include "palmares/diag.h"
#include "palmares/palmares.h"

/* Zero fields take the process limits (palmares/limits.h, docs/limits.md). */
typedef struct pal_csv_options {
	size_t max_field;  /* longest field in bytes; default PALMARES_MAX_FIELD, 1 MiB */
	size_t max_fields; /* most fields in a record; default PALMARES_MAX_COLUMNS, 10000 */
	size_t max_bytes;  /* largest file; default PALMARES_MAX_FILE, 4 GiB */
	int force_sep;     /* separator byte, 0 = detect (see eng_csv_sep_for_path) */
	int keep_refused;  /* also hand refused records to the callback (pal_csv_record.refused) */
	int check_width;   /* the first record is a header: a later record with another number of
	                    * fields is refused, with both counts (see eng_csv_table_options) */
	pal_progress_fn progress; /* called with phase "reading", bytes read and the file's size */
	void *progress_ctx;
} pal_csv_options;

/* A record's field bytes together may not exceed this (or max_field when larger). */
#define PAL_CSV_MAX_RECORD ((size_t)64 << 20)

/*
 * One record. fields[i] is NUL-terminated UTF-8 of lens[i] bytes, nothing
 * trimmed ("" for an empty field, counted in n). Everything is borrowed,
 * valid only during the callback. line is the 1-based physical line where the
 * record starts.
 */
typedef struct pal_csv_record {
	size_t n;
	const char *const *fields;
	const size_t *lens;
	long line;
	/*
	 * NULL for a record read whole. With keep_refused, a record the reader
	 * refuses (field too long, too many fields, a width other than the
	 * header's, text after a closing quote, an unterminated quote) comes here
	 * too, with the reason (no position) and the fields read (all of them for
	 * a width other than the header's, those before the problem otherwise);
	 * the reader then does not report it: the callback does, and can name the
	 * row (a dossier is never dropped).
	 */
	const char *refused;
	/*
	 * For a record refused for its width (else 0): the header's number of
	 * cells, and when a decimal comma explains the extra cell, the 1-based
	 * number of the cell before it ("12" of "12,5" read as "12" and "5").
	 * The callback can then tell the town in its own words (dossier.c).
	 */
	size_t width;
	size_t comma;
} pal_csv_record;

/* Called once per record, header included; return nonzero to stop reading. */
typedef int (*pal_csv_cb)(void *ctx, const pal_csv_record *rec);

/*
 * What eng_csv_read returns. Callers compare with these names, never with the
 * numbers (which are kept: the unit tests and the returns in csvread.c use them).
 */
typedef enum pal_csv_status {
	/* read; warnings only (e.g. Windows-1252), or none */
	PAL_CSV_READ_OK = 0,
	/* read, but some errors were reported (the other records were delivered) */
	PAL_CSV_READ_ERRORS = 1,
	/*
	 * nothing delivered: cannot read the file ("cannot read "path": strerror"),
	 * file over the size limit, bad force_sep; or reading stopped part-way (a
	 * read error, out of memory): the records delivered are not the whole file
	 * and must not be taken for it.
	 */
	PAL_CSV_READ_IOERR = 2,
	/*
	 * nothing delivered: the file was read but refused as a whole for what it
	 * holds (a zip archive, NUL bytes: a binary, spreadsheet or BOM-less UTF-16
	 * file). It is rejected input, not an I/O failure: the rest of a run can
	 * still be scored.
	 */
	PAL_CSV_READ_REFUSED = 3,
} pal_csv_status;

/*
 * Reads the CSV file at path, calling cb for each record. opt may be NULL.
 * Problems go to diags as FILE[:LINE]: messages; a record with an error
 * (field too long, too many fields, text after a closing quote, with
 * check_width a number of fields other than the header's) is reported
 * and not delivered (with keep_refused: delivered with .refused set, and not
 * reported), and reading goes on with the next one. Empty lines are
 * skipped. Returns one of pal_csv_status (above). Stopping through the
 * callback is not an error. The file is read twice (once to check the
 * encoding and find the separator), so path must be seekable.
 */
int eng_csv_read(const char *path, const pal_csv_options *opt, pal_csv_cb cb, void *ctx,
                 pal_diags *diags);

/*
 * eng_csv_read() over f, already open and seekable (a memory buffer through
 * fmemopen: the web front's uploads), with name where messages name the
 * file. Reads f from its beginning; leaves it open.
 */
int eng_csv_read_stream(FILE *f, const char *name, const pal_csv_options *opt, pal_csv_cb cb,
                        void *ctx, pal_diags *diags);

/*
 * Where a table comes from: the file at name (mem 0), or len bytes of a
 * file's content in memory (mem 1; text borrowed, NULL when len is 0), with
 * name where messages name the file. Every table loader (marks, overrides,
 * jurors, assignments) takes one, so that a text given to a _text entry of
 * the API goes through the very reader its file would.
 */
typedef struct eng_csv_in {
	const char *name;
	const char *text;
	size_t len;
	int mem;
} eng_csv_in;

/* The file at path, as an eng_csv_in. */
static inline eng_csv_in eng_csv_in_file(const char *path)
{
	return (eng_csv_in){path, NULL, 0, 0};
}

/* A text in memory named name, as an eng_csv_in. */
static inline eng_csv_in eng_csv_in_text(const char *name, const char *text, size_t len)
{
	return (eng_csv_in){name, text ? text : "", len, 1};
}

/*
 * eng_csv_read() of in: the file, or the text read as a file of that
 * content (its limits counted as a file's are).
 */
int eng_csv_read_in(const eng_csv_in *in, const pal_csv_options *opt, pal_csv_cb cb, void *ctx,
                    pal_diags *diags);

/* Returns '\t' when path ends in ".tsv" (any case), else 0: a value for force_sep. */
int eng_csv_sep_for_path(const char *path);

/*
 * The options of every table palmares reads (dossiers, marks and sheets,
 * overrides, jurors, assignments): a header row, so check_width, and the
 * separator forced by the file name (eng_csv_sep_for_path). One place, so
 * that every file treats a row of the wrong width the same way.
 */
pal_csv_options eng_csv_table_options(const char *path);

#endif
