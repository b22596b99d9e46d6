/*
 * The wording of the web pages (words.h): one row per sentence, French
 * first. The language is chosen per request from ?lang= or Accept-Language.
 */
#include "words.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const table[W_COUNT][LANG_COUNT] = {
	[W_SITE_TITLE] = {"palmares", "palmares"},
	[W_HOME] = {"Accueil", "Home"},
	[W_NOT_LOGGED_IN] = {"Vous n'êtes pas connecté. Ouvrez le lien d'invitation reçu par courriel.",
			     "You are not logged in. Open the invitation link you received by e-mail."},
	[W_LOGGED_IN_AS] = {"Connecté en tant que", "Logged in as"},
	[W_ROLE_ORGANIZER] = {"organisateur", "organizer"},
	[W_ROLE_TOWN] = {"commune", "town"},
	[W_ROLE_JUROR] = {"juré", "juror"},
	[W_LOGOUT] = {"Se déconnecter", "Log out"},
	[W_ORGANIZER_PAGE] = {"Suivi de la campagne", "Campaign overview"},
	[W_JUROR_SOON] = {"Les pages du jury arrivent bientôt.", "The jury's pages are coming soon."},
	[W_VERIFY_TITLE] = {"Vérifier un certificat", "Check a certificate"},
	[W_VERIFY_INTRO] = {"Saisissez le code de vérification imprimé sur le certificat.",
			    "Type the verification code printed on the certificate."},
	[W_VERIFY_CODE_LABEL] = {"Code de vérification", "Verification code"},
	[W_VERIFY_BUTTON] = {"Vérifier", "Check"},
	[W_VERIFY_NONE] = {"Aucun certificat ne porte ce code.", "No certificate carries this code."},
	[W_VERIFY_NOT_A_CODE] = {"Ce n'est pas un code de vérification : 12 signes 0-9 A-Z sans I, L, O, U, "
				 "par exemple 7KQ2-M9XD-4HRT.",
				 "This is not a verification code: 12 symbols 0-9 A-Z without I, L, O, U, "
				 "e.g. 7KQ2-M9XD-4HRT."},
	[W_VERIFY_FOUND] = {"Ce code est celui du certificat suivant.",
			    "This code is the following certificate's."},
	[W_TOWN] = {"Commune", "Town"},
	[W_LEVEL] = {"Niveau", "Level"},
	[W_MENTIONS] = {"Mentions", "Mentions"},
	[W_NO_MENTION] = {"aucune", "none"},
	[W_LOGIN_TITLE] = {"Connexion", "Log in"},
	[W_LOGIN_INTRO] = {"Ce lien d'invitation ne sert qu'une fois : le bouton ouvre votre session.",
			   "This invitation link works once: the button opens your session."},
	[W_LOGIN_BUTTON] = {"Se connecter", "Log in"},
	[W_TOWNS_TITLE] = {"Communes et dossiers", "Towns and dossiers"},
	[W_TOWN_ID] = {"Code", "Id"},
	[W_TOWN_NAME] = {"Nom", "Name"},
	[W_STATUS] = {"État du dossier", "Dossier status"},
	[W_REVISION] = {"Révision", "Revision"},
	[W_STATE_NOT_STARTED] = {"pas commencé", "not started"},
	[W_STATE_DRAFT] = {"brouillon", "draft"},
	[W_STATE_SUBMITTED] = {"déposé", "submitted"},
	[W_LINKS_BUTTON] = {"Télécharger les liens d'invitation (CSV)",
			    "Download the invitation links (CSV)"},
	[W_LINKS_NOTE] = {"Chaque téléchargement crée de nouveaux liens ; les anciens restent valables "
			  "jusqu'à leur usage ou leur expiration.",
			  "Each download makes new links; the old ones stay valid until used or expired."},
	[W_PHASE] = {"Phase", "Phase"},
	[W_ERR_NOT_FOUND] = {"Page introuvable.", "Page not found."},
	[W_ERR_FORBIDDEN] = {"Requête refusée : le formulaire a expiré ou ne vient pas de ce site. "
			     "Rechargez la page et recommencez.",
			     "Request refused: the form expired or does not come from this site. "
			     "Reload the page and try again."},
	[W_ERR_BAD_REQUEST] = {"Requête mal formée.", "Malformed request."},
	[W_ERR_BAD_TEXT] =
		{"Requête refusée : un champ contient un texte qui n'est pas de l'UTF-8 valide "
		 "ou un caractère nul.",
		 "Request refused: a field holds text that is not valid UTF-8, or a NUL character."},
	[W_ERR_TOO_BIG] = {"Requête refusée : le formulaire dépasse 1 Mio.",
			   "Request refused: the form is larger than 1 MiB."},
	[W_ERR_TYPE] = {"Requête refusée : type de formulaire non pris en charge.",
			"Request refused: unsupported form type."},
	[W_ERR_TOO_MANY] = {"Trop de requêtes : réessayez dans une minute.",
			    "Too many requests: try again in a minute."},
	[W_ERR_SERVER] = {"Erreur du serveur : réessayez plus tard.", "Server error: try again later."},
	[W_OTHER_LANGUAGE] = {"English", "Français"},
	[W_DOSSIER_TITLE] = {"Dossier de candidature", "Application dossier"},
	[W_DOSSIER_OPEN] = {"Remplir le dossier", "Fill in the dossier"},
	[W_POINTS] = {"points", "points"},
	[W_YES] = {"oui", "yes"},
	[W_NO] = {"non", "no"},
	[W_NA] = {"non concerné", "not applicable"},
	[W_EVIDENCE] = {"Justificatif (lien)", "Evidence (a link)"},
	[W_EVIDENCE_REQUIRED] = {"obligatoire", "required"},
	[W_NOT_APPLYING] = {"Ce critère ne s'applique pas à votre commune.",
			    "This criterion does not apply to your town."},
	[W_JURY_CRITERION] = {"Ce critère est noté par le jury.", "This criterion is marked by the jury."},
	[W_SAVE] = {"Enregistrer le brouillon", "Save the draft"},
	[W_SAVED] = {"Brouillon enregistré.", "Draft saved."},
	[W_CONFLICT] =
		{"Rien n'a été enregistré : ce dossier a été modifié entre-temps (dans un autre onglet ?). "
		 "Vos saisies sont conservées ci-dessous ; enregistrez de nouveau pour les garder.",
		 "Nothing was saved: this dossier was changed meanwhile (in another tab?). "
		 "What you typed is kept below; save again to keep it."},
	[W_CONFLICT_THEIRS] = {"enregistré entre-temps :", "saved meanwhile:"},
	[W_READ_ONLY] = {"Ce dossier ne peut pas être modifié maintenant.",
			 "This dossier cannot be changed now."},
	[W_SUBMITTED_REFUSED] = {"Ce dossier est déjà déposé : rien n'a été enregistré.",
				 "This dossier is already submitted: nothing was saved."},
	[W_ANSWER] = {"Réponse", "Answer"},
	[W_BETWEEN] = {"entre", "between"},
	[W_AND] = {"et", "and"},
	[W_AT_LEAST] = {"au moins", "at least"},
	[W_STEPS] = {"Barème (part des points) :", "Scale (part of the points):"},
	[W_FROM] = {"dès", "from"},
	/* the organizer's running of the campaign (organizer.c, settings.c, login.c, audit.c) */
	[W_NAV_SETTINGS] = {"Calendrier de la campagne", "Campaign phases"},
	[W_NAV_AUDIT] = {"Journal des modifications", "Audit log"},
	[W_NAV_SCORES] = {"Scores", "Scores"},
	[W_NAV_PASSWORD] = {"Mot de passe", "Password"},
	[W_PHASE_SETUP] = {"préparation", "setup"},
	[W_PHASE_SUBMISSION] = {"dépôt des dossiers", "submission"},
	[W_PHASE_MARKING] = {"notation", "marking"},
	[W_PHASE_DELIBERATION] = {"délibération", "deliberation"},
	[W_PHASE_PUBLISHED] = {"résultats publiés", "results published"},
	[W_CURRENT_PHASE] = {"Phase en cours :", "Current phase:"},
	[W_SETTINGS_INTRO] = {"Chaque phase commence à la date et à l'heure indiquées, à l'heure du serveur "
			      "; une phase sans date n'a pas commencé. Les phases se suivent dans cet ordre.",
			      "Each phase starts at the date and time given, in the server's time; a phase "
			      "without a date has not started. The phases follow each other in this order."},
	[W_SERVER_TIME] = {"Heure du serveur :", "Server time:"},
	[W_PHASE_STARTS] = {"Début (AAAA-MM-JJ HH:MM)", "Starts (YYYY-MM-DD HH:MM)"},
	[W_NOT_SET] = {"pas de date", "no date"},
	[W_SETTINGS_SAVE] = {"Enregistrer le calendrier", "Save the phases"},
	[W_SETTINGS_SAVED] = {"Calendrier enregistré.", "Phases saved."},
	[W_ERR_DATE] = {"Date invalide : attendu AAAA-MM-JJ HH:MM.",
			"Invalid date: expected YYYY-MM-DD HH:MM."},
	[W_ERR_ORDER] = {"Cette phase doit commencer après la précédente.",
			 "This phase must start after the previous one."},
	[W_ERR_CLEAR] = {"Une date enregistrée ne peut pas être effacée : choisissez-en une autre.",
			 "A saved date cannot be removed: choose another one."},
	[W_SETTINGS_REFUSED] = {"Rien n'a été enregistré : corrigez les dates signalées.",
				"Nothing was saved: correct the dates marked."},
	[W_IMPORT_TITLE] = {"Ajouter des communes", "Add towns"},
	[W_IMPORT_INTRO] = {"Un fichier CSV comme celui de la création de la campagne : town_id, town_name, "
			    "email et les attributs des communes. Tout le fichier est ajouté, ou rien ; une "
			    "commune déjà dans la campagne est refusée.",
			    "A CSV file like the one the campaign was created with: town_id, town_name, "
			    "email and the towns' attributes. The whole file is added, or nothing; a town "
			    "already in the campaign is refused."},
	[W_IMPORT_FILE] = {"Fichier CSV", "CSV file"},
	[W_IMPORT_BUTTON] = {"Ajouter les communes", "Add the towns"},
	[W_IMPORT_REFUSED] = {"Fichier refusé, aucune commune ajoutée :", "File refused, no town added:"},
	[W_IMPORT_DONE] = {"Communes ajoutées :", "Towns added:"},
	[W_IMPORT_NO_FILE] = {"Choisissez un fichier.", "Choose a file."},
	[W_LINE] = {"ligne", "line"},
	[W_ALREADY_LINE] = {"déjà ligne", "already on line"},
	[W_TOWNS_MALFORMED] = {"fichier CSV mal formé", "malformed CSV file"},
	[W_TOWNS_EMPTY] = {"fichier vide : il faut une ligne d'en-tête",
			   "empty file: a header row is needed"},
	[W_TOWNS_NO_COLUMNS] = {"l'en-tête doit avoir les colonnes town_id et town_name",
				"the header row needs the columns town_id and town_name"},
	[W_TOWNS_NO_ID_NAME] = {"une commune doit avoir un town_id et un town_name",
				"a town needs a town_id and a town_name"},
	[W_TOWNS_DUPLICATE] = {"commune en double :", "town listed twice:"},
	[W_TOWNS_EXISTS] = {"commune déjà dans la campagne :", "town already in the campaign:"},
	[W_REOPEN] = {"Rouvrir", "Reopen"},
	[W_REOPENED] = {"rouvert", "reopened"},
	[W_REOPEN_DONE] = {"Dossier rouvert :", "Dossier reopened:"},
	[W_VIEW] = {"voir", "view"},
	[W_PW_INTRO] = {"Avec un mot de passe, vous vous connectez à la page « Connexion par mot de passe » "
			"avec votre adresse électronique, sans lien d'invitation. Au moins 12 caractères ; "
			"une phrase de plusieurs mots convient bien.",
			"With a password you log in on the \"Log in with a password\" page with your e-mail "
			"address, without an invitation link. At least 12 characters; a phrase of several "
			"words works well."},
	[W_PW_NEW] = {"Nouveau mot de passe", "New password"},
	[W_PW_CONFIRM] = {"Le même, à nouveau", "The same again"},
	[W_PW_SAVE] = {"Enregistrer le mot de passe", "Set the password"},
	[W_PW_SAVED] = {"Mot de passe enregistré.", "Password set."},
	[W_PW_SHORT] = {"Au moins 12 caractères.", "At least 12 characters."},
	[W_PW_LONG] = {"Trop long : 1024 octets au plus.", "Too long: 1024 bytes at most."},
	[W_PW_MISMATCH] = {"Les deux saisies diffèrent.", "The two entries differ."},
	[W_PW_NO_EMAIL] =
		{"Votre compte n'a pas d'adresse électronique : la connexion par mot de passe en a besoin.",
		 "Your account has no e-mail address: logging in with a password needs one."},
	[W_PWLOGIN_TITLE] = {"Connexion par mot de passe", "Log in with a password"},
	[W_PWLOGIN_INTRO] = {"Pour les organisateurs qui ont choisi un mot de passe. Les autres se "
			     "connectent par le lien d'invitation reçu.",
			     "For organizers who have set a password. Everyone else logs in through the "
			     "invitation link they received."},
	[W_EMAIL] = {"Adresse électronique", "E-mail address"},
	[W_PASSWORD] = {"Mot de passe", "Password"},
	[W_PWLOGIN_FAILED] = {"Adresse ou mot de passe incorrect.", "Wrong e-mail address or password."},
	[W_PWLOGIN_TOO_MANY] = {"Trop de tentatives de connexion. Attendez une minute avant de réessayer.",
				"Too many login attempts. Wait a minute before trying again."},
	[W_AUDIT_WHEN] = {"Quand", "When"},
	[W_AUDIT_WHO] = {"Qui", "Who"},
	[W_AUDIT_WHAT] = {"Quoi", "What"},
	[W_AUDIT_SUBJECT] = {"Sur", "Subject"},
	[W_AUDIT_OLD] = {"Avant", "Old value"},
	[W_AUDIT_NEW] = {"Après", "New value"},
	[W_AUDIT_CLI] = {"ligne de commande", "command line"},
	[W_AUDIT_OLDER] = {"Plus anciennes", "Older"},
	[W_AUDIT_NEWEST] = {"Les plus récentes", "Newest"},
	[W_AUDIT_CSV] = {"Tout le journal en CSV", "The whole log as CSV"},
	/* the dossier: uploads, evidence files, submission and receipt */
	[W_UPLOAD_TITLE] = {"Remplir le dossier à partir d'un fichier", "Fill the dossier from a file"},
	[W_UPLOAD_HELP] =
		{"Le modèle de dossier rempli dans un tableur et enregistré en CSV (séparateur « ; » ou « , "
		 "», UTF-8 ou Windows-1252), ou un dossier JSON. Les réponses du fichier remplacent celles "
		 "du formulaire ; un critère laissé vide dans le fichier garde sa réponse actuelle.",
		 "The dossier template filled in a spreadsheet and saved as CSV (separator ';' or ',', UTF-8 "
		 "or Windows-1252), or a JSON dossier. The file's answers replace the form's; a criterion "
		 "left blank in the file keeps its current answer."},
	[W_UPLOAD_BUTTON] = {"Lire le fichier", "Read the file"},
	[W_UPLOAD_DONE] = {"Réponses lues dans le fichier et enregistrées :",
			   "Answers read from the file and saved:"},
	[W_UPLOAD_UNCHANGED] = {"Le fichier ne change aucune réponse.", "The file changes no answer."},
	[W_UPLOAD_REFUSED] = {"Fichier refusé, rien n'a été enregistré :",
			      "File refused, nothing was saved:"},
	[W_UPLOAD_OTHER_TOWN] = {"c'est le dossier d'une autre commune", "it is another town's dossier"},
	[W_UPLOAD_SEVERAL] = {"il contient plusieurs dossiers ; déposez celui de votre commune seul",
			      "it holds several dossiers; upload your town's alone"},
	[W_UPLOAD_NONE] = {"il ne contient aucun dossier", "it holds no dossier"},
	[W_UPLOAD_TOO_BIG] = {"il dépasse 1 Mio", "it is larger than 1 MiB"},
	[W_UPLOAD_UNREADABLE] = {"ce n'est pas un dossier CSV ou JSON lisible",
				 "it is not a readable CSV or JSON dossier"},
	[W_UPLOAD_NO_FILE] = {"aucun fichier n'a été choisi", "no file was chosen"},
	[W_UPLOAD_MESSAGES] = {"Ce que la lecture du fichier a relevé :", "What reading the file found:"},
	[W_EVIDENCE_FILE] =
		{"Joindre un fichier (PDF, PNG, JPEG, document ODF ou Office, texte ; 10 Mio au plus)",
		 "Attach a file (PDF, PNG, JPEG, ODF or Office document, text; 10 MiB at most)"},
	[W_EVIDENCE_FILES] = {"Fichiers joints :", "Attached files:"},
	[W_EVIDENCE_REMOVE] = {"retirer", "remove"},
	[W_EVIDENCE_BAD_TYPE] = {"Fichier refusé : ce type de fichier n'est pas accepté (PDF, PNG, JPEG, "
				 "document ODF ou Office sans macro, texte).",
				 "File refused: this type of file is not accepted (PDF, PNG, JPEG, ODF or "
				 "Office document without macros, text)."},
	[W_EVIDENCE_TOO_BIG] = {"Fichier refusé : il dépasse 10 Mio.",
				"File refused: it is larger than 10 MiB."},
	[W_EVIDENCE_REFUSED] = {"Rien n'a été enregistré : un fichier joint est refusé (voir son critère). "
				"Vos saisies sont conservées ci-dessous.",
				"Nothing was saved: an attached file is refused (see its criterion). What "
				"you typed is kept below."},
	[W_UNIT_BYTES] = {"o", "B"},
	[W_UNIT_KIB] = {"Kio", "KiB"},
	[W_UNIT_MIB] = {"Mio", "MiB"},
	[W_DEADLINE] = {"Date limite de dépôt :", "Submission deadline:"},
	[W_NO_DEADLINE] = {"pas encore fixée", "not set yet"},
	[W_SERVER_TIME_MID] = {"heure du serveur :", "server time:"},
	[W_SUBMIT_HELP] =
		{"Une fois déposé, le dossier ne peut plus être modifié, sauf si l'organisateur le rouvre.",
		 "Once submitted, the dossier cannot be changed unless the organizer reopens it."},
	[W_SUBMIT_BUTTON] = {"Déposer le dossier", "Submit the dossier"},
	[W_SUBMIT_BLOCKED] = {"Le dossier ne peut pas être déposé tant que ces erreurs restent :",
			      "The dossier cannot be submitted while these errors remain:"},
	[W_SUBMIT_STALE] = {"Rien n'a été déposé : le dossier a changé depuis l'affichage de cette page. "
			    "Relisez-le, puis déposez-le de nouveau.",
			    "Nothing was submitted: the dossier changed since this page was shown. Read it "
			    "again, then submit it again."},
	[W_SUBMITTED_ON] = {"Dossier déposé le", "Dossier submitted on"},
	[W_RECEIPT_LINK] = {"Voir l'accusé de réception", "See the receipt"},
	[W_RECEIPT_TITLE] = {"Accusé de réception du dossier", "Dossier receipt"},
	[W_RECEIPT_INTRO] = {"Ce reçu atteste le dépôt du dossier ci-dessous. L'empreinte SHA-256 est celle "
			     "du dossier déposé, au format JSON de palmares, que vous pouvez télécharger.",
			     "This receipt attests that the dossier below was submitted. The SHA-256 is that "
			     "of the submitted dossier, in palmares's JSON format, which you can download."},
	[W_RECEIPT_SHA] = {"Empreinte SHA-256", "SHA-256"},
	[W_RECEIPT_ANSWERS] = {"Réponses déposées", "Answers submitted"},
	[W_RECEIPT_DOWNLOAD] = {"Télécharger le dossier déposé (JSON)",
				"Download the submitted dossier (JSON)"},
	[W_RECEIPT_NONE] = {"Ce dossier n'est pas déposé : il n'a pas d'accusé de réception en cours.",
			    "This dossier is not submitted: it has no current receipt."},
	[W_CRITERION] = {"Critère", "Criterion"},
	[W_CLOSED_DEADLINE] = {"La date limite est passée : le dossier ne peut plus être modifié ni déposé.",
			       "The deadline has passed: the dossier can no longer be changed or submitted."},
	[W_CLOSED_NOT_OPEN] = {"Le dépôt des dossiers n'est pas encore ouvert.",
			       "Submissions are not open yet."},
	[W_SUBMITTED_RO] =
		{"Le dossier est déposé : il ne peut plus être modifié, sauf si l'organisateur le rouvre.",
		 "The dossier is submitted: it cannot be changed unless the organizer reopens it."},
	[W_REOPENED_NOTE] =
		{"L'organisateur a rouvert ce dossier : vous pouvez le modifier et le déposer de nouveau.",
		 "The organizer reopened this dossier: you may change it and submit it again."},
	/* the organizer's scores, explain and downloads (organizer_scores.c) */
	[W_SCORES_TITLE] = {"Scores en direct",
		"Live scores"},
	[W_SCORES_LINK] = {"Scores, explications et documents",
		"Scores, explanations and documents"},
	[W_SCORES_INTRO] = {"Calculés par le moteur sur les réponses enregistrées à l'instant (sans notes du jury ni dérogations pour l'instant). Cliquez sur un titre de colonne pour trier.",
		"Computed by the engine from the answers saved now (no jury marks or overrides yet). Click a column title to sort."},
	[W_SCORE] = {"Points",
		"Points"},
	[W_PERCENT] = {"%",
		"%"},
	[W_MESSAGES] = {"Messages",
		"Messages"},
	[W_INVALID] = {"invalide",
		"invalid"},
	[W_PENDING] = {"en attente du jury",
		"waiting for the jury"},
	[W_NOT_LABELLED] = {"non labellisée",
		"not labelled"},
	[W_EXPLAIN] = {"expliquer",
		"explain"},
	[W_EXPLAIN_TITLE] = {"Explication du score",
		"Score explained"},
	[W_DOWNLOADS] = {"Téléchargements",
		"Downloads"},
	[W_DL_RESULTS_JSON] = {"Résultats (JSON)",
		"Results (JSON)"},
	[W_DL_RESULTS_CSV] = {"Résultats (CSV)",
		"Results (CSV)"},
	[W_DL_CERTIFICATES] = {"Certificats (PDF)",
		"Certificates (PDF)"},
	[W_DL_BOOKLET] = {"Livret de la cérémonie (PDF)",
		"Ceremony booklet (PDF)"},
	[W_DL_REPORT] = {"Rapport de la commune (PDF)",
		"The town's feedback report (PDF)"},
	[W_PAGE] = {"Page",
		"Page"},
	[W_PREVIOUS] = {"Précédente",
		"Previous"},
	[W_NEXT] = {"Suivante",
		"Next"},
	[W_TOWNS_COUNT] = {"communes",
		"towns"},
	[W_BACK_TO_SCORES] = {"Retour aux scores",
		"Back to the scores"},
	[W_ERR_BUSY] = {"Un document est en cours de production : réessayez dans un instant.",
		"A document is being rendered: try again in a moment."},
	[W_NO_DOCUMENT] = {"Aucune commune n'obtient ce document pour l'instant.",
		"No town gets this document yet."},
	[W_SCORES_AS_OF] = {"Calculés le", "Computed on"},
	[W_SCORES_STALE] = {"Des réponses plus récentes sont en cours de calcul : rechargez la page dans un instant.",
			    "Newer answers are being scored: reload the page in a moment."},
	[W_SCORES_PENDING] = {"Les scores sont en cours de calcul : rechargez la page dans un instant.",
			      "The scores are being computed: reload the page in a moment."},
	[W_RELOAD] = {"Recharger", "Reload"},
};

