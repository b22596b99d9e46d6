/*
 * The publication (publish.h). Publishing scores the campaign from the
 * current answers (scores_get(SCORES_FRESH): the scores page's figures),
 * writes its results as pal_results_write() does for /organizer/results.json,
 * and stores those bytes as a new immutable version with their SHA-256
 * (store_publish.h). Everything after reads that stored JSON, never the
 * live scores: the documents (pal_doc_results_load_text, then the
 * renderer), /verify and the palmarès.
 *
 * Documents are rendered once per version and kept as files beside the
 * database, in DB.published/vN/ (docs/decisions.md, "Web jury: published
 * documents"): the certificates of every town at publication (the heavy
 * part, done while publishing), a town's report or certificate and the
 * booklet the first time someone asks; each file written atomically
 * (pal_doc_render), so two threads rendering the same one both leave a
 * whole file.
 *
 * The published results are loaded once per version and kept in memory
 * (PUBLISH_SLOTS versions, the latest used first): a lookup on /verify, the
 * palmarès and a town's document read them under one lock.
 *
 * Who: every handler asks permit() (publish, documents-download,
 * feedback-view on the town's own dossier, palmares-view) and answers 404
 * otherwise, as for a page that does not exist; 404 too while nothing is
 * published.
 */
#define _GNU_SOURCE /* open_memstream() */
#include "publish.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pages.h"
#include "palmares/documents.h"
#include "scores.h"
#include "store_publish.h"

static const char *tr(const http_req *r, words_key k)
{
	return words(r->lang, k);
}

static int allowed(const http_req *r, permit_action a, const permit_target *t)
{
	return permit(&r->who, a, t, r->phase) == PERMIT_ALLOW;
}

/* ---- the published results in memory ---- */

#define PUBLISH_SLOTS 3

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	int64_t version; /* 0: empty */
	int64_t published_at;
	pal_doc_results *res;
	unsigned long used; /* the lookup count when last used: the least recent goes first */
} slots[PUBLISH_SLOTS];
static unsigned long lookups;

void publish_cache_free(void)
{
	pthread_mutex_lock(&cache_lock);
	for (int k = 0; k < PUBLISH_SLOTS; k++) {
		pal_doc_results_free(slots[k].res);
		memset(&slots[k], 0, sizeof slots[k]);
	}
	pthread_mutex_unlock(&cache_lock);
}

/* A stored version's results loaded; NULL when it cannot be (owned). */
static pal_doc_results *load_version(store *st, int64_t version, int64_t *published_at)
{
	store_publication meta;
	char *json = NULL;
	size_t len = 0;
	int status = PAL_DOC_IOERR;
	pal_doc_results *res = NULL;
	if (store_publication_get(st, version, &meta, &json, &len) != STORE_OK)
		return NULL;
	*published_at = meta.published_at;
	store_publication_clear(&meta);
	pal_diags *d = pal_diags_new();
	if (d)
		res = pal_doc_results_load_text("results.json", json, len, d, &status);
	pal_diags_free(d);
	free(json);
	return res;
}

/* Puts res (owned) as version's slot; the cache's lock is held. */
static int cache_put(int64_t version, int64_t published_at, pal_doc_results *res)
{
	int k, pick = 0;
	for (k = 0; k < PUBLISH_SLOTS; k++)
		if (slots[k].version == version) {
			pal_doc_results_free(res); /* another thread loaded it meanwhile */
			return k;
		}
	for (k = 1; k < PUBLISH_SLOTS; k++)
		if (slots[k].used < slots[pick].used)
			pick = k;
	pal_doc_results_free(slots[pick].res);
	slots[pick].version = version;
	slots[pick].published_at = published_at;
	slots[pick].res = res;
	slots[pick].used = ++lookups;
	return pick;
}

typedef void (*results_fn)(void *ctx, const pal_doc_results *res, int64_t published_at);

