/*
 * `palmares campaign init`'s work on the store: the rubric's text (already
 * validated by the caller with pal_rubric_load), the towns of a CSV file
 * (town_id, town_name, email, and the town's other columns as its
 * attributes), the jurors of a jurors file (juror, name, email), and the
 * organizer, all in one transaction: a refused file leaves no campaign.
 */
#ifndef PALMARES_SERVER_CAMPAIGN_H
#define PALMARES_SERVER_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#include "palmares/palmares.h"
#include "store.h"

#define CAMPAIGN_FILE_MAX (64u << 20) /* a rubric, towns or jurors file */

typedef struct {
	const char *rubric_path, *towns_path, *jurors_path; /* jurors_path may be NULL */
	const char *organizer_name, *organizer_email;       /* NULL: "organizer", "" */
} campaign_files;

/* Creates the campaign from the files; the organizer's person id in
 * *organizer. 0, or -1 with a message (lower case, the file first) in err:
 * then the store holds no campaign. */
int campaign_create(store *s, const campaign_files *f, int64_t now, int64_t *organizer, char *err,
		    size_t errlen);

/* `campaign init --dossiers`: stores the answers and evidence of dossier
 * files (CSV, JSON... as `palmares check` reads them: the engine's intake,
 * its messages in d) as the drafts of their towns, each audited as an
 * answer by the command line after an "import" line naming the file. The
 * towns must be the campaign's (their attributes stay the towns file's).
 * All or nothing, in one transaction: a file that cannot be read, a
 * dossier the engine refuses (an error in d), a town the campaign does not
 * have or found twice: -1 with a message in err and nothing stored. The
 * number of dossiers stored in *imported. */
int campaign_import(store *s, const char *const *paths, size_t n, int64_t now, pal_diags *d, size_t *imported,
		    char *err, size_t errlen);

/* Before opening db_path with store_open (which migrates an older schema):
 * 0 when it is a campaign file (a SQLite file with a schema version), -1
 * with a message otherwise, so that a command given some other file (a
 * SQLite database of something else, a text file) neither changes it nor
 * says less than "not a campaign file". */
int campaign_check_file(const char *db_path, char *err, size_t errlen);

/* `palmares campaign backup`: copies the campaign file db_path to out_path
 * with SQLite's online backup API (store_backup: one moment's state, while
 * a server goes on writing), checks the copy (PRAGMA integrity_check, a
 * campaign in it), then puts it in place: onto an existing out_path only
 * with force (a backup must not silently replace the one good copy), never
 * onto db_path itself. 0, or -1 with a message in err: then out_path is as
 * it was. */
int campaign_backup(const char *db_path, const char *out_path, int force, char *err, size_t errlen);

#endif
