/*
 * Certificate (SPEC §8): one A4 landscape page per labelled town.
 *
 * The page is two layers. The stationery — paper, double border, guilloche
 * band, corner rosettes, divider, laurels, seal, and the texts that do not
 * depend on the town (label, edition, heading, date, signatures) — is the
 * same on every page of a job: it is drawn once into a recording surface and
 * painted on each page, so a PDF of 5,000 certificates holds it once as a
 * form XObject. The town's layer (name, level, mentions, code, QR code) is
 * drawn per page. Every text sits in a fixed box that no other text shares
 * and is fitted inside it (layout.c).
 *
 * Vertical grid (points from the top, page 595 high, frame inner edge 45):
 * label 60, edition 90, divider 118, heading 124-172, "awarded to" 174,
 * town's name 198-274, level and laurels 278-358, mentions 372-422,
 * date 432-450, seal 468-536, signatures 502-545, code 526-545. The frame,
 * laurels and seal are drawn by ornament.c, shared with the booklet.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#ifdef PAL_HAVE_QRENCODE
#include <qrencode.h>
#endif

#include "render.h"

#define INSET_IN REP_FRAME_IN
#define LEVEL_Y 318.0
#define SEAL_Y 502.0

/* A small horizontal ornament: two tapering rules and a diamond. */
static void divider(cairo_t *cr, const rep_style *st, double cx, double y, double half)
{
	cairo_set_source_rgb(cr, st->accent[0], st->accent[1], st->accent[2]);
	for (int side = -1; side <= 1; side += 2) {
		cairo_move_to(cr, cx + side * 9, y - 0.8);
		cairo_line_to(cr, cx + side * half, y);
		cairo_line_to(cr, cx + side * 9, y + 0.8);
		cairo_close_path(cr);
	}
	cairo_move_to(cr, cx, y - 4.5);
	cairo_line_to(cr, cx + 4.5, y);
	cairo_line_to(cr, cx, y + 4.5);
	cairo_line_to(cr, cx - 4.5, y);
	cairo_close_path(cr);
	cairo_fill(cr);
}

static void logo(rep_ctx *c)
{
	double lw = cairo_image_surface_get_width(c->logo), lh = cairo_image_surface_get_height(c->logo);
	double box_w = 110, box_h = 66;
	if (lw <= 0 || lh <= 0)
		return;
	double k = fmin(box_w / lw, box_h / lh);
	cairo_save(c->cr);
	cairo_translate(c->cr, INSET_IN + 14, INSET_IN + 12);
	cairo_scale(c->cr, k, k);
	cairo_set_source_surface(c->cr, c->logo, 0, 0);
	cairo_paint(c->cr);
	cairo_restore(c->cr);
}

static void header(rep_ctx *c)
{
	const rep_style *st = c->st;
	const char *label = rep_pick(c, st->label.n ? &st->label : &c->r->label);
	char *upper = g_utf8_strup(label ? label : "", -1);
	char line[160];
	rep_font f_label = {st->sans, 10.5, 1, 0, 2.4};
	rep_font f_edition = {st->serif, 15, 0, 1, 0.5};
	rep_font f_head = {st->serif, 40, 0, 0, 0.6};
	rep_font f_to = {st->serif, 17, 0, 1, 0};
	double cw = 520, x = (c->w - cw) / 2, size;
	if (c->logo)
		logo(c);
	rep_color(c, st->primary, 1);
	rep_text(c, upper, &f_label, x, 60, cw, REP_CENTER, 2);
	g_free(upper);
	rep_color(c, st->accent, 1);
	snprintf(line, sizeof line, rep_tr(c, "Edition %ld"), c->r->edition);
	rep_text(c, line, &f_edition, x, 90, cw, REP_CENTER, 1);
	rep_color(c, st->primary, 1);
	PangoLayout *l = rep_fit_title(c, rep_pick(c, &st->title) ? rep_pick(c, &st->title)
	                                                          : rep_tr(c, "Certificate of Award"),
	                               &f_head, 26, 640, 48, REP_CENTER, &size);
	rep_show(c, l, (c->w - 640) / 2, 124);
	g_object_unref(l);
	rep_color(c, st->ink, 1);
	rep_text(c, rep_pick(c, &st->awarded_to) ? rep_pick(c, &st->awarded_to) : rep_tr(c, "is awarded to"),
	         &f_to, x, 174, cw, REP_CENTER, 1);
}