/* Calls fn with version's loaded results under the cache's lock (fn must
 * not come back here); 0, or -1 when the version cannot be loaded. */
static int with_results(store *st, int64_t version, results_fn fn, void *ctx)
{
	int k;
	pthread_mutex_lock(&cache_lock);
	for (k = 0; k < PUBLISH_SLOTS && slots[k].version != version; k++)
		;
	if (k == PUBLISH_SLOTS) {
		int64_t at = 0;
		pal_doc_results *res = load_version(st, version, &at);
		if (!res) {
			pthread_mutex_unlock(&cache_lock);
			return -1;
		}
		k = cache_put(version, at, res);
	}
	slots[k].used = ++lookups;
	fn(ctx, slots[k].res, slots[k].published_at);
	pthread_mutex_unlock(&cache_lock);
	return 0;
}

static int64_t latest_version(store *st)
{
	int64_t v = 0;
	return store_publication_latest(st, &v) == STORE_OK ? v : 0;
}

/* ---- the documents' files ---- */

int publish_dir(const char *db_path, int64_t version, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.published/v%lld", db_path, (long long)version);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Makes DB.published/vN (and its parent) when missing; 0 or -1. */
static int make_dir(const char *db_path, int64_t version, char *dir, size_t len)
{
	char parent[4096];
	if (publish_dir(db_path, version, dir, len) != 0 ||
	    (size_t)snprintf(parent, sizeof parent, "%s.published", db_path) >= sizeof parent)
		return -1;
	if (mkdir(parent, 0750) != 0 && errno != EEXIST)
		return -1;
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* An existing file read whole, owned; NULL when absent or unreadable. */
static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) != NULL) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else {
			*len = (size_t)n;
		}
	}
	fclose(fp);
	return buf;
}

struct render {
	const http_req *r;
	pal_doc_kind kind;
	const char *town; /* NULL: every town */
	const char *path;
	int status;
	int unknown; /* the town is not in the results, or gets no certificate */
};

/* The options every published document is rendered with: the page's
 * language; certificates' QR codes lead to this server's /verify. */
static void doc_options(const http_req *r, pal_doc_kind kind, const char *const *town, pal_doc_options *o,
			char *verify, size_t vlen)
{
	snprintf(verify, vlen, "%s/verify/{code}", http_base_url(r->srv));
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->format = PAL_DOC_PDF;
	o->lang = words_code(r->lang);
	o->verify_url = kind == PAL_DOC_CERTIFICATES ? verify : NULL;
	o->towns = town && *town ? town : NULL;
	o->ntowns = town && *town ? 1 : 0;
	o->jobs = 1;
}

static void render_into(void *ctx, const pal_doc_results *res, int64_t published_at)
{
	struct render *w = ctx;
	char verify[600];
	pal_doc_options o;
	(void)published_at;
	if (w->town) {
		size_t i = pal_doc_results_find(res, w->town);
		if (i == (size_t)-1 || (w->kind == PAL_DOC_CERTIFICATES && !pal_doc_town_certified(res, i))) {
			w->unknown = 1;
			return;
		}
	}
	doc_options(w->r, w->kind, &w->town, &o, verify, sizeof verify);
	pal_diags *d = pal_diags_new();
	w->status = d ? pal_doc_render(res, &o, w->path, d) : PAL_DOC_IOERR;
	pal_diags_free(d);
}

/* The file's name for a town: its id in hex, so that no two towns share
 * one and no id can leave the folder. */
static void town_file(const char *prefix, const char *town, const char *lang, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = (size_t)snprintf(buf, len, "%s-%s-", prefix, lang);
	for (const unsigned char *p = (const unsigned char *)town; *p && n + 7 < len; p++) {
		buf[n++] = hex[*p >> 4];
		buf[n++] = hex[*p & 15];
	}
	snprintf(buf + n, len - n, ".pdf");
}

