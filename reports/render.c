/*
 * Document output: which towns a document covers, the PDF (or PNG) surface
 * written through pal_output (temporary file + rename), and the per-town
 * files of `-o DIR/` rendered by a pool of threads.
 *
 * Per-town files are written only as regular files (a link or FIFO planted
 * in the directory is refused), the first that does not fit stops the pool,
 * and the directory's manifest (palmares/outdir.h) records what was written
 * so that a later complete run removes the files it no longer writes.
 *
 * Progress (pal_doc_options.progress) counts towns: from this thread in
 * draw_pages, from the workers through an atomic counter in the pool.
 *
 * cairo writes through a stream callback whose closure holds the output's
 * FILE* (no global state), so that several documents can be written at once.
 * The same results give byte-identical files: a PDF's dates are
 * SOURCE_DATE_EPOCH's, else absent (docs/documents.md, "Outputs and
 * determinism").
 */
#include <cairo-pdf.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "palmares/outdir.h"
#include "palmares/output.h"
#include "palmares/version.h"
#include "render.h"
#include "sha256.h"

#define A4_LANDSCAPE(o) ((o)->kind == PAL_DOC_CERTIFICATES)

typedef struct sink {
	FILE *fp;
	int failed; /* the errno of the first write that failed, 0: none */
	palx_sha256_ctx *hash; /* NULL, or the digest of what is written (the directory's manifest) */
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	sink *s = closure;
	if (fwrite(data, 1, len, s->fp) != len) {
		if (!s->failed) /* cairo's calls after this one may change errno */
			s->failed = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	if (s->hash)
		palx_sha256_update(s->hash, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/*
 * What the options ask that no document can honour, refused before anything
 * is written. Returns 0, or -1 with an error in diags.
 */
static int check_options(const pal_doc_options *o, pal_diags *diags)
{
	time_t t;
	if (rep_source_date(&t) < 0) {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, rep_msg("SOURCE_DATE_EPOCH: expected a number of "
		              "seconds since 1970-01-01 from 0 to %lld (9999-12-31), found \"%.40s\""),
		              (long long)PAL_DOC_MAX_EPOCH, getenv("SOURCE_DATE_EPOCH"));
		return -1;
	}
	if (o->kind == PAL_DOC_CERTIFICATES && o->verify_url) {
		/* every "{code}" counts: each would take the 14 characters of a code */
		size_t len = strlen(o->verify_url), with = len;
		for (const char *p = strstr(o->verify_url, "{code}"); p; p = strstr(p + 6, "{code}"))
			with = with - 6 + PAL_CODE_SIZE - 1;
		if (with > PAL_DOC_MAX_VERIFY_URL) {
			pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, rep_msg("verification address too long: %zu "
			              "bytes with the code, at most %d fit a QR code that a phone reads on a "
			              "certificate"), with, PAL_DOC_MAX_VERIFY_URL);
			return -1;
		}
	}
	return 0;
}

static void set_metadata(cairo_surface_t *s, const rep_ctx *c)
{
	time_t t;
	struct tm tm;
	char date[32];
	const char *label = rep_pick(c, c->st->label.n ? &c->st->label : &c->r->label);
	static const char *const titles[] = {"Certificates", "Feedback reports", "Ceremony booklet"};
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, rep_tr(c, titles[c->opt->kind]));
	if (label)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, label);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "palmares " PAL_VERSION);
	/*
	 * cairo stamps every PDF with the current second, so two runs of the same
	 * command gave different files (issue 13, item 4). The date is
	 * SOURCE_DATE_EPOCH's, else none: an empty value is not an ISO 8601 date,
	 * and cairo then writes no /CreationDate (the file system keeps the time
	 * a file was written). determinism.sh checks the bytes without the variable.
	 */
	date[0] = '\0';
	if (rep_source_date(&t) > 0 && gmtime_r(&t, &tm))
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/*
 * Draws the document's pages for the given towns (NULL, 0 for the booklet).
 * count: report each town to the progress callback (one file for all the
 * towns; the pool counts its one-town jobs itself).
 */
