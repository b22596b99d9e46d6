/*
 * Ceremony booklet (SPEC §8), A4 portrait: a cover in the certificates'
 * frame; the laureates grouped by level, highest first, then by name, each
 * with its mentions and score; a statistics page (dossiers by status, counts
 * per level and per mention, a histogram of percents with the level
 * thresholds).
 *
 * Names are sorted by a folded key (case, accents and ligatures ignored:
 * "Œuilly" sorts with the O's), independent of the process locale.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define MARGIN 56.0
#define TOP 70.0
#define BOTTOM 780.0
#define WIDTH (REP_A4_W - 2 * MARGIN)

typedef struct entry {
	const rep_town *t;
	char *key;
} entry;

typedef struct book {
	rep_ctx *c;
	double y;
	int page;
	int stop;
} book;

/* Our own allocation failed: rendering stops and fails as cairo's would ("out of memory"). */
static void out_of_memory(book *b)
{
	b->c->status = CAIRO_STATUS_NO_MEMORY;
	b->c->stop = b->stop = 1;
}

static const char *t_(const book *b, const char *msgid)
{
	return rep_tr(b->c, msgid);
}

/* A sort key: NFD, case folded, combining marks dropped, œ/æ/ß spelled out. */
static char *fold_key(const char *s)
{
	char *nfd = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
	char *cf = nfd ? g_utf8_casefold(nfd, -1) : NULL;
	GString *out = g_string_new(NULL);
	for (const char *p = cf; p && *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		if (u >= 0x300 && u <= 0x36F)
			continue;
		if (u == 0x153)
			g_string_append(out, "oe");
		else if (u == 0xE6)
			g_string_append(out, "ae");
		else if (u == 0xDF)
			g_string_append(out, "ss");
		else if (u == 0x2019 || u == '\'' || u == '-')
			g_string_append_c(out, ' ');
		else
			g_string_append_unichar(out, u);
	}
	g_free(nfd);
	g_free(cf);
	return g_string_free(out, FALSE);
}

static int entry_cmp(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->t->level != y->t->level)
		return y->t->level - x->t->level;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->t->id, y->t->id);
}

static void percent(const rep_ctx *c, double v, char *buf, size_t len)
{
	char n[48];
	rep_num(c, v, 2, n, sizeof n);
	snprintf(buf, len, strncmp(c->lang, "fr", 2) == 0 ? "%s\u202f%%" : "%s%%", n);
}

static void header_footer(book *b)
{
	rep_ctx *c = b->c;
	rep_font f_head = {c->st->sans, 7.5, 1, 0, 1.2};
	rep_font f_foot = {c->st->sans, 7.5, 0, 0, 0};
	char line[512], pg[32];
	const char *label = rep_pick(c, c->st->label.n ? &c->st->label : &c->r->label);
	char *up = g_utf8_strup(label ? label : "", -1);
	snprintf(line, sizeof line, "%s \u00b7 %ld", up, c->r->edition);
	g_free(up);
	rep_color(c, c->st->primary, 1);
	rep_text(c, line, &f_head, MARGIN, 34, WIDTH * 0.7, REP_LEFT, 1);
	rep_color(c, c->st->muted, 1);
	rep_text(c, t_(b, "Ceremony booklet"), &f_foot, MARGIN + WIDTH * 0.7, 34, WIDTH * 0.3, REP_RIGHT, 1);
	rep_color(c, c->st->accent, 1);
	cairo_set_line_width(c->cr, 0.8);
	cairo_move_to(c->cr, MARGIN, 50);
	cairo_line_to(c->cr, c->w - MARGIN, 50);
	cairo_stroke(c->cr);
	snprintf(pg, sizeof pg, "\u2014 %d \u2014", b->page);
	rep_color(c, c->st->muted, 1);
	rep_text(c, pg, &f_foot, MARGIN, BOTTOM + 24, WIDTH, REP_CENTER, 1);
}

static void end_page(book *b)
{
	if (!b->stop && rep_page_end(b->c))
		b->stop = 1;
}

static void new_page(book *b)
{
	end_page(b);
	b->page++;
	b->y = TOP;
	if (!b->stop)
		header_footer(b);
}

static int need(book *b, double h)
{
	if (b->y + h > BOTTOM)
		new_page(b);
	return !b->stop;
}

