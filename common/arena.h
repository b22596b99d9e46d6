/*
 * Bump allocator: everything of one rubric or one dossier batch comes from
 * one arena and is freed at once. Allocations are 16-byte aligned.
 */
#ifndef PAL_ARENA_H
#define PAL_ARENA_H

#include <stddef.h>

typedef struct pal_arena_chunk pal_arena_chunk;
typedef struct pal_arena {
	pal_arena_chunk *head;
	size_t chunk_size;
	size_t total;
} pal_arena;

/* Initialises an empty arena (no allocation yet). */
void pal_arena_init(pal_arena *a, size_t chunk_size);
/* Frees every chunk; the arena can be reused after pal_arena_init. */
void pal_arena_release(pal_arena *a);
/*
 * Moves every chunk of src into dst, behind dst's current chunk: what src
 * handed out now lives as long as dst. src is left empty.
 */
void pal_arena_adopt(pal_arena *dst, pal_arena *src);
/* Returns zeroed memory owned by the arena, 16-byte aligned, or NULL when out of memory. */
void *pal_arena_alloc(pal_arena *a, size_t size);
/* Copies s (len bytes) into the arena, NUL-terminated. NULL when out of memory. */
char *pal_arena_strndup(pal_arena *a, const char *s, size_t len);
char *pal_arena_strdup(pal_arena *a, const char *s);

#endif
