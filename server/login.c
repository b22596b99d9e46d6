/*
 * Organizer passwords: GET/POST /organizer/password sets one (an organizer
 * logged in, by the invitation link the first time), GET/POST /login logs
 * in with e-mail and password and opens the same session as a link does.
 *
 * What an attacker learns from /login is kept to nothing: an unknown
 * address, an organizer without a password and a wrong password give the
 * same page with the same status, and cost the same Argon2id verification
 * (against a dummy hash made once at the same cost). Attempts are counted
 * per client address and per typed address in the store's fixed windows
 * and answered 429 past the limit, before any hashing. Argon2id's
 * interactive cost takes 64 MiB; hashing is serialized by one lock, so that
 * a burst of logins cannot take the server's memory.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "pages.h"

#define PASSWORD_MIN_CHARS 12
/* The store prunes every counter after a minute (the /verify limit shares
 * its table), so the windows here are a minute too. */
#define LOGIN_WINDOW 60
#define LOGIN_PER_ADDRESS 20 /* behind a proxy every client shares one address: kept loose */
#define LOGIN_PER_ACCOUNT 5

static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[AUTH_PASSWORD_HASH_SIZE];
static int dummy_ready;

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

/* Checks password against hash (NULL: against the dummy, and fails), at
 * the same cost either way. Returns 1 when it matches. */
static int password_matches(const char *hash, const char *password)
{
	int ok;
	pthread_mutex_lock(&hash_lock);
	if (!dummy_ready) {
		unsigned char raw[AUTH_TOKEN_BYTES];
		char text[AUTH_TOKEN_TEXT_SIZE];
		/* a random password nobody knows, hashed as a real one is */
		if (auth_token_new(raw, text) == AUTH_OK &&
		    auth_password_hash(text, AUTH_PW_INTERACTIVE, dummy_hash) == AUTH_OK)
			dummy_ready = 1;
	}
	ok = auth_password_verify(hash ? hash : dummy_hash, password) == AUTH_OK;
	pthread_mutex_unlock(&hash_lock);
	return ok && hash;
}

static void text_input(html *h, const http_req *r, const char *type, const char *name, words_key label,
		       const char *value, const char *autocomplete)
{
	html_open(h, "p");
	html_open(h, "label");
	html_attr(h, "for", name);
	html_text(h, tr(r, label));
	html_close(h, "label");
	html_open(h, "br");
	html_open(h, "input");
	html_attr(h, "type", type);
	html_attr(h, "id", name);
	html_attr(h, "name", name);
	html_attr(h, "autocomplete", autocomplete);
	if (value)
		html_attr(h, "value", value);
	html_close(h, "p");
}

static void error_line(html *h, words_key k, const http_req *r)
{
	html_open(h, "p");
	html_attr(h, "class", "error");
	html_attr(h, "role", "alert");
	html_text(h, tr(r, k));
	html_close(h, "p");
}

static void login_page(http_req *r, http_resp *out, const char *email, int failed, int status)
{
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_PWLOGIN_TITLE));
	html_element_text(h, "p", tr(r, W_PWLOGIN_INTRO));
	if (failed)
		error_line(h, W_PWLOGIN_FAILED, r);
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/login");
	csrf_field(h, r);
	text_input(h, r, "email", "email", W_EMAIL, email, "username");
	text_input(h, r, "password", "password", W_PASSWORD, NULL, "current-password");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_attr(h, "class", "primary");
	html_text(h, tr(r, W_LOGIN_BUTTON));
	html_close(h, "button");
	html_close(h, "form");
	page_end(h, out, status);
	out->personal = 1;
}

