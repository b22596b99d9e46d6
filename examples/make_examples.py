#!/usr/bin/env python3
"""Generates the sample Villes Internet campaign in examples/ (deterministically).

Usage:  python3 examples/make_examples.py [--check]

Writes, next to this script:
  dossiers-excel.csv        12 towns, Excel (French locale): ';', CRLF, Windows-1252
  dossiers-libreoffice.csv   8 towns, LibreOffice Calc: ',', LF, UTF-8 without BOM
  dossiers-google.csv        5 towns, Google Sheets: ',', CRLF, UTF-8
  dossiers.json              5 towns, palmares-dossier/1 objects
  jurors.csv, marks.csv, overrides.csv
  expected.csv              what a correct engine must compute (see below)

Then it checks its own output the way the engine will read it: every file is
read back with an independent reader of SPEC §3.2 (encoding, separator and
line-ending detection, decimal comma, thousands separators, yes/no words,
"not applicable" words), every answer is validated against the rubric (§3.3),
and the campaign is scored with a reference implementation of §4 (marks §5,
overrides). expected.csv holds, per town, the percent, computed and final
level and mentions that a correct `palmares score` gives for this campaign.
The generator fails if anything is invalid, if a level 0-5 is missing, or if
the near-threshold cases drift away from their thresholds.

--check regenerates nothing: it compares the files on disk with what it would
write, and exits 1 if they differ (for CI or before a commit).

Change the towns below, or the rubric, and rerun. Standard library only.
"""

import csv
import io
import json
import os
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RUBRIC_PATH = os.path.join(ROOT, "criteria", "villes-internet-2027.json")
NBSP = "\u00a0"

# ---------------------------------------------------------------------------
# The towns. Real communes, INSEE codes and (rounded) municipal populations;
# the answers are invented. "jury" gives the intended mean mark per jury
# criterion; the marks file spreads it over the assigned jurors.

T = True
F = False
NA = "n/a"

