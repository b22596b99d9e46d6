/*
 * Typing one answer for one criterion (SPEC §3.2, §3.3), shared by the CSV and
 * JSON intakes. The answer is stored in the dossier; on rejection a message
 * saying what was expected is returned and the answer is marked invalid.
 */
#ifndef PAL_ANSWER_H
#define PAL_ANSWER_H

#include "model.h"

/*
 * Reads a CSV cell (UTF-8) for criterion c into a. Returns 0 when accepted,
 * else -1 with "expected …" written into why (the caller adds the position,
 * town and column). Strings are copied into the arena.
 */
int pal_answer_from_text(pal_arena *arena, const pal_criterion *c, const char *cell,
                         pal_answer *a, char *why, size_t whylen);
/* Same for a typed JSON value. */
int pal_answer_from_json(pal_arena *arena, const pal_criterion *c, json_t *v, pal_answer *a,
                         char *why, size_t whylen);
/* The answer as rules and results see it: a new reference (json null when unanswered). */
json_t *pal_answer_to_json(const pal_criterion *c, const pal_answer *a);
/* What a kind expects, for messages: "a number ≥ 0", "yes or no"… Borrowed. */
const char *pal_answer_expected(const pal_criterion *c);

#endif
