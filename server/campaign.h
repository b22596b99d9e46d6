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

#endif
