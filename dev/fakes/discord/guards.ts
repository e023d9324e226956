// What every REST route checks before it acts: the bot token, the uploads' count and size, a message body's limits,
// and how a refusal is answered (Discord's error) and recorded (a violation tests can read).
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { checkMessage, formatPath, type Issue, isEmptyMessage, nestErrors, type Path } from './checks.js';
import { apiError, type Ctx, type Handler, HttpError, isRecord, uploadLimit } from './common.js';
import type { World } from './world.js';

export function createGuards({ world }: { world: World }) {
  const requireBot = (ctx: Ctx): void => {
    if (ctx.headers.authorization !== `Bot ${world.token}`) throw apiError(401, 0, '401: Unauthorized');
  };

  /** `handler` behind the bot token check, as every bot route is. */
  const asBot =
    (handler: Handler): Handler =>
    (ctx, params) => {
      requireBot(ctx);
      return handler(ctx, params);
    };

  /** 400 50035 Invalid Form Body with Discord's nested errors, each issue recorded as a violation. */
  const reject = (ctx: Ctx, issues: Issue[]): never => {
    for (const i of issues) {
      world.violations.push(
        `${ctx.method} ${ctx.label}: ${formatPath(i.path)}: ${i.message}${i.detail ? ` (${i.detail})` : ''}`,
      );
    }
    throw new HttpError(400, { code: 50035, message: 'Invalid Form Body', errors: nestErrors(issues) });
  };

  /** Rejects the issues when there are any. */
  const rejectAny = (ctx: Ctx, issues: Issue[]): void => {
    if (issues.length) reject(ctx, issues);
  };

  const refuse = (ctx: Ctx, status: number, code: number, message: string): never => {
    world.violations.push(`${ctx.method} ${ctx.label}: ${message}`);
    throw apiError(status, code, message);
  };

  const checkUploads = (ctx: Ctx, guildId: string | undefined): void => {
    const limit = uploadLimit(guildId ? (world.guilds.get(guildId)?.premiumTier ?? 0) : 0);
    if (ctx.uploads.length > 10)
      reject(ctx, [
        { path: ['files'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' },
      ]);
    const big = ctx.uploads.find((u) => u.size > limit);
    if (big) {
      const message = `Request entity too large (${big.filename}: ${big.size} bytes)`;
      refuse(ctx, 413, RESTJSONErrorCodes.RequestEntityTooLarge, message);
    }
  };

  /** A message body within Discord's limits (and, when `creating`, not empty), as a record. */
  const validateMessage = (
    ctx: Ctx,
    payload: unknown,
    path: Path,
    creating: boolean,
  ): Record<string, unknown> => {
    const issues: Issue[] = [];
    checkMessage(issues, payload, path);
    rejectAny(ctx, issues);
    const p = isRecord(payload) ? payload : {};
    if (creating && isEmptyMessage(p, ctx.uploads)) {
      refuse(ctx, 400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
    }
    return p;
  };

  return { requireBot, asBot, reject, rejectAny, checkUploads, validateMessage };
}

export type Guards = ReturnType<typeof createGuards>;
