// Reading the proxy's answers: every status, envelope code and body, and every rejection of fetch, becomes a
// ProxyError whose kind follows errors.ts, with whether the transport may repeat the call. Every text passes the
// token's redaction.
import type { z } from 'zod';
import { parseJson, parseRetryAfter, readConnectionFailure, schemaIssues } from '../lib/http.js';
import type { Answer, CallInfo, Failure, HttpRequest } from '../lib/transport.js';
import {
  isTransientProxyKind,
  type ProxyEndpoint,
  ProxyError,
  type ProxyErrorDetails,
  type ProxyErrorKind,
} from './errors.js';
import { type Envelope, envelopeSchema, seedValueSchema } from './schemas.js';

export type ProxyCallInfo = CallInfo<ProxyEndpoint>;

const UPSTREAM_TEXT_LIMIT = 300;

/** What `image-seed`'s code 3 says, in the proxy's words (`SubmitSeed`, `TaskController.ImageSeed`). */
const seedNotFound = /未找到\s*seed|seed not found/i;
const NO_ACCOUNT = /无可用的账号|no (?:available|live) account/i;
const TASK_UNKNOWN = /不存在|已失效|does not exist|not exist/i;

export interface Request extends HttpRequest {
  endpoint: ProxyEndpoint;
  taskId?: string | undefined;
  timeoutMs: number;
  attempts: number;
  /** Repeating cannot start anything (reads); false for `image-seed`, which may start a retrieval in the proxy. */
  idempotent: boolean;
}

const clip = (text: string): string | undefined => {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, UPSTREAM_TEXT_LIMIT);
};

/** The envelope of an answer, when its body is one. */
const envelopeOf = (text: string): Envelope | undefined => {
  const json = parseJson(text);
  if (!json.ok) return undefined;
  const parsed = envelopeSchema.safeParse(json.value);
  return parsed.success ? parsed.data : undefined;
};

/** What `image-seed`'s code 3 means: the description tells the three apart. */
const kindOfCode3 = (description: string | undefined): ProxyErrorKind => {
  const text = description ?? '';
  if (seedNotFound.test(text)) return 'seed_pending';
  if (NO_ACCOUNT.test(text)) return 'no_account';
  if (TASK_UNKNOWN.test(text)) return 'not_found';
  // Any other wording of "not found" at HTTP 200 is read as "not yet": the caller's deadline bounds the asking again.
  return 'seed_pending';
};

/** A non-2xx answer read: its kind, what to say of it, and whether repeating the call is safe. */
function readStatus(req: Request, answer: Answer, retryAfter: string | null, now: () => number) {
  const { status, text } = answer;
  const envelope = envelopeOf(text);
  const details: ProxyErrorDetails = {
    status,
    code: envelope?.code,
    upstream: envelope?.description ?? clip(text),
  };
  const outcome = (kind: ProxyErrorKind, summary: string, safeToRepeat = false) => ({
    kind,
    summary,
    details,
    safeToRepeat,
  });
  if (status === 401 || status === 403) return outcome('unauthorized', 'the token was refused');
  if (status === 429 || status >= 500) {
    details.retryAfterMs = parseRetryAfter(retryAfter, now());
    // A 429 is answered before any work; a 5xx of image-seed may come after a retrieval started.
    return outcome(status === 429 ? 'busy' : 'unavailable', '', status === 429 || req.idempotent);
  }
  // Not repeated here: a 404's "no seed yet" (code 3) is asked again by the core, within its deadline.
  if (status === 404) {
    const kind = envelope?.code === 3 ? kindOfCode3(envelope.description) : 'not_found';
    return outcome(kind, envelope === undefined ? 'no such task or route (is MJ_PROXY_URL the proxy?)' : '');
  }
  if (status === 400 && req.endpoint === 'image_seed' && envelope?.code === 4) {
    return outcome('not_finished', 'the task has no Midjourney job yet');
  }
  return outcome('bad_response', 'an answer the proxy does not document');
}