static void cover_logo(rep_ctx *c)
{
	double lw = cairo_image_surface_get_width(c->logo), lh = cairo_image_surface_get_height(c->logo);
	if (lw <= 0 || lh <= 0)
		return;
	double k = fmin(140 / lw, 80 / lh);
	cairo_save(c->cr);
	cairo_translate(c->cr, (c->w - lw * k) / 2, 88);
	cairo_scale(c->cr, k, k);
	cairo_set_source_surface(c->cr, c->logo, 0, 0);
	cairo_paint(c->cr);
	cairo_restore(c->cr);
}

static size_t count_labelled(const pal_doc_results *r, size_t *scored)
{
	size_t n = 0;
	*scored = 0;
	for (size_t i = 0; i < r->ntowns; i++) {
		const rep_town *t = &r->towns[i];
		*scored += t->usable && t->status == REP_SCORED;
		n += t->usable && t->status == REP_SCORED && t->level >= 1;
	}
	return n;
}

static void cover(book *b)
{
	rep_ctx *c = b->c;
	const rep_style *st = c->st;
	rep_font f_label = {st->sans, 11, 1, 0, 2.6};
	rep_font f_ed = {st->serif, 20, 0, 1, 0.5};
	rep_font f_title = {st->serif, 72, 0, 0, 1};
	rep_font f_sub = {st->serif, 21, 0, 1, 0};
	rep_font f_info = {st->sans, 10, 0, 0, 0.4};
	rep_font f_year = {st->serif, 15, 1, 0, 0.5};
	char line[512], date[96];
	double size, x = 110, w = c->w - 220;
	int y, m, d;
	size_t scored, labelled = count_labelled(c->r, &scored);
	const char *label = rep_pick(c, st->label.n ? &st->label : &c->r->label);
	char *up = g_utf8_strup(label ? label : "", -1);
	rep_frame_borders(c->cr, st, c->w, c->h);
	if (c->logo)
		cover_logo(c);
	rep_color(c, st->primary, 1);
	rep_text(c, up, &f_label, x, 200, w, REP_CENTER, 3);
	g_free(up);
	rep_color(c, st->accent, 1);
	snprintf(line, sizeof line, rep_tr(c, "Edition %ld"), c->r->edition);
	rep_text(c, line, &f_ed, x, 262, w, REP_CENTER, 1);
	cairo_rectangle(c->cr, c->w / 2 - 60, 300, 120, 1.2);
	cairo_fill(c->cr);
	rep_color(c, st->primary, 1);
	PangoLayout *l = rep_fit_title(c, t_(b, "Laureates"), &f_title, 30, w, 90, REP_CENTER, &size);
	rep_show(c, l, x, 330);
	g_object_unref(l);
	rep_color(c, st->ink, 1);
	rep_text(c, t_(b, "Ceremony booklet"), &f_sub, x, 430, w, REP_CENTER, 1);
	if (rep_pick(c, &st->organizer))
		rep_text(c, rep_pick(c, &st->organizer), &f_info, x, 470, w, REP_CENTER, 2);
	rep_laurel(c->cr, st, c->w / 2, 548, -1);
	rep_laurel(c->cr, st, c->w / 2, 548, 1);
	rep_seal(c->cr, st, c->w / 2, 548);
	snprintf(line, sizeof line, "%ld", c->r->edition);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	rep_text(c, line, &f_year, c->w / 2 - 26, 537, 52, REP_CENTER, 1);
	snprintf(line, sizeof line, t_(b, "%zu labelled towns out of %zu ranked dossiers"), labelled, scored);
	rep_color(c, st->muted, 1);
	rep_text(c, line, &f_info, x, 620, w, REP_CENTER, 2);
	rep_award_date(c, &y, &m, &d);
	rep_date_words(c, y, m, d, date, sizeof date);
	if (rep_pick(c, &st->place))
		snprintf(line, sizeof line, "%s, %s", rep_pick(c, &st->place), date);
	else
		snprintf(line, sizeof line, "%s", date);
	rep_color(c, st->ink, 1);
	rep_text(c, line, &f_sub, x, 690, w, REP_CENTER, 1);
	b->page = 1;
}

