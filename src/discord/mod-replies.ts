// Pure builders for what moderators see: the alert of a held account, the status embeds, the reset confirmation and
// its outcome, and the audit line. No I/O, so they are tested as plain functions.
import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { mask } from '../redact.js';
import type { Hold, ResetAudit } from '../seed/model/types.js';
import type { ModerationStatus, ResetOutcome, ResetResult } from '../seed/moderation/moderation.js';
import type { UpstreamName } from '../seed/upstream.js';
import { truncate } from './replies.js';

export interface ModReply {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Custom id prefixes of the moderator buttons (`<prefix>:<account channel>`). */
export const RESET_BUTTON = 'mod-reset';
export const CONFIRM_BUTTON = 'mod-confirm';
export const CANCEL_BUTTON = 'mod-cancel';

const HELD_COLOR = 0xe67e22;
const OK_COLOR = 0x2ecc71;
const MAX_EMBEDS = 10;
const seconds = (ms: number) => Math.floor(ms / 1000);
/** Discord renders these in each reader's own time zone and language. */
const relativeTime = (ms: number) => `<t:${seconds(ms)}:R>`;
const absoluteTime = (ms: number) => `<t:${seconds(ms)}:f>`;
const mention = (userId: string) => `<@${userId}>`;

/**
 * The words that depend on the upstream: useapi resets an account (596); a midjourney-proxy's accounts are unlocked
 * in its own admin page, and the bot's "reset" only checks again.
 */
const UPSTREAM_KEYS = {
  useapi: {
    body: 'mod.alert.body',
    noText: 'mod.alert.noText',
    confirm: 'mod.confirm',
    stillPending: 'mod.reset.stillPending',
    working: 'mod.reset.working',
  },
  'midjourney-proxy': {
    body: 'mod.alert.proxyBody',
    noText: 'mod.alert.proxyNoText',
    confirm: 'mod.proxyConfirm',
    stillPending: 'mod.reset.proxyStillPending',
    working: 'mod.reset.proxyWorking',
  },
} as const satisfies Record<UpstreamName, Record<string, MessageKey>>;

/** What a moderator reads while the reset (or the proxy's re-check) runs. */
export const resetWorkingText = (channel: string, t: Translate, upstream: UpstreamName = 'useapi') =>
  t(UPSTREAM_KEYS[upstream].working, { channel });

const RESULT_KEYS: Record<ResetResult, MessageKey> = {
  ok: 'mod.result.ok',
  still_pending: 'mod.result.stillPending',
  unauthorized: 'mod.result.unauthorized',
  not_found: 'mod.result.notFound',
  error: 'mod.result.error',
};
const resultText = (result: ResetResult, t: Translate) => t(RESULT_KEYS[result]);

const row = (...buttons: APIButtonComponent[]): APIActionRowComponent<APIComponentInMessageActionRow> => ({
  type: ComponentType.ActionRow,
  components: buttons,
});

/** The one message per incident in the alert channel; `resolved` once a reset cleared the hold. */
/** How a hold ended: a moderator's reset (`by`), or the account usable again by itself (an upstream that recovers). */
export interface AlertResolution {
  by?: string | undefined;
  at: number;
}

function resolvedText(resolved: AlertResolution, t: Translate): { title: MessageKey; line: string } {
  const time = relativeTime(resolved.at);
  return resolved.by
    ? {
        title: 'mod.alert.resolvedTitle',
        line: t('mod.alert.resolved', { user: mention(resolved.by), time }),
      }
    : { title: 'mod.alert.recoveredTitle', line: t('mod.alert.recovered', { time }) };
}

export function alertMessage(
  hold: Hold,
  t: Translate,
  resolved?: AlertResolution | undefined,
  upstream: UpstreamName = 'useapi',
): ModReply {
  const keys = UPSTREAM_KEYS[upstream];
  const ending = resolved && resolvedText(resolved, t);
  const embed: APIEmbed = {
    title: truncate(t(ending ? ending.title : 'mod.alert.title', { channel: hold.channel }), 256),
    description: truncate(ending ? `${ending.line}\n\n${t(keys.body)}` : t(keys.body), 4096),
    color: resolved ? OK_COLOR : HELD_COLOR,
    fields: [
      {
        name: t('mod.alert.text'),
        value: truncate(hold.moderationText?.trim() || t(keys.noText), 1024),
      },
      { name: t('mod.alert.since'), value: relativeTime(hold.since), inline: true },
    ],
  };
  return {
    content: '',
    embeds: [embed],
    components: [
      row({
        type: ComponentType.Button,
        style: ButtonStyle.Danger,
        custom_id: `${RESET_BUTTON}:${hold.channel}`,
        label: t('mod.button.reset'),
        disabled: Boolean(resolved),
      }),
    ],
  };
}

/** Posted in the alert channel after every reset, whatever its result. */
export const auditLine = (entry: ResetAudit, t: Translate): string =>
  t('mod.audit.line', {
    channel: entry.channel,
    user: mention(entry.by),
    time: absoluteTime(entry.at),
    result: resultText(entry.result, t),
  });

/** The step before any reset: what must be done in Discord first, and the two buttons. */
export function confirmReply(channel: string, t: Translate, upstream: UpstreamName = 'useapi'): ModReply {
  return {
    content: t(UPSTREAM_KEYS[upstream].confirm, { channel }),
    embeds: [],
    components: [
      row(
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          custom_id: `${CONFIRM_BUTTON}:${channel}`,
          label: t('mod.button.confirm'),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: `${CANCEL_BUTTON}:${channel}`,
          label: t('mod.button.cancel'),
        },
      ),
    ],
  };
}

