import { ageMessages } from '../crypto/age/messages.js';
import { cryptoMessages } from '../crypto/messages.js';
import { merkleMessages } from '../crypto/merkle/messages.js';
import { searchMessages } from '../crypto/search/messages.js';
import { en, type Messages } from './en/index.js';
import { ru } from './ru/index.js';

import { defaultLanguage, type Language } from './languages.js';

export { languages, defaultLanguage, type Language } from './languages.js';

export type { Messages };

/** Every language carries every key of English; the type checker enforces it. */
export const catalogs: Record<Language, Messages> = { en, ru };

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'ru';
}

/** Picks the first supported language from an Accept-Language-style list. */
export function negotiateLanguage(accept: string | undefined | null): Language {
  if (!accept) return defaultLanguage;
  for (const part of accept.split(',')) {
    const tag = part.trim().split(';')[0]?.toLowerCase() ?? '';
    const primary = tag.split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return defaultLanguage;
}

/** Replaces `{{name}}` in a message with parameter values. */
export function interpolate(template: string, params: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** Every error message: the app's own, then those of the cryptographic core's parts. */
const errorTables: Record<Language, Record<string, string>> = {
  en: { ...cryptoMessages.en, ...ageMessages.en, ...merkleMessages.en, ...searchMessages.en, ...catalogs.en.errors },
  ru: { ...cryptoMessages.ru, ...ageMessages.ru, ...merkleMessages.ru, ...searchMessages.ru, ...catalogs.ru.errors },
};

/** The message for an error code in the given language, falling back to English, then to the code. */
export function errorMessage(language: Language, code: string, params: Readonly<Record<string, string | number>> = {}): string {
  const template = errorTables[language][code] ?? errorTables.en[code] ?? code;
  return interpolate(template, params);
}
