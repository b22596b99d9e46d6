/*
 * CSV written by the web front for a spreadsheet (the audit log, the
 * invitation links for a mail merge): cells
 * quoted when they hold a separator, a quote or a line break, and a cell a
 * spreadsheet would run as a formula (= @ tab CR first, or + - not followed
 * by a plain number) prefixed with ' , by the same rule as the command
 * line's CSV writer (docs/csv.md), so that a town's name or answer never
 * becomes a formula on the organizer's computer.
 */
#ifndef PALMARES_SERVER_CSVOUT_H
#define PALMARES_SERVER_CSVOUT_H

#include <stddef.h>

/* A growing text; nomem sticks once an allocation failed. Zero it to start. */
typedef struct {
	char *s; /* owned, NUL-terminated */
	size_t len, cap;
	int nomem;
} csvout;

/* One cell, then "," or, when last, the CRLF that ends the row. */
void csvout_cell(csvout *b, const char *s, int last);

#endif
