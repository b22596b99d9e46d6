/*
 * The entries of dossier intake (SPEC §3): a file by its path, or a file's
 * content given in memory (the web front's uploads and form answers). Both
 * choose a reader of dossier.c by format and go through it, so that a text
 * gets exactly the messages, limits and statuses its file would, with the
 * name given where a file's path would be.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dossier.h"
#include "fileio.h"
#include "palmares/limits.h"

/* The extensions of spreadsheets' own files, which are not CSV. */
static const char *const sheets[] = {"xlsx", "xlsm", "xlsb", "xls", "ods", "numbers", NULL};

static int is_sheet(const char *ext)
{
	for (const char *const *k = sheets; *k; k++)
		if (!strcasecmp(ext, *k))
			return 1;
	return 0;
}

static int is_csv(const char *ext)
{
	return !strcasecmp(ext, "csv") || !strcasecmp(ext, "tsv") || !strcasecmp(ext, "txt");
}

static int is_jsonl(const char *ext)
{
	return !strcasecmp(ext, "jsonl") || !strcasecmp(ext, "ndjson");
}

static int unknown_type(const char *path, const char *ext, pal_diags *diags)
{
	pal_diags_add(diags, PAL_ERROR, path, 0, 0,
		      "unknown dossier file type \".%s\": expected .csv, .tsv, .txt, .json or .jsonl", ext);
	return PAL_IOERR;
}

static int sheet_refused(const char *path, const char *ext, pal_diags *diags)
{
	pal_diags_add(diags, PAL_ERROR, path, 0, 0, "not CSV but a spreadsheet file (.%s): save as UTF-8 CSV",
		      ext);
	return PAL_REJECTED;
}

/*
 * A spreadsheet's own file (.xlsx, .ods...) is a zip archive or a binary that
 * the CSV reader would refuse anyway: the same advice and status as when
 * such a file is renamed .csv (csvread.c), once it is known to be there.
 */
static int add_spreadsheet(const char *path, const char *ext, pal_diags *diags)
{
	char why[128];
	long long size;
	FILE *f = pal_input_open(path, 0, &size, why, sizeof why);
	if (!f) {
		pal_diags_add(diags, PAL_ERROR, path, 0, 0, "cannot read \"%s\": %s", path, why);
		return PAL_IOERR;
	}
	fclose(f);
	return sheet_refused(path, ext, diags);
}

int pal_campaign_add_dossiers(pal_campaign *c, const char *path, pal_diags *diags)
{
	const char *ext = palx_file_ext(path);
	if (is_sheet(ext))
		return add_spreadsheet(path, ext, diags);
	if (is_csv(ext))
		return eng_dossiers_csv(c, path, NULL, diags);
	if (!strcasecmp(ext, "json"))
		return eng_dossiers_json(c, path, diags);
	if (is_jsonl(ext))
		return eng_dossiers_jsonl(c, path, NULL, 0, diags);
	return unknown_type(path, ext, diags);
}

int pal_campaign_add_dossiers_text(pal_campaign *c, const char *name, const char *text, size_t len,
				   pal_dossier_format format, pal_diags *diags)
{
	const char *ext = palx_file_ext(name);
	if (format == PAL_DOSSIER_BY_NAME) {
		if (is_sheet(ext))
			return sheet_refused(name, ext, diags); /* its bytes would be refused as CSV anyway */
		format = is_csv(ext)                ? PAL_DOSSIER_CSV
			 : !strcasecmp(ext, "json") ? PAL_DOSSIER_JSON
			 : is_jsonl(ext)            ? PAL_DOSSIER_JSONL
						    : PAL_DOSSIER_BY_NAME;
		if (format == PAL_DOSSIER_BY_NAME)
			return unknown_type(name, ext, diags);
	}
	if (!text)
		text = "";
	if (format == PAL_DOSSIER_JSON) {
		/* as palx_file_read_json() refuses a file over the limit, unread */
		size_t max = pal_limits_current()->max_json;
		if (len > max) {
			pal_diags_add(
				diags, PAL_ERROR, name, 0, 0,
				"file is larger than the limit of %zu bytes (limit set by PALMARES_MAX_JSON)",
				max);
			return PAL_IOERR;
		}
		return eng_dossiers_json_text(c, name, text, len, diags);
	}
	/*
	 * The CSV and JSON Lines readers read a FILE (CSV twice: the encoding,
	 * then the records): the text becomes one, read only ("r" never writes
	 * into the buffer, hence the cast), its limits counted as a file's are.
	 */
	FILE *f = fmemopen((void *)(uintptr_t)text, len, "r");
	if (!f) {
		pal_diags_add(diags, PAL_ERROR, name, 0, 0, "out of memory while reading dossiers");
		return PAL_IOERR;
	}
	int st = format == PAL_DOSSIER_CSV ? eng_dossiers_csv(c, name, f, diags)
					   : eng_dossiers_jsonl(c, name, f, (long long)len, diags);
	fclose(f);
	return st;
}
