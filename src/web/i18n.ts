import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { catalogs, isLanguage, type Language } from '../core/index.js';

const storageKey = 'clearing.language';

/** The language chosen in this browser, else the browser's preference, else English. */
export function initialLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be disabled; fall through to the browser's preference.
  }
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

/** Whether this browser holds a choice of its own (which the organization's default does not override). */
export function hasSavedLanguage(): boolean {
  try {
    return isLanguage(window.localStorage.getItem(storageKey));
  } catch {
    return false;
  }
}

/**
 * A new visitor (no choice saved here) sees the organization's language
 * first: the organization knows whom it serves better than a borrowed
 * laptop's settings. Not saved: the switch still decides for this browser.
 */
export async function applyOrganizationLanguage(language: Language): Promise<void> {
  if (hasSavedLanguage() || i18next.language === language) return;
  await i18next.changeLanguage(language);
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