/* The town's name, centered vertically in its box whatever its size and lines. */
static void town_name(rep_ctx *c, const rep_town *t)
{
	rep_font f = {c->st->serif, 50, 1, 0, 0};
	double bw = 680, bh = 76, size, tw, th;
	PangoLayout *l = rep_fit_title(c, t->name, &f, 32, bw, bh, REP_CENTER, &size);
	rep_layout_size(l, &tw, &th);
	rep_color(c, c->st->primary, 1);
	rep_show(c, l, (c->w - bw) / 2, 198 + (bh - fmin(th, bh)) / 2);
	g_object_unref(l);
}

typedef void (*stamp_fn)(rep_ctx *c, const void *arg, double w, double h);

/*
 * Draws a w x h piece at x,y through a per-job cache of recordings: pieces
 * that recur across pages (a level's symbols, a mention's ribbon) are
 * recorded once and become one form XObject in the PDF.
 */
static void stamp(rep_ctx *c, const char *key, double x, double y, double w, double h, stamp_fn draw,
                  const void *arg)
{
	cairo_surface_t *s = g_hash_table_lookup(c->stamps, key);
	if (!s) {
		cairo_rectangle_t ext = {0, 0, w, h};
		cairo_t *page = c->cr;
		s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
		c->cr = cairo_create(s);
		draw(c, arg, w, h);
		cairo_destroy(c->cr);
		c->cr = page;
		if (g_hash_table_size(c->stamps) >= 256)
			g_hash_table_remove_all(c->stamps);
		g_hash_table_insert(c->stamps, g_strdup(key), s);
	}
	cairo_set_source_surface(c->cr, s, x, y);
	cairo_paint(c->cr);
}

static void level_piece(rep_ctx *c, const void *arg, double w, double h)
{
	const rep_town *t = arg;
	rep_font f = {c->st->serif, 44, 1, 0, 2};
	rep_font f_small = {c->st->sans, 8.5, 0, 0, 1.6};
	char line[128];
	double size, tw, th, bw = 210;
	PangoLayout *l = rep_fit_title(c, t->level_name, &f, 18, bw, 46, REP_LEFT, &size);
	rep_layout_size(l, &tw, &th);
	rep_color(c, c->st->accent, 1);
	rep_show(c, l, (w - fmin(tw, bw)) / 2, 28 - fmin(th, 46) / 2);
	g_object_unref(l);
	snprintf(line, sizeof line, rep_tr(c, "LEVEL %d OF %zu"), t->level, c->r->nlevels);
	rep_color(c, c->st->muted, 1);
	rep_text(c, line, &f_small, (w - 200) / 2, 55, 200, REP_CENTER, 1);
	(void)h;
}

/* The level's symbols and "level k of n", centered on LEVEL_Y. */
static void level(rep_ctx *c, const rep_town *t)
{
	char key[64];
	snprintf(key, sizeof key, "level:%d", t->level);
	stamp(c, key, (c->w - 220) / 2, LEVEL_Y - 36, 220, 70, level_piece, t);
}

/* A ribbon with forked ends and a stitched edge, text centered. */
static void ribbon_piece(rep_ctx *c, const void *arg, double w, double h)
{
	cairo_t *cr = c->cr;
	PangoLayout *l = (PangoLayout *)arg;
	double tw, th, notch = 7;
	cairo_move_to(cr, 0, 0);
	cairo_line_to(cr, w, 0);
	cairo_line_to(cr, w - notch, h / 2);
	cairo_line_to(cr, w, h);
	cairo_line_to(cr, 0, h);
	cairo_line_to(cr, notch, h / 2);
	cairo_close_path(cr);
	rep_color(c, c->st->primary, 1);
	cairo_fill(cr);
	static const double dash[] = {2.2, 1.6};
	cairo_set_dash(cr, dash, 2, 0);
	cairo_set_line_width(cr, 0.6);
	rep_color(c, c->st->accent, 1);
	cairo_move_to(cr, notch + 2, 2.5);
	cairo_line_to(cr, w - notch - 2, 2.5);
	cairo_move_to(cr, notch + 2, h - 2.5);
	cairo_line_to(cr, w - notch - 2, h - 2.5);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	rep_layout_size(l, &tw, &th);
	cairo_set_source_rgb(cr, 1, 1, 1);
	rep_show(c, l, (w - fmin(tw, w - 34)) / 2, (h - th) / 2);
}

