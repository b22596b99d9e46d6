/*
 * The organizer's scores (organizer_scores.c): the live table, one town's
 * explanation, and the downloads of the live campaign (results as JSON and
 * CSV, certificates, ceremony booklet, a town's feedback report), which
 * pages.c's router table names.
 */
#ifndef PALMARES_SERVER_ORGANIZER_SCORES_H
#define PALMARES_SERVER_ORGANIZER_SCORES_H

#include "http.h"

/* Rows of the live table per page. */
#define SCORES_PAGE_ROWS 100

void scores_page(http_req *r, http_resp *out);      /* GET /organizer/scores */
void explain_page(http_req *r, http_resp *out);     /* GET /organizer/explain/TOWN */
void results_json(http_req *r, http_resp *out);     /* GET /organizer/results.json */
void results_csv(http_req *r, http_resp *out);      /* GET /organizer/results.csv */
void certificates_pdf(http_req *r, http_resp *out); /* GET /organizer/certificates.pdf */
void booklet_pdf(http_req *r, http_resp *out);      /* GET /organizer/booklet.pdf */
void report_pdf(http_req *r, http_resp *out);       /* GET /organizer/report/TOWN */

#endif