/** What the moderator who confirmed reads. */
export function resetOutcomeText(
  outcome: ResetOutcome,
  t: Translate,
  byUserId: string,
  upstream: UpstreamName = 'useapi',
): string {
  const { channel } = outcome;
  switch (outcome.result) {
    case 'ok':
      return t('mod.reset.ok', { channel, user: mention(byUserId), count: outcome.released });
    case 'still_pending':
      return t(UPSTREAM_KEYS[upstream].stillPending);
    case 'unauthorized':
      return t('mod.reset.unauthorized');
    case 'not_found':
      return t('mod.reset.notFound', { channel });
    case 'error':
      return t('mod.reset.error', { reason: outcome.reason ?? 'unknown' });
    case 'in_progress':
      return t('mod.reset.inProgress', { channel });
  }
}

const alertLink = (hold: Hold, guildId: string | undefined) =>
  hold.alertMessageId && hold.alertChannelId
    ? `https://discord.com/channels/${guildId ?? '@me'}/${hold.alertChannelId}/${hold.alertMessageId}`
    : undefined;

/** One embed per account (at most ten), ephemeral. */
export function statusReply(
  status: ModerationStatus,
  t: Translate,
  options: { guildId?: string | undefined; upstream?: UpstreamName } = {},
): ModReply {
  const upstream = options.upstream ?? 'useapi';
  const header = [`**${t('mod.status.title')}**`];
  if (status.accountsError)
    header.push(t('mod.status.unavailable', { upstream, reason: status.accountsError }));
  if (status.accounts.length === 0 && !status.accountsError) header.push(t('mod.status.none', { upstream }));
  const shown = status.accounts.slice(0, MAX_EMBEDS);
  if (status.accounts.length > shown.length)
    header.push(t('mod.status.more', { count: status.accounts.length - shown.length }));

  const embeds = shown.map((account): APIEmbed => {
    const lines: string[] = [
      account.hold ? t('mod.status.held', { since: relativeTime(account.hold.since) }) : t('mod.status.ok'),
    ];
    if (!account.configured) lines.push(t('mod.status.notConfigured', { upstream }));
    else
      lines.push(
        t('mod.status.line', {
          token: account.discord ? `\`${mask(account.discord)}\`` : '—',
          maxJobs: account.maxJobs ?? '—',
          waiting: account.waiting,
          executing: status.executingError ? '?' : account.executing.length,
        }),
      );
    if (account.pendingModMessage)
      lines.push(t('mod.status.pending', { text: truncate(account.pendingModMessage, 1000) }));
    if (account.hold) {
      const link = alertLink(account.hold, options.guildId);
      lines.push(link ? t('mod.status.alert', { link }) : t('mod.status.noAlert'));
    }
    if (account.lastError)
      lines.push(
        t('mod.status.lastError', {
          error: `\`${account.lastError.kind}\` ${relativeTime(account.lastError.at)}`,
        }),
      );
    const resets = account.resets.map((r) =>
      t('mod.status.resetEntry', {
        time: absoluteTime(r.at),
        user: mention(r.by),
        result: resultText(r.result, t),
      }),
    );
    lines.push(
      t('mod.status.resets', {
        list: resets.length ? `\n${resets.map((r) => `• ${r}`).join('\n')}` : t('mod.status.noResets'),
      }),
    );
    return {
      title: truncate(account.channel, 256),
      description: truncate(lines.join('\n'), 4096),
      color: account.hold || account.pendingModMessage ? HELD_COLOR : OK_COLOR,
    };
  });
  return { content: header.join('\n'), embeds, components: [] };
}