/* Rows that ribbons of widths ws[0..n) take, filled left to right. */
static size_t ribbon_rows(const double *ws, size_t n, double row_w, double gap)
{
	size_t rows = 0;
	for (size_t i = 0; i < n; rows++) {
		double total = ws[i++];
		while (i < n && total + gap + ws[i] <= row_w)
			total += gap + ws[i++];
	}
	return rows;
}

#define MAX_RIBBONS 16

/* Lays out a ribbon's text (owned, unref it); its ribbon's width goes to *w. */
static PangoLayout *ribbon_text(rep_ctx *c, const char *text, const rep_font *f, double *w)
{
	char *up = g_utf8_strup(text, -1);
	char *txt = g_strconcat("\u2605  ", up, "  \u2605", NULL);
	PangoLayout *l = rep_layout(c, txt, f, 290, REP_LEFT, 1);
	double tw;
	g_free(up);
	g_free(txt);
	rep_layout_size(l, &tw, NULL);
	*w = fmin(tw, 290) + 34;
	return l;
}

/*
 * Mentions as ribbons, centered in rows of at most 640 points: two rows at
 * the normal size, else three rows of smaller ribbons. Mentions that still do
 * not fit are counted on a last ribbon ("+ 2 mentions"): a certificate never
 * leaves one out without saying so.
 */
static void mentions(rep_ctx *c, const rep_town *t)
{
	static const struct {
		double size, h, step;
		size_t rows;
		const char *key;
	} sizes[] = {{9.5, 22, 29, 2, "ribbon:"}, {7.5, 15, 19, 3, "ribbon-s:"}};
	PangoLayout *ls[MAX_RIBBONS + 1], *more = NULL;
	double ws[MAX_RIBBONS + 1], row_w = 640, gap = 12;
	size_t n = t->nmentions < MAX_RIBBONS ? t->nmentions : MAX_RIBBONS, k, shown = n;
	rep_font f = {c->st->sans, 9.5, 1, 0, 0.8};
	for (k = 0;; k++) {
		f.size = sizes[k].size;
		for (size_t i = 0; i < n; i++) {
			const rep_mention *me = rep_mention_find(c->r, t->mentions[i]);
			const char *name = me ? rep_pick(c, &me->name) : NULL;
			ls[i] = ribbon_text(c, name ? name : t->mentions[i], &f, &ws[i]);
		}
		if (k + 1 == sizeof sizes / sizeof sizes[0] ||
		    ribbon_rows(ws, n, row_w, gap) <= sizes[k].rows)
			break;
		for (size_t i = 0; i < n; i++)
			g_object_unref(ls[i]);
	}
	if (n < t->nmentions || ribbon_rows(ws, n, row_w, gap) > sizes[k].rows) {
		/* as many as fit beside a "+ N mentions" ribbon */
		char text[64];
		double saved;
		for (shown = n; shown > 0; shown--) {
			snprintf(text, sizeof text, rep_tr(c, "+ %zu mentions"), t->nmentions - (shown - 1));
			more = ribbon_text(c, text, &f, &ws[MAX_RIBBONS]);
			saved = ws[shown - 1];
			ws[shown - 1] = ws[MAX_RIBBONS];
			if (ribbon_rows(ws, shown, row_w, gap) <= sizes[k].rows || shown == 1)
				break;
			ws[shown - 1] = saved;
			g_object_unref(more);
			more = NULL;
		}
		if (more) {
			for (size_t i = shown - 1; i < n; i++)
				g_object_unref(ls[i]);
			ls[shown - 1] = more;
			n = shown;
		}
	}
	for (size_t i = 0, row = 0; i < n && row < sizes[k].rows; row++) {
		size_t j = i;
		double total = ws[j++];
		while (j < n && total + gap + ws[j] <= row_w)
			total += gap + ws[j++];
		double x = (c->w - total) / 2, y = 372 + row * sizes[k].step;
		for (; i < j; i++) {
			char count[32];
			snprintf(count, sizeof count, "+%zu", t->nmentions - i);
			/* the "+ N" ribbon is cached by its count, the others by mention */
			char *key = g_strconcat(sizes[k].key, more && i + 1 == n ? count : t->mentions[i], NULL);
			stamp(c, key, x, y, ws[i], sizes[k].h, ribbon_piece, ls[i]);
			g_free(key);
			x += ws[i] + gap;
		}
	}
	for (size_t i = 0; i < n; i++)
		g_object_unref(ls[i]);
}

