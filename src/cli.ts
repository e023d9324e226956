// What the npm scripts share: a configuration problem is printed without a stack, and the process exits non-zero.
import { type Config, ConfigError, type LoadOptions, loadConfig } from './config.js';

export function loadConfigOrExit(env: Record<string, string | undefined>): Config;
export function loadConfigOrExit<K extends keyof Config>(
  env: Record<string, string | undefined>,
  options: LoadOptions<K>,
): Pick<Config, K>;
export function loadConfigOrExit(
  env: Record<string, string | undefined>,
  options?: LoadOptions<keyof Config>,
): Partial<Config> {
  try {
    return options ? loadConfig(env, options) : loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
