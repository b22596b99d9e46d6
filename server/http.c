/*
 * The HTTP loop (http.h): libmicrohttpd calls on_request() on one of the
 * pool's threads, first with the headers (a declared body over the limit is
 * refused there, before it is read), then with each piece of the body
 * (kept up to HTTP_BODY_MAX, HTTP_UPLOAD_MAX for multipart; past it the rest is dropped and the answer is
 * 413), then once more to answer. Answering: the thread's store, the clock
 * read once ("now", handed to the store and permit()), the session from the
 * cookie, the route, and for a POST the form type, the Origin, the form's
 * text and the CSRF token, in that order; then the handler; then the
 * security headers on whatever it answered.
 */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <sodium.h>

#include "answers.h"
#include "auth.h"
#include "publish.h"
#include "palmares/documents.h"

struct http_server {
	struct MHD_Daemon *d;
	char *db_path;
	char base[512];   /* the public URL, without a final '/' */
	char origin[512]; /* scheme://host[:port] of the base URL, "" when none was given */
	int secure;
	int tls;          /* libmicrohttpd does TLS (--cert/--key) */
	char *cert, *key; /* their PEM text while the daemon runs; the key wiped at the end */
	size_t key_len;
	unsigned char anon_key[crypto_generichash_KEYBYTES];
	pal_doc_results *results;
	pthread_mutex_t results_lock;
	pthread_key_t store_key;
	store_checkpointer *checkpointer; /* the log copied into the file out of the saves' way */
	int key_made, lock_made;
	unsigned verify_limit;
};

/* What one request accumulates between the calls of libmicrohttpd. */
struct conn_state {
	char *body;
	size_t len, cap, max; /* max: HTTP_BODY_MAX, or HTTP_UPLOAD_MAX for a multipart body */
	int too_big;
	int answered; /* a response was queued before the body was read */
};

static void close_store(void *p)
{
	store_close(p);
}

const char *http_base_url(const http_server *srv)
{
	return srv->base;
}

const char *http_db_path(const http_server *srv)
{
	return srv->db_path;
}

int http_secure(const http_server *srv)
{
	return srv->secure;
}

unsigned http_verify_limit(const http_server *srv)
{
	return srv->verify_limit;
}

