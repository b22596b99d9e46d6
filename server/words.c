/*
 * The wording of the web pages (words.h): one row per sentence, its English
 * text and its context in the catalogue; the French is in po/fr.po, with the
 * documents' and the command line's (msgctxt: the key's name, or the engine
 * message's code). The language is chosen per request from ?lang= or
 * Accept-Language.
 */
#include "words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "palmares/documents.h"

static const struct {
	const char *ctx, *en; /* the catalogue's msgctxt and msgid */
} table[W_COUNT] = {
	[W_SITE_TITLE] = {"site-title", "palmares"},
	[W_HOME] = {"home", "Home"},
	[W_NOT_LOGGED_IN] = {"not-logged-in", "You are not logged in. Open the invitation link you received by e-mail."},
	[W_LOGGED_IN_AS] = {"logged-in-as", "Logged in as"},
	[W_ROLE_ORGANIZER] = {"role-organizer", "organizer"},
	[W_ROLE_TOWN] = {"role-town", "town"},
	[W_ROLE_JUROR] = {"role-juror", "juror"},
	[W_LOGOUT] = {"logout", "Log out"},
	[W_ORGANIZER_PAGE] = {"organizer-page", "Campaign overview"},
	[W_JUROR_SOON] = {"juror-soon", "The jury's pages are coming soon."},
	[W_VERIFY_TITLE] = {"verify-title", "Check a certificate"},
	[W_VERIFY_INTRO] = {"verify-intro", "Type the verification code printed on the certificate."},
	[W_VERIFY_CODE_LABEL] = {"verify-code-label", "Verification code"},
	[W_VERIFY_BUTTON] = {"verify-button", "Check"},
	[W_VERIFY_NONE] = {"verify-none", "No certificate carries this code."},
	[W_VERIFY_NOT_A_CODE] = {"verify-not-a-code", "This is not a verification code: 12 symbols 0-9 A-Z without I, L, O, U, "
		"e.g. 7KQ2-M9XD-4HRT."},
	[W_VERIFY_FOUND] = {"verify-found", "This code is the following certificate's."},
	[W_TOWN] = {"town", "Town"},
	[W_LEVEL] = {"level", "Level"},
	[W_MENTIONS] = {"mentions", "Mentions"},
	[W_NO_MENTION] = {"no-mention", "none"},
	[W_LOGIN_TITLE] = {"login-title", "Log in"},
	[W_LOGIN_INTRO] = {"login-intro", "This invitation link works once: the button opens your session."},
	[W_LOGIN_BUTTON] = {"login-button", "Log in"},
	[W_TOWNS_TITLE] = {"towns-title", "Towns and dossiers"},
	[W_TOWN_ID] = {"town-id", "Id"},
	[W_TOWN_NAME] = {"town-name", "Name"},
	[W_STATUS] = {"status", "Dossier status"},
	[W_REVISION] = {"revision", "Revision"},
	[W_STATE_NOT_STARTED] = {"state-not-started", "not started"},
	[W_STATE_DRAFT] = {"state-draft", "draft"},
	[W_STATE_SUBMITTED] = {"state-submitted", "submitted"},
	[W_LINKS_BUTTON] = {"links-button", "Download the invitation links (CSV)"},
	[W_LINKS_NOTE] = {"links-note", "Each download makes new links; the old ones stay valid until used or expired."},
	[W_PHASE] = {"phase", "Phase"},
	[W_ERR_NOT_FOUND] = {"err-not-found", "Page not found."},
	[W_ERR_FORBIDDEN] = {"err-forbidden", "Request refused: the form expired or does not come from this site. "
		"Reload the page and try again."},
	[W_ERR_BAD_REQUEST] = {"err-bad-request", "Malformed request."},
	[W_ERR_BAD_TEXT] = {"err-bad-text", "Request refused: a field holds text that is not valid UTF-8, or a NUL character."},
	[W_ERR_TOO_BIG] = {"err-too-big", "Request refused: the form is larger than 1 MiB."},
	[W_ERR_TYPE] = {"err-type", "Request refused: unsupported form type."},
	[W_ERR_TOO_MANY] = {"err-too-many", "Too many requests: try again in a minute."},
	[W_ERR_SERVER] = {"err-server", "Server error: try again later."},
	[W_OTHER_LANGUAGE] = {"other-language", "Français"},
	[W_DOSSIER_TITLE] = {"dossier-title", "Application dossier"},
	[W_DOSSIER_OPEN] = {"dossier-open", "Fill in the dossier"},
	[W_POINTS] = {"points", "points"},
	[W_YES] = {"yes", "yes"},
	[W_NO] = {"no", "no"},
	[W_NA] = {"na", "not applicable"},
	[W_EVIDENCE] = {"evidence", "Evidence (a link)"},
	[W_EVIDENCE_REQUIRED] = {"evidence-required", "required"},
	[W_NOT_APPLYING] = {"not-applying", "This criterion does not apply to your town."},
	[W_JURY_CRITERION] = {"jury-criterion", "This criterion is marked by the jury."},
	[W_SAVE] = {"save", "Save the draft"},
	[W_SAVED] = {"saved", "Draft saved."},
	[W_CONFLICT] = {"conflict", "Nothing was saved: this dossier was changed meanwhile (in another tab?). "
		"What you typed is kept below; save again to keep it."},
	[W_CONFLICT_THEIRS] = {"conflict-theirs", "saved meanwhile:"},
	[W_READ_ONLY] = {"read-only", "This dossier cannot be changed now."},
	[W_SUBMITTED_REFUSED] = {"submitted-refused", "This dossier is already submitted: nothing was saved."},
	[W_ANSWER] = {"answer", "Answer"},
	[W_BETWEEN] = {"between", "between"},
	[W_AND] = {"and", "and"},
	[W_AT_LEAST] = {"at-least", "at least"},
	[W_STEPS] = {"steps", "Scale (part of the points):"},
	[W_FROM] = {"from", "from"},
	[W_NAV_SETTINGS] = {"nav-settings", "Campaign phases"},
	[W_NAV_AUDIT] = {"nav-audit", "Audit log"},
	[W_NAV_SCORES] = {"nav-scores", "Scores"},
	[W_NAV_PASSWORD] = {"nav-password", "Password"},
	[W_PHASE_SETUP] = {"phase-setup", "setup"},
	[W_PHASE_SUBMISSION] = {"phase-submission", "submission"},
	[W_PHASE_MARKING] = {"phase-marking", "marking"},
	[W_PHASE_DELIBERATION] = {"phase-deliberation", "deliberation"},
	[W_PHASE_PUBLISHED] = {"phase-published", "results published"},
	[W_CURRENT_PHASE] = {"current-phase", "Current phase:"},
	[W_SETTINGS_INTRO] = {"settings-intro", "Each phase starts at the date and time given, in the server's time; a phase "
		"without a date has not started. The phases follow each other in this order."},
	[W_SERVER_TIME] = {"server-time", "Server time:"},
	[W_PHASE_STARTS] = {"phase-starts", "Starts (YYYY-MM-DD HH:MM)"},
	[W_NOT_SET] = {"not-set", "no date"},
	[W_SETTINGS_SAVE] = {"settings-save", "Save the phases"},
	[W_SETTINGS_SAVED] = {"settings-saved", "Phases saved."},
	[W_ERR_DATE] = {"err-date", "Invalid date: expected YYYY-MM-DD HH:MM."},
	[W_ERR_ORDER] = {"err-order", "This phase must start after the previous one."},
	[W_ERR_CLEAR] = {"err-clear", "A saved date cannot be removed: choose another one."},
	[W_SETTINGS_REFUSED] = {"settings-refused", "Nothing was saved: correct the dates marked."},
	[W_IMPORT_TITLE] = {"import-title", "Add towns"},
	[W_IMPORT_INTRO] = {"import-intro", "A CSV file like the one the campaign was created with: town_id, town_name, "
		"email and the towns' attributes. The whole file is added, or nothing; a town "
		"already in the campaign is refused."},
	[W_IMPORT_FILE] = {"import-file", "CSV file"},
	[W_IMPORT_BUTTON] = {"import-button", "Add the towns"},
	[W_IMPORT_REFUSED] = {"import-refused", "File refused, no town added:"},
	[W_IMPORT_DONE] = {"import-done", "Towns added:"},
	[W_IMPORT_NO_FILE] = {"import-no-file", "Choose a file."},
	[W_LINE] = {"line", "line"},
	[W_ALREADY_LINE] = {"already-line", "already on line"},
	[W_TOWNS_MALFORMED] = {"towns-malformed", "malformed CSV file"},
	[W_TOWNS_EMPTY] = {"towns-empty", "empty file: a header row is needed"},
	[W_TOWNS_NO_COLUMNS] = {"towns-no-columns", "the header row needs the columns town_id and town_name"},
	[W_TOWNS_NO_ID_NAME] = {"towns-no-id-name", "a town needs a town_id and a town_name"},
	[W_TOWNS_DUPLICATE] = {"towns-duplicate", "town listed twice:"},
	[W_TOWNS_EXISTS] = {"towns-exists", "town already in the campaign:"},
	[W_REOPEN] = {"reopen", "Reopen"},
	[W_REOPENED] = {"reopened", "reopened"},
	[W_REOPEN_DONE] = {"reopen-done", "Dossier reopened:"},
	[W_VIEW] = {"view", "view"},
	[W_PW_INTRO] = {"pw-intro", "With a password you log in on the \"Log in with a password\" page with your e-mail "
		"address, without an invitation link. At least 12 characters; a phrase of several "
		"words works well."},
	[W_PW_NEW] = {"pw-new", "New password"},
	[W_PW_CONFIRM] = {"pw-confirm", "The same again"},
	[W_PW_SAVE] = {"pw-save", "Set the password"},
	[W_PW_SAVED] = {"pw-saved", "Password set."},
	[W_PW_SHORT] = {"pw-short", "At least 12 characters."},
	[W_PW_LONG] = {"pw-long", "Too long: 1024 bytes at most."},
	[W_PW_MISMATCH] = {"pw-mismatch", "The two entries differ."},
	[W_PW_NO_EMAIL] = {"pw-no-email", "Your account has no e-mail address: logging in with a password needs one."},
	[W_PWLOGIN_TITLE] = {"pwlogin-title", "Log in with a password"},
	[W_PWLOGIN_INTRO] = {"pwlogin-intro", "For organizers who have set a password. Everyone else logs in through the "
		"invitation link they received."},
	[W_EMAIL] = {"email", "E-mail address"},
	[W_PASSWORD] = {"password", "Password"},
	[W_PWLOGIN_FAILED] = {"pwlogin-failed", "Wrong e-mail address or password."},
	[W_PWLOGIN_TOO_MANY] = {"pwlogin-too-many", "Too many login attempts. Wait a minute before trying again."},
	[W_AUDIT_WHEN] = {"audit-when", "When"},
	[W_AUDIT_WHO] = {"audit-who", "Who"},
	[W_AUDIT_WHAT] = {"audit-what", "What"},
	[W_AUDIT_SUBJECT] = {"audit-subject", "Subject"},
	[W_AUDIT_OLD] = {"audit-old", "Old value"},
	[W_AUDIT_NEW] = {"audit-new", "New value"},
	[W_AUDIT_CLI] = {"audit-cli", "command line"},
	[W_AUDIT_OLDER] = {"audit-older", "Older"},
	[W_AUDIT_NEWEST] = {"audit-newest", "Newest"},
	[W_AUDIT_CSV] = {"audit-csv", "The whole log as CSV"},
	[W_UPLOAD_TITLE] = {"upload-title", "Fill the dossier from a file"},
	[W_UPLOAD_HELP] = {"upload-help", "The dossier template filled in a spreadsheet and saved as CSV (separator ';' or ',', UTF-8 "
		"or Windows-1252), or a JSON dossier. The file's answers replace the form's; a criterion "
		"left blank in the file keeps its current answer."},
	[W_UPLOAD_BUTTON] = {"upload-button", "Read the file"},
	[W_UPLOAD_DONE] = {"upload-done", "Answers read from the file and saved:"},
	[W_UPLOAD_UNCHANGED] = {"upload-unchanged", "The file changes no answer."},
	[W_UPLOAD_REFUSED] = {"upload-refused", "File refused, nothing was saved:"},
	[W_UPLOAD_OTHER_TOWN] = {"upload-other-town", "it is another town's dossier"},
	[W_UPLOAD_SEVERAL] = {"upload-several", "it holds several dossiers; upload your town's alone"},
	[W_UPLOAD_NONE] = {"upload-none", "it holds no dossier"},
	[W_UPLOAD_TOO_BIG] = {"upload-too-big", "it is larger than 1 MiB"},
	[W_UPLOAD_UNREADABLE] = {"upload-unreadable", "it is not a readable CSV or JSON dossier"},
	[W_UPLOAD_NO_FILE] = {"upload-no-file", "no file was chosen"},
	[W_UPLOAD_MESSAGES] = {"upload-messages", "What reading the file found:"},
	[W_EVIDENCE_FILE] = {"evidence-file", "Attach a file (PDF, PNG, JPEG, ODF or Office document, text; 10 MiB at most)"},
	[W_EVIDENCE_FILES] = {"evidence-files", "Attached files:"},
	[W_EVIDENCE_REMOVE] = {"evidence-remove", "remove"},
	[W_EVIDENCE_BAD_TYPE] = {"evidence-bad-type", "File refused: this type of file is not accepted (PDF, PNG, JPEG, ODF or "
		"Office document without macros, text)."},
	[W_EVIDENCE_TOO_BIG] = {"evidence-too-big", "File refused: it is larger than 10 MiB."},
	[W_EVIDENCE_REFUSED] = {"evidence-refused", "Nothing was saved: an attached file is refused (see its criterion). What "
		"you typed is kept below."},
	[W_UNIT_BYTES] = {"unit-bytes", "B"},
	[W_UNIT_KIB] = {"unit-kib", "KiB"},
	[W_UNIT_MIB] = {"unit-mib", "MiB"},
	[W_DEADLINE] = {"deadline", "Submission deadline:"},
	[W_NO_DEADLINE] = {"no-deadline", "not set yet"},
	[W_SERVER_TIME_MID] = {"server-time-mid", "server time:"},
	[W_SUBMIT_HELP] = {"submit-help", "Once submitted, the dossier cannot be changed unless the organizer reopens it."},
	[W_SUBMIT_BUTTON] = {"submit-button", "Submit the dossier"},
	[W_SUBMIT_BLOCKED] = {"submit-blocked", "The dossier cannot be submitted while these errors remain:"},
	[W_SUBMIT_STALE] = {"submit-stale", "Nothing was submitted: the dossier changed since this page was shown. Read it "
		"again, then submit it again."},
	[W_SUBMITTED_ON] = {"submitted-on", "Dossier submitted on"},
	[W_RECEIPT_LINK] = {"receipt-link", "See the receipt"},
	[W_RECEIPT_TITLE] = {"receipt-title", "Dossier receipt"},
	[W_RECEIPT_INTRO] = {"receipt-intro", "This receipt attests that the dossier below was submitted. The SHA-256 is that "
		"of the submitted dossier, in palmares's JSON format, which you can download."},
	[W_RECEIPT_SHA] = {"receipt-sha", "SHA-256"},
	[W_RECEIPT_ANSWERS] = {"receipt-answers", "Answers submitted"},
	[W_RECEIPT_DOWNLOAD] = {"receipt-download", "Download the submitted dossier (JSON)"},
	[W_RECEIPT_NONE] = {"receipt-none", "This dossier is not submitted: it has no current receipt."},
	[W_CRITERION] = {"criterion", "Criterion"},
	[W_CLOSED_DEADLINE] = {"closed-deadline", "The deadline has passed: the dossier can no longer be changed or submitted."},
	[W_CLOSED_NOT_OPEN] = {"closed-not-open", "Submissions are not open yet."},
	[W_SUBMITTED_RO] = {"submitted-ro", "The dossier is submitted: it cannot be changed unless the organizer reopens it."},
	[W_REOPENED_NOTE] = {"reopened-note", "The organizer reopened this dossier: you may change it and submit it again."},
	[W_SCORES_TITLE] = {"scores-title", "Live scores"},
	[W_SCORES_LINK] = {"scores-link", "Scores, explanations and documents"},
	[W_SCORES_INTRO] = {"scores-intro", "Computed by the engine from the answers saved now (no jury marks or overrides yet). Click a column title to sort."},
	[W_SCORE] = {"score", "Points"},
	[W_PERCENT] = {"percent", "%"},
	[W_MESSAGES] = {"messages", "Messages"},
	[W_INVALID] = {"invalid", "invalid"},
	[W_PENDING] = {"pending", "waiting for the jury"},
	[W_NOT_LABELLED] = {"not-labelled", "not labelled"},
	[W_EXPLAIN] = {"explain", "explain"},
	[W_EXPLAIN_TITLE] = {"explain-title", "Score explained"},
	[W_DOWNLOADS] = {"downloads", "Downloads"},
	[W_DL_RESULTS_JSON] = {"dl-results-json", "Results (JSON)"},
	[W_DL_RESULTS_CSV] = {"dl-results-csv", "Results (CSV)"},
	[W_DL_CERTIFICATES] = {"dl-certificates", "Certificates (PDF)"},
	[W_DL_BOOKLET] = {"dl-booklet", "Ceremony booklet (PDF)"},
	[W_DL_REPORT] = {"dl-report", "The town's feedback report (PDF)"},
	[W_PAGE] = {"page", "Page"},
	[W_PREVIOUS] = {"previous", "Previous"},
	[W_NEXT] = {"next", "Next"},
	[W_TOWNS_COUNT] = {"towns-count", "towns"},
	[W_BACK_TO_SCORES] = {"back-to-scores", "Back to the scores"},
	[W_ERR_BUSY] = {"err-busy", "A document is being rendered: try again in a moment."},
	[W_NO_DOCUMENT] = {"no-document", "No town gets this document yet."},
	[W_SCORES_AS_OF] = {"scores-as-of", "Computed on"},
	[W_SCORES_STALE] = {"scores-stale", "Newer answers are being scored: reload the page in a moment."},
	[W_SCORES_PENDING] = {"scores-pending", "The scores are being computed: reload the page in a moment."},
	[W_RELOAD] = {"reload", "Reload"},
	[W_TO_CORRECT] = {"to-correct", "The draft is saved, with answers to correct:"},
	[W_VERIFY_LABEL] = {"verify-label", "Label"},
	[W_VERIFY_EDITION] = {"verify-edition", "Edition"},
	[W_VERIFY_PUBLISHED] = {"verify-published", "Results published"},
	/* the publication (publish.c) */
	[W_NAV_PUBLISH] = {"nav-publish", "Publish"},
	[W_PUBLISH_TITLE] = {"publish-title", "Publish the results"},
	[W_PUBLISH_INTRO] = {"publish-intro", "Publishing freezes the current results (the scores page's, jury included) as a new version: the towns then see their feedback report and certificate, /verify checks their codes and the palmarès lists the labelled towns. A published version never changes: publishing again makes a new version and keeps the earlier ones, whose certificates are then shown as superseded."},
	[W_PUBLISH_NONE] = {"publish-none", "Nothing is published yet."},
	[W_PUBLISH_VERSION] = {"publish-version", "Version"},
	[W_PUBLISH_DATE] = {"publish-date", "Published on"},
	[W_PUBLISH_BY] = {"publish-by", "By"},
	[W_PUBLISH_LABELLED] = {"publish-labelled", "Labelled towns"},
	[W_PUBLISH_CONFIRM] = {"publish-confirm", "I confirm: freeze the current results as a new published version."},
	[W_PUBLISH_BUTTON] = {"publish-button", "Publish"},
	[W_PUBLISH_DONE] = {"publish-done", "Published: version"},
	[W_PUBLISH_UNCONFIRMED] = {"publish-unconfirmed", "Tick the confirmation box to publish."},
	[W_PUBLISH_FAILED] = {"publish-failed", "The results could not be published: no town has valid results yet."},
	[W_PUBLISH_DOCUMENTS] = {"publish-documents", "Documents of the latest version"},
	[W_TOWN_RESULTS] = {"town-results", "Your published results"},
	[W_DL_MY_CERTIFICATE] = {"dl-my-certificate", "Certificate (PDF)"},
	[W_DL_MY_REPORT] = {"dl-my-report", "Feedback report (PDF)"},
	[W_VERIFY_SUPERSEDED] = {"verify-superseded", "This certificate has been superseded: the results were published again since. It is shown as that version said it."},
	[W_VERIFY_CURRENT] = {"verify-current", "In the current results"},
	[W_VERIFY_NOT_CURRENT] = {"verify-not-current", "not in the current results"},
	[W_PALMARES_TITLE] = {"palmares-title", "Palmarès: the labelled towns"},
	[W_PALMARES_LINK] = {"palmares-link", "The palmarès: labelled towns"},
	[W_PALMARES_EMPTY] = {"palmares-empty", "No town is labelled in these results."},
};

