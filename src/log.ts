// Structured logs: JSON in production, readable in a terminal. Every line passes through the redactor, so a token
// that slips into an error message or URL is masked before it is written.
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Redactor } from './redact.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty' | 'auto';
  redact: Redactor;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
  name?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  const usePretty =
    options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true);
  const destination: DestinationStream =
    options.destination ??
    (usePretty
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true })
      : pino.destination({ dest: 1, sync: false }));
  return pino(
    {
      name: options.name ?? 'seed-bot',
      level: options.level,
      base: { pid: process.pid },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      hooks: { streamWrite: (line) => options.redact(line) },
    },
    destination,
  );
}