/** The ProxyError of a call, its message and texts through `redact`. */
function proxyError(
  redact: (text: string) => string,
  what: { kind: ProxyErrorKind; req: Request; summary: string; details: ProxyErrorDetails },
): ProxyError {
  const { kind, req, summary, details } = what;
  const upstream = details.upstream === undefined ? undefined : redact(details.upstream);
  const seedError = details.seedError === undefined ? undefined : redact(details.seedError);
  const status = details.status === undefined ? 'no response' : `HTTP ${details.status}`;
  const code = details.code === undefined ? '' : ` code ${details.code}`;
  const subject = req.taskId === undefined ? '' : ` task ${req.taskId}`;
  const message = redact(
    `midjourney-proxy ${req.endpoint} (${req.method}${subject}): ${status}${code} ${kind}${
      summary ? `: ${summary}` : ''
    }${upstream ? ` (upstream: ${upstream})` : ''}`,
  );
  return new ProxyError(kind, message, {
    endpoint: req.endpoint,
    taskId: req.taskId,
    ...details,
    upstream,
    seedError,
  });
}

export function createAnswerReader(options: { token: string; now: () => number }) {
  const { token, now } = options;
  /** Every text of ours or the proxy's passes here, so a token echoed by anyone never reaches a log. */
  const redact = (text: string): string => text.split(token).join('[redacted]');

  const fail = (kind: ProxyErrorKind, req: Request, summary: string, details: ProxyErrorDetails = {}) =>
    proxyError(redact, { kind, req, summary, details });

  /** Retried when the core's table says waiting can fix it and the transport says repeating the call is safe. */
  const failure = (error: ProxyError, safeToRepeat: boolean): Failure<ProxyError> => ({
    error,
    retryable: safeToRepeat && isTransientProxyKind(error.kind),
  });

  /** A non-2xx answer. */
  const failureOfStatus = (req: Request, answer: Answer, retryAfter: string | null): Failure<ProxyError> => {
    const { kind, summary, details, safeToRepeat } = readStatus(req, answer, retryAfter, now);
    return failure(fail(kind, req, summary, details), safeToRepeat);
  };

  /** A rejection of fetch or of reading the body. */
  const failureOfRejection = (
    req: Request,
    error: unknown,
    timeoutSignal: AbortSignal,
    status: number | undefined,
  ): Failure<ProxyError> => {
    if (timeoutSignal.aborted) {
      return failure(
        fail('timeout', req, `no answer within ${req.timeoutMs} ms`, { status, cause: error }),
        req.idempotent,
      );
    }
    const { beforeRequest, summary } = readConnectionFailure(error);
    const cause = redact(String(error)) === String(error) ? error : undefined;
    return failure(fail('network', req, summary, { status, cause }), req.idempotent || beforeRequest);
  };

  const parse = <T>(req: Request, schema: z.ZodType<T>, answer: Answer, value?: unknown): T => {
    let input = value;
    if (input === undefined) {
      const json = parseJson(answer.text);
      if (!json.ok) {
        throw fail('bad_response', req, 'body is not JSON', {
          status: answer.status,
          upstream: clip(answer.text),
        });
      }
      input = json.value;
    }
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    const summary = `unexpected body: ${schemaIssues(result.error)}`;
    throw fail('bad_response', req, summary, { status: answer.status, cause: result.error });
  };

  /** The seed out of `image-seed`'s envelope, or the ProxyError its code means. */
  const seedOf = (req: Request, answer: Answer): number => {
    const envelope = parse(req, envelopeSchema, answer);
    const details: ProxyErrorDetails = {
      status: answer.status,
      code: envelope.code,
      upstream: envelope.description,
    };
    switch (envelope.code) {
      case 1:
        return parse(req, seedValueSchema, answer, envelope.result ?? null);
      case 3:
        throw fail(kindOfCode3(envelope.description), req, '', details);
      case 4:
        throw fail('not_finished', req, 'the task has no Midjourney job yet', details);
      case 9:
        throw fail('failed', req, 'the seed retrieval failed', {
          ...details,
          seedError: envelope.description,
        });
      default:
        throw fail('bad_response', req, `a code image-seed does not document`, details);
    }
  };

  return { fail, failureOfStatus, failureOfRejection, parse, seedOf };
}
