/*
 * The permission function, every role × action × phase × kind of target:
 * what is allowed is listed in `allowed[]` below, written from issue 11 and
 * and issue 12, not from permit.c; everything else must be not found. Then
 * the people who must not pass, one by one: a town on another town's
 * dossier, a town after the deadline, anonymous everywhere, a juror on a
 * dossier not theirs or in conflict, a town on the jury's pages, forged
 * values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "permit.h"

/* The actors: a town person belongs to town "T1". */
static const permit_actor actors[ROLE_COUNT] = {
	[ROLE_ANONYMOUS] = {ROLE_ANONYMOUS, 0, NULL},
	[ROLE_ORGANIZER] = {ROLE_ORGANIZER, 1, NULL},
	[ROLE_TOWN] = {ROLE_TOWN, 5, "T1"},
	[ROLE_JUROR] = {ROLE_JUROR, 7, NULL},
};

/* Kinds of target: no dossier; T1's (the town's own) in each state; T2's
 * (another town's) in each state; T3's, submitted, assigned to the juror:
 * others' marks never shown (the juror's own all given), in conflict (with
 * everything shown), shown after the juror's own (not all given, all
 * given), always shown (the juror's not given). */
enum {
	T_NONE,
	T_OWN_DRAFT,
	T_OWN_SUBMITTED,
	T_OWN_REOPENED,
	T_OTHER_DRAFT,
	T_OTHER_SUBMITTED,
	T_OTHER_REOPENED,
	T_ASSIGNED,
	T_CONFLICT,
	T_AFTER_PENDING,
	T_AFTER_GIVEN,
	T_ALWAYS,
	T_COUNT
};

static const permit_target targets[T_COUNT] = {
	[T_NONE] = {NULL, 0, 0, 0, 0},           [T_OWN_DRAFT] = {"T1", 0, 0, 0, 0, SEE_NEVER, 0},
	[T_OWN_SUBMITTED] = {"T1", 1, 0, 0, 0, SEE_NEVER, 0},  [T_OWN_REOPENED] = {"T1", 0, 1, 0, 0, SEE_NEVER, 0},
	[T_OTHER_DRAFT] = {"T2", 0, 0, 0, 0, SEE_NEVER, 0},    [T_OTHER_SUBMITTED] = {"T2", 1, 0, 0, 0, SEE_NEVER, 0},
	[T_OTHER_REOPENED] = {"T2", 0, 1, 0, 0, SEE_NEVER, 0}, [T_ASSIGNED] = {"T3", 1, 0, 1, 0, SEE_NEVER, 1},
	[T_CONFLICT] = {"T3", 1, 0, 1, 1, SEE_ALWAYS, 1},
	[T_AFTER_PENDING] = {"T3", 1, 0, 1, 0, SEE_AFTER_OWN, 0},
	[T_AFTER_GIVEN] = {"T3", 1, 0, 1, 0, SEE_AFTER_OWN, 1},
	[T_ALWAYS] = {"T3", 1, 0, 1, 0, SEE_ALWAYS, 0},
};

#define B(t) (1u << (t))
#define ANY_TARGET (B(T_COUNT) - 1u)
#define ANY_DOSSIER (ANY_TARGET & ~B(T_NONE))
#define OWN (B(T_OWN_DRAFT) | B(T_OWN_SUBMITTED) | B(T_OWN_REOPENED))
#define ASSIGNED (B(T_ASSIGNED) | B(T_AFTER_PENDING) | B(T_AFTER_GIVEN) | B(T_ALWAYS))
#define SUBMITTED (B(T_OWN_SUBMITTED) | B(T_OTHER_SUBMITTED) | ASSIGNED | B(T_CONFLICT))
#define DRAFTS (B(T_OWN_DRAFT) | B(T_OWN_REOPENED) | B(T_OTHER_DRAFT) | B(T_OTHER_REOPENED))

/* What is allowed: phases written setup, submission, marking, deliberation,
 * published; 'Y' allowed. A case in no row must be not found. */
