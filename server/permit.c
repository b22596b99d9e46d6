/*
 * Permissions as data: one row per (action, role) that may ever be allowed,
 * with the phases it is allowed in and what it needs of the target. permit()
 * looks for the row and checks it; no row, no permission. Phases are bits
 * here, as pretalx keeps its review phases as rows with flags rather than
 * `if` chains over dates.
 */
#include "permit.h"

#include <string.h>

#define P(x) (1u << (x))
#define ALL_PHASES (P(PHASE_COUNT) - 1u)
/* After the deadline only a reopened dossier is open; results are final once published. */
#define UNTIL_DELIBERATION (P(PHASE_SUBMISSION) | P(PHASE_MARKING) | P(PHASE_DELIBERATION))

/* What a rule needs of the target, besides the phase. */
enum {
	NEED_DOSSIER = 0x1,    /* the target is a dossier */
	NEED_OWN_TOWN = 0x2,   /* ... of the actor's own town */
	NEED_OPEN = 0x4,       /* ... not submitted, and the submission phase or reopened */
	NEED_REOPENABLE = 0x8, /* ... submitted, or left as a draft at the deadline */
	NEED_ASSIGNED = 0x10,  /* ... assigned to the juror, without a conflict */
	NEED_OTHERS_VISIBLE = 0x20, /* ... whose other marks the visibility setting shows the juror */
};

struct rule {
	permit_action act;
	permit_role role;
	unsigned phases; /* bits P(phase) */
	unsigned needs;
};

