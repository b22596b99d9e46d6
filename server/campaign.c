/*
 * Creating a campaign from files (campaign.h): read each file whole
 * (bounded), read the towns with towns_csv.h (the reader the web's import
 * uses too) and the jurors with jurors_file.h (the jurors page's import
 * too), and hand the rows to the
 * store in one transaction. Also the import of dossier files (--dossiers)
 * and the campaign file's backup (a checked copy through the store's online
 * backup, put in place without replacing what it must not).
 */
#include "campaign.h"

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "answers.h"
#include "jurors_file.h"
#include "palmares/jury.h"
#include "store_jury.h"
#include "palmares/text.h"
#include "palmares/town.h"
#include "towns_csv.h"

/* A file's bytes, NUL-terminated; NULL with a message in err. */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 65536 * 2;
			char *p = realloc(buf, cap);
			if (!p) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = p;
		}
		size_t got = fread(buf + n, 1, 65536, f);
		n += got;
		if (n > CAMPAIGN_FILE_MAX) {
			snprintf(err, errlen, "%s: larger than %u MiB", path, CAMPAIGN_FILE_MAX >> 20);
			goto fail;
		}
		if (got < 65536)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

/* The label of the rubric: label.fr, else the label in the rubric's language, else its id. */
static char *rubric_label(const char *text)
{
	json_t *root = json_loads(text, 0, NULL), *label, *v = NULL;
	char *out;
	if (!root)
		return NULL;
	label = json_object_get(root, "label");
	if (json_is_string(label))
		v = label;
	else if (json_is_object(label)) {
		v = json_object_get(label, "fr");
		if (!json_is_string(v))
			v = json_object_get(label, "en");
	}
	if (!json_is_string(v))
		v = json_object_get(root, "id");
	out = strdup(json_is_string(v) ? json_string_value(v) : "palmares");
	json_decref(root);
	return out;
}

/* The first problem of a refused jurors file, as the command line says it. */
static void jurors_refused(const char *path, const jurors_list *l, char *err, size_t errlen)
{
	char msg[400];
	if (l->nomem || !l->nproblems)
		snprintf(msg, sizeof msg, "%s: out of memory", path);
	else if (l->problems[0].line > 0)
		snprintf(msg, sizeof msg, "%s:%ld: %s", path, l->problems[0].line, l->problems[0].text);
	else
		snprintf(msg, sizeof msg, "%s: %s", path, l->problems[0].text);
	snprintf(err, errlen, "%s (the jurors file of palmares assign)", msg);
}

struct create_ctx {
	const campaign_files *f;
	const char *label, *rubric;
	const store_town *towns;
	size_t ntowns;
	const jurors_list *jurors;
	int64_t now, organizer;
};

static store_status create(store *s, void *ctx)
{
	struct create_ctx *c = ctx;
	store_status st = store_campaign_init(s, c->label, c->rubric, c->towns, c->ntowns, 0, c->now);
	if (st != STORE_OK)
		return st;
	/* the one path of the jurors file into the store (jurors_file.h), as the jurors page's import */
	if (c->jurors && (st = jurors_list_store(s, c->jurors, 0, c->now)) != STORE_OK)
		return st;
	return store_person_add(s, ROLE_ORGANIZER, NULL,
				c->f->organizer_name ? c->f->organizer_name : "organizer",
				c->f->organizer_email ? c->f->organizer_email : "", 0, c->now, &c->organizer);
}

int campaign_create(store *s, const campaign_files *f, int64_t now, int64_t *organizer, char *err,
		    size_t errlen)
{
	towns_list towns;
	jurors_list jurors;
	size_t len;
	int ret = -1, have_jurors = 0;
	char *label = NULL, *text = NULL, *rubric = slurp(f->rubric_path, &len, err, errlen);
	memset(&towns, 0, sizeof towns);
	memset(&jurors, 0, sizeof jurors);
	if (!rubric)
		return -1;
	if (!(text = slurp(f->towns_path, &len, err, errlen)))
		goto done;
	/* The same reader as the web's import (towns_csv.h); its first problem is said. */
	if (towns_csv_read(text, len, &towns) != 0) {
		char why[300];
		if (towns.nomem || !towns.nproblems)
			snprintf(err, errlen, "%s: out of memory", f->towns_path);
		else if (towns_problem_text(&towns.problems[0], why, sizeof why), towns.problems[0].line)
			snprintf(err, errlen, "%s:%zu: %s", f->towns_path, towns.problems[0].line, why);
		else
			snprintf(err, errlen, "%s: %s", f->towns_path, why);
		goto done;
	}
	if (f->jurors_path) {
		char *jt = slurp(f->jurors_path, &len, err, errlen);
		if (!jt)
			goto done;
		have_jurors = 1;
		int bad = jurors_file_read(f->jurors_path, jt, len, &jurors);
		free(jt);
		if (bad) {
			jurors_refused(f->jurors_path, &jurors, err, errlen);
			goto done;
		}
	}
	if (!(label = rubric_label(rubric))) {
		snprintf(err, errlen, "%s: out of memory", f->rubric_path);
		goto done;
	}
	struct create_ctx c = {f, label, rubric, towns.v, towns.n, have_jurors ? &jurors : NULL, now, 0};
	store_status st = store_tx(s, create, &c);
	if (st == STORE_OK) {
		*organizer = c.organizer;
		ret = 0;
	} else if (st == STORE_REFUSED) {
		snprintf(err, errlen, "the campaign exists already, or a town is listed twice in %s (%s)",
			 f->towns_path, store_errmsg(s));
	} else {
		snprintf(err, errlen, "cannot create the campaign: %s", store_errmsg(s));
	}
done:
	free(label);
	free(text);
	free(rubric);
	towns_list_free(&towns);
	jurors_list_free(&jurors);
	return ret;
}

