// The doctor's checklist: one Check per line, the groups that produce them, and the pure printer (tested and redacted
// as a whole).
import type { Config } from '../config.js';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found (one or more lines). */
  detail: string;
  /** What to do, when the check failed or warns. */
  fix?: string | undefined;
  /** Passed, but something deserves attention (does not fail the run). */
  warning?: boolean | undefined;
  /** Not run (not configured, or an earlier check it needs failed); never fails the run. */
  skipped?: boolean | undefined;
}

export interface DoctorContext {
  fetch: typeof fetch;
  /** Per HTTP call. */
  timeoutMs: number;
}

/**
 * One group of checks, in its own file: it reads only the parts of the configuration it names, so it runs whenever
 * those are valid, whatever the others hold (`npm run doctor -- --only upstream` needs no Discord setting).
 */
export interface CheckGroup<K extends keyof Config = keyof Config> {
  /** What `--only` selects. Each upstream's group is named `upstream`. */
  name: string;
  parts: readonly K[];
  /** The checks it reports, listed as skipped when its settings have a problem. */
  checks: readonly string[];
  /**
   * Whether it concerns this installation at all (default yes): an upstream's group applies only when that upstream
   * is the configured one, so the other's settings are neither required nor reported.
   */
  applies?(env: Record<string, string | undefined>): boolean;
  run(config: Pick<Config, K>, ctx: DoctorContext): Promise<Check[]>;
}

export const pass = (name: string, detail: string, extra: Partial<Check> = {}): Check => ({
  name,
  ok: true,
  detail,
  ...extra,
});
export const failure = (name: string, detail: string, fix: string): Check => ({
  name,
  ok: false,
  detail,
  fix,
});
export const skip = (name: string, detail: string): Check => ({ name, ok: true, skipped: true, detail });

// --- the printer ---------------------------------------------------------------------------------------------

/** The checklist as text: pure, so it is tested (and redacted) as a whole. */
export function formatReport(checks: Check[]): string {
  const lines = ['mj-seed-bot doctor', ''];
  for (const c of checks) {
    const mark = c.skipped ? '–' : !c.ok ? '✖' : c.warning ? '⚠' : '✔';
    const [first = '', ...rest] = c.detail.split('\n');
    lines.push(`${mark} ${c.name}: ${first}`);
    for (const line of rest) lines.push(`    ${line}`);
    if (c.fix && (!c.ok || c.warning)) {
      const [fixFirst = '', ...fixRest] = c.fix.split('\n');
      lines.push(`    → ${fixFirst}`);
      for (const line of fixRest) lines.push(`      ${line}`);
    }
  }
  const failed = checks.filter((c) => !c.ok).length;
  const warned = checks.filter((c) => c.ok && c.warning).length;
  lines.push('');
  lines.push(
    failed
      ? `${failed} check${failed === 1 ? '' : 's'} failed. Fix ${failed === 1 ? 'it' : 'them'} and run \`npm run doctor\` again.`
      : `All checks passed${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}
