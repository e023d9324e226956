// Every locale registered in LOCALES is checked against en.ts: adding a locale file and its registration is all it takes.
import { Locale } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  LOCALES,
  localeFor,
  localizations,
  type MessageKey,
  messagesFor,
  PLURAL,
  placeholdersOf,
  pluralsOf,
  translator,
} from '../../src/i18n/index.js';
import { de } from '../../src/i18n/locales/de.js';
import { en } from '../../src/i18n/locales/en.js';
import { esES } from '../../src/i18n/locales/es-ES.js';
import { ptBR } from '../../src/i18n/locales/pt-BR.js';

/** Discord's rule for slash-command and option names (plus: lowercase where the script has case). */
const DISCORD_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** Context-menu commands: the name is free text of 1–32 characters. */
const CONTEXT_MENU_KEYS = new Set<string>(['cmd.getSeed.name']);

const enKeys = Object.keys(en) as MessageKey[];
const nameKeys = enKeys.filter(
  (k) => k.startsWith('cmd.') && k.endsWith('.name') && !CONTEXT_MENU_KEYS.has(k),
);
const descriptionKeys = enKeys.filter((k) => k.startsWith('cmd.') && k.endsWith('.description'));
const locales = Object.entries(LOCALES);
const others = locales.filter(([code]) => code !== 'en-US');
const discordLocales = new Set<string>(Object.values(Locale));

/** `cmd.seed.job.name` → `cmd.seed`: names sharing a parent must differ (Discord refuses duplicates). */
const parentOf = (key: string) => key.split('.').slice(0, -2).join('.');

describe('locale registry', () => {
  it('registers English and the translated locales under Discord locale codes', () => {
    expect(LOCALES['en-US']).toBe(en);
    expect(Object.keys(LOCALES)).toEqual(
      expect.arrayContaining(['en-US', 'de', 'fr', 'es-ES', 'pt-BR', 'ja']),
    );
    for (const code of Object.keys(LOCALES)) expect(discordLocales, code).toContain(code);
  });

  it('maps regional variants to the locale that serves the language', () => {
    expect(messagesFor('de')).toBe(de);
    expect(messagesFor('es-ES')).toBe(esES);
    expect(messagesFor('es-419')).toBe(esES);
    expect(messagesFor('pt-BR')).toBe(ptBR);
    expect(messagesFor('pt')).toBe(ptBR);
    expect(messagesFor('pt-PT')).toBe(ptBR);
    expect(messagesFor('en-GB')).toBe(en);
  });
});

describe.each(others)('locale %s', (code, messages) => {
  it('has every key of en', () => {
    const missing = enKeys.filter((k) => !Object.hasOwn(messages, k));
    expect(missing, `${code} misses keys`).toEqual([]);
  });

  it('has no key that en lacks', () => {
    const extra = Object.keys(messages).filter((k) => !Object.hasOwn(en, k));
    expect(extra, `${code} has extra keys`).toEqual([]);
  });

  it('keeps exactly the placeholders of en in every message', () => {
    const wrong = enKeys
      .filter((k) => typeof messages[k] === 'string')
      .filter((k) => placeholdersOf(messages[k]).join() !== placeholdersOf(en[k]).join())
      .map((k) => `${k}: ${placeholdersOf(messages[k]).join()} ≠ ${placeholdersOf(en[k]).join()}`);
    expect(wrong).toEqual([]);
  });

  it('has no empty message', () => {
    const empty = enKeys.filter((k) => typeof messages[k] !== 'string' || messages[k].trim() === '');
    expect(empty).toEqual([]);
  });

  it('gives localizations() its entry for every command field', () => {
    for (const key of [...nameKeys, ...descriptionKeys, ...CONTEXT_MENU_KEYS] as MessageKey[]) {
      expect(localizations(key)[code], key).toBe(messages[key]);
    }
  });
});

describe.each(locales)('command fields in %s', (_code, messages) => {
  it('command and option names satisfy Discord’s name rule', () => {
    const bad = nameKeys
      .map((k) => [k, messages[k]] as const)
      .filter(([, name]) => !DISCORD_NAME.test(name) || name !== name.toLowerCase())
      .map(([k, name]) => `${k}: ${JSON.stringify(name)}`);
    expect(bad).toEqual([]);
  });

  it('names that share a parent command are distinct', () => {
    const byParent = new Map<string, string[]>();
    for (const k of nameKeys) byParent.set(parentOf(k), [...(byParent.get(parentOf(k)) ?? []), messages[k]]);
    for (const [parent, names] of byParent)
      expect(new Set(names).size, `${parent}: ${names.join()}`).toBe(names.length);
  });

  it('context-menu names have 1–32 characters', () => {
    for (const k of CONTEXT_MENU_KEYS) {
      const name = messages[k as MessageKey];
      expect(name.trim(), k).toBe(name);
      expect([...name].length, k).toBeGreaterThanOrEqual(1);
      expect([...name].length, k).toBeLessThanOrEqual(32);
    }
  });

  it('descriptions have 1–100 characters', () => {
    const bad = descriptionKeys.filter((k) => messages[k].length < 1 || messages[k].length > 100);
    expect(bad.map((k) => `${k} (${messages[k].length})`)).toEqual([]);
  });
});

