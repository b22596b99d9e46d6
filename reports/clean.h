/*
 * Cleaning of text before it reaches a document (SPEC §8: control and
 * bidirectional characters could disguise a name). A thin adapter over the
 * engine's neutraliser, palx_text_clean() (common/text.h): controls and bidi
 * characters removed, invalid UTF-8 as U+FFFD; here the result also goes
 * into the caller's arena with surrounding spaces trimmed.
 */
#ifndef PAL_REPORTS_CLEAN_H
#define PAL_REPORTS_CLEAN_H

#include <stddef.h>

#include "arena.h"

/*
 * Returns a cleaned copy of s[0..len) in the arena, or NULL when out of
 * memory. s must hold no NUL byte before len (jansson strings never do).
 */
char *rep_clean(palx_arena *a, const char *s, size_t len);

#endif
