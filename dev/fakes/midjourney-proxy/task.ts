// The task object of the fake proxy, exactly as midjourney-proxy serialises its TaskInfo (System.Text.Json:
// camelCase, enums as strings, nulls written out, computed properties included), and the builder of an imagine task
// as the proxy records it once Midjourney posted the grid in Discord.
import { randomInt, randomUUID } from 'node:crypto';
import { midjourneyFileStem } from '../midjourney-files.js';

export type FakeTaskStatus =
  | 'NOT_START'
  | 'SUBMITTED'
  | 'MODAL'
  | 'IN_PROGRESS'
  | 'SUCCESS'
  | 'FAILURE'
  | 'CANCEL';

export interface FakeButton {
  customId: string;
  emoji: string;
  label: string;
  style: number;
  type: number;
}

/** A TaskInfo as the proxy sends it (fetch, list-by-ids, notifyHook bodies). The seed is a string there. */
export interface FakeTask {
  id: string;
  parentId: string | null;
  botType: 'MID_JOURNEY' | 'NIJI_JOURNEY';
  realBotType: string | null;
  userId: string | null;
  isWhite: boolean;
  nonce: string;
  interactionMetadataId: string | null;
  messageId: string | null;
  remixModalMessageId: string | null;
  remixAutoSubmit: boolean;
  remixModaling: boolean;
  instanceId: string;
  subInstanceId: string | null;
  messageIds: string[];
  action: string;
  status: FakeTaskStatus;
  isCompleted: boolean;
  prompt: string;
  promptEn: string;
  promptFull: string | null;
  description: string;
  language: string | null;
  state: string | null;
  submitTime: number;
  startTime: number | null;
  finishTime: number | null;
  imageUrl: string | null;
  baseImageUrl: string | null;
  imageUrls: { url: string; thumbnail: string }[] | null;
  thumbnailUrl: string | null;
  progress: string | null;
  failReason: string | null;
  isPartner: boolean;
  isOfficial: boolean;
  isDiscord: boolean;
  buttons: FakeButton[];
  seed: string | null;
  seedError: string | null;
  seedMessageId: string | null;
  clientIp: string | null;
  jobId: string | null;
  mode: 'FAST' | 'RELAX' | 'TURBO' | null;
  requestMode: string | null;
  width: number | null;
  height: number | null;
  videoUrls: unknown[] | null;
  useTime: string | null;
  version: string | null;
  properties: Record<string, unknown>;
}