static void level_heading(book *b, int level, size_t count)
{
	rep_ctx *c = b->c;
	rep_font f_lv = {c->st->serif, 24, 1, 0, 1.5};
	rep_font f_info = {c->st->sans, 8.5, 1, 0, 1.4};
	char line[160];
	double size, tw, th;
	if (!need(b, 100))
		return;
	b->y += 8;
	rep_color(c, c->st->primary, 1);
	rep_rounded_rect(c->cr, MARGIN, b->y, WIDTH, 42, 5);
	cairo_fill(c->cr);
	PangoLayout *l = rep_fit_title(c, c->r->levels[level - 1], &f_lv, 12, WIDTH * 0.5, 34, REP_LEFT, &size);
	rep_layout_size(l, &tw, &th);
	rep_color(c, c->st->accent, 1);
	rep_show(c, l, MARGIN + 16, b->y + (42 - fmin(th, 34)) / 2);
	g_object_unref(l);
	snprintf(line, sizeof line, count > 1 ? t_(b, "LEVEL %d \u00b7 %zu TOWNS") : t_(b, "LEVEL %d \u00b7 %zu TOWN"),
	         level, count);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	rep_text(c, line, &f_info, MARGIN + WIDTH * 0.5, b->y + 16, WIDTH * 0.5 - 16, REP_RIGHT, 1);
	b->y += 52;
}

static void laureate(book *b, const rep_town *t)
{
	rep_ctx *c = b->c;
	rep_font f_name = {c->st->serif, 14, 1, 0, 0};
	rep_font f_ment = {c->st->sans, 7.5, 1, 0, 0.8};
	rep_font f_pc = {c->st->sans, 10, 1, 0, 0};
	rep_font f_small = {c->st->sans, 7.5, 0, 0, 0};
	GString *ms = g_string_new(NULL);
	char pc[64], rk[64];
	double hn, hm = 0, name_w = WIDTH - 110;
	for (size_t i = 0; i < t->nmentions; i++) {
		const rep_mention *me = rep_mention_find(c->r, t->mentions[i]);
		const char *name = me ? rep_pick(c, &me->name) : t->mentions[i];
		char *up = g_utf8_strup(name ? name : t->mentions[i], -1);
		g_string_append_printf(ms, "%s\u2605 %s", i ? "    " : "", up);
		g_free(up);
	}
	PangoLayout *ln = rep_layout(c, t->name, &f_name, name_w, REP_LEFT, 2);
	PangoLayout *lm = ms->len ? rep_layout(c, ms->str, &f_ment, name_w, REP_LEFT, 3) : NULL;
	rep_layout_size(ln, NULL, &hn);
	if (lm)
		rep_layout_size(lm, NULL, &hm);
	double row = fmax(hn + hm + 12, 34);
	if (need(b, row)) {
		rep_color(c, c->st->primary, 1);
		rep_show(c, ln, MARGIN + 8, b->y + 4);
		rep_color(c, c->st->accent, 1);
		if (lm)
			rep_show(c, lm, MARGIN + 8, b->y + 6 + hn);
		percent(c, t->percent, pc, sizeof pc);
		rep_color(c, c->st->ink, 1);
		rep_text(c, pc, &f_pc, MARGIN + WIDTH - 100, b->y + 6, 92, REP_RIGHT, 1);
		snprintf(rk, sizeof rk, t_(b, "rank %ld"), t->rank);
		rep_color(c, c->st->muted, 1);
		rep_text(c, rk, &f_small, MARGIN + WIDTH - 100, b->y + 20, 92, REP_RIGHT, 1);
		b->y += row;
		rep_color(c, c->st->primary, 0.15);
		cairo_rectangle(c->cr, MARGIN + 8, b->y - 3, WIDTH - 16, 0.5);
		cairo_fill(c->cr);
	}
	g_object_unref(ln);
	if (lm)
		g_object_unref(lm);
	g_string_free(ms, TRUE);
}

static void laureates(book *b)
{
	const pal_doc_results *r = b->c->r;
	entry *v = calloc(r->ntowns + 1, sizeof *v);
	size_t n = 0;
	if (!v) {
		out_of_memory(b);
		return;
	}
	for (size_t i = 0; v && i < r->ntowns; i++) {
		const rep_town *t = &r->towns[i];
		if (t->usable && t->status == REP_SCORED && t->level >= 1) {
			v[n].t = t;
			v[n++].key = fold_key(t->name);
		}
	}
	if (v)
		qsort(v, n, sizeof *v, entry_cmp);
	new_page(b);
	for (size_t i = 0; i < n && !b->stop; i++) {
		if (i == 0 || v[i].t->level != v[i - 1].t->level) {
			size_t k = i;
			while (k < n && v[k].t->level == v[i].t->level)
				k++;
			level_heading(b, v[i].t->level, k - i);
		}
		laureate(b, v[i].t);
	}
	for (size_t i = 0; i < n; i++)
		g_free(v[i].key);
	free(v);
}

