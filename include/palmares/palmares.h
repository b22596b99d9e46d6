/*
 * palmares — label-evaluation scoring engine. Public API.
 *
 * Flow: load a rubric, create a campaign over it, add dossier files, marks,
 * overrides and a previous edition's results, score, then write results or an
 * explanation. Every loader appends its problems to a caller-owned pal_diags
 * list and goes on; nothing is ever printed by the library.
 *
 * Ownership: handles returned by *_load / *_new are owned by the caller and
 * freed with the matching *_free, which accepts NULL.
 */
#ifndef PALMARES_H
#define PALMARES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "palmares/diag.h"
#include "palmares/output.h"
#include "palmares/progress.h"
#include "palmares/rubric.h"
#include "palmares/rule.h"
#include "palmares/suggest.h"
#include "palmares/text.h"
#include "palmares/town.h"
#include "palmares/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pal_rubric pal_rubric;
typedef struct pal_campaign pal_campaign;

/* Status codes of loaders: also the command line's exit statuses (SPEC §7). */
#define PAL_OK 0        /* no error (warnings possible) */
#define PAL_REJECTED 1  /* some input was rejected; the valid part was kept */
#define PAL_IOERR 2     /* a file could not be read or written */

/*
 * Loads and validates a rubric (SPEC §1). Every problem goes to diags.
 * Returns the rubric, or NULL when the file cannot be read (*status =
 * PAL_IOERR) or is invalid (*status = PAL_REJECTED).
 */
pal_rubric *pal_rubric_load(const char *path, pal_diags *diags, int *status);
/* The same from a rubric's JSON text[0..len), named name in messages (the web front keeps it in its store). */
pal_rubric *pal_rubric_load_text(const char *name, const char *text, size_t len, pal_diags *diags, int *status);
void pal_rubric_free(pal_rubric *r);
/* Borrowed strings, valid while the rubric lives. */
const char *pal_rubric_id(const pal_rubric *r);
long pal_rubric_edition(const pal_rubric *r);
size_t pal_rubric_count_criteria(const pal_rubric *r);
size_t pal_rubric_count_categories(const pal_rubric *r);
size_t pal_rubric_count_levels(const pal_rubric *r);
size_t pal_rubric_count_jury(const pal_rubric *r);

/*
 * How palmares writes CSV (docs/csv.md): plain is ',' between cells and '.'
 * in numbers; excel-fr is ';', a decimal comma and a UTF-8 byte order mark,
 * what French Excel opens in columns. palmares reads both back.
 */
typedef enum pal_csv_dialect {
	PAL_CSV_PLAIN,
	PAL_CSV_EXCEL_FR,
} pal_csv_dialect;

typedef enum pal_template_format {
	PAL_TEMPLATE_CSV,
	PAL_TEMPLATE_JSON,
	PAL_TEMPLATE_SCHEMA,
} pal_template_format;

/* Writes what a town fills in (SPEC §7 template). Returns 0, or -1 on write error. */
int pal_template_write(const pal_rubric *r, pal_template_format fmt, const char *lang, FILE *out);
/* The CSV header row of pal_template_write, in dialect d. Returns 0, or -1 on write error. */
int pal_template_write_csv(const pal_rubric *r, pal_csv_dialect d, FILE *out);

/* A campaign borrows its rubric, which must outlive it. NULL when out of memory. */
pal_campaign *pal_campaign_new(const pal_rubric *r);
void pal_campaign_free(pal_campaign *c);

/*
 * Adds the dossiers of one file (.csv, .tsv, .json, .jsonl by extension).
 * Returns PAL_OK, PAL_REJECTED (some rows or answers were rejected; the
 * dossiers are kept with their errors) or PAL_IOERR.
 */
int pal_campaign_add_dossiers(pal_campaign *c, const char *path, pal_diags *diags);
/* What a text given to pal_campaign_add_dossiers_text holds. */
typedef enum pal_dossier_format {
	PAL_DOSSIER_BY_NAME = 0, /* by the name's extension, as a file's path decides */
	PAL_DOSSIER_CSV,         /* CSV (or TSV: the separator is detected; a tab for a .tsv name) */
	PAL_DOSSIER_JSON,        /* one dossier object, or an array of them */
	PAL_DOSSIER_JSONL,       /* JSON Lines: one dossier object per line */
} pal_dossier_format;

/*
 * Adds the dossiers of a file's content given in memory: len bytes of text
 * (borrowed, not written, not NUL-terminated necessarily; NULL when len is
 * 0), read as format says. The web front's uploads and form answers go
 * through here: exactly the readers, messages and limits
 * (palmares/limits.h) of pal_campaign_add_dossiers(), with name where the
 * messages name the file (and where the results' "source" does). Returns
 * what pal_campaign_add_dossiers() would for a file of that content:
 * PAL_OK, PAL_REJECTED, or PAL_IOERR (over a size limit, out of memory, an
 * unknown extension with PAL_DOSSIER_BY_NAME).
 */
