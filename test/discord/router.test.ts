// The router on stub interactions: routing by name and custom-id prefix, the one error boundary, and shutdown.
import { MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/discord/errors.js';
import { createRouter } from '../../src/discord/router.js';
import type { CommandSet, ComponentHandler, SlashCommand } from '../../src/discord/types.js';
import { createLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import { createRedactor } from '../../src/redact.js';
import { captureLogs } from '../helpers/harness.js';
import { stubAutocomplete, stubButton, stubServices, stubSlash } from '../helpers/stubs.js';

function slash(name: string, execute: SlashCommand['execute']): SlashCommand {
  return { data: { name, description: name }, execute };
}

function setup(commands: Partial<CommandSet>) {
  const logs = captureLogs();
  const log = createLogger({
    level: 'debug',
    format: 'json',
    redact: createRedactor(),
    destination: logs.stream,
  });
  const metrics = createMetrics();
  let refs = 0;
  const router = createRouter({ slash: [], message: [], components: [], ...commands }, stubServices(), {
    log,
    metrics,
    newRef: () => `ref${++refs}`,
  });
  const count = async (outcome: string) =>
    (await metrics.interactions.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
  return { router, logs, count };
}

const contentOf = (body: unknown) => (body as { content?: string }).content ?? '';

describe('createRouter', () => {
  it('refuses two commands with the same name at start', () => {
    const noop = async () => {};
    expect(() => setup({ slash: [slash('seed', noop), slash('seed', noop)] })).toThrow(/named "seed"/);
  });

  it('runs the slash command of that name with a scope of its own: a correlation id, and a log that carries it', async () => {
    const seen: string[] = [];
    const { router, count, logs } = setup({
      slash: [
        slash('seed', async (_i, _services, scope) => {
          seen.push(scope.cid);
          scope.log.info('handled');
        }),
      ],
    });
    await router.handle(stubSlash('seed').interaction);
    await router.handle(stubSlash('seed').interaction);
    // Two interactions, two scopes.
    expect(seen).toEqual(['ref1', 'ref2']);
    expect(await count('ok')).toBe(2);
    const handled = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'handled');
    expect(handled.map((l) => l.cid)).toEqual(['ref1', 'ref2']);
  });

  it('routes a button by the first segment of its custom id and passes the rest as arguments', async () => {
    const args: string[][] = [];
    const handler: ComponentHandler = {
      prefix: 'copy',
      button: async (_i, _services, _scope, a) => void args.push(a),
    };
    const { router } = setup({ components: [handler] });
    await router.handle(stubButton('copy:job:1-user:2').interaction);
    expect(args).toEqual([['job', '1-user', '2']]);
  });

  it('shows a refusal privately and counts it as refused', async () => {
    const { router, count } = setup({
      slash: [
        slash('seed', async () => {
          throw new UserFacingError('error.notFound');
        }),
      ],
    });
    const { interaction, sent } = stubSlash('seed');
    await router.handle(interaction);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe('reply');
    expect(contentOf(sent[0]?.body)).toMatch(/31 days/);
    expect(await count('refused')).toBe(1);
  });

  it('answers an unexpected error with its reference only, and logs it as an error', async () => {
    const { router, logs, count } = setup({
      slash: [
        slash('seed', async () => {
          throw new Error('secret stack detail');
        }),
      ],
    });
    const { interaction, sent } = stubSlash('seed');
    await router.handle(interaction);
    expect(contentOf(sent[0]?.body)).toContain('ref1');
    expect(contentOf(sent[0]?.body)).not.toContain('secret stack detail');
    expect(logs.lines.some((l) => l.includes('"level":50') && l.includes('interaction failed'))).toBe(true);
    expect(await count('error')).toBe(1);
  });

  it('after a public deferral, settles the public reply, refuses with an ephemeral follow-up and deletes the reply', async () => {
    const { router } = setup({
      slash: [
        slash('seed', async () => {
          throw new UserFacingError('error.notFound');
        }),
      ],
    });
    const { interaction, sent } = stubSlash('seed', { deferred: true });
    await router.handle(interaction);
    // Discord applies the first follow-up after a deferral to the deferred message, public: it is settled first.
    // What the member and the channel finally see is tested against the fake Discord (test/e2e/private-answers).
    expect(sent.map((s) => s.method)).toEqual(['editReply', 'followUp', 'deleteReply']);
    expect(sent[1]?.body).toMatchObject({ flags: MessageFlags.Ephemeral });
  });

  it('treats an interaction nobody handles as an error, with a reference', async () => {
    const { router } = setup({});
    const { interaction, sent } = stubSlash('nothing');
    await router.handle(interaction);
    expect(contentOf(sent[0]?.body)).toContain('ref1');
  });

  it('answers an autocomplete that failed with no choices', async () => {
    const command: SlashCommand = {
      ...slash('seed', async () => {}),
      autocomplete: async () => {
        throw new Error('index down');
      },
    };
    const { router } = setup({ slash: [command] });
    const { interaction, sent } = stubAutocomplete('seed');
    await router.handle(interaction);
    expect(sent).toEqual([{ method: 'respond', body: [] }]);
  });

  it('once closed, answers "restarting" without running the command', async () => {
    const ran: string[] = [];
    const { router } = setup({ slash: [slash('seed', async () => void ran.push('seed'))] });
    router.close();
    const { interaction, sent } = stubSlash('seed');
    await router.handle(interaction);
    expect(ran).toEqual([]);
    expect(sent[0]?.method).toBe('reply');
    expect(contentOf(sent[0]?.body)).toMatch(/restart/i);
  });

  it('counts the interactions being handled', async () => {
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const { router } = setup({ slash: [slash('seed', () => gate)] });
    const handling = router.handle(stubSlash('seed').interaction);
    expect(router.inFlight()).toBe(1);
    release();
    await handling;
    expect(router.inFlight()).toBe(0);
  });
});