/* Every permission there is. */
static const struct rule rules[] = {
	{ACT_LOGIN, ROLE_ANONYMOUS, ALL_PHASES, 0},
	{ACT_LOGIN, ROLE_ORGANIZER, ALL_PHASES, 0},
	{ACT_LOGIN, ROLE_TOWN, ALL_PHASES, 0},
	{ACT_LOGIN, ROLE_JUROR, ALL_PHASES, 0},
	{ACT_VERIFY_CODE, ROLE_ANONYMOUS, ALL_PHASES, 0},
	{ACT_VERIFY_CODE, ROLE_ORGANIZER, ALL_PHASES, 0},
	{ACT_VERIFY_CODE, ROLE_TOWN, ALL_PHASES, 0},
	{ACT_VERIFY_CODE, ROLE_JUROR, ALL_PHASES, 0},

	{ACT_DOSSIER_VIEW, ROLE_TOWN, ALL_PHASES, NEED_DOSSIER | NEED_OWN_TOWN},
	{ACT_DOSSIER_VIEW, ROLE_ORGANIZER, ALL_PHASES, NEED_DOSSIER},
	{ACT_DOSSIER_EDIT, ROLE_TOWN, UNTIL_DELIBERATION, NEED_DOSSIER | NEED_OWN_TOWN | NEED_OPEN},
	{ACT_DOSSIER_SUBMIT, ROLE_TOWN, UNTIL_DELIBERATION, NEED_DOSSIER | NEED_OWN_TOWN | NEED_OPEN},
	{ACT_EVIDENCE_UPLOAD, ROLE_TOWN, UNTIL_DELIBERATION, NEED_DOSSIER | NEED_OWN_TOWN | NEED_OPEN},
	{ACT_EVIDENCE_DOWNLOAD, ROLE_TOWN, ALL_PHASES, NEED_DOSSIER | NEED_OWN_TOWN},
	{ACT_EVIDENCE_DOWNLOAD, ROLE_ORGANIZER, ALL_PHASES, NEED_DOSSIER},
	{ACT_FEEDBACK_VIEW, ROLE_TOWN, P(PHASE_PUBLISHED), NEED_DOSSIER | NEED_OWN_TOWN},
	{ACT_FEEDBACK_VIEW, ROLE_ORGANIZER, ALL_PHASES, NEED_DOSSIER}, /* a preview before publication */

	{ACT_CAMPAIGN_VIEW, ROLE_ORGANIZER, ALL_PHASES, 0},
	{ACT_SETTINGS_EDIT, ROLE_ORGANIZER, ALL_PHASES, 0},
	/* New towns after the deadline could only be late: none once marking starts. */
	{ACT_TOWNS_IMPORT, ROLE_ORGANIZER, P(PHASE_SETUP) | P(PHASE_SUBMISSION), 0},
	{ACT_EXPORT, ROLE_ORGANIZER, ALL_PHASES, 0},
	{ACT_DOCUMENTS_DOWNLOAD, ROLE_ORGANIZER, ALL_PHASES, 0},
	{ACT_DOSSIER_REOPEN, ROLE_ORGANIZER, UNTIL_DELIBERATION, NEED_DOSSIER | NEED_REOPENABLE},
	{ACT_AUDIT_VIEW, ROLE_ORGANIZER, ALL_PHASES, 0},
	/* Only organizers have passwords: towns and jurors log in by their links. */
	{ACT_PASSWORD_SET, ROLE_ORGANIZER, ALL_PHASES, 0},

	/* Jurors mark in the marking phase and read their dossiers until the
	 * results are out; never a dossier not theirs or in conflict. */
	{ACT_JURY_QUEUE, ROLE_JUROR, ALL_PHASES, 0},
	{ACT_JURY_DOSSIER_VIEW, ROLE_JUROR, P(PHASE_MARKING) | P(PHASE_DELIBERATION), NEED_DOSSIER | NEED_ASSIGNED},
	{ACT_JURY_DOSSIER_VIEW, ROLE_ORGANIZER, ALL_PHASES, NEED_DOSSIER},
	{ACT_JURY_MARK, ROLE_JUROR, P(PHASE_MARKING), NEED_DOSSIER | NEED_ASSIGNED},
	{ACT_JURY_RECUSE, ROLE_JUROR, P(PHASE_MARKING), NEED_DOSSIER | NEED_ASSIGNED},
	{ACT_JURY_OTHERS_VIEW, ROLE_JUROR, P(PHASE_MARKING) | P(PHASE_DELIBERATION),
	 NEED_DOSSIER | NEED_ASSIGNED | NEED_OTHERS_VISIBLE},
	/* The organizer runs the jury until publication, deliberates, and may
	 * publish again (a new version) after a late override. */
	{ACT_JURY_MANAGE, ROLE_ORGANIZER, P(PHASE_SETUP) | UNTIL_DELIBERATION, 0},
	{ACT_DELIBERATION_VIEW, ROLE_ORGANIZER, ALL_PHASES, 0},
	{ACT_OVERRIDE_SET, ROLE_ORGANIZER, P(PHASE_DELIBERATION) | P(PHASE_PUBLISHED), NEED_DOSSIER},
	{ACT_PUBLISH, ROLE_ORGANIZER, P(PHASE_DELIBERATION) | P(PHASE_PUBLISHED), 0},
	{ACT_PALMARES_VIEW, ROLE_ANONYMOUS, P(PHASE_PUBLISHED), 0},
	{ACT_PALMARES_VIEW, ROLE_ORGANIZER, P(PHASE_PUBLISHED), 0},
	{ACT_PALMARES_VIEW, ROLE_TOWN, P(PHASE_PUBLISHED), 0},
	{ACT_PALMARES_VIEW, ROLE_JUROR, P(PHASE_PUBLISHED), 0},
	/* A juror downloads the evidence files of the dossiers they read. */
	{ACT_EVIDENCE_DOWNLOAD, ROLE_JUROR, P(PHASE_MARKING) | P(PHASE_DELIBERATION), NEED_DOSSIER | NEED_ASSIGNED},
};

static int same_town(const char *a, const char *b)
{
	return a && b && *a && !strcmp(a, b);
}

static int needs_met(unsigned needs, const permit_actor *who, const permit_target *on, permit_phase now)
{
	if (needs && (!on || !on->town_id || !*on->town_id))
		return 0; /* every need is about a dossier */
	if ((needs & NEED_OWN_TOWN) && !same_town(who->town_id, on->town_id))
		return 0;
	if ((needs & NEED_OPEN) && (on->submitted || (now != PHASE_SUBMISSION && !on->reopened)))
		return 0;
	if ((needs & NEED_REOPENABLE) && !on->submitted && now == PHASE_SUBMISSION)
		return 0; /* a draft in the submission phase is open already */
	if ((needs & NEED_ASSIGNED) && (!on->assigned || on->conflict))
		return 0;
	if ((needs & NEED_OTHERS_VISIBLE) &&
	    !(on->visibility == SEE_ALWAYS || (on->visibility == SEE_AFTER_OWN && on->own_marks_given)))
		return 0;
	return 1;
}

