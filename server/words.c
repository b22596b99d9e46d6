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
	/* the juror's pages (jury_*.c) and the visibility settings */
	[W_JURY_QUEUE_TITLE] = {"jury-queue-title", "My dossiers to mark"},
	[W_JURY_MARKED] = {"jury-marked", "marked"},
	[W_JURY_LACKS] = {"jury-lacks", "Still to mark:"},
	[W_JURY_ALL_MARKED] = {"jury-all-marked", "All marked"},
	[W_JURY_NO_DOSSIER] = {"jury-no-dossier", "No dossier is assigned to you."},
	[W_JURY_CLOSED] = {"jury-closed", "The jury reads the dossiers during the marking and deliberation phases."},
	[W_JURY_DOSSIER_TITLE] = {"jury-dossier-title", "Dossier for the jury"},
	[W_JURY_ATTRIBUTES] = {"jury-attributes", "The town"},
	[W_JURY_ANSWERS] = {"jury-answers", "The town's answers"},
	[W_JURY_YOUR_MARKS] = {"jury-your-marks", "Your marks"},
	[W_JURY_MARK] = {"jury-mark", "Mark"},
	[W_JURY_COMMENT] = {"jury-comment", "Comment"},
	[W_JURY_SAVE] = {"jury-save", "Save"},
	[W_JURY_SAVE_NEXT] = {"jury-save-next", "Save and next"},
	[W_JURY_SAVED] = {"jury-saved", "Saved."},
	[W_JURY_REFUSED] = {"jury-refused", "This mark is not accepted, it is not saved:"},
	[W_JURY_MARKING_CLOSED] = {"jury-marking-closed", "Marking is closed: your marks are shown as they are."},
	[W_JURY_RECUSE_TITLE] = {"jury-recuse-title", "Conflict of interest"},
	[W_JURY_RECUSE_HELP] = {"jury-recuse-help", "If you cannot judge this town impartially, say why: the dossier leaves your list and the organizer gives it to another juror."},
	[W_JURY_REASON] = {"jury-reason", "Reason"},
	[W_JURY_RECUSE_BUTTON] = {"jury-recuse-button", "Recuse myself"},
	[W_JURY_REASON_REQUIRED] = {"jury-reason-required", "A reason is required to recuse yourself."},
	[W_JURY_RECUSED] = {"jury-recused", "You recused yourself from a dossier; it has left your list."},
	[W_JURY_OTHERS] = {"jury-others", "The other jurors' marks"},
	[W_JURY_OTHERS_NONE] = {"jury-others-none", "No other juror has marked this dossier yet."},
	[W_JURY_JUROR] = {"jury-juror", "Juror"},
	[W_JURY_SHEET_TITLE] = {"jury-sheet-title", "Marking offline"},
	[W_JURY_SHEET_HELP] = {"jury-sheet-help", "Download your sheet, fill in the mark and comment columns in a spreadsheet, and upload it: every line is checked, and nothing is saved unless every line is accepted."},
	[W_JURY_SHEET_DOWNLOAD] = {"jury-sheet-download", "Download my sheet (CSV)"},
	[W_JURY_SHEET_UPLOAD] = {"jury-sheet-upload", "Upload my filled sheet"},
	[W_JURY_SHEET_REFUSED] = {"jury-sheet-refused", "The sheet is refused and nothing was saved. Lines to correct:"},
	[W_JURY_SHEET_SAVED] = {"jury-sheet-saved", "The sheet is saved. Marks and comments changed:"},
	[W_JURY_SHEET_NO_FILE] = {"jury-sheet-no-file", "Choose the file of your filled sheet."},
	[W_JURY_OPEN] = {"jury-open", "Open"},
	[W_JURY_BACK] = {"jury-back", "Back to my dossiers"},
	[W_SETTINGS_VISIBILITY] = {"settings-visibility", "What a juror sees of the other jurors' marks on a dossier"},
	[W_SETTINGS_VIS_MARKING] = {"settings-vis-marking", "During marking"},
	[W_SETTINGS_VIS_DELIBERATION] = {"settings-vis-deliberation", "During deliberation"},
	[W_SEE_NEVER] = {"see-never", "never"},
	[W_SEE_AFTER_OWN] = {"see-after-own", "after giving their own"},
	[W_SEE_ALWAYS] = {"see-always", "always"},
	[W_JURY_MSG_SCALE] = {"jury-msg-scale", "A mark must be a number on the criterion's scale."},
	[W_JURY_MSG_NOT_YOURS] = {"jury-msg-not-yours", "This line is about a dossier that is not yours to mark, or another juror's."},
	[W_JURY_MSG_CRITERION] = {"jury-msg-criterion", "This criterion is not one the jury marks."},
	[W_JURY_MSG_TWICE] = {"jury-msg-twice", "The same mark is given twice."},
	[W_JURY_MSG_JUROR] = {"jury-msg-juror", "The juror column is empty."},
	/* the deliberation and overrides (deliberation.c) */
	[W_NAV_DELIBERATION] = {"nav-deliberation", "Deliberation"},
	[W_DELIB_TITLE] = {"delib-title", "Deliberation"},
	[W_DELIB_INTRO] = {"delib-intro", "Every dossier with its score, its level and the jury criteria on which its jurors disagree; the dossiers on the edge of a level; how much the jurors agree on each criterion and each juror's calibration. Open a dossier to read every mark and comment, and to override its level."},
	[W_DELIB_ALPHA_TITLE] = {"delib-alpha-title", "Agreement of the jurors per criterion (Krippendorff's alpha)"},
	[W_DELIB_CRITERION] = {"delib-criterion", "Criterion"},
	[W_DELIB_ALPHA] = {"delib-alpha", "Alpha"},
	[W_DELIB_UNDEFINED] = {"delib-undefined", "undefined"},
	[W_DELIB_DOSSIERS] = {"delib-dossiers", "Dossiers"},
	[W_DELIB_MARKS] = {"delib-marks", "Marks"},
	[W_DELIB_JURORS_TITLE] = {"delib-jurors-title", "Calibration of the jurors"},
	[W_DELIB_JUROR] = {"delib-juror", "Juror"},
	[W_DELIB_MEAN] = {"delib-mean", "Mean"},
	[W_DELIB_SD] = {"delib-sd", "Standard deviation"},
	[W_DELIB_CALIBRATED] = {"delib-calibrated", "Calibrated"},
	[W_DELIB_NO_JURY] = {"delib-no-jury", "No mark counts yet."},
	[W_DELIB_BORDER_TITLE] = {"delib-border-title", "Dossiers on the edge of a level"},
	[W_DELIB_BORDER_PENDING] = {"delib-border-pending", "The list of dossiers on the edge of a level is being computed: reload the page in a moment."},
	[W_DELIB_BORDER_NONE] = {"delib-border-none", "No dossier is on the edge of a level."},
	[W_DELIB_BELOW_NEXT] = {"delib-below-next", "at most one point short of the next level"},
	[W_DELIB_ABOVE_OWN] = {"delib-above-own", "less than one point above its level's threshold"},
	[W_DELIB_ONE_MARK] = {"delib-one-mark", "its level hangs on one mark:"},
	[W_DELIB_FLAGS] = {"delib-flags", "Disagreements"},
	[W_DELIB_EDGE] = {"delib-edge", "Edge"},
	[W_DELIB_OPEN] = {"delib-open", "open"},
	[W_DELIB_DOSSIER_TITLE] = {"delib-dossier-title", "Deliberation on one dossier"},
	[W_DELIB_COMPUTED_LEVEL] = {"delib-computed-level", "Computed level"},
	[W_DELIB_AGGREGATE] = {"delib-aggregate", "Aggregate (calibrated)"},
	[W_DELIB_AGGREGATE_RAW] = {"delib-aggregate-raw", "Aggregate (raw)"},
	[W_DELIB_MARK] = {"delib-mark", "Mark"},
	[W_DELIB_COMMENT] = {"delib-comment", "Comment"},
	[W_DELIB_DISAGREE] = {"delib-disagree", "The jurors disagree: to deliberate"},
	[W_DELIB_NO_MARKS] = {"delib-no-marks", "No mark yet."},
	[W_DELIB_NOT_APPLICABLE] = {"delib-not-applicable", "does not apply to this town"},
	[W_DELIB_OVERRIDE_TITLE] = {"delib-override-title", "Override the level"},
	[W_DELIB_OVERRIDE_CURRENT] = {"delib-override-current", "Override saved:"},
	[W_DELIB_OVERRIDE_NONE] = {"delib-override-none", "No override: the level is the computed one."},
	[W_DELIB_OVERRIDE_LEVEL] = {"delib-override-level", "Level"},
	[W_DELIB_OVERRIDE_REMOVE] = {"delib-override-remove", "remove the override (back to the computed level)"},
	[W_DELIB_OVERRIDE_REASON] = {"delib-override-reason", "Reason (required; kept in the audit log)"},
	[W_DELIB_OVERRIDE_SAVE] = {"delib-override-save", "Save the override"},
	[W_DELIB_OVERRIDE_SAVED] = {"delib-override-saved", "The override is saved."},
	[W_DELIB_OVERRIDE_REFUSED] = {"delib-override-refused", "Nothing was saved: correct the fields marked below."},
	[W_DELIB_OVERRIDE_CLOSED] = {"delib-override-closed", "Levels can be overridden in the deliberation and published phases."},
	[W_DELIB_ERR_LEVEL] = {"delib-err-level", "Choose one of the rubric's levels, or remove the override."},
	[W_DELIB_ERR_REASON] = {"delib-err-reason", "Give the reason for this decision."},
	[W_DELIB_ERR_NOTHING] = {"delib-err-nothing", "This dossier has no override to remove."},
	[W_DELIB_BORDER_MORE] = {"delib-border-more", "dossiers are on the edge of a level; the first 100 are listed here, and all of them in the table:"},
	[W_DELIB_EDGE_ONLY] = {"delib-edge-only", "only the dossiers on an edge"},
	[W_DELIB_ALL] = {"delib-all", "all the dossiers"},
	/* the organizer's jurors and assignment pages (jurors_page.c, assignment_page.c) */
	[W_NAV_JURORS] = {"nav-jurors", "Jurors"},
	[W_NAV_ASSIGNMENT] = {"nav-assignment", "Assignment"},
	[W_JUROR_ID] = {"juror-id", "Juror"},
	[W_JUROR_NAME] = {"juror-name", "Name, e-mail"},
	[W_JUROR_OWN_TOWN] = {"juror-own-town", "Own town"},
	[W_REGION] = {"region", "Region"},
	[W_CONFLICTS] = {"conflicts", "Conflicts"},
	[W_JUROR_LOAD] = {"juror-load", "Dossiers assigned"},
	[W_JUROR_MARKED] = {"juror-marked", "Fully marked"},
	[W_JUROR_MARKS] = {"juror-marks", "Marks given"},
	[W_JUROR_MISSING] = {"juror-missing", "Still to mark"},
	[W_RECUSALS] = {"recusals", "Recusals"},
	[W_JUROR_EXISTS] = {"juror-exists", "juror already in the campaign:"},
	[W_JURORS_IMPORT_TITLE] = {"jurors-import-title", "Add jurors"},
	[W_JURORS_IMPORT_INTRO] = {"jurors-import-intro", "The jurors file of palmares assign (juror, name, email, town_id, region, conflicts). The whole file is added, or nothing; a juror already in the campaign is refused, not updated. New jurors get their invitation link in the next links file."},
	[W_JURORS_IMPORT_BUTTON] = {"jurors-import-button", "Add the jurors"},
	[W_JURORS_IMPORT_REFUSED] = {"jurors-import-refused", "File refused, no juror added:"},
	[W_JURORS_IMPORT_DONE] = {"jurors-import-done", "Jurors added:"},
	[W_JURORS_MISSING_CSV] = {"jurors-missing-csv", "Jurors with marks still missing (CSV, for a reminder mail)"},
	[W_ASSIGN_CURRENT] = {"assign-current", "Current assignment"},
	[W_ASSIGN_NONE] = {"assign-none", "No dossier is assigned yet."},
	[W_ASSIGN_BY_JUROR] = {"assign-by-juror", "Per juror"},
	[W_ASSIGN_BY_DOSSIER] = {"assign-by-dossier", "Per dossier"},
	[W_ASSIGN_DOSSIERS] = {"assign-dossiers", "Dossiers"},
	[W_ASSIGN_JURORS] = {"assign-jurors", "Jurors"},
	[W_ASSIGN_RUN_TITLE] = {"assign-run-title", "Run the assignment"},
	[W_ASSIGN_RUN_INTRO] = {"assign-run-intro", "The engine gives each dossier that needs the jury this many jurors, never one of its own town nor one in conflict with it (recusals included), with loads as even as possible; the same seed gives the same plan. The plan is shown first; accepting it replaces the current assignment (marks already given are kept, and count again if their pair comes back)."},
	[W_ASSIGN_PER_DOSSIER] = {"assign-per-dossier", "Jurors per dossier"},
	[W_ASSIGN_AVOID_REGION] = {"assign-avoid-region", "Avoid jurors of the dossier's region"},
	[W_ASSIGN_SEED] = {"assign-seed", "Seed"},
	[W_ASSIGN_BAD_NUMBER] = {"assign-bad-number", "Give a whole number (jurors per dossier: 1 to 50)."},
	[W_ASSIGN_PREVIEW] = {"assign-preview", "Preview"},
	[W_PLAN_TITLE] = {"plan-title", "Proposed assignment (not saved)"},
	[W_PLAN_REFUSED] = {"plan-refused", "The engine cannot assign the jurors:"},
	[W_PLAN_PAIRS] = {"plan-pairs", "Assignments:"},
	[W_ASSIGN_ACCEPT] = {"assign-accept", "Accept this assignment"},
	[W_PLAN_CHANGED] = {"plan-changed", "The assignment is no longer the one shown (answers, jurors or parameters changed): nothing was saved. Here is the new one."},
	[W_ASSIGN_SAVED] = {"assign-saved", "Assignment saved, pairs:"},
	[W_MOVE_TITLE] = {"move-title", "Move a dossier to another juror"},
	[W_MOVE_FROM] = {"move-from", "from"},
	[W_MOVE_TO] = {"move-to", "to"},
	[W_MOVE_BUTTON] = {"move-button", "Move"},
	[W_MOVE_DONE] = {"move-done", "Dossier moved:"},
	[W_MOVE_NOT_ASSIGNED] = {"move-not-assigned", "Refused: this dossier is not assigned to that juror. Nothing changed."},
	[W_MOVE_TWICE] = {"move-twice", "Refused: the new juror is already assigned to this dossier. Nothing changed."},
	[W_MOVE_OWN_TOWN] = {"move-own-town", "Refused: the dossier is the new juror's own town. Nothing changed."},
	[W_MOVE_CONFLICT] = {"move-conflict", "Refused: the new juror is in conflict with this town (jurors file or recusal). Nothing changed."},
	[W_MOVE_UNKNOWN] = {"move-unknown", "Refused: unknown juror or dossier. Nothing changed."},
	[W_JUROR_TIES] = {"juror-ties", "Own town, region, conflicts"},
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

/* The French of each key, looked up once: a page asks for the same words
 * again and again (the dossier form, rendered at each save, some 200 times),
 * and each lookup formatted its key and searched the catalogue. The
 * catalogue is in the library's data, so its strings live as long as the
 * process; two threads that look up the same key at once store the same
 * pointer. */
static _Atomic(const char *) french[W_COUNT];

const char *words(words_lang lang, words_key key)
{
	if ((unsigned)lang >= LANG_COUNT || (unsigned)key >= W_COUNT || !table[key].en)
		return "";
	if (lang != LANG_FR)
		return translate(lang, table[key].ctx, table[key].en);
	const char *t = french[key];
	if (!t) {
		t = translate(lang, table[key].ctx, table[key].en);
		french[key] = t;
	}
	return t;
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
