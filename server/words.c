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
