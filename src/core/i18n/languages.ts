/** The languages Clearing speaks; every catalogue carries every key of English. */
export const languages = ['ru', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'en';
