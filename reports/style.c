/*
 * Organizer's style file (docs/documents.md, "Style file"):
 *
 *   {"format": "palmares-style/1", "label": TEXT, "title": TEXT,
 *    "awarded_to": TEXT, "organizer": TEXT, "award_date": "YYYY-MM-DD",
 *    "award_place": TEXT, "signatories": [{"name": TEXT, "title": TEXT}],
 *    "colors": {"primary"|"accent"|"text"|"muted"|"paper": "#rrggbb"},
 *    "fonts": {"serif"|"sans"|"mono": "family"}, "logo": "file.png"}
 *
 * Every field is optional. Unknown keys are errors (nearly always typos),
 * except those beginning with "x-". The logo is read here once, as bytes;
 * each rendering job decodes its own copy (cairo surfaces are not shared
 * between threads).
 */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "load.h"
#include "palmares/limits.h"
#include "style.h"

void rep_style_defaults(rep_style *s)
{
	static const double primary[3] = {0.106, 0.212, 0.365}; /* #1b365d navy */
	static const double accent[3] = {0.659, 0.525, 0.176};  /* #a8862d gold */
	static const double ink[3] = {0.118, 0.118, 0.137};
	static const double muted[3] = {0.42, 0.43, 0.47};
	static const double paper[3] = {1.0, 0.992, 0.969};     /* #fffdf7 ivory */
	memset(s, 0, sizeof *s);
	memcpy(s->primary, primary, sizeof primary);
	memcpy(s->accent, accent, sizeof accent);
	memcpy(s->ink, ink, sizeof ink);
	memcpy(s->muted, muted, sizeof muted);
	memcpy(s->paper, paper, sizeof paper);
	s->serif = "EB Garamond 12, DejaVu Serif, serif";
	s->sans = "DejaVu Sans, sans-serif";
	s->mono = "DejaVu Sans Mono, monospace";
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void load_colors(rep_loader *l, rep_style *s, const json_t *o)
{
	static const char *const names[] = {"primary", "accent", "text", "muted", "paper"};
	double *dst[] = {s->primary, s->accent, s->ink, s->muted, s->paper};
	const char *k;
	json_t *v;
	rep_mark_pos m = rep_push_key(l, "colors");
	if (!json_is_object(o)) {
		rep_expected(l, "an object of colors", o);
		rep_pop(l, m);
		return;
	}
	json_object_foreach((json_t *)o, k, v) {
		size_t i = 0;
		while (i < 5 && strcmp(k, names[i]) != 0)
			i++;
		rep_mark_pos mk = rep_push_key(l, k);
		const char *h = json_string_value(v);
		if (i == 5 && strncmp(k, "x-", 2) != 0) {
			rep_problem_at(l, PAL_ERROR, "unknown color (known: primary, accent, text, muted, paper)");
		} else if (i < 5) {
			int ok = h && h[0] == '#' && strlen(h) == 7;
			for (int j = 1; ok && j < 7; j++)
				ok = hexval(h[j]) >= 0;
			if (!ok)
				rep_expected(l, "a color \"#rrggbb\"", v);
			for (int j = 0; ok && j < 3; j++)
				dst[i][j] = (hexval(h[1 + 2 * j]) * 16 + hexval(h[2 + 2 * j])) / 255.0;
		}
		rep_pop(l, mk);
	}
	rep_pop(l, m);
}

static void load_fonts(rep_loader *l, rep_style *s, const json_t *o)
{
	static const char *const names[] = {"serif", "sans", "mono"};
	const char **dst[] = {&s->serif, &s->sans, &s->mono};
	rep_mark_pos m = rep_push_key(l, "fonts");
	if (!json_is_object(o)) {
		rep_expected(l, "an object of font families", o);
		rep_pop(l, m);
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		const char *fam = NULL;
		if (rep_get_str(l, o, names[i], 0, &fam) && fam[0]) {
			/* Keep the built-in families as fallbacks behind the organizer's. */
			size_t n = strlen(fam) + strlen(*dst[i]) + 3;
			char *both = palx_arena_alloc(l->arena, n);
			if (both)
				snprintf(both, n, "%s, %s", fam, *dst[i]);
			*dst[i] = both ? both : *dst[i];
		}
	}
	rep_pop(l, m);
}

static void load_signatories(rep_loader *l, rep_style *s, const json_t *a)
{
	rep_mark_pos m = rep_push_key(l, "signatories");
	if (!json_is_array(a) || json_array_size(a) > 4) {
		rep_expected(l, "an array of at most 4 signatories", a);
		rep_pop(l, m);
		return;
	}
	rep_signatory *v = palx_arena_alloc(l->arena, (json_array_size(a) + 1) * sizeof *v);
	for (size_t i = 0; v && i < json_array_size(a); i++) {
		const json_t *o = json_array_get(a, i);
		rep_mark_pos mi = rep_push_index(l, i);
		if (!json_is_object(o)) {
			rep_expected(l, "an object {\"name\", \"title\"}", o);
		} else {
			rep_get_text(l, o, "name", 0, &v[s->nsignatories].name);
			rep_get_text(l, o, "title", 0, &v[s->nsignatories].title);
			s->nsignatories++;
		}
		rep_pop(l, mi);
	}
	s->signatories = v;
	rep_pop(l, m);
}

/*
 * "YYYY-MM-DD", exactly: ten characters, a day that exists in that month
 * (issue 19, item 14: "2027-02-31" printed "31 février 2027"). Years from
 * 1900 to 9999, as the documents print them. Returns 0, or -1.
 */
static int parse_date(const char *d, int *y, int *mo, int *da)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : d[i] < '0' || d[i] > '9')
			return -1;
	if (d[10])
		return -1;
	*y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	*mo = (d[5] - '0') * 10 + (d[6] - '0');
	*da = (d[8] - '0') * 10 + (d[9] - '0');
	int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	if (*y < 1900 || *mo < 1 || *mo > 12 || *da < 1)
		return -1;
	return *da > days[*mo - 1] + (*mo == 2 && leap) ? -1 : 0;
}

