// Every body the bot sends, checked against Discord's OpenAPI spec (the zod schemas the `discord-api-spec` package
// generates from it): types, required fields, lengths, enums, snowflake strings, nullable and union members. Objects
// are checked non-strictly, as Discord reads them: discord.js adds fields (`tts`, `enforce_nonce`) some bodies don't
// list. A body that leaves the spec is refused like Discord refuses it (400 50035) and recorded as a violation.
import {
  ApplicationCommandAutocompleteCallbackRequestSchema,
  ApplicationCommandCreateRequestSchema,
  ApplicationCommandPatchRequestPartialSchema,
  ApplicationCommandUpdateRequestSchema,
  CreateMessageInteractionCallbackRequestSchema,
  CreatePrivateChannelRequestSchema,
  IncomingWebhookRequestPartialSchema,
  IncomingWebhookUpdateRequestPartialSchema,
  MessageCreateRequestSchema,
  MessageEditRequestPartialSchema,
  ModalInteractionCallbackRequestSchema,
  UpdateMessageInteractionCallbackRequestSchema,
} from 'discord-api-spec/zod';
import * as z from 'zod/mini';
import { checkChoices, checkMessage, checkModal, formatPath, type Issue, type Path } from './checks.js';
import { type Ctx, isRecord } from './common.js';
import type { Guards } from './guards.js';
import type { FakeDiscord } from './types.js';
import type { World } from './world.js';

type Schema = z.ZodMiniType;

const callbackSchemas: Record<number, Schema> = {
  4: CreateMessageInteractionCallbackRequestSchema,
  5: CreateMessageInteractionCallbackRequestSchema,
  6: UpdateMessageInteractionCallbackRequestSchema,
  7: UpdateMessageInteractionCallbackRequestSchema,
  8: ApplicationCommandAutocompleteCallbackRequestSchema,
  9: ModalInteractionCallbackRequestSchema,
};
const commandList = z.nullable(z.array(ApplicationCommandUpdateRequestSchema));

/** The request body schema of a route of the fake (`METHOD pattern`), as the spec names it. */
const bodySchemas: Record<string, Schema | ((body: unknown) => Schema | undefined)> = {
  'POST interactions/:id/:token/callback': (body) =>
    isRecord(body) && typeof body.type === 'number' ? callbackSchemas[body.type] : undefined,
  'PATCH webhooks/:app/:token/messages/:message': IncomingWebhookUpdateRequestPartialSchema,
  'POST webhooks/:app/:token': z.union([
    IncomingWebhookRequestPartialSchema,
    IncomingWebhookUpdateRequestPartialSchema,
  ]),
  'POST channels/:channel/messages': MessageCreateRequestSchema,
  'PATCH channels/:channel/messages/:message': MessageEditRequestPartialSchema,
  'POST users/@me/channels': CreatePrivateChannelRequestSchema,
  'PUT applications/:app/commands': commandList,
  'PUT applications/:app/guilds/:guild/commands': commandList,
  'POST applications/:app/commands': ApplicationCommandCreateRequestSchema,
  'POST applications/:app/guilds/:guild/commands': ApplicationCommandCreateRequestSchema,
  'PATCH applications/:app/commands/:command': ApplicationCommandPatchRequestPartialSchema,
  'PATCH applications/:app/guilds/:guild/commands/:command': ApplicationCommandPatchRequestPartialSchema,
};

type ZodIssue = z.core.$ZodIssue;

/** zod/mini carries no messages ("Invalid input"); these say what Discord's would. */
const describeIssue = (i: ZodIssue): string => {
  switch (i.code) {
    case 'too_big':
      return `Must be ${String(i.maximum)} or ${i.origin === 'number' ? 'less' : 'fewer in length'}.`;
    case 'too_small':
      return `Must be ${String(i.minimum)} or ${i.origin === 'number' ? 'more' : 'more in length'}.`;
    case 'invalid_type':
      return `Must be of type ${i.expected}.`;
    case 'invalid_value':
      return `Must be one of (${i.values.map((v) => JSON.stringify(v)).join(', ')}).`;
    case 'invalid_format':
      return `Must match ${'pattern' in i && i.pattern ? String(i.pattern) : i.format}.`;
    default:
      return i.message;
  }
};