TOWNS = [
    # ---------------- Excel (French locale) ----------------
    dict(id="33063", name="Bordeaux", population=261804, region="Nouvelle-Aquitaine", department="33",
         epci="Bordeaux Métropole", file="excel",
         answers={"referent-numerique": "Mme Camille Laborde, adjointe au numérique et à l'open data",
                  "projet-phare": "Tiers-lieu « La Fabrique numérique » ; 12 ateliers\nhebdomadaires pour les seniors",
                  "site-rgaa": T, "taux-conformite-rgaa": 91.5, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous", "urbanisme"],
                  "consultations-en-ligne": 9, "budget-participatif": T, "epn": T, "heures-mediation": 64,
                  "conseillers-numeriques": 6, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes", "allophones"],
                  "ecoles-equipees": 88, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses", "ateliers-code", "fablab"],
                  "ateliers-emi": 24, "tiers-lieu": T, "fibre-ftth": 97.5, "commerce-local": "plateforme-locale",
                  "achats-responsables": T, "reemploi-materiel": 1480, "part-logiciels-libres": 58, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["messagerie", "sig", "site-web"], "mutualisation-libre": T, "jeux-donnees-ouverts": 212},
         evidence={"site-rgaa": "https://bordeaux.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://bordeaux.example.org/audit-rgaa-2026.pdf",
                   "budget-participatif": "https://participation.bordeaux.example.org/budget",
                   "tiers-lieu": "Délibération n° 2026/312 du 8 octobre 2026",
                   "jeux-donnees-ouverts": "https://opendata.bordeaux.example.org/"},
         jury={"innovation-democratique": 4.5, "mediation-qualite": 8.5, "projet-educatif": 4, "contribution-communs": 3.5}),
    dict(id="35238", name="Rennes", population=225081, region="Bretagne", department="35",
         epci="Rennes Métropole", file="excel",
         answers={"referent-numerique": "M. Yann Le Bihan, adjoint délégué au numérique",
                  "projet-phare": "Budget participatif n° 8; vote 100 % en ligne et bornes\ndans les mairies de quartier",
                  "site-rgaa": T, "taux-conformite-rgaa": 94, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "signalement-voirie", "urbanisme"],
                  "consultations-en-ligne": 11, "budget-participatif": T, "epn": T, "heures-mediation": 52.5,
                  "conseillers-numeriques": 4, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes", "personnes-handicapees", "allophones"],
                  "ecoles-equipees": 92, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "ateliers-code", "fablab"],
                  "ateliers-emi": 30, "tiers-lieu": T, "fibre-ftth": 98.2, "commerce-local": "plateforme-locale",
                  "achats-responsables": T, "reemploi-materiel": 910, "part-logiciels-libres": 81, "suite-bureautique": "libre",
                  "logiciels-metiers-libres": ["messagerie", "gestion-documentaire", "sig", "site-web"], "mutualisation-libre": T,
                  "jeux-donnees-ouverts": 1250},
         evidence={"site-rgaa": "https://rennes.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://rennes.example.org/rapport-audit-rgaa.pdf",
                   "tiers-lieu": "Convention « Hôtel Pasteur » 2025-2028",
                   "jeux-donnees-ouverts": "https://data.rennes.example.org/"},
         jury={"innovation-democratique": 4.5, "mediation-qualite": 9, "projet-educatif": 4.5, "contribution-communs": 4.5}),
    dict(id="21231", name="Dijon", population=159346, region="Bourgogne-Franche-Comté", department="21",
         epci="Dijon Métropole", file="excel",
         answers={"referent-numerique": "Mme Claire Moreau, conseillère déléguée à la ville intelligente",
                  "projet-phare": "Poste de pilotage connecté de l'espace public",
                  "site-rgaa": T, "taux-conformite-rgaa": 78, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous"],
                  "consultations-en-ligne": 4, "budget-participatif": F, "epn": T, "heures-mediation": 20,
                  "conseillers-numeriques": 3, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi"],
                  "ecoles-equipees": 75, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses"],
                  "ateliers-emi": 8, "tiers-lieu": T, "fibre-ftth": 95.89, "commerce-local": "plateforme-locale",
                  "achats-responsables": T, "reemploi-materiel": 300, "part-logiciels-libres": 45, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["sig", "site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 140},
         evidence={"taux-conformite-rgaa": "Rapport d'audit RGAA (prestataire externe), juin 2026",
                   "tiers-lieu": "https://dijon.example.org/coworking-la-turbine"},
         jury={"innovation-democratique": 3.5, "mediation-qualite": 8, "projet-educatif": 3.5, "contribution-communs": 2}),
    dict(id="29019", name="Brest", population=139926, region="Bretagne", department="29",
         epci="Brest Métropole", file="excel",
         answers={"referent-numerique": "M. Goulven Kerjean, adjoint à l'internet et au multimédia",
                  "projet-phare": "Appel à projets « Internet et expression multimédia » (25e édition)",
                  "site-rgaa": T, "taux-conformite-rgaa": 72, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "urbanisme"],
                  "consultations-en-ligne": 3, "budget-participatif": T, "epn": T, "heures-mediation": 120,
                  "conseillers-numeriques": 5, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes", "personnes-handicapees"],
                  "ecoles-equipees": 70, "ent-ecoles": F, "mediatheque-numerique": ["ressources-en-ligne", "ateliers-code"],
                  "ateliers-emi": 15, "tiers-lieu": T, "fibre-ftth": 93, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 420, "part-logiciels-libres": 35, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web", "sig"], "mutualisation-libre": T, "jeux-donnees-ouverts": 30},
         evidence={"site-rgaa": "https://brest.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://brest.example.org/audit-rgaa.pdf",
                   "budget-participatif": "https://jeparticipe.brest.example.org/",
                   "tiers-lieu": "Subvention annuelle au tiers-lieu des Capucins, délibération 2026-0417"},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 9.5, "projet-educatif": 2.5, "contribution-communs": 2}),
    dict(id="33449", name="Saint-Médard-en-Jalles", population=31505, region="Nouvelle-Aquitaine", department="33",
         epci="Bordeaux Métropole", file="excel",
         answers={"referent-numerique": "M. Jacques Dufau, adjoint à la transition numérique",
                  "projet-phare": "Application citoyenne de signalement",
                  "site-rgaa": T, "taux-conformite-rgaa": 64, "conseil-filme": "direct",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne"],
                  "consultations-en-ligne": 2, "budget-participatif": F, "epn": T, "heures-mediation": 12,
                  "conseillers-numeriques": 1, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "jeunes"],
                  "ecoles-equipees": 60, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 4, "tiers-lieu": F, "fibre-ftth": 89.5, "commerce-local": "information",
                  "achats-responsables": F, "reemploi-materiel": 35, "part-logiciels-libres": 72.5, "suite-bureautique": "libre",
                  "logiciels-metiers-libres": ["messagerie", "site-web"], "mutualisation-libre": T, "jeux-donnees-ouverts": 12},
         evidence={"taux-conformite-rgaa": "https://saint-medard-en-jalles.example.org/audit-rgaa.pdf",
                   "jeux-donnees-ouverts": "https://data.example.org/saint-medard-en-jalles"},
         jury={"innovation-democratique": 3, "mediation-qualite": 6, "projet-educatif": 3, "contribution-communs": 3.5}),
    dict(id="94038", name="L'Haÿ-les-Roses", population=31392, region="Île-de-France", department="94",
         epci="Établissement public territorial Grand-Orly Seine Bièvre", file="excel",
         answers={"referent-numerique": "Mme Sophie Aubert, conseillère municipale déléguée",
                  "projet-phare": "Cybercentre de la médiathèque rénové",
                  "site-rgaa": F, "taux-conformite-rgaa": 35, "conseil-filme": "compte-rendu",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne"],
                  "consultations-en-ligne": 0, "budget-participatif": F, "epn": T, "heures-mediation": 25,
                  "conseillers-numeriques": 2, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes", "allophones"],
                  "ecoles-equipees": 85, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses", "ateliers-code"],
                  "ateliers-emi": 12, "tiers-lieu": F, "fibre-ftth": 99, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 60, "part-logiciels-libres": 20, "suite-bureautique": "proprietaire",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 3},
         evidence={"taux-conformite-rgaa": "Autodiagnostic interne, mars 2026"},
         jury={"innovation-democratique": 1.5, "mediation-qualite": 7.5, "projet-educatif": 4, "contribution-communs": 1}),
    dict(id="05061", name="Gap", population=40895, region="Provence-Alpes-Côte d'Azur", department="05",
         epci="Communauté d'agglomération Gap-Tallard-Durance", file="excel",
         answers={"referent-numerique": "M. Vincent Reynaud, adjoint aux systèmes d'information",
                  "projet-phare": "Portail famille unique",
                  "site-rgaa": T, "taux-conformite-rgaa": 71, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous"],
                  "consultations-en-ligne": 3, "budget-participatif": T, "epn": T, "heures-mediation": 10,
                  "conseillers-numeriques": 1.5, "pass-numerique": F, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "jeunes"],
                  "ecoles-equipees": 55, "ent-ecoles": F, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses"],
                  "ateliers-emi": 3, "tiers-lieu": T, "fibre-ftth": 82, "commerce-local": "ateliers",
                  "achats-responsables": T, "reemploi-materiel": 45, "part-logiciels-libres": 40, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web", "gestion-salles"], "mutualisation-libre": T, "jeux-donnees-ouverts": 18},
         evidence={"taux-conformite-rgaa": "https://ville-gap.example.org/accessibilite/audit-2026",
                   "tiers-lieu": "Convention d'occupation « Gap Coworking », 2026"},
         jury={"innovation-democratique": 3, "mediation-qualite": 6.5, "projet-educatif": 2.5, "contribution-communs": 2.5}),
    dict(id="74056", name="Chamonix-Mont-Blanc", population=8611, region="Auvergne-Rhône-Alpes", department="74",
         epci="Communauté de communes de la Vallée de Chamonix-Mont-Blanc", file="excel",
         answers={"referent-numerique": "Mme Anne Couttet, conseillère déléguée au numérique",
                  "projet-phare": "Wi-Fi public dans les refuges communaux",
                  "site-rgaa": T, "taux-conformite-rgaa": 52, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne"],
                  "consultations-en-ligne": 1, "budget-participatif": F, "epn": F, "heures-mediation": 4,
                  "conseillers-numeriques": NA, "pass-numerique": F, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors"],
                  "ecoles-equipees": 65, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 2, "tiers-lieu": T, "fibre-ftth": 76, "commerce-local": "plateforme-locale",
                  "achats-responsables": F, "reemploi-materiel": 12, "part-logiciels-libres": 30, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 4},
         evidence={"taux-conformite-rgaa": "Audit RGAA simplifié, 2025",
                   "tiers-lieu": "https://chamonix.example.org/coworking-mont-blanc"},
         jury={"innovation-democratique": 2, "mediation-qualite": 4, "projet-educatif": 2.5, "contribution-communs": 1.5}),
    dict(id="09122", name="Foix", population=9462, region="Occitanie", department="09",
         epci="Communauté d'agglomération Pays Foix-Varilhes", file="excel",
         answers={"referent-numerique": "M. Thomas Rouzaud, adjoint",
                  "projet-phare": "Numérisation des archives municipales",
                  "site-rgaa": F, "conseil-filme": "compte-rendu",
                  "demarches-en-ligne": ["etat-civil", "prise-de-rendez-vous"],
                  "consultations-en-ligne": 3, "budget-participatif": F, "epn": T, "heures-mediation": 6,
                  "conseillers-numeriques": 1, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi"],
                  "ecoles-equipees": 40, "ent-ecoles": F, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 1, "tiers-lieu": F, "fibre-ftth": 91.79, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 8, "part-logiciels-libres": 15, "suite-bureautique": "proprietaire",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 0},
         evidence={},
         jury={"innovation-democratique": 2, "mediation-qualite": 6, "projet-educatif": 2, "contribution-communs": 1}),
    dict(id="51513", name="Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson", population=491, region="Grand Est", department="51",
         epci="Communauté de communes Perthois-Bocage et Der", file="excel",
         answers={"referent-numerique": "M. le maire",
                  "projet-phare": "Permanence numérique mensuelle à la mairie; prêt de tablettes\naux aînés (« Tablettes partagées »)",
                  "site-rgaa": F, "conseil-filme": "aucun",
                  "demarches-en-ligne": ["etat-civil"],
                  "consultations-en-ligne": 0, "epn": F, "heures-mediation": 2,
                  "conseillers-numeriques": NA, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors"],
                  "ecoles-equipees": NA, "ent-ecoles": NA, "mediatheque-numerique": NA,
                  "ateliers-emi": 0, "fibre-ftth": 64, "commerce-local": "aucun",
                  "achats-responsables": F, "reemploi-materiel": 3, "part-logiciels-libres": 35, "suite-bureautique": "libre",
                  "logiciels-metiers-libres": [], "mutualisation-libre": T},
         evidence={},
         jury={"innovation-democratique": 1, "mediation-qualite": 3.5, "projet-educatif": 1, "contribution-communs": 1}),
    dict(id="22113", name="Lannion", population=20318, region="Bretagne", department="22",
         epci="Lannion-Trégor Communauté", file="excel",
         answers={"referent-numerique": "Mme Nolwenn Prigent, adjointe à la démocratie locale",
                  "projet-phare": "Assemblée citoyenne tirée au sort, débats diffusés en direct",
                  "site-rgaa": T, "taux-conformite-rgaa": 68, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne"],
                  "consultations-en-ligne": 5, "budget-participatif": T, "epn": T, "heures-mediation": 14,
                  "conseillers-numeriques": 1, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "jeunes", "demandeurs-emploi"],
                  "ecoles-equipees": 62, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "ateliers-code"],
                  "ateliers-emi": 5, "tiers-lieu": T, "fibre-ftth": 80, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 40, "part-logiciels-libres": 38, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": T, "jeux-donnees-ouverts": 9},
         evidence={"taux-conformite-rgaa": "https://lannion.example.org/accessibilite",
                   "budget-participatif": "https://lannion.example.org/budget-participatif"},
         jury={"innovation-democratique": 3, "mediation-qualite": 6, "projet-educatif": 3, "contribution-communs": 2}),
    dict(id="57463", name="Metz", population=120874, region="Grand Est", department="57",
         epci="Metz Métropole", file="excel",
         answers={"referent-numerique": "M. Patrick Schmitt, adjoint au numérique",
                  "projet-phare": "Guichet unique numérique « Metz & moi »",
                  "site-rgaa": T, "taux-conformite-rgaa": 88, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous", "signalement-voirie", "urbanisme"],
                  "consultations-en-ligne": 7, "budget-participatif": T, "epn": T, "heures-mediation": 14,
                  "conseillers-numeriques": 3, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes"],
                  "ecoles-equipees": 90, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses", "fablab"],
                  "ateliers-emi": 14, "tiers-lieu": T, "fibre-ftth": 96, "commerce-local": "plateforme-locale",
                  "achats-responsables": T, "reemploi-materiel": 260, "part-logiciels-libres": 18, "suite-bureautique": "proprietaire",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 35},
         evidence={"site-rgaa": "https://metz.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://metz.example.org/audit-rgaa-2026.pdf",
                   "budget-participatif": "https://metz.example.org/budget-participatif",
                   "tiers-lieu": "Délibération du conseil municipal du 26 juin 2026, point 14"},
         jury={"innovation-democratique": 4, "mediation-qualite": 7.5, "projet-educatif": 4.5, "contribution-communs": 1}),

    # ---------------- LibreOffice Calc ----------------
    dict(id="80829", name="Y", population=89, region="Hauts-de-France", department="80",
         epci="Communauté de communes de l'Est de la Somme", file="libreoffice",
         answers={"projet-phare": "Mairie équipée en logiciels libres par un bénévole, \"l'informaticien du village\"",
                  "site-rgaa": F, "conseil-filme": "aucun", "demarches-en-ligne": ["etat-civil"],
                  "consultations-en-ligne": 0, "epn": F, "heures-mediation": 0,
                  "conseillers-numeriques": NA, "pass-numerique": NA, "wifi-public": "aucun",
                  "publics-accompagnes": ["seniors"],
                  "ecoles-equipees": NA, "ent-ecoles": NA, "mediatheque-numerique": NA,
                  "ateliers-emi": 0, "fibre-ftth": 100, "commerce-local": "aucun",
                  "achats-responsables": F, "reemploi-materiel": 2, "part-logiciels-libres": 90, "suite-bureautique": "libre",
                  "logiciels-metiers-libres": ["messagerie", "site-web", "gestion-documentaire"], "mutualisation-libre": T},
         na_words={"conseillers-numeriques": "sans objet", "pass-numerique": "Non concerné", "ecoles-equipees": "n/a",
                   "ent-ecoles": "sans objet", "mediatheque-numerique": "Non concerné"},
         evidence={},
         jury={"innovation-democratique": 0.5, "mediation-qualite": 1, "projet-educatif": 0.5, "contribution-communs": 3.5}),
    dict(id="46256", name="Saint-Cirq-Lapopie", population=198, region="Occitanie", department="46",
         epci="Communauté d'agglomération du Grand Cahors", file="libreoffice",
         answers={"referent-numerique": "Mme Anne Delpech, première adjointe",
                  "projet-phare": "Visite \"augmentée\" du village, réalisée avec l'office de tourisme",
                  "site-rgaa": T, "taux-conformite-rgaa": 56, "conseil-filme": "compte-rendu",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne"],
                  "consultations-en-ligne": 1, "epn": F, "heures-mediation": 2,
                  "conseillers-numeriques": NA, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors"],
                  "ecoles-equipees": NA, "ent-ecoles": NA, "mediatheque-numerique": NA,
                  "ateliers-emi": 1, "fibre-ftth": 63.6, "commerce-local": "plateforme-locale",
                  "achats-responsables": F, "reemploi-materiel": 5, "part-logiciels-libres": 20, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F},
         na_words={"conseillers-numeriques": "Non concerné", "ecoles-equipees": "sans objet",
                   "ent-ecoles": "sans objet", "mediatheque-numerique": "n/a"},
         evidence={"taux-conformite-rgaa": "Audit de l'agence départementale, \"Lot Numérique\", 2026"},
         jury={"innovation-democratique": 1, "mediation-qualite": 3, "projet-educatif": 1.5, "contribution-communs": 1}),
    dict(id="85113", name="L'Île-d'Yeu", population=4877, region="Pays de la Loire", department="85",
         epci="", file="libreoffice",
         answers={"referent-numerique": "M. Marc Taraud, conseiller délégué",
                  "projet-phare": "Télé-consultations médicales depuis la maison de santé",
                  "site-rgaa": T, "taux-conformite-rgaa": 60, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne", "prise-de-rendez-vous"],
                  "consultations-en-ligne": 2, "budget-participatif": NA, "epn": T, "heures-mediation": 6,
                  "conseillers-numeriques": 1, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "jeunes"],
                  "ecoles-equipees": 50, "ent-ecoles": F, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 2, "tiers-lieu": F, "fibre-ftth": 70, "commerce-local": "information",
                  "achats-responsables": F, "reemploi-materiel": 10, "part-logiciels-libres": 25, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 2},
         na_words={"budget-participatif": "Non concerné"},
         evidence={"taux-conformite-rgaa": "https://ile-yeu.example.org/accessibilite"},
         jury={"innovation-democratique": 2, "mediation-qualite": 5, "projet-educatif": 2, "contribution-communs": 1}),
    dict(id="79202", name="Parthenay", population=10235, region="Nouvelle-Aquitaine", department="79",
         epci="Communauté de communes de Parthenay-Gâtine", file="libreoffice",
         answers={"referent-numerique": "Mme Sylvie Guérin, adjointe au numérique",
                  "projet-phare": "Postes de la mairie et des écoles migrés sous GNU/Linux (\"Parthenay libre\")",
                  "site-rgaa": T, "taux-conformite-rgaa": 60, "conseil-filme": "direct",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne"],
                  "consultations-en-ligne": 2, "budget-participatif": F, "epn": T, "heures-mediation": 14,
                  "conseillers-numeriques": 2, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "jeunes", "demandeurs-emploi"],
                  "ecoles-equipees": 40, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "ateliers-code", "fablab"],
                  "ateliers-emi": 6, "tiers-lieu": T, "fibre-ftth": 70, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 30, "part-logiciels-libres": 85, "suite-bureautique": "libre",
                  "logiciels-metiers-libres": ["messagerie", "gestion-documentaire", "sig", "site-web"], "mutualisation-libre": T,
                  "jeux-donnees-ouverts": 25},
         evidence={"site-rgaa": "https://parthenay.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://parthenay.example.org/audit-rgaa.pdf",
                   "tiers-lieu": "Convention avec le tiers-lieu \"La Gare numérique\", 2026",
                   "jeux-donnees-ouverts": "https://data.example.org/parthenay"},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 6.5, "projet-educatif": 3, "contribution-communs": 4.5}),
    dict(id="48095", name="Mende", population=11942, region="Occitanie", department="48",
         epci="Communauté de communes Cœur de Lozère", file="libreoffice",
         answers={"referent-numerique": "Mme Régine Boyer, adjointe",
                  "projet-phare": "Borne de démarches en libre-service à l'accueil de la mairie",
                  "site-rgaa": F, "taux-conformite-rgaa": 40, "conseil-filme": "compte-rendu",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires"],
                  "consultations-en-ligne": 0, "budget-participatif": F, "epn": F, "heures-mediation": 3,
                  "conseillers-numeriques": NA, "pass-numerique": F, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors"],
                  "ecoles-equipees": 30, "ent-ecoles": F, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 1, "tiers-lieu": F, "fibre-ftth": 55, "commerce-local": "information",
                  "achats-responsables": F, "reemploi-materiel": 6, "part-logiciels-libres": 10, "suite-bureautique": "proprietaire",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 1},
         na_words={"conseillers-numeriques": "n/a"},
         evidence={},
         jury={"innovation-democratique": 1, "mediation-qualite": 3, "projet-educatif": 1.5, "contribution-communs": 0.5}),
    dict(id="30003", name="Aigues-Mortes", population=8525, region="Occitanie", department="30",
         epci="Communauté de communes Terre de Camargue", file="libreoffice",
         answers={"referent-numerique": "M. Pierre Fabre, adjoint aux finances et au numérique",
                  "projet-phare": "Nouveau portail de démarches (mise en ligne prévue en février 2027)",
                  "site-rgaa": T, "taux-conformite-rgaa": 62, "conseil-filme": "direct",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne"],
                  "consultations-en-ligne": 2, "budget-participatif": F, "epn": T, "heures-mediation": 8,
                  "conseillers-numeriques": 1, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "jeunes"],
                  "ecoles-equipees": 58, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 3, "tiers-lieu": F, "fibre-ftth": 72, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 15, "part-logiciels-libres": 30, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 6},
         evidence={"taux-conformite-rgaa": "Audit RGAA de la communauté de communes, 2026"},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 5.5, "projet-educatif": 2.5, "contribution-communs": 1.5}),
    dict(id="2A004", name="Ajaccio", population=73350, region="Corse", department="2A",
         epci="Communauté d'agglomération du Pays Ajaccien", file="libreoffice",
         answers={"referent-numerique": "Mme Laetitia Mariani, adjointe déléguée",
                  "projet-phare": "Maison des services publics numériques de quartier",
                  "site-rgaa": T, "taux-conformite-rgaa": 74, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous"],
                  "consultations-en-ligne": 3, "budget-participatif": T, "epn": T, "heures-mediation": 8,
                  "conseillers-numeriques": 2, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi"],
                  "ecoles-equipees": 50, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses"],
                  "ateliers-emi": 5, "tiers-lieu": T, "fibre-ftth": 84, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 55, "part-logiciels-libres": 28, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web", "sig"], "mutualisation-libre": F, "jeux-donnees-ouverts": 15},
         evidence={"taux-conformite-rgaa": "https://ajaccio.example.org/audit-rgaa",
                   "tiers-lieu": "Convention \"Fab Lab Aiacciu\" du 3 mars 2026"},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 5, "projet-educatif": 3, "contribution-communs": 1.5}),
    dict(id="25056", name="Besançon", population=119198, region="Bourgogne-Franche-Comté", department="25",
         epci="Grand Besançon Métropole", file="libreoffice",
         answers={"referent-numerique": "M. Aurélien Vuillemin, conseiller délégué au numérique responsable",
                  "projet-phare": "Sobriété numérique : parc informatique reconditionné, \"zéro achat neuf\" en 2026",
                  "site-rgaa": T, "taux-conformite-rgaa": 70, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous", "urbanisme"],
                  "consultations-en-ligne": 3, "budget-participatif": T, "epn": T, "heures-mediation": 16,
                  "conseillers-numeriques": 4, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes"],
                  "ecoles-equipees": 60, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "ateliers-code"],
                  "ateliers-emi": 9, "tiers-lieu": T, "fibre-ftth": 94, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 640, "part-logiciels-libres": 40, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["messagerie", "site-web", "sig"], "mutualisation-libre": T, "jeux-donnees-ouverts": 30},
         evidence={"site-rgaa": "https://besancon.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://besancon.example.org/audit-rgaa-2026.pdf",
                   "tiers-lieu": "Subvention 2026 au tiers-lieu \"La Friche\""},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 5.5, "projet-educatif": 3, "contribution-communs": 3}),

    # ---------------- Google Sheets ----------------
    dict(id="38185", name="Grenoble", population=156389, region="Auvergne-Rhône-Alpes", department="38",
         file="google",
         answers={"referent-numerique": "M. Pierre-André Roux, adjoint aux communs numériques",
                  "projet-phare": "Migration des postes des agents vers des logiciels libres",
                  "site-rgaa": T, "taux-conformite-rgaa": 92, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "signalement-voirie", "urbanisme"],
                  "consultations-en-ligne": 8, "budget-participatif": T, "epn": T, "heures-mediation": 45,
                  "conseillers-numeriques": 4, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes", "allophones"],
                  "ecoles-equipees": 84, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "ateliers-code", "fablab"],
                  "ateliers-emi": 20, "tiers-lieu": T, "fibre-ftth": 95.5, "commerce-local": "ateliers",
                  "achats-responsables": T, "reemploi-materiel": 700, "part-logiciels-libres": 88, "suite-bureautique": "libre",
                  "logiciels-metiers-libres": ["messagerie", "gestion-documentaire", "sig", "site-web", "gestion-salles"],
                  "mutualisation-libre": T, "jeux-donnees-ouverts": 160},
         evidence={"site-rgaa": "https://grenoble.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://grenoble.example.org/audit-rgaa.pdf",
                   "budget-participatif": "https://grenoble.example.org/budget-participatif",
                   "tiers-lieu": "Délibération 2026-DEL-0211",
                   "jeux-donnees-ouverts": "https://data.grenoble.example.org/"},
         jury={"innovation-democratique": 4, "mediation-qualite": 8, "projet-educatif": 4, "contribution-communs": 5}),
    dict(id="92040", name="Issy-les-Moulineaux", population=68395, region="Île-de-France", department="92",
         file="google",
         answers={"referent-numerique": "M. Thomas Lemaire, adjoint à la ville numérique",
                  "projet-phare": "Panel citoyen numérique et vote en ligne sur les projets de quartier",
                  "site-rgaa": T, "taux-conformite-rgaa": 73.45, "conseil-filme": "direct",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous", "signalement-voirie", "urbanisme"],
                  "consultations-en-ligne": 10, "budget-participatif": T, "epn": T, "heures-mediation": 10,
                  "conseillers-numeriques": 2, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "jeunes", "demandeurs-emploi"],
                  "ecoles-equipees": 50, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses", "ateliers-code"],
                  "ateliers-emi": 12, "tiers-lieu": T, "fibre-ftth": 76.41, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 150, "part-logiciels-libres": 35, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web", "sig"], "mutualisation-libre": F, "jeux-donnees-ouverts": 60},
         evidence={"site-rgaa": "https://issy.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://issy.example.org/audit-rgaa.pdf",
                   "tiers-lieu": "https://issy.example.org/cite-des-entrepreneurs"},
         jury={"innovation-democratique": 4.5, "mediation-qualite": 6, "projet-educatif": 4, "contribution-communs": 2}),
    dict(id="81004", name="Albi", population=49236, region="Occitanie", department="81",
         file="google",
         answers={"referent-numerique": "Mme Nathalie Cabrol-Lefranc, adjointe",
                  "projet-phare": "Espace France Services numérique au cœur de la cité épiscopale",
                  "site-rgaa": T, "taux-conformite-rgaa": 66, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne"],
                  "consultations-en-ligne": 1, "budget-participatif": F, "epn": T, "heures-mediation": 10,
                  "conseillers-numeriques": 2, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes"],
                  "ecoles-equipees": 50, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 6, "tiers-lieu": T, "fibre-ftth": 54.64, "commerce-local": "plateforme-locale",
                  "achats-responsables": T, "reemploi-materiel": 80, "part-logiciels-libres": 50, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web", "sig"], "mutualisation-libre": T, "jeux-donnees-ouverts": 22},
         evidence={"taux-conformite-rgaa": "https://albi.example.org/audit-rgaa",
                   "tiers-lieu": "Convention de soutien au tiers-lieu, 2026"},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 6, "projet-educatif": 2.5, "contribution-communs": 2.5}),
    dict(id="17300", name="La Rochelle", population=77205, region="Nouvelle-Aquitaine", department="17",
         file="google",
         answers={"referent-numerique": "M. Gérard Bonnin, adjoint au numérique",
                  "projet-phare": "Tableau de bord public de la neutralité carbone (données ouvertes)",
                  "site-rgaa": T, "taux-conformite-rgaa": 82, "conseil-filme": "direct",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne"],
                  "consultations-en-ligne": 3, "budget-participatif": T, "epn": T, "heures-mediation": 10,
                  "conseillers-numeriques": 2, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "jeunes", "personnes-handicapees"],
                  "ecoles-equipees": 45, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "fablab"],
                  "ateliers-emi": 10, "tiers-lieu": T, "fibre-ftth": 92, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 120, "part-logiciels-libres": 30, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web", "sig", "gestion-salles"], "mutualisation-libre": T, "jeux-donnees-ouverts": 25},
         evidence={"site-rgaa": "https://larochelle.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://larochelle.example.org/audit-rgaa.pdf",
                   "tiers-lieu": "Délibération du 14 avril 2026",
                   "jeux-donnees-ouverts": "https://opendata.larochelle.example.org/"},
         jury={"innovation-democratique": 3.5, "mediation-qualite": 5, "projet-educatif": 3, "contribution-communs": 3}),
    dict(id="59009", name="Villeneuve-d'Ascq", population=62681, region="Hauts-de-France", department="59",
         file="google",
         answers={"referent-numerique": "Mme Sophie Vandamme, adjointe",
                  "projet-phare": "Fab lab municipal ouvert aux collégiens",
                  "site-rgaa": F, "taux-conformite-rgaa": 58, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous", "urbanisme"],
                  "consultations-en-ligne": 6, "budget-participatif": T, "epn": T, "heures-mediation": 30,
                  "conseillers-numeriques": 3, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes", "allophones"],
                  "ecoles-equipees": 82, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "ateliers-code", "fablab"],
                  "ateliers-emi": 14, "tiers-lieu": T, "fibre-ftth": 97, "commerce-local": "ateliers",
                  "achats-responsables": T, "reemploi-materiel": 210, "part-logiciels-libres": 62, "suite-bureautique": "libre",
                  "logiciels-metiers-libres": ["messagerie", "site-web", "sig"], "mutualisation-libre": T, "jeux-donnees-ouverts": 40},
         evidence={"taux-conformite-rgaa": "https://villeneuvedascq.example.org/audit-rgaa",
                   "tiers-lieu": "https://villeneuvedascq.example.org/fablab"},
         jury={"innovation-democratique": 3, "mediation-qualite": 8, "projet-educatif": 3.5, "contribution-communs": 3.5}),

    # ---------------- JSON dossiers ----------------
    dict(id="97411", name="Saint-Denis", population=153810, region="La Réunion", department="974",
         epci="Communauté intercommunale du Nord de La Réunion (CINOR)", file="json",
         contact={"name": "Direction de la transformation numérique", "email": "numerique@saintdenis.example.org"},
         answers={"referent-numerique": "Mme Sonia Payet, adjointe déléguée à l'inclusion numérique",
                  "projet-phare": "Bus numérique itinérant dans les quartiers des Hauts",
                  "site-rgaa": T, "taux-conformite-rgaa": 70, "conseil-filme": "direct",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne"],
                  "consultations-en-ligne": 3, "budget-participatif": F, "epn": T, "heures-mediation": 40,
                  "conseillers-numeriques": 5, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "demandeurs-emploi", "jeunes", "allophones"],
                  "ecoles-equipees": 60, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 6, "tiers-lieu": T, "fibre-ftth": 90, "commerce-local": "ateliers",
                  "achats-responsables": F, "reemploi-materiel": 180, "part-logiciels-libres": 22, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 14},
         evidence={"taux-conformite-rgaa": "https://saintdenis.example.org/audit-rgaa.pdf"},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 8, "projet-educatif": 3, "contribution-communs": 1.5}),
    dict(id="64445", name="Pau", population=75665, region="Nouvelle-Aquitaine", department="64",
         epci="Communauté d'agglomération Pau Béarn Pyrénées", file="json",
         contact={"name": "Mission ville numérique", "email": "ville-numerique@pau.example.org"},
         answers={"referent-numerique": "M. Jean-Louis Lacoste, conseiller délégué",
                  "projet-phare": "Réseau fibre municipal et Wi-Fi dans tous les équipements sportifs",
                  "site-rgaa": T, "taux-conformite-rgaa": 80, "conseil-filme": "direct-et-replay",
                  "demarches-en-ligne": ["etat-civil", "inscriptions-scolaires", "paiement-en-ligne", "prise-de-rendez-vous", "urbanisme"],
                  "consultations-en-ligne": 3, "budget-participatif": T, "epn": T, "heures-mediation": 8,
                  "conseillers-numeriques": 3, "pass-numerique": T, "wifi-public": "plusieurs-lieux",
                  "publics-accompagnes": ["seniors", "jeunes"],
                  "ecoles-equipees": 45, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne", "pret-liseuses"],
                  "ateliers-emi": 8, "tiers-lieu": T, "fibre-ftth": 80, "commerce-local": "plateforme-locale",
                  "achats-responsables": F, "reemploi-materiel": 140, "part-logiciels-libres": 35, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web", "sig"], "mutualisation-libre": T, "jeux-donnees-ouverts": 25},
         evidence={"site-rgaa": "https://pau.example.org/accessibilite",
                   "taux-conformite-rgaa": "https://pau.example.org/audit-rgaa-2026.pdf",
                   "tiers-lieu": "Délibération n° 2026-071",
                   "jeux-donnees-ouverts": "https://opendata.pau.example.org/"},
         jury={"innovation-democratique": 2.5, "mediation-qualite": 6.5, "projet-educatif": 3.5, "contribution-communs": 3}),
    dict(id="56260", name="Vannes", population=54420, region="Bretagne", department="56",
         epci="Golfe du Morbihan - Vannes agglomération", file="json",
         contact={"name": "Service systèmes d'information", "email": "dsi@vannes.example.org"},
         answers={"referent-numerique": "M. Lionel Le Floch, conseiller municipal délégué",
                  "projet-phare": "Dématérialisation des demandes d'urbanisme",
                  "site-rgaa": T, "taux-conformite-rgaa": 55, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne", "urbanisme"],
                  "consultations-en-ligne": 2, "budget-participatif": F, "epn": T, "heures-mediation": 8,
                  "conseillers-numeriques": 1, "pass-numerique": F, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors"],
                  "ecoles-equipees": 55, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 2, "tiers-lieu": T, "fibre-ftth": 88, "commerce-local": "information",
                  "achats-responsables": F, "reemploi-materiel": 20, "part-logiciels-libres": 25, "suite-bureautique": "proprietaire",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 8},
         evidence={"taux-conformite-rgaa": "https://vannes.example.org/accessibilite"},
         jury={"innovation-democratique": 2, "mediation-qualite": 5, "projet-educatif": 2.5, "contribution-communs": 1}),
    dict(id="93048", name="Montreuil", population=111367, region="Île-de-France", department="93",
         epci="Établissement public territorial Est Ensemble", file="json",
         contact={"name": "Cabinet du maire", "email": "cabinet@montreuil.example.org"},
         answers={"referent-numerique": "Mme Halima Benkhaled, adjointe",
                  "projet-phare": "Plan de médiation numérique en cours d'élaboration",
                  "site-rgaa": F, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil"],
                  "consultations-en-ligne": 1, "budget-participatif": T, "epn": F, "heures-mediation": 4,
                  "conseillers-numeriques": 0, "pass-numerique": F, "wifi-public": "aucun",
                  "publics-accompagnes": [],
                  "ecoles-equipees": 35, "ent-ecoles": F, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 2, "tiers-lieu": T, "fibre-ftth": 96, "commerce-local": "aucun",
                  "achats-responsables": F, "reemploi-materiel": 10, "part-logiciels-libres": 12, "suite-bureautique": "proprietaire",
                  "logiciels-metiers-libres": [], "mutualisation-libre": F, "jeux-donnees-ouverts": 2},
         evidence={"budget-participatif": "https://montreuil.example.org/budget-participatif"},
         jury={"innovation-democratique": 2, "mediation-qualite": 2.5, "projet-educatif": 2, "contribution-communs": 0.5}),
    dict(id="76540", name="Rouen", population=114187, region="Normandie", department="76",
         epci="Métropole Rouen Normandie", file="json",
         contact={"name": "Direction du numérique", "email": "numerique@rouen.example.org"},
         answers={"referent-numerique": "Mme Florence Lecoq, adjointe",
                  "projet-phare": "Conseils de quartier en visioconférence",
                  "site-rgaa": T, "taux-conformite-rgaa": 61, "conseil-filme": "replay",
                  "demarches-en-ligne": ["etat-civil", "paiement-en-ligne"],
                  "consultations-en-ligne": 1, "budget-participatif": T, "epn": T, "heures-mediation": 10,
                  "conseillers-numeriques": 2, "pass-numerique": T, "wifi-public": "un-lieu",
                  "publics-accompagnes": ["seniors", "jeunes"],
                  "ecoles-equipees": 50, "ent-ecoles": T, "mediatheque-numerique": ["ressources-en-ligne"],
                  "ateliers-emi": 3, "tiers-lieu": F, "fibre-ftth": 93, "commerce-local": "information",
                  "achats-responsables": F, "reemploi-materiel": 30, "part-logiciels-libres": 30, "suite-bureautique": "mixte",
                  "logiciels-metiers-libres": ["site-web"], "mutualisation-libre": F, "jeux-donnees-ouverts": 10},
         evidence={"taux-conformite-rgaa": "https://rouen.example.org/audit-rgaa"},
         jury={"innovation-democratique": 1.5, "mediation-qualite": 4, "projet-educatif": 2, "contribution-communs": 1}),
]

