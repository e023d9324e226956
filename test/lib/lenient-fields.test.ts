import { describe, expect, it } from 'vitest';
import { lenientId, lenientString, optionalNumber } from '../../src/lib/lenient-fields.js';

describe('lenient fields', () => {
  it('reads absent, null and mistyped fields as undefined', () => {
    const text = lenientString({ emptyIsAbsent: false });
    expect(text.parse(undefined)).toBeUndefined();
    expect(text.parse(null)).toBeUndefined();
    expect(text.parse(42)).toBeUndefined();
    expect(text.parse('kept')).toBe('kept');
    expect(optionalNumber.parse('7')).toBeUndefined();
    expect(optionalNumber.parse(7)).toBe(7);
  });

  it('keeps an empty string or reads it as absent, as the upstream says', () => {
    expect(lenientString({ emptyIsAbsent: false }).parse('')).toBe('');
    expect(lenientString({ emptyIsAbsent: true }).parse('')).toBeUndefined();
    expect(lenientId({ emptyIsAbsent: false }).parse('')).toBe('');
    expect(lenientId({ emptyIsAbsent: true }).parse('')).toBeUndefined();
  });

  it('reads a numeric id as its string', () => {
    expect(lenientId({ emptyIsAbsent: true }).parse(1234567890)).toBe('1234567890');
    expect(lenientId({ emptyIsAbsent: false }).parse({})).toBeUndefined();
  });
});
