/*
 * The header row of a small CSV table (marks, assignments, overrides):
 * which field holds each known column, with "did you mean" for an unknown
 * one and an error for each required one missing. Shared by marks.c,
 * marks_prefetch.c, assignments.c and overrides.c.
 */
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "text.h"

int eng_cols_map(struct pal_cols *m, const pal_csv_record *rec, const char *path,
                 const char *const *required, pal_diags *diags)
{
	int ok = 1;
	size_t nn = 0;
	while (m->names[nn])
		nn++;
	for (size_t k = 0; k < nn; k++)
		m->idx[k] = -1;
	for (size_t i = 0; i < rec->n; i++) {
		char *name = palx_text_fold(rec->fields[i]);
		int known = 0;
		if (!name)
			return -1;
		for (size_t k = 0; k < nn; k++)
			if (strcmp(name, m->names[k]) == 0) {
				m->idx[k] = (long)i;
				known = 1;
			}
		for (const char *const *g = m->ignored; g && *g; g++)
			known |= strcmp(name, *g) == 0;
		if (!known && *name) {
			const char *best = pal_text_closest(name, m->names, nn);
			pal_diags_add(diags, PAL_ERROR, path, rec->line, 0, "unknown column \"%s\"%s%s%s",
			              rec->fields[i], best ? ": did you mean \"" : "", best ? best : "",
			              best ? "\"?" : "");
			ok = 0;
		}
		free(name);
	}
	for (const char *const *r = required; *r; r++)
		for (size_t k = 0; k < nn; k++)
			if (strcmp(m->names[k], *r) == 0 && m->idx[k] < 0) {
				pal_diags_add(diags, PAL_ERROR, path, rec->line, 0,
				              "the header row has no \"%s\" column", *r);
				ok = 0;
			}
	return ok ? 0 : 1;
}

const char *eng_cols_field(const struct pal_cols *m, const pal_csv_record *rec, size_t k)
{
	long i = m->idx[k];
	return i >= 0 && (size_t)i < rec->n ? rec->fields[i] : "";
}
