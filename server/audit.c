/*
 * The audit log as the organizer reads it: GET /organizer/audit, newest
 * first, AUDIT_PAGE lines a page, older pages by ?before=ID (the log only
 * grows, so a page's address keeps showing the same lines); GET
 * /organizer/audit.csv, the whole log in order for a spreadsheet
 * (csvout.h guards formulas). Both only read: the log is append-only in
 * the schema (triggers), and no route writes to it but the changes it records.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csvout.h"
#include "http.h"
#include "pages.h"

#define AUDIT_PAGE 50
#define NAME_CACHE 64 /* people named by the log, remembered by id (few people change much) */

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

/* Names of people by id, looked up once each (a direct-mapped cache). */
struct names {
	store *st;
	int64_t id[NAME_CACHE];
	char *name[NAME_CACHE];
	int nomem;
};

/* The name of person id ("" when unknown: the log outlives people); borrowed. */
static const char *name_of(struct names *n, int64_t id)
{
	size_t k = (size_t)((uint64_t)id % NAME_CACHE);
	store_person p;
	if (n->name[k] && n->id[k] == id)
		return n->name[k];
	memset(&p, 0, sizeof p);
	store_status st = store_person_get(n->st, id, &p);
	char *copy = strdup(st == STORE_OK && p.name ? p.name : "");
	store_person_clear(&p);
	if (!copy) {
		n->nomem = 1;
		return "";
	}
	free(n->name[k]);
	n->name[k] = copy;
	n->id[k] = id;
	return copy;
}

static void names_free(struct names *n)
{
	for (size_t i = 0; i < NAME_CACHE; i++)
		free(n->name[i]);
}

struct page_ctx {
	html *h;
	const http_req *r;
	struct names names;
	int64_t last_id;
	int rows;
};

/* A value as stored; a phase's start (seconds since 1970, UTC) as the
 * settings page shows dates, with the stored number kept in a title. */
static void value_cell(html *h, const char *what, const char *v)
{
	char when[PAGE_TIME_SIZE], *end;
	html_open(h, "td");
	if (v && !strcmp(what, "phase-set")) {
		long long t = strtoll(v, &end, 10);
		if (!*end && end != v && t >= 0) {
			page_time(t, when);
			html_open(h, "time");
			html_attr(h, "title", v);
			html_text(h, when);
			html_close(h, "time");
			v = NULL;
		}
	}
	if (v)
		html_text_n(h, v, strlen(v), HTML_MULTILINE);
	html_close(h, "td");
}

static int page_row(void *ctx, int64_t id, int64_t at, int64_t who, const char *what, const char *subject,
		    const char *old_value, const char *new_value)
{
	struct page_ctx *c = ctx;
	html *h = c->h;
	char when[PAGE_TIME_SIZE];
	page_time(at, when);
	html_open(h, "tr");
	html_attr_int(h, "id", id);
	html_element_text(h, "td", when);
	html_open(h, "td");
	if (who) {
		html_text(h, name_of(&c->names, who));
	} else {
		html_open(h, "em");
		html_text(h, tr(c->r, W_AUDIT_CLI));
		html_close(h, "em");
	}
	html_close(h, "td");
	html_element_text(h, "td", what);
	html_element_text(h, "td", subject);
	value_cell(h, what, old_value);
	value_cell(h, what, new_value);
	html_close(h, "tr");
	c->last_id = id;
	c->rows++;
	return html_status_of(h) != HTML_OK || c->names.nomem;
}

static void href_link(html *h, const char *href, const char *text)
{
	html_open(h, "a");
	html_attr(h, "href", href);
	html_text(h, text);
	html_close(h, "a");
}