JURORS = [
    dict(juror="j-martin", name="Claire Martin", email="claire.martin@example.org", town_id="33449",
         region="Nouvelle-Aquitaine", conflicts=[]),
    dict(juror="j-nguyen", name="Thomas Nguyen", email="thomas.nguyen@example.org", town_id="",
         region="Île-de-France", conflicts=[]),
    dict(juror="j-lefebvre", name="Hélène Lefebvre", email="helene.lefebvre@example.org", town_id="29019",
         region="Bretagne", conflicts=[]),
    dict(juror="j-dubois", name="Jean-Baptiste Dubois", email="jb.dubois@example.org", town_id="",
         region="Occitanie", conflicts=["05061", "85113"]),
    dict(juror="j-benali", name="Yasmina Benali", email="yasmina.benali@example.org", town_id="",
         region="Auvergne-Rhône-Alpes", conflicts=[]),
    dict(juror="j-le-goff", name="Erwan Le Goff", email="erwan.le-goff@example.org", town_id="",
         region="", conflicts=[]),
]

# The one criterion/town where the jurors disagree by more than the rubric's
# "disagreement" (2): explicit marks instead of the spread-around-the-mean rule.
DISAGREEMENT = ("22113", "innovation-democratique", [1.5, 4.5],
                ["Assemblée citoyenne annoncée, mais pas encore réunie : rien à évaluer à ce stade.",
                 "Démarche très aboutie : tirage au sort, débats « en direct » suivis par 400 habitants."])

