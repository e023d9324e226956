// Pure helpers shared by the HTTP clients of both upstreams: reading Retry-After, telling a connect failure (the
// request never left) from one after the request was sent, and reading a body as JSON without throwing.
import type { z } from 'zod';

/** `Retry-After` is either delta-seconds or an HTTP date. */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

/** Errors of the connect phase: the request never reached the server, so even a non-idempotent call is safe to repeat. */
const CONNECT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Codes (`ECONNREFUSED`, `UND_ERR_SOCKET`, …) anywhere in a fetch rejection's cause chain. */
export const errorCodes = (error: unknown): string[] => {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (current instanceof AggregateError) {
      for (const inner of current.errors) {
        const innerCode = (inner as { code?: unknown } | null)?.code;
        if (typeof innerCode === 'string') codes.push(innerCode);
      }
    }
    current = current.cause;
  }
  return codes;
};

/** Any of these codes says the connection was never made. */
export const isConnectFailure = (codes: readonly string[]): boolean =>
  codes.some((code) => CONNECT_ERROR_CODES.has(code));

export const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** A fetch rejection read for an error message: whether the request never left, and its codes in a summary. */
export const readConnectionFailure = (error: unknown): { beforeRequest: boolean; summary: string } => {
  const codes = errorCodes(error);
  return {
    beforeRequest: isConnectFailure(codes),
    summary: `connection failed${codes.length > 0 ? ` [${codes.join(', ')}]` : ''}`,
  };
};

/** The first three problems a schema found in a body, for an error message. */
export const schemaIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