/* GET /login: the e-mail and password form. */
void password_login_get(http_req *r, http_resp *out)
{
	if (permit(&r->who, ACT_LOGIN, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	login_page(r, out, NULL, 0, 200);
}

/* One more attempt under key; 1 while within limit. -1 when the store failed. */
static int within(http_req *r, const char *kind, const char *who, int64_t limit)
{
	char key[300];
	int ok = 0;
	snprintf(key, sizeof key, "%s:%s", kind, who);
	if (store_rate_hit(r->st, key, r->now, LOGIN_WINDOW, limit, &ok) != STORE_OK)
		return -1;
	return ok;
}

/* POST /login: rate-limited, the same answer for every failure. */
void password_login_post(http_req *r, http_resp *out)
{
	store_person p;
	char account[256];
	if (permit(&r->who, ACT_LOGIN, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	const char *email = form_get(&r->form, "email"), *password = form_get(&r->form, "password");
	if (!email)
		email = "";
	if (!password)
		password = "";
	/* the typed address, as the account's counter: "a@x.org " is "a@x.org" */
	size_t n = strlen(email);
	while (n && (email[n - 1] == ' ' || email[n - 1] == '\t'))
		n--;
	while (n && (*email == ' ' || *email == '\t'))
		email++, n--;
	snprintf(account, sizeof account, "%.*s", (int)(n < sizeof account - 1 ? n : sizeof account - 1),
		 email);
	store_rate_prune(r->st, r->now, LOGIN_WINDOW);
	int by_address = within(r, "login-address", r->client, LOGIN_PER_ADDRESS);
	int by_account = within(r, "login-account", account, LOGIN_PER_ACCOUNT);
	if (by_address < 0 || by_account < 0) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	if (!by_address || !by_account) {
		http_error_page(r, out, 429, W_PWLOGIN_TOO_MANY);
		return;
	}
	memset(&p, 0, sizeof p);
	store_status st = account[0] ? store_organizer_by_email(r->st, account, &p) : STORE_NOT_FOUND;
	if (st != STORE_OK && st != STORE_NOT_FOUND) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	/* unknown, without a password, or wrong: one verification each, one answer */
	int ok = password_matches(st == STORE_OK ? p.password_hash : NULL, password);
	int64_t person = p.id;
	store_person_clear(&p);
	if (!ok) {
		login_page(r, out, account, 1, 403);
		return;
	}
	session_open(r, out, person);
}

static void password_page(http_req *r, http_resp *out, words_key error, int status)
{
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_NAV_PASSWORD));
	organizer_nav(h, r);
	html_element_text(h, "p", tr(r, W_PW_INTRO));
	if (error)
		error_line(h, error, r);
	else if (http_query(r, "saved")) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_text(h, tr(r, W_PW_SAVED));
		html_close(h, "p");
	}
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/password");
	csrf_field(h, r);
	text_input(h, r, "password", "password", W_PW_NEW, NULL, "new-password");
	text_input(h, r, "password", "confirm", W_PW_CONFIRM, NULL, "new-password");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_attr(h, "class", "primary");
	html_text(h, tr(r, W_PW_SAVE));
	html_close(h, "button");
	html_close(h, "form");
	page_end(h, out, status);
	out->personal = 1;
}

/* GET /organizer/password */
void password_get(http_req *r, http_resp *out)
{
	if (permit(&r->who, ACT_PASSWORD_SET, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	password_page(r, out, 0, 200);
}

/* Characters (code points) of valid UTF-8 text: what "12 characters" counts. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* POST /organizer/password: the new password twice; stored as Argon2id. */
void password_post(http_req *r, http_resp *out)
{
	char hash[AUTH_PASSWORD_HASH_SIZE];
	store_person me;
	if (permit(&r->who, ACT_PASSWORD_SET, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	const char *pw = form_get(&r->form, "password"), *again = form_get(&r->form, "confirm");
	if (!pw)
		pw = "";
	if (!again)
		again = "";
	/* 0 (the site's title, never an error) for none */
	words_key error = strlen(pw) > AUTH_PASSWORD_MAX   ? W_PW_LONG
			  : chars(pw) < PASSWORD_MIN_CHARS ? W_PW_SHORT
			  : strcmp(pw, again) != 0         ? W_PW_MISMATCH
							   : 0;
	memset(&me, 0, sizeof me);
	if (!error) {
		if (store_person_get(r->st, r->who.person_id, &me) != STORE_OK) {
			http_error_page(r, out, 500, W_ERR_SERVER);
			return;
		}
		/* the password login finds the organizer by address: without one it could never serve */
		if (!me.email || !me.email[0])
			error = W_PW_NO_EMAIL;
		store_person_clear(&me);
	}
	if (error) {
		password_page(r, out, error, 400);
		return;
	}
	pthread_mutex_lock(&hash_lock);
	auth_status as = auth_password_hash(pw, AUTH_PW_INTERACTIVE, hash);
	pthread_mutex_unlock(&hash_lock);
	if (as != AUTH_OK ||
	    store_person_set_password(r->st, r->who.person_id, hash, r->who.person_id, r->now) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	page_redirect(out, "/organizer/password?saved=1");
}
