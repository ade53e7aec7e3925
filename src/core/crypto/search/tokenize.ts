import { searchError } from './errors.js';
import { isStopWord, stem } from './stem.js';
import { type StemLanguage, type Word, words } from './words.js';

export interface TokenizeOptions {
  /**
   * 'index' (default) gives every stem a word may have — a Cyrillic word that
   * could be Russian or Ukrainian yields both stems — so any query finds it.
   * 'query' gives one stem per word, chosen by `language`.
   */
  mode?: 'index' | 'query';
  /** Query mode: the stemmer for a Cyrillic word that could be either language. Default 'ru'. */
  language?: StemLanguage;
  /** Index mode: keep at most this many distinct terms (default 4096, at most 65536); later ones are dropped. */
  maxTerms?: number;
}

/** Longer texts are a caller's mistake (split them into records); scanning them would stall a browser tab. */
export const MAX_TEXT_LENGTH = 1_000_000;
export const DEFAULT_MAX_TERMS = 4096;
const MAX_MAX_TERMS = 65_536;
/** Every query word is one more token the server must match; past this a query is almost surely pasted text. */
export const MAX_QUERY_WORDS = 32;

export function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw searchError('SEARCH_BAD_INPUT', 'text must be a string');
  if (text.length > MAX_TEXT_LENGTH) {
    throw searchError('SEARCH_TEXT_TOO_LONG', `text is longer than ${MAX_TEXT_LENGTH} characters`, { limit: MAX_TEXT_LENGTH });
  }
}

function maxTermsOf(options: TokenizeOptions): number {
  const max = options.maxTerms ?? DEFAULT_MAX_TERMS;
  if (!Number.isSafeInteger(max) || max < 1 || max > MAX_MAX_TERMS) {
    throw searchError('SEARCH_BAD_INPUT', `maxTerms must be an integer from 1 to ${MAX_MAX_TERMS}`);
  }
  return max;
}

/** The words of a text that are worth indexing: no stop words, duplicates removed, in order of first appearance. */
export function contentWords(text: string): Word[] {
  const seen = new Map<string, Word>();
  for (const word of words(text)) {
    if (!seen.has(word.text) && !isStopWord(word)) seen.set(word.text, word);
  }
  return [...seen.values()];
}

export function termsOfWord(word: Word, mode: 'index' | 'query', language: StemLanguage): string[] {
  if (word.languages.length === 0) return [word.text];
  if (mode === 'query') {
    const chosen = word.languages.includes(language) ? language : word.languages[0]!;
    return [stem(word.text, chosen)];
  }
  return word.languages.map((l) => stem(word.text, l));
}

/**
 * The search terms of a text: normalized (NFKC, lower case, ё→е), split into
 * words of letters and digits, stop words dropped, Snowball-stemmed by the
 * word's script and letters. Unique, in order of first appearance. Runs on the
 * client only: terms are plaintext and never leave it unkeyed.
 */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  checkText(text);
  const mode = options.mode ?? 'index';
  const maxTerms = mode === 'index' ? maxTermsOf(options) : Number.POSITIVE_INFINITY;
  return termsOf(words(text), mode, options.language ?? 'ru', maxTerms);
}

/** The terms of already segmented words; `blindQuery` uses it to keep a trailing prefix apart. */
export function termsOf(wordList: Iterable<Word>, mode: 'index' | 'query', language: StemLanguage, maxTerms: number): string[] {
  const terms = new Set<string>();
  const cache = new Map<string, string[]>();
  let queryWords = 0;
  outer: for (const word of wordList) {
    if (isStopWord(word)) continue;
    if (mode === 'query' && ++queryWords > MAX_QUERY_WORDS) {
      throw searchError('SEARCH_QUERY_TOO_LONG', `a query has at most ${MAX_QUERY_WORDS} words`, { limit: MAX_QUERY_WORDS });
    }
    let stems = cache.get(word.text);
    if (stems === undefined) {
      stems = termsOfWord(word, mode, language);
      cache.set(word.text, stems);
    }
    for (const term of stems) {
      if (terms.size >= maxTerms) break outer;
      terms.add(term);
    }
  }
  return [...terms];
}
