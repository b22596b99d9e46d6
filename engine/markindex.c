/*
 * A hash table over the marks of long lists (issue 19, item 6).
 *
 * A dossier keeps the marks of each jury criterion as a list in input order;
 * attaching a mark checks that its juror has no mark there yet, then appends.
 * Scanning made 1,000,000 marks of one criterion of one town a quadratic
 * 40 s. marks.c still scans lists of up to PAL_MARK_SCAN marks (no memory
 * spent on real campaigns) and hands longer ones to this table, which holds
 * for each indexed list one entry per juror (key: the list's head address
 * and the juror id, value: that juror's mark) and one for its tail (key: the
 * head address with its low bit set). A list is indexed the first time it is
 * handed over, by one walk, so the index can be dropped at any time (scoring
 * drops it before it edits the lists) and rebuilt when needed.
 *
 * Memory: 16 bytes a slot, at most half the slots used: 32 to 64 bytes per
 * mark of a long list, beside the mark's own 48.
 */
#include <stdint.h>
#include <stdlib.h>

#include "markindex.h"

struct slot {
	uintptr_t key;  /* head address, | 1 for the tail entry; 0 = empty */
	pal_mark *m;
};

struct mark_index {
	struct slot *slots;
	size_t cap, n;
};

static size_t hash(uintptr_t key, uint32_t jid)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)jid + 1) * 0xC2B2AE3D27D4EB4FULL;
	return (size_t)(h ^ h >> 29);
}

/* The slot of (key, jid): its entry, or the empty slot where it would go. */
static struct slot *find(const struct mark_index *ix, uintptr_t key, uint32_t jid)
{
	size_t k = hash(key, jid) & (ix->cap - 1);
	for (;; k = (k + 1) & (ix->cap - 1)) {
		struct slot *s = &ix->slots[k];
		if (!s->key || (s->key == key && ((key & 1) || s->m->juror_id == jid)))
			return s;
	}
}

static int grow(struct mark_index *ix)
{
	size_t cap = ix->cap ? ix->cap * 2 : 1024;
	struct slot *old = ix->slots;
	size_t ocap = ix->cap;
	if (cap > SIZE_MAX / sizeof(*old) || !(ix->slots = calloc(cap, sizeof(*old)))) {
		ix->slots = old;
		return -1;
	}
	ix->cap = cap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].key)
			*find(ix, old[i].key, old[i].key & 1 ? 0 : old[i].m->juror_id) = old[i];
	free(old);
	return 0;
}

/* Sets (key, jid) to m. Returns 0, or -1 when out of memory. */
static int put(struct mark_index *ix, uintptr_t key, uint32_t jid, pal_mark *m)
{
	if ((ix->n + 1) * 2 > ix->cap && grow(ix) != 0)
		return -1;
	struct slot *s = find(ix, key, jid);
	if (!s->key) {
		s->key = key;
		ix->n++;
	}
	s->m = m;
	return 0;
}

pal_mark *eng_mark_index_append(void **index, pal_mark **head, pal_mark *m)
{
	struct mark_index *ix = *index;
	uintptr_t key = (uintptr_t)head, tail_key = key | 1;
	if (!ix && !(ix = *index = calloc(1, sizeof(*ix))))
		return m;
	struct slot *t = ix->cap ? find(ix, tail_key, 0) : NULL;
	pal_mark *tail = t && t->key ? t->m : NULL;
	if (!tail) {
		/* First time this list is handed over: index what it holds. */
		for (pal_mark *o = *head; o; o = o->next) {
			if (put(ix, key, o->juror_id, o) != 0)
				return m;
			tail = o;
		}
		if (!tail || put(ix, tail_key, 0, tail) != 0)
			return m;
	}
	struct slot *s = find(ix, key, m->juror_id);
	if (s->key)
		return s->m;
	if (put(ix, key, m->juror_id, m) != 0)
		return m;
	/* The juror's entry is in: now the list and its tail, which cannot fail (no growth). */
	m->next = NULL;
	tail->next = m;
	find(ix, tail_key, 0)->m = m;
	return NULL;
}

void eng_mark_index_free(void **index)
{
	struct mark_index *ix = *index;
	if (ix)
		free(ix->slots);
	free(ix);
	*index = NULL;
}
