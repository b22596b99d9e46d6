/*
 * Interned strings: juror ids (marks point to one copy and carry a small
 * integer) and short repeated texts, in tables of the campaign (c->jurors,
 * c->texts) or of one's own (the marks read ahead, marks_prefetch.c). Apart
 * from campaign.c so that the jury calibration (jurycal.c) reads juror
 * names without calling into the file that frees its results.
 */
#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "text.h"

struct intern_table {
	const char **names;   /* by id */
	uint32_t *slots;      /* hash table of id + 1, 0 = empty */
	size_t n, cap, ncap;
};

const char *eng_intern(palx_arena *a, void **tp, size_t max, const char *name, uint32_t *id)
{
	struct intern_table *t = *tp;
	if (!t && !(t = *tp = calloc(1, sizeof(*t))))
		return NULL;
	if (t->n < max && (t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		uint32_t *slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return NULL;
		for (size_t i = 0; i < t->n; i++) {
			size_t k = pal_hash_str(t->names[i]) & (cap - 1);
			while (slots[k])
				k = (k + 1) & (cap - 1);
			slots[k] = (uint32_t)i + 1;
		}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	size_t k = pal_hash_str(name) & (t->cap - 1);
	for (; t->slots[k]; k = (k + 1) & (t->cap - 1))
		if (strcmp(t->names[t->slots[k] - 1], name) == 0) {
			*id = t->slots[k] - 1;
			return t->names[*id];
		}
	if (t->n >= max)
		return NULL;
	if (t->n == t->ncap) {
		size_t ncap = t->ncap ? t->ncap * 2 : 64;
		const char **names = realloc(t->names, ncap * sizeof(*names));
		if (!names)
			return NULL;
		t->names = names;
		t->ncap = ncap;
	}
	const char *copy = palx_arena_strdup(a, name);
	if (!copy)
		return NULL;
	t->names[t->n] = copy;
	t->slots[k] = (uint32_t)t->n + 1;
	*id = (uint32_t)t->n++;
	return copy;
}

const char *eng_campaign_intern_juror(pal_campaign *c, const char *name, uint32_t *id)
{
	return eng_intern(&c->arena, &c->jurors, UINT32_MAX, name, id);
}

/*
 * Jury comments repeat ("RAS", "Très bon dossier"): one copy of each short
 * one. The table stops growing at a bound, so that a campaign of unique
 * comments pays little; the texts already in it are still shared.
 */
#define TEXT_INTERN_MAX_LEN 64
#define TEXT_INTERN_MAX 65536

const char *eng_intern_text(palx_arena *a, void **tp, const char *s)
{
	size_t n = strlen(s);
	uint32_t id;
	if (n && n <= TEXT_INTERN_MAX_LEN && s[0] != ' ' && s[n - 1] != ' ' && palx_text_is_clean(s)) {
		const char *k = eng_intern(a, tp, TEXT_INTERN_MAX, s, &id);
		if (k)
			return k;
	}
	return palx_text_clean_in(a, s);
}

const char *eng_campaign_text(pal_campaign *c, const char *s)
{
	return eng_intern_text(&c->arena, &c->texts, s);
}

size_t eng_intern_count(const void *table)
{
	const struct intern_table *t = table;
	return t ? t->n : 0;
}

const char *eng_intern_name(const void *table, uint32_t id)
{
	const struct intern_table *t = table;
	return t && id < t->n ? t->names[id] : NULL;
}

size_t eng_campaign_njurors(const pal_campaign *c)
{
	return eng_intern_count(c->jurors);
}

const char *eng_campaign_juror_name(const pal_campaign *c, uint32_t id)
{
	return eng_intern_name(c->jurors, id);
}

void eng_intern_free(void *table)
{
	struct intern_table *t = table;
	if (t) {
		free(t->names);
		free(t->slots);
	}
	free(t);
}
