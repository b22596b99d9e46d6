/*
 * Organizer's style (private view of pal_doc_style): colors, fonts,
 * signatories, award date and place, logo, and the label's own wording.
 * rep_style_defaults() gives the look used without a style file; style.c
 * overrides the fields a style file names. Read-only while rendering.
 */
#ifndef PAL_REPORTS_STYLE_H
#define PAL_REPORTS_STYLE_H

#include <stddef.h>

#include "arena.h"
#include "model.h"

typedef struct rep_signatory {
	rep_i18n name, title;
} rep_signatory;

typedef struct rep_style {
	double primary[3], accent[3], ink[3], muted[3], paper[3];
	const char *serif, *sans, *mono;
	rep_i18n label;      /* replaces the rubric's label name when set */
	rep_i18n title;      /* certificate heading */
	rep_i18n awarded_to; /* line above the town's name */
	rep_i18n organizer;  /* shown on the booklet cover and report footers */
	rep_i18n place;      /* "Fait à …" */
	int date_y, date_m, date_d; /* award date; 0 when not set */
	const rep_signatory *signatories;
	size_t nsignatories;
	const unsigned char *logo_png; /* PNG bytes, each job decodes its own copy */
	size_t logo_len;
} rep_style;

struct pal_doc_style {
	palx_arena arena;
	rep_style st;
};

/* The built-in look: navy and gold, EB Garamond and DejaVu Sans. */
void rep_style_defaults(rep_style *s);

#endif
