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