const char *words(words_lang lang, words_key key)
{
	if ((unsigned)lang >= LANG_COUNT || (unsigned)key >= W_COUNT || !table[key][lang])
		return "";
	return table[key][lang];
}

/* What an engine message means for the town, by its code (docs/results.md). */
static const struct {
	const char *code, *text[LANG_COUNT];
} messages[] = {
	{"invalid-answer",
	 {"Cette réponse n'est pas acceptée : vérifiez son type et ses bornes.",
	  "This answer is not accepted: check its type and its bounds."}},
	{"unknown-option",
	 {"Cette réponse n'est pas l'une des options du critère.",
	  "This answer is not one of the criterion's options."}},
	{"option-separator", {"Cochez chaque option séparément.", "Tick each option separately."}},
	{"na-refused",
	 {"Ce critère ne peut pas être déclaré « non concerné ».",
	  "This criterion cannot be answered \"not applicable\"."}},
	{"jury-answer",
	 {"Ce critère est noté par le jury, pas par la commune.",
	  "This criterion is marked by the jury, not by the town."}},
	{"evidence-not-text",
	 {"Le justificatif doit être un texte ou un lien.", "The evidence must be a text or a link."}},
	{"not-applicable-ignored",
	 {"Ce critère ne s'applique pas à votre commune : la réponse est ignorée.",
	  "This criterion does not apply to your town: the answer is ignored."}},
};

const char *words_message(words_lang lang, const char *code)
{
	if (!code || (unsigned)lang >= LANG_COUNT)
		return NULL;
	for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++)
		if (strcmp(messages[i].code, code) == 0)
			return messages[i].text[lang];
	return NULL;
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
