/*
 * The campaign's phases (GET/POST /organizer/settings): when submission,
 * marking, deliberation and publication start. Dates are typed and shown
 * in the server's local time with its UTC offset, and stored as UTC
 * seconds (the store's phase table), so that moving the server or its
 * time zone changes no deadline. The phases must follow each other in
 * their order: a date out of order is refused with the message next to its
 * field, the whole form kept as typed, and nothing saved; the dates that
 * changed are saved together in one transaction, each audited by the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "pages.h"
#include "store_jury.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

void page_time(int64_t t, char buf[PAGE_TIME_SIZE])
{
	struct tm tm;
	time_t tt = (time_t)t;
	char z[8];
	if (!localtime_r(&tt, &tm) || !strftime(buf, PAGE_TIME_SIZE, "%Y-%m-%d %H:%M", &tm) ||
	    strftime(z, sizeof z, "%z", &tm) != 5) {
		snprintf(buf, PAGE_TIME_SIZE, "@%lld", (long long)t);
		return;
	}
	size_t n = strlen(buf);
	/* "+0100" as "UTC+01:00": the offset people read */
	snprintf(buf + n, PAGE_TIME_SIZE - n, " UTC%c%c%c:%c%c", z[0], z[1], z[2], z[3], z[4]);
}

/* The value of a datetime-local input for t, in local time ("" for none). */
static void input_value(int64_t t, char buf[20])
{
	struct tm tm;
	time_t tt = (time_t)t;
	buf[0] = 0;
	if (t >= 0 && localtime_r(&tt, &tm))
		strftime(buf, 20, "%Y-%m-%dT%H:%M", &tm);
}

/* n digits of s as a number, -1 when one is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD HH:MM" (or with 'T', as a datetime-local input sends it,
 * optionally ":SS") in local time into UTC seconds. 0, or -1 for anything
 * else, a date that does not exist (February 30) or an hour that the
 * clocks skip. */
static int parse_local(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if ((n != 16 && n != 19) || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || (n == 19 && s[16] != ':'))
		return -1;
	int y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2), h = digits(s + 11, 2),
	    mi = digits(s + 14, 2), sec = n == 19 ? digits(s + 17, 2) : 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    sec < 0 || sec > 59)
		return -1;
	struct tm tm, back;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 || !localtime_r(&t, &back))
		return -1;
	/* mktime() normalizes: a date it had to move did not exist as typed */
	if (back.tm_year != y - 1900 || back.tm_mon != mo - 1 || back.tm_mday != d || back.tm_hour != h ||
	    back.tm_min != mi)
		return -1;
	*out = (int64_t)t;
	return 0;
}

/* The form's state: per phase, what was typed and its refusal (0: none). */
struct phases {
	const char *typed[PHASE_COUNT]; /* NULL: show the stored date */
	int64_t stored[PHASE_COUNT], want[PHASE_COUNT];
	words_key error[PHASE_COUNT]; /* 0 (the site's title, never an error) for none */
	int refused;
};

/* The jury's visibility settings: what a juror sees of the other jurors'
 * marks on a dossier, during marking and during deliberation (the select
 * named vis.PHASE, its value a store_visibility_word()). */
static const struct {
	permit_phase phase;
	const char *key, *field;
	words_key label;
} vis_fields[] = {
	{PHASE_MARKING, SETTING_VISIBILITY_MARKING, "vis.marking", W_SETTINGS_VIS_MARKING},
	{PHASE_DELIBERATION, SETTING_VISIBILITY_DELIBERATION, "vis.deliberation", W_SETTINGS_VIS_DELIBERATION},
};
#define VIS_FIELDS (sizeof vis_fields / sizeof vis_fields[0])
static const words_key vis_words[SEE_COUNT] = {W_SEE_NEVER, W_SEE_AFTER_OWN, W_SEE_ALWAYS};