static void stat_title(book *b, const char *title)
{
	rep_font f = {b->c->st->serif, 16, 1, 0, 0.3};
	b->y += 12;
	rep_color(b->c, b->c->st->primary, 1);
	b->y += rep_text(b->c, title, &f, MARGIN, b->y, WIDTH, REP_LEFT, 1);
	rep_color(b->c, b->c->st->accent, 1);
	cairo_rectangle(b->c->cr, MARGIN, b->y + 2, 36, 1.6);
	cairo_fill(b->c->cr);
	b->y += 12;
}

/* One row of a bar table: label, bar scaled to max, count. */
static void bar_row(book *b, const char *label, size_t count, size_t max, int accent)
{
	rep_ctx *c = b->c;
	rep_font f = {c->st->sans, 9, 0, 0, 0};
	rep_font fb = {c->st->sans, 9, 1, 0, 0};
	char num[32];
	double x_bar = MARGIN + 200, w_bar = WIDTH - 250;
	rep_color(c, c->st->ink, 1);
	rep_text(c, label, &f, MARGIN + 4, b->y + 3, 190, REP_LEFT, 1);
	rep_color(c, c->st->primary, 0.08);
	cairo_rectangle(c->cr, x_bar, b->y + 4, w_bar, 11);
	cairo_fill(c->cr);
	rep_color(c, accent ? c->st->accent : c->st->primary, 1);
	cairo_rectangle(c->cr, x_bar, b->y + 4, max ? w_bar * (double)count / (double)max : 0, 11);
	cairo_fill(c->cr);
	snprintf(num, sizeof num, "%zu", count);
	rep_color(c, c->st->ink, 1);
	rep_text(c, num, &fb, x_bar + w_bar + 6, b->y + 3, 40, REP_RIGHT, 1);
	b->y += 20;
}

static void level_stats(book *b, const size_t *lv)
{
	const pal_doc_results *r = b->c->r;
	size_t max = 0;
	char label[160];
	for (size_t k = 0; k <= r->nlevels; k++)
		max = lv[k] > max ? lv[k] : max;
	stat_title(b, t_(b, "Towns by level"));
	for (size_t k = r->nlevels; k >= 1; k--) {
		snprintf(label, sizeof label, "%s  (%s %zu)", r->levels[k - 1], t_(b, "level"), k);
		bar_row(b, label, lv[k], max, 1);
	}
	bar_row(b, t_(b, "not labelled"), lv[0], max, 0);
}

static void mention_stats(book *b)
{
	const pal_doc_results *r = b->c->r;
	size_t max = 0, *mc = calloc(r->nmentions + 1, sizeof *mc);
	if (!mc)
		out_of_memory(b);
	if (!mc || !r->nmentions) {
		free(mc);
		return;
	}
	for (size_t i = 0; i < r->ntowns; i++)
		for (size_t m = 0; r->towns[i].usable && m < r->towns[i].nmentions; m++)
			for (size_t k = 0; k < r->nmentions; k++)
				mc[k] += strcmp(r->mentions[k].id, r->towns[i].mentions[m]) == 0;
	for (size_t k = 0; k < r->nmentions; k++)
		max = mc[k] > max ? mc[k] : max;
	stat_title(b, t_(b, "Mentions"));
	for (size_t k = 0; k < r->nmentions; k++) {
		const char *name = rep_pick(b->c, &r->mentions[k].name);
		bar_row(b, name ? name : r->mentions[k].id, mc[k], max, 1);
	}
	free(mc);
}

static void summary_line(book *b, const size_t st[3])
{
	rep_font f = {b->c->st->sans, 9.5, 0, 0, 0};
	char line[512];
	snprintf(line, sizeof line, t_(b, "%zu dossiers: %zu ranked, %zu pending, %zu invalid."),
	         st[0] + st[1] + st[2], st[0], st[1], st[2]);
	rep_color(b->c, b->c->st->ink, 1);
	b->y += rep_text(b->c, line, &f, MARGIN, b->y, WIDTH, REP_LEFT, 2) + 4;
}

