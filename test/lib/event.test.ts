import { describe, expect, it } from 'vitest';
import { createEvent } from '../../src/lib/event.js';

describe('createEvent', () => {
  it('calls every subscriber in order, and none after it unsubscribed', () => {
    const event = createEvent<number>();
    const seen: string[] = [];
    const stopA = event.subscribe((n) => seen.push(`a${n}`));
    event.subscribe((n) => seen.push(`b${n}`));
    event.emit(1);
    stopA();
    event.emit(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('emits to nobody without subscribers', () => {
    expect(() => createEvent<string>().emit('x')).not.toThrow();
  });
});
