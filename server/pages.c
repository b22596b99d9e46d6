/*
 * The routes of `palmares serve` and their pages (the router table is at
 * the end). Every handler asks permit() first and answers 404 when it is
 * not allowed, as for a page that does not exist; no GET changes anything.
 * Pages are written with html.h only, their sentences come from words.c.
 * The dossier form's routes are in dossier.c; the organizer's running of the
 * campaign in organizer.c, settings.c, login.c and audit.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "links.h"
#include "dossier.h"
#include "jury.h"
#include "organizer_scores.h"
#include "deliberation.h"
#include "jury_organizer.h"
#include "pages.h"
#include "palmares/documents.h"
#include "publish.h"

/* The one CSS file, compiled in (no inline style: the CSP refuses it). */
static const char css[] =
	"body{font-family:system-ui,sans-serif;margin:0;color:#1c1c1c;background:#fafafa;line-height:1.5}\n"
	"header{display:flex;gap:1em;align-items:center;flex-wrap:wrap;padding:.6em 1.2em;background:#16365c;"
	"color:#fff}\n"
	"header a{color:#fff}\nheader form{margin:0}\n.who{margin-left:auto}\n"
	"main{max-width:60em;margin:1.5em auto;padding:0 1.2em}\n"
	"table{border-collapse:collapse;width:100%}\nth,td{border-bottom:1px solid #ccc;padding:.3em .5em;"
	"text-align:left}\n"
	"button{font:inherit;padding:.35em 1em;border:1px solid #16365c;background:#fff;color:#16365c;"
	"border-radius:.3em;cursor:pointer}\n"
	"button.primary{background:#16365c;color:#fff}\n"
	".error{color:#a00;font-weight:bold}\n.note{color:#555}\n"
	"input[type=text]{font:inherit;padding:.3em;width:14em}\n"
	"section.category{margin:1.5em 0;border-top:2px solid #16365c}\n"
	".criterion{margin:1em 0;padding:.5em .8em;background:#fff;border:1px solid "
	"#ddd;border-radius:.3em}\n"
	".criterion h3{margin:.2em 0;font-size:1.05em}\n.criterion label{margin-right:1em}\n"
	".criterion.not-applying{background:#f0f0f0;color:#555}\n.field-error{border-color:#a00}\n"
	"textarea{font:inherit;width:100%;min-height:4em}\n.saved{color:#060;font-weight:bold}\n"
	"code{overflow-wrap:anywhere}\n"
	"ul.organizer-nav{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em 1.4em}\n#audit td{overflow-wrap:anywhere}\n#audit td:first-child{white-space:nowrap}\n"
	"@media print{header,nav,form{display:none}main{margin:0}}\n";

const char *page_with_lang(const http_req *r, const char *path, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", path,
		 !r->lang_in_query   ? ""
		 : strchr(path, '?') ? "&lang="
				     : "?lang=",
		 r->lang_in_query ? words_code(r->lang) : "");
	return buf;
}

const char *page_path(const char *prefix, const char *segment, char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n;
	if (!len)
		return buf;
	n = (size_t)snprintf(buf, len, "%s", prefix);
	if (n >= len)
		return buf;
	for (; *segment && n + 4 < len; segment++) {
		unsigned char c = (unsigned char)*segment;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || c == '.' || c == '~') {
			buf[n++] = (char)c;
		} else {
			buf[n++] = '%';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		}
	}
	buf[n] = 0;
	return buf;
}

size_t page_of_query(const char *s)
{
	char *end;
	unsigned long long v;
	if (!s || !*s || s[0] == '-' || s[0] == '+')
		return 1;
	errno = 0;
	v = strtoull(s, &end, 10);
	return *end || errno || v == 0 || v > (size_t)-1 / 2 ? 1 : (size_t)v;
}

static void pager_link(html *h, const char *href, const char *rel, const char *text)
{
	html_open(h, "a");
	html_attr(h, "href", href);
	html_attr(h, "rel", rel);
	html_text(h, text);
	html_close(h, "a");
}

void page_pager(html *h, const http_req *r, size_t page, size_t pages, const char *prev, const char *next)
{
	html_open(h, "p");
	html_attr(h, "class", "pager");
	if (page > 1) {
		pager_link(h, prev, "prev", words(r->lang, W_PREVIOUS));
		html_text(h, " ");
	}
	html_text(h, words(r->lang, W_PAGE));
	html_text(h, " ");
	html_int(h, (long long)page);
	html_text(h, " / ");
	html_int(h, (long long)pages);
	if (page < pages) {
		html_text(h, " ");
		pager_link(h, next, "next", words(r->lang, W_NEXT));
	}
	html_close(h, "p");
}