/** A union's issue names the member that came closest (fewest issues), so the message points at the real mistake. */
const flatten = (issues: readonly ZodIssue[], prefix: Path): Issue[] =>
  issues.flatMap((i): Issue[] => {
    const path: Path = [...prefix, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      const closest = [...i.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      if (closest.length > 0) return flatten(closest, path);
    }
    return [
      { path, code: `SPEC_${i.code.toUpperCase()}`, message: `${describeIssue(i)} (Discord's OpenAPI spec)` },
    ];
  });

/**
 * The fake's own checks of the same body (Discord's wording, limits the spec lacks): listed first when the spec
 * refuses a body, and a spec issue at a path they already name is left out.
 */
const ownIssues = (method: string, pattern: string, body: unknown): Issue[] => {
  const issues: Issue[] = [];
  const key = `${method} ${pattern}`;
  if (key === 'POST interactions/:id/:token/callback' && isRecord(body)) {
    if (body.type === 4 || body.type === 7) checkMessage(issues, body.data, ['data']);
    if (body.type === 8) checkChoices(issues, body.data, ['data']);
    if (body.type === 9) checkModal(issues, body.data, ['data']);
  } else if (key.includes('messages') || key === 'POST webhooks/:app/:token') {
    checkMessage(issues, body, []);
  }
  return issues;
};

const samePath = (a: Path, b: Path): boolean => a.length === b.length && a.every((seg, n) => seg === b[n]);

/** Everything wrong with a body the spec refuses: the fake's own issues, then the spec's at other paths. */
function refusal(method: string, pattern: string, body: unknown, spec: Issue[]): Issue[] {
  const own = ownIssues(method, pattern, body);
  return [...own, ...spec.filter((i) => !own.some((o) => samePath(o.path, i.path)))];
}

const valueAt = (body: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (v, seg) => (isRecord(v) || Array.isArray(v) ? (v as Record<string, unknown>)[seg] : undefined),
    body,
  );

/**
 * Where the spec is stricter than Discord: it types `default_member_permissions` as an integer, while Discord documents
 * (and discord.js sends) a permission bitfield as a decimal string.
 */
const discordAccepts = (body: unknown, issue: Issue): boolean =>
  issue.path.at(-1) === 'default_member_permissions' && /^\d+$/.test(String(valueAt(body, issue.path)));

/** What in `body` breaks the spec for `METHOD pattern`; nothing for a route or callback type it doesn't cover. */
function specIssues(method: string, pattern: string, body: unknown): Issue[] {
  const entry = bodySchemas[`${method} ${pattern}`];
  const schema = typeof entry === 'function' ? entry(body) : entry;
  if (!schema || body === undefined) return [];
  const result = z.safeParse(schema, body);
  return result.success ? [] : flatten(result.error.issues, []).filter((i) => !discordAccepts(body, i));
}

/**
 * The spec check of every body a route receives: at once (a body that breaks it is refused), or with deferSpecCheck
 * kept for `checkDeferredSpec()` (answered as if valid).
 */
export function createSpecGate({ world, guards }: { world: World; guards: Guards }) {
  const check = (ctx: Ctx, method: string, pattern: string, body: unknown): void => {
    if (world.deferSpecCheck) {
      world.uncheckedBodies.push({ method, pattern, body });
      return;
    }
    const issues = specIssues(method, pattern, body);
    if (issues.length) guards.reject(ctx, refusal(method, pattern, body, issues));
  };

  const checkDeferredSpec: FakeDiscord['checkDeferredSpec'] = () => {
    const found: string[] = [];
    for (const { method, pattern, body } of world.uncheckedBodies.splice(0)) {
      const issues = specIssues(method, pattern, body);
      if (issues.length === 0) continue;
      for (const i of refusal(method, pattern, body, issues))
        found.push(`${method} /${pattern}: ${formatPath(i.path)}: ${i.message}`);
    }
    world.violations.push(...found);
    return found;
  };

  return { check, checkDeferredSpec };
}

export type SpecGate = ReturnType<typeof createSpecGate>;
