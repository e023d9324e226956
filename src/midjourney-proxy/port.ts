// The port to a self-hosted trueai-org/midjourney-proxy, in the terms an adapter needs. The HTTP implementation lives
// in http-client.ts; nothing outside src/midjourney-proxy/ sees a raw response body.

/** `NOT_START`, `SUBMITTED`, `MODAL`, `IN_PROGRESS`: keep waiting. `SUCCESS`, `FAILURE`, `CANCEL`: final. */
export type ProxyTaskStatus =
  | 'NOT_START'
  | 'SUBMITTED'
  | 'MODAL'
  | 'IN_PROGRESS'
  | 'SUCCESS'
  | 'FAILURE'
  | 'CANCEL';

export const FINAL_TASK_STATUSES: ReadonlySet<ProxyTaskStatus> = new Set(['SUCCESS', 'FAILURE', 'CANCEL']);

/** One of the four images, when the proxy filled them (`EnableFillOfficialCdn`, off by default). */
export interface ProxyImage {
  url: string;
  thumbnail?: string | undefined;
}

/** A button of the Midjourney message, e.g. `MJ::JOB::upsample::2::<job uuid>`. */
export interface ProxyButton {
  customId: string;
  label?: string | undefined;
  emoji?: string | undefined;
}

/** The task's `properties` we read; every other key is kept in `extra`. */
export interface ProxyTaskProperties {
  /** The Midjourney job UUID (also in the grid's file name). */
  messageHash?: string | undefined;
  messageId?: string | undefined;
  /** The account's Discord channel. */
  discordInstanceId?: string | undefined;
  discordChannelId?: string | undefined;
  /** The prompt Midjourney shows, e.g. with the `--seed N` the proxy appended. */
  finalPrompt?: string | undefined;
  notifyHook?: string | undefined;
  botType?: string | undefined;
  messageContent?: string | undefined;
  extra: Record<string, unknown>;
}

/** A task of the proxy (`GET /mj/task/{id}/fetch`, a notifyHook body, an entry of `list-by-ids`). */
export interface ProxyTask {
  /** The proxy's own id: Unix milliseconds + 3 digits (16 digits). */
  id: string;
  status: ProxyTaskStatus;
  /** `IMAGINE`, `UPSCALE`, `VARIATION`, `BLEND`, … (kept as sent: the proxy adds actions over time). */
  action?: string | undefined;
  parentId?: string | undefined;
  /** `MID_JOURNEY` | `NIJI_JOURNEY` */
  botType?: string | undefined;
  prompt?: string | undefined;
  promptEn?: string | undefined;
  promptFull?: string | undefined;
  description?: string | undefined;
  state?: string | undefined;
  /** Epoch milliseconds. */
  submitTime?: number | undefined;
  startTime?: number | undefined;
  finishTime?: number | undefined;
  /** e.g. `"100%"` */
  progress?: string | undefined;
  /** The proxy's own text (often Chinese): for logs, never shown to members. */
  failReason?: string | undefined;
  /** The grid, or the single image of an upscale. */
  imageUrl?: string | undefined;
  imageUrls: ProxyImage[];
  thumbnailUrl?: string | undefined;
  buttons: ProxyButton[];
  /** The Discord message with the result. */
  messageId?: string | undefined;
  messageIds: string[];
  /** The account's Discord channel id. */
  instanceId?: string | undefined;
  nonce?: string | undefined;
  /** The Midjourney job UUID. */
  jobId?: string | undefined;
  /** Midjourney seeds are unsigned 32-bit integers (0 to 4294967295). */
  seed?: number | undefined;
  /** Why the last seed retrieval failed, in the proxy's words: for logs only. */
  seedError?: string | undefined;
  seedMessageId?: string | undefined;
  /** `FAST` | `RELAX` | `TURBO` */
  mode?: string | undefined;
  properties: ProxyTaskProperties;
}

export interface ProxyCallOptions {
  signal?: AbortSignal | undefined;
}

export interface ImageSeedOptions extends ProxyCallOptions {
  /**
   * Attempts in total for a 429 or a connection refused before the request left (never after a timeout or a 5xx,
   * which may have started a retrieval). Default 1: the caller decides when to ask again.
   */
  attempts?: number | undefined;
}

export interface MidjourneyProxyClient {
  /** `GET /mj/task/{id}/fetch`. An unknown id is a ProxyError `not_found`. */
  fetchTask(id: string, options?: ProxyCallOptions): Promise<ProxyTask>;
  /**
   * `GET /mj/task/{id}/image-seed`: the seed. Blocks up to ~60 s on the real proxy while it asks Midjourney; a seed
   * not found within that wait is a ProxyError `seed_pending` (ask again later).
   */
  imageSeed(id: string, options?: ImageSeedOptions): Promise<number>;
  /** `POST /mj/task/list-by-ids`: the tasks that exist among `ids`, in the proxy's order. */
  listByIds(ids: readonly string[], options?: ProxyCallOptions): Promise<ProxyTask[]>;
  /**
   * One cheap authenticated call, for the doctor: resolves when the proxy answers and accepts the token, throws the
   * ProxyError otherwise (`network`/`timeout`: unreachable; `unauthorized`: token refused; `not_found`: something
   * else answers at the URL; `bad_response`: something answers, not as the proxy does).
   */
  ping(options?: ProxyCallOptions): Promise<void>;
}
