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
	/* a juror, on a dossier (the organizer reads the same for deliberation) */
	ACT_JURY_DOSSIER_VIEW, /* the dossier as the jury reads it: answers, evidence, attributes, own marks */
	ACT_JURY_MARK,         /* save one's marks and comments (online, or a filled sheet) */
	/* the jury's other actions */
	ACT_JURY_QUEUE,       /* a juror's own list of dossiers and their sheet */
	ACT_JURY_RECUSE,      /* a juror declares a conflict with an assigned dossier */
	ACT_JURY_OTHERS_VIEW, /* a juror sees the other jurors' marks on a dossier (the campaign's setting) */
	ACT_JURY_MANAGE,      /* the organizer: jurors, their links and load, the assignment */
	ACT_DELIBERATION_VIEW, /* the organizer: the deliberation page, every mark and comment */
	ACT_OVERRIDE_SET,     /* the organizer: set or remove a level override, with a reason */
	ACT_PUBLISH,          /* the organizer: freeze the results as a new published version */
	ACT_PALMARES_VIEW,    /* anyone: the public list of labelled towns, once published */
	PERMIT_ACTION_COUNT
} permit_action;

/* The campaign's setting, per phase: what a juror sees of the other
 * jurors' marks on a dossier assigned to them. */
typedef enum {
	SEE_NEVER = 0,   /* never (the default) */
	SEE_AFTER_OWN,   /* once the juror has given every mark of the dossier */
	SEE_ALWAYS,
	SEE_COUNT
} permit_visibility;

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
	/* A juror reaches a dossier only when assigned to it and without a
	 * conflict of interest: the juror's own town, a conflict in the jurors
	 * file, or a recusal. */
	int assigned;
	int conflict;
	/* What a juror sees of the others' marks on it, by the campaign's
	 * setting for the current phase, and whether the juror has given every
	 * mark of this dossier. */
	permit_visibility visibility;
	int own_marks_given;
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
