/*
 * What the parts of the town's dossier form page share (dossier.c: the
 * engine's view and the page; dossier_criterion.c: one criterion's block;
 * dossier_notices.c: what the page says around the form; dossier_save.c:
 * the save): the page being written and the field names. Private to those
 * four files; dossier.h is what the other dossier pages share with them.
 */
#ifndef PALMARES_SERVER_DOSSIER_PAGE_H
#define PALMARES_SERVER_DOSSIER_PAGE_H

#include "dossier.h"

/* One scoring of the dossier: the campaign and its town's results. */
typedef struct {
	pal_campaign *c;
	pal_town_results *tr;
	int scored; /* applies is known (scored or pending, not invalid) */
} scoring;

/* What the engine makes of the dossier: its messages (on the typed answers),
 * and what applies: from the typed answers or, when the engine refused some
 * of them and so decided nothing, from the answers it accepted. */
typedef struct {
	scoring typed, accepted;
	const scoring *applies; /* NULL: unknown, every criterion is shown */
} engine_view;

/* The page being written; everything borrowed from dossier_render(). */
struct dossier_page {
	http_req *r;
	html *h;
	const pal_rubric *rb;
	const answers *a;
	const engine_view *e;
	const answers *shown; /* what the store holds: the hidden o.ID fields */
	int ro;               /* read-only: no input takes a value */
	int files;            /* evidence files may be attached (the form is multipart) */
	const evidence_list *ev;
	const dossier_outcome *oc;
	int64_t oc_revision; /* the revision the page's forms are based on */
};

/* A text of the page's language. */
static inline const char *tr(const struct dossier_page *p, words_key k)
{
	return words(p->r->lang, k);
}

/* ---- dossier_criterion.c ---- */

/* buf = prefix "." id ("a.ID", the answer of criterion ID; na, e, o, oe,
 * f...), cut to len - 1 bytes as snprintf would. */
void dossier_field_name(char *buf, size_t len, const char *prefix, const char *id);

/* Criterion i's block: title, points, inputs by kind, evidence, messages. */
void dossier_criterion_html(struct dossier_page *p, size_t i);

/* ---- dossier_notices.c ---- */

/* The state of the dossier, the deadline and the server's time, and why it
 * cannot be changed when it cannot. */
void dossier_status_html(struct dossier_page *p, const dossier_target *t);

/* What the last action did (oc NULL: nothing): saved and what to correct,
 * refused, conflicts, refused files, what reading an uploaded file found. */
void dossier_outcome_html(struct dossier_page *p, const dossier_outcome *oc);

/* The upload of a filled dossier file: its own form (multipart). */
void dossier_upload_form_html(struct dossier_page *p);

/* The submission: what blocks it, or its button. */
void dossier_submit_html(struct dossier_page *p, const dossier_outcome *oc);

#endif
