/*
 * The towns file (`palmares campaign init --towns`, and the organizer's
 * "import more towns" on the web): a CSV with town_id, town_name, email and
 * the town's attributes. One reader from text for both, so that the two
 * accept exactly the same files: ',' or ';' as the header row says, a UTF-8
 * BOM skipped, every cell cleaned as the documents clean text, every
 * problem listed with its line (not only the first), so that a refused
 * file is fixed in one go. The generic table under it also reads the
 * jurors file of campaign init.
 */
#ifndef PALMARES_SERVER_TOWNS_CSV_H
#define PALMARES_SERVER_TOWNS_CSV_H

#include <stddef.h>

#include "store.h"

/* A CSV read whole: rows of cleaned, owned cells; rows[0] is the header. */
typedef struct {
	char ***rows;
	size_t *widths;
	size_t *lines; /* the file line where each row starts (the header's is 1, or more after blank lines) */
	size_t n, cap;
	char **cur; /* the row being read */
	size_t curn, curcap;
	size_t line, start; /* the line being read; the line where the current row started */
	int nomem;
} csv_table;

/* Reads text[0..len) into t (zeroed by the caller). 0, or -1 with a message
 * (lower case, without a file name) in err; then t is empty. A file without
 * a header row is refused. Free with csv_table_free(). */
int csv_table_read(const char *text, size_t len, csv_table *t, char *err, size_t errlen);

/* Frees the rows; accepts NULL and an empty table. */
void csv_table_free(csv_table *t);

/* The index of the header's column name, -1 when absent. */
long csv_table_column(const csv_table *t, const char *name);

/* The cell of row at col, "" when the row is shorter or col is -1. Borrowed. */
const char *csv_table_cell(const csv_table *t, size_t row, long col);

/* What can be wrong with a towns file. */
typedef enum {
	TOWNS_MALFORMED = 0, /* not CSV (an unclosed quote...); detail says libcsv's reason */
	TOWNS_EMPTY,         /* no header row */
	TOWNS_NO_COLUMNS,    /* the header lacks town_id or town_name */
	TOWNS_NO_ID_NAME,    /* a row without a town_id or a town_name */
	TOWNS_DUPLICATE,     /* subject's town_id is on an earlier line (other_line) */
	TOWNS_EXISTS,        /* subject is in the campaign already (found by the caller) */
	TOWNS_NOMEM,         /* never listed: towns_list.nomem says it */
} towns_problem_code;

typedef struct {
	towns_problem_code code;
	size_t line;       /* the row's line in the file, the first being 1; 0: the whole file */
	size_t other_line; /* TOWNS_DUPLICATE: the first line of that town_id */
	char *subject;     /* owned: a town_id, or libcsv's reason; "" when none */
} towns_problem;

/* The towns of a file, ready for store_towns_add() / store_campaign_init(). */
typedef struct {
	store_town *v; /* n towns; their strings belong to the list */
	size_t *line;  /* the line of v[i] */
	size_t n;
	towns_problem *problems;
	size_t nproblems;
	int nomem;       /* out of memory: the problems may be incomplete */
	csv_table table; /* owns the cells v[] points into */
} towns_list;

/* Reads the towns of text[0..len) into out (zeroed by the caller): 0 when
 * the file has no problem, -1 when it has (every one listed in
 * out->problems, or out->nomem set; out->v may then be partial: use none
 * of it). Free with
 * towns_list_free() either way. */
int towns_csv_read(const char *text, size_t len, towns_list *out);

/* Adds a problem to the list (the web's TOWNS_EXISTS). 0, or -1 when out of memory. */
int towns_problem_add(towns_list *l, towns_problem_code code, size_t line, size_t other_line,
		      const char *subject);

/* A problem in English, for the command line ("town \"7\" is listed twice
 * (line 3)"), without its line, into buf. */
void towns_problem_text(const towns_problem *p, char *buf, size_t len);

/* Frees everything; accepts NULL. */
void towns_list_free(towns_list *l);

#endif
