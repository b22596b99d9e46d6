/*
 * The HTTP layer of `palmares serve`: libmicrohttpd's daemon with a pool of
 * threads (each opens its own store connection, closed when the thread
 * ends), the request body bounded (forms ≤ 1 MiB, uploads ≤ 16 MiB, else
 * 413), form bodies decoded and checked (form.h; 400 for invalid UTF-8 or
 * NUL, malformed multipart), the session
 * from its cookie, the CSRF token and Origin of every POST checked (403),
 * and a router table (pages.c) of method, path and handler. Every response
 * carries the security headers (CSP without inline script, nosniff,
 * same-origin referrer, frame-ancestors 'none'), and no-store when the page
 * holds personal data.
 * Flow: http_start() → requests on the pool's threads → http_stop().
 */
#ifndef PALMARES_SERVER_HTTP_H
#define PALMARES_SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "form.h"
#include "palmares/documents.h"
#include "html.h"
#include "permit.h"
#include "store.h"
#include "words.h"

#define HTTP_BODY_MAX (1u << 20)     /* form bodies: 1 MiB */
#define HTTP_UPLOAD_MAX (16u << 20)  /* multipart bodies (a dossier, evidence, a towns file): 16 MiB */
#define HTTP_PAGE_MAX (8u << 20)     /* an HTML page */
#define HTTP_SESSION_TTL (12 * 3600) /* a session lasts 12 hours */
#define HTTP_INVITATION_TTL (30 * 24 * 3600)
#define HTTP_COOKIE "palmares_session"

typedef struct {
	const char *db_path;      /* the campaign file (must exist) */
	const char *listen;       /* "HOST:PORT", IPv4 or [IPv6]; NULL: 127.0.0.1:8080 */
	const char *base_url;     /* the public URL (https://label.example.org), NULL: http://HOST:PORT */
	const char *results_path; /* a published results file for /verify, NULL: none */
	unsigned threads;         /* worker threads; 0: 4 */
	unsigned verify_limit;    /* /verify lookups per client and minute; 0: 30 */
	const char *cert_path;    /* TLS by libmicrohttpd: a PEM certificate (chain) and its */
	const char *key_path;     /* PEM private key, both or neither; NULL: plain HTTP */
} http_config;

#define HTTP_TLS_FILE_MAX (1u << 20) /* a PEM certificate chain or key */

typedef struct http_server http_server;

/* Starts the daemon. On success *out is an owned server (stop with
 * http_stop()) and 0 is returned; else -1 with a message in err. */
int http_start(const http_config *cfg, http_server **out, char *err, size_t errlen);

/* Stops the daemon, waits for its threads, frees everything; accepts NULL. */
void http_stop(http_server *srv);

/* The URL the server answers at (the base URL, or http://HOST:PORT); borrowed. */
const char *http_base_url(const http_server *srv);

/* The campaign file's path, as given to http_start(); borrowed. */
const char *http_db_path(const http_server *srv);

/* ---- what handlers (pages.c) see ---- */

typedef struct http_req {
	const http_server *srv;
	const char *method, *path;
	const char *arg;    /* the part of the path after a prefix route ("/login/" → the token) */
	const char *client; /* the client's address, as text */
	words_lang lang;
	int lang_in_query; /* ?lang= was given: links keep it */
	store *st;         /* this thread's store connection */
	int64_t now;
	permit_phase phase;
	permit_actor who;   /* ROLE_ANONYMOUS without a valid session */
	store_session sess; /* valid when who.role != ROLE_ANONYMOUS */
	unsigned char sess_hash[32];
	const char *query; /* a query parameter getter's context */
	void *conn;        /* struct MHD_Connection * */
	form form;         /* the POST's fields (empty for GET) */
} http_req;

typedef struct {
	int status;
	char *body; /* owned (free()) */
	size_t len;
	const char *type;        /* Content-Type; NULL: text/html; charset=utf-8 */
	int personal;            /* Cache-Control: no-store */
	char location[512];      /* a redirect's Location, "" when none */
	char cookie[256];        /* a Set-Cookie value, "" when none */
	const char *disposition; /* Content-Disposition, NULL when none */
} http_resp;

/* A query parameter of the request (decoded), NULL when absent. Borrowed. */
const char *http_query(const http_req *r, const char *name);

/* The CSRF token text forms of this request carry (the session's, or for a
 * request without a session, one tied to the path by a key of the server). */
void http_csrf_text(const http_req *r, char text[45]);

/* 1 when the published results have a certificate carrying code (already
 * normalized): fn reads its town (index town of r) under the server's lock. */
typedef void (*http_verify_fn)(void *ctx, const pal_doc_results *r, size_t town);
int http_verify(const http_server *srv, const char *code, http_verify_fn fn, void *ctx);

/* The limit of /verify lookups per client and minute. */
unsigned http_verify_limit(const http_server *srv);

/* 1 when cookies get Secure (the base URL is https, or the server does TLS). */
int http_secure(const http_server *srv);

/* ---- the router (pages.c) ---- */

#define ROUTE_PREFIX 0x1 /* the path starts with the pattern; the rest is r->arg (no '/' in it) */

typedef void (*http_handler)(http_req *r, http_resp *out);

typedef struct {
	const char *method, *pattern;
	unsigned flags;
	http_handler handler;
} http_route;

extern const http_route http_routes[];
extern const size_t http_route_count;

/* An error page (404, 403, 400, 413, 429, 500...) with its sentence. */
void http_error_page(http_req *r, http_resp *out, int status, words_key text);

#endif
