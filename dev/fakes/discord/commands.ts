// The application commands the bot registers, global and per guild, with Discord's checks of a command set (names,
// duplicates, how many of each type).
import { ApplicationCommandType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { snowflake } from '../interaction-data.js';
import { checkCommand, type Issue, notAListIssue } from './checks.js';
import { apiError, type Ctx, isRecord, type Reply } from './common.js';
import type { Guards } from './guards.js';
import type { World } from './world.js';

type Command = Record<string, unknown>;

export function createCommandRegistry({ world, guards }: { world: World; guards: Guards }) {
  const { requireBot, reject, rejectAny } = guards;

  /** The live list of the application's commands: global, or of a guild the bot is in. */
  const list = (ctx: Ctx, app: string, guildId?: string): Command[] => {
    requireBot(ctx);
    if (app !== world.applicationId)
      throw apiError(404, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application');
    if (!guildId) return world.globalCommands;
    if (!world.guilds.has(guildId)) throw apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
    const commands = world.guildCommands.get(guildId) ?? [];
    world.guildCommands.set(guildId, commands);
    return commands;
  };

  const stored = (c: Command, existing: Command | undefined, guildId?: string) =>
    storedCommand(world.applicationId, c, existing, guildId);

  /** Replaces the whole list (a command keeps its id when its name and type stay). */
  const put = (ctx: Ctx, app: string, guildId?: string): Reply => {
    const commands = list(ctx, app, guildId);
    if (!Array.isArray(ctx.body)) reject(ctx, [notAListIssue([])]);
    const incoming = (ctx.body as unknown[]).filter(isRecord);
    rejectAny(ctx, commandSetIssues(incoming));
    const next = incoming.map((c) =>
      stored(
        c,
        commands.find((x) => sameCommand(x, c)),
        guildId,
      ),
    );
    commands.splice(0, commands.length, ...next);
    return { status: 200, body: commands };
  };

  /** Creates a command, or replaces the one of the same name and type (200 instead of 201). */
  const post = (ctx: Ctx, app: string, guildId?: string): Reply => {
    const commands = list(ctx, app, guildId);
    const c = isRecord(ctx.body) ? ctx.body : {};
    const existingIndex = commands.findIndex((x) => sameCommand(x, c));
    rejectAny(ctx, commandSetIssues([...commands.filter((_, i) => i !== existingIndex), c]));
    const command = stored(c, commands[existingIndex], guildId);
    if (existingIndex >= 0) commands[existingIndex] = command;
    else commands.push(command);
    return { status: existingIndex >= 0 ? 200 : 201, body: command };
  };

  const get = (ctx: Ctx, app: string, guildId: string | undefined, id: string): Reply => {
    const commands = list(ctx, app, guildId);
    return { status: 200, body: commands[indexOf(commands, id)] };
  };

  const patch = (ctx: Ctx, app: string, guildId: string | undefined, id: string): Reply => {
    const commands = list(ctx, app, guildId);
    const index = indexOf(commands, id);
    const current = commands[index] ?? {};
    const merged = { ...current, ...(isRecord(ctx.body) ? ctx.body : {}) };
    rejectAny(ctx, commandSetIssues([...commands.filter((_, i) => i !== index), merged]));
    const command = stored(merged, current, guildId);
    commands[index] = command;
    return { status: 200, body: command };
  };

  const remove = (ctx: Ctx, app: string, guildId: string | undefined, id: string): Reply => {
    const commands = list(ctx, app, guildId);
    commands.splice(indexOf(commands, id), 1);
    return { status: 204 };
  };

  return { list, put, post, get, patch, remove };
}

export type CommandRegistry = ReturnType<typeof createCommandRegistry>;

const sameCommand = (a: Command, b: Command): boolean => a.name === b.name && a.type === (b.type ?? 1);

const indexOf = (commands: Command[], id: string): number => {
  const index = commands.findIndex((c) => c.id === id);
  if (index < 0)
    throw apiError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command');
  return index;
};

/** A command as Discord stores and answers it: every field present, a new version each time. */
const storedCommand = (
  applicationId: string,
  c: Command,
  existing: Command | undefined,
  guildId?: string,
) => {
  const type = typeof c.type === 'number' ? c.type : ApplicationCommandType.ChatInput;
  return {
    id: existing?.id ?? snowflake(),
    application_id: applicationId,
    version: snowflake(),
    type,
    name: c.name,
    name_localizations: c.name_localizations ?? null,
    description: type === ApplicationCommandType.ChatInput ? (c.description ?? '') : '',
    description_localizations: c.description_localizations ?? null,
    options: Array.isArray(c.options) ? c.options : [],
    default_member_permissions: c.default_member_permissions ?? null,
    dm_permission: c.dm_permission ?? true,
    contexts: c.contexts ?? null,
    integration_types: c.integration_types ?? [0],
    nsfw: c.nsfw ?? false,
    ...(guildId ? { guild_id: guildId } : {}),
  };
};

/** What Discord refuses in a set of commands: each command's own issues, duplicates, too many of a type. */
function commandSetIssues(commands: unknown[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  commands.forEach((c, i) => {
    checkCommand(issues, c, [i]);
  });
  commands.forEach((c, i) => {
    if (!isRecord(c)) return;
    const key = `${String(c.type ?? 1)}:${String(c.name)}`;
    if (seen.has(key)) {
      const message = 'Application command names must be unique';
      issues.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message });
    }
    seen.add(key);
  });
  const count = (t: number): number => commands.filter((c) => isRecord(c) && (c.type ?? 1) === t).length;
  if (count(1) > 100)
    issues.push({
      path: [],
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 100 or fewer chat input commands.',
    });
  if (count(2) > 15 || count(3) > 15) {
    const message = 'Must be 15 or fewer context menu commands of a type.';
    issues.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message });
  }
  return issues;
}
