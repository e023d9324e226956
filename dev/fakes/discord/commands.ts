import { ApplicationCommandType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { snowflake } from '../interaction-data.js';
import { checkCommand, type Issue, type Path } from './checks.js';
import { apiError, type Ctx, isRecord, type Reply } from './common.js';
import type { RestKit } from './rest-kit.js';
import type { World } from './world.js';

export function createCommandRegistry(w: World & RestKit) {
  const { applicationId, guilds, globalCommands, guildCommands, requireBot, reject } = w;
  const commandList = (ctx: Ctx, app: string, guildId?: string): Record<string, unknown>[] => {
    requireBot(ctx);
    if (app !== applicationId)
      throw apiError(404, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application');
    if (!guildId) return globalCommands;
    if (!guilds.has(guildId)) throw apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
    let list = guildCommands.get(guildId);
    if (!list) {
      list = [];
      guildCommands.set(guildId, list);
    }
    return list;
  };

  const storedCommand = (
    c: Record<string, unknown>,
    existing: Record<string, unknown> | undefined,
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

  const checkCommandSet = (ctx: Ctx, list: unknown[], path: Path): void => {
    const issues: Issue[] = [];
    list.forEach((c, i) => {
      checkCommand(issues, c, [...path, i]);
    });
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (!isRecord(c)) return;
      const key = `${String(c.type ?? 1)}:${String(c.name)}`;
      if (seen.has(key)) {
        issues.push({
          path: [...path, i, 'name'],
          code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
          message: 'Application command names must be unique',
        });
      }
      seen.add(key);
    });
    const count = (t: number): number => list.filter((c) => isRecord(c) && (c.type ?? 1) === t).length;
    if (count(1) > 100)
      issues.push({
        path,
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 100 or fewer chat input commands.',
      });
    if (count(2) > 15 || count(3) > 15)
      issues.push({
        path,
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 15 or fewer context menu commands of a type.',
      });
    if (issues.length) reject(ctx, issues);
  };

  const putCommands = (ctx: Ctx, app: string, guildId?: string): Reply => {
    const list = commandList(ctx, app, guildId);
    if (!Array.isArray(ctx.body))
      reject(ctx, [
        { path: [], code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' },
      ]);
    const incoming = (ctx.body as unknown[]).filter(isRecord);
    checkCommandSet(ctx, incoming, []);
    const next = incoming.map((c) =>
      storedCommand(
        c,
        list.find((x) => x.name === c.name && x.type === (c.type ?? 1)),
        guildId,
      ),
    );
    list.splice(0, list.length, ...next);
    return { status: 200, body: list };
  };

  const postCommand = (ctx: Ctx, app: string, guildId?: string): Reply => {
    const list = commandList(ctx, app, guildId);
    const c = isRecord(ctx.body) ? ctx.body : {};
    const existingIndex = list.findIndex((x) => x.name === c.name && x.type === (c.type ?? 1));
    const others = list.filter((_, i) => i !== existingIndex);
    checkCommandSet(ctx, [...others, c], []);
    const stored = storedCommand(c, list[existingIndex], guildId);
    if (existingIndex >= 0) list[existingIndex] = stored;
    else list.push(stored);
    return { status: existingIndex >= 0 ? 200 : 201, body: stored };
  };

  const commandById = (list: Record<string, unknown>[], id: string): number => {
    const index = list.findIndex((c) => c.id === id);
    if (index < 0)
      throw apiError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command');
    return index;
  };

  return { commandList, storedCommand, checkCommandSet, putCommands, postCommand, commandById };
}

export type CommandRegistry = ReturnType<typeof createCommandRegistry>;