static void draw_pages(rep_ctx *c, const size_t *towns, size_t n, int count)
{
	pal_progress_fn progress = count ? c->opt->progress : NULL;
	if (c->opt->kind == PAL_DOC_BOOKLET) {
		rep_booklet(c);
		return;
	}
	for (size_t i = 0; i < n && !c->stop; i++) {
		const rep_town *t = &c->r->towns[towns[i]];
		if (c->opt->kind == PAL_DOC_CERTIFICATES)
			rep_certificate(c, t);
		else
			rep_report(c, t);
		if (progress)
			progress(c->opt->progress_ctx, "rendering", i + 1, n);
	}
}

/*
 * Renders into an opened output; count as for draw_pages. Returns 0, or -1
 * with a message in err and in *cause the errno of a write that failed (0 when
 * cairo failed otherwise).
 * The cairo objects are always destroyed; the output is left to the caller.
 */
static int render_to(rep_ctx *c, FILE *fp, const size_t *towns, size_t n, int count, char *err,
                     size_t errlen, int *cause, palx_sha256_ctx *hash)
{
	const pal_doc_options *o = c->opt;
	double w = A4_LANDSCAPE(o) ? REP_A4_H : REP_A4_W, h = A4_LANDSCAPE(o) ? REP_A4_W : REP_A4_H;
	double scale = (o->png_dpi > 0 ? o->png_dpi : 96) / 72.0;
	sink sk = {fp, 0, hash};
	cairo_surface_t *s;
	if (o->format == PAL_DOC_PNG)
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * scale + 0.5), (int)(h * scale + 0.5));
	else
		s = cairo_pdf_surface_create_for_stream(sink_write, &sk, w, h);
	cairo_t *cr = cairo_create(s);
	rep_ctx_target(c, cr, w, h);
	c->pages = 0;
	c->stop = 0;
	c->status = cairo_status(cr);
	if (o->format == PAL_DOC_PNG) {
		c->max_pages = 1;
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_scale(cr, scale, scale);
	} else {
		c->max_pages = 0;
		cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
		set_metadata(s, c);
	}
	if (c->status == CAIRO_STATUS_SUCCESS)
		draw_pages(c, towns, n, count);
	cairo_status_t st = c->status ? c->status : cairo_status(cr);
	cairo_destroy(cr);
	c->cr = NULL;
	if (st == CAIRO_STATUS_SUCCESS && o->format == PAL_DOC_PNG)
		st = cairo_surface_write_to_png_stream(s, sink_write, &sk);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS || sk.failed) {
		snprintf(err, errlen, rep_msg("rendering failed: %s"),
		         sk.failed ? rep_strerror(sk.failed) : rep_msg(cairo_status_to_string(st)));
		*cause = sk.failed;
		return -1;
	}
	return 0;
}

/* The language of a document: the option, else the results' language; "fr" or "en". */
static const char *doc_lang(const pal_doc_results *r, const pal_doc_options *o)
{
	const char *l = o->lang ? o->lang : r->language;
	return l && strncmp(l, "fr", 2) == 0 ? "fr" : "en";
}

static int wanted(const rep_town *t, pal_doc_kind kind)
{
	if (!t->usable)
		return 0;
	if (kind == PAL_DOC_CERTIFICATES)
		return t->status == REP_SCORED && t->level >= 1 && t->code[0];
	return 1;
}

/*
 * The indices of the towns a document covers: the selected ones (--town),
 * else every town that gets this document. Returns a malloc'd array (*n may
 * be 0), or NULL when out of memory. Selected towns that are unknown or get
 * no such document are reported.
 */
