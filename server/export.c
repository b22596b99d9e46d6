/*
 * The campaign into the command line's files (export.h). First the folder
 * is checked whole: every entry must be a regular file that the manifest of
 * an earlier export lists with the digest it still has, so that nothing
 * someone else put or edited there is replaced. Then each file is written
 * through palmares/output.h (a temporary file renamed into place: a failed
 * run leaves the earlier file whole) while its SHA-256 is computed, and the
 * manifest is rewritten by palmares/outdir.h, the same format and code as
 * the documents' folders. The jury's four files are jury_files.h's texts,
 * the ones the organizer's scores give the engine. The dossiers come from answers.h, one town at a
 * time (a town's answers are read in one statement, so each dossier is one
 * moment's state of that town, while the server goes on saving).
 */
#define _GNU_SOURCE /* O_NOFOLLOW */
#include "export.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "answers.h"
#include "jury_files.h"
#include "palmares/outdir.h"
#include "palmares/output.h"

#define MANIFEST ".palmares-export"
#define MANIFEST_MAX (64 * 1024) /* five lines; anything larger is not one palmares wrote */
#define SHA_HEX (2 * crypto_hash_sha256_BYTES)

static const char *const export_files[] = {EXPORT_FILES};
enum { NFILES = sizeof export_files / sizeof export_files[0] };

/* The jury's files, by their place in export_files: the texts of jury_files.h. */
static const jury_file jury_of[NFILES] = {[2] = JURY_MARKS, [3] = JURY_OVERRIDES, [4] = JURY_ASSIGNMENTS,
					  [5] = JURY_JURORS};

static void hex_of(const unsigned char *d, char hex[SHA_HEX + 1])
{
	sodium_bin2hex(hex, SHA_HEX + 1, d, crypto_hash_sha256_BYTES);
}

/* The SHA-256 of the regular file dir/name (not followed when a link). 0, or -1. */
static int file_digest(int dfd, const char *name, char hex[SHA_HEX + 1])
{
	unsigned char buf[65536], d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state h;
	ssize_t n;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	crypto_hash_sha256_init(&h);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		crypto_hash_sha256_update(&h, buf, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return -1;
	crypto_hash_sha256_final(&h, d);
	hex_of(d, hex);
	return 0;
}

/* The manifest of an earlier export: "<sha256> <name>" lines, '#' comments.
 * Its text, NUL-terminated (owned), "" when there is none; NULL when it is
 * not a file palmares wrote (a link, too large) or cannot be read. */
static char *read_manifest(int dfd)
{
	struct stat sb;
	char *text;
	ssize_t n;
	int fd = openat(dfd, MANIFEST, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? strdup("") : NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > MANIFEST_MAX ||
	    !(text = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		return NULL;
	}
	n = read(fd, text, (size_t)sb.st_size);
	close(fd);
	if (n != sb.st_size) {
		free(text);
		return NULL;
	}
	text[n] = 0;
	return text;
}

/* 1 when the manifest text lists name with digest hex. */
static int manifest_has(const char *text, const char *name, const char *hex)
{
	size_t nl = strlen(name);
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		if (p[0] != '#' && len == SHA_HEX + 1 + nl && p[SHA_HEX] == ' ' &&
		    memcmp(p, hex, SHA_HEX) == 0 && memcmp(p + SHA_HEX + 1, name, nl) == 0)
			return 1;
		p += len + (p[len] == '\n');
	}
	return 0;
}

/* Creates dir when missing, and checks that everything in it is an
 * earlier export's own, unchanged. 0, or -1 with the reason in err. */
static int check_dir(const char *dir, char *err, size_t errlen)
{
	struct stat sb;
	struct dirent *e;
	char hex[SHA_HEX + 1];
	int ret = 0;
	if (stat(dir, &sb) != 0) {
		if (errno == ENOENT && mkdir(dir, 0777) == 0)
			return 0;
		snprintf(err, errlen, "%s: cannot create the folder: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a folder", dir);
		return -1;
	}
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: cannot read the folder: %s", dir, strerror(errno));
		return -1;
	}
	char *manifest = read_manifest(dirfd(d));
	if (!manifest) {
		snprintf(err, errlen,
			 "%s/%s: not a manifest palmares wrote: export into a new or empty folder", dir,
			 MANIFEST);
		closedir(d);
		return -1;
	}
	while (ret == 0 && (errno = 0, e = readdir(d))) {
		struct stat fb;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, MANIFEST))
			continue;
		if (fstatat(dirfd(d), e->d_name, &fb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(fb.st_mode) ||
		    file_digest(dirfd(d), e->d_name, hex) != 0 || !manifest_has(manifest, e->d_name, hex)) {
			snprintf(err, errlen,
				 "%s: \"%s\" is not a file of an earlier palmares campaign export, or was "
				 "changed since: nothing written (export into a new or empty folder, or move "
				 "it away)",
				 dir, e->d_name);
			ret = -1;
		}
	}
	if (ret == 0 && errno) {
		snprintf(err, errlen, "%s: cannot read the folder: %s", dir, strerror(errno));
		ret = -1;
	}
	free(manifest);
	closedir(d);
	return ret;
}

