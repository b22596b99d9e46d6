/*
 * Deliberation aids (SPEC.md §9 `palmares sensitivity`, issue 4 item 7):
 * level stability under random rubrics, and the borderline list.
 *
 * Both run what-if scorings on a scored campaign through score.c
 * (eng_score_level_with_points, eng_score_level_with_mark), which compute a
 * dossier's level under changed weights or one changed mark and leave the
 * campaign as it was. Levels here are always the computed ones: overrides
 * are the jury's decision, not something a weight or a mark can move.
 *
 * Random numbers: splitmix64 (as assign.c), one 64-bit draw per criterion in
 * rubric order per sample, turned into a double in [0, 1) from its top 53
 * bits; no rand(), no floating-point state, so a seed gives the same result
 * on every platform.
 */
#include <stdlib.h>
#include <string.h>

#include "jury_int.h"
#include "num.h"
#include "score.h"

/* ---- shared --------------------------------------------------------------- */

const char *eng_jury_level_name(const pal_rubric *r, int level)
{
	if (level >= 1 && (size_t)level <= r->nlevels)
		return r->levels[level - 1].name;
	return "not labelled";
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, 1): exact multiples of 2^-53. */
static double uniform01(uint64_t *state)
{
	return (double)(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
}

static const char *num(double x, char *buf, size_t len)
{
	if (eng_format_number(x, buf, len) < 0)
		snprintf(buf, len, "?");
	return buf;
}

/* ---- sensitivity ---------------------------------------------------------- */

typedef struct sens_entry {
	pal_dossier *d;
	size_t input;  /* input index, for stable ties */
	int level;     /* computed level */
	size_t kept;
	size_t *reached; /* nlevels + 1 counters, in the shared block */
} sens_entry;

struct pal_sensitivity {
	pal_sensitivity_options o;
	const pal_rubric *r;
	sens_entry *v;
	size_t n;
	size_t *counts;
};

void pal_sensitivity_free(pal_sensitivity *s)
{
	if (!s)
		return;
	free(s->v);
	free(s->counts);
	free(s);
}

static int by_stability(const void *a, const void *b)
{
	const sens_entry *x = a, *y = b;
	if (x->kept != y->kept)
		return x->kept < y->kept ? -1 : 1;
	return (x->input > y->input) - (x->input < y->input);
}

static pal_sensitivity *sens_new(pal_campaign *c, const pal_sensitivity_options *o)
{
	const pal_rubric *r = c->rubric;
	pal_sensitivity *s = calloc(1, sizeof *s);
	size_t n = 0, width = r->nlevels + 1;
	if (!s)
		return NULL;
	s->o = *o;
	s->r = r;
	for (size_t k = 0; k < c->ndossiers; k++)
		n += c->dossiers[k]->status == PAL_STATUS_SCORED;
	s->v = calloc(n + 1, sizeof *s->v);
	s->counts = n > SIZE_MAX / width - 1 ? NULL : calloc(n * width + 1, sizeof *s->counts);
	if (!s->v || !s->counts) {
		pal_sensitivity_free(s);
		return NULL;
	}
	for (size_t k = 0; k < c->ndossiers; k++) {
		pal_dossier *d = c->dossiers[k];
		if (d->status != PAL_STATUS_SCORED)
			continue;
		s->v[s->n] = (sens_entry){d, k, d->computed_level, 0, s->counts + s->n * width};
		s->n++;
	}
	return s;
}

int pal_sensitivity_compute(pal_campaign *c, const pal_sensitivity_options *o,
                            pal_sensitivity **out)
{
	const pal_rubric *r = c->rubric;
	uint64_t state = o ? o->seed : 0;
	pal_sensitivity *s;
	double *points;
	*out = NULL;
	if (!o || !c->scored || !(o->spread >= 0 && o->spread <= 1) || o->samples == 0)
		return PAL_REJECTED;
	s = sens_new(c, o);
	points = malloc((r->ncriteria + 1) * sizeof *points);
	if (!s || !points) {
		pal_sensitivity_free(s);
		free(points);
		return PAL_IOERR;
	}
	for (size_t t = 0; t < o->samples; t++) {
		for (size_t i = 0; i < r->ncriteria; i++) {
			double u = uniform01(&state);
			/* spread 0 gives a factor of exactly 1: the rubric itself. */
			points[i] = r->criteria[i].points * (1 - o->spread + 2 * o->spread * u);
		}
		for (size_t k = 0; k < s->n; k++) {
			sens_entry *e = &s->v[k];
			int lv = eng_score_level_with_points(c, e->d, points);
			if (lv >= 0 && (size_t)lv <= r->nlevels)
				e->reached[lv]++;
			e->kept += lv == e->level;
		}
	}
	free(points);
	qsort(s->v, s->n, sizeof *s->v, by_stability);
	*out = s;
	return PAL_OK;
}

size_t pal_sensitivity_count(const pal_sensitivity *s)
{
	return s ? s->n : 0;
}

const char *pal_sensitivity_town(const pal_sensitivity *s, size_t i)
{
	return s && i < s->n ? s->v[i].d->town_id : NULL;
}

int pal_sensitivity_level(const pal_sensitivity *s, size_t i)
{
	return s && i < s->n ? s->v[i].level : -1;
}

double pal_sensitivity_stability(const pal_sensitivity *s, size_t i)
{
	return s && i < s->n ? (double)s->v[i].kept / (double)s->o.samples : 0;
}

size_t pal_sensitivity_reached(const pal_sensitivity *s, size_t i, int level)
{
	if (!s || i >= s->n || level < 0 || (size_t)level > s->r->nlevels)
		return 0;
	return s->v[i].reached[level];
}

static size_t count_fragile(const pal_sensitivity *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += pal_sensitivity_stability(s, i) < PAL_SENSITIVITY_FRAGILE;
	return n;
}

static void sens_json_town(const pal_sensitivity *s, size_t i, pal_jw *w)
{
	const sens_entry *e = &s->v[i];
	double st = pal_sensitivity_stability(s, i);
	eng_jw_obj(w);
	eng_jw_key(w, "id");
	eng_jw_str(w, e->d->town_id);
	eng_jw_key(w, "name");
	eng_jw_str(w, e->d->town_name);
	eng_jw_key(w, "level");
	eng_jw_int(w, e->level);
	eng_jw_key(w, "level_name");
	if (e->level >= 1)
		eng_jw_str(w, eng_jury_level_name(s->r, e->level));
	else
		eng_jw_null(w);
	eng_jw_key(w, "stability");
	eng_jw_full(w, st);
	eng_jw_key(w, "fragile");
	eng_jw_bool(w, st < PAL_SENSITIVITY_FRAGILE);
	eng_jw_key(w, "reached");
	eng_jw_obj(w);
	for (size_t lv = 0; lv <= s->r->nlevels; lv++) {
		char key[24];
		if (!e->reached[lv])
			continue;
		snprintf(key, sizeof key, "%zu", lv);
		eng_jw_key(w, key);
		eng_jw_int(w, (long long)e->reached[lv]);
	}
	eng_jw_end_obj(w);
	eng_jw_end_obj(w);
}

static void sens_json(const pal_sensitivity *s, const pal_borderline *b, const pal_campaign *c,
                      FILE *out)
{
	pal_jw w;
	eng_jw_init(&w, out, 1);
	eng_jw_obj(&w);
	eng_jw_key(&w, "spread");
	eng_jw_full(&w, s->o.spread);
	eng_jw_key(&w, "samples");
	eng_jw_int(&w, (long long)s->o.samples);
	eng_jw_key(&w, "seed");
	/* Seeds above 2^53 are written as strings, to stay exact in every JSON reader. */
	if (s->o.seed <= UINT64_C(9007199254740992)) {
		eng_jw_int(&w, (long long)s->o.seed);
	} else {
		char seed[32];
		snprintf(seed, sizeof seed, "%llu", (unsigned long long)s->o.seed);
		eng_jw_str(&w, seed);
	}
	eng_jw_key(&w, "fragile_below");
	eng_jw_full(&w, PAL_SENSITIVITY_FRAGILE);
	eng_jw_key(&w, "fragile");
	eng_jw_int(&w, (long long)count_fragile(s));
	eng_jw_key(&w, "towns");
	eng_jw_arr(&w);
	for (size_t i = 0; i < s->n; i++)
		sens_json_town(s, i, &w);
	eng_jw_end_arr(&w);
	eng_jw_key(&w, "borderline");
	eng_borderline_json(&w, b, c);
	eng_jw_end_obj(&w);
}

/* Width of the level column: its widest possible cell ("not labelled", a long level name). */
static size_t sens_level_width(const pal_rubric *r)
{
	size_t w = eng_display_width(eng_jury_level_name(r, 0));
	for (size_t lv = 1; lv <= r->nlevels; lv++)
		if (eng_display_width(eng_jury_level_name(r, (int)lv)) > w)
			w = eng_display_width(eng_jury_level_name(r, (int)lv));
	return w;
}

static void sens_text_town(const pal_sensitivity *s, size_t i, size_t lw, FILE *out)
{
	const sens_entry *e = &s->v[i];
	char b1[32], b2[32];
	int first = 1;
	fprintf(out, "  %7s %%  ", num(100 * pal_sensitivity_stability(s, i), b1, sizeof b1));
	eng_print_cell(out, eng_jury_level_name(s->r, e->level), lw);
	fprintf(out, " %s \"%s\"", e->d->town_id, e->d->town_name);
	for (size_t lv = 0; lv <= s->r->nlevels; lv++) {
		if ((int)lv == e->level || !e->reached[lv])
			continue;
		fprintf(out, "%s%s %s %%", first ? "  (also " : ", ", eng_jury_level_name(s->r, (int)lv),
		        num(100.0 * (double)e->reached[lv] / (double)s->o.samples, b2, sizeof b2));
		first = 0;
	}
	fputs(first ? "\n" : ")\n", out);
}

static void sens_text(const pal_sensitivity *s, const pal_borderline *b, const pal_campaign *c,
                      FILE *out)
{
	char lo[32], hi[32];
	size_t fragile = count_fragile(s);
	fprintf(out, "Level stability: each criterion's points times a factor drawn in [%s, %s], "
	        "%zu random rubrics, seed %llu\n", num(1 - s->o.spread, lo, sizeof lo),
	        num(1 + s->o.spread, hi, sizeof hi), s->o.samples, (unsigned long long)s->o.seed);
	fprintf(out, "%zu scored dossier%s, %zu fragile (kept their level in less than 90 %% of the "
	        "rubrics)%s\n\n", s->n, s->n == 1 ? "" : "s", fragile,
	        fragile ? ": the jury should look at them" : "");
	size_t lw = sens_level_width(s->r);
	fprintf(out, "  %9s  ", "stability");
	eng_print_cell(out, "level", lw);
	fputs(" town\n", out);
	for (size_t i = 0; i < s->n; i++) {
		if (i == fragile && fragile)
			fputs("  ---------\n", out);
		sens_text_town(s, i, lw, out);
	}
	fputc('\n', out);
	eng_borderline_text(b, c, out);
}

int pal_sensitivity_write(const pal_sensitivity *s, pal_campaign *c, pal_jury_format fmt,
                          FILE *out)
{
	pal_borderline *b = NULL;
	if (pal_borderline_compute(c, &b) != PAL_OK)
		return -1;
	if (fmt == PAL_JURY_JSON)
		sens_json(s, b, c, out);
	else
		sens_text(s, b, c, out);
	pal_borderline_free(b);
	return ferror(out) ? -1 : 0;
}

/* ---- borderline ----------------------------------------------------------- */

/* A mark the level hangs on, with the levels its what-ifs give (-1: unchanged or not tried). */
typedef struct bmark {
	const pal_mark *m;
	size_t criterion;
	int at_min, at_max, removed;
} bmark;

typedef struct bentry {
	const pal_dossier *d;
	unsigned why;
	int level;
	double missing;    /* PAL_BORDER_BELOW_NEXT: points missing for the next level */
	double margin;     /* PAL_BORDER_ABOVE_OWN: points above the own level's threshold */
	bmark *marks;
	size_t nmarks;
} bentry;

struct pal_borderline {
	const pal_rubric *r;
	bentry *v;
	size_t n;
};

void pal_borderline_free(pal_borderline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].marks);
	free(b->v);
	free(b);
}

