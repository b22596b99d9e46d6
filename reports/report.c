/*
 * Feedback report (SPEC §8): one or more A4 portrait pages per dossier —
 * the town, its score, level and rank; a table of categories with a bar per
 * category; every criterion with its answer, points and notes; the jury's
 * marks and comments; what is missing for the next level.
 *
 * The report flows down the page through a cursor (struct flow): each block
 * is laid out first, then placed where it fits, starting a new page (with
 * the repeated header and the footer) when it does not. To print "page k / n"
 * the report is laid out twice: once on a throwaway 1x1 surface to count its
 * pages, then for real. Both passes run the same code, so they agree.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define MARGIN 50.0
#define TOP 62.0
#define BOTTOM 792.0
#define WIDTH (REP_A4_W - 2 * MARGIN)

typedef struct flow {
	rep_ctx *c;
	const rep_town *t;
	double y;
	int page, total; /* total 0 during the counting pass */
	int stop;
} flow;

static const char *t_(const flow *f, const char *msgid)
{
	return rep_tr(f->c, msgid);
}

static void percent(const rep_ctx *c, double v, char *buf, size_t len)
{
	char n[48];
	rep_num(c, v, 2, n, sizeof n);
	/* French sets a narrow no-break space before the percent sign. */
	snprintf(buf, len, strncmp(c->lang, "fr", 2) == 0 ? "%s\u202f%%" : "%s%%", n);
}

static void header_footer(flow *f)
{
	rep_ctx *c = f->c;
	const rep_style *st = c->st;
	rep_font f_head = {st->sans, 7.5, 1, 0, 1.2};
	rep_font f_foot = {st->sans, 7.5, 0, 0, 0};
	char line[512], pg[64];
	const char *label = rep_pick(c, st->label.n ? &st->label : &c->r->label);
	char *up = g_utf8_strup(label ? label : "", -1);
	rep_color(c, st->primary, 1);
	cairo_rectangle(c->cr, 0, 0, c->w, 5);
	cairo_fill(c->cr);
	snprintf(line, sizeof line, "%s \u00b7 %ld", up, c->r->edition);
	g_free(up);
	rep_text(c, line, &f_head, MARGIN, 24, WIDTH * 0.68, REP_LEFT, 1);
	rep_color(c, st->muted, 1);
	rep_text(c, t_(f, "Feedback report"), &f_foot, MARGIN + WIDTH * 0.7, 24, WIDTH * 0.3, REP_RIGHT, 1);
	rep_color(c, st->accent, 1);
	cairo_set_line_width(c->cr, 0.8);
	cairo_move_to(c->cr, MARGIN, 40);
	cairo_line_to(c->cr, c->w - MARGIN, 40);
	cairo_move_to(c->cr, MARGIN, BOTTOM + 12);
	cairo_line_to(c->cr, c->w - MARGIN, BOTTOM + 12);
	cairo_stroke(c->cr);
	rep_color(c, st->muted, 1);
	if (f->t->id[0])
		snprintf(line, sizeof line, "%s \u00b7 %s", f->t->name, f->t->id);
	else
		snprintf(line, sizeof line, "%s", f->t->name);
	rep_text(c, line, &f_foot, MARGIN, BOTTOM + 18, WIDTH * 0.75, REP_LEFT, 1);
	if (f->total)
		snprintf(pg, sizeof pg, t_(f, "page %d / %d"), f->page, f->total);
	else
		snprintf(pg, sizeof pg, t_(f, "page %d / %d"), f->page, 99);
	rep_text(c, pg, &f_foot, MARGIN + WIDTH * 0.75, BOTTOM + 18, WIDTH * 0.25, REP_RIGHT, 1);
}

static void new_page(flow *f)
{
	if (f->page > 0 && f->total && rep_page_end(f->c))
		f->stop = 1;
	f->page++;
	f->y = TOP;
	header_footer(f);
}

/* Makes room for h points: a new page when the block would cross the bottom. */
static void need(flow *f, double h)
{
	if (f->y + h > BOTTOM && f->y > TOP)
		new_page(f);
}

static void section(flow *f, const char *title)
{
	rep_font font = {f->c->st->serif, 15, 1, 0, 0.3};
	need(f, 60); /* a title never ends a page alone */
	f->y += 10;
	rep_color(f->c, f->c->st->primary, 1);
	f->y += rep_text(f->c, title, &font, MARGIN, f->y, WIDTH, REP_LEFT, 2);
	rep_color(f->c, f->c->st->accent, 1);
	cairo_rectangle(f->c->cr, MARGIN, f->y + 2, 36, 1.6);
	cairo_fill(f->c->cr);
	f->y += 10;
}

