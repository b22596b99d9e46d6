/*
 * Creating a campaign from files (campaign.h): read each file whole
 * (bounded), read the towns with towns_csv.h (the reader the web's import
 * uses too) and the jurors with its CSV table, and hand the rows to the
 * store in one transaction.
 */
#include "campaign.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A file read whole into a CSV table; -1 with the file's name first in err. */
static int read_table(const char *path, csv_table *t, char *err, size_t errlen)
{
	size_t len;
	char why[200], *text = slurp(path, &len, err, errlen);
	if (!text)
		return -1;
	int ret = csv_table_read(text, len, t, why, sizeof why);
	if (ret != 0)
		snprintf(err, errlen, "%s: %s", path, why);
	free(text);
	return ret;
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

struct create_ctx {
	const campaign_files *f;
	const char *label, *rubric;
	const store_town *towns;
	size_t ntowns;
	const csv_table *jurors;
	int64_t now, organizer;
};

static store_status create(store *s, void *ctx)
{
	struct create_ctx *c = ctx;
	store_status st = store_campaign_init(s, c->label, c->rubric, c->towns, c->ntowns, 0, c->now);
	if (st != STORE_OK)
		return st;
	if (c->jurors) {
		long name = csv_table_column(c->jurors, "name"), email = csv_table_column(c->jurors, "email");
		for (size_t i = 1; i < c->jurors->n; i++) {
			st = store_person_add(s, ROLE_JUROR, NULL, csv_table_cell(c->jurors, i, name),
					      csv_table_cell(c->jurors, i, email), 0, c->now, NULL);
			if (st != STORE_OK)
				return st;
		}
	}
	return store_person_add(s, ROLE_ORGANIZER, NULL,
				c->f->organizer_name ? c->f->organizer_name : "organizer",
				c->f->organizer_email ? c->f->organizer_email : "", 0, c->now, &c->organizer);
}

int campaign_create(store *s, const campaign_files *f, int64_t now, int64_t *organizer, char *err,
		    size_t errlen)
{
	towns_list towns;
	csv_table jurors;
	size_t len;
	int ret = -1, have_jurors = 0;
	char *label = NULL, *text = NULL, *rubric = slurp(f->rubric_path, &len, err, errlen);
	memset(&towns, 0, sizeof towns);
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
		if (read_table(f->jurors_path, &jurors, err, errlen) != 0)
			goto done;
		have_jurors = 1;
		if (csv_table_column(&jurors, "name") < 0) {
			snprintf(err, errlen, "%s: no \"name\" column (the jurors file of palmares assign)",
				 f->jurors_path);
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
	if (have_jurors)
		csv_table_free(&jurors);
	return ret;
}
