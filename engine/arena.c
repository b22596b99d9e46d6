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

void *pal_arena_alloc(pal_arena *a, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	pal_arena_chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t cs = size > a->chunk_size / 4 ? size : a->chunk_size;
		if (cs > SIZE_MAX - sizeof(*c))
			return NULL;
		pal_arena_chunk *n = malloc(sizeof(*n) + cs);
		if (!n)
			return NULL;
		n->size = cs;
		n->used = 0;
		if (c && cs == size && c->size - c->used > 256) {
			/* Keep filling the current chunk: put the big one behind it. */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		a->total += cs;
		c = n;
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *pal_arena_strndup(pal_arena *a, const char *s, size_t len)
{
	char *p = pal_arena_alloc(a, len + 1);
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