static void signature(rep_ctx *c, const rep_signatory *s, const char *fallback_title, double cx,
                      double w)
{
	rep_font f_name = {c->st->serif, 12.5, 1, 0, 0};
	rep_font f_title = {c->st->serif, 11, 0, 1, 0};
	const char *name = s ? rep_pick(c, &s->name) : NULL;
	const char *title = s ? rep_pick(c, &s->title) : NULL;
	double y = 502;
	rep_color(c, c->st->muted, 1);
	cairo_set_line_width(c->cr, 0.6);
	cairo_move_to(c->cr, cx - w / 2 + 10, y);
	cairo_line_to(c->cr, cx + w / 2 - 10, y);
	cairo_stroke(c->cr);
	rep_color(c, c->st->ink, 1);
	if (name && *name)
		y += rep_text(c, name, &f_name, cx - w / 2, y + 3, w, REP_CENTER, 1);
	else
		y += 3;
	rep_color(c, c->st->muted, 1);
	rep_text(c, title && *title ? title : fallback_title, &f_title, cx - w / 2, y + 3, w, REP_CENTER,
	         name && *name ? 1 : 2);
}

static void signatures(rep_ctx *c)
{
	const rep_style *st = c->st;
	const char *fallback[2] = {rep_tr(c, "For the jury"), rep_tr(c, "For the organizer")};
	if (st->nsignatories <= 2) {
		for (size_t i = 0; i < 2; i++) {
			const rep_signatory *s = st->nsignatories == 0 ? NULL
			                         : st->nsignatories == 1 ? (i == 1 ? &st->signatories[0] : NULL)
			                                                 : &st->signatories[i];
			if (st->nsignatories == 1 && i == 0)
				continue; /* one signatory signs on the right, under the usual place */
			signature(c, s, fallback[i], i == 0 ? c->w / 2 - 190 : c->w / 2 + 190, 200);
		}
		return;
	}
	double span = c->w - 2 * INSET_IN - 150, w = span / (double)st->nsignatories;
	for (size_t i = 0; i < st->nsignatories; i++)
		signature(c, &st->signatories[i], "", INSET_IN + 75 + w * ((double)i + 0.5), w - 8);
}

static void date_line(rep_ctx *c)
{
	rep_font f = {c->st->serif, 13.5, 0, 1, 0};
	char date[96], line[512];
	int y, m, d;
	const char *place = rep_pick(c, &c->st->place);
	rep_award_date(c, &y, &m, &d);
	rep_date_words(c, y, m, d, date, sizeof date);
	if (place && *place)
		snprintf(line, sizeof line, rep_tr(c, "Awarded in %s on %s"), place, date);
	else
		snprintf(line, sizeof line, rep_tr(c, "Awarded on %s"), date);
	rep_color(c, c->st->ink, 1);
	rep_text(c, line, &f, (c->w - 560) / 2, 432, 560, REP_CENTER, 1);
}

static void seal_text(rep_ctx *c)
{
	rep_font f = {c->st->serif, 15, 1, 0, 0.5};
	rep_font f_small = {c->st->sans, 5.5, 1, 0, 1.2};
	char year[32];
	if (c->st->nsignatories > 2)
		return;
	snprintf(year, sizeof year, "%ld", c->r->edition);
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	rep_text(c, year, &f, c->w / 2 - 26, SEAL_Y - 11, 52, REP_CENTER, 1);
	rep_color(c, c->st->accent, 1);
	rep_text(c, "\u2605 \u2605 \u2605", &f_small, c->w / 2 - 20, SEAL_Y + 8, 40, REP_CENTER, 1);
}

