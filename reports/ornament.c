/*
 * Ornaments shared by the certificate and the booklet's cover: the frame
 * (paper, double border, guilloche band, corner rosettes), laurel branches
 * and the seal. Pure cairo drawing in the style's colors, no text: here so
 * that the booklet draws them without calling into certificate.c.
 */
#include <math.h>

#include "render.h"

#define INSET_OUT 18.0
#define INSET_BAND 27.0
#define BAND 14.0
#define INSET_IN REP_FRAME_IN
#define SEAL_R 34.0

/*
 * The guilloche: two interlaced waves of arches along the band. One period
 * (two arches) is recorded as a tile and the band is filled with it repeated,
 * so that the PDF holds four curves per side instead of hundreds, and cairo's
 * per-page analysis of the frame stays cheap. The period is chosen per side
 * so that a whole number of periods runs from corner to corner.
 */
static cairo_pattern_t *rope_tile(const rep_style *st, double period, int vertical)
{
	cairo_rectangle_t ext = {0, 0, vertical ? BAND : period, vertical ? period : BAND};
	cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
	cairo_t *cr = cairo_create(s);
	double hw = period / 2, a = BAND * 0.34 * 4 / 3, m = BAND / 2;
	if (vertical)
		cairo_transform(cr, &(cairo_matrix_t){0, 1, 1, 0, 0, 0}); /* swap the axes */
	cairo_set_source_rgb(cr, st->accent[0], st->accent[1], st->accent[2]);
	cairo_set_line_width(cr, 0.55);
	for (int wave = 0; wave < 2; wave++) {
		cairo_move_to(cr, 0, m);
		for (int i = 0; i < 2; i++) {
			double sgn = ((i + wave) % 2 ? 1 : -1) * a, t = i * hw;
			cairo_curve_to(cr, t + hw / 3, m + sgn, t + 2 * hw / 3, m + sgn, t + hw, m);
		}
	}
	cairo_stroke(cr);
	cairo_destroy(cr);
	cairo_pattern_t *p = cairo_pattern_create_for_surface(s);
	cairo_surface_destroy(s);
	cairo_pattern_set_extend(p, CAIRO_EXTEND_REPEAT);
	return p;
}

/* Fills the band strip starting at (x0,y0), len long, with whole periods of the tile. */
static void rope(cairo_t *cr, const rep_style *st, double x0, double y0, double len, int vertical)
{
	int periods = (int)floor(len / 22.0 + 0.5);
	double period = len / (periods > 0 ? periods : 1);
	cairo_pattern_t *p = rope_tile(st, period, vertical);
	cairo_matrix_t m;
	cairo_matrix_init_translate(&m, -x0, -y0);
	cairo_pattern_set_matrix(p, &m);
	cairo_set_source(cr, p);
	if (vertical)
		cairo_rectangle(cr, x0, y0, BAND, len);
	else
		cairo_rectangle(cr, x0, y0, len, BAND);
	cairo_fill(cr);
	cairo_pattern_destroy(p);
}

static void rosette(cairo_t *cr, const rep_style *st, double cx, double cy)
{
	cairo_set_source_rgb(cr, st->paper[0], st->paper[1], st->paper[2]);
	cairo_rectangle(cr, cx - BAND / 2 - 1, cy - BAND / 2 - 1, BAND + 2, BAND + 2);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, st->primary[0], st->primary[1], st->primary[2]);
	cairo_move_to(cr, cx, cy - 8);
	cairo_line_to(cr, cx + 8, cy);
	cairo_line_to(cr, cx, cy + 8);
	cairo_line_to(cr, cx - 8, cy);
	cairo_close_path(cr);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, st->accent[0], st->accent[1], st->accent[2]);
	cairo_arc(cr, cx, cy, 3, 0, 2 * M_PI);
	cairo_fill(cr);
}

