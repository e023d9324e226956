// Builders shared by the tests: one place each, so a change of shape is made once.
import pino from 'pino';

/** A logger that writes nothing (tests assert on behaviour, not on log lines). */
export const silentLogger = pino({ level: 'silent' });
