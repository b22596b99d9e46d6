/*
 * `palmares template`: what a town fills in for a rubric — a CSV header row,
 * a JSON dossier skeleton, or a JSON Schema of the dossier format (SPEC §3).
 * Jury criteria get no column: towns don't mark themselves.
 */
#include <string.h>

#include "csvwrite.h"
#include "jsonw.h"
#include "model.h"

/* A kind towns answer has a cell in the schema (eng_kinds[], kinds.c); jury criteria have none. */
static int wants_column(const pal_criterion *c)
{
	return eng_kinds[c->kind].schema != NULL;
}

static int template_csv(const pal_rubric *r, pal_csv_dialect dialect, FILE *out)
{
	static const char *const town[] = {"town_id", "town_name", "population", "region", "department",
	                                   "type"};
	pal_csvw w;
	eng_csvw_init(&w, out, dialect);
	eng_csvw_fields(&w, town, sizeof town / sizeof town[0]);
	for (size_t i = 0; i < r->ncriteria; i++) {
		const pal_criterion *c = &r->criteria[i];
		if (!wants_column(c))
			continue;
		eng_csvw_sep(&w);
		eng_csvw_field(&w, c->id);
		if (c->evidence != PAL_EVIDENCE_NONE) { /* ids are [a-z0-9.-]: never quoted */
			eng_csvw_sep(&w);
			fprintf(out, "%s.evidence", c->id);
		}
	}
	eng_csvw_end(&w);
	return ferror(out) ? -1 : 0;
}

static int template_json(const pal_rubric *r, FILE *out)
{
	fprintf(out, "{\n  \"format\": \"palmares-dossier/1\",\n  \"rubric\": ");
	eng_json_escape(out, r->id);
	fputs(",\n  \"town\": {\"id\": \"\", \"name\": \"\", \"population\": null, \"region\": \"\", "
	      "\"department\": \"\", \"type\": \"commune\"},\n  \"answers\": {", out);
	int first = 1;
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (!wants_column(&r->criteria[i]))
			continue;
		fprintf(out, "%s\n    ", first ? "" : ",");
		eng_json_escape(out, r->criteria[i].id);
		fputs(": null", out);
		first = 0;
	}
	fputs("\n  },\n  \"evidence\": {", out);
	first = 1;
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (!wants_column(&r->criteria[i]) || r->criteria[i].evidence == PAL_EVIDENCE_NONE)
			continue;
		fprintf(out, "%s\n    ", first ? "" : ",");
		eng_json_escape(out, r->criteria[i].id);
		fputs(": null", out);
		first = 0;
	}
	fputs("\n  },\n  \"contact\": {\"name\": \"\", \"email\": \"\"}\n}\n", out);
	return ferror(out) ? -1 : 0;
}

/* JSON Schema (draft 2020-12) of one answer. */
static void schema_answer(const pal_rubric *r, const pal_criterion *c, const char *lang, pal_jw *w)
{
	const char *title = eng_rubric_text(r, c->title, lang);
	eng_jw_obj(w);
	if (title) {
		eng_jw_key(w, "title");
		eng_jw_str(w, title);
	}
	eng_jw_key(w, "anyOf");
	eng_jw_arr(w);
	eng_jw_obj(w);
	eng_kinds[c->kind].schema(c, w);
	eng_jw_end_obj(w);
	eng_jw_obj(w);
	eng_jw_key(w, "type");
	eng_jw_str(w, "null");
	eng_jw_end_obj(w);
	if (c->allow_na) {
		eng_jw_obj(w);
		eng_jw_key(w, "const");
		eng_jw_str(w, "n/a");
		eng_jw_end_obj(w);
	}
	eng_jw_end_arr(w);
	eng_jw_end_obj(w);
}

static int template_schema(const pal_rubric *r, const char *lang, FILE *out)
{
	pal_jw w;
	char id[512];
	eng_jw_init(&w, out, 1);
	eng_jw_obj(&w);
	eng_jw_key(&w, "$schema");
	eng_jw_str(&w, "https://json-schema.org/draft/2020-12/schema");
	snprintf(id, sizeof id, "palmares-dossier/1 for %s", r->id);
	eng_jw_key(&w, "title");
	eng_jw_str(&w, id);
	eng_jw_key(&w, "type");
	eng_jw_str(&w, "object");
	eng_jw_key(&w, "required");
	eng_jw_arr(&w);
	eng_jw_str(&w, "town");
	eng_jw_end_arr(&w);
	eng_jw_key(&w, "properties");
	eng_jw_obj(&w);
	eng_jw_key(&w, "format");
	eng_jw_obj(&w);
	eng_jw_key(&w, "const");
	eng_jw_str(&w, "palmares-dossier/1");
	eng_jw_end_obj(&w);
	eng_jw_key(&w, "rubric");
	eng_jw_obj(&w);
	eng_jw_key(&w, "const");
	eng_jw_str(&w, r->id);
	eng_jw_end_obj(&w);
	eng_jw_key(&w, "town");
	/* Written field by field: a jansson tree here could silently print null when out of memory. */
	eng_jw_obj(&w);
	eng_jw_key(&w, "type");
	eng_jw_str(&w, "object");
	eng_jw_key(&w, "required");
	eng_jw_arr(&w);
	eng_jw_str(&w, "id");
	eng_jw_str(&w, "name");
	eng_jw_end_arr(&w);
	eng_jw_key(&w, "properties");
	eng_jw_obj(&w);
	static const char *const fields[][2] = {{"id", "string"}, {"name", "string"},
	                                        {"population", "number"}};
	for (size_t i = 0; i < 3; i++) {
		eng_jw_key(&w, fields[i][0]);
		eng_jw_obj(&w);
		eng_jw_key(&w, "type");
		eng_jw_str(&w, fields[i][1]);
		eng_jw_key(&w, i < 2 ? "minLength" : "minimum");
		eng_jw_int(&w, i < 2 ? 1 : 0);
		eng_jw_end_obj(&w);
	}
	eng_jw_end_obj(&w);
	eng_jw_end_obj(&w);
	eng_jw_key(&w, "answers");
	eng_jw_obj(&w);
	eng_jw_key(&w, "type");
	eng_jw_str(&w, "object");
	eng_jw_key(&w, "additionalProperties");
	eng_jw_bool(&w, 0);
	eng_jw_key(&w, "properties");
	eng_jw_obj(&w);
	for (size_t i = 0; i < r->ncriteria; i++) {
		if (!wants_column(&r->criteria[i]))
			continue;
		eng_jw_key(&w, r->criteria[i].id);
		schema_answer(r, &r->criteria[i], lang, &w);
	}
	eng_jw_end_obj(&w);
	eng_jw_end_obj(&w);
	eng_jw_key(&w, "evidence");
	eng_jw_obj(&w);
	eng_jw_key(&w, "type");
	eng_jw_str(&w, "object");
	eng_jw_key(&w, "additionalProperties");
	eng_jw_obj(&w);
	eng_jw_key(&w, "type");
	eng_jw_arr(&w);
	eng_jw_str(&w, "string");
	eng_jw_str(&w, "null");
	eng_jw_end_arr(&w);
	eng_jw_end_obj(&w);
	eng_jw_end_obj(&w);
	eng_jw_key(&w, "contact");
	eng_jw_obj(&w);
	eng_jw_key(&w, "type");
	eng_jw_str(&w, "object");
	eng_jw_end_obj(&w);
	eng_jw_end_obj(&w);
	eng_jw_end_obj(&w);
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
