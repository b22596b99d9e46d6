/*
 * Arena allocator: chunks in a singly linked list, bump-allocated. Large
 * requests get a chunk of their own, so a 5 MB cell does not waste a chunk.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct pal_arena_chunk {
	pal_arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void pal_arena_init(pal_arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->chunk_size = chunk_size ? chunk_size : 64 * 1024;
	a->total = 0;
}

void pal_arena_release(pal_arena *a)
{
	pal_arena_chunk *c = a->head;
	while (c) {
		pal_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->total = 0;
}

/*
 * Room for size bytes at the given alignment (1 or 16), or NULL. Chunks come
 * from calloc and are never reused, so the memory is already zero: large
 * chunks are fresh pages from the kernel, and clearing them again here was
 * a tenth of a national campaign's scoring time (bench/README.md).
 */
static void *take(pal_arena *a, size_t size, size_t align)
{
	pal_arena_chunk *c = a->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < size) {
		size_t cs = size > a->chunk_size / 4 ? (size + 15) & ~(size_t)15 : a->chunk_size;
		if (size > SIZE_MAX - sizeof(*c) - 16)
			return NULL;
		pal_arena_chunk *n = calloc(1, sizeof(*n) + cs);
		if (!n)
			return NULL;
		n->size = cs;
		n->used = 0;
		if (c && cs != a->chunk_size && c->size - c->used > 256) {
			/* Keep filling the current chunk: put the big one behind it. */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		a->total += cs;
		c = n;
		at = 0;
	}
	void *p = c->data + at;
	c->used = at + size;
	return p;
}

void *pal_arena_alloc(pal_arena *a, size_t size)
{
	return take(a, size ? size : 1, 16);
}

char *pal_arena_strndup(pal_arena *a, const char *s, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = take(a, len + 1, 1); /* strings need no alignment: no padding after each */
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *pal_arena_strdup(pal_arena *a, const char *s)
{
	return pal_arena_strndup(a, s, strlen(s));
}