/* What the import's transaction needs. */
struct import_ctx {
	const char *const *paths;
	size_t n, imported;
	int64_t now;
	const pal_rubric *rb;
	pal_diags *d;
	char *err;
	size_t errlen;
	char **seen; /* town ids imported so far, to refuse one found in two files */
	size_t nseen;
};

/* Stores town t's answers (as dossier cells: what the intake reads back
 * as the same answer) and evidence. */
static store_status import_town(store *s, struct import_ctx *x, const pal_campaign *c, size_t t,
				const char *path)
{
	size_t nc = pal_rubric_count_criteria(x->rb), n = 0;
	const char *id = pal_campaign_town_id(c, t);
	store_answer *v = calloc(2 * nc + 1, sizeof *v);
	char **texts = calloc(2 * nc + 1, sizeof *texts);
	pal_town_results *tr = pal_campaign_town_results(c, t);
	store_status st = STORE_NOMEM;
	if (!v || !texts || !tr)
		goto done;
	for (size_t i = 0; i < nc; i++) {
		const char *cid = pal_rubric_criterion_id(x->rb, i), *ev = pal_town_results_evidence(tr, i);
		size_t len = pal_town_results_answer_cell(tr, i, NULL, 0);
		if (len) {
			if (!(texts[n] = malloc(len + 1)))
				goto done;
			pal_town_results_answer_cell(tr, i, texts[n], len + 1);
			v[n].criterion = cid;
			v[n].value = texts[n];
			n++;
		}
		if (ev && *ev) {
			size_t kl = strlen(cid) + sizeof ".evidence";
			if (!(texts[n] = malloc(kl)))
				goto done;
			snprintf(texts[n], kl, "%s.evidence", cid);
			v[n].criterion = texts[n];
			v[n].value = ev;
			n++;
		}
	}
	st = store_audit_append(s, 0, x->now, "import", id, NULL, path);
	if (st == STORE_OK)
		st = store_answers_save(s, id, 0, v, n, 0, x->now, NULL, NULL);
	if (st == STORE_NOT_FOUND)
		snprintf(x->err, x->errlen, "%s: town %s \"%s\" is not in the campaign's towns file", path, id,
			 pal_campaign_town_name(c, t));
	else if (st == STORE_CONFLICT || st == STORE_REFUSED)
		snprintf(x->err, x->errlen, "%s: town %s: its dossier has answers already", path, id);
	else if (st != STORE_OK)
		snprintf(x->err, x->errlen, "%s: town %s: %s", path, id, store_errmsg(s));
done:
	if (st == STORE_NOMEM)
		snprintf(x->err, x->errlen, "%s: out of memory", path);
	for (size_t k = 0; texts && k < 2 * nc + 1; k++)
		free(texts[k]);
	free(texts);
	free(v);
	pal_town_results_free(tr);
	return st;
}

static store_status import_files(store *s, void *ctx)
{
	struct import_ctx *x = ctx;
	store_status st = STORE_OK;
	for (size_t f = 0; st == STORE_OK && f < x->n; f++) {
		const char *path = x->paths[f];
		pal_campaign *c = pal_campaign_new(x->rb);
		size_t errors = pal_diags_errors(x->d);
		if (!c) {
			snprintf(x->err, x->errlen, "%s: out of memory", path);
			return STORE_NOMEM;
		}
		int status = pal_campaign_add_dossiers(c, path, x->d);
		if (status == PAL_OK)
			status = pal_campaign_score(c, x->d);
		if (status != PAL_OK || pal_diags_errors(x->d) > errors) {
			snprintf(x->err, x->errlen,
				 status == PAL_IOERR ? "%s: cannot be read" : "%s: the engine refuses some of it (above)",
				 path);
			st = STORE_REFUSED;
		}
		for (size_t t = 0; st == STORE_OK && t < pal_campaign_count(c); t++) {
			const char *id = pal_campaign_town_id(c, t);
			for (size_t k = 0; k < x->nseen; k++)
				if (strcmp(x->seen[k], id) == 0) {
					snprintf(x->err, x->errlen, "%s: town %s has a dossier in another file already",
						 path, id);
					st = STORE_REFUSED;
				}
			char **seen = st == STORE_OK ? realloc(x->seen, (x->nseen + 1) * sizeof *seen) : NULL;
			if (st == STORE_OK && (!seen || !(seen[x->nseen] = strdup(id)))) {
				if (seen)
					x->seen = seen;
				snprintf(x->err, x->errlen, "%s: out of memory", path);
				st = STORE_NOMEM;
			}
			if (st == STORE_OK) {
				x->seen = seen;
				x->nseen++;
				st = import_town(s, x, c, t, path);
			}
			if (st == STORE_OK)
				x->imported++;
		}
		pal_campaign_free(c);
	}
	return st;
}