OVERRIDES = [
    dict(town_id="30003", level="@@@",
         reason="Le jury relève le niveau : le nouveau portail de démarches, ouvert le 3 février 2027 après le "
                "dépôt du dossier, a été constaté lors de l'audition du 18 mars 2027 (paiement, inscriptions "
                "scolaires, prise de rendez-vous)."),
]

COMMENTS = {  # by (criterion, rounded fraction band) -> a few French comments, picked deterministically
    "innovation-democratique": [
        "Pas de démarche participative en ligne identifiée.",
        "Démarche naissante, à structurer.",
        "Consultations régulières, mais peu de retours aux habitants.",
        "Budget participatif bien mené ; « bonne » restitution des résultats.",
        "Démarche exemplaire, \"vote en ligne\" et bornes dans les quartiers.",
    ],
    "mediation-qualite": [
        "Aucune médiation organisée par la commune.",
        "Permanences ponctuelles, public mal identifié.",
        "Dispositif correct ; horaires à élargir.",
        "Médiation solide, bien reliée aux France Services.",
        "Dispositif remarquable : itinérance, ateliers « aidants connect ».",
    ],
    "projet-educatif": [
        "Pas de projet éducatif numérique.",
        "Équipements présents, projet pédagogique absent.",
        "Projet cohérent avec l'école et la médiathèque.",
        "Bon travail avec les enseignants ; EMI dès le CM1.",
        "Projet éducatif exemplaire, à faire connaître.",
    ],
    "contribution-communs": [
        "Aucune contribution aux communs.",
        "Usage du libre sans contribution en retour.",
        "Quelques contributions (traductions, tickets).",
        "Financement de développements reversés à l'ADULLACT.",
        "Contributrice majeure aux communs : code, documentation, financement.",
    ],
}