/*
 * The text of msgid in lang: English as written here, French from the
 * catalogue (po/fr.po, embedded in the library: pal_doc_gettext), looked up
 * as "ctx\004msgid", gettext's form of a msgid with its context. A text the
 * catalogue lacks is shown in English rather than not at all (the test
 * tests/server/words_check.py makes sure none lacks one).
 */
static const char *translate(words_lang lang, const char *ctx, const char *msgid)
{
	char key[2048];
	if (lang != LANG_FR)
		return msgid;
	int n = snprintf(key, sizeof key, "%s\004%s", ctx, msgid);
	if (n < 0 || (size_t)n >= sizeof key)
		return msgid;
	const char *t = pal_doc_gettext("fr", key);
	return t == key || !t ? msgid : t;
}

const char *words(words_lang lang, words_key key)
{
	if ((unsigned)lang >= LANG_COUNT || (unsigned)key >= W_COUNT || !table[key].en)
		return "";
	return translate(lang, table[key].ctx, table[key].en);
}

/* What an engine message means for the town, by its code (docs/results.md). */
static const struct {
	const char *code, *en; /* the code is the catalogue's msgctxt */
} messages[] = {
	{"invalid-answer", "This answer is not accepted: check its type and its bounds."},
	{"unknown-option", "This answer is not one of the criterion's options."},
	{"option-separator", "Tick each option separately."},
	{"na-refused", "This criterion cannot be answered \"not applicable\"."},
	{"jury-answer", "This criterion is marked by the jury, not by the town."},
	{"evidence-not-text", "The evidence must be a text or a link."},
	{"not-applicable-ignored", "This criterion does not apply to your town: the answer is ignored."},
};

