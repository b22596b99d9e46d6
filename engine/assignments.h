/*
 * Private: the assignments a campaign holds (assignments.c), as marks.c
 * checks them and campaign.c frees them; loaded by
 * pal_campaign_set_assignments() (palmares.h).
 */
#ifndef PAL_ASSIGNMENTS_H
#define PAL_ASSIGNMENTS_H

#include "model.h"

/* Accept NULL. */
void eng_assignments_free(void *a);
int eng_assignments_has(const void *a, const char *juror, const char *town_id);

#endif
