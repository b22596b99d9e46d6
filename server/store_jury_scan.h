/*
 * The store's jury tables read whole, for the engine's files (jury_files.c):
 * jurors (with their recusals), assignments, marks and overrides, each in
 * the byte order of its key, all four in one read transaction, so that they
 * are one moment's state of the campaign while jurors go on saving.
 */
#ifndef PALMARES_SERVER_STORE_JURY_SCAN_H
#define PALMARES_SERVER_STORE_JURY_SCAN_H

#include "store.h"

/* The tables, in the order they are read. */
typedef enum {
	STORE_JURY_JURORS,      /* juror, name, email, town_id, region, conflicts, recusals ('|' between) */
	STORE_JURY_ASSIGNMENTS, /* juror, town_id: the assignments without a recusal */
	STORE_JURY_MARKS,       /* juror, town_id, criterion, mark, comment: marks with a value, as typed */
	STORE_JURY_OVERRIDES,   /* town_id, level, reason */
	STORE_JURY_TABLES
} store_jury_table;

/* One row: its ncol columns' texts (never NULL; borrowed for the call). Nonzero stops the scan. */
typedef int (*store_jury_row_fn)(void *ctx, store_jury_table t, const char *const *col, int ncol);

/* Calls fn for every row of the four tables, in that order. STORE_OK also when fn stopped it. */
store_status store_jury_scan(store *s, store_jury_row_fn fn, void *ctx);

#endif
