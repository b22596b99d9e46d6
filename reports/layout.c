/*
 * Layout helpers: every piece of text of every document is laid out here,
 * through pango, inside a box it cannot leave (a width always, a number of
 * lines when asked, ellipsized past it). Metrics are computed without
 * hinting at 72 dpi so that a page lays out the same in a PDF and in a PNG
 * preview at any resolution.
 *
 * Most texts of a document repeat on every page (label, heading, date,
 * signatures, mention names...): laid out layouts are kept in a per-job cache
 * keyed by text and style, so that shaping runs once per job, not per page.
 * The cache is bounded (emptied when full) so that thousands of distinct
 * town names cannot make it grow without end.
 *
 * The cairo fonts that layouts use and draw with are kept until the process
 * ends (keep() below): the same font file then has one face in every
 * document, whatever the caches evicted and whichever thread ran first.
 */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "render.h"

static cairo_status_t read_png(void *closure, unsigned char *data, unsigned int len)
{
	const unsigned char **cur = closure; /* cur[0] = position, cur[1] = end */
	if ((size_t)(cur[1] - cur[0]) < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, cur[0], len);
	cur[0] += len;
	return CAIRO_STATUS_SUCCESS;
}

int rep_ctx_init(rep_ctx *c, const pal_doc_results *r, const pal_doc_options *o,
                 const rep_style *st, const char *lang)
{
	memset(c, 0, sizeof *c);
	c->r = r;
	c->opt = o;
	c->st = st;
	c->lang = lang;
	c->fontmap = pango_cairo_font_map_new();
	c->pango = c->fontmap ? pango_font_map_create_context(c->fontmap) : NULL;
	if (!c->pango)
		return -1;
	pango_cairo_context_set_resolution(c->pango, 72);
	pango_context_set_round_glyph_positions(c->pango, FALSE);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(c->pango, fo);
	cairo_font_options_destroy(fo);
	c->layouts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	c->stamps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                  (GDestroyNotify)cairo_surface_destroy);
	c->kept = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (st->logo_png) {
		const unsigned char *cur[2] = {st->logo_png, st->logo_png + st->logo_len};
		c->logo = cairo_image_surface_create_from_png_stream(read_png, cur);
		if (cairo_surface_status(c->logo) != CAIRO_STATUS_SUCCESS) {
			cairo_surface_destroy(c->logo);
			c->logo = NULL;
		}
	}
	return 0;
}

void rep_ctx_release(rep_ctx *c)
{
	if (c->logo)
		cairo_surface_destroy(c->logo);
	if (c->frame)
		cairo_surface_destroy(c->frame);
	c->frame = NULL;
	if (c->layouts)
		g_hash_table_destroy(c->layouts);
	if (c->stamps)
		g_hash_table_destroy(c->stamps);
	if (c->kept)
		g_hash_table_destroy(c->kept);
	c->layouts = NULL;
	c->stamps = NULL;
	c->kept = NULL;
	if (c->pango)
		g_object_unref(c->pango);
	if (c->fontmap)
		g_object_unref(c->fontmap);
	c->logo = NULL;
	c->pango = NULL;
	c->fontmap = NULL;
}

void rep_ctx_target(rep_ctx *c, cairo_t *cr, double w, double h)
{
	c->cr = cr;
	c->w = w;
	c->h = h;
}

int rep_page_end(rep_ctx *c)
{
	cairo_show_page(c->cr);
	c->pages++;
	c->status = cairo_status(c->cr);
	if (c->status == CAIRO_STATUS_SUCCESS)
		c->status = cairo_surface_status(cairo_get_target(c->cr));
	if (c->status != CAIRO_STATUS_SUCCESS || (c->max_pages && c->pages >= c->max_pages))
		c->stop = 1;
	return c->stop;
}