static void attachment(http_resp *out, char *body, size_t len, const char *disposition)
{
	out->body = body;
	out->len = len;
	out->status = 200;
	out->type = "application/pdf";
	out->disposition = disposition;
	out->personal = 1;
}

/* Answers the latest version's document: its file when rendered, else
 * rendered now into it. town NULL: the whole document. 404 when nothing is
 * published or the town gets no such document. */
static void published_document(http_req *r, http_resp *out, pal_doc_kind kind, const char *town,
			       const char *prefix, const char *disposition)
{
	char dir[4096], name[600], path[4700];
	const char *lang = words_code(r->lang);
	int64_t v = latest_version(r->st);
	size_t len = 0;
	char *pdf;
	if (!v) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (town)
		town_file(prefix, town, lang, name, sizeof name);
	else
		snprintf(name, sizeof name, "%s-%s.pdf", prefix, lang);
	if (make_dir(http_db_path(r->srv), v, dir, sizeof dir) != 0 ||
	    (size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path) {
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	pdf = read_file(path, &len);
	if (!pdf) {
		struct render w = {r, kind, town, path, PAL_DOC_IOERR, 0};
		if (with_results(r->st, v, render_into, &w) != 0) {
			http_error_page(r, out, 500, W_ERR_SERVER);
			return;
		}
		if (w.unknown) {
			http_error_page(r, out, 404, W_ERR_NOT_FOUND);
			return;
		}
		if (w.status == PAL_DOC_REJECTED) {
			http_error_page(r, out, 409, W_NO_DOCUMENT);
			return;
		}
		pdf = w.status == PAL_DOC_OK ? read_file(path, &len) : NULL;
		if (!pdf) {
			http_error_page(r, out, 500, W_ERR_SERVER);
			return;
		}
	}
	attachment(out, pdf, len, disposition);
}

void published_certificates_pdf(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_DOCUMENTS_DOWNLOAD, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	published_document(r, out, PAL_DOC_CERTIFICATES, NULL, "certificates",
			   "attachment; filename=\"certificates.pdf\"");
}

void published_booklet_pdf(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_DOCUMENTS_DOWNLOAD, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	published_document(r, out, PAL_DOC_BOOKLET, NULL, "booklet", "attachment; filename=\"booklet.pdf\"");
}

/* The town's own dossier as a permission target (feedback-view). */
static int own_feedback(const http_req *r)
{
	permit_target t;
	memset(&t, 0, sizeof t);
	t.town_id = r->who.town_id;
	return r->who.town_id && allowed(r, ACT_FEEDBACK_VIEW, &t);
}

void town_report_pdf(http_req *r, http_resp *out)
{
	if (!own_feedback(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	published_document(r, out, PAL_DOC_REPORT, r->who.town_id, "report",
			   "attachment; filename=\"report.pdf\"");
}

void town_certificate_pdf(http_req *r, http_resp *out)
{
	if (!own_feedback(r)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	published_document(r, out, PAL_DOC_CERTIFICATES, r->who.town_id, "certificate",
			   "attachment; filename=\"certificate.pdf\"");
}

/* ---- publishing ---- */

/* One publication at a time in the process: a second one asked meanwhile
 * is told to wait rather than score and render the campaign twice. */
static atomic_int publishing;

static int write_results(void *ctx, FILE *fp)
{
	/* As /organizer/results.json serves them and `palmares score -o results.json` writes them. */
	return pal_results_write(ctx, PAL_RESULTS_JSON, NULL, fp);
}

/* The scored campaign's results JSON, owned; NULL on failure. */
static char *results_text(const scores *s, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *fp = open_memstream(&buf, &size);
	if (!fp)
		return NULL;
	int rc = write_results((void *)scores_campaign(s), fp);
	if (fclose(fp) != 0 || rc != 0) {
		free(buf);
		return NULL;
	}
	*len = size;
	return buf;
}

static long labelled_count(const pal_doc_results *res)
{
	long n = 0;
	for (size_t i = 0; i < pal_doc_results_count(res); i++)
		n += pal_doc_town_certified(res, i) != 0;
	return n;
}

/* The version's certificates, every town's, rendered now (the part of
 * publishing that takes time at national size): the file the organizer's
 * certificates.pdf serves. No certified town: no file, nothing wrong. */
static void render_certificates(const http_req *r, int64_t version, const pal_doc_results *res)
{
	char dir[4096], path[4200], verify[600];
	pal_doc_options o;
	if (make_dir(http_db_path(r->srv), version, dir, sizeof dir) != 0 ||
	    (size_t)snprintf(path, sizeof path, "%s/certificates-%s.pdf", dir, words_code(r->lang)) >= sizeof path)
		return;
	doc_options(r, PAL_DOC_CERTIFICATES, NULL, &o, verify, sizeof verify);
	o.jobs = 0; /* every core */
	pal_diags *d = pal_diags_new();
	if (d)
		pal_doc_render(res, &o, path, d);
	pal_diags_free(d);
}

static void publish_page(http_req *r, http_resp *out, int status, words_key message);

void publish_post(http_req *r, http_resp *out)
{
	int idle = 0, status = PAL_DOC_IOERR;
	size_t len = 0;
	int64_t version = 0;
	const char *confirm = form_get(&r->form, "confirm");
	if (!allowed(r, ACT_PUBLISH, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	if (!confirm || strcmp(confirm, "yes") != 0) {
		publish_page(r, out, 400, W_PUBLISH_UNCONFIRMED);
		return;
	}
	if (!atomic_compare_exchange_strong(&publishing, &idle, 1)) {
		http_error_page(r, out, 503, W_ERR_BUSY);
		return;
	}
	scores *s = scores_get(r->st, SCORES_FRESH, NULL);
	char *json = s ? results_text(s, &len) : NULL;
	scores_release(s);
	pal_diags *d = pal_diags_new();
	pal_doc_results *res = json && d ? pal_doc_results_load_text("results.json", json, len, d, &status) : NULL;
	pal_diags_free(d);
	if (!res) {
		free(json);
		atomic_store(&publishing, 0);
		publish_page(r, out, json ? 409 : 500, W_PUBLISH_FAILED);
		return;
	}
	if (store_publish(r->st, json, len, labelled_count(res), r->who.person_id, r->now, &version) != STORE_OK) {
		free(json);
		pal_doc_results_free(res);
		atomic_store(&publishing, 0);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	free(json);
	render_certificates(r, version, res);
	pthread_mutex_lock(&cache_lock);
	cache_put(version, r->now, res);
	pthread_mutex_unlock(&cache_lock);
	atomic_store(&publishing, 0);
	char path[80];
	snprintf(path, sizeof path, "/organizer/publish?published=%lld", (long long)version);
	page_redirect(out, path);
}

/* ---- the versions' page ---- */

struct list_ctx {
	html *h;
	const http_req *r;
	size_t n;
};

static int version_row(void *ctx, const store_publication *p)
{
	struct list_ctx *l = ctx;
	html *h = l->h;
	char when[PAGE_TIME_SIZE];
	if (!l->n++) {
		html_open(h, "table");
		html_attr(h, "id", "versions");
		html_open(h, "tr");
		html_element_text(h, "th", tr(l->r, W_PUBLISH_VERSION));
		html_element_text(h, "th", tr(l->r, W_PUBLISH_DATE));
		html_element_text(h, "th", tr(l->r, W_PUBLISH_BY));
		html_element_text(h, "th", "SHA-256");
		html_element_text(h, "th", tr(l->r, W_PUBLISH_LABELLED));
		html_close(h, "tr");
	}
	page_time(p->published_at, when);
	html_open(h, "tr");
	html_attr_int(h, "data-version", p->version);
	html_open(h, "td");
	html_int(h, p->version);
	html_close(h, "td");
	html_element_text(h, "td", when);
	html_element_text(h, "td", p->by_name);
	html_open(h, "td");
	html_element_text(h, "code", p->sha256);
	html_close(h, "td");
	html_open(h, "td");
	if (p->labelled >= 0)
		html_int(h, p->labelled);
	html_close(h, "td");
	html_close(h, "tr");
	return 0;
}

static void doc_link(html *h, const http_req *r, const char *path, words_key text)
{
	html_open(h, "li");
	html_open(h, "a");
	html_attr(h, "href", path);
	html_text(h, tr(r, text));
	html_close(h, "a");
	html_close(h, "li");
}

static void publish_page(http_req *r, http_resp *out, int status, words_key message)
{
	const char *done = http_query(r, "published");
	html *h = html_new(HTTP_PAGE_MAX);
	page_begin(h, r, tr(r, W_PUBLISH_TITLE));
	organizer_nav(h, r);
	if (message != W_COUNT) {
		html_open(h, "p");
		html_attr(h, "class", "error");
		html_attr(h, "id", "publish-error");
		html_text(h, tr(r, message));
		html_close(h, "p");
	} else if (done && *done) {
		html_open(h, "p");
		html_attr(h, "class", "saved");
		html_attr(h, "id", "published");
		html_text(h, tr(r, W_PUBLISH_DONE));
		html_text(h, " ");
		html_text(h, done);
		html_close(h, "p");
	}
	html_element_text(h, "p", tr(r, W_PUBLISH_INTRO));
	struct list_ctx l = {h, r, 0};
	if (store_publications_list(r->st, version_row, &l) != STORE_OK) {
		html_free(h);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	if (l.n) {
		html_close(h, "table");
		if (allowed(r, ACT_DOCUMENTS_DOWNLOAD, NULL)) {
			html_element_text(h, "h2", tr(r, W_PUBLISH_DOCUMENTS));
			html_open(h, "ul");
			doc_link(h, r, "/organizer/publish/certificates.pdf", W_DL_CERTIFICATES);
			doc_link(h, r, "/organizer/publish/booklet.pdf", W_DL_BOOKLET);
			html_close(h, "ul");
		}
	} else {
		html_element_text(h, "p", tr(r, W_PUBLISH_NONE));
	}
	/* The confirmation is a box to tick: it works without script. */
	html_open(h, "form");
	html_attr(h, "method", "post");
	html_attr(h, "action", "/organizer/publish");
	csrf_field(h, r);
	html_open(h, "p");
	html_open(h, "input");
	html_attr(h, "type", "checkbox");
	html_attr(h, "id", "confirm");
	html_attr(h, "name", "confirm");
	html_attr(h, "value", "yes");
	html_attr_flag(h, "required", 1);
	html_text(h, " ");
	html_open(h, "label");
	html_attr(h, "for", "confirm");
	html_text(h, tr(r, W_PUBLISH_CONFIRM));
	html_close(h, "label");
	html_close(h, "p");
	html_open(h, "button");
	html_attr(h, "type", "submit");
	html_attr(h, "class", "primary");
	html_attr(h, "id", "publish");
	html_text(h, tr(r, W_PUBLISH_BUTTON));
	html_close(h, "button");
	html_close(h, "form");
	page_end(h, out, status);
	out->personal = 1;
}

void publish_get(http_req *r, http_resp *out)
{
	if (!allowed(r, ACT_PUBLISH, NULL)) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	publish_page(r, out, 200, W_COUNT);
}

/* ---- the home page's links ---- */

struct town_ctx {
	const char *town;
	int found, certified;
};

static void town_status(void *ctx, const pal_doc_results *res, int64_t published_at)
{
	struct town_ctx *t = ctx;
	size_t i = pal_doc_results_find(res, t->town);
	(void)published_at;
	t->found = i != (size_t)-1;
	t->certified = t->found && pal_doc_town_certified(res, i);
}

static void home_link(html *h, const http_req *r, const char *path, words_key text)
{
	html_open(h, "p");
	html_open(h, "a");
	html_attr(h, "href", path);
	html_text(h, tr(r, text));
	html_close(h, "a");
	html_close(h, "p");
}

void publish_home_links(html *h, const http_req *r)
{
	int64_t v;
	if (!allowed(r, ACT_PALMARES_VIEW, NULL) && !own_feedback(r))
		return;
	if (!(v = latest_version(r->st)))
		return;
	if (own_feedback(r)) {
		struct town_ctx t = {r->who.town_id, 0, 0};
		if (with_results(r->st, v, town_status, &t) == 0 && t.found) {
			html_element_text(h, "h2", tr(r, W_TOWN_RESULTS));
			home_link(h, r, "/dossier/report.pdf", W_DL_MY_REPORT);
			if (t.certified)
				home_link(h, r, "/dossier/certificate.pdf", W_DL_MY_CERTIFICATE);
		}
	}
	if (allowed(r, ACT_PALMARES_VIEW, NULL))
		home_link(h, r, "/palmares", W_PALMARES_LINK);
}

/* ---- /verify ---- */

struct verify_ctx {
	http_req *r;
	html *h;
	const char *code;
	int latest; /* the version looked in is the latest */
	int found;
	char town[512]; /* the town of a superseded certificate */
	int64_t version;
};

static void verify_in(void *ctx, const pal_doc_results *res, int64_t published_at)
{
	struct verify_ctx *v = ctx;
	size_t found[4];
	char when[PAGE_TIME_SIZE];
	if (pal_doc_verify(res, v->code, found, 4) <= 0)
		return;
	v->found = 1;
	if (v->latest) {
		html_element_text(v->h, "p", tr(v->r, W_VERIFY_FOUND));
		verify_show(v->h, v->r, res, found[0], published_at);
		return;
	}
	snprintf(v->town, sizeof v->town, "%s", pal_doc_town_id(res, found[0]));
	html_open(v->h, "p");
	html_attr(v->h, "class", "error");
	html_attr(v->h, "id", "superseded");
	html_text(v->h, tr(v->r, W_VERIFY_SUPERSEDED));
	html_close(v->h, "p");
	html_open(v->h, "p");
	html_text(v->h, tr(v->r, W_PUBLISH_VERSION));
	html_text(v->h, " ");
	html_int(v->h, v->version);
	html_text(v->h, ", ");
	page_time(published_at, when);
	html_text(v->h, when);
	html_close(v->h, "p");
	verify_show(v->h, v->r, res, found[0], published_at);
}

/* The superseded certificate's town in the latest results: its level now. */
static void current_level(void *ctx, const pal_doc_results *res, int64_t published_at)
{
	struct verify_ctx *v = ctx;
	size_t i = pal_doc_results_find(res, v->town);
	char buf[300];
	(void)published_at;
	html_open(v->h, "p");
	html_attr(v->h, "id", "current-level");
	html_text(v->h, tr(v->r, W_VERIFY_CURRENT));
	html_text(v->h, v->r->lang == LANG_FR ? " : " : ": "); /* French puts a space before the colon */
	if (i == (size_t)-1 || pal_doc_town_level(res, i) < 0) {
		html_text(v->h, tr(v->r, W_VERIFY_NOT_CURRENT));
	} else if (pal_doc_town_level(res, i) == 0) {
		html_text(v->h, tr(v->r, W_NOT_LABELLED));
	} else {
		snprintf(buf, sizeof buf, "%s %d (%s)", tr(v->r, W_LEVEL), pal_doc_town_level(res, i),
			 pal_doc_town_level_name(res, i));
		html_text(v->h, buf);
	}
	html_close(v->h, "p");
}

int publish_verify(http_req *r, html *h, const char *code)
{
	int64_t latest = latest_version(r->st);
	struct verify_ctx v;
	memset(&v, 0, sizeof v);
	v.r = r;
	v.h = h;
	v.code = code;
	for (int64_t k = latest; k > 0 && !v.found; k--) {
		v.latest = k == latest;
		v.version = k;
		with_results(r->st, k, verify_in, &v);
	}
	if (v.found && v.version != latest) {
		v.latest = 1;
		with_results(r->st, latest, current_level, &v);
	}
	return v.found;
}

/* ---- the palmarès ---- */

struct palmares_ctx {
	html *h;
	const http_req *r;
};

static void palmares_list(void *ctx, const pal_doc_results *res, int64_t published_at)
{
	struct palmares_ctx *p = ctx;
	html *h = p->h;
	const http_req *r = p->r;
	const char *lang = words_code(r->lang);
	size_t n = pal_doc_results_count(res), shown = 0;
	int top = 0;
	char buf[300], when[PAGE_TIME_SIZE];
	html_open(h, "p");
	html_attr(h, "id", "label");
	html_element_text(h, "strong", pal_doc_results_label(res, lang));
	if (pal_doc_results_edition(res)) {
		snprintf(buf, sizeof buf, " %ld", pal_doc_results_edition(res));
		html_text(h, buf);
	}
	html_close(h, "p");
	page_time(published_at, when);
	html_open(h, "p");
	html_text(h, tr(r, W_PUBLISH_DATE));
	html_text(h, " ");
	html_text(h, when);
	html_close(h, "p");
	for (size_t i = 0; i < n; i++)
		if (pal_doc_town_certified(res, i) && pal_doc_town_level(res, i) > top)
			top = pal_doc_town_level(res, i);
	/* Best level first; within a level, the results' order (town id). */
	for (int level = top; level >= 1; level--) {
		int opened = 0;
		for (size_t i = 0; i < n; i++) {
			if (!pal_doc_town_certified(res, i) || pal_doc_town_level(res, i) != level)
				continue;
			if (!opened) {
				opened = 1;
				html_open(h, "section");
				html_attr_int(h, "data-level", level);
				snprintf(buf, sizeof buf, "%s %d — %s", tr(r, W_LEVEL), level,
					 pal_doc_town_level_name(res, i));
				html_element_text(h, "h2", buf);
				html_open(h, "ul");
			}
			html_open(h, "li");
			html_attr(h, "data-town", pal_doc_town_id(res, i));
			html_element_text(h, "strong", pal_doc_town_name(res, i));
			size_t nm = pal_doc_town_mention_count(res, i);
			for (size_t k = 0; k < nm; k++) {
				html_text(h, k ? " ; " : " — ");
				html_open(h, "span");
				html_attr(h, "class", "mention");
				html_text(h, pal_doc_town_mention(res, i, k, lang));
				html_close(h, "span");
			}
			html_close(h, "li");
			shown++;
		}
		if (opened) {
			html_close(h, "ul");
			html_close(h, "section");
		}
	}
	if (!shown)
		html_element_text(h, "p", tr(r, W_PALMARES_EMPTY));
}

void palmares_get(http_req *r, http_resp *out)
{
	int64_t v;
	if (!allowed(r, ACT_PALMARES_VIEW, NULL) || !(v = latest_version(r->st))) {
		http_error_page(r, out, 404, W_ERR_NOT_FOUND);
		return;
	}
	html *h = html_new(HTTP_PAGE_MAX);
	struct palmares_ctx p = {h, r};
	page_begin(h, r, tr(r, W_PALMARES_TITLE));
	if (with_results(r->st, v, palmares_list, &p) != 0) {
		html_free(h);
		http_error_page(r, out, 500, W_ERR_SERVER);
		return;
	}
	page_end(h, out, 200);
	out->personal = r->who.role != ROLE_ANONYMOUS;
}
