/*
 * `palmares template`: what a town fills in for a rubric — a CSV header row,
 * a JSON dossier skeleton, or a JSON Schema of the dossier format (SPEC §3).
 * Jury criteria get no column: towns don't mark themselves.
 */
#include <string.h>

#include "csvwrite.h"
#include "jsonw.h"
#include "model.h"

/* A kind towns answer has a cell in the schema (pal_kinds[], kinds.c); jury criteria have none. */
static int wants_column(const pal_criterion *c)
{
	return pal_kinds[c->kind].schema != NULL;
}

static int template_csv(const pal_rubric *r, pal_csv_dialect dialect, FILE *out)
{
	static const char *const town[] = {"town_id", "town_name", "population", "region", "department",
	                                   "type"};
	pal_csvw w;
	pal_csvw_init(&w, out, dialect);
	pal_csvw_fields(&w, town, sizeof town / sizeof town[0]);
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *c = &r->criteria[i];
		if (!wants_column(c))
			continue;
		pal_csvw_sep(&w);
		pal_csvw_field(&w, c->id);
		if (c->evidence != PAL_EVIDENCE_NONE) { /* ids are [a-z0-9.-]: never quoted */
			pal_csvw_sep(&w);
			fprintf(out, "%s.evidence", c->id);
		}
	}
	pal_csvw_end(&w);
	return ferror(out) ? -1 : 0;
}

static int template_json(const pal_rubric *r, FILE *out)
{
	fprintf(out, "{\n  \"format\": \"palmares-dossier/1\",\n  \"rubric\": ");
	pal_json_escape(out, r->id);
	fputs(",\n  \"town\": {\"id\": \"\", \"name\": \"\", \"population\": null, \"region\": \"\", "
	      "\"department\": \"\", \"type\": \"commune\"},\n  \"answers\": {", out);
	int first = 1;
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (!wants_column(&r->criteria[i]))
			continue;
		fprintf(out, "%s\n    ", first ? "" : ",");
		pal_json_escape(out, r->criteria[i].id);
		fputs(": null", out);
		first = 0;
	}
	fputs("\n  },\n  \"evidence\": {", out);
	first = 1;
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (!wants_column(&r->criteria[i]) || r->criteria[i].evidence == PAL_EVIDENCE_NONE)
			continue;
		fprintf(out, "%s\n    ", first ? "" : ",");
		pal_json_escape(out, r->criteria[i].id);
		fputs(": null", out);
		first = 0;
	}
	fputs("\n  },\n  \"contact\": {\"name\": \"\", \"email\": \"\"}\n}\n", out);
	return ferror(out) ? -1 : 0;
}

/* JSON Schema (draft 2020-12) of one answer. */
static void schema_answer(const pal_rubric *r, const pal_criterion *c, const char *lang, pal_jw *w)
{
	const char *title = pal_rubric_text(r, c->title, lang);
	pal_jw_obj(w);
	if (title) {
		pal_jw_key(w, "title");
		pal_jw_str(w, title);
	}
	pal_jw_key(w, "anyOf");
	pal_jw_arr(w);
	pal_jw_obj(w);
	pal_kinds[c->kind].schema(c, w);
	pal_jw_end_obj(w);
	pal_jw_obj(w);
	pal_jw_key(w, "type");
	pal_jw_str(w, "null");
	pal_jw_end_obj(w);
	if (c->allow_na) {
		pal_jw_obj(w);
		pal_jw_key(w, "const");
		pal_jw_str(w, "n/a");
		pal_jw_end_obj(w);
	}
	pal_jw_end_arr(w);
	pal_jw_end_obj(w);
}

