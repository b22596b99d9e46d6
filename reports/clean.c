/*
 * Text cleaning for documents: every string of a results or style file goes
 * through the engine's palx_text_clean() once, at load time, so that the
 * renderers only ever see text that is safe to show.
 */
#include "clean.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

char *rep_clean(palx_arena *a, const char *s, size_t len)
{
	char *raw = malloc(len + 1), *clean, *out = NULL;
	if (!raw)
		return NULL;
	memcpy(raw, s, len);
	raw[len] = '\0';
	clean = palx_text_clean(raw);
	free(raw);
	if (!clean)
		return NULL;
	size_t start = 0, end = strlen(clean);
	while (clean[start] == ' ')
		start++;
	while (end > start && clean[end - 1] == ' ')
		end--;
	out = palx_arena_strndup(a, clean + start, end - start);
	free(clean);
	return out;
}
