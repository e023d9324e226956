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

const PLACEHOLDER = /\{(\w+)\}/g;
/**
 * A count that reads right in every language, chosen by `Intl.PluralRules` of the locale:
 * `{count, plural, one {# request} other {# requests}}` (ICU's form, without nesting; `#` is the number).
 */
export const PLURAL = /\{(\w+), plural,((?:\s*(?:zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_FORM = /(zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

/** The forms of each plural block in a message: `[{ name: 'count', forms: { one: '# request', … } }]`. */
export function pluralsOf(text: string): { name: string; forms: Record<string, string> }[] {
  return [...text.matchAll(PLURAL)].map((m) => ({
    name: m[1] ?? '',
    forms: Object.fromEntries([...(m[2] ?? '').matchAll(PLURAL_FORM)].map((f) => [f[1], f[2] ?? ''])),
  }));
}

/** Language → the regional locale that serves it when the exact code is missing (es-419 → es-ES, pt → pt-BR). */
const LANGUAGE_FALLBACK: Record<string, string> = { es: 'es-ES', pt: 'pt-BR' };

/** The registered locale code that serves `locale` (its messages and its plural rules). */
export function localeFor(locale: string | undefined): string {
  if (!locale) return 'en-US';
  const language = locale.split('-')[0] ?? '';
  for (const code of [locale, language, LANGUAGE_FALLBACK[language]])
    if (code !== undefined && Object.hasOwn(LOCALES, code)) return code;
  return 'en-US';
}

export function messagesFor(locale: string | undefined): Messages {
  return LOCALES[localeFor(locale)] ?? en;
}

/** One translator per locale: building Intl.PluralRules and NumberFormat costs more than a whole reply's texts. */
const translators = new Map<string, Translate>();

export function translator(locale: string | undefined): Translate {
  const code = localeFor(locale);
  const built = translators.get(code);
  if (built) return built;
  const t = buildTranslator(code);
  translators.set(code, t);
  return t;
}

function buildTranslator(code: string): Translate {
  const messages = LOCALES[code] ?? en;
  const rules = new Intl.PluralRules(code);
  const numbers = new Intl.NumberFormat(code);
  return (key, params = {}) =>
    (messages[key] ?? en[key])
      .replace(PLURAL, (whole, name: string) => {
        const value = params[name];
        if (typeof value !== 'number') return whole;
        const forms = pluralsOf(whole)[0]?.forms ?? {};
        const form = forms[rules.select(value)] ?? forms.other ?? '';
        return form.replace(/#/g, numbers.format(value));
      })
      .replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The parameters a message uses (a plural block counts as its parameter). */
export const placeholdersOf = (text: string): string[] => {
  const plurals = pluralsOf(text).map((p) => p.name);
  const rest = text.replace(PLURAL, '');
  return [...plurals, ...[...rest.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '')].sort();
};

/** Discord localization map for a command field: every locale but the default. */
export function localizations(key: MessageKey): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, messages] of Object.entries(LOCALES)) {
    if (code === 'en-US') continue;
    out[code] = messages[key];
  }
  return out;
}