permit_answer permit(const permit_actor *who, permit_action what, const permit_target *on, permit_phase now)
{
	size_t i;
	if (!who || (unsigned)who->role >= ROLE_COUNT || (unsigned)what >= PERMIT_ACTION_COUNT ||
	    (unsigned)now >= PHASE_COUNT)
		return PERMIT_NOT_FOUND;
	/* A town session always belongs to a town; anything else is a bug or forged. */
	if (who->role == ROLE_TOWN && !(who->town_id && *who->town_id))
		return PERMIT_NOT_FOUND;
	for (i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const struct rule *r = &rules[i];
		if (r->act != what || r->role != who->role)
			continue;
		if ((r->phases & P(now)) && needs_met(r->needs, who, on, now))
			return PERMIT_ALLOW;
	}
	return PERMIT_NOT_FOUND;
}

static const char *const action_names[] = {
	[ACT_LOGIN] = "login",
	[ACT_VERIFY_CODE] = "verify-code",
	[ACT_DOSSIER_VIEW] = "dossier-view",
	[ACT_DOSSIER_EDIT] = "dossier-edit",
	[ACT_DOSSIER_SUBMIT] = "dossier-submit",
	[ACT_EVIDENCE_UPLOAD] = "evidence-upload",
	[ACT_EVIDENCE_DOWNLOAD] = "evidence-download",
	[ACT_FEEDBACK_VIEW] = "feedback-view",
	[ACT_CAMPAIGN_VIEW] = "campaign-view",
	[ACT_SETTINGS_EDIT] = "settings-edit",
	[ACT_TOWNS_IMPORT] = "towns-import",
	[ACT_EXPORT] = "export",
	[ACT_DOCUMENTS_DOWNLOAD] = "documents-download",
	[ACT_DOSSIER_REOPEN] = "dossier-reopen",
	[ACT_AUDIT_VIEW] = "audit-view",
	[ACT_PASSWORD_SET] = "password-set",
	[ACT_JURY_DOSSIER_VIEW] = "jury-dossier-view",
	[ACT_JURY_MARK] = "jury-mark",
	[ACT_JURY_QUEUE] = "jury-queue",
	[ACT_JURY_RECUSE] = "jury-recuse",
	[ACT_JURY_OTHERS_VIEW] = "jury-others-view",
	[ACT_JURY_MANAGE] = "jury-manage",
	[ACT_DELIBERATION_VIEW] = "deliberation-view",
	[ACT_OVERRIDE_SET] = "override-set",
	[ACT_PUBLISH] = "publish",
	[ACT_PALMARES_VIEW] = "palmares-view",
};
_Static_assert(sizeof action_names / sizeof action_names[0] == PERMIT_ACTION_COUNT, "a name per action");

static const char *const role_names[] = {
	[ROLE_ANONYMOUS] = "anonymous",
	[ROLE_ORGANIZER] = "organizer",
	[ROLE_TOWN] = "town",
	[ROLE_JUROR] = "juror",
};
_Static_assert(sizeof role_names / sizeof role_names[0] == ROLE_COUNT, "a name per role");

static const char *const phase_names[] = {
	[PHASE_SETUP] = "setup",         [PHASE_SUBMISSION] = "submission",
	[PHASE_MARKING] = "marking",     [PHASE_DELIBERATION] = "deliberation",
	[PHASE_PUBLISHED] = "published",
};
_Static_assert(sizeof phase_names / sizeof phase_names[0] == PHASE_COUNT, "a name per phase");

const char *permit_action_name(permit_action a)
{
	return (unsigned)a < PERMIT_ACTION_COUNT && action_names[a] ? action_names[a] : "?";
}

const char *permit_role_name(permit_role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

const char *permit_phase_name(permit_phase p)
{
	return (unsigned)p < PHASE_COUNT ? phase_names[p] : "?";
}