static const struct {
	permit_action act;
	permit_role role;
	unsigned targets;
	const char *phases;
} allowed[] = {
	/* anyone logs in and checks a certificate, always */
	{ACT_LOGIN, ROLE_ANONYMOUS, ANY_TARGET, "YYYYY"},
	{ACT_LOGIN, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_LOGIN, ROLE_TOWN, ANY_TARGET, "YYYYY"},
	{ACT_LOGIN, ROLE_JUROR, ANY_TARGET, "YYYYY"},
	{ACT_VERIFY_CODE, ROLE_ANONYMOUS, ANY_TARGET, "YYYYY"},
	{ACT_VERIFY_CODE, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_VERIFY_CODE, ROLE_TOWN, ANY_TARGET, "YYYYY"},
	{ACT_VERIFY_CODE, ROLE_JUROR, ANY_TARGET, "YYYYY"},
	/* a town: its own dossier only; edits while submissions are open, or reopened */
	{ACT_DOSSIER_VIEW, ROLE_TOWN, OWN, "YYYYY"},
	{ACT_DOSSIER_EDIT, ROLE_TOWN, B(T_OWN_DRAFT), ".Y..."},
	{ACT_DOSSIER_EDIT, ROLE_TOWN, B(T_OWN_REOPENED), ".YYY."},
	{ACT_DOSSIER_SUBMIT, ROLE_TOWN, B(T_OWN_DRAFT), ".Y..."},
	{ACT_DOSSIER_SUBMIT, ROLE_TOWN, B(T_OWN_REOPENED), ".YYY."},
	{ACT_EVIDENCE_UPLOAD, ROLE_TOWN, B(T_OWN_DRAFT), ".Y..."},
	{ACT_EVIDENCE_UPLOAD, ROLE_TOWN, B(T_OWN_REOPENED), ".YYY."},
	{ACT_EVIDENCE_DOWNLOAD, ROLE_TOWN, OWN, "YYYYY"},
	{ACT_FEEDBACK_VIEW, ROLE_TOWN, OWN, "....Y"},
	/* the organizer: every dossier and the campaign, never a town's answers */
	{ACT_DOSSIER_VIEW, ROLE_ORGANIZER, ANY_DOSSIER, "YYYYY"},
	{ACT_EVIDENCE_DOWNLOAD, ROLE_ORGANIZER, ANY_DOSSIER, "YYYYY"},
	{ACT_FEEDBACK_VIEW, ROLE_ORGANIZER, ANY_DOSSIER, "YYYYY"},
	{ACT_CAMPAIGN_VIEW, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_SETTINGS_EDIT, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_TOWNS_IMPORT, ROLE_ORGANIZER, ANY_TARGET, "YY..."},
	{ACT_EXPORT, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_DOCUMENTS_DOWNLOAD, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_AUDIT_VIEW, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_PASSWORD_SET, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_DOSSIER_REOPEN, ROLE_ORGANIZER, SUBMITTED, ".YYY."},
	{ACT_DOSSIER_REOPEN, ROLE_ORGANIZER, DRAFTS, "..YY."},
	/* a juror: only assigned dossiers without a conflict; marks while marking */
	{ACT_JURY_QUEUE, ROLE_JUROR, ANY_TARGET, "YYYYY"},
	{ACT_JURY_DOSSIER_VIEW, ROLE_JUROR, ASSIGNED, "..YY."},
	{ACT_JURY_MARK, ROLE_JUROR, ASSIGNED, "..Y.."},
	{ACT_JURY_RECUSE, ROLE_JUROR, ASSIGNED, "..Y.."},
	{ACT_JURY_OTHERS_VIEW, ROLE_JUROR, B(T_AFTER_GIVEN) | B(T_ALWAYS), "..YY."},
	/* the organizer runs the jury, deliberates, publishes (again) */
	{ACT_JURY_DOSSIER_VIEW, ROLE_ORGANIZER, ANY_DOSSIER, "YYYYY"},
	{ACT_JURY_MANAGE, ROLE_ORGANIZER, ANY_TARGET, "YYYY."},
	{ACT_DELIBERATION_VIEW, ROLE_ORGANIZER, ANY_TARGET, "YYYYY"},
	{ACT_OVERRIDE_SET, ROLE_ORGANIZER, ANY_DOSSIER, "...YY"},
	{ACT_PUBLISH, ROLE_ORGANIZER, ANY_TARGET, "...YY"},
	/* anyone reads the palmarès once published */
	{ACT_PALMARES_VIEW, ROLE_ANONYMOUS, ANY_TARGET, "....Y"},
	{ACT_PALMARES_VIEW, ROLE_ORGANIZER, ANY_TARGET, "....Y"},
	{ACT_PALMARES_VIEW, ROLE_TOWN, ANY_TARGET, "....Y"},
	{ACT_PALMARES_VIEW, ROLE_JUROR, ANY_TARGET, "....Y"},
	/* a juror downloads the evidence of the dossiers they read (never one in conflict) */
	{ACT_EVIDENCE_DOWNLOAD, ROLE_JUROR, ASSIGNED, "..YY."},
};