/* One output file and the digest of what went into it. */
typedef struct {
	pal_output *o;
	FILE *f;
	crypto_hash_sha256_state h;
	int bad;
} out_file;

static int out_open(out_file *w, const char *path, char *err, size_t errlen)
{
	memset(w, 0, sizeof *w);
	w->o = pal_output_open_flags(path, PAL_OUTPUT_REGULAR, err, errlen);
	if (!w->o)
		return -1;
	w->f = pal_output_stream(w->o);
	crypto_hash_sha256_init(&w->h);
	return 0;
}

static void out_put(out_file *w, const char *s, size_t len)
{
	if (fwrite(s, 1, len, w->f) != len)
		w->bad = 1;
	crypto_hash_sha256_update(&w->h, (const unsigned char *)s, len);
}

/* Commits the file; its digest in hex. 0, or -1 with err. */
static int out_commit(out_file *w, char hex[SHA_HEX + 1], char *err, size_t errlen)
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&w->h, d);
	hex_of(d, hex);
	if (w->bad) {
		pal_output_abort(w->o);
		snprintf(err, errlen, "write error: %s", strerror(errno));
		return -1;
	}
	return pal_output_commit(w->o, err, errlen);
}

/* Town ids, owned, in the store's order. */
typedef struct {
	char **v;
	size_t n, cap;
	int oom;
} id_list;

static int collect(void *ctx, const char *town_id, const char *town_name, const store_dossier *d)
{
	id_list *l = ctx;
	(void)town_name, (void)d;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return l->oom = 1;
		l->v = v, l->cap = cap;
	}
	if (!(l->v[l->n] = strdup(town_id)))
		return l->oom = 1;
	l->n++;
	return 0;
}

/* dossiers.jsonl: each town's dossier on its line, in town id order: the
 * text the organizer's scores give the engine (scores.c), so that
 * `palmares score` on it writes the server's results.json byte for byte. */
