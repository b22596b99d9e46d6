/*
 * `palmares campaign export`: the campaign as the files the command line
 * reads, so that `palmares score DIR/rubric.json DIR/dossiers.jsonl
 * --assignments DIR/assignments.csv --marks DIR/marks.csv --overrides
 * DIR/overrides.csv`, run in DIR, writes the server's results.json byte for
 * byte. DIR gets rubric.json (the rubric's text as stored), dossiers.jsonl
 * (every town's dossier made by answers.h, the one conversion of stored
 * answers, one per line in town id order), marks.csv, overrides.csv,
 * assignments.csv and jurors.csv (jury_files.h, the one conversion of the
 * jury tables: a header only while the store holds none), and the manifest
 * .palmares-export (palmares/outdir.h) naming what it wrote. DIR must be
 * new, empty, or hold only the files of an earlier export unchanged since
 * (the manifest's digests): a file palmares did not write is never
 * overwritten. assignments.csv is always written, header only when nothing
 * is assigned: the server scores with it even then (no mark counts without
 * its assignment), and so must the command line.
 */
#ifndef PALMARES_SERVER_EXPORT_H
#define PALMARES_SERVER_EXPORT_H

#include <stddef.h>

#include "store.h"

/* The files of an export, in the order they are written. When a file is
 * added: list it here, write it in export.c, and say so in docs/web.md. */
#define EXPORT_FILES \
	"rubric.json", "dossiers.jsonl", "marks.csv", "overrides.csv", "assignments.csv", "jurors.csv"

/* Exports the campaign of s into dir (created when missing, its parent must
 * exist). 0, or -1 with a message (lower case, the file first) in err: then
 * no file palmares did not write was touched. The number of towns exported
 * in *towns (may be NULL). */
int export_campaign(store *s, const char *dir, size_t *towns, char *err, size_t errlen);

#endif