static void title_block(flow *f)
{
	rep_ctx *c = f->c;
	const rep_town *t = f->t;
	rep_font f_name = {c->st->serif, 28, 1, 0, 0};
	rep_font f_meta = {c->st->sans, 8.5, 0, 0, 0};
	char meta[512], pop[48];
	double size, w, h;
	PangoLayout *l = rep_fit_title(c, t->name, &f_name, 18, WIDTH, 60, REP_LEFT, &size);
	rep_layout_size(l, &w, &h);
	rep_color(c, c->st->primary, 1);
	rep_show(c, l, MARGIN, f->y);
	g_object_unref(l);
	f->y += fmin(h, 60) + 2;
	int n = t->id[0] ? snprintf(meta, sizeof meta, t_(f, "Town %s"), t->id)
	                 : snprintf(meta, sizeof meta, "%s", t_(f, "No town id in the dossier"));
	if (t->has_population && n > 0 && (size_t)n < sizeof meta) {
		rep_int_grouped(c, t->population, pop, sizeof pop);
		n += snprintf(meta + n, sizeof meta - (size_t)n, " \u00b7 %s %s", pop, t_(f, "inhabitants"));
	}
	if (t->department && n > 0 && (size_t)n < sizeof meta)
		snprintf(meta + n, sizeof meta - (size_t)n, " \u00b7 %s %s", t_(f, "department"), t->department);
	rep_color(c, c->st->muted, 1);
	f->y += rep_text(c, meta, &f_meta, MARGIN, f->y, WIDTH, REP_LEFT, 1) + 14;
}

/* A summary card: a small caption, a large value, a line below. */
static void card(flow *f, double x, double w, const char *caption, const char *value, const char *below,
                 int accent)
{
	rep_ctx *c = f->c;
	rep_font f_cap = {c->st->sans, 7, 1, 0, 1.2};
	rep_font f_val = {c->st->serif, 24, 1, 0, 0.5};
	rep_font f_below = {c->st->sans, 7.5, 0, 0, 0};
	double size, tw, th;
	rep_color(c, c->st->primary, 0.05);
	rep_rounded_rect(c->cr, x, f->y, w, 78, 6);
	cairo_fill(c->cr);
	rep_color(c, accent ? c->st->accent : c->st->primary, 1);
	cairo_rectangle(c->cr, x, f->y + 8, 2.5, 62);
	cairo_fill(c->cr);
	char *up = g_utf8_strup(caption, -1);
	rep_color(c, c->st->muted, 1);
	rep_text(c, up, &f_cap, x + 14, f->y + 9, w - 22, REP_LEFT, 1);
	g_free(up);
	PangoLayout *l = rep_fit_title(c, value, &f_val, 12, w - 22, 32, REP_LEFT, &size);
	rep_layout_size(l, &tw, &th);
	rep_color(c, accent ? c->st->accent : c->st->primary, 1);
	rep_show(c, l, x + 14, f->y + 22 + (32 - fmin(th, 32)) / 2);
	g_object_unref(l);
	rep_color(c, c->st->ink, 1);
	rep_text(c, below, &f_below, x + 14, f->y + 54, w - 22, REP_LEFT, 2);
}

static size_t ranked(const pal_doc_results *r)
{
	size_t n = 0;
	for (size_t i = 0; i < r->ntowns; i++)
		n += r->towns[i].status == REP_SCORED && r->towns[i].rank > 0;
	return n;
}

