/**
 * From raw text to normalized words, each tagged with the languages whose
 * stemmer applies. Nothing here is keyed or stemmed; it only decides what
 * counts as a word and what form of it both the indexer and the query see.
 */
export type StemLanguage = 'ru' | 'uk' | 'en';

export interface Word {
  /** NFKC, lower case, ё→е, no apostrophes or leftover combining marks, at most MAX_WORD_LENGTH code points. */
  text: string;
  /** Stemmers that may apply: none for numbers and other scripts, two for Cyrillic that could be Russian or Ukrainian. */
  languages: readonly StemLanguage[];
}

/** Longer "words" are ids, hashes or garbage; a cut keeps tokens bounded and still matches the same cut in a query. */
export const MAX_WORD_LENGTH = 64;

// Apostrophes of every shape (Ukrainian writes ʼ or ’ inside words: мʼясо) become one, then disappear inside a word.
const apostrophes = /[\u2019\u2018\u02BC\u02B9\u0060\u00B4\u2032\uFF07]/g;
const wordPattern = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:'[\p{L}\p{M}\p{N}]+)*/gu;
const marks = /[\p{M}']/gu;
const hasDigit = /\p{N}/u;
const cyrillic = /\p{Script=Cyrillic}/u;
const latin = /\p{Script=Latin}/u;
const cyrillicGlobal = /\p{Script=Cyrillic}/gu;
const latinGlobal = /\p{Script=Latin}/gu;
const ukrainianLetters = /[іїєґ]/g;
const russianLetters = /[ыэъё]/g;

/*
 * Letters that look alike in both alphabets. Mixed words are usually a
 * keyboard slip or a deliberate disguise ("пacпорт" with Latin a and c);
 * folding them to the word's majority script lets either spelling match.
 */
const latinToCyrillic: Record<string, string> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  i: 'і',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
};
const cyrillicToLatin: Record<string, string> = Object.fromEntries(Object.entries(latinToCyrillic).map(([l, c]) => [c, l]));

function foldMixedScript(word: string): string {
  const cyr = word.match(cyrillicGlobal)?.length ?? 0;
  const lat = word.match(latinGlobal)?.length ?? 0;
  if (cyr === 0 || lat === 0) return word;
  const map = cyr >= lat ? latinToCyrillic : cyrillicToLatin;
  return Array.from(word, (ch) => map[ch] ?? ch).join('');
}

function cyrillicLanguages(word: string): readonly StemLanguage[] {
  const uk = word.match(ukrainianLetters)?.length ?? 0;
  const ru = word.match(russianLetters)?.length ?? 0;
  if (uk > ru) return ['uk'];
  if (ru > uk) return ['ru'];
  return ['ru', 'uk'];
}

function capLength(word: string): string {
  if (word.length <= MAX_WORD_LENGTH) return word;
  return Array.from(word).slice(0, MAX_WORD_LENGTH).join('');
}

/** Yields the words of a text in order, duplicates included. */
export function* words(text: string): Generator<Word> {
  const prepared = text.normalize('NFKC').toLowerCase().replace(apostrophes, "'");
  for (const match of prepared.matchAll(wordPattern)) {
    const raw = capLength(foldMixedScript(match[0].replace(marks, '')));
    if (raw.length === 0) continue;
    let languages: readonly StemLanguage[] = [];
    if (hasDigit.test(raw)) languages = [];
    else if (cyrillic.test(raw)) languages = cyrillicLanguages(raw);
    else if (latin.test(raw)) languages = ['en'];
    yield { text: raw.replace(/ё/g, 'е'), languages };
  }
}