# ---------------------------------------------------------------------------
# Rubric


def load_rubric():
    with open(RUBRIC_PATH, encoding="utf-8") as f:
        rubric = json.load(f)
    crits, order = {}, []
    for cat in rubric["categories"]:
        for c in cat["criteria"]:
            c = dict(c, category=cat["id"])
            crits[c["id"]] = c
            order.append(c["id"])
    return rubric, crits, order


RUBRIC, CRITERIA, ORDER = load_rubric()
ANSWERED = [cid for cid in ORDER if CRITERIA[cid]["kind"] != "jury"]   # dossier columns
EVIDENCE = [cid for cid in ORDER if CRITERIA[cid].get("evidence", "none") != "none"]
JURY = [cid for cid in ORDER if CRITERIA[cid]["kind"] == "jury"]


def header(with_epci):
    cols = ["town_id", "town_name", "population", "region", "department", "type"]
    if with_epci:
        cols.append("town.epci")
    for cid in ANSWERED:
        cols.append(cid)
        if cid in EVIDENCE:
            cols.append(cid + ".evidence")
    return cols


# ---------------------------------------------------------------------------
# Writing, one function per office suite


def fmt_plain(x):
    """A number as a short string with a decimal point, no exponent."""
    d = Decimal(repr(x)) if isinstance(x, float) else Decimal(x)
    s = format(d.normalize(), "f")
    return s


def group_thousands(s, sep):
    """'1234567,5' -> '1<sep>234<sep>567,5' (integer part only)."""
    if "," in s or "." in s:
        i = s.find(",") if "," in s else s.find(".")
        ip, rest = s[:i], s[i:]
    else:
        ip, rest = s, ""
    groups = []
    while len(ip) > 3:
        groups.insert(0, ip[-3:])
        ip = ip[:-3]
    groups.insert(0, ip)
    return sep.join(groups) + rest


def applies(town, cid):
    rule = CRITERIA[cid].get("applies")
    if rule is None:
        return True
    return truthy(evaluate(rule, {"town": town_attrs(town), "answers": typed_answers(town)}))


def cell(town, cid, suite):
    """The text a town's spreadsheet holds for one criterion, in the suite's habits."""
    c = CRITERIA[cid]
    v = town["answers"].get(cid)
    if v is None:
        return ""
    if v == NA:
        return town.get("na_words", {}).get(cid, {"excel": "Non concerné", "libreoffice": "n/a",
                                                   "google": "N/A"}[suite])
    kind = c["kind"]
    if kind == "yes-no":
        if suite == "excel":
            # Excel users type "oui"/"non", or tick with an "x" (even rows of the file use "x").
            if v and town.get("_tick"):
                return "x"
            return ("Oui" if v else "Non") if town.get("_caps") else ("oui" if v else "non")
        return {"libreoffice": "true" if v else "false", "google": "TRUE" if v else "FALSE"}[suite]
    if kind in ("number", "percent"):
        s = fmt_plain(v)
        if suite == "excel":
            s = group_thousands(s.replace(".", ","), NBSP)
            return s + "%" if kind == "percent" else s
        if suite == "libreoffice":
            return s.replace(".", ",")  # French-locale Calc: decimal comma (quoted by the writer)
        return s
    if kind == "choice":
        return v
    if kind == "multi":
        return "|".join(v)
    return v  # info: free text


def quote(field, sep):
    if any(ch in field for ch in (sep, '"', "\n", "\r")):
        return '"' + field.replace('"', '""') + '"'
    return field


