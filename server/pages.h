/*
 * What the page modules (pages.c, dossier.c) share: the top and the end of
 * every page, the hidden CSRF field of a form, and the dossier's handlers
 * that pages.c's router table names.
 */
#ifndef PALMARES_SERVER_PAGES_H
#define PALMARES_SERVER_PAGES_H

#include <stdint.h>

#include "http.h"

/* The top of every page: the header (home, language, who, logout) and <main><h1>title. */
void page_begin(html *h, const http_req *r, const char *title);

/* Ends the page and hands it to out (owned by out); frees h; a failed page is a 500. */
void page_end(html *h, http_resp *out, int status);

/* The hidden CSRF field of a form. */
void csrf_field(html *h, const http_req *r);

/* A 303 to path (a page of ours). */
void page_redirect(http_resp *out, const char *path);

/* Links, the same on every page:
 * - page_with_lang(): path with ?lang= (or &lang=) kept when the request
 *   chose its language by the query, written into buf (cut to len); returns buf;
 * - page_path(): prefix then segment percent-encoded (unreserved characters
 *   kept, every other byte %XX: a town id may hold anything), into buf; returns buf. */
const char *page_with_lang(const http_req *r, const char *path, char *buf, size_t len);
const char *page_path(const char *prefix, const char *segment, char *buf, size_t len);

/* A number as the pages show it: at most two decimals, no trailing zeros,
 * the page's decimal mark ("12,5" in French). */
void page_number(const http_req *r, double v, char *buf, size_t len);

/* The page asked by ?page=N of a paged table: 1 for anything but a plain
 * positive number (a sign, letters, an overflow). */
size_t page_of_query(const char *s);

/* A paged table's "previous · page N / M · next" line: prev and next are the
 * links of the pages before and after (used only when there is one). */
/* An import form: a CSV file posted (multipart, with the CSRF field) to
 * action as field name, its input id id, and a button; no_file says above it
 * that no file was chosen. */
void page_csv_form(html *h, const http_req *r, const char *action, const char *name, const char *id,
		   words_key button, int no_file);

void page_pager(html *h, const http_req *r, size_t page, size_t pages, const char *prev, const char *next);

/* Opens a session for person (a new id at each login: a planted one never
 * opens) and answers a 303 to /, with its cookie: the one way both logins,
 * by link and by password, open a session. */
void session_open(http_req *r, http_resp *out, int64_t person);

/* A time in the server's local time with its offset: "2027-03-01 09:00 UTC+01:00" (settings.c). */
#define PAGE_TIME_SIZE 40
void page_time(int64_t t, char buf[PAGE_TIME_SIZE]);

/* The name of a phase in the page's language (organizer.c). */
const char *phase_word(const http_req *r, permit_phase p);

/* The organizer's pages' navigation (organizer.c): each link only when
 * permit() allows its page; then the current phase. */
void organizer_nav(html *h, const http_req *r);

/* The organizer's running of the campaign: organizer.c (the overview, the
 * towns import, reopening), settings.c (phases), login.c (password login
 * and the organizer's password), audit.c (the log). */
void organizer_get(http_req *r, http_resp *out);
void towns_import_post(http_req *r, http_resp *out);
void reopen_post(http_req *r, http_resp *out);
void settings_get(http_req *r, http_resp *out);
void settings_post(http_req *r, http_resp *out);
void password_login_get(http_req *r, http_resp *out);
void password_login_post(http_req *r, http_resp *out);
void password_get(http_req *r, http_resp *out);
void password_post(http_req *r, http_resp *out);
void audit_get(http_req *r, http_resp *out);
void audit_csv_get(http_req *r, http_resp *out);

/* The table /verify shows for the certificate of town i of res (pages.c):
 * published_at the date its results were published, negative for the
 * published phase's start. */
void verify_show(html *h, const http_req *r, const pal_doc_results *res, size_t i, int64_t published_at);

/* GET and POST /dossier (the town's own) and /dossier/TOWN (dossier.c, dossier_save.c). */
void dossier_get(http_req *r, http_resp *out);
void dossier_post(http_req *r, http_resp *out);

#endif
