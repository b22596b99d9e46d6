/*
 * A campaign: one rubric, its dossiers (in input order), their marks and the
 * history of an earlier edition. Dossiers and everything they hold come from
 * the campaign's arena; a hash table maps town ids to the first dossier that
 * carries them (duplicates are detected on insertion, see dossier.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "assignments.h"
#include "campaign.h"
#include "intern.h"
#include "jurycal.h"
#include "markindex.h"
#include "overrides.h"
#include "text.h"

struct town_index {
	pal_dossier **slots;
	size_t cap, n;
};

pal_campaign *pal_campaign_new(const pal_rubric *r)
{
	pal_campaign *c = calloc(1, sizeof(*c));
	struct town_index *ix = calloc(1, sizeof(*ix));
	if (!c || !ix) {
		free(c);
		free(ix);
		return NULL;
	}
	c->rubric = r;
	c->index = ix;
	palx_arena_init(&c->arena, 4 * 1024 * 1024); /* large enough for huge pages (common/arena.c) */
	return c;
}

void pal_campaign_set_progress(pal_campaign *c, pal_progress_fn fn, void *ctx)
{
	c->progress = fn;
	c->progress_ctx = ctx;
}

void pal_campaign_free(pal_campaign *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ndossiers; i++)
		json_decref(c->dossiers[i]->attrs);
	free(c->dossiers);
	struct town_index *ix = c->index;
	if (ix)
		free(ix->slots);
	free(ix);
	json_decref(c->prev_levels);
	free(c->mark_files);
	eng_assignments_free(c->assignments);
	eng_overrides_free(c->overrides);
	eng_jury_results_free(c->jury);
	eng_intern_free(c->jurors);
	eng_intern_free(c->texts);
	eng_mark_index_free(&c->mark_index);
	palx_arena_release(&c->arena);
	free(c);
}

size_t pal_campaign_count(const pal_campaign *c)
{
	return c->ndossiers;
}

pal_dossier *eng_campaign_find(const pal_campaign *c, const char *town_id)
{
	const struct town_index *ix = c->index;
	if (!ix->cap)
		return NULL;
	size_t mask = ix->cap - 1;
	for (size_t i = pal_hash_str(town_id) & mask;; i = (i + 1) & mask) {
		pal_dossier *d = ix->slots[i];
		if (!d)
			return NULL;
		if (strcmp(d->town_id, town_id) == 0)
			return d;
	}
}

static int index_put(struct town_index *ix, pal_dossier *d)
{
	if ((ix->n + 1) * 2 > ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 1024;
		pal_dossier **slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return -1;
		for (size_t i = 0; i < ix->cap; i++) {
			pal_dossier *e = ix->slots[i];
			if (!e)
				continue;
			size_t k = pal_hash_str(e->town_id) & (cap - 1);
			while (slots[k])
				k = (k + 1) & (cap - 1);
			slots[k] = e;
		}
		free(ix->slots);
		ix->slots = slots;
		ix->cap = cap;
	}
	size_t k = pal_hash_str(d->town_id) & (ix->cap - 1);
	while (ix->slots[k])
		k = (k + 1) & (ix->cap - 1);
	ix->slots[k] = d;
	ix->n++;
	return 0;
}

const char *eng_mark_file(const pal_campaign *c, const pal_mark *m)
{
	return m->file < c->nmark_files ? c->mark_files[m->file] : "";
}

const char *eng_dossier_evidence(const pal_dossier *d, size_t i)
{
	if (!(d->meta[i] & PAL_META_EVIDENCE))
		return NULL;
	for (const pal_evidence *e = d->evidence; e; e = e->next)
		if (e->crit == i)
			return e->text;
	return NULL;
}

int eng_dossier_set_evidence(pal_campaign *c, pal_dossier *d, size_t i, const char *text)
{
	pal_evidence *e = d->evidence;
	while (e && e->crit != i)
		e = e->next;
	if (!e) {
		if (!(e = palx_arena_alloc(&c->arena, sizeof(*e))))
			return -1;
		e->crit = (uint32_t)i;
		e->next = d->evidence;
		d->evidence = e;
	}
	e->text = text;
	d->meta[i] |= PAL_META_EVIDENCE;
	return 0;
}

pal_dossier *eng_campaign_new_dossier(pal_campaign *c)
{
	const pal_rubric *r = c->rubric;
	if (c->ndossiers == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		pal_dossier **v = realloc(c->dossiers, cap * sizeof(*v));
		if (!v)
			return NULL;
		c->dossiers = v;
		c->cap = cap;
	}
	pal_dossier *d = palx_arena_alloc(&c->arena, sizeof(*d));
	if (!d)
		return NULL;
	d->values = palx_arena_alloc(&c->arena, (r->ncriteria + 1) * sizeof(*d->values));
	d->meta = palx_arena_alloc(&c->arena, r->ncriteria + 1);
	d->marks = palx_arena_alloc(&c->arena, (r->njury + 1) * sizeof(*d->marks));
	if (!d->values || !d->meta || !d->marks)
		return NULL;
	d->town_id = "";
	d->town_name = "";
	d->previous_level = -1;
	c->dossiers[c->ndossiers++] = d;
	return d;
}