const char *words_message(words_lang lang, const char *code)
{
	if (!code || (unsigned)lang >= LANG_COUNT)
		return NULL;
	for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
		if (strcmp(messages[i].code, code) == 0)
			return translate(lang, messages[i].code, messages[i].en);
	return NULL;
}

void words_decimal(words_lang lang, char *number)
{
	if (lang != LANG_FR)
		return;
	for (char *p = number; *p; p++)
		if (*p == '.')
			*p = ',';
}

const char *words_code(words_lang lang)
{
	return lang == LANG_EN ? "en" : "fr";
}

/* The q value of one Accept-Language entry ("en-GB;q=0.8"), 1 when absent. */
static double entry_q(const char *e, size_t len)
{
	const char *q = memchr(e, ';', len);
	while (q && q < e + len) {
		q++;
		while (q < e + len && *q == ' ')
			q++;
		if (q + 2 <= e + len && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
			char buf[16];
			size_t n = (size_t)(e + len - (q + 2));
			char *end;
			if (n >= sizeof buf)
				n = sizeof buf - 1;
			memcpy(buf, q + 2, n);
			buf[n] = 0;
			double v = strtod(buf, &end);
			return end == buf ? 0 : v;
		}
		q = memchr(q, ';', (size_t)(e + len - q));
	}
	return 1;
}

words_lang words_pick(const char *query_lang, const char *accept_language)
{
	if (query_lang && strcmp(query_lang, "en") == 0)
		return LANG_EN;
	if (query_lang && strcmp(query_lang, "fr") == 0)
		return LANG_FR;
	if (!accept_language)
		return LANG_FR;
	double best = 0;
	words_lang pick = LANG_FR;
	const char *p = accept_language;
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *e = p;
		while (len && *e == ' ')
			e++, len--;
		words_lang l = LANG_COUNT;
		if (len >= 2 && strncasecmp(e, "fr", 2) == 0 && (len == 2 || e[2] == '-' || e[2] == ';'))
			l = LANG_FR;
		else if (len >= 2 && strncasecmp(e, "en", 2) == 0 && (len == 2 || e[2] == '-' || e[2] == ';'))
			l = LANG_EN;
		if (l != LANG_COUNT) {
			double q = entry_q(e, len);
			if (q > best) {
				best = q;
				pick = l;
			}
		}
		p = e + len;
		if (*p == ',')
			p++;
	}
	return pick;
}
