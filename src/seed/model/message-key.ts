// The key a seed read from the prompt of a Midjourney message whose job the bot has never seen is stored and asked
// under: the message id (stable, whoever asks). Never a jobid of any upstream, so it is never sent to one.

export const messageSeedKey = (messageId: string): string => `message:${messageId}`;

export const isMessageSeedKey = (key: string): boolean => /^message:\d{17,20}$/.test(key);
