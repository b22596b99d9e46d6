/*
 * Cleaning of text before it reaches a document (SPEC §8: control and
 * bidirectional characters could disguise a name).
 *
 * Same contract as the engine's pal_text_clean() (engine/text.h), which did
 * not exist yet when reports/ was written: C0 and C1 controls and DEL are
 * removed (tab, CR, LF, U+2028 and U+2029 become a space), so are U+FEFF,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069 and U+061C; invalid UTF-8 becomes U+FFFD;
 * leading and trailing spaces are trimmed. When engine/text.h lands, this
 * file can forward to it.
 */
#ifndef PAL_REPORTS_CLEAN_H
#define PAL_REPORTS_CLEAN_H

#include <stddef.h>

#include "arena.h"

/* Returns a cleaned copy of s[0..len) in the arena, or NULL when out of memory. */
char *rep_clean(pal_arena *a, const char *s, size_t len);

#endif
