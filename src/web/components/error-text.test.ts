import { describe, expect, it } from 'vitest';
import { catalogs } from '../../core/index.js';
import { ApiError } from '../api.js';
import { errorText, invalidField } from './ErrorNotice.js';

/** A translation function over the real catalogue, enough for these sentences. */
function tFor(language: 'en' | 'ru') {
  return (key: string, options: Record<string, unknown> = {}): string => {
    let node: unknown = catalogs[language];
    for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    const template = typeof node === 'string' ? node : String(options.defaultValue ?? key);
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name] ?? ''));
  };
}

describe('errors as a volunteer reads them', () => {
  it('names the field of a server VALIDATION_FAILED in words, never the schema text', () => {
    expect(invalidField('administrator/name must match pattern "^[\\p{L}]"')).toBe('name');
    expect(invalidField('code must match pattern "^[0-9 ]{6,8}$"')).toBe('code');
    expect(invalidField('token must NOT have fewer than 16 characters')).toBe('token');
    expect(invalidField('querystring/actor must match format "uuid"')).toBe('actor');
    expect(invalidField('something else entirely')).toBeNull();

    const error = new ApiError('VALIDATION_FAILED', 400, 'Some fields are missing', { detail: 'administrator/name must match pattern "x"' });
    const ru = errorText(error, tFor('ru'), 'ru');
    expect(ru).toBe('Поле «имя» не принято. Проверьте его и попробуйте снова.');
    expect(ru).not.toMatch(/pattern|administrator|VALIDATION/);
    expect(errorText(new ApiError('VALIDATION_FAILED', 400, 'x', { detail: 'weird/thing bad' }), tFor('en'), 'en')).toBe(catalogs.en.ui.errors.validation);
  });

  it('shows no code beside the words', () => {
    const text = errorText(new ApiError('LOGIN_FAILED', 401, 'Login failed'), tFor('ru'), 'ru');
    expect(text).not.toContain('LOGIN_FAILED');
    expect(text).toBe(catalogs.ru.errors.LOGIN_FAILED);
    expect(errorText(new ApiError('NO_SUCH_CODE', 500, 'English words'), tFor('ru'), 'ru')).toBe(catalogs.ru.errors.INTERNAL);
  });

  it('uses the web app’s own words where it has them', () => {
    expect(errorText(new ApiError('KEY_BUNDLE_CHANGED', 0, 'x'), tFor('en'), 'en')).toBe(catalogs.en.ui.errors.KEY_BUNDLE_CHANGED);
  });
});