const char *http_query(const http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void http_csrf_text(const http_req *r, char text[45])
{
	if (r->who.role != ROLE_ANONYMOUS) {
		auth_token_text(r->sess.csrf, text);
		return;
	}
	/* No session, no stored secret: a keyed hash of the path, so that the
	 * form of one page cannot be replayed to another (a login form's POST
	 * still needs its invitation, and its Origin is checked). */
	unsigned char raw[AUTH_TOKEN_BYTES];
	crypto_generichash(raw, sizeof raw, (const unsigned char *)r->path, strlen(r->path), r->srv->anon_key,
			   sizeof r->srv->anon_key);
	auth_token_text(raw, text);
}

int http_verify(const http_server *srv, const char *code, http_verify_fn fn, void *ctx)
{
	size_t found[4];
	long n;
	if (!srv->results)
		return 0;
	pthread_mutex_lock((pthread_mutex_t *)&srv->results_lock);
	n = pal_doc_verify(srv->results, code, found, 4);
	if (n > 0)
		fn(ctx, srv->results, found[0]);
	pthread_mutex_unlock((pthread_mutex_t *)&srv->results_lock);
	return n > 0;
}

/* The headers of every response. */
static void security_headers(struct MHD_Response *resp, int personal)
{
	MHD_add_response_header(
		resp, "Content-Security-Policy",
		"default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (personal)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result queue(struct MHD_Connection *c, http_resp *out)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	if (!out->body) {
		out->body = strdup("");
		out->len = 0;
		if (!out->body)
			return MHD_NO;
	}
	resp = MHD_create_response_from_buffer(out->len, out->body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(out->body);
		return MHD_NO;
	}
	out->body = NULL;
	MHD_add_response_header(resp, "Content-Type", out->type ? out->type : "text/html; charset=utf-8");
	security_headers(resp, out->personal);
	if (out->location[0])
		MHD_add_response_header(resp, "Location", out->location);
	if (out->cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", out->cookie);
	if (out->disposition)
		MHD_add_response_header(resp, "Content-Disposition", out->disposition);
	ret = MHD_queue_response(c, (unsigned)out->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The thread's store connection, opened on its first request. */
static store *thread_store(http_server *srv)
{
	store *s = pthread_getspecific(srv->store_key);
	if (s)
		return s;
	char err[256];
	if (store_open(srv->db_path, 0, &s, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "palmares: error: serve: %s\n", err);
		return NULL;
	}
	if (pthread_setspecific(srv->store_key, s) != 0) {
		store_close(s);
		return NULL;
	}
	store_checkpointer_watch(srv->checkpointer, s);
	return s;
}

/* Fills who and sess from the session cookie; anonymous when it is
 * missing, malformed, unknown or expired (a forged cookie is no session). */
static void find_session(http_req *r)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, HTTP_COOKIE);
	r->who.role = ROLE_ANONYMOUS;
	if (!cookie || auth_token_text_hash(cookie, r->sess_hash) != AUTH_OK)
		return;
	if (store_session_find(r->st, r->sess_hash, r->now, &r->sess) != STORE_OK)
		return;
	r->who.role = r->sess.role;
	r->who.person_id = r->sess.person_id;
	r->who.town_id = r->sess.town_id;
}

static const http_route *find_route(const char *method, const char *path, const char **arg)
{
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	/* Exact paths first, then prefixes: "/dossier/report.pdf" is its own
	 * route wherever the table lists it, not "/dossier/TOWN"'s. */
	for (size_t i = 0; i < http_route_count; i++) {
		const http_route *rt = &http_routes[i];
		if (!(rt->flags & ROUTE_PREFIX) && strcmp(rt->method, method) == 0 && strcmp(path, rt->pattern) == 0) {
			*arg = "";
			return rt;
		}
	}
	for (size_t i = 0; i < http_route_count; i++) {
		const http_route *rt = &http_routes[i];
		size_t n = strlen(rt->pattern);
		if ((rt->flags & ROUTE_PREFIX) && strcmp(rt->method, method) == 0 && strncmp(path, rt->pattern, n) == 0 &&
		    path[n] && !strchr(path + n, '/')) {
			*arg = path + n;
			return rt;
		}
	}
	return NULL;
}

/* The Origin of a POST, when present, must be the server's own. */
static int origin_ok(const http_req *r)
{
	const char *origin = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Origin");
	char own[600];
	if (!origin)
		return 1; /* older browsers and non-browser clients; SameSite and the CSRF token still hold */
	if (r->srv->origin[0]) {
		return strcmp(origin, r->srv->origin) == 0;
	}
	const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
	if (!host)
		return 0;
	snprintf(own, sizeof own, "%s://%s", r->srv->tls ? "https" : "http", host);
	return strcmp(origin, own) == 0;
}

/* 1 for a urlencoded form (or an empty body without a type), 2 for a
 * multipart one (its boundary into boundary), 0 for anything else. */
static int form_type(struct MHD_Connection *c, size_t len, char boundary[FORM_BOUNDARY_MAX + 1])
{
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	const char *want = "application/x-www-form-urlencoded";
	size_t n = strlen(want);
	if (!type)
		return len == 0;
	if (strncasecmp(type, want, n) == 0 && (type[n] == 0 || type[n] == ';' || type[n] == ' '))
		return 1;
	return form_multipart_boundary(type, boundary) == 0 ? 2 : 0;
}

static void client_address(struct MHD_Connection *c, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(buf, len, "?");
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf,
			  (socklen_t)len);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf,
			  (socklen_t)len);
}

