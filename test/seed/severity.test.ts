// Operator severity of upstream failures: member mistakes at info, our configuration and the vendor's contract at
// error, once per incident; logged through a real pino logger into memory.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRedactor } from '../../src/redact.js';
import {
  createUpstreamFailureLog,
  INCIDENT_WINDOW_MS,
  logUpstreamFailure,
  severityOf,
  UPSTREAM_SEVERITY,
} from '../../src/seed/severity.js';
import { UseapiError, type UseapiErrorKind } from '../../src/useapi/errors.js';
import { captureLogs } from '../helpers/harness.js';

interface Line {
  level: number | string;
  msg: string;
  kind?: string;
  severity?: string;
  cause?: string;
  hint?: string;
  ref?: string;
}

function capture() {
  const { lines, stream } = captureLogs();
  const log = createLogger({ level: 'debug', format: 'json', destination: stream, redact: createRedactor() });
  return { log, lines: () => lines.map((l) => JSON.parse(l) as Line) };
}

const levelName = (l: Line) =>
  typeof l.level === 'string'
    ? l.level
    : ({ 20: 'debug', 30: 'info', 40: 'warn', 50: 'error' } as const)[l.level as 20];

const error = (kind: UseapiErrorKind, status?: number) =>
  new UseapiError(kind, `useapi seed_async (POST): HTTP ${status ?? '-'} ${kind}`, {
    status,
    endpoint: 'seed_async',
  });

describe('the severity table', () => {
  it.each([
    ['unauthorized', 'error', 'configuration'],
    ['no_subscription', 'error', 'configuration'],
    ['bad_response', 'error', 'vendor'],
    ['discontinued', 'error', 'vendor'],
    ['not_found', 'info', 'member'],
    ['parent_not_completed', 'info', 'member'],
    ['unsupported_job', 'info', 'member'],
    ['moderated', 'info', 'member'],
    ['busy', 'info', 'transient'],
    ['network', 'info', 'transient'],
  ] as const)('%s is %s (%s)', (kind, severity, cause) => {
    expect(severityOf(kind)).toEqual({ severity, cause });
  });

  it('gives every kind a severity and a cause', () => {
    for (const [kind, entry] of Object.entries(UPSTREAM_SEVERITY)) {
      expect(['info', 'error'], kind).toContain(entry.severity);
      expect(entry.cause, kind).toMatch(/^(member|transient|configuration|vendor|moderation)$/);
    }
  });
});

describe('logUpstreamFailure', () => {
  it('logs a member mistake at info every time', () => {
    const { log, lines } = capture();
    const incidents = createUpstreamFailureLog();
    for (let i = 0; i < 3; i++) incidents.logUpstreamFailure(log, error('not_found', 404), { ref: `r${i}` });
    expect(lines().map(levelName)).toEqual(['info', 'info', 'info']);
    expect(lines()[0]).toMatchObject({ kind: 'not_found', severity: 'info', cause: 'member', ref: 'r0' });
  });

  it('logs our configuration failing at error once per kind per hour, at debug in between, with a hint', () => {
    let now = 1_000_000;
    const { log, lines } = capture();
    const incidents = createUpstreamFailureLog({ now: () => now });
    incidents.logUpstreamFailure(log, error('unauthorized', 401), {}, 'request failed');
    now += 60_000;
    incidents.logUpstreamFailure(log, error('unauthorized', 401), {}, 'request failed');
    incidents.logUpstreamFailure(log, error('no_subscription', 402), {}, 'request failed');
    now += INCIDENT_WINDOW_MS;
    incidents.logUpstreamFailure(log, error('unauthorized', 401), {}, 'request failed');
    const got = lines();
    expect(got.map((l) => `${levelName(l)} ${l.kind}`)).toEqual([
      'error unauthorized',
      'debug unauthorized',
      'error no_subscription',
      'error unauthorized',
    ]);
    expect(got[0]).toMatchObject({ msg: 'request failed', severity: 'error', cause: 'configuration' });
    expect(got[0]?.hint).toMatch(/USEAPI_TOKEN/);
    expect(got[2]?.hint).toMatch(/renew/);
  });

  it('logs useapi discontinuing Midjourney once per hour with where to check, however many requests fail', () => {
    let now = 0;
    const { log, lines } = capture();
    const incidents = createUpstreamFailureLog({ now: () => now });
    for (let i = 0; i < 50; i++) {
      incidents.logUpstreamFailure(log, error('discontinued', 410), {}, 'request failed');
      now += 60_000;
    }
    const errors = lines().filter((l) => levelName(l) === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.hint).toMatch(/no longer serves Midjourney.*npm run doctor.*useapi\.net\/docs\/api-v2/);
  });

  it('keeps anything that is not an upstream failure at info', () => {
    const { log, lines } = capture();
    createUpstreamFailureLog().logUpstreamFailure(log, new Error('job failed'), { kind: 'job_failed' });
    expect(lines().map(levelName)).toEqual(['info']);
    expect(lines()[0]).toMatchObject({ kind: 'job_failed' });
  });

  it('has a process-wide form for the boundaries to share', () => {
    const { log, lines } = capture();
    logUpstreamFailure(log, error('bad_response', 200), { ref: 'x' }, 'interaction refused');
    logUpstreamFailure(log, error('bad_response', 200), { ref: 'y' }, 'interaction refused');
    expect(lines().map(levelName)).toEqual(['error', 'debug']);
  });
});