static size_t *select_towns(const pal_doc_results *r, const pal_doc_options *o, size_t *n,
                            pal_diags *diags, int *rejected)
{
	/* Each selected town once, and --town "" (all the towns without an id) once: at most this. */
	size_t *v = malloc((r->ntowns + o->ntowns + 1) * sizeof *v);
	int without_id = 0;
	*n = 0;
	if (!v)
		return NULL;
	if (!o->towns) {
		for (size_t i = 0; i < r->ntowns; i++)
			if (wanted(&r->towns[i], o->kind))
				v[(*n)++] = i;
		return v;
	}
	for (size_t k = 0; k < o->ntowns; k++) {
		size_t i = pal_doc_results_find(r, o->towns[k]);
		if (i != (size_t)-1 && !o->towns[k][0]) {
			/* --town "": every dossier that came without a town id (docs/documents.md). */
			for (i = without_id++ ? r->ntowns : i; i < r->ntowns; i++)
				if (!r->towns[i].id[0] && wanted(&r->towns[i], o->kind))
					v[(*n)++] = i;
			continue;
		}
		if (i == (size_t)-1) {
			pal_diags_add(diags, PAL_ERROR, r->path, 0, 0, rep_msg("unknown town \"%s\""), o->towns[k]);
			*rejected = 1;
		} else if (!wanted(&r->towns[i], o->kind)) {
			pal_diags_add(diags, PAL_ERROR, r->path, 0, 0,
			              o->kind == PAL_DOC_CERTIFICATES ? rep_msg("town %s \"%s\" gets no certificate: %s")
			                                              : rep_msg("town %s \"%s\" gets no report: %s"),
			              r->towns[i].id, r->towns[i].name,
			              !r->towns[i].usable ? rep_msg("its entry has errors")
			              : r->towns[i].status == REP_PENDING ? rep_msg("it is pending")
			              : r->towns[i].status == REP_INVALID ? rep_msg("it is invalid")
			                                                  : rep_msg("it is not labelled"));
			*rejected = 1;
		} else {
			v[(*n)++] = i;
		}
	}
	return v;
}

static const rep_style *style_of(const pal_doc_options *o, rep_style *defaults)
{
	if (o->style)
		return &o->style->st;
	rep_style_defaults(defaults);
	return defaults;
}

/*
 * What pal_doc_render and pal_doc_render_stream share: the options checked,
 * the towns selected, the fonts set up, then fp written, either the
 * output's temporary file (out not NULL: committed or aborted here) or the
 * caller's stream (out NULL). shown names the output in messages.
 */
static int render_one(const pal_doc_results *r, const pal_doc_options *o, const char *path, FILE *fp,
                      const char *shown, pal_diags *diags)
{
	char err[512], msg[700];
	int rejected = 0, rc = PAL_DOC_OK, cause;
	size_t n = 0;
	rep_style defaults;
	rep_ctx c;
	if (check_options(o, diags) != 0)
		return PAL_DOC_IOERR;
	size_t *towns = select_towns(r, o, &n, diags, &rejected);
	if (!towns) {
		pal_diags_add(diags, PAL_ERROR, shown, 0, 0, "%s", rep_msg("out of memory"));
		return PAL_DOC_IOERR;
	}
	if (n == 0 && o->kind != PAL_DOC_BOOKLET) {
		pal_diags_add(diags, PAL_ERROR, r->path, 0, 0, "%s",
		              o->kind == PAL_DOC_CERTIFICATES ? rep_msg("no town gets a certificate: nothing written")
		                                              : rep_msg("no town gets a report: nothing written"));
		free(towns);
		return PAL_DOC_REJECTED;
	}
	if (o->format == PAL_DOC_PNG && n > 1)
		n = 1;
	if (rep_ctx_init(&c, r, o, style_of(o, &defaults), doc_lang(r, o)) != 0) {
		pal_diags_add(diags, PAL_ERROR, shown, 0, 0, "%s", rep_msg("cannot set up fonts"));
		rep_ctx_release(&c);
		free(towns);
		return PAL_DOC_IOERR;
	}
	if (o->progress && o->kind != PAL_DOC_BOOKLET) /* the clock of the rate starts now */
		o->progress(o->progress_ctx, "rendering", 0, n);
	pal_output *out = fp ? NULL : pal_output_open(path, err, sizeof err);
	if (!fp && !out) {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "%s", rep_msg_output(err, msg, sizeof msg));
		rc = PAL_DOC_IOERR;
	} else if (render_to(&c, fp ? fp : pal_output_stream(out), towns, n, o->kind != PAL_DOC_BOOKLET, err,
	                     sizeof err, &cause, NULL) != 0) {
		pal_output_abort(out);
		pal_diags_add(diags, PAL_ERROR, shown, 0, 0, "%s", err);
		rc = PAL_DOC_IOERR;
	} else if (out && pal_output_commit(out, err, sizeof err) != 0) {
		pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, "%s", rep_msg_output(err, msg, sizeof msg));
		rc = PAL_DOC_IOERR;
	}
	rep_ctx_release(&c);
	free(towns);
	return rc != PAL_DOC_OK ? rc : rejected ? PAL_DOC_REJECTED : PAL_DOC_OK;
}