/* GET /organizer/audit[?before=ID] */
void audit_get(http_req *r, http_resp *out)
{
	int64_t before = 0;
	char buf[64];
	if (permit(&r->who, ACT_AUDIT_VIEW, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	const char *b = http_query(r, "before");
	if (b && *b) {
		char *end;
		long long v = strtoll(b, &end, 10);
		if (*end || v <= 0) {
			http_error_page(r, out, 400, W_ERR_BAD_REQUEST);
			return;
		}
		before = v;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_NAV_AUDIT));
	organizer_nav(h, r);
	html_open(h, "p");
	href_link(h, "/organizer/audit.csv", tr(r, W_AUDIT_CSV));
	html_close(h, "p");
	html_open(h, "table");
	html_attr(h, "id", "audit");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_AUDIT_WHEN));
	html_element_text(h, "th", tr(r, W_AUDIT_WHO));
	html_element_text(h, "th", tr(r, W_AUDIT_WHAT));
	html_element_text(h, "th", tr(r, W_AUDIT_SUBJECT));
	html_element_text(h, "th", tr(r, W_AUDIT_OLD));
	html_element_text(h, "th", tr(r, W_AUDIT_NEW));
	html_close(h, "tr");
	struct page_ctx c;
	memset(&c, 0, sizeof c);
	c.h = h;
	c.r = r;
	c.names.st = r->st;
	store_status st = store_audit_page(r->st, before, AUDIT_PAGE, page_row, &c);
	names_free(&c.names);
	if (st != STORE_OK || c.names.nomem) {
		html_free(h);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	html_close(h, "table");
	html_open(h, "p");
	if (before) {
		href_link(h, "/organizer/audit", tr(r, W_AUDIT_NEWEST));
		html_text(h, " ");
	}
	/* a full page may have older lines; id 1 is the first there is */
	if (c.rows == AUDIT_PAGE && c.last_id > 1) {
		snprintf(buf, sizeof buf, "/organizer/audit?before=%" PRId64, c.last_id);
		html_open(h, "a");
		html_attr(h, "href", buf);
		html_attr(h, "rel", "next");
		html_text(h, tr(r, W_AUDIT_OLDER));
		html_close(h, "a");
	}
	html_close(h, "p");
	page_end(h, out, 200);
	out->personal = 1;
}

struct csv_ctx {
	csvout b;
	struct names names;
};

static int csv_row(void *ctx, int64_t id, int64_t at, int64_t who, const char *what, const char *subject,
		   const char *old_value, const char *new_value)
{
	struct csv_ctx *c = ctx;
	char sid[32], when[32], swho[32];
	struct tm tm;
	time_t t = (time_t)at;
	snprintf(sid, sizeof sid, "%" PRId64, id);
	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(when, sizeof when, "%" PRId64, at);
	snprintf(swho, sizeof swho, "%" PRId64, who);
	csvout_cell(&c->b, sid, 0);
	csvout_cell(&c->b, when, 0);
	csvout_cell(&c->b, who ? swho : "", 0);
	csvout_cell(&c->b, who ? name_of(&c->names, who) : "", 0);
	csvout_cell(&c->b, what, 0);
	csvout_cell(&c->b, subject, 0);
	csvout_cell(&c->b, old_value, 0);
	csvout_cell(&c->b, new_value, 1);
	return c->b.nomem || c->names.nomem;
}

/* GET /organizer/audit.csv: every line, oldest first, times in UTC. */
void audit_csv_get(http_req *r, http_resp *out)
{
	struct csv_ctx c;
	if (permit(&r->who, ACT_AUDIT_VIEW, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	memset(&c, 0, sizeof c);
	c.names.st = r->st;
	csvout_cell(&c.b, "id", 0);
	csvout_cell(&c.b, "at_utc", 0);
	csvout_cell(&c.b, "who_id", 0);
	csvout_cell(&c.b, "who", 0);
	csvout_cell(&c.b, "what", 0);
	csvout_cell(&c.b, "subject", 0);
	csvout_cell(&c.b, "old", 0);
	csvout_cell(&c.b, "new", 1);
	store_status st = store_audit_list(r->st, csv_row, &c);
	names_free(&c.names);
	if (st != STORE_OK || c.b.nomem || c.names.nomem) {
		free(c.b.s);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	out->body = c.b.s;
	out->len = c.b.len;
	out->status = 200;
	out->type = "text/csv; charset=utf-8";
	out->disposition = "attachment; filename=\"audit.csv\"";
	out->personal = 1;
}