/* Level of d with mark m at value (or removed); -2 when out of memory, -1 when not tried. */
static int what_if(pal_campaign *c, pal_dossier *d, size_t i, const pal_mark *m, int remove,
                   double value)
{
	int lv = eng_score_level_with_mark(c, d, i, m, remove, value);
	return lv == -1 || lv == d->computed_level ? -1 : lv;
}

/* Fills e->marks with the marks d's level hangs on. Returns 0, or -1 when out of memory. */
static int hanging_marks(pal_campaign *c, pal_dossier *d, bentry *e)
{
	const pal_rubric *r = c->rubric;
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *cr = &r->criteria[i];
		if (cr->kind != PAL_KIND_JURY || !pal_dossier_applies(d, i))
			continue;
		for (const pal_mark *m = d->marks[cr->jury_index]; m; m = m->next) {
			bmark b = {m, i, -1, -1, -1};
			bmark *v;
			if (m->mark != cr->scale_min)
				b.at_min = what_if(c, d, i, m, 0, cr->scale_min);
			if (m->mark != cr->scale_max)
				b.at_max = what_if(c, d, i, m, 0, cr->scale_max);
			if (d->jury[cr->jury_index].nmarks > 1)
				b.removed = what_if(c, d, i, m, 1, 0);
			if (b.at_min == -2 || b.at_max == -2 || b.removed == -2)
				return -1;
			if (b.at_min < 0 && b.at_max < 0 && b.removed < 0)
				continue;
			if (!(v = realloc(e->marks, (e->nmarks + 1) * sizeof *v)))
				return -1;
			e->marks = v;
			e->marks[e->nmarks++] = b;
		}
	}
	return 0;
}

