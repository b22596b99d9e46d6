/*
 * The organizer's deliberation (deliberation.c): every dossier with its
 * score, level and the jury's disagreement flags, the borderline list, the
 * jurors' agreement per criterion and their calibration; one dossier's
 * marks and comments; level overrides with a reason. pages.c's router
 * table names these.
 */
#ifndef PALMARES_SERVER_DELIBERATION_H
#define PALMARES_SERVER_DELIBERATION_H

#include "http.h"

/* Rows of the dossiers' table per page (as the scores table). */
#define DELIBERATION_PAGE_ROWS 100

void deliberation_page(http_req *r, http_resp *out);      /* GET /organizer/deliberation */
void deliberation_town_page(http_req *r, http_resp *out); /* GET /organizer/deliberation/TOWN */
void override_post(http_req *r, http_resp *out);          /* POST /organizer/override */

#endif
