/*
 * palmares — the jury workflow (SPEC.md §9): jurors, assignments, juror
 * sheets, marking progress, level stability and the borderline list.
 *
 * Flow: load the jurors file, load and score a campaign (without marks to
 * know which jury criteria apply), assign K jurors per dossier and write the
 * assignments; later load the assignments back to write one sheet per juror,
 * follow the marking, and after scoring with the marks measure how stable
 * each level is and which dossiers sit on the edge of a level.
 *
 * As everywhere in the library, nothing is printed: problems go to a
 * caller-owned pal_diags list and every writer takes the caller's stream.
 * Handles are owned by the caller and freed with the matching *_free, which
 * accepts NULL. Borrowed strings stay valid while their handle lives.
 */
#ifndef PALMARES_JURY_H
#define PALMARES_JURY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "palmares/palmares.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pal_jurors pal_jurors;
typedef struct pal_jury_plan pal_jury_plan;
typedef struct pal_sensitivity pal_sensitivity;
typedef struct pal_borderline pal_borderline;

/* Output formats of progress, sensitivity and borderline reports. */
typedef enum pal_jury_format {
	PAL_JURY_TEXT,
	PAL_JURY_JSON,
} pal_jury_format;

/* ---- jurors --------------------------------------------------------------- */

/*
 * Loads a jurors CSV (`juror,name,email,town_id,region,conflicts`; only
 * `juror` is required; `conflicts` lists town ids separated by `|`; columns
 * starting with `x-` are free notes) in the office dialect of SPEC §3.2.
 * Every problem goes to diags: an unknown column (with a suggestion), an
 * empty juror id, an id that cannot name a sheet file (pal_jury_id_safe), an
 * id given twice (the first row stands) or twice up to letter case. Rows
 * with an error are left out. Returns the jurors sorted by id with *status
 * PAL_OK or PAL_REJECTED; NULL with *status PAL_IOERR (unreadable file, out
 * of memory) or PAL_REJECTED (a header problem: no juror can be trusted).
 */
pal_jurors *pal_jurors_load(const char *path, pal_diags *diags, int *status);
/*
 * pal_jurors_load() of a file's content given in memory: len bytes of text
 * (borrowed for the call, not NUL-terminated necessarily; NULL when len is
 * 0), read by the same reader with the same messages, limits and statuses,
 * name standing where they name the file. The web front's stored jurors go
 * through here.
 */
pal_jurors *pal_jurors_load_text(const char *name, const char *text, size_t len, pal_diags *diags,
                                 int *status);
void pal_jurors_free(pal_jurors *j);
size_t pal_jurors_count(const pal_jurors *j);
/* Juror i's id, in increasing byte order of ids. Borrowed. */
const char *pal_jurors_id(const pal_jurors *j, size_t i);
/* Index of a juror id, or -1. */
long pal_jurors_find(const pal_jurors *j, const char *id);

/*
 * Nonzero when id can name a file in a sheets directory: not empty, at most
 * 200 bytes, no '/', '\\', control character or ':', not starting with '.'
 * (so neither "." nor ".." nor a hidden file).
 */
int pal_jury_id_safe(const char *id);

/* Flags of pal_jurors_eligibility() and pal_jury_assign(). */
#define PAL_JURY_AVOID_SAME_REGION 0x1u

/* Why a juror may not judge a dossier; 0 when he may. */
typedef enum pal_eligibility {
	PAL_ELIGIBLE = 0,
	PAL_INELIGIBLE_OWN_TOWN,    /* the juror's town_id is the dossier's town */
	PAL_INELIGIBLE_CONFLICT,    /* the juror declared a conflict with that town */
	PAL_INELIGIBLE_SAME_REGION, /* same region, with PAL_JURY_AVOID_SAME_REGION */
} pal_eligibility;

/*
 * Whether juror i may judge the dossier of town_id in c (SPEC §9). Regions
 * are compared ignoring case, accents and surrounding spaces; a juror or a
 * dossier without a region is never "of the same region". Returns a
 * pal_eligibility, or -1 when i is out of range or the town is unknown.
 */
int pal_jurors_eligibility(const pal_jurors *j, size_t i, const pal_campaign *c,
                           const char *town_id, unsigned flags);

/* ---- assignments ---------------------------------------------------------- */

