/* Private: the column mapper of the small CSV tables (columns.c). */
#ifndef PAL_COLUMNS_H
#define PAL_COLUMNS_H

#include "csvread.h"
#include "palmares/diag.h"

struct pal_cols {
	const char *const *names;  /* known names, NULL-terminated */
	const char *const *ignored;
	long idx[16];              /* field index per known name, -1 when absent */
};

/*
 * Maps the header row rec onto m->names (m->ignored are known and unused).
 * Returns 0, 1 when a column is unknown or a required one missing (said in
 * diags), or -1 when out of memory.
 */
int eng_cols_map(struct pal_cols *m, const pal_csv_record *rec, const char *path,
                 const char *const *required, pal_diags *diags);
/* Field of known column k in rec, "" when absent. Borrowed from rec. */
const char *eng_cols_field(const struct pal_cols *m, const pal_csv_record *rec, size_t k);

#endif