def town_cells(town, suite, with_epci):
    pop = town["population"]
    if suite == "excel":
        # Excel formats the population with a thousands separator: a no-break space (French
        # locale) for most towns, an ordinary space where the cell was typed by hand.
        pop_s = group_thousands(str(pop), " " if town.get("_caps") else NBSP)
    else:
        pop_s = str(pop)
    row = [town["id"], town["name"], pop_s, town["region"], town["department"], "commune"]
    if with_epci:
        row.append(town.get("epci", ""))
    for cid in ANSWERED:
        row.append(cell(town, cid, suite))
        if cid in EVIDENCE:
            row.append(town.get("evidence", {}).get(cid, ""))
    return row


SUITES = {
    # suite: (separator, line ending, encoding, town.epci column)
    "excel": (";", "\r\n", "cp1252", True),
    "libreoffice": (",", "\n", "utf-8", True),
    "google": (",", "\r\n", "utf-8", False),
}


def write_csv(suite, towns):
    sep, eol, enc, epci = SUITES[suite]
    lines = [sep.join(quote(h, sep) for h in header(epci))]
    for t in towns:
        lines.append(sep.join(quote(x, sep) for x in town_cells(t, suite, epci)))
    # Line breaks inside a cell: Excel and Calc store LF (Alt+Enter / Ctrl+Enter)
    # whatever the record separator.
    text = eol.join(lines) + eol
    return text.encode(enc)


def write_json(towns):
    out = []
    for t in towns:
        town = {"id": t["id"], "name": t["name"], "population": t["population"], "region": t["region"],
                "department": t["department"], "type": "commune"}
        if t.get("epci"):
            town["epci"] = t["epci"]
        answers = {}
        for cid in ANSWERED:
            if cid in t["answers"]:
                answers[cid] = t["answers"][cid]
        d = {"format": "palmares-dossier/1", "rubric": RUBRIC["id"], "town": town, "answers": answers}
        if t.get("evidence"):
            d["evidence"] = {k: t["evidence"][k] for k in EVIDENCE if k in t["evidence"]}
        if t.get("contact"):
            d["contact"] = t["contact"]
        out.append(d)
    return (json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------
# Jurors, marks, overrides


def write_jurors():
    rows = ["juror,name,email,town_id,region,conflicts"]
    for j in JURORS:
        rows.append(",".join(quote(x, ",") for x in (j["juror"], j["name"], j["email"], j["town_id"], j["region"],
                                                     "|".join(j["conflicts"]))))
    return ("\n".join(rows) + "\n").encode("utf-8")


def assign():
    """Each town gets 2 jurors (3 for every third town): never its own town's juror, never a
    declared conflict, never one of the same region; least-loaded first, ties in file order."""
    load = {j["juror"]: 0 for j in JURORS}
    result = {}
    for k, t in enumerate(TOWNS):
        want = 3 if k % 3 == 2 else 2
        ok = [j for j in JURORS if j["town_id"] != t["id"] and t["id"] not in j["conflicts"]
              and (not j["region"] or j["region"] != t["region"])]
        ok.sort(key=lambda j: (load[j["juror"]], JURORS.index(j)))
        chosen = ok[:want]
        if len(chosen) < 2:
            raise SystemExit(f"town {t['id']}: fewer than 2 eligible jurors")
        for j in chosen:
            load[j["juror"]] += 1
        result[t["id"]] = [j["juror"] for j in sorted(chosen, key=JURORS.index)]
    return result


def spread(mean, n, scale, salt):
    """n marks on a 0.5 grid whose mean is exactly `mean`, spread at most 1 apart from it."""
    lo, hi = scale
    for d in ((0.5, 1, 0)[salt % 3], 0.5, 0):
        marks = [mean - d, mean + d] if n == 2 else [mean - d, mean, mean + d]
        if all(lo <= m <= hi for m in marks):
            break
    # Rotate so that the harsher mark is not always the first juror's.
    r = salt % n
    return marks[r:] + marks[:r]


def fmt_mark(m):
    s = fmt_plain(m)
    return s.replace(".", ",")  # jurors type decimal commas; the writer quotes them


def make_marks(assignment):
    rows = []  # (juror, town_id, criterion, mark, comment)
    for k, t in enumerate(TOWNS):
        jurors = assignment[t["id"]]
        for ci, cid in enumerate(JURY):
            if not applies(t, cid):
                continue
            scale = CRITERIA[cid]["scale"]
            special = (t["id"], cid) == DISAGREEMENT[:2]
            if special:
                marks = DISAGREEMENT[2]
            else:
                marks = spread(t["jury"][cid], len(jurors), scale, k + 2 * ci)
            if len(marks) != len(jurors):
                raise SystemExit(f"{t['id']} {cid}: {len(marks)} marks for {len(jurors)} jurors")
            for ji, (j, m) in enumerate(zip(jurors, marks)):
                frac = (m - scale[0]) / (scale[1] - scale[0])
                band = min(4, int(frac * 5))
                comment = COMMENTS[cid][band] if (k + ji + ci) % 3 != 1 else ""
                if special:
                    comment = DISAGREEMENT[3][ji]
                rows.append((j, t["id"], cid, m, comment))
    # Jurors return their sheets one after the other: group by juror, in juror order.
    order = [j["juror"] for j in JURORS]
    rows.sort(key=lambda r: (order.index(r[0]), TOWNS.index(town_by_id(r[1])), JURY.index(r[2])))
    return rows


def write_marks(rows):
    lines = ["juror,town_id,criterion,mark,comment"]
    for j, tid, cid, m, comment in rows:
        lines.append(",".join(quote(x, ",") for x in (j, tid, cid, fmt_mark(m), comment)))
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_overrides():
    lines = ["town_id,level,reason"]
    for o in OVERRIDES:
        lines.append(",".join(quote(x, ",") for x in (o["town_id"], o["level"], o["reason"])))
    return ("\n".join(lines) + "\n").encode("utf-8")


def town_by_id(tid):
    for t in TOWNS:
        if t["id"] == tid:
            return t
    raise KeyError(tid)


# ---------------------------------------------------------------------------
# Reading back (SPEC §3.2), independently of the writers above


NA_READ = {"n/a", "na", "sans objet", "non concerne"}
YES = {"true", "yes", "oui", "vrai", "1", "x"}
NO = {"false", "no", "non", "faux", "0"}


def fold(s):
    s = unicodedata.normalize("NFD", s.strip().lower())
    return "".join(ch for ch in s if unicodedata.category(ch) != "Mn")


def read_number(s, percent):
    t = s.strip()
    if percent and t.endswith("%"):
        t = t[:-1].rstrip()
    for sp in (" ", "\u00a0", "\u202f"):
        t = t.replace(sp, "")
    t = t.replace(",", ".")
    try:
        v = float(t)
    except ValueError:
        return None
    if t.count(".") > 1 or not all(ch.isdigit() or ch in ".-" for ch in t):
        return None
    return v


def read_csv(path):
    """Returns (records, problems): records are (line, {column: text})."""
    raw = open(path, "rb").read()
    problems = []
    try:
        text = raw.decode("utf-8")
        if text.startswith("\ufeff"):
            text = text[1:]
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
        encoding = "cp1252"
    first = text.split("\n", 1)[0].split("\r", 1)[0]
    sep = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True)
    rows = []
    line = 1
    starts = []
    for row in reader:
        starts.append(line)
        line = reader.line_num + 1
        rows.append(row)
    head, body = rows[0], rows[1:]
    records = []
    for start, row in zip(starts[1:], body):
        if len(row) != len(head):
            problems.append(f"{path}:{start}: {len(row)} fields, header has {len(head)}")
            continue
        records.append((start, dict(zip(head, row))))
    eol = "CRLF" if "\r\n" in text else ("CR" if "\r" in text else "LF")
    return records, problems, dict(encoding=encoding, separator=sep, eol=eol, header=head)


def parse_answer(cid, text, problems, where):
    c = CRITERIA[cid]
    t = text.strip()
    if t == "":
        return None
    if fold(t) in NA_READ:
        if not c.get("allow_na"):
            problems.append(f'{where}, column "{cid}": "n/a" on a criterion without allow_na')
        return NA
    kind = c["kind"]
    if kind == "yes-no":
        f = fold(t)
        if f in YES:
            return True
        if f in NO:
            return False
        problems.append(f'{where}, column "{cid}": expected yes or no, found "{t}"')
        return None
    if kind in ("number", "percent"):
        v = read_number(t, kind == "percent")
        if v is None or v < 0 or (kind == "percent" and v > 100):
            problems.append(f'{where}, column "{cid}": expected a number, found "{t}"')
            return None
        return v
    if kind == "choice":
        ids = {o.lower(): o for o in c["options"]}
        if t.lower() not in ids:
            problems.append(f'{where}, column "{cid}": unknown option "{t}"')
            return None
        return ids[t.lower()]
    if kind == "multi":
        ids = {o.lower(): o for o in c["options"]}
        out = []
        for part in t.split("|"):
            p = part.strip().lower()
            if p not in ids:
                problems.append(f'{where}, column "{cid}": unknown option "{part}"')
                continue
            out.append(ids[p])
        return out
    if kind == "info":
        return text
    problems.append(f'{where}, column "{cid}": a {kind} criterion cannot be answered')
    return None