/*
 * Gives each dossier that needs jurors — not invalid, with at least one
 * applicable jury criterion — exactly per_dossier distinct eligible jurors,
 * with loads as even as eligibility allows (max − min ≤ 1 whenever possible);
 * the same inputs and seed give the same plan. The campaign is scored first
 * when it has not been (warnings and errors of scoring go to diags).
 * Returns PAL_OK with *out an owned plan: dossiers in input order, each
 * one's jurors by id. Returns PAL_REJECTED with *out NULL when some dossier
 * cannot get its jurors: each such dossier is named in diags with the number
 * of eligible jurors and why the others are not (nothing is assigned).
 * PAL_IOERR when out of memory; per_dossier 0 is PAL_REJECTED.
 */
int pal_jury_assign(pal_campaign *c, const pal_jurors *j, size_t per_dossier, unsigned flags,
                    uint64_t seed, pal_jury_plan **out, pal_diags *diags);

/*
 * Reads an assignments CSV (`juror,town_id`) for campaign c and restricts the
 * campaign's marks to these pairs, as pal_campaign_set_assignments() does
 * (call it before adding marks). Errors: header problems, an empty juror or
 * town, an unknown town; a pair given twice is a warning. Returns the plan
 * (valid rows, in file order) with *status PAL_OK or PAL_REJECTED, or NULL
 * with *status PAL_IOERR or PAL_REJECTED (header unusable).
 */
pal_jury_plan *pal_jury_plan_load(pal_campaign *c, const char *path, pal_diags *diags,
                                  int *status);
/*
 * pal_jury_plan_load() of a file's content given in memory (len bytes of
 * text, borrowed for the call; NULL when len is 0): the same reader, checks,
 * messages and marks restriction, with name where they name the file.
 */
pal_jury_plan *pal_jury_plan_load_text(pal_campaign *c, const char *name, const char *text, size_t len,
                                       pal_diags *diags, int *status);
void pal_jury_plan_free(pal_jury_plan *p);
size_t pal_jury_plan_count(const pal_jury_plan *p);
/* Pair i (borrowed strings). */
void pal_jury_plan_pair(const pal_jury_plan *p, size_t i, const char **juror,
                        const char **town_id);
/* Writes the plan as CSV `juror,town_id`, one row per pair. Returns 0, or -1 on write error. */
int pal_jury_plan_write(const pal_jury_plan *p, FILE *out);
/* The same in dialect d (palmares.h). Returns 0, or -1 on write error. */
int pal_jury_plan_write_csv(const pal_jury_plan *p, pal_csv_dialect d, FILE *out);

/* ---- juror sheets --------------------------------------------------------- */

/* Flags of the sheet writers. */
#define PAL_SHEETS_BOM 0x1u /* start each sheet with a UTF-8 byte order mark (for Excel) */
#define PAL_SHEETS_EXCEL_FR 0x2u /* the excel-fr CSV dialect (palmares.h): ';', decimal comma, BOM */

/*
 * Writes juror's sheet: CSV `juror,town_id,town_name,criterion,title,scale,
 * mark,comment`, a row per dossier assigned to the juror (input order) and
 * applicable jury criterion (rubric order), mark and comment empty; titles
 * in lang (NULL: the rubric's language). c must be scored. A filled sheet
 * is a marks file as it stands. Returns 0, or -1 on write error.
 */
int pal_jury_sheet_write(const pal_campaign *c, const pal_jury_plan *p, const char *juror,
                         const char *lang, unsigned flags, FILE *out);

/*
 * Writes DIR/<juror>.csv for every juror of the plan, each atomically (the
 * directory is created when missing; other files in it are left alone).
 * A juror id that cannot name a file, or that differs from another only by
 * letter case, is an error and gets no sheet; an assigned dossier that is
 * invalid or has no applicable jury criterion is a warning. c must be
 * scored. Returns PAL_OK, PAL_REJECTED, or PAL_IOERR (directory or file
 * cannot be written: the message is in diags).
 */
int pal_jury_sheets_write(const pal_campaign *c, const pal_jury_plan *p, const char *dir,
                          const char *lang, unsigned flags, pal_diags *diags);

/* ---- progress ------------------------------------------------------------- */

/*
 * Writes the marking progress of a scored campaign under plan p: per juror,
 * dossiers assigned / fully marked / missing; per dossier that needs marks,
 * its status and what keeps it pending (jury criteria short of min_marks,
 * assigned jurors who have not marked); then the borderline list. JSON:
 * {"summary", "jurors": [...], "towns": [...], "borderline": [...]}.
 * Returns 0, or -1 on write error or when out of memory.
 */