static void cards(flow *f)
{
	rep_ctx *c = f->c;
	const rep_town *t = f->t;
	char score[64], pts[128], a[48], b[48], lv[128], rk[48], rk2[96];
	double gap = 12, w = (WIDTH - 2 * gap) / 3;
	need(f, 90);
	if (t->has_score) {
		percent(c, t->percent, score, sizeof score);
		rep_num(c, t->points, 2, a, sizeof a);
		rep_num(c, t->max, 2, b, sizeof b);
		snprintf(pts, sizeof pts, t_(f, "%s of %s points"), a, b);
	} else {
		snprintf(score, sizeof score, "\u2014");
		snprintf(pts, sizeof pts, "%s", t_(f, "not scored"));
	}
	card(f, MARGIN, w, t_(f, "Score"), score, pts, 0);
	if (t->status == REP_SCORED && t->level >= 1)
		snprintf(lv, sizeof lv, t_(f, "level %d of %zu"), t->level, c->r->nlevels);
	else
		snprintf(lv, sizeof lv, "%s", t->status == REP_SCORED ? t_(f, "not labelled")
		                              : t->status == REP_PENDING ? t_(f, "pending: no level yet")
		                                                         : t_(f, "invalid dossier"));
	card(f, MARGIN + w + gap, w, t_(f, "Level"), t->level >= 1 ? t->level_name : "\u2014", lv, 1);
	if (t->rank > 0) {
		snprintf(rk, sizeof rk, "%ld", t->rank);
		snprintf(rk2, sizeof rk2, t_(f, "out of %zu ranked dossiers"), ranked(c->r));
	} else {
		snprintf(rk, sizeof rk, "\u2014");
		snprintf(rk2, sizeof rk2, "%s", t_(f, "not ranked"));
	}
	card(f, MARGIN + 2 * (w + gap), w, t_(f, "Rank"), rk, rk2, 0);
	f->y += 90;
}

/* A wrapped paragraph at indent, kept whole on a page (at most 12 lines). */
static void para(flow *f, const char *text, const rep_font *font, const double rgb[3], double indent)
{
	double h;
	PangoLayout *l = rep_layout(f->c, text, font, WIDTH - indent, REP_LEFT, 12);
	rep_layout_size(l, NULL, &h);
	need(f, h);
	rep_color(f->c, rgb, 1);
	rep_show(f->c, l, MARGIN + indent, f->y);
	g_object_unref(l);
	f->y += h + 3;
}

static void notices(flow *f)
{
	rep_ctx *c = f->c;
	const rep_town *t = f->t;
	rep_font body = {c->st->sans, 9, 0, 0, 0};
	rep_font bold = {c->st->sans, 9, 1, 0, 0};
	char line[1024];
	if (t->nmentions) {
		int n = snprintf(line, sizeof line, "%s ", t_(f, "Mentions awarded:"));
		for (size_t i = 0; i < t->nmentions && n > 0 && (size_t)n < sizeof line; i++) {
			const rep_mention *me = rep_mention_find(c->r, t->mentions[i]);
			const char *name = me ? rep_pick(c, &me->name) : t->mentions[i];
			n += snprintf(line + n, sizeof line - (size_t)n, "%s\u2605 %s", i ? "   " : "", name);
		}
		para(f, line, &bold, c->st->accent, 0);
	}
	if (t->overridden) {
		snprintf(line, sizeof line, t_(f, "Level decided by the jury (computed level: %d). Reason: %s"),
		         t->computed_level, t->override_reason ? t->override_reason : "\u2014");
		para(f, line, &body, c->st->ink, 0);
	}
	if (t->status == REP_PENDING)
		para(f, t_(f, "This dossier is pending: some jury marks are still missing, so it has no level "
		              "and no rank yet. The scores below use the marks received so far."),
		     &body, c->st->ink, 0);
	if (t->status == REP_INVALID)
		para(f, t_(f, "This dossier is invalid: it could not be scored. The errors below must be "
		              "corrected before the next submission."),
		     &body, c->st->ink, 0);
	if (t->previous_level >= 0) {
		snprintf(line, sizeof line, t_(f, "Level in the previous edition: %d"), t->previous_level);
		para(f, line, &body, c->st->muted, 0);
	}
	f->y += 4;
}

static const char *cat_title(const flow *f, const char *id)
{
	const rep_i18n *t = rep_cat_title(f->c->r, id);
	const char *s = t ? rep_pick(f->c, t) : NULL;
	return s ? s : id;
}

