import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogs, isLanguage, type Language } from '../core/index.js';

const storageKey = 'clearing.language';

/**
 * Which language a page opens in: the choice saved in this browser; else the
 * browser's first preference, when Clearing speaks it; else the
 * organization's default (a borrowed laptop set to Georgian or German, with
 * English somewhere down its list, gets the language the organization works
 * in); else English. Only the first preference counts: the fallbacks a
 * browser lists say little about its reader.
 */
export function chooseLanguage(input: { saved: string | null; browser: readonly string[]; organization?: Language | null }): Language {
  if (isLanguage(input.saved)) return input.saved;
  const first = input.browser[0]?.toLowerCase().split('-')[0];
  if (isLanguage(first)) return first;
  return input.organization ?? 'en';
}

function savedLanguage(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    // Storage can be disabled: nothing saved.
    return null;
  }
}

function browserLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** Before the organization is known. */
export function initialLanguage(): Language {
  return chooseLanguage({ saved: savedLanguage(), browser: browserLanguages() });
}

/** Once the organization is known: its default language, where neither this browser's saved choice nor its first preference decides. */
export async function applyOrganizationLanguage(organization: Language): Promise<void> {
  const language = chooseLanguage({ saved: savedLanguage(), browser: browserLanguages(), organization });
  if (i18next.language !== language) await i18next.changeLanguage(language);
}

export function rememberLanguage(language: Language): void {
  try {
    window.localStorage.setItem(storageKey, language);
  } catch {
    // Not remembered, but still switched for this visit.
  }
}

export async function initI18n(): Promise<typeof i18next> {
  const lng = initialLanguage();
  await i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    resources: { en: { translation: catalogs.en }, ru: { translation: catalogs.ru } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = lng;
  i18next.on('languageChanged', (l) => {
    document.documentElement.lang = l;
  });
  return i18next;
}

export async function switchLanguage(language: Language): Promise<void> {
  rememberLanguage(language);
  await i18next.changeLanguage(language);
}