void rep_frame_borders(cairo_t *cr, const rep_style *st, double w, double h)
{
	double b = INSET_BAND, mid = b + BAND / 2;
	cairo_set_source_rgb(cr, st->paper[0], st->paper[1], st->paper[2]);
	cairo_rectangle(cr, INSET_OUT, INSET_OUT, w - 2 * INSET_OUT, h - 2 * INSET_OUT);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, st->primary[0], st->primary[1], st->primary[2]);
	cairo_set_line_width(cr, 2.4);
	cairo_rectangle(cr, INSET_OUT, INSET_OUT, w - 2 * INSET_OUT, h - 2 * INSET_OUT);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.7);
	cairo_rectangle(cr, INSET_OUT + 4.5, INSET_OUT + 4.5, w - 2 * INSET_OUT - 9, h - 2 * INSET_OUT - 9);
	cairo_rectangle(cr, INSET_IN, INSET_IN, w - 2 * INSET_IN, h - 2 * INSET_IN);
	cairo_stroke(cr);
	rope(cr, st, mid, b, w - 2 * mid, 0);
	rope(cr, st, mid, h - b - BAND, w - 2 * mid, 0);
	rope(cr, st, b, mid, h - 2 * mid, 1);
	rope(cr, st, w - b - BAND, mid, h - 2 * mid, 1);
	rosette(cr, st, mid, mid);
	rosette(cr, st, w - mid, mid);
	rosette(cr, st, mid, h - mid);
	rosette(cr, st, w - mid, h - mid);
}

/*
 * A laurel branch along the left (side -1) or right (side 1) half of an
 * ellipse around the level: a stem and pairs of leaves, smaller towards the
 * tips.
 */
void rep_laurel(cairo_t *cr, const rep_style *st, double cx, double cy, int side)
{
	double a = 150, b = 40, t0 = M_PI * 0.56, t1 = M_PI * 1.30;
	int leaves = 11;
	cairo_set_source_rgb(cr, st->accent[0], st->accent[1], st->accent[2]);
	cairo_set_line_width(cr, 1.2);
	cairo_save(cr);
	cairo_translate(cr, cx, cy);
	cairo_scale(cr, -side, 1); /* drawn on the left, mirrored for the right */
	for (int i = 0; i <= 40; i++) {
		double t = t0 + (t1 - t0) * i / 40;
		if (i == 0)
			cairo_move_to(cr, a * cos(t), b * sin(t));
		else
			cairo_line_to(cr, a * cos(t), b * sin(t));
	}
	cairo_stroke(cr);
	for (int i = 0; i < leaves; i++) {
		double t = t0 + (t1 - t0) * (i + 0.5) / leaves, px = a * cos(t), py = b * sin(t);
		double dir = atan2(b * cos(t), -a * sin(t)) + M_PI; /* towards the tip */
		double size = 1.0 - 0.35 * i / leaves;
		for (int k = -1; k <= 1; k += 2) {
			cairo_save(cr);
			cairo_translate(cr, px, py);
			cairo_rotate(cr, dir + k * 0.62);
			cairo_translate(cr, 7.5 * size, 0);
			cairo_scale(cr, 8.5 * size, 2.9 * size);
			cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
			cairo_restore(cr);
			cairo_fill(cr);
		}
	}
	cairo_arc(cr, a * cos(t1), b * sin(t1), 2.2, 0, 2 * M_PI);
	cairo_fill(cr);
	cairo_restore(cr);
}

void rep_seal(cairo_t *cr, const rep_style *st, double cx, double cy)
{
	int points = 36;
	cairo_set_source_rgb(cr, st->accent[0], st->accent[1], st->accent[2]);
	for (int i = 0; i < 2 * points; i++) {
		double a = M_PI * i / points, rr = i % 2 ? SEAL_R - 3.5 : SEAL_R;
		if (i == 0)
			cairo_move_to(cr, cx + rr * cos(a), cy + rr * sin(a));
		else
			cairo_line_to(cr, cx + rr * cos(a), cy + rr * sin(a));
	}
	cairo_close_path(cr);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, st->primary[0], st->primary[1], st->primary[2]);
	cairo_arc(cr, cx, cy, SEAL_R - 6, 0, 2 * M_PI);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, st->accent[0], st->accent[1], st->accent[2]);
	cairo_set_line_width(cr, 0.8);
	cairo_arc(cr, cx, cy, SEAL_R - 9, 0, 2 * M_PI);
	cairo_stroke(cr);
}