static int write_dossiers(store *s, const pal_rubric *rb, out_file *w, size_t *count, char *err,
			  size_t errlen)
{
	id_list ids = {0};
	int ret = 0;
	store_status st = store_dossiers_list(s, collect, &ids);
	if (st != STORE_OK || ids.oom) {
		snprintf(err, errlen, "cannot list the towns: %s",
			 ids.oom ? "out of memory" : store_errmsg(s));
		ret = -1;
	}
	for (size_t i = 0; ret == 0 && i < ids.n; i++) {
		char *name = NULL, *attrs = NULL, *json = NULL;
		answers a = {0};
		if (store_town_get(s, ids.v[i], &name, &attrs, NULL) != STORE_OK ||
		    answers_init(&a, rb) != 0 || answers_load(&a, s, ids.v[i]) != STORE_OK ||
		    !(json = answers_dossier_json(rb, ids.v[i], name, attrs, &a))) {
			snprintf(err, errlen, "town \"%s\": cannot read its dossier: %s", ids.v[i],
				 *store_errmsg(s) ? store_errmsg(s) : "out of memory");
			ret = -1;
		} else {
			out_put(w, json, strlen(json));
			out_put(w, "\n", 1);
		}
		free(json);
		answers_free(&a);
		free(name);
		free(attrs);
	}
	for (size_t i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	*count = ids.n;
	return ret;
}

/* Writes file k of export_files into path. 0, or -1 with err. */
static int write_one(store *s, size_t k, const char *rubric_text, const pal_rubric *rb, const jury_files *jf,
		     const char *path, char hex[SHA_HEX + 1], size_t *towns, char *err, size_t errlen)
{
	out_file w;
	char e2[512];
	int ret = 0;
	if (out_open(&w, path, e2, sizeof e2) != 0) {
		snprintf(err, errlen, "%s", e2);
		return -1;
	}
	switch (k) {
	case 0: out_put(&w, rubric_text, strlen(rubric_text)); break;
	case 1: ret = write_dossiers(s, rb, &w, towns, err, errlen); break;
	default: out_put(&w, jf->text[jury_of[k]], jf->len[jury_of[k]]); break;
	}
	if (ret != 0) {
		pal_output_abort(w.o);
		return -1;
	}
	if (out_commit(&w, hex, e2, sizeof e2) != 0) {
		snprintf(err, errlen, "%s: %s", path, e2);
		return -1;
	}
	return 0;
}

int export_campaign(store *s, const char *dir, size_t *towns, char *err, size_t errlen)
{
	char *rubric_text = NULL;
	pal_rubric *rb = NULL;
	char paths[NFILES][4096], hex[NFILES][SHA_HEX + 1];
	pal_outdir_file files[NFILES];
	size_t count = 0;
	int ret = -1;
	jury_files jf;
	memset(&jf, 0, sizeof jf);
	store_status st = store_campaign_get(s, NULL, &rubric_text);
	if (st != STORE_OK || !rubric_text) {
		snprintf(err, errlen,
			 st == STORE_NOT_FOUND ? "holds no campaign" : "cannot read the campaign: %s",
			 store_errmsg(s));
		free(rubric_text);
		return -1;
	}
	if (!(rb = campaign_rubric(s))) {
		snprintf(err, errlen, "the stored rubric does not load");
		free(rubric_text);
		return -1;
	}
	if (check_dir(dir, err, errlen) != 0)
		goto done;
	/* The jury read once, before the dossiers: a mark saved meanwhile waits for the next export. */
	st = jury_files_read(s, &jf);
	if (st != STORE_OK) {
		snprintf(err, errlen, "cannot read the jury: %s",
			 st == STORE_NOMEM ? "out of memory" : store_errmsg(s));
		goto done;
	}
	memset(files, 0, sizeof files);
	for (size_t k = 0; k < NFILES; k++) {
		size_t dl = strlen(dir);
		snprintf(paths[k], sizeof paths[k], "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/",
			 export_files[k]);
		files[k].path = paths[k];
	}
	ret = 0;
	for (size_t k = 0; ret == 0 && k < NFILES; k++) {
		ret = write_one(s, k, rubric_text, rb, &jf, paths[k], hex[k], &count, err, errlen);
		files[k].written = ret == 0;
		files[k].sha256 = ret == 0 ? hex[k] : NULL;
	}
	/* The manifest even after a failure, so that the files written are
	 * known as palmares' own at the next export (the others keep their
	 * earlier lines). */
	pal_diags *d = pal_diags_new();
	if (!d || pal_outdir_sync(dir, "export", ".csv", files, NFILES, ret == 0 ? PAL_OUTDIR_COMPLETE : 0,
				  d) != 0) {
		if (ret == 0) {
			char msg[512] = "out of memory";
			for (size_t i = 0; d && i < pal_diags_count(d); i++)
				if (pal_diags_get(d, i)->severity == PAL_ERROR) {
					pal_diag_format(pal_diags_get(d, i), msg, sizeof msg);
					break;
				}
			snprintf(err, errlen, "%s/%s: %s", dir, MANIFEST, msg);
		}
		ret = -1;
	}
	pal_diags_free(d);
done:
	if (towns)
		*towns = count;
	jury_files_clear(&jf);
	pal_rubric_free(rb);
	free(rubric_text);
	return ret;
}
