// The HTTP front of a fake upstream: every request is read and recorded first (refused and failed ones included),
// then injected faults and outages may answer it, and only then the fake's own handling does.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request as the front read it. */
export interface ReadRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
}

export interface RecordingFront<Recorded> {
  readonly requests: Recorded[];
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parseBody = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export function createRecordingFront<Recorded>(steps: {
  record(request: ReadRequest): Recorded;
  /** Answers with an injected fault or the outage status, if any; false lets the request through. */
  answerFault(request: ReadRequest, recorded: Recorded): boolean | Promise<boolean>;
  answer(request: ReadRequest, recorded: Recorded): void | Promise<void>;
}): RecordingFront<Recorded> {
  const requests: Recorded[] = [];
  return {
    requests,
    async handle(req, res) {
      const body = parseBody(await readBody(req));
      // Only the path and query are read: the base is a placeholder.
      const request = {
        req,
        res,
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://fake'),
        body,
      };
      const recorded = steps.record(request);
      requests.push(recorded);
      if (await steps.answerFault(request, recorded)) return;
      await steps.answer(request, recorded);
    },
  };
}
