// One backoff formula: a step that grows by `factor` per attempt up to `maxMs`, then jittered. Each caller keeps its
// own numbers and jitter (see the call sites for why they differ); the arithmetic is written once.

/**
 * How the step is spread: `none` keeps it; `full` picks in [0, step) (AWS "full jitter": many clients that failed
 * together spread the most); `half` in [step/2, step) (a wait of at least half the step); a pair `[low, high]`
 * multiplies the step by a factor in [low, high).
 */
export type Jitter = 'none' | 'full' | 'half' | readonly [low: number, high: number];

export interface BackoffPolicy {
  /** The step of the first attempt. */
  baseMs: number;
  /** The step never grows past this (jitter applies after the cap). */
  maxMs: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  jitter: Jitter;
  /** Random numbers in [0, 1). Default Math.random. */
  random?: () => number;
}

const RANGES = { none: [1, 1], full: [0, 1], half: [0.5, 1] } as const;

/** The wait before the next try after failed attempt number `attempt` (1 for the first failure). */
export function backoffMs(attempt: number, policy: BackoffPolicy): number {
  const step = Math.min(policy.maxMs, policy.baseMs * (policy.factor ?? 2) ** (attempt - 1));
  const [low, high] = typeof policy.jitter === 'string' ? RANGES[policy.jitter] : policy.jitter;
  if (low === high) return step * low;
  return step * (low + (policy.random ?? Math.random)() * (high - low));
}