int pal_doc_render(const pal_doc_results *r, const pal_doc_options *o, const char *path,
                   pal_diags *diags)
{
	return render_one(r, o, path, NULL, path && strcmp(path, "-") != 0 ? path : "<stdout>", diags);
}

int pal_doc_render_stream(const pal_doc_results *r, const pal_doc_options *o, FILE *fp, const char *name,
                          pal_diags *diags)
{
	return render_one(r, o, NULL, fp, name ? name : "<stream>", diags);
}

/* ---- one file per town, in parallel ---- */

typedef struct job {
	size_t town;
	char *path;
	char err[512];
	int failed;
	int full; /* failed because the storage is full: the run stops */
	int written;
	char sha256[PALX_SHA256_HEX_LEN + 1]; /* of the file written, for the manifest */
} job;

typedef struct pool {
	const pal_doc_results *r;
	const pal_doc_options *o;
	const rep_style *st;
	const char *lang;
	const char *dir;
	job *jobs;
	size_t n;
	atomic_size_t next;
	atomic_size_t done; /* jobs finished, for the progress callback */
	atomic_int stop;    /* a file could not be written for want of space: start no other */
	atomic_size_t first_full; /* the job that set stop (the one reported), n: none */
	/* pal_output_open reads the process umask by setting it: one at a time. */
	pthread_mutex_t open_lock;
} pool;

/*
 * A write that failed for want of space (a full disk, a quota, the file size
 * limit): every town after it would fail the same way, each with its own line,
 * so the run stops there (issue 19, item 4).
 */
static int storage_full(int e)
{
	return e == ENOSPC || e == EDQUOT || e == EFBIG;
}

static void run_job(pool *p, rep_ctx *c, job *j)
{
	int cause = 0;
	palx_sha256_ctx hash;
	palx_sha256_init(&hash);
	/* Files inside an output directory: never through a planted link, never into a FIFO. */
	pthread_mutex_lock(&p->open_lock);
	pal_output *out = pal_output_open_flags(j->path, PAL_OUTPUT_REGULAR, j->err, sizeof j->err);
	pthread_mutex_unlock(&p->open_lock);
	if (!out) {
		j->failed = 1;
		cause = errno;
	} else if (render_to(c, pal_output_stream(out), &j->town, 1, 0, j->err, sizeof j->err, &cause,
	                     &hash) != 0) {
		pal_output_abort(out);
		j->failed = 1;
		if (cause)
			snprintf(j->err, sizeof j->err, "cannot write \"%s\": %s", j->path, strerror(cause));
	} else if (pal_output_commit(out, j->err, sizeof j->err) != 0) {
		j->failed = 1;
		cause = errno;
	} else {
		unsigned char d[PALX_SHA256_LEN];
		palx_sha256_final(&hash, d);
		palx_sha256_hex(d, j->sha256);
		j->written = 1;
	}
	if (j->failed && storage_full(cause)) {
		size_t none = p->n;
		j->full = 1;
		atomic_store(&p->stop, 1);
		atomic_compare_exchange_strong(&p->first_full, &none, (size_t)(j - p->jobs));
	}
}

static void *worker(void *arg)
{
	pool *p = arg;
	rep_ctx c;
	int ok = rep_ctx_init(&c, p->r, p->o, p->st, p->lang) == 0;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n || atomic_load(&p->stop))
			break;
		if (ok) {
			run_job(p, &c, &p->jobs[i]);
		} else {
			snprintf(p->jobs[i].err, sizeof p->jobs[i].err, "%s", rep_msg("cannot set up fonts"));
			p->jobs[i].failed = 1;
		}
		size_t done = atomic_fetch_add(&p->done, 1) + 1;
		if (p->o->progress)
			p->o->progress(p->o->progress_ctx, "rendering", done, p->n);
	}
	rep_ctx_release(&c);
	return NULL;
}