/* Answers a request whose body (if any) was read whole. */
static enum MHD_Result answer(http_server *srv, struct MHD_Connection *c, const char *url, const char *method,
			      struct conn_state *cs)
{
	http_req r;
	http_resp out;
	char client[64];
	enum MHD_Result ret;
	memset(&r, 0, sizeof r);
	memset(&out, 0, sizeof out);
	client_address(c, client, sizeof client);
	r.srv = srv;
	r.conn = c;
	r.method = method;
	r.path = url;
	r.client = client;
	const char *ql = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	r.lang_in_query = ql && (strcmp(ql, "en") == 0 || strcmp(ql, "fr") == 0);
	r.lang = words_pick(ql, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"));
	r.now = (int64_t)time(NULL);
	r.who.role = ROLE_ANONYMOUS;

	const http_route *rt = find_route(method, url, &r.arg);
	r.st = thread_store(srv);
	if (!r.st || store_phase_at(r.st, r.now, &r.phase) != STORE_OK) {
		http_error_page(&r, &out, 500, W_ERR_SERVER);
		goto done;
	}
	find_session(&r);
	if (cs->too_big) {
		http_error_page(&r, &out, 413, W_ERR_TOO_BIG);
		goto done;
	}
	if (!rt) {
		http_error_page(&r, &out, 404, W_ERR_NOT_FOUND);
		goto done;
	}
	if (strcmp(rt->method, "POST") == 0) {
		char want[45], boundary[FORM_BOUNDARY_MAX + 1];
		const char *token;
		int type = form_type(c, cs->len, boundary);
		if (!type) {
			http_error_page(&r, &out, 415, W_ERR_TYPE);
			goto done;
		}
		if (!origin_ok(&r)) {
			http_error_page(&r, &out, 403, W_ERR_FORBIDDEN);
			goto done;
		}
		form_status fs = type == 2 ? form_parse_multipart(cs->body ? cs->body : "", cs->len, boundary, &r.form)
				           : form_parse(cs->body ? cs->body : "", cs->len, &r.form);
		if (fs != FORM_OK) {
			http_error_page(&r, &out, fs == FORM_NOMEM ? 500 : 400,
					fs == FORM_BAD_TEXT ? W_ERR_BAD_TEXT
					: fs == FORM_NOMEM  ? W_ERR_SERVER
							    : W_ERR_BAD_REQUEST);
			goto done;
		}
		token = form_get(&r.form, "csrf");
		if (r.who.role != ROLE_ANONYMOUS) {
			if (!token || auth_csrf_check(r.sess.csrf, token) != AUTH_OK) {
				http_error_page(&r, &out, 403, W_ERR_FORBIDDEN);
				goto done;
			}
		} else {
			http_csrf_text(&r, want);
			if (!token || strlen(token) != 43 ||
			    !auth_equal((const unsigned char *)token, (const unsigned char *)want, 43)) {
				http_error_page(&r, &out, 403, W_ERR_FORBIDDEN);
				goto done;
			}
		}
	}
	rt->handler(&r, &out);
	if (out.status == 0) {
		free(out.body);
		out.body = NULL;
		http_error_page(&r, &out, 500, W_ERR_SERVER);
	}
done:
	if (!out.body && out.status == 0)
		out.status = 500;
	ret = queue(c, &out);
	free(out.body);
	form_clear(&r.form);
	store_session_clear(&r.sess);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size,
				  void **con_cls)
{
	http_server *srv = cls;
	struct conn_state *cs = *con_cls;
	(void)version;
	if (!cs) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		char boundary[FORM_BOUNDARY_MAX + 1];
		cs = calloc(1, sizeof *cs);
		if (!cs)
			return MHD_NO;
		*con_cls = cs;
		cs->max = form_type(c, 1, boundary) == 2 ? HTTP_UPLOAD_MAX : HTTP_BODY_MAX;
		if (cl) {
			char *end;
			errno = 0;
			unsigned long long n = strtoull(cl, &end, 10);
			if (errno || end == cl || n > cs->max)
				cs->too_big = 1;
		}
		if (cs->too_big) {
			/* Refused before its body is read: libmicrohttpd then closes the connection. */
			cs->answered = 1;
			return answer(srv, c, url, method, cs);
		}
		return MHD_YES;
	}
	if (cs->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (cs->too_big)
			return MHD_YES;
		if (cs->len + n > cs->max) {
			cs->too_big = 1;
			free(cs->body);
			cs->body = NULL;
			cs->len = cs->cap = 0;
			return MHD_YES;
		}
		if (cs->len + n + 1 > cs->cap) {
			size_t cap = cs->cap ? cs->cap : 4096;
			while (cap < cs->len + n + 1)
				cap *= 2;
			char *b = realloc(cs->body, cap);
			if (!b)
				return MHD_NO;
			cs->body = b;
			cs->cap = cap;
		}
		memcpy(cs->body + cs->len, upload_data, n);
		cs->len += n;
		cs->body[cs->len] = 0;
		return MHD_YES;
	}
	cs->answered = 1;
	return answer(srv, c, url, method, cs);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode t)
{
	struct conn_state *cs = *con_cls;
	(void)cls;
	(void)c;
	(void)t;
	if (cs) {
		free(cs->body);
		free(cs);
		*con_cls = NULL;
	}
}

