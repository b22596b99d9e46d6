/*
 * CSV as palmares writes it (results, template, assignments, juror sheets):
 * one writer, so that every CSV file follows the same dialect — plain
 * (',' and '.') or excel-fr (';', decimal comma, UTF-8 byte order mark:
 * what French Excel opens in columns) — and the same quoting.
 */
#ifndef PALMARES_CSVWRITE_H
#define PALMARES_CSVWRITE_H

#include <stdio.h>

#include "palmares/palmares.h"

typedef struct pal_csvw {
	FILE *out;     /* borrowed */
	char sep;      /* ',' or ';' */
	char decimal;  /* '.' or ',' */
} pal_csvw;

/* Starts a CSV file in dialect d on out: the excel-fr byte order mark is written here. */
void eng_csvw_init(pal_csvw *w, FILE *out, pal_csv_dialect d);
/*
 * One text cell. Quoted when it holds a separator of either dialect, a quote,
 * a tab or a line break, or starts or ends with a space (which a reader would
 * trim). A cell that a spreadsheet would run as a formula (eng_csv_formula)
 * gets a leading apostrophe (OWASP's rule for CSV injection), whatever the
 * column: town ids and names, titles and ids all come from outside. The
 * reader (csvread.c) takes it off again, so a filled sheet reads back the
 * value that was written.
 */
void eng_csvw_field(pal_csvw *w, const char *s);
/* n cells of fixed text (a header row's names), separated; the row goes on after them. */
void eng_csvw_fields(pal_csvw *w, const char *const *v, size_t n);
/* One number cell, as eng_format_number() writes it, with the dialect's decimal mark. */
void eng_csvw_num(pal_csvw *w, double x);
/*
 * Whether a cell of len bytes must be neutralised: it starts with = + - @, a
 * tab or a carriage return and is not a plain number ("-3", "+1.5", "-2,5":
 * numbers stay numbers), or it is one or more apostrophes followed by such a
 * cell (so that a value that starts with an apostrophe reads back whole).
 */
int eng_csv_formula(const char *s, size_t len);
/* The separator between two cells. */
void eng_csvw_sep(pal_csvw *w);
/* The end of a row. */
void eng_csvw_end(pal_csvw *w);

#endif