static PangoFontDescription *font_desc(const rep_font *f)
{
	PangoFontDescription *d = pango_font_description_new();
	pango_font_description_set_family(d, f->family);
	pango_font_description_set_absolute_size(d, f->size * PANGO_SCALE);
	pango_font_description_set_weight(d, f->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(d, f->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	return d;
}

#define CACHE_MAX 512

static PangoLayout *new_layout(rep_ctx *c, const char *text, const rep_font *f, double width,
                               rep_align align, int max_lines)
{
	PangoLayout *l = pango_layout_new(c->pango);
	PangoFontDescription *d = font_desc(f);
	pango_layout_set_font_description(l, d);
	pango_font_description_free(d);
	if (f->spacing != 0) {
		PangoAttrList *al = pango_attr_list_new();
		pango_attr_list_insert(al, pango_attr_letter_spacing_new((int)(f->spacing * PANGO_SCALE)));
		pango_layout_set_attributes(l, al);
		pango_attr_list_unref(al);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		/* Words longer than the box break between characters rather than overflow. */
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	if (max_lines > 0) {
		pango_layout_set_height(l, -max_lines);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	pango_layout_set_alignment(l, (PangoAlignment)align);
	return l;
}

/*
 * The cairo fonts documents have used, one reference each, for the life of
 * the process (docs/decisions.md, "Documents: the same bytes every run"):
 * each font file's face, and the scaled fonts drawn with it (pango's, the
 * one cairo derives from it to draw, the one the PDF surface subsets from).
 *
 * cairo's PDF surface embeds one subset font per cairo_font_face_t, and
 * cairo-ft gives a font file the same face only while that face is alive.
 * The workers of the per-town pool share these objects through cairo's
 * global caches, and cairo 1.16 is not safe when one thread drops the last
 * reference of a font while another takes it back from the cache: a dying
 * face is unlinked from its file's list without the lock that the lookup
 * takes, and a scaled font can reach a count of 0 while another thread draws
 * with it (the run then aborts: "cairo_scaled_font_destroy: Assertion
 * `! scaled_font->cache_frozen' failed", seen once in 189 runs on 64 threads).
 * When a face is lost that way, the fonts of its file created after it get a
 * second face, and a PDF that uses both embeds the file twice
 * (DejaVuSans-Bold as /f-3-0 beside /f-0-0): the bytes then depend on the
 * threads' timing. A font kept here never reaches a count of 0, so it is
 * never destroyed nor resurrected, and each file has one face from its first
 * use on, whatever the caches evict and whichever thread ran first.
 *
 * What is kept is bounded by the styles: a face per font file and options
 * used (the styles' families and their fallbacks), a scaled font per size
 * (sizes come from the style, fitted titles in quarter points), capped at
 * KEPT_FONTS_MAX; cairo bounds the glyphs it caches for all fonts together.
 */
#define KEPT_FONTS_MAX 4096
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static GHashTable *kept; /* faces and scaled fonts, one reference each */
static size_t kept_fonts;

/* Keeps obj (a face if face, else a scaled font). Returns 1 when the job had not kept it yet. */
static int keep(rep_ctx *c, void *obj, int face)
{
	if (!obj || g_hash_table_contains(c->kept, obj))
		return 0;
	pthread_mutex_lock(&kept_lock);
	if (!kept)
		kept = g_hash_table_new(g_direct_hash, g_direct_equal);
	if (!g_hash_table_contains(kept, obj) && (face || kept_fonts < KEPT_FONTS_MAX)) {
		if (face) {
			g_hash_table_add(kept, cairo_font_face_reference(obj));
		} else {
			g_hash_table_add(kept, cairo_scaled_font_reference(obj));
			kept_fonts++;
		}
	}
	pthread_mutex_unlock(&kept_lock);
	g_hash_table_add(c->kept, obj); /* the job asks the lock no more for it */
	return 1;
}

static cairo_scaled_font_t *run_font(GSList *run)
{
	PangoFont *font = ((PangoGlyphItem *)run->data)->item->analysis.font;
	if (!font || !PANGO_IS_CAIRO_FONT(font))
		return NULL;
	cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
	return sf && cairo_scaled_font_status(sf) == CAIRO_STATUS_SUCCESS ? sf : NULL;
}

/*
 * Keeps the fonts of a new layout (this lays it out, as measuring it would):
 * pango's scaled font, its face, and the face at size 1 with hinting off,
 * the font cairo's PDF surface creates to subset a face from.
 */
static void keep_layout_fonts(rep_ctx *c, PangoLayout *l)
{
	for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next) {
		for (GSList *r = ((PangoLayoutLine *)ln->data)->runs; r; r = r->next) {
			cairo_scaled_font_t *sf = run_font(r);
			if (!sf)
				continue;
			keep(c, sf, 0);
			cairo_font_face_t *face = cairo_scaled_font_get_font_face(sf);
			if (cairo_font_face_status(face) != CAIRO_STATUS_SUCCESS || !keep(c, face, 1))
				continue;
			cairo_matrix_t id;
			cairo_matrix_init_identity(&id);
			cairo_font_options_t *fo = cairo_font_options_create();
			cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
			cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
			cairo_scaled_font_t *unit = cairo_scaled_font_create(face, &id, &id, fo);
			cairo_font_options_destroy(fo);
			if (cairo_scaled_font_status(unit) == CAIRO_STATUS_SUCCESS)
				keep(c, unit, 0);
			cairo_scaled_font_destroy(unit);
		}
	}
}

/* Keeps the scaled fonts cairo draws a layout with on c->cr (its surface's options, its matrix). */
static void keep_drawn_fonts(rep_ctx *c, PangoLayout *l)
{
	cairo_save(c->cr);
	for (GSList *ln = pango_layout_get_lines_readonly(l); ln; ln = ln->next) {
		for (GSList *r = ((PangoLayoutLine *)ln->data)->runs; r; r = r->next) {
			cairo_scaled_font_t *sf = run_font(r);
			if (!sf)
				continue;
			cairo_set_scaled_font(c->cr, sf);
			cairo_scaled_font_t *drawn = cairo_get_scaled_font(c->cr);
			if (cairo_scaled_font_status(drawn) == CAIRO_STATUS_SUCCESS)
				keep(c, drawn, 0);
		}
	}
	cairo_restore(c->cr);
}

PangoLayout *rep_layout(rep_ctx *c, const char *text, const rep_font *f, double width,
                        rep_align align, int max_lines)
{
	char *key = g_strdup_printf("%s\x1f%s\x1f%.3f\x1f%d%d\x1f%.3f\x1f%.3f\x1f%d\x1f%d", text ? text : "",
	                            f->family, f->size, f->bold, f->italic, f->spacing, width, (int)align,
	                            max_lines);
	PangoLayout *l = g_hash_table_lookup(c->layouts, key);
	if (l) {
		g_free(key);
		return g_object_ref(l);
	}
	l = new_layout(c, text, f, width, align, max_lines);
	keep_layout_fonts(c, l);
	if (g_hash_table_size(c->layouts) >= CACHE_MAX)
		g_hash_table_remove_all(c->layouts);
	g_hash_table_insert(c->layouts, key, g_object_ref(l));
	return l;
}

void rep_layout_size(PangoLayout *l, double *w, double *h)
{
	PangoRectangle ink, log;
	pango_layout_get_extents(l, &ink, &log);
	if (w)
		*w = (double)log.width / PANGO_SCALE;
	if (h)
		*h = (double)log.height / PANGO_SCALE;
}

/*
 * Every text is clipped to its box (issue 19, item 16: a name followed by
 * combining accents drew a column of them across the title and off the
 * page, since marks stack outside the line's logical extents). The box is
 * the layout's width (its logical width when it does not wrap) by its lines,
 * widened by a fifth of a line above and below and a quarter at each side, so
 * that ordinary accents on capitals and italic overhangs (the tail of an
 * italic j) are never cut.
 */
void rep_show(rep_ctx *c, PangoLayout *l, double x, double y)
{
	PangoRectangle log;
	int lines = pango_layout_get_line_count(l);
	pango_layout_get_extents(l, NULL, &log);
	double lx = (double)log.x / PANGO_SCALE, ly = (double)log.y / PANGO_SCALE;
	double lw = (double)log.width / PANGO_SCALE, lh = (double)log.height / PANGO_SCALE;
	double line = lh / (lines > 0 ? lines : 1);
	if (pango_layout_get_width(l) > 0) {
		lx = 0;
		lw = (double)pango_layout_get_width(l) / PANGO_SCALE;
	}
	cairo_save(c->cr);
	cairo_rectangle(c->cr, x + lx - line / 4, y + ly - line / 5, lw + line / 2, lh + 2 * line / 5);
	cairo_clip(c->cr);
	cairo_move_to(c->cr, x, y);
	pango_cairo_show_layout(c->cr, l);
	cairo_restore(c->cr);
	keep_drawn_fonts(c, l);
}

double rep_text(rep_ctx *c, const char *text, const rep_font *f, double x, double y,
                double width, rep_align align, int max_lines)
{
	double h;
	PangoLayout *l = rep_layout(c, text, f, width, align, max_lines);
	rep_layout_size(l, NULL, &h);
	rep_show(c, l, x, y);
	g_object_unref(l);
	return h;
}

double rep_text_width(rep_ctx *c, const char *text, const rep_font *f)
{
	double w;
	PangoLayout *l = rep_layout(c, text, f, -1, REP_LEFT, 0);
	rep_layout_size(l, &w, NULL);
	g_object_unref(l);
	return w;
}

/* The width of the wider of the two lines when text is broken at byte `at`. */
static double split_width(rep_ctx *c, const char *text, size_t at, int keep, const rep_font *f)
{
	char buf[1024];
	size_t n = strlen(text);
	if (n >= sizeof buf)
		return INFINITY;
	memcpy(buf, text, at + (size_t)keep);
	buf[at + (size_t)keep] = '\0';
	double a = rep_text_width(c, buf, f);
	double b = rep_text_width(c, text + at + 1, f);
	return a > b ? a : b;
}

/*
 * The two-line form of text: broken after the hyphen or at the space that
 * balances the lines best (a hyphen stays at the end of the first line).
 * Returns a new string, or NULL when there is no break point.
 */
static char *balanced_break(rep_ctx *c, const char *text, const rep_font *f)
{
	size_t n = strlen(text), best = 0;
	int best_keep = 0;
	double best_w = INFINITY;
	for (size_t i = 1; i + 1 < n; i++) {
		if (text[i] != '-' && text[i] != ' ')
			continue;
		int keep = text[i] == '-';
		double w = split_width(c, text, i, keep, f);
		if (w < best_w) {
			best_w = w;
			best = i;
			best_keep = keep;
		}
	}
	if (!best)
		return NULL;
	char *s = g_malloc(n + 2);
	memcpy(s, text, best + (size_t)best_keep);
	s[best + (size_t)best_keep] = '\n';
	memcpy(s + best + best_keep + 1, text + best + 1, n - best);
	return s;
}

/* Largest size <= f->size, >= min, at which layout text fits w x h; 0 if none. */
static double fit_size(rep_ctx *c, const char *text, const rep_font *f, double min, double w,
                       double h)
{
	rep_font g = *f;
	double tw, th;
	PangoLayout *l = rep_layout(c, text, &g, -1, REP_LEFT, 0);
	rep_layout_size(l, &tw, &th);
	g_object_unref(l);
	if (tw <= 0 || th <= 0)
		return f->size;
	/* Without hinting, extents scale linearly with the size. */
	double s = f->size * fmin(1.0, fmin(w / tw, h / th));
	s = floor(s * 4) / 4;
	for (; s >= min; s -= 0.25) {
		g.size = s;
		l = rep_layout(c, text, &g, -1, REP_LEFT, 0);
		rep_layout_size(l, &tw, &th);
		g_object_unref(l);
		if (tw <= w && th <= h)
			return s;
	}
	return 0;
}

PangoLayout *rep_fit_title(rep_ctx *c, const char *text, const rep_font *f, double min_size,
                           double w, double h, rep_align align, double *size)
{
	rep_font g = *f;
	double s = fit_size(c, text, f, min_size, w, h);
	if (s > 0) {
		g.size = s;
		*size = s;
		return rep_layout(c, text, &g, w, align, 1);
	}
	char *two = balanced_break(c, text, f);
	if (two) {
		s = fit_size(c, two, f, min_size * 0.8, w, h);
		if (s > 0) {
			g.size = s;
			*size = s;
			PangoLayout *l = rep_layout(c, two, &g, w, align, 2);
			g_free(two);
			return l;
		}
		g_free(two);
	}
	g.size = min_size * 0.8;
	*size = g.size;
	return rep_layout(c, text, &g, w, align, h >= 2.4 * g.size ? 2 : 1);
}

void rep_color(rep_ctx *c, const double rgb[3], double alpha)
{
	cairo_set_source_rgba(c->cr, rgb[0], rgb[1], rgb[2], alpha);
}

void rep_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
	cairo_new_sub_path(cr);
	cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
	cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
	cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
	cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
	cairo_close_path(cr);
}
