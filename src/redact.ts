// Secrets never reach logs, replies or error messages. `mask` is what we show when we must show something;
// `createRedactor` scrubs known secrets and interaction tokens out of any text (used on every log line).

/** First and last 3 characters, the rest hidden: `abc…xyz`. Short values are hidden entirely. */
export const mask = (secret: string): string =>
  secret.length <= 8 ? '***' : `${secret.slice(0, 3)}…${secret.slice(-3)}`;

// Discord interaction tokens are base64 of "interaction:<id>:<secret>"; webhook and callback URLs carry them.
const INTERACTION_TOKEN = /aW50ZXJhY3Rpb246[A-Za-z0-9_\-.]+/g;
const WEBHOOK_PATH = /(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9_\-.%]+/g;
const BEARER = /(Bearer\s+|Bot\s+)[A-Za-z0-9_\-.]{8,}/g;
const REPLY_ROUTE = /(\/(?:useapi|midjourney-proxy)\/callback\/)[A-Za-z0-9_-]+/g;

export interface Redactor {
  (text: string): string;
  add(secret: string | undefined): void;
}

export function createRedactor(secrets: (string | undefined)[] = []): Redactor {
  const known = new Set<string>();
  const redact = ((text: string) => {
    let out = text;
    for (const s of known) if (out.includes(s)) out = out.split(s).join(mask(s));
    return out
      .replace(INTERACTION_TOKEN, (t) => mask(t))
      .replace(WEBHOOK_PATH, '$1***')
      .replace(BEARER, '$1***')
      .replace(REPLY_ROUTE, '$1***');
  }) as Redactor;
  redact.add = (secret) => {
    if (secret && secret.length >= 8) known.add(secret);
  };
  for (const s of secrets) redact.add(s);
  return redact;
}
