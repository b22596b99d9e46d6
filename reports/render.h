/*
 * Rendering context shared by the document renderers (private to reports/).
 *
 * One rep_ctx is one rendering job on one thread: its own cairo context,
 * its own pango font map and context (fontconfig and pango are thread-safe
 * in Debian 12's versions as long as font maps are not shared), its own copy
 * of the logo. The results and the resolved style are only read.
 *
 * Renderers draw in points (1/72 in) with the origin at the top left; they
 * end each page with rep_page_end(), which checks cairo's status, and stop
 * as soon as it returns nonzero.
 *
 * Who calls whom in reports/: a file calls only files of the lines below
 * its own (no cycle; keep it so when a file is added):
 *   render
 *   certificate, booklet, report
 *   ornament, dates, layout, wording
 *   results, style, secret
 *   load, verify
 *   i18n, clean
 * render.c alone dispatches to the three documents; a document never
 * calls another or render.c (what two documents share is in ornament.c,
 * dates.c, wording.c or layout.c). results.c computes codes with verify.c,
 * which knows nothing of loaded results; i18n.c knows nothing of them either.
 */
#ifndef PAL_REPORTS_RENDER_H
#define PAL_REPORTS_RENDER_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <time.h>

#include "model.h"
#include "style.h"

#define REP_A4_W 595.2756
#define REP_A4_H 841.8898

typedef struct rep_ctx {
	cairo_t *cr;
	PangoFontMap *fontmap;
	PangoContext *pango;
	const pal_doc_results *r;
	const pal_doc_options *opt;
	const rep_style *st;
	const char *lang;
	cairo_surface_t *logo; /* this job's copy, may be NULL */
	cairo_surface_t *frame; /* certificate background, recorded once per job */
	GHashTable *layouts;    /* layout cache of this job (layout.c) */
	GHashTable *stamps;     /* recorded drawings reused on many pages (certificate.c) */
	GHashTable *kept;       /* cairo fonts this job has already kept for the process (layout.c) */
	double w, h;           /* page size */
	int pages;             /* pages finished so far in this job */
	int max_pages;         /* 0: no limit (PNG previews stop after one) */
	int stop;              /* set when max_pages is reached or on error */
	cairo_status_t status;
} rep_ctx;

/* Creates the font map and pango context of a job. Returns 0, or -1. */
int rep_ctx_init(rep_ctx *c, const pal_doc_results *r, const pal_doc_options *o,
                 const rep_style *st, const char *lang);
void rep_ctx_release(rep_ctx *c);
/* Sets the cairo context to draw on (borrowed) and the page size. */
void rep_ctx_target(rep_ctx *c, cairo_t *cr, double w, double h);
/* Ends a page: show_page, status check. Returns nonzero when rendering must stop. */
int rep_page_end(rep_ctx *c);

/* ---- wording of the job, in its language (wording.c) ---- */
/* Translated wording of the documents (msgids are English). */
const char *rep_tr(const rep_ctx *c, const char *msgid);
/* Texts of the results in the job's language. */
const char *rep_pick(const rep_ctx *c, const rep_i18n *t);
/* Writes a number with at most `decimals` decimals, trailing zeros dropped,
 * with the language's decimal mark ("73,5" in French). */
void rep_num(const rep_ctx *c, double v, int decimals, char *buf, size_t len);
/* An integer with thousands grouped ("31 505" in French, "31,505" in English). */
void rep_int_grouped(const rep_ctx *c, double v, char *buf, size_t len);
/* Date of the award in words ("12 décembre 2027"). */
void rep_date_words(const rep_ctx *c, int y, int m, int d, char *buf, size_t len);

/* ---- text (layout.c) ---- */

typedef struct rep_font {
	const char *family;
	double size;      /* points */
	int bold, italic;
	double spacing;   /* letter spacing in points, 0 for none */
} rep_font;

typedef enum rep_align {
	REP_LEFT = PANGO_ALIGN_LEFT,
	REP_CENTER = PANGO_ALIGN_CENTER,
	REP_RIGHT = PANGO_ALIGN_RIGHT,
} rep_align;

/*
 * Returns a new layout of text (plain text, not markup) wrapped at width,
 * at most max_lines lines (the last ellipsized; 0: no limit). Free with
 * g_object_unref().
 */
PangoLayout *rep_layout(rep_ctx *c, const char *text, const rep_font *f, double width,
                        rep_align align, int max_lines);
/* Logical size of a layout in points. */
void rep_layout_size(PangoLayout *l, double *w, double *h);
/* Draws a layout with its top-left corner at x,y in the current color. */
void rep_show(rep_ctx *c, PangoLayout *l, double x, double y);
/*
 * Draws text in the box x,y,width (wrapping, at most max_lines, never wider
 * than width) and returns the height it took.
 */
double rep_text(rep_ctx *c, const char *text, const rep_font *f, double x, double y,
                double width, rep_align align, int max_lines);
/* Width of text on one line. */
double rep_text_width(rep_ctx *c, const char *text, const rep_font *f);

/*
 * Fits a title (a town's name) in a box of width w and height h: the largest
 * size from f->size down to min_size on one line; failing that, two lines
 * broken at the hyphen or space nearest the middle, as large as fits; failing
 * that, ellipsized at min_size. Returns a new layout; *size gets the size used.
 */
PangoLayout *rep_fit_title(rep_ctx *c, const char *text, const rep_font *f, double min_size,
                           double w, double h, rep_align align, double *size);

/* ---- drawing helpers (layout.c) ---- */
void rep_color(rep_ctx *c, const double rgb[3], double alpha);
void rep_rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r);

/* ---- dates (dates.c) ---- */
/* Award date: the style's, else SOURCE_DATE_EPOCH's (UTC), else today's. */
void rep_award_date(const rep_ctx *c, int *y, int *m, int *d);
/*
 * SOURCE_DATE_EPOCH: unset or empty, 0; a valid value, 1 and *t; anything
 * else, -1 (render.c refuses it before anything is written).
 */
int rep_source_date(time_t *t);

/* ---- ornaments (ornament.c) ---- */
/* The inner edge of the frame, from each side of the page: pages draw inside it. */
#define REP_FRAME_IN 45.0
/* The ornamental frame (paper, borders, guilloche, corners) of a w x h page. */
void rep_frame_borders(cairo_t *cr, const rep_style *st, double w, double h);
/* A laurel branch (side -1 left, 1 right) around the point cx,cy; a seal of radius 34 at cx,cy. */
void rep_laurel(cairo_t *cr, const rep_style *st, double cx, double cy, int side);
void rep_seal(cairo_t *cr, const rep_style *st, double cx, double cy);

/* ---- documents ---- */
/* certificate.c: one page for town t. */
int rep_certificate(rep_ctx *c, const rep_town *t);
/* report.c: the pages of town t's feedback report. */
int rep_report(rep_ctx *c, const rep_town *t);
/* booklet.c: the whole booklet. */
int rep_booklet(rep_ctx *c);

#endif
