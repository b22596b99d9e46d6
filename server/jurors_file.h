/*
 * The jurors file of `palmares assign` (juror,name,email,town_id,region,
 * conflicts) on its way into the store: one path for `campaign init
 * --jurors` and the organizer's import on the jurors page, so that both
 * accept exactly the files the command line accepts. The engine's reader
 * (pal_jurors_load_text) is the judge: every one of its errors refuses the
 * file whole, with its line; the cells stored are then read from the same
 * text by the server's CSV table, and a juror the two do not see alike
 * refuses the file too (never a juror stored that the engine did not read).
 * Also the other way: the store's jurors as the engine's pal_jurors, their
 * recusals counted as conflicts, for the assignment and its eligibility.
 */
#ifndef PALMARES_SERVER_JURORS_FILE_H
#define PALMARES_SERVER_JURORS_FILE_H

#include <stddef.h>

#include "palmares/jury.h"
#include "store_jury.h"
#include "towns_csv.h"

/* A problem of a refused file: the engine's message, with its line (0: the whole file). */
typedef struct {
	long line;
	char *text; /* owned */
} jurors_problem;

typedef struct {
	store_juror
		*v;   /* n jurors; their strings point into table (not owned: never store_juror_clear them) */
	size_t *line; /* the file line of v[i] */
	size_t n;
	jurors_problem *problems;
	size_t nproblems;
	int nomem;
	csv_table table;
} jurors_list;

/* Reads text[0..len) (named name in messages) into out (zeroed by the
 * caller): 0 when the engine accepts it whole, -1 when not (every problem
 * listed, or out->nomem). Free with jurors_list_free() either way. */
int jurors_file_read(const char *name, const char *text, size_t len, jurors_list *out);

/* Adds a problem (the import's "already in the campaign"); -1 when out of memory. */
int jurors_problem_add(jurors_list *l, long line, const char *text);

void jurors_list_free(jurors_list *l);

/* Adds every juror of l in one transaction (nested in a caller's), each
 * with its person and audit line; STORE_REFUSED when an id is taken. */
store_status jurors_list_store(store *s, const jurors_list *l, int64_t who, int64_t now);

/* The campaign's jurors as the engine reads them: jury_files.c's jurors.csv,
 * each one's recusals among their conflicts (a recusal is a conflict:
 * docs/web.md). Owned (NULL when the store or memory failed, or the engine
 * refused them: messages in d). */
pal_jurors *jurors_from_store(store *s, pal_diags *d);

#endif