/* Threshold tests of one scored dossier (computed level, overrides ignored). */
static void thresholds(const pal_rubric *r, const pal_dossier *d, bentry *e)
{
	int lv = d->computed_level;
	if ((size_t)lv < r->nlevels) {
		double need = r->levels[lv].min_percent * d->max / 100 - d->points;
		if (need > 0 && need <= 1) {
			e->why |= PAL_BORDER_BELOW_NEXT;
			e->missing = need;
		}
	}
	if (lv >= 1 && r->levels[lv - 1].min_percent > 0) {
		double margin = d->points - r->levels[lv - 1].min_percent * d->max / 100;
		if (margin < 1) {
			e->why |= PAL_BORDER_ABOVE_OWN;
			e->margin = margin;
		}
	}
}

int pal_borderline_compute(pal_campaign *c, pal_borderline **out)
{
	const pal_rubric *r = c->rubric;
	pal_borderline *b = calloc(1, sizeof *b);
	*out = NULL;
	if (!b || !(b->v = calloc(c->ndossiers + 1, sizeof *b->v)))
		goto oom;
	b->r = r;
	for (size_t k = 0; k < c->ndossiers; k++) {
		pal_dossier *d = c->dossiers[k];
		bentry *e = &b->v[b->n];
		if (d->status != PAL_STATUS_SCORED)
			continue;
		*e = (bentry){d, 0, d->computed_level, 0, 0, NULL, 0};
		thresholds(r, d, e);
		if (hanging_marks(c, d, e) != 0) {
			free(e->marks);
			goto oom;
		}
		if (e->nmarks)
			e->why |= PAL_BORDER_ONE_MARK;
		if (e->why)
			b->n++;
		else
			free(e->marks);
	}
	*out = b;
	return PAL_OK;
oom:
	pal_borderline_free(b);
	return PAL_IOERR;
}