int pal_jury_progress_write(pal_campaign *c, const pal_jury_plan *p, pal_jury_format fmt,
                            FILE *out);

/* ---- level stability (sensitivity) ---------------------------------------- */

typedef struct pal_sensitivity_options {
	double spread;   /* in [0, 1]: each criterion's points × U[1 − spread, 1 + spread] */
	size_t samples;  /* random rubrics, >= 1 */
	uint64_t seed;   /* same campaign, options and seed: same result on every platform */
} pal_sensitivity_options;

/* Dossiers under this stability are fragile (SPEC §9). */
#define PAL_SENSITIVITY_FRAGILE 0.9

/*
 * For each scored dossier of a scored campaign, the share of `samples`
 * random rubrics — one draw of factors per sample, shared by all dossiers —
 * under which it keeps its computed level (overrides ignored). A rule that
 * fails under a random rubric counts as a change. Returns PAL_OK with *out
 * owned, PAL_REJECTED for options out of range, PAL_IOERR when out of memory.
 */
int pal_sensitivity_compute(pal_campaign *c, const pal_sensitivity_options *o,
                            pal_sensitivity **out);
void pal_sensitivity_free(pal_sensitivity *s);
/* Scored dossiers, least stable first (ties in input order). */
size_t pal_sensitivity_count(const pal_sensitivity *s);
const char *pal_sensitivity_town(const pal_sensitivity *s, size_t i); /* borrowed from c */
int pal_sensitivity_level(const pal_sensitivity *s, size_t i);         /* computed level */
double pal_sensitivity_stability(const pal_sensitivity *s, size_t i); /* kept / samples */
/* Samples under which dossier i reaches `level` (0..N); 0 for an out-of-range level. */
size_t pal_sensitivity_reached(const pal_sensitivity *s, size_t i, int level);

/*
 * Writes the stability of each dossier (fragile ones first), then the
 * borderline list of c. JSON: {"spread", "samples", "seed", "towns": [{"id",
 * "name", "level", "level_name", "stability", "fragile", "reached"}],
 * "borderline": [...]}. Returns 0, or -1 on write error or out of memory.
 */
int pal_sensitivity_write(const pal_sensitivity *s, pal_campaign *c, pal_jury_format fmt,
                          FILE *out);

/* ---- borderline list ------------------------------------------------------ */

/* Why a dossier is borderline (bits of pal_borderline_why()). */
#define PAL_BORDER_BELOW_NEXT 0x1u /* 0 < points missing for the next level ≤ 1 */
#define PAL_BORDER_ABOVE_OWN 0x2u  /* less than 1 point above its own level's threshold */
#define PAL_BORDER_ONE_MARK 0x4u   /* one jury mark, moved to a scale end or removed, changes the level */

/*
 * The scored dossiers of a scored campaign whose computed level (overrides
 * ignored) is on an edge: within one point of the next level's threshold,
 * less than one point above their own level's threshold (level min_percent
 * > 0), or hanging on a single jury mark — a what-if scoring per mark, the
 * mark set to its scale's minimum, to its maximum, or removed (when the
 * criterion has other marks), juror calibration held as computed on the
 * whole campaign. Dossiers in input order. Returns PAL_OK with *out owned,
 * or PAL_IOERR when out of memory.
 */
int pal_borderline_compute(pal_campaign *c, pal_borderline **out);
void pal_borderline_free(pal_borderline *b);
size_t pal_borderline_count(const pal_borderline *b);
const char *pal_borderline_town(const pal_borderline *b, size_t i); /* borrowed from c */
unsigned pal_borderline_why(const pal_borderline *b, size_t i);
/* Marks the level hangs on (PAL_BORDER_ONE_MARK), as "juror/criterion" pairs. Borrowed. */
size_t pal_borderline_count_marks(const pal_borderline *b, size_t i);
void pal_borderline_mark(const pal_borderline *b, size_t i, size_t k, const char **juror,
                         const char **criterion);
/* Writes the list alone (JSON: {"borderline": [...]}). Returns 0, or -1 on write error. */
int pal_borderline_write(const pal_borderline *b, const pal_campaign *c, pal_jury_format fmt,
                         FILE *out);

#ifdef __cplusplus
}
#endif
#endif