static void visibility_fields(html *h, http_req *r)
{
	html_open(h, "fieldset");
	html_attr(h, "id", "visibility");
	html_element_text(h, "legend", tr(r, W_SETTINGS_VISIBILITY));
	for (size_t i = 0; i < VIS_FIELDS; i++) {
		permit_visibility cur = store_visibility(r->st, vis_fields[i].phase);
		html_open(h, "p");
		html_open(h, "label");
		html_attr(h, "for", vis_fields[i].field);
		html_text(h, tr(r, vis_fields[i].label));
		html_close(h, "label");
		html_text(h, " ");
		html_open(h, "select");
		html_attr(h, "name", vis_fields[i].field);
		html_attr(h, "id", vis_fields[i].field);
		for (int v = 0; v < SEE_COUNT; v++) {
			html_open(h, "option");
			html_attr(h, "value", store_visibility_word((permit_visibility)v));
			html_attr_flag(h, "selected", (int)cur == v);
			html_text(h, tr(r, vis_words[v]));
			html_close(h, "option");
		}
		html_close(h, "select");
		html_close(h, "p");
	}
	html_close(h, "fieldset");
}

static void page(http_req *r, http_resp *out, const struct phases *ph, int status)
{
	char now[PAGE_TIME_SIZE], when[PAGE_TIME_SIZE], value[20];
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_NAV_SETTINGS));
	organizer_nav(h, r);
	page_time(r->now, now);
	html_open(h, "p");
	html_text(h, tr(r, W_SERVER_TIME));
	html_text(h, " ");
	html_text(h, now);
	html_close(h, "p");
	html_element_text(h, "p", tr(r, W_SETTINGS_INTRO));
	if (ph->refused) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_text(h, tr(r, W_SETTINGS_REFUSED));
		html_close(h, "p");
	} else if (http_query(r, "saved")) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_text(h, tr(r, W_SETTINGS_SAVED));
		html_close(h, "p");
	}
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/settings");
	html_attr_flag(h, "novalidate", 1);
	csrf_field(h, r);
	html_open(h, "table");
	html_open(h, "tr");
	html_element_text(h, "th", tr(r, W_PHASE));
	html_element_text(h, "th", tr(r, W_PHASE_STARTS));
	html_element_text(h, "th", "");
	html_close(h, "tr");
	for (int p = PHASE_SUBMISSION; p < PHASE_COUNT; p++) {
		const char *name = permit_phase_name((permit_phase)p);
		char id[32];
		snprintf(id, sizeof id, "phase-%s", name);
		html_open(h, "tr");
		html_open(h, "td");
		html_open(h, "label");
		html_attr(h, "for", id);
		html_text(h, phase_word(r, (permit_phase)p));
		html_close(h, "label");
		html_close(h, "td");
		html_open(h, "td");
		input_value(ph->stored[p], value);
		const char *shown = ph->typed[p] ? ph->typed[p] : value;
		html_open(h, "input");
		/* A browser blanks a datetime-local value that is not a real date
		 * (30 February, a word): such a refused value is shown as text, as typed. */
		int64_t unused;
		html_attr(h, "type", !*shown || parse_local(shown, &unused) == 0 ? "datetime-local" : "text");
		html_attr(h, "id", id);
		html_attr(h, "name", name);
		html_attr(h, "value", shown);
		if (ph->error[p]) {
			char eid[40];
			snprintf(eid, sizeof eid, "error-%s", name);
			html_attr(h, "class", "field-error");
			html_attr(h, "aria-describedby", eid);
			html_open(h, "span");
			html_attr(h, "class", "error");
			html_attr(h, "id", eid);
			html_text(h, " ");
			html_text(h, tr(r, ph->error[p]));
			html_close(h, "span");
		}
		html_close(h, "td");
		html_open(h, "td");
		html_attr(h, "class", "note");
		if (ph->stored[p] >= 0) {
			page_time(ph->stored[p], when);
			html_text(h, when);
		} else {
			html_text(h, tr(r, W_NOT_SET));
		}
		html_close(h, "td");
		html_close(h, "tr");
	}
	html_close(h, "table");
	visibility_fields(h, r);
	html_open(h, "p");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_attr(h, "class", "primary");
	html_text(h, tr(r, W_SETTINGS_SAVE));
	html_close(h, "button");
	html_close(h, "p");
	html_close(h, "form");
	page_end(h, out, status);
	out->personal = 1;
}

