import { describe, expect, it } from 'vitest';
import { errorCodes, isConnectFailure, parseJson, parseRetryAfter } from '../../src/lib/http.js';

describe('http helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('finds error codes along the cause chain, inside aggregate errors too', () => {
    const refused = Object.assign(new Error('connect'), { code: 'ECONNREFUSED' });
    const error = new TypeError('fetch failed', { cause: new AggregateError([refused], 'all failed') });
    expect(errorCodes(error)).toEqual(['ECONNREFUSED']);
    expect(isConnectFailure(errorCodes(error))).toBe(true);
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('reset'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(isConnectFailure(errorCodes(reset))).toBe(false);
  });

  it('reads JSON without throwing', () => {
    expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJson('<html>')).toEqual({ ok: false });
  });
});
