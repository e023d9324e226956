// A fake Discord for end-to-end tests, the demo and the benchmark: REST (node:http) and the gateway (ws) on one
// 127.0.0.1 port. An unmodified discord.js Client logs in to it with `rest: { api: fake.apiUrl }`. It answers at once,
// enforces the rules Discord enforces (3 s to acknowledge, one acknowledgement, 15-minute tokens, message limits, the
// OpenAPI spec of every body) and records everything so tests can assert on what the bot sent.
// See /work/shared/reference/discord-testing.md. The parts live in ./discord/, built in this order by `buildParts`,
// each from the parts it uses:
//   world (the shared state: guilds, sessions, messages, interactions, the REST log) →
//   dispatcher (numbered gateway events) → gateway (the socket protocol) → setup (guilds, sessions, readiness) →
//   attachments (uploads on the fake CDN) → messages (the message store) → makeMessage (messages by others) →
//   handles (what a test holds for an interaction) → interactions (sending one) → senders (slash, button, …) →
//   guards (token, uploads, body limits, refusals) → lookups (404s by id) → callback (the acknowledgement) →
//   commands (the command registry) → the routes (account, commands, webhooks, channels, guilds) →
//   faults, restLog, specGate → http (recording, faults, routing).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionType } from 'discord-api-types/v10';
import { WebSocketServer } from 'ws';
import { createAttachments } from './discord/attachments.js';
import { createCallback } from './discord/callback.js';
import { createCommandRegistry } from './discord/commands.js';
import { createCommandRoutes } from './discord/commands-routes.js';
import { NON_RESUMABLE_CLOSE } from './discord/common.js';
import { createDispatcher } from './discord/dispatch.js';
import { createFaults } from './discord/faults.js';
import { createGateway } from './discord/gateway.js';
import { createGuards } from './discord/guards.js';
import { createHandles } from './discord/handles.js';
import { createHttp } from './discord/http.js';
import { createInteractions } from './discord/interactions.js';
import { createLookups } from './discord/lookups.js';
import { createMakeMessage } from './discord/make-message.js';
import { createRestLog } from './discord/rest-log.js';
import { createAccountRoutes } from './discord/routes-account.js';
import { createChannelRoutes } from './discord/routes-channels.js';
import { createGuildRoutes } from './discord/routes-guilds.js';
import { createWebhookRoutes } from './discord/routes-webhooks.js';
import { createSenders } from './discord/senders.js';
import { createSetup } from './discord/setup.js';
import { createSpecGate } from './discord/spec.js';
import { createMessageStore } from './discord/store.js';
import type { FakeDiscord, FakeDiscordOptions } from './discord/types.js';
import { createWorld } from './discord/world.js';
import { snapshot } from './interaction-data.js';

export type * from './discord/types.js';
export { shardOf } from './interaction-data.js';

/** The parts, in order; each receives exactly the parts it uses. */
function buildParts(options: FakeDiscordOptions) {
  const world = createWorld(options);
  const dispatcher = createDispatcher({ world });
  const gateway = createGateway({ world, dispatcher });
  const setup = createSetup({ world, dispatcher });
  const attachments = createAttachments({ world });
  const messages = createMessageStore({ world, attachments });
  const makeMessage = createMakeMessage({ world, dispatcher });
  const handles = createHandles({ world });
  const interactions = createInteractions({ world, dispatcher, handles });
  const senders = createSenders({ world, interactions, messages });
  const guards = createGuards({ world });
  const lookups = createLookups({ world });
  const callback = createCallback({ world, guards, messages });
  const commands = createCommandRegistry({ world, guards });
  const routes = [
    ...createAccountRoutes({ world, guards, lookups }),
    ...createCommandRoutes({ commands }),
    ...createWebhookRoutes({ world, guards, messages, callback }),
    ...createChannelRoutes({ world, guards, lookups, messages, dispatcher }),
    ...createGuildRoutes({ world, guards, lookups }),
  ];
  const faults = createFaults({ world });
  const restLog = createRestLog({ world });
  const specGate = createSpecGate({ world, guards });
  const http = createHttp({ world, routes, faults, restLog, specGate });
  return { world, gateway, setup, makeMessage, senders, faults, restLog, specGate, http };
}