def read_dossiers_csv(path):
    records, problems, info = read_csv(path)
    known = {"town_id", "town_name", "population", "region", "department", "type"}
    known |= set(ANSWERED) | {c + ".evidence" for c in EVIDENCE}
    for h in info["header"]:
        if h not in known and not h.startswith("town."):
            problems.append(f"{path}: unknown column {h!r}")
    missing = [c for c in ANSWERED if c not in info["header"]]
    if missing:
        problems.append(f"{path}: no column for {missing}")
    dossiers = []
    for line, rec in records:
        where = f"{path}:{line}: town {rec['town_id']}"
        pop = read_number(rec["population"], False) if rec.get("population", "").strip() else None
        town = {"id": rec["town_id"], "name": rec["town_name"], "population": pop,
                "region": rec.get("region", ""), "department": rec.get("department", ""), "type": rec.get("type", "")}
        for h, v in rec.items():
            if h.startswith("town."):
                town[h[5:]] = v
        answers = {}
        for cid in ANSWERED:
            if cid in rec:
                v = parse_answer(cid, rec[cid], problems, where)
                if v is not None:
                    answers[cid] = v
        evidence = {c: rec[c + ".evidence"] for c in EVIDENCE if rec.get(c + ".evidence", "").strip()}
        dossiers.append(dict(town=town, answers=answers, evidence=evidence, source=f"{os.path.basename(path)}:{line}"))
    return dossiers, problems, info


def read_dossiers_json(path):
    problems = []
    with open(path, encoding="utf-8") as f:
        docs = json.load(f)
    dossiers = []
    for k, d in enumerate(docs):
        where = f"{path}: [{k}] town {d['town']['id']}"
        if d.get("format", "palmares-dossier/1") != "palmares-dossier/1" or d.get("rubric", RUBRIC["id"]) != RUBRIC["id"]:
            problems.append(f"{where}: format or rubric mismatch")
        answers = {}
        for cid, v in d.get("answers", {}).items():
            c = CRITERIA.get(cid)
            if c is None or c["kind"] == "jury":
                problems.append(f"{where}: answer to {cid!r}, not an answerable criterion")
                continue
            if v is None:
                continue
            if v == NA:
                if not c.get("allow_na"):
                    problems.append(f"{where}: n/a on {cid}")
                answers[cid] = NA
                continue
            kind = c["kind"]
            ok = {"yes-no": isinstance(v, bool),
                  "number": isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0,
                  "percent": isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100,
                  "choice": isinstance(v, str) and v.lower() in {o.lower() for o in c.get("options", {})},
                  "multi": isinstance(v, list) and all(isinstance(x, str) and x.lower() in {o.lower() for o in c["options"]} for x in v),
                  "info": isinstance(v, str)}[kind]
            if not ok:
                problems.append(f"{where}: bad answer {v!r} for {cid}")
            answers[cid] = v
        for cid in d.get("evidence", {}):
            if cid not in EVIDENCE:
                problems.append(f"{where}: evidence for {cid}, which takes none")
        town = dict(d["town"])
        dossiers.append(dict(town=town, answers=answers, evidence=d.get("evidence", {}),
                             source=f"{os.path.basename(path)}[{k}]"))
    return dossiers, problems


def read_marks(path):
    records, problems, info = read_csv(path)
    marks = []
    seen = set()
    for line, rec in records:
        cid = rec["criterion"]
        c = CRITERIA.get(cid)
        if c is None or c["kind"] != "jury":
            problems.append(f"{path}:{line}: {cid!r} is not a jury criterion")
            continue
        if rec["mark"].strip() == "":
            continue
        m = read_number(rec["mark"], False)
        lo, hi = c["scale"]
        if m is None or not lo <= m <= hi:
            problems.append(f"{path}:{line}: mark {rec['mark']!r} outside {c['scale']}")
            continue
        key = (rec["juror"], rec["town_id"], cid)
        if key in seen:
            problems.append(f"{path}:{line}: {key} marked twice")
        seen.add(key)
        marks.append(dict(juror=rec["juror"], town=rec["town_id"], criterion=cid, mark=m, comment=rec["comment"]))
    return marks, problems


# ---------------------------------------------------------------------------
# Reference scoring (SPEC §4), with a JsonLogic evaluator for the operators the
# rubric uses (var, comparisons, and/or/!/!!, ==/!=, in, arithmetic).


def truthy(v):
    if isinstance(v, list):
        return len(v) > 0
    return v not in (None, False, 0, 0.0, "")


def to_num(v):
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if v is None:
        return 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        try:
            return float(v.strip()) if v.strip() else 0.0
        except ValueError:
            return float("nan")
    return float("nan")


def loose_eq(a, b):
    if type(a) is type(b) or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                              and not isinstance(a, bool) and not isinstance(b, bool)):
        return a == b
    if a is None or b is None:
        return a is None and b is None
    return to_num(a) == to_num(b)


def evaluate(rule, data):
    if isinstance(rule, list):
        return [evaluate(r, data) for r in rule]
    if not isinstance(rule, dict):
        return rule
    (op, args), = rule.items()
    if op == "var":
        path = args[0] if isinstance(args, list) else args
        default = args[1] if isinstance(args, list) and len(args) > 1 else None
        cur = data
        for seg in str(path).split(".") if path != "" else []:
            if isinstance(cur, dict) and seg in cur:
                cur = cur[seg]
            else:
                return default
        return cur
    if not isinstance(args, list):
        args = [args]
    if op == "and":
        v = None
        for a in args:
            v = evaluate(a, data)
            if not truthy(v):
                return v
        return v
    if op == "or":
        v = None
        for a in args:
            v = evaluate(a, data)
            if truthy(v):
                return v
        return v
    vals = [evaluate(a, data) for a in args]
    if op == "!":
        return not truthy(vals[0])
    if op == "!!":
        return truthy(vals[0])
    if op == "==":
        return loose_eq(vals[0], vals[1])
    if op == "!=":
        return not loose_eq(vals[0], vals[1])
    if op in (">", ">=", "<", "<="):
        nums = [to_num(v) for v in vals]
        cmp = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
               "<": lambda a, b: a < b, "<=": lambda a, b: a <= b}[op]
        return all(cmp(nums[i], nums[i + 1]) for i in range(len(nums) - 1))
    if op == "in":
        return vals[0] in vals[1] if isinstance(vals[1], (list, str)) else False
    if op == "+":
        return sum(to_num(v) for v in vals)
    raise ValueError(f"operator {op} not implemented in the reference scorer")


