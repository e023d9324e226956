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

export function createAlerts(deps: AlertsDeps): Alerts {
  const { log } = deps;
  const t = () => translator(deps.locale());

  return {
    async incident(hold) {
      const channelId = deps.channelId;
      if (!channelId) {
        log.error(
          { channel: hold.channel, incidentId: hold.incidentId },
          `Midjourney account channel ${hold.channel} is held for moderation (596) and NO moderator was alerted: ` +
            'MOD_ALERT_CHANNEL_ID is not set. Set it to a channel id; /midjourney status shows the hold meanwhile.',
        );
        return;
      }
      const pending = await deps.pendingModMessage?.(hold.channel).catch((error: unknown) => {
        log.debug({ err: error, channel: hold.channel }, 'could not read the pending moderation message');
        return undefined;
      });
      const shown: Hold = { ...hold, moderationText: pending ?? hold.moderationText };
      let message: APIMessage;
      try {
        message = (await deps.rest.post(Routes.channelMessages(channelId), {
          body: {
            ...alertMessage(shown, t(), undefined, deps.upstream),
            allowed_mentions: { parse: [] },
          } satisfies RESTPostAPIChannelMessageJSONBody,
        })) as APIMessage;
      } catch (error) {
        log.error(
          { err: error, channel: hold.channel, alertChannelId: channelId, incidentId: hold.incidentId },
          `Midjourney account channel ${hold.channel} is held for moderation (596) and NO moderator was alerted: ` +
            `posting in MOD_ALERT_CHANNEL_ID ${channelId} failed. Check that the channel exists and the bot may ` +
            'send messages there; /midjourney status shows the hold meanwhile.',
        );
        return;
      }
      // The hold may have been cleared meanwhile; never bring it back by writing an old copy.
      const current = await deps.holds.get(hold.channel);
      if (current?.incidentId === hold.incidentId) {
        await deps.holds.update({
          ...current,
          moderationText: shown.moderationText,
          alertMessageId: message.id,
          alertChannelId: channelId,
        });
      }
      log.warn(
        { channel: hold.channel, alertMessageId: message.id, incidentId: hold.incidentId },
        'moderators alerted: account held for moderation',
      );
    },

    async resetDone(outcome) {
      const channelId = outcome.hold?.alertChannelId ?? deps.channelId;
      if (!channelId) {
        log.warn({ channel: outcome.channel, result: outcome.result }, 'reset not posted: no alert channel');
        return;
      }
      const translate = t();
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
        log.error(
          { err: error, channel: outcome.channel, alertChannelId: channelId },
          'could not post the reset in the alert channel (it is audited in storage)',
        );
      }
    },

    async recovered(hold) {
      const channelId = hold.alertChannelId;
      if (!channelId || !hold.alertMessageId) return;
      try {
        await deps.rest.patch(Routes.channelMessage(channelId, hold.alertMessageId), {
          body: alertMessage(
            hold,
            t(),
            { at: Date.now() },
            deps.upstream,
          ) satisfies RESTPatchAPIChannelMessageJSONBody,
        });
        log.info(
          { channel: hold.channel, alertMessageId: hold.alertMessageId },
          'alert marked resolved: the account recovered',
        );
      } catch (error) {
        log.error(
          { err: error, channel: hold.channel, alertChannelId: channelId },
          'could not mark the alert resolved',
        );
      }
    },
  };
}
