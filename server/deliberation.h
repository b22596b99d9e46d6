/*
 * The organizer's deliberation (deliberation.c): every dossier with its
 * score, level and the jury's disagreement flags, the borderline list, the
 * jurors' agreement per criterion and their calibration; one dossier's
 * marks and comments (deliberation.c); level overrides with a reason
 * (override.c). pages.c's router table names the routes.
 */
#ifndef PALMARES_SERVER_DELIBERATION_H
#define PALMARES_SERVER_DELIBERATION_H

#include "http.h"
#include "palmares/rubric.h"

/* Rows of the dossiers' table per page (as the scores table). */
#define DELIBERATION_PAGE_ROWS 100

void deliberation_page(http_req *r, http_resp *out);      /* GET /organizer/deliberation */
void deliberation_town_page(http_req *r, http_resp *out); /* GET /organizer/deliberation/TOWN */
void override_post(http_req *r, http_resp *out);          /* POST /organizer/override (override.c) */

/* What deliberation.c and override.c share. */

/* The override form as typed, with its messages (0: none) when refused. */
typedef struct {
	const char *level, *reason;
	words_key level_error, reason_error;
	int refused;
} override_form;

/* A dossier's deliberation page with the override form f, answered with
 * status; 404 when the town is not in the scored campaign. */
void deliberation_dossier(http_req *r, http_resp *out, const char *town, const override_form *f, int status);

/* The override in force and the form (or why it is closed), for town. */
void override_section(html *h, const http_req *r, const pal_rubric *rb, const char *town,
		      const override_form *f);

/* "/organizer/deliberation/TOWN" (percent-encoded) into buf. */
const char *deliberation_town_path(const char *town, char *buf, size_t len);

#endif
