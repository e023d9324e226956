// A fake Discord for end-to-end tests, the demo and the benchmark: REST (node:http) and the gateway (ws) on one
// 127.0.0.1 port. An unmodified discord.js Client logs in to it with `rest: { api: fake.apiUrl }`. It answers at once,
// enforces the rules Discord enforces (3 s to acknowledge, one acknowledgement, 15-minute tokens, message limits, the
// OpenAPI spec of every body) and records everything so tests can assert on what the bot sent.
// See /work/shared/reference/discord-testing.md. The parts live in ./discord/: world (state), gateway, the REST
// routes, checks and spec (validation), http (routing, bodies, faults).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionType } from 'discord-api-types/v10';
import { WebSocketServer } from 'ws';
import { createCallback } from './discord/callback.js';
import { createCommandRegistry } from './discord/commands.js';
import { createCommandRoutes } from './discord/commands-routes.js';
import { NON_RESUMABLE_CLOSE } from './discord/common.js';
import { createGateway } from './discord/gateway.js';
import { createHandles } from './discord/handles.js';
import { createHttp } from './discord/http.js';
import { createInteractions } from './discord/interactions.js';
import { createMakeMessage } from './discord/make-message.js';
import { createRestKit } from './discord/rest-kit.js';
import { createAccountRoutes } from './discord/routes-account.js';
import { createChannelRoutes } from './discord/routes-channels.js';
import { createWebhookRoutes } from './discord/routes-webhooks.js';
import { createSenders } from './discord/senders.js';
import { createSetup } from './discord/setup.js';
import { createMessageStore } from './discord/store.js';
import type { FakeDiscord, FakeDiscordOptions } from './discord/types.js';
import { createWorld } from './discord/world.js';
import { snapshot } from './interaction-data.js';

export type * from './discord/types.js';
export { shardOf } from './interaction-data.js';

/** The parts, built on one shared state object (each adds its functions to it, so later parts can call them). */
function assemble(options: FakeDiscordOptions) {
  const w = createWorld(options);
  const g = Object.assign(w, createGateway(w));
  const s = Object.assign(g, createMessageStore(g), createMakeMessage(g), createSetup(g));
  const h = Object.assign(s, createHandles(s));
  const ix = Object.assign(h, createInteractions(h));
  const i = Object.assign(ix, createSenders(ix));
  const k = Object.assign(i, createRestKit(i));
  const c = Object.assign(k, createCallback(k), createCommandRegistry(k));
  const routes = [
    ...createAccountRoutes(c),
    ...createCommandRoutes(c),
    ...createWebhookRoutes(c),
    ...createChannelRoutes(c),
  ];
  return Object.assign(c, createHttp(c, routes));
}

export const startFakeDiscord = async (options: FakeDiscordOptions = {}): Promise<FakeDiscord> => {
  const f = assemble(options);
  const server = createServer((req, res) => {
    void f.onRequest(req, res);
  });
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    if (f.refuseGateway) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => f.onSocket(ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  f.origin = `http://127.0.0.1:${port}`;
  f.wsUrl = `ws://127.0.0.1:${port}`;
  const posted = (channelId: string | undefined) =>
    (channelId ? (f.channelPosts.get(channelId) ?? []) : []).flatMap((id) => {
      const m = f.messages.get(id);
      return m ? [snapshot(m)] : [];
    });

  return {
    apiUrl: `${f.origin}/api`,
    origin: f.origin,
    token: f.token,
    applicationId: f.applicationId,
    botUserId: f.botUserId,
    rest: f.rest,
    violations: f.violations,
    checkDeferredSpec: f.checkDeferredSpec,
    unknownRoutes: f.unknownRoutes,
    addGuild: f.addGuild,
    waitForReady: f.waitForReady,
    sessions: f.sessions,
    commands: (scope) =>
      (scope?.guildId ? (f.guildCommands.get(scope.guildId) ?? []) : f.globalCommands).map((c) =>
        structuredClone(c),
      ),
    slash: (input) => f.chatInput(input, InteractionType.ApplicationCommand),
    autocomplete: (input) => {
      const focused = (input.options ?? []).filter((o) => o.focused).length;
      if (focused !== 1)
        throw new Error(`fake-discord: autocomplete needs exactly one focused option, got ${focused}`);
      return f.chatInput(input, InteractionType.ApplicationCommandAutocomplete);
    },
    messageCommand: f.messageCommand,
    button: f.button,
    modalSubmit: f.modalSubmit,
    channelMessages: (channelId) => posted(channelId),
    dmMessages: (userId) => posted(f.dmChannels.get(userId)?.id),
    makeMessage: f.makeMessage,
    waitForRest: f.waitForRest,
    delayRest: f.delayRest,
    failRest: f.failRest,
    refuseGateway: (on) => {
      f.refuseGateway = on;
    },
    dropHeartbeatAcks: (on) => {
      f.dropAcks = on;
    },
    disconnectAll: (code = 4000) => {
      for (const s of f.sessionList) {
        if (s.ws && NON_RESUMABLE_CLOSE.has(code)) s.dead = true;
      }
      for (const ws of f.sockets) ws.close(code, 'fake-discord: disconnectAll');
    },
    close: async () => {
      for (const ws of f.sockets) ws.terminate();
      f.sockets.clear();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
