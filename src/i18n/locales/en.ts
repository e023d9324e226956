// English: the reference locale. Every other locale file has exactly these keys and the same {placeholders}.
export const en = {
  // Command names and descriptions (Discord localization fields).
  'cmd.seed.name': 'seed',
  'cmd.seed.description': 'Get the seed and the four upscaled images of a Midjourney job',
  'cmd.seed.job.name': 'job',
  'cmd.seed.job.description': 'Job id (useapi jobid or proxy task id), Discord message link or message id',
  'cmd.seed.private.name': 'private',
  'cmd.seed.private.description': 'Only you see the answer',
  'cmd.getSeed.name': 'Get seed',
  'cmd.midjourney.name': 'midjourney',
  'cmd.midjourney.description': 'Midjourney account moderation (moderators)',
  'cmd.midjourney.status.name': 'status',
  'cmd.midjourney.status.description': 'Show the Midjourney accounts, holds and waiting requests',
  'cmd.midjourney.reset.name': 'reset',
  'cmd.midjourney.reset.description': 'Reset an account after its moderation message was dealt with',
  'cmd.midjourney.reset.channel.name': 'channel',
  'cmd.midjourney.reset.channel.description': 'Account channel id',

  // Waiting.
  'progress.accepted': '⏳ Working on it…',
  'progress.queued': '⏳ In the queue: position {position}. Midjourney runs a few jobs at a time.',
  'progress.asking': '⏳ Asking Midjourney for the seed…',
  'progress.waiting': '⏳ Midjourney is working on it ({elapsed} s)…',
  'progress.busy': '⏳ Midjourney is busy; trying again in {seconds} s.',
  'progress.joined': '⏳ Someone already asked for this job; waiting for the same answer…',
  'progress.retrying':
    '⏳ useapi is not answering; your request is kept. Trying again in {seconds} s (attempt {attempt}).',

  // The answer.
  'reply.answeredPrivately': 'Answered privately.',
  'reply.title': 'Seed {seed}',
  'reply.seedField': 'Seed',
  'reply.promptField': 'Prompt',
  'reply.jobField': 'Job',
  'reply.original': 'Original message',
  'reply.jump': 'Jump to the original',
  'reply.imagesLinked':
    'The images could not be attached ({reason}); they are linked and Discord may stop showing them after about a day.',
  'reply.imagesPending': 'Seed from the prompt; fetching the four images…',
  'reply.imagesFollow': 'The four images follow in a moment…',
  'reply.imagesUnavailable': 'The four images are not available.',
  'reply.fromPrompt': 'The seed was already written in the prompt.',
  'reply.lateMention': '{user}, here is the seed you asked for:',
  'reason.tooLarge': 'too large to upload here',
  'reason.download': 'download failed',
  'reason.unreadable': 'the image could not be read',

  // Member mistakes.
  'error.invalidInput':
    'That is not a jobid, a message link or a message id. Paste the useapi jobid (like `job:2024…-user:…-channel:…`), a link to the Midjourney message, or right-click the message → Apps → Get seed.',
  'error.notMidjourney': "This isn't a Midjourney output. Right-click an image posted by the Midjourney bot.",
  'error.noImage':
    'This Midjourney message has no image yet. Wait until the job has finished, then try again.',
  'error.video': 'Seeds exist only for imagine, button and blend jobs, not for video jobs.',
  'error.otherGuild': 'That message link points into another server. Use a link to a message in this server.',
  'error.unknownMessage':
    'I could not find the useapi job behind this message ({why}). If you have the jobid, paste it below.',
  'why.notIndexed': 'I have not seen this job',
  'button.pasteJobid': 'Paste the jobid',
  'modal.title': 'Paste the useapi jobid',
  'modal.label': 'jobid of this message',
  'error.jobidMismatch':
    'That jobid belongs to another message. Check that you copied the jobid of this very image.',
  'error.notOwner': 'Only the member who made this image can ask for its seed here.',
  'error.moderatorsOnly': 'Only moderators can ask for seeds in this server.',
  'error.rateLimited': 'You have asked for many seeds in a short time. Try again in {seconds} s.',

  // Upstream outcomes.
  'error.notFinished': 'That job is not finished yet. Wait until Midjourney has finished it, then ask again.',
  'error.unsupported': 'Seeds exist only for imagine, button and blend jobs; this one is a {verb} job.',
  'error.notFound': 'useapi does not know that job. Check the jobid; useapi keeps jobs for 31 days.',
  'error.accountMissing': 'No Midjourney account is configured at useapi for the channel of this job.',
  'error.unauthorized': 'The bot’s useapi token was refused. An administrator must check USEAPI_TOKEN.',
  'error.noSubscription': 'The useapi subscription has ended. An administrator must renew it at useapi.net.',
  'error.busy': 'Midjourney is busy right now and I could not get a turn. Please try again in a minute.',
  'error.unavailable': 'useapi is not answering right now. Please try again in a few minutes.',
  'error.storageUnavailable':
    'Storage is not answering right now, so I could not take your request. Please try again in a minute.',
  'error.timeout': 'Midjourney took too long to answer. Please try again later.',
  'error.moderated': 'Midjourney refused this request (moderated).',
  'error.jobFailed': 'Midjourney could not retrieve the seed for this job. Please try again later.',
  'error.held':
    '⏸️ The Midjourney account is waiting for a moderator. Moderators have been told; your request is kept and will run by itself after the reset.',
  'error.shuttingDown': 'The bot is restarting; your request is kept and will be answered shortly.',
  'error.internal': 'Something went wrong on my side (reference `{ref}`). Please try again.',

  // Moderators.
  'mod.refused': 'Only moderators (Manage Server, or a moderator role) can do this.',
  'mod.alert.title': '⚠️ Midjourney account {channel} is held for moderation',
  'mod.alert.body':
    'useapi answered 596: Midjourney showed this account a moderation message or a CAPTCHA. Seed requests for it are kept and wait.\n\n**What to do**\n1. Log in to Discord with the Midjourney account.\n2. Acknowledge the moderation message, or solve the CAPTCHA.\n3. Press **Reset** below (or run `/midjourney reset`).',
  'mod.alert.text': 'Moderation message',
  'mod.button.reset': 'Reset',
  'mod.confirm':
    'Have you logged in to Discord with the Midjourney account of channel {channel} and acknowledged the moderation message (or solved the CAPTCHA)? Resetting before that makes useapi hold the account again.',
  'mod.button.confirm': 'Yes, reset now',
  'mod.button.cancel': 'Cancel',
  'mod.cancelled': 'Reset cancelled.',
  'mod.reset.ok':
    '✅ Account {channel} reset by {user}. {count, plural, one {# waiting request is} other {# waiting requests are}} running again.',
  'mod.reset.stillPending':
    'The account still has a pending moderation message at useapi, so it stays held. Log in to Discord with the Midjourney account, acknowledge the message (or solve the CAPTCHA), then reset again.',
  'mod.reset.unauthorized': 'useapi refused the reset: the bot’s useapi token is not valid (401).',
  'mod.reset.notFound': 'useapi has no Midjourney account for channel {channel} (404). Check the channel id.',
  'mod.reset.error': 'The reset failed ({reason}). Try again in a minute.',
  'mod.status.title': 'Midjourney accounts',
  'mod.status.none': 'No Midjourney account is configured for this {upstream} token.',
  'mod.status.held': '⏸️ held since {since}',
  'mod.status.ok': '✅ running',
  'mod.status.line':
    '**Token** {token} · **maxJobs** {maxJobs} · **waiting** {waiting} · **executing** {executing}',
  'mod.status.pending': '**Pending moderation message:** {text}',
  'mod.status.lastError': '**Last error:** {error}',
  'mod.status.resets': '**Last resets:** {list}',
  'mod.status.noResets': 'none',
  'mod.status.unavailable': '{upstream} did not answer: {reason}',

  // Moderators: /midjourney status | reset, alerts and the reset audit (issue 5).
  'mod.reset.inProgress': 'A reset of account {channel} is already running. Wait for its result.',
  'mod.reset.invalidChannel':
    'That is not one of the accounts the bot knows. Pick one of the suggestions, or run `/midjourney status` to see the accounts.',
  'mod.reset.working': '⏳ Resetting account {channel} at useapi…',
  'mod.alert.since': 'Held since',
  'mod.alert.noText': 'useapi gave no text. Look at the Midjourney account’s messages in Discord.',
  'mod.alert.recoveredTitle': '✅ Midjourney account {channel} is usable again',
  'mod.alert.recovered':
    'Resolved {time}: the account is usable again, nobody had to reset it. Waiting requests run again.',
  'mod.alert.resolvedTitle': '✅ Midjourney account {channel} was reset',
  'mod.alert.resolved': 'Resolved: {user} reset the account {time}. Waiting requests run again.',
  'mod.audit.line': '🧾 Reset of account {channel} by {user} {time}: {result}',
  'mod.result.ok': 'done, the hold is cleared',
  'mod.result.stillPending': 'still pending moderation, the hold stays',
  'mod.result.unauthorized': 'refused, the useapi token is not valid (401)',
  'mod.result.notFound': 'useapi has no such account (404)',
  'mod.result.error': 'failed',
  'mod.status.notConfigured': '**Not listed by {upstream}** for this token (the bot still holds it).',
  'mod.status.alert': '**Alert:** {link}',
  'mod.status.noAlert':
    '**Alert:** not posted. Check MOD_ALERT_CHANNEL_ID and that the bot may post in that channel.',
  'mod.status.resetEntry': '{time} by {user}: {result}',
  'mod.status.more': '{count, plural, one {# more account is} other {# more accounts are}} not shown.',

  // Right-click "Get seed", message links and the job index (issue 3).
  'why.contentHidden':
    'Discord did not show me what this message contains; right-click it → Apps → Get seed instead',
  'error.ownerUnknown':
    "Only the member who made an image can ask for its seed here, and I can't tell who made this one. Right-click the Midjourney message → Apps → Get seed instead.",
  'error.messageNotFound':
    'I could not open that message: it was deleted, or I cannot see its channel. Check the link (right-click the message → Copy Message Link), or right-click the message → Apps → Get seed.',
  'error.messageNotHere':
    'There is no message with that id in this channel. Paste a link to the message instead (right-click it → Copy Message Link).',
  'error.pastedNotJobid':
    'That is not a useapi jobid. It looks like `job:2024…-user:…-channel:…`; copy it again and paste it.',

  // Callbacks, queue and restarts (issue 4).
  'error.restarting': 'The bot is restarting. Try again in a few seconds.',

  // Forgiving input, the copy button, useapi's Midjourney status (issue 12).
  'error.severalJobids':
    'That text holds more than one jobid. Paste only the jobid of the image you want the seed of.',
  'error.discontinued':
    'Seeds are not available right now: useapi.net no longer serves Midjourney for this bot. The bot’s administrator can check with `npm run doctor`.',
  'button.copySeed': 'Copy prompt with seed',
  'copy.gone': 'I no longer have this seed stored. Ask again with /seed and the jobid shown in the reply.',
  'error.seedPending': "Midjourney has not sent this job's seed yet. Please ask again in a few minutes.",
  'progress.seedPending':
    '⏳ Midjourney has not sent the seed yet; it is on its way. Asking again in {seconds} s.',
  'progress.proxyRetrying':
    '⏳ midjourney-proxy is not answering; your request is kept. Trying again in {seconds} s (attempt {attempt}).',
  'error.proxy.notFound':
    'midjourney-proxy does not know that task. Check the task id (16 digits), or right-click the Midjourney message → Apps → Get seed.',
  'error.proxy.unauthorized':
    'The bot’s midjourney-proxy token was refused. An administrator must check MJ_PROXY_TOKEN.',
  'error.proxy.unavailable':
    'midjourney-proxy is not answering right now. Please try again in a few minutes.',
  'mod.alert.proxyBody':
    'midjourney-proxy has no usable Midjourney account. Seed requests are kept and wait; they run again by themselves as soon as the proxy has one again.\n\n**What to do**\n1. Open the proxy’s own admin page.\n2. Unlock or re-enable a Discord account there (a CAPTCHA, a Cloudflare check, a disabled account).\n3. Press **Reset** below (or run `/midjourney reset`) to check again now.',
  'mod.alert.proxyNoText': 'The proxy says no more. Its admin page shows which accounts are locked, and why.',
  'mod.proxyConfirm':
    'Have you unlocked or re-enabled a Midjourney account in midjourney-proxy’s own admin page? The bot cannot do it from here: it checks whether the proxy has a usable account again, and if so, the waiting requests run.',
  'mod.reset.proxyStillPending':
    'midjourney-proxy still has no usable Midjourney account, so the requests stay held. Unlock or re-enable an account in the proxy’s admin page, then check again.',
  'mod.reset.proxyWorking': '⏳ Checking whether midjourney-proxy has a usable Midjourney account again…',
  'error.proxy.invalidInput':
    'That is not a task id, a message link or a message id. Paste the midjourney-proxy task id (16 digits, like `1733400000000123`), a link to the Midjourney message, or right-click the message → Apps → Get seed.',
  'error.proxy.pastedNotJobid':
    'That is not a midjourney-proxy task id. It is 16 digits, like `1733400000000123`; copy it again and paste it.',
  'modal.proxyTitle': 'Paste the midjourney-proxy task id',
  'error.proxy.unknownMessage':
    'I could not find the midjourney-proxy task behind this message ({why}). If you have its task id, paste it below.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
