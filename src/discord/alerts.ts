// Tells moderators about a held account: one message per incident in MOD_ALERT_CHANNEL_ID (with the Reset
// button), then the audit line of every reset and, once the hold is cleared (by a reset, or by the account
// recovering by itself), the alert marked resolved. When the
// channel is unset or unusable, it says so loudly in the log: /midjourney status still shows the hold.
import {
  type APIMessage,
  type REST,
  type RESTPatchAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
} from 'discord.js';
import type { Logger } from 'pino';
import { translator } from '../i18n/index.js';
import type { Hold, ResetAudit } from '../seed/model/types.js';
import type { Holds } from '../seed/moderation/holds.js';
import type { ResetOutcome } from '../seed/moderation/moderation.js';
import type { UpstreamName } from '../seed/upstream.js';
import { alertMessage, auditLine } from './mod-replies.js';

export interface AlertsDeps {
  rest: Pick<REST, 'post' | 'patch'>;
  channelId: string | undefined;
  holds: Holds;
  log: Logger;
  /** The preferred locale of the alert channel's guild. */
  locale: () => string | undefined;
  /** Midjourney's own text as useapi stores it (the 596 body often carries only a generic one). */
  pendingModMessage?: ((channel: string) => Promise<string | undefined>) | undefined;
  /** Whose account it is: the words moderators read follow it. Default useapi. */
  upstream?: UpstreamName | undefined;
}

export interface Alerts {
  /** A new incident (called once per incident, by the process whose 596 placed the hold). */
  incident(hold: Hold): Promise<void>;
  /** After an audited reset. */
  resetDone(outcome: Extract<ResetOutcome, { audit: ResetAudit }>): Promise<void>;
  /** The account became usable again by itself (an upstream that recovers, re-checked): the alert says resolved. */
  recovered(hold: Hold): Promise<void>;
}

/** The start of every "nobody was alerted" log line: what is held, and that no moderator knows. */
const notAlerted = (hold: Hold) =>
  `Midjourney account channel ${hold.channel} is held for moderation (596) and NO moderator was alerted: `;

/** The hold with Midjourney's own text when the upstream can give it. */
async function withPendingText(deps: AlertsDeps, hold: Hold): Promise<Hold> {
  const pending = await deps.pendingModMessage?.(hold.channel).catch((error: unknown) => {
    deps.log.debug({ err: error, channel: hold.channel }, 'could not read the pending moderation message');
    return undefined;
  });
  return { ...hold, moderationText: pending ?? hold.moderationText };
}

/** The alert posted; undefined (and said loudly) when the channel would not take it. */
async function postAlert(deps: AlertsDeps, channelId: string, shown: Hold): Promise<APIMessage | undefined> {
  try {
    return (await deps.rest.post(Routes.channelMessages(channelId), {
      body: {
        ...alertMessage(shown, translator(deps.locale()), undefined, deps.upstream),
        allowed_mentions: { parse: [] },
      } satisfies RESTPostAPIChannelMessageJSONBody,
    })) as APIMessage;
  } catch (error) {
    deps.log.error(
      { err: error, channel: shown.channel, alertChannelId: channelId, incidentId: shown.incidentId },
      `${notAlerted(shown)}posting in MOD_ALERT_CHANNEL_ID ${channelId} failed. Check that the channel exists and ` +
        'the bot may send messages there; /midjourney status shows the hold meanwhile.',
    );
    return undefined;
  }
}

/** The alert's message noted on the hold (the reset marks it resolved), unless the hold was cleared meanwhile. */
async function noteAlertOnHold(deps: AlertsDeps, shown: Hold, message: APIMessage, channelId: string) {
  // Never bring a cleared hold back by writing an old copy.
  const current = await deps.holds.get(shown.channel);
  if (current?.incidentId !== shown.incidentId) return;
  await deps.holds.update({
    ...current,
    moderationText: shown.moderationText,
    alertMessageId: message.id,
    alertChannelId: channelId,
  });
}

async function alertIncident(deps: AlertsDeps, hold: Hold) {
  const channelId = deps.channelId;
  if (!channelId) {
    deps.log.error(
      { channel: hold.channel, incidentId: hold.incidentId },
      `${notAlerted(hold)}MOD_ALERT_CHANNEL_ID is not set. Set it to a channel id; /midjourney status shows the ` +
        'hold meanwhile.',
    );
    return;
  }
  const shown = await withPendingText(deps, hold);
  const message = await postAlert(deps, channelId, shown);
  if (!message) return;
  await noteAlertOnHold(deps, shown, message, channelId);
  deps.log.warn(
    { channel: hold.channel, alertMessageId: message.id, incidentId: hold.incidentId },
    'moderators alerted: account held for moderation',
  );
}

/** The reset's audit line in the alert channel, and its alert marked resolved when the reset cleared the hold. */
async function postReset(deps: AlertsDeps, outcome: Extract<ResetOutcome, { audit: ResetAudit }>) {
  const channelId = outcome.hold?.alertChannelId ?? deps.channelId;
  if (!channelId) {
    deps.log.warn({ channel: outcome.channel, result: outcome.result }, 'reset not posted: no alert channel');
    return;
  }
  const translate = translator(deps.locale());
  try {
    await deps.rest.post(Routes.channelMessages(channelId), {
      body: {
        content: auditLine(outcome.audit, translate),
        allowed_mentions: { parse: [] },
      } satisfies RESTPostAPIChannelMessageJSONBody,
    });
    const hold = outcome.hold;
    if (outcome.result === 'ok' && hold?.alertMessageId) {
      await deps.rest.patch(Routes.channelMessage(channelId, hold.alertMessageId), {
        body: alertMessage(
          hold,
          translate,
          { by: outcome.audit.by, at: outcome.audit.at },
          deps.upstream,
        ) satisfies RESTPatchAPIChannelMessageJSONBody,
      });
    }
  } catch (error) {
    deps.log.error(
      { err: error, channel: outcome.channel, alertChannelId: channelId },
      'could not post the reset in the alert channel (it is audited in storage)',
    );
  }
}

/** The account became usable again by itself: its alert says so (nobody reset anything, so nothing is audited). */
async function markRecovered(deps: AlertsDeps, hold: Hold) {
  const channelId = hold.alertChannelId;
  if (!channelId || !hold.alertMessageId) return;
  try {
    await deps.rest.patch(Routes.channelMessage(channelId, hold.alertMessageId), {
      body: alertMessage(
        hold,
        translator(deps.locale()),
        { at: Date.now() },
        deps.upstream,
      ) satisfies RESTPatchAPIChannelMessageJSONBody,
    });
    deps.log.info(
      { channel: hold.channel, alertMessageId: hold.alertMessageId },
      'alert marked resolved: the account recovered',
    );
  } catch (error) {
    deps.log.error(
      { err: error, channel: hold.channel, alertChannelId: channelId },
      'could not mark the alert resolved',
    );
  }
}

export function createAlerts(deps: AlertsDeps): Alerts {
  return {
    incident: (hold) => alertIncident(deps, hold),
    resetDone: (outcome) => postReset(deps, outcome),
    recovered: (hold) => markRecovered(deps, hold),
  };
}
