/*
 * What the town's dossier pages share (dossier.c: the form, with
 * dossier_criterion.c, dossier_notices.c and dossier_save.c, its save;
 * dossier_upload.c: a filled dossier file; evidence.c: evidence files;
 * submit.c: submission and receipt): which dossier a request is about and
 * what its person may do with it, and the form page with what the last
 * action has to say above and inside it.
 */
#ifndef PALMARES_SERVER_DOSSIER_H
#define PALMARES_SERVER_DOSSIER_H

#include "answers.h"
#include "pages.h"
#include "palmares/palmares.h"

/* Which town's dossier the request is about, and what its person may do. */
typedef struct {
	const char *town; /* borrowed from the request */
	store_dossier d;
	int can_edit, can_submit, can_upload;
} dossier_target;

/* Finds the dossier of the request (/dossier/TOWN's TOWN, else the town's
 * own) and checks what: 1 when permit() allows ACT_DOSSIER_VIEW and what
 * (ACT_DOSSIER_VIEW for a page, ACT_DOSSIER_EDIT, ACT_DOSSIER_SUBMIT...);
 * 0 means 404. */
int dossier_find(http_req *r, dossier_target *t, permit_action what);

/* What an action has to say on the page. */
typedef struct {
	int saved, refused;               /* a save: done; refused (submitted meanwhile) */
	const store_conflicts *conflicts; /* a save or an upload based on an old revision */
	/* a dossier file (dossier_upload.c) */
	int upload_refused;                /* 1: refused whole, upload_why says why (if not 0) */
	words_key upload_why;              /* W_UPLOAD_... or 0 */
	int uploaded;                      /* the file was read and its answers saved */
	size_t upload_changed;             /* how many answers it changed */
	const pal_diags *upload_diags;     /* what reading it found, NULL when none */
	const pal_town_results *upload_tr; /* its messages by code, for the page's language */
	/* evidence files (evidence.c): by rubric index, 0 or W_EVIDENCE_BAD_TYPE/TOO_BIG */
	const words_key *file_refused;
	/* submission (submit.c) */
	int submit_blocked; /* the engine finds errors: they are listed above the submit button */
	int submit_stale;   /* the revision moved */
} dossier_outcome;

/* The form page of t's dossier: the answers a (as typed), the store's
 * answers shown (the hidden o.ID fields), the revision the next save is
 * based on, and what the last action says (NULL: nothing). */
void dossier_render(http_req *r, http_resp *out, const dossier_target *t, const pal_rubric *rb,
		    const answers *a, const answers *shown, int64_t revision, const dossier_outcome *oc);

/* The revision field of a POST: 0 and *rev, or -1 when missing or malformed (400). */
int dossier_form_revision(const http_req *r, int64_t *rev);

/* "12 Kio" / "3.4 MiB": a file's size for lists. */
void dossier_size_text(words_lang lang, size_t size, char *buf, size_t len);


/* ---- evidence.c ---- */

/* The files of a save (fields f.ID) and removals (rm=ID), checked before
 * anything is stored: per criterion, 0 or why it is refused (refused[i]).
 * Returns 0 when every file is allowed, 1 when one is refused, -1 when out
 * of memory. */
int evidence_check(const http_req *r, const pal_rubric *rb, words_key *refused);

/* Stores the checked files of r's form (by SHA-256: the same bytes once) and
 * removes the files asked, for town, in the caller's transaction; adds to
 * save[*n] (room for one per criterion, texts owned by keys[]) the evidence
 * text of a criterion that had none: "NAME (SHA-256 HEX)", so that the
 * submitted dossier, and its receipt, name the file. a holds the evidence
 * texts as they will be saved. */
store_status evidence_store(http_req *r, const pal_rubric *rb, const char *town, answers *a,
			    store_answer *save, char **keys, size_t *n);

/* The list of criterion i's files under its evidence field, with a remove
 * box when editable (ctx: the listing of evidence_list_load()). */
typedef struct evidence_list evidence_list;
evidence_list *evidence_list_load(store *st, const char *town);
void evidence_list_free(evidence_list *l);
void evidence_list_html(html *h, const http_req *r, const evidence_list *l, const char *criterion,
			int removable);

/* GET /dossier/evidence/ID: the file, to its town and the organizer. */
void evidence_get(http_req *r, http_resp *out);

/* ---- dossier_upload.c, submit.c ---- */

/* The answers a of a dossier as a read-only table (id: its HTML id), with
 * each criterion's files when files is not NULL (links to download them). */
void dossier_answers_table(html *h, const http_req *r, const pal_rubric *rb, const answers *a,
			   const evidence_list *files, const char *id);

void dossier_upload_post(http_req *r, http_resp *out);
void dossier_submit_post(http_req *r, http_resp *out);
void dossier_receipt_get(http_req *r, http_resp *out);
void dossier_submitted_json_get(http_req *r, http_resp *out);

/* The town's dossier as the engine reads it (answers_dossier_json() with its
 * stored name and attributes): owned JSON text, NULL on failure. */
char *dossier_json(store *st, const pal_rubric *rb, const char *town, const answers *a);

#endif
