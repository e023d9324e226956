// Replies in the member's locale. A locale is one file in ./locales; the list below is the only registration.
import { de } from './locales/de.js';
import { en, type MessageKey, type Messages } from './locales/en.js';
import { esES } from './locales/es-ES.js';
import { fr } from './locales/fr.js';
import { ja } from './locales/ja.js';
import { ptBR } from './locales/pt-BR.js';

export type { MessageKey, Messages } from './locales/en.js';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Discord locale code → messages. English is the fallback for every missing locale. */
export const LOCALES: Record<string, Messages> = {
  'en-US': en,
  de,
  fr,
  'es-ES': esES,
  'pt-BR': ptBR,
  ja,
};

export function registerLocale(code: string, messages: Messages): void {
  LOCALES[code] = messages;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** Language → the regional locale that serves it when the exact code is missing (es-419 → es-ES, pt → pt-BR). */
const LANGUAGE_FALLBACK: Record<string, string> = { es: 'es-ES', pt: 'pt-BR' };

export function messagesFor(locale: string | undefined): Messages {
  if (!locale) return en;
  const language = locale.split('-')[0] ?? '';
  return LOCALES[locale] ?? LOCALES[language] ?? LOCALES[LANGUAGE_FALLBACK[language] ?? ''] ?? en;
}

export function translator(locale: string | undefined): Translate {
  const messages = messagesFor(locale);
  return (key, params = {}) =>
    (messages[key] ?? en[key]).replace(PLACEHOLDER, (whole, name: string) =>
      name in params ? String(params[name]) : whole,
    );
}

export const placeholdersOf = (text: string): string[] =>
  [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').sort();

/** Discord localization map for a command field: every locale but the default. */
export function localizations(key: MessageKey): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, messages] of Object.entries(LOCALES)) {
    if (code === 'en-US') continue;
    out[code] = messages[key];
  }
  return out;
}