type Parts = ReturnType<typeof buildParts>;

/** What the fake knows once it listens, and the records tests read. */
type FixedFields =
  | 'apiUrl'
  | 'origin'
  | 'token'
  | 'applicationId'
  | 'botUserId'
  | 'rest'
  | 'violations'
  | 'unknownRoutes';

export const startFakeDiscord = async (options: FakeDiscordOptions = {}): Promise<FakeDiscord> => {
  const parts = buildParts(options);
  const { world } = parts;
  const server = await listen(parts);
  const { port } = server.address() as AddressInfo;
  world.origin = `http://127.0.0.1:${port}`;
  world.wsUrl = `ws://127.0.0.1:${port}`;
  return {
    apiUrl: `${world.origin}/api`,
    origin: world.origin,
    token: world.token,
    applicationId: world.applicationId,
    botUserId: world.botUserId,
    rest: world.rest,
    violations: world.violations,
    unknownRoutes: world.unknownRoutes,
    ...testControls(parts),
    close: async () => {
      for (const ws of world.sockets) ws.terminate();
      world.sockets.clear();
      server.wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** REST and the gateway on one port: HTTP requests go to `http`, WebSocket upgrades to the gateway (unless refused). */
async function listen({ world, gateway, http }: Parts) {
  const server = createServer((req, res) => {
    void http.onRequest(req, res);
  });
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    if (world.refuseGateway) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => gateway.onSocket(ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return Object.assign(server, { wss });
}

/** What tests do with the fake: set it up, send interactions, read what the bot sent, inject faults. */
function testControls(parts: Parts): Omit<FakeDiscord, FixedFields | 'close'> {
  const { world, setup, senders, faults, restLog, specGate } = parts;
  const posted = (channelId: string | undefined) =>
    (channelId ? (world.channelPosts.get(channelId) ?? []) : []).flatMap((id) => {
      const m = world.messages.get(id);
      return m ? [snapshot(m)] : [];
    });
  return {
    checkDeferredSpec: specGate.checkDeferredSpec,
    addGuild: setup.addGuild,
    waitForReady: setup.waitForReady,
    sessions: setup.sessions,
    commands: (scope) =>
      (scope?.guildId ? (world.guildCommands.get(scope.guildId) ?? []) : world.globalCommands).map((c) =>
        structuredClone(c),
      ),
    slash: (input) => senders.chatInput(input, InteractionType.ApplicationCommand),
    autocomplete: (input) => {
      const focused = (input.options ?? []).filter((o) => o.focused).length;
      if (focused !== 1)
        throw new Error(`fake-discord: autocomplete needs exactly one focused option, got ${focused}`);
      return senders.chatInput(input, InteractionType.ApplicationCommandAutocomplete);
    },
    messageCommand: senders.messageCommand,
    button: senders.button,
    modalSubmit: senders.modalSubmit,
    channelMessages: (channelId) => posted(channelId),
    dmMessages: (userId) => posted(world.dmChannels.get(userId)?.id),
    makeMessage: parts.makeMessage,
    waitForRest: restLog.waitForRest,
    delayRest: faults.delayRest,
    failRest: faults.failRest,
    refuseGateway: (on) => {
      world.refuseGateway = on;
    },
    dropHeartbeatAcks: (on) => {
      world.dropAcks = on;
    },
    disconnectAll: (code = 4000) => {
      for (const s of world.sessionList) {
        if (s.ws && NON_RESUMABLE_CLOSE.has(code)) s.dead = true;
      }
      for (const ws of world.sockets) ws.close(code, 'fake-discord: disconnectAll');
    },
  };
}