static int stored_dates(http_req *r, struct phases *ph)
{
	ph->stored[PHASE_SETUP] = -1;
	for (int p = PHASE_SUBMISSION; p < PHASE_COUNT; p++)
		if (store_phase_get(r->st, (permit_phase)p, &ph->stored[p]) != STORE_OK)
			return -1;
	return 0;
}

/* GET /organizer/settings */
void settings_get(http_req *r, http_resp *out)
{
	struct phases ph;
	memset(&ph, 0, sizeof ph);
	if (permit(&r->who, ACT_SETTINGS_EDIT, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (stored_dates(r, &ph) != 0) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	page(r, out, &ph, 200);
}

struct save_ctx {
	const struct phases *ph;
	int64_t who, now;
	int vis[VIS_FIELDS]; /* the visibility to store, -1: unchanged */
};

static store_status save_tx(store *s, void *ctx)
{
	const struct save_ctx *c = ctx;
	for (int p = PHASE_SUBMISSION; p < PHASE_COUNT; p++) {
		if (c->ph->want[p] < 0 || c->ph->want[p] == c->ph->stored[p])
			continue;
		store_status st = store_phase_set(s, (permit_phase)p, c->ph->want[p], c->who, c->now);
		if (st != STORE_OK)
			return st;
	}
	for (size_t i = 0; i < VIS_FIELDS; i++) {
		if (c->vis[i] < 0)
			continue;
		store_status st = store_setting_set(s, vis_fields[i].key,
						    store_visibility_word((permit_visibility)c->vis[i]), c->who, c->now);
		if (st != STORE_OK)
			return st;
	}
	return STORE_OK;
}

/* POST /organizer/settings: every phase's field; all saved, or none. */
void settings_post(http_req *r, http_resp *out)
{
	struct phases ph;
	int64_t prev = -1;
	memset(&ph, 0, sizeof ph);
	if (permit(&r->who, ACT_SETTINGS_EDIT, NULL, r->phase) != PERMIT_ALLOW) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (stored_dates(r, &ph) != 0) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	for (int p = PHASE_SUBMISSION; p < PHASE_COUNT; p++) {
		const char *v = form_get(&r->form, permit_phase_name((permit_phase)p));
		ph.typed[p] = v ? v : "";
		ph.want[p] = -1;
		if (!*ph.typed[p]) {
			/* the store keeps a phase once dated: an empty field cannot undo it */
			if (ph.stored[p] >= 0)
				ph.error[p] = W_ERR_CLEAR;
		} else if (parse_local(ph.typed[p], &ph.want[p]) != 0) {
			ph.error[p] = W_ERR_DATE;
		} else if (prev >= 0 && ph.want[p] <= prev) {
			ph.error[p] = W_ERR_ORDER;
		}
		if (ph.want[p] >= 0)
			prev = ph.want[p];
		ph.refused |= ph.error[p] != 0;
	}
	struct save_ctx c = {&ph, r->who.person_id, r->now, {0}};
	for (size_t i = 0; i < VIS_FIELDS; i++) {
		const char *v = form_get(&r->form, vis_fields[i].field);
		c.vis[i] = v ? store_visibility_of(v) : -1;
		if (v && c.vis[i] < 0)
			ph.refused = 1; /* not one of the select's values: forged */
		else if (c.vis[i] == (int)store_visibility(r->st, vis_fields[i].phase))
			c.vis[i] = -1;
	}
	if (ph.refused) {
		page(r, out, &ph, 400);
		return;
	}
	if (store_tx(r->st, save_tx, &c) != STORE_OK) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	page_redirect(out, "/organizer/settings?saved=1");
}