export interface ImagineTaskInput {
  prompt?: string;
  /** The Discord message Midjourney posted the grid in. Default: a fresh snowflake. */
  messageId?: string;
  /** The Discord channel of that message (the account's channel when absent). */
  channelId?: string;
  /** The server of that channel (where showInDiscord makes the message when not told otherwise). */
  guildId?: string;
  /** The proxy's account (its Discord channel id). Default: the fake's default account. */
  instanceId?: string;
  /**
   * The grid's URL. A UUID in it is the Midjourney job, as the proxy reads it (`GetMessageHash`). Default: a Discord
   * CDN link whose file name carries a fresh job UUID.
   */
  imageUrl?: string;
  /** The seed Midjourney knows for this job. Default: a random unsigned 32-bit integer. */
  seed?: number;
  /**
   * The proxy appended `--seed <seed>` to the prompt before sending it (`EnableDiscordAppendSeed`, on by default):
   * the task's seed is known at once and the Discord message shows `--seed N`. Default false.
   */
  seedKnown?: boolean;
  /** The four images: given, or `official-cdn` as `EnableFillOfficialCdn` fills them. Default none. */
  imageUrls?: { url: string; thumbnail?: string }[] | 'official-cdn';
  /** Default `SUCCESS`. A task before SUCCESS has no Midjourney job yet (no messageHash, no grid). */
  status?: FakeTaskStatus;
  /** Per-task notifyHook (wins over the proxy-wide one). */
  notifyHook?: string;
  botType?: 'MID_JOURNEY' | 'NIJI_JOURNEY';
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The Midjourney job UUID in an image URL, as the proxy finds it. */
export const jobUuidIn = (url: string): string | undefined => UUID.exec(url)?.[0]?.toLowerCase();

let lastIdMs = 0;
/** Unix milliseconds + 3 random digits (16 digits today), strictly increasing within this process. */
const newTaskId = (): string => {
  lastIdMs = Math.max(Date.now(), lastIdMs + 1);
  return `${lastIdMs}${randomInt(0, 1000).toString().padStart(3, '0')}`;
};

const DISCORD_EPOCH = 1_420_070_400_000n;
let snowflakeSequence = 0;
export const newSnowflake = (): string =>
  (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | BigInt(snowflakeSequence++ & 0xfff)).toString();

/** Midjourney's grid file name: `<user>_<prompt slug>_<job uuid>.png`. */
export const gridFilename = (prompt: string, jobUuid: string): string =>
  `${midjourneyFileStem(prompt, jobUuid)}.png`;

const upscaleButtons = (jobUuid: string): FakeButton[] => [
  ...[1, 2, 3, 4].map((i) => ({
    customId: `MJ::JOB::upsample::${i}::${jobUuid}`,
    emoji: '',
    label: `U${i}`,
    style: 2,
    type: 2,
  })),
  { customId: `MJ::JOB::reroll::0::${jobUuid}::SOLO`, emoji: '🔄', label: '', style: 2, type: 2 },
  ...[1, 2, 3, 4].map((i) => ({
    customId: `MJ::JOB::variation::${i}::${jobUuid}`,
    emoji: '',
    label: `V${i}`,
    style: 2,
    type: 2,
  })),
];

/** What the task carries once Midjourney posted its grid: job UUID, grid, message, buttons, final prompt. */
export const finishTask = (
  task: FakeTask,
  grid: { imageUrl: string; jobUuid: string; messageId: string; finalPrompt: string },
  imageUrls: ImagineTaskInput['imageUrls'],
): void => {
  const now = Date.now();
  task.status = 'SUCCESS';
  task.isCompleted = true;
  task.progress = '100%';
  task.startTime ??= now;
  task.finishTime = now;
  task.imageUrl = grid.imageUrl;
  task.jobId = grid.jobUuid;
  task.messageId = grid.messageId;
  if (!task.messageIds.includes(grid.messageId)) task.messageIds.push(grid.messageId);
  task.promptFull = grid.finalPrompt;
  task.buttons = upscaleButtons(grid.jobUuid);
  task.mode = 'FAST';
  task.width = 2048;
  task.height = 2048;
  task.imageUrls =
    imageUrls === 'official-cdn'
      ? [0, 1, 2, 3].map((i) => ({
          url: `https://cdn.midjourney.com/${grid.jobUuid}/0_${i}.png`,
          thumbnail: `https://cdn.midjourney.com/${grid.jobUuid}/0_${i}_640_N.webp`,
        }))
      : (imageUrls?.map((i) => ({ url: i.url, thumbnail: i.thumbnail ?? i.url })) ?? null);
  Object.assign(task.properties, {
    messageHash: grid.jobUuid,
    messageId: grid.messageId,
    finalPrompt: grid.finalPrompt,
    messageContent: `**${grid.finalPrompt}** - <@1100000000000000001> (fast)`,
    progressMessageId: grid.messageId,
    flags: 0,
  });
};

/** A fresh imagine task as the proxy records it at submit time (status SUBMITTED, nothing from Midjourney yet). */
export const submittedTask = (input: {
  prompt: string;
  instanceId: string;
  botType: 'MID_JOURNEY' | 'NIJI_JOURNEY';
  notifyHook: string | undefined;
  seed: string | null;
}): FakeTask => {
  const now = Date.now();
  return {
    id: newTaskId(),
    parentId: null,
    botType: input.botType,
    realBotType: null,
    userId: null,
    isWhite: false,
    nonce: newSnowflake(),
    interactionMetadataId: null,
    messageId: null,
    remixModalMessageId: null,
    remixAutoSubmit: false,
    remixModaling: false,
    instanceId: input.instanceId,
    subInstanceId: null,
    messageIds: [],
    action: 'IMAGINE',
    status: 'SUBMITTED',
    isCompleted: false,
    prompt: input.prompt,
    promptEn: input.prompt,
    promptFull: null,
    description: `/imagine ${input.prompt}`,
    language: null,
    state: null,
    submitTime: now,
    startTime: null,
    finishTime: null,
    imageUrl: null,
    baseImageUrl: null,
    imageUrls: null,
    thumbnailUrl: null,
    progress: '0%',
    failReason: null,
    isPartner: false,
    isOfficial: false,
    isDiscord: true,
    buttons: [],
    seed: input.seed,
    seedError: null,
    seedMessageId: null,
    clientIp: '127.0.0.1',
    jobId: null,
    mode: null,
    requestMode: null,
    width: null,
    height: null,
    videoUrls: null,
    useTime: null,
    version: null,
    properties: {
      botType: input.botType,
      discordInstanceId: input.instanceId,
      discordChannelId: input.instanceId,
      ...(input.notifyHook === undefined ? {} : { notifyHook: input.notifyHook }),
    },
  };
};

/** A grid URL on Discord's CDN, as the proxy stores it for a Discord-mode task. */
export const discordGridUrl = (channelId: string, prompt: string, jobUuid: string): string =>
  `https://cdn.discordapp.com/attachments/${channelId}/${newSnowflake()}/${gridFilename(prompt, jobUuid)}`;

export const freshJobUuid = (): string => randomUUID();

/** A random unsigned 32-bit seed. */
export const randomSeed = (): number => randomInt(0, 2 ** 32);