static int template_schema(const pal_rubric *r, const char *lang, FILE *out)
{
	pal_jw w;
	char id[512];
	pal_jw_init(&w, out, 1);
	pal_jw_obj(&w);
	pal_jw_key(&w, "$schema");
	pal_jw_str(&w, "https://json-schema.org/draft/2020-12/schema");
	snprintf(id, sizeof id, "palmares-dossier/1 for %s", r->id);
	pal_jw_key(&w, "title");
	pal_jw_str(&w, id);
	pal_jw_key(&w, "type");
	pal_jw_str(&w, "object");
	pal_jw_key(&w, "required");
	pal_jw_arr(&w);
	pal_jw_str(&w, "town");
	pal_jw_end_arr(&w);
	pal_jw_key(&w, "properties");
	pal_jw_obj(&w);
	pal_jw_key(&w, "format");
	pal_jw_obj(&w);
	pal_jw_key(&w, "const");
	pal_jw_str(&w, "palmares-dossier/1");
	pal_jw_end_obj(&w);
	pal_jw_key(&w, "rubric");
	pal_jw_obj(&w);
	pal_jw_key(&w, "const");
	pal_jw_str(&w, r->id);
	pal_jw_end_obj(&w);
	pal_jw_key(&w, "town");
	/* Written field by field: a jansson tree here could silently print null when out of memory. */
	pal_jw_obj(&w);
	pal_jw_key(&w, "type");
	pal_jw_str(&w, "object");
	pal_jw_key(&w, "required");
	pal_jw_arr(&w);
	pal_jw_str(&w, "id");
	pal_jw_str(&w, "name");
	pal_jw_end_arr(&w);
	pal_jw_key(&w, "properties");
	pal_jw_obj(&w);
	static const char *const fields[][2] = {{"id", "string"}, {"name", "string"},
	                                        {"population", "number"}};
	for (size_t i = 0; i < 3; i++) {
		pal_jw_key(&w, fields[i][0]);
		pal_jw_obj(&w);
		pal_jw_key(&w, "type");
		pal_jw_str(&w, fields[i][1]);
		pal_jw_key(&w, i < 2 ? "minLength" : "minimum");
		pal_jw_int(&w, i < 2 ? 1 : 0);
		pal_jw_end_obj(&w);
	}
	pal_jw_end_obj(&w);
	pal_jw_end_obj(&w);
	pal_jw_key(&w, "answers");
	pal_jw_obj(&w);
	pal_jw_key(&w, "type");
	pal_jw_str(&w, "object");
	pal_jw_key(&w, "additionalProperties");
	pal_jw_bool(&w, 0);
	pal_jw_key(&w, "properties");
	pal_jw_obj(&w);
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (!wants_column(&r->criteria[i]))
			continue;
		pal_jw_key(&w, r->criteria[i].id);
		schema_answer(r, &r->criteria[i], lang, &w);
	}
	pal_jw_end_obj(&w);
	pal_jw_end_obj(&w);
	pal_jw_key(&w, "evidence");
	pal_jw_obj(&w);
	pal_jw_key(&w, "type");
	pal_jw_str(&w, "object");
	pal_jw_key(&w, "additionalProperties");
	pal_jw_obj(&w);
	pal_jw_key(&w, "type");
	pal_jw_arr(&w);
	pal_jw_str(&w, "string");
	pal_jw_str(&w, "null");
	pal_jw_end_arr(&w);
	pal_jw_end_obj(&w);
	pal_jw_end_obj(&w);
	pal_jw_key(&w, "contact");
	pal_jw_obj(&w);
	pal_jw_key(&w, "type");
	pal_jw_str(&w, "object");
	pal_jw_end_obj(&w);
	pal_jw_end_obj(&w);
	pal_jw_end_obj(&w);
	return ferror(out) ? -1 : 0;
}

int pal_template_write(const pal_rubric *r, pal_template_format fmt, const char *lang, FILE *out)
{
	switch (fmt) {
	case PAL_TEMPLATE_JSON: return template_json(r, out);
	case PAL_TEMPLATE_SCHEMA: return template_schema(r, lang, out);
	default: return template_csv(r, PAL_CSV_PLAIN, out);
	}
}

int pal_template_write_csv(const pal_rubric *r, pal_csv_dialect d, FILE *out)
{
	return template_csv(r, d, out);
}
