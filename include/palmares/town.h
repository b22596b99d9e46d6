/*
 * palmares — one town's results in memory, after pal_campaign_score(): what
 * the results file says of a town (docs/results.md), for a program that
 * shows it without writing and reading a file (the web front's live table
 * and its dossier form, issue 11).
 *
 * Towns are the campaign's dossiers by index t, 0 .. pal_campaign_count() - 1,
 * in input order, as in the results file (a town id submitted twice is two
 * dossiers, both invalid). The town-level accessors read the campaign
 * directly; a town's criteria and messages come through pal_town_results,
 * computed once per town. Strings are borrowed, valid while the campaign
 * lives and until it is changed (dossiers added, scored again). An index out
 * of range is the caller's error (not checked).
 */
#ifndef PALMARES_TOWN_H
#define PALMARES_TOWN_H

#include <stddef.h>

#include "palmares/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pal_campaign pal_campaign;

/* The index of the dossier of town_id (the first one when it was submitted twice), or -1. */
long pal_campaign_find_town(const pal_campaign *c, const char *town_id);
const char *pal_campaign_town_id(const pal_campaign *c, size_t t);
/* Its name as submitted (cleaned: palmares/text.h). */
const char *pal_campaign_town_name(const pal_campaign *c, size_t t);
/* The results' status: "scored", "pending" (waiting for jury marks) or "invalid"; NULL before scoring. */
const char *pal_campaign_town_status(const pal_campaign *c, size_t t);
/*
 * Its score: points, out of max, and percent (0 to 100), as the results'
 * "score". Returns 1, or 0 (the three set to 0) for an invalid dossier or
 * before scoring.
 */
int pal_campaign_town_score(const pal_campaign *c, size_t t, double *points, double *max, double *percent);
/*
 * Its level number after overrides (1 .. pal_rubric_count_levels(), 0: none)
 * and its name (NULL for none); -1 and NULL when it is not scored (pending,
 * invalid, or before scoring), as the results' "level" and "level_name".
 */
int pal_campaign_town_level(const pal_campaign *c, size_t t);
const char *pal_campaign_town_level_name(const pal_campaign *c, size_t t);
/* Its mentions (ids, in the rubric's order; their names: pal_rubric_mention_name()); none when not scored. */
size_t pal_campaign_town_count_mentions(const pal_campaign *c, size_t t);
const char *pal_campaign_town_mention(const pal_campaign *c, size_t t, size_t m);

/* ---- one town's criteria and messages ---- */

typedef struct pal_town_results pal_town_results;

/*
 * Town t's criterion results and messages, computed once. Returns an owned
 * handle (pal_town_results_free), or NULL when out of memory. It borrows the
 * campaign, which must outlive it and not change meanwhile.
 */
pal_town_results *pal_campaign_town_results(const pal_campaign *c, size_t t);
/* Accepts NULL. */
void pal_town_results_free(pal_town_results *tr);

/*
 * Whether criterion i (palmares/rubric.h's index) applies to the town, as
 * scoring decided (its applies rule; 0 before scoring).
 */
int pal_town_results_applies(const pal_town_results *tr, size_t i);
/*
 * The points criterion i earned, out of max, as the results' criterion
 * "points" and "max" (a criterion that does not apply: redistributed or
 * excluded as its category says). Returns 1, or 0 (both 0) where the results
 * write null: an info criterion, an invalid dossier, before scoring.
 */
int pal_town_results_points(const pal_town_results *tr, size_t i, double *points, double *max);

/* What the engine kept of the town's answer to a criterion. */
typedef enum pal_answer_form {
	PAL_ANSWER_NONE = 0, /* unanswered (jury criteria: always) */
	PAL_ANSWER_NA,       /* answered "not applicable" */
	PAL_ANSWER_YES_NO,   /* pal_town_results_answer_yes() */
	PAL_ANSWER_NUMBER,   /* pal_town_results_answer_number(): a number or a percent */
	PAL_ANSWER_OPTIONS,  /* pal_town_results_answer_option(): a choice (one) or multi */
	PAL_ANSWER_TEXT,     /* pal_town_results_answer_text(): info */
	PAL_ANSWER_REFUSED,  /* refused: a message with its code says why and what was typed */
} pal_answer_form;

pal_answer_form pal_town_results_answer(const pal_town_results *tr, size_t i);
/* 1 for yes, 0 for no (PAL_ANSWER_YES_NO; else 0). */
int pal_town_results_answer_yes(const pal_town_results *tr, size_t i);
/* The number as read (PAL_ANSWER_NUMBER; else 0). */
double pal_town_results_answer_number(const pal_town_results *tr, size_t i);
/* The options chosen, in the order given (PAL_ANSWER_OPTIONS; else 0), as option indices of the rubric. */
size_t pal_town_results_answer_count_options(const pal_town_results *tr, size_t i);
size_t pal_town_results_answer_option(const pal_town_results *tr, size_t i, size_t k);
/* The text (PAL_ANSWER_TEXT; else NULL). */
const char *pal_town_results_answer_text(const pal_town_results *tr, size_t i);
/*
 * The answer written as a dossier's CSV cell, which the intake reads back
 * as the same answer: "true" or "false", a number with a '.' and every
 * digit it needs, an option id, options joined by '|', "n/a", the text; ""
 * when unanswered or refused (and for a multi answered with no option,
 * which a cell cannot write). For a form's input. Writes it into buf (len
 * bytes, always NUL-terminated, cut when too short) and returns its
 * length, as snprintf does.
 */
size_t pal_town_results_answer_cell(const pal_town_results *tr, size_t i, char *buf, size_t len);
/* 1 when the town answered a criterion that does not apply to it: the answer is ignored. */
int pal_town_results_answer_ignored(const pal_town_results *tr, size_t i);
/* The evidence given for criterion i (a link, a text), or NULL. */
const char *pal_town_results_evidence(const pal_town_results *tr, size_t i);

/*
 * One of the town's messages, as the results' "messages" (docs/results.md):
 * code (NULL for the few without a structured form), criterion (its index,
 * -1 when about none), value and extra (what was typed, a hint: NULL when
 * none), text without the position nor the "town ID "NAME"" that opens it,
 * and full: the text with its position, as the results' "errors" and
 * "warnings" list it.
 */
typedef struct pal_town_message {
	pal_severity severity;
	const char *code;
	long criterion;
	const char *value;
	const char *extra;
	const char *text;
	const char *full;
} pal_town_message;

/* The town's messages in the order given; those about criterion i have criterion == i. */
size_t pal_town_results_count_messages(const pal_town_results *tr);
const pal_town_message *pal_town_results_message(const pal_town_results *tr, size_t k);

#ifdef __cplusplus
}
#endif
#endif