/*
 * The first town's document, drawn here before the workers start. Its fonts
 * (each style's family in regular, bold and italic, at their sizes) then get
 * their cairo face from one thread, and keep() holds them before any other
 * thread asks for the same file. Two threads that ask for a font file first
 * at the same time can each get a face of their own; a PDF that draws with
 * both embeds the file twice, and its bytes depend on the timing (seen once,
 * under ASan, on 2 cores). Fonts that only some towns use (a fallback for a
 * rare character in a name) are still first asked for by the pool.
 */
static void warm_up(pool *p)
{
	rep_ctx c;
	if (p->n == 0 || rep_ctx_init(&c, p->r, p->o, p->st, p->lang) != 0) {
		rep_ctx_release(&c);
		return;
	}
	run_job(p, &c, &p->jobs[0]);
	rep_ctx_release(&c);
	atomic_store(&p->next, 1);
	size_t done = atomic_fetch_add(&p->done, 1) + 1;
	if (p->o->progress)
		p->o->progress(p->o->progress_ctx, "rendering", done, p->n);
}

/*
 * dir/<id>.<ext> with unsafe characters replaced; "-2", "-3"… on collisions.
 * A dossier without a town id (invalid, but it gets its report) is named
 * after its town: dir/no-id_<name>.<ext>, or dir/no-id.<ext>.
 */
static char *file_name(const char *dir, const rep_town *t, const char *ext, const job *done,
                       size_t ndone)
{
	const char *id = t->id[0] ? t->id : t->name;
	size_t dl = strlen(dir), il = strlen(id), cap = dl + il + strlen(ext) + 40;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	int slash = dl && dir[dl - 1] == '/';
	snprintf(s, cap, "%s%s%s", dir, slash ? "" : "/", t->id[0] ? "" : il ? "no-id_" : "no-id");
	size_t o = strlen(s);
	for (size_t i = 0; i < il; i++) {
		char ch = id[i];
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		         ch == '-' || ch == '_' || (ch == '.' && i > 0);
		s[o++] = ok ? ch : '_';
	}
	s[o] = '\0'; /* never empty: an id has characters, else "no-id" leads */
	for (int k = 1;; k++) {
		char *try = malloc(cap);
		int dup = 0;
		if (!try) {
			free(s);
			return NULL;
		}
		if (k == 1)
			snprintf(try, cap, "%s.%s", s, ext);
		else
			snprintf(try, cap, "%s-%d.%s", s, k, ext);
		for (size_t i = 0; i < ndone && !dup; i++)
			dup = strcmp(done[i].path, try) == 0;
		if (!dup) {
			free(s);
			return try;
		}
		free(try);
	}
}

static int run_pool(pool *p, pal_diags *diags)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = p->o->jobs > 0 ? (size_t)p->o->jobs : cores > 0 ? (size_t)cores : 1;
	int rc = PAL_DOC_OK;
	char msg[700];
	if (nt > p->n)
		nt = p->n;
	pthread_t *th = calloc(nt ? nt : 1, sizeof *th);
	size_t started = 0;
	atomic_init(&p->next, 0);
	atomic_init(&p->done, 0);
	atomic_init(&p->stop, 0);
	atomic_init(&p->first_full, p->n);
	if (p->o->progress && p->n)
		p->o->progress(p->o->progress_ctx, "rendering", 0, p->n);
	pthread_mutex_init(&p->open_lock, NULL);
	if (nt > 1)
		warm_up(p);
	for (; th && started < nt; started++)
		if (pthread_create(&th[started], NULL, worker, p) != 0)
			break;
	if (started == 0)
		worker(p); /* no thread could start: do the work here */
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&p->open_lock);
	size_t first = atomic_load(&p->first_full), written = 0;
	for (size_t i = 0; i < p->n; i++) {
		const job *j = &p->jobs[i];
		const rep_town *t = &p->r->towns[j->town];
		written += j->written;
		/* Of the files the full storage refused, the first says it: the others are counted. */
		if (j->failed && (!j->full || i == first)) {
			pal_diags_add(diags, PAL_ERROR, NULL, 0, 0, rep_msg("town %s \"%s\": %s"), t->id, t->name,
			              rep_msg_output(j->err, msg, sizeof msg));
			rc = PAL_DOC_IOERR;
		}
	}
	if (first < p->n)
		pal_diags_add(diags, PAL_ERROR, p->dir, 0, 0,
		              rep_msg("stopped at the first file that did not fit: %zu of %zu files written"),
		              written, p->n);
	else if (rc != PAL_DOC_OK) /* the command line says what was written only on success */
		pal_diags_add(diags, PAL_NOTE, p->dir, 0, 0, rep_msg("%zu of %zu files written"), written, p->n);
	return rc;
}