static void qr(rep_ctx *c, const rep_town *t)
{
#ifdef PAL_HAVE_QRENCODE
	const char *tpl = c->opt->verify_url;
	char url[PAL_DOC_MAX_VERIFY_URL + 1];
	size_t n = 0;
	if (!tpl)
		return;
	/* Every "{code}" replaced; the renderer refused a template that would not
	 * fit (check_options in render.c), so nothing is cut here. */
	for (const char *p = tpl; *p && n < sizeof url - 1;) {
		if (strncmp(p, "{code}", 6) == 0) {
			for (const char *k = t->code; *k && n < sizeof url - 1;)
				url[n++] = *k++;
			p += 6;
		} else {
			url[n++] = *p++;
		}
	}
	url[n] = '\0';
	QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return;
	double size = 54, m = size / q->width, x0 = INSET_IN + 14, y0 = c->h - INSET_IN - 14 - size;
	cairo_set_source_rgb(c->cr, 1, 1, 1);
	cairo_rectangle(c->cr, x0 - 3, y0 - 3, size + 6, size + 6);
	cairo_fill(c->cr);
	rep_color(c, c->st->ink, 1);
	for (int yy = 0; yy < q->width; yy++)
		for (int xx = 0; xx < q->width; xx++)
			if (q->data[yy * q->width + xx] & 1)
				cairo_rectangle(c->cr, x0 + xx * m, y0 + yy * m, m, m);
	cairo_fill(c->cr);
	QRcode_free(q);
#else
	(void)c;
	(void)t;
#endif
}

static void code_label(rep_ctx *c)
{
	rep_font f_label = {c->st->sans, 6.5, 0, 0, 0.3};
	double right = c->w - INSET_IN - 12;
	char *up = g_utf8_strup(rep_tr(c, "Verification code"), -1);
	rep_color(c, c->st->muted, 1);
	rep_text(c, up, &f_label, right - 200, c->h - INSET_IN - 25, 200, REP_RIGHT, 1);
	g_free(up);
}

static void code(rep_ctx *c, const rep_town *t)
{
	rep_font f_code = {c->st->mono, 8.5, 1, 0, 0.6};
	double right = c->w - INSET_IN - 12, wcode = rep_text_width(c, t->code, &f_code);
	rep_color(c, c->st->primary, 1);
	rep_text(c, t->code, &f_code, right - wcode, c->h - INSET_IN - 15, wcode + 1, REP_LEFT, 1);
	qr(c, t);
}

/*
 * Records the stationery once per job: the frame and every text that does
 * not depend on the town (label, edition, heading, date, signatures, seal,
 * the code's caption), drawn through the job's own text helpers with the
 * context pointed at the recording. Returns NULL on failure (the page then
 * goes without; the status check at the page's end reports it).
 */
static cairo_surface_t *frame(rep_ctx *c)
{
	cairo_rectangle_t ext = {0, 0, c->w, c->h};
	cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
	cairo_t *cr = cairo_create(s), *page = c->cr;
	rep_frame_borders(cr, c->st, c->w, c->h);
	divider(cr, c->st, c->w / 2, 118, 120);
	rep_laurel(cr, c->st, c->w / 2, LEVEL_Y, -1);
	rep_laurel(cr, c->st, c->w / 2, LEVEL_Y, 1);
	if (c->st->nsignatories <= 2)
		rep_seal(cr, c->st, c->w / 2, SEAL_Y);
	c->cr = cr;
	header(c);
	date_line(c);
	signatures(c);
	seal_text(c);
	code_label(c);
	c->cr = page;
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (st != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

int rep_certificate(rep_ctx *c, const rep_town *t)
{
	if (!c->frame)
		c->frame = frame(c);
	if (c->frame) {
		cairo_set_source_surface(c->cr, c->frame, 0, 0);
		cairo_paint(c->cr);
	}
	town_name(c, t);
	level(c, t);
	mentions(c, t);
	code(c, t);
	return rep_page_end(c);
}
