import { describe, expect, it } from 'vitest';
import { chooseLanguage } from './i18n.js';

describe('the language a page opens in', () => {
  it('keeps the choice saved in this browser above everything', () => {
    expect(chooseLanguage({ saved: 'en', browser: ['ru-RU'], organization: 'ru' })).toBe('en');
  });
  it('follows the browser’s first preference when Clearing speaks it', () => {
    expect(chooseLanguage({ saved: null, browser: ['ru-RU', 'en'], organization: 'en' })).toBe('ru');
    expect(chooseLanguage({ saved: null, browser: ['en-GB'], organization: 'ru' })).toBe('en');
  });
  it('else opens in the organization’s default language, not in a fallback the browser lists', () => {
    expect(chooseLanguage({ saved: null, browser: ['ka-GE', 'en-US', 'en'], organization: 'ru' })).toBe('ru');
    expect(chooseLanguage({ saved: 'garbage', browser: ['de-DE', 'en'], organization: 'ru' })).toBe('ru');
    expect(chooseLanguage({ saved: null, browser: ['de-DE', 'en'] })).toBe('en');
  });
});
