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
	/* the organizer's scores, explain and downloads (organizer_scores.c) */
	W_SCORES_TITLE,
	W_SCORES_LINK,
	W_SCORES_INTRO,
	W_SCORE,
	W_PERCENT,
	W_MESSAGES,
	W_INVALID,
	W_PENDING,
	W_NOT_LABELLED,
	W_EXPLAIN,
	W_EXPLAIN_TITLE,
	W_DOWNLOADS,
	W_DL_RESULTS_JSON,
	W_DL_RESULTS_CSV,
	W_DL_CERTIFICATES,
	W_DL_BOOKLET,
	W_DL_REPORT,
	W_PAGE,
	W_PREVIOUS,
	W_NEXT,
	W_TOWNS_COUNT,
	W_BACK_TO_SCORES,
	W_ERR_BUSY,
	W_NO_DOCUMENT,
	W_SCORES_AS_OF,
	W_SCORES_STALE,
	W_SCORES_PENDING,
	W_RELOAD,
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
