// What the npm scripts share: a configuration problem is printed without a stack, and the process exits non-zero.
import { type Config, ConfigError, loadConfig } from './config.js';

export function loadConfigOrExit(env: Record<string, string | undefined>): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