def round2(x):
    return float(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def town_attrs(t):
    a = {"id": t["id"], "name": t["name"], "population": t["population"], "region": t["region"],
         "department": t["department"], "type": "commune"}
    if t.get("epci"):
        a["epci"] = t["epci"]
    return a


def typed_answers(t):
    return {cid: t["answers"].get(cid) for cid in ANSWERED}


def fraction(c, answer, evidence_given, marks):
    kind = c["kind"]
    notes = []
    if kind == "jury":
        if not marks:
            return 0.0, notes
        lo, hi = c["scale"]
        agg = sum(marks) / len(marks)
        return (agg - lo) / (hi - lo), notes
    if answer is None:
        notes.append("unanswered")
        return 0.0, notes
    if c.get("evidence") == "required" and not evidence_given:
        notes.append("required evidence missing")
        return 0.0, notes
    if kind == "yes-no":
        return (1.0 if answer else 0.0), notes
    if kind == "number":
        f = 0.0
        for thr, fr in c["steps"]:
            if answer >= thr:
                f = fr
        return float(f), notes
    if kind == "percent":
        return answer / 100.0, notes
    if kind == "choice":
        return float(c["options"][answer]), notes
    if kind == "multi":
        return min(1.0, float(sum(c["options"][o] for o in answer))), notes
    raise ValueError(kind)


def score(dossier, marks_by):
    town = dossier["town"]
    answers = {cid: dossier["answers"].get(cid) for cid in ANSWERED}
    base = {"town": town, "answers": answers}
    crit_res, cat_res = {}, {}
    pending = False
    notes = []
    for cat in RUBRIC["categories"]:
        P = A = E = 0.0
        rows = []
        for c0 in cat["criteria"]:
            c = CRITERIA[c0["id"]]
            if c["kind"] == "info":
                continue
            ans = answers.get(c["id"]) if c["kind"] != "jury" else None
            app = True
            if "applies" in c and not truthy(evaluate(c["applies"], base)):
                app = False
            if ans == NA:
                app = False
            P += c["points"]
            fr = 0.0
            if app:
                ms = marks_by.get((town["id"], c["id"]), [])
                if c["kind"] == "jury" and len(ms) < RUBRIC.get("jury", {}).get("min_marks", 1):
                    pending = True
                fr, n = fraction(c, ans, bool(dossier["evidence"].get(c["id"], "").strip()), ms)
                notes += [f"{c['id']}: {x}" for x in n]
                A += c["points"]
                E += c["points"] * fr
            rows.append((c, app, fr))
        if cat.get("not_applicable", "redistribute") == "exclude":
            pts, mx = E, A
            for c, app, fr in rows:
                m = c["points"] if app else 0.0
                crit_res[c["id"]] = {"fraction": fr, "points": m * fr, "max": m, "applicable": app}
        else:
            pts, mx = (P * E / A, P) if A > 0 else (0.0, 0.0)
            for c, app, fr in rows:
                m = c["points"] * P / A if (app and A > 0) else 0.0
                crit_res[c["id"]] = {"fraction": fr, "points": m * fr, "max": m, "applicable": app}
        cat_res[cat["id"]] = {"points": pts, "max": mx, "percent": 100 * pts / mx if mx else 0.0}
    tp = sum(v["points"] for v in cat_res.values())
    tm = sum(v["max"] for v in cat_res.values())
    total = {"points": tp, "max": tm, "percent": 100 * tp / tm if tm else 0.0}
    data = dict(base, criteria=crit_res, categories=cat_res, total=total)
    pct = round2(total["percent"])
    level = 0
    unmet = []
    for i, lv in enumerate(RUBRIC["levels"], 1):
        ok_req = "requires" not in lv or truthy(evaluate(lv["requires"], data))
        if not ok_req:
            unmet.append(i)
        if level == i - 1 and pct >= lv["min_percent"] and ok_req:
            level = i
    # §4.9: the levels up to and including the next one whose requires rule is not met
    # (none at the top level).
    nxt = level + 1
    unmet = [i for i in unmet if i <= nxt] if nxt <= len(RUBRIC["levels"]) else []
    return dict(data=data, percent=pct, raw_percent=total["percent"], level=level, pending=pending,
                unmet=unmet, notes=notes)


def mentions_for(data, level):
    out = []
    for m in RUBRIC.get("mentions", []):
        if level >= m.get("min_level", 1) and truthy(evaluate(m["when"], dict(data, level=level))):
            out.append(m["id"])
    return out


# ---------------------------------------------------------------------------


def build():
    by_file = {s: [t for t in TOWNS if t["file"] == s] for s in ("excel", "libreoffice", "google", "json")}
    # Vary the spelling habits inside the Excel file: every third row ticks yes-no
    # columns with "x", every fourth capitalises "Oui"/"Non".
    for k, t in enumerate(by_file["excel"]):
        t["_tick"] = (k % 3 == 1)
        t["_caps"] = (k % 4 == 3)
    assignment = assign()
    marks = make_marks(assignment)
    files = {
        "dossiers-excel.csv": write_csv("excel", by_file["excel"]),
        "dossiers-libreoffice.csv": write_csv("libreoffice", by_file["libreoffice"]),
        "dossiers-google.csv": write_csv("google", by_file["google"]),
        "dossiers.json": write_json(by_file["json"]),
        "jurors.csv": write_jurors(),
        "marks.csv": write_marks(marks),
        "overrides.csv": write_overrides(),
    }
    return files, assignment


def verify(dirpath, assignment):
    """Reads the written files back and scores the campaign; returns (expected.csv bytes, report lines)."""
    problems = []
    dossiers = []
    infos = {}
    for name in ("dossiers-excel.csv", "dossiers-libreoffice.csv", "dossiers-google.csv"):
        d, p, info = read_dossiers_csv(os.path.join(dirpath, name))
        dossiers += d
        problems += p
        infos[name] = info
    d, p = read_dossiers_json(os.path.join(dirpath, "dossiers.json"))
    dossiers += d
    problems += p
    # Dialects are what the README promises.
    expect = {"dossiers-excel.csv": ("cp1252", ";", "CRLF"), "dossiers-libreoffice.csv": ("utf-8", ",", "LF"),
              "dossiers-google.csv": ("utf-8", ",", "CRLF")}
    for name, (enc, sep, eol) in expect.items():
        i = infos[name]
        if (i["encoding"], i["separator"], i["eol"]) != (enc, sep, eol):
            problems.append(f"{name}: read as {i['encoding']}/{i['separator']!r}/{i['eol']}, meant {enc}/{sep!r}/{eol}")
    # Town ids unique across all files.
    ids = [x["town"]["id"] for x in dossiers]
    if len(set(ids)) != len(ids) or len(ids) != len(TOWNS):
        problems.append(f"town ids not unique or towns lost: {len(ids)} read, {len(set(ids))} distinct, {len(TOWNS)} meant")
    # What was read is what was meant (round trip through each dialect).
    for x in dossiers:
        t = town_by_id(x["town"]["id"])
        if x["town"]["name"] != t["name"] or x["town"]["population"] != t["population"]:
            problems.append(f"{x['source']}: town read as {x['town']['name']!r} {x['town']['population']!r}")
        for cid in ANSWERED:
            meant = t["answers"].get(cid)
            got = x["answers"].get(cid)
            if isinstance(meant, list) and meant == [] and got is None and t["file"] != "json":
                continue  # an empty set cannot be written in a CSV cell: it reads as unanswered
            if meant != got and not (isinstance(meant, (int, float)) and isinstance(got, float) and float(meant) == got):
                problems.append(f"{x['source']}: {cid}: meant {meant!r}, read {got!r}")
            if meant is not None and not applies(t, cid):
                problems.append(f"{x['source']}: {cid} answered but does not apply (the engine warns)")
        if x["evidence"] != {k: v for k, v in t.get("evidence", {}).items()}:
            problems.append(f"{x['source']}: evidence read as {x['evidence']!r}")
    # Marks.
    marks, p = read_marks(os.path.join(dirpath, "marks.csv"))
    problems += p
    jurors = {j["juror"]: j for j in JURORS}
    marks_by = {}
    for m in marks:
        t = town_by_id(m["town"])
        j = jurors[m["juror"]]
        if j["town_id"] == t["id"] or t["id"] in j["conflicts"]:
            problems.append(f"marks: {m['juror']} marks {t['id']}, their own town or a conflict")
        if m["juror"] not in assignment[t["id"]]:
            problems.append(f"marks: {m['juror']} not assigned to {t['id']}")
        marks_by.setdefault((m["town"], m["criterion"]), []).append(m["mark"])
    disagreements = []
    for (tid, cid), ms in sorted(marks_by.items()):
        if not 2 <= len(ms) <= 3:
            problems.append(f"marks: {tid} {cid} has {len(ms)} marks")
        if max(ms) - min(ms) > RUBRIC["jury"]["disagreement"]:
            disagreements.append((tid, cid, ms))
    if [(a, b) for a, b, _ in disagreements] != [DISAGREEMENT[:2]]:
        problems.append(f"marks: disagreements {disagreements}, meant only {DISAGREEMENT[:2]}")
    for t in TOWNS:
        for cid in JURY:
            if applies(t, cid) and (t["id"], cid) not in marks_by:
                problems.append(f"marks: {t['id']} has no mark on {cid}")
    # Score.
    overrides = {o["town_id"]: o for o in OVERRIDES}
    names = [lv["name"] for lv in RUBRIC["levels"]]
    rows = []
    results = {}
    for x in dossiers:
        r = score(x, marks_by)
        if r["pending"]:
            problems.append(f"{x['source']}: pending")
        final = r["level"]
        o = overrides.get(x["town"]["id"])
        if o:
            final = names.index(o["level"]) + 1 if o["level"] in names else int(o["level"])
        ments = mentions_for(r["data"], final)
        results[x["town"]["id"]] = (r, final, ments)
        rows.append((x, r, final, ments))
    for tid in overrides:
        if tid not in results:
            problems.append(f"overrides: unknown town {tid}")
    # Expected results, in input order (the order of the command in README.md:
    # dossiers-excel.csv, dossiers-google.csv, dossiers-libreoffice.csv, dossiers.json).
    order = {"dossiers-excel.csv": 0, "dossiers-google.csv": 1, "dossiers-libreoffice.csv": 2, "dossiers.json": 3}
    rows.sort(key=lambda row: (order[row[0]["source"].split(":")[0].split("[")[0]], ids.index(row[0]["town"]["id"])))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["town_id", "town_name", "source", "percent", "computed_level", "level", "level_name", "mentions",
                "unmet_requires"] + [f"{c['id']}.percent" for c in RUBRIC["categories"]])
    for x, r, final, ments in rows:
        w.writerow([x["town"]["id"], x["town"]["name"], x["source"], f"{r['percent']:.2f}", r["level"], final,
                    names[final - 1] if final else "", "|".join(ments), "|".join(map(str, r["unmet"]))]
                   + [f"{round2(r['data']['categories'][c['id']]['percent']):.2f}" for c in RUBRIC["categories"]])
    # Campaign properties the sample is meant to show.
    finals = [final for _, _, final, _ in rows]
    computed = [r["level"] for _, r, _, _ in rows]
    for lv in range(len(names) + 1):
        if lv not in finals or lv not in computed:
            problems.append(f"no dossier at level {lv} (computed {sorted(computed)}, final {sorted(finals)})")
    near = {  # town -> (threshold, side): dossiers that sit right on a level threshold
        "09122": (35, "below"), "46256": (35, "at"), "92040": (75, "at"), "21231": (75, "below"),
        "81004": (65, "below"),
    }
    for tid, (thr, side) in near.items():
        r = results[tid][0]
        if side == "below" and not (thr - 0.05 <= r["percent"] < thr):
            problems.append(f"{tid}: {r['percent']} should sit just below {thr}")
        if side == "at" and not (r["percent"] == thr and r["raw_percent"] < thr):
            problems.append(f"{tid}: {r['raw_percent']} should round up to exactly {thr}")
    report = []
    for x, r, final, ments in rows:
        cats = " ".join(f"{r['data']['categories'][c['id']]['percent']:5.1f}" for c in RUBRIC["categories"])
        report.append(f"{x['town']['id']:>6} {x['town']['name'][:22]:22} {r['percent']:6.2f} "
                      f"L{r['level']}{'->' + str(final) if final != r['level'] else '   '} [{cats}] "
                      f"{','.join(m[:8] for m in ments):26} unmet={r['unmet']}")
    return out.getvalue().encode("utf-8"), report, problems


def main(argv):
    check = "--check" in argv[1:]
    files, assignment = build()
    if check:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            for name, data in files.items():
                with open(os.path.join(tmp, name), "wb") as f:
                    f.write(data)
            expected, report, problems = verify(tmp, assignment)
        files["expected.csv"] = expected
        stale = []
        for name, data in files.items():
            try:
                with open(os.path.join(HERE, name), "rb") as f:
                    if f.read() != data:
                        stale.append(name)
            except OSError:
                stale.append(name)
        for p in problems:
            print("problem:", p)
        if stale:
            print("out of date (run examples/make_examples.py):", ", ".join(stale))
        return 1 if stale or problems else 0
    for name, data in files.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    expected, report, problems = verify(HERE, assignment)
    with open(os.path.join(HERE, "expected.csv"), "wb") as f:
        f.write(expected)
    for line in report:
        print(line)
    for p in problems:
        print("problem:", p)
    print(f"{len(TOWNS)} towns, {sum(1 for _ in open(os.path.join(HERE, 'marks.csv'), encoding='utf-8')) - 1} marks; "
          + ("OK" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
