// German. Keys and {placeholders} exactly as in en.ts.
import type { Messages } from './en.js';

export const de = {
  // Command names and descriptions (Discord localization fields).
  'cmd.seed.name': 'seed',
  'cmd.seed.description': 'Seed und die vier hochskalierten Bilder eines Midjourney-Jobs abrufen',
  'cmd.seed.job.name': 'job',
  'cmd.seed.job.description':
    'Job-ID (useapi-jobid oder Proxy-Task-ID), Discord-Nachrichtenlink oder Nachrichten-ID',
  'cmd.seed.private.name': 'privat',
  'cmd.seed.private.description': 'Nur du siehst die Antwort',
  'cmd.getSeed.name': 'Seed abrufen',
  'cmd.midjourney.name': 'midjourney',
  'cmd.midjourney.description': 'Moderation der Midjourney-Konten (Moderatoren)',
  'cmd.midjourney.status.name': 'status',
  'cmd.midjourney.status.description': 'Midjourney-Konten, Moderationssperren und wartende Anfragen anzeigen',
  'cmd.midjourney.reset.name': 'reset',
  'cmd.midjourney.reset.description':
    'Ein Konto zurücksetzen, nachdem seine Moderationsnachricht erledigt ist',
  'cmd.midjourney.reset.channel.name': 'kanal',
  'cmd.midjourney.reset.channel.description': 'Kanal-ID des Kontos',

  // Waiting.
  'progress.accepted': '⏳ Ich bin dran…',
  'progress.queued':
    '⏳ In der Warteschlange: Position {position}. Midjourney bearbeitet nur wenige Jobs gleichzeitig.',
  'progress.asking': '⏳ Ich frage Midjourney nach dem Seed…',
  'progress.waiting': '⏳ Midjourney arbeitet daran ({elapsed} s)…',
  'progress.busy': '⏳ Midjourney ist ausgelastet; neuer Versuch in {seconds} s.',
  'progress.joined': '⏳ Jemand hat diesen Job schon angefragt; ich warte auf dieselbe Antwort…',
  'progress.retrying':
    '⏳ useapi antwortet gerade nicht; deine Anfrage bleibt erhalten. Neuer Versuch in {seconds} s (Versuch {attempt}).',

  // The answer.
  'reply.answeredPrivately': 'Privat beantwortet.',
  'reply.title': 'Seed {seed}',
  'reply.seedField': 'Seed',
  'reply.promptField': 'Prompt',
  'reply.jobField': 'Job',
  'reply.original': 'Originalnachricht',
  'reply.jump': 'Zur Originalnachricht',
  'reply.imagesLinked':
    'Die Bilder konnten nicht angehängt werden ({reason}); sie sind verlinkt, und Discord zeigt sie eventuell nach etwa einem Tag nicht mehr an.',
  'reply.imagesPending': 'Seed aus dem Prompt; die vier Bilder werden geladen…',
  'reply.imagesFollow': 'Die vier Bilder folgen gleich…',
  'reply.imagesUnavailable': 'Die vier Bilder sind nicht verfügbar.',
  'reply.fromPrompt': 'Der Seed stand bereits im Prompt.',
  'reply.lateMention': '{user}, hier ist der Seed, nach dem du gefragt hast:',
  'reason.tooLarge': 'zu groß zum Hochladen hier',
  'reason.download': 'Download fehlgeschlagen',
  'reason.unreadable': 'das Bild konnte nicht gelesen werden',

  // Member mistakes.
  'error.invalidInput':
    'Das ist weder eine jobid noch ein Nachrichtenlink oder eine Nachrichten-ID. Füge die useapi-jobid ein (etwa `job:2024…-user:…-channel:…`) oder einen Link zur Midjourney-Nachricht, oder klicke mit der rechten Maustaste auf die Nachricht → Apps → Seed abrufen.',
  'error.notMidjourney':
    'Das ist keine Midjourney-Ausgabe. Klicke mit der rechten Maustaste auf ein Bild, das der Midjourney-Bot gepostet hat.',
  'error.noImage':
    'Diese Midjourney-Nachricht hat noch kein Bild. Warte, bis der Job fertig ist, und versuche es dann erneut.',
  'error.video': 'Seeds gibt es nur für imagine-, button- und blend-Jobs, nicht für Video-Jobs.',
  'error.otherGuild':
    'Dieser Nachrichtenlink führt auf einen anderen Server. Verwende einen Link zu einer Nachricht auf diesem Server.',
  'error.unknownMessage':
    'Ich konnte den useapi-Job hinter dieser Nachricht nicht finden ({why}). Wenn du die jobid hast, füge sie unten ein.',
  'why.notIndexed': 'ich habe diesen Job nicht gesehen',
  'button.pasteJobid': 'jobid einfügen',
  'modal.title': 'useapi-jobid einfügen',
  'modal.label': 'jobid dieser Nachricht',
  'error.jobidMismatch':
    'Diese jobid gehört zu einer anderen Nachricht. Prüfe, ob du die jobid genau dieses Bildes kopiert hast.',
  'error.notOwner': 'Nur das Mitglied, das dieses Bild erstellt hat, kann hier nach seinem Seed fragen.',
  'error.moderatorsOnly': 'Auf diesem Server können nur Moderatoren Seeds anfragen.',
  'error.rateLimited': 'Du hast in kurzer Zeit viele Seeds angefragt. Versuche es in {seconds} s erneut.',

  // Upstream outcomes.
  'error.notFinished':
    'Dieser Job ist noch nicht fertig. Warte, bis Midjourney ihn abgeschlossen hat, und frag dann erneut.',
  'error.unsupported': 'Seeds gibt es nur für imagine-, button- und blend-Jobs; dies ist ein {verb}-Job.',
  'error.notFound': 'useapi kennt diesen Job nicht. Prüfe die jobid; useapi bewahrt Jobs 31 Tage lang auf.',
  'error.accountMissing': 'Für den Kanal dieses Jobs ist bei useapi kein Midjourney-Konto eingerichtet.',
  'error.unauthorized':
    'Der useapi-Token des Bots wurde abgelehnt. Ein Administrator muss USEAPI_TOKEN prüfen.',
  'error.noSubscription':
    'Das useapi-Abo ist abgelaufen. Ein Administrator muss es auf useapi.net verlängern.',
  'error.busy':
    'Midjourney ist gerade ausgelastet, und ich bin nicht drangekommen. Bitte versuche es in einer Minute erneut.',
  'error.unavailable': 'useapi antwortet gerade nicht. Bitte versuche es in ein paar Minuten erneut.',
  'error.storageUnavailable':
    'Der Speicher antwortet gerade nicht, deshalb konnte ich deine Anfrage nicht annehmen. Bitte versuch es in einer Minute noch einmal.',
  'error.timeout': 'Midjourney hat zu lange für die Antwort gebraucht. Bitte versuche es später erneut.',
  'error.moderated': 'Midjourney hat diese Anfrage abgelehnt (moderiert).',
  'error.jobFailed':
    'Midjourney konnte den Seed für diesen Job nicht abrufen. Bitte versuche es später erneut.',
  'error.held':
    '⏸️ Das Midjourney-Konto wartet auf einen Moderator. Die Moderatoren wurden benachrichtigt; deine Anfrage bleibt erhalten und läuft nach dem Zurücksetzen von selbst weiter.',
  'error.shuttingDown': 'Der Bot startet neu; deine Anfrage bleibt erhalten und wird in Kürze beantwortet.',
  'error.internal': 'Bei mir ist etwas schiefgelaufen (Referenz `{ref}`). Bitte versuche es erneut.',

  // Moderators.
  'mod.refused': 'Nur Moderatoren (Server verwalten oder eine Moderatorenrolle) können das tun.',
  'mod.alert.title': '⚠️ Midjourney-Konto {channel} ist wegen Moderation angehalten',
  'mod.alert.body':
    'useapi hat mit 596 geantwortet: Midjourney hat diesem Konto eine Moderationsnachricht oder ein CAPTCHA angezeigt. Seed-Anfragen dafür bleiben erhalten und warten.\n\n**Was zu tun ist**\n1. Melde dich mit dem Midjourney-Konto bei Discord an.\n2. Bestätige die Moderationsnachricht oder löse das CAPTCHA.\n3. Drücke unten auf **Zurücksetzen** (oder führe `/midjourney reset` aus).',
  'mod.alert.text': 'Moderationsnachricht',
  'mod.button.reset': 'Zurücksetzen',
  'mod.confirm':
    'Hast du dich mit dem Midjourney-Konto von Kanal {channel} bei Discord angemeldet und die Moderationsnachricht bestätigt (oder das CAPTCHA gelöst)? Wenn du vorher zurücksetzt, hält useapi das Konto erneut an.',
  'mod.button.confirm': 'Ja, jetzt zurücksetzen',
  'mod.button.cancel': 'Abbrechen',
  'mod.cancelled': 'Zurücksetzen abgebrochen.',
  'mod.reset.ok':
    '✅ Konto {channel} von {user} zurückgesetzt. {count, plural, one {# wartende Anfrage läuft} other {# wartende Anfragen laufen}} wieder.',
  'mod.reset.stillPending':
    'Das Konto hat bei useapi noch eine offene Moderationsnachricht und bleibt angehalten. Melde dich mit dem Midjourney-Konto bei Discord an, bestätige die Nachricht (oder löse das CAPTCHA) und setze es dann erneut zurück.',
  'mod.reset.unauthorized':
    'useapi hat das Zurücksetzen abgelehnt: Der useapi-Token des Bots ist ungültig (401).',
  'mod.reset.notFound': 'useapi hat kein Midjourney-Konto für Kanal {channel} (404). Prüfe die Kanal-ID.',
  'mod.reset.error': 'Das Zurücksetzen ist fehlgeschlagen ({reason}). Versuche es in einer Minute erneut.',
  'mod.status.title': 'Midjourney-Konten',
  'mod.status.none': 'Für diesen {upstream}-Token ist kein Midjourney-Konto eingerichtet.',
  'mod.status.held': '⏸️ angehalten seit {since}',
  'mod.status.ok': '✅ läuft',
  'mod.status.line':
    '**Token** {token} · **maxJobs** {maxJobs} · **wartend** {waiting} · **laufend** {executing}',
  'mod.status.pending': '**Offene Moderationsnachricht:** {text}',
  'mod.status.lastError': '**Letzter Fehler:** {error}',
  'mod.status.resets': '**Letzte Zurücksetzungen:** {list}',
  'mod.status.noResets': 'keine',
  'mod.status.unavailable': '{upstream} hat nicht geantwortet: {reason}',

  // Moderators: /midjourney status | reset, alerts and the reset audit (issue 5).
  'mod.reset.inProgress': 'Ein Zurücksetzen von Konto {channel} läuft bereits. Warte auf sein Ergebnis.',
  'mod.reset.invalidChannel':
    'Das ist keines der Konten, die der Bot kennt. Wähle einen der Vorschläge oder führe `/midjourney status` aus, um die Konten zu sehen.',
  'mod.reset.working': '⏳ Konto {channel} wird bei useapi zurückgesetzt…',
  'mod.alert.since': 'Angehalten seit',
  'mod.alert.noText':
    'useapi hat keinen Text geliefert. Sieh dir die Nachrichten des Midjourney-Kontos in Discord an.',
  'mod.alert.recoveredTitle': '✅ Midjourney-Konto {channel} ist wieder nutzbar',
  'mod.alert.recovered':
    'Erledigt {time}: Das Konto ist wieder nutzbar, niemand musste es zurücksetzen. Wartende Anfragen laufen wieder.',
  'mod.alert.resolvedTitle': '✅ Midjourney-Konto {channel} wurde zurückgesetzt',
  'mod.alert.resolved':
    'Erledigt: {user} hat das Konto {time} zurückgesetzt. Wartende Anfragen laufen wieder.',
  'mod.audit.line': '🧾 Zurücksetzen von Konto {channel} durch {user} {time}: {result}',
  'mod.result.ok': 'erledigt, die Sperre ist aufgehoben',
  'mod.result.stillPending': 'Moderation weiterhin offen, die Sperre bleibt',
  'mod.result.unauthorized': 'abgelehnt, der useapi-Token ist ungültig (401)',
  'mod.result.notFound': 'useapi kennt dieses Konto nicht (404)',
  'mod.result.error': 'fehlgeschlagen',
  'mod.status.notConfigured':
    '**Von {upstream} nicht gelistet** für diesen Token (der Bot hält es weiterhin an).',
  'mod.status.alert': '**Alarm:** {link}',
  'mod.status.noAlert':
    '**Alarm:** nicht gepostet. Prüfe MOD_ALERT_CHANNEL_ID und ob der Bot in diesem Kanal posten darf.',
  'mod.status.resetEntry': '{time} durch {user}: {result}',
  'mod.status.more':
    '{count, plural, one {# weiteres Konto wird} other {# weitere Konten werden}} nicht angezeigt.',

  // Right-click "Get seed", message links and the job index (issue 3).
  'why.contentHidden':
    'Discord hat mir den Inhalt dieser Nachricht nicht gezeigt; klicke sie stattdessen mit rechts an → Apps → Seed abrufen',
  'error.ownerUnknown':
    'Nur das Mitglied, das ein Bild erstellt hat, kann hier nach seinem Seed fragen, und ich kann nicht erkennen, wer dieses erstellt hat. Klicke stattdessen mit rechts auf die Midjourney-Nachricht → Apps → Seed abrufen.',
  'error.messageNotFound':
    'Ich konnte diese Nachricht nicht öffnen: Sie wurde gelöscht, oder ich sehe ihren Kanal nicht. Prüfe den Link (Rechtsklick auf die Nachricht → Nachrichtenlink kopieren) oder klicke mit rechts auf die Nachricht → Apps → Seed abrufen.',
  'error.messageNotHere':
    'In diesem Kanal gibt es keine Nachricht mit dieser ID. Füge stattdessen einen Link zur Nachricht ein (Rechtsklick darauf → Nachrichtenlink kopieren).',
  'error.pastedNotJobid':
    'Das ist keine useapi-Jobid. Sie sieht so aus: `job:2024…-user:…-channel:…`; kopiere sie erneut und füge sie ein.',

  // Callbacks, queue and restarts (issue 4).
  'error.restarting': 'Der Bot startet gerade neu. Versuche es in ein paar Sekunden erneut.',

  // Forgiving input, the copy button, useapi's Midjourney status (issue 12).
  'error.severalJobids':
    'Dieser Text enthält mehr als eine Jobid. Füge nur die Jobid des Bildes ein, dessen Seed du möchtest.',
  'error.discontinued':
    'Seeds sind gerade nicht verfügbar: useapi.net bedient Midjourney für diesen Bot nicht mehr. Die Administration des Bots kann es mit `npm run doctor` prüfen.',
  'button.copySeed': 'Prompt mit Seed kopieren',
  'copy.gone':
    'Diesen Seed habe ich nicht mehr gespeichert. Frage erneut mit /seed und der Jobid aus der Antwort.',
  'error.seedPending':
    'Midjourney hat den Seed dieses Jobs noch nicht geschickt. Frage in ein paar Minuten erneut.',
  'progress.seedPending':
    '⏳ Midjourney hat den Seed noch nicht geschickt; er ist unterwegs. Ich frage in {seconds} s erneut.',
  'progress.proxyRetrying':
    '⏳ midjourney-proxy antwortet nicht; deine Anfrage bleibt erhalten. Neuer Versuch in {seconds} s (Versuch {attempt}).',
  'error.proxy.notFound':
    'midjourney-proxy kennt diesen Task nicht. Prüfe die Task-ID (16 Ziffern) oder klicke mit der rechten Maustaste auf die Midjourney-Nachricht → Apps → Get seed.',
  'error.proxy.unauthorized':
    'Der midjourney-proxy-Token des Bots wurde abgelehnt. Ein Administrator muss MJ_PROXY_TOKEN prüfen.',
  'error.proxy.unavailable':
    'midjourney-proxy antwortet gerade nicht. Versuche es in ein paar Minuten erneut.',
  'mod.alert.proxyBody':
    'midjourney-proxy hat kein nutzbares Midjourney-Konto. Seed-Anfragen bleiben erhalten und warten; sie laufen von selbst wieder, sobald der Proxy wieder eines hat.\n\n**Was zu tun ist**\n1. Öffne die Admin-Seite des Proxys.\n2. Entsperre oder aktiviere dort ein Discord-Konto (ein CAPTCHA, eine Cloudflare-Prüfung, ein deaktiviertes Konto).\n3. Drücke unten **Reset** (oder führe `/midjourney reset` aus), um jetzt erneut zu prüfen.',
  'mod.alert.proxyNoText':
    'Mehr sagt der Proxy nicht. Seine Admin-Seite zeigt, welche Konten gesperrt sind und warum.',
  'mod.proxyConfirm':
    'Hast du auf der Admin-Seite von midjourney-proxy ein Midjourney-Konto entsperrt oder wieder aktiviert? Der Bot kann das nicht von hier aus: Er prüft, ob der Proxy wieder ein nutzbares Konto hat, und wenn ja, laufen die wartenden Anfragen.',
  'mod.reset.proxyStillPending':
    'midjourney-proxy hat immer noch kein nutzbares Midjourney-Konto, die Anfragen bleiben also angehalten. Entsperre oder aktiviere ein Konto auf der Admin-Seite des Proxys und prüfe dann erneut.',
  'mod.reset.proxyWorking': '⏳ Ich prüfe, ob midjourney-proxy wieder ein nutzbares Midjourney-Konto hat…',
  'error.proxy.invalidInput':
    'Das ist keine Task-ID, kein Nachrichtenlink und keine Nachrichten-ID. Füge die Task-ID von midjourney-proxy ein (16 Ziffern, etwa `1733400000000123`), einen Link zur Midjourney-Nachricht, oder klicke mit der rechten Maustaste auf die Nachricht → Apps → Get seed.',
  'error.proxy.pastedNotJobid':
    'Das ist keine Task-ID von midjourney-proxy. Sie hat 16 Ziffern, etwa `1733400000000123`; kopiere sie erneut und füge sie ein.',
  'modal.proxyTitle': 'Task-ID von midjourney-proxy einfügen',
  'error.proxy.unknownMessage':
    'Ich konnte den midjourney-proxy-Task hinter dieser Nachricht nicht finden ({why}). Wenn du seine Task-ID hast, füge sie unten ein.',
} satisfies Messages;