/* Categories: title, a horizontal bar of the percent, points of max, percent. */
static void categories(flow *f)
{
	rep_ctx *c = f->c;
	rep_font name = {c->st->sans, 9, 0, 0, 0};
	rep_font num = {c->st->sans, 9, 1, 0, 0};
	double col_bar = MARGIN + 236, bar_w = 124, col_pts = col_bar + bar_w + 10, row = 24;
	char a[48], b[48], pts[128], pc[64];
	if (!f->t->ncats)
		return;
	section(f, t_(f, "Results by category"));
	for (size_t i = 0; i < f->t->ncats && !f->stop; i++) {
		const rep_cat *k = &f->t->cats[i];
		need(f, row);
		if (i % 2 == 0) {
			rep_color(c, c->st->primary, 0.035);
			cairo_rectangle(c->cr, MARGIN, f->y, WIDTH, row);
			cairo_fill(c->cr);
		}
		rep_color(c, c->st->ink, 1);
		rep_text(c, cat_title(f, k->id), &name, MARGIN + 6, f->y + 6, 226, REP_LEFT, 1);
		rep_color(c, c->st->primary, 0.12);
		rep_rounded_rect(c->cr, col_bar, f->y + 7, bar_w, 10, 5);
		cairo_fill(c->cr);
		double frac = fmax(0, fmin(1, k->percent / 100));
		rep_color(c, c->st->primary, 1);
		if (frac > 0) {
			rep_rounded_rect(c->cr, col_bar, f->y + 7, fmax(10, bar_w * frac), 10, 5);
			cairo_fill(c->cr);
		}
		rep_num(c, k->points, 2, a, sizeof a);
		rep_num(c, k->max, 2, b, sizeof b);
		snprintf(pts, sizeof pts, "%s / %s", a, b);
		percent(c, k->percent, pc, sizeof pc);
		rep_color(c, c->st->ink, 1);
		rep_text(c, pts, &name, col_pts, f->y + 6, 70, REP_RIGHT, 1);
		rep_text(c, pc, &num, col_pts + 74, f->y + 6, MARGIN + WIDTH - col_pts - 80, REP_RIGHT, 1);
		f->y += row;
	}
	f->y += 6;
}

static void answer_text(const flow *f, const rep_crit *k, char *buf, size_t len)
{
	char n[64];
	if (k->jury && k->has_aggregate) {
		rep_num(f->c, k->aggregate, 2, n, sizeof n);
		snprintf(buf, len, t_(f, "jury mark %s"), n);
		return;
	}
	switch (k->answer_kind) {
	case REP_ANS_BOOL:
		snprintf(buf, len, "%s", k->answer_bool ? t_(f, "yes") : t_(f, "no"));
		break;
	case REP_ANS_NUMBER:
		rep_num(f->c, k->answer_num, 2, buf, len);
		break;
	case REP_ANS_TEXT:
		snprintf(buf, len, "%s", k->answer_text ? k->answer_text : "");
		break;
	case REP_ANS_NA:
		snprintf(buf, len, "%s", t_(f, "not applicable"));
		break;
	default:
		snprintf(buf, len, "%s", k->jury ? t_(f, "no mark yet") : t_(f, "not answered"));
	}
}

static const char *crit_title(const flow *f, const rep_crit *k)
{
	const char *s = k->title.n ? rep_pick(f->c, &k->title) : NULL;
	const rep_i18n *t = s ? NULL : rep_crit_title(f->c->r, k->id);
	s = s ? s : t ? rep_pick(f->c, t) : NULL;
	return s ? s : k->id;
}

/* The first line of a criterion: title, answer, points of max and a small bar. */
static void crit_row(flow *f, const rep_crit *k)
{
	rep_ctx *c = f->c;
	rep_font name = {c->st->sans, 8.5, 1, 0, 0};
	rep_font body = {c->st->sans, 8.5, 0, 0, 0};
	char ans[1024], a[48], b[48], pts[128];
	double h1, h2, x_ans = MARGIN + 205, x_pts = MARGIN + 370, x_bar = MARGIN + 445;
	double alpha = k->applicable ? 1 : 0.55;
	answer_text(f, k, ans, sizeof ans);
	PangoLayout *lt = rep_layout(c, crit_title(f, k), &name, 195, REP_LEFT, 3);
	PangoLayout *la = rep_layout(c, ans, &body, 155, REP_LEFT, 3);
	rep_layout_size(lt, NULL, &h1);
	rep_layout_size(la, NULL, &h2);
	need(f, fmax(h1, h2) + 6);
	rep_color(c, c->st->ink, alpha);
	rep_show(c, lt, MARGIN + 6, f->y);
	rep_show(c, la, x_ans, f->y);
	g_object_unref(lt);
	g_object_unref(la);
	if (k->has_score && k->applicable) {
		rep_num(c, k->points, 2, a, sizeof a);
		rep_num(c, k->max, 2, b, sizeof b);
		snprintf(pts, sizeof pts, "%s / %s", a, b);
		rep_text(c, pts, &body, x_pts, f->y, 68, REP_RIGHT, 1);
		rep_color(c, c->st->accent, 0.2);
		cairo_rectangle(c->cr, x_bar, f->y + 3.5, MARGIN + WIDTH - x_bar, 5);
		cairo_fill(c->cr);
		rep_color(c, c->st->accent, 1);
		cairo_rectangle(c->cr, x_bar, f->y + 3.5, (MARGIN + WIDTH - x_bar) * fmax(0, fmin(1, k->fraction)), 5);
		cairo_fill(c->cr);
	}
	f->y += fmax(h1, h2) + 3;
}

