/*
 * palmares — what a rubric holds, for a program that shows it: the web
 * front's dossier form (issue 11), or any client that writes its own.
 *
 * Accessors by index, as SQLite's sqlite3_column_*: categories 0 ..
 * pal_rubric_count_categories() - 1 in the rubric's order, criteria 0 ..
 * pal_rubric_count_criteria() - 1 in the rubric's order (each category's
 * criteria are contiguous), levels 0 .. pal_rubric_count_levels() - 1 (level
 * number i + 1 in results; 0 is "no level"), mentions, and the town
 * attributes a dossier gives. An index out of range is the caller's error:
 * the accessors do not check it (as an array would not).
 *
 * Strings are borrowed, valid while the rubric lives, and already cleaned
 * (no control or bidirectional character: palmares/text.h). Texts that a
 * rubric may give in several languages (titles, descriptions, label, mention
 * names) take lang ("fr", "en"): that language, else the rubric's own
 * ("language"), else any given, like the documents (pal_doc_*); NULL is the
 * rubric's language.
 */
#ifndef PALMARES_RUBRIC_H
#define PALMARES_RUBRIC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pal_rubric pal_rubric;

/* The rubric's language ("fr" when it names none) and its label in lang. */
const char *pal_rubric_language(const pal_rubric *r);
const char *pal_rubric_label(const pal_rubric *r, const char *lang);

/* ---- categories ---- */

const char *pal_rubric_category_id(const pal_rubric *r, size_t k);
/* Its title in lang, or its id when it has none. */
const char *pal_rubric_category_title(const pal_rubric *r, size_t k, const char *lang);
/* Its description in lang, or NULL when it has none. */
const char *pal_rubric_category_description(const pal_rubric *r, size_t k, const char *lang);
/* 1 when not_applicable is "exclude", 0 for "redistribute" (README, "The rubric format"). */
int pal_rubric_category_excludes(const pal_rubric *r, size_t k);
/* Its criteria: indices first .. first + count - 1. Returns count. */
size_t pal_rubric_category_criteria(const pal_rubric *r, size_t k, size_t *first);

/* ---- criteria ---- */

/* The index of the criterion id, or -1. */
long pal_rubric_find_criterion(const pal_rubric *r, const char *id);
const char *pal_rubric_criterion_id(const pal_rubric *r, size_t i);
/* The index of its category. */
size_t pal_rubric_criterion_category(const pal_rubric *r, size_t i);
/* Its title in lang, or its id when it has none. */
const char *pal_rubric_criterion_title(const pal_rubric *r, size_t i, const char *lang);
/* Its description in lang, or NULL when it has none. */
const char *pal_rubric_criterion_description(const pal_rubric *r, size_t i, const char *lang);
/* Its kind as a rubric names it: "yes-no", "number", "percent", "choice", "multi", "jury", "info". */
const char *pal_rubric_criterion_kind(const pal_rubric *r, size_t i);
/* What its answer must be, in the engine's English messages: "a number ≥ 0". */
const char *pal_rubric_criterion_expected(const pal_rubric *r, size_t i);
/* Its points (0 for info). */
double pal_rubric_criterion_points(const pal_rubric *r, size_t i);
/*
 * The numbers its answer may be: a number from 0 (max HUGE_VAL, no bound), a
 * percent from 0 to 100, a jury mark on its scale. Returns 1 and sets *min
 * and *max for those kinds, else returns 0.
 */
int pal_rubric_criterion_bounds(const pal_rubric *r, size_t i, double *min, double *max);
/*
 * A number's steps (README: "steps"): from threshold, the criterion earns
 * fraction (0 to 1) of its points; thresholds ascend. Returns how many
 * (0 for other kinds); pal_rubric_criterion_step writes step s.
 */
size_t pal_rubric_criterion_count_steps(const pal_rubric *r, size_t i);
void pal_rubric_criterion_step(const pal_rubric *r, size_t i, size_t s, double *threshold, double *fraction);
/*
 * A choice's or multi's options, in the rubric's order (0 for other kinds).
 * An option's id is what a town answers and what the form shows: the rubric
 * format has no separate label (docs/decisions.md). Its fraction is the part
 * of the points it earns.
 */
size_t pal_rubric_criterion_count_options(const pal_rubric *r, size_t i);
const char *pal_rubric_criterion_option(const pal_rubric *r, size_t i, size_t o);
double pal_rubric_criterion_option_fraction(const pal_rubric *r, size_t i, size_t o);
/* 1 when a town may answer "not applicable" (allow_na). */
int pal_rubric_criterion_allows_na(const pal_rubric *r, size_t i);
/* 1 when an applies rule decides whether it applies to a town (from the town and its answers). */
int pal_rubric_criterion_has_applies(const pal_rubric *r, size_t i);
/* The evidence asked, as the rubric says it: "none", "optional" or "required". */
const char *pal_rubric_criterion_evidence(const pal_rubric *r, size_t i);

/* ---- levels and mentions ---- */

/* Level i + 1: its name and the percent it starts from. */
const char *pal_rubric_level_name(const pal_rubric *r, size_t i);
double pal_rubric_level_min_percent(const pal_rubric *r, size_t i);
size_t pal_rubric_count_mentions(const pal_rubric *r);
const char *pal_rubric_mention_id(const pal_rubric *r, size_t m);
/* Its name in lang, or its id when it has none. */
const char *pal_rubric_mention_name(const pal_rubric *r, size_t m, const char *lang);

/* ---- the town's attributes ---- */

/*
 * The attributes a dossier gives of its town besides town_id and town_name:
 * first the four of every template (population, region, department, type),
 * then each other town.<name> the rubric's rules read, in the order of the
 * file. Their type: "number" (population), "text" (region, department,
 * type), or "any" (a dossier may give a text or a number; a rule decides
 * what it compares).
 */
size_t pal_rubric_count_town_attrs(const pal_rubric *r);
const char *pal_rubric_town_attr_name(const pal_rubric *r, size_t a);
const char *pal_rubric_town_attr_type(const pal_rubric *r, size_t a);
/* 1 when a rule of the rubric reads it. */
int pal_rubric_town_attr_used(const pal_rubric *r, size_t a);

#ifdef __cplusplus
}
#endif
#endif
