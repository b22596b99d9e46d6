/*
 * The one permission function of the web front: every route asks
 * permit(who, what, on, now) before it reads or changes anything, and
 * answers 404 on PERMIT_NOT_FOUND, exactly as for something that does not
 * exist, so that a refusal tells nothing (HotCRP's "no such paper").
 * Deny by default: what the rules in permit.c do not allow is not found.
 *
 * When an action is added: add it to permit_action (before PERMIT_ACTION_COUNT),
 * give it a name in permit.c's action_names[], its rules in rules[], and
 * its expected answers in tests/server/test_permit.c (which fails while any
 * role × action × phase has none).
 */
#ifndef PALMARES_SERVER_PERMIT_H
#define PALMARES_SERVER_PERMIT_H

#include <stdint.h>

typedef enum {
	ROLE_ANONYMOUS = 0, /* no session */
	ROLE_ORGANIZER,
	ROLE_TOWN,
	ROLE_JUROR,
	ROLE_COUNT
} permit_role;

/* The campaign's phases, in order (the store keeps their dates; which phase
 * is current is the store's answer for a date, not a clock read here). */
typedef enum {
	PHASE_SETUP = 0,    /* before submissions open: the organizer prepares */
	PHASE_SUBMISSION,   /* towns fill and submit their dossiers */
	PHASE_MARKING,      /* submissions are closed, jurors mark (issue 12) */
	PHASE_DELIBERATION, /* the jury decides (issue 12) */
	PHASE_PUBLISHED,    /* results, feedback reports and certificates are out */
	PHASE_COUNT
} permit_phase;

typedef enum {
	/* anyone */
	ACT_LOGIN = 0,   /* follow an invitation link, log in with a password */
	ACT_VERIFY_CODE, /* /verify: check a certificate's code */
	/* a town, on its own dossier */
	ACT_DOSSIER_VIEW, /* see the dossier form, the answers, the status, the receipt */
	ACT_DOSSIER_EDIT, /* save answers (typed or uploaded as CSV/JSON) */
	ACT_DOSSIER_SUBMIT,
	ACT_EVIDENCE_UPLOAD,
	ACT_EVIDENCE_DOWNLOAD,
	ACT_FEEDBACK_VIEW, /* the town's feedback report and certificate */
	/* the organizer */
	ACT_CAMPAIGN_VIEW, /* the table of dossiers, scores, explain */
	ACT_SETTINGS_EDIT, /* phases and their dates, label */
	ACT_TOWNS_IMPORT,
	ACT_EXPORT,             /* invitation links, results (JSON, CSV), the campaign's files */
	ACT_DOCUMENTS_DOWNLOAD, /* the PDF documents */
	ACT_DOSSIER_REOPEN,
	ACT_AUDIT_VIEW,
	ACT_PASSWORD_SET, /* the organizer sets their own password (for the password login) */
	/* a juror, on a dossier (issue 12) */
	ACT_JURY_DOSSIER_VIEW,
	ACT_JURY_MARK,
	PERMIT_ACTION_COUNT
} permit_action;

/* Who asks. */
typedef struct {
	permit_role role;
	int64_t person_id;   /* 0 for ROLE_ANONYMOUS */
	const char *town_id; /* the town of a ROLE_TOWN person, else NULL */
} permit_actor;

/* What the request is about; a zeroed target for actions on no dossier. */
typedef struct {
	const char *town_id; /* the dossier's town; NULL when the action is on no dossier */
	int submitted;       /* the dossier's status is "submitted" */
	int reopened;        /* the organizer reopened it: its town may edit and submit past the deadline */
	/* Issue 12: a juror reaches a dossier only when assigned to it and
	 * without a declared conflict of interest. */
	int assigned;
	int conflict;
} permit_target;

typedef enum { PERMIT_NOT_FOUND = 0, PERMIT_ALLOW = 1 } permit_answer;

/* May who do what on on, in phase now? on may be NULL for actions on no
 * dossier. Any out-of-range value is not found. */
permit_answer permit(const permit_actor *who, permit_action what, const permit_target *on, permit_phase now);

/* Names for messages and tests ("dossier-edit", "town", "submission"); "?" when out of range. */
const char *permit_action_name(permit_action a);
const char *permit_role_name(permit_role r);
const char *permit_phase_name(permit_phase p);

#endif