static void load_date(rep_loader *l, rep_style *s, const json_t *root)
{
	const char *d = NULL;
	int y, mo, da;
	if (!rep_get_str(l, root, "award_date", 0, &d))
		return;
	if (parse_date(d, &y, &mo, &da) == 0) {
		s->date_y = y, s->date_m = mo, s->date_d = da;
		return;
	}
	rep_mark_pos m = rep_push_key(l, "award_date");
	rep_expected(l, "a date \"YYYY-MM-DD\" that exists", json_object_get(root, "award_date"));
	rep_pop(l, m);
}

static cairo_status_t read_bytes(void *closure, unsigned char *data, unsigned int len)
{
	const unsigned char **cur = closure;
	if ((size_t)(cur[1] - cur[0]) < len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, cur[0], len);
	cur[0] += len;
	return CAIRO_STATUS_SUCCESS;
}

/*
 * The width and height a PNG declares in its IHDR chunk, which must come
 * first: read without decoding anything. Returns 0, or -1 when the bytes
 * are not a PNG.
 */
static int png_size(const char *bytes, size_t len, unsigned long *w, unsigned long *h)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	const unsigned char *b = (const unsigned char *)bytes;
	if (len < 24 || memcmp(b, sig, 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0)
		return -1;
	*w = (unsigned long)b[16] << 24 | (unsigned long)b[17] << 16 | (unsigned long)b[18] << 8 | b[19];
	*h = (unsigned long)b[20] << 24 | (unsigned long)b[21] << 16 | (unsigned long)b[22] << 8 | b[23];
	return 0;
}

