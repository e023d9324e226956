// A log destination that keeps the lines (JSON, one per line) for a test or the demo to read, and can forward them.
import { Writable } from 'node:stream';

export function captureLogLines(forward?: (text: string) => void): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      const text = String(chunk);
      lines.push(...text.split('\n').filter(Boolean));
      forward?.(text);
      callback();
    },
  });
  return { lines, stream };
}