static void crit_details(flow *f, const rep_crit *k)
{
	rep_ctx *c = f->c;
	rep_font note = {c->st->sans, 7.8, 0, 1, 0};
	rep_font mark = {c->st->serif, 9.5, 0, 1, 0};
	char line[1400], n[48];
	for (size_t i = 0; i < k->nnotes && !f->stop; i++) {
		snprintf(line, sizeof line, "\u2192 %s", rep_tr(c, k->notes[i]));
		para(f, line, &note, c->st->muted, 14);
	}
	for (size_t i = 0; i < k->nmarks && !f->stop; i++) {
		const rep_mark *m = &k->marks[i];
		if (m->has_mark)
			rep_num(c, m->mark, 2, n, sizeof n);
		else
			snprintf(n, sizeof n, "\u2014");
		if (m->comment && *m->comment)
			snprintf(line, sizeof line, t_(f, "%s (%s): \u201c%s\u201d"), m->juror, n, m->comment);
		else
			snprintf(line, sizeof line, t_(f, "%s (%s)"), m->juror, n);
		para(f, line, &mark, c->st->ink, 14);
	}
	if (k->disagreement)
		para(f, t_(f, "The jurors' marks differ widely: this criterion goes to deliberation."), &note,
		     c->st->accent, 14);
	f->y += 4;
	rep_color(c, c->st->primary, 0.12);
	cairo_rectangle(c->cr, MARGIN, f->y - 2, WIDTH, 0.5);
	cairo_fill(c->cr);
	f->y += 3;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Criteria grouped by category, in the order categories first appear. */
static void criteria(flow *f)
{
	rep_font group = {f->c->st->sans, 8, 1, 0, 1.2};
	const rep_town *t = f->t;
	if (!t->ncrits)
		return;
	section(f, t_(f, "Criteria in detail"));
	for (size_t i = 0; i < t->ncrits && !f->stop; i++) {
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = same(t->crits[j].category, t->crits[i].category);
		if (seen)
			continue;
		const char *cat = t->crits[i].category;
		char *up = g_utf8_strup(cat ? cat_title(f, cat) : t_(f, "Other criteria"), -1);
		need(f, 44);
		f->y += 4;
		para(f, up, &group, f->c->st->primary, 0);
		g_free(up);
		for (size_t j = i; j < t->ncrits && !f->stop; j++) {
			if (!same(t->crits[j].category, cat))
				continue;
			crit_row(f, &t->crits[j]);
			crit_details(f, &t->crits[j]);
		}
	}
}

static void next_level(flow *f)
{
	rep_ctx *c = f->c;
	const rep_town *t = f->t;
	rep_font body = {c->st->sans, 9.5, 0, 0, 0};
	char line[1024], pc[64], pts[64];
	if (t->status != REP_SCORED)
		return;
	section(f, t_(f, "To reach the next level"));
	if (!t->has_next) {
		para(f, t_(f, "This dossier has reached the highest level of the label. Congratulations!"), &body,
		     c->st->ink, 0);
		return;
	}
	percent(c, t->next_min_percent, pc, sizeof pc);
	rep_num(c, t->next_missing, 2, pts, sizeof pts);
	snprintf(line, sizeof line, t_(f, "Next level: %s (level %d), from %s of the points."),
	         t->next_name ? t->next_name : "", t->next_level, pc);
	para(f, line, &body, c->st->ink, 0);
	if (t->next_missing > 0)
		snprintf(line, sizeof line, t_(f, "Points still missing: %s."), pts);
	else
		snprintf(line, sizeof line, "%s", t_(f, "The score is already high enough."));
	para(f, line, &body, c->st->ink, 0);
	for (size_t i = 0; i < t->nunmet; i++) {
		long lv = t->unmet[i];
		double mp = c->r->min_percents ? c->r->min_percents[lv - 1] : -1;
		snprintf(line, sizeof line, t_(f, "The condition of level %ld (%s) is not met yet."), lv,
		         c->r->levels[lv - 1]);
		(void)mp;
		para(f, line, &body, c->st->accent, 0);
	}
}

/*
 * Messages for the town (issue 13, item 22): the results' structured form of
 * each message ("messages", docs/results.md), worded here in the report's
 * language about the town's answers, without the organizer's file names.
 * Every code the engine writes has its sentence here (checklist: engine/
 * results.c, write_messages()); a message without a known code is shown as
 * its text, which has no position.
 */

/* The criterion's option ids, joined by ", ". */
static void options_text(const rep_message *g, char *opts, size_t len)
{
	size_t o = 0;
	opts[0] = '\0';
	for (size_t i = 0; i < g->noptions && o + 1 < len; i++) {
		int w = snprintf(opts + o, len - o, "%s%s", i ? ", " : "", g->options[i]);
		if (w < 0)
			break;
		o += (size_t)w < len - o ? (size_t)w : len - o - 1;
	}
}

/* What an answer of this kind must be, in the report's language. */
static void expected_text(const flow *f, const rep_message *g, char *buf, size_t len)
{
	char opts[600];
	options_text(g, opts, sizeof opts);
	const char *k = g->kind ? g->kind : "";
	int json = g->extra && strcmp(g->extra, "json") == 0; /* a JSON dossier's answer: typed values */
	if (strcmp(k, "yes-no") == 0)
		snprintf(buf, len, "%s", json ? t_(f, "true or false") : t_(f, "yes or no"));
	else if (strcmp(k, "number") == 0)
		snprintf(buf, len, "%s", json ? t_(f, "a JSON number \u2265 0") : t_(f, "a number \u2265 0"));
	else if (strcmp(k, "percent") == 0)
		snprintf(buf, len, "%s", json ? t_(f, "a JSON number from 0 to 100") : t_(f, "a percentage from 0 to 100"));
	else if (strcmp(k, "choice") == 0)
		snprintf(buf, len, t_(f, "one of: %s"), opts);
	else if (strcmp(k, "multi") == 0 && json)
		snprintf(buf, len, t_(f, "a list of answers among %s"), opts);
	else if (strcmp(k, "multi") == 0)
		snprintf(buf, len, t_(f, "answers among %s, separated by \u201c|\u201d"), opts);
	else
		snprintf(buf, len, "%s", t_(f, "a text"));
}

/* The titles of a list of criterion ids ("a, b"), quoted, in the report's language. */
static void titles_text(const flow *f, const char *ids, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	while (ids && *ids && o + 1 < len) {
		size_t n = strcspn(ids, ",");
		char id[128];
		snprintf(id, sizeof id, "%.*s", (int)n, ids);
		const rep_i18n *t = rep_crit_title(f->c->r, id);
		const char *title = t ? rep_pick(f->c, t) : NULL;
		int w = snprintf(buf + o, len - o, t_(f, "%s\u201c%s\u201d"), o ? ", " : "", title ? title : id);
		if (w < 0)
			break;
		o += (size_t)w < len - o ? (size_t)w : len - o - 1;
		ids += n;
		while (*ids == ',' || *ids == ' ')
			ids++;
	}
}

/* The sentence of a coded message into buf; 0 when it has none (the text is shown), -1 to leave it out. */
static int coded(const flow *f, const rep_message *g, char *buf, size_t len)
{
	const char *code = g->code, *v = g->value ? g->value : "", *x = g->extra;
	const rep_i18n *ti = g->criterion ? rep_crit_title(f->c->r, g->criterion) : NULL;
	const char *title = ti ? rep_pick(f->c, ti) : NULL;
	char more[800];
	if (!code)
		return 0;
	if (!title)
		title = g->criterion ? g->criterion : "";
	/* The organizer's own files (jurors' marks, overrides): their messages are not the town's. */
	if (!strcmp(code, "mark-ignored") || !strcmp(code, "mark-rejected") || !strcmp(code, "override-ignored"))
		return -1;
	if (!strcmp(code, "invalid-answer")) {
		expected_text(f, g, more, sizeof more);
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: \u201c%s\u201d is not accepted, expected %s"),
		         title, v, more);
	} else if (!strcmp(code, "unknown-option") && x && *x) {
		options_text(g, more, sizeof more);
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: \u201c%s\u201d is not one of its answers "
		                         "(did you mean \u201c%s\u201d?), expected one of: %s"), title, v, x, more);
	} else if (!strcmp(code, "unknown-option")) {
		options_text(g, more, sizeof more);
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: \u201c%s\u201d is not one of its answers, "
		                         "expected one of: %s"), title, v, more);
	} else if (!strcmp(code, "option-separator") && x && !strcmp(x, "list")) {
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: \u201c%s\u201d holds several answers in "
		                         "one text: write each answer as its own text in the list"), title, v);
	} else if (!strcmp(code, "option-separator")) {
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: in \u201c%s\u201d, separate the answers "
		                         "with \u201c|\u201d, not \u201c%s\u201d"), title, v, x ? x : "");
	} else if (!strcmp(code, "na-refused")) {
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: this criterion cannot be answered "
		                         "\u201cnot applicable\u201d"), title);
	} else if (!strcmp(code, "jury-answer")) {
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: this criterion is marked by the jury, "
		                         "not by the town"), title);
	} else if (!strcmp(code, "not-applicable-ignored")) {
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d ignored: this criterion does not apply to your town"),
		         title);
	} else if (!strcmp(code, "unanswered")) {
		titles_text(f, x, more, sizeof more);
		snprintf(buf, len, t_(f, "Unanswered, scored 0: %s"), more);
	} else if (!strcmp(code, "unknown-criterion") && x) {
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: the rubric has no such criterion (did you "
		                         "mean \u201c%s\u201d?)"), v, x);
	} else if (!strcmp(code, "unknown-criterion")) {
		snprintf(buf, len, t_(f, "Answer to \u201c%s\u201d refused: the rubric has no such criterion"), v);
	} else if (!strcmp(code, "unknown-column")) {
		snprintf(buf, len, t_(f, "Column \u201c%s\u201d not read: it is not a criterion of the rubric "
		                         "(value \u201c%s\u201d)"), x ? x : "", v);
	} else if (!strcmp(code, "unnamed-column")) {
		snprintf(buf, len, t_(f, "Value \u201c%s\u201d in column %s not read: the column has no name"), v,
		         x ? x : "?");
	} else if (!strcmp(code, "evidence-not-text")) {
		snprintf(buf, len, t_(f, "Evidence for \u201c%s\u201d refused: expected a text"), title);
	} else if (!strcmp(code, "missing-town-id")) {
		snprintf(buf, len, "%s", t_(f, "The dossier does not give the town id: add it"));
	} else if (!strcmp(code, "missing-town-name")) {
		snprintf(buf, len, "%s", t_(f, "The dossier does not give the town name: add it"));
	} else if (!strcmp(code, "population-invalid") && x) {
		snprintf(buf, len, t_(f, "Population refused: \u201c%s\u201d is not a whole number; if its dot or comma "
		                         "separates the thousands, write %s"), v, x);
	} else if (!strcmp(code, "population-invalid")) {
		snprintf(buf, len, t_(f, "Population refused: \u201c%s\u201d is not a number \u2265 0"), v);
	} else if (!strcmp(code, "duplicate-town")) {
		snprintf(buf, len, t_(f, "Town %s was submitted twice: the organizer will decide which dossier "
		                         "stands"), v);
	} else if (!strcmp(code, "rule-failed")) {
		snprintf(buf, len, "%s", t_(f, "This dossier could not be scored: a rule of the rubric failed; the "
		                               "organizer has been told"));
	} else if (!strcmp(code, "attribute-ignored")) {
		snprintf(buf, len, t_(f, "Town field \u201c%s\u201d ignored: expected a text or a number"), v);
	} else if (!strcmp(code, "unknown-field")) {
		snprintf(buf, len, t_(f, "Field \u201c%s\u201d ignored: dossiers have no such field"), v);
	} else if (!strcmp(code, "answers-not-object")) {
		snprintf(buf, len, "%s", !strcmp(v, "evidence")
		                             ? t_(f, "The evidence could not be read: expected criteria and their texts")
		                             : t_(f, "The answers could not be read: expected criteria and their answers"));
	} else if (!strcmp(code, "row-width") && x && strtol(v, NULL, 10) > strtol(x, NULL, 10)) {
		snprintf(buf, len, t_(f, "The dossier could not be read: its row has %s cells where the header has "
		                         "%s; an answer holding the separator must be put in quotes"), v, x);
	} else if (!strcmp(code, "row-width") && x) {
		snprintf(buf, len, t_(f, "The dossier could not be read: its row has %s cells where the header has "
		                         "%s; every cell is needed, empty ones too"), v, x);
	} else if (!strcmp(code, "decimal-comma")) {
		snprintf(buf, len, t_(f, "The dossier could not be read: its number \u201c%s\u201d was split in two "
		                         "cells at its decimal comma; write %s"), v, x ? x : "");
	} else if (!strcmp(code, "row-refused")) {
		snprintf(buf, len, "%s", t_(f, "The dossier could not be read: its row is malformed (its cells or "
		                               "quotes); the organizer has the details"));
	} else if (!strcmp(code, "malformed-json")) {
		snprintf(buf, len, "%s", t_(f, "The dossier could not be read: its JSON is malformed; the organizer "
		                               "has the details"));
	} else if (!strcmp(code, "not-a-dossier")) {
		snprintf(buf, len, "%s", t_(f, "This entry is not a dossier"));
	} else if (!strcmp(code, "wrong-format")) {
		snprintf(buf, len, t_(f, "The dossier's format is %s, expected \u201cpalmares-dossier/1\u201d"), v);
	} else if (!strcmp(code, "wrong-rubric")) {
		snprintf(buf, len, t_(f, "This dossier was filled in for rubric %s, not \u201c%s\u201d"), v, x ? x : "");
	} else {
		return 0;
	}
	return 1;
}

