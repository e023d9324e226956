// Builders shared by the tests: one place each, so a change of shape is made once.
import pino from 'pino';
import type { JobStatus, UpstreamJob } from '../../src/seed/upstream.js';

/** A logger that writes nothing (tests assert on behaviour, not on log lines). */
export const silentLogger = pino({ level: 'silent' });

/** A useapi v2 jobid: the default of `upstreamJob`. */
export const TEST_JOBID = 'job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney';

/** A job as an upstream describes it to the core: a completed imagine job, no images or children, unless `over` says. */
export const upstreamJob = (over: Partial<UpstreamJob> = {}): UpstreamJob => ({
  jobid: TEST_JOBID,
  verb: 'imagine',
  status: 'completed',
  attachments: [],
  children: [],
  ...over,
});

/** A seed job at that status; a completed one carries seed 42 and one image. */
export const seedJob = (jobid: string, status: JobStatus, over: Partial<UpstreamJob> = {}): UpstreamJob =>
  upstreamJob({
    jobid,
    verb: 'seed_async',
    status,
    ...(status === 'completed'
      ? {
          seed: {
            value: 42,
            content: '**a cat** --seed 42',
            attachments: [{ id: '1', url: 'https://x/1.png', filename: '1.png' }],
          },
        }
      : {}),
    ...over,
  });
