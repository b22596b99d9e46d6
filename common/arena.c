/*
 * Arena allocator: chunks in a singly linked list, bump-allocated. Large
 * requests get a chunk of their own, so a 5 MB cell does not waste a chunk.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Huge pages from mmap on Linux; calloc under AddressSanitizer, which then guards each chunk's ends. */
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
#define ARENA_MMAP 1
#include <sys/mman.h>
#endif

struct palx_arena_chunk {
	palx_arena_chunk *next;
	size_t size, used;
	size_t mapped; /* bytes mapped with mmap, or 0 when from calloc */
	_Alignas(16) unsigned char data[];
};

#define HUGE_PAGE ((size_t)2 * 1024 * 1024)

/*
 * A zeroed chunk with room for size bytes. A national campaign fills 250 MB
 * of arena, and faulting it in 4 KiB pages was a tenth of its scoring time:
 * chunks of 2 MiB or more are mapped on a 2 MiB boundary and offered to the
 * kernel for transparent huge pages, one fault per 2 MiB where it agrees.
 */
static palx_arena_chunk *chunk_new(size_t size)
{
	size_t want = sizeof(palx_arena_chunk) + size;
	palx_arena_chunk *c;
#if defined(ARENA_MMAP) && defined(MADV_HUGEPAGE)
	if (want >= HUGE_PAGE - 4096 && want <= SIZE_MAX - 2 * HUGE_PAGE) {
		size_t len = (want + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		unsigned char *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m != MAP_FAILED) {
			size_t lead = (HUGE_PAGE - (uintptr_t)m % HUGE_PAGE) % HUGE_PAGE;
			if (lead)
				munmap(m, lead);
			if (HUGE_PAGE - lead)
				munmap(m + lead + len, HUGE_PAGE - lead);
			c = (palx_arena_chunk *)(m + lead);
			madvise(c, len, MADV_HUGEPAGE); /* advice: without it, plain pages */
			c->mapped = len;
			c->size = len - sizeof(*c);
			return c;
		}
	}
#endif
	if (!(c = calloc(1, want)))
		return NULL;
	c->size = size;
	return c;
}

static void chunk_free(palx_arena_chunk *c)
{
#if defined(ARENA_MMAP)
	if (c->mapped) {
		munmap(c, c->mapped);
		return;
	}
#endif
	free(c);
}

void palx_arena_init(palx_arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->chunk_max = chunk_size ? chunk_size : 64 * 1024;
	a->chunk_size = a->chunk_max < 64 * 1024 ? a->chunk_max : 64 * 1024;
	a->total = 0;
}

void palx_arena_release(palx_arena *a)
{
	palx_arena_chunk *c = a->head;
	while (c) {
		palx_arena_chunk *n = c->next;
		chunk_free(c);
		c = n;
	}
	a->head = NULL;
	a->total = 0;
}

void palx_arena_adopt(palx_arena *dst, palx_arena *src)
{
	palx_arena_chunk *last = src->head;
	if (!last)
		return;
	while (last->next)
		last = last->next;
	if (dst->head) { /* dst keeps filling its current chunk */
		last->next = dst->head->next;
		dst->head->next = src->head;
	} else {
		dst->head = src->head;
	}
	dst->total += src->total;
	src->head = NULL;
	src->total = 0;
}

/*
 * Room for size bytes at the given alignment (1 or 16), or NULL. Chunks come
 * from calloc or mmap and are never reused, so the memory is already zero:
 * large chunks are fresh pages from the kernel, and clearing them again here
 * was a tenth of a national campaign's scoring time (bench/README.md).
 */
static void *take(palx_arena *a, size_t size, size_t align)
{
	palx_arena_chunk *c = a->head;
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
	if (!c || at > c->size || c->size - at < size) {
		size_t cs = size > a->chunk_size / 4 ? (size + 15) & ~(size_t)15 : a->chunk_size;
		if (size > SIZE_MAX - sizeof(*c) - 16)
			return NULL;
		palx_arena_chunk *n = chunk_new(cs);
		if (!n)
			return NULL;
		if (c && cs != a->chunk_size && c->size - c->used > 256) {
			/* Keep filling the current chunk: put the big one behind it. */
			n->next = c->next;
			c->next = n;
		} else {
			n->next = c;
			a->head = n;
		}
		a->total += n->size;
		c = n;
		at = 0;
		if (cs == a->chunk_size && a->chunk_size < a->chunk_max)
			a->chunk_size = a->chunk_size > a->chunk_max / 2 ? a->chunk_max : 2 * a->chunk_size;
	}
	void *p = c->data + at;
	c->used = at + size;
	return p;
}

void *palx_arena_alloc(palx_arena *a, size_t size)
{
	return take(a, size ? size : 1, 16);
}

char *palx_arena_strndup(palx_arena *a, const char *s, size_t len)
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

char *palx_arena_strdup(palx_arena *a, const char *s)
{
	return palx_arena_strndup(a, s, strlen(s));
}