/* Older results' message without the "town ID "NAME"" its report already says, as the engine's text. */
static const char *untowned(const rep_town *t, const char *s)
{
	size_t il = strlen(t->id), nl = strlen(t->name);
	if (strncmp(s, "town ", 5) != 0 || strncmp(s + 5, t->id, il) != 0 || strncmp(s + 5 + il, " \"", 2) != 0 ||
	    strncmp(s + 7 + il, t->name, nl) != 0 || s[7 + il + nl] != '"')
		return s;
	s += 8 + il + nl;
	return (s[0] == ',' || s[0] == ':') && s[1] == ' ' ? s + 2 : s - 8 - il - nl;
}

/* A message of older results (errors[], warnings[]): without its "FILE:LINE[:COL]: ". */
static const char *unplaced(const char *s)
{
	for (const char *p = strchr(s, ':'); p; p = strchr(p + 1, ':')) {
		const char *q = p + 1;
		if (*q < '0' || *q > '9')
			continue;
		while (*q >= '0' && *q <= '9')
			q++;
		if (*q == ':' && q[1] >= '0' && q[1] <= '9')
			for (q++; *q >= '0' && *q <= '9'; q++)
				;
		if (q[0] == ':' && q[1] == ' ')
			return q + 2;
	}
	return s;
}