size_t pal_borderline_count(const pal_borderline *b)
{
	return b ? b->n : 0;
}

const char *pal_borderline_town(const pal_borderline *b, size_t i)
{
	return b && i < b->n ? b->v[i].d->town_id : NULL;
}

unsigned pal_borderline_why(const pal_borderline *b, size_t i)
{
	return b && i < b->n ? b->v[i].why : 0;
}

size_t pal_borderline_count_marks(const pal_borderline *b, size_t i)
{
	return b && i < b->n ? b->v[i].nmarks : 0;
}

void pal_borderline_mark(const pal_borderline *b, size_t i, size_t k, const char **juror,
                         const char **criterion)
{
	const bmark *m = b && i < b->n && k < b->v[i].nmarks ? &b->v[i].marks[k] : NULL;
	*juror = m ? m->m->juror : NULL;
	*criterion = m ? b->r->criteria[m->criterion].id : NULL;
}

static void jw_level_or_null(pal_jw *w, const char *key, int lv)
{
	eng_jw_key(w, key);
	if (lv >= 0)
		eng_jw_int(w, lv);
	else
		eng_jw_null(w);
}

static void border_json_entry(pal_jw *w, const pal_borderline *b, const bentry *e)
{
	eng_jw_obj(w);
	eng_jw_key(w, "id");
	eng_jw_str(w, e->d->town_id);
	eng_jw_key(w, "name");
	eng_jw_str(w, e->d->town_name);
	eng_jw_key(w, "level");
	eng_jw_int(w, e->level);
	eng_jw_key(w, "level_name");
	if (e->level >= 1)
		eng_jw_str(w, eng_jury_level_name(b->r, e->level));
	else
		eng_jw_null(w);
	eng_jw_key(w, "percent");
	eng_jw_num(w, e->d->percent);
	eng_jw_key(w, "why");
	eng_jw_arr(w);
	if (e->why & PAL_BORDER_BELOW_NEXT)
		eng_jw_str(w, "below-next");
	if (e->why & PAL_BORDER_ABOVE_OWN)
		eng_jw_str(w, "above-own");
	if (e->why & PAL_BORDER_ONE_MARK)
		eng_jw_str(w, "one-mark");
	eng_jw_end_arr(w);
	if (e->why & PAL_BORDER_BELOW_NEXT) {
		eng_jw_key(w, "points_missing");
		eng_jw_num(w, e->missing);
	}
	if (e->why & PAL_BORDER_ABOVE_OWN) {
		eng_jw_key(w, "points_above");
		eng_jw_num(w, e->margin);
		eng_jw_key(w, "by_rounding"); /* the raw percent is below the threshold */
		eng_jw_bool(w, e->margin < 0);
	}
	eng_jw_key(w, "marks");
	eng_jw_arr(w);
	for (size_t k = 0; k < e->nmarks; k++) {
		const bmark *m = &e->marks[k];
		eng_jw_obj(w);
		eng_jw_key(w, "juror");
		eng_jw_str(w, m->m->juror);
		eng_jw_key(w, "criterion");
		eng_jw_str(w, b->r->criteria[m->criterion].id);
		eng_jw_key(w, "mark");
		eng_jw_full(w, m->m->mark);
		jw_level_or_null(w, "level_at_min", m->at_min);
		jw_level_or_null(w, "level_at_max", m->at_max);
		jw_level_or_null(w, "level_without", m->removed);
		eng_jw_end_obj(w);
	}
	eng_jw_end_arr(w);
	eng_jw_end_obj(w);
}

