// The registered commands against the code's: missing, changed, extra, or registered twice.
import { RESTJSONErrorCodes, Routes } from 'discord.js';
import { commandData } from '../../commands/index.js';
import type { Config } from '../config.js';
import { type Check, failure, pass } from './check.js';
import { type Discord, describe, discordCode, record } from './http.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const OPTION_KEYS = [
  'type',
  'name',
  'name_localizations',
  'description',
  'description_localizations',
  'required',
  'choices',
  'options',
  'channel_types',
  'min_value',
  'max_value',
  'min_length',
  'max_length',
  'autocomplete',
];
const CHOICE_KEYS = ['name', 'name_localizations', 'value'];
const COMMAND_FIELDS = [
  'type',
  'name',
  'name_localizations',
  'description',
  'description_localizations',
  'options',
  'default_member_permissions',
  'contexts',
  'integration_types',
  'nsfw',
];

function normalize(value: unknown, keys?: string[]): Json | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v, keys)).filter((v): v is Json => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const out: Record<string, Json> = {};
    for (const key of (keys ?? Object.keys(source)).slice().sort()) {
      // Options and choices keep only the fields Discord stores; anything else (localizations) keeps every key.
      const inner = key === 'options' ? OPTION_KEYS : key === 'choices' ? CHOICE_KEYS : undefined;
      const v = normalize(source[key], inner);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value as Json;
}

const commandType = (c: Record<string, unknown>) => Number(c.type ?? 1);
const commandLabel = (c: Record<string, unknown>) =>
  commandType(c) === 1
    ? `/${String(c.name)}`
    : `"${String(c.name)}" (${commandType(c) === 3 ? 'message' : 'user'} menu)`;

/** Field names that differ between the code's command and Discord's. `contexts` and `integration_types` only count when the code sets them. */
function commandDifferences(local: Record<string, unknown>, remote: Record<string, unknown>): string[] {
  const differs: string[] = [];
  for (const field of COMMAND_FIELDS) {
    if ((field === 'contexts' || field === 'integration_types') && local[field] === undefined) continue;
    const inner = field === 'options' ? OPTION_KEYS : undefined;
    const a = field === 'type' ? commandType(local) : normalize(local[field], inner);
    const b = field === 'type' ? commandType(remote) : normalize(remote[field], inner);
    // A context menu has no description; Discord stores ''.
    if (field === 'description' && commandType(local) !== 1) continue;
    if (JSON.stringify(a) !== JSON.stringify(b)) differs.push(field);
  }
  return differs;
}

export function compareCommands(
  local: Record<string, unknown>[],
  remote: Record<string, unknown>[],
): { missing: string[]; extra: string[]; outdated: string[] } {
  const key = (c: Record<string, unknown>) => `${commandType(c)}:${String(c.name)}`;
  const remoteByKey = new Map(remote.map((c) => [key(c), c]));
  const localKeys = new Set(local.map(key));
  const missing: string[] = [];
  const outdated: string[] = [];
  for (const c of local) {
    const r = remoteByKey.get(key(c));
    if (!r) missing.push(commandLabel(c));
    else {
      const differs = commandDifferences(c, r);
      if (differs.length) outdated.push(`${commandLabel(c)} (${differs.join(', ')})`);
    }
  }
  const extra = remote.filter((c) => !localKeys.has(key(c))).map(commandLabel);
  return { missing, extra, outdated };
}

export async function checkCommands(config: Pick<Config, 'discord'>, discord: Discord): Promise<Check> {
  const name = 'Commands';
  const app = config.discord.applicationId;
  const guild = config.discord.guildId;
  const scope = guild ? `guild ${guild}` : 'global';
  const path = guild ? Routes.applicationGuildCommands(app, guild) : Routes.applicationCommands(app);
  const answer = await discord.get(path, new URLSearchParams({ with_localizations: 'true' }));
  if (answer.status !== 200) {
    const code = discordCode(answer);
    if (guild && (answer.status === 403 || code === RESTJSONErrorCodes.MissingAccess))
      return failure(
        name,
        `cannot read the commands of ${scope}: ${describe(answer)}`,
        'Invite the bot to that server with the applications.commands scope, or check DISCORD_GUILD_ID.',
      );
    return failure(
      name,
      `cannot read the ${scope} commands: ${describe(answer)}`,
      'Check DISCORD_APPLICATION_ID and the token.',
    );
  }
  const remote = (Array.isArray(answer.body) ? answer.body : []).map(record);
  const local = commandData().map((c) => record(c));
  const { missing, extra, outdated } = compareCommands(local, remote);
  const names = local.map(commandLabel).join(', ');
  if (remote.length === 0)
    return failure(
      name,
      `none registered (${scope}); the code has ${names}`,
      `Run \`npm run register\` (registers ${guild ? 'in DISCORD_GUILD_ID, instantly' : 'globally; Discord may take up to an hour to show them'}).`,
    );
  if (missing.length || outdated.length || extra.length) {
    const lines = [`registered (${scope}) but not up to date with the code`];
    if (missing.length) lines.push(`missing: ${missing.join(', ')}`);
    if (outdated.length) lines.push(`changed in the code: ${outdated.join(', ')}`);
    if (extra.length) lines.push(`registered but no longer in the code: ${extra.join(', ')}`);
    return failure(name, lines.join('\n'), 'Run `npm run register` to send the current definitions.');
  }
  const detail = `${local.length} registered (${scope}) and up to date: ${names}`;
  if (guild) {
    // Commands registered both globally and in the guild show twice there.
    const global = await discord.get(`/applications/${app}/commands`);
    const globals = (Array.isArray(global.body) ? global.body : []).map(record);
    const twice = globals.filter((g) =>
      local.some((l) => l.name === g.name && commandType(l) === commandType(g)),
    );
    if (global.status === 200 && twice.length)
      return pass(
        name,
        `${detail}\nalso registered globally: ${twice.map(commandLabel).join(', ')} (members see them twice in that server)`,
        {
          warning: true,
          fix: 'Remove the global registration (unset DISCORD_GUILD_ID, run `npm run register` with an empty command list, or delete them in the Developer Portal), or stop using DISCORD_GUILD_ID.',
        },
      );
  }
  return pass(name, detail);
}