static permit_answer expected(permit_role r, permit_action a, int t, permit_phase p)
{
	size_t i;
	for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (allowed[i].act == a && allowed[i].role == r && (allowed[i].targets & B(t)) &&
		    allowed[i].phases[p] == 'Y')
			return PERMIT_ALLOW;
	return PERMIT_NOT_FOUND;
}

static void test_every_case(void **state)
{
	(void)state;
	int r, a, t, p;
	size_t checked = 0, allows = 0;
	for (r = 0; r < ROLE_COUNT; r++)
		for (a = 0; a < PERMIT_ACTION_COUNT; a++)
			for (t = 0; t < T_COUNT; t++)
				for (p = 0; p < PHASE_COUNT; p++) {
					const permit_target *on = t == T_NONE ? NULL : &targets[t];
					permit_answer want = expected(r, a, t, p);
					permit_answer got = permit(&actors[r], a, on, p);
					if (got != want)
						fail_msg("%s %s target %d in %s: expected %s, got %s",
							 permit_role_name(r), permit_action_name(a), t,
							 permit_phase_name(p), want ? "allow" : "not found",
							 got ? "allow" : "not found");
					checked++;
					allows += got == PERMIT_ALLOW;
				}
	assert_int_equal(checked, (size_t)ROLE_COUNT * PERMIT_ACTION_COUNT * T_COUNT * PHASE_COUNT);
	assert_true(allows > 0 && allows < checked / 2);
}

/* Every action, role and phase has a name: a new one cannot be forgotten. */
static void test_names(void **state)
{
	(void)state;
	int i;
	for (i = 0; i < PERMIT_ACTION_COUNT; i++)
		assert_string_not_equal(permit_action_name(i), "?");
	for (i = 0; i < ROLE_COUNT; i++)
		assert_string_not_equal(permit_role_name(i), "?");
	for (i = 0; i < PHASE_COUNT; i++)
		assert_string_not_equal(permit_phase_name(i), "?");
	assert_string_equal(permit_action_name(PERMIT_ACTION_COUNT), "?");
	assert_string_equal(permit_role_name(ROLE_COUNT), "?");
	assert_string_equal(permit_phase_name(PHASE_COUNT), "?");
}

