import { stemmer as russianStemmer } from '@orama/stemmers/russian';
import { stemmer as ukrainianStemmer } from '@orama/stemmers/ukrainian';
import englishStemmer from 'wink-porter2-stemmer';
import { englishStopWords, russianStopWords, ukrainianStopWords } from './stopwords.js';
import type { StemLanguage, Word } from './words.js';

/*
 * Stems are stored, keyed, on the server: a stemmer that changes its output
 * silently breaks search for everything indexed before. The packages are
 * pinned exactly and search.test.ts pins their stems; changing either means a
 * new blind-index version and a reindex (docs/decisions/0004).
 */
const stemmers: Record<StemLanguage, (word: string) => string> = {
  ru: russianStemmer,
  uk: stemUkrainian,
  en: englishStemmer,
};

/*
 * The Ukrainian stemmer is a light rule-based one (no Snowball algorithm for
 * Ukrainian exists). It leaves a soft vowel on some case forms of -ція nouns
 * (мобілізації → мобілізаці, мобілізацією → мобілізаціє, but мобілізація →
 * мобілізац); dropping that vowel merges them. Very short stems (Київ → ки)
 * would collide with unrelated words, so those keep the whole word.
 */
function stemUkrainian(word: string): string {
  const stemmed = ukrainianStemmer(word).replace(/(?<=.{3})[іїє]+$/u, '');
  return stemmed.length < 3 ? word : stemmed;
}

const stopWords: Record<StemLanguage, ReadonlySet<string>> = {
  ru: russianStopWords,
  uk: ukrainianStopWords,
  en: englishStopWords,
};

/** A word that could be a stop word in any of its languages is dropped, so index and query agree whatever the hint. */
export function isStopWord(word: Word): boolean {
  return word.languages.some((language) => stopWords[language].has(word.text));
}

export function stem(word: string, language: StemLanguage): string {
  const stemmed = stemmers[language](word);
  return stemmed.length > 0 ? stemmed : word;
}
