/*
 * Private: excerpts of JSON input for messages ("town.id: expected a
 * non-empty string, found 1004"), written without allocating.
 */
#ifndef PAL_ENGINE_EXCERPT_H
#define PAL_ENGINE_EXCERPT_H

#include <jansson.h>
#include <stddef.h>

/*
 * Writes v as compact JSON (as json_dumps with JSON_COMPACT | JSON_ENCODE_ANY,
 * reals in their shortest form) into out (outlen bytes, NUL-terminated), at
 * most max bytes of it, cut between two characters with "…" added. Strings
 * are escaped by palx_text_show(): hidden characters appear as \uXXXX. NULL
 * shows as "nothing". Returns the length written.
 */
size_t eng_json_excerpt(const json_t *v, size_t max, char *out, size_t outlen);

#endif
