/* Private: interned strings (intern.c), and the string hash the campaign's town index shares. */
#ifndef PAL_INTERN_H
#define PAL_INTERN_H

#include <stdint.h>

#include "model.h"

/* FNV-1a of a NUL-terminated string. */
static inline uint64_t pal_hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/*
 * Interns a juror id: returns the campaign's one copy (borrowed, lives with the
 * campaign) and its small integer in *id, or NULL when out of memory.
 */
const char *eng_campaign_intern_juror(pal_campaign *c, const char *name, uint32_t *id);
size_t eng_campaign_njurors(const pal_campaign *c);
const char *eng_campaign_juror_name(const pal_campaign *c, uint32_t id);
/* s as palx_text_clean_in() would store it, shared when it is short and seen before. NULL: OOM. */
const char *eng_campaign_text(pal_campaign *c, const char *s);

/*
 * The intern tables behind the two above, for a table of one's own (*table
 * NULL at first; copies in arena a). eng_intern returns the one copy of name
 * with its id in *id; once the table holds max names, names not in it are
 * not added and NULL is returned, as when out of memory. eng_intern_text is
 * eng_campaign_text for that table.
 */
const char *eng_intern(palx_arena *a, void **table, size_t max, const char *name, uint32_t *id);
const char *eng_intern_text(palx_arena *a, void **table, const char *s);
size_t eng_intern_count(const void *table);
const char *eng_intern_name(const void *table, uint32_t id);
void eng_intern_free(void *table);

#endif
