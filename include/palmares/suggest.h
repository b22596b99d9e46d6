/*
 * palmares — "did you mean": the nearest of a list of names to what a user
 * typed, as the engine uses it for unknown columns. Public so that the
 * command line suggests option and command names the same way.
 */
#ifndef PALMARES_SUGGEST_H
#define PALMARES_SUGGEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Returns the candidate closest to word, compared ignoring case and accents,
 * borrowed from candidates, when its edit distance is at most max(2, length
 * of word / 3), else NULL. Ties go to the earliest candidate; NULL entries are
 * skipped. Defined in common/text.c (common/text.h declares it too: change
 * both together).
 */
const char *pal_text_closest(const char *word, const char *const *candidates, size_t n);

#ifdef __cplusplus
}
#endif
#endif