static void place(char *buf, size_t len, const char *file, long line, long col)
{
	if (!file)
		buf[0] = '\0';
	else if (line > 0 && col > 0)
		snprintf(buf, len, "%s:%ld:%ld", file, line, col);
	else if (line > 0)
		snprintf(buf, len, "%s:%ld", file, line);
	else
		snprintf(buf, len, "%s", file);
}

/*
 * The message without what the town's report already says: its position and
 * the "town ID "NAME"" that opens most messages. Points into text.
 */
static const char *body_of(const pal_dossier *d, const char *text)
{
	size_t il = strlen(d->town_id), nl = strlen(d->town_name);
	const char *p = text;
	if (strncmp(p, "town ", 5) != 0 || strncmp(p + 5, d->town_id, il) != 0 || p[5 + il] != ' ' ||
	    p[6 + il] != '"' || strncmp(p + 7 + il, d->town_name, nl) != 0 || p[7 + il + nl] != '"')
		return text;
	p += 8 + il + nl;
	if ((p[0] == ',' || p[0] == ':') && p[1] == ' ')
		return p + 2;
	return text;
}

/* An arena copy of what a message quotes, neutralised as its text is (text.h). */
static const char *copy(pal_campaign *c, const char *s, int *oom)
{
	const char *t = s ? palx_text_clean_in(&c->arena, s) : NULL;
	*oom |= s && !t;
	return t;
}

static int vmsg(pal_campaign *c, pal_dossier *d, pal_diags *diags, pal_severity sev, const char *file,
                long line, long col, const palx_msg_info *info, const char *fmt, va_list ap)
{
	char text[2048], where[1024];
	int oom = 0;
	vsnprintf(text, sizeof text, fmt, ap);
	if (diags)
		pal_diags_add(diags, sev, file, line, col, "%s", text);
	if (sev == PAL_ERROR)
		d->invalid = 1;
	place(where, sizeof where, file, line, col);
	/* As in diag.c: what the message quotes goes through the neutraliser (text.h). */
	char clean[3 * sizeof text];
	palx_text_clean_to(text, clean);
	pal_msg *m = palx_arena_alloc(&c->arena, sizeof(*m));
	size_t n = strlen(where) + strlen(clean) + 3;
	char *s = m ? palx_arena_alloc(&c->arena, n) : NULL;
	if (s)
		snprintf(s, n, "%s%s%s", where, *where ? ": " : "", clean);
	if (s) {
		memset(m, 0, sizeof *m);
		m->info.crit = -1;
		m->body = s + (*where ? strlen(where) + 2 : 0);
		m->body = body_of(d, m->body);
		if (info && info->code) {
			m->info.code = info->code;
			m->info.crit = info->crit;
			m->info.value = copy(c, info->value, &oom);
			m->info.extra = copy(c, info->extra, &oom);
		}
	}
	if (!s || oom) {
		c->oom = 1; /* the town's results would miss it: pal_campaign_score() fails */
		return -1;
	}
	m->severity = sev;
	m->text = s;
	if (d->msgs_tail)
		d->msgs_tail->next = m;
	else
		d->msgs = m;
	d->msgs_tail = m;
	return 0;
}

int eng_dossier_msg_info(pal_campaign *c, pal_dossier *d, pal_diags *diags, pal_severity sev,
                         const char *file, long line, long col, const palx_msg_info *info,
                         const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = vmsg(c, d, diags, sev, file, line, col, info, fmt, ap);
	va_end(ap);
	return rc;
}

int eng_campaign_register(pal_campaign *c, pal_dossier *d, pal_diags *diags)
{
	const char *script;
	char odd[8];
	/* For the organizer only (not the town's report): a name such as "Раris"
	 * with a Cyrillic Р looks like another town's on a certificate. */
	if (palx_text_mixed_scripts(d->town_name, &script, odd))
		pal_diags_add(diags, PAL_WARNING, d->file, d->line, d->col, "town %s \"%s\": the name mixes "
		              "Latin, Cyrillic or Greek letters in one word (\"%s\" is %s): does it imitate "
		              "another town's name?", d->town_id, d->town_name, odd, script);
	if (!d->town_id[0])
		return 0;
	pal_dossier *first = eng_campaign_find(c, d->town_id);
	if (!first)
		return index_put(c->index, d);
	char a[1024], b[1024];
	place(a, sizeof a, first->file, first->line, first->col);
	place(b, sizeof b, d->file, d->line, d->col);
	/* Both are invalid: the organizer decides which one stands. */
	eng_dossier_msg_info(c, first, diags, PAL_ERROR, first->file, first->line, first->col,
	                     PAL_MSG_INFO("duplicate-town", -1, d->town_id, NULL),
	                     "town %s \"%s\" submitted twice: here and at %s", d->town_id, first->town_name, b);
	eng_dossier_msg_info(c, d, diags, PAL_ERROR, d->file, d->line, d->col,
	                     PAL_MSG_INFO("duplicate-town", -1, d->town_id, NULL),
	                     "town %s \"%s\" submitted twice: here and at %s", d->town_id, d->town_name, a);
	return 0;
}