/* Threshold lines of the levels over the histogram, when the results carry them. */
static void thresholds(book *b, double x0, double y0, double w, double h)
{
	rep_ctx *c = b->c;
	rep_font f = {c->st->sans, 6.5, 1, 0, 0};
	static const double dash[] = {3, 2};
	if (!c->r->min_percents)
		return;
	cairo_set_dash(c->cr, dash, 2, 0);
	cairo_set_line_width(c->cr, 0.8);
	for (size_t k = 0; k < c->r->nlevels; k++) {
		double p = c->r->min_percents[k], x = x0 + w * fmax(0, fmin(100, p)) / 100;
		if (p <= 0)
			continue;
		rep_color(c, c->st->accent, 1);
		cairo_move_to(c->cr, x, y0 - 16);
		cairo_line_to(c->cr, x, y0 + h);
		cairo_stroke(c->cr);
		rep_text(c, c->r->levels[k], &f, x - 30, y0 - 27, 60, REP_CENTER, 1);
	}
	cairo_set_dash(c->cr, NULL, 0, 0);
}

static void histogram(book *b)
{
	rep_ctx *c = b->c;
	rep_font f = {c->st->sans, 7.5, 0, 0, 0};
	rep_font fb = {c->st->sans, 7.5, 1, 0, 0};
	size_t bins[10] = {0}, max = 0;
	double x0 = MARGIN + 10, w = WIDTH - 20, h = 150, bw = w / 10;
	char num[32];
	for (size_t i = 0; i < c->r->ntowns; i++) {
		const rep_town *t = &c->r->towns[i];
		if (!t->usable || t->status != REP_SCORED || !t->has_score)
			continue;
		int k = (int)floor(fmax(0, fmin(99.999, t->percent)) / 10);
		bins[k]++;
	}
	for (int k = 0; k < 10; k++)
		max = bins[k] > max ? bins[k] : max;
	stat_title(b, t_(b, "Distribution of scores (percent of the points)"));
	double y0 = b->y + 34;
	thresholds(b, x0, y0, w, h);
	for (int k = 0; k < 10; k++) {
		double bh = max ? h * (double)bins[k] / (double)max : 0;
		rep_color(c, c->st->primary, 0.85);
		cairo_rectangle(c->cr, x0 + k * bw + 3, y0 + h - bh, bw - 6, bh);
		cairo_fill(c->cr);
		if (!bins[k])
			continue;
		snprintf(num, sizeof num, "%zu", bins[k]);
		rep_color(c, c->st->ink, 1);
		rep_text(c, num, &fb, x0 + k * bw, y0 + h - bh - 11, bw, REP_CENTER, 1);
	}
	rep_color(c, c->st->ink, 1);
	cairo_set_line_width(c->cr, 0.8);
	cairo_move_to(c->cr, x0, y0 + h);
	cairo_line_to(c->cr, x0 + w, y0 + h);
	cairo_stroke(c->cr);
	rep_color(c, c->st->muted, 1);
	for (int k = 0; k <= 10; k++) {
		snprintf(num, sizeof num, "%d", k * 10);
		rep_text(c, num, &f, x0 + k * bw - 15, y0 + h + 3, 30, REP_CENTER, 1);
	}
	b->y = y0 + h + 18;
}

static void statistics(book *b)
{
	const pal_doc_results *r = b->c->r;
	size_t st[3] = {0, 0, 0}, *lv = calloc(r->nlevels + 1, sizeof *lv);
	rep_font f = {b->c->st->serif, 24, 1, 0, 0.3};
	if (!lv) {
		out_of_memory(b);
		return;
	}
	for (size_t i = 0; i < r->ntowns; i++) {
		const rep_town *t = &r->towns[i];
		if (!t->usable)
			continue;
		st[t->status == REP_SCORED ? 0 : t->status == REP_PENDING ? 1 : 2]++;
		if (t->status == REP_SCORED && t->level >= 0 && (size_t)t->level <= r->nlevels)
			lv[t->level]++;
	}
	new_page(b);
	if (!b->stop) {
		rep_color(b->c, b->c->st->primary, 1);
		b->y += rep_text(b->c, t_(b, "Statistics"), &f, MARGIN, b->y, WIDTH, REP_LEFT, 1) + 6;
		summary_line(b, st);
		level_stats(b, lv);
		need(b, 40 + 20 * (double)r->nmentions);
		mention_stats(b);
		need(b, 245);
		if (!b->stop)
			histogram(b);
	}
	free(lv);
}

int rep_booklet(rep_ctx *c)
{
	book b = {c, TOP, 0, 0};
	cover(&b);
	laureates(&b);
	if (!b.stop)
		statistics(&b);
	end_page(&b);
	return c->stop;
}