void page_csv_form(html *h, const http_req *r, const char *action, const char *name, const char *id,
		   words_key button, int no_file)
{
	if (no_file) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_text(h, words(r->lang, W_IMPORT_NO_FILE));
		html_close(h, "p");
	}
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", action);
	html_attr(h, "enctype", "multipart/form-data");
	csrf_field(h, r);
	html_open(h, "label");
	html_attr(h, "for", id);
	html_text(h, words(r->lang, W_IMPORT_FILE));
	html_close(h, "label");
	html_text(h, " ");
	html_open(h, "input");
	html_attr(h, "type", "file");
	html_attr(h, "id", id);
	html_attr(h, "name", name);
	html_attr(h, "accept", ".csv,text/csv");
	html_text(h, " ");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_text(h, words(r->lang, button));
	html_close(h, "button");
	html_close(h, "form");
}

void page_number(const http_req *r, double v, char *buf, size_t len)
{
	char *dot;
	snprintf(buf, len, "%.2f", v);
	if ((dot = strchr(buf, '.'))) {
		char *e = buf + strlen(buf) - 1;
		while (e > dot && *e == '0')
			*e-- = 0;
		if (e == dot)
			*e = 0;
	}
	if (!strcmp(buf, "-0"))
		snprintf(buf, len, "0");
	words_decimal(r->lang, buf);
}

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

/* The hidden CSRF field of a form. */
void csrf_field(html *h, const http_req *r)
{
	char token[45];
	http_csrf_text(r, token);
	html_open(h, "input");
	html_attr(h, "type", "hidden");
	html_attr(h, "name", "csrf");
	html_attr(h, "value", token);
}

static const char *role_word(const http_req *r, permit_role role)
{
	return tr(r, role == ROLE_ORGANIZER ? W_ROLE_ORGANIZER
		     : role == ROLE_TOWN    ? W_ROLE_TOWN
					    : W_ROLE_JUROR);
}

/* The top of every page: the header (home, language, who, logout) and <main><h1>. */
void page_begin(html *h, const http_req *r, const char *title)
{
	char buf[600];
	html_raw_trusted(h, "<!DOCTYPE html>\n");
	html_open(h, "html");
	html_attr(h, "lang", words_code(r->lang));
	html_open(h, "head");
	html_open(h, "meta");
	html_attr(h, "charset", "utf-8");
	html_open(h, "meta");
	html_attr(h, "name", "viewport");
	html_attr(h, "content", "width=device-width, initial-scale=1");
	html_element_text(h, "title", title);
	html_open(h, "link");
	html_attr(h, "rel", "stylesheet");
	html_attr(h, "href", "/static/palmares.css");
	html_close(h, "head");
	html_open(h, "body");
	html_open(h, "header");
	html_open(h, "a");
	html_attr(h, "href", page_with_lang(r, "/", buf, sizeof buf));
	html_text(h, tr(r, W_SITE_TITLE));
	html_close(h, "a");
	html_open(h, "a");
	/* The same page in the other language; a path that is not one of ours
	 * ("//host/x" would leave the site) links to the home page instead. */
	snprintf(buf, sizeof buf, "%s?lang=%s", r->path[0] == '/' && r->path[1] != '/' ? r->path : "/",
		 r->lang == LANG_EN ? "fr" : "en");
	html_attr(h, "href", buf);
	html_attr(h, "hreflang", r->lang == LANG_EN ? "fr" : "en");
	html_text(h, tr(r, W_OTHER_LANGUAGE));
	html_close(h, "a");
	if (r->who.role != ROLE_ANONYMOUS) {
		store_person p;
		memset(&p, 0, sizeof p);
		html_open(h, "span");
		html_attr(h, "class", "who");
		html_text(h, tr(r, W_LOGGED_IN_AS));
		html_text(h, " ");
		if (store_person_get(r->st, r->who.person_id, &p) == STORE_OK)
			html_element_text(h, "strong", p.name);
		html_text(h, " (");
		html_text(h, role_word(r, r->who.role));
		html_text(h, ")");
		html_close(h, "span");
		store_person_clear(&p);
		html_open(h, "form");
		html_attr(h, "method", "post");
		html_attr(h, "action", "/logout");
		csrf_field(h, r);
		html_open(h, "button");
		html_attr(h, "type", "submit");
		html_text(h, tr(r, W_LOGOUT));
		html_close(h, "button");
		html_close(h, "form");
	}
	html_close(h, "header");
	html_open(h, "main");
	html_element_text(h, "h1", title);
}

