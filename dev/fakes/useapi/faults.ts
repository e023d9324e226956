// The faults a test injects into the fake useapi: queued answers for matching requests (delayed, or a dropped
// connection), an outage status for every request, and a seeded share of seed_async calls answered 429.
import type { ServerResponse } from 'node:http';
import { prngOf } from './job.js';
import type { Scheduler } from './seed-jobs.js';
import { send } from './send.js';

export interface InjectedResponse {
  status: number;
  /** A string is sent as is (to fake malformed bodies); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Drop the connection instead of answering (after `delayMs`). */
  destroy?: boolean;
}

export interface Faults {
  failNext(match: { method?: string; path: string }, responses: InjectedResponse[]): void;
  /** The next queued answer for this request, taken off its queue. */
  takeInjected(method: string, path: string): InjectedResponse | undefined;
  answer(res: ServerResponse, response: InjectedResponse): void;
  setOutageStatus(status: number | undefined): void;
  outageStatus(): number | undefined;
  random429(rate: number, seed: number): void;
  /** Whether this seed_async call draws a random 429. */
  draws429(): boolean;
}

export function createFaults(scheduler: Scheduler): Faults {
  const injections: { method?: string; path: string; responses: InjectedResponse[] }[] = [];
  let outageStatus: number | undefined;
  let rate429 = 0;
  let prng = prngOf(1);

  return {
    failNext(match, responses) {
      injections.push({ method: match.method, path: match.path, responses: [...responses] });
    },
    takeInjected(method, path) {
      const injection = injections.find(
        (i) =>
          i.responses.length > 0 &&
          (i.method === undefined || i.method.toUpperCase() === method) &&
          path.startsWith(i.path),
      );
      return injection?.responses.shift();
    },
    answer(res, response) {
      const answer = () => {
        if (response.destroy) {
          res.socket?.destroy();
          res.destroy();
          return;
        }
        send(res, response.status, response.body, response.headers);
      };
      if (response.delayMs !== undefined && response.delayMs > 0)
        scheduler.schedule(answer, response.delayMs);
      else answer();
    },
    setOutageStatus(status) {
      outageStatus = status;
    },
    outageStatus: () => outageStatus,
    random429(rate, seed) {
      rate429 = rate;
      prng = prngOf(seed);
    },
    draws429: () => rate429 > 0 && prng() < rate429,
  };
}
