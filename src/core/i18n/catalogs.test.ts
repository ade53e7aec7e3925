import { describe, expect, expectTypeOf, it } from 'vitest';
import { ageErrorCodes } from '../crypto/age/errors.js';
import { ageMessages } from '../crypto/age/messages.js';
import { merkleErrorCodes } from '../crypto/merkle/errors.js';
import { merkleMessages } from '../crypto/merkle/messages.js';
import { cryptoMessages, type CryptoErrorCode } from '../crypto/messages.js';
import { searchErrorCodes } from '../crypto/search/errors.js';
import { searchMessages } from '../crypto/search/messages.js';
import { appErrorCodes, ClearingError, type ErrorCode } from '../errors/index.js';
import { catalogs, errorMessage, languages } from './index.js';

function leaves(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof v === 'string') out.set(at, v);
    else for (const [k, s] of leaves(v, at)) out.set(k, s);
  }
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/** Every code of the union, at run time; the type check below keeps the two equal. */
const allCodes = [
  ...appErrorCodes,
  ...(Object.keys(cryptoMessages.en) as CryptoErrorCode[]),
  ...ageErrorCodes,
  ...merkleErrorCodes,
  ...searchErrorCodes,
] as const;

describe('message catalogues', () => {
  const english = leaves(catalogs.en);

  it('Russian has every English key, no other, none empty, with the same placeholders', () => {
    const russian = leaves(catalogs.ru);
    expect([...russian.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [key, text] of english) {
      expect(text.trim(), key).not.toBe('');
      expect(russian.get(key)!.trim(), key).not.toBe('');
      expect(placeholders(russian.get(key)!), key).toEqual(placeholders(text));
    }
  });

  it('every error code has a message in English and in Russian', () => {
    expectTypeOf<(typeof allCodes)[number]>().toEqualTypeOf<ErrorCode>();
    const tables = {
      en: { ...cryptoMessages.en, ...ageMessages.en, ...merkleMessages.en, ...searchMessages.en, ...catalogs.en.errors } as Record<string, string>,
      ru: { ...cryptoMessages.ru, ...ageMessages.ru, ...merkleMessages.ru, ...searchMessages.ru, ...catalogs.ru.errors } as Record<string, string>,
    };
    expect(new Set(allCodes).size).toBe(allCodes.length);
    for (const language of languages) {
      expect(Object.keys(tables[language]).sort(), language).toEqual([...allCodes].sort());
      for (const code of allCodes) {
        expect(tables[language][code]?.trim(), `${language} ${code}`).toBeTruthy();
        expect(errorMessage(language, code), `${language} ${code}`).not.toBe(code);
      }
    }
  });

  it('an error takes its English words from the catalogue, with its parameters', () => {
    const error = new ClearingError('TOO_MANY_ATTEMPTS', { status: 429, params: { seconds: 7 } });
    expect(error.message).toBe(errorMessage('en', 'TOO_MANY_ATTEMPTS', { seconds: 7 }));
    expect(error.message).toContain('7 seconds');
    expect(errorMessage('ru', error.code, error.params)).toContain('7');
    expect(new ClearingError('DATABASE_UNAVAILABLE', { detail: 'ECONNREFUSED' }).message).toBe(`${catalogs.en.errors.DATABASE_UNAVAILABLE} (ECONNREFUSED)`);
    // @ts-expect-error a code that is in no list does not compile
    expect(new ClearingError('LOGIN_FIALED').message).toBe('LOGIN_FIALED');
  });
});