/* Ends the page and hands it to out; a failed page is a 500. */
void page_end(html *h, http_resp *out, int status)
{
	html_status st;
	html_close(h, "main");
	html_close(h, "body");
	html_close(h, "html");
	out->body = html_take(h, &out->len, &st);
	html_free(h);
	out->status = out->body ? status : 0; /* 0: http.c answers 500 */
}

void http_error_page(http_req *r, http_resp *out, int status, words_key text)
{
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, text));
	html_open(h, "p");
	html_open(h, "a");
	html_attr(h, "href", "/");
	html_text(h, tr(r, W_HOME));
	html_close(h, "a");
	html_close(h, "p");
	page_end(h, out, status);
	out->personal = 1;
	if (!out->body) {
		static const char fallback[] = "error\n";
		out->body = strdup(fallback);
		out->len = out->body ? sizeof fallback - 1 : 0;
		out->type = "text/plain; charset=utf-8";
		out->status = status;
	}
}

static int allowed(const http_req *r, permit_action a, const permit_target *t)
{
	return permit(&r->who, a, t, r->phase) == PERMIT_ALLOW;
}

static void link_paragraph(html *h, const http_req *r, const char *path, words_key text)
{
	char buf[600];
	html_open(h, "p");
	html_open(h, "a");
	html_attr(h, "href", page_with_lang(r, path, buf, sizeof buf));
	html_text(h, tr(r, text));
	html_close(h, "a");
	html_close(h, "p");
}

/* GET /: who am I, and the links of my role. */
static void home(http_req *r, http_resp *out)
{
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_HOME));
	if (r->who.role == ROLE_ANONYMOUS) {
		html_element_text(h, "p", tr(r, W_NOT_LOGGED_IN));
		link_paragraph(h, r, "/login", W_PWLOGIN_TITLE);
	}
	if (allowed(r, ACT_CAMPAIGN_VIEW, NULL))
		link_paragraph(h, r, "/organizer", W_ORGANIZER_PAGE);
	if (r->who.role == ROLE_TOWN) {
		store_dossier d;
		permit_target t = {r->who.town_id, 0, 0, 0, 0, SEE_NEVER, 0};
		if (store_dossier_get(r->st, r->who.town_id, &d) == STORE_OK) {
			t.submitted = d.state == DOSSIER_SUBMITTED;
			t.reopened = d.reopened;
		}
		if (allowed(r, ACT_DOSSIER_VIEW, &t)) {
			char *name = NULL;
			if (store_town_get(r->st, r->who.town_id, &name, NULL, NULL) == STORE_OK) {
				html_open(h, "p");
				html_text(h, tr(r, W_TOWN));
				html_text(h, " ");
				html_element_text(h, "strong", name);
				html_close(h, "p");
			}
			free(name);
			link_paragraph(h, r, "/dossier", W_DOSSIER_OPEN);
		}
	}
	if (allowed(r, ACT_JURY_QUEUE, NULL))
		link_paragraph(h, r, "/jury", W_JURY_QUEUE_TITLE);
	/* once published: the town's documents, the palmarès (publish.c) */
	publish_home_links(h, r);
	if (allowed(r, ACT_VERIFY_CODE, NULL))
		link_paragraph(h, r, "/verify", W_VERIFY_TITLE);
	page_end(h, out, 200);
	out->personal = r->who.role != ROLE_ANONYMOUS;
}

/* GET /login/TOKEN: the button that uses the invitation (a GET uses nothing,
 * so that a mail scanner following the link does not spend it). */
static void login_get(http_req *r, http_resp *out)
{
	unsigned char hash[AUTH_HASH_BYTES];
	int64_t person;
	if (!allowed(r, ACT_LOGIN, NULL) || auth_token_text_hash(r->arg, hash) != AUTH_OK ||
	    store_invitation_find(r->st, hash, r->now, &person) != STORE_OK) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_LOGIN_TITLE));
	html_element_text(h, "p", tr(r, W_LOGIN_INTRO));
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", r->path);
	csrf_field(h, r);
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_attr(h, "class", "primary");
	html_text(h, tr(r, W_LOGIN_BUTTON));
	html_close(h, "button");
	html_close(h, "form");
	page_end(h, out, 200);
	out->personal = 1;
}

