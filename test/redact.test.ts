import { describe, expect, it } from 'vitest';
import { createRedactor, mask } from '../src/redact.js';

describe('mask', () => {
  it('shows the first and last three characters', () => {
    expect(mask('abcdefghijklmnop')).toBe('abc…nop');
  });
  it('hides short values entirely', () => {
    expect(mask('short')).toBe('***');
  });
});

describe('createRedactor', () => {
  it('masks known secrets wherever they appear', () => {
    const redact = createRedactor(['SuperSecretToken123']);
    expect(redact('token=SuperSecretToken123 and again SuperSecretToken123')).toBe(
      'token=Sup…123 and again Sup…123',
    );
  });
  it('masks interaction tokens and webhook paths', () => {
    const redact = createRedactor();
    const token = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldA';
    const line = `PATCH /api/v10/webhooks/123456789012345678/${token}/messages/@original failed`;
    const out = redact(line);
    expect(out).not.toContain(token);
    expect(out).toContain('/webhooks/123456789012345678/***');
  });
  it('masks bearer tokens and the callback secret in URLs', () => {
    const redact = createRedactor();
    expect(redact('Authorization: Bearer abcdefghijkl')).toBe('Authorization: Bearer ***');
    expect(redact('POST /useapi/callback/0123456789abcdef0123456789abcdef')).toBe(
      'POST /useapi/callback/***',
    );
  });
});