/*
 * Records the files written in the directory's manifest and, for a run over
 * every town, removes those of an earlier run that this one does not write
 * (issue 19, item 3: no stale certificate of a town that lost its level).
 */
static int sync_dir(const pool *p, pal_diags *diags)
{
	pal_outdir_file *f = malloc((p->n ? p->n : 1) * sizeof *f);
	int rc;
	if (!f) {
		pal_diags_add(diags, PAL_ERROR, p->dir, 0, 0, "%s", rep_msg("out of memory"));
		return -1;
	}
	for (size_t i = 0; i < p->n; i++)
		f[i] = (pal_outdir_file){p->jobs[i].path, p->jobs[i].written, p->jobs[i].sha256};
	/* The engine words the manifest's messages in English: in the user's language here (item 23). */
	pal_diags_translate_fn was = pal_diags_set_translate(diags, rep_msg);
	rc = pal_outdir_sync(p->dir, p->o->kind == PAL_DOC_CERTIFICATES ? "certificates" : "report",
	                     p->o->format == PAL_DOC_PNG ? ".png" : ".pdf", f, p->n,
	                     p->o->towns ? 0 : PAL_OUTDIR_COMPLETE, diags);
	pal_diags_set_translate(diags, was);
	free(f);
	return rc;
}

int pal_doc_render_dir(const pal_doc_results *r, const pal_doc_options *o, const char *dir,
                       pal_diags *diags)
{
	int rejected = 0, rc;
	size_t n = 0;
	rep_style defaults;
	if (check_options(o, diags) != 0)
		return PAL_DOC_IOERR;
	size_t *towns = select_towns(r, o, &n, diags, &rejected);
	job *jobs = calloc(n ? n : 1, sizeof *jobs);
	pool p = {.r = r, .o = o, .st = style_of(o, &defaults), .lang = doc_lang(r, o), .dir = dir,
	          .jobs = jobs, .n = n};
	if (!towns || !jobs) {
		free(towns);
		free(jobs);
		pal_diags_add(diags, PAL_ERROR, dir, 0, 0, "%s", rep_msg("out of memory"));
		return PAL_DOC_IOERR;
	}
	if (n == 0 && !rejected)
		pal_diags_add(diags, PAL_WARNING, r->path, 0, 0, "%s",
		              o->kind == PAL_DOC_CERTIFICATES ? rep_msg("no town gets a certificate: nothing written")
		                                              : rep_msg("no town gets a report: nothing written"));
	for (size_t i = 0; i < n; i++) {
		jobs[i].town = towns[i];
		jobs[i].path = file_name(dir, &r->towns[towns[i]], o->format == PAL_DOC_PNG ? "png" : "pdf",
		                         jobs, i);
		if (!jobs[i].path) {
			p.n = i;
			pal_diags_add(diags, PAL_ERROR, dir, 0, 0, "%s", rep_msg("out of memory"));
			rejected = 2;
			break;
		}
	}
	rc = rejected == 2 ? PAL_DOC_IOERR : run_pool(&p, diags);
	if (rejected != 2 && sync_dir(&p, diags) != 0 && rc == PAL_DOC_OK)
		rc = PAL_DOC_IOERR;
	for (size_t i = 0; i < n; i++)
		free(jobs[i].path);
	free(jobs);
	free(towns);
	return rc != PAL_DOC_OK ? rc : rejected ? PAL_DOC_REJECTED : PAL_DOC_OK;
}