static void load_logo(rep_loader *l, rep_style *s, const char *style_path, const json_t *root)
{
	const char *file = NULL;
	size_t len = 0;
	if (!rep_get_str(l, root, "logo", 0, &file))
		return;
	const char *slash = strrchr(style_path, '/');
	size_t dl = file[0] == '/' || !slash ? 0 : (size_t)(slash - style_path) + 1;
	size_t n = dl + strlen(file) + 1;
	char *full = malloc(n);
	pal_diags *tmp = pal_diags_new();
	rep_mark_pos m = rep_push_key(l, "logo");
	if (full && tmp) {
		snprintf(full, n, "%.*s%s", (int)dl, style_path, file);
		/* A logo is a file, never a device or a pipe (issue 19, item 10). */
		char *bytes = rep_read_file(full, 0, &len, tmp);
		const unsigned char *cur[2] = {(const unsigned char *)bytes, (const unsigned char *)bytes + len};
		unsigned long w = 0, h = 0;
		int size_ok = bytes && png_size(bytes, len, &w, &h) == 0;
		/* Decoded only once its declared size is known to fit (issue 19, item 8). */
		int fits = size_ok && w <= PAL_LOGO_MAX_SIDE && h <= PAL_LOGO_MAX_SIDE &&
		           w * h <= PAL_LOGO_MAX_PIXELS;
		cairo_surface_t *img = fits ? cairo_image_surface_create_from_png_stream(read_bytes, cur) : NULL;
		if (!bytes)
			rep_problem_at(l, PAL_ERROR, "%s", pal_diags_count(tmp) ? pal_diags_get(tmp, 0)->text
			                                                        : "cannot read the logo");
		else if (size_ok && !fits)
			rep_problem_at(l, PAL_ERROR, "\"%s\" is %lu × %lu pixels: a logo has at most %lu pixels "
			               "(%d × %d) and %d on a side", full, w, h, (unsigned long)PAL_LOGO_MAX_PIXELS,
			               PAL_LOGO_MAX_SQUARE, PAL_LOGO_MAX_SQUARE, PAL_LOGO_MAX_SIDE);
		else if (!img || cairo_surface_status(img) != CAIRO_STATUS_SUCCESS)
			rep_problem_at(l, PAL_ERROR, "\"%s\" is not a PNG image", full);
		else if ((s->logo_png = palx_arena_alloc(l->arena, len)) != NULL) {
			memcpy((unsigned char *)s->logo_png, bytes, len);
			s->logo_len = len;
		}
		if (img)
			cairo_surface_destroy(img);
		free(bytes);
	} else {
		l->oom = 1;
	}
	rep_pop(l, m);
	pal_diags_free(tmp);
	free(full);
}

static void check_keys(rep_loader *l, const json_t *root)
{
	static const char *const known[] = {"format", "label", "title", "awarded_to", "organizer",
	                                    "award_date", "award_place", "signatories", "colors",
	                                    "fonts", "logo"};
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)root, k, v) {
		size_t i = 0;
		while (i < sizeof known / sizeof known[0] && strcmp(k, known[i]) != 0)
			i++;
		if (i == sizeof known / sizeof known[0] && strncmp(k, "x-", 2) != 0) {
			rep_mark_pos m = rep_push_key(l, k);
			rep_problem_at(l, PAL_ERROR, "unknown field (own notes go in keys beginning with \"x-\")");
			rep_pop(l, m);
		}
	}
}

static void load_style(rep_loader *l, rep_style *s, const char *path, const json_t *root)
{
	const char *format = NULL;
	if (rep_get_str(l, root, "format", 0, &format) && strcmp(format, "palmares-style/1") != 0) {
		rep_mark_pos m = rep_push_key(l, "format");
		rep_expected(l, "\"palmares-style/1\"", json_object_get(root, "format"));
		rep_pop(l, m);
	}
	check_keys(l, root);
	rep_get_text(l, root, "label", 0, &s->label);
	rep_get_text(l, root, "title", 0, &s->title);
	rep_get_text(l, root, "awarded_to", 0, &s->awarded_to);
	rep_get_text(l, root, "organizer", 0, &s->organizer);
	rep_get_text(l, root, "award_place", 0, &s->place);
	load_date(l, s, root);
	if (json_object_get(root, "signatories"))
		load_signatories(l, s, json_object_get(root, "signatories"));
	if (json_object_get(root, "colors"))
		load_colors(l, s, json_object_get(root, "colors"));
	if (json_object_get(root, "fonts"))
		load_fonts(l, s, json_object_get(root, "fonts"));
	load_logo(l, s, path, root);
}

pal_doc_style *pal_doc_style_load(const char *path, pal_diags *diags, int *status)
{
	size_t len = 0;
	char *text = rep_read_file(path, PAL_INPUT_STREAM, &len, diags);
	*status = PAL_DOC_IOERR;
	if (!text)
		return NULL;
	*status = PAL_DOC_REJECTED;
	json_t *root = rep_parse(path, text, len, diags);
	pal_doc_style *s = root ? calloc(1, sizeof *s) : NULL;
	if (!s) {
		json_decref(root);
		free(text);
		return NULL;
	}
	palx_arena_init(&s->arena, 0);
	rep_style_defaults(&s->st);
	rep_loader l = {.arena = &s->arena, .path = path};
	if (!json_is_object(root))
		rep_expected(&l, "a style object", root);
	else
		load_style(&l, &s->st, path, root);
	rep_loader_flush(&l, text, len, diags);
	json_decref(root);
	free(text);
	if (l.errors || l.oom) {
		pal_doc_style_free(s);
		return NULL;
	}
	*status = PAL_DOC_OK;
	return s;
}

void pal_doc_style_free(pal_doc_style *s)
{
	if (!s)
		return;
	palx_arena_release(&s->arena);
	free(s);
}
