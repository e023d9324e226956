// The application command routes, global and per guild, onto the command registry.
import type { CommandRegistry } from './commands.js';
import type { Route } from './common.js';

export function createCommandRoutes({ commands }: { commands: CommandRegistry }): Route[] {
  const global = 'applications/:app/commands';
  const ofGuild = 'applications/:app/guilds/:guild/commands';
  return [
    ['GET', global, (ctx, { app = '' }) => ({ status: 200, body: commands.list(ctx, app) })],
    ['PUT', global, (ctx, { app = '' }) => commands.put(ctx, app)],
    ['POST', global, (ctx, { app = '' }) => commands.post(ctx, app)],
    [
      'GET',
      ofGuild,
      (ctx, { app = '', guild = '' }) => ({ status: 200, body: commands.list(ctx, app, guild) }),
    ],
    ['PUT', ofGuild, (ctx, { app = '', guild = '' }) => commands.put(ctx, app, guild)],
    ['POST', ofGuild, (ctx, { app = '', guild = '' }) => commands.post(ctx, app, guild)],
    ...[`${global}/:command`, `${ofGuild}/:command`].flatMap((path): Route[] => [
      ['GET', path, (ctx, { app = '', guild, command = '' }) => commands.get(ctx, app, guild, command)],
      ['PATCH', path, (ctx, { app = '', guild, command = '' }) => commands.patch(ctx, app, guild, command)],
      ['DELETE', path, (ctx, { app = '', guild, command = '' }) => commands.remove(ctx, app, guild, command)],
    ]),
  ];
}
