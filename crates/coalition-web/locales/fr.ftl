# Toutes les chaînes des pages web, en français. en.ftl contient les mêmes identifiants.

## Cadre
skip-to-content = Aller au contenu
banner-label = Marquage d'ensemble de cette page
nav-label = Rubriques
language-label = Langue
signed-in-as = Connecté : { $principal }
sign-out = Se déconnecter
sign-in = Se connecter
as-at = au { $at }

## Erreurs
error-not-found = Introuvable
error-not-found-detail = Cette page n'existe pas, ou rien ici ne vous est lisible.
error-forbidden = Non autorisé
error-other-coalition = Vous êtes connecté pour { $coalition }. Déconnectez-vous puis connectez-vous avec un jeton de cette coalition.
error-forgery = Ce formulaire ne vient pas de votre session sur ce site. Rechargez la page et recommencez.
error-bad-request = La demande n'a pas pu être prise en compte
error-internal = Une erreur est survenue
error-internal-detail = Le serveur n'a pas pu répondre ; son journal en donne la raison.
error-unavailable = Le registre est injoignable
error-unavailable-detail = Rien n'a été écrit. Réessayez dans quelques secondes.
error-home = Retour à la page d'accueil

## Connexion
sign-in-title = Connexion
sign-in-intro = Connectez-vous avec le jeton que votre secrétariat vous a remis (coalition token issue). Le jeton reste dans la mémoire de ce serveur pendant la session ; la déconnexion y met fin.
sign-in-token = Jeton
sign-in-token-help = Il commence par coalition_. Collez-le en entier.
sign-in-token-missing = Saisissez votre jeton.
sign-in-token-invalid = Ce jeton est inconnu, révoqué ou expiré.

## Accueil et face publique
home-title = Coalitions
home-intro = Le registre des garanties de sécurité que donnent ces coalitions. Leur face publique est lisible par tous.
home-public = Face publique
home-sign-in = Connectez-vous pour voir ce que votre habilitation permet.
public-intro = Ce que le secret militaire nous permet de dire : les garanties données à { $protected }, telles que le registre les tient.
public-members = Membres
public-member-count = { $n ->
    [one] Un membre a rendu son siège public.
   *[other] { $shown } membres ont rendu leur siège public.
}
public-statements = Déclarations adoptées
public-no-statements = Aucune déclaration n'a encore été adoptée.
statement-version-adopted = Version { $version }, telle qu'adoptée
public-communiques = Communiqués
public-figures = Chiffres publiés
public-no-figures = Aucun chiffre n'a été publié.
public-figures-caption = Chiffres que la coalition a décidé de publier
public-figure = Ce qu'il compte
public-value = Valeur
public-checkpoint = Le registre, vérifié
public-checkpoint-size = Le journal public compte { $size } entrées ; son dernier point de contrôle, signé avec la clé de journal de la coalition :
public-verify = Chacun peut vérifier, sans notre serveur, que le registre public n'a jamais été réécrit :

## Navigation
nav-dashboard = Tableau de bord
nav-commitments = Engagements
nav-incidents = Incidents
nav-statements = Déclarations
nav-parties = Qui a fait quoi
nav-support = Soutien
nav-due = Échéances
nav-record = Registre
nav-public = Face publique

## Sièges
role-protected-state = État protégé
role-member = Membres
role-partner = Partenaires
role-observer = Observateurs

## Mois
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Forces, statuts, types
strength-guarantee = garantie
strength-political-commitment = engagement politique
strength-assurance = assurance
status-proposed = proposé
status-signed = signé
status-ratified = ratifié
status-dormant = en sommeil
status-in-force = en vigueur
status-lapsed = échu
status-terminated = terminé
status-withdrawn = retiré
obligation-open = ouverte
obligation-overdue = en retard
obligation-fulfilled = remplie
obligation-fulfilled-late = remplie en retard
obligation-waived = levée
obligation-disputed = contestée
obligation-cancelled = annulée
response-consult = consulter
response-deliver = livrer
response-deploy = déployer
response-sanction = sanctionner
response-share-intelligence = partager le renseignement
response-diplomatic = action diplomatique
discretion-automatic = automatique
discretion-as-deemed-necessary = selon ce qu'il juge nécessaire
discretion-intends-to = a l'intention de
incident-reported = signalé
incident-provisionally-triggered = déclenché à titre provisoire
incident-verified = vérifié
incident-rejected = rejeté
incident-merged = fusionné
kind-armed-attack = agression armée
kind-threat-of-attack = menace d'agression
kind-ceasefire-breach = violation du cessez-le-feu
kind-airspace-violation = violation de l'espace aérien
kind-drone-incursion = incursion de drones
kind-cyber-attack = cyberattaque
kind-hybrid-attack = attaque hybride
category-military-capabilities = capacités militaires
category-intelligence = renseignement
category-logistical-support = soutien logistique
category-diplomatic-initiatives = initiatives diplomatiques
category-sanctions = sanctions
category-financial = soutien financier
category-training = formation
category-defence-industrial = industrie de défense
category-force-land = force terrestre
category-force-sea = force navale
category-force-air = force aérienne
category-consultation = consultation

