/*
 * The dates a document shows or records: SOURCE_DATE_EPOCH, read the same
 * way for a PDF's metadata (render.c) and the award date printed on
 * certificates and the booklet. Here, not in render.c, so that the
 * renderers render.c calls do not call back into it.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "render.h"

/*
 * SOURCE_DATE_EPOCH (reproducible-builds.org's specification): unset or
 * empty, 0; a valid value, 1 and *t; anything else, -1. The specification
 * makes a malformed value an error rather than a silent fall-back to today
 * (issue 19, item 13: "abc", "-1" and "1700000000x" gave today's date,
 * 9223372036854775807 printed "25040 janvier 219250468"). Valid: decimal
 * digits only, at most PAL_DOC_MAX_EPOCH, the last second of 9999, because a
 * PDF date (D:YYYYMMDD…) and the award date print four-digit years.
 */
int rep_source_date(time_t *t)
{
	const char *v = getenv("SOURCE_DATE_EPOCH");
	struct tm tm;
	char *end;
	if (!v || !*v)
		return 0;
	if (*v < '0' || *v > '9')
		return -1; /* no sign, no space: what `date +%s` prints after 1970 */
	errno = 0;
	long long s = strtoll(v, &end, 10);
	if (errno || *end || s > PAL_DOC_MAX_EPOCH || (long long)(time_t)s != s)
		return -1;
	*t = (time_t)s;
	return gmtime_r(t, &tm) ? 1 : -1; /* a 32-bit time_t stops in 2038 */
}

void rep_award_date(const rep_ctx *c, int *y, int *m, int *d)
{
	time_t t;
	struct tm tm;
	if (c->st->date_y) {
		*y = c->st->date_y, *m = c->st->date_m, *d = c->st->date_d;
		return;
	}
	if (rep_source_date(&t) <= 0) { /* invalid values never get here: check_options */
		t = time(NULL);
		localtime_r(&t, &tm);
	} else {
		gmtime_r(&t, &tm);
	}
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}
