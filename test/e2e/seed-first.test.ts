// The seed first (issue 19), end to end: the real discord.js client against the fake Discord. What the member sees,
// edit by edit: the seed (its text, `--seed N`, the copy button) before its four images, and nothing taken back.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FakeMessage, InteractionEvent, InteractionHandle } from '../../dev/fakes/fake-discord.js';
import { makeGrid } from '../../dev/fakes/grid-image.js';
import { copySeedCustomId } from '../../src/discord/replies.js';
import {
  CHANNEL,
  GUILD,
  type Harness,
  isSeedReply,
  MEMBER,
  OTHER_MEMBER,
  startHarness,
} from '../helpers/harness.js';

const SECRET = 'seed-first-test-callback-secret-0123456789';
let h: Harness;

beforeEach(async () => {
  h = await startHarness({ env: { CALLBACK_SECRET: SECRET } });
});
afterEach(async () => {
  await h?.stop();
});

interface Body {
  embeds?: { title?: string; description?: string; image?: { url: string } }[];
  components?: { components?: { custom_id?: string }[] }[];
}

/** What one edit put on screen. */
const seen = (e: InteractionEvent) => {
  const body = (e.body ?? {}) as Body;
  const embeds = body.embeds ?? [];
  return {
    seed: /`--seed (\d+)`/.exec(embeds[0]?.description ?? '')?.[1],
    title: embeds[0]?.title,
    announcesImages: /The four images follow/.test(embeds[0]?.description ?? ''),
    images: embeds.filter((x) => x.image).length,
    files: e.files.length,
    buttons: (body.components ?? []).flatMap((row) => row.components ?? []).map((c) => c.custom_id),
  };
};

const editsOf = (i: InteractionHandle) => i.events.filter((e) => e.kind === 'edit').map(seen);

const answered = (i: InteractionHandle) =>
  i.waitForEdit((m) => isSeedReply(m) && m.attachments.length === 4, 15_000);

describe('the seed first, then its images', () => {
  it('shows a stored seed with --seed N and the copy button in the first edit, the four images in the next', async () => {
    const { jobid } = h.imagineJob({ seedValue: 246810 });
    await answered(h.slashSeed(jobid));

    const again = h.slashSeed(jobid, OTHER_MEMBER);
    await answered(again);

    const button = copySeedCustomId(jobid);
    expect(editsOf(again)).toEqual([
      {
        seed: '246810',
        title: 'Seed 246810',
        announcesImages: true,
        images: 0,
        files: 0,
        buttons: [button],
      },
      {
        seed: '246810',
        title: 'Seed 246810',
        announcesImages: false,
        images: 4,
        files: 4,
        buttons: [button],
      },
    ]);
  });

  it('never takes back what a member saw: once shown, the seed and then the images stay, from the first ask on', async () => {
    const { jobid } = h.imagineJob({ seedValue: 13579 });
    const first = h.slashSeed(jobid);
    await answered(first);

    const edits = editsOf(first);
    const seedAt = edits.findIndex((e) => e.seed === '13579');
    const imagesAt = edits.findIndex((e) => e.files === 4);
    expect(seedAt).toBeGreaterThanOrEqual(0);
    // The seed is on screen in an edit of its own before the one that brings the images.
    expect(imagesAt).toBe(seedAt + 1);
    expect(edits[seedAt]).toMatchObject({ announcesImages: true, images: 0 });
    for (const later of edits.slice(seedAt)) expect(later.seed).toBe('13579');
    for (const later of edits.slice(imagesAt)) expect(later).toMatchObject({ images: 4, files: 4 });
  });

  it('shows a stored seed once and its images once to each of many members asking together', async () => {
    const { jobid } = h.imagineJob({ seedValue: 97531 });
    await answered(h.slashSeed(jobid));

    const members = Array.from({ length: 10 }, (_, i) => ({
      ...OTHER_MEMBER,
      id: `86666666666666${String(1000 + i)}`,
    }));
    const asks = members.map((m) => h.slashSeed(jobid, m));
    await Promise.all(asks.map(answered));

    for (const ask of asks) {
      expect(editsOf(ask).map((e) => [e.seed, e.announcesImages, e.files])).toEqual([
        ['97531', true, 0],
        ['97531', false, 4],
      ]);
    }
  });
});

describe('the seed first when the prompt already has it (--seed N)', () => {
  /** useapi's callback for the job: the bot indexes its message, as after a real /imagine. */
  async function indexed(jobid: string, message: FakeMessage) {
    const http = h.bot.http();
    if (!http) throw new Error('the bot has no HTTP server');
    const job = h.useapi.getJob(jobid);
    const response = await fetch(`${http.url}/useapi/callback/${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(job),
    });
    expect(response.status).toBe(200);
    await vi.waitFor(async () => expect(await h.bot.services.index.byJobid(jobid)).toBeDefined(), {
      timeout: 5_000,
      interval: 10,
    });
    return message;
  }

  it('shows the seed before the images and takes nothing back, whatever the images need', async () => {
    const { jobid, message } = h.imagineJob({
      prompt: 'a red fox in snow --seed 4242 --ar 3:2',
      seedValue: 4242,
      // The images are cut from the message's own grid.
      grid: await makeGrid(512, 512, 'png'),
    });
    const target = await indexed(jobid, message);
    const asked = h.discord.messageCommand({
      name: 'Get seed',
      target,
      guildId: GUILD,
      channelId: CHANNEL,
      user: MEMBER,
    });
    await answered(asked);

    const edits = editsOf(asked);
    // The seed read from the prompt, not looked up.
    expect(JSON.stringify(asked.events.find((e) => e.kind === 'edit')?.body)).toContain(
      'already written in the prompt',
    );
    const imagesAt = edits.findIndex((e) => e.files === 4);
    expect(imagesAt).toBeGreaterThan(0);
    // Every edit shows the seed; those before the images show it alone, none after them drops an image.
    for (const edit of edits) expect(edit.seed).toBe('4242');
    for (const before of edits.slice(0, imagesAt)) expect(before).toMatchObject({ images: 0, files: 0 });
    for (const later of edits.slice(imagesAt)) expect(later).toMatchObject({ images: 4, files: 4 });
    // The seed from the prompt is shown once, not once more before its images.
    expect(edits.slice(0, imagesAt)).toHaveLength(1);
  });
});
