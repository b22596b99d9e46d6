/*
 * The store's jury into the command line's files (jury_files.h): one scan
 * of the jury tables (store_jury_scan.h), each row a CSV row of its text,
 * each text read by the engine through the very readers of the files
 * (pal_campaign_*_text), so that no rule of the jury is written here.
 */
#include "jury_files.h"

#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "store_jury_scan.h"

const char *const jury_file_names[JURY_FILES] = {
	[JURY_JURORS] = "jurors.csv",
	[JURY_ASSIGNMENTS] = "assignments.csv",
	[JURY_MARKS] = "marks.csv",
	[JURY_OVERRIDES] = "overrides.csv",
};

/* The header rows: the columns of docs/jury.md's and docs/csv.md's formats. */
static const char *const headers[JURY_FILES][6] = {
	[JURY_JURORS] = {"juror", "name", "email", "town_id", "region", "conflicts"},
	[JURY_ASSIGNMENTS] = {"juror", "town_id"},
	[JURY_MARKS] = {"juror", "town_id", "criterion", "mark", "comment"},
	[JURY_OVERRIDES] = {"town_id", "level", "reason"},
};
static const int ncols[JURY_FILES] = {6, 2, 5, 3};

/* The table a file comes from: the same order. */
_Static_assert((int)JURY_JURORS == (int)STORE_JURY_JURORS && (int)JURY_ASSIGNMENTS == (int)STORE_JURY_ASSIGNMENTS &&
		       (int)JURY_MARKS == (int)STORE_JURY_MARKS && (int)JURY_OVERRIDES == (int)STORE_JURY_OVERRIDES &&
		       (int)JURY_FILES == (int)STORE_JURY_TABLES,
	       "jury_file and store_jury_table name the same files in the same order");

typedef struct {
	csvout out[JURY_FILES];
	int nomem;
} conversion;

/* A juror's conflicts: those of the jurors file, then the recusals. */
static void juror_conflicts(csvout *b, const char *listed, const char *recused)
{
	size_t a = strlen(listed), r = strlen(recused);
	char *both = malloc(a + r + 2);
	if (!both) {
		b->nomem = 1;
		return;
	}
	memcpy(both, listed, a);
	both[a] = '|';
	memcpy(both + a + (a && r), recused, r + 1);
	csvout_cell(b, both, 1);
	free(both);
}

static int on_row(void *ctx, store_jury_table t, const char *const *col, int ncol)
{
	conversion *x = ctx;
	csvout *b = &x->out[t];
	int n = ncols[t];
	if (ncol < n + (t == STORE_JURY_JURORS)) {
		x->nomem = 1; /* a statement without its columns: nothing to write */
		return 1;
	}
	for (int i = 0; i < n - (t == STORE_JURY_JURORS); i++)
		csvout_cell(b, col[i], i == n - 1);
	if (t == STORE_JURY_JURORS)
		juror_conflicts(b, col[n - 1], col[n]);
	return b->nomem;
}

void jury_files_clear(jury_files *f)
{
	for (int k = 0; k < JURY_FILES; k++) {
		free(f->text[k]);
		f->text[k] = NULL;
		f->len[k] = 0;
	}
}

store_status jury_files_read(store *s, jury_files *f)
{
	conversion x;
	memset(&x, 0, sizeof x);
	memset(f, 0, sizeof *f);
	for (int k = 0; k < JURY_FILES; k++)
		for (int i = 0; i < ncols[k]; i++)
			csvout_cell(&x.out[k], headers[k][i], i == ncols[k] - 1);
	store_status st = store_jury_scan(s, on_row, &x);
	for (int k = 0; k < JURY_FILES; k++) {
		x.nomem |= x.out[k].nomem;
		f->text[k] = x.out[k].s;
		f->len[k] = x.out[k].len;
	}
	if (st == STORE_OK && x.nomem)
		st = STORE_NOMEM;
	if (st != STORE_OK)
		jury_files_clear(f);
	return st;
}

static int worst(int a, int b)
{
	return a > b ? a : b;
}

int jury_files_apply(const jury_files *f, pal_campaign *c, pal_diags *d)
{
	int st = pal_campaign_set_assignments_text(c, jury_file_names[JURY_ASSIGNMENTS], f->text[JURY_ASSIGNMENTS],
						   f->len[JURY_ASSIGNMENTS], d);
	st = worst(st, pal_campaign_add_marks_text(c, jury_file_names[JURY_MARKS], f->text[JURY_MARKS],
						   f->len[JURY_MARKS], d));
	return worst(st, pal_campaign_set_overrides_text(c, jury_file_names[JURY_OVERRIDES],
							 f->text[JURY_OVERRIDES], f->len[JURY_OVERRIDES], d));
}