describe.each(locales)('braces in %s', (_code, messages) => {
  it('no message contains a raw `{` or `}` besides the placeholders en has', () => {
    const bad = enKeys.filter((k) => {
      const allowed = new Set(placeholdersOf(en[k]));
      const rest = (messages[k] ?? '')
        .replace(PLURAL, '')
        .replace(/\{(\w+)\}/g, (whole, name: string) => (allowed.has(name) ? '' : whole));
      return /[{}]/.test(rest);
    });
    expect(bad.map((k) => `${k}: ${messages[k]}`)).toEqual([]);
  });
});

describe.each(locales)('counts in %s', (code, messages) => {
  const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories as string[];

  it('writes no "(s)"-style plural: counts go through a plural block', () => {
    const bad = enKeys.filter((k) => /\w\((?:s|n|es|e)\)/.test(messages[k]));
    expect(bad.map((k) => `${k}: ${messages[k]}`)).toEqual([]);
  });

  it('gives every plural block an "other" form, the "one" form the language has, and no form it lacks', () => {
    const bad: string[] = [];
    for (const k of enKeys)
      for (const { name, forms } of pluralsOf(messages[k])) {
        const have = Object.keys(forms);
        if (!have.includes('other')) bad.push(`${k}: {${name}} has no "other"`);
        if (categories.includes('one') && !have.includes('one') && have.length > 1)
          bad.push(`${k}: {${name}} has no "one"`);
        for (const form of have)
          if (!categories.includes(form)) bad.push(`${k}: {${name}} has "${form}", which ${code} lacks`);
      }
    expect(bad).toEqual([]);
  });
});

describe('plural messages', () => {
  it('picks the form by the locale’s plural rules and writes the number', () => {
    const en = translator('en-US');
    expect(en('mod.status.more', { count: 1 })).toBe('1 more account is not shown.');
    expect(en('mod.status.more', { count: 2 })).toBe('2 more accounts are not shown.');
    expect(en('mod.status.more', { count: 0 })).toBe('0 more accounts are not shown.');
    const fr = translator('fr');
    // French counts 0 and 1 as singular; English does not.
    expect(fr('mod.status.more', { count: 0 })).toContain('0 autre compte non affiché');
    expect(fr('mod.status.more', { count: 3 })).toContain('3 autres comptes non affichés');
    expect(translator('de')('mod.reset.ok', { channel: 'c', user: 'u', count: 1 })).toContain(
      '1 wartende Anfrage läuft wieder',
    );
    expect(translator('pt-BR')('mod.status.more', { count: 1200 })).toContain('Mais 1.200 contas');
  });

  it('uses the plural rules of the locale that serves the member (es-419 → es-ES)', () => {
    expect(localeFor('es-419')).toBe('es-ES');
    expect(localeFor('xx-YY')).toBe('en-US');
    expect(translator('es-419')('mod.status.more', { count: 1 })).toBe('1 cuenta más sin mostrar.');
  });

  it('counts a plural block as its parameter', () => {
    expect(placeholdersOf('{user}: {count, plural, one {# x} other {# xs}} in {channel}')).toEqual([
      'channel',
      'count',
      'user',
    ]);
  });

  it('leaves a plural block alone when its parameter is missing or not a number', () => {
    const text = translator('en-US')('mod.status.more', { count: 'many' });
    expect(text).toContain('{count, plural,');
  });
});

describe('translator', () => {
  it('fills placeholders in the member’s locale', () => {
    const text = translator('de')('progress.queued', { position: 3 });
    expect(text).toBe(de['progress.queued'].replace('{position}', '3'));
    expect(text).toContain('Position 3');
    expect(text).not.toContain('{');
  });

  it('uses the es-ES messages for es-419', () => {
    expect(translator('es-419')('reply.title', { seed: 42 })).toBe(
      esES['reply.title'].replace('{seed}', '42'),
    );
  });

  it('falls back to English for an unknown or missing locale', () => {
    const english = en['progress.queued'].replace('{position}', '3');
    expect(translator('xx-YY')('progress.queued', { position: 3 })).toBe(english);
    expect(translator(undefined)('progress.queued', { position: 3 })).toBe(english);
  });
});

describe('localizations', () => {
  it('contains every non-English locale and not the default one', () => {
    const map = localizations('cmd.seed.description');
    expect(Object.keys(map).sort()).toEqual(others.map(([code]) => code).sort());
    for (const [code, messages] of others) expect(map[code]).toBe(messages['cmd.seed.description']);
    expect(map).not.toHaveProperty('en-US');
  });
});
