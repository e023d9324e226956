import type { CommandRegistry } from './commands.js';
import { type Handler, isRecord, type Route } from './common.js';
import type { RestKit } from './rest-kit.js';
import type { World } from './world.js';

export function createCommandRoutes(w: World & RestKit & CommandRegistry): Route[] {
  const { commandList, storedCommand, checkCommandSet, putCommands, postCommand, commandById } = w;
  return [
    [
      'GET',
      'applications/:app/commands',
      (ctx, { app = '' }) => ({ status: 200, body: commandList(ctx, app) }),
    ],
    ['PUT', 'applications/:app/commands', (ctx, { app = '' }) => putCommands(ctx, app)],
    ['POST', 'applications/:app/commands', (ctx, { app = '' }) => postCommand(ctx, app)],
    [
      'GET',
      'applications/:app/guilds/:guild/commands',
      (ctx, { app = '', guild = '' }) => ({ status: 200, body: commandList(ctx, app, guild) }),
    ],
    [
      'PUT',
      'applications/:app/guilds/:guild/commands',
      (ctx, { app = '', guild = '' }) => putCommands(ctx, app, guild),
    ],
    [
      'POST',
      'applications/:app/guilds/:guild/commands',
      (ctx, { app = '', guild = '' }) => postCommand(ctx, app, guild),
    ],
    ...(['applications/:app/commands/:command', 'applications/:app/guilds/:guild/commands/:command'].flatMap(
      (path): [string, string, Handler][] => [
        [
          'GET',
          path,
          (ctx, { app = '', guild, command = '' }) => {
            const list = commandList(ctx, app, guild);
            return { status: 200, body: list[commandById(list, command)] };
          },
        ],
        [
          'PATCH',
          path,
          (ctx, { app = '', guild, command = '' }) => {
            const list = commandList(ctx, app, guild);
            const index = commandById(list, command);
            const current = list[index] ?? {};
            const merged = { ...current, ...(isRecord(ctx.body) ? ctx.body : {}) };
            checkCommandSet(ctx, [...list.filter((_, i) => i !== index), merged], []);
            const stored = storedCommand(merged, current, guild);
            list[index] = stored;
            return { status: 200, body: stored };
          },
        ],
        [
          'DELETE',
          path,
          (ctx, { app = '', guild, command = '' }) => {
            const list = commandList(ctx, app, guild);
            list.splice(commandById(list, command), 1);
            return { status: 204 };
          },
        ],
      ],
    ) as [string, string, Handler][]),
  ];
}
