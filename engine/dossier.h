/*
 * Private: the readers of dossier.c, one per format, that the entries
 * (dossier_in.c: a path, or a text in memory) dispatch to. path is the file
 * read, or with a stream or a text given, the name messages give instead.
 * Each returns PAL_OK, PAL_REJECTED or PAL_IOERR, as
 * pal_campaign_add_dossiers() does.
 */
#ifndef PAL_ENGINE_DOSSIER_H
#define PAL_ENGINE_DOSSIER_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

/* CSV or TSV: the file at path, or fp when not NULL (seekable: it is read twice). */
int eng_dossiers_csv(pal_campaign *c, const char *path, FILE *fp, pal_diags *diags);
/* One JSON document: the file at path (under PALMARES_MAX_JSON), or text (len bytes, borrowed). */
int eng_dossiers_json(pal_campaign *c, const char *path, pal_diags *diags);
int eng_dossiers_json_text(pal_campaign *c, const char *path, const char *text, size_t len, pal_diags *diags);
/* JSON Lines: the file at path, or given when not NULL (of given_size bytes, -1: unknown). */
int eng_dossiers_jsonl(pal_campaign *c, const char *path, FILE *given, long long given_size,
		       pal_diags *diags);

#endif
