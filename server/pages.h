/*
 * What the page modules (pages.c, dossier.c) share: the top and the end of
 * every page, the hidden CSRF field of a form, and the dossier's handlers
 * that pages.c's router table names.
 */
#ifndef PALMARES_SERVER_PAGES_H
#define PALMARES_SERVER_PAGES_H

#include "http.h"

/* The top of every page: the header (home, language, who, logout) and <main><h1>title. */
void page_begin(html *h, const http_req *r, const char *title);

/* Ends the page and hands it to out (owned by out); frees h; a failed page is a 500. */
void page_end(html *h, http_resp *out, int status);

/* The hidden CSRF field of a form. */
void csrf_field(html *h, const http_req *r);

/* GET and POST /dossier (the town's own) and /dossier/TOWN (dossier.c). */
void dossier_get(http_req *r, http_resp *out);
void dossier_post(http_req *r, http_resp *out);

#endif