int campaign_import(store *s, const char *const *paths, size_t n, int64_t now, pal_diags *d, size_t *imported,
		    char *err, size_t errlen)
{
	pal_rubric *rb = campaign_rubric(s);
	struct import_ctx x = {paths, n, 0, now, rb, d, err, errlen, NULL, 0};
	store_status st;
	*imported = 0;
	if (!rb) {
		snprintf(err, errlen, "the campaign's rubric does not load: %s", store_errmsg(s));
		return -1;
	}
	snprintf(err, errlen, "cannot import the dossiers");
	st = store_tx(s, import_files, &x);
	for (size_t k = 0; k < x.nseen; k++)
		free(x.seen[k]);
	free(x.seen);
	pal_rubric_free(rb);
	if (st != STORE_OK)
		return -1;
	*imported = x.imported;
	return 0;
}

int campaign_check_file(const char *db_path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int version = -1;
	if (access(db_path, F_OK) != 0) {
		snprintf(err, errlen, "%s: %s", db_path, strerror(errno));
		return -1;
	}
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL) == SQLITE_OK &&
	    sqlite3_step(q) == SQLITE_ROW)
		version = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	if (version <= 0) {
		snprintf(err, errlen, "%s: not a campaign file (made by palmares campaign init)", db_path);
		return -1;
	}
	return 0;
}

/* 1 when a and b name the same file (both exist). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Opens the copy and checks it is sound and holds a campaign. */
static int check_copy(const char *path, char *err, size_t errlen)
{
	store *c = NULL;
	char *label = NULL;
	store_status st = store_open(path, 0, &c, err, errlen);
	if (st != STORE_OK)
		return -1;
	if ((st = store_integrity_check(c)) != STORE_OK)
		snprintf(err, errlen, "the copy fails its integrity check: %s", store_errmsg(c));
	else if ((st = store_campaign_get(c, &label, NULL)) != STORE_OK)
		snprintf(err, errlen, "the copy holds no campaign: %s", store_errmsg(c));
	free(label);
	store_close(c);
	return st == STORE_OK ? 0 : -1;
}

int campaign_backup(const char *db_path, const char *out_path, int force, char *err, size_t errlen)
{
	store *s = NULL;
	char *label = NULL, e2[512];
	int ret = -1, fd;
	size_t n = strlen(out_path) + sizeof ".palmares-XXXXXX";
	char *tmp = malloc(n);
	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (same_file(db_path, out_path)) {
		snprintf(err, errlen, "%s: the same file as the campaign: a backup goes to another file", out_path);
		goto done;
	}
	if (!force && access(out_path, F_OK) == 0) {
		snprintf(err, errlen, "%s: exists already: give another name, or --force to replace it", out_path);
		goto done;
	}
	if (campaign_check_file(db_path, err, errlen) != 0)
		goto done;
	if (store_open(db_path, 0, &s, e2, sizeof e2) != STORE_OK) {
		snprintf(err, errlen, "%s", e2);
		goto done;
	}
	if (store_campaign_get(s, &label, NULL) != STORE_OK) {
		snprintf(err, errlen, "%s: holds no campaign: create it with palmares campaign init", db_path);
		goto done;
	}
	/* A name of our own beside out_path: the copy is made and checked
	 * there, and only then takes out_path's name. */
	snprintf(tmp, n, "%s.palmares-XXXXXX", out_path);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "%s: cannot write beside it: %s", out_path, strerror(errno));
		goto done;
	}
	close(fd);
	if (store_backup(s, tmp) != STORE_OK) {
		snprintf(err, errlen, "%s: the backup failed: %s", out_path, store_errmsg(s));
		goto remove_tmp;
	}
	if (check_copy(tmp, e2, sizeof e2) != 0) {
		snprintf(err, errlen, "%s: %s", out_path, e2);
		goto remove_tmp;
	}
	/* link() refuses an existing name atomically: a file made meanwhile is not replaced. */
	if (force ? rename(tmp, out_path) != 0 : link(tmp, out_path) != 0) {
		snprintf(err, errlen, "%s: %s", out_path,
			 errno == EEXIST ? "exists already: give another name, or --force to replace it"
					 : strerror(errno));
		goto remove_tmp;
	}
	ret = 0;
remove_tmp:
	if (ret != 0 || !force)
		unlink(tmp);
done:
	free(label);
	store_close(s);
	free(tmp);
	return ret;
}
