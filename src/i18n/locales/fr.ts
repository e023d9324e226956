// French. Keys and {placeholders} exactly as in en.ts.
import type { Messages } from './en.js';

export const fr = {
  // Command names and descriptions (Discord localization fields).
  'cmd.seed.name': 'seed',
  'cmd.seed.description': 'Obtenir la seed et les quatre images upscalées d’un job Midjourney',
  'cmd.seed.job.name': 'job',
  'cmd.seed.job.description':
    'ID du job (jobid useapi ou ID de tâche du proxy), lien ou identifiant d’un message Discord',
  'cmd.seed.private.name': 'privé',
  'cmd.seed.private.description': 'Toi seul verras la réponse',
  'cmd.getSeed.name': 'Obtenir la seed',
  'cmd.midjourney.name': 'midjourney',
  'cmd.midjourney.description': 'Modération des comptes Midjourney (modérateurs)',
  'cmd.midjourney.status.name': 'statut',
  'cmd.midjourney.status.description':
    'Afficher les comptes Midjourney, les blocages et les demandes en attente',
  'cmd.midjourney.reset.name': 'reset',
  'cmd.midjourney.reset.description': 'Réinitialiser un compte une fois son message de modération traité',
  'cmd.midjourney.reset.channel.name': 'salon',
  'cmd.midjourney.reset.channel.description': 'ID du salon du compte',

  // Waiting.
  'progress.accepted': '⏳ Je m’en occupe…',
  'progress.queued':
    '⏳ Dans la file d’attente : position {position}. Midjourney ne traite que quelques jobs à la fois.',
  'progress.asking': '⏳ Je demande la seed à Midjourney…',
  'progress.waiting': '⏳ Midjourney y travaille ({elapsed} s)…',
  'progress.busy': '⏳ Midjourney est occupé ; nouvel essai dans {seconds} s.',
  'progress.joined': '⏳ Quelqu’un a déjà demandé ce job ; j’attends la même réponse…',
  'progress.retrying':
    '⏳ useapi ne répond pas ; ta demande est conservée. Nouvel essai dans {seconds} s (tentative {attempt}).',

  // The answer.
  'reply.answeredPrivately': 'Réponse envoyée en privé.',
  'reply.title': 'Seed {seed}',
  'reply.seedField': 'Seed',
  'reply.promptField': 'Prompt',
  'reply.jobField': 'Job',
  'reply.original': 'Message d’origine',
  'reply.jump': 'Aller au message d’origine',
  'reply.imagesLinked':
    'Les images n’ont pas pu être jointes ({reason}) ; elles sont en lien et Discord risque de ne plus les afficher au bout d’environ un jour.',
  'reply.imagesPending': 'Seed tirée du prompt ; récupération des quatre images…',
  'reply.imagesFollow': 'Les quatre images suivent dans un instant…',
  'reply.imagesUnavailable': 'Les quatre images ne sont pas disponibles.',
  'reply.fromPrompt': 'La seed figurait déjà dans le prompt.',
  'reply.lateMention': '{user}, voici la seed que tu as demandée :',
  'reason.tooLarge': 'trop volumineuses pour être envoyées ici',
  'reason.download': 'échec du téléchargement',
  'reason.unreadable': 'l’image n’a pas pu être lue',

  // Member mistakes.
  'error.invalidInput':
    'Ce n’est ni un jobid, ni un lien de message, ni un identifiant de message. Colle le jobid useapi (comme `job:2024…-user:…-channel:…`) ou un lien vers le message Midjourney, ou fais un clic droit sur le message → Applications → Obtenir la seed.',
  'error.notMidjourney':
    'Ce n’est pas un résultat Midjourney. Fais un clic droit sur une image publiée par le bot Midjourney.',
  'error.noImage':
    'Ce message Midjourney n’a pas encore d’image. Attends que le job soit terminé, puis réessaie.',
  'error.video': 'Les seeds n’existent que pour les jobs imagine, button et blend, pas pour les jobs vidéo.',
  'error.otherGuild':
    'Ce lien pointe vers un message d’un autre serveur. Utilise un lien vers un message de ce serveur.',
  'error.unknownMessage':
    'Je n’ai pas trouvé le job useapi derrière ce message ({why}). Si tu as le jobid, colle-le ci-dessous.',
  'why.notIndexed': 'je n’ai pas vu passer ce job',
  'button.pasteJobid': 'Coller le jobid',
  'modal.title': 'Coller le jobid useapi',
  'modal.label': 'jobid de ce message',
  'error.jobidMismatch':
    'Ce jobid appartient à un autre message. Vérifie que tu as bien copié le jobid de cette image précise.',
  'error.notOwner': 'Seul le membre qui a créé cette image peut demander sa seed ici.',
  'error.moderatorsOnly': 'Sur ce serveur, seuls les modérateurs peuvent demander des seeds.',
  'error.rateLimited': 'Tu as demandé beaucoup de seeds en peu de temps. Réessaie dans {seconds} s.',

  // Upstream outcomes.
  'error.notFinished': 'Ce job n’est pas encore terminé. Attends que Midjourney l’ait fini, puis redemande.',
  'error.unsupported':
    'Les seeds n’existent que pour les jobs imagine, button et blend ; celui-ci est un job {verb}.',
  'error.notFound':
    'useapi ne connaît pas ce job. Vérifie le jobid ; useapi conserve les jobs pendant 31 jours.',
  'error.accountMissing': 'Aucun compte Midjourney n’est configuré chez useapi pour le salon de ce job.',
  'error.unauthorized': 'Le token useapi du bot a été refusé. Un administrateur doit vérifier USEAPI_TOKEN.',
  'error.noSubscription':
    'L’abonnement useapi a expiré. Un administrateur doit le renouveler sur useapi.net.',
  'error.busy':
    'Midjourney est occupé en ce moment et je n’ai pas obtenu de créneau. Réessaie dans une minute.',
  'error.unavailable': 'useapi ne répond pas pour le moment. Réessaie dans quelques minutes.',
  'error.storageUnavailable':
    'Le stockage ne répond pas pour le moment, je n’ai pas pu prendre ta demande. Réessaie dans une minute.',
  'error.timeout': 'Midjourney a mis trop de temps à répondre. Réessaie plus tard.',
  'error.moderated': 'Midjourney a refusé cette demande (modération).',
  'error.jobFailed': 'Midjourney n’a pas pu récupérer la seed de ce job. Réessaie plus tard.',
  'error.held':
    '⏸️ Le compte Midjourney attend un modérateur. Les modérateurs ont été prévenus ; ta demande est conservée et se lancera d’elle-même après la réinitialisation.',
  'error.shuttingDown': 'Le bot redémarre ; ta demande est conservée et recevra une réponse sous peu.',
  'error.internal': 'Un problème est survenu de mon côté (référence `{ref}`). Réessaie.',

  // Moderators.
  'mod.refused': 'Seuls les modérateurs (Gérer le serveur, ou un rôle de modérateur) peuvent faire ça.',
  'mod.alert.title': '⚠️ Le compte Midjourney {channel} est bloqué pour modération',
  'mod.alert.body':
    'useapi a répondu 596 : Midjourney a affiché un message de modération ou un CAPTCHA à ce compte. Les demandes de seed pour ce compte sont conservées et attendent.\n\n**Que faire**\n1. Connecte-toi à Discord avec le compte Midjourney.\n2. Valide le message de modération, ou résous le CAPTCHA.\n3. Appuie sur **Réinitialiser** ci-dessous (ou lance `/midjourney reset`).',
  'mod.alert.text': 'Message de modération',
  'mod.button.reset': 'Réinitialiser',
  'mod.confirm':
    'T’es-tu connecté à Discord avec le compte Midjourney du salon {channel} et as-tu validé le message de modération (ou résolu le CAPTCHA) ? Si tu réinitialises avant, useapi bloquera de nouveau le compte.',
  'mod.button.confirm': 'Oui, réinitialiser',
  'mod.button.cancel': 'Annuler',
  'mod.cancelled': 'Réinitialisation annulée.',
  'mod.reset.ok':
    '✅ Compte {channel} réinitialisé par {user}. {count, plural, one {# demande en attente reprend} other {# demandes en attente reprennent}}.',
  'mod.reset.stillPending':
    'Le compte a encore un message de modération en attente chez useapi, il reste donc bloqué. Connecte-toi à Discord avec le compte Midjourney, valide le message (ou résous le CAPTCHA), puis réinitialise à nouveau.',
  'mod.reset.unauthorized':
    'useapi a refusé la réinitialisation : le token useapi du bot n’est pas valide (401).',
  'mod.reset.notFound':
    'useapi n’a aucun compte Midjourney pour le salon {channel} (404). Vérifie l’ID du salon.',
  'mod.reset.error': 'La réinitialisation a échoué ({reason}). Réessaie dans une minute.',
  'mod.status.title': 'Comptes Midjourney',
  'mod.status.none': 'Aucun compte Midjourney n’est configuré pour ce token {upstream}.',
  'mod.status.held': '⏸️ bloqué depuis {since}',
  'mod.status.ok': '✅ actif',
  'mod.status.line':
    '**Token** {token} · **maxJobs** {maxJobs} · **en attente** {waiting} · **en cours** {executing}',
  'mod.status.pending': '**Message de modération en attente :** {text}',
  'mod.status.lastError': '**Dernière erreur :** {error}',
  'mod.status.resets': '**Dernières réinitialisations :** {list}',
  'mod.status.noResets': 'aucune',
  'mod.status.unavailable': '{upstream} n’a pas répondu : {reason}',

  // Moderators: /midjourney status | reset, alerts and the reset audit (issue 5).
  'mod.reset.inProgress': 'Une réinitialisation du compte {channel} est déjà en cours. Attends son résultat.',
  'mod.reset.invalidChannel':
    'Ce n’est pas un des comptes que le bot connaît. Choisis une des suggestions, ou lance `/midjourney status` pour voir les comptes.',
  'mod.reset.working': '⏳ Réinitialisation du compte {channel} chez useapi…',
  'mod.alert.since': 'Bloqué depuis',
  'mod.alert.noText': 'useapi n’a donné aucun texte. Regarde les messages du compte Midjourney dans Discord.',
  'mod.alert.recoveredTitle': '✅ Le compte Midjourney {channel} est de nouveau utilisable',
  'mod.alert.recovered':
    'Résolu {time} : le compte est de nouveau utilisable, personne n’a eu à le réinitialiser. Les demandes en attente reprennent.',
  'mod.alert.resolvedTitle': '✅ Le compte Midjourney {channel} a été réinitialisé',
  'mod.alert.resolved':
    'Résolu : {user} a réinitialisé le compte {time}. Les demandes en attente reprennent.',
  'mod.audit.line': '🧾 Réinitialisation du compte {channel} par {user} {time} : {result}',
  'mod.result.ok': 'faite, le blocage est levé',
  'mod.result.stillPending': 'modération toujours en attente, le blocage reste',
  'mod.result.unauthorized': 'refusée, le token useapi n’est pas valide (401)',
  'mod.result.notFound': 'useapi ne connaît pas ce compte (404)',
  'mod.result.error': 'échec',
  'mod.status.notConfigured': '**Non listé par {upstream}** pour ce token (le bot le bloque toujours).',
  'mod.status.alert': '**Alerte :** {link}',
  'mod.status.noAlert':
    '**Alerte :** non publiée. Vérifie MOD_ALERT_CHANNEL_ID et que le bot peut écrire dans ce salon.',
  'mod.status.resetEntry': '{time} par {user} : {result}',
  'mod.status.more':
    '{count, plural, one {# autre compte non affiché} other {# autres comptes non affichés}}.',

  // Right-click "Get seed", message links and the job index (issue 3).
  'why.contentHidden':
    'Discord ne m’a pas montré le contenu de ce message ; fais plutôt un clic droit dessus → Applications → Obtenir la seed',
  'error.ownerUnknown':
    'Seul le membre qui a créé une image peut demander sa seed ici, et je ne sais pas qui a créé celle-ci. Fais plutôt un clic droit sur le message de Midjourney → Applications → Obtenir la seed.',
  'error.messageNotFound':
    'Je n’ai pas pu ouvrir ce message : il a été supprimé, ou je ne vois pas son salon. Vérifie le lien (clic droit sur le message → Copier le lien du message), ou fais un clic droit sur le message → Applications → Obtenir la seed.',
  'error.messageNotHere':
    'Il n’y a aucun message avec cet identifiant dans ce salon. Colle plutôt un lien vers le message (clic droit dessus → Copier le lien du message).',
  'error.pastedNotJobid':
    'Ce n’est pas un jobid useapi. Il ressemble à `job:2024…-user:…-channel:…` ; copie-le à nouveau et colle-le.',

  // Callbacks, queue and restarts (issue 4).
  'error.restarting': 'Le bot redémarre. Réessaie dans quelques secondes.',

  // Forgiving input, the copy button, useapi's Midjourney status (issue 12).
  'error.severalJobids':
    'Ce texte contient plus d’un jobid. Colle seulement le jobid de l’image dont tu veux la seed.',
  'error.discontinued':
    'Les seeds ne sont pas disponibles pour le moment : useapi.net ne sert plus Midjourney pour ce bot. L’administrateur du bot peut vérifier avec `npm run doctor`.',
  'button.copySeed': 'Copier le prompt avec la seed',
  'copy.gone':
    'Je n’ai plus cette seed en mémoire. Redemande avec /seed et le jobid affiché dans la réponse.',
  'error.seedPending':
    'Midjourney n’a pas encore envoyé la seed de ce job. Redemande-la dans quelques minutes.',
  'progress.seedPending':
    '⏳ Midjourney n’a pas encore envoyé la seed ; elle arrive. Je redemande dans {seconds} s.',
  'progress.proxyRetrying':
    '⏳ midjourney-proxy ne répond pas ; ta demande est conservée. Nouvel essai dans {seconds} s (tentative {attempt}).',
  'error.proxy.notFound':
    'midjourney-proxy ne connaît pas cette tâche. Vérifie l’id de la tâche (16 chiffres), ou fais un clic droit sur le message de Midjourney → Apps → Get seed.',
  'error.proxy.unauthorized':
    'Le jeton midjourney-proxy du bot a été refusé. Un administrateur doit vérifier MJ_PROXY_TOKEN.',
  'error.proxy.unavailable': 'midjourney-proxy ne répond pas pour le moment. Réessaie dans quelques minutes.',
  'mod.alert.proxyBody':
    'midjourney-proxy n’a aucun compte Midjourney utilisable. Les demandes de seed sont conservées et attendent ; elles repartent d’elles-mêmes dès que le proxy en a de nouveau un.\n\n**Que faire**\n1. Ouvre la page d’administration du proxy.\n2. Débloque ou réactive un compte Discord (un CAPTCHA, une vérification Cloudflare, un compte désactivé).\n3. Appuie sur **Reset** ci-dessous (ou lance `/midjourney reset`) pour vérifier maintenant.',
  'mod.alert.proxyNoText':
    'Le proxy n’en dit pas plus. Sa page d’administration montre quels comptes sont bloqués, et pourquoi.',
  'mod.proxyConfirm':
    'As-tu débloqué ou réactivé un compte Midjourney dans la page d’administration de midjourney-proxy ? Le bot ne peut pas le faire d’ici : il vérifie si le proxy a de nouveau un compte utilisable et, si oui, les demandes en attente repartent.',
  'mod.reset.proxyStillPending':
    'midjourney-proxy n’a toujours aucun compte Midjourney utilisable, les demandes restent donc en attente. Débloque ou réactive un compte dans la page d’administration du proxy, puis vérifie de nouveau.',
  'mod.reset.proxyWorking': '⏳ Je vérifie si midjourney-proxy a de nouveau un compte Midjourney utilisable…',
  'error.proxy.invalidInput':
    'Ce n’est ni un id de tâche, ni un lien de message, ni un id de message. Colle l’id de tâche de midjourney-proxy (16 chiffres, comme `1733400000000123`), un lien vers le message de Midjourney, ou fais un clic droit sur le message → Apps → Get seed.',
  'error.proxy.pastedNotJobid':
    'Ce n’est pas un id de tâche de midjourney-proxy. Il fait 16 chiffres, comme `1733400000000123` ; copie-le de nouveau et colle-le.',
  'modal.proxyTitle': 'Colle l’id de tâche de midjourney-proxy',
  'error.proxy.unknownMessage':
    'Je n’ai pas trouvé la tâche midjourney-proxy derrière ce message ({why}). Si tu as son id de tâche, colle-le ci-dessous.',
} satisfies Messages;
