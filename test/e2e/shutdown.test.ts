// Stopping in-process (the same bot.stop() that SIGTERM runs): new interactions get a short private "restarting"
// answer, a seed_async already sent is let answer, waiting requests stay stored, and the next start answers them.
import { describe, expect, it } from 'vitest';
import { isSeedReply, OTHER_MEMBER, startHarness } from '../helpers/harness.js';

describe('stopping', () => {
  it('answers new interactions with "restarting", keeps the open request, and the next start answers it', async () => {
    const h = await startHarness();
    let next: Awaited<ReturnType<typeof startHarness>> | undefined;
    try {
      const { jobid } = h.imagineJob({ seedValue: 987654321 });
      const { jobid: other } = h.imagineJob();
      // useapi takes 1.5 s to answer this seed_async (then says busy): the stop waits for that answer.
      h.useapi.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [
        { status: 429, body: { error: 'busy', executingJobs: [], code: 429 }, delayMs: 1_500 },
      ]);
      const interaction = h.slashSeed(jobid);
      await interaction.waitForEdit((m) => /Asking Midjourney/.test(m.content), 10_000);

      const stopping = h.bot.stop(5_000);
      const late = h.slashSeed(other, OTHER_MEMBER);
      const reply = await late.waitForCallback(5_000);
      expect(reply.type).toBe(4);
      const data = (reply.body as { data?: { content?: string; flags?: number } }).data;
      expect(data?.content).toBe('The bot is restarting. Try again in a few seconds.');
      expect((data?.flags ?? 0) & 64).toBe(64);
      const health = await fetch(`${h.bot.http()?.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ ok: false, stopping: true });
      await stopping;

      // Nothing of the late interaction was stored or sent upstream; the open request is kept.
      expect(await h.bot.storage.requests.get(`req:${late.id}`)).toBeUndefined();
      expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
      expect(h.logText()).toContain('request left for the next start');

      next = await startHarness({ reuse: { useapi: h.useapi, discord: h.discord, dir: h.dir } });
      const final = await interaction.waitForEdit(isSeedReply, 15_000);
      expect(JSON.stringify(final.embeds)).toContain('987654321');
      expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(2);
      expect(await next.bot.storage.requests.get(`req:${late.id}`)).toBeUndefined();
    } finally {
      await next?.stop();
      // Stops the first bot again (harmless) and removes the fakes and the folder.
      await h.stop();
    }
  });
});