/* "HOST:PORT" (IPv4, or [IPv6]) into a socket address. 0 or -1. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, int *v6, char *host, size_t hostlen,
			unsigned *port)
{
	const char *colon;
	size_t hl;
	memset(ss, 0, sizeof *ss);
	*v6 = listen[0] == '[';
	if (*v6) {
		const char *close = strchr(listen, ']');
		if (!close || close[1] != ':')
			return -1;
		hl = (size_t)(close - listen - 1);
		if (hl >= hostlen)
			return -1;
		memcpy(host, listen + 1, hl);
		colon = close + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return -1;
		hl = (size_t)(colon - listen);
		if (hl >= hostlen)
			return -1;
		memcpy(host, listen, hl);
	}
	host[hl] = 0;
	char *end;
	errno = 0;
	long p = strtol(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || p < 1 || p > 65535)
		return -1;
	*port = (unsigned)p;
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p);
		return inet_pton(AF_INET6, host, &a->sin6_addr) == 1 ? 0 : -1;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)p);
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

/* The origin (scheme://host[:port]) of a base URL; -1 unless http(s). */
static int base_origin(const char *base, char *origin, size_t len, int *secure)
{
	const char *rest;
	if (strncasecmp(base, "https://", 8) == 0) {
		*secure = 1;
		rest = base + 8;
	} else if (strncasecmp(base, "http://", 7) == 0) {
		*secure = 0;
		rest = base + 7;
	} else {
		return -1;
	}
	size_t hl = strcspn(rest, "/?#");
	if (hl == 0 || (size_t)(rest - base) + hl >= len)
		return -1;
	memcpy(origin, base, (size_t)(rest - base) + hl);
	origin[(size_t)(rest - base) + hl] = 0;
	for (char *p = origin; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

/* A PEM file's text, NUL-terminated (owned), that holds the marker; NULL
 * with a message in err (the file first) otherwise. */
static char *read_pem(const char *path, const char *marker, const char *what, size_t *len, char *err,
		      size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	if (!f) {
		snprintf(err, errlen, "%s: cannot read the %s: %s", path, what, strerror(errno));
		return NULL;
	}
	buf = malloc(HTTP_TLS_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, HTTP_TLS_FILE_MAX + 1, f);
	if (ferror(f) || n > HTTP_TLS_FILE_MAX) {
		snprintf(err, errlen, "%s: cannot read the %s: %s", path, what,
			 ferror(f) ? strerror(errno) : "larger than 1 MiB");
		fclose(f);
		sodium_memzero(buf, n);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	if (strlen(buf) != n || !strstr(buf, marker)) {
		snprintf(err, errlen, "%s: not a PEM %s (no \"%s\" line)", path, what, marker);
		sodium_memzero(buf, n);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* --cert/--key: both or neither, a libmicrohttpd with TLS, both files read. 0 or -1. */
static int load_tls(http_server *srv, const http_config *cfg, char *err, size_t errlen)
{
	size_t n;
	if (!cfg->cert_path && !cfg->key_path)
		return 0;
	if (!cfg->cert_path || !cfg->key_path) {
		snprintf(err, errlen, "%s needs %s too: the certificate and its private key go together",
			 cfg->cert_path ? "--cert" : "--key", cfg->cert_path ? "--key" : "--cert");
		return -1;
	}
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errlen,
			 "this libmicrohttpd is built without TLS: --cert and --key cannot work; "
			 "put a reverse proxy doing HTTPS in front (docs/web.md)");
		return -1;
	}
	if (!(srv->cert = read_pem(cfg->cert_path, "-----BEGIN CERTIFICATE-----", "certificate", &n, err,
				   errlen)))
		return -1;
	if (!(srv->key =
		      read_pem(cfg->key_path, "PRIVATE KEY-----", "private key", &srv->key_len, err, errlen)))
		return -1;
	srv->tls = srv->secure = 1;
	return 0;
}

int http_start(const http_config *cfg, http_server **out, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	char host[256];
	unsigned port;
	int v6;
	const char *listen = cfg->listen ? cfg->listen : "127.0.0.1:8080";
	http_server *srv;
	*out = NULL;
	if (auth_init() != AUTH_OK) {
		snprintf(err, errlen, "libsodium could not start");
		return -1;
	}
	if (parse_listen(listen, &ss, &v6, host, sizeof host, &port) != 0) {
		snprintf(err, errlen, "--listen \"%s\" is not HOST:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)",
			 listen);
		return -1;
	}
	srv = calloc(1, sizeof *srv);
	if (!srv || !(srv->db_path = strdup(cfg->db_path))) {
		free(srv);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	srv->verify_limit = cfg->verify_limit ? cfg->verify_limit : 30;
	if (load_tls(srv, cfg, err, errlen) != 0) {
		http_stop(srv);
		return -1;
	}
	if (cfg->base_url) {
		size_t n = strlen(cfg->base_url);
		while (n && cfg->base_url[n - 1] == '/')
			n--;
		if (n >= sizeof srv->base ||
		    base_origin(cfg->base_url, srv->origin, sizeof srv->origin, &srv->secure) != 0) {
			snprintf(err, errlen, "--base-url \"%s\" is not an http:// or https:// URL",
				 cfg->base_url);
			http_stop(srv);
			return -1;
		}
		if (srv->tls && !srv->secure) {
			/* The pages would link to http:// and the browsers' https
			 * Origin would never match: a mistake, said now. */
			snprintf(err, errlen, "--base-url \"%s\" must be https:// when the server does TLS",
				 cfg->base_url);
			http_stop(srv);
			return -1;
		}
		memcpy(srv->base, cfg->base_url, n);
		srv->base[n] = 0;
	} else {
		snprintf(srv->base, sizeof srv->base, v6 ? "%s://[%s]:%u" : "%s://%s:%u",
			 srv->tls ? "https" : "http", host, port);
	}
	randombytes_buf(srv->anon_key, sizeof srv->anon_key);
	if (pthread_key_create(&srv->store_key, close_store) != 0) {
		snprintf(err, errlen, "cannot create a thread key");
		http_stop(srv);
		return -1;
	}
	srv->key_made = 1;
	pthread_mutex_init(&srv->results_lock, NULL);
	srv->lock_made = 1;
	/* The store must open before the daemon answers anything. */
	{
		store *s;
		if (store_open(cfg->db_path, 0, &s, err, errlen) != STORE_OK) {
			http_stop(srv);
			return -1;
		}
		char *label = NULL;
		store_status st = store_campaign_get(s, &label, NULL);
		free(label);
		store_close(s);
		if (st != STORE_OK) {
			snprintf(err, errlen,
				 "\"%s\" holds no campaign: create it with palmares campaign init",
				 cfg->db_path);
			http_stop(srv);
			return -1;
		}
	}
	if (store_checkpointer_start(cfg->db_path, &srv->checkpointer, err, errlen) != STORE_OK) {
		http_stop(srv);
		return -1;
	}
	if (cfg->results_path) {
		pal_diags *d = pal_diags_new();
		int status = 0;
		srv->results = d ? pal_doc_results_load(cfg->results_path, d, &status) : NULL;
		if (!srv->results || status != PAL_DOC_OK) {
			if (d)
				pal_doc_diags_print(d, 0, stderr);
			pal_diags_free(d);
			snprintf(err, errlen, "cannot load the results \"%s\"", cfg->results_path);
			http_stop(srv);
			return -1;
		}
		pal_diags_free(d);
	}
	/* The key and certificate options only with TLS: otherwise the array
	 * given is its last entry alone, MHD_OPTION_END. */
	struct MHD_OptionItem tls[] = {
		{MHD_OPTION_HTTPS_MEM_KEY, 0, srv->key},
		{MHD_OPTION_HTTPS_MEM_CERT, 0, srv->cert},
		{MHD_OPTION_END, 0, NULL},
	};
	srv->d = MHD_start_daemon(
		MHD_USE_AUTO_INTERNAL_THREAD | (v6 ? MHD_USE_IPv6 : 0) | (srv->tls ? MHD_USE_TLS : 0),
		(uint16_t)port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads ? cfg->threads : 4),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_ARRAY, srv->tls ? tls : tls + 2, MHD_OPTION_END);
	if (!srv->d) {
		if (srv->tls)
			snprintf(err, errlen,
				 "cannot serve HTTPS on %s: the certificate \"%s\" and the key \"%s\" do not "
				 "load together (not a pair, or an encrypted key), or the address is taken",
				 listen, cfg->cert_path, cfg->key_path);
		else
			snprintf(err, errlen, "cannot listen on %s", listen);
		http_stop(srv);
		return -1;
	}
	*out = srv;
	return 0;
}

void http_stop(http_server *srv)
{
	if (!srv)
		return;
	if (srv->d)
		MHD_stop_daemon(srv->d);
	/* After the daemon's threads, whose commits may wake it. */
	store_checkpointer_stop(srv->checkpointer);
	if (srv->key_made)
		pthread_key_delete(srv->store_key);
	if (srv->lock_made)
		pthread_mutex_destroy(&srv->results_lock);
	pal_doc_results_free(srv->results);
	/* The daemon has stopped: no request reads a shared rubric any more. */
	campaign_rubric_cache_free();
	publish_cache_free(); /* the published results that /verify and the documents read */
	if (srv->key)
		sodium_memzero(srv->key, srv->key_len);
	free(srv->key);
	free(srv->cert);
	free(srv->db_path);
	free(srv);
}
