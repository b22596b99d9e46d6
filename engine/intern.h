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
const char *pal_campaign_intern_juror(pal_campaign *c, const char *name, uint32_t *id);
size_t pal_campaign_njurors(const pal_campaign *c);
const char *pal_campaign_juror_name(const pal_campaign *c, uint32_t id);
/* s as pal_text_clean_in() would store it, shared when it is short and seen before. NULL: OOM. */
const char *pal_campaign_text(pal_campaign *c, const char *s);

/*
 * The intern tables behind the two above, for a table of one's own (*table
 * NULL at first; copies in arena a). pal_intern returns the one copy of name
 * with its id in *id; once the table holds max names, names not in it are
 * not added and NULL is returned, as when out of memory. pal_intern_text is
 * pal_campaign_text for that table.
 */
const char *pal_intern(pal_arena *a, void **table, size_t max, const char *name, uint32_t *id);
const char *pal_intern_text(pal_arena *a, void **table, const char *s);
size_t pal_intern_count(const void *table);
const char *pal_intern_name(const void *table, uint32_t id);
void pal_intern_free(void *table);

#endif