void eng_borderline_json(pal_jw *w, const pal_borderline *b, const pal_campaign *c)
{
	(void)c;
	eng_jw_arr(w);
	for (size_t i = 0; b && i < b->n; i++)
		border_json_entry(w, b, &b->v[i]);
	eng_jw_end_arr(w);
}

static void border_text_marks(const pal_borderline *b, const bentry *e, FILE *out)
{
	const pal_rubric *r = b->r;
	char b1[32], b2[32];
	for (size_t k = 0; k < e->nmarks; k++) {
		const bmark *m = &e->marks[k];
		const pal_criterion *cr = &r->criteria[m->criterion];
		const char *sep = "";
		fprintf(out, "    hangs on %s's mark %s on %s:", m->m->juror, num(m->m->mark, b1, sizeof b1),
		        cr->id);
		if (m->at_min >= 0) {
			fprintf(out, " at %s → %s", num(cr->scale_min, b2, sizeof b2),
			        eng_jury_level_name(r, m->at_min));
			sep = ";";
		}
		if (m->at_max >= 0) {
			fprintf(out, "%s at %s → %s", sep, num(cr->scale_max, b2, sizeof b2),
			        eng_jury_level_name(r, m->at_max));
			sep = ";";
		}
		if (m->removed >= 0)
			fprintf(out, "%s without it → %s", sep, eng_jury_level_name(r, m->removed));
		fputc('\n', out);
	}
}