## Graphiques et tableaux
chart-table = Les mêmes chiffres en tableau
chart-not-covered = non couvert
csv-download = Télécharger ce tableau en CSV
heatmap-title = Ce que chaque garant a promis
heatmap-desc = Une ligne par garant, une colonne par catégorie ; la couleur est l'engagement le plus fort qui compte encore, le nombre celui des engagements.
heatmap-axes = Garants (lignes) × catégories (colonnes)
heatmap-caption = Engagement le plus fort par garant et par catégorie (nombre d'engagements)
timeline-title = Couverture année par année
timeline-desc = Une ligne par catégorie ; une barre pour chaque année couverte, colorée selon la couverture la plus forte en vigueur à cet anniversaire ; les lacunes sont vides ; les assurances sans délai sont entourées de tirets.
timeline-axis = Années à partir d'aujourd'hui (chaque anniversaire)
timeline-caption = Couverture la plus forte en vigueur par catégorie à chaque anniversaire
coverage-gaps = Aucune garantie en vigueur aujourd'hui pour : { $categories }
col-category = Catégorie
col-guarantor = Garant
col-marking = Marquage
col-obligation = Obligation
col-kind = Dû
col-deadline = Échéance
col-status = Statut
col-recorded = Enregistré
col-actor = Par
col-event = Événement

## Tableau de bord
dashboard-title = Tableau de bord
dashboard-seats = Qui siège où
dashboard-obligations = Obligations ouvertes
dashboard-recent = Dernières entrées de votre journal
dashboard-whole-record = Tout le registre
obligations-caption = Obligations ouvertes, celles en retard d'abord, puis les plus proches
obligations-none = Aucune obligation n'est ouverte.
entries-caption = Entrées du journal qui vous sont lisibles, les plus récentes d'abord
span-days = { $n ->
    [one] un jour
   *[other] { $shown } jours
}
span-hours = { $time }
deadline-left = encore { $span }
deadline-late = { $span } de retard
deadline-awaiting-request = sur demande
deadline-none = sans délai

## Colonnes
col-approvals = Approbations
col-commitment = Engagement
col-confirmations = Confirmations
col-hash = Empreinte
col-incident = Incident
col-meeting = Donnée à
col-occurred = Survenu
col-parties = Agresseur → cible
col-party = Partie
col-role = Rôle
col-runs-until = Court jusqu'au
col-statement = Déclaration
col-strength = Force
col-version = Version
col-when = Quand

## Formulaires
form-required = Obligatoire.
form-choice-invalid = « { $text } » ne fait pas partie des choix.
form-day-invalid = « { $text } » n'est pas une date : attendu AAAA-MM-JJ.
form-party-invalid = « { $text } » n'est pas un code de partie : attendu trois majuscules comme FRA, ou une organisation comme EU.
form-time-invalid = « { $text } » n'est pas une heure : attendu AAAA-MM-JJTHH:MM (UTC), par exemple 2026-11-20T03:40.
form-report-required = Dites ce qui a été fait, ou pourquoi.
filters-label = Filtres
filter-any = tous
filter-apply = Afficher
filter-on = Le monde tel qu'il était le

## Engagements
commitments-title = Engagements
commitments-caption = Les engagements qui vous sont lisibles, avec leur statut et leur force
commitments-count = { $n ->
    [one] Un engagement.
   *[other] { $shown } engagements.
}
commitments-back = Tous les engagements
commitment-protected = Protégé
commitment-instrument = Instrument
commitment-unilateral = aucun (engagement unilatéral)
commitment-trigger = Déclenché par
commitment-discretion = Latitude
commitment-responses = Réponses et leurs délais
commitment-from = Premier jour
commitment-until = Dernier jour
commitment-withdrawn = Retiré parce que
commitment-support = Soutien
commitment-support-caption = Promis, alloué et livré
commitment-no-amount = pas de montant indiqué
commitment-history = Historique dans votre journal
support-committed = Promis
support-allocated = Alloué
support-delivered = Livré

## Incidents
incidents-title = Incidents
incidents-caption = Les incidents qui vous sont lisibles
incidents-none = Aucun incident n'a été signalé.
incident-report-title = Signaler un incident
incident-report-submit = Signaler
incident-field-aggressor = Agresseur (code de partie)
incident-field-target = Cible (code de partie)
incident-field-kind = Ce qui s'est passé
incident-field-at = Quand (UTC)
incident-field-at-help = AAAA-MM-JJTHH:MM, en UTC.
incident-field-location = Où
incident-field-description = Description
incident-field-classification = Classification
incident-field-releasable = Communicable seulement à
incident-field-releasable-help = Codes de partie séparés par des virgules ; vide : toute la coalition.
incident-reported-by = Signalé par
incident-verification = Vérification
incident-rule = Vérifié par { $rule }.
incident-verified-note = Vérifié : la règle est satisfaite.
incident-need-monitor = le mécanisme de surveillance a confirmé
incident-need-secretariat = le secrétariat a confirmé
incident-need-members = membres confirmant avec le secrétariat (il en faut { $n })
incident-confirmations = Confirmations à ce jour
incident-confirm = Confirmer cet incident
incident-obligations = Obligations ouvertes par l'incident
incident-no-obligations = Aucune obligation qui vous soit lisible n'a été ouverte.
settle-title = Enregistrer ce qui a été fait
settle-label = Régler { $obligation }
settle-fulfil = remplie
settle-waive = levée
settle-dispute = contestée
settle-report = Rapport, note ou motif
settle-submit = Enregistrer

## Déclarations
statements-title = Déclarations
statements-caption = Les déclarations, leur statut et les approbations de leur dernière version
statement-draft = projet
statement-adopted = adoptée le { $when }
statement-rule = Règle d'adoption
statement-versions = Versions
statement-text = Texte de la version { $version }
statement-unverified = Les paragraphes de cette version ne correspondent pas à son empreinte.
statement-approvals = Approbations
statement-progress = Approbations de la dernière version
statement-missing = Manquent encore : { $parties }
statement-standings-caption = Où en est chaque signataire requis
statement-diff = Comparer deux versions
rule-unanimity = chaque signataire requis approuve la dernière version
rule-quorum = au moins { $k } signataires requis approuvent la dernière version
rule-silence = adoptée le { $deadline } sauf objection d'un signataire requis avant cette date
standing-approved = approuvée le { $when }
standing-approved-short = approuvée
standing-older = n'a approuvé que la version { $version }
standing-objected = objection
standing-pending = pas encore approuvée
standing-silent = silence
approve-title = Approuver la version { $version }
approve-bytes = Les 32 octets exacts à signer (hexadécimal) :
approve-command = Signez-les sur votre propre machine avec votre fichier de clé, qui ne la quitte jamais :
approve-signature = Signature (telle que coalition key sign l'affiche)
approve-signature-invalid = Attendu la base64 de 64 octets, telle que coalition key sign l'affiche.
approve-meeting = Donnée à
approve-no-meeting = aucune réunion
approve-submit = Approuver
diff-from = De
diff-to = À
diff-compare = Comparer
diff-caption = Paragraphe par paragraphe, { $versions }
diff-paragraph = Paragraphe
diff-added = ajouté :
diff-removed = supprimé :

## Registre
record-title = Registre
record-intro = Le journal tel qu'il vous est lisible : les entrées qui vous sont lisibles, numérotées et chaînées entre elles.
record-checkpoint = Dernier point de contrôle
public-checkpoint-size-mine = Votre journal compte { $size } entrées ; son point de contrôle, signé avec la clé de journal de la coalition :
record-verify = Le vérifier hors ligne
record-bundle = Télécharger votre journal en paquet
record-verify-api = Ou le récupérer avec votre jeton :
record-entries = Entrées
record-proof = Preuve d'inclusion de l'entrée { $seq }
record-prove = Afficher la preuve d'inclusion de cette entrée
proof-leaf = Empreinte de la feuille
proof-index = Feuille / taille de l'arbre
proof-root = Racine
proof-path = Preuve

## Qui a fait quoi, échéances
parties-title = Qui a fait quoi
parties-intro = Pour chaque instrument, déclaration et incident, où en est chaque partie et depuis quand.
parties-instruments = Instruments
parties-statements = Déclarations
parties-incidents = Incidents
parties-none = Rien à montrer.
consent-unsigned = non signé
consent-signed = signé
consent-ratified = ratifié
consent-complete = signé (sans ratification requise)
consent-rejected = rejeté par son parlement
due-title = Échéances
due-intro = Ce que { $party } doit faire, au plus tôt d'abord.
due-none = Rien n'est dû.
due-approve = Approuver « { $title } »
due-approval = sans délai
due-silence = le silence est rompu le { $deadline }

support-title = Soutien par donateur
support-intro = Engagé, alloué, livré et restant dû, par donateur, catégorie et unité, pour les engagements que vous pouvez lire.
support-csv = Télécharger en CSV
support-live = Engagements en vigueur
support-ended = Caducs, résiliés ou retirés (plus comptés)
support-donor = Donateur
support-category = Catégorie
support-unit = Unité
support-committed = Engagé
support-allocated = Alloué
support-delivered = Livré
support-outstanding = Restant dû
support-commitments = Engagements