static void set_cookie(const http_req *r, http_resp *out, const char *value, long max_age)
{
	snprintf(out->cookie, sizeof out->cookie, "%s=%s; HttpOnly; SameSite=Lax; Path=/; Max-Age=%ld%s",
		 HTTP_COOKIE, value, max_age, http_secure(r->srv) ? "; Secure" : "");
}

void page_redirect(http_resp *out, const char *to)
{
	out->status = 303;
	snprintf(out->location, sizeof out->location, "%s", to);
	out->body = strdup("");
	out->len = 0;
	out->personal = 1;
	if (!out->body)
		out->status = 0;
}

/* POST /login/TOKEN: uses the invitation once and opens a session. */
static void login_post(http_req *r, http_resp *out)
{
	unsigned char hash[AUTH_HASH_BYTES];
	int64_t person;
	if (!allowed(r, ACT_LOGIN, NULL) || auth_token_text_hash(r->arg, hash) != AUTH_OK ||
	    store_invitation_use(r->st, hash, r->now, &person) != STORE_OK) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	session_open(r, out, person);
}

void session_open(http_req *r, http_resp *out, int64_t person)
{
	unsigned char hash[AUTH_HASH_BYTES], raw[AUTH_TOKEN_BYTES], csrf[AUTH_TOKEN_BYTES];
	char text[AUTH_TOKEN_TEXT_SIZE];
	if (auth_token_new(raw, text) != AUTH_OK || auth_token_new(csrf, NULL) != AUTH_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	/* A new session id at each login (never the one the browser had), so
	 * that a session planted before the login is not the one that opens. */
	if (r->who.role != ROLE_ANONYMOUS)
		store_session_delete(r->st, r->sess_hash);
	/* Logins are rare: the moment to forget the sessions that ended. */
	store_sessions_expire(r->st, r->now, NULL);
	auth_token_hash(raw, hash);
	if (store_session_add(r->st, hash, person, csrf, r->now, r->now + HTTP_SESSION_TTL) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	set_cookie(r, out, text, HTTP_SESSION_TTL);
	page_redirect(out, "/");
}

/* POST /logout: the session is gone, here and in the store. */
static void logout(http_req *r, http_resp *out)
{
	if (r->who.role != ROLE_ANONYMOUS)
		store_session_delete(r->st, r->sess_hash);
	set_cookie(r, out, "", 0);
	page_redirect(out, "/");
}

/* POST /organizer/links.csv: new links for everyone (a POST: it creates
 * invitations), as a CSV attachment. */
static void links(http_req *r, http_resp *out)
{
	store_status st;
	if (!allowed(r, ACT_EXPORT, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	out->body = links_csv(r->st, http_base_url(r->srv), r->now, HTTP_INVITATION_TTL, &out->len, &st);
	if (!out->body) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	out->status = 200;
	out->type = "text/csv; charset=utf-8";
	out->disposition = "attachment; filename=\"links.csv\"";
	out->personal = 1;
	store_audit_append(r->st, r->who.person_id, r->now, "links", "", NULL, NULL);
}

struct found {
	html *h;
	const http_req *r;
};

/* A row of the certificate's table: a heading and its text. */
static void row(html *h, const char *th, const char *td)
{
	html_open(h, "tr");
	html_element_text(h, "th", th);
	html_element_text(h, "td", td);
	html_close(h, "tr");
}

/* What the certificate of town i of res says: town, label, edition, level,
 * mentions, and the date results were published (published_at, or when it
 * is negative the published phase's start, when the campaign has one). */
void verify_show(html *h, const http_req *r, const pal_doc_results *res, size_t i, int64_t published_at)
{
	const char *lang = words_code(r->lang);
	char buf[512];
	int64_t published = published_at;
	html_open(h, "table");
	row(h, tr(r, W_TOWN), pal_doc_town_name(res, i));
	row(h, tr(r, W_VERIFY_LABEL), pal_doc_results_label(res, lang));
	if (pal_doc_results_edition(res)) {
		snprintf(buf, sizeof buf, "%ld", pal_doc_results_edition(res));
		row(h, tr(r, W_VERIFY_EDITION), buf);
	}
	snprintf(buf, sizeof buf, "%d (%s)", pal_doc_town_level(res, i), pal_doc_town_level_name(res, i));
	row(h, tr(r, W_LEVEL), buf);
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_MENTIONS));
	html_open(h, "td");
	size_t nm = pal_doc_town_mention_count(res, i);
	if (!nm)
		html_text(h, tr(r, W_NO_MENTION));
	for (size_t k = 0; k < nm; k++) {
		if (k)
			html_text(h, " ; ");
		html_text(h, pal_doc_town_mention(res, i, k, lang));
	}
	html_close(h, "td");
	html_close(h, "tr");
	if (published < 0 && (store_phase_get(r->st, PHASE_PUBLISHED, &published) != STORE_OK))
		published = -1;
	if (published > 0) {
		char when[PAGE_TIME_SIZE];
		page_time(published, when);
		row(h, tr(r, W_VERIFY_PUBLISHED), when);
	}
	html_close(h, "table");
}

/* The certificate of the --results file carrying the code. */
static void show_certificate(void *ctx, const pal_doc_results *res, size_t i)
{
	struct found *f = ctx;
	html_element_text(f->h, "p", tr(f->r, W_VERIFY_FOUND));
	verify_show(f->h, f->r, res, i, -1);
}

static void verify_form(html *h, const http_req *r)
{
	html_element_text(h, "p", tr(r, W_VERIFY_INTRO));
	html_open(h, "form");
	html_attr(h, "method", "get");
	html_attr(h, "action", "/verify");
	if (r->lang_in_query) {
		html_open(h, "input");
		html_attr(h, "type", "hidden");
		html_attr(h, "name", "lang");
		html_attr(h, "value", words_code(r->lang));
	}
	html_open(h, "label");
	html_attr(h, "for", "code");
	html_text(h, tr(r, W_VERIFY_CODE_LABEL));
	html_close(h, "label");
	html_text(h, " ");
	html_open(h, "input");
	html_attr(h, "type", "text");
	html_attr(h, "id", "code");
	html_attr(h, "name", "code");
	html_attr(h, "autocomplete", "off");
	html_attr(h, "placeholder", "7KQ2-M9XD-4HRT");
	html_text(h, " ");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_text(h, tr(r, W_VERIFY_BUTTON));
	html_close(h, "button");
	html_close(h, "form");
}

/* The lookup of one code: rate-limited per client, no listing. */
static void verify_lookup(http_req *r, http_resp *out, const char *typed)
{
	char key[96], code[PAL_CODE_SIZE];
	int ok = 0, status = 200;
	snprintf(key, sizeof key, "verify:%s", r->client);
	store_rate_prune(r->st, r->now, 60);
	if (store_rate_hit(r->st, key, r->now, 60, http_verify_limit(r->srv), &ok) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	if (!ok) {
		http_error_page(r, out, 429, W_ERR_TOO_MANY);
		return;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_VERIFY_TITLE));
	if (pal_doc_code_normalize(typed, code) != 0) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_text(h, tr(r, W_VERIFY_NOT_A_CODE));
		html_close(h, "p");
		status = 400;
	} else {
		struct found f = {h, r};
		html_element_text(h, "h2", code);
		/* The --results file first (as before the store kept versions),
		 * then the published versions, newest first. */
		if (!http_verify(r->srv, code, show_certificate, &f) && !publish_verify(r, h, code)) {
			html_open(h, "p");
			html_attr(h, "class", "error");
			html_text(h, tr(r, W_VERIFY_NONE));
			html_close(h, "p");
			status = 404;
		}
	}
	verify_form(h, r);
	page_end(h, out, status);
}

/* GET /verify (?code=): the form, or the lookup of the typed code. */
static void verify(http_req *r, http_resp *out)
{
	const char *code = http_query(r, "code");
	if (!allowed(r, ACT_VERIFY_CODE, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (code && *code) {
		verify_lookup(r, out, code);
		return;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_VERIFY_TITLE));
	verify_form(h, r);
	page_end(h, out, 200);
}

/* GET /verify/CODE: the address a certificate's QR code holds. */
static void verify_code(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_VERIFY_CODE, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	verify_lookup(r, out, r->arg);
}

static void stylesheet(http_req *r, http_resp *out)
{
	(void)r;
	out->body = malloc(sizeof css);
	if (!out->body)
		return;
	memcpy(out->body, css, sizeof css);
	out->len = sizeof css - 1;
	out->type = "text/css; charset=utf-8";
	out->status = 200;
}

/* The router: method, path (exact, or a prefix whose rest is one path
 * segment), handler. A path or method not here is a 404. */
const http_route http_routes[] = {
	{"GET", "/", 0, home},
	{"GET", "/login/", ROUTE_PREFIX, login_get},
	{"POST", "/login/", ROUTE_PREFIX, login_post},
	{"POST", "/logout", 0, logout},
	{"GET", "/organizer", 0, organizer_get},
	/* the organizer's running of the campaign (organizer.c, settings.c, login.c, audit.c) */
	{"POST", "/organizer/towns", 0, towns_import_post},
	{"POST", "/organizer/reopen", 0, reopen_post},
	{"GET", "/organizer/settings", 0, settings_get},
	{"POST", "/organizer/settings", 0, settings_post},
	{"GET", "/organizer/password", 0, password_get},
	{"POST", "/organizer/password", 0, password_post},
	{"GET", "/organizer/audit", 0, audit_get},
	{"GET", "/organizer/audit.csv", 0, audit_csv_get},
	{"GET", "/login", 0, password_login_get},
	{"POST", "/login", 0, password_login_post},
	{"POST", "/organizer/links.csv", 0, links},
	{"GET", "/verify", 0, verify},
	{"GET", "/verify/", ROUTE_PREFIX, verify_code},
	{"GET", "/static/palmares.css", 0, stylesheet},
	/* the dossier's actions (dossier.h), before /dossier/TOWN */
	{"POST", "/dossier/upload", 0, dossier_upload_post},
	{"POST", "/dossier/submit", 0, dossier_submit_post},
	{"GET", "/dossier/receipt", 0, dossier_receipt_get},
	{"GET", "/dossier/submitted.json", 0, dossier_submitted_json_get},
	{"GET", "/dossier/evidence/", ROUTE_PREFIX, evidence_get},
	{"GET", "/dossier", 0, dossier_get},
	{"POST", "/dossier", 0, dossier_post},
	{"GET", "/dossier/", ROUTE_PREFIX, dossier_get},
	{"POST", "/dossier/", ROUTE_PREFIX, dossier_post},
	/* the organizer's scores, explain and downloads (organizer_scores.c) */
	{"GET", "/organizer/scores", 0, scores_page},
	{"GET", "/organizer/explain/", ROUTE_PREFIX, explain_page},
	{"GET", "/organizer/results.json", 0, results_json},
	{"GET", "/organizer/results.csv", 0, results_csv},
	{"GET", "/organizer/certificates.pdf", 0, certificates_pdf},
	{"GET", "/organizer/booklet.pdf", 0, booklet_pdf},
	{"GET", "/organizer/report/", ROUTE_PREFIX, report_pdf},
	/* the juror's pages (jury.h) */
	{"GET", "/jury", 0, jury_queue_get},
	{"GET", "/jury/sheet.csv", 0, jury_sheet_get},
	{"POST", "/jury/sheet", 0, jury_sheet_post},
	{"POST", "/jury/recuse", 0, jury_recuse_post},
	{"GET", "/jury/dossier/", ROUTE_PREFIX, jury_dossier_get},
	{"POST", "/jury/dossier/", ROUTE_PREFIX, jury_dossier_post},
	/* the deliberation and overrides (deliberation.c) */
	{"GET", "/organizer/deliberation", 0, deliberation_page},
	{"GET", "/organizer/deliberation/", ROUTE_PREFIX, deliberation_town_page},
	{"POST", "/organizer/override", 0, override_post},
	/* the organizer's running of the jury (jurors_page.c, assignment_page.c) */
	{"GET", "/organizer/jurors", 0, jurors_page_get},
	{"POST", "/organizer/jurors", 0, jurors_import_post},
	{"GET", "/organizer/jurors-missing.csv", 0, jurors_missing_csv_get},
	{"GET", "/organizer/assignment", 0, assignment_get},
	{"POST", "/organizer/assignment/preview", 0, assignment_preview_post},
	{"POST", "/organizer/assignment/accept", 0, assignment_accept_post},
	{"POST", "/organizer/assignment/move", 0, assignment_move_post},
	/* the publication: versions, published documents, the palmarès (publish.c) */
	{"GET", "/organizer/publish", 0, publish_get},
	{"POST", "/organizer/publish", 0, publish_post},
	{"GET", "/organizer/publish/certificates.pdf", 0, published_certificates_pdf},
	{"GET", "/organizer/publish/booklet.pdf", 0, published_booklet_pdf},
	{"GET", "/dossier/report.pdf", 0, town_report_pdf},
	{"GET", "/dossier/certificate.pdf", 0, town_certificate_pdf},
	{"GET", "/palmares", 0, palmares_get},
};
const size_t http_route_count = sizeof http_routes / sizeof http_routes[0];
