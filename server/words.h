/*
 * The wording of the web pages, French and English, in one table (words.c),
 * so that the gettext catalogue (po/) can take it over in one place later.
 * When a page needs a new sentence: add its key here and its two texts in
 * words.c (the table is indexed by key; a missing text is a compile-time
 * count mismatch caught by the _Static_assert there).
 */
#ifndef PALMARES_SERVER_WORDS_H
#define PALMARES_SERVER_WORDS_H

typedef enum { LANG_FR = 0, LANG_EN, LANG_COUNT } words_lang;

typedef enum {
	W_SITE_TITLE = 0,
	W_HOME,
	W_NOT_LOGGED_IN,
	W_LOGGED_IN_AS,
	W_ROLE_ORGANIZER,
	W_ROLE_TOWN,
	W_ROLE_JUROR,
	W_LOGOUT,
	W_ORGANIZER_PAGE,
	W_JUROR_SOON,
	W_VERIFY_TITLE,
	W_VERIFY_INTRO,
	W_VERIFY_CODE_LABEL,
	W_VERIFY_BUTTON,
	W_VERIFY_NONE,
	W_VERIFY_NOT_A_CODE,
	W_VERIFY_FOUND,
	W_TOWN,
	W_LEVEL,
	W_MENTIONS,
	W_NO_MENTION,
	W_LOGIN_TITLE,
	W_LOGIN_INTRO,
	W_LOGIN_BUTTON,
	W_TOWNS_TITLE,
	W_TOWN_ID,
	W_TOWN_NAME,
	W_STATUS,
	W_REVISION,
	W_STATE_NOT_STARTED,
	W_STATE_DRAFT,
	W_STATE_SUBMITTED,
	W_LINKS_BUTTON,
	W_LINKS_NOTE,
	W_PHASE,
	W_ERR_NOT_FOUND,
	W_ERR_FORBIDDEN,
	W_ERR_BAD_REQUEST,
	W_ERR_BAD_TEXT,
	W_ERR_TOO_BIG,
	W_ERR_TYPE,
	W_ERR_TOO_MANY,
	W_ERR_SERVER,
	W_OTHER_LANGUAGE,
	W_DOSSIER_TITLE,
	W_DOSSIER_OPEN,
	W_POINTS,
	W_YES,
	W_NO,
	W_NA,
	W_EVIDENCE,
	W_EVIDENCE_REQUIRED,
	W_NOT_APPLYING,
	W_JURY_CRITERION,
	W_SAVE,
	W_SAVED,
	W_CONFLICT,
	W_CONFLICT_THEIRS,
	W_READ_ONLY,
	W_SUBMITTED_REFUSED,
	W_ANSWER,
	W_BETWEEN,
	W_AND,
	W_AT_LEAST,
	W_STEPS,
	W_FROM,
	/* the organizer's running of the campaign (organizer.c, settings.c, login.c, audit.c) */
	W_NAV_SETTINGS,
	W_NAV_AUDIT,
	W_NAV_SCORES,
	W_NAV_PASSWORD,
	W_PHASE_SETUP,
	W_PHASE_SUBMISSION,
	W_PHASE_MARKING,
	W_PHASE_DELIBERATION,
	W_PHASE_PUBLISHED,
	W_CURRENT_PHASE,
	W_SETTINGS_INTRO,
	W_SERVER_TIME,
	W_PHASE_STARTS,
	W_NOT_SET,
	W_SETTINGS_SAVE,
	W_SETTINGS_SAVED,
	W_ERR_DATE,
	W_ERR_ORDER,
	W_ERR_CLEAR,
	W_SETTINGS_REFUSED,
	W_IMPORT_TITLE,
	W_IMPORT_INTRO,
	W_IMPORT_FILE,
	W_IMPORT_BUTTON,
	W_IMPORT_REFUSED,
	W_IMPORT_DONE,
	W_IMPORT_NO_FILE,
	W_LINE,
	W_ALREADY_LINE,
	W_TOWNS_MALFORMED,
	W_TOWNS_EMPTY,
	W_TOWNS_NO_COLUMNS,
	W_TOWNS_NO_ID_NAME,
	W_TOWNS_DUPLICATE,
	W_TOWNS_EXISTS,
	W_REOPEN,
	W_REOPENED,
	W_REOPEN_DONE,
	W_VIEW,
	W_PW_INTRO,
	W_PW_NEW,
	W_PW_CONFIRM,
	W_PW_SAVE,
	W_PW_SAVED,
	W_PW_SHORT,
	W_PW_LONG,
	W_PW_MISMATCH,
	W_PW_NO_EMAIL,
	W_PWLOGIN_TITLE,
	W_PWLOGIN_INTRO,
	W_EMAIL,
	W_PASSWORD,
	W_PWLOGIN_FAILED,
	W_PWLOGIN_TOO_MANY,
	W_AUDIT_WHEN,
	W_AUDIT_WHO,
	W_AUDIT_WHAT,
	W_AUDIT_SUBJECT,
	W_AUDIT_OLD,
	W_AUDIT_NEW,
	W_AUDIT_CLI,
	W_AUDIT_OLDER,
	W_AUDIT_NEWEST,
	W_AUDIT_CSV,
	W_COUNT
} words_key;

/* The text of key in lang: a constant string, never NULL. */
const char *words(words_lang lang, words_key key);

/* The language of a request: "en" or "fr" in the query (?lang=) first, then
 * the preferred of the two in an Accept-Language header (highest q, first
 * listed on a tie), French when neither says. Both may be NULL. */
words_lang words_pick(const char *query_lang, const char *accept_language);

/* The sentence that tells a town what an engine message of this code
 * (docs/results.md, "Messages for the town") means, NULL when the table has
 * none (the page then shows the engine's own text). */
const char *words_message(words_lang lang, const char *code);

/* "fr" or "en". */
const char *words_code(words_lang lang);

#endif