int pal_campaign_add_dossiers_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                   pal_dossier_format format, pal_diags *diags);
/* Adds jury marks (CSV or JSON, SPEC §5). Call after every dossier file. */
int pal_campaign_add_marks(pal_campaign *c, const char *path, pal_diags *diags);
/*
 * Adds the marks of a file's content given in memory: len bytes of text
 * (borrowed for the call, not NUL-terminated necessarily; NULL when len is
 * 0), JSON when name ends in .json, CSV otherwise, as a file's path decides.
 * The web front's stored marks go through here: the very reader of
 * pal_campaign_add_marks(), with its messages, limits and statuses, name
 * standing where they name the file (and in the marks' positions). Call
 * after every dossier, as for a file.
 */
int pal_campaign_add_marks_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                pal_diags *diags);

/*
 * Marks read ahead: pal_marks_prefetch_start starts reading the marks files
 * paths[0..n) on a thread (CSV ones: a JSON file is read when added), while
 * the caller loads the dossiers. pal_campaign_add_prefetched_marks(c, p, i)
 * then does what pal_campaign_add_marks(c, paths[i]) would, with the same
 * messages in the same order; call it for i = 0..n-1 in turn, after every
 * dossier file. paths and r are borrowed until pal_marks_prefetch_free. NULL
 * when out of memory (read the files with pal_campaign_add_marks instead).
 */
typedef struct pal_marks_prefetch pal_marks_prefetch;
pal_marks_prefetch *pal_marks_prefetch_start(const pal_rubric *r, const char *const *paths, size_t n);
int pal_campaign_add_prefetched_marks(pal_campaign *c, pal_marks_prefetch *p, size_t i,
                                      pal_diags *diags);
void pal_marks_prefetch_free(pal_marks_prefetch *p);
/* Restricts marks to assigned jurors (SPEC §9): juror,town_id CSV. Call before add_marks. */
int pal_campaign_set_assignments(pal_campaign *c, const char *path, pal_diags *diags);
/*
 * The same from a file's content in memory (len bytes of text, borrowed for
 * the call; NULL when len is 0): the same reader, messages and statuses,
 * with name where they name the file.
 */
int pal_campaign_set_assignments_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                      pal_diags *diags);
/* Loads an earlier edition's results (history for rules, previous_level). */
int pal_campaign_set_previous(pal_campaign *c, const char *path, pal_diags *diags);
/*
 * Reads overrides (SPEC §5, town_id,level,reason CSV), which every later
 * pal_campaign_score applies after the computed levels; replaces those set
 * before. Returns the status of the reading. Its messages join the diags
 * given to pal_campaign_score, after the scoring's own (only running out of
 * memory here is said in diags at once).
 */
int pal_campaign_set_overrides(pal_campaign *c, const char *path, pal_diags *diags);
/*
 * The same from a file's content in memory (len bytes of text, borrowed for
 * the call; NULL when len is 0): the same reader, messages (kept until
 * scoring, as a file's are) and statuses, with name where they name the file.
 */
int pal_campaign_set_overrides_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                    pal_diags *diags);
/* Scores every dossier (SPEC §4), then applies the overrides set. Reads no file. */
int pal_campaign_score(pal_campaign *c, pal_diags *diags);

size_t pal_campaign_count(const pal_campaign *c);

/*
 * Progress of a long run (palmares/progress.h). The engine calls fn from the
 * thread that runs it with phase "reading" (bytes of each CSV file),
 * "scoring" and "writing" (dossiers), every few hundred units. fn NULL (the
 * default) switches it off.
 */
void pal_campaign_set_progress(pal_campaign *c, pal_progress_fn fn, void *ctx);

typedef enum pal_results_format {
	PAL_RESULTS_TEXT,
	PAL_RESULTS_JSON,
	PAL_RESULTS_CSV,
} pal_results_format;

/* Writes the results (SPEC §6), streaming. Returns 0, or -1 on write error. */
int pal_results_write(const pal_campaign *c, pal_results_format fmt, const char *lang, FILE *out);
/* The CSV results of pal_results_write, in dialect d. Returns 0, or -1 on write error. */
int pal_results_write_csv(const pal_campaign *c, pal_csv_dialect d, FILE *out);
/* Readable per-criterion breakdown of one town. Returns 0, 1 when the town is unknown, -1 on write error. */
int pal_explain_write(const pal_campaign *c, const char *town_id, const char *lang, FILE *out);
/*
 * The towns whose name is name, compared folded (case, accents and spaces
 * ignored: "saint-denis" finds "Saint-Dénis"), for commands that take a town
 * by name. Writes up to max of their distinct ids and their names as
 * submitted (borrowed) into ids and names, in input order, and returns how
 * many there are (0 also when out of memory).
 */
size_t pal_campaign_towns_named(const pal_campaign *c, const char *name, const char **ids,
                                const char **names, size_t max);

#ifdef __cplusplus
}
#endif
#endif
