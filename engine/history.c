/*
 * History (SPEC §9): an earlier edition's results file, of which the
 * campaign keeps the edition and each town's level (c->prev_levels), for
 * the rules' `history` and the results' previous_level. Declared in
 * palmares.h (pal_campaign_set_previous); no private header: nothing else
 * in the engine calls it.
 */
#include <string.h>

#include "fileio.h"
#include "model.h"

int pal_campaign_set_previous(pal_campaign *c, const char *path, pal_diags *diags)
{
	char *text;
	size_t len;
	json_error_t jerr;
	int st = palx_file_read_json(path, &text, &len, diags);
	if (st)
		return st;
	json_t *root = palx_json_loadb(text, len, 0, &jerr);
	free(text);
	if (!root && palx_json_oom(&jerr)) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading previous results");
		return PAL_IOERR;
	}
	if (!root) {
		pal_diags_add(diags, PAL_ERROR, path, jerr.line, jerr.column, "malformed JSON: %s",
		              jerr.text);
		return PAL_REJECTED;
	}
	json_t *ed = json_object_get(json_object_get(root, "rubric"), "edition");
	json_t *towns = json_object_get(root, "towns");
	const char *fmt = json_string_value(json_object_get(root, "format"));
	if (!fmt || strcmp(fmt, "palmares-results/1") != 0 || !json_is_integer(ed) ||
	    !json_is_array(towns)) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "not a palmares results file (expected "
		              "\"format\": \"palmares-results/1\", rubric.edition and towns)");
		json_decref(root);
		return PAL_REJECTED;
	}
	json_t *levels = json_object();
	size_t i;
	json_t *t;
	json_array_foreach(towns, i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));
		json_t *lv = json_object_get(t, "level");
		if (id && json_is_integer(lv) && levels && json_object_set(levels, id, lv)) {
			json_decref(levels);
			levels = NULL;
		}
	}
	c->prev_edition = (long)json_integer_value(ed);
	json_decref(root);
	if (!levels) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "out of memory while reading previous results");
		return PAL_IOERR;
	}
	json_decref(c->prev_levels);
	c->prev_levels = levels;
	return PAL_OK;
}
