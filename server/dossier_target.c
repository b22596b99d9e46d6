/*
 * What every dossier page asks first (dossier.h): which town's dossier the
 * request is about and what permit() lets its person do with it, the
 * revision a POST is based on, and the two small texts the pages share (a
 * file's size, a time), written without the locale.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dossier.h"

int dossier_find(http_req *r, dossier_target *t, permit_action what)
{
	memset(t, 0, sizeof *t);
	t->town = r->arg && *r->arg ? r->arg : r->who.town_id;
	if (!t->town || !*t->town || store_dossier_get(r->st, t->town, &t->d) != STORE_OK)
		return 0;
	permit_target pt = {t->town, t->d.state == DOSSIER_SUBMITTED, t->d.reopened, 0, 0, SEE_NEVER, 0};
	if (permit(&r->who, ACT_DOSSIER_VIEW, &pt, r->phase) != PERMIT_ALLOW)
		return 0;
	t->can_edit = permit(&r->who, ACT_DOSSIER_EDIT, &pt, r->phase) == PERMIT_ALLOW;
	t->can_submit = permit(&r->who, ACT_DOSSIER_SUBMIT, &pt, r->phase) == PERMIT_ALLOW;
	t->can_upload = permit(&r->who, ACT_EVIDENCE_UPLOAD, &pt, r->phase) == PERMIT_ALLOW;
	return permit(&r->who, what, &pt, r->phase) == PERMIT_ALLOW;
}

int dossier_form_revision(const http_req *r, int64_t *rev)
{
	const char *text = form_get(&r->form, "revision");
	char *end;
	long long v;
	if (!text || !*text)
		return -1;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (*end || errno || v < 0)
		return -1;
	*rev = v;
	return 0;
}

void dossier_size_text(words_lang lang, size_t size, char *buf, size_t len)
{
	if (size < 1024)
		snprintf(buf, len, "%zu %s", size, words(lang, W_UNIT_BYTES));
	else if (size < 1024 * 1024)
		snprintf(buf, len, "%.1f %s", size / 1024.0, words(lang, W_UNIT_KIB));
	else
		snprintf(buf, len, "%.1f %s", size / (1024.0 * 1024.0), words(lang, W_UNIT_MIB));
	words_decimal(lang, buf);
}

