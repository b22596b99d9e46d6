/*
 * Private: reading marks (marks.c), shared with the marks read ahead on a
 * thread (marks_prefetch.c), which checks a row as far as it can without
 * the campaign and then goes through the same attach and checks, so that
 * the messages and marks are the same either way.
 */
#ifndef PAL_MARKS_H
#define PAL_MARKS_H

#include "columns.h"
#include "model.h"

/* One marks file being added to a campaign. */
struct mark_ctx {
	pal_campaign *c;
	const char *path;
	uint32_t file;     /* index of path in c->mark_files */
	pal_diags *diags;
	struct pal_cols m;
	int header_done, rejected, oom;
};

/* The columns of a marks file, in this order; eng_mark_ignored are known and unused. */
enum { PAL_MARK_COL_JUROR, PAL_MARK_COL_TOWN, PAL_MARK_COL_CRIT, PAL_MARK_COL_MARK,
       PAL_MARK_COL_COMMENT };
extern const char *const eng_mark_names[];
extern const char *const eng_mark_ignored[];

/*
 * A marks file's header row: a bad one rejects the file (the reader stops:
 * returns 1, or -1 when out of memory); 0 to read on.
 */
int eng_marks_header(struct pal_cols *m, const pal_csv_record *rec, const char *path,
                     pal_diags *diags, int *header_done, int *rejected, int *oom);
/* A rejected mark: an error in x->diags, a warning in d's results (d may be NULL). */
void eng_marks_error(struct mark_ctx *x, pal_dossier *d, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/*
 * The checks of a mark that need the campaign as loaded, then the mark joins
 * its dossier's list (m read ahead, or NULL: made from v and comment).
 */
void eng_marks_attach(struct mark_ctx *x, long line, long col, pal_dossier *d, const pal_criterion *cr,
                      const char *juror, const char *town, pal_mark *m, double v, const char *comment);
/* Checks and attaches one mark of a CSV row, its mark as text. Strings are borrowed for the call. */
void eng_marks_add(struct mark_ctx *x, long line, long col, const char *juror, const char *town,
                   const char *crit, const char *mark_text, const char *comment);

#endif
