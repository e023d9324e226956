import { describe, expect, it } from 'vitest';
import {
  failureKind,
  retryDecision,
  SeedError,
  UpstreamError,
  upstreamFailureKind,
} from '../../src/seed/errors.js';
import { LeaseLostError } from '../../src/seed/lease-guard.js';
import { StorageUnavailableError } from '../../src/seed/ports.js';

const upstream = (kind: ConstructorParameters<typeof UpstreamError>[0]) => new UpstreamError(kind, kind);

describe('retryDecision: the one table of what waiting can fix', () => {
  it('retries what waiting can fix, storage outages included', () => {
    for (const kind of ['busy', 'unavailable', 'untrackable', 'network', 'timeout', 'seed_pending'] as const)
      expect(retryDecision(upstream(kind)), kind).toBe('retry');
    expect(retryDecision(new StorageUnavailableError('down'))).toBe('retry');
  });

  it('holds the account for a moderator, and says a lease lost apart', () => {
    expect(retryDecision(upstream('pending_moderation'))).toBe('hold');
    expect(retryDecision(upstream('account_unavailable'))).toBe('hold');
    expect(retryDecision(new LeaseLostError('request r1'))).toBe('lost');
  });

  it('ends the rest; a body it could not read is read again only by a read', () => {
    for (const kind of ['bad_request', 'not_found', 'unauthorized', 'discontinued', 'seed_failed'] as const)
      expect(retryDecision(upstream(kind)), kind).toBe('final');
    expect(retryDecision(new SeedError('deadline', 'late'))).toBe('final');
    expect(retryDecision(new Error('bug'))).toBe('final');
    expect(retryDecision(upstream('bad_response'))).toBe('final');
    expect(retryDecision(upstream('bad_response'), { reading: true })).toBe('retry');
  });
});

describe('failure kinds', () => {
  it('names a failure by its kind; only upstream kinds for moderators', () => {
    const storage = new StorageUnavailableError('down');
    expect(failureKind(upstream('busy'))).toBe('busy');
    expect(failureKind(new SeedError('held', 'held'))).toBe('held');
    expect(failureKind(storage)).toBe(storage.kind);
    expect(failureKind(new Error('bug'))).toBe('internal');
    expect(upstreamFailureKind(upstream('busy'))).toBe('busy');
    expect(upstreamFailureKind(storage)).toBe('internal');
  });
});
