/**
 * Synthetic casework text for the benchmark: Russian-looking words built
 * from syllables with Russian endings (so both Clearing's Snowball stemmer
 * and PostgreSQL's `russian` configuration stem them), drawn with a Zipf
 * distribution like words of real notes. Deterministic from a seed.
 */

/** A small, fast, seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const onsets = ['б', 'в', 'г', 'д', 'ж', 'з', 'к', 'л', 'м', 'н', 'п', 'р', 'с', 'т', 'ф', 'х', 'ч', 'ш', 'бр', 'гр', 'кр', 'пр', 'ст', 'тр', 'сл', 'зв'];
const vowels = ['а', 'о', 'у', 'е', 'и', 'ы', 'я'];
const endings = ['', 'а', 'ы', 'ой', 'ом', 'ами', 'ов', 'ая', 'ую', 'ение', 'ость', 'ать', 'ует', 'ный', 'ского'];

export interface Corpus {
  words: readonly string[];
  /** A text of `count` words, Zipf-distributed over the vocabulary. */
  text(random: () => number, count: number): string;
}

export function makeCorpus(size = 20_000, seed = 7): Corpus {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const seen = new Set<string>();
  const words: string[] = [];
  while (words.length < size) {
    const syllables = 2 + Math.floor(random() * 3);
    let stem = '';
    for (let i = 0; i < syllables; i++) stem += pick(onsets) + pick(vowels);
    const word = stem + pick(endings);
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  // Zipf (s = 1): cumulative weights, sampled by binary search.
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    sum += 1 / (i + 1);
    cumulative[i] = sum;
  }
  const draw = (r: () => number): string => {
    const x = r() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  return {
    words,
    text(r, count) {
      const out: string[] = [];
      for (let i = 0; i < count; i++) out.push(draw(r));
      return `${out.join(' ')}.`;
    },
  };
}
