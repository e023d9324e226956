// The four images: attached so they outlive Discord's CDN links, refreshed first when the stored links have expired,
// linked (and said so) when they are too large or cannot be downloaded.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../dev/fakes/fake-discord.js';
import { type Harness, isSeedReply, startHarness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const images = (m: FakeMessage) => (m.embeds as { image?: { url: string } }[]).map((e) => e.image?.url ?? '');
const description = (m: FakeMessage) =>
  String((m.embeds[0] as { description?: string } | undefined)?.description);

describe('the four images', () => {
  it('refreshes expired CDN links through refresh-urls before downloading and attaching them', async () => {
    // Links that are already past their `ex` time, as stored seeds are a day later.
    h = await startHarness({ useapi: { cdnTtlSec: 0 } });
    const { jobid } = h.imagineJob({ seedValue: 99 });
    const final = await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);

    const refresh = h.discord.rest.filter(
      (r) => r.method === 'POST' && r.path === '/attachments/refresh-urls',
    );
    expect(refresh).toHaveLength(1);
    const asked = (refresh[0]?.body as { attachment_urls?: string[] } | undefined)?.attachment_urls ?? [];
    expect(asked).toHaveLength(4);
    // Without the refresh the CDN answers 404: the stale link really is dead.
    expect((await fetch(asked[0] as string)).status).toBe(404);
    expect(final.attachments).toHaveLength(4);
    expect(description(final)).not.toMatch(/could not be attached/);
  });

  it('links the images and says so when they are larger than the upload limit', async () => {
    h = await startHarness({ useapi: { imageBytes: 3 * 1024 * 1024 } });
    const { jobid } = h.imagineJob();
    const final = await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);
    expect(final.attachments).toHaveLength(0);
    expect(images(final)).toHaveLength(4);
    expect(images(final).every((u) => u.startsWith(h?.useapi.origin ?? '-'))).toBe(true);
    expect(description(final)).toMatch(/could not be attached \(too large to upload here\)/);
    expect(h.discord.violations).toEqual([]);
  });

  it('links the images and says so when the download fails', async () => {
    h = await startHarness();
    const { jobid } = h.imagineJob({ seedValue: 5 });
    h.useapi.failNext({ method: 'GET', path: '/cdn/' }, [{ status: 500, body: 'boom' }]);
    const final = await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);
    expect(final.attachments).toHaveLength(0);
    expect(images(final)).toHaveLength(4);
    expect(description(final)).toMatch(/could not be attached \(download failed\)/);
    expect(description(final)).toContain('`--seed 5`');
  });
});
