/*
 * Each juror's load and progress for the organizer (jury_organizer.h): the
 * store counts the rows, the engine says which jury criteria apply to each
 * dossier, and a dossier is fully marked when the juror gave a mark to
 * every one of them. Computed once per page from three listings (loads,
 * assignments, marked criteria per pair), never per juror and dossier.
 */
#include "jury_organizer.h"

#include <stdlib.h>
#include <string.h>

#include "palmares/rubric.h"
#include "palmares/town.h"
#include "store_marks.h"

int64_t jury_load_missing(const jury_load *l)
{
	int64_t m = l->assigned - l->marked - l->recused;
	return m > 0 ? m : 0;
}

void jury_loads_free(jury_loads *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].juror_id);
	free(l->v);
	memset(l, 0, sizeof *l);
}

static int load_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const jury_load *)elem)->juror_id);
}

const jury_load *jury_loads_find(const jury_loads *l, const char *juror_id)
{
	return l->n ? bsearch(juror_id, l->v, l->n, sizeof *l->v, load_cmp) : NULL;
}

/* What is known of the towns' jury criteria, computed on first need. */
struct prog {
	jury_loads *out;
	const pal_campaign *c;
	const pal_rubric *rb;
	size_t *jury;   /* the rubric's indices of its jury criteria */
	size_t njury;   /* at most 64: a bit each */
	uint64_t *need; /* per town index: the jury criteria that apply */
	unsigned char *known;
	char **recused; /* "juror\x1ftown" of each recusal, sorted */
	size_t nrecused;
	int nomem;
};

static int load_row(void *ctx, const char *juror_id, int64_t assigned, int64_t marks)
{
	struct prog *p = ctx;
	jury_load *v = realloc(p->out->v, (p->out->n + 1) * sizeof *v);
	if (!v || !(juror_id = strdup(juror_id))) {
		if (v)
			p->out->v = v;
		p->nomem = 1;
		return 1;
	}
	p->out->v = v;
	memset(&v[p->out->n], 0, sizeof *v);
	v[p->out->n].juror_id = (char *)juror_id;
	v[p->out->n].assigned = assigned;
	v[p->out->n++].marks = marks;
	return 0;
}

/* The jury criteria that apply to town (a bit per p->jury index); 0 for a town the campaign lacks. */
static uint64_t need_of(struct prog *p, const char *town)
{
	long t = pal_campaign_find_town(p->c, town);
	if (t < 0)
		return 0;
	if (!p->known[t]) {
		pal_town_results *tr = pal_campaign_town_results(p->c, (size_t)t);
		uint64_t need = 0;
		if (!tr) {
			p->nomem = 1;
			return 0;
		}
		for (size_t k = 0; k < p->njury; k++)
			if (pal_town_results_applies(tr, p->jury[k]))
				need |= (uint64_t)1 << k;
		pal_town_results_free(tr);
		p->need[t] = need;
		p->known[t] = 1;
	}
	return p->need[t];
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *pair_key(const char *juror, const char *town)
{
	size_t a = strlen(juror), b = strlen(town);
	char *k = malloc(a + b + 2);
	if (k) {
		memcpy(k, juror, a);
		k[a] = '\x1f';
		memcpy(k + a + 1, town, b + 1);
	}
	return k;
}

static int is_recused(const struct prog *p, const char *juror, const char *town)
{
	char *k = pair_key(juror, town);
	int found = k && p->nrecused && bsearch(&k, p->recused, p->nrecused, sizeof *p->recused, str_cmp);
	free(k);
	return found;
}

static int recusal_row(void *ctx, const store_recusal *rec)
{
	const char *juror_id = rec->juror_id, *town_id = rec->town_id, *reason = rec->reason;
	int64_t at = rec->at;
	struct prog *p = ctx;
	(void)reason;
	(void)at;
	char **v = realloc(p->recused, (p->nrecused + 1) * sizeof *v);
	if (!v) {
		p->nomem = 1;
		return 1;
	}
	p->recused = v;
	if (!(v[p->nrecused] = pair_key(juror_id, town_id))) {
		p->nomem = 1;
		return 1;
	}
	p->nrecused++;
	return 0;
}

/* A pair whose town needs no jury mark is marked already; a recused one is counted apart. */
static int pair_row(void *ctx, const char *juror_id, const char *town_id)
{
	struct prog *p = ctx;
	jury_load *l = (jury_load *)jury_loads_find(p->out, juror_id);
	if (!l)
		return 0;
	if (is_recused(p, juror_id, town_id))
		l->recused++;
	else if (need_of(p, town_id) == 0)
		l->marked++;
	return p->nomem;
}

static int marks_row(void *ctx, const char *juror_id, const char *town_id, const char *criteria)
{
	struct prog *p = ctx;
	jury_load *l = (jury_load *)jury_loads_find(p->out, juror_id);
	uint64_t need, have = 0;
	if (!l || is_recused(p, juror_id, town_id) || (need = need_of(p, town_id)) == 0)
		return p->nomem;
	for (const char *s = criteria; *s;) {
		size_t n = strcspn(s, "\x1f");
		for (size_t k = 0; k < p->njury; k++) {
			const char *id = pal_rubric_criterion_id(p->rb, p->jury[k]);
			if (strlen(id) == n && !memcmp(id, s, n))
				have |= (uint64_t)1 << k;
		}
		s += n + (s[n] != 0);
	}
	if ((have & need) == need)
		l->marked++;
	return 0;
}

store_status jury_loads_read(store *s, const pal_campaign *c, const pal_rubric *rb, jury_loads *out)
{
	struct prog p;
	store_status st;
	size_t ntowns = c ? pal_campaign_count(c) : 0, ncrit = rb ? pal_rubric_count_criteria(rb) : 0;
	memset(out, 0, sizeof *out);
	memset(&p, 0, sizeof p);
	p.out = out;
	p.c = c;
	p.rb = rb;
	p.jury = malloc((ncrit + 1) * sizeof *p.jury);
	p.need = calloc(ntowns + 1, sizeof *p.need);
	p.known = calloc(ntowns + 1, 1);
	if (!p.jury || !p.need || !p.known) {
		st = STORE_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < ncrit && p.njury < 64; i++)
		if (!strcmp(pal_rubric_criterion_kind(rb, i), "jury"))
			p.jury[p.njury++] = i;
	st = store_assignment_counts(s, load_row, &p);
	if (st == STORE_OK && !p.nomem)
		st = store_recusals_list(s, recusal_row, &p);
	if (st == STORE_OK && !p.nomem) {
		if (p.nrecused) /* qsort() is not given NULL, even for no element */
			qsort(p.recused, p.nrecused, sizeof *p.recused, str_cmp);
		if (c)
			st = store_assignments_list(s, pair_row, &p);
	}
	if (st == STORE_OK && !p.nomem && c)
		st = store_assigned_marks_list(s, marks_row, &p);
	if (st == STORE_OK && p.nomem)
		st = STORE_NOMEM;
done:
	for (size_t i = 0; i < p.nrecused; i++)
		free(p.recused[i]);
	free(p.recused);
	free(p.jury);
	free(p.need);
	free(p.known);
	if (st != STORE_OK)
		jury_loads_free(out);
	return st;
}
