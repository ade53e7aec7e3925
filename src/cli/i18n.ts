import { catalogs, interpolate, isLanguage, type Language, type Messages } from '../core/i18n/index.js';

/** The CLI speaks the language of CLEARING_LANGUAGE, else of the locale (LANG, LC_ALL), else English. */
export function cliLanguage(env: Record<string, string | undefined> = process.env): Language {
  for (const value of [env.CLEARING_LANGUAGE, env.LC_ALL, env.LC_MESSAGES, env.LANG]) {
    const primary = value?.toLowerCase().split(/[_.@-]/)[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

export const language = cliLanguage();

export function t(key: keyof Messages['cli'], params: Record<string, string | number> = {}): string {
  return interpolate(catalogs[language].cli[key], params);
}
