/*
 * Bump allocator: everything of one rubric or one dossier batch comes from
 * one arena and is freed at once. Allocations are 16-byte aligned.
 */
#ifndef PAL_ARENA_H
#define PAL_ARENA_H

#include <stddef.h>

typedef struct palx_arena_chunk palx_arena_chunk;
typedef struct palx_arena {
	palx_arena_chunk *head;
	size_t chunk_size; /* of the next chunk: doubles from 64 KiB up to chunk_max */
	size_t chunk_max;
	size_t total;
} palx_arena;

/*
 * Initialises an empty arena (no allocation yet) whose chunks grow up to
 * chunk_size (0: 64 KiB): the first is at most 64 KiB, each next one twice
 * the last, so that an arena sized for a national campaign costs a single
 * dossier (the web front's form) no more than it uses.
 */
void palx_arena_init(palx_arena *a, size_t chunk_size);
/* Frees every chunk; the arena can be reused after palx_arena_init. */
void palx_arena_release(palx_arena *a);
/*
 * Moves every chunk of src into dst, behind dst's current chunk: what src
 * handed out now lives as long as dst. src is left empty.
 */
void palx_arena_adopt(palx_arena *dst, palx_arena *src);
/* Returns zeroed memory owned by the arena, 16-byte aligned, or NULL when out of memory. */
void *palx_arena_alloc(palx_arena *a, size_t size);
/* Copies s (len bytes) into the arena, NUL-terminated. NULL when out of memory. */
char *palx_arena_strndup(palx_arena *a, const char *s, size_t len);
char *palx_arena_strdup(palx_arena *a, const char *s);

#endif