static void test_town_on_another_town(void **state)
{
	(void)state;
	const permit_actor *town = &actors[ROLE_TOWN];
	int a, p;
	for (a = ACT_DOSSIER_VIEW; a <= ACT_FEEDBACK_VIEW; a++)
		for (p = 0; p < PHASE_COUNT; p++) {
			assert_int_equal(permit(town, a, &targets[T_OTHER_DRAFT], p), PERMIT_NOT_FOUND);
			assert_int_equal(permit(town, a, &targets[T_OTHER_REOPENED], p), PERMIT_NOT_FOUND);
			assert_int_equal(permit(town, a, &targets[T_OTHER_SUBMITTED], p), PERMIT_NOT_FOUND);
		}
	/* a town id that only starts like its own, or differs in case */
	permit_target near = {"T10", 0, 0, 0, 0, SEE_NEVER, 0}, upper = {"t1", 0, 0, 0, 0, SEE_NEVER, 0};
	assert_int_equal(permit(town, ACT_DOSSIER_VIEW, &near, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(town, ACT_DOSSIER_VIEW, &upper, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(town, ACT_DOSSIER_EDIT, &targets[T_OWN_DRAFT], PHASE_SUBMISSION),
			 PERMIT_ALLOW);
}

static void test_town_after_deadline(void **state)
{
	(void)state;
	const permit_actor *town = &actors[ROLE_TOWN];
	int p;
	for (p = PHASE_MARKING; p < PHASE_COUNT; p++) {
		assert_int_equal(permit(town, ACT_DOSSIER_EDIT, &targets[T_OWN_DRAFT], p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(town, ACT_DOSSIER_SUBMIT, &targets[T_OWN_DRAFT], p),
				 PERMIT_NOT_FOUND);
		assert_int_equal(permit(town, ACT_EVIDENCE_UPLOAD, &targets[T_OWN_DRAFT], p),
				 PERMIT_NOT_FOUND);
		/* still sees what it sent */
		assert_int_equal(permit(town, ACT_DOSSIER_VIEW, &targets[T_OWN_DRAFT], p), PERMIT_ALLOW);
	}
	/* nor before submissions open, nor once submitted */
	assert_int_equal(permit(town, ACT_DOSSIER_EDIT, &targets[T_OWN_DRAFT], PHASE_SETUP),
			 PERMIT_NOT_FOUND);
	assert_int_equal(permit(town, ACT_DOSSIER_EDIT, &targets[T_OWN_SUBMITTED], PHASE_SUBMISSION),
			 PERMIT_NOT_FOUND);
	assert_int_equal(permit(town, ACT_DOSSIER_SUBMIT, &targets[T_OWN_SUBMITTED], PHASE_SUBMISSION),
			 PERMIT_NOT_FOUND);
	/* published results are final, even for a reopened dossier */
	assert_int_equal(permit(town, ACT_DOSSIER_EDIT, &targets[T_OWN_REOPENED], PHASE_PUBLISHED),
			 PERMIT_NOT_FOUND);
}

static void test_anonymous_everywhere(void **state)
{
	(void)state;
	const permit_actor *anon = &actors[ROLE_ANONYMOUS];
	/* even claiming a town: anonymous is not a town */
	const permit_actor claims = {ROLE_ANONYMOUS, 5, "T1"};
	int a, t, p;
	for (a = 0; a < PERMIT_ACTION_COUNT; a++)
		for (t = 0; t < T_COUNT; t++)
			for (p = 0; p < PHASE_COUNT; p++) {
				const permit_target *on = t == T_NONE ? NULL : &targets[t];
				permit_answer want = a == ACT_LOGIN || a == ACT_VERIFY_CODE ||
							     (a == ACT_PALMARES_VIEW && p == PHASE_PUBLISHED)
							     ? PERMIT_ALLOW
							     : PERMIT_NOT_FOUND;
				assert_int_equal(permit(anon, a, on, p), want);
				assert_int_equal(permit(&claims, a, on, p), want);
			}
}

/* A juror never reaches a dossier not assigned to them or in conflict, nor
 * the town's or the organizer's pages; a town never the jury's. */
static void test_juror_out_of_bounds(void **state)
{
	(void)state;
	const permit_actor *juror = &actors[ROLE_JUROR], *town = &actors[ROLE_TOWN];
	const permit_target unassigned = {"T3", 1, 0, 0, 0, SEE_ALWAYS, 1};
	int a, p;
	for (p = 0; p < PHASE_COUNT; p++) {
		for (a = ACT_JURY_DOSSIER_VIEW; a <= ACT_JURY_OTHERS_VIEW; a++) {
			if (a == ACT_JURY_QUEUE)
				continue;
			assert_int_equal(permit(juror, a, &unassigned, p), PERMIT_NOT_FOUND);
			assert_int_equal(permit(juror, a, &targets[T_CONFLICT], p), PERMIT_NOT_FOUND);
			assert_int_equal(permit(juror, a, NULL, p), PERMIT_NOT_FOUND);
		}
		for (a = ACT_JURY_DOSSIER_VIEW; a < PERMIT_ACTION_COUNT; a++)
			if (a != ACT_PALMARES_VIEW)
				assert_int_equal(permit(town, a, &targets[T_OWN_SUBMITTED], p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(juror, ACT_DOSSIER_VIEW, &targets[T_ASSIGNED], p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(juror, ACT_CAMPAIGN_VIEW, NULL, p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(juror, ACT_JURY_MANAGE, NULL, p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(juror, ACT_DELIBERATION_VIEW, NULL, p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(juror, ACT_OVERRIDE_SET, &targets[T_ASSIGNED], p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(juror, ACT_PUBLISH, NULL, p), PERMIT_NOT_FOUND);
		/* nor a password: only organizers log in with one */
		assert_int_equal(permit(juror, ACT_PASSWORD_SET, NULL, p), PERMIT_NOT_FOUND);
		assert_int_equal(permit(town, ACT_PASSWORD_SET, NULL, p), PERMIT_NOT_FOUND);
	}
	/* an out-of-range visibility shows nothing */
	const permit_target odd = {"T3", 1, 0, 1, 0, (permit_visibility)7, 1};
	assert_int_equal(permit(juror, ACT_JURY_OTHERS_VIEW, &odd, PHASE_MARKING), PERMIT_NOT_FOUND);
	assert_int_equal(permit(juror, ACT_JURY_MARK, &targets[T_ASSIGNED], PHASE_MARKING), PERMIT_ALLOW);
}

static void test_forged(void **state)
{
	(void)state;
	const permit_actor no_town = {ROLE_TOWN, 5, NULL}, empty_town = {ROLE_TOWN, 5, ""};
	const permit_actor bad_role = {(permit_role)99, 1, NULL}, neg_role = {(permit_role)-1, 1, NULL};
	const permit_target empty = {"", 0, 0, 0, 0, SEE_NEVER, 0}, null_town = {NULL, 0, 0, 0, 0, SEE_NEVER, 0};
	const permit_actor *org = &actors[ROLE_ORGANIZER];
	assert_int_equal(permit(NULL, ACT_LOGIN, NULL, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(&no_town, ACT_DOSSIER_VIEW, &null_town, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(&no_town, ACT_LOGIN, NULL, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(&empty_town, ACT_DOSSIER_EDIT, &empty, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(&bad_role, ACT_CAMPAIGN_VIEW, NULL, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(&neg_role, ACT_CAMPAIGN_VIEW, NULL, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(org, (permit_action)PERMIT_ACTION_COUNT, NULL, PHASE_SUBMISSION),
			 PERMIT_NOT_FOUND);
	assert_int_equal(permit(org, (permit_action)-1, NULL, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(org, ACT_CAMPAIGN_VIEW, NULL, (permit_phase)PHASE_COUNT), PERMIT_NOT_FOUND);
	/* an organizer action on a "dossier" with no town */
	assert_int_equal(permit(org, ACT_DOSSIER_VIEW, &null_town, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
	assert_int_equal(permit(org, ACT_DOSSIER_VIEW, NULL, PHASE_SUBMISSION), PERMIT_NOT_FOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_case),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_town_on_another_town),
		cmocka_unit_test(test_town_after_deadline),
		cmocka_unit_test(test_anonymous_everywhere),
		cmocka_unit_test(test_juror_out_of_bounds),
		cmocka_unit_test(test_forged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