static void message_list(flow *f, int errors)
{
	rep_ctx *c = f->c;
	rep_font body = {c->st->sans, 8, 0, 0, 0};
	const rep_town *t = f->t;
	char line[1400], text[1200];
	int titled = 0;
	size_t n = t->has_msgs ? t->nmsgs : errors ? t->nerrors : t->nwarnings;
	for (size_t i = 0; i < n && !f->stop; i++) {
		const char *shown;
		if (t->has_msgs) {
			const rep_message *g = &t->msgs[i];
			if (g->error != errors)
				continue;
			int k = coded(f, g, text, sizeof text);
			if (k < 0)
				continue;
			shown = k ? text : g->text;
		} else {
			shown = untowned(t, unplaced(errors ? t->errors[i] : t->warnings[i]));
		}
		if (!titled) {
			section(f, errors ? t_(f, "Errors in the dossier") : t_(f, "Warnings"));
			titled = 1;
		}
		snprintf(line, sizeof line, errors ? "\u2716 %s" : "\u2022 %s", shown);
		para(f, line, &body, errors ? c->st->ink : c->st->muted, 0);
	}
}

static void messages(flow *f)
{
	message_list(f, 1);
	message_list(f, 0);
}

static void run(flow *f)
{
	new_page(f);
	title_block(f);
	cards(f);
	notices(f);
	if (!f->stop)
		categories(f);
	if (!f->stop)
		next_level(f);
	if (!f->stop)
		criteria(f);
	if (!f->stop)
		messages(f);
}

int rep_report(rep_ctx *c, const rep_town *t)
{
	/* Pass 1: count the pages on a throwaway surface. */
	cairo_surface_t *dummy = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
	cairo_t *real = c->cr, *cr = cairo_create(dummy);
	flow f = {c, t, TOP, 0, 0, 0};
	c->cr = cr;
	run(&f);
	c->cr = real;
	cairo_destroy(cr);
	cairo_surface_destroy(dummy);
	/* Pass 2: for real, with the total known. */
	flow g = {c, t, TOP, 0, f.page, 0};
	run(&g);
	if (!g.stop)
		rep_page_end(c);
	return c->stop;
}