void eng_borderline_text(const pal_borderline *b, const pal_campaign *c, FILE *out)
{
	const pal_rubric *r = c->rubric;
	char b1[32], b2[32];
	if (!b || b->n == 0) {
		fputs("Borderline dossiers: none\n", out);
		return;
	}
	fprintf(out, "Borderline dossiers (%zu; computed levels, overrides ignored)\n", b->n);
	for (size_t i = 0; i < b->n; i++) {
		const bentry *e = &b->v[i];
		fprintf(out, "  %s \"%s\": %s, %s %%\n", e->d->town_id, e->d->town_name,
		        eng_jury_level_name(r, e->level), num(e->d->percent_r, b1, sizeof b1));
		if (e->why & PAL_BORDER_BELOW_NEXT)
			fprintf(out, "    %s point%s short of %s (%s %%)\n", num(e->missing, b1, sizeof b1),
			        e->missing == 1 ? "" : "s", eng_jury_level_name(r, e->level + 1),
			        num(r->levels[e->level].min_percent, b2, sizeof b2));
		if ((e->why & PAL_BORDER_ABOVE_OWN) && e->margin < 0)
			fprintf(out, "    reaches the %s threshold (%s %%) only because the percent is "
			        "rounded\n", eng_jury_level_name(r, e->level),
			        num(r->levels[e->level - 1].min_percent, b2, sizeof b2));
		else if (e->why & PAL_BORDER_ABOVE_OWN)
			fprintf(out, "    %s point%s above the %s threshold (%s %%)\n",
			        num(e->margin, b1, sizeof b1), e->margin == 1 ? "" : "s",
			        eng_jury_level_name(r, e->level),
			        num(r->levels[e->level - 1].min_percent, b2, sizeof b2));
		border_text_marks(b, e, out);
	}
}

int pal_borderline_write(const pal_borderline *b, const pal_campaign *c, pal_jury_format fmt,
                         FILE *out)
{
	if (fmt == PAL_JURY_JSON) {
		pal_jw w;
		eng_jw_init(&w, out, 1);
		eng_jw_obj(&w);
		eng_jw_key(&w, "borderline");
		eng_borderline_json(&w, b, c);
		eng_jw_end_obj(&w);
	} else {
		eng_borderline_text(b, c, out);
	}
	return ferror(out) ? -1 : 0;
}
