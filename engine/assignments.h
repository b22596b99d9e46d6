/*
 * Private: the assignments a campaign holds (assignments.c), as marks.c
 * checks them and campaign.c frees them; loaded by
 * pal_campaign_set_assignments() (palmares.h).
 */
#ifndef PAL_ASSIGNMENTS_H
#define PAL_ASSIGNMENTS_H

#include "csvread.h"
#include "model.h"

/* Accept NULL. */
void eng_assignments_free(void *a);
int eng_assignments_has(const void *a, const char *juror, const char *town_id);
/*
 * Reads the assignments of in (a file or a text) into c, replacing those set
 * before: pal_campaign_set_assignments() and its _text twin, and the plan
 * reader of jury.c, which restricts the marks with the same input.
 */
int eng_assignments_set(pal_campaign *c, const eng_csv_in *in, pal_diags *diags);

#endif
